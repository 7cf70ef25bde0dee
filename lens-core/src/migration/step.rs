//! One statement of a plan: its hazards by stable name, the lock it takes, whether it can run
//! in a transaction, and the timeouts to run it under.

/// Stable hazard names (what `lens_migration` returns in `hazards`).
pub mod hazard {
    /// Rows or values are lost: a table, column, sequence or type value dropped.
    pub const DELETES_DATA: &str = "deletes_data";
    /// The table (and its indexes) is rewritten under ACCESS EXCLUSIVE.
    pub const TABLE_REWRITE: &str = "table_rewrite";
    /// ACCESS EXCLUSIVE on a table whose row estimate is above the plan's threshold.
    pub const ACCESS_EXCLUSIVE_LOCK: &str = "access_exclusive_lock";
    /// A SHARE lock (writes wait) on a table above the threshold: a plain index build.
    pub const SHARE_LOCK: &str = "share_lock";
    /// An index is built (CPU and I/O; CONCURRENTLY does not block writes).
    pub const INDEX_BUILD: &str = "index_build";
    /// An index is dropped: queries that used it change plans.
    pub const INDEX_DROPPED: &str = "index_dropped";
    /// Every row is read to check a constraint (NOT NULL, CHECK, FK, attaching a partition).
    pub const VALIDATION_SCAN: &str = "validation_scan";
    /// Objects the snapshot cannot see may use what changes (function bodies, extensions).
    pub const UNTRACKED_DEPENDENCIES: &str = "untracked_dependencies";
    /// Who may read or change what changes (grants, RLS, policies, owners).
    pub const AUTHZ_UPDATE: &str = "authz_update";
    /// An extension's own update script runs.
    pub const EXTENSION_UPGRADE: &str = "extension_version_upgrade";
    /// Logical replication sees a different table (replica identity, publications).
    pub const REPLICATION: &str = "replication";
    /// No safe SQL does this change: the statement fails on purpose, saying why.
    pub const NEEDS_MANUAL_STEP: &str = "needs_manual_step";
}

/// The strongest lock a statement takes on a table that holds data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lock {
    /// Catalog-only or on an object no query waits on.
    None,
    /// SHARE UPDATE EXCLUSIVE and weaker: reads and writes go on.
    Weak,
    /// SHARE ROW EXCLUSIVE or SHARE: writes wait.
    Share,
    /// ACCESS EXCLUSIVE: everything waits.
    Exclusive,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub statement: String,
    pub hazards: Vec<&'static str>,
    pub in_transaction: bool,
    pub lock: Lock,
    /// It reads or writes every row (rewrite, scan, index build): no statement timeout.
    pub long_running: bool,
    /// The table it locks, for the row-estimate threshold.
    pub table: Option<String>,
    /// What runs in a transaction instead when the plan is verified (CONCURRENTLY left out).
    pub in_transaction_form: Option<String>,
}

impl Step {
    pub fn new(statement: impl Into<String>) -> Self {
        Step { statement: statement.into(), hazards: Vec::new(), in_transaction: true, lock: Lock::None, long_running: false, table: None, in_transaction_form: None }
    }

    pub fn hazard(mut self, h: &'static str) -> Self {
        if !self.hazards.contains(&h) {
            self.hazards.push(h);
        }
        self
    }

    pub fn lock(mut self, lock: Lock, table: &str) -> Self {
        self.lock = self.lock.max(lock);
        self.table = Some(table.to_string());
        self
    }

    pub fn long(mut self) -> Self {
        self.long_running = true;
        self
    }

    pub fn outside_transaction(mut self, in_transaction_form: String) -> Self {
        self.in_transaction = false;
        self.in_transaction_form = Some(in_transaction_form);
        self
    }
}

/// Timeouts in milliseconds (None: no limit).
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub lock_ms: Option<i64>,
    pub statement_ms: Option<i64>,
}

/// What a step runs under: a short lock timeout wherever it waits for a lock others hold
/// (so a migration queues no one behind it for long), none for concurrent builds; the
/// statement timeout for quick statements, none for those that read every row.
pub fn timeouts(step: &Step, lock_ms: i64, statement_ms: i64) -> Timeouts {
    if !step.in_transaction {
        return Timeouts { lock_ms: None, statement_ms: None };
    }
    Timeouts { lock_ms: Some(lock_ms), statement_ms: if step.long_running { None } else { Some(statement_ms) } }
}
