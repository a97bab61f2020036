-- SCIM provisioning's durable state per app: its change-feed cursor, the
-- outbox of pending pushes (one row per app, kind and object: the same
-- object is never queued twice), the identity provider's ids mapped to the
-- target's and the memberships pushed. No foreign keys to the directory or
-- the apps: deletions must still reach the target, so rows outlive what
-- they name until the push that removes them.

-- +goose Up
CREATE TABLE idp_provisioning (
    app_id    TEXT COLLATE "C" PRIMARY KEY,
    feed_seq  BIGINT  NOT NULL,
    started   BIGINT  NOT NULL,
    last_push BIGINT  NOT NULL,
    resync    BIGINT  NOT NULL -- when the last resync was asked for
);

CREATE TABLE idp_provisioning_outbox (
    app_id       TEXT COLLATE "C" NOT NULL,
    kind         TEXT COLLATE "C" NOT NULL,
    object_id    TEXT COLLATE "C" NOT NULL,
    gen          BIGINT  NOT NULL,
    enqueued     BIGINT  NOT NULL,
    attempts     BIGINT  NOT NULL,
    next_attempt BIGINT  NOT NULL,
    failed       BIGINT  NOT NULL,
    last_error   TEXT COLLATE "C" NOT NULL,
    lease_owner  TEXT COLLATE "C" NOT NULL,
    lease_until  BIGINT  NOT NULL,
    PRIMARY KEY (app_id, kind, object_id)
);

CREATE INDEX idp_provisioning_outbox_due ON idp_provisioning_outbox (failed, kind, next_attempt);

CREATE TABLE idp_provisioning_targets (
    app_id    TEXT COLLATE "C" NOT NULL,
    kind      TEXT COLLATE "C" NOT NULL,
    object_id TEXT COLLATE "C" NOT NULL,
    target_id TEXT COLLATE "C" NOT NULL,
    updated   BIGINT  NOT NULL,
    PRIMARY KEY (app_id, kind, object_id)
);

CREATE TABLE idp_provisioning_members (
    app_id   TEXT COLLATE "C" NOT NULL,
    group_id TEXT COLLATE "C" NOT NULL,
    user_id  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (app_id, group_id, user_id)
);

CREATE INDEX idp_provisioning_members_user ON idp_provisioning_members (app_id, user_id);

-- +goose Down
DROP TABLE idp_provisioning_members;
DROP TABLE idp_provisioning_targets;
DROP TABLE idp_provisioning_outbox;
DROP TABLE idp_provisioning;
