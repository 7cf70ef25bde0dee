//! `lens_docs`: the documentation tree of a schema (see `lens_core::docs`).

use crate::catalog::reader::Scope;
use crate::functions::ddl::{ddl_extras, keywords, relation_oids};
use crate::functions::snapshot::{name_list, take_snapshot};
use crate::jsonb_datum::JsonbValue;
use crate::spi_read::{arg, execute};
use lens_core::docs::History;
use pgrx::prelude::*;

/// What lens_drift says happened to tables after drift row `since`.
fn history(since: i64, live: &lens_core::Snapshot) -> History {
    let schema = crate::capture::store::extension_schema_checked();
    let mut history = History::default();
    Spi::connect(|_| {
        let rows = execute(
            "docs_history",
            &format!("SELECT id, diff -> 'tables' FROM {schema}.lens_drift WHERE id > $1 AND diff ? 'tables' ORDER BY id"),
            &[arg(since)],
        );
        for r in 0..rows.len() {
            let id = rows.req::<i64>(r, 1);
            let tables = rows.req::<JsonbValue>(r, 2).0;
            let keys = |list: &str, field: &str| -> Vec<String> {
                tables[list].as_array().map(|a| a.iter().filter_map(|e| e[field].as_str().map(String::from)).collect()).unwrap_or_default()
            };
            for gone in keys("removed", "key").into_iter().chain(keys("renamed", "from")) {
                history.new.remove(&gone);
                history.orphaned.insert(gone, id);
            }
            for came in keys("added", "key").into_iter().chain(keys("renamed", "to")) {
                history.orphaned.remove(&came);
                history.new.insert(came, id);
            }
        }
    });
    history.new.retain(|k, _| live.tables.contains_key(k));
    history.orphaned.retain(|k, _| !live.tables.contains_key(k));
    history
}

/// The documentation tree of `schemas` (NULL: every user schema) as (path, content) rows:
/// `_index.md` (every table with kind, columns, row estimate, size and status),
/// `_table_list.txt`, and per table `<key>.sql` (its lens_ddl) and `<key>.md`. With
/// `since_drift_id` (the newest lens_drift id when the docs were last written), tables
/// created since are `new` and tables dropped since are listed as orphaned. The same schema
/// gives the same bytes.
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
fn lens_docs(
    schemas: default!(Option<Vec<Option<String>>>, "NULL"),
    since_drift_id: default!(Option<i64>, "NULL"),
) -> TableIterator<'static, (name!(path, String), name!(content, String))> {
    let schemas = name_list(schemas, "schemas");
    if let Some(names) = &schemas {
        crate::functions::snapshot::check_schemas(names);
    }
    // every schema: risk counts the FKs that point in from elsewhere
    let snapshot = take_snapshot(&Scope::schemas(None));
    let oids = relation_oids(&snapshot, schemas.as_deref());
    let extras = ddl_extras(&oids);
    let kw = keywords();
    let mut history = since_drift_id.map(|since| history(since, &snapshot)).unwrap_or_default();
    if let Some(names) = &schemas {
        // a table's schema is the key's first part, as the live snapshot names it
        let prefixes: Vec<String> = names.iter().map(|s| format!("{}.", lens_core::ident::quote_ident(s, &kw))).collect();
        let in_scope = |key: &String| prefixes.iter().any(|p| key.starts_with(p.as_str()));
        history.new.retain(|k, _| in_scope(k));
        history.orphaned.retain(|k, _| in_scope(k));
    }
    let files = lens_core::docs::render(&snapshot, schemas.as_deref(), &extras, &kw, &history);
    TableIterator::new(files)
}
