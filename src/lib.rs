//! pg_lens: an exact, fast, versioned picture of the database's own schema.
//!
//! This crate is the thin pgrx shell: catalog reading through SPI (`catalog_reader`,
//! `spi_read`), the SQL functions (`functions`), and jsonb in and out (`jsonb_datum`).
//! The logic lives in the `lens-core` crate, which knows nothing of PostgreSQL.

mod capture;
mod catalog_reader;
mod catalog_scan;
mod errors;
mod functions;
mod gucs;
mod jsonb_datum;
mod relation_sizes;
mod spi_read;

use pgrx::prelude::*;

::pgrx::pg_module_magic!(name, version);

#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    gucs::register();
    capture::register();
}

// The history tables, event triggers and baseline, after every function they call.
pgrx::extension_sql_file!("../sql/capture.sql", name = "capture", finalize);

/// Rust-side allocations only (PostgreSQL's palloc is untouched).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
