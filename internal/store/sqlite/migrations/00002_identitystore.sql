-- Identity-store users, groups and memberships. Names are unique
-- case-insensitively through the *_norm columns; emails and external ids are
-- kept in lookup tables so they can be found by index.

-- +goose Up
CREATE TABLE users (
    id             TEXT    PRIMARY KEY,
    user_name      TEXT    NOT NULL,
    user_name_norm TEXT    NOT NULL,
    profile        TEXT    NOT NULL,
    external_ids   TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    created_by     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_user_name_norm ON users (user_name_norm);

CREATE TABLE user_emails (
    email_norm TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (email_norm, user_id)
) STRICT;
CREATE INDEX user_emails_user ON user_emails (user_id);

CREATE TABLE user_external_ids (
    issuer      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (issuer, external_id)
) STRICT;
CREATE INDEX user_external_ids_user ON user_external_ids (user_id);

CREATE TABLE groups (
    id                TEXT    PRIMARY KEY,
    display_name      TEXT    NOT NULL,
    display_name_norm TEXT    NOT NULL,
    description       TEXT    NOT NULL,
    external_ids      TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    created_by        TEXT    NOT NULL,
    updated_by        TEXT    NOT NULL
) STRICT;
CREATE UNIQUE INDEX groups_display_name_norm ON groups (display_name_norm);

CREATE TABLE group_external_ids (
    issuer      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    group_id    TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (issuer, external_id)
) STRICT;
CREATE INDEX group_external_ids_group ON group_external_ids (group_id);

CREATE TABLE memberships (
    id         TEXT    PRIMARY KEY,
    group_id   TEXT    NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    created_by TEXT    NOT NULL
) STRICT;
CREATE UNIQUE INDEX memberships_group_user ON memberships (group_id, user_id);
-- The entitlement queries read a user's groups from this covering index.
CREATE INDEX memberships_user_group ON memberships (user_id, group_id);
CREATE INDEX memberships_group_id ON memberships (group_id, id);
CREATE INDEX memberships_user_id ON memberships (user_id, id);

-- +goose Down
DROP TABLE memberships;
DROP TABLE group_external_ids;
DROP TABLE groups;
DROP TABLE user_external_ids;
DROP TABLE user_emails;
DROP TABLE users;
