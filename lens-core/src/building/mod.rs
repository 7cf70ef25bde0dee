//! From catalog rows to the model: `build` assembles a snapshot, `index_def` prints index
//! definitions as the server does, `expr_groups` groups expressions printed once.

pub mod build;
pub mod expr_groups;
pub mod index_def;
