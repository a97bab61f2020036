-- The identity provider's OAuth 2.0 side: an OIDC app's client settings
-- (a JSON column on its app, '{}' for every other app), custom
-- authorization servers (one row per server: its scopes, claims and
-- policies are JSON columns of the one aggregate updated by
-- compare-and-swap), and the authorization codes, device authorizations
-- and tokens the OpenID Connect provider issues, stored by hash.
--
-- Codes, devices and tokens go with their client app and their user (ON
-- DELETE CASCADE; user_id is NULL where there is no person: a pending
-- device authorization, a client-credentials token). auth_server_id is ""
-- for the org authorization server, which has no row, so it has no
-- foreign key: DeleteAuthServer deletes what a server issued itself.
-- A redeemed code keeps its row (redeemed = 1) until it expires, so a
-- replay can revoke the tokens it gave; a spent refresh token is
-- remembered in idp_oauth_spent_refresh for the same reason.

-- +goose Up
ALTER TABLE idp_apps ADD COLUMN oauth TEXT NOT NULL DEFAULT '{}'; -- JSON: directory.OAuthClient

CREATE TABLE idp_auth_servers (
    id           TEXT    PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    description  TEXT    NOT NULL,
    audiences    TEXT    NOT NULL, -- JSON list
    status       TEXT    NOT NULL,
    created      INTEGER NOT NULL,
    last_updated INTEGER NOT NULL,
    scopes       TEXT    NOT NULL, -- JSON: []directory.AuthScope
    claims       TEXT    NOT NULL, -- JSON: []directory.AuthClaim
    policies     TEXT    NOT NULL  -- JSON: []directory.AuthPolicy
) STRICT;

CREATE TABLE idp_oauth_codes (
    code_hash        TEXT    PRIMARY KEY,
    family_id        TEXT    NOT NULL,
    auth_server_id   TEXT    NOT NULL,
    client_id        TEXT    NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    user_id          TEXT    NOT NULL REFERENCES idp_users (id) ON DELETE CASCADE,
    session_hash     TEXT    NOT NULL,
    redirect_uri     TEXT    NOT NULL,
    scopes           TEXT    NOT NULL, -- JSON list
    nonce            TEXT    NOT NULL,
    code_challenge   TEXT    NOT NULL,
    challenge_method TEXT    NOT NULL,
    amr              TEXT    NOT NULL, -- JSON list
    auth_time        INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    redeemed         INTEGER NOT NULL
) STRICT;
CREATE INDEX idp_oauth_codes_client ON idp_oauth_codes (client_id);
CREATE INDEX idp_oauth_codes_user ON idp_oauth_codes (user_id);
CREATE INDEX idp_oauth_codes_server ON idp_oauth_codes (auth_server_id);
CREATE INDEX idp_oauth_codes_expires ON idp_oauth_codes (expires_at);

CREATE TABLE idp_oauth_devices (
    code_hash      TEXT    PRIMARY KEY,
    user_code      TEXT    NOT NULL,
    auth_server_id TEXT    NOT NULL,
    client_id      TEXT    NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    scopes         TEXT    NOT NULL, -- JSON list
    status         TEXT    NOT NULL,
    user_id        TEXT    REFERENCES idp_users (id) ON DELETE CASCADE,
    session_hash   TEXT    NOT NULL,
    amr            TEXT    NOT NULL, -- JSON list
    auth_time      INTEGER NOT NULL,
    interval_ns    INTEGER NOT NULL,
    last_polled_at INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
) STRICT;
-- Expired rows are removed before a user code is reused, so this keeps user
-- codes unique among live authorizations.
CREATE UNIQUE INDEX idp_oauth_devices_user_code ON idp_oauth_devices (user_code);
CREATE INDEX idp_oauth_devices_pending ON idp_oauth_devices (client_id, status, expires_at);
CREATE INDEX idp_oauth_devices_user ON idp_oauth_devices (user_id);
CREATE INDEX idp_oauth_devices_server ON idp_oauth_devices (auth_server_id);
CREATE INDEX idp_oauth_devices_expires ON idp_oauth_devices (expires_at);

CREATE TABLE idp_oauth_tokens (
    access_hash        TEXT    PRIMARY KEY,
    refresh_hash       TEXT,   -- NULL: none, or spent by a rotation
    family_id          TEXT    NOT NULL,
    auth_server_id     TEXT    NOT NULL,
    client_id          TEXT    NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    user_id            TEXT    REFERENCES idp_users (id) ON DELETE CASCADE,
    session_hash       TEXT    NOT NULL,
    scopes             TEXT    NOT NULL, -- JSON list
    amr                TEXT    NOT NULL, -- JSON list
    auth_time          INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    refresh_expires_at INTEGER NOT NULL  -- 0: none that expires
) STRICT;
CREATE UNIQUE INDEX idp_oauth_tokens_refresh ON idp_oauth_tokens (refresh_hash);
CREATE INDEX idp_oauth_tokens_family ON idp_oauth_tokens (family_id);
CREATE INDEX idp_oauth_tokens_client ON idp_oauth_tokens (client_id);
CREATE INDEX idp_oauth_tokens_user ON idp_oauth_tokens (user_id);
CREATE INDEX idp_oauth_tokens_server ON idp_oauth_tokens (auth_server_id);
CREATE INDEX idp_oauth_tokens_expires ON idp_oauth_tokens (expires_at);

CREATE TABLE idp_oauth_spent_refresh (
    refresh_hash   TEXT    PRIMARY KEY,
    family_id      TEXT    NOT NULL,
    auth_server_id TEXT    NOT NULL,
    client_id      TEXT    NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    user_id        TEXT    REFERENCES idp_users (id) ON DELETE CASCADE,
    expires_at     INTEGER NOT NULL  -- 0: kept while its family has tokens
) STRICT;
CREATE INDEX idp_oauth_spent_refresh_family ON idp_oauth_spent_refresh (family_id);
CREATE INDEX idp_oauth_spent_refresh_client ON idp_oauth_spent_refresh (client_id);
CREATE INDEX idp_oauth_spent_refresh_user ON idp_oauth_spent_refresh (user_id);
CREATE INDEX idp_oauth_spent_refresh_server ON idp_oauth_spent_refresh (auth_server_id);
CREATE INDEX idp_oauth_spent_refresh_expires ON idp_oauth_spent_refresh (expires_at);

-- +goose Down
DROP TABLE idp_oauth_spent_refresh;
DROP TABLE idp_oauth_tokens;
DROP TABLE idp_oauth_devices;
DROP TABLE idp_oauth_codes;
DROP TABLE idp_auth_servers;
ALTER TABLE idp_apps DROP COLUMN oauth;
