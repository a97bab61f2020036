-- The identity provider's directory: users, groups and memberships, the
-- change feed provisioning follows, custom profile attributes,
-- administrator roles, API tokens, one-time links, factors and sessions.
-- Tables are prefixed idp_ so they never meet the AWS side's identity-store
-- tables. Logins and group names are unique case-insensitively through the
-- *_norm columns; times are Unix nanoseconds, 0 for "never"; secrets are
-- stored only as hashes (TOTP secrets sealed).

-- +goose Up
CREATE TABLE idp_users (
    id             TEXT    PRIMARY KEY,
    login          TEXT    NOT NULL,
    login_norm     TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    type           TEXT    NOT NULL,
    profile        TEXT    NOT NULL, -- JSON object
    password       TEXT    NOT NULL, -- JSON: hash, changed, history
    created        INTEGER NOT NULL,
    activated      INTEGER NOT NULL,
    status_changed INTEGER NOT NULL,
    last_login     INTEGER NOT NULL,
    last_updated   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX idp_users_login_norm ON idp_users (login_norm);

CREATE TABLE idp_groups (
    id                      TEXT    PRIMARY KEY,
    type                    TEXT    NOT NULL,
    name                    TEXT    NOT NULL,
    name_norm               TEXT    NOT NULL,
    description             TEXT    NOT NULL,
    created                 INTEGER NOT NULL,
    last_updated            INTEGER NOT NULL,
    last_membership_updated INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX idp_groups_name_norm ON idp_groups (name_norm);

-- Every profile value of every user, case-folded as search compares them
-- (directory.Fold), so a search for profile.X eq "v" reads the matching
-- users by index instead of every user.
CREATE TABLE idp_user_attrs (
    name    TEXT NOT NULL, -- profile.<attribute>
    value   TEXT NOT NULL, -- folded
    user_id TEXT NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    PRIMARY KEY (name, value, user_id)
) STRICT;
CREATE INDEX idp_user_attrs_user ON idp_user_attrs (user_id);

CREATE TABLE idp_memberships (
    group_id TEXT    NOT NULL REFERENCES idp_groups (id) ON DELETE CASCADE,
    user_id  TEXT    NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    created  INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX idp_memberships_user_group ON idp_memberships (user_id, group_id);

-- The change feed names what changed, never the new values; it outlives
-- the users and groups it names, so it has no foreign keys. seq comes from
-- the one row of idp_change_seq, which each directory write updates: the
-- row lock holds a second writer until the first commits, so seq follows
-- commit order and a follower that remembers the last seq it read never
-- skips a change committed later with a smaller one (as a sequence or
-- identity could hand out on PostgreSQL).
CREATE TABLE idp_change_seq (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    seq       INTEGER NOT NULL
) STRICT;
INSERT INTO idp_change_seq (singleton, seq) VALUES (1, 0);

CREATE TABLE idp_changes (
    seq      INTEGER PRIMARY KEY,
    time     INTEGER NOT NULL,
    kind     TEXT    NOT NULL,
    user_id  TEXT    NOT NULL,
    group_id TEXT    NOT NULL
) STRICT;

CREATE TABLE idp_schema_attributes (
    name      TEXT PRIMARY KEY,
    attribute TEXT NOT NULL -- JSON
) STRICT;

CREATE TABLE idp_roles (
    id           TEXT    PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    type         TEXT    NOT NULL,
    targets      TEXT    NOT NULL, -- JSON list of group ids
    created      INTEGER NOT NULL,
    last_updated INTEGER NOT NULL,
    UNIQUE (user_id, type)
) STRICT;
CREATE INDEX idp_roles_type ON idp_roles (type);

CREATE TABLE idp_api_tokens (
    id          TEXT    PRIMARY KEY,
    hash        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    user_id     TEXT    NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    client_name TEXT    NOT NULL,
    created     INTEGER NOT NULL,
    last_used   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX idp_api_tokens_user ON idp_api_tokens (user_id);
CREATE INDEX idp_api_tokens_expires ON idp_api_tokens (expires_at);

CREATE TABLE idp_user_tokens (
    hash       TEXT    PRIMARY KEY,
    user_id    TEXT    NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL,
    created    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    UNIQUE (user_id, purpose)
) STRICT;
CREATE INDEX idp_user_tokens_expires ON idp_user_tokens (expires_at);

CREATE TABLE idp_factors (
    id            TEXT    PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    type          TEXT    NOT NULL,
    provider      TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    secret        BLOB    NOT NULL, -- sealed TOTP secret
    last_step     INTEGER NOT NULL,
    credential    BLOB    NOT NULL, -- WebAuthn credential JSON
    credential_id TEXT    NOT NULL,
    created       INTEGER NOT NULL,
    last_updated  INTEGER NOT NULL
) STRICT;
CREATE INDEX idp_factors_user ON idp_factors (user_id);
-- TOTP factors have no credential id; WebAuthn credential ids are unique.
CREATE UNIQUE INDEX idp_factors_credential_id ON idp_factors (credential_id) WHERE credential_id <> '';

CREATE TABLE idp_sessions (
    id_hash         TEXT    PRIMARY KEY,
    user_id         TEXT    NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    created         INTEGER NOT NULL,
    last_active     INTEGER NOT NULL,
    idle_expires_at INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    amr             TEXT    NOT NULL, -- JSON list
    ip              TEXT    NOT NULL,
    user_agent      TEXT    NOT NULL
) STRICT;
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
