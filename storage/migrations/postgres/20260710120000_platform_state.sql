-- What a chat platform keeps between runs, by name: Discord keeps the hash of the application
-- commands it last registered in each scope (`commands:global`, `commands:guild:<id>`), so that
-- a restart with the same definitions registers nothing. Keep it column-for-column in step with
-- ../sqlite.

CREATE TABLE platform_state (
    platform   TEXT COLLATE "C" NOT NULL,    -- discord, matrix…
    name       TEXT COLLATE "C" NOT NULL,
    value      TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (platform, name)
);
