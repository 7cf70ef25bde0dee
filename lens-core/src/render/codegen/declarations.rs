//! What the TypeScript and Zod targets both declare, in one order and with one set of doc
//! comments: enums, composite types, each relation's row and (for tables) insert, and the
//! maps by relation key. A target says how each is written (`Target`); the doc comments are
//! shared with the Rust target.

use super::plan::{Field, Insert, Plan};
use super::text::{comment, comment_lines, js_string};
use super::Uses;
use std::fmt::Write;

/// How one target writes each declaration.
pub trait Writer {
    /// What follows an enum's doc comment.
    fn enumeration(&self, out: &mut String, name: &str, labels: &[String]);
    /// A row (`insert` false) or insert object type named `name` of `fields`.
    fn object(&self, out: &mut String, plan: &Plan, name: &str, fields: &[Field], insert: bool, uses: &mut Uses);
    /// The opening and closing of a map by relation key, and one entry.
    fn map(&self, rows: bool) -> (String, &'static str);
    fn entry(&self, key: &str, name: &str) -> String;
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

/// How a field is described: its SQL type, whether the server sets it, an unknown type said.
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

/// What a composite's doc comment says first.
pub fn composite_title(of_table: bool, key: &str) -> String {
    format!("{} {key} as a value", if of_table { "Row of table" } else { "Composite type" })
}

/// Every declaration of `plan`, written by `w`.
pub fn write(plan: &Plan, w: &dyn Writer, uses: &mut Uses) -> String {
    let mut out = String::new();
    for e in &plan.enums {
        out.push('\n');
        doc(&mut out, "", &format!("Enum {}", e.key), e.comment.as_deref());
        w.enumeration(&mut out, &e.name, &e.labels);
    }
    for c in &plan.composites {
        out.push('\n');
        doc(&mut out, "", &composite_title(c.of_table, &c.key), c.comment.as_deref());
        w.object(&mut out, plan, &c.name, &c.fields, false, uses);
    }
    for r in &plan.relations {
        out.push('\n');
        doc(&mut out, "", &relation_title(&r.kind, &r.key, &r.partitions), r.comment.as_deref());
        w.object(&mut out, plan, &r.name, &r.fields, false, uses);
        if let Some(insert) = &r.insert_name {
            out.push('\n');
            let what = format!("An INSERT into {}: what it must give, may give (optional), and must not give (never)", r.key);
            doc(&mut out, "", &what, None);
            w.object(&mut out, plan, insert, &r.fields, true, uses);
        }
    }
    for rows in [true, false] {
        let (open, close) = w.map(rows);
        out.push('\n');
        out.push_str(&open);
        for r in &plan.relations {
            let name = if rows { Some(&r.name) } else { r.insert_name.as_ref() };
            if let Some(name) = name {
                out.push_str(&w.entry(&js_string(&r.key), name));
            }
        }
        out.push_str(close);
    }
    out
}
