use super::plan::{plan, Insert};
use super::types::{resolve, ArrayCast, Ty};
use super::*;
use crate::model::*;

fn table(s: &mut Snapshot, key: &str, schema: &str, name: &str, kind: &str, columns: &[(&str, &str, bool)]) {
    s.tables.insert(key.into(), Table { key: key.into(), schema: schema.into(), name: name.into(), kind: kind.into(), ..Default::default() });
    for (i, (col, data_type, nullable)) in columns.iter().enumerate() {
        let ckey = format!("{key}.{col}");
        s.columns.insert(
            ckey.clone(),
            Column {
                key: ckey,
                table_key: key.into(),
                name: col.to_string(),
                position: i as i64 + 1,
                data_type: data_type.to_string(),
                is_nullable: *nullable,
                ..Default::default()
            },
        );
    }
}

fn column<'a>(s: &'a mut Snapshot, table: &str, name: &str) -> &'a mut Column {
    s.columns.values_mut().find(|c| c.table_key == table && c.name == name).expect("the column is in the fixture")
}

/// Awkward names and every kind of type a column can have.
fn schema() -> Snapshot {
    let mut s = Snapshot::default();
    for (key, schema, name, values) in [
        ("shop.order_status", "shop", "order_status", vec!["new", "paid"]),
        ("shop.\"Mood Ring\"", "shop", "Mood Ring", vec!["ok", "it's \"fine\"", "A", "a", ""]),
        ("other.unused", "other", "unused", vec!["x"]),
    ] {
        s.enums.insert(key.into(), Enum { key: key.into(), schema: schema.into(), name: name.into(), values: values.into_iter().map(String::from).collect(), ..Default::default() });
    }
    s.domains.insert(
        "shop.positive".into(),
        Domain { key: "shop.positive".into(), schema: "shop".into(), name: "positive".into(), data_type: "numeric(12,2)".into(), default: Some("0".into()), ..Default::default() },
    );
    s.domains.insert(
        "shop.email".into(),
        Domain { key: "shop.email".into(), schema: "shop".into(), name: "email".into(), data_type: "text".into(), not_null: true, ..Default::default() },
    );
    s.domains.insert(
        "shop.small".into(),
        Domain { key: "shop.small".into(), schema: "shop".into(), name: "small".into(), data_type: "shop.positive".into(), ..Default::default() },
    );
    s.types.insert(
        "shop.\"Money Pair\"".into(),
        UserType {
            key: "shop.\"Money Pair\"".into(),
            schema: "shop".into(),
            name: "Money Pair".into(),
            kind: "composite".into(),
            attributes: vec![
                TypeAttribute { name: "amount".into(), data_type: "numeric".into(), collation: None },
                TypeAttribute { name: "mood".into(), data_type: "shop.\"Mood Ring\"".into(), collation: None },
            ],
            ..Default::default()
        },
    );
    s.types.insert(
        "shop.span".into(),
        UserType { key: "shop.span".into(), schema: "shop".into(), name: "span".into(), kind: "range".into(), multirange: Some("shop.spans".into()), ..Default::default() },
    );
    table(&mut s, "public.users", "public", "users", "table", &[("id", "bigint", false)]);
    table(&mut s, "public.\"Users\"", "public", "Users", "table", &[("id", "integer", false)]);
    table(&mut s, "public.json", "public", "json", "table", &[("doc", "jsonb", true)]);
    table(
        &mut s,
        "public.orders",
        "public",
        "orders",
        "table",
        &[
            ("id", "bigint", false),
            ("status", "shop.order_status", false),
            ("tags", "text[]", true),
            ("total", "numeric", true),
            ("Full Name", "text", false),
            ("type", "text", true),
            ("self", "integer", true),
            ("during", "tstzrange", true),
            ("amounts", "shop.small[]", true),
            ("pair", "shop.\"Money Pair\"", true),
            ("payload", "public.hstore", true),
            ("email", "\"Ext Space\".citext", true),
            ("moods", "shop.\"Mood Ring\"[]", true),
            ("owner", "public.users", true),
            ("price", "shop.small", false),
            ("at", "timestamp(3) with time zone", false),
            ("full_name", "text", true),
            ("spans", "shop.spans", true),
            ("contact", "shop.email", true),
        ],
    );
    column(&mut s, "public.orders", "id").identity = Some("by default".into());
    column(&mut s, "public.orders", "status").default = Some("'new'::shop.order_status".into());
    column(&mut s, "public.orders", "total").generated = Some("0".into());
    column(&mut s, "public.orders", "Full Name").comment = Some("as printed\n*/ evil".into());
    table(&mut s, "public.orders_insert", "public", "orders_insert", "table", &[("x", "integer", false)]);
    table(&mut s, "public.ids", "public", "ids", "table", &[("id", "bigint", false)]);
    column(&mut s, "public.ids", "id").identity = Some("always".into());
    table(&mut s, "shop.events", "shop", "events", "partitioned", &[("at", "date", false)]);
    table(&mut s, "shop.events_2026", "shop", "events_2026", "table", &[("at", "date", false)]);
    s.tables.get_mut("shop.events_2026").expect("fixture").partition_of = Some("shop.events".into());
    table(&mut s, "shop.\"Order Items.v2\"", "shop", "Order Items.v2", "view", &[("n", "bigint", true)]);
    s
}

#[test]
fn types_resolve_through_domains_arrays_and_the_snapshot() {
    let s = schema();
    let ty = |t: &str| resolve(&s, t).ty;
    assert!(matches!(ty("shop.small"), Ty::Builtin(b) if b.names[0] == "numeric"), "a domain over a domain is its base");
    assert!(resolve(&s, "shop.small").domain_default, "the inner domain's default counts");
    assert_eq!(ty("shop.small[]"), Ty::Array(Box::new(ty("numeric")), Some(ArrayCast::To("numeric(12,2)".into()))));
    assert_eq!(ty("oidvector"), Ty::Array(Box::new(ty("oid")), Some(ArrayCast::Split("oid".into()))));
    assert_eq!(ty("information_schema.cardinal_number[]"), Ty::Array(Box::new(ty("integer")), Some(ArrayCast::To("integer".into()))));
    assert_eq!(ty("information_schema.time_stamp"), ty("timestamp with time zone"), "information_schema's domains are known");
    assert_eq!(ty("text[]"), Ty::Array(Box::new(ty("text")), None));
    assert_eq!(ty("shop.order_status"), Ty::Enum("shop.order_status".into()));
    assert_eq!(ty("shop.\"Money Pair\""), Ty::Composite("shop.\"Money Pair\"".into()));
    assert_eq!(ty("public.users"), Ty::Composite("public.users".into()), "a table is a row type");
    assert_eq!(ty("shop.span"), Ty::OtherText);
    assert_eq!(ty("shop.spans"), Ty::OtherText, "a user range's multirange");
    assert_eq!(ty("\"Ext Space\".citext"), Ty::ExtensionText);
    assert_eq!(ty("public.hstore"), Ty::Unknown("public.hstore".into()));
    assert_eq!(ty("public.geometry(Point,4326)"), Ty::Unknown("public.geometry".into()));
    assert_eq!(ty("other_system.cardinal_number"), Ty::Unknown("other_system.cardinal_number".into()));
    assert!(matches!(ty("timestamp(3) with time zone"), Ty::Builtin(b) if b.names[0] == "timestamp with time zone"));
    assert!(matches!(ty("interval year to month"), Ty::Builtin(b) if b.names[0] == "interval"));
    assert!(matches!(ty("character varying(40)"), Ty::Builtin(b) if b.names[0] == "text"));
    assert!(matches!(ty("bit varying(5)"), Ty::Builtin(b) if b.names[0] == "bit"));
    assert!(matches!(ty("\"char\""), Ty::Builtin(b) if b.names[0] == "\"char\""));
    assert_eq!(ty("pg_node_tree"), Ty::OtherText, "a built-in without a row prints its text");
}

#[test]
fn identifiers_are_distinct_and_stable() {
    let s = schema();
    let p = plan(&s, None);
    let names: Vec<(&str, &str)> = p.relations.iter().map(|r| (r.key.as_str(), r.name.as_str())).collect();
    assert_eq!(
        names,
        [
            ("public.\"Users\"", "Users"),
            ("public.ids", "Ids"),
            ("public.json", "Json2"),
            ("public.orders", "Orders"),
            ("public.orders_insert", "OrdersInsert2"),
            ("public.users", "Users2"),
            ("shop.\"Order Items.v2\"", "ShopOrderItemsV2"),
            ("shop.events", "ShopEvents"),
        ],
        "partitions share their parent's type; the public schema has no prefix"
    );
    assert_eq!(p.relations[3].insert_name.as_deref(), Some("OrdersInsert"));
    assert_eq!(p.relations[6].insert_name, None, "a view has no insert type");
    assert_eq!(p.relations[7].partitions, ["shop.events_2026"]);
    let mood = p.enums.iter().find(|e| e.key == "shop.\"Mood Ring\"").expect("declared");
    assert_eq!((mood.name.as_str(), mood.bare_sql.as_str()), ("ShopMoodRing", "\"Mood Ring\""));
    assert_eq!(mood.variants, ["Ok", "ItSFine", "A", "A2", "Empty"]);
    let pair = p.composites.iter().find(|c| c.key == "shop.\"Money Pair\"").expect("used, so declared");
    assert_eq!(pair.name, "ShopMoneyPair");
    let users = p.composites.iter().find(|c| c.key == "public.users").expect("a row type used by a column");
    assert_eq!((users.name.as_str(), users.of_table), ("UsersRecord", true));
    let orders = &p.relations[3];
    let rust: Vec<&str> = orders.fields.iter().map(|f| f.rust.as_str()).collect();
    assert!(rust.contains(&"r#type") && rust.contains(&"self_") && rust.contains(&"full_name") && rust.contains(&"full_name_2"), "{rust:?}");
}

#[test]
fn inserts_leave_out_what_has_a_default_and_refuse_what_the_server_sets() {
    let s = schema();
    let p = plan(&s, None);
    let rule = |rel: &str, col: &str| p.relations.iter().find(|r| r.key == rel).and_then(|r| r.fields.iter().find(|f| f.name == col)).map(|f| f.insert);
    assert_eq!(rule("public.orders", "id"), Some(Insert::Optional), "identity BY DEFAULT");
    assert_eq!(rule("public.ids", "id"), Some(Insert::Never), "identity ALWAYS");
    assert_eq!(rule("public.orders", "total"), Some(Insert::Never), "generated");
    assert_eq!(rule("public.orders", "status"), Some(Insert::Optional), "a default");
    assert_eq!(rule("public.orders", "price"), Some(Insert::Optional), "a domain's default, through another domain");
    assert_eq!(rule("public.orders", "Full Name"), Some(Insert::Required));
    assert_eq!(rule("public.orders", "at"), Some(Insert::Required));
    assert_eq!(rule("public.orders", "tags"), Some(Insert::Optional), "nullable");
    assert_eq!(rule("public.orders", "contact"), Some(Insert::Required), "a domain's NOT NULL, though the column is nullable");
    let ts = render(&s, None, Target::TypeScript);
    let insert = ts.split("export interface OrdersInsert {").nth(1).and_then(|rest| rest.split("\n}").next()).expect("the insert type");
    assert!(insert.lines().any(|l| l == "  contact: string;"), "required, and NULL refused:\n{insert}");
    let row = ts.split("export interface Orders {").nth(1).and_then(|rest| rest.split("\n}").next()).expect("the row type");
    assert!(row.lines().any(|l| l == "  contact: string | null;"), "read, the column may be NULL:\n{row}");
}

#[test]
fn a_schema_list_declares_what_its_tables_use_from_elsewhere() {
    let s = schema();
    let only_public = ["public".to_string()];
    let p = plan(&s, Some(&only_public));
    let enums: Vec<&str> = p.enums.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(enums, ["shop.\"Mood Ring\"", "shop.order_status"], "used by public.orders; other.unused is not");
    assert!(p.relations.iter().all(|r| r.key.starts_with("public.")));
    let composites: Vec<&str> = p.composites.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(composites, ["public.users", "shop.\"Money Pair\""]);
}

#[test]
fn typescript_describes_to_json_and_names_survive() {
    let s = schema();
    let ts = render(&s, None, Target::TypeScript);
    for line in [
        "// Generated by pg_lens: SELECT lens_codegen(NULL, 'typescript');",
        "export type ShopMoodRing = \"ok\" | \"it's \\\"fine\\\"\" | \"A\" | \"a\" | \"\";",
        "  \"Full Name\": string;",
        "   * as printed",
        "   * *\\/ evil",
        "  status: ShopOrderStatus;",
        "  tags: (string | null)[] | null;",
        "  total: PgNumber | null;",
        "  amounts: (PgNumber | null)[] | null;",
        "  pair: ShopMoneyPair | null;",
        "  payload: Json | null;",
        "  /** public.hstore (public.hstore is a type pg_lens does not know: described as any JSON) */",
        "  email: string | null;",
        "  owner: UsersRecord | null;",
        "  moods: (ShopMoodRing | null)[] | null;",
        "  id?: number;",
        "  total?: never;",
        "  \"Full Name\": string;",
        "  \"public.orders\": Orders;",
        "  \"shop.\\\"Order Items.v2\\\"\": ShopOrderItemsV2;",
        "export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };",
    ] {
        assert!(ts.lines().any(|l| l == line), "missing {line:?} in\n{ts}");
    }
    assert!(!ts.contains("ShopEvents2026"), "a partition has no type of its own");
    let quoted = render(&s, Some(&["it's".to_string()]), Target::TypeScript);
    assert!(quoted.starts_with("// Generated by pg_lens: SELECT lens_codegen(ARRAY['it''s'], 'typescript');\n"), "{quoted}");
    assert_eq!(ts, render(&s, None, Target::TypeScript), "the same schema gives the same bytes");
}

#[test]
fn reads_may_be_null_where_a_not_null_does_not_reach() {
    let mut s = schema();
    table(&mut s, "public.rate", "public", "rate", "table", &[("later", "text", false), ("note", "text", false), ("id", "uuid", false)]);
    column(&mut s, "public.rate", "later").not_null_not_valid = true;
    column(&mut s, "public.rate", "note").not_null_no_inherit = true;
    table(&mut s, "public.rate_old", "public", "rate_old", "table", &[("note", "text", true)]);
    s.tables.get_mut("public.rate_old").expect("fixture").inherits = Some(vec!["public.rate".into()]);
    let zod = render(&s, None, Target::Zod);
    let rate = zod.split("export const Rate = z.object({").nth(1).and_then(|r| r.split("});").next()).expect("the row schema");
    assert!(rate.contains("later: z.string().nullable(),"), "NOT VALID: rows from before may hold NULL:\n{rate}");
    assert!(rate.contains("note: z.string().nullable(),"), "NO INHERIT: the child's rows may hold NULL:\n{rate}");
    assert!(rate.contains("id: z.guid(),"), "a uuid read is printed in one form:\n{rate}");
    let insert = zod.split("export const RateInsert = z.object({").nth(1).and_then(|r| r.split("});").next()).expect("the insert schema");
    assert!(insert.contains("later: z.string(),") && insert.contains("note: z.string(),"), "an insert must give them:\n{insert}");
    assert!(insert.contains("id: z.string(),"), "an insert may give a uuid in any form PostgreSQL takes:\n{insert}");
}

#[test]
fn sub_partitions_are_listed_under_the_type_they_share() {
    let mut s = schema();
    table(&mut s, "shop.events_2026_q1", "shop", "events_2026_q1", "table", &[("at", "date", false)]);
    s.tables.get_mut("shop.events_2026").expect("fixture").kind = "partitioned".into();
    s.tables.get_mut("shop.events_2026_q1").expect("fixture").partition_of = Some("shop.events_2026".into());
    let p = plan(&s, None);
    let events = p.relations.iter().find(|r| r.key == "shop.events").expect("the root");
    assert_eq!(events.partitions, ["shop.events_2026", "shop.events_2026_q1"]);
    assert!(p.relations.iter().all(|r| !r.key.starts_with("shop.events_")), "no partition has a type of its own");
    // asked alone, a partition whose parent is not asked for has its own type
    let other = plan(&s, Some(&["other".to_string()]));
    assert!(other.relations.is_empty());
}

#[test]
fn zod_declares_before_use_and_keeps_proto_keys() {
    let mut s = schema();
    table(&mut s, "public.proto", "public", "proto", "table", &[("__proto__", "text", true)]);
    let zod = render(&s, None, Target::Zod);
    for line in [
        "import { z } from \"zod\";",
        "export const ShopOrderStatus = z.enum([\"new\", \"paid\"]);",
        "  [\"__proto__\"]: z.string().nullable(),",
        "  id: z.number().optional(),",
        "  total: z.never().optional(),",
        "  \"Full Name\": z.string(),",
        "  self: z.number().int().min(-2147483648).max(2147483647).nullable(),",
        "  \"public.orders\": Orders,",
    ] {
        assert!(zod.lines().any(|l| l == line), "missing {line:?} in\n{zod}");
    }
    // every schema constant is declared before a line reads it
    let declared_at = |name: &str| zod.find(&format!("export const {name} =")).unwrap_or_else(|| panic!("{name} declared"));
    for (used, by) in [("ShopMoodRing", "ShopMoneyPair"), ("ShopMoneyPair", "Orders"), ("UsersRecord", "Orders"), ("PgNumber", "ShopMoneyPair"), ("Json", "Orders")] {
        assert!(declared_at(used) < declared_at(by), "{used} before {by}");
    }
}

#[test]
fn rust_reads_what_sqlx_cannot_decode_through_casts() {
    let s = schema();
    let rust = render(&s, None, Target::Rust);
    let columns = rust.lines().find(|l| l.contains("pub const COLUMNS") && l.contains("\\\"during\\\"")).expect("orders' select list");
    assert_eq!(
        columns.trim(),
        "pub const COLUMNS: &'static str = \"\\\"id\\\", \\\"status\\\", \\\"tags\\\", \\\"total\\\", \\\"Full Name\\\", \\\"type\\\", \\\"self\\\", \
         \\\"during\\\"::pg_catalog.text AS \\\"during\\\", \\\"amounts\\\"::numeric(12,2)[] AS \\\"amounts\\\", \
         pg_catalog.to_json(\\\"pair\\\") AS \\\"pair\\\", pg_catalog.to_json(\\\"payload\\\") AS \\\"payload\\\", \
         \\\"email\\\"::pg_catalog.text AS \\\"email\\\", \\\"moods\\\", pg_catalog.to_json(\\\"owner\\\") AS \\\"owner\\\", \\\"price\\\", \\\"at\\\", \
         \\\"full_name\\\", \\\"spans\\\"::pg_catalog.text AS \\\"spans\\\", \\\"contact\\\"\";"
    );
    for line in [
        "    #[serde(rename = \"Full Name\")]",
        "    #[sqlx(rename = \"Full Name\")]",
        "    pub full_name: ::std::string::String,",
        "    pub r#type: ::std::option::Option<::std::string::String>,",
        "    #[serde(rename = \"self\")]",
        "    pub self_: ::std::option::Option<i32>,",
        "    pub amounts: ::std::option::Option<::std::vec::Vec<::std::option::Option<::sqlx::types::Decimal>>>,",
        "    pub pair: ::std::option::Option<::sqlx::types::Json<ShopMoneyPair>>,",
        "    pub moods: ::std::option::Option<::std::vec::Vec<::std::option::Option<ShopMoodRing>>>,",
        "    pub at: ::sqlx::types::chrono::DateTime<::sqlx::types::chrono::Utc>,",
        "    pub amount: ::std::option::Option<::serde_json::Value>,",
        "    pub mood: ::std::option::Option<ShopMoodRing>,",
        "    #[serde(rename = \"it's \\\"fine\\\"\")]",
        "    pub const SQL_TYPE: &'static str = \"shop.\\\"Mood Ring\\\"\";",
        "        (name == Self::SQL_TYPE || name == \"\\\"Mood Ring\\\"\") && matches!(ty.kind(), ::sqlx::postgres::PgTypeKind::Enum(_))",
        "    pub const SELECT: &'static str = \"SELECT \\\"n\\\" FROM \\\"shop\\\".\\\"Order Items.v2\\\"\";",
        "//   sqlx = { version = \"0.8\", default-features = false, features = [\"postgres\", \"macros\", \"json\", \"chrono\", \"rust_decimal\"] }",
        "//   rust_decimal = \"1\"",
    ] {
        assert!(rust.lines().any(|l| l == line), "missing {line:?} in\n{rust}");
    }
    assert!(!rust.contains("#[serde(rename = \"id\")]"), "no rename where the identifier is the name");
    let pair = rust.split("pub struct ShopMoneyPair {").nth(1).and_then(|s| s.split("}\n").next()).expect("the composite's struct");
    assert!(!pair.contains("#[sqlx"), "a struct without FromRow takes no sqlx attribute:\n{pair}");
}

/// `source` with its string literals and comments blanked (TypeScript and Rust share these
/// forms), to see what a compiler reads as code.
fn code_only(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut star = false;
                for d in chars.by_ref() {
                    if star && d == '/' {
                        break;
                    }
                    star = d == '*';
                }
                out.push(' ');
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn no_name_escapes_into_code() {
    let mut s = Snapshot::default();
    let evil = "x\"; } export const pwned = 1; //\n*/ fn main() {} /*\u{202E}";
    let key = format!("public.\"{}\"", evil.replace('"', "\"\""));
    table(&mut s, &key, "public", evil, "table", &[(evil, "text", true)]);
    s.tables.get_mut(&key).expect("fixture").comment = Some(evil.into());
    let values = format!("{evil}\n{evil}");
    s.enums.insert("public.e".into(), Enum { key: "public.e".into(), schema: "public".into(), name: "e".into(), values: vec![evil.into(), values], ..Default::default() });
    for target in [Target::TypeScript, Target::Zod, Target::Rust] {
        let out = render(&s, Some(&[String::from("public"), evil.to_string()]), target);
        assert!(!out.contains('\u{202E}'), "{target:?}: a bidirectional character is escaped");
        assert!(out.contains("pwned = 1"), "{target:?}: the name is there, in literals and comments");
        let code = code_only(&out);
        for leak in ["pwned = 1", "fn main()", "export const pwned"] {
            assert!(!code.contains(leak), "{target:?}: {leak:?} left its literal or comment:\n{code}");
        }
    }
}

#[test]
fn the_readme_holds_the_mapping_table() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).expect("README.md");
    let start = "<!-- codegen-mapping:start -->\n";
    let end = "<!-- codegen-mapping:end -->";
    let table = readme.split_once(start).and_then(|(_, rest)| rest.split_once(end)).map(|(t, _)| t).expect("the README marks the table");
    let wanted = mapping::markdown();
    assert!(table == wanted, "README.md's type mapping table is not the one the code uses: put `cargo run -q -p lens-core --example codegen_mapping` between its markers:\n{wanted}");
}

#[test]
fn the_fixture_schema_exercises_what_it_says() {
    let covered = mapping::coverage(&schema());
    for id in ["numeric", "enum", "domain", "domain array", "composite", "table row", "array", "range", "citext", "unknown", "timestamp with time zone"] {
        assert!(covered.contains(id), "{id} in {covered:?}");
    }
}
