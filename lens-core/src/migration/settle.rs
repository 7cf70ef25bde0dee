//! What a plan makes anew rather than alters: pairs undone before any statement is written,
//! so that every later phase sees one answer (a dropped entry and a created one).

use super::Builder;
use crate::ddl::of;
use std::collections::HashSet;

/// Changes no ALTER makes: the entry is dropped and created.
fn recreated_by(section: &str, changed: &[String]) -> bool {
    let alterable: &[&str] = match section {
        "tables" => &["comment", "owner", "privileges", "rlsEnabled", "rlsForced", "persistence", "options", "tablespace", "accessMethod", "replicaIdentity", "partitionOf", "partitionBound", "inherits"],
        "constraints.checks" | "relationships" => &["comment", "validated"],
        "constraints.pks" | "constraints.uniques" | "constraints.exclusions" | "indexes" => &["comment", "isReplicaIdentity"],
        "triggers" | "rules" => &["comment", "enabled"],
        "statistics" => &["comment", "statisticsTarget", "owner"],
        "policies" => &["comment"],
        "functions" => &["comment", "owner", "privileges", "definition", "volatility", "strict", "securityDefiner", "leakproof", "parallel", "cost", "rows", "config", "language", "arguments"],
        "schemas" => &["comment", "owner", "privileges"],
        "enums" => &["comment", "owner", "privileges", "values"],
        "domains" => &["comment", "owner", "privileges", "default", "notNull", "checks"],
        "types" => &["comment", "owner", "privileges", "attributes"],
        "sequences" => &["comment", "owner", "privileges", "dataType", "start", "increment", "min", "max", "cache", "cycle", "ownedBy", "identity"],
        "extensions" => &["version", "schema", "relocatable"],
        "collations" | "operators" | "operatorClasses" | "foreignDataWrappers" | "foreignServers" => &["comment", "owner"],
        "casts" => &["comment"],
        "eventTriggers" => &["comment", "owner", "enabled"],
        "defaultPrivileges" => &["privileges"],
        "columns" | "views" => return false,
        _ => &[],
    };
    changed.iter().any(|f| !alterable.contains(&f.as_str()))
}

pub(crate) fn settle(b: &mut Builder) {
    // a table whose kind or partition key changed is another table
    for (from, to) in b.pairing.pairs("tables") {
        let changed = b.changed("tables", &from, &to);
        let (s, t) = (&b.src.tables[&from], &b.tgt.tables[&to]);
        let view = matches!(s.kind.as_str(), "view" | "materialized_view");
        let view_fields_only = view && changed.iter().all(|f| matches!(f.as_str(), "comment" | "owner" | "privileges" | "options"));
        if s.kind != t.kind || (!view && recreated_by("tables", &changed)) || (view && !view_fields_only) {
            unpair_relation(b, &from);
        }
    }
    settle_columns(b);
    // parts and own entries that no ALTER can change
    for section in crate::sections::SECTIONS {
        if matches!(*section, "tables" | "columns" | "views") {
            continue;
        }
        let remade: Vec<String> = b.pairing.iter(section).filter(|(from, to)| recreated_by(section, &b.changed(section, from, to))).map(|(from, _)| from.clone()).collect();
        for from in remade {
            b.pairing.unpair(section, &from);
        }
    }
    settle_views(b);
    settle_parts(b);
}

/// Unpairs a relation, its view body and its columns (its parts follow in `settle_parts`).
fn unpair_relation(b: &mut Builder, key: &str) {
    b.pairing.unpair("tables", key);
    b.pairing.unpair("views", key);
    b.reshaped.insert(key.to_string());
}

/// Columns of a paired table keep their place only as a prefix of the target's columns in
/// the source's order; the rest are dropped and added again at the end (ADD COLUMN can put a
/// column nowhere else). A column that becomes generated is added anew too.
fn settle_columns(b: &mut Builder) {
    for (from, to) in b.pairing.pairs("tables") {
        let src_cols: Vec<String> = of(&b.src_by.columns, &from).iter().map(|c| c.key.clone()).collect();
        let tgt_cols: Vec<String> = of(&b.tgt_by.columns, &to).iter().map(|c| c.key.clone()).collect();
        if matches!(b.src.tables[&from].kind.as_str(), "view" | "materialized_view") {
            continue;
        }
        for c in &src_cols {
            let Some(t) = b.target_of("columns", c).cloned() else { continue };
            let (sc, tc) = (&b.src.columns[c], &b.tgt.columns[&t]);
            if sc.generated.is_some() != tc.generated.is_some() || sc.generated_virtual != tc.generated_virtual {
                b.pairing.unpair("columns", c);
            }
        }
        let mut last = None;
        let mut kept: HashSet<String> = HashSet::new();
        for t in &tgt_cols {
            let place = b.source_of("columns", t).and_then(|s| src_cols.iter().position(|c| c == s));
            match place {
                Some(p) if last.is_none_or(|l| p > l) => {
                    last = Some(p);
                    kept.insert(t.clone());
                }
                _ => break,
            }
        }
        for c in &src_cols {
            match b.target_of("columns", c).cloned() {
                Some(t) if kept.contains(&t) => {
                    if b.changed("columns", c, &t).iter().any(|f| f == "dataType" || f == "collation") {
                        b.reshaped.insert(from.clone());
                    }
                }
                Some(_) => {
                    b.pairing.unpair("columns", c);
                    b.reshaped.insert(from.clone());
                }
                None => {
                    b.reshaped.insert(from.clone());
                }
            }
        }
    }
}

/// Views are made anew when their body changed, or when what they read is dropped, made
/// anew or changes its columns' types; and so are the views that read those.
fn settle_views(b: &mut Builder) {
    for (from, to) in b.pairing.pairs("views") {
        if !b.changed("views", &from, &to).is_empty() {
            unpair_relation(b, &from);
        }
    }
    loop {
        let mut more = Vec::new();
        for (from, _) in b.pairing.pairs("views") {
            let reads = b.src_x.view_reads.get(&from).cloned().unwrap_or_default();
            if reads.iter().any(|r| b.reshaped.contains(r) || b.target_of("tables", r).is_none()) {
                more.push(from);
            }
        }
        if more.is_empty() {
            break;
        }
        for v in more {
            unpair_relation(b, &v);
        }
    }
}

/// Parts of a table that is made anew are made with it; FKs whose referenced table or key
/// is made anew are made again after it; a policy on a table whose columns change type is
/// dropped first (the server refuses the change while the policy uses the column).
fn settle_parts(b: &mut Builder) {
    let unpaired_table = |b: &Builder, key: &str| b.target_of("tables", key).is_none();
    for section in ["columns", "constraints.pks", "constraints.uniques", "constraints.checks", "constraints.exclusions", "indexes", "triggers", "policies", "statistics", "rules"] {
        let entries = crate::sections::section(&b.sv, section);
        let gone: Vec<String> = b
            .pairing
            .iter(section)
            .filter(|(from, _)| {
                let table = entries.and_then(|m| m.get(*from)).and_then(|v| v.get("tableKey")).and_then(|v| v.as_str()).unwrap_or("");
                unpaired_table(b, table) || (section == "policies" && b.reshaped.contains(table))
            })
            .map(|(from, _)| from.clone())
            .collect();
        for from in gone {
            b.pairing.unpair(section, &from);
        }
    }
    // an index's constraint and the index go together
    for section in ["constraints.pks", "constraints.uniques", "constraints.exclusions"] {
        for (from, _) in b.pairing.pairs(section) {
            let index = crate::sections::section(&b.sv, section).and_then(|m| m.get(&from)).and_then(|v| v.get("indexKey")).and_then(|v| v.as_str()).unwrap_or("").to_string();
            // (a key whose index the snapshot does not name goes with nothing)
            if !index.is_empty() && b.target_of("indexes", &index).is_none() {
                b.pairing.unpair(section, &from);
            }
        }
        let keys: Vec<(String, String)> = crate::sections::section(&b.sv, section).map(|m| m.iter().map(|(k, v)| (k.clone(), v.get("indexKey").and_then(|i| i.as_str()).unwrap_or("").to_string())).collect()).unwrap_or_default();
        for (key, index) in keys {
            if b.target_of(section, &key).is_none() {
                b.pairing.unpair("indexes", &index);
            }
        }
    }
    let remade_keys: HashSet<(String, Vec<String>)> = b
        .src
        .constraints
        .pks
        .values()
        .chain(b.src.constraints.uniques.values())
        .filter(|k| {
            let section = if b.src.constraints.uniques.contains_key(&k.key) { "constraints.uniques" } else { "constraints.pks" };
            b.target_of(section, &k.key).is_none() || (!k.index_key.is_empty() && b.target_of("indexes", &k.index_key).is_none())
        })
        .map(|k| (k.table_key.clone(), k.columns.clone()))
        .collect();
    let remade_indexes: HashSet<(String, Vec<String>)> = b.src.indexes.values().filter(|i| i.is_unique && b.target_of("indexes", &i.key).is_none()).map(|i| (i.table_key.clone(), i.columns.clone())).collect();
    for (from, _) in b.pairing.pairs("relationships") {
        let r = &b.src.relationships[&from];
        let parent_key = (r.parent_key.clone(), r.parent_cols.clone());
        let quoted: Vec<String> = r.parent_cols.iter().map(|c| crate::ident::quote_ident(c, b.kw)).collect();
        if unpaired_table(b, &r.child_key) || unpaired_table(b, &r.parent_key) || remade_keys.contains(&parent_key) || remade_indexes.contains(&(r.parent_key.clone(), quoted)) {
            b.pairing.unpair("relationships", &from);
        }
    }
}
