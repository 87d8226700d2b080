#!/usr/bin/env python3
"""Benchmarks of Vigie on Matrix, against a throw-away Synapse on 127.0.0.1.

usage:
  bench.py latency --vigie BIN --synapse-python PY [--users 20] [--rooms 20] [--rate 200]
                   [--duration 60] [--synapse-database postgres|sqlite] [--pin]
                   [--others-nice N] [--out DIR]
  bench.py rss     --vigie BIN --synapse-python PY [--rooms 100] [--out DIR]

latency: USERS people send commands to Vigie in ROOMS rooms (people are spread over the rooms),
  RATE commands per second in all, for DURATION seconds, on an open-loop schedule (a slow send
  does not delay the next one). Vigie logs, for every reply, `latency_us`: the time from the
  command event coming out of a sync to the reply being handed to the SDK's `room.send`
  (waiting in the room's queue included), and `send_us`: how long the send then took (waiting
  for one of Vigie's send slots, and the homeserver accepting the reply). The report gives
  p50/p90/p99/max of both over every command of the run (warm-up excluded), with how many
  commands were sent and answered. On a small machine Synapse (one Python process) is usually
  the limit: the report says how many commands per second it actually accepted.
  Synapse runs on SQLite by default (`--synapse-database postgres` for PostgreSQL; on a 2-core
  machine it accepted fewer commands per second, its database processes taking CPU too).
  `--others-nice N` runs the homeserver (with its database processes) and the load at a lower
  priority, and `--pin` on other CPUs than Vigie, so that Vigie's figures are its own, as they
  would be with the homeserver on another machine.

rss: one person invites Vigie to ROOMS rooms; once Vigie has joined them all and its memory
  has settled (VmRSS steady for 10 s), the report gives VmRSS from /proc/PID/status, before
  and after the joins.

Both write everything under --out (default bench/out/matrix): Synapse's folder, Vigie's
config.toml, store and JSON log (vigie.log). run.sh builds Vigie in release mode and prepares
the Python environment; use it rather than this script directly.
"""

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time

import homeserver
from homeserver import PASSWORD, Account, Synapse

COMMANDS = ["!vigie windows", "!vigie help", "/feeds", "!vigie member KE", "/subscriptions",
            "!vigie calendar KE", "/windows europe", "!vigie help window claim"]


class Vigie:
    """`vigie run` with a [matrix] section, logging JSON to vigie.log."""

    def __init__(self, binary, out, synapse_url, bot, cpus=None):
        self.dir = os.path.join(out, "vigie")
        os.makedirs(self.dir, exist_ok=True)
        self.log_path = os.path.join(self.dir, "vigie.log")
        with open(os.path.join(self.dir, "config.toml"), "w") as f:
            f.write(CONFIG.format(url=synapse_url, bot=bot))
        env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
        env["VIGIE_MATRIX__PASSWORD"] = PASSWORD
        self.process = subprocess.Popen(
            [binary, "run"], cwd=self.dir, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w"),
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
        self._offset = 0
        self.records = []

    def poll_log(self):
        """Reads the log lines written since the last call; returns the new records."""
        with open(self.log_path, "rb") as f:
            f.seek(self._offset)
            data = f.read()
        complete = data[: data.rfind(b"\n") + 1]
        self._offset += len(complete)
        new = []
        for line in complete.decode("utf-8", "replace").splitlines():
            try:
                new.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        self.records.extend(new)
        return new

    def count(self, message):
        self.poll_log()
        return sum(1 for r in self.records if r.get("fields", {}).get("message") == message)

    async def wait_for(self, what, condition, timeout=120, fatal=True):
        """Waits until `condition()`; on time-out, exits (or returns False if not `fatal`)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                sys.exit(f"vigie exited while waiting for {what}; see {self.log_path}")
            if time.monotonic() > deadline:
                if not fatal:
                    print(f"no {what} within {timeout} s", file=sys.stderr)
                    return False
                sys.exit(f"no {what} within {timeout} s; see {self.log_path}")
            await asyncio.sleep(0.2)
        return True

    def rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


CONFIG = """
[storage]
url = "sqlite:vigie.db"

[log]
level = "warn,vigie=info,vigie::platform::matrix=debug,matrix_sdk_crypto::backups=error"
format = "json"

[server]
enabled = false

[matrix]
homeserver = "{url}"
user = "{bot}"
store = "matrix-store"
autojoin = [":localhost"]

[[feeds]]
name = "parlgov"
kind = "parlgov"
source = "bundled:parlgov"

[[feeds]]
name = "ogp-members"
kind = "members-csv"
source = "bundled:ogp-members.csv"

[[feeds]]
name = "elections"
kind = "events-csv"
source = "bundled:elections.csv"
"""


async def start(args, http, synapse):
    bot = await Account.register(http, synapse.url, "vigie", login=False)
    vigie = Vigie(args.vigie, args.out, synapse.url, bot.user_id, cpus=vigie_cpus(args))
    return bot, vigie


def vigie_cpus(args):
    """With --pin, the CPU Vigie runs on (the first one this script may use); otherwise None."""
    return {min(args.cpus)} if args.pin else None


def other_cpus(args):
    """With --pin, the CPUs Synapse and the load run on (all but Vigie's); otherwise None."""
    if not args.pin:
        return None
    others = args.cpus - vigie_cpus(args)
    if not others:
        sys.exit("--pin needs at least 2 CPUs")
    return others


def others_follow(args, synapse):
    """Gives the homeserver's database processes (PostgreSQL backends) the homeserver's nice
    level and CPUs; they connect as Synapse needs them, so this is repeated before the load."""
    for pid in synapse.database_pids():
        try:
            if args.others_nice:
                os.setpriority(os.PRIO_PROCESS, pid, args.others_nice)
            if args.pin:
                os.sched_setaffinity(pid, other_cpus(args))
        except OSError as e:
            print(f"the database process {pid} keeps its priority and CPUs: {e}", file=sys.stderr)


def new_synapse(args):
    synapse = Synapse(args.synapse_python, os.path.join(args.out, "synapse"),
                      database=args.synapse_database, cpus=other_cpus(args))
    if args.pin:
        os.sched_setaffinity(0, other_cpus(args))
        print(f"Vigie runs on CPU {sorted(vigie_cpus(args))}, Synapse ({args.synapse_database}) "
              f"and the load on CPUs {sorted(other_cpus(args))}", flush=True)
    return synapse


async def listening(vigie):
    await vigie.wait_for("Matrix listening", lambda: vigie.count("Matrix: listening for commands") > 0)


async def latency(args):
    synapse = new_synapse(args)
    vigie = None
    async with homeserver.session() as http:
        try:
            bot, vigie = await start(args, http, synapse)
            await listening(vigie)
            if args.others_nice:
                # Vigie is measured, not the homeserver or the load: on a small machine that
                # runs all three, they yield the CPU to it, as they would run elsewhere in
                # production.
                for pid in (synapse.process.pid, os.getpid()):
                    os.setpriority(os.PRIO_PROCESS, pid, args.others_nice)
                print(f"Synapse and the load generator run at nice {args.others_nice}", flush=True)
            others_follow(args, synapse)
            people = await asyncio.gather(*(
                Account.register(http, synapse.url, f"person{i}") for i in range(args.users)))
            rooms = []
            for r in range(args.rooms):
                members = people[r::args.rooms]
                room = await members[0].create_room([bot.user_id] + [p.user_id for p in members[1:]])
                await asyncio.gather(*(p.api("POST", f"/join/{room}", {}) for p in members[1:]))
                rooms.append(room)
            joined = lambda: vigie.count("joined a room on invitation") >= args.rooms
            await vigie.wait_for(f"Vigie in {args.rooms} rooms", joined)

            # Warm-up: one command per room, all answered before the clock starts.
            await asyncio.gather(*(people[r].send_text(room, "!vigie help")
                                   for r, room in enumerate(rooms)))
            answered = lambda n: (lambda: vigie.count("command answered") >= n)
            await vigie.wait_for("warm-up replies", answered(args.rooms))
            warm = vigie.count("command answered")

            others_follow(args, synapse)
            print(f"sending {args.rate}/s for {args.duration} s from {args.users} people "
                  f"in {args.rooms} rooms ...", flush=True)
            sent, failed = await load(args, people, rooms)
            await vigie.wait_for("all replies", answered(warm + sent), timeout=180, fatal=False)
            vigie.stop()
            report_latency(args, vigie, warm, sent, failed)
        finally:
            if vigie:
                vigie.stop()
            synapse.stop()


async def load(args, people, rooms):
    """Open loop: person u sends at t0 + (k + u/U) * U/RATE; each send is its own task."""
    interval = args.users / args.rate
    start = time.monotonic() + 0.5
    tasks = []

    async def send(person, room, text):
        try:
            await person.send_text(room, text)
            return True
        except Exception as e:  # noqa: BLE001 - counted and reported
            print(f"send failed: {e}", file=sys.stderr)
            return False

    async def person_loop(u, person):
        room = rooms[u % args.rooms]
        k = 0
        while True:
            at = start + (k + u / args.users) * interval
            if at >= start + args.duration:
                return
            delay = at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(person, room, COMMANDS[(u + k) % len(COMMANDS)])))
            k += 1

    await asyncio.gather(*(person_loop(u, p) for u, p in enumerate(people)))
    results = await asyncio.gather(*tasks)
    elapsed = time.monotonic() - start
    ok = sum(results)
    print(f"sent {ok} commands in {elapsed:.1f} s ({ok / elapsed:.0f}/s), "
          f"{len(results) - ok} sends failed", flush=True)
    return ok, len(results) - ok


def report_latency(args, vigie, warm, sent, failed):
    vigie.poll_log()
    answered = [r["fields"] for r in vigie.records
                if r.get("fields", {}).get("message") == "command answered"][warm:]
    latencies = sorted(f["latency_us"] for f in answered)
    if not latencies:
        sys.exit("no command answered")

    by_command = {}
    for f in answered:
        by_command.setdefault(f["command"], []).append(f["latency_us"])
    print(f"answered {len(latencies)} of {sent} commands sent ({failed} sends failed)")
    print(f"latency_us (command event handled -> reply handed to room.send), ms: "
          f"{percentiles(latencies)}")
    for part, what in (("queued_us", "waiting in the room's queue"),
                       ("record_us", "recording the event id"),
                       ("caller_us", "looking up the caller's power level"),
                       ("handle_us", "running the command and rendering the reply")):
        values = sorted(f.get(part, 0) for f in answered)
        print(f"  {part} ({what}), ms: {percentiles(values)}")
    print(f"send_us (a send slot, then the homeserver accepting the reply), ms: "
          f"{percentiles(sorted(f['send_us'] for f in answered))}")
    for command, values in sorted(by_command.items()):
        print(f"  {command:<14} n={len(values):<6} median {statistics.median(values) / 1000:.2f} ms")
    print(f"log: {vigie.log_path}")


def percentiles(values):
    """p50, p90, p99 and max of sorted microseconds, in milliseconds."""
    def at(p):
        return values[min(len(values) - 1, int(p / 100 * len(values)))] / 1000
    return f"p50 {at(50):.2f} | p90 {at(90):.2f} | p99 {at(99):.2f} | max {values[-1] / 1000:.2f}"


async def rss(args):
    synapse = new_synapse(args)
    vigie = None
    async with homeserver.session() as http:
        try:
            bot, vigie = await start(args, http, synapse)
            await listening(vigie)
            owner = await Account.register(http, synapse.url, "owner")
            before = await settled_rss(vigie)
            for first in range(0, args.rooms, 10):
                await asyncio.gather(*(owner.create_room([bot.user_id])
                                       for _ in range(first, min(first + 10, args.rooms))))
            joined = lambda: vigie.count("joined a room on invitation") >= args.rooms
            await vigie.wait_for(f"Vigie in {args.rooms} rooms", joined, timeout=300)
            after = await settled_rss(vigie)
            print(f"VmRSS before joining: {before / 1024:.1f} MiB")
            print(f"VmRSS joined to {args.rooms} rooms, idle: {after / 1024:.1f} MiB "
                  f"({(after - before) / args.rooms:.0f} KiB per room)")
            print(memory_breakdown(vigie.process.pid))
        finally:
            if vigie:
                vigie.stop()
            synapse.stop()


def memory_breakdown(pid):
    """Where the resident set is: anonymous or file-backed (/proc/PID/status), and the largest
    mappings (/proc/PID/smaps), so a change can be aimed at the part that grew."""
    status = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("RssAnon", "RssFile", "RssShmem", "Threads"):
                status[key] = value.strip()
    mappings, current = {}, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if "-" in fields[0] and len(fields) >= 5 and not fields[0].endswith(":"):
                name = fields[5] if len(fields) > 5 else "[anonymous]"
                current = f"{name} {fields[1]}"
            elif fields[0] == "Rss:" and current:
                mappings[current] = mappings.get(current, 0) + int(fields[1])
    top = sorted(mappings.items(), key=lambda kv: -kv[1])[:8]
    lines = [", ".join(f"{k} {v}" for k, v in status.items())]
    lines += [f"  {kib / 1024:6.1f} MiB  {name}" for name, kib in top]
    return "\n".join(lines)


async def settled_rss(vigie, window=10, tolerance=0.02, timeout=180):
    """VmRSS once it stayed within `tolerance` for `window` one-second samples."""
    samples = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        samples.append(vigie.rss_kib())
        recent = samples[-window:]
        if len(recent) == window and max(recent) - min(recent) <= tolerance * max(recent):
            return recent[-1]
        await asyncio.sleep(1)
    print("VmRSS did not settle; reporting the last sample", file=sys.stderr)
    return samples[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", choices=["latency", "rss"])
    parser.add_argument("--vigie", required=True, help="the vigie binary (release build)")
    parser.add_argument("--synapse-python", required=True, help="a Python with matrix-synapse")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../out/matrix"))
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--others-nice", type=int, default=0,
                        help="latency: run Synapse and the load generator at this nice level")
    parser.add_argument("--synapse-database", choices=["postgres", "sqlite"], default="sqlite",
                        help="Synapse's database (PostgreSQL: PGHOST/PGPORT/PGUSER, "
                             "default 127.0.0.1:5432 as postgres)")
    parser.add_argument("--pin", action="store_true",
                        help="run Vigie on one CPU and Synapse and the load on the others")
    parser.add_argument("--rooms", type=int, default=None, help="default: 20 (latency), 100 (rss)")
    parser.add_argument("--rate", type=float, default=200, help="commands per second in all")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    args = parser.parse_args()
    args.out = os.path.abspath(args.out)
    args.vigie = os.path.abspath(args.vigie)
    args.cpus = os.sched_getaffinity(0)
    if os.sep in args.synapse_python:
        args.synapse_python = os.path.abspath(args.synapse_python)
    if args.rooms is None:
        args.rooms = 20 if args.scenario == "latency" else 100
    args.rooms = max(1, min(args.rooms, args.users)) if args.scenario == "latency" else args.rooms
    if os.path.exists(args.out):
        subprocess.run(["rm", "-rf", args.out], check=True)
    os.makedirs(args.out)
    asyncio.run(latency(args) if args.scenario == "latency" else rss(args))


if __name__ == "__main__":
    main()
