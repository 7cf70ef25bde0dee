//! `lens_checks`: schema lint (see `lens_core::checks`).

use crate::catalog::reader::Scope;
use crate::functions::ddl::keywords;
use crate::functions::snapshot::{name_list, take_snapshot};
use crate::spi_read::query;
use pgrx::prelude::*;

/// Findings on `schemas` (NULL: every user schema), errors first: FKs without a covering
/// index, tables without a primary key, duplicate and redundant indexes, FK columns of
/// another type than the referenced ones, invalid indexes, nullable columns in a unique key
/// that an FK references, sequences near exhaustion, unlogged tables, row-level security
/// without a policy. `remediation` is SQL that makes the finding go away.
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
#[allow(clippy::type_complexity)]
fn lens_checks(
    schemas: default!(Option<Vec<Option<String>>>, "NULL"),
) -> TableIterator<
    'static,
    (name!(rule, String), name!(severity, String), name!(object_key, String), name!(message, String), name!(remediation, String)),
> {
    let schemas = name_list(schemas, "schemas");
    let snapshot = take_snapshot(&Scope::schemas(schemas));
    let live = live();
    let findings = lens_core::checks::run(&snapshot, &live, &keywords());
    TableIterator::new(
        findings.into_iter().map(|f| (f.rule.to_string(), f.severity.to_string(), f.object_key, f.message, f.remediation)),
    )
}

/// How far each sequence has gone, which the snapshot does not say.
pub fn live() -> lens_core::checks::Live {
    Spi::connect(|_| {
        let rows = query(
            "sequence_values",
            "SELECT pg_catalog.quote_ident(schemaname) || '.' || pg_catalog.quote_ident(sequencename), last_value \
             FROM pg_catalog.pg_sequences WHERE last_value IS NOT NULL",
            &[],
        );
        let mut live = lens_core::checks::Live::default();
        for r in 0..rows.len() {
            live.sequence_last_values.insert(rows.string(r, 1), rows.req::<i64>(r, 2));
        }
        live
    })
}
