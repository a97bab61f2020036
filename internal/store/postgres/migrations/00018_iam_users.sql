-- IAM's users, groups and their policies, access keys and virtual MFA
-- devices, and each account's SAML and OIDC providers and alias. Users and
-- groups are keyed by their unique id (AIDA..., AGPA...), so a rename
-- touches one row; names are unique per account case-insensitively, as in
-- AWS. A user's or group's inline and attached policies share two tables
-- keyed by the owner's id. Deleting a user or group is refused while
-- anything here still names it, so the foreign keys never cascade.

-- +goose Up
CREATE TABLE iam_users (
    id         TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    name_norm  TEXT COLLATE "C" NOT NULL,
    path       TEXT COLLATE "C" NOT NULL,
    boundary   TEXT COLLATE "C" NOT NULL,
    tags       TEXT COLLATE "C" NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX iam_users_name ON iam_users (account_id, name_norm);

CREATE TABLE iam_groups (
    id         TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    name_norm  TEXT COLLATE "C" NOT NULL,
    path       TEXT COLLATE "C" NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX iam_groups_name ON iam_groups (account_id, name_norm);

CREATE TABLE iam_group_members (
    group_id TEXT COLLATE "C" NOT NULL REFERENCES iam_groups (id),
    user_id  TEXT COLLATE "C" NOT NULL REFERENCES iam_users (id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX iam_group_members_user ON iam_group_members (user_id);

CREATE TABLE iam_inline_policies (
    owner_id TEXT COLLATE "C" NOT NULL,
    name     TEXT COLLATE "C" NOT NULL,
    document TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (owner_id, name)
);

CREATE TABLE iam_attached_policies (
    owner_id TEXT COLLATE "C" NOT NULL,
    arn      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (owner_id, arn)
);

CREATE TABLE iam_access_keys (
    id                TEXT COLLATE "C" PRIMARY KEY,
    account_id        TEXT COLLATE "C" NOT NULL,
    user_id           TEXT COLLATE "C" NOT NULL REFERENCES iam_users (id),
    status            TEXT COLLATE "C" NOT NULL,
    sealed_secret     BYTEA   NOT NULL,
    created_at        BIGINT  NOT NULL,
    last_used_at      BIGINT  NOT NULL,
    last_used_service TEXT COLLATE "C" NOT NULL,
    last_used_region  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX iam_access_keys_user ON iam_access_keys (user_id);

CREATE TABLE iam_mfa_devices (
    serial      TEXT COLLATE "C" PRIMARY KEY,
    account_id  TEXT COLLATE "C" NOT NULL,
    path        TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    sealed_seed BYTEA   NOT NULL,
    user_id     TEXT COLLATE "C" NOT NULL,
    enabled_at  BIGINT  NOT NULL,
    last_step   BIGINT  NOT NULL,
    tags        TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX iam_mfa_devices_account ON iam_mfa_devices (account_id, user_id);

CREATE TABLE iam_saml_providers (
    arn          TEXT COLLATE "C" PRIMARY KEY,
    account_id   TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    metadata     TEXT COLLATE "C" NOT NULL,
    entity_id    TEXT COLLATE "C" NOT NULL,
    certificates TEXT COLLATE "C" NOT NULL,
    tags         TEXT COLLATE "C" NOT NULL,
    created_at   BIGINT  NOT NULL,
    valid_until  BIGINT  NOT NULL
);
CREATE INDEX iam_saml_providers_account ON iam_saml_providers (account_id);

CREATE TABLE iam_oidc_providers (
    arn         TEXT COLLATE "C" PRIMARY KEY,
    account_id  TEXT COLLATE "C" NOT NULL,
    url         TEXT COLLATE "C" NOT NULL,
    client_ids  TEXT COLLATE "C" NOT NULL,
    thumbprints TEXT COLLATE "C" NOT NULL,
    tags        TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX iam_oidc_providers_account ON iam_oidc_providers (account_id);

CREATE TABLE iam_account_aliases (
    account_id TEXT COLLATE "C" PRIMARY KEY,
    alias      TEXT COLLATE "C" NOT NULL UNIQUE
);

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
