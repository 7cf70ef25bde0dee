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
use crate::model::{CheckConstraint, Column, ExclusionConstraint, Function, Index, KeyConstraint, Policy, Relationship, Rule, Sequence, Snapshot, Statistics, Table, Trigger};
pub use crate::object_ddl::*;
use crate::object_ddl::foreign_options;
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
    /// view or materialized view key -> keys of the relations its query reads (its rewrite
    /// rule's dependencies): it is created after them
    pub view_reads: HashMap<String, Vec<String>>,
    /// function key -> keys of the relations it needs to exist (a row type among its
    /// arguments or result, a table a `BEGIN ATOMIC` body reads): created after them
    pub function_reads: HashMap<String, Vec<String>>,
}

/// A snapshot's entries grouped by the table they belong to, built once: a whole schema's
/// DDL or docs then cost one pass, not one pass per table.
pub struct ByTable<'a> {
    pub snap: &'a Snapshot,
    pub columns: HashMap<&'a str, Vec<&'a Column>>,
    pub pks: HashMap<&'a str, Vec<&'a KeyConstraint>>,
    pub uniques: HashMap<&'a str, Vec<&'a KeyConstraint>>,
    pub checks: HashMap<&'a str, Vec<&'a CheckConstraint>>,
    pub exclusions: HashMap<&'a str, Vec<&'a ExclusionConstraint>>,
    pub indexes: HashMap<&'a str, Vec<&'a Index>>,
    pub fks_out: HashMap<&'a str, Vec<&'a Relationship>>,
    pub fks_in: HashMap<&'a str, Vec<&'a Relationship>>,
    pub policies: HashMap<&'a str, Vec<&'a Policy>>,
    pub triggers: HashMap<&'a str, Vec<&'a Trigger>>,
    pub owned_sequences: HashMap<&'a str, Vec<&'a Sequence>>,
    pub statistics: HashMap<&'a str, Vec<&'a Statistics>>,
    pub rules: HashMap<&'a str, Vec<&'a Rule>>,
}

fn group<'a, T>(items: impl Iterator<Item = &'a T>, key: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, Vec<&'a T>> {
    let mut out: HashMap<&str, Vec<&T>> = HashMap::new();
    for item in items {
        out.entry(key(item)).or_default().push(item);
    }
    out
}

impl<'a> ByTable<'a> {
    pub fn new(snap: &'a Snapshot) -> Self {
        let mut columns = group(snap.columns.values(), |c| c.table_key.as_str());
        for list in columns.values_mut() {
            list.sort_by_key(|c| c.position);
        }
        let table_of_column: HashMap<&str, &str> = snap.columns.values().map(|c| (c.key.as_str(), c.table_key.as_str())).collect();
        let mut owned_sequences: HashMap<&str, Vec<&Sequence>> = HashMap::new();
        for s in snap.sequences.values() {
            if let Some(table) = s.owned_by.as_deref().and_then(|o| table_of_column.get(o)) {
                owned_sequences.entry(table).or_default().push(s);
            }
        }
        let sorted = |mut m: HashMap<&'a str, Vec<&'a Relationship>>| {
            for list in m.values_mut() {
                list.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.key.cmp(&b.key)));
            }
            m
        };
        ByTable {
            snap,
            columns,
            pks: group(snap.constraints.pks.values(), |k| k.table_key.as_str()),
            uniques: group(snap.constraints.uniques.values(), |k| k.table_key.as_str()),
            checks: group(snap.constraints.checks.values(), |k| k.table_key.as_str()),
            exclusions: group(snap.constraints.exclusions.values(), |k| k.table_key.as_str()),
            indexes: group(snap.indexes.values(), |i| i.table_key.as_str()),
            fks_out: sorted(group(snap.relationships.values(), |r| r.child_key.as_str())),
            fks_in: sorted(group(snap.relationships.values(), |r| r.parent_key.as_str())),
            policies: group(snap.policies.values(), |p| p.table_key.as_str()),
            triggers: group(snap.triggers.values(), |t| t.table_key.as_str()),
            owned_sequences,
            statistics: group(snap.statistics.values(), |s| s.table_key.as_str()),
            rules: group(snap.rules.values(), |r| r.table_key.as_str()),
        }
    }
}

/// The entries of one table in a grouping (none when it has none).
pub(crate) fn of<'m, 'a, T>(map: &'m HashMap<&'a str, Vec<&'a T>>, key: &str) -> &'m [&'a T] {
    map.get(key).map(Vec::as_slice).unwrap_or(&[])
}

/// A literal string as `quote_literal()` writes it.
pub fn literal(s: &str) -> String {
    if s.contains('\\') {
        format!("E'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

pub(crate) fn sequence_options(s: &Sequence) -> String {
    format!("AS {} {}", s.data_type, identity_options(s))
}

/// The options of a sequence but its type (an identity's follows its column's).
pub(crate) fn identity_options(s: &Sequence) -> String {
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

pub(crate) fn column_line(c: &Column, identity: Option<&Sequence>, kw: &Keywords) -> String {
    let mut line = format!("    {} {}", quote_ident(&c.name, kw), c.data_type);
    if let Some(collation) = &c.collation {
        let _ = write!(line, " COLLATE {collation}");
    }
    if let Some(expr) = &c.generated {
        let kind = if c.generated_virtual { "VIRTUAL" } else { "STORED" };
        let _ = write!(line, " GENERATED ALWAYS AS ({expr}) {kind}");
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
    // a NOT VALID one is added after the table (it cannot be written in the column)
    if !c.is_nullable && !c.not_null_not_valid {
        if let Some(name) = &c.not_null_name {
            let _ = write!(line, " CONSTRAINT {}", quote_ident(name, kw));
        }
        line.push_str(" NOT NULL");
        if c.not_null_no_inherit {
            line.push_str(" NO INHERIT");
        }
    }
    line
}

/// `ALTER TABLE ... ADD CONSTRAINT ... NOT NULL col NOT VALID` for the columns whose NOT NULL
/// is not validated yet (PostgreSQL 18).
pub(crate) fn not_valid_not_nulls(table: &Table, cols: &[&Column], kw: &Keywords, out: &mut String) {
    for c in cols.iter().filter(|c| c.not_null_not_valid) {
        let name = c.not_null_name.clone().unwrap_or_else(|| crate::ident::server_chosen_name(&table.name, &c.name, "not_null"));
        let inherit = if c.not_null_no_inherit { " NO INHERIT" } else { "" };
        let _ = writeln!(out, "ALTER TABLE {} ADD CONSTRAINT {} NOT NULL {}{inherit} NOT VALID;", table.key, quote_ident(&name, kw), quote_ident(&c.name, kw));
    }
}

/// The DDL of `key` (a table, partition, view or materialized view of `snap`), its FKs
/// included.
pub fn table_ddl(snap: &Snapshot, key: &str, extras: &Extras, kw: &Keywords) -> Option<String> {
    table_ddl_with(&ByTable::new(snap), key, extras, kw)
}

/// `table_ddl` with the snapshot already grouped (for many tables).
pub fn table_ddl_with(by: &ByTable, key: &str, extras: &Extras, kw: &Keywords) -> Option<String> {
    let mut out = table_ddl_without_fks(by, key, extras, kw)?;
    out.push_str(&fk_ddl(by, key, extras, kw));
    out.push_str(&rules_ddl(by, key, kw));
    Some(out)
}

/// The rules of a relation (a rule may read other tables: a script adds them after all).
pub fn rules_ddl(by: &ByTable, key: &str, kw: &Keywords) -> String {
    let mut out = String::new();
    let mut rules: Vec<&&Rule> = of(&by.rules, key).iter().collect();
    rules.sort_by(|a, b| a.name.cmp(&b.name));
    for r in rules {
        out.push_str(&statement(&r.definition));
        let name = quote_ident(&r.name, kw);
        if let Some(state) = enabled_state(&r.enabled) {
            let _ = writeln!(out, "ALTER TABLE {key} {state} RULE {name};");
        }
        if let Some(comment) = &r.comment {
            let _ = writeln!(out, "COMMENT ON RULE {name} ON {key} IS {};", literal(comment));
        }
    }
    out
}

/// Extended statistics of a relation, with their target, comment and owner.
pub(crate) fn statistics_ddl(by: &ByTable, key: &str, kw: &Keywords, out: &mut String) {
    let mut list: Vec<&&Statistics> = of(&by.statistics, key).iter().collect();
    list.sort_by(|a, b| a.key.cmp(&b.key));
    for st in list {
        out.push_str(&statement(&st.definition));
        if let Some(target) = st.statistics_target {
            let _ = writeln!(out, "ALTER STATISTICS {} SET STATISTICS {target};", st.key);
        }
        if let Some(comment) = &st.comment {
            let _ = writeln!(out, "COMMENT ON STATISTICS {} IS {};", st.key, literal(comment));
        }
        crate::grants::owner("STATISTICS", &st.key, st.owner.as_ref(), kw, out);
    }
}

/// The FKs `key` holds, as ALTER TABLE statements.
pub fn fk_ddl(by: &ByTable, key: &str, extras: &Extras, kw: &Keywords) -> String {
    let mut out = String::new();
    for r in of(&by.fks_out, key) {
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
pub fn table_ddl_without_fks(by: &ByTable, key: &str, extras: &Extras, kw: &Keywords) -> Option<String> {
    let table = by.snap.tables.get(key)?;
    let mut out = String::new();
    let _ = writeln!(out, "-- {} {}", table.kind.replace('_', " "), crate::ident::comment_text(&table.key));
    match table.kind.as_str() {
        "view" | "materialized_view" => {
            view(by.snap, table, &mut out);
            indexes_ddl(by, table, &HashSet::new(), extras, kw, &mut out);
            triggers_ddl(by, table, kw, &mut out);
        }
        _ => create_table(by, table, extras, kw, &mut out),
    }
    relation_settings(by, table, kw, &mut out);
    statistics_ddl(by, key, kw, &mut out);
    if let Some(comment) = &table.comment {
        let what = match table.kind.as_str() {
            "view" => "VIEW",
            "materialized_view" => "MATERIALIZED VIEW",
            "foreign_table" => "FOREIGN TABLE",
            _ => "TABLE",
        };
        let _ = writeln!(out, "COMMENT ON {what} {} IS {};", table.key, literal(comment));
    }
    for c in of(&by.columns, key) {
        if let Some(comment) = &c.comment {
            let _ = writeln!(out, "COMMENT ON COLUMN {}.{} IS {};", table.key, quote_ident(&c.name, kw), literal(comment));
        }
    }
    let what = relation_keyword(&table.kind);
    crate::grants::owner(what, &table.key, table.owner.as_ref(), kw, &mut out);
    for s in of(&by.owned_sequences, key) {
        // (the table's new owner took its sequences along; a sequence may still differ)
        if s.owner != table.owner {
            crate::grants::owner("SEQUENCE", &s.key, s.owner.as_ref(), kw, &mut out);
        }
        crate::grants::object_privileges(&format!("SEQUENCE {}", s.key), s.privileges.as_ref(), s.owner.as_ref(), kw, &mut out);
    }
    crate::grants::object_privileges(&format!("TABLE {}", table.key), table.privileges.as_ref(), table.owner.as_ref(), kw, &mut out);
    for c in of(&by.columns, key) {
        crate::grants::column_privileges(&table.key, &quote_ident(&c.name, kw), c.privileges.as_ref(), kw, &mut out);
    }
    Some(out)
}

/// The keyword ALTER takes for a relation of `kind`.
pub(crate) fn relation_keyword(kind: &str) -> &'static str {
    match kind {
        "view" => "VIEW",
        "materialized_view" => "MATERIALIZED VIEW",
        "foreign_table" => "FOREIGN TABLE",
        _ => "TABLE",
    }
}

/// Storage options, tablespace, access method and replica identity of a relation, and the
/// per-column settings (storage, compression, statistics target, options).
fn relation_settings(by: &ByTable, table: &Table, kw: &Keywords, out: &mut String) {
    let what = relation_keyword(&table.kind);
    let key = &table.key;
    if !table.options.is_empty() {
        let _ = writeln!(out, "ALTER {what} {key} SET ({});", options_list(&table.options));
    }
    if let Some(method) = &table.access_method {
        let _ = writeln!(out, "ALTER {what} {key} SET ACCESS METHOD {};", quote_ident(method, kw));
    }
    if let Some(space) = &table.tablespace {
        let _ = writeln!(out, "ALTER {what} {key} SET TABLESPACE {};", quote_ident(space, kw));
    }
    match table.replica_identity.as_deref() {
        Some("nothing") => {
            let _ = writeln!(out, "ALTER TABLE {key} REPLICA IDENTITY NOTHING;");
        }
        Some("full") => {
            let _ = writeln!(out, "ALTER TABLE {key} REPLICA IDENTITY FULL;");
        }
        Some("index") => {
            if let Some(index) = of(&by.indexes, key).iter().find(|i| i.is_replica_identity) {
                let _ = writeln!(out, "ALTER TABLE {key} REPLICA IDENTITY USING INDEX {};", quote_ident(&index.name, kw));
            }
        }
        _ => {}
    }
    for c in of(&by.columns, key) {
        let column = format!("ALTER {what} {key} ALTER COLUMN {}", quote_ident(&c.name, kw));
        if let Some(storage) = &c.storage {
            let _ = writeln!(out, "{column} SET STORAGE {};", storage.to_uppercase());
        }
        if let Some(compression) = &c.compression {
            let _ = writeln!(out, "{column} SET COMPRESSION {compression};");
        }
        if let Some(target) = c.statistics_target {
            let _ = writeln!(out, "{column} SET STATISTICS {target};");
        }
        if !c.options.is_empty() {
            let _ = writeln!(out, "{column} SET ({});", options_list(&c.options));
        }
        if !c.foreign_options.is_empty() {
            let _ = writeln!(out, "{column} OPTIONS ({});", foreign_options(&c.foreign_options, kw));
        }
    }
}

/// `name=value` options as `SET (...)` takes them, each value a literal (never raw text).
pub(crate) fn options_list(options: &[String]) -> String {
    let items: Vec<String> = options
        .iter()
        .map(|o| match o.split_once('=') {
            Some((name, value)) => format!("{} = {}", option_name(name), literal(value)),
            None => option_name(o),
        })
        .collect();
    items.join(", ")
}

/// An option's name, possibly `namespace.name` (`toast.fillfactor`): each part quoted.
pub(crate) fn option_name(name: &str) -> String {
    name.split('.').map(crate::ident::always_quoted).collect::<Vec<_>>().join(".")
}

pub(crate) fn view(snap: &Snapshot, table: &Table, out: &mut String) {
    let Some(v) = snap.views.get(&table.key) else { return };
    let body = v.definition.trim_end().trim_end_matches(';');
    if table.kind == "view" {
        let _ = writeln!(out, "CREATE VIEW {} AS\n{};", table.key, body);
    } else {
        let _ = writeln!(out, "CREATE MATERIALIZED VIEW {} AS\n{}\n  WITH NO DATA;", table.key, body);
    }
}

fn create_table(by: &ByTable, table: &Table, extras: &Extras, kw: &Keywords, out: &mut String) {
    let key = table.key.as_str();
    let cols = of(&by.columns, key);
    let owned = of(&by.owned_sequences, key);
    // serial-style sequences exist before the defaults that call them
    for s in owned.iter().filter(|s| !s.identity) {
        let _ = writeln!(out, "CREATE SEQUENCE {} {};", s.key, sequence_options(s));
    }
    let unlogged = if table.persistence == "unlogged" { "UNLOGGED " } else { "" };
    let table_word = if table.kind == "foreign_table" { "FOREIGN TABLE" } else { "TABLE" };
    match (&table.partition_of, &table.partition_bound) {
        (Some(parent), Some(bound)) => {
            let _ = write!(out, "CREATE {unlogged}{table_word} {key} PARTITION OF {parent}\n    {bound}");
        }
        _ => {
            let lines: Vec<String> = cols
                .iter()
                .map(|c| {
                    let identity = owned.iter().copied().find(|s| s.identity && s.owned_by.as_deref() == Some(c.key.as_str()));
                    column_line(c, identity, kw)
                })
                .collect();
            let _ = write!(out, "CREATE {unlogged}{table_word} {key} (\n{}\n)", lines.join(",\n"));
            // columns named in both merge with the inherited ones, as pg_dump's do
            if let Some(parents) = table.inherits.as_ref().filter(|p| !p.is_empty()) {
                let _ = write!(out, " INHERITS ({})", parents.join(", "));
            }
        }
    }
    if let Some(partition_key) = &table.partition_key {
        let _ = write!(out, " PARTITION BY {partition_key}");
    }
    if let Some(server) = &table.server {
        let _ = write!(out, "\n    SERVER {}", quote_ident(server, kw));
        if !table.foreign_options.is_empty() {
            let _ = write!(out, " OPTIONS ({})", foreign_options(&table.foreign_options, kw));
        }
    }
    out.push_str(";\n");
    not_valid_not_nulls(table, cols, kw, out);
    for s in owned.iter().filter(|s| !s.identity) {
        if let Some(owner) = &s.owned_by {
            let _ = writeln!(out, "ALTER SEQUENCE {} OWNED BY {owner};", s.key);
        }
    }
    // constraints but FKs, primary key first: (key, name, index it makes, comment)
    let name_key = |name: &str| format!("{key}:{}", quote_ident(name, kw));
    let mut local: Vec<(String, Option<&str>, Option<&String>)> = Vec::new();
    for k in of(&by.pks, key).iter().chain(of(&by.uniques, key)) {
        local.push((name_key(&k.name), Some(k.index_key.as_str()), k.comment.as_ref()));
    }
    for c in of(&by.checks, key) {
        local.push((name_key(&c.name), None, c.comment.as_ref()));
    }
    for x in of(&by.exclusions, key) {
        local.push((name_key(&x.name), Some(x.index_key.as_str()), x.comment.as_ref()));
    }
    let backing: HashSet<&str> = local.iter().filter_map(|(_, index, _)| *index).collect();
    for (c_key, _, _) in &local {
        if extras.inherited_constraints.contains(c_key) {
            continue;
        }
        let Some(def) = extras.constraint_defs.get(c_key) else { continue };
        let name = &c_key[c_key.rfind(':').map(|i| i + 1).unwrap_or(0)..];
        let _ = writeln!(out, "ALTER TABLE {key} ADD CONSTRAINT {name} {def};");
    }
    indexes_ddl(by, table, &backing, extras, kw, out);
    if table.rls_enabled {
        let _ = writeln!(out, "ALTER TABLE {key} ENABLE ROW LEVEL SECURITY;");
    }
    if table.rls_forced {
        let _ = writeln!(out, "ALTER TABLE {key} FORCE ROW LEVEL SECURITY;");
    }
    let mut policies: Vec<&&Policy> = of(&by.policies, key).iter().collect();
    policies.sort_by(|a, b| a.name.cmp(&b.name));
    for p in policies {
        out.push_str(&policy_ddl(p, key, kw));
    }
    triggers_ddl(by, table, kw, out);
    for (c_key, _, comment) in &local {
        if let Some(comment) = comment {
            let name = &c_key[c_key.rfind(':').map(|i| i + 1).unwrap_or(0)..];
            let _ = writeln!(out, "COMMENT ON CONSTRAINT {name} ON {key} IS {};", literal(comment));
        }
    }
}

/// `CREATE POLICY` on the table `key`.
pub(crate) fn policy_ddl(p: &Policy, key: &str, kw: &Keywords) -> String {
    let kind = if p.permissive { "PERMISSIVE" } else { "RESTRICTIVE" };
    let roles: Vec<String> = p.roles.iter().map(|r| if r == "public" { "PUBLIC".to_string() } else { quote_ident(r, kw) }).collect();
    let mut line = format!("CREATE POLICY {} ON {key} AS {kind} FOR {} TO {}", quote_ident(&p.name, kw), p.command, roles.join(", "));
    if let Some(using) = &p.using {
        let _ = write!(line, " USING ({using})");
    }
    if let Some(check) = &p.with_check {
        let _ = write!(line, " WITH CHECK ({check})");
    }
    line.push_str(";\n");
    line
}

/// The indexes of a table or materialized view that back no constraint (`backing`) and come
/// with no parent's, in key order, with their comments.
fn indexes_ddl(by: &ByTable, table: &Table, backing: &HashSet<&str>, extras: &Extras, kw: &Keywords, out: &mut String) {
    let mut indexes: Vec<&&Index> = of(&by.indexes, &table.key).iter().collect();
    indexes.sort_by(|a, b| a.key.cmp(&b.key));
    for i in indexes {
        if backing.contains(i.key.as_str()) || extras.inherited_indexes.contains(&i.key) {
            continue;
        }
        let _ = writeln!(out, "{};", i.definition);
        if let Some(comment) = &i.comment {
            let _ = writeln!(out, "COMMENT ON INDEX {}.{} IS {};", quote_ident(&table.schema, kw), quote_ident(&i.name, kw), literal(comment));
        }
    }
}

/// The triggers of a table or view (INSTEAD OF), in name order, with their enabled state.
fn triggers_ddl(by: &ByTable, table: &Table, kw: &Keywords, out: &mut String) {
    let mut triggers: Vec<&&Trigger> = of(&by.triggers, &table.key).iter().collect();
    triggers.sort_by(|a, b| a.name.cmp(&b.name));
    for t in triggers {
        let _ = writeln!(out, "{};", t.definition);
        if let Some(state) = enabled_state(&t.enabled) {
            let _ = writeln!(out, "ALTER TABLE {} {state} TRIGGER {};", table.key, quote_ident(&t.name, kw));
        }
    }
}

/// The `ALTER ...` words that give a trigger, rule or event trigger its `enabled` state;
/// None for `origin`, the state it is created in.
pub(crate) fn enabled_state(enabled: &str) -> Option<&'static str> {
    match enabled {
        "disabled" => Some("DISABLE"),
        "replica" => Some("ENABLE REPLICA"),
        "always" => Some("ENABLE ALWAYS"),
        _ => None,
    }
}

/// A definition the server printed, as one statement: its `;` added when it has none.
pub(crate) fn statement(definition: &str) -> String {
    let definition = definition.trim_end();
    format!("{}{}\n", definition, if definition.ends_with(';') { "" } else { ";" })
}

/// The script's head: what it covers, the roles that must exist, and the one setting it
/// needs (function bodies are checked when called, not while tables are still missing).
fn script_header(snap: &Snapshot, out: &mut String) {
    let schemas: Vec<String> = snap.meta.schemas.iter().map(|s| crate::ident::comment_text(s)).collect();
    let _ = writeln!(out, "-- pg_lens DDL script of schemas: {}", schemas.join(", "));
    let roles: Vec<String> = crate::grants::roles(snap).iter().map(|r| crate::ident::comment_text(r)).collect();
    if !roles.is_empty() {
        let _ = writeln!(out, "-- Roles are the cluster's, not the database's: these must exist before it runs: {}", roles.join(", "));
    }
    out.push_str("SET check_function_bodies = false;\n");
}

/// A whole snapshot's DDL: schemas, types and standalone sequences, every table and view in
/// `creation_order` without FKs, then the FKs.
pub fn schema_ddl(snap: &Snapshot, extras: &Extras, kw: &Keywords) -> String {
    let mut out = String::new();
    script_header(snap, &mut out);
    for name in &snap.meta.schemas {
        let key = quote_ident(name, kw);
        let _ = writeln!(out, "CREATE SCHEMA IF NOT EXISTS {key};");
        if let Some(schema) = snap.schemas.get(&key) {
            crate::grants::owner("SCHEMA", &key, schema.owner.as_ref(), kw, &mut out);
            if let Some(comment) = &schema.comment {
                let _ = writeln!(out, "COMMENT ON SCHEMA {key} IS {};", literal(comment));
            }
            crate::grants::object_privileges(&format!("SCHEMA {key}"), schema.privileges.as_ref(), schema.owner.as_ref(), kw, &mut out);
        }
    }
    for e in snap.extensions.values() {
        let _ = writeln!(
            out,
            "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {} VERSION {};",
            quote_ident(&e.name, kw),
            quote_ident(&e.schema, kw),
            literal(&e.version)
        );
    }
    for w in snap.foreign_data_wrappers.values() {
        out.push_str(&wrapper_ddl(w, kw));
    }
    for f in snap.foreign_servers.values() {
        out.push_str(&server_ddl(f, kw));
    }
    out.push_str(&collations_ddl(snap, kw));
    out.push_str(&types_ddl(snap, kw));
    // functions that need no relation first (what defaults, checks, indexes and triggers
    // call); those that use a table's row type or read tables after them; aggregates last
    let needs_relations = |f: &&Function| extras.function_reads.get(&f.key).is_some_and(|r| !r.is_empty());
    let functions: Vec<&Function> = snap.functions.values().collect();
    for f in functions.iter().filter(|f| f.kind != "aggregate" && !needs_relations(f)) {
        out.push_str(&function_ddl(f, kw));
    }
    out.push_str(&ranges_ddl(snap, kw));
    for c in snap.casts.values() {
        out.push_str(&cast_ddl(c));
    }
    for o in snap.operators.values() {
        out.push_str(&operator_ddl(o, kw));
    }
    for c in snap.operator_classes.values() {
        out.push_str(&operator_class_ddl(c, kw));
    }
    let by = ByTable::new(snap);
    let order = creation_order(snap, &extras.view_reads);
    for key in &order {
        if let Some(ddl) = table_ddl_without_fks(&by, key, extras, kw) {
            out.push_str(&ddl);
        }
    }
    // what follows the relations says where it starts (a reader, or a tool that runs the
    // relations' own DDL instead, finds it by these lines)
    let late: Vec<&&Function> = functions.iter().filter(|f| f.kind != "aggregate" && needs_relations(f)).collect();
    if !late.is_empty() {
        out.push_str("-- section: functions that use relations\n");
        late.iter().for_each(|f| out.push_str(&function_ddl(f, kw)));
    }
    let aggregates: Vec<&&Function> = functions.iter().filter(|f| f.kind == "aggregate").collect();
    if !aggregates.is_empty() {
        out.push_str("-- section: aggregates\n");
        aggregates.iter().for_each(|f| out.push_str(&function_ddl(f, kw)));
    }
    let fks: String = order.iter().map(|key| fk_ddl(&by, key, extras, kw)).collect();
    if !fks.is_empty() {
        out.push_str("-- section: foreign keys\n");
        out.push_str(&fks);
    }
    let rules: String = order.iter().map(|key| rules_ddl(&by, key, kw)).collect();
    if !rules.is_empty() {
        out.push_str("-- section: rules\n");
        out.push_str(&rules);
    }
    if !snap.publications.is_empty() {
        out.push_str("-- section: publications\n");
        for p in snap.publications.values() {
            out.push_str(&publication_ddl(p, kw));
        }
    }
    // last: they would change the privileges of what the script itself creates
    if !snap.default_privileges.is_empty() {
        out.push_str("-- section: default privileges\n");
        for d in snap.default_privileges.values() {
            crate::grants::default_privileges(d, kw, &mut out);
        }
    }
    // and after them, the event triggers (earlier, they would fire on the script's own DDL)
    if !snap.event_triggers.is_empty() {
        out.push_str("-- section: event triggers\n");
        for t in snap.event_triggers.values() {
            out.push_str(&event_trigger_ddl(t, kw));
        }
    }
    out
}

/// The tables of a snapshot in an order their DDL runs in: partitioned parents before their
/// partitions, FK parents before their children where the FKs allow (a cycle keeps key
/// order), views after tables and after every relation they read (`view_reads`).
pub fn creation_order(snap: &Snapshot, view_reads: &HashMap<String, Vec<String>>) -> Vec<String> {
    let mut deps: HashMap<&str, Vec<&str>> = HashMap::new();
    for (view, reads) in view_reads {
        deps.entry(view.as_str()).or_default().extend(reads.iter().map(String::as_str));
    }
    for t in snap.tables.values() {
        if let Some(parent) = &t.partition_of {
            deps.entry(t.key.as_str()).or_default().push(parent.as_str());
        }
        for parent in t.inherits.iter().flatten() {
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
