//! What the DDL renderer asks the server for (`ddl::Extras`), derived from a snapshot alone:
//! a plan's target exists nowhere yet, so nothing can be asked about it.
//!
//! Constraint definitions are written from the model as `pg_get_constraintdef()` prints
//! them; what a partition or child inherits is recognised by what its parent has; what a
//! view or function needs is read from the names its text mentions.

use crate::ddl::Extras;
use crate::ident::{quote_ident, Keywords};
use crate::migration::sql_text::qualified_names;
use crate::model::{CheckConstraint, Index, KeyConstraint, Relationship, Snapshot};
use std::collections::{HashMap, HashSet};

/// `by`: the snapshot grouped by table; `definitions`: whether constraint definitions are
/// wanted (a plan writes only the target's).
pub fn extras(snap: &Snapshot, by: &crate::ddl::ByTable, kw: &Keywords, definitions: bool) -> Extras {
    let mut out = Extras::default();
    if definitions {
        constraint_definitions(snap, kw, &mut out);
    }
    inherited(snap, by, &mut out);
    reads(snap, &mut out);
    out
}

fn constraint_definitions(snap: &Snapshot, kw: &Keywords, out: &mut Extras) {
    for k in snap.constraints.pks.values() {
        out.constraint_defs.insert(k.key.clone(), key_def("PRIMARY KEY", k, snap, kw));
    }
    for k in snap.constraints.uniques.values() {
        out.constraint_defs.insert(k.key.clone(), key_def("UNIQUE", k, snap, kw));
    }
    for c in snap.constraints.checks.values() {
        out.constraint_defs.insert(c.key.clone(), check_def(c));
    }
    for x in snap.constraints.exclusions.values() {
        out.constraint_defs.insert(x.key.clone(), x.definition.clone());
    }
    for r in snap.relationships.values() {
        out.constraint_defs.insert(r.constraint_key.clone(), fk_def(r, kw));
    }
}

/// What views and functions read: the relations their text names.
fn reads(snap: &Snapshot, out: &mut Extras) {
    let relations: HashSet<(String, String)> = snap.tables.values().map(|t| (t.schema.clone(), t.name.clone())).collect();
    let key_of: HashMap<(String, String), String> = snap.tables.values().map(|t| ((t.schema.clone(), t.name.clone()), t.key.clone())).collect();
    let reads = |text: &str, own: &str| -> Vec<String> {
        let mut keys: Vec<String> = qualified_names(text).into_iter().filter(|n| relations.contains(n)).filter_map(|n| key_of.get(&n).cloned()).filter(|k| k != own).collect();
        keys.sort();
        keys.dedup();
        keys
    };
    for v in snap.views.values() {
        out.view_reads.insert(v.key.clone(), reads(&v.definition, &v.key));
    }
    for f in snap.functions.values() {
        let mut text = format!("{} {}", f.identity_arguments, f.returns.clone().unwrap_or_default());
        if f.definition.to_ascii_uppercase().contains("BEGIN ATOMIC") {
            text.push(' ');
            text.push_str(&f.definition);
        }
        let needs = reads(&text, "");
        if !needs.is_empty() {
            out.function_reads.insert(f.key.clone(), needs);
        }
    }
}

/// `PRIMARY KEY (a, b) INCLUDE (c) WITH (...) USING INDEX TABLESPACE t DEFERRABLE`: the
/// options after the column list come from the index's definition.
pub fn key_def(what: &str, k: &KeyConstraint, snap: &Snapshot, kw: &Keywords) -> String {
    let mut columns: Vec<String> = k.columns.iter().map(|c| quote_ident(c, kw)).collect();
    if k.without_overlaps {
        if let Some(last) = columns.last_mut() {
            last.push_str(" WITHOUT OVERLAPS");
        }
    }
    let nulls = if k.nulls_not_distinct { " NULLS NOT DISTINCT" } else { "" };
    let mut def = format!("{what}{nulls} ({})", columns.join(", "));
    if let Some(index) = snap.indexes.get(&k.index_key) {
        def.push_str(&index_tail(index));
    }
    deferrable(&mut def, k.deferrable, k.initially_deferred);
    def
}

/// What an index definition says after its column list, as a constraint writes it.
fn index_tail(index: &Index) -> String {
    let d = &index.definition;
    let Some(open) = d.find(&format!(" USING {} (", index.method)).map(|p| p + index.method.len() + 8) else { return String::new() };
    let mut depth = 0i32;
    let mut close = None;
    let mut in_quote = false;
    for (i, ch) in d[open..].char_indices() {
        match ch {
            '"' => in_quote = !in_quote,
            '(' if !in_quote => depth += 1,
            ')' if !in_quote => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i + 1);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(close) = close else { return String::new() };
    let tail = d[close..].replace(" NULLS NOT DISTINCT", "");
    let tail = match tail.find(" WHERE ") {
        Some(p) => tail[..p].to_string(),
        None => tail,
    };
    tail.replace(" TABLESPACE ", " USING INDEX TABLESPACE ")
}

fn deferrable(def: &mut String, deferrable: bool, deferred: bool) {
    if deferrable {
        def.push_str(" DEFERRABLE");
        if deferred {
            def.push_str(" INITIALLY DEFERRED");
        }
    }
}

pub fn check_def(c: &CheckConstraint) -> String {
    let mut def = format!("CHECK ({})", c.expression);
    if c.no_inherit {
        def.push_str(" NO INHERIT");
    }
    if c.not_enforced {
        def.push_str(" NOT ENFORCED");
    } else if !c.validated {
        def.push_str(" NOT VALID");
    }
    def
}

pub fn fk_def(r: &Relationship, kw: &Keywords) -> String {
    let list = |cols: &[String]| {
        let mut names: Vec<String> = cols.iter().map(|c| quote_ident(c, kw)).collect();
        if r.period {
            if let Some(last) = names.last_mut() {
                *last = format!("PERIOD {last}");
            }
        }
        names.join(", ")
    };
    let mut def = format!("FOREIGN KEY ({}) REFERENCES {}({})", list(&r.child_cols), r.parent_key, list(&r.parent_cols));
    if r.match_type == "FULL" || r.match_type == "PARTIAL" {
        def.push_str(&format!(" MATCH {}", r.match_type));
    }
    if r.on_update != "NO ACTION" {
        def.push_str(&format!(" ON UPDATE {}", r.on_update));
    }
    if r.on_delete != "NO ACTION" {
        def.push_str(&format!(" ON DELETE {}", r.on_delete));
        if let Some(cols) = &r.on_delete_set_cols {
            def.push_str(&format!(" ({})", cols.iter().map(|c| quote_ident(c, kw)).collect::<Vec<_>>().join(", ")));
        }
    }
    deferrable(&mut def, r.deferrable, r.initially_deferred);
    if r.not_enforced {
        def.push_str(" NOT ENFORCED");
    } else if !r.validated {
        def.push_str(" NOT VALID");
    }
    def
}

/// What partitions and inheritance children get from their parents: constraints made with
/// the child (a partition's key, a parent's checks and FKs by name) and partition indexes
/// attached to a parent's index (same method, columns and predicate).
fn inherited(snap: &Snapshot, by: &crate::ddl::ByTable, out: &mut Extras) {
    for t in snap.tables.values() {
        let parents: Vec<&String> = t.partition_of.iter().chain(t.inherits.iter().flatten()).collect();
        if parents.is_empty() {
            continue;
        }
        let partition = t.partition_of.is_some();
        for parent in parents {
            let parent_checks: HashSet<&str> = crate::ddl::of(&by.checks, parent).iter().map(|c| c.name.as_str()).collect();
            for c in crate::ddl::of(&by.checks, &t.key) {
                if parent_checks.contains(c.name.as_str()) {
                    out.inherited_constraints.insert(c.key.clone());
                }
            }
            if !partition {
                continue;
            }
            let parent_fks: HashSet<(&str, &str)> = crate::ddl::of(&by.fks_out, parent).iter().map(|r| (r.name.as_str(), r.parent_key.as_str())).collect();
            for r in crate::ddl::of(&by.fks_out, &t.key) {
                if parent_fks.contains(&(r.name.as_str(), r.parent_key.as_str())) {
                    out.inherited_constraints.insert(r.constraint_key.clone());
                }
            }
            let parent_keys: HashSet<Vec<String>> = crate::ddl::of(&by.pks, parent).iter().chain(crate::ddl::of(&by.uniques, parent)).map(|k| k.columns.clone()).collect();
            for k in crate::ddl::of(&by.pks, &t.key).iter().chain(crate::ddl::of(&by.uniques, &t.key)) {
                if parent_keys.contains(&k.columns) {
                    out.inherited_constraints.insert(k.key.clone());
                    out.inherited_indexes.insert(k.index_key.clone());
                }
            }
            let shape = |i: &Index| (i.method.clone(), i.columns.clone(), i.include.clone(), i.predicate.clone(), i.is_unique);
            let parent_indexes: HashSet<_> = crate::ddl::of(&by.indexes, parent).iter().map(|i| shape(i)).collect();
            for i in crate::ddl::of(&by.indexes, &t.key) {
                if parent_indexes.contains(&shape(i)) {
                    out.inherited_indexes.insert(i.key.clone());
                }
            }
        }
    }
}
