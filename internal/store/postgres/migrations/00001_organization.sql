-- The organization, its accounts and root access keys, and the Identity
-- Center instance. Times are Unix nanoseconds (0 for the zero time).

-- The PostgreSQL twin of store/sqlite/migrations/00001_organization.sql: the same tables
-- and indexes; text collates "C" (byte order, as SQLite's BINARY) so pages
-- sort alike.

-- +goose Up
CREATE TABLE organization (
    singleton             BIGINT           PRIMARY KEY CHECK (singleton = 1),
    id                    TEXT COLLATE "C" NOT NULL,
    management_account_id TEXT COLLATE "C" NOT NULL,
    management_email      TEXT COLLATE "C" NOT NULL,
    root_key_id           TEXT COLLATE "C" NOT NULL,
    created_at            BIGINT           NOT NULL
);

CREATE TABLE instance (
    singleton         BIGINT           PRIMARY KEY CHECK (singleton = 1),
    id                TEXT COLLATE "C" NOT NULL,
    identity_store_id TEXT COLLATE "C" NOT NULL,
    owner_account_id  TEXT COLLATE "C" NOT NULL,
    name              TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT           NOT NULL
);

CREATE TABLE accounts (
    id            TEXT COLLATE "C" PRIMARY KEY,
    name          TEXT COLLATE "C" NOT NULL,
    email         TEXT COLLATE "C" NOT NULL,
    email_norm    TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL,
    joined_method TEXT COLLATE "C" NOT NULL,
    joined_at     BIGINT           NOT NULL
);
CREATE UNIQUE INDEX accounts_email_norm ON accounts (email_norm);

CREATE TABLE create_account_statuses (
    id             TEXT COLLATE "C" PRIMARY KEY,
    account_name   TEXT COLLATE "C" NOT NULL,
    state          TEXT COLLATE "C" NOT NULL,
    account_id     TEXT COLLATE "C" NOT NULL,
    failure_reason TEXT COLLATE "C" NOT NULL,
    requested_at   BIGINT           NOT NULL,
    completed_at   BIGINT           NOT NULL
);

CREATE TABLE access_keys (
    id            TEXT COLLATE "C" PRIMARY KEY,
    account_id    TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
    sealed_secret BYTEA            NOT NULL,
    created_at    BIGINT           NOT NULL
);
CREATE INDEX access_keys_account ON access_keys (account_id);

-- +goose Down
DROP TABLE access_keys;
DROP TABLE create_account_statuses;
DROP TABLE accounts;
DROP TABLE instance;
DROP TABLE organization;
