//! A snapshot printed for people and tools: DDL (`ddl`), docs (`docs`), ER diagrams (`erd`),
//! statement text with secrets taken out (`redact`), the HTML report (`report`, written
//! with `html`, its diagrams by `svg_erd`); `object_ddl` writes the objects that
//! stand alone, one function each; `codegen` writes typed code (TypeScript, Zod, Rust).

pub mod ddl;
pub mod object_ddl;
pub mod grants;
pub mod docs;
pub mod erd;
pub mod redact;
pub mod html;
pub mod svg_erd;
pub mod report;
pub mod codegen;
