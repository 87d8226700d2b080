"""A stand-in Matrix homeserver for the latency benchmark: just enough of the client-server API
for matrix-sdk (Rust, 0.18) to log in with a password, sync and send, in one asyncio process on
127.0.0.1, so that the load offered to Vigie is not capped by a homeserver. On a 2-core machine
Synapse (one Python process, every event persisted) carries some 25-30 commands per second with
their replies; this carries hundreds.

What it serves:
- the discovery and account calls a client makes at start: `/versions` (v1.1 to v1.12),
  `/.well-known/matrix/client`, `GET`/`POST /login` (m.login.password for the accounts given),
  `/account/whoami`, `/capabilities`, `/pushrules/`, filters, profiles, account data;
- the end-to-end encryption calls the SDK makes at start, answered as a homeserver would with no
  other device around: `/keys/upload` (counts the one-time keys), `/keys/query` (the devices
  uploaded here), `/keys/claim`, `/sendToDevice`, `/room_keys/version` (no backup: 404);
- rooms made by `add_room`, that the bot account is *already joined to* (no invitation): the first
  sync gives each with its whole state (m.room.create of room version 10, the members' joins,
  power levels with the room's creator at 100, join rules; no m.room.encryption, so the rooms
  are unencrypted), `GET /rooms/{id}/state/...` (m.room.encryption: 404, as Synapse says of an
  unencrypted room), `/members`, `/joined_members`, `/messages` (the gap of a `limited`
  timeline), `/event/{id}`;
- `GET /sync` with `since` and `timeout`: one stream of events for all rooms; a sync returns every
  event that arrived since its token (at most the filter's `timeline.limit` per room, marked
  `limited` with a `prev_batch` when there were more, as Synapse does), or long-polls until one
  arrives: `inject` (the load generator, in the same process) and every send wake pending syncs
  at once, as Synapse wakes them when an event is persisted;
- `PUT /rooms/{id}/send/{type}/{txn}`: a new event id (the same one for a repeated transaction
  id), the event put on the stream (the sender's next sync brings it back, as Synapse does);
  a message that replies to an event (`m.relates_to.m.in_reply_to`) is counted as that event's
  answer (`answered`).

Anything else is answered 404 M_UNRECOGNIZED, and each such path printed once on stderr, to see
what a client asked for. Nothing is persisted: the stand-in forgets everything when it stops.
"""

import asyncio
import base64
import bisect
import itertools
import json
import os
import re
import sys
import time
import urllib.parse

from aiohttp import web

VERSIONS = [f"v1.{minor}" for minor in range(1, 13)]
ROOM_VERSION = "10"
DEFAULT_TIMELINE_LIMIT = 10  # Synapse's, for a sync without a filter saying otherwise


def now_ms():
    return int(time.time() * 1000)


def error(status, errcode, message):
    return web.json_response({"errcode": errcode, "error": message}, status=status)


class Room:
    def __init__(self, room_id):
        self.room_id = room_id
        self.state = {}  # (type, state_key) -> event
        self.positions = []  # stream positions of this room's timeline events, ascending
        self.events = []  # the events at those positions


class StandIn:
    """The homeserver `localhost`, with the accounts of `passwords` (user id -> password).
    `start()` serves it on 127.0.0.1 (a free port unless given) and returns its URL."""

    def __init__(self, passwords, server_name="localhost"):
        self.server_name = server_name
        self.passwords = dict(passwords)
        self.rooms = {}  # room id -> Room
        self.stream = []  # (room id, event), position = index
        self.by_id = {}  # event id -> (room id, event)
        self.tokens = {}  # access token -> (user id, device id)
        self.devices = {}  # user id -> {device id: device keys}
        self.one_time_keys = {}  # (user id, device id) -> {algorithm: count}
        self.fallback_keys = {}  # (user id, device id) -> set of algorithms
        self.filters = {}  # filter id -> filter definition
        self.account_data = {}  # (user id, type) -> content
        self.transactions = {}  # (access token, txn id) -> event id
        self.answered = set()  # event ids that got a reply
        self.replies = 0  # sends that replied to an event (repeated transactions not counted)
        self.sends = 0  # sends of any kind (repeated transactions not counted)
        self.syncs = 0  # sync responses
        self.synced_events = 0  # timeline events they carried
        self.limited = 0  # room timelines they cut (`limited`)
        self.unknown = set()  # (method, path) answered M_UNRECOGNIZED
        self._ids = itertools.count(1)
        self._woken = asyncio.Event()
        self._runner = None
        self.url = None
        self._routes = [
            ("GET", r"/versions", self.versions),
            ("GET", r"/login", self.login_flows),
            ("POST", r"/login", self.login),
            ("POST", r"/logout", self.logout),
            ("GET", r"/account/whoami", self.whoami),
            ("GET", r"/capabilities", self.capabilities),
            ("GET", r"/pushrules/?", self.pushrules),
            ("POST", r"/user/(?P<user>[^/]+)/filter", self.create_filter),
            ("GET", r"/user/(?P<user>[^/]+)/filter/(?P<id>[^/]+)", self.get_filter),
            ("GET", r"/user/(?P<user>[^/]+)/account_data/(?P<type>[^/]+)", self.get_account_data),
            ("PUT", r"/user/(?P<user>[^/]+)/account_data/(?P<type>[^/]+)", self.put_account_data),
            ("GET", r"/user/(?P<user>[^/]+)/rooms/(?P<room>[^/]+)/account_data/(?P<type>[^/]+)",
             self.not_found),
            ("PUT", r"/user/(?P<user>[^/]+)/rooms/(?P<room>[^/]+)/account_data/(?P<type>[^/]+)",
             self.empty),
            ("GET", r"/profile/(?P<user>[^/]+)(?:/(?P<field>[^/]+))?", self.profile),
            ("GET", r"/devices", self.list_devices),
            ("POST", r"/keys/upload", self.keys_upload),
            ("POST", r"/keys/query", self.keys_query),
            ("POST", r"/keys/claim", self.keys_claim),
            ("GET", r"/keys/changes", self.keys_changes),
            ("PUT", r"/sendToDevice/(?P<type>[^/]+)/(?P<txn>[^/]+)", self.empty),
            ("GET", r"/room_keys/version(?:/[^/]*)?", self.no_backup),
            ("GET", r"/sync", self.sync),
            ("GET", r"/joined_rooms", self.joined_rooms),
            ("PUT", r"/rooms/(?P<room>[^/]+)/send/(?P<type>[^/]+)/(?P<txn>[^/]+)", self.send),
            ("GET", r"/rooms/(?P<room>[^/]+)/state", self.room_state),
            ("GET", r"/rooms/(?P<room>[^/]+)/state/(?P<type>[^/]+)/?(?P<key>[^/]*)",
             self.state_event),
            ("GET", r"/rooms/(?P<room>[^/]+)/members", self.members),
            ("GET", r"/rooms/(?P<room>[^/]+)/joined_members", self.joined_members),
            ("GET", r"/rooms/(?P<room>[^/]+)/messages", self.messages),
            ("GET", r"/rooms/(?P<room>[^/]+)/event/(?P<event>[^/]+)", self.event),
            ("POST", r"/rooms/(?P<room>[^/]+)/(?:receipt|read_markers)(?:/.*)?", self.empty),
            ("PUT", r"/rooms/(?P<room>[^/]+)/typing/(?P<user>[^/]+)", self.empty),
            ("POST", r"/(?:rooms/(?P<room>[^/]+)/join|join/(?P<alias>[^/]+))", self.join),
        ]
        self._routes = [(m, re.compile(p + "$"), h) for m, p, h in self._routes]

    # --- what the benchmark calls -------------------------------------------------------------

    def add_room(self, creator, members):
        """A room made by `creator` (power level 100), joined by `members` (the bot among them),
        with a past before the stream starts; returns its id."""
        room_id = f"!room{len(self.rooms)}{os.urandom(6).hex()}:{self.server_name}"
        room = self.rooms[room_id] = Room(room_id)
        ts = now_ms()

        def state(kind, key, content, sender=creator):
            room.state[(kind, key)] = {"type": kind, "state_key": key, "content": content,
                                       "sender": sender, "origin_server_ts": ts,
                                       "event_id": self._event_id(), "unsigned": {}}

        state("m.room.create", "", {"room_version": ROOM_VERSION, "creator": creator})
        for user in [creator] + [m for m in members if m != creator]:
            state("m.room.member", user, {"membership": "join",
                                          "displayname": user[1:].split(":")[0]}, sender=user)
        state("m.room.power_levels", "", {
            "users": {creator: 100}, "users_default": 0, "events_default": 0,
            "state_default": 50, "ban": 50, "kick": 50, "redact": 50, "invite": 0,
            "events": {"m.room.name": 50, "m.room.power_levels": 100,
                       "m.room.history_visibility": 100, "m.room.canonical_alias": 50,
                       "m.room.avatar": 50, "m.room.tombstone": 100, "m.room.server_acl": 100,
                       "m.room.encryption": 100},
        })
        state("m.room.join_rules", "", {"join_rule": "invite"})
        state("m.room.history_visibility", "", {"history_visibility": "shared"})
        return room_id

    def inject(self, room_id, sender, body):
        """A text message from `sender` in `room_id`, as if just sent; wakes pending syncs.
        Returns its event id."""
        return self._append(room_id, {
            "type": "m.room.message", "sender": sender, "origin_server_ts": now_ms(),
            "content": {"msgtype": "m.text", "body": body}, "unsigned": {},
        })

    async def start(self, port=0):
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, backlog=1024)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self):
        if self._runner:
            self._woken.set()
            await self._runner.cleanup()
            self._runner = None

    # --- the stream ---------------------------------------------------------------------------

    def _event_id(self):
        # Room versions 4 and later: "$" and 43 characters of unpadded URL-safe base64.
        raw = next(self._ids).to_bytes(8, "big") + os.urandom(24)
        return "$" + base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _append(self, room_id, event):
        room = self.rooms[room_id]
        event["event_id"] = self._event_id()
        position = len(self.stream)
        self.stream.append((room_id, event))
        room.positions.append(position)
        room.events.append(event)
        self.by_id[event["event_id"]] = (room_id, event)
        # Wakes every pending sync: each waits on the event it saw before.
        self._woken.set()
        self._woken = asyncio.Event()
        return event["event_id"]

    @staticmethod
    def _position(token, default=0):
        if token and token.startswith("s") and token[1:].isdigit():
            return int(token[1:])
        return default

    # --- dispatch -----------------------------------------------------------------------------

    async def _dispatch(self, request):
        path = request.path
        if path.startswith("/.well-known/matrix/client"):
            return web.json_response({"m.homeserver": {"base_url": self.url}})
        match = re.match(r"/_matrix/client(?:/v3|/r0|/v1|/unstable(?:/[^/]+)?)?(/.*)$", path)
        if match:
            rest = match.group(1)
            for method, pattern, handler in self._routes:
                if method != request.method:
                    continue
                found = pattern.match(rest)
                if found:
                    args = {k: urllib.parse.unquote(v) for k, v in found.groupdict().items()
                            if v is not None}
                    if handler not in (self.versions, self.login_flows, self.login):
                        who = self._authenticate(request)
                        if isinstance(who, web.Response):
                            return who
                        request["who"] = who
                    return await handler(request, **args)
        key = (request.method, path)
        if key not in self.unknown:
            self.unknown.add(key)
            print(f"stand-in: no {request.method} {path}{'?' + request.query_string if request.query_string else ''}"
                  " (M_UNRECOGNIZED)", file=sys.stderr, flush=True)
        return error(404, "M_UNRECOGNIZED", "Unrecognized request")

    def _authenticate(self, request):
        header = request.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else request.query.get("access_token")
        if not token:
            return error(401, "M_MISSING_TOKEN", "Missing access token")
        if token not in self.tokens:
            return error(401, "M_UNKNOWN_TOKEN", "Unknown access token")
        return self.tokens[token] + (token,)

    @staticmethod
    async def _body(request):
        if not request.can_read_body:
            return {}
        try:
            return await request.json(loads=json.loads)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return {}

    # --- accounts -----------------------------------------------------------------------------

    async def versions(self, request):
        return web.json_response({"versions": VERSIONS, "unstable_features": {
            "org.matrix.e2e_cross_signing": True, "org.matrix.msc3916.stable": True}})

    async def login_flows(self, request):
        return web.json_response({"flows": [{"type": "m.login.password"}]})

    async def login(self, request):
        body = await self._body(request)
        if body.get("type") != "m.login.password":
            return error(400, "M_UNKNOWN", "Only m.login.password is offered here")
        identifier = body.get("identifier") or {"type": "m.id.user", "user": body.get("user")}
        user = identifier.get("user") or ""
        if not user.startswith("@"):
            user = f"@{user}:{self.server_name}"
        if self.passwords.get(user) != body.get("password"):
            return error(403, "M_FORBIDDEN", "Invalid username or password")
        device = body.get("device_id") or os.urandom(5).hex().upper()
        token = "stand_in_" + os.urandom(16).hex()
        self.tokens[token] = (user, device)
        self.devices.setdefault(user, {}).setdefault(device, None)
        return web.json_response({"user_id": user, "access_token": token, "device_id": device,
                                  "home_server": self.server_name})

    async def logout(self, request):
        self.tokens.pop(request["who"][2], None)
        return web.json_response({})

    async def whoami(self, request):
        user, device, _ = request["who"]
        return web.json_response({"user_id": user, "device_id": device, "is_guest": False})

    async def capabilities(self, request):
        return web.json_response({"capabilities": {
            "m.change_password": {"enabled": False},
            "m.room_versions": {"default": ROOM_VERSION,
                                "available": {"10": "stable", "11": "stable"}},
        }})

    async def pushrules(self, request):
        return web.json_response({"global": {"override": [], "content": [], "room": [],
                                             "sender": [], "underride": []}})

    async def create_filter(self, request, user):
        filter_id = str(len(self.filters))
        self.filters[filter_id] = await self._body(request)
        return web.json_response({"filter_id": filter_id})

    async def get_filter(self, request, user, id):
        if id not in self.filters:
            return error(404, "M_NOT_FOUND", "No such filter")
        return web.json_response(self.filters[id])

    async def get_account_data(self, request, user, type):
        if (user, type) not in self.account_data:
            return error(404, "M_NOT_FOUND", "Account data not found")
        return web.json_response(self.account_data[(user, type)])

    async def put_account_data(self, request, user, type):
        self.account_data[(user, type)] = await self._body(request)
        return web.json_response({})

    async def profile(self, request, user, field=None):
        profile = {"displayname": user[1:].split(":")[0]}
        if field and field not in profile:
            return error(404, "M_NOT_FOUND", "Profile field not set")
        return web.json_response({field: profile[field]} if field else profile)

    async def list_devices(self, request):
        user = request["who"][0]
        return web.json_response({"devices": [
            {"device_id": d, "display_name": None, "last_seen_ip": None, "last_seen_ts": None}
            for d in self.devices.get(user, {})]})

    async def not_found(self, request, **_):
        return error(404, "M_NOT_FOUND", "Not found")

    async def empty(self, request, **_):
        return web.json_response({})

    # --- end-to-end encryption: one device per account, no one else ---------------------------

    async def keys_upload(self, request):
        user, device, _ = request["who"]
        body = await self._body(request)
        if body.get("device_keys"):
            self.devices.setdefault(user, {})[device] = body["device_keys"]
        counts = self.one_time_keys.setdefault((user, device), {})
        for key_id in body.get("one_time_keys") or {}:
            algorithm = key_id.split(":", 1)[0]
            counts[algorithm] = counts.get(algorithm, 0) + 1
        for key_id in body.get("fallback_keys") or {}:
            self.fallback_keys.setdefault((user, device), set()).add(key_id.split(":", 1)[0])
        return web.json_response({"one_time_key_counts": {"signed_curve25519": 0, **counts}})

    async def keys_query(self, request):
        body = await self._body(request)
        answer = {"failures": {}, "device_keys": {}, "master_keys": {}, "self_signing_keys": {},
                  "user_signing_keys": {}}
        for user, wanted in (body.get("device_keys") or {}).items():
            devices = {d: k for d, k in self.devices.get(user, {}).items() if k is not None}
            if wanted:
                devices = {d: k for d, k in devices.items() if d in wanted}
            answer["device_keys"][user] = devices
        return web.json_response(answer)

    async def keys_claim(self, request):
        return web.json_response({"one_time_keys": {}, "failures": {}})

    async def keys_changes(self, request):
        return web.json_response({"changed": [], "left": []})

    async def no_backup(self, request):
        return error(404, "M_NOT_FOUND", "No current backup version")

    # --- sync ---------------------------------------------------------------------------------

    def _joined(self, user):
        return [room for room in self.rooms.values()
                if room.state.get(("m.room.member", user), {}).get("content", {})
                .get("membership") == "join"]

    def _timeline_limit(self, request):
        spec = request.query.get("filter")
        if not spec:
            return DEFAULT_TIMELINE_LIMIT
        if spec.startswith("{"):
            try:
                definition = json.loads(spec)
            except json.JSONDecodeError:
                definition = {}
        else:
            definition = self.filters.get(spec, {})
        limit = ((definition.get("room") or {}).get("timeline") or {}).get("limit")
        return int(limit) if limit is not None else DEFAULT_TIMELINE_LIMIT

    async def sync(self, request):
        user, device, token = request["who"]
        since = request.query.get("since")
        try:
            timeout = max(0, int(request.query.get("timeout", "0"))) / 1000
        except ValueError:
            timeout = 0
        state_after = request.query.get("use_state_after") == "true" or \
            request.query.get("org.matrix.msc4222.use_state_after") == "true"
        limit = self._timeline_limit(request)
        joined = self._joined(user)
        joined_ids = {room.room_id for room in joined}
        start = self._position(since, 0) if since else None

        def pending():
            return any(self.stream[i][0] in joined_ids for i in range(start, len(self.stream)))

        if start is not None and timeout and not pending():
            deadline = asyncio.get_running_loop().time() + timeout
            while not pending():
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0 or self._runner is None:
                    break
                try:
                    await asyncio.wait_for(self._woken.wait(), left)
                except asyncio.TimeoutError:
                    break
        end = len(self.stream)
        rooms = {}
        if start is None:
            for room in joined:
                rooms[room.room_id] = self._room_update(
                    room, room.positions, room.events, limit, token, full=True,
                    state_after=state_after)
        else:
            new = {}
            for position in range(start, end):
                room_id, event = self.stream[position]
                if room_id in joined_ids:
                    positions, events = new.setdefault(room_id, ([], []))
                    positions.append(position)
                    events.append(event)
            for room_id, (positions, events) in new.items():
                rooms[room_id] = self._room_update(
                    self.rooms[room_id], positions, events, limit, token, full=False,
                    state_after=state_after)
        self.syncs += 1
        answer = {
            "next_batch": f"s{end}",
            "rooms": {"join": rooms, "invite": {}, "leave": {}, "knock": {}},
            "account_data": {"events": [
                {"type": kind, "content": content}
                for (owner, kind), content in self.account_data.items() if owner == user]}
            if start is None else {"events": []},
            "to_device": {"events": []},
            "device_lists": {"changed": [], "left": []},
            "device_one_time_keys_count": {"signed_curve25519": 0,
                                           **self.one_time_keys.get((user, device), {})},
            "device_unused_fallback_key_types": sorted(self.fallback_keys.get((user, device),
                                                                              ())),
        }
        return web.Response(text=json.dumps(answer), content_type="application/json")

    def _room_update(self, room, positions, events, limit, token, full, state_after):
        limited = len(events) > limit
        if limited:
            positions, events = positions[-limit:], events[-limit:]
            self.limited += 1
        first = positions[0] if positions else len(self.stream)
        self.synced_events += len(events)
        timeline = []
        for event in events:
            txn = event.get("_txn")
            if txn is not None:
                event = {k: v for k, v in event.items() if k != "_txn"}
                if txn[0] == token:
                    event["unsigned"] = {**event.get("unsigned", {}), "transaction_id": txn[1]}
            timeline.append(event)
        members = [e for (kind, _), e in room.state.items() if kind == "m.room.member"]
        return {
            "timeline": {"events": timeline, "limited": limited, "prev_batch": f"s{first}"},
            ("state_after" if state_after else "state"): {
                "events": list(room.state.values()) if full else []},
            "account_data": {"events": []},
            "ephemeral": {"events": []},
            "unread_notifications": {"highlight_count": 0, "notification_count": 0},
            "summary": {"m.joined_member_count": len(members),
                        "m.invited_member_count": 0} if full else {},
        }

    # --- rooms --------------------------------------------------------------------------------

    def _room(self, room_id):
        return self.rooms.get(room_id)

    async def joined_rooms(self, request):
        return web.json_response({"joined_rooms": [r.room_id for r in
                                                   self._joined(request["who"][0])]})

    async def join(self, request, room=None, alias=None):
        room_id = room or alias
        if room_id not in self.rooms:
            return error(404, "M_NOT_FOUND", "No such room")
        return web.json_response({"room_id": room_id})

    async def send(self, request, room, type, txn):
        user, device, token = request["who"]
        target = self._room(room)
        if target is None:
            return error(404, "M_NOT_FOUND", "No such room")
        if (token, txn) in self.transactions:
            return web.json_response({"event_id": self.transactions[(token, txn)]})
        content = await self._body(request)
        event_id = self._append(room, {"type": type, "sender": user,
                                       "origin_server_ts": now_ms(), "content": content,
                                       "unsigned": {}, "_txn": (token, txn)})
        self.transactions[(token, txn)] = event_id
        self.sends += 1
        reply_to = ((content.get("m.relates_to") or {}).get("m.in_reply_to") or {}).get("event_id")
        if reply_to:
            self.replies += 1
            self.answered.add(reply_to)
        return web.json_response({"event_id": event_id})

    async def room_state(self, request, room):
        target = self._room(room)
        if target is None:
            return error(403, "M_FORBIDDEN", "Not in that room")
        return web.json_response(list(target.state.values()))

    async def state_event(self, request, room, type, key=""):
        target = self._room(room)
        if target is None:
            return error(403, "M_FORBIDDEN", "Not in that room")
        event = target.state.get((type, key))
        if event is None:
            return error(404, "M_NOT_FOUND", "Event not found.")
        if request.query.get("format") == "event":
            return web.json_response(event)
        return web.json_response(event["content"])

    async def members(self, request, room):
        target = self._room(room)
        if target is None:
            return error(403, "M_FORBIDDEN", "Not in that room")
        return web.json_response({"chunk": [e for (kind, _), e in target.state.items()
                                            if kind == "m.room.member"]})

    async def joined_members(self, request, room):
        target = self._room(room)
        if target is None:
            return error(403, "M_FORBIDDEN", "Not in that room")
        return web.json_response({"joined": {
            key: {"display_name": e["content"].get("displayname"), "avatar_url": None}
            for (kind, key), e in target.state.items()
            if kind == "m.room.member" and e["content"].get("membership") == "join"}})

    async def messages(self, request, room):
        """A page of the room's timeline from `from` towards `to`: backwards (dir=b, the gap of a
        limited sync) or forwards. Tokens are stream positions: `s{n}` is just before the n-th."""
        target = self._room(room)
        if target is None:
            return error(403, "M_FORBIDDEN", "Not in that room")
        backwards = request.query.get("dir", "b") == "b"
        try:
            limit = max(1, min(1000, int(request.query.get("limit", "10"))))
        except ValueError:
            limit = 10
        if backwards:
            high = self._position(request.query.get("from"), len(self.stream))
            low = self._position(request.query.get("to"), 0)
            i = bisect.bisect_left(target.positions, high)
            j = max(bisect.bisect_left(target.positions, low), i - limit)
            chunk = target.events[j:i][::-1]
            end = target.positions[j] if chunk else None
        else:
            low = self._position(request.query.get("from"), 0)
            high = self._position(request.query.get("to"), len(self.stream))
            i = bisect.bisect_left(target.positions, low)
            j = min(bisect.bisect_left(target.positions, high), i + limit)
            chunk = target.events[i:j]
            end = target.positions[j - 1] + 1 if chunk else None
        answer = {"chunk": [{k: v for k, v in e.items() if k != "_txn"} for e in chunk],
                  "start": request.query.get("from", f"s{len(self.stream)}")}
        if end is not None:
            answer["end"] = f"s{end}"
        return web.json_response(answer)

    async def event(self, request, room, event):
        found = self.by_id.get(event)
        if found is None or found[0] != room:
            return error(404, "M_NOT_FOUND", "Event not found.")
        return web.json_response({k: v for k, v in found[1].items() if k != "_txn"})


async def _demo():
    """Serves a stand-in with `@vigie:localhost` (password `bench`) in one room with
    `@person0:localhost`, injecting `!vigie help` there every 5 s: for trying a client by hand."""
    server = StandIn({"@vigie:localhost": "bench"})
    room = server.add_room("@person0:localhost", ["@vigie:localhost"])
    print(f"stand-in homeserver at {await server.start(int(os.environ.get('PORT', '0')))}, "
          f"room {room}", flush=True)
    try:
        while True:
            await asyncio.sleep(5)
            server.inject(room, "@person0:localhost", "!vigie help")
            print(f"syncs {server.syncs}, sends {server.sends}, "
                  f"answered {len(server.answered)}", flush=True)
    finally:
        await server.stop()


if __name__ == "__main__":
    asyncio.run(_demo())
