-- Vigie's schema for SQLite. Keep it column-for-column in step with ../postgres: the queries in
-- src/ are shared by both backends.
--
-- Conventions: dates are ISO `YYYY-MM-DD` TEXT; timestamps are fixed-width UTC RFC 3339 TEXT
-- (`2025-01-31T12:00:00.000000000Z`), so ordering and comparing them as text is chronological.

CREATE TABLE jurisdictions (
    code    TEXT NOT NULL PRIMARY KEY,
    name    TEXT NOT NULL,
    level   TEXT NOT NULL,
    region  TEXT NOT NULL,
    country TEXT NOT NULL
);
CREATE INDEX jurisdictions_country ON jurisdictions (country);

CREATE TABLE members (
    code         TEXT NOT NULL PRIMARY KEY,
    name         TEXT NOT NULL,
    level        TEXT NOT NULL,
    region       TEXT NOT NULL,
    country      TEXT NOT NULL,
    status       TEXT NOT NULL,
    status_since TEXT,           -- an EventDate in its canonical written form
    feed_status  TEXT NOT NULL,  -- what the feed last said; differs from status while an admin's correction stands
    joined       INTEGER,
    plan_number  INTEGER,
    plan_cohort  INTEGER,
    plan_start   TEXT,           -- EventDate
    plan_end     TEXT,           -- EventDate
    notes        TEXT,
    feed         TEXT NOT NULL,  -- the feed that last listed the member
    first_seen   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    removed_at   TEXT            -- set when its feed stopped listing it
);
CREATE INDEX members_feed ON members (feed);

CREATE TABLE member_status_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL REFERENCES members (code) ON DELETE CASCADE,
    from_status TEXT,            -- NULL for the status a member first appeared with
    to_status   TEXT NOT NULL,
    since       TEXT,            -- EventDate
    source      TEXT NOT NULL,   -- the feed, or "manual"
    actor       TEXT,            -- who made a manual change
    note        TEXT,
    at          TEXT NOT NULL
);
CREATE INDEX member_status_history_code ON member_status_history (code, id);

-- Events reference jurisdictions by text, without a foreign key: a feed may mention a
-- jurisdiction before the registry has it.
CREATE TABLE events (
    feed         TEXT NOT NULL,
    uid          TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    country      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    earliest     TEXT NOT NULL,
    latest       TEXT NOT NULL,
    body         TEXT NOT NULL,  -- the CalendarEvent as JSON: the truth; the columns above index it
    first_seen   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    removed_at   TEXT,
    PRIMARY KEY (feed, uid)
);
CREATE INDEX events_country_earliest ON events (country, earliest);
CREATE INDEX events_jurisdiction_earliest ON events (jurisdiction, earliest);
CREATE INDEX events_earliest_latest ON events (earliest, latest);

CREATE TABLE event_revisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    feed        TEXT NOT NULL,
    uid         TEXT NOT NULL,
    at          TEXT NOT NULL,
    before_body TEXT,            -- JSON; NULL when the event was absent before
    after_body  TEXT,            -- JSON; NULL when the event was removed
    FOREIGN KEY (feed, uid) REFERENCES events (feed, uid) ON DELETE CASCADE
);
CREATE INDEX event_revisions_key ON event_revisions (feed, uid, id);

CREATE TABLE status_candidates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    feed       TEXT NOT NULL,
    entry_id   TEXT NOT NULL,
    title      TEXT NOT NULL,
    link       TEXT,
    published  TEXT,
    member     TEXT,
    status     TEXT,
    automatic  BOOLEAN NOT NULL,
    state      TEXT NOT NULL,    -- pending, confirmed or dismissed
    decided_by TEXT,
    decided_at TEXT,
    first_seen TEXT NOT NULL,
    UNIQUE (feed, entry_id)
);
CREATE INDEX status_candidates_state ON status_candidates (state, id);

CREATE TABLE feeds (
    name          TEXT NOT NULL PRIMARY KEY,
    kind          TEXT NOT NULL,
    last_attempt  TEXT,
    last_success  TEXT,
    last_error    TEXT,
    last_error_at TEXT,
    items         INTEGER NOT NULL DEFAULT 0,
    added         INTEGER NOT NULL DEFAULT 0,
    changed       INTEGER NOT NULL DEFAULT 0,
    removed       INTEGER NOT NULL DEFAULT 0,
    etag          TEXT,
    last_modified TEXT
);
