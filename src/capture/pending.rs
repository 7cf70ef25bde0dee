//! What a transaction's DDL statements captured, held in the backend until the transaction
//! commits (then `flush` writes it) or aborts (then it is dropped). Nothing of it is in a
//! table before the commit tail, so a transaction doing DDL takes no lock of pg_lens's and
//! makes no other session wait, and a rollback to a savepoint drops what the statements
//! inside it captured.

use super::store::{Head, Installed};
use lens_core::capture::{Change, Overlay, StateEntry};
use std::cell::RefCell;
use std::collections::HashMap;

/// What became of one statement.
pub enum Outcome {
    /// Its changes, and its diff as JSON text without `from` and `to` (the commit tail adds
    /// the signatures; long values are references).
    Captured { changes: Vec<Change>, diff: String, resync: Option<Resync> },
    /// Capture failed: the error; the state needs a resync.
    Failed { error: String },
    /// Not captured (lens.capture was off): the state needs a resync.
    Skipped { reason: String },
}

/// A statement that re-read every group (after a failure, or a new lens.capture_schemas).
#[derive(Clone)]
pub struct Resync {
    /// `lens_head.resync_seq` when the statement read the catalog: the request it answers.
    pub seq_seen: i64,
    pub schemas: Option<Vec<String>>,
}

pub struct Statement {
    /// The subtransaction it ran in: a rollback to a savepoint drops it.
    pub subxact: u32,
    pub tags: Vec<String>,
    pub object_keys: Vec<String>,
    pub text: Option<String>,
    pub outcome: Outcome,
    /// Inside a savepoint: what the overlay held of the groups it re-read before it, so that
    /// a rollback to the savepoint puts them back. (Outside one, only the transaction's end
    /// can take the statement away, and with it everything.)
    pub undo: Vec<(u32, Option<Vec<StateEntry>>)>,
    /// Long values its entries and diff refer to (hash, value).
    pub values: HashMap<String, String>,
    /// A step a statement that commits in steps committed on its own.
    pub partial: bool,
}

#[derive(Default)]
pub struct Transaction {
    /// Where pg_lens was installed, and its head as the first statement read it.
    pub installed: Option<(Installed, Head)>,
    pub statements: Vec<Statement>,
    pub overlay: Overlay,
}

impl Transaction {
    /// Whether a statement of this transaction already re-read every group for these schemas.
    pub fn resynced(&self, schemas: &Option<Vec<String>>) -> bool {
        self.statements.iter().any(|s| matches!(&s.outcome, Outcome::Captured { resync: Some(r), .. } if r.schemas == *schemas))
    }

    /// Adds a statement and the groups it re-read, as it left them.
    pub fn push(&mut self, mut statement: Statement, groups: Vec<(u32, Vec<StateEntry>)>) {
        const TOP: u32 = 1; // the transaction's own subtransaction id
        for (owner, entries) in groups {
            let previous = self.overlay.set(owner, entries);
            if statement.subxact > TOP {
                statement.undo.push((owner, previous));
            }
        }
        self.statements.push(statement);
    }

    /// Drops what statements of subtransaction `subxact` and of those it started captured.
    /// Subtransaction ids grow, so they are the last ones, undone newest first.
    fn discard_from(&mut self, subxact: u32) {
        while self.statements.last().is_some_and(|s| s.subxact >= subxact) {
            let Some(statement) = self.statements.pop() else { break };
            for (owner, previous) in statement.undo.into_iter().rev() {
                self.overlay.restore(owner, previous);
            }
        }
    }
}

thread_local! {
    static TRANSACTION: RefCell<Transaction> = RefCell::new(Transaction::default());
}

pub fn with<R>(f: impl FnOnce(&mut Transaction) -> R) -> R {
    TRANSACTION.with(|t| f(&mut t.borrow_mut()))
}

/// Takes everything out, for the commit tail.
pub fn take() -> Transaction {
    TRANSACTION.with(|t| std::mem::take(&mut *t.borrow_mut()))
}

/// Forgets everything (the transaction ended).
pub fn clear() {
    TRANSACTION.with(|t| *t.borrow_mut() = Transaction::default());
}

pub fn is_empty() -> bool {
    TRANSACTION.with(|t| t.borrow().statements.is_empty())
}

/// A subtransaction rolled back: what its statements captured goes with them.
pub fn subtransaction_aborted(subxact: u32) {
    TRANSACTION.with(|t| t.borrow_mut().discard_from(subxact));
}
