//! The `zod` target (Zod 4): a schema per enum, composite type, relation and table insert,
//! each with its inferred type, and `rowSchemas` / `insertSchemas` by relation key.

use super::plan::{Field, Insert, Plan};
use super::text::{js_key, js_string};
use super::types::{JsonForm, Ty};
use super::declarations::{self, doc, field_summary, Writer};
use super::Uses;
use std::fmt::Write;

/// The Zod schema of a value of `ty` in to_json's output (`insert`: what an INSERT may give,
/// where the stricter schemas of output forms do not apply: PostgreSQL takes a uuid in more
/// forms than it prints).
pub fn zod_type(plan: &Plan, ty: &Ty, insert: bool, uses: &mut Uses) -> String {
    match ty {
        Ty::Builtin(b) => match (b.zod, b.json) {
            (Some(zod), _) if !insert => zod.into(),
            (Some(_), JsonForm::Text) => "z.string()".into(),
            (Some(zod), _) => zod.into(),
            (None, JsonForm::Int16) => "z.number().int().min(-32768).max(32767)".into(),
            (None, JsonForm::Int32) => "z.number().int().min(-2147483648).max(2147483647)".into(),
            // not .int(): past 2^53 Zod 4 refuses a number JSON.parse rounded
            (None, JsonForm::Int64) => "z.number()".into(),
            (None, JsonForm::Number) => {
                uses.pg_number = true;
                "PgNumber".into()
            }
            (None, JsonForm::Bool) => "z.boolean()".into(),
            (None, JsonForm::Text) => "z.string()".into(),
            (None, JsonForm::Json) => {
                uses.json = true;
                "Json".into()
            }
        },
        Ty::OtherText | Ty::ExtensionText => "z.string()".into(),
        Ty::Enum(key) | Ty::Composite(key) => plan.type_name(key).to_string(),
        Ty::Array(element, _) => format!("z.array({}.nullable())", zod_type(plan, element, insert, uses)),
        Ty::Unknown(_) => {
            uses.json = true;
            "Json".into()
        }
    }
}

/// An object key; `__proto__` computed, since as a plain key it would set the prototype.
fn key(name: &str) -> String {
    if name == "__proto__" {
        format!("[{}]", js_string(name))
    } else {
        js_key(name)
    }
}

fn field_line(out: &mut String, plan: &Plan, f: &Field, insert: bool, uses: &mut Uses) {
    doc(out, "  ", &field_summary(f), f.comment.as_deref());
    let mut schema = zod_type(plan, &f.ty, insert, uses);
    if if insert { f.insert_nullable } else { f.nullable } {
        schema.push_str(".nullable()");
    }
    let schema = match (insert, f.insert) {
        (true, Insert::Never) => "z.never().optional()".to_string(),
        (true, Insert::Optional) => format!("{schema}.optional()"),
        _ => schema,
    };
    let _ = writeln!(out, "  {}: {schema},", key(&f.name));
}

/// Zod's declarations: a schema constant and its inferred type under one name.
struct Zod;

impl Writer for Zod {
    fn enumeration(&self, out: &mut String, name: &str, labels: &[String]) {
        let schema = if labels.is_empty() {
            "z.never()".to_string()
        } else {
            format!("z.enum([{}])", labels.iter().map(|l| js_string(l)).collect::<Vec<_>>().join(", "))
        };
        let _ = writeln!(out, "export const {name} = {schema};\nexport type {name} = z.infer<typeof {name}>;");
    }

    fn object(&self, out: &mut String, plan: &Plan, name: &str, fields: &[Field], insert: bool, uses: &mut Uses) {
        let _ = writeln!(out, "export const {name} = z.object({{");
        for f in fields {
            field_line(out, plan, f, insert, uses);
        }
        let _ = writeln!(out, "}});\nexport type {name} = z.infer<typeof {name}>;");
    }

    fn map(&self, rows: bool) -> (String, &'static str) {
        let open = if rows {
            "/** Each relation's row schema, by its key. */\nexport const rowSchemas = {\n"
        } else {
            "/** Each table's insert schema, by its key. */\nexport const insertSchemas = {\n"
        };
        (open.to_string(), "} as const;\n")
    }

    fn entry(&self, key: &str, name: &str) -> String {
        format!("  {key}: {name},\n")
    }
}

pub fn render(plan: &Plan, uses: &mut Uses) -> String {
    declarations::write(plan, &Zod, uses)
}

/// The import and the schemas of what the output uses, which must come first.
pub fn helpers(uses: &Uses) -> String {
    let mut out = String::from("\nimport { z } from \"zod\";\n");
    if uses.json {
        out.push_str("\n/** Any JSON value: json and jsonb, and types pg_lens does not know. */\n");
        out.push_str("export const Json = z.json();\nexport type Json = z.infer<typeof Json>;\n");
    }
    if uses.pg_number {
        out.push_str("\n/** real, double precision and numeric: a number, or a value JSON has no number for. */\n");
        out.push_str("export const PgNumber = z.union([z.number(), z.enum([\"NaN\", \"Infinity\", \"-Infinity\"])]);\n");
        out.push_str("export type PgNumber = z.infer<typeof PgNumber>;\n");
    }
    out
}
