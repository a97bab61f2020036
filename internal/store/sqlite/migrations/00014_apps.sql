-- The identity provider's applications (Okta's Application), who is
-- assigned to them directly or through a group, and which groups they push
-- to their SCIM target. SAML settings and catalogue keys are JSON; the
-- SCIM bearer token is sealed with the master key (the identity provider
-- must send it, so it cannot be a hash). Assignments and pushes go with
-- their app, user or group (ON DELETE CASCADE); the change feed names the
-- app of an app change in its new app_id column.

-- +goose Up
CREATE TABLE idp_apps (
    id            TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    label         TEXT    NOT NULL,
    sign_on_mode  TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    created       INTEGER NOT NULL,
    last_updated  INTEGER NOT NULL,
    saml          TEXT    NOT NULL, -- JSON: directory.SAMLSettings
    settings      TEXT    NOT NULL, -- JSON object of strings (settings.app)
    scim_enabled  INTEGER NOT NULL,
    scim_url      TEXT    NOT NULL,
    scim_token    BLOB    NOT NULL  -- sealed
) STRICT;

CREATE TABLE idp_app_users (
    app_id       TEXT    NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    user_id      TEXT    NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    created      INTEGER NOT NULL,
    last_updated INTEGER NOT NULL,
    PRIMARY KEY (app_id, user_id)
) STRICT;
CREATE INDEX idp_app_users_user ON idp_app_users (user_id);

CREATE TABLE idp_app_groups (
    app_id       TEXT    NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    group_id     TEXT    NOT NULL REFERENCES idp_groups (id) ON DELETE CASCADE,
    priority     INTEGER NOT NULL,
    created      INTEGER NOT NULL,
    last_updated INTEGER NOT NULL,
    PRIMARY KEY (app_id, group_id)
) STRICT;
CREATE INDEX idp_app_groups_group ON idp_app_groups (group_id);

CREATE TABLE idp_group_pushes (
    app_id   TEXT    NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    group_id TEXT    NOT NULL REFERENCES idp_groups (id) ON DELETE CASCADE,
    created  INTEGER NOT NULL,
    PRIMARY KEY (app_id, group_id)
) STRICT;
CREATE INDEX idp_group_pushes_group ON idp_group_pushes (group_id);

ALTER TABLE idp_changes ADD COLUMN app_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idp_changes DROP COLUMN app_id;
DROP TABLE idp_group_pushes;
DROP TABLE idp_app_groups;
DROP TABLE idp_app_users;
DROP TABLE idp_apps;
