-- The identity provider's directory: users, groups and memberships, the
-- change feed provisioning follows, custom profile attributes,
-- administrator roles, API tokens, one-time links, factors and sessions.
-- Tables are prefixed idp_ so they never meet the AWS side's identity-store
-- tables. Logins and group names are unique case-insensitively through the
-- *_norm columns; times are Unix nanoseconds, 0 for "never"; secrets are
-- stored only as hashes (TOTP secrets sealed).

-- The PostgreSQL twin of store/sqlite/migrations/00010_directory.sql: the same tables
-- and indexes; text collates "C" (byte order, as SQLite's BINARY) so pages
-- sort alike.

-- +goose Up
CREATE TABLE idp_users (
    id             TEXT COLLATE "C" PRIMARY KEY,
    login          TEXT COLLATE "C" NOT NULL,
    login_norm     TEXT COLLATE "C" NOT NULL,
    status         TEXT COLLATE "C" NOT NULL,
    type           TEXT COLLATE "C" NOT NULL,
    profile        TEXT COLLATE "C" NOT NULL, -- JSON object
    password       TEXT COLLATE "C" NOT NULL, -- JSON: hash, changed, history
    created        BIGINT           NOT NULL,
    activated      BIGINT           NOT NULL,
    status_changed BIGINT           NOT NULL,
    last_login     BIGINT           NOT NULL,
    last_updated   BIGINT           NOT NULL
);
CREATE UNIQUE INDEX idp_users_login_norm ON idp_users (login_norm);

CREATE TABLE idp_groups (
    id                      TEXT COLLATE "C" PRIMARY KEY,
    type                    TEXT COLLATE "C" NOT NULL,
    name                    TEXT COLLATE "C" NOT NULL,
    name_norm               TEXT COLLATE "C" NOT NULL,
    description             TEXT COLLATE "C" NOT NULL,
    created                 BIGINT           NOT NULL,
    last_updated            BIGINT           NOT NULL,
    last_membership_updated BIGINT           NOT NULL
);
CREATE UNIQUE INDEX idp_groups_name_norm ON idp_groups (name_norm);

-- Every profile value of every user, case-folded as search compares them
-- (directory.Fold), so a search for profile.X eq "v" reads the matching
-- users by index instead of every user.
CREATE TABLE idp_user_attrs (
    name    TEXT COLLATE "C" NOT NULL, -- profile.<attribute>
    value   TEXT COLLATE "C" NOT NULL, -- folded
    user_id TEXT COLLATE "C" NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    PRIMARY KEY (name, value, user_id)
);
CREATE INDEX idp_user_attrs_user ON idp_user_attrs (user_id);

CREATE TABLE idp_memberships (
    group_id TEXT COLLATE "C" NOT NULL REFERENCES idp_groups (id) ON DELETE CASCADE,
    user_id  TEXT COLLATE "C" NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    created  BIGINT           NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX idp_memberships_user_group ON idp_memberships (user_id, group_id);

-- The change feed names what changed, never the new values; it outlives
-- the users and groups it names, so it has no foreign keys. seq comes from
-- the one row of idp_change_seq, which each directory write updates: the
-- row lock holds a second writer until the first commits, so seq follows
-- commit order and a follower that remembers the last seq it read never
-- skips a change committed later with a smaller one (as a sequence or
-- identity could hand out on PostgreSQL).
CREATE TABLE idp_change_seq (
    singleton BIGINT           PRIMARY KEY CHECK (singleton = 1),
    seq       BIGINT           NOT NULL
);
INSERT INTO idp_change_seq (singleton, seq) VALUES (1, 0);

CREATE TABLE idp_changes (
    seq      BIGINT           PRIMARY KEY,
    time     BIGINT           NOT NULL,
    kind     TEXT COLLATE "C" NOT NULL,
    user_id  TEXT COLLATE "C" NOT NULL,
    group_id TEXT COLLATE "C" NOT NULL
);

CREATE TABLE idp_schema_attributes (
    name      TEXT COLLATE "C" PRIMARY KEY,
    attribute TEXT COLLATE "C" NOT NULL -- JSON
);

CREATE TABLE idp_roles (
    id           TEXT COLLATE "C" PRIMARY KEY,
    user_id      TEXT COLLATE "C" NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    type         TEXT COLLATE "C" NOT NULL,
    targets      TEXT COLLATE "C" NOT NULL, -- JSON list of group ids
    created      BIGINT           NOT NULL,
    last_updated BIGINT           NOT NULL,
    UNIQUE (user_id, type)
);
CREATE INDEX idp_roles_type ON idp_roles (type);

CREATE TABLE idp_api_tokens (
    id          TEXT COLLATE "C" PRIMARY KEY,
    hash        TEXT COLLATE "C" NOT NULL UNIQUE,
    name        TEXT COLLATE "C" NOT NULL,
    user_id     TEXT COLLATE "C" NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    client_name TEXT COLLATE "C" NOT NULL,
    created     BIGINT           NOT NULL,
    last_used   BIGINT           NOT NULL,
    expires_at  BIGINT           NOT NULL
);
CREATE INDEX idp_api_tokens_user ON idp_api_tokens (user_id);
CREATE INDEX idp_api_tokens_expires ON idp_api_tokens (expires_at);

CREATE TABLE idp_user_tokens (
    hash       TEXT COLLATE "C" PRIMARY KEY,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    purpose    TEXT COLLATE "C" NOT NULL,
    created    BIGINT           NOT NULL,
    expires_at BIGINT           NOT NULL,
    UNIQUE (user_id, purpose)
);
CREATE INDEX idp_user_tokens_expires ON idp_user_tokens (expires_at);

CREATE TABLE idp_factors (
    id            TEXT COLLATE "C" PRIMARY KEY,
    user_id       TEXT COLLATE "C" NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    type          TEXT COLLATE "C" NOT NULL,
    provider      TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL,
    name          TEXT COLLATE "C" NOT NULL,
    secret        BYTEA            NOT NULL, -- sealed TOTP secret
    last_step     BIGINT           NOT NULL,
    credential    BYTEA            NOT NULL, -- WebAuthn credential JSON
    credential_id TEXT COLLATE "C" NOT NULL,
    created       BIGINT           NOT NULL,
    last_updated  BIGINT           NOT NULL
);
CREATE INDEX idp_factors_user ON idp_factors (user_id);
-- TOTP factors have no credential id; WebAuthn credential ids are unique.
CREATE UNIQUE INDEX idp_factors_credential_id ON idp_factors (credential_id) WHERE credential_id <> '';

CREATE TABLE idp_sessions (
    id_hash         TEXT COLLATE "C" PRIMARY KEY,
    user_id         TEXT COLLATE "C" NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    created         BIGINT           NOT NULL,
    last_active     BIGINT           NOT NULL,
    idle_expires_at BIGINT           NOT NULL,
    expires_at      BIGINT           NOT NULL,
    amr             TEXT COLLATE "C" NOT NULL, -- JSON list
    ip              TEXT COLLATE "C" NOT NULL,
    user_agent      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX idp_sessions_user ON idp_sessions (user_id);
CREATE INDEX idp_sessions_expires ON idp_sessions (expires_at);
CREATE INDEX idp_sessions_idle_expires ON idp_sessions (idle_expires_at);

-- +goose Down
DROP TABLE idp_sessions;
DROP TABLE idp_factors;
DROP TABLE idp_user_tokens;
DROP TABLE idp_api_tokens;
DROP TABLE idp_roles;
DROP TABLE idp_schema_attributes;
DROP TABLE idp_changes;
DROP TABLE idp_change_seq;
DROP TABLE idp_memberships;
DROP TABLE idp_user_attrs;
DROP TABLE idp_groups;
DROP TABLE idp_users;
