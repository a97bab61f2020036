-- The organization, its accounts and root access keys, and the Identity
-- Center instance. Times are Unix nanoseconds (0 for the zero time).

-- +goose Up
CREATE TABLE organization (
    singleton             INTEGER PRIMARY KEY CHECK (singleton = 1),
    id                    TEXT    NOT NULL,
    management_account_id TEXT    NOT NULL,
    management_email      TEXT    NOT NULL,
    root_key_id           TEXT    NOT NULL,
    created_at            INTEGER NOT NULL
) STRICT;

CREATE TABLE instance (
    singleton         INTEGER PRIMARY KEY CHECK (singleton = 1),
    id                TEXT    NOT NULL,
    identity_store_id TEXT    NOT NULL,
    owner_account_id  TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    created_at        INTEGER NOT NULL
) STRICT;

CREATE TABLE accounts (
    id            TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    email_norm    TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    joined_method TEXT    NOT NULL,
    joined_at     INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX accounts_email_norm ON accounts (email_norm);

CREATE TABLE create_account_statuses (
    id             TEXT    PRIMARY KEY,
    account_name   TEXT    NOT NULL,
    state          TEXT    NOT NULL,
    account_id     TEXT    NOT NULL,
    failure_reason TEXT    NOT NULL,
    requested_at   INTEGER NOT NULL,
    completed_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE access_keys (
    id            TEXT    PRIMARY KEY,
    account_id    TEXT    NOT NULL REFERENCES accounts (id),
    sealed_secret BLOB    NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX access_keys_account ON access_keys (account_id);

-- +goose Down
DROP TABLE access_keys;
DROP TABLE create_account_statuses;
DROP TABLE accounts;
DROP TABLE instance;
DROP TABLE organization;
