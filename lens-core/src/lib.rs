//! pg_lens's core: everything that does not need a PostgreSQL server, one folder a layer:
//! `kinds` (catalog rows in, the model, sections, identifiers), `building` (rows to a
//! snapshot), `encoding` (jsonb, signature, snapshots handed back), `changes` (diff,
//! capture), `analyses` (risk, lint), `render` (DDL, docs, ER diagrams) and `migration` (plans from
//! one snapshot to another).
//!
//! Each module is also reachable from the crate root (`lens_core::diff`), the paths the
//! extension uses.

pub mod analyses;
pub mod building;
pub mod changes;
pub mod encoding;
pub mod kinds;
pub mod migration;
pub mod render;
pub mod server_sql;

pub use analyses::{checks, risk};
pub use building::{build, expr_groups, index_def};
pub use changes::{capture, diff};
pub use encoding::{jsonb, jsonb_model, jsonb_read, parts, signature, snapshot_io, stored_values};
pub(crate) use encoding::ser_util;
pub use kinds::{catalog, ident, model, sections};
pub use render::{codegen, ddl, docs, erd, grants, html, object_ddl, redact, report, svg_erd};
pub use migration::plan as migration_plan;

pub use build::build_snapshot;
pub use model::Snapshot;
