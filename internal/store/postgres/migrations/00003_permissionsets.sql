-- Permission sets, account assignments, the roles provisioning creates and
-- the request status objects.

-- The PostgreSQL twin of store/sqlite/migrations/00003_permissionsets.sql: the same tables
-- and indexes; text collates "C" (byte order, as SQLite's BINARY) so pages
-- sort alike.

-- +goose Up
CREATE TABLE permission_sets (
    id               TEXT COLLATE "C" PRIMARY KEY,
    instance_id      TEXT COLLATE "C" NOT NULL,
    name             TEXT COLLATE "C" NOT NULL,
    description      TEXT COLLATE "C" NOT NULL,
    session_duration TEXT COLLATE "C" NOT NULL,
    relay_state      TEXT COLLATE "C" NOT NULL,
    tags             TEXT COLLATE "C" NOT NULL,
    managed_policies TEXT COLLATE "C" NOT NULL,
    inline_policy    TEXT COLLATE "C" NOT NULL,
    version          BIGINT           NOT NULL,
    created_at       BIGINT           NOT NULL
);
CREATE UNIQUE INDEX permission_sets_name ON permission_sets (instance_id, name);

CREATE TABLE assignments (
    account_id        TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
    permission_set_id TEXT COLLATE "C" NOT NULL REFERENCES permission_sets (id),
    principal_type    TEXT COLLATE "C" NOT NULL,
    principal_id      TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT           NOT NULL,
    PRIMARY KEY (account_id, permission_set_id, principal_type, principal_id)
);
-- A principal's accounts, in account order: the entitlement queries.
CREATE INDEX assignments_principal
    ON assignments (principal_type, principal_id, account_id, permission_set_id);
CREATE INDEX assignments_permission_set ON assignments (permission_set_id);

CREATE TABLE roles (
    account_id        TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
    permission_set_id TEXT COLLATE "C" NOT NULL REFERENCES permission_sets (id),
    name              TEXT COLLATE "C" NOT NULL,
    id                TEXT COLLATE "C" NOT NULL,
    path              TEXT COLLATE "C" NOT NULL,
    version           BIGINT           NOT NULL,
    created_at        BIGINT           NOT NULL,
    PRIMARY KEY (account_id, permission_set_id)
);
CREATE INDEX roles_permission_set ON roles (permission_set_id, account_id);

CREATE TABLE requests (
    id                TEXT COLLATE "C" PRIMARY KEY,
    kind              TEXT COLLATE "C" NOT NULL,
    status            TEXT COLLATE "C" NOT NULL,
    failure_reason    TEXT COLLATE "C" NOT NULL,
    account_id        TEXT COLLATE "C" NOT NULL,
    permission_set_id TEXT COLLATE "C" NOT NULL,
    principal_type    TEXT COLLATE "C" NOT NULL,
    principal_id      TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT           NOT NULL
);

-- +goose Down
DROP TABLE requests;
DROP TABLE roles;
DROP TABLE assignments;
DROP TABLE permission_sets;
