//! Exact relation sizes from the files themselves.
//!
//! `pg_total_relation_size()` and friends open every table and index to find its files: a
//! relcache entry and a lock each, 45,000 of them on a 5,000-table schema. The file paths are
//! in the catalog (`pg_relation_filepath()`), and the sizes are what `stat()` says, which is
//! all those functions do in the end (`calculate_relation_size()` in dbsize.c): every fork,
//! every 1 GB segment until one is missing.

use crate::catalog_reader::catalog_sql;
use crate::errors::raise;
use crate::spi_read::{arg, query};
use lens_core::catalog::RawRelation;
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;
use std::collections::HashMap;

const FORKS: [&str; 4] = ["", "_fsm", "_vm", "_init"];

/// Bytes of every fork and segment of the relation whose main file is `path` (relative to
/// the data directory, the backend's working directory).
fn relation_bytes(path: &str, only_main_fork: bool) -> i64 {
    let mut total = 0i64;
    for fork in if only_main_fork { &FORKS[..1] } else { &FORKS[..] } {
        for segment in 0.. {
            let file = if segment == 0 { format!("{path}{fork}") } else { format!("{path}{fork}.{segment}") };
            match std::fs::metadata(&file) {
                Ok(meta) => total += meta.len() as i64,
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

/// Fills `exact_sizes` (total, heap, index) of every relation, as pg_total_relation_size,
/// pg_relation_size and pg_indexes_size would. Call inside `Spi::connect`.
pub fn read_exact_sizes(relations: &mut [RawRelation]) {
    let oids: Vec<pg_sys::Oid> = relations.iter().map(|r| pg_sys::Oid::from(r.oid)).collect();
    let rows = query("relation_files", catalog_sql!("relation_files"), &[arg(oids)]);
    let mut sizes: HashMap<u32, (i64, i64, i64)> = HashMap::new();
    for r in 0..rows.len() {
        let table = rows.oid(r, 1);
        let part = rows.string(r, 2);
        let Some(path) = rows.opt_string(r, 3) else { continue };
        let entry = sizes.entry(table).or_default();
        let bytes = relation_bytes(&path, false);
        entry.0 += bytes;
        match part.as_str() {
            "heap" => entry.1 += relation_bytes(&path, true),
            "index" => entry.2 += bytes,
            _ => {}
        }
        if r % 1024 == 0 {
            pg_sys::check_for_interrupts!();
        }
    }
    for rel in relations {
        rel.exact_sizes = Some(sizes.get(&rel.oid).copied().unwrap_or((0, 0, 0)));
    }
}
