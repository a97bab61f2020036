-- Access tokens of Identity Center's SCIM endpoint: at most two live, one
-- year each; only the hash of the secret is stored.

-- +goose Up
CREATE TABLE scim_tokens (
    id         TEXT    PRIMARY KEY,
    hash       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    last_used  INTEGER NOT NULL
) STRICT;

-- +goose Down
DROP TABLE scim_tokens;
