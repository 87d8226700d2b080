"""A throw-away Synapse on 127.0.0.1 and a minimal async client-server API client, for the
Matrix benchmarks. The Synapse settings are those of the integration tests
(bot/tests/it/synapse.rs): open registration, cheap password hashing, rate limits out of the
way, listening on a free loopback port only. Its database is SQLite, as in the tests, or
PostgreSQL, as a homeserver in production runs. On a 2-core machine shared with Vigie and the
load, SQLite is the faster of the two: PostgreSQL's own processes take CPU the homeserver needs.

Plain HTTP with aiohttp: no Matrix SDK, so rooms are unencrypted (the benchmarks measure
Vigie's command handling, not Megolm).
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import aiohttp

PASSWORD = "correct horse battery staple"

LOG_CONFIG = """
version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s'
handlers:
  file:
    class: logging.FileHandler
    formatter: precise
    filename: {dir}/homeserver.log
root:
  level: WARNING
  handlers: [file]
disable_existing_loggers: false
"""

UNLIMITED = "{per_second: 100000, burst_count: 1000000}"

SQLITE = """database:
  name: sqlite3
  args:
    database: {dir}/homeserver.db"""

POSTGRES = """database:
  name: psycopg2
  args:
    host: "{host}"
    port: {port}
    user: "{user}"
    database: "{name}"
    cp_min: 5
    cp_max: 10"""

# The database a PostgreSQL Synapse gets: dropped and made anew at every start.
BENCH_DATABASE = "vigie_bench_synapse"


def postgres_database(host, port, user):
    """A fresh, empty database for Synapse (UTF-8, C collation, as Synapse requires), on the
    PostgreSQL at host:port (trust authentication as `user`); returns the `database:` setting."""
    import psycopg2  # only this database needs it; run.sh installs psycopg2-binary

    connection = psycopg2.connect(host=host, port=port, user=user, dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {BENCH_DATABASE} ENCODING 'UTF8' LC_COLLATE 'C' "
                       "LC_CTYPE 'C' TEMPLATE template0")
    connection.close()
    return POSTGRES.format(host=host, port=port, user=user, name=BENCH_DATABASE)

OVERLAY = """
server_name: "localhost"
public_baseurl: "http://127.0.0.1:{port}/"
listeners:
  - port: {port}
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
{database}
log_config: {dir}/log.yaml
media_store_path: {dir}/media_store
trusted_key_servers: []
suppress_key_server_warning: true
report_stats: false
registration_shared_secret: "vigie-bench-only"
enable_registration: true
enable_registration_without_verification: true
bcrypt_rounds: 4
presence:
  enabled: false
rc_message: {u}
rc_registration: {u}
rc_login:
  address: {u}
  account: {u}
  failed_attempts: {u}
rc_joins:
  local: {u}
  remote: {u}
rc_joins_per_room: {u}
rc_invites:
  per_room: {u}
  per_user: {u}
  per_issuer: {u}
rc_key_requests: {u}
rc_third_party_invite: {u}
rc_room_creation: {u}
rc_presence:
  per_user: {u}
rc_user_directory: {u}
rc_profile: {u}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Synapse:
    """Starts Synapse with `python` in `workdir`; `stop()` ends it. `database` is "sqlite" or
    "postgres" (PGHOST, PGPORT and PGUSER say where; 127.0.0.1, 5432 and postgres by default).
    `cpus`, if given, is the set of CPUs Synapse may run on."""

    def __init__(self, python, workdir, database="sqlite", cpus=None):
        self.dir = os.path.abspath(workdir)
        self.database = database
        os.makedirs(self.dir, exist_ok=True)
        base = os.path.join(self.dir, "homeserver.yaml")
        subprocess.run(
            [python, "-m", "synapse.app.homeserver", "--server-name", "localhost",
             "--config-path", base, "--data-directory", self.dir,
             "--generate-config", "--report-stats=no"],
            cwd=self.dir, check=True, capture_output=True,
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        overlay = os.path.join(self.dir, "overlay.yaml")
        if database == "postgres":
            setting = postgres_database(os.environ.get("PGHOST", "127.0.0.1"),
                                        int(os.environ.get("PGPORT", "5432")),
                                        os.environ.get("PGUSER", "postgres"))
        else:
            setting = SQLITE.format(dir=self.dir)
        with open(overlay, "w") as f:
            f.write(OVERLAY.format(port=self.port, dir=self.dir, u=UNLIMITED, database=setting))
        with open(os.path.join(self.dir, "log.yaml"), "w") as f:
            f.write(LOG_CONFIG.format(dir=self.dir))
        self.process = subprocess.Popen(
            [python, "-m", "synapse.app.homeserver", "-c", base, "-c", overlay],
            cwd=self.dir, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.dir, "stderr.log"), "w"),
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"Synapse exited; see {self.dir}/stderr.log")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        sys.exit("Synapse did not start within 90 s")

    def database_pids(self):
        """The PostgreSQL backends serving this Synapse (none on SQLite): part of the homeserver,
        so the benchmarks give them the homeserver's priority and CPUs."""
        if self.database != "postgres":
            return []
        import psycopg2

        connection = psycopg2.connect(host=os.environ.get("PGHOST", "127.0.0.1"),
                                      port=int(os.environ.get("PGPORT", "5432")),
                                      user=os.environ.get("PGUSER", "postgres"),
                                      dbname="postgres")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (BENCH_DATABASE,))
            pids = [row[0] for row in cursor.fetchall()]
        connection.close()
        return pids

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Account:
    """One user's session: the few client-server API calls the benchmarks need."""

    def __init__(self, http, base, user_id, token):
        self.http, self.base, self.user_id, self.token = http, base, user_id, token

    @classmethod
    async def register(cls, http, base, localpart, login=True):
        body = {"username": localpart, "password": PASSWORD,
                "auth": {"type": "m.login.dummy"}, "inhibit_login": not login}
        answer = await call(http, "POST", f"{base}/_matrix/client/v3/register", body)
        return cls(http, base, answer["user_id"], answer.get("access_token"))

    async def api(self, method, path, body=None):
        return await call(self.http, method, f"{self.base}/_matrix/client/v3{path}", body,
                          token=self.token)

    async def create_room(self, invite):
        answer = await self.api("POST", "/createRoom",
                                {"preset": "private_chat", "invite": invite})
        return answer["room_id"]

    async def send_text(self, room_id, text):
        txn = uuid.uuid4().hex
        answer = await self.api("PUT", f"/rooms/{room_id}/send/m.room.message/{txn}",
                                {"msgtype": "m.text", "body": text})
        return answer["event_id"]

    async def joined_members(self, room_id):
        answer = await self.api("GET", f"/rooms/{room_id}/joined_members")
        return set(answer.get("joined", {}))


async def call(http, method, url, body=None, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    for attempt in range(10):
        async with http.request(method, url, json=body, headers=headers) as response:
            answer = await response.json(content_type=None)
            if response.status == 429:
                await asyncio.sleep(answer.get("retry_after_ms", 200) / 1000)
                continue
            if response.status >= 400:
                raise RuntimeError(f"{method} {url}: {response.status} {answer}")
            return answer
    raise RuntimeError(f"{method} {url}: still rate-limited")


def session():
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0),
        timeout=aiohttp.ClientTimeout(total=120),
    )
