-- Access tokens of Identity Center's SCIM endpoint: at most two live, one
-- year each; only the hash of the secret is stored.

-- +goose Up
CREATE TABLE scim_tokens (
    id         TEXT COLLATE "C" PRIMARY KEY,
    hash       TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at BIGINT           NOT NULL,
    expires_at BIGINT           NOT NULL,
    last_used  BIGINT           NOT NULL
);

-- +goose Down
DROP TABLE scim_tokens;
