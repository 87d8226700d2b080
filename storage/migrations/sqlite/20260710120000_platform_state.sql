-- What a chat platform keeps between runs, by name: Discord keeps the hash of the application
-- commands it last registered in each scope (`commands:global`, `commands:guild:<id>`), so that
-- a restart with the same definitions registers nothing. Keep it column-for-column in step with
-- ../postgres.

CREATE TABLE platform_state (
    platform   TEXT NOT NULL,    -- discord, matrix…
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, name)
);
