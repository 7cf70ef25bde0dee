//! `lens_risk`, `lens_risks` and `lens_erd`: the FK graph as risk scores and diagrams.

use crate::catalog::reader::Scope;
use crate::errors::bad_argument;
use crate::functions::snapshot::{name_list, take_snapshot};
use crate::jsonb_datum::{EncodedJsonb, RegClass};
use crate::spi_read::{arg, query};
use lens_core::risk::Graph;
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;

/// A relation's key (`schema.table` as quote_ident() prints each part) and its schema.
pub fn relation_key(oid: pg_sys::Oid) -> (String, String) {
    let found = Spi::connect(|_| {
        let rows = query(
            "relation_key",
            "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), n.nspname::text \
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1",
            &[arg(oid)],
        );
        (rows.len() == 1).then(|| (rows.string(0, 1), rows.string(0, 2)))
    });
    match found {
        Some(key) => key,
        None => crate::errors::raise(
            PgSqlErrorCode::ERRCODE_UNDEFINED_TABLE,
            format!("relation with oid {oid:?} does not exist"),
            "Pass a table by name, e.g. 'public.users'::regclass.",
        ),
    }
}

/// The whole FK graph: every user schema, since FKs cross schemas.
fn graph_snapshot() -> lens_core::Snapshot {
    take_snapshot(&Scope::schemas(None))
}

/// The keys of the tables a delete from `root` can reach: it, and every table that references
/// it, at any depth (what lens_risk walks).
fn delete_reach(root: pg_sys::Oid) -> Vec<String> {
    Spi::connect(|_| {
        let edges = query("fk_edges", include_str!("../../sql/catalog/fk_edges.sql"), &[]);
        let mut referencing: std::collections::HashMap<u32, Vec<u32>> = std::collections::HashMap::new();
        for r in 0..edges.len() {
            referencing.entry(edges.oid(r, 2)).or_default().push(edges.oid(r, 1));
        }
        drop(edges);
        let mut reached: std::collections::BTreeSet<u32> = [root.to_u32()].into();
        let mut next = vec![root.to_u32()];
        while let Some(table) = next.pop() {
            for &child in referencing.get(&table).map(Vec::as_slice).unwrap_or(&[]) {
                if reached.insert(child) {
                    next.push(child);
                }
            }
        }
        let oids: Vec<pg_sys::Oid> = reached.into_iter().map(pg_sys::Oid::from).collect();
        let rows = query("fk_descendants", include_str!("../../sql/catalog/fk_descendants.sql"), &[arg(oids)]);
        (0..rows.len()).map(|r| rows.string(r, 1)).collect()
    })
}

/// How dangerous it is to delete from `tbl`: score 0-100, level, reasons, factors, blast
/// radius (what cascades reach) and blockers. See `lens_core::risk`.
#[pg_extern(stable, strict)]
#[search_path(pg_catalog, pg_temp)]
fn lens_risk(tbl: RegClass) -> EncodedJsonb {
    let (key, _) = relation_key(tbl.0);
    // what a delete can reach: the table and what references it, at any depth; the FK graph
    // of just those tables holds every FK into them (cost follows the question)
    let reach = delete_reach(tbl.0);
    let snapshot = if reach.contains(&key) {
        take_snapshot(&Scope { graph_only: true, ..Scope::tables(None, reach) })
    } else {
        lens_core::Snapshot::default()
    };
    if !snapshot.tables.contains_key(&key) {
        bad_argument(
            format!("{key} is not a table pg_lens sees"),
            "Pass a table of a user schema (not a system, temporary or extension table).",
        );
    }
    let risk = Graph::new(&snapshot).risk(&key);
    EncodedJsonb::from_value(&serde_json::to_value(&risk).unwrap_or_default())
}

/// `lens_risk` for every table of `schemas` (NULL: every user schema), riskiest first.
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
#[allow(clippy::type_complexity)]
fn lens_risks(
    schemas: default!(Option<Vec<Option<String>>>, "NULL"),
) -> TableIterator<
    'static,
    (
        name!(table_key, String),
        name!(score, i32),
        name!(level, String),
        name!(reasons, pgrx::JsonB),
        name!(factors, pgrx::JsonB),
        name!(blast_radius, pgrx::JsonB),
        name!(blockers, pgrx::JsonB),
    ),
> {
    let wanted = name_list(schemas, "schemas");
    if let Some(names) = &wanted {
        // the same checks and errors as a snapshot of those schemas
        crate::functions::snapshot::check_schemas(names);
    }
    let snapshot = graph_snapshot();
    let graph = Graph::new(&snapshot);
    let rows: Vec<_> = graph
        .all()
        .into_iter()
        .filter(|r| {
            wanted.as_ref().map_or(true, |names| snapshot.tables.get(&r.table).is_some_and(|t| names.contains(&t.schema)))
        })
        .map(|r| {
            let blast = serde_json::to_value(&r.blast_radius).unwrap_or_default();
            let blockers = serde_json::to_value(&r.blockers).unwrap_or_default();
            (
                r.table,
                r.score as i32,
                r.level.to_string(),
                pgrx::JsonB(serde_json::to_value(&r.reasons).unwrap_or_default()),
                pgrx::JsonB(r.factors),
                pgrx::JsonB(blast),
                pgrx::JsonB(blockers),
            )
        })
        .collect();
    TableIterator::new(rows)
}

/// An ER diagram of `schemas`: `mermaid` (erDiagram) or `dot` (Graphviz). With `focus`, only
/// the tables within `depth` FKs of it.
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
fn lens_erd(
    schemas: default!(Option<Vec<Option<String>>>, "NULL"),
    format: default!(Option<String>, "'mermaid'"),
    focus: default!(Option<RegClass>, "NULL"),
    depth: default!(Option<i32>, "1"),
) -> String {
    let format_name = format.unwrap_or_else(|| "mermaid".into());
    let Some(format) = lens_core::erd::Format::parse(&format_name) else {
        bad_argument(format!("unknown ER diagram format \"{format_name}\""), "Use 'mermaid' or 'dot'.");
    };
    let depth = depth.unwrap_or(1);
    if depth < 0 {
        bad_argument("depth must not be negative", "Pass 0 for the focus table alone, 1 for its neighbours, and so on.");
    }
    let schemas = name_list(schemas, "schemas");
    let focus_key = focus.as_ref().map(|f| relation_key(f.0));
    // a focus: its neighbours within `depth` FK hops, in whatever schema, read alone
    let snapshot = match &focus {
        Some(f) => {
            let near: Vec<String> = Spi::connect(|_| {
                let rows = query("fk_neighbourhood", include_str!("../../sql/catalog/fk_neighbourhood.sql"), &[arg(f.0), arg(depth)]);
                (0..rows.len()).map(|r| rows.string(r, 1)).collect()
            });
            if near.is_empty() { lens_core::Snapshot::default() } else { take_snapshot(&Scope::tables(None, near)) }
        }
        None => take_snapshot(&Scope::schemas(schemas)),
    };
    if let Some((key, _)) = &focus_key {
        if !snapshot.tables.contains_key(key) {
            bad_argument(format!("{key} is not a table pg_lens sees"), "Pass a table of a user schema as focus.");
        }
    }
    lens_core::erd::render(&snapshot, format, focus_key.as_ref().map(|(k, _)| k.as_str()), depth as usize)
}
