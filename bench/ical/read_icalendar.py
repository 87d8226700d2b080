#!/usr/bin/env python3
"""What a user would otherwise script: parse with the `icalendar` package, then walk the
VEVENTs reading DTSTART and SUMMARY.

usage: read_icalendar.py FILE
"""

import sys
import time

from icalendar import Calendar


def main() -> None:
    path = sys.argv[1]
    with open(path, "rb") as f:
        data = f.read()
    started = time.perf_counter()
    calendar = Calendar.from_ical(data)
    events = 0
    for component in calendar.walk("VEVENT"):
        start = component.get("DTSTART")
        _ = start.dt if start is not None else None
        _ = str(component.get("SUMMARY", ""))
        events += 1
    elapsed = time.perf_counter() - started
    mb = len(data) / 1e6
    print(f"{path}: {mb:.1f} MB read by icalendar in {elapsed:.3f} s = {mb / elapsed:.2f} MB/s: {events} VEVENTs",
          file=sys.stderr)


if __name__ == "__main__":
    main()
