#!/usr/bin/env python3
"""Benchmarks of Vigie on Matrix, against a throw-away Synapse on 127.0.0.1 (or, for latency,
a stand-in homeserver: see --homeserver).

usage:
  bench.py latency --vigie BIN [--homeserver synapse|standin] [--synapse-python PY]
                   [--users 20] [--rooms 20] [--rate 200] [--duration 60]
                   [--synapse-database postgres|sqlite] [--pin] [--others-nice N] [--out DIR]
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

  `--homeserver standin` replaces Synapse with standin.py, a stand-in homeserver in this
  process: just enough of the client-server API for matrix-sdk to log in, sync and send, with
  no database. On a 2-core machine Synapse carries only some 25-30 commands per second with
  their replies, far below the 200/s of the target; the stand-in carries hundreds, so the load
  the target asks for reaches the real, unmodified `vigie`. Its rooms exist from the start with
  Vigie already joined (no invitations), unencrypted as with Synapse; the load is injected into
  the stand-in's event stream directly (same people, rooms, commands and schedule as with
  Synapse, but no HTTP request per command), and each injection wakes Vigie's pending sync at
  once, as Synapse does when it persists an event. Readiness: Vigie's first sync done
  ("Matrix: listening for commands"), then a warm-up command answered in every room. The report
  is the same, plus what the stand-in saw: the replies it received (sends replying to a
  command), and how many syncs carried the commands. `--synapse-python` is not needed.

rss: one person invites Vigie to ROOMS rooms; once Vigie has joined them all and its memory
  has settled (VmRSS steady for 10 s), the report gives VmRSS from /proc/PID/status, before
  and after the joins.

Both write everything under --out (default bench/out/matrix): Synapse's folder, Vigie's
config.toml, store and JSON log (vigie.log; set VIGIE_BENCH_LOG to a tracing filter, e.g.
"warn,vigie=info,vigie::platform::matrix=debug,matrix_sdk=debug", to log more). run.sh builds
Vigie in release mode and prepares the Python environment; use it rather than this script
directly.
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
from standin import StandIn

COMMANDS = ["!vigie windows", "!vigie help", "/feeds", "!vigie member KE", "/subscriptions",
            "!vigie calendar KE", "/windows europe", "!vigie help window claim"]


class Vigie:
    """`vigie run` with a [matrix] section, logging JSON to vigie.log."""

    def __init__(self, binary, out, homeserver_url, bot, cpus=None):
        self.dir = os.path.join(out, "vigie")
        os.makedirs(self.dir, exist_ok=True)
        self.log_path = os.path.join(self.dir, "vigie.log")
        with open(os.path.join(self.dir, "config.toml"), "w") as f:
            f.write(CONFIG.format(url=homeserver_url, bot=bot,
                                  log=os.environ.get("VIGIE_BENCH_LOG", LOG_FILTER)))
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

    def cpu_seconds(self):
        """User and system CPU time Vigie has used so far (/proc/PID/stat)."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

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


# `command answered` (with `latency_us`) is a debug record of vigie::platform::matrix.
LOG_FILTER = "warn,vigie=info,vigie::platform::matrix=debug,matrix_sdk_crypto::backups=error"

CONFIG = """
[storage]
url = "sqlite:vigie.db"

[log]
level = "{log}"
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
    if args.homeserver == "standin":
        return await latency_standin(args)
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


async def open_loop(args, rooms, act):
    """The load's schedule: person u (of USERS) says COMMANDS[(u + k) % len] in room u % ROOMS
    at t0 + (k + u/U) * U/RATE, k = 0, 1, ... for DURATION seconds, by `act(u, room, text)`,
    which must not wait. Returns t0 (time.monotonic())."""
    interval = args.users / args.rate
    start = time.monotonic() + 0.5

    async def person_loop(u):
        room = rooms[u % args.rooms]
        k = 0
        while True:
            at = start + (k + u / args.users) * interval
            if at >= start + args.duration:
                return
            delay = at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            act(u, room, COMMANDS[(u + k) % len(COMMANDS)])
            k += 1

    await asyncio.gather(*(person_loop(u) for u in range(args.users)))
    return start


async def load(args, people, rooms):
    """Open loop (see `open_loop`) through Synapse: each send is its own task, so a slow send
    does not delay the next one."""
    tasks = []

    async def send(person, room, text):
        try:
            await person.send_text(room, text)
            return True
        except Exception as e:  # noqa: BLE001 - counted and reported
            print(f"send failed: {e}", file=sys.stderr)
            return False

    start = await open_loop(args, rooms, lambda u, room, text: tasks.append(
        asyncio.create_task(send(people[u], room, text))))
    results = await asyncio.gather(*tasks)
    elapsed = time.monotonic() - start
    ok = sum(results)
    print(f"sent {ok} commands in {elapsed:.1f} s ({ok / elapsed:.0f}/s), "
          f"{len(results) - ok} sends failed", flush=True)
    return ok, len(results) - ok


async def latency_standin(args):
    """The latency scenario against the stand-in homeserver (standin.py), in this process."""
    bot = "@vigie:localhost"
    server = StandIn({bot: PASSWORD})
    people = [f"@person{i}:localhost" for i in range(args.users)]
    rooms = []
    for r in range(args.rooms):
        members = people[r::args.rooms]
        rooms.append(server.add_room(members[0], members[1:] + [bot]))
    if args.pin:
        os.sched_setaffinity(0, other_cpus(args))
        print(f"Vigie runs on CPU {sorted(vigie_cpus(args))}, the stand-in homeserver and the "
              f"load on CPUs {sorted(other_cpus(args))}", flush=True)
    url = await server.start()
    vigie = Vigie(args.vigie, args.out, url, bot, cpus=vigie_cpus(args))
    try:
        await listening(vigie)
        joined = [r["fields"].get("rooms") for r in vigie.records
                  if r.get("fields", {}).get("message") == "Matrix: listening for commands"]
        if joined and joined[0] != args.rooms:
            print(f"Vigie listens in {joined[0]} rooms, not {args.rooms}", file=sys.stderr)
        if args.others_nice:
            os.setpriority(os.PRIO_PROCESS, os.getpid(), args.others_nice)
            print(f"the stand-in homeserver and the load generator run at nice "
                  f"{args.others_nice}", flush=True)

        # Warm-up: one command per room, all answered before the clock starts (the rooms came
        # joined, so this is also how Vigie is seen to be ready in every one of them).
        warmup = [server.inject(room, people[r], "!vigie help") for r, room in enumerate(rooms)]
        await vigie.wait_for("warm-up replies", lambda: (
            all(e in server.answered for e in warmup)
            and vigie.count("command answered") >= args.rooms))
        warm = vigie.count("command answered")
        syncs, synced = server.syncs, server.synced_events
        cpu_vigie, cpu_here, began = vigie.cpu_seconds(), time.process_time(), time.monotonic()

        print(f"injecting {args.rate}/s for {args.duration} s from {args.users} people "
              f"in {args.rooms} rooms ...", flush=True)
        commands = []
        start = await open_loop(args, rooms, lambda u, room, text: commands.append(
            server.inject(room, people[u], text)))
        elapsed = time.monotonic() - start
        sent = len(commands)
        print(f"injected {sent} commands in {elapsed:.1f} s ({sent / elapsed:.0f}/s)", flush=True)
        replied = lambda: sum(1 for e in commands if e in server.answered)
        await vigie.wait_for("all replies", lambda: (
            len(server.answered) >= len(warmup) + sent
            and vigie.count("command answered") >= warm + sent), timeout=180, fatal=False)
        syncs, synced = server.syncs - syncs, server.synced_events - synced
        wall = time.monotonic() - began
        cpu_vigie, cpu_here = vigie.cpu_seconds() - cpu_vigie, time.process_time() - cpu_here
        vigie.stop()
        report_latency(args, vigie, warm, sent, 0)
        print(f"stand-in: {replied()} of {sent} commands got a reply (answered/sent, counted "
              f"from Vigie's sends); {server.sends} sends in all, warm-up included; "
              f"{syncs} syncs carried {synced} events during the load "
              f"({synced / max(1, syncs):.1f} per sync, Vigie's replies echoed back included); "
              f"{server.limited} room timelines limited")
        print(f"CPU from the load's start to the last reply ({wall:.1f} s): vigie "
              f"{100 * cpu_vigie / wall:.0f}% of a core, the stand-in and the load "
              f"{100 * cpu_here / wall:.0f}% (near 100%, the stand-in would be the limit)")
        if server.unknown:
            print("stand-in: requests it did not know (404 M_UNRECOGNIZED): " + ", ".join(
                f"{m} {p}" for m, p in sorted(server.unknown)))
    finally:
        vigie.stop()
        await server.stop()


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
    parser.add_argument("--homeserver", choices=["synapse", "standin"], default="synapse",
                        help="latency: against Synapse, or the stand-in homeserver (standin.py) "
                             "that carries 200 commands/s and more")
    parser.add_argument("--synapse-python", help="a Python with matrix-synapse (for Synapse)")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../out/matrix"))
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--others-nice", type=int, default=0,
                        help="latency: run the homeserver and the load generator at this "
                             "nice level")
    parser.add_argument("--synapse-database", choices=["postgres", "sqlite"], default="sqlite",
                        help="Synapse's database (PostgreSQL: PGHOST/PGPORT/PGUSER, "
                             "default 127.0.0.1:5432 as postgres)")
    parser.add_argument("--pin", action="store_true",
                        help="run Vigie on one CPU and the homeserver and the load on the "
                             "others")
    parser.add_argument("--rooms", type=int, default=None, help="default: 20 (latency), 100 (rss)")
    parser.add_argument("--rate", type=float, default=200, help="commands per second in all")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    args = parser.parse_args()
    if args.homeserver == "standin" and args.scenario != "latency":
        parser.error("--homeserver standin is for the latency scenario only")
    if args.homeserver == "synapse" and not args.synapse_python:
        parser.error("--synapse-python is needed with Synapse")
    args.out = os.path.abspath(args.out)
    args.vigie = os.path.abspath(args.vigie)
    args.cpus = os.sched_getaffinity(0)
    if args.synapse_python and os.sep in args.synapse_python:
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
