-- The PostgreSQL twin of store/sqlite/migrations/00008_user_accounts.sql.

-- +goose Up
CREATE TABLE user_accounts (
    user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (user_id, account_id)
);

INSERT INTO user_accounts (user_id, account_id)
SELECT principal_id, account_id FROM assignments WHERE principal_type = 'USER'
UNION
SELECT m.user_id, a.account_id FROM assignments a JOIN memberships m ON m.group_id = a.principal_id
WHERE a.principal_type = 'GROUP';

-- +goose Down
DROP TABLE user_accounts;
