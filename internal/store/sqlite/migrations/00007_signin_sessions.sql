-- Device authorizations and tokens remember the portal session that
-- approved them, so signing out of the portal ends the tokens of that
-- sign-in.

-- +goose Up
ALTER TABLE device_authorizations ADD COLUMN session_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN session_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX tokens_session ON tokens (session_hash);

-- +goose Down
DROP INDEX tokens_session;
ALTER TABLE tokens DROP COLUMN session_hash;
ALTER TABLE device_authorizations DROP COLUMN session_hash;
