#!/usr/bin/env python3
"""Crash tests of Vigie's alert delivery against a throw-away Synapse: every alert message
reaches its room exactly once, counted from the homeserver as the room's member sees it.

usage:
  crash.py crash    --vigie BIN --synapse-python PY [--kills 20] [--rooms 10] [--seed N] [--out DIR]
  crash.py replicas --vigie BIN --synapse-python PY [--kills 6] [--rooms 10] [--seed N] [--out DIR]
                    [--devices 1|2] [--postgres postgres://postgres@127.0.0.1:5432]
  crash.py fanout   --vigie BIN --synapse-python PY [--rooms 100] [--windows 100] [--rate 20]
                    [--burst 20] [--seed N] [--out DIR]

crash: one Vigie on SQLite routes the open and closing windows (the bundled data plus one
  synthetic election per country: some 280) to ROOMS rooms by country, one message per window.
  It is started on the same database and Matrix store again and again and killed with SIGKILL
  until KILLS kills have landed while it was delivering (a kill before its sender leased
  anything does not count): every other time 0.2 to 3 s (at random) after its sender began
  delivering, the others right after Synapse accepted a message (see below). Each start waits
  until some message can be leased (a killed sender's leases expire after 60 s). Then a last
  Vigie delivers the rest; the test waits for the outbox to empty and the rooms to settle, and
  counts the messages in each room from the homeserver (/messages as the rooms' member reads
  them) against the outbox: lost and duplicated must be 0. The firing windows listed by
  `vigie windows --json` give the same set, independently of the outbox.

replicas: two Vigies on one PostgreSQL database (a fresh one), the first leading: only the
  leader of `chat:matrix` connects to Matrix; the other evaluates and queues, and stands by.
  KILLS times, the leader is killed with SIGKILL while it delivers; the failover time is from
  the kill to the first message the other replica delivers (its homeserver timestamp), and the
  killed replica is started again as the follower. Then lost and duplicated, as above.
  With --devices 1 (the default) the second replica's store folder is a copy of the first's
  after its first login: one device, whose transaction ids deduplicate a re-send. With
  --devices 2 each replica logs in on its own (two devices of one account): Synapse scopes
  transaction ids to a device, so a message the dead leader got accepted but not recorded is
  found by the new leader in the room's history (its outbox id is in its content) and not sent
  again.

fanout: one Vigie on SQLite delivers every window of a synthetic feed (WINDOWS elections) to
  each of ROOMS rooms (100 x 100 = 10,000 messages) while Synapse rate-limits Vigie's account
  (admin API override_ratelimit: RATE messages a second, bursts of BURST). Every message must be
  in its room once, counted from the homeserver; the delivery throughput is the messages over
  the span between the first and the last one's homeserver timestamps.

Every other kill (both scenarios) is made at the worst moment by a proxy between Vigie and
Synapse: right after Synapse accepted an outbox message and before its answer reaches Vigie.
The report counts the messages that were in their room while the outbox still had them leased
(`resent`): each must be in its room once.

Everything goes under --out (default bench/out/crash): Synapse's folder, Vigie's folders with
config.toml, stores and one JSON log per process (vigie-N.log), and report.json.
Exit status: 0 when nothing was lost or duplicated, 1 otherwise, 2 when the setup failed.
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse

import world
from world import (PostgresOutbox, Processes, Proxy, SqliteOutbox, Synapse, Vigie, compare, deliverable_at,
                   fail, log, owned_by, states, undelivered)

#: How long one Vigie may take to start delivering.
START_TIMEOUT = 90
#: How long the last Vigie may take to deliver everything.
DRAIN_TIMEOUT = 1200


# --- crash -----------------------------------------------------------------------------------

async def crash(args):
    rng = random.Random(args.seed)
    synapse = Synapse(args.synapse_python, os.path.join(args.out, "synapse"))
    processes = Processes()
    proxy = None
    began = time.monotonic()
    try:
        async with world.homeserver.session() as http:
            proxy = await Proxy(synapse.url, os.path.join(args.out, "proxy.log")).start()
            alice, bot, rooms = await world.make_rooms(http, synapse, args.rooms)
            folder = os.path.join(args.out, "vigie")
            os.makedirs(folder)
            world.synthetic_elections(os.path.join(folder, "synthetic.csv"), args.seed)
            routes = world.write_config(folder, "sqlite:vigie.db", proxy.url, bot.user_id,
                                        rooms, "synthetic.csv")
            outbox = SqliteOutbox(os.path.join(folder, "vigie.db"))
            n = 0

            def start(alerts=True):
                nonlocal n
                env = {} if alerts else {"VIGIE_ALERTS__ENABLED": "false"}
                v = Vigie(args.vigie, folder, os.path.join(folder, f"vigie-{n}.log"), env)
                n += 1
                return processes.add(v)

            log(f"warm-up: Vigie syncs the feeds and joins {len(rooms)} rooms (alerts off) ...")
            await world.warm_up(start(alerts=False), alice, bot, rooms)

            log(f"killing Vigie {args.kills} times while it delivers ...")
            kills = []
            crash_began = time.monotonic()
            # A kill before anything was leased (Vigie still starting up, or the messages not
            # queued yet) is a crash too, but not one while delivering: it does not count.
            while_delivering = 0
            k = -1
            while while_delivering < args.kills and len(kills) < 2 * args.kills:
                k += 1
                rows = outbox.rows()
                if rows and not undelivered(rows):
                    log(f"everything was delivered after {k} kills; no more to kill during")
                    break
                at = deliverable_at(rows) if rows else None
                if at is not None and at > time.time():
                    # Every waiting message is leased by a killed sender: wait for a lease to end.
                    await asyncio.sleep(at - time.time() + 0.2)
                vigie = start()
                # Every other kill comes at the worst moment: right after Synapse accepted a
                # message, before Vigie hears of it. The others at a random moment.
                mode = "after-send" if k % 2 == 1 else "timer"
                if mode == "after-send":
                    sends = rng.randint(1, 6)
                    trap = proxy.arm(vigie, sends)
                lead = await vigie.wait_for(
                    "the sender leading", lambda: vigie.leading("outbox:matrix"), START_TIMEOUT)
                if mode == "after-send":
                    try:
                        await asyncio.wait_for(trap["fired"].wait(), START_TIMEOUT)
                    except asyncio.TimeoutError:
                        fail(f"Vigie sent no {sends} messages within {START_TIMEOUT} s; see {vigie.log_path}")
                    when = f"after Synapse accepted its message {sends} (outbox id {trap['id']})"
                    delay = time.time() - lead
                else:
                    delay = rng.uniform(0.2, 3.0)
                    await asyncio.sleep(max(0.0, lead + delay - time.time()))
                    when = f"{delay:.2f} s after it led the sender"
                vigie.kill()
                rows = outbox.rows()
                sent = sum(1 for r in rows if r["state"] == "sent" and owned_by(r, vigie.pid))
                stranded = [r for r in rows if r["state"] == "leased" and owned_by(r, vigie.pid)]
                # Left leased, yet already in its room: to be sent again, deduplicated by Synapse.
                in_room = await already_delivered(alice, bot, stranded)
                kills.append({
                    "pid": vigie.pid, "mode": mode, "to_lead_s": round(lead - vigie.started, 3),
                    "delay_s": round(delay, 3), "delivered": sent, "leased_at_kill": len(stranded),
                    "delivered_unrecorded": in_room,
                    "undelivered_after": len(undelivered(rows)), "outbox": states(rows),
                })
                if sent or stranded:
                    while_delivering += 1
                log(f"kill {k + 1:>2}: pid {vigie.pid} {when} ({lead - vigie.started:.2f} s from "
                    f"start to leading): it delivered {sent}, left {len(stranded)} leased "
                    f"({len(in_room)} of them already in their room); outbox {states(rows)}")
            crash_time = time.monotonic() - crash_began
            if while_delivering < args.kills:
                log(f"only {while_delivering} of the kills came while Vigie was delivering")

            log("a last Vigie delivers the rest ...")
            last = start()
            drain_began = time.monotonic()

            def drained():
                rows = outbox.rows()
                return rows and not undelivered(rows)

            await last.wait_for("an empty outbox", drained, DRAIN_TIMEOUT)
            drain_time = time.monotonic() - drain_began
            view = await world.wait_stable(alice, rooms, bot.user_id)
            last.stop()
            rows = outbox.rows()
            verdict = compare(rows, view)
            cross_count, cross_pairs = world.windows_cross_check(args.vigie, folder, routes)
            queued_pairs = {(r["receiver"].removeprefix("matrix:"), w)
                            for r in rows for w in set(world.WINDOW_ID.findall(r["body_markdown"]))}
            resent = sorted({i for k in kills for i in k["delivered_unrecorded"]})
            report = {
                "scenario": "crash",
                "vigie": args.vigie,
                "seed": args.seed,
                "rooms": len(rooms),
                "kills": len(kills),
                "kills_while_delivering": sum(1 for k in kills if k["delivered"] or k["leased_at_kill"]),
                "kills_after_send": sum(1 for k in kills if k["mode"] == "after-send"),
                "resent_after_crash": len(resent),
                "resent_ids": resent,
                "resent_seen_once": all(
                    once_in_room(rows, view, i) for i in resent),
                "alerts": verdict["expected"],
                "windows_routed": cross_count,
                "windows_match_outbox": cross_pairs == queued_pairs,
                "windows_only": sorted(cross_pairs - queued_pairs)[:50],
                "outbox_only": sorted(queued_pairs - cross_pairs)[:50],
                "outbox_states": states(rows),
                "outbox_max_attempts": max((r["attempts"] for r in rows), default=0),
                "messages_per_room": {room: len(v) for room, v in view.items()},
                **verdict,
                "kill_phase_s": round(crash_time, 1),
                "last_run_drain_s": round(drain_time, 1),
                "duration_s": round(time.monotonic() - began, 1),
                "kill_log": kills,
            }
            return finish(args, report)
    finally:
        processes.stop_all()
        if proxy:
            await proxy.close()
        synapse.stop()


async def already_delivered(person, bot, rows):
    """The ids of the outbox rows whose message is already in their room on the homeserver."""
    rooms = sorted({r["receiver"].removeprefix("matrix:") for r in rows})
    view = await world.homeserver_view(person, rooms, bot.user_id)
    out = []
    for r in rows:
        room = r["receiver"].removeprefix("matrix:")
        windows = set(world.WINDOW_ID.findall(r["body_markdown"]))
        if any(windows == set(world.WINDOW_ID.findall(body)) for _, _, body in view.get(room, [])):
            out.append(r["id"])
    return out


def once_in_room(rows, view, outbox_id):
    """Whether the message of outbox row `outbox_id` is in its room exactly once."""
    row = next(r for r in rows if r["id"] == outbox_id)
    room = row["receiver"].removeprefix("matrix:")
    windows = set(world.WINDOW_ID.findall(row["body_markdown"]))
    return sum(1 for _, _, body in view.get(room, [])
               if set(world.WINDOW_ID.findall(body)) == windows) == 1


# --- fanout ----------------------------------------------------------------------------------

async def fanout(args):
    synapse = Synapse(args.synapse_python, os.path.join(args.out, "synapse"))
    processes = Processes()
    proxy = None
    began = time.monotonic()
    try:
        async with world.homeserver.session() as http:
            proxy = await Proxy(synapse.url, os.path.join(args.out, "proxy.log")).start()
            alice, bot, rooms = await world.make_rooms(http, synapse, args.rooms)
            admin = await world.register_admin(http, synapse, "admin")
            folder = os.path.join(args.out, "vigie")
            os.makedirs(folder)
            elections = world.synthetic_elections(os.path.join(folder, "synthetic.csv"), args.seed,
                                                  count=args.windows)
            world.write_fanout_config(folder, "sqlite:vigie.db", proxy.url, bot.user_id, rooms,
                                      "synthetic.csv")
            outbox = SqliteOutbox(os.path.join(folder, "vigie.db"))
            n = 0

            def start(alerts=True):
                nonlocal n
                env = {} if alerts else {"VIGIE_ALERTS__ENABLED": "false"}
                v = Vigie(args.vigie, folder, os.path.join(folder, f"vigie-{n}.log"), env)
                n += 1
                return processes.add(v)

            log(f"warm-up: Vigie syncs {elections} synthetic elections and joins {len(rooms)} rooms "
                f"(alerts off) ...")
            await world.warm_up(start(alerts=False), alice, bot, rooms)
            await world.rate_limit(admin, bot.user_id, args.rate, args.burst)
            log(f"Synapse rate-limits {bot.user_id} to {args.rate} messages a second "
                f"(bursts of {args.burst}); Vigie delivers ...")
            vigie = start()
            delivery_began = time.monotonic()

            def drained():
                rows = outbox.rows()
                return rows and not undelivered(rows)

            async def progress():
                while True:
                    await asyncio.sleep(30)
                    rows = outbox.rows()
                    log(f"  outbox {states(rows)}; homeserver answers to sends {dict(proxy.answers)}")

            reporter = asyncio.create_task(progress())
            try:
                await vigie.wait_for("an empty outbox", drained, DRAIN_TIMEOUT)
            finally:
                reporter.cancel()
            drain_time = time.monotonic() - delivery_began
            view = await world.wait_stable(alice, rooms, bot.user_id)
            vigie.stop()
            rows = outbox.rows()
            verdict = compare(rows, view)
            stamps = sorted(ts for notices in view.values() for _, ts, _ in notices)
            span = (stamps[-1] - stamps[0]) / 1000 if len(stamps) > 1 else 0.0
            limited = sum(1 for r in rows if r["attempts"] and r["attempts"] > 1)
            report = {
                "scenario": "fanout",
                "vigie": args.vigie,
                "seed": args.seed,
                "rooms": len(rooms),
                "kills": 0,
                "windows": args.windows,
                "rate_limit": {"messages_per_second": args.rate, "burst_count": args.burst},
                "homeserver_answers": {str(k): v for k, v in sorted(proxy.answers.items())},
                "rate_limited_answers": proxy.answers.get(429, 0),
                "rows_leased_more_than_once": limited,
                "alerts": verdict["expected"],
                "windows_routed": verdict["expected_distinct"],
                "windows_match_outbox": True,
                "outbox_states": states(rows),
                "messages_per_room": {room: len(v) for room, v in view.items()},
                **verdict,
                "first_to_last_message_s": round(span, 1),
                "throughput_messages_per_s": round(verdict["seen"] / span, 2) if span else None,
                "start_to_empty_outbox_s": round(drain_time, 1),
                "duration_s": round(time.monotonic() - began, 1),
            }
            return finish(args, report)
    finally:
        processes.stop_all()
        if proxy:
            await proxy.close()
        synapse.stop()


# --- replicas --------------------------------------------------------------------------------

async def replicas(args):
    rng = random.Random(args.seed)
    database = "vigie_bench_replicas"
    base = args.postgres.rstrip("/")
    psql = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", base + "/postgres"]
    for statement in (f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", f"CREATE DATABASE {database}"):
        done = subprocess.run(psql + ["-c", statement], capture_output=True, text=True)
        if done.returncode != 0:
            fail(f"PostgreSQL at {base}: {done.stderr.strip()}")
    outbox = PostgresOutbox(["psql", "-X", "-q"], base + f"/{database}")
    synapse = Synapse(args.synapse_python, os.path.join(args.out, "synapse"))
    processes = Processes()
    proxy = None
    began = time.monotonic()
    try:
        async with world.homeserver.session() as http:
            proxy = await Proxy(synapse.url, os.path.join(args.out, "proxy.log")).start()
            alice, bot, rooms = await world.make_rooms(http, synapse, args.rooms)
            folders = [os.path.join(args.out, name) for name in ("replica-a", "replica-b")]
            routes = None
            for folder in folders:
                os.makedirs(folder)
                world.synthetic_elections(os.path.join(folder, "synthetic.csv"), args.seed)
                routes = world.write_config(folder, f"{base}/{database}", proxy.url, bot.user_id,
                                            rooms, "synthetic.csv")
            counter = {0: 0, 1: 0}

            def start(i, alerts=True):
                env = {} if alerts else {"VIGIE_ALERTS__ENABLED": "false"}
                path = os.path.join(folders[i], f"vigie-{counter[i]}.log")
                counter[i] += 1
                v = Vigie(args.vigie, folders[i], path, env)
                v.name = "ab"[i]
                v.index = i
                return processes.add(v)

            async def standing_by(v):
                # The leads `alerts` and `chat:matrix` are held by the other replica.
                await v.wait_for(f"replica {v.name} standing by",
                                 lambda: all(v.find("another replica leads; standing by", lead=lead)
                                             for lead in ("alerts", "chat:matrix")),
                                 START_TIMEOUT)

            log(f"warm-up: replica a logs in, syncs the feeds and joins {len(rooms)} rooms (alerts off) ...")
            await world.warm_up(start(0, alerts=False), alice, bot, rooms)
            if args.devices == 1:
                # One device for both: replica b's Matrix store is a copy of replica a's.
                shutil.copytree(os.path.join(folders[0], "matrix-store"),
                                os.path.join(folders[1], "matrix-store"))
            else:
                # Replica b logs in on its own, once, before the test: a second device of the
                # same account. (The process that logs in with a password follows the base URL
                # Synapse advertises in its login answer, around the proxy; a restored session
                # keeps to the configured URL.)
                b = start(1, alerts=False)
                await b.wait_for("replica b's login", lambda: b.find("Matrix: listening for commands"),
                                 START_TIMEOUT)
                b.stop()

            leader = start(0)
            await leader.wait_for("replica a leading the sender",
                                  lambda: leader.leading("outbox:matrix"), START_TIMEOUT)
            follower = start(1)
            await standing_by(follower)
            log("replica a leads, replica b stands by")

            failovers = []
            for k in range(args.kills):
                rows = outbox.rows()
                if rows and not undelivered(rows):
                    log(f"everything was delivered before kill {k + 1}; stopping the kills")
                    break
                # Every other kill right after Synapse accepted a message (the follower must send
                # it again, on the same device and transaction id); the others 0.2 to 3 s after
                # the leader delivered something.
                mode = "after-send" if k % 2 == 1 else "timer"
                if mode == "after-send":
                    trap = proxy.arm(leader, rng.randint(1, 6))
                    try:
                        await asyncio.wait_for(trap["fired"].wait(), START_TIMEOUT)
                    except asyncio.TimeoutError:
                        fail(f"the leader sent nothing within {START_TIMEOUT} s; see {leader.log_path}")
                    killed_at = time.time()
                else:
                    await leader.wait_for(
                        "the leader delivering",
                        lambda: any(r["state"] == "sent" and owned_by(r, leader.pid) for r in outbox.rows()),
                        START_TIMEOUT)
                    await asyncio.sleep(rng.uniform(0.2, 3.0))
                    killed_at = time.time()
                    leader.kill()
                after_kill = outbox.rows()
                stranded_rows = [r for r in after_kill if r["state"] == "leased" and owned_by(r, leader.pid)]
                stranded = [r["id"] for r in stranded_rows]
                in_room = await already_delivered(alice, bot, stranded_rows)
                log(f"kill {k + 1}: replica {leader.name} (pid {leader.pid}) killed"
                    + (f" right after Synapse accepted outbox id {trap['id']}" if mode == "after-send" else "")
                    + f", leaving {len(stranded)} messages leased ({len(in_room)} already in their room); "
                    f"outbox {states(after_kill)}")

                def sent_by_follower():
                    found = {r["fields"].get("id")
                             for r in follower.find("message in doubt found in its room: not sent again")}
                    return sorted((r for r in outbox.rows() if r["state"] == "sent"
                                   and owned_by(r, follower.pid) and r["platform_id"]
                                   and r["id"] not in found
                                   and world.parse_time(r["sent_at"]) >= killed_at),
                                  key=lambda r: r["sent_at"])

                # The first message the follower posted itself, not one it found already in its
                # room (posted by the dead leader, perhaps just after the kill).
                first, event_ts = None, None
                deadline = time.monotonic() + START_TIMEOUT
                while first is None:
                    for r in (await follower.wait_for("the follower's first delivery", sent_by_follower,
                                                      START_TIMEOUT))[:50]:
                        ts = await event_time(alice, r)
                        if ts >= killed_at:
                            first, event_ts = r, ts
                            break
                    if first is None:
                        if time.monotonic() > deadline:
                            fail(f"the follower posted nothing within {START_TIMEOUT} s; see {follower.log_path}")
                        await asyncio.sleep(0.2)
                led_at = follower.leading("outbox:matrix")
                entry = {
                    "mode": mode, "killed": leader.name, "killed_pid": leader.pid, "killed_at": killed_at,
                    "follower_leading_after_s": round(led_at - killed_at, 3) if led_at else None,
                    "first_delivery_after_s": round(event_ts - killed_at, 3),
                    "first_delivery_outbox_id": first["id"],
                    "stranded": len(stranded), "delivered_unrecorded": in_room,
                }
                # The dead leader's leases run out (60 s) and a later leader delivers them: timed
                # at the end.
                entry["stranded_ids"] = stranded
                failovers.append(entry)
                log(f"  replica {follower.name} led the sender {entry['follower_leading_after_s']} s "
                    f"after the kill and delivered its first message {entry['first_delivery_after_s']} s "
                    f"after it")
                # The killed replica comes back as the follower.
                leader, follower = follower, start(leader.index)
                await standing_by(follower)

            log("waiting for the outbox to empty ...")

            def drained():
                rows = outbox.rows()
                return rows and not undelivered(rows)

            drain_began = time.monotonic()
            await leader.wait_for("an empty outbox", drained, DRAIN_TIMEOUT)
            drain_time = time.monotonic() - drain_began
            view = await world.wait_stable(alice, rooms, bot.user_id)
            leader.stop()
            follower.stop()
            rows = outbox.rows()
            by_id = {r["id"]: r for r in rows}
            for f in failovers:
                done = [world.parse_time(by_id[i]["sent_at"]) for i in f.pop("stranded_ids")
                        if by_id[i]["sent_at"]]
                if done:
                    f["stranded_delivered_after_s"] = round(max(done) - f["killed_at"], 3)
            verdict = compare(rows, view)
            cross_count, cross_pairs = world.windows_cross_check(args.vigie, folders[0], routes)
            queued_pairs = {(r["receiver"].removeprefix("matrix:"), w)
                            for r in rows for w in set(world.WINDOW_ID.findall(r["body_markdown"]))}
            resent = sorted({i for f in failovers for i in f["delivered_unrecorded"]})
            found = sum(len(v.find("message in doubt found in its room: not sent again")) for v in processes.all)
            report = {
                "scenario": "replicas",
                "found_in_history": found,
                "vigie": args.vigie,
                "devices": args.devices,
                "seed": args.seed,
                "rooms": len(rooms),
                "kills": len(failovers),
                "kills_after_send": sum(1 for f in failovers if f["mode"] == "after-send"),
                "resent_after_crash": len(resent),
                "resent_ids": resent,
                "resent_seen_once": all(once_in_room(rows, view, i) for i in resent),
                "alerts": verdict["expected"],
                "windows_routed": cross_count,
                "windows_match_outbox": cross_pairs == queued_pairs,
                "outbox_states": states(rows),
                "messages_per_room": {room: len(v) for room, v in view.items()},
                **verdict,
                "failovers": failovers,
                "drain_s": round(drain_time, 1),
                "duration_s": round(time.monotonic() - began, 1),
            }
            return finish(args, report)
    finally:
        processes.stop_all()
        if proxy:
            await proxy.close()
        synapse.stop()


async def event_time(person, row):
    """The homeserver's timestamp (Unix time) of the event an outbox row was delivered as."""
    room = row["receiver"].removeprefix("matrix:")
    event = await person.api(
        "GET", f"/rooms/{urllib.parse.quote(room)}/event/{urllib.parse.quote(row['platform_id'])}")
    return event["origin_server_ts"] / 1000


# --- the verdict -----------------------------------------------------------------------------

def finish(args, report):
    path = os.path.join(args.out, "report.json")
    with open(path, "w") as f:
        json.dump(report, f, indent=2, default=list)
    print()
    print(f"scenario          {report['scenario']} ({report['vigie']})")
    print(f"rooms             {report['rooms']}")
    print(f"alerts            {report['alerts']} messages expected (outbox); "
          f"{report['windows_routed']} firing windows routed (vigie windows)")
    print(f"kills             {report['kills']}"
          + (f" ({report['kills_while_delivering']} while delivering)" if "kills_while_delivering" in report else ""))
    if "resent_after_crash" in report:
        print(f"resent            {report['resent_after_crash']} messages were in their room but not "
              f"recorded as sent when Vigie died ({report['kills_after_send']} kills right after a send); "
              f"each is in its room {'once' if report['resent_seen_once'] else 'NOT once'}")
    print(f"seen              {report['seen']} alert messages in the rooms (homeserver)")
    print(f"lost              {report['lost']}")
    print(f"duplicated        {report['duplicated']}")
    if report["queued_twice"] or report["unexpected"] or report["outbox_rows_without_one_window"]:
        print(f"also              queued twice {report['queued_twice']}, unexpected "
              f"{report['unexpected']}, outbox rows not naming one window "
              f"{len(report['outbox_rows_without_one_window'])}")
    if report["scenario"] != "fanout":
        print(f"cross-check       the firing windows listed by `vigie windows` "
              f"{'are' if report['windows_match_outbox'] else 'are NOT'} the windows queued in the outbox")
    if report["scenario"] == "fanout":
        print(f"rate limit        {report['rate_limit']['messages_per_second']} messages/s, bursts of "
              f"{report['rate_limit']['burst_count']}; homeserver answers to sends "
              f"{report['homeserver_answers']} (429: rate-limited)")
        print(f"throughput        {report['throughput_messages_per_s']} messages/s "
              f"({report['seen']} messages, first to last {report['first_to_last_message_s']} s "
              f"on the homeserver; outbox empty {report['start_to_empty_outbox_s']} s after start)")
        print(f"duration          {report['duration_s']} s")
    elif report["scenario"] == "crash":
        print(f"duration          {report['duration_s']} s in all; kills {report['kill_phase_s']} s; "
              f"last run drained in {report['last_run_drain_s']} s")
    else:
        print(f"devices           {report['devices']} Matrix device(s) for the two replicas; "
              f"{report['found_in_history']} messages in doubt found in their room's history "
              f"(sent before by the dead leader) and not sent again")
        for i, f in enumerate(report["failovers"], 1):
            print(f"failover {i}        ({f['mode']}) the follower led {f['follower_leading_after_s']} s "
                  f"and delivered {f['first_delivery_after_s']} s after the kill; the "
                  f"{f['stranded']} messages left leased went out "
                  f"{f.get('stranded_delivered_after_s', '-')} s after it")
        print(f"duration          {report['duration_s']} s")
    print(f"outbox            {report['outbox_states']}")
    print(f"report            {path}")
    bad = report["lost"] or report["duplicated"] or report["queued_twice"] or report["unexpected"]
    return 1 if bad else 0


def stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt  # unwinds through the `finally`s that stop Vigie and Synapse


def main():
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", choices=["crash", "replicas", "fanout"])
    parser.add_argument("--vigie", required=True, help="the vigie binary")
    parser.add_argument("--synapse-python", required=True, help="a Python with matrix-synapse")
    parser.add_argument("--out", default=os.path.join(world.ROOT, "bench", "out", "crash"))
    parser.add_argument("--kills", type=int, default=None, help="default: 20 (crash), 6 (replicas)")
    parser.add_argument("--rooms", type=int, default=None, help="default: 10 (100 for fanout)")
    parser.add_argument("--windows", type=int, default=100,
                        help="fanout: synthetic elections, each one window sent to every room")
    parser.add_argument("--rate", type=int, default=20,
                        help="fanout: messages a second Synapse allows Vigie")
    parser.add_argument("--burst", type=int, default=20, help="fanout: Synapse's burst for Vigie")
    parser.add_argument("--seed", type=int, default=None, help="for the kill delays and election dates")
    parser.add_argument("--devices", type=int, choices=[1, 2], default=1,
                        help="replicas: one Matrix device shared (a copy of the store; the default) "
                             "or each its own login")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432",
                        help="a PostgreSQL server (trust auth) where a fresh database is made")
    args = parser.parse_args()
    args.out = os.path.abspath(os.path.join(args.out, args.scenario))
    args.vigie = os.path.abspath(args.vigie)
    if os.sep in args.synapse_python:
        args.synapse_python = os.path.abspath(args.synapse_python)
    if args.kills is None:
        args.kills = 20 if args.scenario == "crash" else 6
    if args.rooms is None:
        args.rooms = 100 if args.scenario == "fanout" else 10
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1 << 30)
    log(f"seed {args.seed} (--seed {args.seed} repeats the kill delays)")
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    run = {"crash": crash, "replicas": replicas, "fanout": fanout}[args.scenario]
    try:
        status = asyncio.run(run(args))
    except KeyboardInterrupt:
        log("interrupted; Vigie and Synapse stopped")
        status = 130
    sys.exit(status)


if __name__ == "__main__":
    main()
