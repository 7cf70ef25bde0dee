//! CREATE statements for one table (or view) from a snapshot: what `pg_dump -t` would print
//! of its definition, in an order that runs.
//!
//! The snapshot says almost everything; what only the server prints exactly comes in as
//! `Extras`: each constraint's `pg_get_constraintdef()`, and which constraints and indexes a
//! partition inherits from its parent (created with the parent's, so never repeated).
//! Statements, in order: owned sequences (serial), CREATE TABLE (or PARTITION OF, or VIEW),
//! ownership of those sequences, local constraints but FKs, indexes that back no constraint,
//! FKs, row-level security and policies, triggers, comments.

use crate::ident::{quote_ident, Keywords};
use crate::model::{Column, Sequence, Snapshot, Table};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// What the server prints for a table's DDL.
#[derive(Debug, Default, Clone)]
pub struct Extras {
    /// constraint key (`schema.table:name`) -> `pg_get_constraintdef()`
    pub constraint_defs: HashMap<String, String>,
    /// constraints a partition or child inherits (not to be repeated)
    pub inherited_constraints: HashSet<String>,
    /// indexes attached to an index of the partitioned parent (created with it)
    pub inherited_indexes: HashSet<String>,
}

/// A literal string as `quote_literal()` writes it.
pub fn literal(s: &str) -> String {
    if s.contains('\\') {
        format!("E'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

fn sequence_options(s: &Sequence) -> String {
    format!("AS {} {}", s.data_type, identity_options(s))
}

/// The options of a sequence but its type (an identity's follows its column's).
fn identity_options(s: &Sequence) -> String {
    format!(
        "START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {}{}",
        s.start,
        s.increment,
        s.min,
        s.max,
        s.cache,
        if s.cycle { " CYCLE" } else { " NO CYCLE" }
    )
}

fn column_line(c: &Column, identity: Option<&Sequence>, kw: &Keywords) -> String {
    let mut line = format!("    {} {}", quote_ident(&c.name, kw), c.data_type);
    if let Some(collation) = &c.collation {
        let _ = write!(line, " COLLATE {collation}");
    }
    if let Some(expr) = &c.generated {
        let _ = write!(line, " GENERATED ALWAYS AS ({expr}) STORED");
    }
    if let Some(default) = &c.default {
        let _ = write!(line, " DEFAULT {default}");
    }
    if let Some(kind) = &c.identity {
        let kind = if kind == "always" { "ALWAYS" } else { "BY DEFAULT" };
        match identity {
            Some(s) => {
                let _ = write!(line, " GENERATED {kind} AS IDENTITY (SEQUENCE NAME {} {})", s.key, identity_options(s));
            }
            None => {
                let _ = write!(line, " GENERATED {kind} AS IDENTITY");
            }
        }
    }
    if !c.is_nullable {
        line.push_str(" NOT NULL");
    }
    line
}

/// The DDL of `key` (a table, partition, view or materialized view of `snap`), its FKs
/// included.
pub fn table_ddl(snap: &Snapshot, key: &str, extras: &Extras, kw: &Keywords) -> Option<String> {
    let mut out = table_ddl_without_fks(snap, key, extras, kw)?;
    out.push_str(&fk_ddl(snap, key, extras, kw));
    Some(out)
}

/// The FKs `key` holds, as ALTER TABLE statements.
pub fn fk_ddl(snap: &Snapshot, key: &str, extras: &Extras, kw: &Keywords) -> String {
    let mut out = String::new();
    let mut fks: Vec<_> = snap.relationships.values().filter(|r| r.child_key == key).collect();
    fks.sort_by(|a, b| a.name.cmp(&b.name));
    for r in fks {
        let name = quote_ident(&r.name, kw);
        let c_key = format!("{key}:{name}");
        if extras.inherited_constraints.contains(&c_key) {
            continue;
        }
        if let Some(def) = extras.constraint_defs.get(&c_key) {
            let _ = writeln!(out, "ALTER TABLE {key} ADD CONSTRAINT {name} {def};");
        }
    }
    out
}

/// `table_ddl` but the FKs (a whole schema's script adds them after every table).
pub fn table_ddl_without_fks(snap: &Snapshot, key: &str, extras: &Extras, kw: &Keywords) -> Option<String> {
    let table = snap.tables.get(key)?;
    let mut out = String::new();
    let _ = writeln!(out, "-- {} {}", table.kind.replace('_', " "), table.key);
    match table.kind.as_str() {
        "view" | "materialized_view" => view(snap, table, &mut out),
        _ => create_table(snap, table, extras, kw, &mut out),
    }
    if let Some(comment) = &table.comment {
        let what = match table.kind.as_str() {
            "view" => "VIEW",
            "materialized_view" => "MATERIALIZED VIEW",
            "foreign_table" => "FOREIGN TABLE",
            _ => "TABLE",
        };
        let _ = writeln!(out, "COMMENT ON {what} {} IS {};", table.key, literal(comment));
    }
    for c in columns(snap, key) {
        if let Some(comment) = &c.comment {
            let _ = writeln!(out, "COMMENT ON COLUMN {}.{} IS {};", table.key, quote_ident(&c.name, kw), literal(comment));
        }
    }
    Some(out)
}

fn columns<'a>(snap: &'a Snapshot, key: &str) -> Vec<&'a Column> {
    let mut cols: Vec<&Column> = snap.columns.values().filter(|c| c.table_key == key).collect();
    cols.sort_by_key(|c| c.position);
    cols
}

fn view(snap: &Snapshot, table: &Table, out: &mut String) {
    let Some(v) = snap.views.get(&table.key) else { return };
    let body = v.definition.trim_end().trim_end_matches(';');
    if table.kind == "view" {
        let _ = writeln!(out, "CREATE VIEW {} AS\n{};", table.key, body);
    } else {
        let _ = writeln!(out, "CREATE MATERIALIZED VIEW {} AS\n{}\n  WITH NO DATA;", table.key, body);
    }
}

fn create_table(snap: &Snapshot, table: &Table, extras: &Extras, kw: &Keywords, out: &mut String) {
    let key = table.key.as_str();
    let cols = columns(snap, key);
    let owned: Vec<&Sequence> = snap
        .sequences
        .values()
        .filter(|s| s.owned_by.as_deref().is_some_and(|o| cols.iter().any(|c| c.key == o)))
        .collect();
    // serial-style sequences exist before the defaults that call them
    for s in owned.iter().filter(|s| !s.identity) {
        let _ = writeln!(out, "CREATE SEQUENCE {} {};", s.key, sequence_options(s));
    }
    let unlogged = if table.persistence == "unlogged" { "UNLOGGED " } else { "" };
    match (&table.partition_of, &table.partition_bound) {
        (Some(parent), Some(bound)) => {
            let _ = write!(out, "CREATE {unlogged}TABLE {key} PARTITION OF {parent}\n    {bound}");
        }
        _ => {
            let lines: Vec<String> = cols
                .iter()
                .map(|c| {
                    let identity = owned.iter().copied().find(|s| s.identity && s.owned_by.as_deref() == Some(c.key.as_str()));
                    column_line(c, identity, kw)
                })
                .collect();
            let _ = write!(out, "CREATE {unlogged}TABLE {key} (\n{}\n)", lines.join(",\n"));
        }
    }
    if let Some(partition_key) = &table.partition_key {
        let _ = write!(out, " PARTITION BY {partition_key}");
    }
    out.push_str(";\n");
    for s in owned.iter().filter(|s| !s.identity) {
        if let Some(owner) = &s.owned_by {
            let _ = writeln!(out, "ALTER SEQUENCE {} OWNED BY {owner};", s.key);
        }
    }
    // constraints but FKs: primary key, unique, check, exclusion
    let mut backing: HashSet<String> = HashSet::new();
    let mut constraint = |c_key: &str, index_key: Option<&str>, out: &mut String| {
        if let Some(index) = index_key {
            backing.insert(index.to_string());
        }
        if extras.inherited_constraints.contains(c_key) {
            return;
        }
        let Some(def) = extras.constraint_defs.get(c_key) else { return };
        let name = &c_key[c_key.rfind(':').map(|i| i + 1).unwrap_or(0)..];
        let _ = writeln!(out, "ALTER TABLE {key} ADD CONSTRAINT {name} {def};");
    };
    let quoted_name = |name: &str| quote_ident(name, kw);
    let mut local: Vec<(String, Option<String>)> = Vec::new();
    for k in snap.constraints.pks.values().chain(snap.constraints.uniques.values()).filter(|k| k.table_key == key) {
        local.push((format!("{key}:{}", quoted_name(&k.name)), Some(k.index_key.clone())));
    }
    for c in snap.constraints.checks.values().filter(|c| c.table_key == key) {
        local.push((format!("{key}:{}", quoted_name(&c.name)), None));
    }
    for x in snap.constraints.exclusions.values().filter(|x| x.table_key == key) {
        local.push((format!("{key}:{}", quoted_name(&x.name)), Some(x.index_key.clone())));
    }
    // primary key first, as pg_dump does not care but readers do
    local.sort_by_key(|(k, _)| !snap.constraints.pks.contains_key(k));
    for (c_key, index) in &local {
        constraint(c_key, index.as_deref(), out);
    }
    let mut indexes: Vec<_> = snap.indexes.values().filter(|i| i.table_key == key).collect();
    indexes.sort_by(|a, b| a.key.cmp(&b.key));
    for i in indexes {
        if backing.contains(&i.key) || extras.inherited_indexes.contains(&i.key) {
            continue;
        }
        let _ = writeln!(out, "{};", i.definition);
        if let Some(comment) = &i.comment {
            let _ = writeln!(out, "COMMENT ON INDEX {}.{} IS {};", quote_ident(&table.schema, kw), quote_ident(&i.name, kw), literal(comment));
        }
    }
    if table.rls_enabled {
        let _ = writeln!(out, "ALTER TABLE {key} ENABLE ROW LEVEL SECURITY;");
    }
    if table.rls_forced {
        let _ = writeln!(out, "ALTER TABLE {key} FORCE ROW LEVEL SECURITY;");
    }
    let mut policies: Vec<_> = snap.policies.values().filter(|p| p.table_key == key).collect();
    policies.sort_by(|a, b| a.name.cmp(&b.name));
    for p in policies {
        let kind = if p.permissive { "PERMISSIVE" } else { "RESTRICTIVE" };
        let roles: Vec<String> = p.roles.iter().map(|r| if r == "public" { "PUBLIC".to_string() } else { quote_ident(r, kw) }).collect();
        let mut line = format!("CREATE POLICY {} ON {key} AS {kind} FOR {} TO {}", quoted_name(&p.name), p.command, roles.join(", "));
        if let Some(using) = &p.using {
            let _ = write!(line, " USING ({using})");
        }
        if let Some(check) = &p.with_check {
            let _ = write!(line, " WITH CHECK ({check})");
        }
        let _ = writeln!(out, "{line};");
    }
    let mut triggers: Vec<_> = snap.triggers.values().filter(|t| t.table_key == key).collect();
    triggers.sort_by(|a, b| a.name.cmp(&b.name));
    for t in triggers {
        let _ = writeln!(out, "{};", t.definition);
        let state = match t.enabled.as_str() {
            "disabled" => Some("DISABLE TRIGGER"),
            "replica" => Some("ENABLE REPLICA TRIGGER"),
            "always" => Some("ENABLE ALWAYS TRIGGER"),
            _ => None,
        };
        if let Some(state) = state {
            let _ = writeln!(out, "ALTER TABLE {key} {state} {};", quoted_name(&t.name));
        }
    }
    for (c_key, _) in &local {
        let found = snap.constraints.pks.get(c_key).and_then(|k| k.comment.clone())
            .or_else(|| snap.constraints.uniques.get(c_key).and_then(|k| k.comment.clone()))
            .or_else(|| snap.constraints.checks.get(c_key).and_then(|k| k.comment.clone()))
            .or_else(|| snap.constraints.exclusions.get(c_key).and_then(|k| k.comment.clone()));
        if let Some(comment) = found {
            let name = &c_key[c_key.rfind(':').map(|i| i + 1).unwrap_or(0)..];
            let _ = writeln!(out, "COMMENT ON CONSTRAINT {name} ON {key} IS {};", literal(&comment));
        }
    }
}

/// CREATE statements for the types and standalone sequences of a snapshot (what tables
/// depend on), enums and domains first.
pub fn types_ddl(snap: &Snapshot, kw: &Keywords) -> String {
    let mut out = String::new();
    for e in snap.enums.values() {
        let labels: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
        let _ = writeln!(out, "CREATE TYPE {} AS ENUM ({});", e.key, labels.join(", "));
        if let Some(comment) = &e.comment {
            let _ = writeln!(out, "COMMENT ON TYPE {} IS {};", e.key, literal(comment));
        }
    }
    for d in snap.domains.values() {
        let mut line = format!("CREATE DOMAIN {} AS {}", d.key, d.data_type);
        if let Some(collation) = &d.collation {
            let _ = write!(line, " COLLATE {collation}");
        }
        if let Some(default) = &d.default {
            let _ = write!(line, " DEFAULT {default}");
        }
        if d.not_null {
            line.push_str(" NOT NULL");
        }
        for (name, def) in &d.checks {
            let _ = write!(line, " CONSTRAINT {} {def}", quote_ident(name, kw));
        }
        let _ = writeln!(out, "{line};");
        if let Some(comment) = &d.comment {
            let _ = writeln!(out, "COMMENT ON DOMAIN {} IS {};", d.key, literal(comment));
        }
    }
    for s in snap.sequences.values().filter(|s| s.owned_by.is_none()) {
        let _ = writeln!(out, "CREATE SEQUENCE {} {};", s.key, sequence_options(s));
        if let Some(comment) = &s.comment {
            let _ = writeln!(out, "COMMENT ON SEQUENCE {} IS {};", s.key, literal(comment));
        }
    }
    out
}

/// A whole snapshot's DDL: schemas, types and standalone sequences, every table and view in
/// `creation_order` without FKs, then the FKs.
pub fn schema_ddl(snap: &Snapshot, extras: &Extras, kw: &Keywords) -> String {
    let mut out = String::new();
    for schema in &snap.meta.schemas {
        let _ = writeln!(out, "CREATE SCHEMA IF NOT EXISTS {};", quote_ident(schema, kw));
    }
    out.push_str(&types_ddl(snap, kw));
    let order = creation_order(snap);
    for key in &order {
        if let Some(ddl) = table_ddl_without_fks(snap, key, extras, kw) {
            out.push_str(&ddl);
        }
    }
    for key in &order {
        out.push_str(&fk_ddl(snap, key, extras, kw));
    }
    out
}

/// The tables of a snapshot in an order their DDL runs in: partitioned parents before their
/// partitions, FK parents before their children where the FKs allow (a cycle keeps key
/// order), views after tables (a view on a view: after it, by name when unknown).
pub fn creation_order(snap: &Snapshot) -> Vec<String> {
    let mut deps: HashMap<&str, Vec<&str>> = HashMap::new();
    for t in snap.tables.values() {
        if let Some(parent) = &t.partition_of {
            deps.entry(t.key.as_str()).or_default().push(parent.as_str());
        }
    }
    for r in snap.relationships.values() {
        if r.child_key != r.parent_key {
            deps.entry(r.child_key.as_str()).or_default().push(r.parent_key.as_str());
        }
    }
    let is_view = |k: &str| snap.tables.get(k).is_some_and(|t| matches!(t.kind.as_str(), "view" | "materialized_view"));
    let mut done: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    let mut visiting: HashSet<&str> = HashSet::new();
    fn visit<'a>(k: &'a str, deps: &HashMap<&'a str, Vec<&'a str>>, done: &mut HashSet<&'a str>, visiting: &mut HashSet<&'a str>, out: &mut Vec<String>) {
        if done.contains(k) || !visiting.insert(k) {
            return;
        }
        for d in deps.get(k).map(Vec::as_slice).unwrap_or(&[]) {
            visit(d, deps, done, visiting, out);
        }
        visiting.remove(k);
        done.insert(k);
        out.push(k.to_string());
    }
    for k in snap.tables.keys().filter(|k| !is_view(k)) {
        visit(k, &deps, &mut done, &mut visiting, &mut out);
    }
    for k in snap.tables.keys().filter(|k| is_view(k)) {
        visit(k, &deps, &mut done, &mut visiting, &mut out);
    }
    out.retain(|k| snap.tables.contains_key(k));
    out
}
