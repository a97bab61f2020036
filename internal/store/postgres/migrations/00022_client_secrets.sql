-- An OIDC client's secrets (Okta's OAuth2ClientSecret): at most two per
-- client, each ACTIVE or INACTIVE, stored by hash; the token endpoint
-- accepts any ACTIVE one. They go with their app (ON DELETE CASCADE).
--
-- Before, a client had one secret, its hash in the app's oauth JSON
-- (SecretHash). Each such hash becomes the client's first secret, ACTIVE,
-- with the id the management API showed for it ('ocs' || app id), and
-- leaves the JSON, so a hash lives in one place. Down puts the newest
-- ACTIVE secret back.

-- The PostgreSQL twin of store/sqlite/migrations/00022_client_secrets.sql.

-- +goose Up
CREATE TABLE idp_oauth_client_secrets (
    id           TEXT COLLATE "C" PRIMARY KEY,
    client_id    TEXT COLLATE "C" NOT NULL REFERENCES idp_apps (id) ON DELETE CASCADE,
    secret_hash  TEXT COLLATE "C" NOT NULL,
    status       TEXT COLLATE "C" NOT NULL,
    created      BIGINT           NOT NULL,
    last_updated BIGINT           NOT NULL
);
CREATE INDEX idp_oauth_client_secrets_client ON idp_oauth_client_secrets (client_id, created);

INSERT INTO idp_oauth_client_secrets (id, client_id, secret_hash, status, created, last_updated)
SELECT 'ocs' || id, id, oauth::jsonb ->> 'SecretHash', 'ACTIVE', last_updated, last_updated
FROM idp_apps
WHERE COALESCE(oauth::jsonb ->> 'SecretHash', '') <> '';

UPDATE idp_apps SET oauth = (oauth::jsonb - 'SecretHash')::text
WHERE oauth::jsonb ? 'SecretHash';

-- +goose Down
UPDATE idp_apps SET oauth = jsonb_set(oauth::jsonb, '{SecretHash}', to_jsonb((
    SELECT s.secret_hash FROM idp_oauth_client_secrets s
    WHERE s.client_id = idp_apps.id AND s.status = 'ACTIVE'
    ORDER BY s.created DESC, s.id DESC LIMIT 1)))::text
WHERE EXISTS (SELECT 1 FROM idp_oauth_client_secrets s WHERE s.client_id = idp_apps.id AND s.status = 'ACTIVE');

DROP TABLE idp_oauth_client_secrets;
