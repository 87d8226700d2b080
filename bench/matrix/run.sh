#!/usr/bin/env bash
# Benchmarks Vigie on Matrix against a throw-away Synapse on 127.0.0.1, or a stand-in
# homeserver (see bench.py for what each scenario measures). Everything it makes goes under
# bench/out/matrix (git-ignored).
#
# usage: bench/matrix/run.sh latency [--homeserver synapse|standin] [--users 20] [--rooms 20]
#                                    [--rate 200] [--duration 60] [--pin] [--others-nice N]
#                                    [--synapse-database postgres|sqlite]
#        bench/matrix/run.sh rss [--rooms 100]
#
#   latency  20 people send 200 commands/s in all for 60 s; prints p50/p90/p99/max of Vigie's
#            own command latency (`latency_us` in its JSON debug log: command event handled ->
#            reply handed to room.send), and how many commands were sent and answered.
#            Synapse (the default) carries only some 25-30 commands/s on 2 cores; with
#            `--homeserver standin` the commands go through standin.py, a stand-in homeserver
#            in the benchmark's own process that carries 200/s and more, to the same vigie
#            binary (e.g. `run.sh latency --homeserver standin --pin --others-nice 10`).
#   rss      Vigie joins 100 rooms; prints its idle VmRSS (/proc/PID/status) before and after.
#
# It builds Vigie in release mode (once: about 20 minutes cold on 2 cores) and a Python
# environment with Synapse, aiohttp and psycopg2 from PyPI in bench/out/matrix-venv (once: about a
# minute). Set VIGIE_BENCH_PYTHON to a Python that already has them to skip that, and
# VIGIE_BENCH_VIGIE to a vigie binary already built (e.g. target/debug/vigie, to check that a
# scenario works; its figures are not release figures) to skip the build. With
# --synapse-database postgres, Synapse uses the PostgreSQL on 127.0.0.1:5432 (PGHOST/PGPORT/
# PGUSER), in a database of its own, vigie_bench_synapse, made anew at every run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scenario="${1:?usage: run.sh latency|rss [options]}"
shift

vigie="${VIGIE_BENCH_VIGIE:-}"
if [[ -z "$vigie" ]]; then
    echo "building vigie (release) ..."
    (cd "$root" && cargo build --quiet --release -p vigie --bin vigie)
    target="$(cd "$root" && cargo metadata --format-version 1 --no-deps \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
    vigie="$target/release/vigie"
fi

python="${VIGIE_BENCH_PYTHON:-}"
if [[ -z "$python" ]]; then
    venv="$root/bench/out/matrix-venv"
    packages=(matrix-synapse==1.163.0 "aiohttp>=3.9,<4" "psycopg2-binary>=2.9,<3")
    if [[ ! -f "$venv/.installed" || "$(cat "$venv/.installed")" != "${packages[*]}" ]]; then
        echo "creating $venv with ${packages[*]} from PyPI ..."
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"
        printf '%s' "${packages[*]}" >"$venv/.installed"
    fi
    python="$venv/bin/python"
fi

exec "$python" "$here/bench.py" "$scenario" --vigie "$vigie" \
    --synapse-python "$python" --out "$root/bench/out/matrix" "$@"
