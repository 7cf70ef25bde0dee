//! Lookups through PostgreSQL's catalog caches, for capture's per-statement reads: a few
//! names and types that a SQL query would cost a plan and an executor start to fetch.
//!
//! The caches see the newest committed catalog and the transaction's own changes (after a
//! CommandCounterIncrement), which is what capture reads under. Full snapshots keep their
//! set-based queries, all under one snapshot.
//!
//! The default operator classes capture needs to print index definitions are kept per
//! backend, and dropped by the server's own invalidation callbacks as soon as a catalog row
//! they were derived from changes, here or (at this backend's next command) in another
//! session's commit.

use pgrx::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::CStr;

/// Takes a palloc'd C string the server returned: its text, and the memory back.
unsafe fn owned(ptr: *mut std::ffi::c_char) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    unsafe {
        // SAFETY: a NUL-terminated string the server allocated for us.
        let text = CStr::from_ptr(ptr).to_string_lossy().into_owned();
        pg_sys::pfree(ptr.cast());
        Some(text)
    }
}

/// The name of column `attnum` of relation `relid`, None when there is no such column.
pub fn attribute_name(relid: u32, attnum: i16) -> Option<String> {
    unsafe { owned(pg_sys::get_attname(pg_sys::Oid::from(relid), attnum, true)) }
}

/// The schema and name of a relation, None when it does not exist.
pub fn relation_name(relid: u32) -> Option<(String, String)> {
    unsafe {
        let oid = pg_sys::Oid::from(relid);
        let name = owned(pg_sys::get_rel_name(oid))?;
        let schema = owned(pg_sys::get_namespace_name(pg_sys::get_rel_namespace(oid)))?;
        Some((schema, name))
    }
}

/// A role's name, None when the role is gone.
pub fn role_name(oid: u32) -> Option<String> {
    unsafe {
        // SAFETY: returns a palloc'd copy, or NULL with noerr.
        let name = pg_sys::GetUserNameFromId(pg_sys::Oid::from(oid), true);
        if name.is_null() {
            return None;
        }
        Some(CStr::from_ptr(name).to_string_lossy().into_owned())
    }
}

/// A tablespace's name.
pub fn tablespace_name(oid: u32) -> Option<String> {
    unsafe { owned(pg_sys::get_tablespace_name(pg_sys::Oid::from(oid))) }
}

/// The name of an access method.
pub fn access_method_name(oid: u32) -> Option<String> {
    unsafe { owned(pg_sys::get_am_name(pg_sys::Oid::from(oid))) }
}

/// What SQL's `format_type(type, typmod)` prints for a non-NULL typmod, the type's default
/// collation (0 for none) and its storage: types.sql, without the query.
pub fn format_type(type_oid: u32, typmod: i32) -> (String, u32, String) {
    unsafe {
        let oid = pg_sys::Oid::from(type_oid);
        let flags = (pg_sys::FORMAT_TYPE_TYPEMOD_GIVEN | pg_sys::FORMAT_TYPE_ALLOW_INVALID) as u16;
        let formatted = owned(pg_sys::format_type_extended(oid, typmod, flags)).unwrap_or_default();
        let storage = (pg_sys::get_typstorage(oid) as u8 as char).to_string();
        (formatted, pg_sys::get_typcollation(oid).to_u32(), storage)
    }
}

/// An (access method, column type) pair's default operator class, as default_opclasses.sql
/// answers it (None: no answer, the server prints such indexes), with the type's hash in the
/// type cache (to forget the entries of a type that changed).
type OpclassEntry = (Option<u32>, u32);

thread_local! {
    static DEFAULT_OPCLASSES: RefCell<HashMap<(u32, u32), OpclassEntry>> = RefCell::new(HashMap::new());
    /// Bumped by every invalidation: an answer looked up while one came is used, not kept.
    static GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Asks the server to tell us when what the default operator classes come from changes.
/// Called once per backend, from `_PG_init`.
pub fn register() {
    use pg_sys::SysCacheIdentifier::*;
    unsafe {
        // SAFETY: registering callbacks is what extensions do at load; they live as long as
        // the backend, as the library does.
        for cache in [CLAOID, CASTSOURCETARGET, AMPROCNUM, AMOID] {
            pg_sys::CacheRegisterSyscacheCallback(cache as i32, Some(forget_default_opclasses), pg_sys::Datum::from(0));
        }
        pg_sys::CacheRegisterSyscacheCallback(TYPEOID as i32, Some(forget_type), pg_sys::Datum::from(0));
    }
}

unsafe extern "C-unwind" fn forget_default_opclasses(_arg: pg_sys::Datum, _cache: i32, _hash: u32) {
    // try_with: the callback can come while the backend's thread-locals are torn down
    let _ = GENERATION.try_with(|g| g.set(g.get() + 1));
    let _ = DEFAULT_OPCLASSES.try_with(|c| c.borrow_mut().clear());
}

unsafe extern "C-unwind" fn forget_type(_arg: pg_sys::Datum, _cache: i32, hash: u32) {
    let _ = GENERATION.try_with(|g| g.set(g.get() + 1));
    let _ = DEFAULT_OPCLASSES.try_with(|c| {
        let mut cache = c.borrow_mut();
        // hash 0: every type
        cache.retain(|_, (_, type_hash)| hash != 0 && *type_hash != hash);
    });
}

fn type_hash(type_oid: u32) -> u32 {
    unsafe {
        pg_sys::GetSysCacheHashValue(
            pg_sys::SysCacheIdentifier::TYPEOID as i32,
            pg_sys::Datum::from(type_oid),
            pg_sys::Datum::from(0),
            pg_sys::Datum::from(0),
            pg_sys::Datum::from(0),
        )
    }
}

/// The default operator classes of `pairs` (access method, type): from the backend's cache,
/// the missing ones from `look_up`, which answers the pairs it is given (leaving out those
/// without an answer).
pub fn default_opclasses(
    pairs: &[(u32, u32)],
    look_up: impl FnOnce(&[(u32, u32)]) -> HashMap<(u32, u32), u32>,
) -> HashMap<(u32, u32), u32> {
    let cached = || -> HashMap<(u32, u32), u32> {
        DEFAULT_OPCLASSES.with(|c| {
            let cache = c.borrow();
            pairs.iter().filter_map(|p| cache.get(p).and_then(|(opclass, _)| opclass.map(|o| (*p, o)))).collect()
        })
    };
    let missing: Vec<(u32, u32)> =
        DEFAULT_OPCLASSES.with(|c| pairs.iter().copied().filter(|p| !c.borrow().contains_key(p)).collect());
    if missing.is_empty() {
        return cached();
    }
    let generation = GENERATION.with(|g| g.get());
    let found = look_up(&missing);
    let mut answer = cached();
    answer.extend(found.iter().map(|(p, o)| (*p, *o)));
    if GENERATION.with(|g| g.get()) == generation {
        let entries: Vec<((u32, u32), OpclassEntry)> =
            missing.iter().map(|&(am, typ)| ((am, typ), (found.get(&(am, typ)).copied(), type_hash(typ)))).collect();
        DEFAULT_OPCLASSES.with(|c| c.borrow_mut().extend(entries));
    }
    answer
}

/// What SQL's `pg_get_expr(node, relid)` prints, called directly: capture's few defaults,
/// checks and predicates without a query. `relid` 0: an expression that reads no column.
pub fn print_expression(node: &str, relid: u32) -> Option<String> {
    unsafe fn get_expr(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
        unsafe { pg_sys::pg_get_expr(fcinfo) }
    }
    use pgrx::IntoDatum;
    unsafe {
        // SAFETY: pg_get_expr takes (pg_node_tree, oid); pg_node_tree is text underneath.
        pgrx::direct_function_call::<String>(get_expr, &[node.into_datum(), pg_sys::Oid::from(relid).into_datum()])
    }
}
