//! `lens_capture()`: seed 001's snapshot endpoint over `lens_snapshots` (see its documentation
//! in `functions::drift`). A snapshot is stored only when its signature is new for these
//! schemas, so calling it again and again stores nothing more.

use super::store;
use crate::catalog::reader::Scope;
use crate::jsonb_datum::EncodedJsonb;
use pgrx::prelude::*;
use std::collections::HashSet;

/// A stored snapshot of `lens_snapshots`.
struct Stored {
    signature: String,
    captured_at: String,
    snapshot: serde_json::Value,
}

fn latest_stored(schema: &str, schemas: &Option<Vec<String>>) -> Option<Stored> {
    let schemas_arg = match schemas {
        Some(s) => crate::spi_read::arg(s.clone()),
        None => crate::spi_read::null_arg::<Vec<String>>(),
    };
    let rows = crate::spi_read::execute(
        "latest_snapshot",
        &format!(
            "SELECT signature, to_char(captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), snapshot \
             FROM {schema}.lens_snapshots WHERE schemas IS NOT DISTINCT FROM $1 \
             AND source IN ('manual', 'visible') ORDER BY captured_at DESC, id DESC LIMIT 1"
        ),
        &[schemas_arg],
    );
    (rows.len() == 1).then(|| {
        let snapshot = rows.req::<crate::jsonb_datum::JsonbValue>(0, 3).0;
        // when it was stored, or last found unchanged (touch_snapshot)
        Stored { signature: rows.string(0, 1), captured_at: rows.string(0, 2), snapshot }
    })
}

/// The live signature of `schemas`: the running one capture keeps when it covers exactly
/// these schemas, else computed from a fresh snapshot.
fn live_signature(schema: &str, schemas: &Option<Vec<String>>) -> String {
    let kept = Spi::connect(|_| {
        let rows = crate::spi_read::execute(
            "head_signature",
            &format!("SELECT signature, schemas, needs_resync FROM {schema}.lens_head"),
            &[],
        );
        // the head moves at commit: this transaction's own DDL is not in it yet
        if rows.len() != 1 || rows.bool(0, 3) || !crate::gucs::CAPTURE.get() || !super::pending::is_empty() {
            return None;
        }
        let head_schemas: Option<Vec<String>> = rows.get::<Vec<Option<String>>>(0, 2).map(|v| v.into_iter().flatten().collect());
        (head_schemas == *schemas && crate::gucs::capture_schemas() == *schemas).then(|| rows.string(0, 1))
    });
    kept.unwrap_or_else(|| {
        let scope = Scope::schemas(schemas.clone());
        crate::functions::snapshot::take_snapshot(&scope).meta.signature
    })
}

/// `lens_capture()`: see its documentation in `functions::drift`.
pub fn respond(schemas: Option<Vec<String>>, mode: &str, visible: Option<Vec<String>>) -> EncodedJsonb {
    use serde_json::json;
    let schema = Spi::connect(|_| store::extension_schema())
        .unwrap_or_else(|| crate::errors::internal("pg_lens's history tables are missing"));
    let previous = Spi::connect(|_| latest_stored(&schema, &schemas));
    if mode == "cache" {
        if let Some(prev) = &previous {
            if live_signature(&schema, &schemas) == prev.signature {
                return EncodedJsonb::from_value(&json!({
                    "snapshot": prev.snapshot,
                    "cache": {"hit": true, "source": "db"},
                    "lastRefreshedAt": prev.captured_at,
                    "drift": {"changedSinceLast": false, "previousSignature": prev.signature, "currentSignature": prev.signature},
                }));
            }
        }
    }
    let (snapshot, source) = match (&previous, mode, &visible) {
        (Some(prev), "visible", Some(tables)) => (merge_visible(&prev.snapshot, &schemas, tables), "visible"),
        _ => {
            let scope = Scope::schemas(schemas.clone());
            (crate::functions::snapshot::take_snapshot(&scope), "fresh")
        }
    };
    let mut snapshot = snapshot;
    let (bytes, signature) = match lens_core::snapshot_io::sign_and_encode(&mut snapshot) {
        Ok(encoded) => encoded,
        Err(e) => crate::errors::limit_exceeded(e),
    };
    let encoded = EncodedJsonb(bytes);
    let stored_as = if source == "visible" { "visible" } else { "manual" };
    Spi::connect(|_| {
        let _capturing = super::Capturing::start();
        // Stored once per signature: an unchanged schema never grows lens_snapshots.
        let drift_id = store::read_head(&schema).and_then(|h| h.last_drift_id);
        if !store::touch_snapshot(&schema, &schemas, &signature, stored_as, drift_id) {
            let at = Some(snapshot.meta.captured_at.as_str());
            store::insert_snapshot_at(&schema, &schemas, &signature, &snapshot.meta.key_signature, &encoded, stored_as, drift_id, at);
        }
    });
    // the signed snapshot as JSON (not read back from the bytes just encoded)
    let value = serde_json::to_value(&snapshot).unwrap_or_default();
    let previous_signature = previous.as_ref().map(|p| p.signature.clone());
    EncodedJsonb::from_value(&json!({
        "snapshot": value,
        "cache": {"hit": false, "source": source},
        "lastRefreshedAt": snapshot.meta.captured_at,
        "drift": {
            "changedSinceLast": previous_signature.as_ref().is_some_and(|p| *p != signature),
            "previousSignature": previous_signature,
            "currentSignature": signature,
        },
    }))
}

/// The stored snapshot with the entries of `tables` read again: whatever hangs off them
/// (columns, constraints, indexes, FKs they hold, triggers, policies, view bodies) replaced.
fn merge_visible(stored: &serde_json::Value, schemas: &Option<Vec<String>>, tables: &[String]) -> lens_core::Snapshot {
    let scope = Scope::tables(schemas.clone(), tables.to_vec());
    let fresh = crate::functions::snapshot::take_snapshot(&scope);
    let fresh_value = serde_json::to_value(&fresh).unwrap_or(serde_json::Value::Null);
    let mut merged = stored.clone();
    let visible: HashSet<&str> = tables.iter().map(String::as_str).collect();
    for path in lens_core::sections::SECTIONS {
        let Some(entries) = lens_core::sections::section_mut(&mut merged, path) else { continue };
        entries.retain(|key, entry| {
            let table = ["tableKey", "childKey"].iter().find_map(|f| entry.get(*f).and_then(|v| v.as_str()));
            let belongs = match *path {
                "tables" | "views" => visible.contains(key.as_str()),
                _ => table.is_some_and(|t| visible.contains(t)),
            };
            !belongs
        });
        if let Some(fresh_entries) = lens_core::sections::section(&fresh_value, path) {
            for (key, entry) in fresh_entries {
                let table = ["tableKey", "childKey"].iter().find_map(|f| entry.get(*f).and_then(|v| v.as_str()));
                let keep = match *path {
                    "tables" | "views" => visible.contains(key.as_str()),
                    "enums" | "domains" | "sequences" => true,
                    _ => table.is_some_and(|t| visible.contains(t)),
                };
                if keep {
                    entries.insert(key.clone(), entry.clone());
                }
            }
        }
    }
    merged["meta"]["capturedAt"] = fresh_value["meta"]["capturedAt"].clone();
    match serde_json::from_value(merged) {
        Ok(snapshot) => snapshot,
        Err(e) => crate::errors::internal(format!("the stored snapshot could not be merged: {e}")),
    }
}
