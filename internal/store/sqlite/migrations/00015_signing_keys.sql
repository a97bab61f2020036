-- The identity provider's signing keys (SAML, OIDC): one sequence per
-- use, numbered by generation; the unique (use, generation) makes
-- replicas racing to create the first key, or to rotate, store one.

-- +goose Up
CREATE TABLE idp_signing_keys (
    id           TEXT    PRIMARY KEY,
    use          TEXT    NOT NULL,
    generation   INTEGER NOT NULL,
    algorithm    TEXT    NOT NULL,
    sealed_key   BLOB    NOT NULL, -- PKCS#8 private key sealed with the master key
    certificate  BLOB    NOT NULL, -- X.509 DER
    created      INTEGER NOT NULL,
    activates_at INTEGER NOT NULL,
    retires_at   INTEGER NOT NULL, -- 0: no successor scheduled
    UNIQUE (use, generation)
) STRICT;

-- +goose Down
DROP TABLE idp_signing_keys;
