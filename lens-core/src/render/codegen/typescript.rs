//! The `typescript` target: a row interface per table and view, an insert interface per
//! table, a union of string literals per enum, an interface per composite type, and the
//! `Rows` / `Inserts` maps by relation key.

use super::declarations::{self, doc, field_summary, Writer};
use super::plan::{Field, Insert, Plan};
use super::text::{js_key, js_string};
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

fn field_line(out: &mut String, plan: &Plan, f: &Field, insert: bool, uses: &mut Uses) {
    doc(out, "  ", &field_summary(f), f.comment.as_deref());
    let mut ty = ts_type(plan, &f.ty, uses);
    if if insert { f.insert_nullable } else { f.nullable } {
        ty.push_str(" | null");
    }
    let (optional, ty) = match (insert, f.insert) {
        (true, Insert::Never) => ("?", "never".to_string()),
        (true, Insert::Optional) => ("?", ty),
        _ => ("", ty),
    };
    let _ = writeln!(out, "  {}{optional}: {ty};", js_key(&f.name));
}

/// TypeScript's declarations: `export type` and `export interface`.
struct TypeScript;

impl Writer for TypeScript {
    fn enumeration(&self, out: &mut String, name: &str, labels: &[String]) {
        let union = if labels.is_empty() { "never".to_string() } else { labels.iter().map(|l| js_string(l)).collect::<Vec<_>>().join(" | ") };
        let _ = writeln!(out, "export type {name} = {union};");
    }

    fn object(&self, out: &mut String, plan: &Plan, name: &str, fields: &[Field], insert: bool, uses: &mut Uses) {
        let _ = writeln!(out, "export interface {name} {{");
        for f in fields {
            field_line(out, plan, f, insert, uses);
        }
        out.push_str("}\n");
    }

    fn map(&self, rows: bool) -> (String, &'static str) {
        let open = if rows { "/** Each relation's row type, by its key. */\nexport interface Rows {\n" } else { "/** Each table's insert type, by its key. */\nexport interface Inserts {\n" };
        (open.to_string(), "}\n")
    }

    fn entry(&self, key: &str, name: &str) -> String {
        format!("  {key}: {name};\n")
    }
}

pub fn render(plan: &Plan, uses: &mut Uses) -> String {
    declarations::write(plan, &TypeScript, uses)
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
