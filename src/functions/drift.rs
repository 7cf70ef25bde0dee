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

/// What changed from one snapshot to another: see `lens_core::diff`. `ignore` leaves parts
/// out of both first (`lens_core::parts`: owners, privileges, comments, tablespaces,
/// options, partitions); snapshots of two format versions are compared on the older one's
/// terms.
#[pg_extern(immutable, parallel_safe)]
#[search_path(pg_catalog, pg_temp)]
fn lens_diff(from: Option<JsonbBytes>, to: Option<JsonbBytes>, ignore: default!(Option<Vec<Option<String>>>, "NULL")) -> Option<EncodedJsonb> {
    // NULL in, NULL out, as when the function was STRICT (before `ignore`)
    let (from, to) = (from?, to?);
    let parts = ignored_parts(ignore);
    let from_version = check_encoded_snapshot(&from, "from");
    let to_version = check_encoded_snapshot(&to, "to");
    match diff_with(from.0, to.0, from_version != to_version, &parts) {
        Ok(diff) => Some(EncodedJsonb::from_value(&diff)),
        Err(e) => bad_argument(e.to_string(), "Pass two snapshots that lens_snapshot() returned."),
    }
}

/// The parts an `ignore` argument names, or an ERROR that lists the known ones.
pub fn ignored_parts(ignore: Option<Vec<Option<String>>>) -> Vec<lens_core::parts::Part> {
    match name_list(ignore, "ignore").map(|names| lens_core::parts::parse_parts(&names)) {
        None => Vec::new(),
        Some(Ok(parts)) => parts,
        Some(Err(e)) => bad_argument(e.message, e.hint),
    }
}

/// The diff of two encoded snapshots: straight from their bytes (entries whose bytes are
/// equal are never read), unless parts are left out or their formats differ.
fn diff_with(from: &[u8], to: &[u8], formats_differ: bool, parts: &[lens_core::parts::Part]) -> Result<Value, lens_core::jsonb_read::ReadError> {
    if parts.is_empty() && !formats_differ {
        return lens_core::diff::diff_encoded(from, to);
    }
    let mut a = lens_core::jsonb_read::jsonb_to_value(from)?;
    let mut b = lens_core::jsonb_read::jsonb_to_value(to)?;
    lens_core::parts::align_formats(&mut a, &mut b);
    lens_core::parts::leave_out(&mut a, parts);
    lens_core::parts::leave_out(&mut b, parts);
    Ok(lens_core::diff::diff(&a, &b))
}

/// `check_snapshot` for a jsonb argument, reading only its meta; its formatVersion.
pub(crate) fn check_encoded_snapshot(snapshot: &JsonbBytes, which: &str) -> i64 {
    if lens_core::jsonb_read::nests_too_deep(snapshot.0).unwrap_or(true) {
        let e = lens_core::snapshot_io::too_deep();
        bad_argument(format!("{which}: {}", e.message), e.hint);
    }
    let shape = outline(snapshot.0, 0, true);
    check_snapshot(&shape, which);
    lens_core::parts::format_version(&shape)
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
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
fn lens_check_drift(expected: Option<JsonbBytes>, ignore: default!(Option<Vec<Option<String>>>, "NULL")) -> Option<EncodedJsonb> {
    let expected = expected?;
    let parts = ignored_parts(ignore);
    let version = check_encoded_snapshot(&expected, "expected");
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
    let mut diff = match diff_with(expected.0, &live.0[4..], version != lens_core::model::FORMAT_VERSION, &parts) {
        Ok(diff) => diff,
        Err(e) => crate::errors::internal(e.to_string()),
    };
    // a schema the snapshot covers that is gone is drift, even with nothing of it held
    let gone: Vec<&String> = wanted.iter().filter(|s| !existing.contains(s)).collect();
    if !gone.is_empty() && wanted_tables.is_none() {
        diff["schemasMissing"] = json!(gone);
        diff["changed"] = json!(true);
    }
    Some(EncodedJsonb::from_value(&diff))
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
