//! `lens_explain`: who references one value, live. Runs with the caller's privileges (never
//! SECURITY DEFINER): a table the caller cannot read is named, never counted.
//!
//! The tree: the FKs that reference the column's table and cover the column, each with the
//! live number of referencing rows; below every ON DELETE CASCADE, the FKs into the child
//! table, counted over the rows the cascade would delete; below every RESTRICT / NO ACTION,
//! the FKs into the rows that must go first; and so on, a table visited again at a deeper
//! level (a hierarchy), until no row is left or `MAX_DEPTH` is reached (then no delete is
//! planned: the plan would be incomplete). Counts stop at `ROW_CAP` (reported as capped);
//! the caller's statement_timeout bounds the whole.

use crate::errors::{bad_argument, raise};
use crate::functions::relations::relation_key;
use crate::jsonb_datum::{EncodedJsonb, NameArg, RegClass};
use crate::spi_read::{arg, execute};
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;
use serde_json::{json, Value};

const MAX_DEPTH: usize = 10;
const ROW_CAP: i64 = 100_000;

/// One FK below the value, with its count and what lies below it.
struct Node {
    fk: String,
    table: String,
    columns: Vec<String>,
    on_delete: String,
    depth: usize,
    /// The condition on `table` that selects the referencing rows, reading the value as `$1`
    filter: String,
    /// The same with the value as a literal, for the SQL examples
    literal_filter: String,
    count: Option<i64>,
    capped: bool,
    error: Option<String>,
    composite: bool,
    /// Rows that a delete removes lie below, past `MAX_DEPTH`: not walked.
    truncated: bool,
    children: Vec<Node>,
}

/// A FK as `references.sql` gives it.
struct Reference {
    name: String,
    child_oid: u32,
    child_key: String,
    child_cols: Vec<String>,
    parent_cols: Vec<String>,
    parent_names: Vec<String>,
    on_delete: String,
    readable: bool,
}

fn references(table: u32) -> Vec<Reference> {
    let rows = execute("references", include_str!("../../sql/explain/references.sql"), &[arg(pg_sys::Oid::from(table))]);
    (0..rows.len())
        .map(|r| Reference {
            name: rows.string(r, 1),
            child_oid: rows.oid(r, 2),
            child_key: rows.string(r, 3),
            child_cols: rows.strings(r, 4),
            parent_cols: rows.strings(r, 5),
            parent_names: rows.strings(r, 6),
            on_delete: rows.string(r, 7),
            readable: rows.bool(r, 8),
        })
        .collect()
}

fn tuple(cols: &[String]) -> String {
    format!("({})", cols.join(", "))
}

/// Counts the rows of `rows_sql` up to the cap, in a subtransaction: a failure (a
/// permission on a table further down, say) becomes the node's error. A cancel (the
/// caller's statement_timeout) is not caught: it ends the call.
fn count(rows_sql: &str, value: &str) -> Result<(i64, bool), String> {
    let sql = format!("SELECT count(*) FROM (SELECT 1 FROM ({rows_sql}) r LIMIT {}) c", ROW_CAP + 1);
    let value = value.to_string();
    let outcome = crate::spi_read::in_subtransaction(std::panic::AssertUnwindSafe(|| {
        let rows = execute("explain_count", &sql, &[arg(value.clone())]);
        rows.req::<i64>(0, 1)
    }));
    match outcome {
        Ok(n) => Ok((n.min(ROW_CAP), n > ROW_CAP)),
        Err(e) => {
            // a cancel never gets here: in_subtransaction raises it again
            Err(crate::spi_read::error_message(&e))
        }
    }
}

/// The value in SQL: as the parameter `$1` (to count) and as a literal (for the examples).
struct ValueSql<'a> {
    param: String,
    literal: String,
    text: &'a str,
}

/// The FKs into `table` whose rows `sources` select (with the value as parameter, and as a
/// literal), and below them what a delete removes, to `MAX_DEPTH` (a table met again deeper
/// is walked again: its rows there are others).
fn walk(table: u32, sources: (&str, &str), only_column: Option<&str>, value: &ValueSql, depth: usize) -> Vec<Node> {
    let mut nodes = Vec::new();
    for r in references(table) {
        if let Some(column) = only_column {
            if !r.parent_names.iter().any(|n| n == column) {
                continue;
            }
        }
        let single = only_column.is_some() && r.parent_names.len() == 1;
        let filter_with = |value_sql: &str, source_sql: &str| {
            if single {
                format!("{} = {value_sql}", r.child_cols[0])
            } else {
                format!("{} IN (SELECT {} FROM ({source_sql}) p)", tuple(&r.child_cols), r.parent_cols.join(", "))
            }
        };
        let filter = filter_with(&value.param, sources.0);
        let literal_filter = filter_with(&value.literal, sources.1);
        let mut node = Node {
            fk: r.name.clone(),
            table: r.child_key.clone(),
            columns: r.child_cols.clone(),
            on_delete: r.on_delete.clone(),
            depth,
            filter,
            literal_filter,
            count: None,
            capped: false,
            error: None,
            composite: only_column.is_some() && r.parent_names.len() > 1,
            truncated: false,
            children: Vec::new(),
        };
        if !r.readable {
            node.error = Some(format!("permission denied for table {}: not counted", r.child_key));
        } else {
            match count(&node.rows_sql(), value.text) {
                Ok((n, capped)) => {
                    node.count = Some(n);
                    node.capped = capped;
                }
                Err(message) => node.error = Some(message),
            }
        }
        // what lies below rows that a delete removes: cascaded ones, and blocking ones that
        // must be deleted first (a SET NULL / SET DEFAULT only updates its rows)
        if node.removes_rows() && node.count.is_some_and(|n| n > 0) {
            if depth < MAX_DEPTH {
                let sources = (node.rows_sql(), node.literal_rows_sql());
                node.children = walk(r.child_oid, (&sources.0, &sources.1), None, value, depth + 1);
            } else {
                node.truncated = true;
            }
        }
        nodes.push(node);
        pg_sys::check_for_interrupts!();
    }
    nodes
}

impl Node {
    /// Whether deleting the value removes this node's rows: by the cascade, or by the plan
    /// first (the rows that would block it).
    fn removes_rows(&self) -> bool {
        self.on_delete == "CASCADE" || self.blocks()
    }

    fn blocks(&self) -> bool {
        matches!(self.on_delete.as_str(), "RESTRICT" | "NO ACTION")
    }

    /// SQL selecting the referencing rows.
    fn rows_sql(&self) -> String {
        format!("SELECT * FROM {} WHERE {}", self.table, self.filter)
    }

    fn literal_rows_sql(&self) -> String {
        format!("SELECT * FROM {} WHERE {}", self.table, self.literal_filter)
    }
}

fn node_json(node: &Node) -> Value {
    json!({
        "fk": node.fk,
        "table": node.table,
        "columns": node.columns,
        "onDelete": node.on_delete,
        "depth": node.depth,
        "count": node.count,
        "capped": node.capped,
        "composite": node.composite,
        "error": node.error,
        "truncated": node.truncated,
        "below": node.children.iter().map(node_json).collect::<Vec<_>>(),
    })
}

fn all_nodes<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
    for n in nodes {
        out.push(n);
        all_nodes(&n.children, out);
    }
}

/// The SQL a person can run: the referencing rows, and a delete in an order the FKs allow
/// (rows that would block removed first, deepest first, then the value's own rows; the
/// cascades do the rest). No delete when part of what it must remove was not walked (past
/// the depth limit, or not readable): `deleteNotPlanned` says why.
fn examples(tree: &[Node], table_key: &str, column: &str, value: &ValueSql) -> Value {
    let mut flat = Vec::new();
    all_nodes(tree, &mut flat);
    let select: Vec<String> = tree.iter().map(|n| format!("{};", n.literal_rows_sql())).collect();
    if let Some(first) = flat.iter().find(|n| n.truncated || (n.removes_rows() && n.count.is_none())) {
        let why = if first.truncated {
            format!("rows of {} reached through {} have more rows below them than {MAX_DEPTH} levels", first.table, first.fk)
        } else {
            format!("the rows of {} reached through {} could not be counted", first.table, first.fk)
        };
        return json!({"selectReferencing": select, "deleteInSafeOrder": Value::Null, "deleteNotPlanned": why});
    }
    let mut blockers: Vec<&Node> = flat.iter().copied().filter(|n| n.blocks() && n.count.is_some_and(|c| c > 0)).collect();
    // deepest first; a stable sort keeps the walk's order within a level
    blockers.sort_by(|a, b| b.depth.cmp(&a.depth));
    let mut delete: Vec<String> = vec!["BEGIN;".into()];
    for n in blockers {
        delete.push(format!("DELETE FROM {} WHERE {};", n.table, n.literal_filter));
    }
    delete.push(format!("DELETE FROM {table_key} WHERE {column} = {};", value.literal));
    delete.push("COMMIT;".into());
    json!({"selectReferencing": select, "deleteInSafeOrder": delete})
}

/// Value-level score, on the table model's scale: +10 per FK with rows referencing the
/// value (at most 30), +15 per cascade that would delete rows (at most 30), +10 when rows
/// would block the delete, +10 above 10,000 rows affected, +10 when cascades reach further
/// than one level.
fn value_risk(tree: &[Node]) -> Value {
    let mut flat = Vec::new();
    all_nodes(tree, &mut flat);
    let referencing = tree.iter().filter(|n| n.count.unwrap_or(0) > 0).count() as i64;
    let cascading = flat.iter().filter(|n| n.on_delete == "CASCADE" && n.count.unwrap_or(0) > 0).count() as i64;
    let blocking: i64 = flat.iter().filter(|n| n.blocks()).map(|n| n.count.unwrap_or(0)).sum();
    let affected: i64 = flat.iter().map(|n| n.count.unwrap_or(0)).sum();
    let deep = flat.iter().any(|n| n.depth > 1 && n.count.unwrap_or(0) > 0);
    let unknown = flat.iter().filter(|n| n.count.is_none()).count();
    let mut reasons = Vec::new();
    let mut score = 0;
    let points = (10 * referencing).min(30);
    if referencing > 0 {
        score += points;
        reasons.push(format!("{referencing} foreign key(s) have rows referencing the value (+{points})"));
    }
    let points = (15 * cascading).min(30);
    if cascading > 0 {
        score += points;
        reasons.push(format!("{cascading} cascade(s) would delete rows (+{points})"));
    }
    if blocking > 0 {
        score += 10;
        reasons.push(format!("{blocking} row(s) would block the delete (+10)"));
    }
    if affected > 10_000 {
        score += 10;
        reasons.push(format!("{affected} rows affected, above 10000 (+10)"));
    }
    if deep {
        score += 10;
        reasons.push("cascades reach further than one level (+10)".into());
    }
    if unknown > 0 {
        reasons.push(format!("{unknown} foreign key(s) could not be counted (see error): the score may be low"));
    }
    let score = score.min(100);
    json!({"score": score, "level": lens_core::risk::level(score), "reasons": reasons,
           "rowsReferencing": tree.iter().map(|n| n.count.unwrap_or(0)).sum::<i64>(), "rowsAffected": affected, "rowsBlocking": blocking})
}

/// A delete is explained only where one can run and is the user's to run: not in a system
/// schema, not on an extension's table (pg_lens's own), not on an index, sequence or
/// materialized view, not on a view that takes no DELETE.
fn refuse_what_no_one_deletes_from(oid: pg_sys::Oid, key: &str) {
    let rows = execute("explain_target", include_str!("../../sql/explain/target.sql"), &[arg(oid)]);
    let (kind, schema, in_extension, deletable) = (rows.string(0, 1), rows.string(0, 2), rows.bool(0, 3), rows.bool(0, 4));
    drop(rows);
    let system = schema == "pg_catalog" || schema == "information_schema" || schema.starts_with("pg_toast") || schema.starts_with("pg_temp");
    let why = if system {
        Some("is a system relation")
    } else if in_extension {
        Some("belongs to an extension")
    } else if !matches!(kind.as_str(), "r" | "p" | "v" | "f") {
        Some("is not a table or view")
    } else if !deletable {
        Some("takes no DELETE")
    } else {
        None
    };
    if let Some(why) = why {
        bad_argument(
            format!("{key} {why}: lens_explain explains deleting from a table of a user schema"),
            "Pass a table (or a view that takes DELETE) of a user schema.",
        );
    }
}

/// Who references `value` in column `col` of `tbl`, live: counts per FK, the cascade tree
/// below, a value-level risk and SQL to run. See the module documentation.
#[pg_extern(volatile, strict)]
#[search_path(pg_catalog, pg_temp)]
fn lens_explain(tbl: RegClass, col: NameArg, value: String) -> EncodedJsonb {
    let (table_key, _) = relation_key(tbl.0);
    let table = tbl.0.to_u32();
    let result = Spi::connect(|_| {
        refuse_what_no_one_deletes_from(tbl.0, &table_key);
        // the column's type without its typmod: a cast to varchar(3) would cut the value
        // short and count the rows of another one
        let column = execute(
            "explain_column",
            "SELECT pg_catalog.format_type(a.atttypid, -1), pg_catalog.quote_ident(a.attname) \
             FROM pg_catalog.pg_attribute a WHERE a.attrelid = $1 AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped",
            &[arg(tbl.0), arg(col.0.clone())],
        );
        if column.len() == 0 {
            raise(
                PgSqlErrorCode::ERRCODE_UNDEFINED_COLUMN,
                format!("column \"{}\" of {table_key} does not exist", col.0),
                "Pass the column as the catalog spells it (case matters, no quotes).",
            );
        }
        let (cast, quoted_column) = (column.string(0, 1), column.string(0, 2));
        drop(column);
        // the value must be one of the column's type: a clear error now, not one per count
        let checked = crate::spi_read::in_subtransaction(std::panic::AssertUnwindSafe(|| {
            // through text: quote_literal has no form for some types ("char")
            execute("explain_value", &format!("SELECT pg_catalog.quote_literal($1::{cast}::text)"), &[arg(value.clone())]).string(0, 1)
        }));
        let literal = match checked {
            Ok(literal) => literal,
            Err(e) => bad_argument(
                format!("\"{value}\" is not a value of {table_key}.{quoted_column} ({cast}): {}", crate::spi_read::error_message(&e)),
                "Pass the value as text in the column's own format, e.g. '42' or '2026-01-01'.",
            ),
        };
        let value_sql = ValueSql { param: format!("$1::{cast}"), literal: format!("{literal}::{cast}"), text: &value };
        let source = format!("SELECT * FROM {table_key} WHERE {quoted_column} = {}", value_sql.param);
        let literal_source = format!("SELECT * FROM {table_key} WHERE {quoted_column} = {}", value_sql.literal);
        let tree = walk(table, (&source, &literal_source), Some(&col.0), &value_sql, 1);
        json!({
            "table": table_key,
            "column": col.0,
            "value": value,
            "references": tree.iter().map(node_json).collect::<Vec<_>>(),
            "risk": value_risk(&tree),
            "sql": examples(&tree, &table_key, &quoted_column, &value_sql),
            "limits": {"maxDepth": MAX_DEPTH, "rowCap": ROW_CAP},
        })
    });
    EncodedJsonb::from_value(&result)
}
