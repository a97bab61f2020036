-- Permission sets, account assignments, the roles provisioning creates and
-- the request status objects.

-- +goose Up
CREATE TABLE permission_sets (
    id               TEXT    PRIMARY KEY,
    instance_id      TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    session_duration TEXT    NOT NULL,
    relay_state      TEXT    NOT NULL,
    tags             TEXT    NOT NULL,
    managed_policies TEXT    NOT NULL,
    inline_policy    TEXT    NOT NULL,
    version          INTEGER NOT NULL,
    created_at       INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX permission_sets_name ON permission_sets (instance_id, name);

CREATE TABLE assignments (
    account_id        TEXT    NOT NULL REFERENCES accounts (id),
    permission_set_id TEXT    NOT NULL REFERENCES permission_sets (id),
    principal_type    TEXT    NOT NULL,
    principal_id      TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    PRIMARY KEY (account_id, permission_set_id, principal_type, principal_id)
) STRICT;
-- A principal's accounts, in account order: the entitlement queries.
CREATE INDEX assignments_principal
    ON assignments (principal_type, principal_id, account_id, permission_set_id);
CREATE INDEX assignments_permission_set ON assignments (permission_set_id);

CREATE TABLE roles (
    account_id        TEXT    NOT NULL REFERENCES accounts (id),
    permission_set_id TEXT    NOT NULL REFERENCES permission_sets (id),
    name              TEXT    NOT NULL,
    id                TEXT    NOT NULL,
    path              TEXT    NOT NULL,
    version           INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    PRIMARY KEY (account_id, permission_set_id)
) STRICT;
CREATE INDEX roles_permission_set ON roles (permission_set_id, account_id);

CREATE TABLE requests (
    id                TEXT    PRIMARY KEY,
    kind              TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    failure_reason    TEXT    NOT NULL,
    account_id        TEXT    NOT NULL,
    permission_set_id TEXT    NOT NULL,
    principal_type    TEXT    NOT NULL,
    principal_id      TEXT    NOT NULL,
    created_at        INTEGER NOT NULL
) STRICT;

-- +goose Down
DROP TABLE requests;
DROP TABLE roles;
DROP TABLE assignments;
DROP TABLE permission_sets;
