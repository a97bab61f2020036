-- Sign-in state: passwords, portal sessions, SSO-OIDC clients, device
-- authorizations and tokens. Secrets are stored only as hashes.

-- +goose Up
CREATE TABLE password_states (
    user_id         TEXT    PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    hash            TEXT    NOT NULL,
    failed_attempts INTEGER NOT NULL,
    locked_until    INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE portal_sessions (
    id_hash    TEXT    PRIMARY KEY,
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX portal_sessions_user ON portal_sessions (user_id);

CREATE TABLE oidc_clients (
    id          TEXT    PRIMARY KEY,
    secret_hash TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    scopes      TEXT    NOT NULL,
    issued_at   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE device_authorizations (
    code_hash      TEXT    PRIMARY KEY,
    user_code      TEXT    NOT NULL,
    client_id      TEXT    NOT NULL,
    scopes         TEXT    NOT NULL,
    start_url      TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    user_id        TEXT    NOT NULL,
    interval_ns    INTEGER NOT NULL,
    last_polled_at INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
) STRICT;
-- Expired rows are removed before a user code is reused, so this keeps user
-- codes unique among live authorizations.
CREATE UNIQUE INDEX device_authorizations_user_code ON device_authorizations (user_code);
CREATE INDEX device_authorizations_expires ON device_authorizations (expires_at);

CREATE TABLE tokens (
    access_hash        TEXT    PRIMARY KEY,
    refresh_hash       TEXT,
    family_id          TEXT    NOT NULL,
    user_id            TEXT    NOT NULL,
    client_id          TEXT    NOT NULL,
    scopes             TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    refresh_expires_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX tokens_refresh_hash ON tokens (refresh_hash);
CREATE INDEX tokens_family ON tokens (family_id);
CREATE INDEX tokens_user ON tokens (user_id);

-- Refresh tokens that were rotated away, kept until they would have expired
-- so that a replay revokes the family.
CREATE TABLE rotated_refresh_tokens (
    refresh_hash TEXT    PRIMARY KEY,
    family_id    TEXT    NOT NULL,
    user_id      TEXT    NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX rotated_refresh_tokens_family ON rotated_refresh_tokens (family_id);
CREATE INDEX rotated_refresh_tokens_user ON rotated_refresh_tokens (user_id);
CREATE INDEX rotated_refresh_tokens_expires ON rotated_refresh_tokens (expires_at);

-- +goose Down
DROP TABLE rotated_refresh_tokens;
DROP TABLE tokens;
DROP TABLE device_authorizations;
DROP TABLE oidc_clients;
DROP TABLE portal_sessions;
DROP TABLE password_states;
