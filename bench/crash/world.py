"""What the crash and replica tests share: a throw-away Synapse with rooms and a person in them,
Vigie's configuration with alert routes to those rooms, `vigie run` processes, Vigie's outbox
read straight from its database (SQLite or PostgreSQL), and the count of what the rooms'
member actually sees on the homeserver.

The homeserver and its client come from bench/matrix/homeserver.py (Synapse on loopback with
rate limits out of the way, unencrypted rooms, aiohttp).
"""

import asyncio
import collections
import csv
import datetime
import io
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench", "matrix"))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

import homeserver  # noqa: E402
from homeserver import PASSWORD, Account, Synapse  # noqa: E402,F401

#: A window id as Vigie writes it in a message (`w-` and 12 hex digits).
WINDOW_ID = re.compile(r"\bw-[0-9a-f]{12}\b")


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def fail(text):
    """Ends the test: the setup, not Vigie, went wrong (exit status 2)."""
    log(f"ERROR: {text}")
    raise SystemExit(2)


# --- data and configuration ----------------------------------------------------------------

def countries():
    """The ISO codes of the countries Vigie knows (data/countries.csv), sorted."""
    with open(os.path.join(ROOT, "data", "countries.csv"), newline="") as f:
        return sorted(row["alpha2"] for row in csv.DictReader(f))


def synthetic_elections(path, seed, count=None):
    """An events-csv feed with one presidential election per country (the first `count`
    countries by code, or all), 20 to 170 days from today: each opens a `pre-election` window
    now (it opens 180 days ahead), so that with the bundled data some 280 windows fire at once.
    Returns how many events it wrote."""
    rng = random.Random(seed)
    today = datetime.date.today()
    with open(os.path.join(ROOT, "data", "countries.csv"), newline="") as f:
        rows = sorted(csv.DictReader(f), key=lambda row: row["alpha2"])
    if count is not None:
        rows = rows[:count]
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "jurisdiction", "kind", "title", "date", "status", "source"])
        for row in rows:
            day = today + datetime.timedelta(days=rng.randint(20, 170))
            out.writerow([f"crash-{row['alpha2'].lower()}", row["alpha2"], "presidential",
                          f"{row['name']}: synthetic presidential election (crash test)",
                          day.isoformat(), "scheduled", "bench/crash"])
    return len(rows)


def country_groups(rooms):
    """The countries dealt round-robin into `rooms` groups: one route per room."""
    codes = countries()
    return [codes[i::rooms] for i in range(rooms)]


CONFIG = """\
[storage]
url = "{storage}"

[log]
level = "warn,vigie=info,vigie::alert=debug"
format = "json"

[server]
enabled = false

[matrix]
homeserver = "{homeserver}"
user = "{bot}"
store = "matrix-store"
autojoin = [":localhost"]

# Each window is its own message (group_by = ["window"]), sent a second after it fires, to one
# room chosen by its country; member-status alerts go nowhere; nothing is inhibited, so the
# messages expected are exactly the open and closing windows.
[alerts]
enabled = true
inhibit = []

[alerts.route]
group_by = ["window"]
group_wait = "1s"
group_interval = "1h"
repeat_interval = "30d"
{routes}
[[feeds]]
name = "parlgov"
kind = "parlgov"
source = "bundled:parlgov"
refresh = "30d"

[[feeds]]
name = "ogp-members"
kind = "members-csv"
source = "bundled:ogp-members.csv"
refresh = "30d"

[[feeds]]
name = "elections"
kind = "events-csv"
source = "bundled:elections.csv"
refresh = "30d"

[[feeds]]
name = "synthetic"
kind = "events-csv"
source = "{synthetic}"
refresh = "30d"
"""


def write_config(folder, storage, homeserver_url, bot, rooms, synthetic):
    """Vigie's config.toml in `folder`; returns the route of each room (its countries)."""
    os.makedirs(folder, exist_ok=True)
    groups = country_groups(len(rooms))
    routes = []
    for room, codes in zip(rooms, groups):
        routes.append(
            "\n[[alerts.route.routes]]\n"
            f"matchers = ['alertname=\"window\"', 'country=~\"{'|'.join(codes)}\"']\n"
            f"receivers = [\"matrix:{room}\"]\n")
    with open(os.path.join(folder, "config.toml"), "w") as f:
        f.write(CONFIG.format(storage=storage, homeserver=homeserver_url, bot=bot,
                              routes="".join(routes), synthetic=synthetic))
    return {f"matrix:{room}": set(codes) for room, codes in zip(rooms, groups)}


FANOUT_CONFIG = """\
[storage]
url = "{storage}"

[log]
level = "warn,vigie=info"
format = "json"

[server]
enabled = false

[matrix]
homeserver = "{homeserver}"
user = "{bot}"
store = "matrix-store"
autojoin = [":localhost"]

# Every window is its own message (group_by = ["window"]) to every room; only the synthetic
# elections feed, so the messages expected are its windows times the rooms.
[alerts]
enabled = true
inhibit = []

[alerts.route]
group_by = ["window"]
group_wait = "1s"
group_interval = "1h"
repeat_interval = "30d"

[[alerts.route.routes]]
matchers = ['alertname="window"']
receivers = [{receivers}]

[[feeds]]
name = "synthetic"
kind = "events-csv"
source = "{synthetic}"
refresh = "30d"
"""


def write_fanout_config(folder, storage, homeserver_url, bot, rooms, synthetic):
    """Vigie's config.toml in `folder` for the fan-out: every window to every room."""
    os.makedirs(folder, exist_ok=True)
    receivers = ", ".join(f'"matrix:{room}"' for room in rooms)
    with open(os.path.join(folder, "config.toml"), "w") as f:
        f.write(FANOUT_CONFIG.format(storage=storage, homeserver=homeserver_url, bot=bot,
                                     receivers=receivers, synthetic=synthetic))


# --- a proxy that kills Vigie at the worst moment ------------------------------------------

#: An outbox message being sent: `PUT …/rooms/{room}/send/m.room.message/vigie-outbox-{id}`.
OUTBOX_SEND = re.compile(r"/send/m\.room\.message/vigie-outbox-(\d+)$")
HOP_BY_HOP = {"host", "connection", "keep-alive", "transfer-encoding", "content-length",
              "content-encoding", "proxy-connection", "te", "trailer", "upgrade"}


class Proxy:
    """Vigie talks to Synapse through this proxy on 127.0.0.1. Armed with [`Proxy.arm`], it
    kills a Vigie with SIGKILL right after Synapse has accepted its n-th outbox message and
    before the answer reaches Vigie: the message is in the room, Vigie's outbox still says it
    is leased. The next sender must send it again with the same transaction id, and Synapse must
    answer with the first event instead of posting a second one."""

    def __init__(self, upstream, log_path):
        self.upstream = upstream.rstrip("/")
        self.log = open(log_path, "a")  # requests Synapse refused, for a person to read
        self.trap = None
        self.caught = []  # outbox ids whose send was accepted, then Vigie killed
        self.answers = collections.Counter()  # outbox sends by the homeserver's answer status

    async def start(self):
        self.http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0), auto_decompress=False,
            timeout=aiohttp.ClientTimeout(total=300))
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        port = homeserver.free_port()
        site = web.TCPSite(self.runner, "127.0.0.1", port)
        await site.start()
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def close(self):
        await self.runner.cleanup()
        await self.http.close()
        self.log.close()

    def arm(self, vigie, sends):
        """Kill `vigie` once Synapse accepted `sends` more outbox messages (from any process:
        only the leading sender sends them)."""
        self.trap = {"vigie": vigie, "left": sends, "fired": asyncio.Event(), "id": None}
        return self.trap

    async def handle(self, request):
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            async with self.http.request(request.method, self.upstream + request.path_qs,
                                         data=body, headers=headers) as answer:
                data = await answer.read()
                status = answer.status
                out_headers = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP}
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            return web.Response(status=502, text=f"proxy: {e}")
        if status >= 400:
            print(f"{time.strftime('%H:%M:%S')} {request.method} {request.path} -> {status} "
                  f"{data[:200].decode('utf-8', 'replace')}", file=self.log, flush=True)
        sent = OUTBOX_SEND.search(request.path)
        if sent:
            self.answers[status] += 1
        trap = self.trap
        if sent and status == 200 and trap and not trap["fired"].is_set():
            trap["left"] -= 1
            if trap["left"] <= 0:
                trap["vigie"].kill()
                trap["id"] = int(sent.group(1))
                self.caught.append(trap["id"])
                trap["fired"].set()
                return web.Response(status=502, text="proxy: Vigie was killed before this answer")
        return web.Response(status=status, body=data, headers=out_headers)


# --- Vigie processes -------------------------------------------------------------------------

class Vigie:
    """One `vigie run` process in `folder`, its JSON log in `log_path`."""

    def __init__(self, binary, folder, log_path, env=None):
        self.folder = folder
        self.log_path = log_path
        environment = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
        environment["VIGIE_MATRIX__PASSWORD"] = PASSWORD
        environment.update(env or {})
        self.started = time.time()
        self._log = open(log_path, "w")
        self.process = subprocess.Popen(
            [binary, "run"], cwd=folder, env=environment, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self._log, start_new_session=True,
        )
        self.pid = self.process.pid
        self._offset = 0
        self.records = []

    def alive(self):
        return self.process.poll() is None

    def poll_log(self):
        """The log records written since the last call (complete lines only)."""
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

    def find(self, message, **fields):
        """The records with this message and these fields, oldest first."""
        self.poll_log()
        out = []
        for r in self.records:
            f = r.get("fields", {})
            if f.get("message") == message and all(f.get(k) == v for k, v in fields.items()):
                out.append(r)
        return out

    def leading(self, lead):
        """When this process started leading `lead` (a Unix time), or None."""
        found = self.find("leading", lead=lead)
        return record_time(found[0]) if found else None

    async def wait_for(self, what, condition, timeout):
        """Waits until `condition()` is true; the test ends when the deadline passes or Vigie
        exits."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if not self.alive():
                fail(f"vigie (pid {self.pid}) exited while waiting for {what}; see {self.log_path}")
            if time.monotonic() > deadline:
                fail(f"no {what} within {timeout:.0f} s; see {self.log_path}")
            await asyncio.sleep(0.1)

    def kill(self):
        """SIGKILL: no chance to finish anything."""
        if self.alive():
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._log.close()

    def stop(self, timeout=30):
        """SIGTERM, and SIGKILL if it does not stop in time."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def record_time(record):
    """A log record's timestamp as Unix time."""
    return parse_time(record["timestamp"])


def parse_time(text):
    """An RFC 3339 timestamp (Vigie's, with up to nine fractional digits) as Unix time."""
    if text is None:
        return None
    text = text.strip().replace("Z", "+00:00")
    match = re.match(r"^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$", text)
    head, fraction, zone = match.groups()
    stamp = datetime.datetime.fromisoformat(head + (zone or "+00:00")).timestamp()
    return stamp + (float("0." + fraction) if fraction else 0.0)


class Processes:
    """Every Vigie started, so that all of them are stopped on the way out, whatever happens."""

    def __init__(self):
        self.all = []

    def add(self, vigie):
        self.all.append(vigie)
        return vigie

    def stop_all(self):
        for v in self.all:
            if v.alive():
                v.kill()


# --- Vigie's outbox, read from its database --------------------------------------------------

COLUMNS = ("id", "receiver", "platform", "reason", "group_key", "state", "attempts",
           "lease_owner", "lease_until", "next_attempt_at", "sent_at", "platform_id",
           "last_error", "body_markdown")


class SqliteOutbox:
    def __init__(self, path):
        self.path = path

    def rows(self):
        if not os.path.exists(self.path):
            return []
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30) as db:
            try:
                cursor = db.execute(f"SELECT {', '.join(COLUMNS)} FROM outbox ORDER BY id")
            except sqlite3.OperationalError as e:
                if "no such table" in str(e):
                    return []
                raise
            return [dict(zip(COLUMNS, row)) for row in cursor]


class PostgresOutbox:
    def __init__(self, psql, database):
        self.psql = psql  # the psql command and connection options, as a list
        self.database = database

    def rows(self):
        query = f"SELECT {', '.join(COLUMNS)} FROM outbox ORDER BY id"
        done = subprocess.run(self.psql + ["-d", self.database, "--csv", "-c", query],
                              capture_output=True, text=True)
        if done.returncode != 0:
            if "does not exist" in done.stderr:
                return []
            raise RuntimeError(f"psql: {done.stderr.strip()}")
        rows = []
        for row in csv.DictReader(io.StringIO(done.stdout)):
            rows.append({k: (None if v == "" and k != "body_markdown" else v) for k, v in row.items()})
        for row in rows:
            row["id"] = int(row["id"])
            row["attempts"] = int(row["attempts"])
        return rows


def undelivered(rows):
    return [r for r in rows if r["state"] in ("pending", "leased")]


def deliverable_at(rows, now=None):
    """When the next undelivered message can be leased: now if one can already, the earliest
    lease expiry or retry time otherwise; None when nothing is waiting."""
    now = time.time() if now is None else now
    times = []
    for r in undelivered(rows):
        if r["state"] == "pending":
            times.append(parse_time(r["next_attempt_at"]))
        else:
            times.append(max(parse_time(r["lease_until"]), parse_time(r["next_attempt_at"])))
    if not times:
        return None
    return max(now, min(times))


def owned_by(row, pid):
    """Whether the outbox row was (last) leased by the sender of process `pid`."""
    owner = row.get("lease_owner") or ""
    return owner.startswith("matrix@") and owner.endswith(f":{pid}")


def states(rows):
    return dict(collections.Counter(r["state"] for r in rows))


# --- the homeserver's view -------------------------------------------------------------------

async def room_notices(person, room, sender):
    """Every m.notice `sender` posted in `room`, oldest first, as `person` reads the room's
    history (/messages), each as (event id, origin_server_ts in ms, body)."""
    out = []
    token = None
    while True:
        path = f"/rooms/{urllib.parse.quote(room)}/messages?dir=b&limit=1000"
        if token:
            path += f"&from={urllib.parse.quote(token)}"
        answer = await person.api("GET", path)
        chunk = answer.get("chunk", [])
        for event in chunk:
            content = event.get("content", {})
            if (event.get("type") == "m.room.message" and event.get("sender") == sender
                    and content.get("msgtype") == "m.notice"):
                out.append((event["event_id"], event["origin_server_ts"], content.get("body", "")))
        token = answer.get("end")
        if not chunk or not token:
            break
    out.reverse()
    return out


async def homeserver_view(person, rooms, sender):
    """Per room: its notices from `sender`."""
    views = await asyncio.gather(*(room_notices(person, room, sender) for room in rooms))
    return dict(zip(rooms, views))


async def wait_stable(person, rooms, sender, quiet=5.0, timeout=120):
    """The homeserver's view once no room gained a message for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while True:
        view = await homeserver_view(person, rooms, sender)
        counts = {room: len(v) for room, v in view.items()}
        if counts != last:
            last, since = counts, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return view
        if time.monotonic() > deadline:
            log(f"the rooms were still changing after {timeout} s; counting what is there")
            return view
        await asyncio.sleep(1)


def compare(outbox_rows, view):
    """Expected messages (one per outbox row: its room and the window it names) against what
    the rooms hold. Returns the verdict as a dict."""
    expected = collections.Counter()
    unnamed = []
    for r in outbox_rows:
        if r["platform"] != "matrix":
            continue
        ids = set(WINDOW_ID.findall(r["body_markdown"]))
        if len(ids) != 1:
            unnamed.append(r["id"])
            continue
        expected[(r["receiver"].removeprefix("matrix:"), ids.pop())] += 1
    seen = collections.Counter()
    events = collections.defaultdict(list)
    other = 0
    for room, notices in view.items():
        for event_id, ts, body in notices:
            ids = set(WINDOW_ID.findall(body))
            if len(ids) != 1:
                other += 1
                continue
            key = (room, ids.pop())
            seen[key] += 1
            events[key].append((event_id, ts))
    lost = sorted(k for k in expected if seen[k] == 0)
    duplicated = {k: seen[k] - 1 for k in seen if seen[k] > 1}
    queued_twice = {k: n for k, n in expected.items() if n > 1}
    unexpected = sorted(k for k in seen if k not in expected)
    return {
        "expected": sum(expected.values()),
        "expected_distinct": len(expected),
        "seen": sum(seen.values()),
        "lost": len(lost),
        "duplicated": sum(duplicated.values()),
        "queued_twice": sum(n - 1 for n in queued_twice.values()),
        "unexpected": len(unexpected),
        "outbox_rows_without_one_window": unnamed,
        "other_notices": other,
        "lost_items": lost[:50],
        "duplicated_items": {f"{k[0]} {k[1]}": events[k] for k in list(duplicated)[:50]},
        "queued_twice_items": [f"{k[0]} {k[1]}" for k in list(queued_twice)[:50]],
        "unexpected_items": unexpected[:50],
    }


def windows_cross_check(binary, folder, routes):
    """The firing windows (open or closing) routed to a room, from `vigie windows --json`
    (computed from the stored data, independently of the outbox): (count, set of (room,
    window id))."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
    env["VIGIE_MATRIX__PASSWORD"] = PASSWORD  # the [matrix] section wants one, unused here
    done = subprocess.run([binary, "-c", "config.toml", "windows", "--json"], cwd=folder,
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        fail(f"vigie windows failed: {done.stderr.strip()}")
    windows = json.loads(done.stdout)
    pairs = set()
    for w in windows:
        if w["state"] not in ("open", "closing"):
            continue
        country = w["jurisdiction"].split("-")[0]
        for receiver, codes in routes.items():
            if country in codes:
                pairs.add((receiver.removeprefix("matrix:"), w["id"]))
    return len(pairs), pairs


# --- setting the world up --------------------------------------------------------------------

async def register_admin(http, synapse, localpart):
    """A server admin, registered with the shared secret of the test homeserver's overlay."""
    import hashlib
    import hmac
    url = f"{synapse.url}/_synapse/admin/v1/register"
    nonce = (await homeserver.call(http, "GET", url))["nonce"]
    mac = hmac.new(b"vigie-bench-only", digestmod=hashlib.sha1)
    mac.update(b"\x00".join([nonce.encode(), localpart.encode(), PASSWORD.encode(), b"admin"]))
    answer = await homeserver.call(http, "POST", url, {
        "nonce": nonce, "username": localpart, "password": PASSWORD, "admin": True,
        "mac": mac.hexdigest()})
    return Account(http, synapse.url, answer["user_id"], answer["access_token"])


async def rate_limit(admin, user_id, per_second, burst):
    """Has the homeserver rate-limit `user_id`'s messages (Synapse's admin API)."""
    path = f"/_synapse/admin/v1/users/{urllib.parse.quote(user_id)}/override_ratelimit"
    await homeserver.call(admin.http, "POST", admin.base + path,
                          {"messages_per_second": per_second, "burst_count": burst},
                          token=admin.token)


async def make_rooms(http, synapse, count):
    """A person (`alice`), Vigie's account (`vigie`, no session: Vigie logs in itself) and
    `count` rooms made by alice with Vigie invited."""
    alice = await Account.register(http, synapse.url, "alice")
    bot = await Account.register(http, synapse.url, "vigie", login=False)
    rooms = []
    for first in range(0, count, 10):
        rooms += await asyncio.gather(*(alice.create_room([bot.user_id])
                                        for _ in range(first, min(first + 10, count))))
    return alice, bot, rooms


async def warm_up(vigie, alice, bot, rooms, timeout=300):
    """Waits until `vigie` (started with alerts off) has synced the feeds, evaluated the
    windows and joined every room, then stops it: so that no alert goes to a room Vigie has
    not joined yet (which Vigie rightly gives up as undeliverable)."""
    await vigie.wait_for("window evaluation", lambda: vigie.find("windows evaluated"), timeout)
    await vigie.wait_for("Matrix sync", lambda: vigie.find("Matrix: listening for commands"), timeout)
    deadline = time.monotonic() + timeout
    while True:
        members = await asyncio.gather(*(alice.joined_members(r) for r in rooms))
        missing = [r for r, m in zip(rooms, members) if bot.user_id not in m]
        if not missing:
            break
        if not vigie.alive():
            fail(f"vigie exited during the warm-up; see {vigie.log_path}")
        if time.monotonic() > deadline:
            fail(f"Vigie did not join {len(missing)} rooms within {timeout} s; see {vigie.log_path}")
        await asyncio.sleep(0.5)
    vigie.stop()
    if vigie.process.returncode not in (0, None):
        fail(f"vigie stopped with status {vigie.process.returncode} after the warm-up; see {vigie.log_path}")
