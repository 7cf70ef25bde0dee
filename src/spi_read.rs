//! Runs the catalog queries through SPI and reads their rows into Rust values.
//!
//! Every query runs read-only against the snapshot that is active when the call starts, so
//! all queries of one lens_snapshot() call see one catalog state, even inside a transaction
//! that has already written something (where pgrx's own `select` would take a new snapshot
//! for every statement).

use crate::errors::internal;
use pgrx::prelude::*;
use pgrx::{FromDatum, IntoDatum};
use std::ffi::CString;

/// A query parameter: its type and its value (None for NULL).
pub struct Arg {
    type_oid: pg_sys::Oid,
    datum: Option<pg_sys::Datum>,
}

pub fn arg<T: IntoDatum>(value: T) -> Arg {
    Arg { type_oid: T::type_oid(), datum: value.into_datum() }
}

/// A parameter given as a datum of type `type_oid` (None for NULL).
pub fn raw_arg(type_oid: pg_sys::Oid, datum: Option<pg_sys::Datum>) -> Arg {
    Arg { type_oid, datum }
}

pub fn null_arg<T: IntoDatum>() -> Arg {
    Arg { type_oid: T::type_oid(), datum: None }
}

/// The rows of one query, valid until SPI is finished.
pub struct Rows {
    table: *mut pg_sys::SPITupleTable,
    len: usize,
    name: &'static str,
    types: Vec<pg_sys::Oid>,
    /// The row last deformed: its number, values and null flags. Readers take a row's
    /// columns one after the other; deforming the whole tuple once beats fetching each
    /// attribute on its own (quadratic in the columns after the first variable-length one).
    current: std::cell::RefCell<(usize, Vec<pg_sys::Datum>, Vec<bool>)>,
    /// Columns whose type was checked against the Rust type reading them (bit per column).
    checked: std::cell::Cell<u64>,
}

/// A Rust type a result column is read as, and the SQL types it can read.
pub trait ColumnType: FromDatum {
    fn accepts(type_oid: pg_sys::Oid) -> bool;
}

macro_rules! column_types {
    ($($rust:ty => [$($oid:ident),+]),+ $(,)?) => {$(
        impl ColumnType for $rust {
            fn accepts(type_oid: pg_sys::Oid) -> bool {
                $(type_oid == pg_sys::$oid)||+
            }
        }
    )+};
}

column_types! {
    String => [TEXTOID, VARCHAROID, BPCHAROID],
    i64 => [INT8OID],
    i32 => [INT4OID],
    i16 => [INT2OID],
    f64 => [FLOAT8OID],
    f32 => [FLOAT4OID],
    bool => [BOOLOID],
    Vec<u8> => [BYTEAOID],
    Vec<Option<String>> => [TEXTARRAYOID, VARCHARARRAYOID],
    Vec<Option<i64>> => [INT8ARRAYOID],
    Vec<Option<i32>> => [INT4ARRAYOID],
    Vec<Option<i16>> => [INT2ARRAYOID],
    Vec<Option<bool>> => [BOOLARRAYOID],
    crate::jsonb_datum::JsonbValue => [JSONBOID],
    crate::jsonb_datum::JsonbBytes => [JSONBOID],
    crate::jsonb_datum::JsonbText => [JSONBOID],
    DdlCommand => [PG_DDL_COMMANDOID],
}

/// A `pg_ddl_command` of `pg_event_trigger_ddl_commands()`: the server's collected command,
/// valid while the event trigger runs.
pub struct DdlCommand(pub *const pg_sys::CollectedCommand);

impl FromDatum for DdlCommand {
    unsafe fn from_polymorphic_datum(datum: pg_sys::Datum, is_null: bool, _: pg_sys::Oid) -> Option<Self> {
        (!is_null).then(|| DdlCommand(datum.cast_mut_ptr::<pg_sys::CollectedCommand>() as *const _))
    }
}

/// Runs `sql` (a file of `sql/catalog/`, named `name` in errors) with `args`.
/// Call only inside `Spi::connect`.
pub fn query(name: &'static str, sql: &str, args: &[Arg]) -> Rows {
    run(name, sql, args, true)
}

/// Runs a statement that writes (capture's history), seeing what the transaction did so far.
/// Returns the rows of a SELECT or RETURNING (none otherwise). Call only inside `Spi::connect`.
pub fn execute(name: &'static str, sql: &str, args: &[Arg]) -> Rows {
    run(name, sql, args, false)
}

thread_local! {
    /// Prepared plans by query text and parameter types, kept for the life of the backend
    /// (the plan cache revalidates them after DDL). Capture runs a dozen small queries per
    /// DDL statement: planning each of them again would cost more than running them.
    static PLANS: std::cell::RefCell<std::collections::HashMap<(String, Vec<pg_sys::Oid>), usize>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The kept plan of `sql` for parameters of `types`, prepared on first use.
fn plan_for(name: &'static str, sql: &str, types: &mut [pg_sys::Oid]) -> pg_sys::SPIPlanPtr {
    let key = (sql.to_string(), types.to_vec());
    if let Some(plan) = PLANS.with(|p| p.borrow().get(&key).copied()) {
        return plan as pg_sys::SPIPlanPtr;
    }
    // the lines this server's major understands (the plan is kept: filtered once per backend)
    let sql = lens_core::server_sql::for_major(sql, pg_sys::PG_VERSION_NUM / 10000);
    let Ok(text) = CString::new(sql.as_ref()) else { internal(format!("query {name} contains a NUL byte")) };
    unsafe {
        // SAFETY: SPI is connected (caller contract); SPI_keepplan moves the plan out of the
        // SPI procedure's memory so that it outlives this call.
        let plan = pg_sys::SPI_prepare(text.as_ptr(), types.len() as i32, types.as_mut_ptr());
        if plan.is_null() {
            let code = std::ptr::addr_of!(pg_sys::SPI_result).read();
            internal(format!("query {name} could not be prepared (SPI result {code})"));
        }
        pg_sys::SPI_keepplan(plan);
        PLANS.with(|p| p.borrow_mut().insert(key, plan as usize));
        plan
    }
}

fn run(name: &'static str, sql: &str, args: &[Arg], read_only: bool) -> Rows {
    let mut types: Vec<pg_sys::Oid> = args.iter().map(|a| a.type_oid).collect();
    let mut values: Vec<pg_sys::Datum> = args.iter().map(|a| a.datum.unwrap_or(pg_sys::Datum::from(0))).collect();
    let nulls: Vec<std::ffi::c_char> =
        args.iter().map(|a| if a.datum.is_some() { b' ' as std::ffi::c_char } else { b'n' as std::ffi::c_char }).collect();
    let plan = plan_for(name, sql, &mut types);
    unsafe {
        // SAFETY: SPI is connected (caller contract); the arrays outlive the call.
        pg_sys::SPI_tuptable = std::ptr::null_mut();
        let status = if LATEST.with(|l| l.get()) {
            // the newest committed state, whatever the isolation level (see with_latest_snapshot)
            pg_sys::SPI_execute_snapshot(plan, values.as_mut_ptr(), nulls.as_ptr(), pg_sys::GetLatestSnapshot(), std::ptr::null_mut(), read_only, true, 0)
        } else {
            pg_sys::SPI_execute_plan(plan, values.as_mut_ptr(), nulls.as_ptr(), read_only, 0)
        };
        if status < 0 || (read_only && status != pg_sys::SPI_OK_SELECT as i32) {
            internal(format!("query {name} failed with SPI status {status}"));
        }
        let table = pg_sys::SPI_tuptable;
        if table.is_null() {
            return Rows { table, len: 0, name, types: Vec::new(), current: std::cell::RefCell::new((usize::MAX, Vec::new(), Vec::new())), checked: Default::default() };
        }
        let natts = (*(*table).tupdesc).natts as usize;
        let types = (1..=natts as i32).map(|c| pg_sys::SPI_gettypeid((*table).tupdesc, c)).collect();
        let current = std::cell::RefCell::new((usize::MAX, vec![pg_sys::Datum::from(0); natts], vec![true; natts]));
        Rows { table, len: pg_sys::SPI_processed as usize, name, types, current, checked: Default::default() }
    }
}

impl Drop for Rows {
    fn drop(&mut self) {
        // Free the rows now rather than at SPI_finish: the next query reuses the memory
        // instead of faulting in fresh pages.
        if self.table.is_null() {
            return;
        }
        unsafe {
            // SAFETY: the table came from SPI_execute in this connection and is freed once.
            pg_sys::SPI_freetuptable(self.table);
        }
    }
}

impl Rows {
    pub fn len(&self) -> usize {
        self.len
    }

    /// Column `col` (1-based) of row `row` (0-based), NULL as None. The column's type must be
    /// one `T` reads (checked once per column of a result): a datum is never read as
    /// another type than its own.
    pub fn get<T: ColumnType>(&self, row: usize, col: i32) -> Option<T> {
        let index = col as usize - 1;
        if row >= self.len || col < 1 || index >= self.types.len() {
            internal(format!("catalog query {}: row {row} column {col} out of range", self.name));
        }
        if index < 64 && self.checked.get() & (1 << index) == 0 {
            if !T::accepts(self.types[index]) {
                internal(format!(
                    "query {}: column {col} has type oid {}, which {} cannot read",
                    self.name,
                    self.types[index].to_u32(),
                    std::any::type_name::<T>()
                ));
            }
            self.checked.set(self.checked.get() | (1 << index));
        } else if index >= 64 && !T::accepts(self.types[index]) {
            internal(format!("query {}: column {col} has type oid {}", self.name, self.types[index].to_u32()));
        }
        let mut current = self.current.borrow_mut();
        if current.0 != row {
            let (_, values, nulls) = &mut *current;
            unsafe {
                // SAFETY: the tuple table belongs to the current SPI connection, row is in
                // range, and the arrays have one slot per attribute of its descriptor.
                let table = &*self.table;
                pg_sys::heap_deform_tuple(*table.vals.add(row), table.tupdesc, values.as_mut_ptr(), nulls.as_mut_ptr());
            }
            current.0 = row;
        }
        if current.2[index] {
            return None;
        }
        unsafe {
            // SAFETY: the datum comes from the deformed tuple, typed by the descriptor.
            T::from_polymorphic_datum(current.1[index], false, self.types[index])
        }
    }

    /// Like `get`, for a column the query never leaves NULL.
    pub fn req<T: ColumnType>(&self, row: usize, col: i32) -> T {
        match self.get(row, col) {
            Some(v) => v,
            None => internal(format!("catalog query {}: column {col} is unexpectedly NULL", self.name)),
        }
    }

    pub fn string(&self, row: usize, col: i32) -> String {
        self.req(row, col)
    }

    pub fn opt_string(&self, row: usize, col: i32) -> Option<String> {
        self.get(row, col)
    }

    pub fn oid(&self, row: usize, col: i32) -> u32 {
        self.req::<i64>(row, col) as u32
    }

    pub fn bool(&self, row: usize, col: i32) -> bool {
        self.req(row, col)
    }

    pub fn strings(&self, row: usize, col: i32) -> Vec<String> {
        self.get::<Vec<Option<String>>>(row, col).unwrap_or_default().into_iter().flatten().collect()
    }
}

/// Reports how long each phase of a call took, at DEBUG2 (`SET client_min_messages = debug2`;
/// DEBUG1 has only the commit tail's wait for the history lock, which benchmarks collect).
pub struct PhaseClock(std::cell::Cell<std::time::Instant>);

impl PhaseClock {
    pub fn start() -> Self {
        PhaseClock(std::cell::Cell::new(std::time::Instant::now()))
    }

    pub fn lap(&self, phase: &str) {
        let now = std::time::Instant::now();
        let took = now - self.0.replace(now);
        pgrx::debug2!("pg_lens: {phase}: {:.1} ms", took.as_secs_f64() * 1000.0);
    }
}

/// Sets GUCs for the duration of a closure, as a function's SET clause would, and restores
/// them even when the closure raises an ERROR (the transaction abort undoes the nest level).
pub fn with_settings<R>(settings: &[(&str, &str)], f: impl FnOnce() -> R) -> R {
    unsafe {
        // SAFETY: plain calls into the GUC machinery, paired below.
        let nest_level = pg_sys::NewGUCNestLevel();
        for (name, value) in settings {
            let (Ok(name), Ok(value)) = (CString::new(*name), CString::new(*value)) else { continue };
            pg_sys::set_config_option(
                name.as_ptr(),
                value.as_ptr(),
                pg_sys::GucContext::PGC_USERSET,
                pg_sys::GucSource::PGC_S_SESSION,
                pg_sys::GucAction::GUC_ACTION_SAVE,
                true,
                0,
                false,
            );
        }
        let result = f();
        pg_sys::AtEOXact_GUC(true, nest_level);
        result
    }
}

/// Runs `f` inside a subtransaction. A PostgreSQL ERROR raised by `f` rolls the
/// subtransaction back and comes back as `Err`, leaving the caller's transaction usable.
/// A cancel (statement_timeout, pg_cancel_backend) is the user's: it is raised again, never
/// handed to the caller as an ordinary failure.
pub fn in_subtransaction<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> Result<R, pg_sys::panic::CaughtError> {
    subtransaction(f, true)
}

/// Runs `f` inside a subtransaction that is always rolled back: what `f` changes is undone
/// and what it returns is kept (a plan verified in place). An ERROR comes back as `Err`; a
/// cancel is raised again.
pub fn in_rolled_back_subtransaction<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> Result<R, pg_sys::panic::CaughtError> {
    subtransaction(f, false)
}

/// `f` in a subtransaction, released when `f` succeeds and `keep` says so, else rolled back.
fn subtransaction<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe, keep: bool) -> Result<R, pg_sys::panic::CaughtError> {
    unsafe {
        // SAFETY: the usual BeginInternalSubTransaction / Release-or-Rollback pairing, with the
        // memory context and resource owner restored as PL/pgSQL's exception blocks do.
        let context = pg_sys::CurrentMemoryContext;
        let owner = pg_sys::CurrentResourceOwner;
        pg_sys::BeginInternalSubTransaction(std::ptr::null());
        pg_sys::MemoryContextSwitchTo(context);
        let result = pg_sys::PgTryBuilder::new(move || Ok(f())).catch_others(Err).execute();
        if keep && result.is_ok() {
            pg_sys::ReleaseCurrentSubTransaction();
        } else {
            pg_sys::RollbackAndReleaseCurrentSubTransaction();
        }
        pg_sys::MemoryContextSwitchTo(context);
        pg_sys::CurrentResourceOwner = owner;
        match result {
            Err(e) if is_cancel(&e) => e.rethrow(),
            other => other,
        }
    }
}

/// The five characters of an error's SQLSTATE (`42P01`).
pub fn sqlstate(error: &pg_sys::panic::CaughtError) -> String {
    let code = error_report(error).sql_error_code() as i32;
    (0..5).map(|i| char::from((((code >> (6 * i)) & 0x3F) as u8) + b'0')).collect()
}

/// Runs `f` with the locks and other resources it takes held by the current (sub)transaction
/// rather than by the statement's portal. A portal that ends holding more than a few locks
/// (PostgreSQL remembers 15 per owner) hands them over by scanning every lock the backend
/// holds: capture's catalog reads would make each DDL statement of a long migration pay for
/// all the locks taken before it. The (sub)transaction holds those catalog locks to its end
/// anyway.
pub fn with_transaction_owner<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(pg_sys::ResourceOwner);
    impl Drop for Restore {
        fn drop(&mut self) {
            unsafe { pg_sys::CurrentResourceOwner = self.0 };
        }
    }
    unsafe {
        // SAFETY: CurTransactionResourceOwner lives as long as the (sub)transaction, which
        // outlives this call; the portal's owner is put back on every path.
        let _restore = Restore(pg_sys::CurrentResourceOwner);
        if !pg_sys::CurTransactionResourceOwner.is_null() {
            pg_sys::CurrentResourceOwner = pg_sys::CurTransactionResourceOwner;
        }
        f()
    }
}

/// Runs `f`, catching what pg_lens's own code raises (a Rust panic, an ERROR raised from
/// Rust) without the cost of a subtransaction, whose end walks the whole transaction's locks,
/// relation cache and created files: in a long migration, a cost that grows with every
/// statement. Such an error leaves PostgreSQL's state as it was between two calls, so undoing
/// the settings and active snapshots `f` left is enough. An ERROR raised inside PostgreSQL (a
/// cancel, a lock timeout, memory exhausted) can only be undone by a (sub)transaction abort:
/// it is raised again, and the statement fails with it.
pub fn catching_own_errors<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> Result<R, pg_sys::panic::CaughtError> {
    use pg_sys::panic::CaughtError;
    unsafe {
        // SAFETY: the nest level opened here is closed on both paths; snapshots are popped down
        // to the one active before `f`, which `f` pushes above and never pops.
        let context = pg_sys::CurrentMemoryContext;
        let nest_level = pg_sys::NewGUCNestLevel();
        let active = if pg_sys::ActiveSnapshotSet() { pg_sys::GetActiveSnapshot() } else { std::ptr::null_mut() };
        let result = pg_sys::PgTryBuilder::new(move || Ok(f())).catch_others(Err).execute();
        match result {
            Ok(value) => {
                pg_sys::AtEOXact_GUC(true, nest_level);
                Ok(value)
            }
            Err(error @ CaughtError::PostgresError(_)) => error.rethrow(),
            Err(error) => {
                pg_sys::AtEOXact_GUC(false, nest_level);
                while pg_sys::ActiveSnapshotSet() && pg_sys::GetActiveSnapshot() != active {
                    pg_sys::PopActiveSnapshot();
                }
                pg_sys::MemoryContextSwitchTo(context);
                Err(error)
            }
        }
    }
}

/// True for a cancel: statement_timeout, pg_cancel_backend, a lock wait given up by the user.
pub fn is_cancel(error: &pg_sys::panic::CaughtError) -> bool {
    error_report(error).sql_error_code() == pgrx::PgSqlErrorCode::ERRCODE_QUERY_CANCELED
}

/// The SQLSTATE of an error `in_subtransaction` caught.
pub fn error_code(error: &pg_sys::panic::CaughtError) -> pgrx::PgSqlErrorCode {
    error_report(error).sql_error_code()
}

/// The report of an error `in_subtransaction` caught.
pub fn error_report(error: &pg_sys::panic::CaughtError) -> &pg_sys::panic::ErrorReportWithLevel {
    use pg_sys::panic::CaughtError;
    match error {
        CaughtError::PostgresError(r) | CaughtError::ErrorReport(r) => r,
        CaughtError::RustPanic { ereport, .. } => ereport,
    }
}

/// The message of an error `in_subtransaction` caught.
pub fn error_message(error: &pg_sys::panic::CaughtError) -> String {
    error_report(error).message().to_string()
}

/// True for the errors that concurrent DDL causes a catalog read, which a new attempt cures:
/// an object dropped after our snapshot was taken (the deparse functions then fail with an
/// internal error: "cache lookup failed", "could not open relation with OID"), a lock we did
/// not get in time, a deadlock. Recognised by SQLSTATE; an internal error that persists is
/// raised after the last attempt.
pub fn is_concurrent_ddl(error: &pg_sys::panic::CaughtError) -> bool {
    use pgrx::PgSqlErrorCode::*;
    matches!(error_code(error), ERRCODE_LOCK_NOT_AVAILABLE | ERRCODE_T_R_DEADLOCK_DETECTED | ERRCODE_INTERNAL_ERROR)
}

thread_local! {
    static LATEST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every query of it reading the newest committed state (a snapshot taken per
/// query), also under REPEATABLE READ and SERIALIZABLE: capture's commit tail reads and
/// writes its own tables after taking the lock that orders them, and must see the rows the
/// transactions before it wrote.
pub fn with_latest_snapshot<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            LATEST.with(|l| l.set(self.0));
        }
    }
    let _reset = Reset(LATEST.with(|l| l.replace(true)));
    f()
}

/// Runs `f` with a fresh snapshot of the catalog when the isolation level allows it
/// (READ COMMITTED); under REPEATABLE READ and SERIALIZABLE the transaction's snapshot stays.
pub fn with_fresh_snapshot<R>(f: impl FnOnce() -> R) -> R {
    unsafe {
        // SAFETY: push and pop are paired; an ERROR unwinds through the transaction abort,
        // which resets the active snapshot stack.
        if pg_sys::XactIsoLevel >= pg_sys::XACT_REPEATABLE_READ as i32 {
            return f();
        }
        pg_sys::PushActiveSnapshot(pg_sys::GetTransactionSnapshot());
        let result = f();
        pg_sys::PopActiveSnapshot();
        result
    }
}
