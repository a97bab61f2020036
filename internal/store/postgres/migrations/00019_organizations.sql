-- Organizations beyond its accounts: the root (one per organization, its
-- enabled policy types as a JSON list), organizational units, the parent
-- each account sits under, policies and where they are attached, tags on
-- any of these, delegated administrators and services with trusted access.
-- An existing organization gets its root (id derived from the organization
-- id, as a first start derives it) with every account under it; the AWS
-- managed SCP FullAWSAccess exists in every database.

-- The PostgreSQL twin of store/sqlite/migrations/00019_organizations.sql.

-- +goose Up
CREATE TABLE org_roots (
    id           TEXT COLLATE "C" PRIMARY KEY,
    name         TEXT COLLATE "C" NOT NULL,
    policy_types TEXT COLLATE "C" NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE org_units (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    parent_id  TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX org_units_parent_name ON org_units (parent_id, name);

ALTER TABLE accounts ADD COLUMN parent_id TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX accounts_parent ON accounts (parent_id, id);

CREATE TABLE org_policies (
    id          TEXT COLLATE "C" PRIMARY KEY,
    type        TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C" NOT NULL,
    content     TEXT COLLATE "C" NOT NULL,
    aws_managed BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX org_policies_type_name ON org_policies (type, name);

CREATE TABLE org_attachments (
    policy_id   TEXT COLLATE "C" NOT NULL REFERENCES org_policies (id),
    target_id   TEXT COLLATE "C" NOT NULL,
    policy_type TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (policy_id, target_id)
);
CREATE INDEX org_attachments_target ON org_attachments (target_id, policy_type, policy_id);

CREATE TABLE org_tags (
    resource_id TEXT COLLATE "C" NOT NULL,
    tag_key     TEXT COLLATE "C" NOT NULL,
    tag_value   TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (resource_id, tag_key)
);

CREATE TABLE org_delegated_admins (
    account_id        TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
    service_principal TEXT COLLATE "C" NOT NULL,
    enabled_at        BIGINT NOT NULL,
    PRIMARY KEY (account_id, service_principal)
);
CREATE INDEX org_delegated_admins_service ON org_delegated_admins (service_principal, account_id);

CREATE TABLE org_service_access (
    service_principal TEXT COLLATE "C" PRIMARY KEY,
    enabled_at        BIGINT NOT NULL
);

INSERT INTO org_policies (id, type, name, description, content, aws_managed, created_at)
VALUES ('p-FullAWSAccess', 'SERVICE_CONTROL_POLICY', 'FullAWSAccess', 'Allows access to every operation',
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 1, 0);

INSERT INTO org_roots (id, name, policy_types, created_at)
SELECT 'r-' || substr(id, 3, 4), 'Root', '[]', created_at FROM organization;

UPDATE accounts SET parent_id = (SELECT 'r-' || substr(id, 3, 4) FROM organization)
WHERE EXISTS (SELECT 1 FROM organization);

-- +goose Down
DROP TABLE org_service_access;
DROP TABLE org_delegated_admins;
DROP TABLE org_tags;
DROP TABLE org_attachments;
DROP TABLE org_policies;
DROP INDEX accounts_parent;
ALTER TABLE accounts DROP COLUMN parent_id;
DROP TABLE org_units;
DROP TABLE org_roots;
