//! History as a whole: time travel (`lens_snapshot_at`), proof that history and the live
//! schema agree (`lens_verify`), keyframes (`lens_keyframe`) and retention (`lens_prune`).
//!
//! Time travel starts from whichever end is nearer: the newest keyframe at or before the
//! wanted drift row, replaying diffs forward, or the state capture keeps (which is history
//! after its newest row), walking diffs back. So the newest state costs no replay at all,
//! and keyframes (written by `lens_verify()` and `lens_keyframe()`, never inside a user's
//! DDL) bound the rest.

use crate::capture::store;
use crate::errors::raise;
use crate::jsonb_datum::{EncodedJsonb, JsonbValue};
use crate::spi_read::{arg, execute};
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};

/// `lens_verify()` writes a keyframe when at least this many drift rows came since the last.
const KEYFRAME_INTERVAL: i64 = 1000;

fn installed_schema() -> String {
    match store::extension_schema() {
        Some(schema) => schema,
        None => crate::errors::internal("pg_lens's history tables are missing"),
    }
}

/// The functions reading history run as the extension's owner; the caller must be allowed
/// to read `lens_drift` (history is granted, never public).
fn require_reader(schema: &str) {
    let rows = execute(
        "history_reader",
        "SELECT pg_catalog.has_table_privilege($1::pg_catalog.oid, $2, 'SELECT')",
        &[arg(unsafe { pg_sys::GetOuterUserId() }), arg(format!("{schema}.lens_drift"))],
    );
    if !rows.bool(0, 1) {
        raise(
            PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
            "permission denied to read pg_lens's history",
            format!("Reading history needs SELECT on {schema}.lens_drift: GRANT SELECT ON {schema}.lens_drift TO the role."),
        );
    }
}

/// How a past state was rebuilt.
struct Replayed {
    state: Value,
    /// The keyframe replayed from (None: walked back from the state).
    keyframe: Option<i64>,
    rows: usize,
}

/// The captured schema after drift row `upto` (None or 0: before any row), as JSON with
/// long values still referenced.
fn replay(schema: &str, upto: Option<i64>) -> Replayed {
    let target = upto.unwrap_or(0);
    let head = store::read_head(schema);
    let latest = head.as_ref().and_then(|h| h.last_drift_id).unwrap_or(0);
    // The state is where history ends, unless it was rebuilt apart from it (a dump of an
    // older pg_lens restored: its rows, today's state): then it is no place to walk back from.
    let state_ends_history = head.as_ref().is_some_and(|h| {
        let rows = execute("history_end", &format!("SELECT signature_after FROM {schema}.lens_drift WHERE id = $1"), &[arg(latest)]);
        let end = (rows.len() == 1).then(|| rows.opt_string(0, 1)).flatten();
        end.is_none_or(|end| end == h.sum.signature())
    });
    let keyframe = execute(
        "keyframe",
        &format!(
            "SELECT id, COALESCE(drift_id, 0) FROM {schema}.lens_snapshots \
             WHERE source IN ('baseline', 'keyframe') AND COALESCE(drift_id, 0) <= $1 \
             ORDER BY COALESCE(drift_id, 0) DESC, id DESC LIMIT 1"
        ),
        &[arg(target)],
    );
    let forward_from = (keyframe.len() == 1).then(|| (keyframe.req::<i64>(0, 1), keyframe.req::<i64>(0, 2)));
    drop(keyframe);
    let count = |from: i64, to: i64| {
        let rows = execute(
            "count_diffs",
            &format!("SELECT count(*) FROM {schema}.lens_drift WHERE id > $1 AND id <= $2 AND diff IS NOT NULL"),
            &[arg(from), arg(to)],
        );
        rows.req::<i64>(0, 1)
    };
    let backward = (target <= latest && state_ends_history).then(|| count(target, latest));
    let forward = forward_from.map(|(_, from)| count(from, target));
    let walk_back = match (forward, backward) {
        (Some(f), Some(b)) => b < f,
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (None, None) => raise(
            PgSqlErrorCode::ERRCODE_NO_DATA_FOUND,
            "pg_lens has no history to rebuild that state from",
            "History starts at the baseline taken by CREATE EXTENSION pg_lens, or at the keyframe lens_prune() kept.",
        ),
    };
    if walk_back {
        let mut state = current_state(schema);
        let diffs = diffs(schema, target, latest, true);
        for r in 0..diffs.len() {
            lens_core::diff::apply_inverse(&mut state, &diffs.req::<JsonbValue>(r, 1).0);
            pg_sys::check_for_interrupts!();
        }
        let rows = diffs.len();
        drop(diffs);
        date(schema, &mut state, target);
        return Replayed { state, keyframe: None, rows };
    }
    let Some((keyframe_id, from)) = forward_from else { unreachable!("forward replay has a keyframe") };
    let stored = execute("keyframe_snapshot", &format!("SELECT snapshot FROM {schema}.lens_snapshots WHERE id = $1"), &[arg(keyframe_id)]);
    let mut state = stored.req::<JsonbValue>(0, 1).0;
    drop(stored);
    let diffs = diffs(schema, from, target, false);
    for r in 0..diffs.len() {
        lens_core::diff::apply(&mut state, &diffs.req::<JsonbValue>(r, 1).0);
        pg_sys::check_for_interrupts!();
    }
    let rows = diffs.len();
    drop(diffs);
    date(schema, &mut state, target);
    Replayed { state, keyframe: Some(keyframe_id), rows }
}

/// The diffs of rows (from, to], oldest first, or newest first with `descending`.
fn diffs(schema: &str, from: i64, to: i64, descending: bool) -> crate::spi_read::Rows {
    let order = if descending { "DESC" } else { "" };
    execute(
        if descending { "diffs_back" } else { "diffs" },
        &format!("SELECT diff FROM {schema}.lens_drift WHERE id > $1 AND id <= $2 AND diff IS NOT NULL ORDER BY id {order}"),
        &[arg(from), arg(to)],
    )
}

/// Sets `meta.capturedAt` to when drift row `drift_id` was captured (kept as it is for 0).
fn date(schema: &str, state: &mut Value, drift_id: i64) {
    let rows = execute(
        "drift_time",
        &format!("SELECT to_char(captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM {schema}.lens_drift WHERE id = $1"),
        &[arg(drift_id)],
    );
    if rows.len() == 1 {
        state["meta"]["capturedAt"] = Value::String(rows.string(0, 1));
    }
}

/// History after its newest row: the entries capture keeps, under the meta of the newest
/// keyframe.
fn current_state(schema: &str) -> Value {
    let meta = execute(
        "newest_meta",
        &format!("SELECT snapshot -> 'meta' FROM {schema}.lens_snapshots WHERE source IN ('baseline', 'keyframe') ORDER BY id DESC LIMIT 1"),
        &[],
    );
    let mut state = json!({ "meta": if meta.len() == 1 { meta.req::<JsonbValue>(0, 1).0 } else { json!({}) } });
    drop(meta);
    let rows = execute("state_entries", &format!("SELECT section, key, entry FROM {schema}.lens_state"), &[]);
    for path in lens_core::sections::SECTIONS {
        lens_core::sections::section_mut(&mut state, path);
    }
    let mut sections: HashMap<String, Map<String, Value>> = HashMap::new();
    for r in 0..rows.len() {
        sections.entry(rows.string(r, 1)).or_default().insert(rows.string(r, 2), rows.req::<JsonbValue>(r, 3).0);
    }
    drop(rows);
    for (path, entries) in sections {
        if let Some(section) = lens_core::sections::section_mut(&mut state, &path) {
            *section = entries;
        }
    }
    state
}

/// A replayed state made a snapshot: long values back in place, signed.
fn finish(schema: &str, mut state: Value) -> lens_core::Snapshot {
    let mut hashes = BTreeSet::new();
    lens_core::stored_values::references(&state, &mut hashes);
    let values = store::values(schema, &hashes.into_iter().collect::<Vec<_>>());
    if let Err(missing) = lens_core::stored_values::resolve(&mut state, &values) {
        crate::errors::internal(format!("history refers to a value lens_values does not hold ({missing})"));
    }
    let mut snapshot = match serde_json::from_value::<lens_core::Snapshot>(state) {
        Ok(snapshot) => snapshot,
        Err(e) => crate::errors::internal(format!("history replays into something that is not a snapshot: {e}")),
    };
    lens_core::signature::stamp(&mut snapshot);
    snapshot
}

fn encode(snapshot: &mut lens_core::Snapshot) -> EncodedJsonb {
    match lens_core::snapshot_io::sign_and_encode(snapshot) {
        Ok((bytes, _)) => EncodedJsonb(bytes),
        Err(e) => crate::errors::limit_exceeded(e),
    }
}

/// The captured schema as it was after drift row `drift_id`.
#[pg_extern(stable, strict, security_definer, name = "lens_snapshot_at")]
#[search_path(pg_catalog, pg_temp)]
fn lens_snapshot_at_drift(drift_id: i64) -> EncodedJsonb {
    Spi::connect(|_| {
        let schema = installed_schema();
        require_reader(&schema);
        let exists = execute("drift_exists", &format!("SELECT 1 FROM {schema}.lens_drift WHERE id = $1"), &[arg(drift_id)]);
        if exists.len() == 0 {
            raise(
                PgSqlErrorCode::ERRCODE_NO_DATA_FOUND,
                format!("lens_drift has no row {drift_id}"),
                "Pass the id of a lens_drift row, or a timestamp to lens_snapshot_at(timestamptz).",
            );
        }
        drop(exists);
        let replayed = replay(&schema, Some(drift_id));
        encode(&mut finish(&schema, replayed.state))
    })
}

/// The captured schema as it was at `at`.
#[pg_extern(stable, strict, security_definer, name = "lens_snapshot_at")]
#[search_path(pg_catalog, pg_temp)]
fn lens_snapshot_at_time(at: pgrx::datum::TimestampWithTimeZone) -> EncodedJsonb {
    Spi::connect(|_| {
        let schema = installed_schema();
        require_reader(&schema);
        let first = execute(
            "first_keyframe",
            &format!("SELECT min(captured_at) <= $1 FROM {schema}.lens_snapshots WHERE source IN ('baseline', 'keyframe')"),
            &[arg(at)],
        );
        if first.get::<bool>(0, 1) != Some(true) {
            raise(
                PgSqlErrorCode::ERRCODE_NO_DATA_FOUND,
                "pg_lens has no history that far back",
                "History starts at the baseline taken by CREATE EXTENSION pg_lens, or at the keyframe lens_prune() kept (see lens_snapshots).",
            );
        }
        drop(first);
        let last = execute("drift_at", &format!("SELECT max(id) FROM {schema}.lens_drift WHERE captured_at <= $1"), &[arg(at)]);
        let drift_id = last.get::<i64>(0, 1);
        drop(last);
        let replayed = replay(&schema, drift_id);
        encode(&mut finish(&schema, replayed.state))
    })
}

/// Stores a keyframe of the captured state after drift row `drift_id` (NULL: the newest);
/// returns its id in `lens_snapshots`.
#[pg_extern(volatile, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn lens_keyframe(drift_id: default!(Option<i64>, "NULL")) -> i64 {
    Spi::connect(|_| {
        let schema = installed_schema();
        let head = store::read_head(&schema).unwrap_or_else(|| crate::errors::internal("lens_head has no row"));
        let latest = head.last_drift_id.unwrap_or(0);
        let at = drift_id.unwrap_or(latest);
        if at > latest || at < 0 {
            crate::errors::bad_argument(format!("lens_drift has no row {at} to take a keyframe at"), "Pass the id of a lens_drift row, or NULL for the newest.");
        }
        let mut snapshot = finish(&schema, replay(&schema, Some(at)).state);
        store::store_keyframe(&schema, &head.schemas, &mut snapshot, "keyframe", Some(at));
        let rows = execute("keyframe_id", &format!("SELECT max(id) FROM {schema}.lens_snapshots"), &[]);
        rows.req::<i64>(0, 1)
    })
}

/// Whether history replayed equals the live schema, and the first differences where not.
/// When they differ, the next capture resyncs (and records it). Run it periodically (from
/// pg_cron, say): it also writes a keyframe when many rows came since the last one.
#[pg_extern(volatile, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn lens_verify() -> EncodedJsonb {
    Spi::connect(|_| {
        let installed = store::installed().unwrap_or_else(|| crate::errors::internal("pg_lens's history tables are missing"));
        // a major upgrade since the state was read: re-key it first, then verify what it is
        let upgraded = store::read_head(&installed.schema).is_some_and(|h| store::read_on_another_cluster(&h));
        let rekeyed = upgraded.then(|| {
            store::lock_history(installed.extension);
            crate::spi_read::with_latest_snapshot(|| rekey(&installed.schema))
        });
        let mut first = crate::spi_read::with_latest_snapshot(|| verify(&installed.schema));
        if let Some(rekeyed) = rekeyed {
            first["rekeyed"] = rekeyed;
        }
        let report = if first["ok"] == json!(true) {
            first
        } else {
            // Commit tails wait while this holds the lock: what is committed then is all in
            // history, so a difference left is real.
            store::lock_history(installed.extension);
            let second = crate::spi_read::with_latest_snapshot(|| verify(&installed.schema));
            if bridges(&second) {
                crate::spi_read::with_latest_snapshot(|| bridge(&installed.schema, &second));
                let mut third = crate::spi_read::with_latest_snapshot(|| verify(&installed.schema));
                third["bridged"] = json!(true);
                third
            } else {
                second
            }
        };
        crate::spi_read::with_latest_snapshot(|| record_verification(&installed, &report));
        EncodedJsonb::from_value(&report)
    })
}

/// History that does not end at the state, while the state is intact and is the live schema:
/// the state was rebuilt apart from the history (a dump of an older pg_lens restored, whose
/// history was written in an older format). Nothing is lost: the step between the two is
/// known, and is recorded.
fn bridges(report: &Value) -> bool {
    report["historyReplaysToState"] == json!(false)
        && report["stateIntact"] == json!(true)
        && report["differenceCount"] == json!(0)
        && report["needsResync"] == json!(false)
        && report["liveSignature"] == report["headSignature"]
        && report["rowsReplayed"].as_i64().is_some()
}

/// After pg_upgrade: the state was read on the old cluster, whose oids of constraints,
/// triggers, policies, functions and schemas the new catalogs do not keep. The whole state
/// is read again and replaces the old one (entries keep their keys: nothing reads as renamed
/// or dropped and created); what the new major prints differently (README, "PostgreSQL
/// majors") is recorded as one resync row, so that history replays to the new state.
/// Returns `{from, to, row}`: the two clusters and the row written (null: nothing differed).
fn rekey(schema: &str) -> Value {
    let head = store::read_head(schema).unwrap_or_else(|| crate::errors::internal("lens_head has no row"));
    let stored = store::entries_of(schema, None);
    let mut live = crate::capture::read_groups(&head.schemas, None).1;
    let mut values = HashMap::new();
    live.iter_mut().for_each(|e| lens_core::stored_values::externalize(&mut e.entry, &mut values));
    store::store_values(schema, &values);
    let mut sum = lens_core::signature::HashSum::default();
    live.iter().for_each(|e| sum.add(&e.hash));
    let before = lens_core::capture::assemble(stored.iter().map(|e| (e.section, e.key.as_str(), &e.entry)), &head.database_id);
    let after = lens_core::capture::assemble(live.iter().map(|e| (e.section, e.key.as_str(), &e.entry)), &head.database_id);
    let diff = lens_core::diff::diff(&before, &after);
    let (from, to) = (head.cluster.clone().unwrap_or_default(), store::this_cluster());
    let row_id = (diff["changed"] == json!(true)).then(|| {
        let statement = format!("SELECT lens_verify(): the state re-read on a new cluster (pg_upgrade: {from} -> {to})");
        insert_resync_row(schema, diff, &head.sum.signature(), &sum.signature(), statement)
    }).flatten();
    store::replace_all_entries(schema, &live);
    store::update_head(
        schema,
        &store::HeadUpdate {
            sum,
            schemas: &head.schemas,
            last_drift_id: row_id,
            needs_resync: head.needs_resync,
            resync_seq: head.resync_seq,
            state_seq: head.state_seq + 1,
        },
    );
    json!({"from": from, "to": to, "row": row_id})
}

/// One resync row written by lens_verify: `diff` (between the two signatures) with its
/// `from` and `to`. Returns its id.
fn insert_resync_row(schema: &str, mut diff: Value, before: &str, after: &str, statement: String) -> Option<i64> {
    if let Some(members) = diff.as_object_mut() {
        members.insert("from".into(), json!({"signature": before}));
        members.insert("to".into(), json!({"signature": after}));
    }
    let row = store::DriftRow {
        command_tags: vec!["lens_verify".into()],
        object_keys: Vec::new(),
        signature_before: Some(before.to_string()),
        signature_after: Some(after.to_string()),
        diff: Some(diff.to_string()),
        error: None,
        resync: true,
        statement: Some(statement),
        partial: false,
    };
    store::insert_drift_rows(schema, &[row]).last().copied()
}

/// Records, as one resync row, what lies between where history ends and the state, so that
/// history replays to the state again (and backward from it, row by row).
fn bridge(schema: &str, report: &Value) {
    let head = store::read_head(schema).unwrap_or_else(|| crate::errors::internal("lens_head has no row"));
    let latest = head.last_drift_id.unwrap_or(0);
    let history_end = forward_replay(schema, latest).state;
    let state = current_state(schema);
    let diff = lens_core::diff::diff(&history_end, &state);
    let (before, after) = (report["historySignature"].as_str().unwrap_or_default(), report["headSignature"].as_str().unwrap_or_default());
    let statement = "SELECT lens_verify(): history brought to the state it did not end at".to_string();
    if let Some(id) = insert_resync_row(schema, diff, before, after, statement) {
        execute("bridge_head", &format!("UPDATE {schema}.lens_head SET last_drift_id = $1"), &[arg(id)]);
    }
}

fn verify(schema: &str) -> Value {
    let head = store::read_head(schema).unwrap_or_else(|| crate::errors::internal("lens_head has no row"));
    let latest = head.last_drift_id.unwrap_or(0);
    // history: the newest keyframe and the rows since, replayed forward
    let keyframe = execute(
        "verify_keyframe",
        &format!("SELECT max(COALESCE(drift_id, 0)) FROM {schema}.lens_snapshots WHERE source IN ('baseline', 'keyframe') AND COALESCE(drift_id, 0) <= $1"),
        &[arg(latest)],
    );
    let from = keyframe.get::<i64>(0, 1);
    drop(keyframe);
    let (history_signature, rows_replayed, replayed_from) = match from {
        Some(_) => {
            let state = forward_replay(schema, latest);
            (finish(schema, state.state).meta.signature, state.rows, state.keyframe)
        }
        None => (String::new(), 0, None),
    };
    // the state capture keeps, and the live schema
    let stored = store::entries_of(schema, None);
    let mut state_sum = lens_core::signature::HashSum::default();
    stored.iter().for_each(|e| state_sum.add(&e.hash));
    let live = crate::capture::read_groups(&head.schemas, None).1;
    let mut live_sum = lens_core::signature::HashSum::default();
    live.iter().for_each(|e| live_sum.add(&e.hash));
    let stored_by_key: HashMap<(&str, &str), &lens_core::capture::StateEntry> = stored.iter().map(|e| ((e.section, e.key.as_str()), e)).collect();
    let live_by_key: HashMap<(&str, &str), &lens_core::capture::StateEntry> = live.iter().map(|e| ((e.section, e.key.as_str()), e)).collect();
    let mut differences: Vec<Value> = Vec::new();
    for e in &live {
        match stored_by_key.get(&(e.section, e.key.as_str())) {
            None => differences.push(json!({"section": e.section, "key": e.key, "problem": "live, missing from history"})),
            Some(s) if s.hash != e.hash => differences.push(json!({"section": e.section, "key": e.key, "problem": "differs from history"})),
            _ => {}
        }
    }
    for e in &stored {
        if !live_by_key.contains_key(&(e.section, e.key.as_str())) {
            differences.push(json!({"section": e.section, "key": e.key, "problem": "in history, not live"}));
        }
    }
    differences.sort_by(|a, b| (a["section"].as_str(), a["key"].as_str()).cmp(&(b["section"].as_str(), b["key"].as_str())));
    let difference_count = differences.len();
    differences.truncate(20);
    let head_signature = head.sum.signature();
    let history_ok = history_signature == head_signature;
    let state_ok = state_sum == head.sum;
    let another_cluster = store::read_on_another_cluster(&head);
    let ok = history_ok
        && state_ok
        && difference_count == 0
        && live_sum == head.sum
        && !head.needs_resync
        && !another_cluster
        && crate::gucs::capture_schemas() == head.schemas;
    // a state an older pg_lens wrote: what the new format sees shows as differences until
    // the next DDL statement resyncs (capture::capture)
    let older_format = store::state_predates_format(schema);
    json!({
        "ok": ok,
        "stateFormatOlder": older_format,
        "readOnAnotherCluster": another_cluster,
        "liveSignature": live_sum.signature(),
        "historySignature": history_signature,
        "stateSignature": state_sum.signature(),
        "headSignature": head_signature,
        "historyReplaysToState": history_ok,
        "stateIntact": state_ok,
        "needsResync": head.needs_resync,
        "captureOn": crate::gucs::CAPTURE.get(),
        "lastDriftId": head.last_drift_id,
        "rowsReplayed": rows_replayed,
        "replayedFrom": replayed_from,
        "differenceCount": difference_count,
        "differences": differences,
    })
}

/// The newest captured state rebuilt forward from the newest keyframe.
fn forward_replay(schema: &str, latest: i64) -> Replayed {
    let keyframe = execute(
        "verify_keyframe_row",
        &format!(
            "SELECT id, snapshot, COALESCE(drift_id, 0) FROM {schema}.lens_snapshots WHERE source IN ('baseline', 'keyframe') \
             AND COALESCE(drift_id, 0) <= $1 ORDER BY COALESCE(drift_id, 0) DESC, id DESC LIMIT 1"
        ),
        &[arg(latest)],
    );
    let id = keyframe.req::<i64>(0, 1);
    let mut state = keyframe.req::<JsonbValue>(0, 2).0;
    let from = keyframe.req::<i64>(0, 3);
    drop(keyframe);
    let diffs = diffs(schema, from, latest, false);
    for r in 0..diffs.len() {
        lens_core::diff::apply(&mut state, &diffs.req::<JsonbValue>(r, 1).0);
        pg_sys::check_for_interrupts!();
    }
    let rows = diffs.len();
    Replayed { state, keyframe: Some(id), rows }
}

/// Keeps what `lens_verify()` found in `lens_head`; asks for a resync when history and the
/// live schema differ, and writes a keyframe when they agree and many rows came since one.
fn record_verification(installed: &store::Installed, report: &Value) {
    let schema = installed.schema.as_str();
    let ok = report["ok"] == json!(true);
    if !ok || report["rowsReplayed"].as_i64().unwrap_or(0) >= KEYFRAME_INTERVAL {
        store::lock_history(installed.extension);
    }
    execute(
        "record_verification",
        &format!(
            "UPDATE {schema}.lens_head SET last_verify_at = pg_catalog.clock_timestamp(), last_verify = $1::jsonb, \
             needs_resync = needs_resync OR NOT $2, resync_seq = resync_seq + (NOT $2)::int"
        ),
        &[arg(report.to_string()), arg(ok)],
    );
    if ok && report["rowsReplayed"].as_i64().unwrap_or(0) >= KEYFRAME_INTERVAL {
        let head = store::read_head(schema).unwrap_or_else(|| crate::errors::internal("lens_head has no row"));
        let latest = head.last_drift_id.unwrap_or(0);
        let mut snapshot = finish(schema, forward_replay(schema, latest).state);
        store::store_keyframe(schema, &head.schemas, &mut snapshot, "keyframe", Some(latest));
    }
}

/// Drops history captured before `before`: drift rows, and snapshots older than the keyframe
/// it keeps at the last row before `before` (so that time travel to any moment since still
/// works), and the long values nothing refers to any more. Returns what it freed.
#[pg_extern(volatile, strict, security_definer)]
#[search_path(pg_catalog, pg_temp)]
fn lens_prune(before: pgrx::datum::TimestampWithTimeZone) -> EncodedJsonb {
    Spi::connect(|_| {
        let installed = store::installed().unwrap_or_else(|| crate::errors::internal("pg_lens's history tables are missing"));
        let schema = installed.schema.as_str();
        store::lock_history(installed.extension);
        crate::spi_read::with_latest_snapshot(|| {
            let cut = execute("prune_cut", &format!("SELECT max(id) FROM {schema}.lens_drift WHERE captured_at < $1"), &[arg(before)]);
            let Some(cut_id) = cut.get::<i64>(0, 1) else {
                return EncodedJsonb::from_value(&json!({"driftRows": 0, "snapshots": 0, "values": 0, "bytes": 0, "keptFrom": Value::Null}));
            };
            drop(cut);
            // a keyframe at the cut, unless one is there
            let has = execute(
                "prune_has_keyframe",
                &format!("SELECT max(id) FROM {schema}.lens_snapshots WHERE source IN ('baseline', 'keyframe') AND drift_id = $1"),
                &[arg(cut_id)],
            );
            let kept = has.get::<i64>(0, 1);
            drop(has);
            let kept = match kept {
                Some(id) => id,
                None => {
                    let head = store::read_head(schema).unwrap_or_else(|| crate::errors::internal("lens_head has no row"));
                    let mut snapshot = finish(schema, replay(schema, Some(cut_id)).state);
                    store::store_keyframe(schema, &head.schemas, &mut snapshot, "keyframe", Some(cut_id));
                    execute("keyframe_id", &format!("SELECT max(id) FROM {schema}.lens_snapshots"), &[]).req::<i64>(0, 1)
                }
            };
            let freed = execute(
                "prune_rows",
                &format!(
                    "WITH d AS (DELETE FROM {schema}.lens_drift WHERE id <= $1 RETURNING pg_catalog.pg_column_size(lens_drift.*) AS b), \
                          s AS (DELETE FROM {schema}.lens_snapshots WHERE id <> $2 AND captured_at < $3 RETURNING pg_catalog.pg_column_size(lens_snapshots.*) AS b) \
                     SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM s), \
                            (SELECT COALESCE(sum(b), 0)::int8 FROM d) + (SELECT COALESCE(sum(b), 0)::int8 FROM s)"
                ),
                &[arg(cut_id), arg(kept), arg(before)],
            );
            let (drift_rows, snapshots, mut bytes) = (freed.req::<i64>(0, 1), freed.req::<i64>(0, 2), freed.req::<i64>(0, 3));
            drop(freed);
            let (values, value_bytes) = prune_values(schema);
            bytes += value_bytes;
            EncodedJsonb::from_value(&json!({
                "driftRows": drift_rows, "snapshots": snapshots, "values": values, "bytes": bytes,
                "keptFrom": {"driftId": cut_id, "keyframe": kept},
            }))
        })
    })
}

/// Deletes the long values no drift row, snapshot or state entry refers to any more.
fn prune_values(schema: &str) -> (i64, i64) {
    let mut used = BTreeSet::new();
    for sql in [
        format!("SELECT diff FROM {schema}.lens_drift WHERE diff::text LIKE '%$lensValue%'"),
        format!("SELECT snapshot FROM {schema}.lens_snapshots WHERE snapshot::text LIKE '%$lensValue%'"),
        format!("SELECT entry FROM {schema}.lens_state WHERE entry::text LIKE '%$lensValue%'"),
    ] {
        let rows = execute("prune_references", &sql, &[]);
        for r in 0..rows.len() {
            lens_core::stored_values::references(&rows.req::<JsonbValue>(r, 1).0, &mut used);
        }
    }
    let rows = execute(
        "prune_values",
        &format!(
            "WITH v AS (DELETE FROM {schema}.lens_values WHERE hash <> ALL($1) RETURNING pg_catalog.pg_column_size(lens_values.*) AS b) \
             SELECT count(*), COALESCE(sum(b), 0)::int8 FROM v"
        ),
        &[arg(used.into_iter().collect::<Vec<_>>())],
    );
    (rows.req::<i64>(0, 1), rows.req::<i64>(0, 2))
}
