-- Indexes that let the periodic purge find what has expired without
-- walking live rows, and count what a client has pending.

-- The PostgreSQL twin of store/sqlite/migrations/00006_purge_indexes.sql.

-- +goose Up
CREATE INDEX tokens_spent_expires ON tokens (expires_at) WHERE refresh_hash IS NULL;
CREATE INDEX tokens_refresh_expires ON tokens (refresh_expires_at);
CREATE INDEX portal_sessions_expires ON portal_sessions (expires_at);
-- Counting a client's pending device authorizations.
CREATE INDEX device_authorizations_client ON device_authorizations (client_id, status, expires_at);

-- +goose Down
DROP INDEX device_authorizations_client;
DROP INDEX portal_sessions_expires;
DROP INDEX tokens_refresh_expires;
DROP INDEX tokens_spent_expires;
