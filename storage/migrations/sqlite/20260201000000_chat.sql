-- Chat-side state: who may act, what rooms follow, language preferences, the chat events already
-- taken for processing, who follows up which window, and the audit log of every change a person
-- makes. Keep it column-for-column in step with ../postgres.
--
-- Users are platform-qualified text (`matrix:@alice:example.org`); rooms likewise.

-- Peers are never deleted: a removal by command is kept (removed_at), so that the peers listed in
-- the configuration, seeded at every start, do not bring back someone an admin removed.
CREATE TABLE peers (
    user_id    TEXT NOT NULL PRIMARY KEY,
    role       TEXT NOT NULL,    -- admin or peer
    region     TEXT,
    added_by   TEXT NOT NULL,
    added_at   TEXT NOT NULL,
    removed_by TEXT,
    removed_at TEXT              -- set when removed by command
);

CREATE TABLE subscriptions (
    room       TEXT NOT NULL,
    kind       TEXT NOT NULL,    -- country, region or theme
    value      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (room, kind, value)
);

CREATE TABLE language_preferences (
    scope      TEXT NOT NULL,    -- room or user
    subject    TEXT NOT NULL,    -- the room or the user
    language   TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scope, subject)
);

-- Platform events taken for processing, so that a re-delivered event never runs twice.
CREATE TABLE chat_events (
    platform TEXT NOT NULL,
    event_id TEXT NOT NULL,
    at       TEXT NOT NULL,
    PRIMARY KEY (platform, event_id)
);
CREATE INDEX chat_events_at ON chat_events (at);

-- Follow-ups reference windows by id, without a foreign key: a window may be claimed before an
-- evaluation stores it.
CREATE TABLE follow_ups (
    window_id     TEXT NOT NULL PRIMARY KEY,
    claimed_by    TEXT,
    claimed_at    TEXT,
    snoozed_until TEXT,
    snoozed_by    TEXT,
    done_by       TEXT,
    done_at       TEXT
);

CREATE TABLE window_notes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    window_id TEXT NOT NULL,     -- without a foreign key, as follow_ups
    author    TEXT NOT NULL,
    body      TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX window_notes_window ON window_notes (window_id, id);

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,        -- window.claim, peer.add, subscription.remove…
    target TEXT NOT NULL,        -- the window, user or room acted on
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_target ON audit_log (target, at, id);
