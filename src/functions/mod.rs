//! The SQL functions: thin wrappers over the core.

pub mod checks;
pub mod codegen;
pub mod ddl;
pub mod docs;
pub mod drift;
pub mod explain;
pub mod history;
pub mod migration;
pub mod relations;
pub mod report;
pub mod snapshot;
