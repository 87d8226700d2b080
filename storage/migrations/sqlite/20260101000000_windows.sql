-- Windows derived by the rules, kept with their history. Keep it column-for-column in step with
-- ../postgres.
--
-- A window is keyed by its WindowId (a hash of its rule, jurisdiction and occurrence, never of its
-- dates). Windows reference jurisdictions by text, without a foreign key, as events do.
CREATE TABLE windows (
    id           TEXT NOT NULL PRIMARY KEY,
    rule         TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    country      TEXT NOT NULL,
    region       TEXT NOT NULL,
    state        TEXT NOT NULL,  -- as of the evaluation that last changed it
    opens        TEXT NOT NULL,
    closes       TEXT NOT NULL,
    body         TEXT NOT NULL,  -- the Window as JSON: the truth; the columns above index it
    first_seen   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    gone_at      TEXT            -- set when an evaluation no longer derived it
);
CREATE INDEX windows_opens ON windows (opens, jurisdiction, id);
CREATE INDEX windows_country_opens ON windows (country, opens);
CREATE INDEX windows_jurisdiction_opens ON windows (jurisdiction, opens);

CREATE TABLE window_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    window_id   TEXT NOT NULL REFERENCES windows (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    before_body TEXT,            -- JSON; NULL when the window was new
    after_body  TEXT             -- JSON; NULL when the window was gone
);
CREATE INDEX window_history_window ON window_history (window_id, id);
