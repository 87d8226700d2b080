#!/usr/bin/env python3
"""Counts a BLT file with Python's pref_voting, timing each step, for bench/tally/run.sh.

usage: pref_voting_count.py FILE [SEATS] [--no-stv]

Reads the ballots (one complete ranking per line, as generate.py writes them), aggregates
identical rankings with their counts, builds a pref_voting `Profile` (linear orders; it
computes the pairwise tally as it is built), then times Schulze (`beat_path`, Floyd-Warshall;
pref_voting's name for the Schulze rule), instant runoff (`instant_runoff`) and Scottish STV
(`stv_scottish`, SSI 2007/42, 5 decimal places). Prints one JSON object: the seconds of each
step and each method's winners (1-based candidate numbers, as in the BLT file).
"""

import json
import sys
import time
from collections import Counter

from pref_voting.iterative_methods import instant_runoff
from pref_voting.margin_based_methods import beat_path
from pref_voting.profiles import Profile
from pref_voting.proportional_methods import stv_scottish


def read_blt(path: str) -> tuple[int, int, Counter]:
    """The candidates, seats and the weight of each distinct ranking (0-based)."""
    counts: Counter = Counter()
    with open(path, encoding="utf-8") as f:
        ncand, seats = map(int, f.readline().split())
        for line in f:
            fields = line.split()
            if fields == ["0"]:
                break
            weight, prefs = int(fields[0]), fields[1:-1]
            counts[tuple(int(c) - 1 for c in prefs)] += weight
    return ncand, seats, counts


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--no-stv"]
    path = args[0]
    t0 = time.perf_counter()
    ncand, seats, counts = read_blt(path)
    seats = int(args[1]) if len(args) > 1 else seats
    t1 = time.perf_counter()
    rankings = list(counts.keys())
    profile = Profile(rankings, rcounts=[counts[r] for r in rankings])
    t2 = time.perf_counter()
    result = {
        "ballots": sum(counts.values()),
        "distinct": len(counts),
        "candidates": ncand,
        "read_and_aggregate_s": t1 - t0,
        "profile_s": t2 - t1,
    }
    methods = [
        ("schulze", lambda: beat_path(profile)),
        ("irv", lambda: instant_runoff(profile)),
        ("stv", lambda: stv_scottish(profile, num_seats=seats)),
    ]
    if "--no-stv" in sys.argv:
        methods.pop()
    for key, method in methods:
        start = time.perf_counter()
        winners = method()
        result[f"{key}_s"] = time.perf_counter() - start
        result[f"{key}_winners"] = sorted(int(c) + 1 for c in winners)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
