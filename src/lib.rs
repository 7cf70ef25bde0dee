//! pg_lens: an exact, fast, versioned picture of the database's own schema.
//!
//! This crate is the thin pgrx shell: catalog reading (`catalog`, through SPI and direct
//! scans; `spi_read`), the SQL functions (`functions`), and jsonb in and out (`jsonb_datum`).
//! The logic lives in the `lens-core` crate, which knows nothing of PostgreSQL.

mod capture;
mod catalog;
mod errors;
mod functions;
mod gucs;
mod jsonb_datum;
mod spi_read;

use pgrx::prelude::*;

::pgrx::pg_module_magic!(name, version);

#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    keep_freed_memory_a_while();
    gucs::register();
    capture::register();
    catalog::syscache::register();
}

// The history tables, event triggers and baseline, after every function they call.
pgrx::extension_sql_file!("../sql/capture.sql", name = "capture", finalize);

/// Rust-side allocations only (PostgreSQL's palloc is untouched).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// mimalloc gives freed memory back to the kernel 100 ms after it is freed, and takes fresh
/// zeroed pages when it needs memory again: a migration's statements spent a sixth of their
/// time in the page faults. A second keeps what a statement frees for the next one, and still
/// gives a big snapshot's memory back once the backend is idle.
fn keep_freed_memory_a_while() {
    const PURGE_DELAY: std::ffi::c_int = 15; // mi_option_purge_delay, in milliseconds
    unsafe { mi_option_set(PURGE_DELAY, 1000) };
}
