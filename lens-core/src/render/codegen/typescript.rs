//! The `typescript` target: a row interface per table and view, an insert interface per
//! table, a union of string literals per enum, an interface per composite type, and the
//! `Rows` / `Inserts` maps by relation key.

use super::plan::{Field, Insert, Plan};
use super::text::{comment, comment_lines, js_key, js_string};
use super::types::{JsonForm, Ty};
use super::Uses;
use std::fmt::Write;

/// The TypeScript type of a value of `ty` in to_json's output.
pub fn ts_type(plan: &Plan, ty: &Ty, uses: &mut Uses) -> String {
    match ty {
        Ty::Builtin(b) => match b.json {
            JsonForm::Int16 | JsonForm::Int32 | JsonForm::Int64 => "number".into(),
            JsonForm::Number => {
                uses.pg_number = true;
                "PgNumber".into()
            }
            JsonForm::Bool => "boolean".into(),
            JsonForm::Text => "string".into(),
            JsonForm::Json => {
                uses.json = true;
                "Json".into()
            }
        },
        Ty::OtherText | Ty::ExtensionText => "string".into(),
        Ty::Enum(key) | Ty::Composite(key) => plan.type_name(key).to_string(),
        Ty::Array(element, _) => format!("({} | null)[]", ts_type(plan, element, uses)),
        Ty::Unknown(_) => {
            uses.json = true;
            "Json".into()
        }
    }
}

/// A JSDoc block at `indent`: the first line, then the comment's lines.
pub fn doc(out: &mut String, indent: &str, first: &str, more: Option<&str>) {
    match more {
        None => {
            let _ = writeln!(out, "{indent}/** {} */", comment(first));
        }
        Some(text) => {
            let _ = writeln!(out, "{indent}/**\n{indent} * {}", comment(first));
            for line in comment_lines(text) {
                let _ = writeln!(out, "{indent} * {line}");
            }
            let _ = writeln!(out, "{indent} */");
        }
    }
}

/// How a field is described: its SQL type, generated or identity.
pub fn field_summary(f: &Field) -> String {
    let mut s = f.data_type.clone();
    if f.insert == Insert::Never {
        s.push_str(", set by the server");
    }
    if let Some(note) = f.ty.unknown_note() {
        s = format!("{s} ({note})");
    }
    s
}

/// What a relation's doc comment says first.
pub fn relation_title(kind: &str, key: &str, partitions: &[String]) -> String {
    let what = match kind {
        "view" => "View",
        "materialized_view" => "Materialized view",
        "foreign_table" => "Foreign table",
        "partitioned" => "Partitioned table",
        _ => "Table",
    };
    if partitions.is_empty() {
        format!("{what} {key}")
    } else {
        format!("{what} {key} (and its partitions {})", partitions.join(", "))
    }
}

fn field_line(out: &mut String, plan: &Plan, f: &Field, insert: bool, uses: &mut Uses) {
    doc(out, "  ", &field_summary(f), f.comment.as_deref());
    let mut ty = ts_type(plan, &f.ty, uses);
    if f.nullable {
        ty.push_str(" | null");
    }
    let (optional, ty) = match (insert, f.insert) {
        (true, Insert::Never) => ("?", "never".to_string()),
        (true, Insert::Optional) => ("?", ty),
        _ => ("", ty),
    };
    let _ = writeln!(out, "  {}{optional}: {ty};", js_key(&f.name));
}

pub fn render(plan: &Plan, uses: &mut Uses) -> String {
    let mut out = String::new();
    for e in &plan.enums {
        out.push('\n');
        doc(&mut out, "", &format!("Enum {}", e.key), e.comment.as_deref());
        let union = if e.labels.is_empty() { "never".to_string() } else { e.labels.iter().map(|l| js_string(l)).collect::<Vec<_>>().join(" | ") };
        let _ = writeln!(out, "export type {} = {union};", e.name);
    }
    for c in &plan.composites {
        out.push('\n');
        let what = if c.of_table { "Row of table" } else { "Composite type" };
        doc(&mut out, "", &format!("{what} {} as a value", c.key), c.comment.as_deref());
        let _ = writeln!(out, "export interface {} {{", c.name);
        for f in &c.fields {
            field_line(&mut out, plan, f, false, uses);
        }
        out.push_str("}\n");
    }
    for r in &plan.relations {
        out.push('\n');
        doc(&mut out, "", &relation_title(&r.kind, &r.key, &r.partitions), r.comment.as_deref());
        let _ = writeln!(out, "export interface {} {{", r.name);
        for f in &r.fields {
            field_line(&mut out, plan, f, false, uses);
        }
        out.push_str("}\n");
        if let Some(insert) = &r.insert_name {
            out.push('\n');
            doc(&mut out, "", &format!("An INSERT into {}: what it must give, may give (`?`), and must not give (`never`)", r.key), None);
            let _ = writeln!(out, "export interface {insert} {{");
            for f in &r.fields {
                field_line(&mut out, plan, f, true, uses);
            }
            out.push_str("}\n");
        }
    }
    out.push_str("\n/** Each relation's row type, by its key. */\nexport interface Rows {\n");
    for r in &plan.relations {
        let _ = writeln!(out, "  {}: {};", js_string(&r.key), r.name);
    }
    out.push_str("}\n\n/** Each table's insert type, by its key. */\nexport interface Inserts {\n");
    for r in &plan.relations {
        if let Some(insert) = &r.insert_name {
            let _ = writeln!(out, "  {}: {insert};", js_string(&r.key));
        }
    }
    out.push_str("}\n");
    out
}

/// The declarations of what the output uses.
pub fn helpers(uses: &Uses) -> String {
    let mut out = String::new();
    if uses.json {
        out.push_str("\n/** Any JSON value: json and jsonb, and types pg_lens does not know. */\n");
        out.push_str("export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };\n");
    }
    if uses.pg_number {
        out.push_str("\n/** real, double precision and numeric: a number, or a value JSON has no number for. */\n");
        out.push_str("export type PgNumber = number | \"NaN\" | \"Infinity\" | \"-Infinity\";\n");
    }
    out
}
