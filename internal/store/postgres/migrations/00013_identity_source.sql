-- The identity source (Identity Center's directory or an external SAML 2.0
-- identity provider), one-time keys (SAML request ids awaiting their
-- response, the assertion replay cache) and the attributes for access
-- control an identity provider gives a portal session.

-- +goose Up
CREATE TABLE identity_source (
    singleton BIGINT           PRIMARY KEY CHECK (singleton = 1),
    source    TEXT COLLATE "C" NOT NULL -- JSON: identitycenter.IdentitySource
);

CREATE TABLE one_time_keys (
    id         TEXT COLLATE "C" PRIMARY KEY,
    expires_at BIGINT           NOT NULL
);
CREATE INDEX one_time_keys_expires ON one_time_keys (expires_at);

ALTER TABLE portal_sessions ADD COLUMN access_control TEXT COLLATE "C" NOT NULL DEFAULT '{}'; -- JSON: key to value

-- +goose Down
ALTER TABLE portal_sessions DROP COLUMN access_control;
DROP TABLE one_time_keys;
DROP TABLE identity_source;
