//! Exact relation sizes from the files themselves.
//!
//! `pg_total_relation_size()` and friends open every table and index to find its files: a
//! relcache entry and a lock each, 45,000 of them on a 5,000-table schema. The file paths
//! follow from pg_class (the server's own `GetRelationPath()`, as `pg_relation_filepath()`
//! uses), and the sizes are what `stat()` says, which is
//! all those functions do in the end (`calculate_relation_size()` in dbsize.c): every fork,
//! every segment. Two shortcuts keep the same sums with fewer `stat()` calls: forks that
//! cannot exist are not looked for (an init fork on a logged relation, a visibility map on an
//! index), and after a segment shorter than the segment size no further one is looked for
//! (md.c keeps every segment but the last full; one left behind by a truncation is empty and
//! adds nothing).

use crate::catalog::scan::Storage;
use crate::errors::raise;
use lens_core::catalog::{Oid, RawIndex, RawRelation};
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;
use std::collections::HashMap;

/// Which forks a relation can have.
struct Forks {
    all: bool,
    visibility_map: bool,
    init: bool,
}

/// Bytes of the forks and segments of the relation whose main file is `path` (relative to the
/// data directory, the backend's working directory).
fn relation_bytes(path: &str, forks: &Forks, segment_bytes: u64) -> i64 {
    let mut total = 0i64;
    let wanted = [("", true), ("_fsm", forks.all), ("_vm", forks.all && forks.visibility_map), ("_init", forks.all && forks.init)];
    for (fork, _) in wanted.iter().filter(|(_, wanted)| *wanted) {
        for segment in 0.. {
            let file = if segment == 0 { format!("{path}{fork}") } else { format!("{path}{fork}.{segment}") };
            match std::fs::metadata(&file) {
                Ok(meta) => {
                    total += meta.len() as i64;
                    if meta.len() < segment_bytes {
                        break;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                Err(e) => raise(
                    PgSqlErrorCode::ERRCODE_IO_ERROR,
                    format!("could not stat file \"{file}\": {e}"),
                    "Exact sizes read the relation files; pass exact_sizes => false for estimates.",
                ),
            }
        }
    }
    total
}

/// The path of a relation's main fork, relative to the data directory, as the server names it.
fn main_fork_path(storage: &Storage) -> String {
    // SAFETY: GetRelationPath only formats a path from the numbers (no catalog access).
    let tablespace = if storage.tablespace == 0 { unsafe { pg_sys::MyDatabaseTableSpace } } else { pg_sys::Oid::from(storage.tablespace) };
    let (database, filenode) = (unsafe { pg_sys::MyDatabaseId }, pg_sys::Oid::from(storage.filenode));
    // the backend of a temporary relation: none (a snapshot reads no temporary relations);
    // PostgreSQL 17 renamed it, 18 returns the path in a fixed buffer instead of a palloc'd one
    #[cfg(any(feature = "pg14", feature = "pg15", feature = "pg16"))]
    let no_backend = pg_sys::InvalidBackendId;
    #[cfg(any(feature = "pg17", feature = "pg18"))]
    let no_backend = pg_sys::INVALID_PROC_NUMBER;
    #[cfg(not(feature = "pg18"))]
    unsafe {
        let path = pg_sys::GetRelationPath(database, tablespace, filenode, no_backend, pg_sys::ForkNumber::MAIN_FORKNUM);
        let owned = std::ffi::CStr::from_ptr(path).to_string_lossy().into_owned();
        pg_sys::pfree(path.cast());
        owned
    }
    #[cfg(feature = "pg18")]
    unsafe {
        let path = pg_sys::GetRelationPath(database, tablespace, filenode, no_backend, pg_sys::ForkNumber::MAIN_FORKNUM);
        std::ffi::CStr::from_ptr(path.str_.as_ptr()).to_string_lossy().into_owned()
    }
}

/// Bytes of a relation's files: all forks, or the main fork only.
fn storage_bytes(storage: &Storage, all_forks: bool, segment_bytes: u64) -> i64 {
    let forks = Forks { all: all_forks, visibility_map: storage.has_visibility_map, init: storage.unlogged };
    relation_bytes(&main_fork_path(storage), &forks, segment_bytes)
}

/// Fills `exact_sizes` (total, heap, index) of every relation, as pg_total_relation_size,
/// pg_relation_size and pg_indexes_size would: the table, its TOAST table and TOAST indexes,
/// and its indexes.
pub fn read_exact_sizes(
    relations: &mut [RawRelation],
    indexes: &[RawIndex],
    toast_indexes: &HashMap<Oid, Vec<Oid>>,
    storage: &HashMap<Oid, Storage>,
) {
    let segment_bytes = segment_bytes();
    let mut index_bytes: HashMap<Oid, i64> = HashMap::new();
    for index in indexes {
        if let Some(st) = storage.get(&index.oid) {
            *index_bytes.entry(index.relid).or_default() += storage_bytes(st, true, segment_bytes);
        }
    }
    for (n, rel) in relations.iter_mut().enumerate() {
        let Some(st) = storage.get(&rel.oid) else {
            rel.exact_sizes = Some((0, 0, 0)); // views, partitioned tables: no storage
            continue;
        };
        let heap_all = storage_bytes(st, true, segment_bytes);
        let heap_main = storage_bytes(st, false, segment_bytes);
        let mut toast = 0;
        if let Some(toast_storage) = storage.get(&st.toast) {
            toast += storage_bytes(toast_storage, true, segment_bytes);
            for index in toast_indexes.get(&st.toast).into_iter().flatten() {
                if let Some(s) = storage.get(index) {
                    toast += storage_bytes(s, true, segment_bytes);
                }
            }
        }
        let index = index_bytes.get(&rel.oid).copied().unwrap_or(0);
        rel.exact_sizes = Some((heap_all + toast + index, heap_main, index));
        if n % 256 == 0 {
            pg_sys::check_for_interrupts!();
        }
    }
}

/// The segment size in bytes (1 GB unless the server was built otherwise).
fn segment_bytes() -> u64 {
    (pg_sys::RELSEG_SIZE as u64) * (pg_sys::BLCKSZ as u64)
}
