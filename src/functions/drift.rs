//! `lens_diff`, `lens_snapshot_at`, `lens_check_drift` and `lens_capture`: history and
//! drift over snapshots.

use crate::catalog_reader::Scope;
use crate::errors::bad_argument;
use crate::functions::snapshot::{name_list, take_encoded_snapshot};
use crate::jsonb_datum::{EncodedJsonb, JsonbBytes, JsonbValue};
use crate::spi_read::{arg, execute, query};
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;
use serde_json::{json, Value};

/// Refuses what is not a snapshot (or is too new), with the reason and a hint.
fn check_snapshot(value: &Value, which: &str) {
    if let Err(e) = lens_core::snapshot_io::check_snapshot_value(value) {
        bad_argument(format!("{which}: {}", e.message), e.hint);
    }
}

/// What changed from one snapshot to another: see `lens_core::diff`.
#[pg_extern(immutable, strict, parallel_safe)]
#[search_path(pg_catalog, pg_temp)]
fn lens_diff(from: JsonbBytes, to: JsonbBytes) -> EncodedJsonb {
    check_encoded_snapshot(&from, "from");
    check_encoded_snapshot(&to, "to");
    // Straight from the jsonb bytes: entries whose bytes are equal are never read.
    match lens_core::diff::diff_encoded(from.0, to.0) {
        Ok(diff) => EncodedJsonb::from_value(&diff),
        Err(e) => bad_argument(e.to_string(), "Pass two snapshots that lens_snapshot() returned."),
    }
}

/// `check_snapshot` for a jsonb argument, reading only its meta.
fn check_encoded_snapshot(snapshot: &JsonbBytes, which: &str) {
    let outline = match lens_core::jsonb_read::members(snapshot.0, 0) {
        Ok(Some(root)) => {
            let mut outline = serde_json::Map::new();
            for member in &root {
                let value = match (member.key, member.container_start()) {
                    (b"meta", _) => member.to_value(snapshot.0).unwrap_or(Value::Null),
                    // the other sections only need to be objects
                    (_, Some(start)) if matches!(lens_core::jsonb_read::members(snapshot.0, start), Ok(Some(_))) => json!({}),
                    _ => Value::Null,
                };
                outline.insert(String::from_utf8_lossy(member.key).into_owned(), value);
            }
            Value::Object(outline)
        }
        _ => Value::Null,
    };
    check_snapshot(&outline, which);
}

/// The quoted schema of pg_lens's tables.
fn history_schema() -> String {
    match crate::capture::store::extension_schema() {
        Some(schema) => schema,
        None => crate::errors::internal("pg_lens's history tables are missing"),
    }
}

/// The captured schema as it was after drift row `drift_id`, rebuilt from the newest
/// keyframe at or before it and the diffs recorded since.
#[pg_extern(stable, strict, name = "lens_snapshot_at")]
#[search_path(pg_catalog, pg_temp)]
fn lens_snapshot_at_drift(drift_id: i64) -> EncodedJsonb {
    Spi::connect(|_| {
        let schema = history_schema();
        let exists = execute("drift_exists", &format!("SELECT captured_at::text FROM {schema}.lens_drift WHERE id = $1"), &[arg(drift_id)]);
        if exists.len() == 0 {
            crate::errors::raise(
                PgSqlErrorCode::ERRCODE_NO_DATA_FOUND,
                format!("lens_drift has no row {drift_id}"),
                "Pass the id of a lens_drift row, or a timestamp to lens_snapshot_at(timestamptz).",
            );
        }
        drop(exists);
        rebuild(&schema, Some(drift_id))
    })
}

/// The captured schema as it was at `at`.
#[pg_extern(stable, strict, name = "lens_snapshot_at")]
#[search_path(pg_catalog, pg_temp)]
fn lens_snapshot_at_time(at: pgrx::datum::TimestampWithTimeZone) -> EncodedJsonb {
    Spi::connect(|_| {
        let schema = history_schema();
        let baseline = execute(
            "first_keyframe",
            &format!("SELECT min(captured_at) <= $1 FROM {schema}.lens_snapshots WHERE source IN ('baseline', 'keyframe')"),
            &[arg(at)],
        );
        if baseline.get::<bool>(0, 1) != Some(true) {
            crate::errors::raise(
                PgSqlErrorCode::ERRCODE_NO_DATA_FOUND,
                "pg_lens has no history that far back",
                "History starts at the baseline taken by CREATE EXTENSION pg_lens (see lens_snapshots).",
            );
        }
        drop(baseline);
        let last = execute(
            "drift_at",
            &format!("SELECT max(id) FROM {schema}.lens_drift WHERE captured_at <= $1"),
            &[arg(at)],
        );
        let drift_id = last.get::<i64>(0, 1);
        drop(last);
        rebuild(&schema, drift_id)
    })
}

/// Replays history up to drift row `upto` (None: the keyframe before any drift).
fn rebuild(schema: &str, upto: Option<i64>) -> EncodedJsonb {
    let target = upto.unwrap_or(0);
    let keyframe = execute(
        "keyframe",
        &format!(
            "SELECT snapshot, COALESCE(drift_id, 0) FROM {schema}.lens_snapshots \
             WHERE source IN ('baseline', 'keyframe') AND COALESCE(drift_id, 0) <= $1 \
             ORDER BY COALESCE(drift_id, 0) DESC, id DESC LIMIT 1"
        ),
        &[arg(target)],
    );
    if keyframe.len() == 0 {
        crate::errors::raise(
            PgSqlErrorCode::ERRCODE_NO_DATA_FOUND,
            "pg_lens has no baseline to rebuild from",
            "lens_snapshots lost its baseline row; take one with lens_capture(refresh => 'force').",
        );
    }
    let mut state = keyframe.req::<JsonbValue>(0, 1).0;
    let from = keyframe.req::<i64>(0, 2);
    drop(keyframe);
    let diffs = execute(
        "diffs",
        &format!(
            "SELECT diff, to_char(captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') \
             FROM {schema}.lens_drift WHERE id > $1 AND id <= $2 AND diff IS NOT NULL ORDER BY id"
        ),
        &[arg(from), arg(target)],
    );
    for r in 0..diffs.len() {
        lens_core::diff::apply(&mut state, &diffs.req::<JsonbValue>(r, 1).0);
        state["meta"]["capturedAt"] = Value::String(diffs.string(r, 2));
        pg_sys::check_for_interrupts!();
    }
    drop(diffs);
    let mut snapshot = match serde_json::from_value::<lens_core::Snapshot>(state) {
        Ok(snapshot) => snapshot,
        Err(e) => crate::errors::internal(format!("history replays into something that is not a snapshot: {e}")),
    };
    match lens_core::snapshot_io::sign_and_encode(&mut snapshot) {
        Ok((bytes, _)) => EncodedJsonb(bytes),
        Err(e) => crate::errors::internal(format!("could not encode the snapshot: {e}")),
    }
}

/// For CI: the diff from an expected snapshot (kept in git) to the live schema of the same
/// schemas. `changed` false means no drift.
#[pg_extern(stable, strict)]
#[search_path(pg_catalog, pg_temp)]
fn lens_check_drift(expected: JsonbBytes) -> EncodedJsonb {
    check_encoded_snapshot(&expected, "expected");
    let meta = lens_core::jsonb_read::members(expected.0, 0)
        .ok()
        .flatten()
        .and_then(|root| lens_core::jsonb_read::find(&root, b"meta").and_then(|m| m.to_value(expected.0).ok()))
        .unwrap_or(Value::Null);
    let wanted: Vec<String> = meta["schemas"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
        .unwrap_or_default();
    // Schemas dropped since are compared as empty: their objects show up as removed.
    let existing: Vec<String> = Spi::connect(|_| {
        let rows = query(
            "existing_schemas",
            "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname = ANY($1)",
            &[arg(wanted.clone())],
        );
        (0..rows.len()).map(|r| rows.string(r, 1)).collect()
    });
    let live = if existing.is_empty() && !wanted.is_empty() {
        EncodedJsonb::from_value(&json!({"meta": {}, "tables": {}}))
    } else {
        let schemas = if wanted.is_empty() { None } else { Some(existing) };
        let scope = Scope::schemas(schemas);
        take_encoded_snapshot(&scope).0
    };
    match lens_core::diff::diff_encoded(expected.0, &live.0[4..]) {
        Ok(diff) => EncodedJsonb::from_value(&diff),
        Err(e) => crate::errors::internal(e.to_string()),
    }
}

/// Seed 001's snapshot endpoint: `{snapshot, cache: {hit, source}, lastRefreshedAt,
/// drift: {changedSinceLast, previousSignature, currentSignature}}`.
/// `cache`: the stored snapshot of these schemas while it still matches the live schema;
/// `force`: a fresh snapshot, stored; `visible`: re-reads only `visible_tables` and merges
/// them into the stored snapshot.
#[pg_extern(volatile, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn lens_capture(
    schemas: default!(Option<Vec<Option<String>>>, "NULL"),
    refresh: default!(Option<String>, "'cache'"),
    visible_tables: default!(Option<Vec<Option<String>>>, "NULL"),
) -> EncodedJsonb {
    let schemas = name_list(schemas, "schemas");
    let visible = name_list(visible_tables, "visible_tables");
    let mode = refresh.unwrap_or_else(|| "cache".into());
    if !matches!(mode.as_str(), "cache" | "force" | "visible") {
        bad_argument(format!("unknown refresh mode \"{mode}\""), "Use 'cache', 'force' or 'visible'.");
    }
    if mode == "visible" && visible.is_none() {
        bad_argument("refresh => 'visible' needs visible_tables", "Pass the keys of the tables on screen, e.g. ARRAY['public.users'].");
    }
    crate::capture::respond(schemas, &mode, visible)
}
