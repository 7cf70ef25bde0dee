//! What changed between two states: the diff and its replay (`diff`), and capture's
//! per-statement changes, overlay and rebase (`capture`).

pub mod capture;
pub mod diff;
