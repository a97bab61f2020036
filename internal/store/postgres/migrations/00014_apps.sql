-- The identity provider's applications (Okta's Application), who is
-- assigned to them directly or through a group, and which groups they push
-- to their SCIM target. SAML settings and catalogue keys are JSON; the
-- SCIM bearer token is sealed with the master key (the identity provider
-- must send it, so it cannot be a hash). Assignments and pushes go with
-- their app, user or group (ON DELETE CASCADE); the change feed names the
-- app of an app change in its new app_id column.

-- The PostgreSQL twin of store/sqlite/migrations/00014_apps.sql; text
-- collates "C" so pages sort alike.

-- +goose Up
CREATE TABLE idp_apps (
    id            TEXT COLLATE "C" PRIMARY KEY,
    name          TEXT COLLATE "C" NOT NULL,
    label         TEXT COLLATE "C" NOT NULL,
    sign_on_mode  TEXT COLLATE "C" NOT NULL,
    status        TEXT COLLATE "C" NOT NULL,
    created       BIGINT  NOT NULL,
    last_updated  BIGINT  NOT NULL,
    saml          TEXT COLLATE "C" NOT NULL, -- JSON: directory.SAMLSettings
    settings      TEXT COLLATE "C" NOT NULL, -- JSON object of strings (settings.app)
    scim_enabled  BIGINT  NOT NULL,
    scim_url      TEXT COLLATE "C" NOT NULL,
    scim_token    BYTEA   NOT NULL  -- sealed
);

CREATE TABLE idp_app_users (
    app_id       TEXT COLLATE "C" NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    user_id      TEXT COLLATE "C" NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    created      BIGINT  NOT NULL,
    last_updated BIGINT  NOT NULL,
    PRIMARY KEY (app_id, user_id)
);
CREATE INDEX idp_app_users_user ON idp_app_users (user_id);

CREATE TABLE idp_app_groups (
    app_id       TEXT COLLATE "C" NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    group_id     TEXT COLLATE "C" NOT NULL REFERENCES idp_groups (id) ON DELETE CASCADE,
    priority     BIGINT  NOT NULL,
    created      BIGINT  NOT NULL,
    last_updated BIGINT  NOT NULL,
    PRIMARY KEY (app_id, group_id)
);
CREATE INDEX idp_app_groups_group ON idp_app_groups (group_id);

CREATE TABLE idp_group_pushes (
    app_id   TEXT COLLATE "C" NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    group_id TEXT COLLATE "C" NOT NULL REFERENCES idp_groups (id) ON DELETE CASCADE,
    created  BIGINT  NOT NULL,
    PRIMARY KEY (app_id, group_id)
);
CREATE INDEX idp_group_pushes_group ON idp_group_pushes (group_id);

ALTER TABLE idp_changes ADD COLUMN app_id TEXT COLLATE "C" NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idp_changes DROP COLUMN app_id;
DROP TABLE idp_group_pushes;
DROP TABLE idp_app_groups;
DROP TABLE idp_app_users;
DROP TABLE idp_apps;
