-- Rate-limit windows and the system log.

-- +goose Up
CREATE TABLE rate_limits (
    key          TEXT    NOT NULL,
    window_start INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
) STRICT;
CREATE INDEX rate_limits_expires ON rate_limits (expires_at);

-- seq orders the log (newest first is seq descending); id is the public id.
CREATE TABLE events (
    seq               INTEGER PRIMARY KEY,
    id                TEXT    NOT NULL UNIQUE,
    time              INTEGER NOT NULL,
    action            TEXT    NOT NULL,
    actor_type        TEXT    NOT NULL,
    actor_id          TEXT    NOT NULL,
    actor_name        TEXT    NOT NULL,
    client_ip         TEXT    NOT NULL,
    client_user_agent TEXT    NOT NULL,
    target_type       TEXT    NOT NULL,
    target_id         TEXT    NOT NULL,
    outcome           TEXT    NOT NULL,
    message           TEXT    NOT NULL
) STRICT;

-- +goose Down
DROP TABLE events;
DROP TABLE rate_limits;
