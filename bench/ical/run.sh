#!/usr/bin/env bash
# Benchmarks Vigie's iCalendar reader against Python's `icalendar` package on a generated
# calendar of at least 50 MB. Everything it makes goes under bench/out/ (git-ignored).
#
# usage: bench/ical/run.sh [MEGABYTES]    (default 55)
#
# It prints the file size, the wall-clock time of each reader (whole process: start-up, reading
# the file, parsing), the Rust reader's own MB/s, and the ratio. Target: Rust >= 20x faster.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/out"
size_mb="${1:-55}"
ics="$out/ical-bench-${size_mb}MB.ics"
mkdir -p "$out"

if [[ ! -s "$ics" ]]; then
    echo "generating $ics ..."
    python3 "$here/generate.py" "$ics" "$size_mb"
fi

echo "building the Rust reader (release) ..."
(cd "$root" && cargo build --quiet --release -p vigie-feeds --example ical_read)
rust_bin="$(cd "$root" && cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/examples/ical_read"

venv="$out/venv"
if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating $venv with icalendar from PyPI ..."
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "icalendar==7.3.0"
fi

now() { python3 -c 'import time; print(time.perf_counter())'; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }

bytes=$(stat -c %s "$ics")
echo
echo "file: $ics ($(python3 -c "print(f'{$bytes / 1e6:.1f}')") MB)"

echo "-- Rust: vigie_feeds::ical::read (expands recurrences, applies overrides)"
t0=$(now)
"$rust_bin" "$ics" --quiet
t1=$(now)
rust_s=$(elapsed "$t0" "$t1")

echo "-- Python: icalendar $("$venv/bin/python" -c 'import icalendar; print(icalendar.__version__)') (parse, walk VEVENTs, read DTSTART and SUMMARY)"
t0=$(now)
"$venv/bin/python" "$here/read_icalendar.py" "$ics"
t1=$(now)
python_s=$(elapsed "$t0" "$t1")

echo
python3 - "$bytes" "$rust_s" "$python_s" <<'PY'
import sys
size, rust, python = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"size {size / 1e6:.1f} MB | Rust {rust:.3f} s ({size / 1e6 / rust:.1f} MB/s end to end) | "
      f"Python icalendar {python:.3f} s | Rust is {python / rust:.1f}x faster (target >= 20x)")
PY
