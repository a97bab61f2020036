-- Sign-on policies, one per group: MFA required or not, session lifetimes.

-- +goose Up
CREATE TABLE idp_signon_policies (
    group_id TEXT COLLATE "C" PRIMARY KEY REFERENCES idp_groups (id) ON DELETE CASCADE,
    policy   TEXT COLLATE "C" NOT NULL -- JSON: directory.SignOnPolicy
);

-- +goose Down
DROP TABLE idp_signon_policies;
