-- An OIDC client's secrets (Okta's OAuth2ClientSecret): at most two per
-- client, each ACTIVE or INACTIVE, stored by hash; the token endpoint
-- accepts any ACTIVE one. They go with their app (ON DELETE CASCADE).
--
-- Before, a client had one secret, its hash in the app's oauth JSON
-- (SecretHash). Each such hash becomes the client's first secret, ACTIVE,
-- with the id the management API showed for it ('ocs' || app id), and
-- leaves the JSON, so a hash lives in one place. Down puts the newest
-- ACTIVE secret back.

-- +goose Up
CREATE TABLE idp_oauth_client_secrets (
    id           TEXT    PRIMARY KEY,
    client_id    TEXT    NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    secret_hash  TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    created      INTEGER NOT NULL,
    last_updated INTEGER NOT NULL
) STRICT;
CREATE INDEX idp_oauth_client_secrets_client ON idp_oauth_client_secrets (client_id, created);

INSERT INTO idp_oauth_client_secrets (id, client_id, secret_hash, status, created, last_updated)
SELECT 'ocs' || id, id, json_extract(oauth, '$.SecretHash'), 'ACTIVE', last_updated, last_updated
FROM idp_apps
WHERE json_valid(oauth) AND COALESCE(json_extract(oauth, '$.SecretHash'), '') <> '';

UPDATE idp_apps SET oauth = json_remove(oauth, '$.SecretHash')
WHERE json_valid(oauth) AND json_type(oauth, '$.SecretHash') IS NOT NULL;

-- +goose Down
UPDATE idp_apps SET oauth = json_set(oauth, '$.SecretHash', (
    SELECT s.secret_hash FROM idp_oauth_client_secrets s
    WHERE s.client_id = idp_apps.id AND s.status = 'ACTIVE'
    ORDER BY s.created DESC, s.id DESC LIMIT 1))
WHERE EXISTS (SELECT 1 FROM idp_oauth_client_secrets s WHERE s.client_id = idp_apps.id AND s.status = 'ACTIVE');

DROP TABLE idp_oauth_client_secrets;
