-- Award campaigns: each campaign's state, its nominations, and the current ballot of each voter in
-- each category. Keep it column-for-column in step with ../sqlite.
--
-- The campaign's serde form is the truth, split three ways so that the campaigns row never says
-- who voted what: the nominations go to `nominations` (one row each, with the columns queries
-- need), the ballot box's voters to `ballots`, and the rest, the sealed ballots included, to
-- `campaigns.state`. When voting closes on a secret campaign its ballots are sealed into the
-- state without voter ids and its `ballots` rows are deleted.

CREATE TABLE campaigns (
    id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,  -- the number as text: 1, 2, …
    number       BIGINT NOT NULL UNIQUE,
    title        TEXT COLLATE "C" NOT NULL,
    phase        TEXT COLLATE "C" NOT NULL,     -- draft, nominations-open, … certified
    state        TEXT COLLATE "C" NOT NULL,     -- JSON: the campaign without nominations and voters
    created_at   TEXT COLLATE "C" NOT NULL,
    updated_at   TEXT COLLATE "C" NOT NULL
);

CREATE TABLE nominations (
    campaign   TEXT COLLATE "C" NOT NULL REFERENCES campaigns (id),
    number     BIGINT NOT NULL,                 -- the nomination's #number in its campaign
    category   TEXT COLLATE "C" NOT NULL,
    nominee    TEXT COLLATE "C" NOT NULL,       -- the nominee's name
    nominator  TEXT COLLATE "C" NOT NULL,
    status     TEXT COLLATE "C" NOT NULL,       -- active, withdrawn or lapsed
    seconds    BIGINT NOT NULL,
    made_at    TEXT COLLATE "C" NOT NULL,
    nomination TEXT COLLATE "C" NOT NULL,       -- JSON: the nomination; the columns above derive from it
    PRIMARY KEY (campaign, number)
);
CREATE INDEX nominations_category ON nominations (campaign, category, number);

-- One row per voter and category: casting again replaces the row, so the last ballot counts.
-- `seq` numbers a voter's ballots in the campaign in the order they were taken; a row is only
-- replaced by a ballot with a higher one.
CREATE TABLE ballots (
    campaign TEXT COLLATE "C" NOT NULL REFERENCES campaigns (id),
    category TEXT COLLATE "C" NOT NULL,
    voter    TEXT COLLATE "C" NOT NULL,
    region   TEXT COLLATE "C",                  -- the voter's region when they last voted
    vote     TEXT COLLATE "C" NOT NULL,         -- JSON
    cast_at  TEXT COLLATE "C" NOT NULL,
    seq      BIGINT NOT NULL,
    PRIMARY KEY (campaign, category, voter)
);
CREATE INDEX ballots_voter ON ballots (campaign, voter);
