//! A snapshot printed for people and tools: DDL (`ddl`), docs (`docs`), ER diagrams (`erd`),
//! statement text with secrets taken out (`redact`).

pub mod ddl;
pub mod grants;
pub mod docs;
pub mod erd;
pub mod redact;
