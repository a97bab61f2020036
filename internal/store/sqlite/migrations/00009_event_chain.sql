-- The system log becomes a hash chain and carries what Okta's LogEvent
-- shows: the target's display name and free-form detail (JSON object text).
--
-- Every event written from now on holds the hash of the event before it
-- (prev_hash) and its own (hash), both hex SHA-256 as audit.ChainHash
-- computes them, and takes seq = the newest seq + 1 in its transaction, so
-- seqs are dense. Events already in the log keep empty hashes: SQL cannot
-- compute the chain's encoding here, so verification (audit.Verifier,
-- `keyward admin events --verify`) skips that legacy prefix and starts at
-- the first chained event, whose prev_hash is the zero hash.

-- +goose Up
ALTER TABLE events ADD COLUMN target_name TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
ALTER TABLE events ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN hash TEXT NOT NULL DEFAULT '';
-- The system log API bounds queries by time.
CREATE INDEX events_time ON events (time);

-- +goose Down
DROP INDEX events_time;
ALTER TABLE events DROP COLUMN hash;
ALTER TABLE events DROP COLUMN prev_hash;
ALTER TABLE events DROP COLUMN detail;
ALTER TABLE events DROP COLUMN target_name;
