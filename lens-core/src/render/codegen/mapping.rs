//! The type mapping table (README, "Typed code"), written from the declarations the targets
//! use, and which of its rows a schema's columns exercise (the tests hold a fixture to all).

use super::plan::Plan;
use super::types::{resolve, Ty, BUILTINS};
use super::{rust, typescript, zod, Uses};
use crate::model::Snapshot;
use std::collections::{BTreeSet, HashMap};

/// Rows that are kinds of types rather than built-in types: (id, what the README calls it).
const KINDS: &[(&str, &str)] = &[
    ("enum", "an enum"),
    ("domain", "a domain"),
    ("composite", "a composite type"),
    ("table row", "a table's row type"),
    ("array", "an array of T"),
    ("domain array", "an array of a domain"),
    ("vector", "`int2vector`, `oidvector`"),
    ("range", "a user range or multirange type"),
    ("citext", "citext (extension)"),
    ("other", "any other built-in type"),
    ("unknown", "a type of another extension"),
];

pub struct Row {
    pub id: &'static str,
    pub postgres: String,
    pub typescript: String,
    pub zod: String,
    pub rust: String,
    pub note: &'static str,
}

/// A plan that names the example enum and composite of the kind rows.
fn example_plan() -> Plan {
    let names = HashMap::from([("e".to_string(), "Mood".to_string()), ("c".to_string(), "Pair".to_string())]);
    Plan { schemas: None, enums: vec![], composites: vec![], relations: vec![], names }
}

fn row(id: &'static str, postgres: String, ty: &Ty, note: &'static str) -> Row {
    let plan = example_plan();
    let mut uses = Uses::default();
    let (rust, read) = rust::column_type_described(&plan, ty, &mut uses);
    let rust = if read.is_empty() { format!("`{rust}`") } else { format!("`{rust}`, read {read}") };
    Row { id, postgres, typescript: format!("`{}`", typescript::ts_type(&plan, ty, &mut uses)), zod: format!("`{}`", zod::zod_type(&plan, ty, &mut uses)), rust, note }
}

pub fn rows() -> Vec<Row> {
    let int = Ty::Builtin(&BUILTINS[2]);
    let mut out: Vec<Row> = BUILTINS.iter().map(|b| row(b.names[0], format!("`{}`", b.names.join("`, `")), &Ty::Builtin(b), b.note)).collect();
    for &(id, title) in KINDS {
        let (ty, note) = match id {
            "enum" => (Ty::Enum("e".into()), "labels as written; Rust variants with `#[serde(rename)]`"),
            "domain" => (int.clone(), "as its base type (here integer); a domain's default makes an insert field optional"),
            "composite" => (Ty::Composite("c".into()), "a nested object; Rust reads it as JSON into a serde struct"),
            "table row" => (Ty::Composite("c".into()), "as a composite type, named after the table with `Record`"),
            "array" => (Ty::Array(Box::new(int.clone()), None), "one dimension; elements may be NULL"),
            "domain array" => (Ty::Array(Box::new(int.clone()), Some("integer".into())), "Rust casts it to the base type's array (a domain's array keeps the domain's type)"),
            "vector" => (Ty::Array(Box::new(Ty::Builtin(&BUILTINS[1])), Some("smallint".into())), "arrays of smallint and oid (here int2vector)"),
            "range" => (Ty::OtherText, ""),
            "citext" => (Ty::ExtensionText, "in any schema"),
            "other" => (Ty::OtherText, "its text output"),
            _ => (Ty::Unknown("x".into()), "what its cast to json, or else its text output, gives"),
        };
        out.push(row(id, title.to_string(), &ty, note));
    }
    out
}

/// The table as the README has it.
pub fn markdown() -> String {
    let mut out = String::from("| PostgreSQL | TypeScript | Zod | Rust (sqlx 0.8) | note |\n|---|---|---|---|---|\n");
    for r in rows() {
        let cell = |s: &str| s.replace('|', "\\|");
        out.push_str(&format!("| {} | {} | {} | {} | {} |\n", r.postgres, cell(&r.typescript), cell(&r.zod), cell(&r.rust), cell(r.note)));
    }
    out
}

/// The ids of the rows that the columns of `snapshot`'s relations exercise.
pub fn coverage(snapshot: &Snapshot) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    for c in snapshot.columns.values() {
        let text = c.data_type.as_str();
        let element = text.strip_suffix("[]");
        let name = super::types::without_modifiers(element.unwrap_or(text));
        if super::types::VECTORS.iter().any(|(vector, _)| *vector == name) {
            out.insert("vector");
            continue;
        }
        if element.is_some() {
            out.insert(if snapshot.domains.contains_key(&name) { "domain array" } else { "array" });
        }
        if snapshot.domains.contains_key(&name) {
            out.insert("domain");
        }
        if snapshot.tables.contains_key(&name) {
            out.insert("table row");
        }
        let user_range = snapshot.types.get(&name).is_some_and(|t| t.kind == "range")
            || snapshot.types.values().any(|t| t.multirange.as_deref() == Some(name.as_str()));
        if user_range {
            out.insert("range");
        }
        match resolve(snapshot, element.unwrap_or(text)).ty {
            Ty::Builtin(b) => {
                out.insert(b.names[0]);
            }
            Ty::Enum(_) => {
                out.insert("enum");
            }
            Ty::Composite(key) if !snapshot.tables.contains_key(&key) => {
                out.insert("composite");
            }
            Ty::ExtensionText => {
                out.insert("citext");
            }
            Ty::OtherText if !user_range => {
                out.insert("other");
            }
            Ty::Unknown(_) => {
                out.insert("unknown");
            }
            _ => {}
        }
    }
    out
}

/// Every row's id.
pub fn ids() -> BTreeSet<&'static str> {
    rows().iter().map(|r| r.id).collect()
}
