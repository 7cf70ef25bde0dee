//! The `rust` target: a serde + `sqlx::FromRow` struct per table and view with the select
//! list that reads it, an enum per enum type (sqlx's traits written out, so it decodes
//! whatever the connection's search_path), and a serde struct per composite type (read as
//! JSON). Every path is absolute, so a table named `Option` or `String` shadows nothing.

use super::declarations::{composite_title, relation_title};
use super::plan::{CompositeItem, EnumItem, Field, Plan, RelationItem};
use super::text::{comment, comment_lines, rust_string};
use crate::ident::always_quoted;
use super::types::{ArrayCast, JsonForm, RustRead, Ty};
use super::Uses;
use std::fmt::Write;

const STRING: &str = "::std::string::String";
const VALUE: &str = "::serde_json::Value";

/// How the select list reads a column.
#[derive(Debug, Clone, PartialEq)]
enum Read {
    Native,
    /// Cast to text (an array to text[]).
    Text { array: bool },
    /// An array read as one sqlx knows.
    Cast(ArrayCast),
    /// `to_json(column)`.
    Json,
}

fn option(t: &str) -> String {
    format!("::std::option::Option<{t}>")
}

fn vec_of_options(t: &str) -> String {
    format!("::std::vec::Vec<{}>", option(t))
}

/// The Rust type of a value as JSON carries it (inside a composite or an array read as JSON).
fn json_type(plan: &Plan, ty: &Ty) -> String {
    match ty {
        Ty::Builtin(b) => match b.json {
            JsonForm::Int16 => "i16".into(),
            JsonForm::Int32 => "i32".into(),
            JsonForm::Int64 => "i64".into(),
            JsonForm::Bool => "bool".into(),
            JsonForm::Text => STRING.into(),
            // a number, or "NaN" and the infinities as strings
            JsonForm::Number | JsonForm::Json => VALUE.into(),
        },
        Ty::OtherText | Ty::ExtensionText => STRING.into(),
        Ty::Enum(key) | Ty::Composite(key) => plan.type_name(key).to_string(),
        Ty::Array(element, _) => vec_of_options(&json_type(plan, element)),
        Ty::Unknown(_) => VALUE.into(),
    }
}

/// The Rust type sqlx decodes a column of `ty` into, and how the select list reads it.
fn column_type(plan: &Plan, ty: &Ty, uses: &mut Uses) -> (String, Read) {
    match ty {
        Ty::Builtin(b) => match b.rust {
            RustRead::Native(t, dep) => {
                uses.deps.extend(dep);
                (t.to_string(), Read::Native)
            }
            RustRead::Text => (STRING.into(), Read::Text { array: false }),
        },
        Ty::OtherText | Ty::ExtensionText => (STRING.into(), Read::Text { array: false }),
        Ty::Enum(key) => (plan.type_name(key).to_string(), Read::Native),
        Ty::Composite(key) => (format!("::sqlx::types::Json<{}>", plan.type_name(key)), Read::Json),
        Ty::Unknown(_) => (VALUE.into(), Read::Json),
        Ty::Array(element, cast) => {
            // arrays of composites, of unknown types and of arrays (sqlx decodes none): as JSON
            let as_json = || match **element {
                Ty::Unknown(_) => (VALUE.into(), Read::Json),
                _ => (format!("::sqlx::types::Json<{}>", vec_of_options(&json_type(plan, element))), Read::Json),
            };
            if matches!(**element, Ty::Array(..)) {
                return as_json();
            }
            match column_type(plan, element, uses) {
                (t, Read::Native) => (vec_of_options(&t), cast.clone().map(Read::Cast).unwrap_or(Read::Native)),
                (_, Read::Text { .. }) => (vec_of_options(STRING), Read::Text { array: true }),
                _ => as_json(),
            }
        }
    }
}

/// The Rust type of a column of `ty`, and how the select list reads it in words (empty:
/// as it is), for the mapping table.
pub fn column_type_described(plan: &Plan, ty: &Ty, uses: &mut Uses) -> (String, &'static str) {
    let (t, read) = column_type(plan, ty, uses);
    let how = match read {
        Read::Native => "",
        Read::Text { .. } => "as `::text`",
        Read::Cast(_) => "cast to an array sqlx knows",
        Read::Json => "as `to_json()`",
    };
    (t, how)
}

fn select_item(f: &Field, read: &Read) -> String {
    let col = always_quoted(&f.name);
    match read {
        Read::Native => col,
        Read::Text { array: false } => format!("{col}::pg_catalog.text AS {col}"),
        Read::Text { array: true } => format!("{col}::pg_catalog.text[] AS {col}"),
        Read::Cast(ArrayCast::To(element)) => format!("{col}::{element}[] AS {col}"),
        Read::Cast(ArrayCast::Split(element)) => format!("pg_catalog.string_to_array({col}::pg_catalog.text, ' ')::{element}[] AS {col}"),
        Read::Json => format!("pg_catalog.to_json({col}) AS {col}"),
    }
}

fn doc(out: &mut String, indent: &str, first: &str, more: Option<&str>) {
    let _ = writeln!(out, "{indent}/// {}", comment(first));
    if let Some(text) = more {
        let _ = writeln!(out, "{indent}///");
        for line in comment_lines(text) {
            let _ = writeln!(out, "{indent}/// {line}");
        }
    }
}

/// The field's attributes and declaration; its name is renamed for serde (and sqlx, for a
/// row) when the identifier is not the column's name.
fn field(out: &mut String, f: &Field, ty: &str, from_row: bool) {
    let note = f.ty.unknown_note().map(|n| format!(" ({n})")).unwrap_or_default();
    doc(out, "    ", &format!("`{}`{note}", f.data_type), f.comment.as_deref());
    if f.rust.strip_prefix("r#").unwrap_or(&f.rust) != f.name {
        let name = rust_string(&f.name);
        let _ = writeln!(out, "    #[serde(rename = {name})]");
        if from_row {
            let _ = writeln!(out, "    #[sqlx(rename = {name})]");
        }
    }
    let _ = writeln!(out, "    pub {}: {ty},", f.rust);
}

fn enum_item(out: &mut String, e: &EnumItem) {
    let n = &e.name;
    let _ = writeln!(out);
    doc(out, "", &format!("Enum `{}`.", e.key), e.comment.as_deref());
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]\n");
    let _ = writeln!(out, "pub enum {n} {{");
    for (label, variant) in e.labels.iter().zip(&e.variants) {
        let _ = writeln!(out, "    #[serde(rename = {})]\n    {variant},", rust_string(label));
    }
    out.push_str("}\n\n");
    let _ = writeln!(out, "impl {n} {{");
    let _ = writeln!(out, "    /// The type as SQL names it.\n    pub const SQL_TYPE: &'static str = {};", rust_string(&e.key));
    let labels: Vec<String> = e.labels.iter().map(|l| rust_string(l)).collect();
    let _ = writeln!(out, "    /// The labels, in the type's order.\n    pub const LABELS: &'static [&'static str] = &[{}];", labels.join(", "));
    let all: Vec<String> = e.variants.iter().map(|v| format!("Self::{v}")).collect();
    let _ = writeln!(out, "    pub const ALL: &'static [Self] = &[{}];", all.join(", "));
    out.push_str("\n    pub fn label(self) -> &'static str {\n        match self {\n");
    for (label, variant) in labels.iter().zip(&e.variants) {
        let _ = writeln!(out, "            Self::{variant} => {label},");
    }
    out.push_str("        }\n    }\n}\n\n");
    // the column's type is named as the connection's search_path prints it: qualified, or bare
    // when the schema is on the path (a derived type_name matches one of the two only)
    let _ = writeln!(
        out,
        "impl ::sqlx::Type<::sqlx::Postgres> for {n} {{
    fn type_info() -> ::sqlx::postgres::PgTypeInfo {{
        ::sqlx::postgres::PgTypeInfo::with_name(Self::SQL_TYPE)
    }}

    fn compatible(ty: &::sqlx::postgres::PgTypeInfo) -> bool {{
        // labels added since the code was made only fail the rows that hold them (decode)
        let name = ::sqlx::TypeInfo::name(ty);
        (name == Self::SQL_TYPE || name == {bare}) && matches!(ty.kind(), ::sqlx::postgres::PgTypeKind::Enum(_))
    }}
}}

impl ::sqlx::postgres::PgHasArrayType for {n} {{
    fn array_type_info() -> ::sqlx::postgres::PgTypeInfo {{
        ::sqlx::postgres::PgTypeInfo::array_of(Self::SQL_TYPE)
    }}

    fn array_compatible(ty: &::sqlx::postgres::PgTypeInfo) -> bool {{
        matches!(ty.kind(), ::sqlx::postgres::PgTypeKind::Array(element)
            if <Self as ::sqlx::Type<::sqlx::Postgres>>::compatible(element))
    }}
}}

impl<'r> ::sqlx::Decode<'r, ::sqlx::Postgres> for {n} {{
    fn decode(value: ::sqlx::postgres::PgValueRef<'r>) -> ::std::result::Result<Self, ::sqlx::error::BoxDynError> {{
        let label = <&str as ::sqlx::Decode<'r, ::sqlx::Postgres>>::decode(value)?;
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.label() == label)
            .ok_or_else(|| ::std::format!(\"{{label:?}} is not a label of {{}}\", Self::SQL_TYPE).into())
    }}
}}

impl ::sqlx::Encode<'_, ::sqlx::Postgres> for {n} {{
    fn encode_by_ref(
        &self,
        buf: &mut ::sqlx::postgres::PgArgumentBuffer,
    ) -> ::std::result::Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {{
        <&str as ::sqlx::Encode<'_, ::sqlx::Postgres>>::encode(self.label(), buf)
    }}
}}",
        bare = rust_string(&e.bare_sql)
    );
}

fn composite_item(out: &mut String, plan: &Plan, c: &CompositeItem) {
    let _ = writeln!(out);
    doc(out, "", &format!("{}, as to_json gives it.", composite_title(c.of_table, &c.key)), c.comment.as_deref());
    out.push_str("#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]\n");
    let _ = writeln!(out, "pub struct {} {{", c.name);
    for f in &c.fields {
        field(out, f, &option(&json_type(plan, &f.ty)), false);
    }
    out.push_str("}\n");
}

fn relation_item(out: &mut String, plan: &Plan, r: &RelationItem, uses: &mut Uses) {
    let _ = writeln!(out);
    doc(out, "", &format!("{}.", relation_title(&r.kind, &r.key, &r.partitions)), r.comment.as_deref());
    out.push_str("#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize, ::sqlx::FromRow)]\n");
    let _ = writeln!(out, "pub struct {} {{", r.name);
    let mut select = Vec::with_capacity(r.fields.len());
    for f in &r.fields {
        let (ty, read) = column_type(plan, &f.ty, uses);
        select.push(select_item(f, &read));
        field(out, f, &if f.nullable { option(&ty) } else { ty }, true);
    }
    out.push_str("}\n\n");
    let columns = select.join(", ");
    let _ = writeln!(out, "impl {} {{", r.name);
    let _ = writeln!(out, "    /// The relation's key in pg_lens's snapshot.\n    pub const RELATION: &'static str = {};", rust_string(&r.key));
    let _ = writeln!(out, "    /// The select list that reads a row into this struct.\n    pub const COLUMNS: &'static str = {};", rust_string(&columns));
    let _ = writeln!(out, "    pub const SELECT: &'static str = {};", rust_string(&format!("SELECT {columns} FROM {}", r.from_sql)));
    out.push_str("}\n");
}

pub fn render(plan: &Plan, uses: &mut Uses) -> String {
    let mut out = String::new();
    for e in &plan.enums {
        enum_item(&mut out, e);
    }
    for c in &plan.composites {
        composite_item(&mut out, plan, c);
    }
    for r in &plan.relations {
        relation_item(&mut out, plan, r, uses);
    }
    out
}

/// The header's list of crates, for what the output uses.
pub fn crates(uses: &Uses) -> String {
    let mut features = vec!["\"postgres\"", "\"macros\"", "\"json\""];
    let deps: Vec<_> = uses.deps.iter().collect();
    let feature_names: Vec<String> = deps.iter().map(|d| format!("\"{}\"", d.sqlx_feature())).collect();
    features.extend(feature_names.iter().map(String::as_str));
    let mut out = String::from("// It needs these crates (Cargo.toml), and one of sqlx's runtime features:\n");
    out.push_str("//   serde = { version = \"1\", features = [\"derive\"] }\n//   serde_json = \"1\"\n");
    let _ = writeln!(out, "//   sqlx = {{ version = \"0.8\", default-features = false, features = [{}] }}", features.join(", "));
    for d in deps {
        let _ = writeln!(out, "//   {}", d.cargo_line());
    }
    out
}
