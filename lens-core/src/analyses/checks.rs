//! Schema lint over a snapshot: each finding with a rule, a severity, the object, a message
//! and SQL that fixes it (every identifier quoted).

use crate::ident::{quote_ident, Keywords};
use crate::model::{Index, Snapshot};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: &'static str,
    pub object_key: String,
    pub message: String,
    pub remediation: String,
}

/// What the snapshot does not hold: how far each sequence has gone (`last_value`).
#[derive(Debug, Default, Clone)]
pub struct Live {
    pub sequence_last_values: HashMap<String, i64>,
}

/// Share of a sequence's range used above which it is reported.
pub const SEQUENCE_WARNING: f64 = 0.75;
pub const SEQUENCE_ERROR: f64 = 0.9;

pub fn run(snap: &Snapshot, live: &Live, kw: &Keywords) -> Vec<Finding> {
    let mut out = Vec::new();
    let q = |name: &str| quote_ident(name, kw);
    let mut by_table: HashMap<&str, Vec<&Index>> = HashMap::new();
    for i in snap.indexes.values() {
        by_table.entry(i.table_key.as_str()).or_default().push(i);
    }
    let columns: HashMap<(&str, &str), &crate::model::Column> =
        snap.columns.values().map(|c| ((c.table_key.as_str(), c.name.as_str()), c)).collect();

    // FK without an index whose leading columns cover it
    for r in snap.relationships.values() {
        let wanted: Vec<String> = r.child_cols.iter().map(|c| q(c)).collect();
        let covered = by_table.get(r.child_key.as_str()).is_some_and(|indexes| {
            indexes.iter().any(|i| {
                i.predicate.is_none() && i.columns.len() >= wanted.len() && {
                    let mut lead: Vec<&String> = i.columns[..wanted.len()].iter().collect();
                    let mut want: Vec<&String> = wanted.iter().collect();
                    lead.sort();
                    want.sort();
                    lead == want
                }
            })
        });
        if !covered {
            out.push(Finding {
                rule: "fk_without_index",
                severity: "warning",
                object_key: r.key.clone(),
                message: format!(
                    "no index on {} ({}) leads with the FK's columns: deletes and updates in {} scan {}",
                    r.child_key,
                    r.child_cols.join(", "),
                    r.parent_key,
                    r.child_key
                ),
                remediation: format!("CREATE INDEX ON {} ({});", r.child_key, wanted.join(", ")),
            });
        }
        // FK columns of another type than the referenced ones
        for (child, parent) in r.child_cols.iter().zip(&r.parent_cols) {
            let (Some(c), Some(p)) = (columns.get(&(r.child_key.as_str(), child.as_str())), columns.get(&(r.parent_key.as_str(), parent.as_str()))) else {
                continue;
            };
            if c.data_type != p.data_type {
                out.push(Finding {
                    rule: "fk_type_mismatch",
                    severity: "warning",
                    object_key: r.key.clone(),
                    message: format!("{} is {} but references {} of type {}", c.key, c.data_type, p.key, p.data_type),
                    remediation: format!("ALTER TABLE {} ALTER COLUMN {} TYPE {};", r.child_key, q(child), p.data_type),
                });
            }
        }
    }

    let pk_tables: std::collections::HashSet<&str> = snap.constraints.pks.values().map(|k| k.table_key.as_str()).collect();
    for t in snap.tables.values() {
        let is_table = matches!(t.kind.as_str(), "table" | "partitioned");
        if is_table && t.partition_of.is_none() && !pk_tables.contains(t.key.as_str()) {
            let name = if columns.contains_key(&(t.key.as_str(), "id")) { format!("{}_id", t.name) } else { "id".to_string() };
            out.push(Finding {
                rule: "table_without_primary_key",
                severity: "warning",
                object_key: t.key.clone(),
                message: format!("{} has no primary key: rows cannot be told apart, logical replication cannot update them", t.key),
                remediation: format!("ALTER TABLE {} ADD COLUMN {} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;", t.key, q(&name)),
            });
        }
        if t.persistence == "unlogged" {
            out.push(Finding {
                rule: "unlogged_table",
                severity: "info",
                object_key: t.key.clone(),
                message: format!("{} is unlogged: emptied after a crash and missing on replicas", t.key),
                remediation: format!("ALTER TABLE {} SET LOGGED;", t.key),
            });
        }
        if t.rls_enabled && !snap.policies.values().any(|p| p.table_key == t.key) {
            out.push(Finding {
                rule: "rls_without_policy",
                severity: "warning",
                object_key: t.key.clone(),
                message: format!("{} has row-level security on and no policy: every role but its owner sees no rows", t.key),
                remediation: format!("ALTER TABLE {} DISABLE ROW LEVEL SECURITY;", t.key),
            });
        }
    }

    // duplicate and redundant indexes, invalid ones
    let index_sql = |i: &Index| format!("{}.{}", q(&snap.tables.get(&i.table_key).map(|t| t.schema.clone()).unwrap_or_default()), q(&i.name));
    let constraint_of: HashMap<&str, &str> = snap
        .constraints
        .pks
        .values()
        .chain(snap.constraints.uniques.values())
        .map(|k| (k.index_key.as_str(), k.name.as_str()))
        .collect();
    let drop_sql = |i: &Index| match constraint_of.get(i.key.as_str()) {
        Some(con) => format!("ALTER TABLE {} DROP CONSTRAINT {};", i.table_key, q(con)),
        None => format!("DROP INDEX {};", index_sql(i)),
    };
    for indexes in by_table.values() {
        let mut sorted = indexes.clone();
        sorted.sort_by(|a, b| a.key.cmp(&b.key));
        for a in &sorted {
            if !a.is_valid {
                out.push(Finding {
                    rule: "invalid_index",
                    severity: "error",
                    object_key: a.key.clone(),
                    message: format!("{} is invalid (a failed CREATE INDEX CONCURRENTLY?): it is maintained but never used", a.key),
                    remediation: format!("REINDEX INDEX {};", index_sql(a)),
                });
            }
        }
        // Duplicates first, then prefixes: each index is dropped by one finding only, so
        // every remediation of a call runs, in the order given.
        let mut dropped: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (n, a) in sorted.iter().enumerate() {
            for b in &sorted[n + 1..] {
                let same_shape = a.method == b.method && a.include == b.include && a.predicate == b.predicate;
                if !same_shape || a.is_exclusion || b.is_exclusion || a.columns != b.columns || a.is_unique != b.is_unique {
                    continue;
                }
                // keep the one a constraint uses, or the first by name
                let (keep, drop) = if constraint_of.contains_key(b.key.as_str()) && !constraint_of.contains_key(a.key.as_str()) { (b, a) } else { (a, b) };
                if dropped.contains(keep.key.as_str()) || !dropped.insert(drop.key.as_str()) {
                    continue;
                }
                out.push(Finding {
                    rule: "duplicate_index",
                    severity: "warning",
                    object_key: drop.key.clone(),
                    message: format!("{} duplicates {}", drop.key, keep.key),
                    remediation: drop_sql(drop),
                });
            }
        }
        for short in &sorted {
            if dropped.contains(short.key.as_str()) || short.method != "btree" || short.is_unique || short.predicate.is_some() || !short.include.is_empty() {
                continue;
            }
            let long = sorted.iter().find(|long| {
                long.method == short.method
                    && !long.is_exclusion
                    && long.predicate.is_none()
                    && long.include.is_empty()
                    && !dropped.contains(long.key.as_str())
                    && short.columns.len() < long.columns.len()
                    && long.columns.starts_with(&short.columns)
            });
            if let Some(long) = long {
                dropped.insert(short.key.as_str());
                out.push(Finding {
                    rule: "redundant_index",
                    severity: "info",
                    object_key: short.key.clone(),
                    message: format!("{} is a prefix of {}, which serves its queries too", short.key, long.key),
                    remediation: drop_sql(short),
                });
            }
        }
    }

    // a unique key with a nullable column, referenced by an FK: NULLs make it no key
    // the column sets FKs reference, per table, sorted: looked up once per unique key
    let referenced_sets: std::collections::HashSet<(&str, Vec<&str>)> =
        snap.relationships.values().map(|r| (r.parent_key.as_str(), sorted_cols(&r.parent_cols))).collect();
    for k in snap.constraints.uniques.values() {
        if !referenced_sets.contains(&(k.table_key.as_str(), sorted_cols(&k.columns))) {
            continue;
        }
        for c in &k.columns {
            if columns.get(&(k.table_key.as_str(), c.as_str())).is_some_and(|col| col.is_nullable) {
                out.push(Finding {
                    rule: "nullable_unique_key",
                    severity: "warning",
                    object_key: k.key.clone(),
                    message: format!("{} is referenced as a key but its column {c} allows NULL", k.key),
                    remediation: format!("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL;", k.table_key, q(c)),
                });
            }
        }
    }

    // sequences near the end of their range
    for s in snap.sequences.values() {
        let Some(&last) = live.sequence_last_values.get(&s.key) else { continue };
        let (used, range) = if s.increment > 0 {
            (last as f64 - s.min as f64, s.max as f64 - s.min as f64)
        } else {
            (s.max as f64 - last as f64, s.max as f64 - s.min as f64)
        };
        if range <= 0.0 || s.cycle {
            continue;
        }
        let share = used / range;
        if share >= SEQUENCE_WARNING {
            let severity = if share >= SEQUENCE_ERROR { "error" } else { "warning" };
            let (bound, limit) = if s.increment > 0 { ("MAXVALUE", i64::MAX) } else { ("MINVALUE", i64::MIN) };
            out.push(Finding {
                rule: "sequence_near_exhaustion",
                severity,
                object_key: s.key.clone(),
                message: format!("{} has used {:.0}% of its range ({last} of {} to {})", s.key, share * 100.0, s.min, s.max),
                remediation: format!("ALTER SEQUENCE {} AS bigint {bound} {limit};", s.key),
            });
        }
    }
    out.sort_by(|a, b| severity_rank(a.severity).cmp(&severity_rank(b.severity)).then(a.rule.cmp(b.rule)).then(a.object_key.cmp(&b.object_key)));
    out
}

fn sorted_cols(cols: &[String]) -> Vec<&str> {
    let mut cols: Vec<&str> = cols.iter().map(String::as_str).collect();
    cols.sort_unstable();
    cols
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}
