#!/usr/bin/env python3
"""Writes a large, realistic iCalendar file for benchmarking the reader.

usage: generate.py OUT [MEGABYTES]   (default 55)

The mix follows real exports: a VTIMEZONE per zone used, then events with folded lines
(75 octets), escaped text, DATE and DATE-TIME values (TZID-zoned, some UTC), X- properties,
some weekly RRULEs with a bounded COUNT, EXDATEs, and RECURRENCE-ID overrides of
some of those rules. Deterministic: the same size gives the same bytes.
"""

import datetime
import random
import sys

ZONES = {
    "Europe/Paris": ("+0100", "+0200"),
    "Europe/London": ("+0000", "+0100"),
    "America/New_York": ("-0500", "-0400"),
    "Africa/Nairobi": ("+0300", "+0300"),
    "Asia/Tokyo": ("+0900", "+0900"),
    "America/Mexico_City": ("-0600", "-0600"),
}
WORDS = (
    "election parliament referendum runoff ballot constituency commission vote seats "
    "assembly president cabinet formation coalition national regional municipal review "
    "plan action open government partnership co-creation civil society report"
).split()
PLACES = ["Paris", "London", "Nairobi", "Tokyo", "Ciudad de México", "Ljubljana", "Dublin", "Ankara"]
KINDS = ["legislative", "presidential", "regional", "local", "referendum", "ogp-deadline"]
JURISDICTIONS = ["FR", "GB", "KE", "JP", "MX", "SI", "IE", "TR"]


def fold(line: str) -> str:
    """Folds a content line at 75 octets, never inside a UTF-8 sequence."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    out, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        out.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(out) + "\r\n"


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def vtimezone(tzid: str, std: str, dst: str) -> str:
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}"]
    if std != dst:
        lines += ["BEGIN:DAYLIGHT", f"TZOFFSETFROM:{std}", f"TZOFFSETTO:{dst}", "TZNAME:DST",
                  "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT"]
    lines += ["BEGIN:STANDARD", f"TZOFFSETFROM:{dst}", f"TZOFFSETTO:{std}", "TZNAME:STD",
              "DTSTART:19701025T030000", "END:STANDARD", "END:VTIMEZONE"]
    return "".join(line + "\r\n" for line in lines)


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def event(rng: random.Random, i: int) -> str:
    uid = f"{i:08d}-{rng.getrandbits(48):012x}@bench.vigie"
    start = datetime.datetime(rng.randint(2018, 2030), rng.randint(1, 12), rng.randint(1, 28),
                              rng.randint(7, 19), rng.choice([0, 15, 30, 45]))
    zone = rng.choice(list(ZONES))
    kind = rng.random()
    if kind < 0.15:  # all-day
        fmt, prop = "%Y%m%d", ";VALUE=DATE"
        end = f"DTEND;VALUE=DATE:{(start + datetime.timedelta(days=1)):%Y%m%d}"
    elif kind < 0.25:  # UTC
        fmt, prop = "%Y%m%dT%H%M%SZ", ""
        end = f"DTEND:{(start + datetime.timedelta(hours=2)):%Y%m%dT%H%M%SZ}"
    else:  # zoned, with a duration
        fmt, prop = "%Y%m%dT%H%M%S", f";TZID={zone}"
        end = f"DURATION:PT{rng.randint(1, 4)}H"
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20240101T000000Z", f"DTSTART{prop}:{start:{fmt}}", end]
    place = rng.choice(PLACES)
    title = sentence(rng, rng.randint(2, 6)).capitalize()
    lines += [
        f"SUMMARY:{escape(title + ', ' + place + '; ' + rng.choice(KINDS))}",
        f"DESCRIPTION:{escape(chr(10).join(sentence(rng, rng.randint(8, 40)) for _ in range(rng.randint(1, 4))))}",
        f"LOCATION:{escape(place + ', ' + rng.choice(JURISDICTIONS))}",
        f"CATEGORIES:{rng.choice(KINDS)},{rng.choice(WORDS)}",
        f"STATUS:{rng.choice(['CONFIRMED', 'CONFIRMED', 'TENTATIVE', 'CANCELLED'])}",
        f"X-VIGIE-JURISDICTION:{rng.choice(JURISDICTIONS)}",
        f"X-VIGIE-KIND:{rng.choice(KINDS)}",
        "TRANSP:OPAQUE",
        "SEQUENCE:0",
    ]
    overrides = ""
    if rng.random() < 0.06:  # a bounded weekly rule, sometimes with an exception and an override
        lines.append(f"RRULE:FREQ=WEEKLY;COUNT={rng.randint(4, 12)}")
        if rng.random() < 0.5:
            lines.append(f"EXDATE{prop}:{(start + datetime.timedelta(weeks=2)):{fmt}}")
        if rng.random() < 0.5:
            second = start + datetime.timedelta(weeks=1)
            moved = second + datetime.timedelta(days=1)
            overrides = "".join(fold(line) for line in [
                "BEGIN:VEVENT",
                f"UID:{uid}",
                f"RECURRENCE-ID{prop}:{second:{fmt}}",
                f"DTSTART{prop}:{moved:{fmt}}",
                f"SUMMARY:{escape(title)} (moved)",
                "END:VEVENT",
            ])
    lines.append("END:VEVENT")
    return "".join(fold(line) for line in lines) + overrides


def main() -> None:
    out = sys.argv[1]
    target = int(float(sys.argv[2] if len(sys.argv) > 2 else 55) * 1_000_000)
    rng = random.Random(20240101)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Vigie//bench//EN\r\nX-WR-CALNAME:Vigie benchmark\r\n")
        for tzid, (std, dst) in ZONES.items():
            f.write(vtimezone(tzid, std, dst))
        written, i = 0, 0
        while written < target:
            chunk = event(rng, i)
            f.write(chunk)
            written += len(chunk.encode("utf-8"))
            i += 1
        f.write("END:VCALENDAR\r\n")
    print(f"{out}: {i} VEVENTs")


if __name__ == "__main__":
    main()
