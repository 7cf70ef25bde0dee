-- pg_lens history: the tables capture writes, the event triggers that feed them, and the
-- baseline taken at CREATE EXTENSION. Runs last in the extension script (finalize).

-- Full snapshots: the baseline at CREATE EXTENSION, lens_capture() results, keyframes.
CREATE TABLE lens_snapshots (
    id            bigserial PRIMARY KEY,
    captured_at   timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    schemas       text[],                 -- NULL: every user schema
    signature     text NOT NULL,
    key_signature text NOT NULL,
    snapshot      jsonb NOT NULL,
    source        text NOT NULL CHECK (source IN ('baseline', 'manual', 'keyframe', 'visible')),
    drift_id      bigint                  -- the last lens_drift row this snapshot includes
);

-- One row per captured DDL statement.
CREATE TABLE lens_drift (
    id               bigserial PRIMARY KEY,
    captured_at      timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    txid             bigint NOT NULL,
    role_name        text NOT NULL,
    application_name text,
    command_tags     text[] NOT NULL,
    object_keys      text[] NOT NULL,
    signature_before text,
    signature_after  text,
    diff             jsonb,                -- NULL when the capture failed (see error)
    error            text,                 -- why the capture failed; the next one resyncs
    resync           boolean NOT NULL DEFAULT false, -- the diff covers everything since the last good state
    statement        text,                 -- the statement's text, secrets redacted
    session_user_name text,                -- session_user (role_name is the current user)
    client_addr      inet,                 -- inet_client_addr(); NULL over a Unix socket
    backend_pid      integer,
    partial          boolean NOT NULL DEFAULT false  -- a step a CONCURRENTLY statement committed on its own
);
CREATE INDEX lens_drift_captured_at ON lens_drift (captured_at);

-- The schema as capture last saw it, one row per snapshot entry: what a DDL statement is
-- diffed against. Derived from the live catalog, so never dumped (pg_restore rebuilds it).
CREATE TABLE lens_state (
    section text NOT NULL,
    key     text NOT NULL,
    owner   oid NOT NULL,        -- the relation, sequence or type whose entries move together
    oid     oid,                 -- the entry's own object
    entry   jsonb NOT NULL,
    hash    bytea NOT NULL,      -- lens_core::signature::entry_hash
    PRIMARY KEY (section, key)
);
CREATE INDEX lens_state_owner ON lens_state (owner);
CREATE INDEX lens_state_oid ON lens_state (oid);
-- what a DETACH leaves: the tables stored as partitions of a parent (store::stored_partitions)
CREATE INDEX lens_state_partition_of ON lens_state ((entry ->> 'partitionOf'));

-- One row: the sum of the entry hashes of lens_state (the live signature), and the last
-- drift row. Written only in the commit tail of transactions that did DDL, one at a time
-- (see src/capture/flush.rs).
CREATE TABLE lens_head (
    singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    database_id   text NOT NULL,
    hash_sum      bytea NOT NULL,
    signature     text NOT NULL,
    schemas       text[],               -- lens.capture_schemas when the state was built
    last_drift_id bigint,
    needs_resync  boolean NOT NULL DEFAULT false,
    resync_seq    bigint NOT NULL DEFAULT 0,  -- counts the times a resync was asked for
    state_seq     bigint NOT NULL DEFAULT 0,  -- counts the commit tails that wrote lens_state
    last_verify_at timestamptz,
    last_verify   jsonb,                -- what lens_verify() found last
    -- the cluster the state was read on (system identifier / major): another one after
    -- pg_upgrade, whose new catalogs gave constraints, functions and schemas new oids
    cluster       text
);

-- Strings of history longer than a few kilobytes (a huge comment, a long view body), once
-- per distinct value; entries and diffs refer to them as {"$lensValue": hash, "length": n}.
CREATE TABLE lens_values (
    hash   text PRIMARY KEY,            -- sha256 hex of the value
    value  text NOT NULL
);

-- History survives pg_dump / pg_restore. lens_state and lens_head describe the live
-- catalog and are rebuilt where the dump is restored.
SELECT pg_catalog.pg_extension_config_dump('lens_snapshots', '');
SELECT pg_catalog.pg_extension_config_dump('lens_snapshots_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('lens_drift', '');
SELECT pg_catalog.pg_extension_config_dump('lens_drift_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('lens_values', '');

-- Ordinary roles read history only where granted, and never write it.
REVOKE ALL ON lens_snapshots, lens_drift, lens_state, lens_head, lens_values FROM PUBLIC;
-- Every snapshot names the database it comes from (meta.databaseId).
GRANT SELECT (database_id) ON lens_head TO PUBLIC;
REVOKE ALL ON SEQUENCE lens_snapshots_id_seq, lens_drift_id_seq FROM PUBLIC;

-- pg_restore loads the dumped history into tables where the restore's own DDL was already
-- captured: the first load of each table in a session replaces those rows, and the rest of
-- that session's DDL (indexes and constraints after the data) only keeps the state in step.
CREATE FUNCTION lens_history_load() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF pg_catalog.current_query() ~* '^\s*COPY' AND @extschema@.lens_history_load_starts(TG_TABLE_NAME) THEN
        EXECUTE pg_catalog.format('DELETE FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER lens_snapshots_load BEFORE INSERT ON lens_snapshots
    FOR EACH STATEMENT EXECUTE FUNCTION lens_history_load();
CREATE TRIGGER lens_drift_load BEFORE INSERT ON lens_drift
    FOR EACH STATEMENT EXECUTE FUNCTION lens_history_load();
CREATE TRIGGER lens_values_load BEFORE INSERT ON lens_values
    FOR EACH STATEMENT EXECUTE FUNCTION lens_history_load();

-- The event triggers: ddl_command_start notes that a statement began (one that commits in
-- steps, CREATE INDEX CONCURRENTLY, has its steps recorded), sql_drop stashes what a
-- statement dropped, ddl_command_end captures. C functions of the extension's library
-- (src/capture/mod.rs), run as the extension's owner.
CREATE FUNCTION lens_on_ddl_command_start() RETURNS event_trigger
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'lens_on_ddl_command_start';
CREATE FUNCTION lens_on_sql_drop() RETURNS event_trigger
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'lens_on_sql_drop';
CREATE FUNCTION lens_on_ddl_command_end() RETURNS event_trigger
LANGUAGE c SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'lens_on_ddl_command_end';
REVOKE ALL ON FUNCTION lens_on_ddl_command_start(), lens_on_sql_drop(), lens_on_ddl_command_end(), lens_history_load() FROM PUBLIC;
REVOKE ALL ON FUNCTION lens_history_load_starts(text), lens_take_baseline() FROM PUBLIC;

CREATE EVENT TRIGGER lens_capture_start ON ddl_command_start EXECUTE FUNCTION lens_on_ddl_command_start();
CREATE EVENT TRIGGER lens_capture_drop ON sql_drop EXECUTE FUNCTION lens_on_sql_drop();
CREATE EVENT TRIGGER lens_capture_ddl ON ddl_command_end EXECUTE FUNCTION lens_on_ddl_command_end();

-- Capture's state at a glance: is it recording, is history known to be whole, when did it
-- last record and verify, what went wrong since.
CREATE VIEW lens_status AS
SELECT pg_catalog.current_setting('lens.capture', true) AS capture,
       h.needs_resync,
       h.last_drift_id,
       (SELECT d.captured_at FROM lens_drift d WHERE d.id = h.last_drift_id) AS last_capture_at,
       (SELECT count(*) FROM lens_drift d WHERE d.error IS NOT NULL AND d.captured_at > COALESCE(h.last_verify_at, '-infinity')) AS failures_since_verify,
       (SELECT count(*) FROM lens_drift d WHERE d.resync AND d.captured_at > COALESCE(h.last_verify_at, '-infinity')) AS resyncs_since_verify,
       h.last_verify_at,
       (h.last_verify ->> 'ok')::boolean AS last_verify_ok,
       (SELECT max(s.drift_id) FROM lens_snapshots s WHERE s.source IN ('baseline', 'keyframe')) AS keyframe_drift_id,
       h.signature
FROM lens_head h;
REVOKE ALL ON lens_status FROM PUBLIC;
REVOKE ALL ON FUNCTION lens_verify(), lens_keyframe(bigint), lens_prune(timestamptz) FROM PUBLIC;

-- The baseline: the schema as it is when the extension is created. Then statistics, so that
-- the first captures already find their rows through the indexes (autovacuum comes later).
SELECT lens_take_baseline();
ANALYZE lens_state, lens_head, lens_snapshots, lens_values;
