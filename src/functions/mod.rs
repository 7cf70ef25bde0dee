//! The SQL functions: thin wrappers over the core.

pub mod drift;
pub mod snapshot;
