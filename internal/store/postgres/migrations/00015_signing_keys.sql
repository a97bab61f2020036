-- The identity provider's signing keys (SAML, OIDC): one sequence per
-- use, numbered by generation; the unique (use, generation) makes
-- replicas racing to create the first key, or to rotate, store one.

-- +goose Up
CREATE TABLE idp_signing_keys (
    id           TEXT COLLATE "C" PRIMARY KEY,
    use          TEXT COLLATE "C" NOT NULL,
    generation   BIGINT           NOT NULL,
    algorithm    TEXT COLLATE "C" NOT NULL,
    sealed_key   BYTEA            NOT NULL, -- PKCS#8 private key sealed with the master key
    certificate  BYTEA            NOT NULL, -- X.509 DER
    created      BIGINT           NOT NULL,
    activates_at BIGINT           NOT NULL,
    retires_at   BIGINT           NOT NULL, -- 0: no successor scheduled
    UNIQUE (use, generation)
);

-- +goose Down
DROP TABLE idp_signing_keys;
