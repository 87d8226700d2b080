#!/usr/bin/env python3
"""Writes a large BLT ballot file for benchmarking `vigie tally`.

usage: generate.py OUT [BALLOTS] [CANDIDATES]   (default 1000000 20)

The header declares one seat (Schulze and IRV elect one; STV is given --seats).

Every ballot ranks all candidates, one per line with weight 1, drawn from a Plackett-Luce
model (candidate i has popularity 1/(i+1)^0.7, so first preferences are uneven and the
lower ranks close to uniform, as in real long ballots): an order is the candidates sorted
by log(w) + Gumbel noise. Deterministic: the same arguments give the same bytes.
"""

import math
import random
import sys


def main() -> None:
    out = sys.argv[1]
    ballots = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    seats = 1
    rng = random.Random(20240611)
    logw = [-0.7 * math.log(i + 1) for i in range(n)]
    labels = [str(i + 1) for i in range(n)]
    rand, log = rng.random, math.log
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"{n} {seats}\n")
        lines = []
        for b in range(ballots):
            keys = [(logw[i] - log(-log(rand() or 1e-300)), i) for i in range(n)]
            keys.sort(reverse=True)
            lines.append("1 " + " ".join(labels[i] for _, i in keys) + " 0\n")
            if len(lines) == 10_000:
                f.writelines(lines)
                lines.clear()
        f.writelines(lines)
        f.write("0\n")
        for i in range(n):
            f.write(f'"Candidate {i + 1:02d}"\n')
        f.write(f'"Benchmark: {ballots} ranked ballots, {n} candidates"\n')


if __name__ == "__main__":
    main()
