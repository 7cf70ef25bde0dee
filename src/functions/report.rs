//! `lens_report`, `lens_report_pages`: the HTML report (see `lens_core::report`).

use crate::catalog::reader::Scope;
use crate::errors::bad_argument;
use crate::functions::ddl::{ddl_extras, keywords, relation_oids};
use crate::functions::snapshot::{check_schemas, name_list, take_snapshot};
use crate::jsonb_datum::JsonbValue;
use crate::spi_read::{arg, execute, null_arg};
use lens_core::report::{DriftEntry, History, Input, Layout};
use pgrx::prelude::*;

/// The newest `limit` history rows the caller may read, or why none are shown. Never
/// raises for a missing privilege: the rest of the report is for everyone who can see the
/// catalog. With `prefixes` (each reported schema's quoted name and a dot), only the rows
/// that touched an object of those schemas.
fn history(limit: i64, prefixes: Option<Vec<String>>) -> History {
    if limit == 0 {
        return History::NotAsked;
    }
    let schema = crate::capture::store::extension_schema_checked();
    let table = format!("{schema}.lens_drift");
    Spi::connect(|_| {
        let allowed = execute(
            "report_history_reader",
            "SELECT pg_catalog.has_table_privilege($1::pg_catalog.oid, $2, 'SELECT')",
            // the role the SELECT below runs as
            &[arg(unsafe { pg_sys::GetUserId() }), arg(table.clone())],
        );
        if !allowed.bool(0, 1) {
            return History::NotReadable(table.clone());
        }
        let rows = execute(
            "report_history",
            &format!(
                "SELECT id, pg_catalog.to_char(captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', role_name, \
                 session_user_name, application_name, command_tags, statement, diff, error, resync, partial \
                 FROM {table} \
                 WHERE $2::text[] IS NULL OR EXISTS (SELECT 1 FROM pg_catalog.unnest(object_keys) k, pg_catalog.unnest($2::text[]) p \
                                                     WHERE pg_catalog.starts_with(k, p)) \
                 ORDER BY id DESC LIMIT $1"
            ),
            &[arg(limit + 1), match prefixes { Some(p) => arg(p), None => null_arg::<Vec<String>>() }],
        );
        let more = rows.len() as i64 > limit;
        let entries = (0..rows.len().min(limit as usize))
            .map(|r| DriftEntry {
                id: rows.req::<i64>(r, 1),
                captured_at: rows.string(r, 2),
                role_name: rows.string(r, 3),
                session_user_name: rows.opt_string(r, 4),
                application_name: rows.opt_string(r, 5),
                command_tags: rows.strings(r, 6),
                statement: rows.opt_string(r, 7),
                diff: rows.get::<JsonbValue>(r, 8).map(|v| v.0),
                error: rows.opt_string(r, 9),
                resync: rows.bool(r, 10),
                partial: rows.bool(r, 11),
            })
            .collect();
        History::Entries { entries, more }
    })
}

fn check_limit(value: i32, name: &str, hint: &str) -> i64 {
    if value < 0 {
        bad_argument(format!("{name} must not be negative, got {value}"), hint.to_string());
    }
    value as i64
}

/// The report's pages for `schemas` (NULL: every user schema): all of them, or with
/// `index_only` the first (the whole document, or the split report's index).
fn pages(schemas: Option<Vec<Option<String>>>, history_limit: i32, layout: impl FnOnce(usize) -> Layout, index_only: bool) -> Vec<(String, String)> {
    let schemas = name_list(schemas, "schemas");
    if let Some(names) = &schemas {
        check_schemas(names);
    }
    let limit = check_limit(history_limit, "history_limit", "Give the number of newest history entries to show (0: none).");
    // every schema: risk counts the FKs that point in from elsewhere
    let snapshot = take_snapshot(&Scope::schemas(None));
    let oids = relation_oids(&snapshot, schemas.as_deref());
    let layout = layout(oids.len());
    // the split index shows no table's DDL
    let extras = if index_only && layout == Layout::Split { Default::default() } else { ddl_extras(&oids) };
    let kw = keywords();
    let findings = lens_core::checks::run(&snapshot, &crate::functions::checks::live(), &kw);
    let prefixes = schemas.as_ref().map(|list| list.iter().map(|s| format!("{}.", lens_core::ident::quote_ident(s, &kw))).collect());
    let history = history(limit, prefixes);
    let input = Input { snap: &snapshot, schemas: schemas.as_deref(), extras: &extras, kw: &kw, findings, history };
    if index_only {
        vec![("index.html".to_string(), lens_core::report::index(&input, layout))]
    } else {
        lens_core::report::render(&input, layout)
    }
}

/// The schema report as one self-contained HTML document: overview (database, server,
/// signature, counts, riskiest tables, lint findings), a filterable table list, a section
/// per table and the drift history (when the caller may read lens_drift). Above
/// `inline_limit` tables the document is the index alone, each table's section being a
/// page of `lens_report_pages`.
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
fn lens_report(
    schemas: default!(Option<Vec<Option<String>>>, "NULL"),
    inline_limit: default!(i32, 500),
    history_limit: default!(i32, 200),
) -> String {
    let inline = check_limit(inline_limit, "inline_limit", "Give the most tables one document holds; above it, use lens_report_pages().");
    let layout = |tables: usize| if tables as i64 <= inline { Layout::Single } else { Layout::Split };
    pages(schemas, history_limit, layout, true).swap_remove(0).1
}

/// The report as pages: `index.html` (overview, list, history) and `tables/<file>.html`
/// per table, each self-contained; write them into one folder (scripts/lens_report.sh).
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
fn lens_report_pages(
    schemas: default!(Option<Vec<Option<String>>>, "NULL"),
    history_limit: default!(i32, 200),
) -> TableIterator<'static, (name!(path, String), name!(content, String))> {
    TableIterator::new(pages(schemas, history_limit, |_| Layout::Split, false))
}
