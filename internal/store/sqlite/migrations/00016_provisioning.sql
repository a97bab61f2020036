-- SCIM provisioning's durable state per app: its change-feed cursor, the
-- outbox of pending pushes (one row per app, kind and object: the same
-- object is never queued twice), the identity provider's ids mapped to the
-- target's and the memberships pushed. No foreign keys to the directory or
-- the apps: deletions must still reach the target, so rows outlive what
-- they name until the push that removes them.

-- +goose Up
CREATE TABLE idp_provisioning (
    app_id    TEXT    PRIMARY KEY,
    feed_seq  INTEGER NOT NULL,
    started   INTEGER NOT NULL,
    last_push INTEGER NOT NULL,
    resync    INTEGER NOT NULL -- when the last resync was asked for
) STRICT;

CREATE TABLE idp_provisioning_outbox (
    app_id       TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    object_id    TEXT    NOT NULL,
    gen          INTEGER NOT NULL,
    enqueued     INTEGER NOT NULL,
    attempts     INTEGER NOT NULL,
    next_attempt INTEGER NOT NULL,
    failed       INTEGER NOT NULL,
    last_error   TEXT    NOT NULL,
    lease_owner  TEXT    NOT NULL,
    lease_until  INTEGER NOT NULL,
    PRIMARY KEY (app_id, kind, object_id)
) STRICT;

CREATE INDEX idp_provisioning_outbox_due ON idp_provisioning_outbox (failed, kind, next_attempt);

CREATE TABLE idp_provisioning_targets (
    app_id    TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    object_id TEXT    NOT NULL,
    target_id TEXT    NOT NULL,
    updated   INTEGER NOT NULL,
    PRIMARY KEY (app_id, kind, object_id)
) STRICT;

CREATE TABLE idp_provisioning_members (
    app_id   TEXT NOT NULL,
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (app_id, group_id, user_id)
) STRICT;

CREATE INDEX idp_provisioning_members_user ON idp_provisioning_members (app_id, user_id);

-- +goose Down
DROP TABLE idp_provisioning_members;
DROP TABLE idp_provisioning_targets;
DROP TABLE idp_provisioning_outbox;
DROP TABLE idp_provisioning;
