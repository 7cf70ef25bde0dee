//! The type mapping table (README, "Typed code"), written by the targets' own functions from
//! each row's example type resolved in an example schema, and which rows a schema's columns
//! exercise (the tests hold the every-type fixture to all of them).

use super::plan::{plan, Plan};
use super::types::{is_domain, is_user_range, resolve, without_modifiers, Ty, BUILTINS, VECTORS};
use super::{rust, typescript, zod, Uses};
use crate::model::{Column, Domain, Enum, Snapshot, Table, TypeAttribute, UserType};
use std::collections::BTreeSet;

/// Rows that are kinds of types rather than built-in types: (id, what the README calls it,
/// an example's type text in the example schema, note).
const KINDS: &[(&str, &str, &str, &str)] = &[
    ("enum", "an enum", "public.mood", "labels as written; Rust variants with `#[serde(rename)]`"),
    ("domain", "a domain", "public.amount", "as its base type (here integer), `information_schema`'s too; a domain's default makes an insert field optional"),
    ("composite", "a composite type", "public.pair", "a nested object; Rust reads it as JSON into a serde struct"),
    ("table row", "a table's row type", "public.item", "as a composite type, named after the table with `Record`"),
    ("array", "an array of T", "integer[]", "one dimension; elements may be NULL"),
    ("domain array", "an array of a domain", "public.amount[]", "Rust casts it to the base type's array (a domain's array keeps the domain's type)"),
    ("vector", "`int2vector`, `oidvector`", "int2vector", "arrays of smallint and oid (here int2vector)"),
    ("range", "a user range or multirange type", "public.span", ""),
    ("citext", "citext (extension)", "public.citext", "in any schema"),
    ("other", "any other built-in type", "refcursor", "its text output"),
    ("unknown", "a type of another extension", "public.hstore", "what its cast to json, or else its text output, gives"),
];

/// The schema the kind rows' examples live in.
fn example_schema() -> Snapshot {
    let mut s = Snapshot::default();
    let key = |name: &str| format!("public.{name}");
    s.enums.insert(key("mood"), Enum { key: key("mood"), schema: "public".into(), name: "mood".into(), values: vec!["ok".into()], ..Default::default() });
    s.domains.insert(key("amount"), Domain { key: key("amount"), schema: "public".into(), name: "amount".into(), data_type: "integer".into(), ..Default::default() });
    let attributes = vec![TypeAttribute { name: "n".into(), data_type: "integer".into(), collation: None }];
    s.types.insert(key("pair"), UserType { key: key("pair"), schema: "public".into(), name: "pair".into(), kind: "composite".into(), attributes, ..Default::default() });
    s.types.insert(
        key("span"),
        UserType { key: key("span"), schema: "public".into(), name: "span".into(), kind: "range".into(), multirange: Some(key("spans")), ..Default::default() },
    );
    s.tables.insert(key("item"), Table { key: key("item"), schema: "public".into(), name: "item".into(), kind: "table".into(), ..Default::default() });
    // a table whose columns use the composites, so that the plan names them
    s.tables.insert(key("uses"), Table { key: key("uses"), schema: "public".into(), name: "uses".into(), kind: "table".into(), ..Default::default() });
    for (i, t) in ["public.pair", "public.item"].iter().enumerate() {
        let ckey = format!("public.uses.c{i}");
        s.columns.insert(ckey.clone(), Column { key: ckey, table_key: key("uses"), name: format!("c{i}"), position: i as i64 + 1, data_type: t.to_string(), ..Default::default() });
    }
    s
}

pub struct Row {
    pub id: &'static str,
    pub postgres: String,
    /// A type text the row is about (a built-in row's first name).
    pub example: String,
    pub typescript: String,
    pub zod: String,
    pub rust: String,
    pub note: &'static str,
}

fn row(plan: &Plan, id: &'static str, postgres: String, example: String, ty: &Ty, note: &'static str) -> Row {
    let mut uses = Uses::default();
    let (rust, read) = rust::column_type_described(plan, ty, &mut uses);
    let rust = if read.is_empty() { format!("`{rust}`") } else { format!("`{rust}`, read {read}") };
    Row {
        id,
        postgres,
        example,
        typescript: format!("`{}`", typescript::ts_type(plan, ty, &mut uses)),
        zod: format!("`{}`", zod::zod_type(plan, ty, false, &mut uses)),
        rust,
        note,
    }
}

pub fn rows() -> Vec<Row> {
    let example = example_schema();
    let plan = plan(&example, None);
    let mut out: Vec<Row> =
        BUILTINS.iter().map(|b| row(&plan, b.names[0], format!("`{}`", b.names.join("`, `")), b.names[0].to_string(), &Ty::Builtin(b), b.note)).collect();
    for &(id, title, example_type, note) in KINDS {
        let ty = resolve(&example, example_type).ty;
        out.push(row(&plan, id, title.to_string(), example_type.to_string(), &ty, note));
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

/// The rows a column of type `data_type` exercises in `snapshot`.
pub fn row_ids(snapshot: &Snapshot, data_type: &str) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    let element = data_type.strip_suffix("[]");
    let name = without_modifiers(element.unwrap_or(data_type));
    let domain = is_domain(snapshot, &name);
    if VECTORS.iter().any(|(vector, _)| *vector == name) {
        out.insert("vector");
        return out;
    }
    match (element.is_some(), domain) {
        (true, true) => out.insert("domain array"),
        (true, false) => out.insert("array"),
        (false, true) => out.insert("domain"),
        (false, false) => false,
    };
    if snapshot.tables.contains_key(&name) {
        out.insert("table row");
    }
    match resolve(snapshot, element.unwrap_or(data_type)).ty {
        Ty::Builtin(b) => out.insert(b.names[0]),
        Ty::Enum(_) => out.insert("enum"),
        Ty::Composite(key) if !snapshot.tables.contains_key(&key) => out.insert("composite"),
        Ty::ExtensionText => out.insert("citext"),
        Ty::OtherText if is_user_range(snapshot, &name) => out.insert("range"),
        Ty::OtherText => out.insert("other"),
        Ty::Unknown(_) => out.insert("unknown"),
        _ => false,
    };
    out
}

/// The rows the columns of `snapshot`'s relations exercise.
pub fn coverage(snapshot: &Snapshot) -> BTreeSet<&'static str> {
    snapshot.columns.values().flat_map(|c| row_ids(snapshot, &c.data_type)).collect()
}

/// Every row's id.
pub fn ids() -> BTreeSet<&'static str> {
    rows().iter().map(|r| r.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rows_example_is_what_the_row_is_about() {
        let example = example_schema();
        for r in rows() {
            let ids = row_ids(&example, &r.example);
            assert!(ids.contains(r.id), "{}: its example {} is classified {ids:?}", r.id, r.example);
        }
        assert_eq!(ids().len(), rows().len(), "row ids are distinct");
    }
}
