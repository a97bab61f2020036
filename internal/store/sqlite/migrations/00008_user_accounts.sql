-- The accounts each user reaches, directly or through a group, kept in step
-- with assignments and memberships, so that a page of a user's accounts is
-- one index range however many groups and assignments lie behind it.

-- +goose Up
CREATE TABLE user_accounts (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (user_id, account_id)
) STRICT;

INSERT INTO user_accounts (user_id, account_id)
SELECT principal_id, account_id FROM assignments WHERE principal_type = 'USER'
UNION
SELECT m.user_id, a.account_id FROM assignments a JOIN memberships m ON m.group_id = a.principal_id
WHERE a.principal_type = 'GROUP';

-- +goose Down
DROP TABLE user_accounts;
