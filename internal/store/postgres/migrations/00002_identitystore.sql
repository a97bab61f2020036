-- Identity-store users, groups and memberships. Names are unique
-- case-insensitively through the *_norm columns; emails and external ids are
-- kept in lookup tables so they can be found by index.

-- The PostgreSQL twin of store/sqlite/migrations/00002_identitystore.sql: the same tables
-- and indexes; text collates "C" (byte order, as SQLite's BINARY) so pages
-- sort alike.

-- +goose Up
CREATE TABLE users (
    id             TEXT COLLATE "C" PRIMARY KEY,
    user_name      TEXT COLLATE "C" NOT NULL,
    user_name_norm TEXT COLLATE "C" NOT NULL,
    profile        TEXT COLLATE "C" NOT NULL,
    external_ids   TEXT COLLATE "C" NOT NULL,
    status         TEXT COLLATE "C" NOT NULL,
    created_at     BIGINT           NOT NULL,
    updated_at     BIGINT           NOT NULL,
    created_by     TEXT COLLATE "C" NOT NULL,
    updated_by     TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX users_user_name_norm ON users (user_name_norm);

CREATE TABLE user_emails (
    email_norm TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (email_norm, user_id)
);
CREATE INDEX user_emails_user ON user_emails (user_id);

CREATE TABLE user_external_ids (
    issuer      TEXT COLLATE "C" NOT NULL,
    external_id TEXT COLLATE "C" NOT NULL,
    user_id     TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (issuer, external_id)
);
CREATE INDEX user_external_ids_user ON user_external_ids (user_id);

CREATE TABLE groups (
    id                TEXT COLLATE "C" PRIMARY KEY,
    display_name      TEXT COLLATE "C" NOT NULL,
    display_name_norm TEXT COLLATE "C" NOT NULL,
    description       TEXT COLLATE "C" NOT NULL,
    external_ids      TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT           NOT NULL,
    updated_at        BIGINT           NOT NULL,
    created_by        TEXT COLLATE "C" NOT NULL,
    updated_by        TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX groups_display_name_norm ON groups (display_name_norm);

CREATE TABLE group_external_ids (
    issuer      TEXT COLLATE "C" NOT NULL,
    external_id TEXT COLLATE "C" NOT NULL,
    group_id    TEXT COLLATE "C" NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    PRIMARY KEY (issuer, external_id)
);
CREATE INDEX group_external_ids_group ON group_external_ids (group_id);

CREATE TABLE memberships (
    id         TEXT COLLATE "C" PRIMARY KEY,
    group_id   TEXT COLLATE "C" NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT           NOT NULL,
    created_by TEXT COLLATE "C" NOT NULL
);
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
