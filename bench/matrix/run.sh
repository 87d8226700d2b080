#!/usr/bin/env bash
# Benchmarks Vigie on Matrix against a throw-away Synapse on 127.0.0.1 (see bench.py for what
# each scenario measures). Everything it makes goes under bench/out/matrix (git-ignored).
#
# usage: bench/matrix/run.sh latency [--users 20] [--rooms 20] [--rate 200] [--duration 60]
#                                    [--synapse-database postgres|sqlite] [--pin] [--others-nice N]
#        bench/matrix/run.sh rss [--rooms 100]
#
#   latency  20 people send 200 commands/s in all for 60 s; prints p50/p90/p99/max of Vigie's
#            own command latency (`latency_us` in its JSON debug log: command event handled ->
#            reply handed to room.send), and how many commands were sent and answered.
#   rss      Vigie joins 100 rooms; prints its idle VmRSS (/proc/PID/status) before and after.
#
# It builds Vigie in release mode (once: about 20 minutes cold on 2 cores) and a Python
# environment with Synapse, aiohttp and psycopg2 from PyPI in bench/out/matrix-venv (once: about a
# minute). Set VIGIE_BENCH_PYTHON to a Python that already has them to skip that. With
# --synapse-database postgres, Synapse uses the PostgreSQL on 127.0.0.1:5432 (PGHOST/PGPORT/
# PGUSER), in a database of its own, vigie_bench_synapse, made anew at every run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scenario="${1:?usage: run.sh latency|rss [options]}"
shift

echo "building vigie (release) ..."
(cd "$root" && cargo build --quiet --release -p vigie --bin vigie)
target="$(cd "$root" && cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

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

exec "$python" "$here/bench.py" "$scenario" --vigie "$target/release/vigie" \
    --synapse-python "$python" --out "$root/bench/out/matrix" "$@"
