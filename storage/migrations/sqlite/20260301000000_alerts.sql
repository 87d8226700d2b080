-- Alert delivery: the alerts Vigie knows, what each receiver was last told about each group, the
-- outbox of messages waiting to be delivered, silences, schedules (digests) shared by replicas.
-- Keep it column-for-column in step with ../postgres.
--
-- Timestamps are fixed-width UTC RFC 3339 text (text order is time order); labels and the alerts
-- of a notification record are JSON text.

-- One row per alert fingerprint; resolved alerts stay until pruned.
CREATE TABLE alerts (
    fingerprint  TEXT NOT NULL PRIMARY KEY,
    state        TEXT NOT NULL,              -- pending, firing, resolved or stale
    labels       TEXT NOT NULL,              -- JSON object of label → value
    summary      TEXT NOT NULL,
    window_id    TEXT,                       -- the window behind the alert, if any
    active_since TEXT NOT NULL,
    firing_since TEXT,
    resolved_at  TEXT,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL
);
CREATE INDEX alerts_state ON alerts (state);

-- What each receiver was last told about each group (Alertmanager's notification log).
CREATE TABLE notification_log (
    receiver   TEXT NOT NULL,
    group_key  TEXT NOT NULL,
    last_sent  TEXT NOT NULL,
    alerts     TEXT NOT NULL,                -- JSON object of fingerprint → {state, version}
    first_seen TEXT NOT NULL,
    PRIMARY KEY (receiver, group_key)
);

-- Messages to deliver, written with the alerts and the notification log that decided them, and
-- leased by a sender: a crashed sender's lease expires and another sender takes the message.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    receiver        TEXT NOT NULL CHECK (receiver <> ''),
    platform        TEXT NOT NULL CHECK (platform <> ''),
    body_markdown   TEXT NOT NULL,
    reason          TEXT NOT NULL,           -- new, update, reminder, resolved, digest…
    group_key       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'leased', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0, -- leases taken so far
    next_attempt_at TEXT NOT NULL,
    lease_owner     TEXT,                    -- the sender holding (or, once sent, that held) it
    lease_until     TEXT,
    sent_at         TEXT,
    platform_id     TEXT,                    -- the platform's id of the message sent
    last_error      TEXT,
    last_error_at   TEXT
);
CREATE INDEX outbox_due ON outbox (platform, state, next_attempt_at, id);
CREATE INDEX outbox_errors ON outbox (last_error_at);

-- Silences are never deleted by commands: an unsilence sets expired_at.
CREATE TABLE silences (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    matchers   TEXT NOT NULL,                -- JSON array of matchers as written: country="KE"
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    author     TEXT NOT NULL,
    comment    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expired_at TEXT,
    expired_by TEXT
);
CREATE INDEX silences_ends ON silences (ends_at);

-- Scheduled jobs (digests) shared by replicas: the one that claims a due run holds a lease.
CREATE TABLE schedules (
    name        TEXT NOT NULL PRIMARY KEY,
    spec        TEXT NOT NULL,               -- the schedule as configured (cron, time zone…)
    next_run    TEXT NOT NULL,
    last_run    TEXT,
    leased_by   TEXT,
    lease_until TEXT
);

-- Reactions to a message sent find it by the id the platform gave it.
CREATE INDEX outbox_platform_id ON outbox (platform, platform_id);
