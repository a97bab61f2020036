-- Sign-in state: passwords, portal sessions, SSO-OIDC clients, device
-- authorizations and tokens. Secrets are stored only as hashes.

-- The PostgreSQL twin of store/sqlite/migrations/00004_signin.sql: the same tables
-- and indexes; text collates "C" (byte order, as SQLite's BINARY) so pages
-- sort alike.

-- +goose Up
CREATE TABLE password_states (
    user_id         TEXT COLLATE "C" PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    hash            TEXT COLLATE "C" NOT NULL,
    failed_attempts BIGINT           NOT NULL,
    locked_until    BIGINT           NOT NULL,
    updated_at      BIGINT           NOT NULL
);

CREATE TABLE portal_sessions (
    id_hash    TEXT COLLATE "C" PRIMARY KEY,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT           NOT NULL,
    expires_at BIGINT           NOT NULL
);
CREATE INDEX portal_sessions_user ON portal_sessions (user_id);

CREATE TABLE oidc_clients (
    id          TEXT COLLATE "C" PRIMARY KEY,
    secret_hash TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    type        TEXT COLLATE "C" NOT NULL,
    scopes      TEXT COLLATE "C" NOT NULL,
    issued_at   BIGINT           NOT NULL,
    expires_at  BIGINT           NOT NULL
);

CREATE TABLE device_authorizations (
    code_hash      TEXT COLLATE "C" PRIMARY KEY,
    user_code      TEXT COLLATE "C" NOT NULL,
    client_id      TEXT COLLATE "C" NOT NULL,
    scopes         TEXT COLLATE "C" NOT NULL,
    start_url      TEXT COLLATE "C" NOT NULL,
    status         TEXT COLLATE "C" NOT NULL,
    user_id        TEXT COLLATE "C" NOT NULL,
    interval_ns    BIGINT           NOT NULL,
    last_polled_at BIGINT           NOT NULL,
    created_at     BIGINT           NOT NULL,
    expires_at     BIGINT           NOT NULL
);
-- Expired rows are removed before a user code is reused, so this keeps user
-- codes unique among live authorizations.
CREATE UNIQUE INDEX device_authorizations_user_code ON device_authorizations (user_code);
CREATE INDEX device_authorizations_expires ON device_authorizations (expires_at);

CREATE TABLE tokens (
    access_hash        TEXT COLLATE "C" PRIMARY KEY,
    refresh_hash       TEXT COLLATE "C" ,
    family_id          TEXT COLLATE "C" NOT NULL,
    user_id            TEXT COLLATE "C" NOT NULL,
    client_id          TEXT COLLATE "C" NOT NULL,
    scopes             TEXT COLLATE "C" NOT NULL,
    created_at         BIGINT           NOT NULL,
    expires_at         BIGINT           NOT NULL,
    refresh_expires_at BIGINT           NOT NULL
);
CREATE UNIQUE INDEX tokens_refresh_hash ON tokens (refresh_hash);
CREATE INDEX tokens_family ON tokens (family_id);
CREATE INDEX tokens_user ON tokens (user_id);

-- Refresh tokens that were rotated away, kept until they would have expired
-- so that a replay revokes the family.
CREATE TABLE rotated_refresh_tokens (
    refresh_hash TEXT COLLATE "C" PRIMARY KEY,
    family_id    TEXT COLLATE "C" NOT NULL,
    user_id      TEXT COLLATE "C" NOT NULL,
    expires_at   BIGINT           NOT NULL
);
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
