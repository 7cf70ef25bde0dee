//! The commit tail: what a transaction's statements captured becomes history.
//!
//! Runs in the transaction's pre-commit step, the last point where it may write. It takes
//! the lock that orders history (`store::lock_history`), held to the end of the commit, so
//! drift ids follow commit order; while it holds it, it reads and writes only pg_lens's
//! tables, every lock of the user's transaction already taken: a wait for it is short and
//! cannot deadlock. Each statement's changes are laid onto the state as committed now
//! (`lens_core::capture::rebase`): another transaction may have committed changes to other
//! entries of the same groups meanwhile. Everything is written set-based: one INSERT of
//! drift rows, one DELETE and one INSERT of state entries, one UPDATE of the head.

use super::pending::{Outcome, Statement, Transaction};
use super::store::{self, DriftRow, HeadUpdate};
use lens_core::capture::{rebase, Change};
use std::collections::{BTreeSet, HashMap};

/// Writes what `tx` captured. Called in a subtransaction (unless lens.strict).
pub fn flush(tx: &Transaction, restoring: bool) {
    let Some((installed, seen)) = &tx.installed else { return };
    // The extension dropped (or dropped and created again) by this transaction: the
    // history this transaction's statements were captured for is gone.
    if store::installed().as_ref() != Some(installed) {
        return;
    }
    let schema = installed.schema.as_str();
    // Waiting here is waiting for another commit tail, never for the user's locks: no
    // lock_timeout of the user's applies (a cancel still does).
    let waited = std::time::Instant::now();
    crate::spi_read::with_settings(&[("lock_timeout", "0")], || store::lock_history(installed.extension));
    pgrx::debug1!("pg_lens: commit tail: waited {:.3} ms for the history lock", waited.elapsed().as_secs_f64() * 1000.0);
    let clock = crate::spi_read::PhaseClock::start();
    crate::spi_read::with_latest_snapshot(|| {
        let Some(head) = store::read_head(schema) else {
            crate::errors::internal("lens_head has no row: the extension's history tables were tampered with")
        };
        let captured: Vec<&[Change]> = tx
            .statements
            .iter()
            .map(|s| match &s.outcome {
                Outcome::Captured { changes, .. } => changes.as_slice(),
                _ => &[],
            })
            .collect();
        // Nobody wrote the state since this transaction first read it: the state is what its
        // statements saw, and their own `before`s say what it holds.
        let committed = if head.state_seq == seen.state_seq {
            // what each entry was before the first statement that changed it
            let mut first = HashMap::new();
            for change in captured.iter().flat_map(|c| c.iter()) {
                first.entry((change.section, change.key.clone())).or_insert(change.before);
            }
            first.into_iter().filter_map(|(key, before)| Some((key, before?))).collect()
        } else {
            let keys: BTreeSet<(&'static str, String)> = captured.iter().flat_map(|c| c.iter().map(|c| (c.section, c.key.clone()))).collect();
            store::fingerprints(schema, &keys.into_iter().collect::<Vec<_>>())
        };
        let rebased = rebase(head.sum, &committed, &captured);

        let mut values: HashMap<String, String> = HashMap::new();
        tx.statements.iter().for_each(|s| values.extend(s.values.iter().map(|(h, v)| (h.clone(), v.clone()))));
        store::store_values(schema, &values);

        let gone: Vec<(&'static str, String)> = rebased.net.iter().filter(|(_, e)| e.is_none()).map(|(k, _)| k.clone()).collect();
        // the entries themselves are in the groups the statements left
        let kept: Vec<&lens_core::capture::StateEntry> = rebased
            .net
            .iter()
            .filter_map(|((section, key), after)| tx.overlay.entry(after.as_ref()?.owner, section, key))
            .collect();
        store::write_entries(schema, &gone, &kept);

        let rows: Vec<DriftRow> = tx.statements.iter().zip(&rebased.signatures).map(|(s, sig)| drift_row(s, sig)).collect();
        let ids = if restoring { Vec::new() } else { store::insert_drift_rows(schema, &rows) };

        // A resync answers the requests made before it read the catalog; a failure, a
        // statement not captured or a conflict asks for another.
        let answered = tx.statements.iter().rev().find_map(|s| match &s.outcome {
            Outcome::Captured { resync: Some(r), .. } => Some(r.clone()),
            _ => None,
        });
        let lost = tx.statements.iter().any(|s| !matches!(s.outcome, Outcome::Captured { .. })) || rebased.conflicts > 0;
        if rebased.conflicts > 0 {
            pgrx::debug1!("pg_lens: {} captured entries were changed by another transaction meanwhile: resync asked for", rebased.conflicts);
        }
        let still_needed = head.needs_resync && !answered.as_ref().is_some_and(|r| r.seq_seen == head.resync_seq);
        let schemas = match &answered {
            Some(r) => r.schemas.clone(),
            None => head.schemas.clone(),
        };
        let last_drift_id = if restoring { store::max_drift_id(schema) } else { ids.last().copied() };
        store::update_head(
            schema,
            &HeadUpdate {
                sum: rebased.sum,
                schemas: &schemas,
                last_drift_id,
                needs_resync: still_needed || lost,
                resync_seq: head.resync_seq + lost as i64,
                state_seq: head.state_seq + 1,
            },
        );
        clock.lap("commit tail: history written");
    })
}

fn drift_row(s: &Statement, signatures: &(String, String)) -> DriftRow {
    let (diff, error, resync, signed) = match &s.outcome {
        Outcome::Captured { diff, resync, .. } => {
            // `diff` is an object without `from` and `to`: add them in front
            let signed = format!(
                "{{\"from\":{{\"signature\":\"{}\"}},\"to\":{{\"signature\":\"{}\"}}{}{}",
                signatures.0,
                signatures.1,
                if diff.len() > 2 { "," } else { "" },
                diff.strip_prefix('{').unwrap_or(diff)
            );
            (Some(signed), None, resync.is_some(), true)
        }
        Outcome::Failed { error } => (None, Some(error.clone()), false, false),
        Outcome::Skipped { reason } => (None, Some(reason.clone()), false, false),
    };
    DriftRow {
        command_tags: s.tags.clone(),
        object_keys: s.object_keys.clone(),
        signature_before: signed.then(|| signatures.0.clone()),
        signature_after: signed.then(|| signatures.1.clone()),
        diff,
        error,
        resync,
        statement: s.text.clone(),
        partial: s.partial,
    }
}

/// When the capture could not be written: one row saying so, and a resync asked for, so
/// that nothing is lost silently. An ERROR here makes the commit fail.
pub fn record_failure(tx: &Transaction, error: &str) {
    let Some((installed, _)) = &tx.installed else { return };
    if store::installed().as_ref() != Some(installed) {
        return;
    }
    let schema = installed.schema.as_str();
    crate::spi_read::with_settings(&[("lock_timeout", "0")], || store::lock_history(installed.extension));
    crate::spi_read::with_latest_snapshot(|| {
        let Some(head) = store::read_head(schema) else {
            crate::errors::internal("lens_head has no row: the extension's history tables were tampered with")
        };
        let tags: BTreeSet<String> = tx.statements.iter().flat_map(|s| s.tags.iter().cloned()).collect();
        let keys: BTreeSet<String> = tx.statements.iter().flat_map(|s| s.object_keys.iter().cloned()).collect();
        let row = DriftRow {
            command_tags: tags.into_iter().collect(),
            object_keys: keys.into_iter().collect(),
            signature_before: None,
            signature_after: None,
            diff: None,
            error: Some(format!("{} statement(s) not recorded: {error}", tx.statements.len())),
            resync: false,
            statement: tx.statements.last().and_then(|s| s.text.clone()),
            partial: false,
        };
        let ids = store::insert_drift_rows(schema, std::slice::from_ref(&row));
        store::update_head(
            schema,
            &HeadUpdate {
                sum: head.sum,
                schemas: &head.schemas,
                last_drift_id: ids.last().copied(),
                needs_resync: true,
                resync_seq: head.resync_seq + 1,
                state_seq: head.state_seq,
            },
        );
    })
}
