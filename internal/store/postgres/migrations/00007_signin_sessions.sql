-- Device authorizations and tokens remember the portal session that
-- approved them, so signing out of the portal ends the tokens of that
-- sign-in.

-- The PostgreSQL twin of store/sqlite/migrations/00007_signin_sessions.sql.

-- +goose Up
ALTER TABLE device_authorizations ADD COLUMN session_hash TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN session_hash TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX tokens_session ON tokens (session_hash);

-- +goose Down
DROP INDEX tokens_session;
ALTER TABLE tokens DROP COLUMN session_hash;
ALTER TABLE device_authorizations DROP COLUMN session_hash;
