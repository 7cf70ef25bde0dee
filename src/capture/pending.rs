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
    /// Its changes, and its diff as JSON (long values as references).
    Captured { changes: Vec<Change>, diff: serde_json::Value, resync: Option<Resync> },
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
    /// The groups it re-read, as it left them (what the overlay holds for them).
    pub groups: Vec<(u32, Vec<StateEntry>)>,
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

    pub fn push(&mut self, statement: Statement) {
        for (owner, entries) in &statement.groups {
            self.overlay.set(*owner, entries.clone());
        }
        self.statements.push(statement);
    }

    /// Drops what statements of subtransaction `subxact` and of those it started captured.
    fn discard_from(&mut self, subxact: u32) {
        let before = self.statements.len();
        self.statements.retain(|s| s.subxact < subxact);
        if self.statements.len() == before {
            return;
        }
        // Subtransaction ids grow, so what remains ran before (or outside) the aborted one.
        let mut overlay = Overlay::default();
        for s in &self.statements {
            for (owner, entries) in &s.groups {
                overlay.set(*owner, entries.clone());
            }
        }
        self.overlay = overlay;
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
