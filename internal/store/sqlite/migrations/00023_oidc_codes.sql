-- SSO-OIDC's authorization code grant with PKCE: what a client registered
-- for (grant types, loopback redirect URIs, the issuer URL; a client
-- registered before them holds '[]' and '', which reads as the device and
-- refresh grants), and the one-time codes the /authorize page gives, stored
-- by hash and bound to their client, redirect URI and S256 challenge.
--
-- A redeemed code keeps its row (redeemed = 1) until it is purged after
-- expiry, so that a replay can revoke the tokens of its family. Codes are
-- deleted with the portal session, the user's sign-ins, or every sign-in,
-- as tokens are.

-- +goose Up
ALTER TABLE oidc_clients ADD COLUMN grant_types TEXT NOT NULL DEFAULT '[]';   -- JSON list
ALTER TABLE oidc_clients ADD COLUMN redirect_uris TEXT NOT NULL DEFAULT '[]'; -- JSON list
ALTER TABLE oidc_clients ADD COLUMN issuer_url TEXT NOT NULL DEFAULT '';

CREATE TABLE oidc_codes (
    code_hash      TEXT    PRIMARY KEY,
    family_id      TEXT    NOT NULL,
    client_id      TEXT    NOT NULL,
    user_id        TEXT    NOT NULL,
    session_hash   TEXT    NOT NULL,
    redirect_uri   TEXT    NOT NULL,
    scopes         TEXT    NOT NULL, -- JSON list
    code_challenge TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    redeemed       INTEGER NOT NULL
) STRICT;
CREATE INDEX oidc_codes_session ON oidc_codes (session_hash);
CREATE INDEX oidc_codes_user ON oidc_codes (user_id);
CREATE INDEX oidc_codes_expires ON oidc_codes (expires_at);

-- +goose Down
DROP TABLE oidc_codes;
ALTER TABLE oidc_clients DROP COLUMN issuer_url;
ALTER TABLE oidc_clients DROP COLUMN redirect_uris;
ALTER TABLE oidc_clients DROP COLUMN grant_types;
