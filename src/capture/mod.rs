//! Capture: every DDL statement that commits leaves one `lens_drift` row with what it
//! changed, at a cost that follows what it touched, and without making any other session
//! wait for it.
//!
//! While a statement runs (`ddl_command_end`), capture works out the groups of entries it
//! touched (`owners::live_owners` for what exists, the stored state for what `sql_drop`
//! said was dropped), re-reads just those groups and compares them with what its
//! transaction sees of them (the committed state, overlaid with its own earlier
//! statements). The result stays in the backend (`pending`) until the transaction commits:
//! its commit tail (`flush`) lays it onto the state as committed then and writes history.
//! A rollback, of the transaction or of a savepoint, takes the captured statements with it.

mod flush;
pub mod manual;
pub mod owners;
mod pending;
pub mod statement_text;
pub mod store;

use crate::catalog::reader::{capture_schemas, read_catalog, Owners, Resolved, Scope};
use crate::gucs;
use crate::spi_read::{query, with_settings};
use lens_core::capture::{assemble, changes, state_entries, StateEntry};
use owners::Touched;
use pending::{Outcome, Resync, Statement};
use pgrx::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap, HashSet};
use store::Installed;

pub use manual::respond;

/// Identifies one top-level statement of this session.
type StatementId = (u32, i64);

thread_local! {
    /// What `sql_drop` saw, for the `ddl_command_end` of the same statement.
    static DROPPED: RefCell<Option<(StatementId, Vec<Touched>)>> = const { RefCell::new(None) };
    /// Set while capture itself writes history (the restore trigger leaves those rows alone).
    static IN_CAPTURE: Cell<bool> = const { Cell::new(false) };
    /// History tables a restore has started loading in this session.
    static LOADING: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
    /// The DDL statement between its ddl_command_start and its ddl_command_end: its tag and
    /// the subtransaction it started in. Still set when a transaction commits, it is a
    /// statement that commits in steps (CREATE INDEX CONCURRENTLY) committing one.
    static RUNNING: RefCell<Option<(String, u32)>> = const { RefCell::new(None) };
}

thread_local! {
    /// The schemas captures cover (by lens.capture_schemas), resolved once per backend and
    /// again when pg_namespace changes (the server's invalidation says so, whoever changed
    /// it), a statement on schemas or extensions ran here, or a transaction rolled back.
    static SCHEMAS: RefCell<Option<(Option<Vec<String>>, Vec<lens_core::catalog::RawSchema>)>> = const { RefCell::new(None) };
}

fn captured_schemas(names: &Option<Vec<String>>) -> Vec<lens_core::catalog::RawSchema> {
    if let Some(list) = SCHEMAS.with(|s| s.borrow().as_ref().filter(|(n, _)| n == names).map(|(_, l)| l.clone())) {
        return list;
    }
    let list = capture_schemas(names);
    SCHEMAS.with(|s| *s.borrow_mut() = Some((names.clone(), list.clone())));
    list
}

fn forget_schemas() {
    // try_with: an invalidation can come while the backend's thread-locals are torn down
    let _ = SCHEMAS.try_with(|s| s.borrow_mut().take());
}

unsafe extern "C-unwind" fn schemas_changed(_arg: pg_sys::Datum, _cache: i32, _hash: u32) {
    forget_schemas();
}

thread_local! {
    /// Set when pg_event_trigger changed, here or (at this backend's next command) in another
    /// session: PostgreSQL fires no event trigger for event triggers' own DDL, so the next
    /// statement captured re-reads them and records what changed.
    static EVENT_TRIGGERS_CHANGED: Cell<bool> = const { Cell::new(false) };
}

unsafe extern "C-unwind" fn event_triggers_changed(_arg: pg_sys::Datum, _cache: i32, _hash: u32) {
    let _ = EVENT_TRIGGERS_CHANGED.try_with(|c| c.set(true));
}

/// Marks capture's own writes for as long as it lives, whatever way the scope is left.
pub struct Capturing(bool);

impl Capturing {
    pub fn start() -> Capturing {
        Capturing(IN_CAPTURE.with(|c| c.replace(true)))
    }
}

impl Drop for Capturing {
    fn drop(&mut self) {
        IN_CAPTURE.with(|c| c.set(self.0));
    }
}

fn statement_id() -> StatementId {
    unsafe {
        // SAFETY: plain reads of transaction state.
        (pg_sys::GetTopTransactionIdIfAny().into_inner(), pg_sys::GetCurrentStatementStartTimestamp())
    }
}

fn current_subtransaction() -> u32 {
    unsafe { pg_sys::GetCurrentSubTransactionId() }
}

/// Hooks capture into the transaction machinery (from `_PG_init`).
pub fn register() {
    unsafe {
        // SAFETY: registered once per backend, for its life.
        pg_sys::RegisterXactCallback(Some(on_transaction), std::ptr::null_mut());
        pg_sys::RegisterSubXactCallback(Some(on_subtransaction), std::ptr::null_mut());
        pg_sys::CacheRegisterSyscacheCallback(
            pg_sys::SysCacheIdentifier::NAMESPACEOID as i32,
            Some(schemas_changed),
            pg_sys::Datum::from(0),
        );
        pg_sys::CacheRegisterSyscacheCallback(
            pg_sys::SysCacheIdentifier::EVENTTRIGGEROID as i32,
            Some(event_triggers_changed),
            pg_sys::Datum::from(0),
        );
    }
    statement_text::install();
}

#[pg_guard]
unsafe extern "C-unwind" fn on_transaction(event: pg_sys::XactEvent::Type, _arg: *mut std::ffi::c_void) {
    use pg_sys::XactEvent::*;
    match event {
        XACT_EVENT_PRE_COMMIT | XACT_EVENT_PRE_PREPARE => commit_tail(),
        XACT_EVENT_COMMIT | XACT_EVENT_ABORT | XACT_EVENT_PREPARE | XACT_EVENT_PARALLEL_COMMIT | XACT_EVENT_PARALLEL_ABORT => {
            // Nothing here may fail: forget the transaction's state on every way out.
            pending::clear();
            if event != XACT_EVENT_COMMIT {
                forget_schemas();
            }
            DROPPED.with(|d| d.borrow_mut().take());
            IN_CAPTURE.with(|c| c.set(false));
            if event != XACT_EVENT_COMMIT {
                RUNNING.with(|r| r.borrow_mut().take());
            }
        }
        _ => {}
    }
}

#[pg_guard]
unsafe extern "C-unwind" fn on_subtransaction(
    event: pg_sys::SubXactEvent::Type,
    subxact: pg_sys::SubTransactionId,
    _parent: pg_sys::SubTransactionId,
    _arg: *mut std::ffi::c_void,
) {
    if event == pg_sys::SubXactEvent::SUBXACT_EVENT_ABORT_SUB {
        pending::subtransaction_aborted(subxact);
        forget_schemas();
        RUNNING.with(|r| {
            let mut r = r.borrow_mut();
            if r.as_ref().is_some_and(|(_, started)| *started >= subxact) {
                *r = None;
            }
        });
    }
}

/// The version-1 calling convention record of a C function the SQL script declares itself.
const V1: pg_sys::Pg_finfo_record = pg_sys::Pg_finfo_record { api_version: 1 };

#[no_mangle]
pub extern "C-unwind" fn pg_finfo_lens_on_ddl_command_start() -> &'static pg_sys::Pg_finfo_record {
    &V1
}

#[no_mangle]
pub extern "C-unwind" fn pg_finfo_lens_on_sql_drop() -> &'static pg_sys::Pg_finfo_record {
    &V1
}

#[no_mangle]
pub extern "C-unwind" fn pg_finfo_lens_on_ddl_command_end() -> &'static pg_sys::Pg_finfo_record {
    &V1
}

/// The command tag of the event an event trigger function is called for.
unsafe fn event_tag(fcinfo: pg_sys::FunctionCallInfo, function: &str) -> String {
    unsafe {
        // SAFETY: the event trigger manager calls these with an EventTriggerData context; the
        // tag's name is a static string.
        let context = (*fcinfo).context;
        if context.is_null() || (*context).type_ != pg_sys::NodeTag::T_EventTriggerData {
            crate::errors::bad_argument(format!("{function}() is an event trigger function"), "It is called by pg_lens's event triggers, not directly.");
        }
        let data = context as *mut pg_sys::EventTriggerData;
        std::ffi::CStr::from_ptr(pg_sys::GetCommandTagName((*data).tag)).to_string_lossy().into_owned()
    }
}

/// The `ddl_command_start` event trigger function (declared in sql/capture.sql, LANGUAGE c).
#[no_mangle]
#[pg_guard]
pub unsafe extern "C-unwind" fn lens_on_ddl_command_start(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    let tag = unsafe { event_tag(fcinfo, "lens_on_ddl_command_start") };
    RUNNING.with(|r| *r.borrow_mut() = Some((tag, current_subtransaction())));
    pg_sys::Datum::from(0)
}

/// The `sql_drop` event trigger function: no PL/pgSQL in between, as DDL pays for it on
/// every statement.
#[no_mangle]
#[pg_guard]
pub unsafe extern "C-unwind" fn lens_on_sql_drop(_fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    if in_extension_script() {
        return pg_sys::Datum::from(0);
    }
    crate::spi_read::with_transaction_owner(stash_dropped);
    pg_sys::Datum::from(0)
}

/// Inside an extension's script (CREATE or ALTER EXTENSION running it): what it creates and
/// drops is the extension's own, never an entry; the CREATE or ALTER EXTENSION statement is
/// captured once, when it ends.
fn in_extension_script() -> bool {
    // SAFETY: a plain read of a backend global.
    unsafe { pg_sys::creating_extension }
}

/// The `ddl_command_end` event trigger function.
#[no_mangle]
#[pg_guard]
pub unsafe extern "C-unwind" fn lens_on_ddl_command_end(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    let tag = unsafe { event_tag(fcinfo, "lens_on_ddl_command_end") };
    RUNNING.with(|r| r.borrow_mut().take());
    if in_extension_script() {
        return pg_sys::Datum::from(0);
    }
    let dependents = unsafe { changes_dependents((*((*fcinfo).context as *mut pg_sys::EventTriggerData)).parsetree) };
    crate::spi_read::with_transaction_owner(|| capture_statement(&tag, dependents));
    pg_sys::Datum::from(0)
}

/// Whether a statement can change what depends on the objects it touched (the FK of another
/// table pointing at a renamed one, a view on it): a rename, a move to another schema, an
/// ALTER TABLE doing more than what stays inside the table's own group. Adding or dropping
/// a column, a default, a constraint, an index: nothing outside changes (what a CASCADE
/// takes with it comes as dropped objects).
unsafe fn changes_dependents(parsetree: *mut pg_sys::Node) -> bool {
    use pg_sys::AlterTableType::*;
    const INSIDE: &[pg_sys::AlterTableType::Type] = &[
        AT_AddColumn, AT_ColumnDefault, AT_DropNotNull, AT_SetNotNull, AT_SetStatistics, AT_SetOptions, AT_ResetOptions,
        AT_SetStorage, AT_SetCompression, AT_DropColumn, AT_AddIndex, AT_AddConstraint, AT_ValidateConstraint,
        AT_DropConstraint, AT_ClusterOn, AT_DropCluster, AT_SetLogged, AT_SetUnLogged, AT_SetRelOptions, AT_ResetRelOptions,
        AT_EnableTrig, AT_EnableAlwaysTrig, AT_EnableReplicaTrig, AT_DisableTrig, AT_EnableTrigAll, AT_DisableTrigAll,
        AT_EnableTrigUser, AT_DisableTrigUser, AT_ReplicaIdentity, AT_EnableRowSecurity, AT_DisableRowSecurity,
        AT_ForceRowSecurity, AT_NoForceRowSecurity, AT_AddIdentity, AT_SetIdentity, AT_DropIdentity,
    ];
    use pg_sys::NodeTag::*;
    // What a creating statement makes has nothing depending on it yet (a CREATE TABLE with an
    // FK reports an ALTER TABLE subcommand too: its tags alone do not tell).
    const CREATING: &[pg_sys::NodeTag] = &[
        T_CreateStmt, T_IndexStmt, T_CommentStmt, T_CreateSeqStmt, T_ViewStmt, T_CreateTableAsStmt, T_CreateEnumStmt,
        T_CreateDomainStmt, T_CompositeTypeStmt, T_CreateTrigStmt, T_CreatePolicyStmt, T_CreateFunctionStmt,
    ];
    unsafe {
        // SAFETY: the event trigger manager's parse tree of the statement, read only.
        if parsetree.is_null() {
            return true;
        }
        if CREATING.contains(&(*parsetree).type_) {
            return false;
        }
        if (*parsetree).type_ != T_AlterTableStmt {
            return true;
        }
        let statement = parsetree as *mut pg_sys::AlterTableStmt;
        let commands = pgrx::PgList::<pg_sys::AlterTableCmd>::from_pg((*statement).cmds);
        let outside = commands.iter_ptr().any(|cmd| cmd.is_null() || !INSIDE.contains(&(*cmd).subtype));
        outside
    }
}

/// Keeps what the statement dropped, for its `ddl_command_end`.
fn stash_dropped() {
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

/// What a statement did, as the event triggers said.
pub struct Ddl {
    pub tags: Vec<String>,
    pub touched: Vec<Touched>,
    pub dropped: Vec<Touched>,
    pub partial: bool,
    /// Whether what depends on the touched objects may have changed too.
    pub dependents: bool,
}

impl Ddl {
    fn object_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> =
            self.touched.iter().chain(&self.dropped).map(|t| t.identity.clone()).filter(|k| !k.is_empty()).collect();
        keys.sort();
        keys.dedup();
        keys
    }
}

/// Captures the statement that just ended (`tag`: its command tag).
fn capture_statement(tag: &str, dependents: bool) {
    let id = statement_id();
    let dropped = DROPPED.with(|d| match d.borrow_mut().take() {
        Some((stashed_id, list)) if stashed_id == id => list,
        _ => Vec::new(),
    });
    let clock = crate::spi_read::PhaseClock::start();
    Spi::connect(|_| {
        let rows = query(
            "ddl_commands",
            "SELECT classid::int8, objid::int8, command_tag, COALESCE(object_identity, ''), \
                    COALESCE(schema_name ~ '^pg_temp', false) OR in_extension, schema_name, \
                    CASE WHEN classid IS NULL THEN command END \
             FROM pg_catalog.pg_event_trigger_ddl_commands() \
             WHERE classid IS NOT NULL OR command_tag IN ('GRANT', 'REVOKE', 'ALTER DEFAULT PRIVILEGES')",
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
            if let Some(command) = rows.get::<crate::spi_read::DdlCommand>(r, 7) {
                // GRANT and ALTER DEFAULT PRIVILEGES name no object: their commands do
                touched.extend(unsafe { owners::objects_of_command(command.0) });
                schemas.insert(None);
                continue;
            }
            schemas.insert(rows.opt_string(r, 6));
            touched.push(Touched { classid: rows.oid(r, 1), objid: rows.oid(r, 2), identity: rows.string(r, 4) });
        }
        drop(rows);
        // (ALTER DEFAULT PRIVILEGES that emptied the last entry leaves nothing to touch)
        if touched.is_empty() && dropped.is_empty() && !tags.contains("ALTER DEFAULT PRIVILEGES") {
            return;
        }
        clock.lap("capture: statement's objects");
        let Some(installed) = store::installed() else { return };
        if tags.iter().any(|t| t.contains("SCHEMA") || t.contains("EXTENSION")) {
            forget_schemas();
        }
        let ddl = Ddl { tags: tags.into_iter().collect(), touched, dropped, partial: false, dependents };
        // pg_lens's own objects live in its schema: elsewhere there is nothing to check
        let near_own = schemas.iter().any(|s| s.as_ref().is_none_or(|s| *s == installed.schema_name));
        if near_own && own_objects_only(&installed.schema, &ddl) {
            return;
        }
        clock.lap("capture: extension checks");
        capture_or_record(&installed, ddl);
        clock.lap("capture: in all");
    });
}

/// True when the statement altered only members of extensions (pg_lens's own history
/// tables, say) and dropped nothing capture keeps: nothing of the user's schema changed.
fn own_objects_only(schema: &str, ddl: &Ddl) -> bool {
    if ddl.touched.is_empty() {
        return false;
    }
    let dropped: Vec<u32> = ddl.dropped.iter().map(|t| t.objid).collect();
    if !store::owners_of(schema, &dropped).is_empty() {
        return false;
    }
    let classids: Vec<pg_sys::Oid> = ddl.touched.iter().map(|t| pg_sys::Oid::from(t.classid)).collect();
    let oids: Vec<pg_sys::Oid> = ddl.touched.iter().map(|t| pg_sys::Oid::from(t.objid)).collect();
    // (classid, objid) leads pg_depend's index on the depending object
    let rows = query(
        "extension_members_touched",
        "SELECT count(DISTINCT (t.classid, t.objid)) FROM unnest($1::oid[], $2::oid[]) AS t(classid, objid) \
         WHERE EXISTS (SELECT FROM pg_catalog.pg_depend d \
                       WHERE d.classid = t.classid AND d.objid = t.objid AND d.deptype = 'e')",
        &[crate::spi_read::arg(classids), crate::spi_read::arg(oids)],
    );
    let distinct: HashSet<(u32, u32)> = ddl.touched.iter().map(|t| (t.classid, t.objid)).collect();
    rows.req::<i64>(0, 1) as usize >= distinct.len()
}

/// Captures the statement into the transaction's pending history. Capture only reads here
/// (the commit tail writes). Unless `lens.strict` is on, a failure of pg_lens's own code is
/// reported with a WARNING and kept as a failed statement (its row will say why, and the
/// state is resynced); the user's statement goes on. An ERROR from the server itself (a
/// cancel, a lock timeout) fails the statement: undoing it would take a subtransaction per
/// statement, whose cost grows with the transaction (see `catching_own_errors`).
fn capture_or_record(installed: &Installed, ddl: Ddl) {
    let text = statement_text::current();
    let base = || Statement {
        subxact: 0,
        tags: ddl.tags.clone(),
        object_keys: ddl.object_keys(),
        text: text.clone(),
        outcome: Outcome::Skipped { reason: String::new() },
        undo: Vec::new(),
        values: HashMap::new(),
        partial: ddl.partial,
    };
    let (statement, groups) = if !gucs::CAPTURE.get() {
        (Statement { outcome: Outcome::Skipped { reason: "not captured: lens.capture was off".into() }, ..base() }, Vec::new())
    } else if gucs::STRICT.get() {
        capture(installed, &ddl, base())
    } else {
        match crate::spi_read::catching_own_errors(std::panic::AssertUnwindSafe(|| capture(installed, &ddl, base()))) {
            Ok(captured) => captured,
            Err(error) => {
                let message = crate::spi_read::error_message(&error);
                pgrx::warning!("pg_lens: could not capture {}: {message}", ddl.tags.join(", "));
                (Statement { outcome: Outcome::Failed { error: message }, ..base() }, Vec::new())
            }
        }
    };
    if matches!(statement.outcome, Outcome::Captured { .. }) && ddl.partial && statement_changes_nothing(&statement) {
        return;
    }
    if transaction_head(installed).is_none() {
        return;
    }
    pending::with(|tx| tx.push(Statement { subxact: current_subtransaction(), ..statement }, groups));
}

fn statement_changes_nothing(statement: &Statement) -> bool {
    matches!(&statement.outcome, Outcome::Captured { changes, .. } if changes.is_empty())
}

/// The head as this transaction saw it first: read now, before anything else of the state,
/// when this is its first statement (or pg_lens was created again in it).
fn transaction_head(installed: &Installed) -> Option<store::Head> {
    let kept = pending::with(|tx| match &tx.installed {
        Some((i, head)) if i == installed => Some(head.clone()),
        _ => None,
    });
    if kept.is_some() {
        return kept;
    }
    let head = Spi::connect(|_| store::read_head(&installed.schema))?;
    pending::with(|tx| {
        *tx = pending::Transaction::default();
        tx.installed = Some((installed.clone(), head.clone()));
    });
    Some(head)
}

/// The statement captured, and the groups it re-read as it left them.
fn capture(installed: &Installed, ddl: &Ddl, statement: Statement) -> (Statement, Vec<(u32, Vec<StateEntry>)>) {
    let _capturing = Capturing::start();
    let schema = installed.schema.as_str();
    let Some(head) = transaction_head(installed) else {
        crate::errors::internal("lens_head has no row: the extension's history tables were tampered with")
    };
    let scope_schemas = gucs::capture_schemas();
    let full = (head.needs_resync
        || head.schemas != scope_schemas
        || store::state_predates_format(schema)
        || store::read_on_another_cluster(&head))
        && !pending::with(|tx| tx.resynced(&scope_schemas));
    let clock = crate::spi_read::PhaseClock::start();
    // The same small queries run for every statement: plan them once (their SQL avoids
    // shapes a generic plan would scan for). A full read keeps custom plans.
    // A few groups are read by their keys: a sequential scan of a catalog is never the
    // right plan, whatever a generic plan's estimates say.
    let (plans, seqscan) = if full { ("auto", "on") } else { ("force_generic_plan", "off") };
    with_settings(&[("plan_cache_mode", plans), ("enable_seqscan", seqscan)], || {
        with_current_catalog(|| {
            let (old, mut new, owners) = if full {
                (base_entries(schema, None), read_entries(&scope_schemas, None), None)
            } else {
                let owners = touched_owners(schema, ddl);
                clock.lap("capture: owners");
                let list = owner_list(&owners);
                let old = base_entries(schema, Some(&list));
                clock.lap("capture: stored entries");
                (old, read_entries(&scope_schemas, Some(owners)), Some(list))
            };
            clock.lap("capture: live entries");
            let mut values = HashMap::new();
            new.iter_mut().for_each(|e| lens_core::stored_values::externalize(&mut e.entry, &mut values));
            let changes = changes(&old, &new);
            let before = assemble(old.iter().map(|e| (e.section, e.key.as_str(), &e.entry)), &head.database_id);
            let after = assemble(new.iter().map(|e| (e.section, e.key.as_str(), &e.entry)), &head.database_id);
            let mut diff = lens_core::diff::diff(&before, &after);
            if let Some(members) = diff.as_object_mut() {
                // the commit tail writes the whole schema's signatures there
                members.remove("from");
                members.remove("to");
            }
            let diff = diff.to_string();
            clock.lap("capture: diff");
            let group_owners: BTreeSet<u32> = match owners {
                Some(list) => list.into_iter().collect(),
                None => old.iter().chain(&new).map(|e| e.owner).collect(),
            };
            let mut groups: HashMap<u32, Vec<StateEntry>> = group_owners.into_iter().map(|o| (o, Vec::new())).collect();
            for e in new {
                groups.entry(e.owner).or_default().push(e);
            }
            let resync = full.then(|| Resync { seq_seen: head.resync_seq, schemas: scope_schemas.clone() });
            (Statement { outcome: Outcome::Captured { changes, diff, resync }, values, ..statement }, groups.into_iter().collect())
        })
    })
}

/// What this transaction sees of some groups (all of them when None): its own statements'
/// picture of those it touched, the committed state of the others.
fn base_entries(schema: &str, owners: Option<&[u32]>) -> Vec<StateEntry> {
    pending::with(|tx| {
        let from_store = |list: Option<&[u32]>| store::entries_of(schema, list).into_iter().filter(|e| !tx.overlay.contains(e.owner));
        match owners {
            Some(list) => {
                let stored: Vec<u32> = list.iter().copied().filter(|o| !tx.overlay.contains(*o)).collect();
                let mut out: Vec<StateEntry> = if stored.is_empty() { Vec::new() } else { from_store(Some(&stored)).collect() };
                for owner in list {
                    out.extend(tx.overlay.group(*owner).into_iter().flatten().cloned());
                }
                out
            }
            None => {
                let mut out: Vec<StateEntry> = from_store(None).collect();
                out.extend(tx.overlay.entries().cloned());
                out
            }
        }
    })
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

/// The groups the statement touched: from the catalog for what exists, from what the
/// transaction sees of the state for what was dropped or moved to another group, by the
/// kind of its stored entry.
fn touched_owners(schema: &str, ddl: &Ddl) -> Owners {
    // Only a statement that changes existing objects (ALTER, RENAME...) can change what
    // depends on them; what a CREATE makes has nothing depending on it yet.
    let creates_only = ddl.tags.iter().all(|t| t.starts_with("CREATE ") || t == "COMMENT");
    let schema_altered = ddl.tags.iter().any(|t| t == "ALTER SCHEMA");
    let mut owners = owners::live_owners(&ddl.touched, ddl.dependents && !creates_only, schema_altered);
    let oids: Vec<u32> = ddl.touched.iter().chain(&ddl.dropped).map(|t| t.objid).collect();
    // Only a partitioned table can have lost a partition its catalog no longer lists.
    let partitioned: Vec<u32> =
        owners.relations.iter().copied().filter(|o| owners::relation_facts(*o).is_some_and(|f| f.kind == b'p')).collect();
    let (detached, stored) = pending::with(|tx| {
        let parent_keys: Vec<String> = partitioned.iter().filter_map(|o| tx.overlay.table_key(*o)).map(str::to_string).collect();
        let parents: Vec<u32> = partitioned.iter().copied().filter(|o| !tx.overlay.contains(*o)).collect();
        let mut detached: Vec<u32> =
            store::stored_partitions(schema, &parents, &parent_keys).into_iter().filter(|o| !tx.overlay.contains(*o)).collect();
        detached.extend(tx.overlay.partitions_of(parent_keys.iter().map(String::as_str)));
        let mut stored: Vec<(u32, String)> = store::owners_of(schema, &oids).into_iter().filter(|(o, _)| !tx.overlay.contains(*o)).collect();
        stored.extend(tx.overlay.owners_of(&oids));
        (detached, stored)
    });
    owners.relations.extend(detached);
    // What a statement can change without naming it: every group of the section, live and
    // stored (an entry emptied or dropped is gone from the catalog, its stored group is not).
    // PostgreSQL fires no event trigger for event triggers (the syscache callback tells); a
    // table dropped from a publication (with the table, or its schema) leaves no trace the
    // publication's entry can be found by; ALTER DEFAULT PRIVILEGES names no object.
    const PUBLICATION_MEMBERS: [u32; 2] = [6106, 6237]; // pg_publication_rel, pg_publication_namespace
    let whole_sections = [
        (EVENT_TRIGGERS_CHANGED.with(|c| c.replace(false)), "eventTriggers", "pg_event_trigger"),
        (ddl.dropped.iter().any(|t| PUBLICATION_MEMBERS.contains(&t.classid)), "publications", "pg_publication"),
        (ddl.tags.iter().any(|t| t == "ALTER DEFAULT PRIVILEGES"), "defaultPrivileges", "pg_default_acl"),
    ];
    for (_, section, catalog) in whole_sections.into_iter().filter(|(wanted, _, _)| *wanted) {
        owners.objects.extend(owners::all_of(catalog));
        owners.objects.extend(store::owners_in_section(schema, section));
        owners.objects.extend(pending::with(|tx| tx.overlay.owners_in(section)));
    }
    for (oid, section) in stored {
        // the stored group's own entry says what it is (sections::group_heads)
        use lens_core::sections::{group_of, Group};
        match section.as_str() {
            "tables" => owners.relations.push(oid),
            "" => {
                owners.relations.push(oid);
                owners.sequences.push(oid);
                owners.objects.push(oid);
            }
            other if group_of(other) == Group::Sequence => owners.sequences.push(oid),
            _ => owners.objects.push(oid),
        }
    }
    for list in [&mut owners.relations, &mut owners.sequences, &mut owners.objects] {
        list.sort_unstable();
        list.dedup();
    }
    owners
}

fn owner_list(owners: &Owners) -> Vec<u32> {
    let mut list: Vec<u32> =
        owners.relations.iter().chain(&owners.sequences).chain(&owners.objects).copied().collect();
    list.sort_unstable();
    list.dedup();
    list
}

/// The live entries of some groups (all of the captured schemas when `owners` is None).
fn read_entries(schemas: &Option<Vec<String>>, owners: Option<Owners>) -> Vec<StateEntry> {
    if owners.as_ref().is_some_and(Owners::is_empty) {
        return Vec::new();
    }
    read_groups(schemas, owners).1
}

/// The unsigned snapshot of some groups (all of the captured schemas when `owners` is None),
/// read without locks, and its entries.
pub fn read_groups(schemas: &Option<Vec<String>>, owners: Option<Owners>) -> (lens_core::Snapshot, Vec<StateEntry>) {
    let scope = Scope { owners, ..Scope::schemas(schemas.clone()) };
    let resolved = Resolved::of_schemas(captured_schemas(schemas));
    let raw = with_settings(&[("jit", "off")], || read_catalog(&scope, resolved));
    let sequence_owners: HashMap<u32, u32> =
        raw.sequences.iter().filter_map(|s| s.owner.map(|(relid, _)| (s.oid, relid))).collect();
    let snapshot = lens_core::build::build_unsigned(&raw);
    let entries = state_entries(&snapshot, &|seq| sequence_owners.get(&seq).copied());
    (snapshot, entries)
}

/// The transaction is committing: a step of a statement that commits in steps is captured,
/// then everything the transaction captured is written.
fn commit_tail() {
    let step = RUNNING.with(|r| r.borrow().clone());
    if step.is_none() && pending::is_empty() {
        return;
    }
    unsafe {
        // SAFETY: the pre-commit step has no active snapshot for SPI to run under; push and
        // pop are paired (an ERROR aborts the transaction, which resets the stack).
        pg_sys::PushActiveSnapshot(pg_sys::GetTransactionSnapshot());
    }
    let Some(installed) = Spi::connect(|_| store::installed()) else {
        pending::clear();
        unsafe { pg_sys::PopActiveSnapshot() };
        return;
    };
    // As the event trigger functions do: as the extension's owner, search_path pinned; the
    // same few statements every commit, so their plans are kept generic.
    as_owner(installed.owner, || {
        with_settings(&[("search_path", "pg_catalog, pg_temp"), ("plan_cache_mode", "force_generic_plan")], || {
            if let Some((tag, _)) = step {
                capture_step(&tag);
            }
            write_history();
        })
    });
    unsafe { pg_sys::PopActiveSnapshot() };
}

/// Runs `f` as `role` (a SECURITY DEFINER function's switch), back to the caller after,
/// also when `f` raises an ERROR.
fn as_owner<R>(role: u32, f: impl FnOnce() -> R) -> R {
    struct Restore(pg_sys::Oid, i32);
    impl Drop for Restore {
        fn drop(&mut self) {
            unsafe { pg_sys::SetUserIdAndSecContext(self.0, self.1) };
        }
    }
    let (mut user, mut context) = (pg_sys::Oid::INVALID, 0i32);
    unsafe {
        // SAFETY: the same calls fmgr_security_definer makes.
        pg_sys::GetUserIdAndSecContext(&mut user, &mut context);
        pg_sys::SetUserIdAndSecContext(pg_sys::Oid::from(role), context | pg_sys::SECURITY_LOCAL_USERID_CHANGE as i32);
    }
    let _restore = Restore(user, context);
    f()
}

fn write_history() {
    if pending::is_empty() {
        return;
    }
    let tx = pending::take();
    let restoring = restoring();
    let _capturing = Capturing::start();
    if gucs::STRICT.get() {
        Spi::connect(|_| flush::flush(&tx, restoring));
        return;
    }
    let Err(error) = crate::spi_read::in_subtransaction(std::panic::AssertUnwindSafe(|| Spi::connect(|_| flush::flush(&tx, restoring))))
    else {
        return;
    };
    let message = crate::spi_read::error_message(&error);
    pgrx::warning!("pg_lens: could not write the history of this transaction: {message}");
    if let Err(e) = crate::spi_read::in_subtransaction(std::panic::AssertUnwindSafe(|| Spi::connect(|_| flush::record_failure(&tx, &message)))) {
        crate::errors::raise(
            pgrx::PgSqlErrorCode::ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
            format!("pg_lens could not record this transaction's DDL, nor its failure to: {}", crate::spi_read::error_message(&e)),
            "The transaction is rolled back so that history is not lost silently. A superuser can SET lens.capture = off to do DDL without pg_lens (that is recorded too).",
        );
    }
}

/// A statement that commits in steps (CREATE INDEX CONCURRENTLY, DETACH PARTITION
/// CONCURRENTLY) is committing one: what this transaction wrote into the catalog (an index
/// not valid yet, say) is committed now, so history records it, as a partial row.
fn capture_step(tag: &str) {
    let xid = unsafe { pg_sys::GetCurrentTransactionIdIfAny() };
    if xid == pg_sys::InvalidTransactionId {
        return;
    }
    Spi::connect(|_| {
        let Some(installed) = store::installed() else { return };
        let rows = query("written_by_transaction", include_str!("../../sql/capture/written_by_transaction.sql"), &[crate::spi_read::arg(xid.into_inner() as i64)]);
        let touched: Vec<Touched> =
            (0..rows.len()).map(|r| Touched { classid: rows.oid(r, 1), objid: rows.oid(r, 2), identity: rows.string(r, 3) }).collect();
        drop(rows);
        if touched.is_empty() {
            return;
        }
        capture_or_record(&installed, Ddl { tags: vec![tag.to_string()], touched, dropped: Vec::new(), partial: true, dependents: false });
    });
}

/// Called by CREATE EXTENSION: the baseline snapshot, and the state capture starts from.
#[pg_extern(volatile)]
#[search_path(pg_catalog, pg_temp)]
fn lens_take_baseline() {
    Spi::connect(|_| {
        let Some(schema) = store::extension_schema() else {
            crate::errors::internal("pg_lens's history tables are missing")
        };
        let _capturing = Capturing::start();
        let schemas = gucs::capture_schemas();
        store::create_head(&schema, &schemas);
        let (mut snapshot, mut entries) = read_groups(&schemas, None);
        let mut sum = lens_core::signature::HashSum::default();
        entries.iter().for_each(|e| sum.add(&e.hash));
        let mut values = HashMap::new();
        entries.iter_mut().for_each(|e| lens_core::stored_values::externalize(&mut e.entry, &mut values));
        store::store_values(&schema, &values);
        store::replace_all_entries(&schema, &entries);
        let signature = store::store_keyframe(&schema, &schemas, &mut snapshot, "baseline", None);
        if signature != sum.signature() {
            crate::errors::internal("the baseline's signature is not the sum of its entries");
        }
        store::update_head(&schema, &store::HeadUpdate { sum, schemas: &schemas, last_drift_id: None, needs_resync: false, resync_seq: 0, state_seq: 0 });
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
