#!/usr/bin/env bash
# Crash tests of alert delivery against a throw-away Synapse on 127.0.0.1: every alert reaches
# its room exactly once, counted from the homeserver (see crash.py for what each scenario does).
# Everything it makes goes under bench/out/crash (git-ignored).
#
# usage: bench/crash/run.sh crash    [--kills 20] [--rooms 10] [--seed N] [--vigie PATH]
#        bench/crash/run.sh replicas [--kills 6] [--rooms 10] [--seed N] [--vigie PATH]
#                                    [--devices 1|2] [--postgres postgres://postgres@127.0.0.1:5432]
#        bench/crash/run.sh fanout   [--rooms 100] [--windows 100] [--rate 20] [--burst 20]
#                                    [--seed N] [--vigie PATH]
#
#   crash     one Vigie on SQLite, killed with SIGKILL 20 times while it delivers some 280
#             alerts to 10 rooms, restarted each time on the same stores; prints lost and
#             duplicated messages (both must be 0), kills, alerts, rooms and time taken.
#   replicas  two Vigies on one PostgreSQL database (a fresh database is made on the server;
#             trust authentication), only the leader connected to Matrix, sharing one Matrix
#             device; the leader is killed with SIGKILL while it delivers; prints lost,
#             duplicated and the failover time. --devices 2 gives each replica its own login
#             instead: transaction ids are per device, so the new leader finds in the rooms'
#             history what the dead one sent unrecorded.
#   fanout    one Vigie on SQLite sends 100 windows to each of 100 rooms (10,000 messages)
#             while Synapse rate-limits its account (admin API override_ratelimit); prints lost,
#             duplicated and the delivery throughput.
#
# Exit status 0 when nothing was lost or duplicated, 1 otherwise, 2 when the setup failed.
#
# Vigie: --vigie PATH, else target/release/vigie, else target/debug/vigie (build one with
# `cargo build --release -p vigie`). Python: the script needs aiohttp, and Synapse needs a
# Python with matrix-synapse. VIGIE_BENCH_PYTHON names a Python with both (as for
# bench/matrix); otherwise VIGIE_CRASH_PYTHON names one with aiohttp and VIGIE_SYNAPSE_PYTHON
# one with Synapse (default: target/test-python/bin/python, which scripts/test makes). With
# none of them, bench/matrix's environment (bench/out/matrix-venv, made once from PyPI) is used.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scenario="${1:-}"
case "$scenario" in
    crash | replicas | fanout) shift ;;
    *)
        echo "usage: bench/crash/run.sh crash|replicas|fanout [--kills N] [--rooms N] [--seed N] [--vigie PATH]" >&2
        exit 2
        ;;
esac

vigie=""
args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --vigie)
            vigie="${2:?--vigie needs a path}"
            shift 2
            ;;
        --vigie=*)
            vigie="${1#--vigie=}"
            shift
            ;;
        *)
            args+=("$1")
            shift
            ;;
    esac
done
if [[ -z "$vigie" ]]; then
    for candidate in "$root/target/release/vigie" "$root/target/debug/vigie"; do
        if [[ -x "$candidate" ]]; then
            vigie="$candidate"
            break
        fi
    done
fi
if [[ -z "$vigie" || ! -x "$vigie" ]]; then
    echo "no vigie binary: build one with \`cargo build --release -p vigie\`, or give --vigie PATH" >&2
    exit 2
fi

has() { [[ -x "$1" ]] && "$1" -c "import $2" 2>/dev/null; }

python="${VIGIE_BENCH_PYTHON:-${VIGIE_CRASH_PYTHON:-}}"
synapse_python="${VIGIE_SYNAPSE_PYTHON:-${VIGIE_BENCH_PYTHON:-}}"
if [[ -z "$synapse_python" ]] && has "$root/target/test-python/bin/python" synapse; then
    synapse_python="$root/target/test-python/bin/python"
fi
if [[ -z "$python" || -z "$synapse_python" ]]; then
    venv="$root/bench/out/matrix-venv"
    packages=(matrix-synapse==1.163.0 "aiohttp>=3.9,<4")
    if [[ ! -f "$venv/.installed" || "$(cat "$venv/.installed")" != "${packages[*]}" ]]; then
        echo "creating $venv with ${packages[*]} from PyPI ..."
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"
        printf '%s' "${packages[*]}" >"$venv/.installed"
    fi
    python="${python:-$venv/bin/python}"
    synapse_python="${synapse_python:-$venv/bin/python}"
fi
if ! has "$python" aiohttp; then
    echo "$python has no aiohttp (set VIGIE_CRASH_PYTHON)" >&2
    exit 2
fi
if ! has "$synapse_python" synapse; then
    echo "$synapse_python has no matrix-synapse (set VIGIE_SYNAPSE_PYTHON)" >&2
    exit 2
fi
if [[ "$scenario" == replicas ]] && ! command -v psql >/dev/null; then
    echo "the replicas scenario needs psql (the PostgreSQL client)" >&2
    exit 2
fi

exec "$python" "$here/crash.py" "$scenario" --vigie "$vigie" --synapse-python "$synapse_python" \
    --out "$root/bench/out/crash" "${args[@]}"
