//! `lens_diff`, `lens_snapshot_at`, `lens_check_drift` and `lens_capture`: history and
//! drift over snapshots.

use crate::catalog::reader::Scope;
use crate::errors::bad_argument;
use crate::functions::snapshot::{name_list, take_encoded_snapshot};
use crate::jsonb_datum::{EncodedJsonb, JsonbBytes};
use crate::spi_read::{arg, query};
use pgrx::prelude::*;
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
    if lens_core::jsonb_read::nests_too_deep(snapshot.0).unwrap_or(true) {
        let e = lens_core::snapshot_io::too_deep();
        bad_argument(format!("{which}: {}", e.message), e.hint);
    }
    check_snapshot(&outline(snapshot.0, 0, true), which);
}

/// What `check_snapshot_value` needs of an encoded snapshot: meta in full, and for the other
/// members only whether they are objects (`constraints` one level further down).
fn outline(bytes: &[u8], start: usize, top: bool) -> Value {
    let Ok(Some(members)) = lens_core::jsonb_read::members(bytes, start) else { return Value::Null };
    let mut shape = serde_json::Map::new();
    for member in &members {
        let value = match (member.key, member.container_start()) {
            (b"meta", _) if top => member.to_value(bytes).unwrap_or(Value::Null),
            (b"constraints", Some(inner)) if top => outline(bytes, inner, false),
            (_, Some(inner)) if matches!(lens_core::jsonb_read::members(bytes, inner), Ok(Some(_))) => json!({}),
            _ => Value::Null,
        };
        shape.insert(String::from_utf8_lossy(member.key).into_owned(), value);
    }
    Value::Object(shape)
}

/// For CI: the diff from an expected snapshot (kept in git) to the live schema of the same
/// schemas. `changed` false means no drift.
#[pg_extern(stable, strict)]
#[search_path(pg_catalog, pg_temp)]
fn lens_check_drift(expected: JsonbBytes) -> EncodedJsonb {
    check_encoded_snapshot(&expected, "expected");
    let root = lens_core::jsonb_read::members(expected.0, 0).ok().flatten().unwrap_or_default();
    let meta = lens_core::jsonb_read::find(&root, b"meta").and_then(|m| m.to_value(expected.0).ok()).unwrap_or(Value::Null);
    // check_snapshot_value made both lists of names, when present
    let names = |field: &str| -> Option<Vec<String>> {
        meta[field].as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
    };
    let (wanted, wanted_tables) = (names("schemas").unwrap_or_default(), names("tables"));
    if let Some(tables) = &wanted_tables {
        // a snapshot limited to some tables holds each of them
        let held = lens_core::jsonb_read::find(&root, b"tables")
            .and_then(|t| t.container_start())
            .and_then(|start| lens_core::jsonb_read::members(expected.0, start).ok().flatten())
            .unwrap_or_default();
        if let Some(missing) = tables.iter().find(|t| lens_core::jsonb_read::find(&held, t.as_bytes()).is_none()) {
            bad_argument(
                format!("expected: meta.tables names {missing}, which the snapshot does not hold"),
                "Pass a snapshot as lens_snapshot() returned it: its meta.tables lists the tables it was limited to.",
            );
        }
    }
    // Schemas and tables dropped since are compared as empty: their objects show up as removed.
    let (existing, existing_tables): (Vec<String>, Vec<String>) = Spi::connect(|_| {
        let rows = query(
            "existing_schemas",
            "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname = ANY($1)",
            &[arg(wanted.clone())],
        );
        let schemas = (0..rows.len()).map(|r| rows.string(r, 1)).collect();
        drop(rows);
        let rows = query(
            "existing_tables",
            "SELECT k FROM unnest($1::text[]) k WHERE pg_catalog.to_regclass(k) IS NOT NULL",
            &[arg(wanted_tables.clone().unwrap_or_default())],
        );
        (schemas, (0..rows.len()).map(|r| rows.string(r, 1)).collect())
    });
    let empty = || EncodedJsonb::from_value(&json!({"meta": {}, "tables": {}}));
    let live = match &wanted_tables {
        Some(_) if existing_tables.is_empty() => empty(),
        Some(_) => take_encoded_snapshot(&Scope::tables(None, existing_tables)).0,
        None if existing.is_empty() && !wanted.is_empty() => empty(),
        None => take_encoded_snapshot(&Scope::schemas(if wanted.is_empty() { None } else { Some(existing.clone()) })).0,
    };
    let mut diff = match lens_core::diff::diff_encoded(expected.0, &live.0[4..]) {
        Ok(diff) => diff,
        Err(e) => crate::errors::internal(e.to_string()),
    };
    // a schema the snapshot covers that is gone is drift, even with nothing of it held
    let gone: Vec<&String> = wanted.iter().filter(|s| !existing.contains(s)).collect();
    if !gone.is_empty() && wanted_tables.is_none() {
        diff["schemasMissing"] = json!(gone);
        diff["changed"] = json!(true);
    }
    EncodedJsonb::from_value(&diff)
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
