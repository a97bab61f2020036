-- A refresh token's scopes (RFC 6749 §6): a refresh may narrow the access
-- token it issues, never the refresh token, so a token row keeps the
-- family's whole grant apart from its access token's scopes. '[]' (every
-- row stored before) reads as the access token's scopes, which is what
-- such a row's refresh token was granted. Down drops the column: a
-- refresh token then has its access token's scopes again, which may be
-- narrower than its grant, never wider.

-- The PostgreSQL twin of store/sqlite/migrations/00024_refresh_scopes.sql.

-- +goose Up
ALTER TABLE idp_oauth_tokens ADD COLUMN refresh_scopes TEXT COLLATE "C" NOT NULL DEFAULT '[]'; -- JSON list

-- +goose Down
ALTER TABLE idp_oauth_tokens DROP COLUMN refresh_scopes;
