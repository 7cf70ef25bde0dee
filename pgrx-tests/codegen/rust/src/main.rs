#![deny(warnings)]
//! Reads a database through the structs and enums lens_codegen wrote for it (tests/codegen.rs
//! makes the code, the databases and `checks.rs`, the list of what to read).
//!
//! usage: lens_codegen_check CONFIG.json, CONFIG being
//! `{"databases": {"awkward": "postgres://...", ...}, "skip": ["relation key", ...]}`.
//! Every relation is read with its struct's COLUMNS and its SELECT under two search paths (the
//! server's default, and every schema of the database on it: sqlx names a column's type as
//! the path prints it); each row, serialized by serde, must equal what to_json prints for it,
//! value by value once each side is put in one form (chrono's `Z` for `+00:00`, bytea as
//! numbers...). Every enum label is bound as a parameter, alone and in an array, and read back.
//! Prints `{"ok", "relations", "rows", "values", "labels", "errors"}` and exits 0: the test
//! asserts.

use lens_codegen_check::{awkward, realistic, types};
use serde::Serialize;
use serde_json::Value;
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Connection, Executor, FromRow, Row};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;

/// A type as the catalog has it: name, kind (`typtype`), base of a domain, element of an array.
struct PgType {
    name: String,
    kind: String,
    base: i64,
    element: i64,
    array: bool,
}

#[derive(Default)]
struct Ctx {
    databases: HashMap<String, String>,
    skip: BTreeSet<String>,
    relations: usize,
    rows: usize,
    values: usize,
    labels: usize,
    errors: Vec<String>,
}

/// A column's type at the bottom of its domains: its name and kind, and whether the column
/// holds an array of it.
#[derive(Clone, Debug)]
struct ColumnType {
    name: String,
    kind: String,
    array: bool,
}

impl Ctx {
    /// Connections to `db` under the default search path and with every schema on it.
    async fn connections(&mut self, db: &str) -> Vec<(String, PgConnection)> {
        let Some(url) = self.databases.get(db).cloned() else {
            self.errors.push(format!("no database {db} in the configuration"));
            return vec![];
        };
        let mut out = Vec::new();
        for on_path in [false, true] {
            match connect(&url, on_path).await {
                Ok(connection) => out.push(connection),
                Err(e) => self.errors.push(format!("{db}: {e}")),
            }
        }
        out
    }
}

/// A connection to `url` and the search path it has: the server's default, or (`on_path`)
/// every schema of the database.
async fn connect(url: &str, on_path: bool) -> Result<(String, PgConnection), String> {
    let mut conn = PgConnection::connect(url).await.map_err(|e| format!("cannot connect: {e}"))?;
    if !on_path {
        return Ok(("(default)".to_string(), conn));
    }
    let path: String = sqlx::query_scalar(
        "SELECT pg_catalog.string_agg(pg_catalog.quote_ident(nspname), ', ' ORDER BY nspname) \
         FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'",
    )
    .fetch_one(&mut conn)
    .await
    .map_err(|e| format!("schemas: {e}"))?;
    conn.execute(format!("SET search_path = {path}").as_str()).await.map_err(|e| format!("SET search_path = {path}: {e}"))?;
    Ok((path, conn))
}

/// The column types of relation `key`, resolved through domains and arrays.
async fn column_types(conn: &mut PgConnection, key: &str) -> Result<HashMap<String, ColumnType>, String> {
    let types: Vec<(i64, String, String, i64, i64, String)> = sqlx::query_as(
        "SELECT oid::int8, typname::text, typtype::text, typbasetype::int8, typelem::int8, typcategory::text FROM pg_catalog.pg_type",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| format!("pg_type: {e}"))?;
    let types: HashMap<i64, PgType> = types
        .into_iter()
        .map(|(oid, name, kind, base, element, category)| (oid, PgType { name, kind, base, element, array: category == "A" && element != 0 }))
        .collect();
    let columns: Vec<(String, i64)> = sqlx::query_as(
        "SELECT attname::text, atttypid::int8 FROM pg_catalog.pg_attribute WHERE attrelid = $1::pg_catalog.regclass AND attnum > 0 AND NOT attisdropped",
    )
    .bind(key)
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| format!("{key}: columns: {e}"))?;
    let mut out = HashMap::new();
    for (name, mut oid) in columns {
        let mut array = false;
        for _ in 0..32 {
            match types.get(&oid) {
                Some(t) if t.kind == "d" => oid = t.base,
                Some(t) if t.array && !array => {
                    array = true;
                    oid = t.element;
                }
                _ => break,
            }
        }
        let t = types.get(&oid).ok_or_else(|| format!("{key}.{name}: type {oid} not in pg_type"))?;
        out.insert(name, ColumnType { name: t.name.clone(), kind: t.kind.clone(), array });
    }
    Ok(out)
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One value of a scalar type, from serde's side (`rust`) or to_json's, in one form.
fn canonical(ty: &str, v: &Value, rust: bool) -> Result<Value, String> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    let t = text_of(v);
    let bad = |e: &dyn std::fmt::Display| format!("{ty} {t:?}: {e}");
    Ok(Value::String(match ty {
        // sqlx reads a numeric zero without its scale: compare by value
        "numeric" => rust_decimal::Decimal::from_str(&t).map_err(|e| bad(&e))?.normalize().to_string(),
        "float4" => format!("{:?}", f32::from_str(&t).map_err(|e| bad(&e))?),
        "float8" => format!("{:?}", f64::from_str(&t).map_err(|e| bad(&e))?),
        "timestamptz" => chrono::DateTime::parse_from_rfc3339(&t).map_err(|e| bad(&e))?.with_timezone(&chrono::Utc).to_rfc3339(),
        "timestamp" => chrono::NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S%.f").map_err(|e| bad(&e))?.to_string(),
        "time" => chrono::NaiveTime::parse_from_str(&t, "%H:%M:%S%.f").map_err(|e| bad(&e))?.to_string(),
        // sqlx's Oid serializes as a number, to_json prints a string
        "oid" => t,
        "inet" | "cidr" => ipnetwork::IpNetwork::from_str(&t).map_err(|e| bad(&e))?.to_string(),
        "bytea" if rust => {
            let bytes: Vec<u8> = serde_json::from_value(v.clone()).map_err(|e| bad(&e))?;
            format!("\\x{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
        }
        "bit" | "varbit" if rust => {
            let bits: bit_vec::BitVec = serde_json::from_value(v.clone()).map_err(|e| bad(&e))?;
            bits.iter().map(|b| if b { '1' } else { '0' }).collect()
        }
        _ => return Ok(v.clone()),
    }))
}

/// A column's value as serde wrote it, in one form, arrays element by element.
fn canonical_column(ty: &ColumnType, v: &Value, rust: bool) -> Result<Value, String> {
    if ty.kind == "c" || ty.kind == "e" {
        return Ok(v.clone()); // composites are read as to_json, enums are their labels
    }
    match (ty.array, v) {
        (true, Value::Array(items)) => items.iter().map(|i| canonical(&ty.name, i, rust)).collect::<Result<Vec<_>, _>>().map(Value::Array),
        _ => canonical(&ty.name, v, rust),
    }
}

/// A column's value as to_json wrote it (`raw`), in the same form. A numeric is read from its
/// digits as written (serde_json would make it an f64 first).
fn canonical_raw(ty: &ColumnType, raw: &RawValue) -> Result<Value, String> {
    let number = |raw: &RawValue| -> Result<Value, String> {
        if raw.get() == "null" {
            return Ok(Value::Null);
        }
        let digits = raw.get().trim_matches('"');
        let d = rust_decimal::Decimal::from_str(digits).map_err(|e| format!("numeric {digits}: {e}"))?;
        Ok(Value::String(d.normalize().to_string()))
    };
    match (ty.name.as_str(), ty.array, ty.kind.as_str()) {
        ("numeric", false, "b") => number(raw),
        ("numeric", true, "b") if raw.get() != "null" => {
            let items: Vec<Box<RawValue>> = serde_json::from_str(raw.get()).map_err(|e| format!("numeric[]: {e}"))?;
            items.iter().map(|i| number(i)).collect::<Result<Vec<_>, _>>().map(Value::Array)
        }
        _ => canonical_column(ty, &serde_json::from_str(raw.get()).map_err(|e| format!("{}: {e}", raw.get()))?, false),
    }
}

/// Every row of `key` through `T`, compared with to_json; the rows and values compared.
async fn read_relation<T>(conn: &mut PgConnection, key: &str, columns: &str, select: &str) -> Result<(usize, usize), Vec<String>>
where
    T: for<'r> FromRow<'r, PgRow> + Serialize + std::fmt::Debug + Send + Unpin,
{
    let types = column_types(conn, key).await.map_err(|e| vec![e])?;
    // `lens_row.*`: a column of that name would win over the row alone
    let sql = format!("SELECT {columns}, pg_catalog.to_json(lens_row.*)::pg_catalog.text AS lens_row_json FROM {key} AS lens_row");
    let rows = sqlx::query(&sql).fetch_all(&mut *conn).await.map_err(|e| vec![format!("{key}: {e}\n{sql}")])?;
    let mut errors = Vec::new();
    let mut debug = Vec::new();
    let mut values = 0;
    for row in &rows {
        let typed = match T::from_row(row) {
            Ok(t) => t,
            Err(e) => {
                errors.push(format!("{key}: FromRow: {e}"));
                continue;
            }
        };
        debug.push(format!("{typed:?}"));
        let ours = serde_json::to_value(&typed).map_err(|e| vec![format!("{key}: serialize: {e}")])?;
        let text: String = row.try_get("lens_row_json").map_err(|e| vec![format!("{key}: {e}")])?;
        let theirs: BTreeMap<String, Box<RawValue>> = serde_json::from_str(&text).map_err(|e| vec![format!("{key}: to_json: {e}")])?;
        let Some(ours) = ours.as_object() else {
            errors.push(format!("{key}: a row is not an object"));
            continue;
        };
        let our_keys: BTreeSet<&String> = ours.keys().collect();
        let their_keys: BTreeSet<&String> = theirs.keys().collect();
        if our_keys != their_keys {
            errors.push(format!("{key}: serde's keys {our_keys:?} are not to_json's {their_keys:?}"));
            continue;
        }
        for (name, value) in ours {
            let Some(ty) = types.get(name) else {
                errors.push(format!("{key}.{name}: not a column"));
                continue;
            };
            match (canonical_column(ty, value, true), canonical_raw(ty, &theirs[name])) {
                (Ok(a), Ok(b)) if a == b => values += 1,
                (Ok(a), Ok(b)) => errors.push(format!("{key}.{name} ({}{}): serde {a} but to_json {b}", ty.name, if ty.array { "[]" } else { "" })),
                (Err(e), _) | (_, Err(e)) => errors.push(format!("{key}.{name}: {e}")),
            }
        }
    }
    // the struct's SELECT reads the same rows (same order: one scan of an unchanged table)
    match sqlx::query_as::<_, T>(select).fetch_all(&mut *conn).await {
        Ok(again) => {
            let again: Vec<String> = again.iter().map(|t| format!("{t:?}")).collect();
            if again != debug {
                errors.push(format!("{key}: SELECT read other rows than COLUMNS"));
            }
        }
        Err(e) => errors.push(format!("{key}: SELECT: {e}")),
    }
    if errors.is_empty() {
        Ok((rows.len(), values))
    } else {
        Err(errors)
    }
}

/// Reads relation `$t` of database `$db` under both search paths.
macro_rules! relation {
    ($ctx:expr, $db:literal, $t:ty) => {{
        let key = <$t>::RELATION;
        if !$ctx.skip.contains(key) {
            $ctx.relations += 1;
            for (path, mut conn) in $ctx.connections($db).await {
                match read_relation::<$t>(&mut conn, key, <$t>::COLUMNS, <$t>::SELECT).await {
                    Ok((rows, values)) => {
                        $ctx.rows += rows;
                        $ctx.values += values;
                    }
                    Err(errors) => $ctx.errors.extend(errors.into_iter().map(|e| format!("[{} search_path {path}] {e}", $db))),
                }
            }
        }
    }};
}

/// Binds every label of enum `$t` in database `$db`, alone and in an array, and reads it back
/// (each statement text its own: sqlx keeps a prepared statement's parameter types by text).
macro_rules! enumeration {
    ($ctx:expr, $db:literal, $t:ty) => {{
        for (path, mut conn) in $ctx.connections($db).await {
            let fail = |what: &str, e: String| format!("[{} search_path {path}] {} {what}: {e}", $db, <$t>::SQL_TYPE);
            let mut errors = Vec::new();
            for &label in <$t>::ALL {
                $ctx.labels += 1;
                match sqlx::query_scalar::<_, $t>("SELECT $1 AS lens_label").bind(label).fetch_one(&mut conn).await {
                    Ok(back) if back == label => {}
                    Ok(back) => errors.push(fail("round trip", format!("{label:?} came back as {back:?}"))),
                    Err(e) => errors.push(fail("round trip", e.to_string())),
                }
                match sqlx::query_scalar::<_, String>("SELECT $1::pg_catalog.text AS lens_label_text").bind(label).fetch_one(&mut conn).await {
                    Ok(text) if text == label.label() => {}
                    Ok(text) => errors.push(fail("as text", format!("{label:?} is {text:?}"))),
                    Err(e) => errors.push(fail("as text", e.to_string())),
                }
                match sqlx::query_scalar::<_, String>("SELECT pg_catalog.to_json($1)::pg_catalog.text AS lens_label_json").bind(label).fetch_one(&mut conn).await {
                    Ok(json) if serde_json::to_string(&label).ok().as_deref() == Some(json.as_str()) => {}
                    Ok(json) => errors.push(fail("as JSON", format!("serde and to_json disagree on {label:?}: {json}"))),
                    Err(e) => errors.push(fail("as JSON", e.to_string())),
                }
            }
            let array: Vec<Option<$t>> = <$t>::ALL.iter().copied().map(Some).chain([None]).collect();
            match sqlx::query_scalar::<_, Vec<Option<$t>>>("SELECT $1 AS lens_labels").bind(&array).fetch_one(&mut conn).await {
                Ok(back) if back == array => {}
                Ok(back) => errors.push(fail("array", format!("{array:?} came back as {back:?}"))),
                Err(e) => errors.push(fail("array", e.to_string())),
            }
            $ctx.errors.extend(errors);
        }
    }};
}

/// The comparison itself: values that are one must compare equal, values that differ must not
/// (else every check above could pass without looking).
fn self_check() -> Vec<String> {
    let cases: [(&str, Value, &str, bool); 10] = [
        ("numeric", serde_json::json!("1.50"), "1.5", true),
        ("numeric", serde_json::json!("12345678901234567890.123456789"), "12345678901234567890.123456789", true),
        ("numeric", serde_json::json!("12345678901234567890.123456789"), "12345678901234567890.123456788", false),
        ("timestamptz", serde_json::json!("2026-12-06T09:00:00Z"), "\"2026-12-06T10:00:00+01:00\"", true),
        ("timestamptz", serde_json::json!("2026-12-06T09:00:00Z"), "\"2026-12-06T10:00:00+02:00\"", false),
        ("bytea", serde_json::json!([0, 255]), "\"\\\\x00ff\"", true),
        ("bytea", serde_json::json!([0, 255]), "\"\\\\x00fe\"", false),
        ("bit", serde_json::json!({"storage": [5], "nbits": 3}), "\"101\"", true),
        ("bit", serde_json::json!({"storage": [5], "nbits": 3}), "\"100\"", false),
        ("int8", serde_json::json!(9007199254740993_i64), "9007199254740992", false),
    ];
    let mut errors = Vec::new();
    for (ty, rust, pg, same) in cases {
        let column = ColumnType { name: ty.to_string(), kind: "b".into(), array: false };
        let raw = match RawValue::from_string(pg.to_string()) {
            Ok(raw) => raw,
            Err(e) => {
                errors.push(format!("self-check: {pg}: {e}"));
                continue;
            }
        };
        match (canonical_column(&column, &rust, true), canonical_raw(&column, &raw)) {
            (Ok(a), Ok(b)) if (a == b) == same => {}
            other => errors.push(format!("self-check: {ty} {rust} vs {pg} should be {}: {other:?}", if same { "equal" } else { "different" })),
        }
    }
    errors
}

// `async fn run_all(ctx: &mut Ctx)`: a relation!/enumeration! line per generated struct and enum
include!(concat!(env!("LENS_CODEGEN_DIR"), "/checks.rs"));

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut ctx = Ctx::default();
    let config: Value = match std::env::args().nth(1).map(std::fs::read_to_string) {
        Some(Ok(text)) => serde_json::from_str(&text).unwrap_or(Value::Null),
        _ => Value::Null,
    };
    if let Some(dbs) = config["databases"].as_object() {
        ctx.databases = dbs.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect();
    } else {
        ctx.errors.push("usage: lens_codegen_check CONFIG.json (databases, skip)".into());
    }
    ctx.skip = config["skip"].as_array().map(|a| a.iter().filter_map(|k| k.as_str().map(String::from)).collect()).unwrap_or_default();
    ctx.errors.extend(self_check());
    if ctx.errors.is_empty() {
        run_all(&mut ctx).await;
    }
    let report = serde_json::json!({
        "ok": ctx.errors.is_empty(),
        "relations": ctx.relations,
        "rows": ctx.rows,
        "values": ctx.values,
        "labels": ctx.labels,
        "errors": ctx.errors,
    });
    println!("{report}");
}
