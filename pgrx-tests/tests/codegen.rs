//! lens_codegen end to end: the code it writes for the awkward schema, the realistic one and
//! one column of every mapped type compiles with the real compilers and reads the rows of the
//! database it was made from.
//! - TypeScript: `tsc --strict` checks the types against every row as a literal, inserts with
//!   and without what the server fills in, and the Zod schemas' inferred types against the
//!   interfaces; node runs the Zod schemas on the rows (`codegen/ts`, pinned by its lock file).
//! - Rust: a crate of its own (`codegen/rust`, pinned by its lock file) compiles the output
//!   with serde and sqlx 0.8 under `#![deny(warnings)]`; its binary reads every relation
//!   through the generated structs under two search paths and compares them with to_json.

use lens_core::codegen::types::{resolve, JsonForm, Ty};
use pg_lens_e2e::*;
use postgres::Client;
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The schemas the code is made for: (name, fixtures run in order).
const SCHEMAS: &[(&str, &[&str])] = &[
    ("awkward", &["awkward.sql", "awkward_objects.sql", "+newer", "codegen_rows.sql"]),
    ("realistic", &["realistic.sql", "codegen_realistic_rows.sql"]),
    ("types", &["codegen_types.sql"]),
];

/// A database of `schema` (one of SCHEMAS) named `db`.
fn schema_db(db: &str, schema: &str) -> Client {
    let mut client = fresh_db(db);
    let files = SCHEMAS.iter().find(|(name, _)| *name == schema).map(|(_, files)| *files).unwrap_or_else(|| panic!("no schema {schema}"));
    for file in files {
        if *file == "+newer" {
            add_newer_major_objects(&mut client, true);
        } else {
            client.batch_execute(&fixture(file)).unwrap_or_else(|e| panic!("{file}: {}", describe(&e)));
        }
    }
    client
}

/// `target/tmp/codegen/<name>`, empty.
fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tmp/codegen").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What the tests need to know of a relation, from the snapshot.
struct Relation {
    key: String,
    kind: String,
    columns: Vec<Value>,
}

impl Relation {
    fn insertable(&self) -> bool {
        matches!(self.kind.as_str(), "table" | "partitioned" | "foreign_table")
    }
}

/// The relations lens_codegen declares a type for (partitions share their parent's), with their
/// columns in order.
fn relations(db: &mut Client) -> (Vec<Relation>, Value) {
    let snapshot = json(db, "lens_snapshot()");
    let mut out = Vec::new();
    for (key, table) in snapshot["tables"].as_object().unwrap() {
        let kind = table["kind"].as_str().unwrap().to_string();
        if table.get("partitionOf").is_some() || !["table", "partitioned", "view", "materialized_view", "foreign_table"].contains(&kind.as_str()) {
            continue;
        }
        let mut columns: Vec<Value> = snapshot["columns"].as_object().unwrap().values().filter(|c| c["tableKey"] == *key).cloned().collect();
        columns.sort_by_key(|c| c["position"].as_i64());
        out.push(Relation { key: key.clone(), kind, columns });
    }
    (out, snapshot)
}

/// Whether a domain on `data_type`'s way down says `what` (has a default, refuses NULL).
fn domain_says(snapshot: &Value, data_type: &str, what: impl Fn(&Value) -> bool) -> bool {
    let mut t = data_type.to_string();
    for _ in 0..32 {
        match snapshot["domains"].get(&t) {
            Some(d) if what(d) => return true,
            Some(d) => t = d["dataType"].as_str().unwrap().to_string(),
            None => return false,
        }
    }
    false
}

/// Whether an INSERT must not give this column NULL: its own NOT NULL or a domain's.
fn refuses_null(snapshot: &Value, c: &Value) -> bool {
    c["isNullable"] == false || domain_says(snapshot, c["dataType"].as_str().unwrap(), |d| d["notNull"] == true)
}

/// Set by the server: an INSERT must not give it.
fn server_set(c: &Value) -> bool {
    c.get("generated").is_some() || c["identity"] == "always"
}

fn required(snapshot: &Value, c: &Value) -> bool {
    let domain_default = domain_says(snapshot, c["dataType"].as_str().unwrap(), |d| d.get("default").is_some());
    !server_set(c) && refuses_null(snapshot, c) && c.get("default").is_none() && c.get("identity").is_none() && !domain_default
}

/// Every row of `key` as to_json prints it.
fn rows_of(db: &mut Client, key: &str) -> Vec<Value> {
    json(db, &format!("SELECT coalesce(json_agg(to_json(t)), '[]') FROM {key} t")).as_array().unwrap().clone()
}

/// A row without some of its columns.
fn without(row: &Value, drop: impl Fn(&str) -> bool) -> Value {
    Value::Object(row.as_object().unwrap().iter().filter(|(k, _)| !drop(k)).map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn with(row: &Value, key: &str, value: Value) -> Value {
    let mut row = row.as_object().unwrap().clone();
    row.insert(key.to_string(), value);
    Value::Object(row)
}

/// Members of Object.prototype: property names TypeScript checks against them.
const OBJECT_MEMBERS: &[&str] = &["constructor", "toString", "toLocaleString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"];

fn ts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen/ts")
}

/// `tsc --strict` on `files` in `dir`, `--noEmit` or (`emit`) compiled to ES modules in
/// `dir/out`: its output when it fails.
fn tsc(dir: &Path, files: &[&str], emit: bool) -> Result<(), String> {
    let mode: &[&str] = if emit { &["--noEmitOnError", "--outDir", "out"] } else { &["--noEmit"] };
    let out = Command::new(ts_dir().join("node_modules/.bin/tsc"))
        .args(["--strict", "--module", "nodenext", "--target", "es2022"])
        .args(mode)
        .args(files)
        .current_dir(dir)
        .output()
        .expect("tsc runs (scripts/test.sh installs codegen/ts)");
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}

/// The TypeScript check of one schema: the types, the schemas, every row, inserts.
fn typescript_check(schema: &str) {
    let db_name = format!("lens_codegen_ts_{schema}");
    let mut db = schema_db(&db_name, schema);
    let dir = work_dir(&format!("ts_{schema}"));
    std::os::unix::fs::symlink(ts_dir().join("node_modules"), dir.join("node_modules")).unwrap();
    std::fs::write(dir.join("types.mts"), text(&mut db, "SELECT lens_codegen(NULL, 'typescript')")).unwrap();
    std::fs::write(dir.join("schemas.mts"), text(&mut db, "SELECT lens_codegen(NULL, 'zod')")).unwrap();
    let (relations, snapshot) = relations(&mut db);
    let model: lens_core::Snapshot = serde_json::from_value(snapshot.clone()).unwrap();
    // a column any JSON fits: a json column, or one of a type pg_lens does not know
    let takes_json = |c: &Value| {
        let ty = resolve(&model, c["dataType"].as_str().unwrap()).ty;
        matches!(&ty, Ty::Unknown(_)) || matches!(&ty, Ty::Builtin(b) if b.json == JsonForm::Json)
    };

    let mut literals = String::from("import type { Rows, Inserts } from \"./types.mjs\";\n");
    let mut equal = String::from(
        "import type { Rows, Inserts } from \"./types.mjs\";\nimport type { rowSchemas, insertSchemas } from \"./schemas.mjs\";\nimport type { z } from \"zod\";\n\
         type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2) ? true : false;\ntype Assert<V extends true> = V;\n",
    );
    let (mut rows, mut inserts, mut bad, mut bad_insert_map) = (Map::new(), Map::new(), Map::new(), Map::new());
    let mut row_count = 0;
    for (n, r) in relations.iter().enumerate() {
        let key = serde_json::to_string(&r.key).unwrap();
        equal.push_str(&format!("export type Row{n} = Assert<Equals<Rows[{key}], z.infer<(typeof rowSchemas)[{key}]>>>;\n"));
        if r.insertable() {
            equal.push_str(&format!("export type Insert{n} = Assert<Equals<Inserts[{key}], z.infer<(typeof insertSchemas)[{key}]>>>;\n"));
        }
        if r.kind == "foreign_table" {
            continue; // its wrapper has no handler: nothing to read
        }
        let table_rows = rows_of(&mut db, &r.key);
        row_count += table_rows.len();
        literals.push_str(&format!("export const rows{n}: Rows[{key}][] = {};\n", Value::Array(table_rows.clone())));
        let Some(first) = table_rows.first() else { continue };
        let mut bad_rows = Vec::new();
        for c in &r.columns {
            let name = c["name"].as_str().unwrap();
            let ty = resolve(&model, c["dataType"].as_str().unwrap()).ty;
            let any_json = takes_json(c);
            // a NOT NULL that every row honours (not one NOT VALID, nor NO INHERIT with
            // children: tested apart); JSON null is a json column's value
            let honoured = c.get("notNullNotValid").is_none() && c.get("notNullNoInherit").is_none();
            if c["isNullable"] == false && honoured && !any_json {
                bad_rows.push(with(first, name, Value::Null));
            }
            if !any_json {
                bad_rows.push(with(first, name, json!({"lens_wrong": [1]})));
            }
            if matches!(ty, Ty::Enum(_)) {
                bad_rows.push(with(first, name, json!("lens: no such label")));
            }
        }
        bad.insert(r.key.clone(), Value::Array(bad_rows));
        rows.insert(r.key.clone(), Value::Array(table_rows.clone()));
        if !r.insertable() {
            continue;
        }
        // an insert of a row's values (what the server sets left out), and of only what it requires
        let set_by_server: Vec<&str> = r.columns.iter().filter(|c| server_set(c)).map(|c| c["name"].as_str().unwrap()).collect();
        let required_columns: Vec<&str> = r.columns.iter().filter(|c| required(&snapshot, c)).map(|c| c["name"].as_str().unwrap()).collect();
        // the first row's values, where an INSERT would refuse its NULL (a NOT NULL added NOT
        // VALID, or NO INHERIT and the row a child's) another row's
        let mut values = first.clone();
        for c in r.columns.iter().filter(|c| refuses_null(&snapshot, c)) {
            let name = c["name"].as_str().unwrap();
            if values[name].is_null() {
                if let Some(other) = table_rows.iter().map(|row| &row[name]).find(|v| !v.is_null()) {
                    values = with(&values, name, other.clone());
                }
            }
        }
        let full = without(&values, |k| set_by_server.contains(&k));
        // TypeScript compares an optional property named like a member of Object.prototype
        // with that member (`constructor` with Function): an insert literal gives them (README)
        let minimal = without(&values, |k| !required_columns.contains(&k) && !(OBJECT_MEMBERS.contains(&k) && !set_by_server.contains(&k)));
        literals.push_str(&format!("export const insert{n}: Inserts[{key}] = {full};\nexport const minimal{n}: Inserts[{key}] = {minimal};\n"));
        let mut bad_inserts = Vec::new();
        if let Some(generated) = set_by_server.first() {
            let given = with(&minimal, generated, values[generated].clone());
            literals.push_str(&format!("// @ts-expect-error: the server sets it\nexport const generated{n}: Inserts[{key}] = {given};\n"));
            bad_inserts.push(given);
        }
        if let Some(needed) = required_columns.first() {
            let short = without(&minimal, |k| k == *needed);
            literals.push_str(&format!("// @ts-expect-error: it must be given\nexport const missing{n}: Inserts[{key}] = {short};\n"));
            bad_inserts.push(short);
        }
        // NULL where an INSERT must not give it, the column's NOT NULL or its domain's (not a
        // json column's: JSON null is a json value)
        for (i, c) in r.columns.iter().filter(|c| !server_set(c) && refuses_null(&snapshot, c) && !takes_json(c)).enumerate() {
            let null = with(&minimal, c["name"].as_str().unwrap(), Value::Null);
            literals.push_str(&format!("// @ts-expect-error: NULL refused\nexport const null{n}_{i}: Inserts[{key}] = {null};\n"));
            bad_inserts.push(null);
        }
        inserts.insert(r.key.clone(), json!([full, minimal]));
        bad_insert_map.insert(r.key.clone(), Value::Array(bad_inserts));
    }
    assert!(row_count > 0, "{schema}: the fixtures hold rows");
    std::fs::write(dir.join("rows.mts"), &literals).unwrap();
    std::fs::write(dir.join("equal.mts"), &equal).unwrap();
    // the types and schemas also as CommonJS modules, where tsc reserves more names (`Object`)
    std::fs::copy(dir.join("types.mts"), dir.join("types.cts")).unwrap();
    std::fs::copy(dir.join("schemas.mts"), dir.join("schemas.cts")).unwrap();
    if let Err(e) = tsc(&dir, &["types.mts", "schemas.mts", "rows.mts", "equal.mts", "types.cts", "schemas.cts"], false) {
        panic!("{schema}: tsc --strict --noEmit refused the generated code or a row (files in {}):\n{e}", dir.display());
    }
    // the Zod schemas as JavaScript, for node
    tsc(&dir, &["schemas.mts"], true).unwrap_or_else(|e| panic!("{schema}: tsc could not emit the schemas: {e}"));

    // tsc can fail: a row with a column the table does not have
    let first_key = serde_json::to_string(&relations[0].key).unwrap();
    std::fs::write(dir.join("wrong.mts"), format!("import type {{ Rows }} from \"./types.mjs\";\nexport const wrong: Rows[{first_key}] = {{ \"lens: no such column\": 1 }};\n")).unwrap();
    let refused = tsc(&dir, &["types.mts", "wrong.mts"], false).expect_err("tsc refuses a row of the wrong shape");
    assert!(refused.contains("TS2353") || refused.contains("TS2741") || refused.contains("TS2322"), "{refused}");

    // the Zod schemas, compiled by tsc above, on every row
    let input = json!({"rows": rows, "inserts": inserts, "badRows": bad, "badInserts": bad_insert_map});
    let out = output_with_input(Command::new("node").arg(ts_dir().join("check.mjs")).arg(dir.join("out/schemas.mjs")), input.to_string().as_bytes(), "node");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("check.mjs: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["ok"], true, "{schema}: the Zod schemas and the rows disagree:\n{:#}", report["errors"]);
    assert!(report["checked"].as_u64().unwrap() as usize >= row_count, "{report}");
}

#[test]
fn typescript_and_zod_describe_the_awkward_schemas_rows() {
    typescript_check("awkward");
}

#[test]
fn typescript_and_zod_describe_the_realistic_schemas_rows() {
    typescript_check("realistic");
}

#[test]
fn typescript_and_zod_describe_every_mapped_type() {
    typescript_check("types");
}

/// A URL sqlx connects to `db` of the test server with.
fn sqlx_url(db: &str) -> String {
    let host = host();
    if host.starts_with('/') {
        format!("postgres://postgres@localhost:{}/{db}?host={host}", port())
    } else {
        format!("postgres://postgres@{host}:{}/{db}", port())
    }
}

/// What the check binary reads: a relation! line per struct with FromRow, an enumeration! line
/// per enum, found in the generated code of module `module`.
fn checks_of(module: &str, code: &str) -> (String, usize) {
    let mut out = String::new();
    let mut relations = 0;
    let mut previous = "";
    for line in code.lines() {
        if let Some(name) = line.strip_prefix("pub struct ").and_then(|l| l.strip_suffix(" {")) {
            if previous.contains("::sqlx::FromRow") {
                out.push_str(&format!("    relation!(ctx, \"{module}\", {module}::{name});\n"));
                relations += 1;
            }
        }
        if let Some(name) = line.strip_prefix("pub enum ").and_then(|l| l.strip_suffix(" {")) {
            out.push_str(&format!("    enumeration!(ctx, \"{module}\", {module}::{name});\n"));
        }
        previous = line;
    }
    (out, relations)
}

/// The crates each generated file's header asks for are the check crate's, with at least the
/// features the header names (what compiles here is what the header tells an application),
/// and they are exactly the type crates the file's code names.
fn headers_name_the_crates_the_check_builds_with(dir: &Path) {
    let type_crates = [("::sqlx::types::chrono::", "chrono"), ("::sqlx::types::Decimal", "rust_decimal"), ("::sqlx::types::Uuid", "uuid"), ("::sqlx::types::ipnetwork::", "ipnetwork"), ("::sqlx::types::BitVec", "bit-vec")];
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen/rust/Cargo.toml")).unwrap();
    for (schema, _) in SCHEMAS {
        let code = std::fs::read_to_string(dir.join(format!("{schema}.rs"))).unwrap();
        let wanted: Vec<&str> = code.lines().take_while(|l| l.starts_with("//")).filter_map(|l| l.strip_prefix("//   ")).collect();
        assert!(wanted.iter().any(|l| l.starts_with("sqlx = ")), "{schema}: the header names sqlx: {wanted:?}");
        let body: String = code.lines().skip_while(|l| l.starts_with("//")).collect::<Vec<_>>().join("\n");
        let sqlx_line = wanted.iter().find(|l| l.starts_with("sqlx = ")).copied().unwrap_or_default();
        for (path, name) in type_crates {
            let used = body.contains(path);
            let listed = wanted.iter().any(|l| l.starts_with(&format!("{name} = ")));
            assert_eq!((used, listed, sqlx_line.contains(&format!("\"{name}\""))), (used, used, used), "{schema}: {name} used by the code and named by the header alike");
        }
        for line in wanted {
            let (name, spec) = line.split_once(" = ").unwrap_or_else(|| panic!("{schema}: a crate line: {line}"));
            let have = manifest.lines().find(|l| l.starts_with(&format!("{name} = "))).unwrap_or_else(|| panic!("{schema}: the check crate lacks {name}"));
            let features = spec.split_once("features = [").map(|(_, f)| f.split(']').next().unwrap_or_default()).unwrap_or_default();
            for feature in features.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                assert!(have.contains(feature), "{schema}: the check crate's {name} lacks the feature {feature} the header asks for: {have}");
            }
        }
    }
}

#[test]
fn rust_structs_compile_with_sqlx_and_read_every_row() {
    let dir = work_dir("rust");
    let mut checks = String::from("async fn run_all(ctx: &mut Ctx) {\n");
    let (mut databases, mut skip) = (Map::new(), Vec::new());
    let mut expected_relations = 0;
    for (schema, _) in SCHEMAS {
        let db_name = format!("lens_codegen_rs_{schema}");
        let mut db = schema_db(&db_name, schema);
        let code = text(&mut db, "SELECT lens_codegen(NULL, 'rust')");
        std::fs::write(dir.join(format!("{schema}.rs")), &code).unwrap();
        let (lines, relations) = checks_of(schema, &code);
        checks.push_str(&lines);
        let (declared, _) = self::relations(&mut db);
        assert_eq!(relations, declared.len(), "{schema}: a struct per relation");
        for r in &declared {
            // a foreign table's wrapper has no handler; the special values are what these Rust
            // types refuse (NaN, infinities: README)
            if r.kind == "foreign_table" || r.key == "types.special_values" {
                skip.push(r.key.clone());
            } else {
                expected_relations += 1;
            }
        }
        databases.insert(schema.to_string(), json!(sqlx_url(&db_name)));
    }
    checks.push_str("}\n");
    std::fs::write(dir.join("checks.rs"), checks).unwrap();
    headers_name_the_crates_the_check_builds_with(&dir);
    let config = dir.join("config.json");
    std::fs::write(&config, json!({"databases": databases, "skip": skip}).to_string()).unwrap();

    // cargo check, then build: serde, sqlx 0.8 and the type crates, pinned by the crate's lock
    // file; no database (no query macros)
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = root.join("target/codegen-check");
    for command in ["check", "build"] {
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([command, "--locked", "--quiet", "--manifest-path"])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen/rust/Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .env("LENS_CODEGEN_DIR", &dir)
            .output()
            .expect("cargo runs");
        assert!(out.status.success(), "cargo {command}: the generated Rust does not compile (files in {}):\n{}", dir.display(), String::from_utf8_lossy(&out.stderr));
    }

    let run = Command::new(target.join("debug/lens_codegen_check")).arg(&config).output().expect("the check binary runs");
    let report: Value = serde_json::from_slice(&run.stdout)
        .unwrap_or_else(|_| panic!("the check binary: {}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr)));
    assert_eq!(report["ok"], true, "the generated Rust and the rows disagree:\n{:#}", report["errors"]);
    assert_eq!(report["relations"], expected_relations, "{report}");
    let (rows, values, labels) = (report["rows"].as_u64().unwrap(), report["values"].as_u64().unwrap(), report["labels"].as_u64().unwrap());
    assert!(rows > 20 && values > 5 * rows && labels > 10, "every row read, value by value, and every label: {report}");
}

#[test]
fn outputs_are_deterministic_and_held_to_golden_files() {
    let mut differences = Vec::new();
    for schema in ["awkward", "realistic"] {
        let mut db = schema_db(&format!("lens_codegen_golden_{schema}"), schema);
        let outputs: Vec<(String, String)> = [("typescript", "ts"), ("zod", "zod.ts"), ("rust", "rs")]
            .iter()
            .map(|(target, ext)| (format!("{schema}.codegen.{ext}"), text(&mut db, &format!("SELECT lens_codegen(NULL, '{target}')"))))
            .collect();
        // what no row type shows changes no byte: an index, a comment on it, a function, a grant
        db.batch_execute(
            "CREATE INDEX lens_unrelated_i ON shop.orders (placed_at); COMMENT ON INDEX shop.lens_unrelated_i IS 'x'; \
             ALTER TABLE shop.orders ADD CONSTRAINT lens_unrelated CHECK (placed_at IS NOT NULL); GRANT SELECT ON shop.orders TO PUBLIC; \
             CREATE FUNCTION shop.lens_unrelated() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        )
        .unwrap();
        for ((name, before), target) in outputs.iter().zip(["typescript", "zod", "rust"]) {
            let again = text(&mut db, &format!("SELECT lens_codegen(NULL, '{target}')"));
            assert_eq!(&again, before, "{name}: the same row types give the same bytes");
            differences.extend(golden(name, before));
        }
        // a column added is a line added in every target
        db.batch_execute("ALTER TABLE shop.orders ADD COLUMN \"lens added\" text").unwrap();
        for (name, before) in &outputs {
            let target = if name.ends_with(".ts") && !name.ends_with(".zod.ts") { "typescript" } else if name.ends_with(".zod.ts") { "zod" } else { "rust" };
            let after = text(&mut db, &format!("SELECT lens_codegen(NULL, '{target}')"));
            assert!(after.contains("lens added") && !before.contains("lens added"), "{name}");
        }
    }
    assert!(differences.is_empty(), "golden outputs differ (LENS_UPDATE_GOLDEN=1 rewrites them):\n{}", differences.join("\n"));
}

#[test]
fn bad_arguments_are_refused_with_a_hint() {
    let mut db = fresh_db("lens_codegen_bad");
    for (sql, code) in [
        ("SELECT lens_codegen(NULL, 'python')", "22023"),
        ("SELECT lens_codegen(NULL, 'TypeScript')", "22023"),
        ("SELECT lens_codegen(ARRAY['no_such_schema'], 'rust')", "3F000"),
        ("SELECT lens_codegen(ARRAY[]::text[], 'zod')", "22023"),
        ("SELECT lens_codegen(ARRAY['public', NULL], 'zod')", "22023"),
    ] {
        let (got, message, hint) = error_of(&mut db, sql);
        assert_eq!(got, code, "{sql}: {message}");
        assert!(hint.is_some_and(|h| !h.is_empty()), "{sql}: a hint");
    }
    // NULL target means the default, as the other functions' options do; an empty schema is no error
    let default = text(&mut db, "SELECT lens_codegen(NULL, NULL)");
    assert!(default.starts_with("// Generated by pg_lens: SELECT lens_codegen(NULL, 'typescript');"), "{default}");
    assert_eq!(text(&mut db, "SELECT lens_codegen()"), default);
}

#[test]
fn the_every_type_fixture_has_a_column_for_each_row_of_the_mapping_table() {
    let mut db = schema_db("lens_codegen_coverage", "types");
    let snapshot: lens_core::Snapshot = serde_json::from_value(json(&mut db, "lens_snapshot()")).unwrap();
    let covered = lens_core::codegen::mapping::coverage(&snapshot);
    let missing: Vec<&str> = lens_core::codegen::mapping::ids().into_iter().filter(|id| !covered.contains(id)).collect();
    assert!(missing.is_empty(), "README's mapping rows without a column in codegen_types.sql: {missing:?}");
}

/// scripts/lens_codegen.py against database `db`: (exit code, stdout, stderr).
fn recipe(db: &str, args: &[&str]) -> (i32, String, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/lens_codegen.py");
    let out = Command::new("python3")
        .arg(script)
        .args(["--db", db])
        .args(args)
        .env("PGHOST", host())
        .env("PGPORT", port().to_string())
        .env("PGUSER", "postgres")
        .output()
        .expect("python3 runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn the_ci_recipe_fails_on_stale_code_and_on_drift() {
    let db = "lens_codegen_recipe";
    let mut client = schema_db(db, "awkward");
    let dir = work_dir("recipe");
    let (code, snapshot) = (dir.join("db.ts"), dir.join("schema.json"));
    let (code_arg, snapshot_arg) = (code.to_str().unwrap(), snapshot.to_str().unwrap());
    let args = ["--target", "zod", "--schema", "shop", "--schema", "Audit.Log", "--out", code_arg, "--snapshot", snapshot_arg];
    let (status, said, err) = recipe(db, &args);
    assert_eq!(status, 0, "{said}{err}");
    assert_eq!(std::fs::read_to_string(&code).unwrap(), text(&mut client, "SELECT lens_codegen(ARRAY['shop', 'Audit.Log'], 'zod')"), "the file is the function's output, byte for byte");
    let written = std::fs::read_to_string(&snapshot).unwrap();
    // a second run changes nothing (the snapshot's clock does not make a diff)
    let (status, said, _) = recipe(db, &args);
    assert_eq!((status, said.contains("unchanged, ") && said.ends_with("unchanged\n")), (0, true), "{said}");
    assert_eq!(std::fs::read_to_string(&snapshot).unwrap(), written);
    let check: Vec<&str> = args.iter().copied().chain(["--check"]).collect();
    let (status, said, err) = recipe(db, &check);
    assert_eq!(status, 0, "{said}{err}");

    // a column the committed code does not have: the check fails and says where
    client.batch_execute("ALTER TABLE shop.orders ADD COLUMN \"ci note\" text").unwrap();
    let (status, _, err) = recipe(db, &check);
    assert_eq!(status, 1, "{err}");
    assert!(err.contains("+  \"ci note\": z.string().nullable(),") && err.contains("is not what lens_codegen gives now"), "{err}");
    assert!(err.contains("drifted from"), "lens_check_drift sees it too: {err}");
    // regenerated: up to date again, and the snapshot follows the schema
    let (status, said, err) = recipe(db, &args);
    assert_eq!(status, 0, "{said}{err}");
    assert!(said.contains("written") && std::fs::read_to_string(&snapshot).unwrap() != written, "{said}");
    let (status, said, err) = recipe(db, &check);
    assert_eq!(status, 0, "{said}{err}");

    // an index changes no type: the code is up to date, yet the schema drifted from the snapshot
    client.batch_execute("CREATE INDEX ci_note ON shop.orders (\"ci note\")").unwrap();
    let (status, _, err) = recipe(db, &check);
    assert_eq!(status, 1, "{err}");
    assert!(!err.contains("is not what lens_codegen gives now") && err.contains("drifted from"), "{err}");
}
