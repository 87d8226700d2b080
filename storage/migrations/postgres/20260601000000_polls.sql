-- Quick polls: an award campaign with one category, open ballots and the options as its
-- nominations, shown in a room. `polls` says which campaigns are polls, where they were asked,
-- and the platform events that show them (a Matrix poll start, then its end) once posted.
-- `poll_responses` keeps, per voter, the platform response counted last, so that a response
-- read again (the room's relations after a restart) never replaces a later one.
-- Keep it column-for-column in step with the other backend.

CREATE TABLE polls (
    campaign    TEXT NOT NULL PRIMARY KEY REFERENCES campaigns (id),
    room        TEXT NOT NULL,
    start_event TEXT UNIQUE,
    end_event   TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE poll_responses (
    campaign TEXT NOT NULL REFERENCES campaigns (id),
    voter    TEXT NOT NULL,
    event_id TEXT NOT NULL,
    sent_at  BIGINT NOT NULL,              -- the response's own time, milliseconds since 1970
    PRIMARY KEY (campaign, voter)
);
