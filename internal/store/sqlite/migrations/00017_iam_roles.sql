-- IAM's roles and customer managed policies, per account (not Identity
-- Center's provisioned roles: those are in `roles`). Names are unique per
-- account case-insensitively (name_norm is the lower-cased name). Inline
-- policies, attachments and versions hang off their role's or policy's id;
-- a role or policy is deleted only once they are gone, except a policy's
-- default version, which goes with it. Attachments name the policy by ARN,
-- since AWS managed policies have no row here.

-- +goose Up
CREATE TABLE iam_roles (
    id           TEXT    PRIMARY KEY,
    account_id   TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    name_norm    TEXT    NOT NULL,
    path         TEXT    NOT NULL,
    trust_policy TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    max_session  INTEGER NOT NULL,
    boundary     TEXT    NOT NULL,
    tags         TEXT    NOT NULL, -- JSON
    created_at   INTEGER NOT NULL,
    last_used    INTEGER NOT NULL,
    last_region  TEXT    NOT NULL,
    UNIQUE (account_id, name_norm)
) STRICT;

CREATE INDEX iam_roles_boundary ON iam_roles (account_id, boundary);

CREATE TABLE iam_role_policies (
    role_id  TEXT NOT NULL REFERENCES iam_roles (id),
    name     TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (role_id, name)
) STRICT;

CREATE TABLE iam_role_attachments (
    role_id    TEXT NOT NULL REFERENCES iam_roles (id),
    account_id TEXT NOT NULL,
    policy_arn TEXT NOT NULL,
    PRIMARY KEY (role_id, policy_arn)
) STRICT;

CREATE INDEX iam_role_attachments_policy ON iam_role_attachments (account_id, policy_arn);

CREATE TABLE iam_policies (
    id              TEXT    PRIMARY KEY,
    account_id      TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    name_norm       TEXT    NOT NULL,
    path            TEXT    NOT NULL,
    arn             TEXT    NOT NULL,
    description     TEXT    NOT NULL,
    default_version TEXT    NOT NULL,
    next_version    INTEGER NOT NULL,
    tags            TEXT    NOT NULL, -- JSON
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (account_id, name_norm)
) STRICT;

CREATE INDEX iam_policies_arn ON iam_policies (arn);

CREATE TABLE iam_policy_versions (
    policy_id  TEXT    NOT NULL REFERENCES iam_policies (id),
    version_id TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    document   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (policy_id, version_id)
) STRICT;

-- +goose Down
DROP TABLE iam_policy_versions;
DROP TABLE iam_policies;
DROP TABLE iam_role_attachments;
DROP TABLE iam_role_policies;
DROP TABLE iam_roles;
