-- Sign-on policies, one per group: MFA required or not, session lifetimes.

-- +goose Up
CREATE TABLE idp_signon_policies (
    group_id TEXT PRIMARY KEY REFERENCES idp_groups (id) ON DELETE CASCADE,
    policy   TEXT NOT NULL -- JSON: directory.SignOnPolicy
) STRICT;

-- +goose Down
DROP TABLE idp_signon_policies;
