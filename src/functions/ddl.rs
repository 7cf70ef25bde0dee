//! `lens_ddl`: the CREATE statements of one table, from its snapshot and what only the
//! server prints exactly (constraint definitions).

use crate::catalog::reader::Scope;
use crate::functions::relations::relation_key;
use crate::functions::snapshot::take_snapshot;
use crate::jsonb_datum::RegClass;
use crate::spi_read::{arg, query};
use lens_core::ddl::Extras;
use lens_core::ident::Keywords;
use pgrx::prelude::*;

/// The constraint definitions, inherited constraints and indexes of `relations`, and what
/// their views read.
/// The oids of the relations of `schemas` (None: all) in a snapshot: what `ddl_extras` reads.
pub fn relation_oids(snapshot: &lens_core::Snapshot, schemas: Option<&[String]>) -> Vec<u32> {
    snapshot
        .tables
        .values()
        .filter(|t| schemas.map_or(true, |s| s.contains(&t.schema)))
        .filter_map(|t| t.oid)
        .map(|o| o as u32)
        .collect()
}

pub fn ddl_extras(relations: &[u32]) -> Extras {
    let oids: Vec<pg_sys::Oid> = relations.iter().map(|&o| pg_sys::Oid::from(o)).collect();
    Spi::connect(|_| {
        let mut extras = Extras::default();
        let rows = query("ddl_constraints", include_str!("../../sql/ddl/constraints.sql"), &[arg(oids.clone())]);
        for r in 0..rows.len() {
            let key = rows.string(r, 1);
            if rows.bool(r, 3) {
                extras.inherited_constraints.insert(key.clone());
            }
            if let Some(def) = rows.opt_string(r, 2) {
                extras.constraint_defs.insert(key, def);
            }
        }
        drop(rows);
        let rows = query("ddl_inherited_indexes", include_str!("../../sql/ddl/inherited_indexes.sql"), &[arg(oids.clone())]);
        for r in 0..rows.len() {
            extras.inherited_indexes.insert(rows.string(r, 1));
        }
        drop(rows);
        let rows = query("ddl_view_reads", include_str!("../../sql/ddl/view_reads.sql"), &[arg(oids)]);
        for r in 0..rows.len() {
            extras.view_reads.entry(rows.string(r, 1)).or_default().push(rows.string(r, 2));
        }
        extras
    })
}

/// The keywords `quote_ident()` quotes on this server.
pub fn keywords() -> Keywords {
    Spi::connect(|_| {
        let rows = query("keywords", "SELECT ARRAY(SELECT word::text FROM pg_catalog.pg_get_keywords() WHERE catcode <> 'U')", &[]);
        Keywords::new(rows.strings(0, 1))
    })
}

/// The CREATE statements of `tbl` (pg_dump -t's definition part): the table with its
/// columns, defaults, identity, generated columns, collations, partition bound or key; its
/// constraints, FKs, indexes, RLS and policies, triggers, owned sequences and comments. For a
/// view or materialized view, its CREATE statement. Types it uses (enums, domains) and
/// functions its triggers call are not included.
#[pg_extern(stable, strict)]
#[search_path(pg_catalog, pg_temp)]
fn lens_ddl(tbl: RegClass) -> String {
    let (key, schema) = relation_key(tbl.0);
    if schema == "pg_catalog" || schema == "information_schema" || schema.starts_with("pg_toast") || schema.starts_with("pg_temp") {
        crate::errors::bad_argument(
            format!("{key} is a system or temporary relation"),
            "Pass a table of a user schema; pg_dump does not dump system catalogs either.",
        );
    }
    let snapshot = take_snapshot(&Scope::tables(None, vec![key.clone()]));
    let extras = ddl_extras(&[tbl.0.to_u32()]);
    match lens_core::ddl::table_ddl(&snapshot, &key, &extras, &keywords()) {
        Some(ddl) => ddl,
        None => crate::errors::bad_argument(
            format!("{key} is not a table, view or materialized view pg_lens sees"),
            "Pass a table of a user schema (not a system, temporary or extension relation).",
        ),
    }
}

/// A whole schema's DDL in an order that runs in an empty database (whose roles exist: the
/// header names them): schemas with their owners, comments and privileges, extensions,
/// enums, domains, standalone sequences, the functions that need no table, every table and
/// view (`lens_ddl` of each, parents before partitions and views last), the functions that
/// use tables, aggregates, the FKs, and default privileges last.
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
fn lens_ddl_script(schemas: default!(Option<Vec<Option<String>>>, "NULL")) -> String {
    let schemas = crate::functions::snapshot::name_list(schemas, "schemas");
    let snapshot = take_snapshot(&Scope::schemas(schemas));
    let oids: Vec<u32> = snapshot.tables.values().filter_map(|t| t.oid).map(|o| o as u32).collect();
    let mut extras = ddl_extras(&oids);
    let schema_oids: Vec<pg_sys::Oid> = snapshot.schemas.values().filter_map(|s| s.oid).map(|o| pg_sys::Oid::from(o as u32)).collect();
    Spi::connect(|_| {
        let rows = query("ddl_function_reads", include_str!("../../sql/ddl/function_reads.sql"), &[arg(schema_oids)]);
        for r in 0..rows.len() {
            extras.function_reads.entry(rows.string(r, 1)).or_default().push(rows.string(r, 2));
        }
    });
    lens_core::ddl::schema_ddl(&snapshot, &extras, &keywords())
}
