//! Capture: every DDL statement that commits leaves one `lens_drift` row with what it
//! changed, at a cost that follows what it touched.
//!
//! `sql_drop` stashes what a statement dropped (the catalog no longer has it at the end);
//! `ddl_command_end` works out the groups of entries the statement touched
//! (`owners::live_owners` for what exists, the stored state for what was dropped), re-reads
//! just those groups, diffs them against `lens_state`, and moves the running signature in
//! `lens_head` by the difference. All of it in the statement's transaction: a rollback (of
//! the transaction or of a savepoint) takes the history with it.

pub mod owners;
pub mod store;

use crate::catalog_reader::{read_catalog, resolve_for_capture, Owners, Scope};
use crate::gucs;
use crate::spi_read::{query, with_settings};
use lens_core::capture::{assemble, state_entries, StateEntry};
use owners::Touched;
use pgrx::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Identifies one top-level statement of this session.
type StatementId = (u32, i64);

thread_local! {
    /// What `sql_drop` saw, for the `ddl_command_end` of the same statement.
    static DROPPED: RefCell<Option<(StatementId, Vec<Touched>)>> = const { RefCell::new(None) };
    /// Set while capture itself writes history (the restore trigger leaves those rows alone).
    static IN_CAPTURE: Cell<bool> = const { Cell::new(false) };
    /// History tables a restore has started loading in this session.
    static LOADING: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

thread_local! {
    /// pg_lens's schema, quoted: it cannot move (the extension is not relocatable), and a
    /// CREATE or DROP EXTENSION forgets it.
    static EXTENSION_SCHEMA: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// pg_lens's schema: quoted, and as the catalog spells it.
fn cached_extension_schema() -> Option<(String, String)> {
    if let Some(names) = EXTENSION_SCHEMA.with(|s| s.borrow().clone()) {
        return Some(names);
    }
    let names = store::extension_schema_names()?;
    EXTENSION_SCHEMA.with(|s| *s.borrow_mut() = Some(names.clone()));
    Some(names)
}

fn statement_id() -> StatementId {
    unsafe {
        // SAFETY: plain reads of transaction state.
        (pg_sys::GetTopTransactionIdIfAny().into_inner(), pg_sys::GetCurrentStatementStartTimestamp())
    }
}

/// The version-1 calling convention record of a C function the SQL script declares itself.
const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };

#[no_mangle]
pub extern "C-unwind" fn pg_finfo_lens_on_sql_drop() -> &'static pg_sys::Pg_finfo_record {
    &V1
}

#[no_mangle]
pub extern "C-unwind" fn pg_finfo_lens_on_ddl_command_end() -> &'static pg_sys::Pg_finfo_record {
    &V1
}

/// The `sql_drop` event trigger function (declared in sql/capture.sql, LANGUAGE c): no
/// PL/pgSQL in between, as DDL pays for it on every statement.
#[no_mangle]
#[pg_guard]
pub unsafe extern "C-unwind" fn lens_on_sql_drop(_fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    stash_dropped();
    pg_sys::Datum::from(0)
}

/// The `ddl_command_end` event trigger function (declared in sql/capture.sql, LANGUAGE c).
#[no_mangle]
#[pg_guard]
pub unsafe extern "C-unwind" fn lens_on_ddl_command_end(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    let tag = unsafe {
        // SAFETY: the event trigger manager calls this with an EventTriggerData context; the
        // tag's name is a static string.
        let context = (*fcinfo).context;
        if context.is_null() || (*context).type_ != pg_sys::NodeTag::T_EventTriggerData {
            crate::errors::bad_argument("lens_on_ddl_command_end() is an event trigger function", "It is called by the event trigger lens_capture_ddl, not directly.");
        }
        let data = context as *mut pg_sys::EventTriggerData;
        std::ffi::CStr::from_ptr(pg_sys::GetCommandTagName((*data).tag)).to_string_lossy().into_owned()
    };
    capture_statement(&tag);
    pg_sys::Datum::from(0)
}

/// Keeps what the statement dropped, for its `ddl_command_end`.
fn stash_dropped() {
    if !gucs::CAPTURE.get() {
        return;
    }
    let found: Vec<Touched> = Spi::connect(|_| {
        let rows = query(
            "dropped_objects",
            "SELECT classid::int8, objid::int8, COALESCE(object_identity, ''), is_temporary \
             FROM pg_catalog.pg_event_trigger_dropped_objects()",
            &[],
        );
        (0..rows.len())
            .filter(|&r| !rows.bool(r, 4))
            .map(|r| Touched { classid: rows.oid(r, 1), objid: rows.oid(r, 2), identity: rows.string(r, 3) })
            .collect()
    });
    let id = statement_id();
    DROPPED.with(|d| {
        let mut d = d.borrow_mut();
        match d.as_mut() {
            Some((stashed_id, list)) if *stashed_id == id => list.extend(found),
            _ => *d = Some((id, found)),
        }
    });
}

/// Captures the statement that just ended (`tag`: its command tag).
fn capture_statement(tag: &str) {
    let id = statement_id();
    let dropped = DROPPED.with(|d| match d.borrow_mut().take() {
        Some((stashed_id, list)) if stashed_id == id => list,
        _ => Vec::new(),
    });
    if !gucs::CAPTURE.get() {
        return;
    }
    let clock = crate::spi_read::PhaseClock::start();
    Spi::connect(|_| {
        let rows = query(
            "ddl_commands",
            "SELECT classid::int8, objid::int8, command_tag, COALESCE(object_identity, ''), \
                    COALESCE(schema_name ~ '^pg_temp', false) OR in_extension, schema_name \
             FROM pg_catalog.pg_event_trigger_ddl_commands() WHERE classid IS NOT NULL",
            &[],
        );
        let mut touched = Vec::new();
        let mut tags = BTreeSet::from([tag.to_string()]);
        let mut schemas: HashSet<Option<String>> = HashSet::new();
        for r in 0..rows.len() {
            if rows.bool(r, 5) {
                continue;
            }
            tags.insert(rows.string(r, 3));
            schemas.insert(rows.opt_string(r, 6));
            touched.push(Touched { classid: rows.oid(r, 1), objid: rows.oid(r, 2), identity: rows.string(r, 4) });
        }
        drop(rows);
        if touched.is_empty() && dropped.is_empty() {
            return;
        }
        clock.lap("capture: statement's objects");
        if tag.contains("EXTENSION") {
            EXTENSION_SCHEMA.with(|s| s.borrow_mut().take());
        }
        let Some((schema, schema_name)) = cached_extension_schema() else { return };
        let statement = Statement { tags: tags.into_iter().collect(), touched, dropped };
        // pg_lens's own objects live in its schema: elsewhere there is nothing to check
        let near_own = schemas.iter().any(|s| s.as_ref().is_none_or(|s| *s == schema_name));
        if near_own && own_objects_only(&schema, &statement) {
            return;
        }
        clock.lap("capture: extension checks");
        capture_or_report(&schema, &statement);
        clock.lap("capture: in all");
    });
}

struct Statement {
    tags: Vec<String>,
    touched: Vec<Touched>,
    dropped: Vec<Touched>,
}

impl Statement {
    fn object_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.touched.iter().chain(&self.dropped).map(|t| t.identity.clone()).collect();
        keys.sort();
        keys.dedup();
        keys
    }
}

/// True when the statement altered only members of extensions (pg_lens's own history
/// tables, say) and dropped nothing capture keeps: nothing of the user's schema changed.
fn own_objects_only(schema: &str, statement: &Statement) -> bool {
    if statement.touched.is_empty() {
        return false;
    }
    let dropped: Vec<u32> = statement.dropped.iter().map(|t| t.objid).collect();
    if !store::owners_of(schema, &dropped).is_empty() {
        return false;
    }
    let classids: Vec<pg_sys::Oid> = statement.touched.iter().map(|t| pg_sys::Oid::from(t.classid)).collect();
    let oids: Vec<pg_sys::Oid> = statement.touched.iter().map(|t| pg_sys::Oid::from(t.objid)).collect();
    // (classid, objid) leads pg_depend's index on the depending object
    let rows = query(
        "extension_members_touched",
        "SELECT count(DISTINCT (t.classid, t.objid)) FROM unnest($1::oid[], $2::oid[]) AS t(classid, objid) \
         WHERE EXISTS (SELECT FROM pg_catalog.pg_depend d \
                       WHERE d.classid = t.classid AND d.objid = t.objid AND d.deptype = 'e')",
        &[crate::spi_read::arg(classids), crate::spi_read::arg(oids)],
    );
    let distinct: HashSet<(u32, u32)> = statement.touched.iter().map(|t| (t.classid, t.objid)).collect();
    rows.req::<i64>(0, 1) as usize >= distinct.len()
}

/// Captures the statement. Unless `lens.strict` is on, a failure is rolled back on its own,
/// reported with a WARNING and recorded as a `lens_drift` row with its error, and the next
/// capture rebuilds the state in full (`needs_resync`); the user's statement goes on.
fn capture_or_report(schema: &str, statement: &Statement) {
    if gucs::STRICT.get() {
        capture(schema, statement);
        return;
    }
    let outcome = crate::spi_read::in_subtransaction(std::panic::AssertUnwindSafe(|| capture(schema, statement)));
    let Err(error) = outcome else { return };
    let message = crate::spi_read::error_message(&error);
    pgrx::warning!("pg_lens: could not capture {}: {message}", statement.tags.join(", "));
    let recorded = crate::spi_read::in_subtransaction(std::panic::AssertUnwindSafe(|| {
        with_capture_flag(|| {
            store::lock_head(schema);
            store::mark_needs_resync(schema);
            store::insert_drift(
                schema,
                &store::DriftRow {
                    command_tags: &statement.tags,
                    object_keys: &statement.object_keys(),
                    signature_before: None,
                    signature_after: None,
                    diff: None,
                    error: Some(message.clone()),
                    resync: false,
                },
            );
        })
    }));
    if let Err(e) = recorded {
        pgrx::warning!("pg_lens: could not record the capture failure either: {}", crate::spi_read::error_message(&e));
    }
}

fn with_capture_flag<R>(f: impl FnOnce() -> R) -> R {
    IN_CAPTURE.with(|c| c.set(true));
    let result = f();
    IN_CAPTURE.with(|c| c.set(false));
    result
}

fn capture(schema: &str, statement: &Statement) {
    with_capture_flag(|| {
        let Some(head) = store::lock_head(schema) else {
            crate::errors::internal("lens_head has no row: the extension's history tables were tampered with")
        };
        let scope_schemas = gucs::capture_schemas();
        let full = head.needs_resync || head.schemas != scope_schemas;
        let clock = crate::spi_read::PhaseClock::start();
        // The same small queries run for every statement: plan them once (their SQL avoids
        // shapes a generic plan would scan for). A full read keeps custom plans.
        let plans = if full { "auto" } else { "force_generic_plan" };
        with_settings(&[("plan_cache_mode", plans)], || with_current_catalog(|| {
            let (old, new, owners) = if full {
                (store::entries_of(schema, None), read_entries(&scope_schemas, None), None)
            } else {
                let owners = touched_owners(schema, statement);
                clock.lap("capture: owners");
                let list = owner_list(&owners);
                let old = store::entries_of(schema, Some(&list));
                clock.lap("capture: stored entries");
                (old, read_entries(&scope_schemas, Some(owners)), Some(list))
            };
            clock.lap("capture: live entries");
            let before = assemble(old.iter().map(|e| (e.section, e.key.as_str(), &e.entry)), &head.database_id);
            let after = assemble(new.iter().map(|e| (e.section, e.key.as_str(), &e.entry)), &head.database_id);
            let diff = lens_core::diff::diff(&before, &after);
            let mut sum = if full { Default::default() } else { head.sum };
            if !full {
                old.iter().for_each(|e| sum.sub(&e.hash));
            }
            new.iter().for_each(|e| sum.add(&e.hash));
            let changed = diff.get("changed").and_then(|c| c.as_bool()).unwrap_or(true);
            clock.lap("capture: diff");
            if changed || full {
                store::replace_entries(schema, owners.as_deref(), &new);
            }
            clock.lap("capture: state written");
            if restoring() {
                // The restored history already ends at the schema this restore rebuilds:
                // keep the state in step with the catalog, without recording the restore.
                store::update_head(schema, sum, &scope_schemas, None);
                return;
            }
            store::insert_drift_and_move_head(
                schema,
                &store::DriftRow {
                    command_tags: &statement.tags,
                    object_keys: &statement.object_keys(),
                    signature_before: Some(head.sum.signature()),
                    signature_after: Some(sum.signature()),
                    diff: Some(&with_signatures(diff, head.sum, sum)),
                    error: None,
                    resync: full && head.needs_resync,
                },
                Some((sum, &scope_schemas)),
            );
            clock.lap("capture: drift and head written");
        }))
    })
}

/// The diff with the signatures of the whole schema before and after (its own `from` and
/// `to` only know the entries compared).
fn with_signatures(mut diff: serde_json::Value, before: lens_core::signature::HashSum, after: lens_core::signature::HashSum) -> serde_json::Value {
    diff["from"] = serde_json::json!({ "signature": before.signature() });
    diff["to"] = serde_json::json!({ "signature": after.signature() });
    diff
}

/// Runs `f` under a snapshot that sees everything the statement did.
fn with_current_catalog<R>(f: impl FnOnce() -> R) -> R {
    unsafe {
        // SAFETY: push and pop are paired; an ERROR unwinds through the (sub)transaction
        // abort, which resets the active snapshot stack.
        pg_sys::CommandCounterIncrement();
        pg_sys::PushCopiedSnapshot(pg_sys::GetTransactionSnapshot());
        pg_sys::UpdateActiveSnapshotCommandId();
        let result = f();
        pg_sys::PopActiveSnapshot();
        result
    }
}

/// The groups the statement touched: from the catalog for what exists, from the stored
/// state for what was dropped or moved to another group, by the kind of its stored entry.
fn touched_owners(schema: &str, statement: &Statement) -> Owners {
    // Only a statement that changes existing objects (ALTER, RENAME...) can change what
    // depends on them; what a CREATE makes has nothing depending on it yet.
    let creates_only = statement.tags.iter().all(|t| t.starts_with("CREATE ") || t == "COMMENT");
    let mut owners = owners::live_owners(&statement.touched, !creates_only);
    let detached = store::stored_partitions(schema, &owners.relations);
    owners.relations.extend(detached);
    let oids: Vec<u32> = statement.touched.iter().chain(&statement.dropped).map(|t| t.objid).collect();
    for (oid, section) in store::owners_of(schema, &oids) {
        match section.as_str() {
            "tables" => owners.relations.push(oid),
            "sequences" => owners.sequences.push(oid),
            "enums" | "domains" => owners.types.push(oid),
            _ => {
                owners.relations.push(oid);
                owners.sequences.push(oid);
                owners.types.push(oid);
            }
        }
    }
    for list in [&mut owners.relations, &mut owners.sequences, &mut owners.types] {
        list.sort_unstable();
        list.dedup();
    }
    owners
}

fn owner_list(owners: &Owners) -> Vec<u32> {
    let mut list: Vec<u32> = owners.relations.iter().chain(&owners.sequences).chain(&owners.types).copied().collect();
    list.sort_unstable();
    list.dedup();
    list
}

/// The live entries of some groups (all of the captured schemas when `owners` is None).
fn read_entries(schemas: &Option<Vec<String>>, owners: Option<Owners>) -> Vec<StateEntry> {
    if owners.as_ref().is_some_and(|o| o.relations.is_empty() && o.sequences.is_empty() && o.types.is_empty()) {
        return Vec::new();
    }
    read_groups(schemas, owners).1
}

/// The unsigned snapshot of some groups (all of the captured schemas when `owners` is None),
/// read without locks, and its entries.
fn read_groups(schemas: &Option<Vec<String>>, owners: Option<Owners>) -> (lens_core::Snapshot, Vec<StateEntry>) {
    let scope = Scope { owners, ..Scope::schemas(schemas.clone()) };
    let raw = with_settings(&[("jit", "off")], || read_catalog(&scope, resolve_for_capture(&scope)));
    let sequence_owners: HashMap<u32, u32> =
        raw.sequences.iter().filter_map(|s| s.owner.map(|(relid, _)| (s.oid, relid))).collect();
    let snapshot = lens_core::build::build_unsigned(&raw);
    let entries = state_entries(&snapshot, &|seq| sequence_owners.get(&seq).copied());
    (snapshot, entries)
}

/// Called by CREATE EXTENSION: the baseline snapshot, and the state capture starts from.
#[pg_extern(volatile)]
#[search_path(pg_catalog, pg_temp)]
fn lens_take_baseline() {
    Spi::connect(|_| {
        let Some(schema) = store::extension_schema() else {
            crate::errors::internal("pg_lens's history tables are missing")
        };
        with_capture_flag(|| {
            let schemas = gucs::capture_schemas();
            store::create_head(&schema, &schemas);
            store::lock_head(&schema);
            let (mut snapshot, entries) = read_groups(&schemas, None);
            let mut sum = lens_core::signature::HashSum::default();
            entries.iter().for_each(|e| sum.add(&e.hash));
            store::replace_entries(&schema, None, &entries);
            let (bytes, signature) = match lens_core::snapshot_io::sign_and_encode(&mut snapshot) {
                Ok(encoded) => encoded,
                Err(e) => crate::errors::internal(format!("could not encode the baseline: {e}")),
            };
            let encoded = crate::jsonb_datum::EncodedJsonb(bytes);
            store::insert_snapshot(&schema, &schemas, &signature, &snapshot.meta.key_signature, &encoded, "baseline", None);
            store::update_head(&schema, sum, &schemas, None);
        })
    })
}

/// True in a session that loaded dumped history (pg_restore).
fn restoring() -> bool {
    LOADING.with(|l| !l.borrow().is_empty())
}

/// Called by the statement trigger on the history tables: true the first time in a session
/// that something other than capture loads rows into `table` (pg_restore's COPY), so that
/// the rows the restore's own DDL produced make way for the restored history.
#[pg_extern(volatile)]
fn lens_history_load_starts(table: &str) -> bool {
    if IN_CAPTURE.with(|c| c.get()) {
        return false;
    }
    LOADING.with(|l| l.borrow_mut().insert(table.to_string()))
}

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
             FROM {schema}.lens_snapshots WHERE schemas IS NOT DISTINCT FROM $1 ORDER BY id DESC LIMIT 1"
        ),
        &[schemas_arg],
    );
    (rows.len() == 1).then(|| {
        let snapshot = rows.req::<crate::jsonb_datum::JsonbValue>(0, 3).0;
        // when the snapshot was read, as it says itself (the row is stored just after)
        let captured_at = snapshot["meta"]["capturedAt"].as_str().map(str::to_string).unwrap_or_else(|| rows.string(0, 2));
        Stored { signature: rows.string(0, 1), captured_at, snapshot }
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
        if rows.len() != 1 || rows.bool(0, 3) || !gucs::CAPTURE.get() {
            return None;
        }
        let head_schemas: Option<Vec<String>> = rows.get::<Vec<Option<String>>>(0, 2).map(|v| v.into_iter().flatten().collect());
        (head_schemas == *schemas && gucs::capture_schemas() == *schemas).then(|| rows.string(0, 1))
    });
    kept.unwrap_or_else(|| {
        let scope = Scope::schemas(schemas.clone());
        crate::functions::snapshot::take_snapshot(&scope).meta.signature
    })
}

/// `lens_capture()`: see its documentation in `functions::drift`.
pub fn respond(schemas: Option<Vec<String>>, mode: &str, visible: Option<Vec<String>>) -> crate::jsonb_datum::EncodedJsonb {
    use serde_json::json;
    let schema = Spi::connect(|_| store::extension_schema())
        .unwrap_or_else(|| crate::errors::internal("pg_lens's history tables are missing"));
    let previous = Spi::connect(|_| latest_stored(&schema, &schemas));
    if mode == "cache" {
        if let Some(prev) = &previous {
            if live_signature(&schema, &schemas) == prev.signature {
                return crate::jsonb_datum::EncodedJsonb::from_value(&json!({
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
        Err(e) => crate::errors::internal(format!("could not encode the snapshot: {e}")),
    };
    let encoded = crate::jsonb_datum::EncodedJsonb(bytes);
    let stored_as = if source == "visible" { "visible" } else { "manual" };
    Spi::connect(|_| {
        with_capture_flag(|| {
            let last_drift = crate::spi_read::execute("last_drift", &format!("SELECT last_drift_id FROM {schema}.lens_head"), &[]);
            let drift_id = if last_drift.len() == 1 { last_drift.get::<i64>(0, 1) } else { None };
            drop(last_drift);
            store::insert_snapshot(&schema, &schemas, &signature, &snapshot.meta.key_signature, &encoded, stored_as, drift_id);
        })
    });
    // the signed snapshot as JSON (not read back from the bytes just encoded)
    let value = serde_json::to_value(&snapshot).unwrap_or_default();
    let previous_signature = previous.as_ref().map(|p| p.signature.clone());
    crate::jsonb_datum::EncodedJsonb::from_value(&json!({
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
