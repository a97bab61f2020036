-- Rate-limit windows and the system log.

-- The PostgreSQL twin of store/sqlite/migrations/00005_system.sql: the same tables
-- and indexes; text collates "C" (byte order, as SQLite's BINARY) so pages
-- sort alike.

-- +goose Up
CREATE TABLE rate_limits (
    key          TEXT COLLATE "C" NOT NULL,
    window_start BIGINT           NOT NULL,
    expires_at   BIGINT           NOT NULL,
    count        BIGINT           NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_expires ON rate_limits (expires_at);

-- seq orders the log (newest first is seq descending); id is the public id.
CREATE TABLE events (
    seq               BIGINT           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                TEXT COLLATE "C" NOT NULL UNIQUE,
    time              BIGINT           NOT NULL,
    action            TEXT COLLATE "C" NOT NULL,
    actor_type        TEXT COLLATE "C" NOT NULL,
    actor_id          TEXT COLLATE "C" NOT NULL,
    actor_name        TEXT COLLATE "C" NOT NULL,
    client_ip         TEXT COLLATE "C" NOT NULL,
    client_user_agent TEXT COLLATE "C" NOT NULL,
    target_type       TEXT COLLATE "C" NOT NULL,
    target_id         TEXT COLLATE "C" NOT NULL,
    outcome           TEXT COLLATE "C" NOT NULL,
    message           TEXT COLLATE "C" NOT NULL
);

-- +goose Down
DROP TABLE events;
DROP TABLE rate_limits;
