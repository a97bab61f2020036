-- The system log becomes a hash chain and carries what Okta's LogEvent
-- shows: the target's display name and free-form detail (JSON object text).

-- The PostgreSQL twin of store/sqlite/migrations/00009_event_chain.sql (see
-- there for the chain). seq stops being an identity column: the store
-- assigns newest seq + 1 in the writing transaction, because an identity
-- loses values to rolled-back and retried transactions and the chain wants
-- dense seqs. Legacy events keep empty hashes; verification skips them.

-- +goose Up
ALTER TABLE events ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE events ADD COLUMN target_name TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN detail      TEXT COLLATE "C" NOT NULL DEFAULT '{}';
ALTER TABLE events ADD COLUMN prev_hash   TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN hash        TEXT COLLATE "C" NOT NULL DEFAULT '';
-- The system log API bounds queries by time.
CREATE INDEX events_time ON events (time);

-- +goose Down
DROP INDEX events_time;
ALTER TABLE events DROP COLUMN hash;
ALTER TABLE events DROP COLUMN prev_hash;
ALTER TABLE events DROP COLUMN detail;
ALTER TABLE events DROP COLUMN target_name;
ALTER TABLE events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('events', 'seq'), COALESCE(MAX(seq), 0) + 1, false) FROM events;
