-- SSO Admin beyond the basics: a permission set's customer managed policy
-- references (a JSON list of {Name, Path}) and permissions boundary (JSON,
-- null for none); the instance's tags and its attribute-based access
-- control configuration (JSON, null until created); and the index the
-- List...Status operations page requests by.

-- +goose Up
ALTER TABLE permission_sets ADD COLUMN customer_policies TEXT COLLATE "C" NOT NULL DEFAULT '[]';
ALTER TABLE permission_sets ADD COLUMN permissions_boundary TEXT COLLATE "C" NOT NULL DEFAULT 'null';
ALTER TABLE instance ADD COLUMN tags TEXT COLLATE "C" NOT NULL DEFAULT '[]';
ALTER TABLE instance ADD COLUMN access_control TEXT COLLATE "C" NOT NULL DEFAULT 'null';
CREATE INDEX requests_kind ON requests (kind, id);

-- +goose Down
DROP INDEX requests_kind;
ALTER TABLE instance DROP COLUMN access_control;
ALTER TABLE instance DROP COLUMN tags;
ALTER TABLE permission_sets DROP COLUMN permissions_boundary;
ALTER TABLE permission_sets DROP COLUMN customer_policies;
