//! pg_lens's core: everything that does not need a PostgreSQL server.
//!
//! Catalog rows come in (`catalog`), a `Snapshot` comes out (`build`, `model`), with its
//! canonical signature (`signature`), its jsonb bytes (`tree`, `jsonb`) and identifier
//! quoting as the server does it (`ident`).

pub mod build;
pub mod capture;
pub mod catalog;
pub mod checks;
pub mod ddl;
pub mod diff;
pub mod docs;
pub mod erd;
pub mod expr_groups;
pub mod ident;
pub mod index_def;
pub mod jsonb;
pub mod jsonb_model;
pub mod jsonb_read;
pub mod model;
pub mod risk;
pub mod sections;
mod ser_util;
pub mod signature;
pub mod snapshot_io;
pub mod stored_values;
pub mod redact;

pub use build::build_snapshot;
pub use model::Snapshot;
