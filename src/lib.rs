//! pg_lens: an exact, fast, versioned picture of the database's own schema.
//!
//! This crate is the thin pgrx shell: catalog reading through SPI (`catalog_reader`,
//! `spi_read`), the SQL functions (`functions`), and jsonb in and out (`jsonb_datum`).
//! The logic lives in the `lens-core` crate, which knows nothing of PostgreSQL.

mod catalog_reader;
mod catalog_scan;
mod errors;
mod functions;
mod jsonb_datum;
mod relation_sizes;
mod spi_read;

::pgrx::pg_module_magic!(name, version);

/// Rust-side allocations only (PostgreSQL's palloc is untouched).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
