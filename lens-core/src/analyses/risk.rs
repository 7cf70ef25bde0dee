//! How dangerous it is to delete from a table: the PgDumpLens score (seed 002), and beyond it
//! the blast radius (every table a delete reaches through ON DELETE CASCADE / SET NULL /
//! SET DEFAULT, transitively) and the FKs that would block it.
//!
//! Score: +10 per inbound FK (at most 30), +15 per inbound ON DELETE CASCADE (at most 30),
//! +10 when inbound RESTRICT / NO ACTION FKs would block a delete, +10 above 10,000
//! estimated rows, +10 when the primary key is referenced; capped at 100. Levels: Low up to
//! 25, Medium up to 50, High up to 75, Critical above.

use crate::model::{Relationship, Snapshot};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};

pub const LARGE_TABLE_ROWS: i64 = 10_000;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Risk {
    pub table: String,
    pub score: i64,
    pub level: &'static str,
    pub reasons: Vec<String>,
    pub factors: Value,
    pub blast_radius: BlastRadius,
    pub blockers: Vec<Blocker>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct BlastRadius {
    /// Every table a delete reaches, nearest first.
    pub tables: Vec<Reached>,
    /// Estimated rows of the tables reached (the rows that may be deleted or updated).
    pub estimated_rows: i64,
    pub max_depth: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Reached {
    pub table: String,
    pub depth: usize,
    /// `CASCADE` (its rows are deleted), `SET NULL` or `SET DEFAULT` (its rows are updated).
    pub action: String,
    /// The relationship (relKey) it is reached through, and from which table.
    pub via: String,
    pub from: String,
    pub row_estimate: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Blocker {
    /// The FK (relKey) whose referencing rows stop the delete.
    pub relationship: String,
    pub table: String,
    /// The table whose rows it protects: the one deleted from, or one a cascade reaches.
    pub protects: String,
    pub on_delete: String,
    pub depth: usize,
}

pub fn level(score: i64) -> &'static str {
    match score {
        i64::MIN..=25 => "Low",
        26..=50 => "Medium",
        51..=75 => "High",
        _ => "Critical",
    }
}

/// The FK graph of a snapshot, indexed for the walks.
pub struct Graph<'a> {
    snapshot: &'a Snapshot,
    /// parent table key -> FKs that reference it
    inbound: HashMap<&'a str, Vec<&'a Relationship>>,
    /// table key -> its primary key's columns
    primary_keys: HashMap<&'a str, &'a Vec<String>>,
}

impl<'a> Graph<'a> {
    pub fn new(snapshot: &'a Snapshot) -> Self {
        let mut inbound: HashMap<&str, Vec<&Relationship>> = HashMap::new();
        for r in snapshot.relationships.values() {
            inbound.entry(r.parent_key.as_str()).or_default().push(r);
        }
        let primary_keys = snapshot.constraints.pks.values().map(|p| (p.table_key.as_str(), &p.columns)).collect();
        Graph { snapshot, inbound, primary_keys }
    }

    fn rows(&self, table: &str) -> i64 {
        self.snapshot.tables.get(table).map(|t| t.row_estimate).unwrap_or(-1)
    }

    fn inbound(&self, table: &str) -> &[&'a Relationship] {
        self.inbound.get(table).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The risk of deleting from `table` (a table key).
    pub fn risk(&self, table: &str) -> Risk {
        let inbound = self.inbound(table);
        let cascades = inbound.iter().filter(|r| r.on_delete == "CASCADE").count() as i64;
        let blocking = inbound.iter().filter(|r| blocks(r)).count() as i64;
        let rows = self.rows(table);
        let pk: Option<&Vec<String>> = self.primary_keys.get(table).copied();
        let pk_referenced = pk.is_some_and(|pk| inbound.iter().any(|r| same_columns(&r.parent_cols, pk)));

        let fk_points = (10 * inbound.len() as i64).min(30);
        let cascade_points = (15 * cascades).min(30);
        let restrict_points = if blocking > 0 { 10 } else { 0 };
        let row_points = if rows > LARGE_TABLE_ROWS { 10 } else { 0 };
        let pk_points = if pk_referenced { 10 } else { 0 };
        let score = (fk_points + cascade_points + restrict_points + row_points + pk_points).min(100);

        let mut reasons = Vec::new();
        if !inbound.is_empty() {
            let selfs = inbound.iter().filter(|r| r.child_key == table).count();
            let note = if selfs > 0 { format!(", {selfs} of them from the table itself") } else { String::new() };
            reasons.push(format!("{} foreign key{} reference{} it{note} (+{fk_points})", inbound.len(), plural(inbound.len()), if inbound.len() == 1 { "s" } else { "" }));
        }
        if cascades > 0 {
            reasons.push(format!("{cascades} of them ON DELETE CASCADE: a delete removes rows elsewhere (+{cascade_points})"));
        }
        if blocking > 0 {
            reasons.push(format!("{blocking} RESTRICT / NO ACTION foreign key{} would block a delete of referenced rows (+10)", plural(blocking as usize)));
        }
        if rows > LARGE_TABLE_ROWS {
            reasons.push(format!("about {rows} rows, above {LARGE_TABLE_ROWS} (+10)"));
        }
        if pk_referenced {
            reasons.push("its primary key is referenced (+10)".to_string());
        }
        if reasons.is_empty() {
            reasons.push("nothing references it".to_string());
        }
        let (blast_radius, blockers) = self.blast_radius(table);
        Risk {
            table: table.to_string(),
            score,
            level: level(score),
            reasons,
            factors: json!({
                "inboundForeignKeys": {"count": inbound.len(), "points": fk_points},
                "inboundCascades": {"count": cascades, "points": cascade_points},
                "blockingForeignKeys": {"count": blocking, "points": restrict_points},
                "rowEstimate": {"rows": rows, "points": row_points},
                "primaryKeyReferenced": {"referenced": pk_referenced, "points": pk_points},
            }),
            blast_radius,
            blockers,
        }
    }

    /// Breadth first over the FKs that act on delete: CASCADE deletes the referencing rows
    /// (and goes on from them), SET NULL / SET DEFAULT updates them (and stops). Every table
    /// is visited once, so cycles and self-references end. The RESTRICT / NO ACTION FKs into
    /// any table whose rows get deleted are the blockers.
    fn blast_radius(&self, table: &str) -> (BlastRadius, Vec<Blocker>) {
        let mut radius = BlastRadius::default();
        let mut blockers = Vec::new();
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        seen.insert(table, 0);
        let mut queue: VecDeque<(&str, usize)> = VecDeque::from([(table, 0)]);
        while let Some((parent, depth)) = queue.pop_front() {
            let mut edges: Vec<&&Relationship> = self.inbound(parent).iter().collect();
            edges.sort_by(|a, b| a.key.cmp(&b.key));
            for r in edges {
                if blocks(r) {
                    blockers.push(Blocker {
                        relationship: r.key.clone(),
                        table: r.child_key.clone(),
                        protects: parent.to_string(),
                        on_delete: r.on_delete.clone(),
                        depth: depth + 1,
                    });
                    continue;
                }
                let child = r.child_key.as_str();
                if seen.contains_key(child) {
                    continue;
                }
                seen.insert(child, depth + 1);
                let rows = self.rows(child);
                radius.tables.push(Reached {
                    table: child.to_string(),
                    depth: depth + 1,
                    action: r.on_delete.clone(),
                    via: r.key.clone(),
                    from: parent.to_string(),
                    row_estimate: rows,
                });
                radius.estimated_rows += rows.max(0);
                radius.max_depth = radius.max_depth.max(depth + 1);
                if r.on_delete == "CASCADE" {
                    queue.push_back((child, depth + 1));
                }
            }
        }
        (radius, blockers)
    }

    /// Every table of the snapshot, riskiest first (then by key).
    pub fn all(&self) -> Vec<Risk> {
        let mut risks: Vec<Risk> = self
            .snapshot
            .tables
            .values()
            .filter(|t| matches!(t.kind.as_str(), "table" | "partitioned" | "foreign_table"))
            .map(|t| self.risk(&t.key))
            .collect();
        risks.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.table.cmp(&b.table)));
        risks
    }
}

fn blocks(r: &Relationship) -> bool {
    matches!(r.on_delete.as_str(), "RESTRICT" | "NO ACTION")
}

fn same_columns(a: &[String], b: &[String]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort();
    b.sort();
    a == b
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    /// Tables with row estimates, PKs on `id`, and FKs (child, parent, on delete).
    fn schema(tables: &[(&str, i64)], fks: &[(&str, &str, &str)]) -> Snapshot {
        let mut s = Snapshot::default();
        for (t, rows) in tables {
            s.tables.insert(t.to_string(), Table { key: t.to_string(), kind: "table".into(), row_estimate: *rows, ..Default::default() });
            let pk = format!("{t}:{t}_pkey");
            s.constraints.pks.insert(pk.clone(), KeyConstraint { key: pk, table_key: t.to_string(), columns: vec!["id".into()], ..Default::default() });
        }
        for (n, (child, parent, action)) in fks.iter().enumerate() {
            let key = format!("{child}(p{n}) -> {parent}(id)");
            s.relationships.insert(
                key.clone(),
                Relationship {
                    key,
                    child_key: child.to_string(),
                    parent_key: parent.to_string(),
                    child_cols: vec![format!("p{n}")],
                    parent_cols: vec!["id".into()],
                    on_delete: action.to_string(),
                    ..Default::default()
                },
            );
        }
        s
    }

    #[test]
    fn scores_follow_the_seed_model() {
        let s = schema(
            &[("a", 50_000), ("b", 1), ("c", 1), ("d", 1), ("e", 1)],
            &[("b", "a", "CASCADE"), ("c", "a", "CASCADE"), ("d", "a", "RESTRICT"), ("e", "a", "NO ACTION")],
        );
        let g = Graph::new(&s);
        let a = g.risk("a");
        // 4 FKs: 30 (capped), 2 cascades: 30, blockers: 10, rows: 10, PK referenced: 10
        assert_eq!(a.score, 90);
        assert_eq!(a.level, "Critical");
        assert_eq!(a.factors["inboundForeignKeys"]["points"], json!(30));
        assert_eq!(a.blockers.len(), 2);
        assert_eq!(a.blast_radius.tables.iter().map(|t| t.table.as_str()).collect::<Vec<_>>(), vec!["b", "c"]);
        let b = g.risk("b");
        assert_eq!((b.score, b.level), (0, "Low"));
        assert_eq!(b.reasons, vec!["nothing references it"]);
        assert_eq!(level(25), "Low");
        assert_eq!(level(26), "Medium");
        assert_eq!(level(75), "High");
        assert_eq!(level(76), "Critical");
        let all = g.all();
        assert_eq!(all[0].table, "a");
    }

    #[test]
    fn blast_radius_walks_chains_and_diamonds_once_and_ends_on_cycles() {
        // a <- b (cascade) <- c (cascade) <- d (set null); a <- e (cascade) <- c (cascade): a diamond
        // c <- a? a cycle: a references c with cascade; b references itself
        let s = schema(
            &[("a", 10), ("b", 20), ("c", 30), ("d", 40), ("e", 50)],
            &[
                ("b", "a", "CASCADE"),
                ("c", "b", "CASCADE"),
                ("d", "c", "SET NULL"),
                ("e", "a", "CASCADE"),
                ("c", "e", "CASCADE"),
                ("a", "c", "CASCADE"),
                ("b", "b", "CASCADE"),
                ("d", "b", "RESTRICT"),
            ],
        );
        let g = Graph::new(&s);
        let r = g.risk("a");
        let reached: Vec<(&str, usize, &str)> = r.blast_radius.tables.iter().map(|t| (t.table.as_str(), t.depth, t.action.as_str())).collect();
        assert_eq!(reached, vec![("b", 1, "CASCADE"), ("e", 1, "CASCADE"), ("c", 2, "CASCADE"), ("d", 3, "SET NULL")]);
        assert_eq!(r.blast_radius.max_depth, 3);
        assert_eq!(r.blast_radius.estimated_rows, 20 + 50 + 30 + 40);
        // d's RESTRICT FK protects b, which the cascade deletes from: it blocks at depth 2
        assert_eq!(r.blockers.len(), 1);
        assert_eq!((r.blockers[0].table.as_str(), r.blockers[0].protects.as_str(), r.blockers[0].depth), ("d", "b", 2));
        // self-reference counted as an inbound FK, and said so
        let b = g.risk("b");
        assert!(b.reasons[0].contains("1 of them from the table itself"), "{:?}", b.reasons);
    }
}
