#!/usr/bin/env bash
# Benchmarks `vigie tally` against Python's pref_voting on one large generated BLT file:
# 1,000,000 complete rankings of 20 candidates (about 55 MB), written once under bench/out/.
#
# usage: bench/tally/run.sh [BALLOTS] [CANDIDATES] [SEATS]   (default 1000000 20 3; SEATS for STV)
#        TALLY_SKIP_PYTHON_STV=1 bench/tally/run.sh           (pref_voting's STV takes minutes)
#
# Rust: the release binary counts the file three times, each a whole process (start-up,
# reading and parsing the file, counting, writing the transcript): Schulze, IRV, and STV by
# the Scottish rules for SEATS seats. Target: each under 2 s. `--timings` splits each run into
# reading the file, parsing it, counting and writing the result (stderr, kept beside the
# transcript in bench/out/tally-METHOD.timings).
# Python: pref_voting in bench/out/tally-venv; the file is read and identical rankings
# aggregated with their counts, a `Profile` built (which computes the pairwise tally), then
# `beat_path` (Schulze), `instant_runoff` and `stv_scottish` are timed one by one.
# Everything it makes goes under bench/out/ (git-ignored).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/out"
ballots="${1:-1000000}"
candidates="${2:-20}"
seats="${3:-3}"
blt="$out/tally-${ballots}x${candidates}.blt"
mkdir -p "$out"

if [[ ! -s "$blt" ]]; then
    echo "generating $blt ..."
    python3 "$here/generate.py" "$blt" "$ballots" "$candidates"
fi

target="$(cd "$root" && cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
vigie="$target/release/vigie"
echo "building vigie (release; a no-op when target/release/vigie is up to date) ..."
(cd "$root" && cargo build --quiet --release -p vigie)

venv="$out/tally-venv"
if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating $venv with pref_voting from PyPI ..."
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "pref_voting==1.18.2"
fi

now() { python3 -c 'import time; print(time.perf_counter())'; }

# What else the machine is doing skews every figure below: say so.
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
ps -eo pcpu=,comm= --sort=-pcpu 2>/dev/null | awk '$1 >= 20 { printf "busy: %s (%s%% CPU)\n", $2, $1 }' || true

results="$out/tally-results.txt"
: >"$results"
echo
echo "file: $blt ($(python3 -c "import os; print(f'{os.path.getsize(\"$blt\") / 1e6:.1f}')") MB)"
for method in schulze irv stv; do
    extra=()
    [[ "$method" == stv ]] && extra=(--seats "$seats")
    t0=$(now)
    "$vigie" tally "$blt" --method "$method" "${extra[@]}" --timings \
        >"$out/tally-$method.txt" 2>"$out/tally-$method.timings"
    t1=$(now)
    winners="$(sed -n 's/^Winners: //p' "$out/tally-$method.txt")"
    echo "rust $method $t0 $t1 $winners" >>"$results"
    python3 -c "print(f'-- vigie tally --method $method ${extra[*]}: {$t1 - $t0:.3f} s, winners: $winners')"
    cat "$out/tally-$method.timings"
done

echo "-- pref_voting $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("pref_voting"))') (this takes minutes) ..."
python_args=("$blt" "$seats")
if [[ "${TALLY_SKIP_PYTHON_STV:-0}" == 1 ]]; then
    python_args+=(--no-stv)
fi
"$venv/bin/python" "$here/pref_voting_count.py" "${python_args[@]}" >"$out/tally-pref-voting.json"

python3 - "$results" "$out/tally-pref-voting.json" "$out" <<'PY'
import json
import re
import sys

rust = {}
steps = {}
for line in open(sys.argv[1]):
    method, t0, t1, *winners = line.split()[1:]
    rust[method] = (float(t1) - float(t0), " ".join(winners))
    timings = open(f"{sys.argv[3]}/tally-{method}.timings").read()
    steps[method] = {k: float(v) for k, v in re.findall(r"(\w+) ([0-9.]+) s", timings)}
py = json.load(open(sys.argv[2]))
print()
print(f"{py['ballots']} ballots, {py['distinct']} distinct rankings, {py['candidates']} candidates")
print(f"pref_voting: reading + aggregating {py['read_and_aggregate_s']:.2f} s, "
      f"building the Profile (pairwise tally included) {py['profile_s']:.2f} s")
setup = py["read_and_aggregate_s"] + py["profile_s"]
names = {"schulze": "Schulze (beat_path)", "irv": "IRV (instant_runoff)", "stv": "STV Scottish (stv_scottish)"}
print("vigie, inside each run (--timings):")
for method in ("schulze", "irv", "stv"):
    s = steps[method]
    print(f"  {method:<8} read {s['read']:.3f} s, parse {s['parse']:.3f} s, count {s['count']:.3f} s, "
          f"write {s['write']:.3f} s (process {rust[method][0]:.3f} s)")
print("ratio: pref_voting's count alone / vigie's whole run; count ratio: pref_voting's count / vigie's count;")
print("all-in: pref_voting reading, aggregating, building and counting / vigie's whole run")
print(f"{'method':<28} {'vigie (whole run)':>18} {'vigie count':>12} {'pref_voting count':>18} {'+ read & build':>15} "
      f"{'ratio':>8} {'count ratio':>12} {'ratio all-in':>13}")
for method in ("schulze", "irv", "stv"):
    ours, winners = rust[method]
    count = steps[method].get("count", 0.0)
    theirs = py.get(f"{method}_s")
    target = "ok" if ours < 2 else "OVER 2 s"
    if theirs is None:
        print(f"{names[method]:<28} {ours:>16.3f} s {count:>10.3f} s {'not run':>18}   ({target}; vigie: {winners})")
        continue
    total = theirs + setup
    count_ratio = f"{theirs / count:>11.1f}x" if count > 0 else f"{'-':>12}"
    print(f"{names[method]:<28} {ours:>16.3f} s {count:>10.3f} s {theirs:>16.3f} s {total:>13.2f} s "
          f"{theirs / ours:>7.2f}x {count_ratio} {total / ours:>12.1f}x   ({target}; winners vigie: {winners}; "
          f"pref_voting: {py[f'{method}_winners']})")
PY
