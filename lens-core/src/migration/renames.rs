//! Renames and moves between schemas, for every pair whose name changed: schemas first,
//! then the objects in them (`SET SCHEMA`, then `RENAME`), then the parts of tables. Two
//! renames that trade names go through a temporary name.

use super::step::Step;
use super::tables::relation_word;
use super::{Builder, Phase};
use crate::ident::quote_ident;
use std::collections::HashMap;

/// `{head}{old}{between}{new};`: one rename, with the names still to be quoted.
struct Rename {
    phase: Phase,
    /// Names that must differ: (kind of name, container).
    namespace: String,
    old: String,
    new: String,
    head: String,
    between: String,
}

pub(crate) fn plan_renames(b: &mut Builder) {
    let mut list: Vec<Rename> = Vec::new();
    let schema_now: HashMap<String, String> = b.maps.global.schemas.clone();
    let now = |schema: &str| schema_now.get(schema).cloned().unwrap_or_else(|| schema.to_string());
    for (old, new) in &schema_now {
        list.push(Rename { phase: Phase::RenameSchemas, namespace: "schema".into(), old: old.clone(), new: new.clone(), head: "ALTER SCHEMA ".into(), between: " RENAME TO ".into() });
    }
    let kw = b.kw;
    let q = |s: &str| quote_ident(s, kw);
    // objects that live in a schema: (section, keyword, schema, name, target schema, target name, suffix)
    let mut objects: Vec<(String, String, String, String, String, String)> = Vec::new();
    let mut moved_tables: HashMap<String, String> = HashMap::new();
    for (from, to) in b.pairing.renamed("tables") {
        let (s, t) = (&b.src.tables[&from], &b.tgt.tables[&to]);
        if now(&s.schema) != t.schema {
            moved_tables.insert(from.clone(), t.schema.clone());
        }
        objects.push((relation_word(&s.kind).to_string(), s.schema.clone(), s.name.clone(), t.schema.clone(), t.name.clone(), String::new()));
    }
    for (from, to) in b.pairing.renamed("sequences") {
        let (s, t) = (&b.src.sequences[&from], &b.tgt.sequences[&to]);
        // a sequence a table owns moves with the table
        let owner_table = s.owned_by.as_ref().and_then(|c| b.src.columns.get(c)).map(|c| c.table_key.clone());
        let schema = owner_table.and_then(|t| moved_tables.get(&t).cloned()).unwrap_or_else(|| s.schema.clone());
        objects.push(("SEQUENCE".into(), schema, s.name.clone(), t.schema.clone(), t.name.clone(), String::new()));
    }
    for (from, to) in b.pairing.renamed("enums") {
        let (s, t) = (&b.src.enums[&from], &b.tgt.enums[&to]);
        objects.push(("TYPE".into(), s.schema.clone(), s.name.clone(), t.schema.clone(), t.name.clone(), String::new()));
    }
    for (from, to) in b.pairing.renamed("types") {
        let (s, t) = (&b.src.types[&from], &b.tgt.types[&to]);
        objects.push(("TYPE".into(), s.schema.clone(), s.name.clone(), t.schema.clone(), t.name.clone(), String::new()));
    }
    for (from, to) in b.pairing.renamed("domains") {
        let (s, t) = (&b.src.domains[&from], &b.tgt.domains[&to]);
        objects.push(("DOMAIN".into(), s.schema.clone(), s.name.clone(), t.schema.clone(), t.name.clone(), String::new()));
    }
    for (from, to) in b.pairing.renamed("collations") {
        let (s, t) = (&b.src.collations[&from], &b.tgt.collations[&to]);
        objects.push(("COLLATION".into(), s.schema.clone(), s.name.clone(), t.schema.clone(), t.name.clone(), String::new()));
    }
    for (from, to) in b.pairing.renamed("statistics") {
        let (s, t) = (&b.src.statistics[&from], &b.tgt.statistics[&to]);
        objects.push(("STATISTICS".into(), s.schema.clone(), s.name.clone(), t.schema.clone(), t.name.clone(), String::new()));
    }
    for (from, to) in b.pairing.renamed("functions") {
        let (s, t) = (&b.src.functions[&from], &b.tgt.functions[&to]);
        let (what, _) = super::objects::function_name(t, kw);
        let args = if t.kind == "aggregate" && t.identity_arguments.is_empty() { "*".to_string() } else { t.identity_arguments.clone() };
        objects.push((what.to_string(), s.schema.clone(), s.name.clone(), t.schema.clone(), t.name.clone(), format!("({args})")));
    }
    for (what, schema, name, to_schema, to_name, args) in objects {
        let mut at = now(&schema);
        let namespace = if args.is_empty() { if what == "TYPE" || what == "DOMAIN" { "type" } else { "relation" } } else { "function" };
        if at != to_schema {
            let step = Step::new(format!("ALTER {what} {}.{}{args} SET SCHEMA {};", q(&at), q(&name), q(&to_schema)));
            b.push(Phase::RenameObjects, step);
            at = to_schema.clone();
        }
        if name != to_name {
            let ns = format!("{namespace} {at}{args}");
            list.push(Rename { phase: Phase::RenameObjects, namespace: ns, old: name, new: to_name, head: format!("ALTER {what} {}.", q(&at)), between: format!("{args} RENAME TO ") });
        }
    }
    for (section, what) in [("eventTriggers", "EVENT TRIGGER"), ("publications", "PUBLICATION"), ("foreignServers", "SERVER"), ("foreignDataWrappers", "FOREIGN DATA WRAPPER")] {
        for (from, to) in b.pairing.renamed(section) {
            let name = |v: &serde_json::Value, k: &str| crate::sections::section(v, section).and_then(|m| m.get(k)).and_then(|e| e.get("name")).and_then(|n| n.as_str()).unwrap_or("").to_string();
            let (old, new) = (name(&b.sv, &from), name(&b.tv, &to));
            if old != new {
                list.push(Rename { phase: Phase::RenameObjects, namespace: section.into(), old, new, head: format!("ALTER {what} "), between: " RENAME TO ".into() });
            }
        }
    }
    parts(b, &mut list);
    emit(b, list);
}

/// Columns, constraints, indexes, triggers, policies and rules: renamed on the table under
/// its new name (the table's own rename runs before).
fn parts(b: &mut Builder, list: &mut Vec<Rename>) {
    let kw = b.kw;
    let q = |s: &str| quote_ident(s, kw);
    // what a parent's rename already does to its partitions and children
    let parent_renames = |b: &Builder, section: &str, table: &str, old: &str, new: &str| -> bool {
        let Some(t) = b.tgt.tables.get(table) else { return false };
        let parents: Vec<String> = t.partition_of.iter().cloned().chain(t.inherits.iter().flatten().cloned()).collect();
        parents.iter().any(|p| {
            let Some(sp) = b.source_of("tables", p) else { return false };
            let names: Vec<(String, String)> = b
                .pairing
                .renamed_or_named(section)
                .into_iter()
                .filter_map(|(f, to)| {
                    let a = crate::sections::section(&b.sv, section)?.get(&f)?;
                    let z = crate::sections::section(&b.tv, section)?.get(&to)?;
                    let tk = a.get("tableKey").or_else(|| a.get("childKey"))?.as_str()?;
                    let pair = (a.get("name")?.as_str()?.to_string(), z.get("name")?.as_str()?.to_string());
                    (tk == sp).then_some(pair)
                })
                .collect();
            names.iter().any(|(a, z)| a == old && z == new)
        })
    };
    for (from, to) in b.pairing.renamed("columns") {
        let (s, t) = (&b.src.columns[&from], &b.tgt.columns[&to]);
        let Some(table) = b.tgt.tables.get(&t.table_key) else { continue };
        if s.name == t.name || matches!(table.kind.as_str(), "view" | "materialized_view") || parent_renames(b, "columns", &t.table_key, &s.name, &t.name) {
            continue;
        }
        list.push(Rename { phase: Phase::RenameParts, namespace: format!("column {}", t.table_key), old: s.name.clone(), new: t.name.clone(), head: format!("ALTER TABLE {} RENAME COLUMN ", t.table_key), between: " TO ".into() });
    }
    for section in ["constraints.pks", "constraints.uniques", "constraints.checks", "constraints.exclusions", "relationships"] {
        for (from, to) in b.pairing.renamed_or_named(section) {
            let get = |v: &serde_json::Value, k: &str, f: &str| crate::sections::section(v, section).and_then(|m| m.get(k)).and_then(|e| e.get(f)).and_then(|n| n.as_str()).unwrap_or("").to_string();
            let (old, new) = (get(&b.sv, &from, "name"), get(&b.tv, &to, "name"));
            let table = if section == "relationships" { get(&b.tv, &to, "childKey") } else { get(&b.tv, &to, "tableKey") };
            if old == new || parent_renames(b, section, &table, &old, &new) {
                continue;
            }
            list.push(Rename { phase: Phase::RenameParts, namespace: format!("constraint {table}"), old, new, head: format!("ALTER TABLE {table} RENAME CONSTRAINT "), between: " TO ".into() });
        }
    }
    for (from, to) in b.pairing.renamed("indexes") {
        let (s, t) = (&b.src.indexes[&from], &b.tgt.indexes[&to]);
        if s.name == t.name || t.constraint_key.is_some() {
            continue;
        }
        list.push(Rename { phase: Phase::RenameParts, namespace: format!("relation {}", t.schema), old: s.name.clone(), new: t.name.clone(), head: format!("ALTER INDEX {}.", q(&t.schema)), between: " RENAME TO ".into() });
    }
    for (section, what) in [("triggers", "TRIGGER"), ("policies", "POLICY"), ("rules", "RULE")] {
        for (from, to) in b.pairing.renamed(section) {
            let get = |v: &serde_json::Value, k: &str, f: &str| crate::sections::section(v, section).and_then(|m| m.get(k)).and_then(|e| e.get(f)).and_then(|n| n.as_str()).unwrap_or("").to_string();
            let (old, new, table) = (get(&b.sv, &from, "name"), get(&b.tv, &to, "name"), get(&b.tv, &to, "tableKey"));
            if old != new {
                list.push(Rename { phase: Phase::RenameParts, namespace: format!("{section} {table}"), old, new, head: format!("ALTER {what} "), between: format!(" ON {table} RENAME TO ") });
            }
        }
    }
}

/// Emits renames in an order where no name is taken when it is given: a rename waits for
/// the one that frees its new name, and a cycle goes through a temporary name.
fn emit(b: &mut Builder, list: Vec<Rename>) {
    let mut groups: Vec<(Phase, String)> = list.iter().map(|r| (r.phase, r.namespace.clone())).collect();
    groups.sort();
    groups.dedup();
    let mut list: Vec<Option<Rename>> = list.into_iter().map(Some).collect();
    for (phase, ns) in groups {
        let mut pending: Vec<Rename> = list.iter_mut().filter(|r| r.as_ref().is_some_and(|r| r.phase == phase && r.namespace == ns)).filter_map(Option::take).collect();
        pending.sort_by(|a, c| a.old.cmp(&c.old));
        let mut n = 0;
        while !pending.is_empty() {
            let free = (0..pending.len()).find(|&i| !pending.iter().any(|o| o.old == pending[i].new));
            match free {
                Some(i) => {
                    let r = pending.remove(i);
                    let sql = format!("{}{}{}{};", r.head, quote_ident(&r.old, b.kw), r.between, quote_ident(&r.new, b.kw));
                    b.push(phase, Step::new(sql));
                }
                None => {
                    n += 1;
                    let r = &mut pending[0];
                    let temporary = format!("lens_rename_{n}");
                    let sql = format!("{}{}{}{};", r.head, quote_ident(&r.old, b.kw), r.between, quote_ident(&temporary, b.kw));
                    b.push(phase, Step::new(sql));
                    r.old = temporary;
                }
            }
        }
    }
}
