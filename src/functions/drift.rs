//! `lens_diff`, `lens_snapshot_at`, `lens_check_drift` and `lens_capture`: history and
//! drift over snapshots.

use crate::catalog_reader::Scope;
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
