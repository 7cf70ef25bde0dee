//! What a column's type becomes in generated code: one declaration per built-in type (how
//! `to_json` prints it, the Zod check, how sqlx reads it in Rust), and the resolution of a
//! snapshot's `dataType` text (arrays, domains, enums, composites, extension types) to it.

use crate::ident::split_qualified;
use crate::model::Snapshot;

/// How a value appears in PostgreSQL's `to_json` output (which `row_to_json`, `json_agg` and
/// PostgREST share).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonForm {
    /// A JSON number that is an integer within the type's range.
    Int16,
    Int32,
    /// A JSON number; past 2^53 JavaScript's `JSON.parse` rounds it.
    Int64,
    /// A JSON number, or the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    Number,
    Bool,
    /// A JSON string: the type's text output.
    Text,
    /// Any JSON value, embedded as it is.
    Json,
}

/// A crate the Rust output needs beyond serde, serde_json and sqlx, with the sqlx feature that
/// brings its types. The output names the types through sqlx's re-exports (the versions sqlx
/// decodes); the application names the crate only to turn its serde feature on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dep {
    Chrono,
    Decimal,
    Uuid,
    IpNetwork,
    BitVec,
}

impl Dep {
    /// The line for the application's `Cargo.toml`.
    pub fn cargo_line(self) -> &'static str {
        match self {
            Dep::Chrono => "chrono = { version = \"0.4\", features = [\"serde\"] }",
            Dep::Decimal => "rust_decimal = \"1\"",
            Dep::Uuid => "uuid = { version = \"1\", features = [\"serde\"] }",
            Dep::IpNetwork => "ipnetwork = \"0.20\"",
            Dep::BitVec => "bit-vec = { version = \"0.6\", features = [\"serde\"] }",
        }
    }

    pub fn sqlx_feature(self) -> &'static str {
        match self {
            Dep::Chrono => "chrono",
            Dep::Decimal => "rust_decimal",
            Dep::Uuid => "uuid",
            Dep::IpNetwork => "ipnetwork",
            Dep::BitVec => "bit-vec",
        }
    }
}

/// How the Rust output reads a column of the type through sqlx 0.8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RustRead {
    /// sqlx decodes the type itself into this Rust type.
    Native(&'static str, Option<Dep>),
    /// sqlx has no decoder (or none with serde): the select list casts the column to text and
    /// the field is a `String`, which is also what `to_json` prints.
    Text,
}

/// A built-in type: the names `format_type` prints for it (type modifiers taken out) and what
/// each target makes of it.
#[derive(Debug)]
pub struct Builtin {
    pub names: &'static [&'static str],
    pub json: JsonForm,
    /// A stricter Zod schema than the JSON form's.
    pub zod: Option<&'static str>,
    pub rust: RustRead,
    /// What the README says of the row beyond the types.
    pub note: &'static str,
}

/// Rows are told apart by their first name: two rows never share a name.
impl PartialEq for Builtin {
    fn eq(&self, other: &Self) -> bool {
        self.names[0] == other.names[0]
    }
}

const TEXT: RustRead = RustRead::Text;

/// Every built-in type with a row of its own in the mapping table (README, "Typed code").
pub static BUILTINS: &[Builtin] = &[
    Builtin { names: &["boolean"], json: JsonForm::Bool, zod: None, rust: RustRead::Native("bool", None), note: "" },
    Builtin { names: &["smallint"], json: JsonForm::Int16, zod: None, rust: RustRead::Native("i16", None), note: "" },
    Builtin { names: &["integer"], json: JsonForm::Int32, zod: None, rust: RustRead::Native("i32", None), note: "" },
    Builtin { names: &["bigint"], json: JsonForm::Int64, zod: None, rust: RustRead::Native("i64", None), note: "JSON.parse rounds values past 2^53" },
    Builtin { names: &["real"], json: JsonForm::Number, zod: None, rust: RustRead::Native("f32", None), note: "serde_json writes NaN and infinities as null" },
    Builtin { names: &["double precision"], json: JsonForm::Number, zod: None, rust: RustRead::Native("f64", None), note: "serde_json writes NaN and infinities as null" },
    Builtin {
        names: &["numeric"],
        json: JsonForm::Number,
        zod: None,
        rust: RustRead::Native("::sqlx::types::Decimal", Some(Dep::Decimal)),
        note: "Decimal refuses NaN, infinities and more than 28 digits (a decode error)",
    },
    Builtin { names: &["money"], json: JsonForm::Text, zod: None, rust: TEXT, note: "formatted for lc_monetary (`$12.34`)" },
    Builtin {
        names: &["text", "character varying", "character", "bpchar", "name"],
        json: JsonForm::Text,
        zod: None,
        rust: RustRead::Native("::std::string::String", None),
        note: "character(n) comes padded",
    },
    Builtin { names: &["\"char\""], json: JsonForm::Text, zod: None, rust: TEXT, note: "" },
    Builtin {
        names: &["bytea"],
        json: JsonForm::Text,
        zod: None,
        rust: RustRead::Native("::std::vec::Vec<u8>", None),
        note: "JSON: `\\x` and hex digits (bytea_output hex)",
    },
    Builtin { names: &["uuid"], json: JsonForm::Text, zod: Some("z.guid()"), rust: RustRead::Native("::sqlx::types::Uuid", Some(Dep::Uuid)), note: "" },
    Builtin {
        names: &["json", "jsonb"],
        json: JsonForm::Json,
        zod: None,
        rust: RustRead::Native("::serde_json::Value", None),
        note: "a JSON null reads as SQL NULL in to_json's output",
    },
    Builtin { names: &["date"], json: JsonForm::Text, zod: None, rust: RustRead::Native("::sqlx::types::chrono::NaiveDate", Some(Dep::Chrono)), note: "" },
    Builtin {
        names: &["timestamp without time zone"],
        json: JsonForm::Text,
        zod: None,
        rust: RustRead::Native("::sqlx::types::chrono::NaiveDateTime", Some(Dep::Chrono)),
        note: "JSON: ISO 8601 with a `T`",
    },
    Builtin {
        names: &["timestamp with time zone"],
        json: JsonForm::Text,
        zod: None,
        rust: RustRead::Native("::sqlx::types::chrono::DateTime<::sqlx::types::chrono::Utc>", Some(Dep::Chrono)),
        note: "JSON: ISO 8601 with the session's offset",
    },
    Builtin {
        names: &["time without time zone"],
        json: JsonForm::Text,
        zod: None,
        rust: RustRead::Native("::sqlx::types::chrono::NaiveTime", Some(Dep::Chrono)),
        note: "",
    },
    Builtin { names: &["time with time zone"], json: JsonForm::Text, zod: None, rust: TEXT, note: "" },
    Builtin { names: &["interval"], json: JsonForm::Text, zod: None, rust: TEXT, note: "as IntervalStyle prints it" },
    Builtin {
        names: &["inet", "cidr"],
        json: JsonForm::Text,
        zod: None,
        rust: RustRead::Native("::sqlx::types::ipnetwork::IpNetwork", Some(Dep::IpNetwork)),
        note: "",
    },
    Builtin { names: &["macaddr", "macaddr8"], json: JsonForm::Text, zod: None, rust: TEXT, note: "" },
    Builtin {
        // `"bit"` (quoted): format_type's name for a bit without a length (a view's column)
        names: &["bit", "\"bit\"", "bit varying"],
        json: JsonForm::Text,
        zod: None,
        rust: RustRead::Native("::sqlx::types::BitVec", Some(Dep::BitVec)),
        note: "JSON: the bits as `0` and `1`",
    },
    Builtin {
        names: &["oid"],
        json: JsonForm::Text,
        zod: None,
        rust: RustRead::Native("::sqlx::postgres::types::Oid", None),
        note: "to_json prints an oid as a string",
    },
    Builtin {
        names: &[
            "regclass", "regtype", "regproc", "regprocedure", "regoper", "regoperator", "regconfig", "regdictionary",
            "regnamespace", "regrole", "regcollation",
        ],
        json: JsonForm::Text,
        zod: None,
        rust: TEXT,
        note: "",
    },
    Builtin { names: &["xml"], json: JsonForm::Text, zod: None, rust: TEXT, note: "" },
    Builtin { names: &["tsvector", "tsquery"], json: JsonForm::Text, zod: None, rust: TEXT, note: "" },
    Builtin {
        names: &["point", "line", "lseg", "box", "path", "polygon", "circle"],
        json: JsonForm::Text,
        zod: None,
        rust: TEXT,
        note: "",
    },
    Builtin {
        names: &[
            "int4range", "int8range", "numrange", "daterange", "tsrange", "tstzrange", "int4multirange", "int8multirange",
            "nummultirange", "datemultirange", "tsmultirange", "tstzmultirange",
        ],
        json: JsonForm::Text,
        zod: None,
        rust: TEXT,
        note: "user range types too",
    },
    Builtin {
        names: &["pg_lsn", "xid", "xid8", "cid", "tid", "txid_snapshot", "pg_snapshot", "jsonpath", "aclitem"],
        json: JsonForm::Text,
        zod: None,
        rust: TEXT,
        note: "",
    },
];

/// Built-in types that to_json prints as arrays: (type, element type).
pub const VECTORS: &[(&str, &str)] = &[("int2vector", "smallint"), ("oidvector", "oid")];

/// Types of extensions that print as plain strings, known by their name in any schema.
const EXTENSION_TEXT_TYPES: &[&str] = &["citext"];

/// A column's (or attribute's) type, resolved through domains.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Builtin(&'static Builtin),
    /// A built-in type without a row of its own, or a range type of the user's: its text
    /// output, like the ranges.
    OtherText,
    /// An extension's string type (citext).
    ExtensionText,
    /// Key of an enum.
    Enum(String),
    /// Key of a composite type, or of a table read as one (its row type).
    Composite(String),
    /// The element type, and how the Rust select list reads the array when sqlx does not
    /// know its type.
    Array(Box<Ty>, Option<ArrayCast>),
    /// A type pg_lens cannot see (an extension's, one in a system schema): any JSON, since a
    /// type may have a cast to json.
    Unknown(String),
}

impl Ty {
    /// What a field's comment says of a type pg_lens does not know (or an array of one).
    pub fn unknown_note(&self) -> Option<String> {
        match self {
            Ty::Unknown(name) => Some(format!("{name} is a type pg_lens does not know: described as any JSON")),
            Ty::Array(element, _) => element.unknown_note(),
            _ => None,
        }
    }
}

/// How an array sqlx does not know is read as one it does.
#[derive(Debug, Clone, PartialEq)]
pub enum ArrayCast {
    /// A domain's array keeps the domain's type: cast to the array of the domain's base type
    /// (this type text).
    To(String),
    /// `int2vector` and `oidvector` count from 0, which sqlx refuses: their text, split, as
    /// an array of this element type.
    Split(String),
}

/// A resolved column type, and what the domains on the way say of an INSERT: whether one
/// gives a default, whether one refuses NULL.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub ty: Ty,
    pub domain_default: bool,
    pub domain_not_null: bool,
}

/// `data_type` with its type modifiers (`(10,2)`, `(3)`) taken out, outside quotes.
pub(super) fn without_modifiers(data_type: &str) -> String {
    let mut out = String::with_capacity(data_type.len());
    let (mut quoted, mut depth) = (false, 0usize);
    for c in data_type.chars() {
        match c {
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    // spaces inside quotes are the name's own; outside, a modifier never sits between two
    out.trim().to_string()
}

/// The built-in type a bare type name is, if it has a row.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    // `interval year to month`, `interval second`...: the fields change no value's type
    let name = if name.starts_with("interval ") { "interval" } else { name };
    BUILTINS.iter().find(|b| b.names.contains(&name))
}

/// Resolves `data_type` as `format_type` prints it (user types schema-qualified).
pub fn resolve(snapshot: &Snapshot, data_type: &str) -> Resolved {
    resolve_at(snapshot, data_type, 0)
}

/// Domains over domains nest; the catalog has no cycles, the depth only guards a
/// hand-made snapshot.
const MAX_DOMAIN_DEPTH: usize = 32;

fn resolve_at(snapshot: &Snapshot, data_type: &str, depth: usize) -> Resolved {
    let plain = |ty| Resolved { ty, domain_default: false, domain_not_null: false };
    if let Some(element) = data_type.strip_suffix("[]") {
        let inner = resolve_at(snapshot, element, depth);
        let through_domain = is_domain(snapshot, &without_modifiers(element)).then(|| ArrayCast::To(base_text(snapshot, element)));
        return plain(Ty::Array(Box::new(inner.ty), through_domain));
    }
    let name = without_modifiers(data_type);
    if let Some(element) = VECTORS.iter().find(|(vector, _)| *vector == name).map(|(_, element)| *element) {
        return plain(Ty::Array(Box::new(resolve_at(snapshot, element, depth).ty), Some(ArrayCast::Split(element.to_string()))));
    }
    if let Some(base) = system_domain(&name) {
        return resolve_at(snapshot, base, depth + 1);
    }
    match split_qualified(&name).ok().filter(|parts| parts.len() == 2) {
        None => plain(builtin(&name).map(Ty::Builtin).unwrap_or(Ty::OtherText)),
        Some(parts) => {
            if let Some(domain) = snapshot.domains.get(&name) {
                if depth >= MAX_DOMAIN_DEPTH {
                    return plain(Ty::Unknown(name));
                }
                let base = resolve_at(snapshot, &domain.data_type, depth + 1);
                return Resolved {
                    ty: base.ty,
                    domain_default: base.domain_default || domain.default.is_some(),
                    domain_not_null: base.domain_not_null || domain.not_null,
                };
            }
            if snapshot.enums.contains_key(&name) {
                return plain(Ty::Enum(name));
            }
            if snapshot.types.get(&name).is_some_and(|t| t.kind == "composite") || snapshot.tables.contains_key(&name) {
                return plain(Ty::Composite(name));
            }
            if is_user_range(snapshot, &name) {
                return plain(Ty::OtherText);
            }
            if EXTENSION_TEXT_TYPES.contains(&parts[1].as_str()) {
                return plain(Ty::ExtensionText);
            }
            plain(Ty::Unknown(name))
        }
    }
}

/// The type text of what `data_type` is at the bottom of its domains (modifiers kept), for a
/// cast.
fn base_text(snapshot: &Snapshot, data_type: &str) -> String {
    let mut text = data_type.to_string();
    for _ in 0..MAX_DOMAIN_DEPTH {
        let name = without_modifiers(&text);
        match (snapshot.domains.get(&name), system_domain(&name)) {
            (Some(domain), _) => text = domain.data_type.clone(),
            (None, Some(base)) => text = base.to_string(),
            (None, None) => break,
        }
    }
    text
}

/// The domains of `information_schema` (views over it use them), which a snapshot of user
/// schemas does not hold: their base types, as `format_type` prints them.
const SYSTEM_DOMAINS: &[(&str, &str)] = &[
    ("information_schema.cardinal_number", "integer"),
    ("information_schema.character_data", "character varying"),
    ("information_schema.sql_identifier", "name"),
    ("information_schema.time_stamp", "timestamp(2) with time zone"),
    ("information_schema.yes_or_no", "character varying(3)"),
];

fn system_domain(name: &str) -> Option<&'static str> {
    SYSTEM_DOMAINS.iter().find(|(domain, _)| *domain == name).map(|(_, base)| *base)
}

/// Whether the type named `name` (modifiers out) is a domain, the snapshot's or
/// `information_schema`'s.
pub(super) fn is_domain(snapshot: &Snapshot, name: &str) -> bool {
    snapshot.domains.contains_key(name) || system_domain(name).is_some()
}

/// Whether the type named `name` is a range type of the user's or its multirange.
pub(super) fn is_user_range(snapshot: &Snapshot, name: &str) -> bool {
    snapshot.types.get(name).is_some_and(|t| t.kind == "range") || snapshot.types.values().any(|t| t.multirange.as_deref() == Some(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers_come_out_outside_quotes_only() {
        assert_eq!(without_modifiers("timestamp(3) with time zone"), "timestamp with time zone");
        assert_eq!(without_modifiers("numeric(10,2)"), "numeric");
        assert_eq!(without_modifiers("character varying(40)"), "character varying");
        assert_eq!(without_modifiers("interval day to second(3)"), "interval day to second");
        assert_eq!(without_modifiers("shop.\"a(b)\""), "shop.\"a(b)\"");
        assert_eq!(without_modifiers("s.\"a  b\"(3)"), "s.\"a  b\"", "a quoted name keeps its spaces");
        assert_eq!(without_modifiers("public.geometry(Point,4326)"), "public.geometry");
    }

    #[test]
    fn every_builtin_name_is_in_one_row() {
        let mut seen = std::collections::BTreeSet::new();
        for b in BUILTINS {
            for n in b.names {
                assert!(seen.insert(*n), "{n} is in two rows");
            }
        }
        assert!(builtin("interval year to month").is_some());
        assert!(builtin("\"char\"").is_some());
        assert!(builtin("char").is_none(), "format_type prints \"char\" quoted; char(n) is `character`");
        assert!(builtin("\"bit\"").is_some_and(|b| b.names[0] == "bit"));
        assert!(builtin("intervalx").is_none());
    }
}
