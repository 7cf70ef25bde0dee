//! `lens_codegen`: typed code for the rows of a schema (see `lens_core::codegen`).

use crate::catalog::reader::Scope;
use crate::errors::bad_argument;
use crate::functions::snapshot::{check_schemas, name_list, take_snapshot};
use lens_core::codegen::Target;
use pgrx::prelude::*;

/// TypeScript types (`typescript`), Zod schemas (`zod`) or Rust structs for sqlx (`rust`) of
/// the tables and views of `schemas` (NULL: every user schema), and of the enums and
/// composite types they use. The same schema gives the same text, to commit and diff.
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
fn lens_codegen(schemas: default!(Option<Vec<Option<String>>>, "NULL"), target: default!(Option<String>, "'typescript'")) -> String {
    let target_name = target.unwrap_or_else(|| "typescript".into());
    let Some(target) = Target::parse(&target_name) else {
        bad_argument(format!("unknown code generation target \"{target_name}\""), "Use 'typescript', 'zod' or 'rust'.");
    };
    let schemas = name_list(schemas, "schemas");
    if let Some(names) = &schemas {
        check_schemas(names);
    }
    // every schema: a column's enum, domain or composite may live in another
    let snapshot = take_snapshot(&Scope::schemas(None));
    lens_core::codegen::render(&snapshot, schemas.as_deref(), target)
}
