//! pg_lens's history tables, as capture reads and writes them: `lens_head` (the running
//! signature), `lens_state` (the entries capture last saw) and `lens_drift`.

use crate::spi_read::{arg, execute, null_arg, Rows};
use lens_core::capture::{section_name, StateEntry};
use lens_core::signature::HashSum;
use pgrx::prelude::*;
use serde_json::Value;

/// The row of `lens_head`, locked for the rest of the transaction.
pub struct Head {
    pub database_id: String,
    pub sum: HashSum,
    pub schemas: Option<Vec<String>>,
    pub needs_resync: bool,
}

/// The schema pg_lens is installed in, quoted; None when it is not installed (any more).
pub fn extension_schema() -> Option<String> {
    extension_schema_names().map(|(quoted, _)| quoted)
}

/// The schema of pg_lens's tables, quoted, or an ERROR when they are missing.
pub fn extension_schema_checked() -> String {
    match Spi::connect(|_| extension_schema()) {
        Some(schema) => schema,
        None => crate::errors::internal("pg_lens's history tables are missing"),
    }
}

/// The schema pg_lens is installed in: quoted, and as the catalog spells it.
pub fn extension_schema_names() -> Option<(String, String)> {
    let rows = execute(
        "extension_schema",
        "SELECT pg_catalog.quote_ident(n.nspname), n.nspname::text FROM pg_catalog.pg_extension e \
         JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_lens' \
         AND pg_catalog.to_regclass(pg_catalog.quote_ident(n.nspname) || '.lens_head') IS NOT NULL",
        &[],
    );
    (rows.len() == 1).then(|| (rows.string(0, 1), rows.string(0, 2)))
}

/// Locks and reads `lens_head`. Captures queue here, so their order is their commit order.
pub fn lock_head(schema: &str) -> Option<Head> {
    let rows = execute(
        "lock_head",
        &format!("SELECT database_id, hash_sum, schemas, needs_resync FROM {schema}.lens_head FOR UPDATE"),
        &[],
    );
    if rows.len() != 1 {
        return None;
    }
    let sum = rows.get::<Vec<u8>>(0, 2).and_then(|b| HashSum::from_bytes(&b)).unwrap_or_default();
    let schemas = rows.get::<Vec<Option<String>>>(0, 3).map(|v| v.into_iter().flatten().collect());
    Some(Head { database_id: rows.string(0, 1), sum, schemas, needs_resync: rows.bool(0, 4) })
}

pub fn create_head(schema: &str, schemas: &Option<Vec<String>>) {
    execute(
        "create_head",
        &format!(
            "INSERT INTO {schema}.lens_head (database_id, hash_sum, signature, schemas) \
             VALUES (pg_catalog.gen_random_uuid()::text, $1, $2, $3)"
        ),
        &[arg(HashSum::default().to_bytes().to_vec()), arg(HashSum::default().signature()), schemas_arg(schemas)],
    );
}

fn schemas_arg(schemas: &Option<Vec<String>>) -> crate::spi_read::Arg {
    match schemas {
        Some(s) => arg(s.clone()),
        None => null_arg::<Vec<String>>(),
    }
}

pub fn update_head(schema: &str, sum: HashSum, schemas: &Option<Vec<String>>, last_drift_id: Option<i64>) {
    execute(
        "update_head",
        &format!(
            "UPDATE {schema}.lens_head SET hash_sum = $1, signature = $2, schemas = $3, needs_resync = false, \
             last_drift_id = COALESCE($4, last_drift_id)"
        ),
        &[arg(sum.to_bytes().to_vec()), arg(sum.signature()), schemas_arg(schemas), arg(last_drift_id)],
    );
}

pub fn mark_needs_resync(schema: &str) {
    execute("mark_needs_resync", &format!("UPDATE {schema}.lens_head SET needs_resync = true"), &[]);
}

/// The groups stored entries with these oids belong to (objects dropped or moved), with the
/// section of the group's own entry: `tables`, `sequences`, `enums` or `domains`.
pub fn owners_of(schema: &str, oids: &[u32]) -> Vec<(u32, String)> {
    if oids.is_empty() {
        return Vec::new();
    }
    let oids: Vec<pg_sys::Oid> = oids.iter().map(|&o| pg_sys::Oid::from(o)).collect();
    let rows = execute(
        "stored_owners",
        &format!(
            "SELECT DISTINCT s.owner::int8, \
                    COALESCE((SELECT min(o.section) FROM {schema}.lens_state o WHERE o.oid = s.owner \
                              AND o.section IN ('tables', 'sequences', 'enums', 'domains')), '') \
             FROM {schema}.lens_state s WHERE s.oid = ANY($1)"
        ),
        &[arg(oids)],
    );
    (0..rows.len()).map(|r| (rows.oid(r, 1), rows.string(r, 2))).collect()
}

/// The tables stored as partitions of `relations`: a DETACH names only the parent, and the
/// detached partition is no longer in the catalog's list of its children.
pub fn stored_partitions(schema: &str, relations: &[u32]) -> Vec<u32> {
    if relations.is_empty() {
        return Vec::new();
    }
    let oids: Vec<pg_sys::Oid> = relations.iter().map(|&o| pg_sys::Oid::from(o)).collect();
    let rows = execute(
        "stored_partitions",
        &format!(
            "SELECT DISTINCT c.owner::int8 FROM {schema}.lens_state p \
             JOIN {schema}.lens_state c ON c.section = 'tables' AND (c.entry ->> 'partitionOf') = p.key \
             WHERE p.section = 'tables' AND p.owner = ANY($1)"
        ),
        &[arg(oids)],
    );
    (0..rows.len()).map(|r| rows.oid(r, 1)).collect()
}

/// The stored entries of some groups, or of all of them (None).
pub fn entries_of(schema: &str, owners: Option<&[u32]>) -> Vec<StateEntry> {
    let rows = match owners {
        Some(owners) => {
            let oids: Vec<pg_sys::Oid> = owners.iter().map(|&o| pg_sys::Oid::from(o)).collect();
            execute(
                "stored_entries",
                &format!("SELECT section, key, owner::int8, oid::int8, entry::text, hash FROM {schema}.lens_state WHERE owner = ANY($1)"),
                &[arg(oids)],
            )
        }
        None => execute(
            "stored_entries",
            &format!("SELECT section, key, owner::int8, oid::int8, entry::text, hash FROM {schema}.lens_state"),
            &[],
        ),
    };
    read_entries(&rows)
}

fn read_entries(rows: &Rows) -> Vec<StateEntry> {
    let mut out = Vec::with_capacity(rows.len());
    for r in 0..rows.len() {
        let Some(section) = section_name(&rows.string(r, 1)) else { continue };
        let entry: Value = serde_json::from_str(&rows.string(r, 5)).unwrap_or(Value::Null);
        let hash: [u8; 32] = rows.get::<Vec<u8>>(r, 6).and_then(|h| h.try_into().ok()).unwrap_or([0; 32]);
        out.push(StateEntry {
            section,
            key: rows.string(r, 2),
            owner: rows.oid(r, 3),
            oid: rows.get::<i64>(r, 4).map(|o| o as u32),
            entry,
            hash,
        });
    }
    out
}

/// Replaces the stored entries of `owners` (all of them when None) with `entries`.
pub fn replace_entries(schema: &str, owners: Option<&[u32]>, entries: &[StateEntry]) {
    match owners {
        Some(owners) => {
            let oids: Vec<pg_sys::Oid> = owners.iter().map(|&o| pg_sys::Oid::from(o)).collect();
            execute("delete_entries", &format!("DELETE FROM {schema}.lens_state WHERE owner = ANY($1)"), &[arg(oids)]);
        }
        None => {
            execute("delete_entries", &format!("DELETE FROM {schema}.lens_state"), &[]);
        }
    }
    if entries.is_empty() {
        return;
    }
    let sections: Vec<String> = entries.iter().map(|e| e.section.to_string()).collect();
    let keys: Vec<String> = entries.iter().map(|e| e.key.clone()).collect();
    let owner_oids: Vec<pg_sys::Oid> = entries.iter().map(|e| pg_sys::Oid::from(e.owner)).collect();
    let oids: Vec<Option<pg_sys::Oid>> = entries.iter().map(|e| e.oid.map(pg_sys::Oid::from)).collect();
    let values: Vec<String> = entries.iter().map(|e| e.entry.to_string()).collect();
    let hashes: Vec<Vec<u8>> = entries.iter().map(|e| e.hash.to_vec()).collect();
    // A key can be stored once: a stale entry of a group not re-read (it cannot normally
    // exist) gives way to the live one.
    execute(
        "insert_entries",
        &format!(
            "INSERT INTO {schema}.lens_state (section, key, owner, oid, entry, hash) \
             SELECT s, k, o, i, e::jsonb, h FROM unnest($1::text[], $2::text[], $3::oid[], $4::oid[], $5::text[], $6::bytea[]) \
             AS t(s, k, o, i, e, h) \
             ON CONFLICT (section, key) DO UPDATE SET owner = excluded.owner, oid = excluded.oid, entry = excluded.entry, hash = excluded.hash"
        ),
        &[arg(sections), arg(keys), arg(owner_oids), arg(oids), arg(values), arg(hashes)],
    );
}

/// What one drift row says.
pub struct DriftRow<'a> {
    pub command_tags: &'a [String],
    pub object_keys: &'a [String],
    pub signature_before: Option<String>,
    pub signature_after: Option<String>,
    pub diff: Option<&'a Value>,
    pub error: Option<String>,
    pub resync: bool,
}

/// Inserts a drift row; returns its id.
pub fn insert_drift(schema: &str, row: &DriftRow) -> i64 {
    insert_drift_and_move_head(schema, row, None)
}

/// Inserts a drift row and, with `head` (the new sum and the captured schemas), moves
/// `lens_head` to it in the same statement; returns the row's id.
pub fn insert_drift_and_move_head(schema: &str, row: &DriftRow, head: Option<(HashSum, &Option<Vec<String>>)>) -> i64 {
    let insert = format!(
        "INSERT INTO {schema}.lens_drift (txid, role_name, application_name, command_tags, object_keys, \
         signature_before, signature_after, diff, error, resync) \
         VALUES (pg_catalog.txid_current(), $1, pg_catalog.current_setting('application_name'), $2, $3, $4, $5, $6::jsonb, $7, $8) \
         RETURNING id"
    );
    let (sql, head_args) = match head {
        Some((sum, schemas)) => (
            format!(
                "WITH drift AS ({insert}), head AS (UPDATE {schema}.lens_head SET hash_sum = $9, signature = $10, \
                 schemas = $11, needs_resync = false, last_drift_id = (SELECT id FROM drift)) SELECT id FROM drift"
            ),
            vec![arg(sum.to_bytes().to_vec()), arg(sum.signature()), schemas_arg(schemas)],
        ),
        None => (insert, Vec::new()),
    };
    let mut args = vec![
        arg(outer_role_name()),
        arg(row.command_tags.to_vec()),
        arg(row.object_keys.to_vec()),
        arg(row.signature_before.clone()),
        arg(row.signature_after.clone()),
        arg(row.diff.map(|d| d.to_string())),
        arg(row.error.clone()),
        arg(row.resync),
    ];
    args.extend(head_args);
    let rows = execute("insert_drift", &sql, &args);
    rows.req::<i64>(0, 1)
}

/// The role that ran the statement (SET ROLE included), not the definer capture runs as.
fn outer_role_name() -> String {
    unsafe {
        // SAFETY: GetUserNameFromId returns a palloc'd C string; with noerr it may be NULL.
        let name = pg_sys::GetUserNameFromId(pg_sys::GetOuterUserId(), true);
        if name.is_null() {
            return String::new();
        }
        std::ffi::CStr::from_ptr(name).to_string_lossy().into_owned()
    }
}

/// Stores a full snapshot in `lens_snapshots`; returns its id.
pub fn insert_snapshot(
    schema: &str,
    schemas: &Option<Vec<String>>,
    signature: &str,
    key_signature: &str,
    snapshot: &crate::jsonb_datum::EncodedJsonb,
    source: &str,
    drift_id: Option<i64>,
) -> i64 {
    let rows = execute(
        "insert_snapshot",
        &format!(
            "INSERT INTO {schema}.lens_snapshots (schemas, signature, key_signature, snapshot, source, drift_id) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
        ),
        &[
            schemas_arg(schemas),
            arg(signature.to_string()),
            arg(key_signature.to_string()),
            snapshot.as_arg(),
            arg(source.to_string()),
            arg(drift_id),
        ],
    );
    rows.req::<i64>(0, 1)
}
