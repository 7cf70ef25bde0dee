-- pg_lens 0.1.0 -> 0.2.0 (ALTER EXTENSION pg_lens UPDATE): snapshots of formatVersion 3
-- (functions, schemas, extensions, default privileges, collations, types, statistics,
-- rules, owners, privileges and settings), and `ignore` on the functions that compare.
-- History kept by 0.1.0 replays as it was; the first DDL statement after the update
-- re-reads the whole schema, in one resync row (lens_verify() says stateFormatOlder until).
-- The comparing functions take `ignore`; NULL snapshots still give NULL.
DROP FUNCTION lens_diff(jsonb, jsonb);
CREATE FUNCTION lens_diff("from" jsonb, "to" jsonb, "ignore" text[] DEFAULT NULL) RETURNS jsonb
IMMUTABLE PARALLEL SAFE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_diff_wrapper';

DROP FUNCTION lens_check_drift(jsonb);
CREATE FUNCTION lens_check_drift("expected" jsonb, "ignore" text[] DEFAULT NULL) RETURNS jsonb
STABLE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_check_drift_wrapper';

DROP FUNCTION lens_signature(text[]);
CREATE FUNCTION lens_signature("schemas" text[] DEFAULT NULL, "ignore" text[] DEFAULT NULL) RETURNS text
STABLE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_signature_live_wrapper';

DROP FUNCTION lens_signature(jsonb);
CREATE FUNCTION lens_signature("snapshot" jsonb, "ignore" text[] DEFAULT NULL) RETURNS text
IMMUTABLE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_signature_of_wrapper';

-- The cluster the state was read on: after pg_upgrade the state is re-keyed (store.rs).
ALTER TABLE lens_head ADD COLUMN cluster text;

-- Migration plans (lens_core::migration): from one snapshot to another, from the live
-- database (verified in place where lens.verify_allowed is on), as a psql script, and the
-- guard every plan begins with.
CREATE FUNCTION lens_migration("source" jsonb, "target" jsonb, "online" bool DEFAULT false,
    "lock_timeout" interval DEFAULT '3s', "statement_timeout" interval DEFAULT '1min', "large_table_rows" bigint DEFAULT 100000)
RETURNS TABLE ("step" int, "statement" text, "hazards" text[], "in_transaction" bool, "lock_timeout" interval, "statement_timeout" interval)
STABLE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_migration_wrapper';

CREATE FUNCTION lens_migration("target" jsonb, "verify" bool DEFAULT false, "online" bool DEFAULT false,
    "lock_timeout" interval DEFAULT '3s', "statement_timeout" interval DEFAULT '1min', "large_table_rows" bigint DEFAULT 100000)
RETURNS TABLE ("step" int, "statement" text, "hazards" text[], "in_transaction" bool, "lock_timeout" interval, "statement_timeout" interval, "verified" text)
VOLATILE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_migration_live_wrapper';

CREATE FUNCTION lens_migration_guard("signature" text, "schemas" text[]) RETURNS bool
STABLE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_migration_guard_wrapper';

CREATE FUNCTION lens_migration_script("source" jsonb, "target" jsonb, "online" bool DEFAULT false,
    "lock_timeout" interval DEFAULT '3s', "statement_timeout" interval DEFAULT '1min', "large_table_rows" bigint DEFAULT 100000)
RETURNS text
STABLE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_migration_script_wrapper';

CREATE FUNCTION lens_migration_source("target" jsonb) RETURNS jsonb
STABLE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_migration_source_wrapper';

-- The HTML report (lens_report, lens_report_pages).
CREATE FUNCTION lens_report("schemas" text[] DEFAULT NULL, "inline_limit" integer DEFAULT 500, "history_limit" integer DEFAULT 200)
RETURNS text
STABLE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_report_wrapper';

CREATE FUNCTION lens_report_pages("schemas" text[] DEFAULT NULL, "history_limit" integer DEFAULT 200)
RETURNS TABLE ("path" text, "content" text)
STABLE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_report_pages_wrapper';

-- Typed code for the rows of a schema (lens_codegen).
CREATE FUNCTION lens_codegen("schemas" text[] DEFAULT NULL, "target" text DEFAULT 'typescript')
RETURNS text
STABLE
SET search_path TO pg_catalog, pg_temp
LANGUAGE c AS 'MODULE_PATHNAME', 'lens_codegen_wrapper';
