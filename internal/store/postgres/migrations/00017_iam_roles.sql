-- IAM's roles and customer managed policies, per account (not Identity
-- Center's provisioned roles: those are in `roles`). Names are unique per
-- account case-insensitively (name_norm is the lower-cased name). Inline
-- policies, attachments and versions hang off their role's or policy's id;
-- a role or policy is deleted only once they are gone, except a policy's
-- default version, which goes with it. Attachments name the policy by ARN,
-- since AWS managed policies have no row here.

-- +goose Up
CREATE TABLE iam_roles (
    id           TEXT COLLATE "C" PRIMARY KEY,
    account_id   TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    name_norm    TEXT COLLATE "C" NOT NULL,
    path         TEXT COLLATE "C" NOT NULL,
    trust_policy TEXT COLLATE "C" NOT NULL,
    description  TEXT COLLATE "C" NOT NULL,
    max_session  BIGINT  NOT NULL,
    boundary     TEXT COLLATE "C" NOT NULL,
    tags         TEXT COLLATE "C" NOT NULL, -- JSON
    created_at   BIGINT  NOT NULL,
    last_used    BIGINT  NOT NULL,
    last_region  TEXT COLLATE "C" NOT NULL,
    UNIQUE (account_id, name_norm)
);

CREATE INDEX iam_roles_boundary ON iam_roles (account_id, boundary);

CREATE TABLE iam_role_policies (
    role_id  TEXT COLLATE "C" NOT NULL REFERENCES iam_roles (id),
    name     TEXT COLLATE "C" NOT NULL,
    document TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (role_id, name)
);

CREATE TABLE iam_role_attachments (
    role_id    TEXT COLLATE "C" NOT NULL REFERENCES iam_roles (id),
    account_id TEXT COLLATE "C" NOT NULL,
    policy_arn TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (role_id, policy_arn)
);

CREATE INDEX iam_role_attachments_policy ON iam_role_attachments (account_id, policy_arn);

CREATE TABLE iam_policies (
    id              TEXT COLLATE "C" PRIMARY KEY,
    account_id      TEXT COLLATE "C" NOT NULL,
    name            TEXT COLLATE "C" NOT NULL,
    name_norm       TEXT COLLATE "C" NOT NULL,
    path            TEXT COLLATE "C" NOT NULL,
    arn             TEXT COLLATE "C" NOT NULL,
    description     TEXT COLLATE "C" NOT NULL,
    default_version TEXT COLLATE "C" NOT NULL,
    next_version    BIGINT  NOT NULL,
    tags            TEXT COLLATE "C" NOT NULL, -- JSON
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    UNIQUE (account_id, name_norm)
);

CREATE INDEX iam_policies_arn ON iam_policies (arn);

CREATE TABLE iam_policy_versions (
    policy_id  TEXT COLLATE "C" NOT NULL REFERENCES iam_policies (id),
    version_id TEXT COLLATE "C" NOT NULL,
    seq        BIGINT  NOT NULL,
    document   TEXT COLLATE "C" NOT NULL,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (policy_id, version_id)
);

-- +goose Down
DROP TABLE iam_policy_versions;
DROP TABLE iam_policies;
DROP TABLE iam_role_attachments;
DROP TABLE iam_role_policies;
DROP TABLE iam_roles;
