//! pg_lens's history tables, as capture reads and writes them: `lens_head` (the running
//! signature), `lens_state` (the entries capture last saw), `lens_drift`, `lens_values`
//! and `lens_snapshots`. Statements read the committed state; only the commit tail
//! (`flush`) writes it.

use crate::jsonb_datum::EncodedJsonb;
use crate::spi_read::{arg, execute, null_arg, Arg, Rows};
use lens_core::capture::{section_name, Fingerprint, StateEntry};
use lens_core::signature::HashSum;
use pgrx::prelude::*;
use serde_json::Value;
use std::collections::HashMap;

/// Where pg_lens is installed.
#[derive(Clone, Debug, PartialEq)]
pub struct Installed {
    /// The schema of its tables, quoted for SQL.
    pub schema: String,
    /// The same, as the catalog spells it.
    pub schema_name: String,
    /// The extension's oid: a re-created extension is another installation.
    pub extension: u32,
    /// The extension's owner, whom capture writes history as.
    pub owner: u32,
}

/// The row of `lens_head`.
#[derive(Clone, Debug)]
pub struct Head {
    pub database_id: String,
    pub sum: HashSum,
    pub schemas: Option<Vec<String>>,
    pub needs_resync: bool,
    pub resync_seq: i64,
    pub last_drift_id: Option<i64>,
    /// Moves with every write of `lens_state`: unchanged, nobody committed state meanwhile.
    pub state_seq: i64,
    /// The cluster the state was read on (`this_cluster()` then); None before it was kept.
    pub cluster: Option<String>,
}

/// This cluster: its system identifier and major. pg_upgrade makes a new cluster (a new
/// identifier) whose catalogs keep the oids of relations and types but not of constraints,
/// triggers, policies, functions or schemas: a state read on another cluster is re-keyed
/// before it is used (capture resyncs, lens_verify re-reads it). A standby is the same
/// cluster as its primary.
pub fn this_cluster() -> String {
    // SAFETY: reads a value set at startup from the control file.
    let id = unsafe { pg_sys::GetSystemIdentifier() };
    format!("{id}/{}", pg_sys::PG_VERSION_NUM / 10000)
}

/// Whether the state was read on another cluster than this one (a major upgrade since).
pub fn read_on_another_cluster(head: &Head) -> bool {
    head.cluster.as_deref().is_some_and(|c| c != this_cluster())
}

/// The schema pg_lens is installed in, quoted; None when it is not installed (any more).
pub fn extension_schema() -> Option<String> {
    installed().map(|i| i.schema)
}

/// The schema of pg_lens's tables, quoted, or an ERROR when they are missing.
pub fn extension_schema_checked() -> String {
    match Spi::connect(|_| extension_schema()) {
        Some(schema) => schema,
        None => crate::errors::internal("pg_lens's history tables are missing"),
    }
}

thread_local! {
    static INSTALLED: std::cell::RefCell<Option<Installed>> = const { std::cell::RefCell::new(None) };
}

/// Where pg_lens is installed; None when it is not (any more). Kept per backend while the
/// extension keeps its oid (a DROP and CREATE EXTENSION elsewhere gives it a new one).
pub fn installed() -> Option<Installed> {
    let oid = unsafe { pg_sys::get_extension_oid(c"pg_lens".as_ptr(), true) }.to_u32();
    if oid == 0 {
        return None;
    }
    if let Some(kept) = INSTALLED.with(|i| i.borrow().clone()).filter(|i| i.extension == oid) {
        return Some(kept);
    }
    let found = read_installed();
    INSTALLED.with(|i| *i.borrow_mut() = found.clone());
    found
}

/// Where pg_lens is installed, read from the catalog.
fn read_installed() -> Option<Installed> {
    let rows = execute(
        "extension_schema",
        "SELECT pg_catalog.quote_ident(n.nspname), n.nspname::text, e.oid::int8, e.extowner::int8 FROM pg_catalog.pg_extension e \
         JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_lens' \
         AND EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.relname = 'lens_head' AND c.relnamespace = n.oid)",
        &[],
    );
    (rows.len() == 1).then(|| Installed {
        schema: rows.string(0, 1),
        schema_name: rows.string(0, 2),
        extension: rows.oid(0, 3),
        owner: rows.oid(0, 4),
    })
}

/// Reads `lens_head` (no lock: statements only read it; the commit tail writes it).
pub fn read_head(schema: &str) -> Option<Head> {
    let rows = execute(
        "read_head",
        &format!("SELECT database_id, hash_sum, schemas, needs_resync, resync_seq, last_drift_id, state_seq, cluster FROM {schema}.lens_head"),
        &[],
    );
    if rows.len() != 1 {
        return None;
    }
    let sum = rows.get::<Vec<u8>>(0, 2).and_then(|b| HashSum::from_bytes(&b)).unwrap_or_default();
    let schemas = rows.get::<Vec<Option<String>>>(0, 3).map(|v| v.into_iter().flatten().collect());
    Some(Head {
        database_id: rows.string(0, 1),
        sum,
        schemas,
        needs_resync: rows.bool(0, 4),
        resync_seq: rows.req(0, 5),
        last_drift_id: rows.get(0, 6),
        state_seq: rows.req(0, 7),
        cluster: rows.opt_string(0, 8),
    })
}

/// The lock that orders history: held from the commit tail of a transaction that did DDL to
/// its end, so drift ids follow commit order. The holder waits on nothing else (its locks
/// are all taken), so waiting for it cannot deadlock. Keyed by the extension's oid.
pub fn lock_history(extension: u32) {
    const LENS: i32 = 0x6c65_6e73; // "lens"
    execute("lock_history", "SELECT pg_catalog.pg_advisory_xact_lock($1, $2)", &[arg(LENS), arg(extension as i32)]);
}

pub fn create_head(schema: &str, schemas: &Option<Vec<String>>) {
    execute(
        "create_head",
        &format!(
            "INSERT INTO {schema}.lens_head (database_id, hash_sum, signature, schemas, cluster) \
             VALUES (pg_catalog.gen_random_uuid()::text, $1, $2, $3, $4)"
        ),
        &[arg(HashSum::default().to_bytes().to_vec()), arg(HashSum::default().signature()), schemas_arg(schemas), arg(this_cluster())],
    );
}

pub fn schemas_arg(schemas: &Option<Vec<String>>) -> Arg {
    match schemas {
        Some(s) => arg(s.clone()),
        None => null_arg::<Vec<String>>(),
    }
}

/// What the commit tail leaves in `lens_head`.
pub struct HeadUpdate<'a> {
    pub sum: HashSum,
    pub schemas: &'a Option<Vec<String>>,
    pub last_drift_id: Option<i64>,
    pub needs_resync: bool,
    pub resync_seq: i64,
    pub state_seq: i64,
}

pub fn update_head(schema: &str, head: &HeadUpdate) {
    execute(
        "update_head",
        &format!(
            "UPDATE {schema}.lens_head SET hash_sum = $1, signature = $2, schemas = $3, needs_resync = $4, \
             resync_seq = $5, last_drift_id = COALESCE($6, last_drift_id), state_seq = $7, cluster = $8"
        ),
        &[
            arg(head.sum.to_bytes().to_vec()),
            arg(head.sum.signature()),
            schemas_arg(head.schemas),
            arg(head.needs_resync),
            arg(head.resync_seq),
            arg(head.last_drift_id),
            arg(head.state_seq),
            arg(this_cluster()),
        ],
    );
}

fn oids(list: &[u32]) -> Vec<pg_sys::Oid> {
    list.iter().map(|&o| pg_sys::Oid::from(o)).collect()
}

/// The groups stored entries with these oids belong to (objects dropped or moved), with the
/// section of the group's own entry: `tables`, `sequences`, `enums` or `domains`.
pub fn owners_of(schema: &str, list: &[u32]) -> Vec<(u32, String)> {
    if list.is_empty() {
        return Vec::new();
    }
    let heads: Vec<String> = lens_core::sections::group_heads().map(str::to_string).collect();
    let rows = execute(
        "stored_owners",
        &format!(
            "SELECT DISTINCT s.owner::int8, \
                    COALESCE((SELECT min(o.section) FROM {schema}.lens_state o WHERE o.oid = s.owner \
                              AND o.section = ANY($2)), '') \
             FROM {schema}.lens_state s WHERE s.oid = ANY($1)"
        ),
        &[arg(oids(list)), arg(heads)],
    );
    (0..rows.len()).map(|r| (rows.oid(r, 1), rows.string(r, 2))).collect()
}

thread_local! {
    /// Set once this backend saw the stored state in the current format.
    static STATE_CURRENT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the stored state was written by a pg_lens of an older snapshot format (one
/// without the sections formatVersion 3 brought: every captured database has a schema
/// entry now). The first capture after an upgrade then re-reads everything, in one resync
/// row, instead of reporting what the old format never saw as changed piece by piece.
/// Asked once per backend, as one index probe.
pub fn state_predates_format(schema: &str) -> bool {
    if STATE_CURRENT.with(|c| c.get()) {
        return false;
    }
    let rows = execute(
        "state_format",
        &format!(
            "SELECT EXISTS (SELECT FROM {schema}.lens_state WHERE section = 'tables') \
                    AND NOT EXISTS (SELECT FROM {schema}.lens_state WHERE section = 'schemas')"
        ),
        &[],
    );
    let old = rows.bool(0, 1);
    if !old {
        STATE_CURRENT.with(|c| c.set(true));
    }
    old
}

/// The groups that hold stored entries of `section`.
pub fn owners_in_section(schema: &str, section: &str) -> Vec<u32> {
    let rows = execute(
        "stored_section_owners",
        &format!("SELECT DISTINCT s.owner::int8 FROM {schema}.lens_state s WHERE s.section = $1"),
        &[arg(section.to_string())],
    );
    (0..rows.len()).map(|r| rows.oid(r, 1)).collect()
}

/// The groups of tables stored as partitions of the tables `parents` (by their groups), or
/// of the tables keyed `parent_keys`: a DETACH names only the parent, and the detached
/// partition is no longer among the catalog's children of it.
pub fn stored_partitions(schema: &str, parents: &[u32], parent_keys: &[String]) -> Vec<u32> {
    if parents.is_empty() && parent_keys.is_empty() {
        return Vec::new();
    }
    let rows = execute(
        "stored_partitions",
        &format!(
            // OFFSET 0 keeps the section tests above the probes of lens_state_partition_of and
            // lens_state_oid (ANDed with the primary key's section, a generic plan reads every
            // table entry)
            "SELECT DISTINCT c.owner::int8 FROM ( \
               SELECT owner, section FROM {schema}.lens_state WHERE (entry ->> 'partitionOf') = ANY( \
                 ARRAY(SELECT p.key FROM (SELECT key, section FROM {schema}.lens_state WHERE oid = ANY($1) AND owner = oid OFFSET 0) p \
                       WHERE p.section = 'tables') \
                 || $2::text[]) OFFSET 0) c \
             WHERE c.section = 'tables'"
        ),
        &[arg(oids(parents)), arg(parent_keys.to_vec())],
    );
    (0..rows.len()).map(|r| rows.oid(r, 1)).collect()
}

/// The stored entries of some groups, or of all of them (None).
pub fn entries_of(schema: &str, owners: Option<&[u32]>) -> Vec<StateEntry> {
    let rows = match owners {
        Some(owners) => execute(
            "stored_entries",
            &format!("SELECT section, key, owner::int8, oid::int8, entry::text, hash FROM {schema}.lens_state WHERE owner = ANY($1)"),
            &[arg(oids(owners))],
        ),
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
        out.push(StateEntry {
            section,
            key: rows.string(r, 2),
            owner: rows.oid(r, 3),
            oid: rows.get::<i64>(r, 4).map(|o| o as u32),
            entry,
            hash: hash_of(rows, r, 6),
        });
    }
    out
}

fn hash_of(rows: &Rows, r: usize, col: i32) -> [u8; 32] {
    rows.get::<Vec<u8>>(r, col).and_then(|h| h.try_into().ok()).unwrap_or([0; 32])
}

/// The fingerprints of the stored entries with these (section, key) pairs.
pub fn fingerprints(schema: &str, keys: &[(&'static str, String)]) -> HashMap<(&'static str, String), Fingerprint> {
    let mut out = HashMap::new();
    if keys.is_empty() {
        return out;
    }
    let sections: Vec<String> = keys.iter().map(|(s, _)| s.to_string()).collect();
    let names: Vec<String> = keys.iter().map(|(_, k)| k.clone()).collect();
    let rows = execute(
        "stored_fingerprints",
        &format!(
            "SELECT s.section, s.key, s.hash, s.owner::int8, s.oid::int8 FROM {schema}.lens_state s \
             JOIN unnest($1::text[], $2::text[]) AS k(section, key) ON s.section = k.section AND s.key = k.key"
        ),
        &[arg(sections), arg(names)],
    );
    for r in 0..rows.len() {
        let Some(section) = section_name(&rows.string(r, 1)) else { continue };
        let fingerprint = Fingerprint { hash: hash_of(&rows, r, 3), owner: rows.oid(r, 4), oid: rows.get::<i64>(r, 5).map(|o| o as u32) };
        out.insert((section, rows.string(r, 2)), fingerprint);
    }
    out
}

/// Deletes the stored entries of these keys and stores `entries` (their new versions and
/// new entries), in two statements.
pub fn write_entries(schema: &str, gone: &[(&'static str, String)], entries: &[&StateEntry]) {
    if !gone.is_empty() {
        let sections: Vec<String> = gone.iter().map(|(s, _)| s.to_string()).collect();
        let keys: Vec<String> = gone.iter().map(|(_, k)| k.clone()).collect();
        execute(
            "delete_entries",
            &format!(
                "DELETE FROM {schema}.lens_state s USING unnest($1::text[], $2::text[]) AS k(section, key) \
                 WHERE s.section = k.section AND s.key = k.key"
            ),
            &[arg(sections), arg(keys)],
        );
    }
    if entries.is_empty() {
        return;
    }
    let sections: Vec<String> = entries.iter().map(|e| e.section.to_string()).collect();
    let keys: Vec<String> = entries.iter().map(|e| e.key.clone()).collect();
    let owner_oids: Vec<pg_sys::Oid> = entries.iter().map(|e| pg_sys::Oid::from(e.owner)).collect();
    let entry_oids: Vec<Option<pg_sys::Oid>> = entries.iter().map(|e| e.oid.map(pg_sys::Oid::from)).collect();
    let values: Vec<String> = entries.iter().map(|e| e.entry.to_string()).collect();
    let hashes: Vec<Vec<u8>> = entries.iter().map(|e| e.hash.to_vec()).collect();
    execute(
        "insert_entries",
        &format!(
            "INSERT INTO {schema}.lens_state (section, key, owner, oid, entry, hash) \
             SELECT s, k, o, i, e::jsonb, h FROM unnest($1::text[], $2::text[], $3::oid[], $4::oid[], $5::text[], $6::bytea[]) \
             AS t(s, k, o, i, e, h) \
             ON CONFLICT (section, key) DO UPDATE SET owner = excluded.owner, oid = excluded.oid, entry = excluded.entry, hash = excluded.hash"
        ),
        &[arg(sections), arg(keys), arg(owner_oids), arg(entry_oids), arg(values), arg(hashes)],
    );
}

/// Replaces every stored entry (the baseline).
pub fn replace_all_entries(schema: &str, entries: &[StateEntry]) {
    execute("delete_all_entries", &format!("DELETE FROM {schema}.lens_state"), &[]);
    write_entries(schema, &[], &entries.iter().collect::<Vec<_>>());
}

/// Stores values kept apart (`lens_core::stored_values`), once each.
pub fn store_values(schema: &str, values: &HashMap<String, String>) {
    if values.is_empty() {
        return;
    }
    let (hashes, texts): (Vec<String>, Vec<String>) = values.iter().map(|(h, v)| (h.clone(), v.clone())).unzip();
    execute(
        "store_values",
        &format!(
            "INSERT INTO {schema}.lens_values (hash, value) SELECT * FROM unnest($1::text[], $2::text[]) \
             ON CONFLICT (hash) DO NOTHING"
        ),
        &[arg(hashes), arg(texts)],
    );
}

/// The values kept apart with these hashes.
pub fn values(schema: &str, hashes: &[String]) -> HashMap<String, String> {
    if hashes.is_empty() {
        return HashMap::new();
    }
    let rows = execute(
        "stored_values",
        &format!("SELECT hash, value FROM {schema}.lens_values WHERE hash = ANY($1)"),
        &[arg(hashes.to_vec())],
    );
    (0..rows.len()).map(|r| (rows.string(r, 1), rows.string(r, 2))).collect()
}

/// What one drift row says.
pub struct DriftRow {
    pub command_tags: Vec<String>,
    pub object_keys: Vec<String>,
    pub signature_before: Option<String>,
    pub signature_after: Option<String>,
    pub diff: Option<String>,
    pub error: Option<String>,
    pub resync: bool,
    pub statement: Option<String>,
    pub partial: bool,
}

/// Inserts drift rows in one statement, in order, and announces each on the channel
/// `lens_drift` (`{"id": n, "resync": bool, "error": bool, "tags": [...]}`); returns their ids.
pub fn insert_drift_rows(schema: &str, rows: &[DriftRow]) -> Vec<i64> {
    if rows.is_empty() {
        return Vec::new();
    }
    // Arrays of arrays must be rectangular: the tag and key lists go as JSON text.
    let list = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    let tags: Vec<String> = rows.iter().map(|r| list(&r.command_tags)).collect();
    let keys: Vec<String> = rows.iter().map(|r| list(&r.object_keys)).collect();
    let before: Vec<Option<String>> = rows.iter().map(|r| r.signature_before.clone()).collect();
    let after: Vec<Option<String>> = rows.iter().map(|r| r.signature_after.clone()).collect();
    let diffs: Vec<Option<String>> = rows.iter().map(|r| r.diff.clone()).collect();
    let errors: Vec<Option<String>> = rows.iter().map(|r| r.error.clone()).collect();
    let resyncs: Vec<bool> = rows.iter().map(|r| r.resync).collect();
    let statements: Vec<Option<String>> = rows.iter().map(|r| r.statement.clone()).collect();
    let partials: Vec<bool> = rows.iter().map(|r| r.partial).collect();
    let result = execute(
        "insert_drift",
        &format!(
            "WITH inserted AS (INSERT INTO {schema}.lens_drift (txid, role_name, application_name, command_tags, object_keys, \
               signature_before, signature_after, diff, error, resync, statement, session_user_name, client_addr, backend_pid, partial) \
             SELECT pg_catalog.txid_current(), $1, pg_catalog.current_setting('application_name'), \
               ARRAY(SELECT pg_catalog.jsonb_array_elements_text(t::jsonb)), ARRAY(SELECT pg_catalog.jsonb_array_elements_text(k::jsonb)), \
               b, a, d::jsonb, e, r, s, $11, pg_catalog.inet_client_addr(), pg_catalog.pg_backend_pid(), p \
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[], $9::text[], $10::bool[]) \
               WITH ORDINALITY AS u(t, k, b, a, d, e, r, s, p, n) \
             ORDER BY n RETURNING id, resync, error IS NOT NULL AS failed, command_tags) \
             SELECT id, pg_catalog.pg_notify('lens_drift', pg_catalog.json_build_object( \
                      'id', id, 'resync', resync, 'error', failed, 'tags', command_tags)::text) IS NULL \
             FROM inserted ORDER BY id"
        ),
        &[
            arg(outer_role_name()),
            arg(tags),
            arg(keys),
            arg(before),
            arg(after),
            arg(diffs),
            arg(errors),
            arg(resyncs),
            arg(statements),
            arg(partials),
            arg(session_user_name()),
        ],
    );
    let mut ids: Vec<i64> = (0..result.len()).map(|r| result.req::<i64>(r, 1)).collect();
    ids.sort_unstable();
    ids
}

/// The role that ran the statement (SET ROLE included), not the definer capture runs as.
fn outer_role_name() -> String {
    role_name(unsafe { pg_sys::GetOuterUserId() })
}

/// The role that logged in (session_user).
fn session_user_name() -> String {
    role_name(unsafe { pg_sys::GetSessionUserId() })
}

fn role_name(role: pg_sys::Oid) -> String {
    unsafe {
        // SAFETY: GetUserNameFromId returns a palloc'd C string; with noerr it may be NULL.
        let name = pg_sys::GetUserNameFromId(role, true);
        if name.is_null() {
            return String::new();
        }
        std::ffi::CStr::from_ptr(name).to_string_lossy().into_owned()
    }
}

/// The newest drift row's id.
pub fn max_drift_id(schema: &str) -> Option<i64> {
    let rows = execute("max_drift_id", &format!("SELECT max(id) FROM {schema}.lens_drift"), &[]);
    rows.get::<i64>(0, 1)
}

/// When `lens_snapshots` already holds a snapshot of these schemas with this signature, makes
/// it the newest (captured now, at drift row `drift_id`) and returns true.
pub fn touch_snapshot(schema: &str, schemas: &Option<Vec<String>>, signature: &str, source: &str, drift_id: Option<i64>) -> bool {
    let rows = execute(
        "touch_snapshot",
        &format!(
            "UPDATE {schema}.lens_snapshots SET captured_at = pg_catalog.clock_timestamp(), drift_id = $4 \
             WHERE id = (SELECT max(id) FROM {schema}.lens_snapshots \
                         WHERE schemas IS NOT DISTINCT FROM $1 AND signature = $2 AND source = $3) RETURNING id"
        ),
        &[schemas_arg(schemas), arg(signature.to_string()), arg(source.to_string()), arg(drift_id)],
    );
    rows.len() == 1
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
    insert_snapshot_at(schema, schemas, signature, key_signature, snapshot, source, drift_id, None)
}

/// `insert_snapshot`, dated `captured_at` (ISO 8601; None: now).
#[allow(clippy::too_many_arguments)]
pub fn insert_snapshot_at(
    schema: &str,
    schemas: &Option<Vec<String>>,
    signature: &str,
    key_signature: &str,
    snapshot: &crate::jsonb_datum::EncodedJsonb,
    source: &str,
    drift_id: Option<i64>,
    captured_at: Option<&str>,
) -> i64 {
    let rows = execute(
        "insert_snapshot",
        &format!(
            "INSERT INTO {schema}.lens_snapshots (schemas, signature, key_signature, snapshot, source, drift_id, captured_at) \
             VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::timestamptz, pg_catalog.clock_timestamp())) RETURNING id"
        ),
        &[
            schemas_arg(schemas),
            arg(signature.to_string()),
            arg(key_signature.to_string()),
            snapshot.as_arg(),
            arg(source.to_string()),
            arg(drift_id),
            arg(captured_at.map(str::to_string)),
        ],
    );
    rows.req::<i64>(0, 1)
}

/// Signs `snapshot`, stores it in `lens_snapshots` with long values kept apart, and returns
/// its signature. With `drift_id`, it is dated like that drift row.
pub fn store_keyframe(schema: &str, schemas: &Option<Vec<String>>, snapshot: &mut lens_core::Snapshot, source: &str, drift_id: Option<i64>) -> String {
    lens_core::signature::stamp(snapshot);
    let mut value = match serde_json::to_value(&*snapshot) {
        Ok(v) => v,
        Err(e) => crate::errors::internal(format!("could not encode a keyframe: {e}")),
    };
    let mut values = HashMap::new();
    lens_core::stored_values::externalize(&mut value, &mut values);
    store_values(schema, &values);
    let encoded = EncodedJsonb::from_value(&value);
    let id = insert_snapshot(schema, schemas, &snapshot.meta.signature, &snapshot.meta.key_signature, &encoded, source, drift_id);
    if let Some(drift_id) = drift_id {
        execute(
            "date_keyframe",
            &format!("UPDATE {schema}.lens_snapshots SET captured_at = d.captured_at FROM {schema}.lens_drift d WHERE d.id = $2 AND lens_snapshots.id = $1"),
            &[arg(id), arg(drift_id)],
        );
    }
    snapshot.meta.signature.clone()
}
