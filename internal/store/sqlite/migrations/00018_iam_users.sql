-- IAM's users, groups and their policies, access keys and virtual MFA
-- devices, and each account's SAML and OIDC providers and alias. Users and
-- groups are keyed by their unique id (AIDA..., AGPA...), so a rename
-- touches one row; names are unique per account case-insensitively, as in
-- AWS. A user's or group's inline and attached policies share two tables
-- keyed by the owner's id. Deleting a user or group is refused while
-- anything here still names it, so the foreign keys never cascade.

-- +goose Up
CREATE TABLE iam_users (
    id         TEXT    PRIMARY KEY,
    account_id TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    name_norm  TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    boundary   TEXT    NOT NULL,
    tags       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX iam_users_name ON iam_users (account_id, name_norm);

CREATE TABLE iam_groups (
    id         TEXT    PRIMARY KEY,
    account_id TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    name_norm  TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX iam_groups_name ON iam_groups (account_id, name_norm);

CREATE TABLE iam_group_members (
    group_id TEXT NOT NULL REFERENCES iam_groups (id),
    user_id  TEXT NOT NULL REFERENCES iam_users (id),
    PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX iam_group_members_user ON iam_group_members (user_id);

CREATE TABLE iam_inline_policies (
    owner_id TEXT NOT NULL,
    name     TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (owner_id, name)
) STRICT;

CREATE TABLE iam_attached_policies (
    owner_id TEXT NOT NULL,
    arn      TEXT NOT NULL,
    PRIMARY KEY (owner_id, arn)
) STRICT;

CREATE TABLE iam_access_keys (
    id                TEXT    PRIMARY KEY,
    account_id        TEXT    NOT NULL,
    user_id           TEXT    NOT NULL REFERENCES iam_users (id),
    status            TEXT    NOT NULL,
    sealed_secret     BLOB    NOT NULL,
    created_at        INTEGER NOT NULL,
    last_used_at      INTEGER NOT NULL,
    last_used_service TEXT    NOT NULL,
    last_used_region  TEXT    NOT NULL
) STRICT;
CREATE INDEX iam_access_keys_user ON iam_access_keys (user_id);

CREATE TABLE iam_mfa_devices (
    serial      TEXT    PRIMARY KEY,
    account_id  TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    sealed_seed BLOB    NOT NULL,
    user_id     TEXT    NOT NULL,
    enabled_at  INTEGER NOT NULL,
    last_step   INTEGER NOT NULL,
    tags        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX iam_mfa_devices_account ON iam_mfa_devices (account_id, user_id);

CREATE TABLE iam_saml_providers (
    arn          TEXT    PRIMARY KEY,
    account_id   TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    metadata     TEXT    NOT NULL,
    entity_id    TEXT    NOT NULL,
    certificates TEXT    NOT NULL,
    tags         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    valid_until  INTEGER NOT NULL
) STRICT;
CREATE INDEX iam_saml_providers_account ON iam_saml_providers (account_id);

CREATE TABLE iam_oidc_providers (
    arn         TEXT    PRIMARY KEY,
    account_id  TEXT    NOT NULL,
    url         TEXT    NOT NULL,
    client_ids  TEXT    NOT NULL,
    thumbprints TEXT    NOT NULL,
    tags        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX iam_oidc_providers_account ON iam_oidc_providers (account_id);

CREATE TABLE iam_account_aliases (
    account_id TEXT PRIMARY KEY,
    alias      TEXT NOT NULL UNIQUE
) STRICT;

-- +goose Down
DROP TABLE iam_account_aliases;
DROP TABLE iam_oidc_providers;
DROP TABLE iam_saml_providers;
DROP TABLE iam_mfa_devices;
DROP TABLE iam_access_keys;
DROP TABLE iam_attached_policies;
DROP TABLE iam_inline_policies;
DROP TABLE iam_group_members;
DROP TABLE iam_groups;
DROP TABLE iam_users;
