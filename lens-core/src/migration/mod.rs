//! Migration plans: the statements that turn a database whose schema is one snapshot into
//! another, in an order PostgreSQL accepts, each with its hazards, lock and timeouts.
//!
//! How: the parts of tables no change reaches are left out of both snapshots first
//! (`focus`, from their jsonb bytes: a plan costs what changed), entries are paired
//! (`pairing`: exact by oid within one database), what must be made anew is unpaired
//! (`settle`), and the statements come in fixed phases: drops (dependents
//! first), renames, creates and alters (dependencies first, FKs after every table, views
//! after what they read), then the drops of what nothing uses any more. New objects are
//! written by the same renderers as `lens_ddl_script`, with what the server would say about
//! them derived from the snapshot (`derived`).

mod casts;
pub mod derived;
pub mod focus;
mod objects;
pub mod pairing;
mod renames;
mod settle;
pub mod script;
pub mod sql_text;
pub mod step;
mod tables;

use crate::ddl::{ByTable, Extras};
use crate::ident::Keywords;
use crate::model::Snapshot;
use pairing::{NameMaps, Pairing};
use serde_json::Value;
use std::collections::HashSet;
pub use step::{hazard, Lock, Step};

#[derive(Debug, Clone)]
pub struct Options {
    /// Online forms: CONCURRENTLY index builds, NOT VALID then VALIDATE, NOT NULL through a
    /// validated CHECK.
    pub online: bool,
    /// Above this row estimate a strong lock on a table is a hazard.
    pub large_table_rows: i64,
    /// The major of the server the plan runs on.
    pub major: u32,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub source_signature: String,
    pub target_signature: String,
    pub schemas: Vec<String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanError {
    pub message: String,
    pub hint: String,
}

/// The phases, in the order their statements run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    Guard,
    DropDatabaseWide,
    DropViews,
    DropTableParts,
    DropForeignKeys,
    DropConstraints,
    Detach,
    DropTables,
    DropColumns,
    DropReplaced,
    RenameSchemas,
    RenameObjects,
    RenameParts,
    Schemas,
    Extensions,
    Collations,
    Types,
    Functions,
    TypesAfterFunctions,
    Tables,
    Attach,
    Constraints,
    LateFunctions,
    ForeignKeys,
    Views,
    TableParts,
    DatabaseWide,
    EventTriggers,
    DropRoutineUsers,
    DropRoutines,
    DropTypes,
    DropExtensions,
    DropSchemas,
}

pub(crate) struct Builder<'a> {
    pub src: &'a Snapshot,
    pub tgt: &'a Snapshot,
    pub sv: Value,
    pub tv: Value,
    pub kw: &'a Keywords,
    pub opts: &'a Options,
    pub pairing: Pairing,
    pub maps: NameMaps,
    pub src_by: ByTable<'a>,
    pub tgt_by: ByTable<'a>,
    pub src_x: Extras,
    pub tgt_x: Extras,
    /// Source tables whose columns change type or go away (views reading them are remade).
    pub reshaped: HashSet<String>,
    steps: Vec<(Phase, usize, Step)>,
}

impl<'a> Builder<'a> {
    pub fn push(&mut self, phase: Phase, step: Step) {
        let n = self.steps.len();
        self.steps.push((phase, n, step));
    }

    /// Every statement of `sql` (a renderer's output) as a step of `phase`.
    pub fn push_sql(&mut self, phase: Phase, sql: &str) {
        for statement in sql_text::split_statements(sql) {
            let step = classify(Step::new(statement));
            self.push(phase, step);
        }
    }

    /// The target entry paired with a source entry.
    pub fn target_of(&self, section: &str, key: &str) -> Option<&String> {
        self.pairing.target_of(section, key)
    }

    pub fn source_of(&self, section: &str, key: &str) -> Option<&String> {
        self.pairing.source_of(section, key)
    }

    /// The fields in which a paired entry changed, renames aside.
    pub fn changed(&self, section: &str, from: &str, to: &str) -> Vec<String> {
        let a = crate::sections::section(&self.sv, section).and_then(|m| m.get(from));
        let b = crate::sections::section(&self.tv, section).and_then(|m| m.get(to));
        match (a, b) {
            (Some(a), Some(b)) => pairing::changed_fields(section, a, b, &self.maps, self.kw),
            _ => vec!["*".into()],
        }
    }
}

/// Hazards of a statement a renderer wrote for a new object: grants and owners change who
/// may do what.
fn classify(step: Step) -> Step {
    let head = step.statement.trim_start().to_ascii_uppercase();
    let authz = head.starts_with("GRANT ") || head.starts_with("REVOKE ") || head.starts_with("CREATE POLICY") || head.contains(" OWNER TO ") || head.contains(" ROW LEVEL SECURITY") || head.starts_with("ALTER DEFAULT PRIVILEGES");
    if authz {
        step.hazard(hazard::AUTHZ_UPDATE)
    } else {
        step
    }
}

/// The plan from `source` to `target`.
pub fn plan(source: &Snapshot, target: &Snapshot, kw: &Keywords, opts: &Options) -> Result<Plan, PlanError> {
    let to_value = |s: &Snapshot| serde_json::to_value(s).map_err(|e| PlanError { message: format!("the snapshot could not be read: {e}"), hint: "Pass values lens_snapshot() returned.".into() });
    plan_with_values(source, target, to_value(source)?, to_value(target)?, kw, opts)
}

/// `plan` for snapshots at hand as JSON too (`sv`, `tv`: the same snapshots as values), so
/// that they are not written out again.
pub fn plan_with_values(source: &Snapshot, target: &Snapshot, sv: Value, tv: Value, kw: &Keywords, opts: &Options) -> Result<Plan, PlanError> {
    for (what, snap) in [("source", source), ("target", target)] {
        if snap.meta.tables.is_some() {
            return Err(PlanError {
                message: format!("the {what} snapshot is limited to some tables"),
                hint: "Plan between snapshots of whole schemas: lens_snapshot(schemas) without a table list.".into(),
            });
        }
    }
    let same_database = matches!((&source.meta.database_id, &target.meta.database_id), (Some(a), Some(b)) if a == b);
    let renamed = if same_database { Value::Null } else { crate::diff::diff(&sv, &tv) };
    let pairing = pairing::pair(&sv, &tv, same_database, &renamed);
    let maps = pairing::name_maps(&sv, &tv, &pairing);
    let (src_by, tgt_by) = (ByTable::new(source), ByTable::new(target));
    let (src_x, tgt_x) = (derived::extras(source, &src_by, kw, false), derived::extras(target, &tgt_by, kw, true));
    let mut b = Builder {
        src: source,
        tgt: target,
        src_by,
        tgt_by,
        src_x,
        tgt_x,
        sv,
        tv,
        kw,
        opts,
        pairing,
        maps,
        reshaped: HashSet::new(),
        steps: Vec::new(),
    };
    settle::settle(&mut b);
    b.push(Phase::Guard, Step::new("SET check_function_bodies = false;"));
    tables::plan_tables(&mut b);
    objects::plan_objects(&mut b);
    renames::plan_renames(&mut b);
    let mut steps = std::mem::take(&mut b.steps);
    steps.sort_by_key(|(phase, n, _)| (*phase, *n));
    let large = |key: &str| {
        let rows = |s: &Snapshot| s.tables.get(key).map(|t| t.row_estimate).unwrap_or(0);
        rows(source).max(rows(target)) > opts.large_table_rows
    };
    let steps = steps
        .into_iter()
        .map(|(_, _, mut step)| {
            if step.table.as_deref().is_some_and(large) {
                match step.lock {
                    Lock::Exclusive => step = step.hazard(hazard::ACCESS_EXCLUSIVE_LOCK),
                    Lock::Share => step = step.hazard(hazard::SHARE_LOCK),
                    _ => {}
                }
            }
            step
        })
        .collect();
    Ok(Plan { source_signature: source.meta.signature.clone(), target_signature: target.meta.signature.clone(), schemas: source.meta.schemas.clone(), steps })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn snapshot(tables: &[(&str, i64)], database: &str) -> Snapshot {
        let mut map = serde_json::Map::new();
        for (name, oid) in tables {
            let key = crate::ident::qualified("public", name, &Keywords::postgres15());
            map.insert(key.clone(), json!({"key": key, "oid": oid, "schema": "public", "name": name, "kind": "table"}));
        }
        let mut snap: Snapshot = serde_json::from_value(json!({"meta": {"schemas": ["public"], "databaseId": database, "formatVersion": 3}, "tables": map})).unwrap();
        crate::signature::stamp(&mut snap);
        snap
    }

    fn statements(from: &Snapshot, to: &Snapshot) -> Vec<String> {
        let options = Options { online: false, large_table_rows: 100_000, major: 15 };
        plan(from, to, &Keywords::postgres15(), &options).unwrap().steps.into_iter().map(|s| s.statement).skip(1).collect()
    }

    #[test]
    fn two_tables_that_trade_names_go_through_a_temporary_name() {
        let from = snapshot(&[("a", 1), ("b", 2)], "db");
        let to = snapshot(&[("a", 2), ("b", 1)], "db");
        assert_eq!(
            statements(&from, &to),
            ["ALTER TABLE public.a RENAME TO lens_rename_1;", "ALTER TABLE public.b RENAME TO a;", "ALTER TABLE public.lens_rename_1 RENAME TO b;"]
        );
    }

    #[test]
    fn a_table_made_again_under_its_name_is_another_table_and_across_databases_the_same() {
        let from = snapshot(&[("Order Items", 1)], "db");
        let again = snapshot(&[("Order Items", 7)], "db");
        assert_eq!(statements(&from, &again), ["DROP TABLE public.\"Order Items\";", "CREATE TABLE public.\"Order Items\" (\n\n);"]);
        let elsewhere = snapshot(&[("Order Items", 7)], "other");
        assert!(statements(&from, &elsewhere).is_empty());
    }

    #[test]
    fn an_fk_renamed_under_the_same_key_is_renamed() {
        let fk = |name: &str| {
            let mut snap = snapshot(&[("a", 1), ("b", 2)], "db");
            let key = "public.a(id) -> public.b(id)".to_string();
            let entry = json!({"key": key, "oid": 9, "name": name, "constraintKey": format!("public.a:\"{name}\""), "childKey": "public.a", "childCols": ["id"], "parentKey": "public.b", "parentCols": ["id"], "onUpdate": "NO ACTION", "onDelete": "NO ACTION", "deferrable": false, "initiallyDeferred": false});
            snap.relationships.insert(key, serde_json::from_value(entry).unwrap());
            crate::signature::stamp(&mut snap);
            snap
        };
        assert_eq!(statements(&fk("fk 2"), &fk("fk 0")), ["ALTER TABLE public.a RENAME CONSTRAINT \"fk 2\" TO \"fk 0\";"]);
    }

    #[test]
    fn a_snapshot_limited_to_tables_is_refused() {
        let mut from = snapshot(&[("a", 1)], "db");
        from.meta.tables = Some(vec!["public.a".into()]);
        let to = snapshot(&[("a", 1)], "db");
        let options = Options { online: false, large_table_rows: 100_000, major: 15 };
        let e = plan(&from, &to, &Keywords::postgres15(), &options).unwrap_err();
        assert!(e.message.contains("limited to some tables") && e.hint.contains("lens_snapshot"));
    }
}
