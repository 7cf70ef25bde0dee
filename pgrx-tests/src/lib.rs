//! Harness for end-to-end tests: a running PostgreSQL server with pg_lens installed.
//!
//! `scripts/test.sh` starts a throwaway server and exports `PG_LENS_TEST_HOST` (socket
//! directory or host) and `PG_LENS_TEST_PORT`. Each test works in a database of its own,
//! created fresh, so tests run in parallel without seeing each other.

pub mod chromium;
pub mod cluster;
pub mod random_ddl;

use postgres::{Client, NoTls};
use serde_json::Value;

pub fn host() -> String {
    std::env::var("PG_LENS_TEST_HOST").unwrap_or_else(|_| "/tmp/pg_lens_test".to_string())
}

pub fn port() -> u16 {
    std::env::var("PG_LENS_TEST_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(54315)
}

/// A connection to `db` as the superuser `postgres`.
pub fn connect(db: &str) -> Client {
    connect_as(db, "postgres")
}

pub fn connect_as(db: &str, user: &str) -> Client {
    let conn = format!("host={} port={} user={} dbname={}", host(), port(), user, db);
    Client::connect(&conn, NoTls).unwrap_or_else(|e| panic!("cannot connect to {conn}: {e} (is the test server running? see scripts/test.sh)"))
}

/// Drops and creates database `name` with pg_lens installed, and returns a connection to it.
pub fn fresh_db(name: &str) -> Client {
    let mut admin = connect("postgres");
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
    let mut client = connect(name);
    client.batch_execute("CREATE EXTENSION pg_lens").unwrap();
    client
}

/// A fixture from `pgrx-tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Runs a SQL query that returns one jsonb/json/text value and parses it as JSON.
pub fn json(client: &mut Client, sql: &str) -> Value {
    let row = client.query_one(&format!("SELECT ({sql})::text"), &[]).unwrap_or_else(|e| panic!("{sql}: {}", describe(&e)));
    let text: String = row.get(0);
    serde_json::from_str(&text).unwrap()
}

/// One text value.
pub fn text(client: &mut Client, sql: &str) -> String {
    client.query_one(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {}", describe(&e))).get(0)
}

/// An error with the server's message, detail and hint.
pub fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} {} (detail: {:?}, hint: {:?})", db.code().code(), db.message(), db.detail(), db.hint()),
        None => e.to_string(),
    }
}

/// The error a statement raises: (SQLSTATE, message, hint).
pub fn error_of(client: &mut Client, sql: &str) -> (String, String, Option<String>) {
    match client.batch_execute(sql) {
        Ok(()) => panic!("expected an error from: {sql}"),
        Err(e) => {
            let db = e.as_db_error().unwrap_or_else(|| panic!("not a server error: {e}"));
            (db.code().code().to_string(), db.message().to_string(), db.hint().map(str::to_string))
        }
    }
}

/// Runs `command` with `input` on its standard input; its output (status, stdout, stderr).
/// Panics, naming `what`, when it cannot be started.
pub fn output_with_input(command: &mut std::process::Command, input: &[u8], what: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap_or_else(|e| panic!("{what} does not start: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input).unwrap_or_else(|e| panic!("{what}: writing its input: {e}"));
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// A JSON value as a jsonb literal for SQL text.
pub fn lit(v: &Value) -> String {
    format!("'{}'::jsonb", v.to_string().replace('\'', "''"))
}

/// The test server's installation, as its `pg_config` view reports it.
pub struct Installation {
    /// The major version: 14, 15, ... 18.
    pub major: u32,
    pub bindir: String,
    /// Where its libpq is: the relocatable builds of majors other than 15 carry their own,
    /// which their programs must find before the system's.
    pub libdir: String,
    pub pkglibdir: String,
}

/// The installation of the server the tests run against (asked once).
pub fn installation() -> &'static Installation {
    static INSTALLATION: std::sync::OnceLock<Installation> = std::sync::OnceLock::new();
    INSTALLATION.get_or_init(|| {
        let mut client = connect("postgres");
        let setting = |client: &mut Client, name: &str| -> String {
            client.query_one("SELECT setting FROM pg_config WHERE name = $1", &[&name]).unwrap().get(0)
        };
        let major: i32 = client.query_one("SELECT current_setting('server_version_num')::int / 10000", &[]).unwrap().get(0);
        Installation {
            major: major as u32,
            bindir: setting(&mut client, "BINDIR"),
            libdir: setting(&mut client, "LIBDIR"),
            pkglibdir: setting(&mut client, "PKGLIBDIR"),
        }
    })
}

/// The test server's major version.
pub fn server_major() -> u32 {
    installation().major
}

/// A program of the server's own installation (pg_dump, pg_restore, pg_basebackup, ...),
/// finding that installation's libraries.
pub fn server_tool(name: &str) -> std::process::Command {
    let i = installation();
    let mut command = std::process::Command::new(format!("{}/{name}", i.bindir));
    command.env("LD_LIBRARY_PATH", &i.libdir);
    command
}

/// Whether the server can install every extension of `names`. The extensions people run
/// beside pg_lens (PostGIS, pgaudit, pg_partman, pg_cron) are Debian's packages for
/// PostgreSQL 15: a scenario that needs them runs on 15 (where their absence is a failure)
/// and is skipped, saying so, on the other majors.
pub fn has_extensions(names: &[&str]) -> bool {
    let mut client = connect("postgres");
    let wanted: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let found: i64 = client.query_one("SELECT count(*) FROM pg_available_extensions WHERE name = ANY($1)", &[&wanted]).unwrap().get(0);
    if found as usize == names.len() {
        return true;
    }
    assert!(server_major() != 15, "PostgreSQL 15 must have the extensions {names:?} (scripts/setup.sh installs them)");
    eprintln!("skipped on PostgreSQL {}: the extensions {names:?} are packaged for PostgreSQL 15 only", server_major());
    false
}

/// Whether the server was built with ICU (the relocatable builds of the other majors are not,
/// though 16 and later list the predefined `unicode` collation anyway): an ICU collation made
/// and rolled back, told by its SQLSTATE.
pub fn has_icu() -> bool {
    let mut client = connect("postgres");
    let mut tx = client.transaction().unwrap();
    match tx.batch_execute("CREATE COLLATION lens_icu_probe (provider = icu, locale = 'und')") {
        Ok(()) => true,
        Err(e) if e.code() == Some(&postgres::error::SqlState::FEATURE_NOT_SUPPORTED) => false,
        Err(e) => panic!("probing for ICU: {}", describe(&e)),
    }
}

/// The objects only newer majors make, added to the awkward schema where the server has them:
/// `fixtures/pg18.sql` on 18 and later (after awkward.sql), and with `objects` (after
/// awkward_objects.sql, whose roles it uses) `fixtures/pg17.sql` on 17 and later.
pub fn add_newer_major_objects(client: &mut Client, objects: bool) {
    if objects && server_major() >= 17 {
        client.batch_execute(&fixture("pg17.sql")).unwrap_or_else(|e| panic!("pg17.sql: {}", describe(&e)));
    }
    if server_major() >= 18 {
        client.batch_execute(&fixture("pg18.sql")).unwrap_or_else(|e| panic!("pg18.sql: {}", describe(&e)));
    }
}

/// Golden files (`pgrx-tests/golden/`): the file major `major` is held to `major` is held to, leaving out `pg{except}/` (None: no such file).
pub fn golden_path(name: &str, major: u32, except: Option<u32>) -> String {
    let root = format!("{}/golden", env!("CARGO_MANIFEST_DIR"));
    // after 15: the newest pgN not above the major; before 15: the oldest pgN not below it
    let candidates: Vec<u32> = if major > 15 { (16..=major).rev().collect() } else { (major..15).collect() };
    candidates
        .into_iter()
        .filter(|n| Some(*n) != except)
        .map(|n| format!("{root}/pg{n}/{name}"))
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or(format!("{root}/{name}"))
}

/// None when `actual` is the golden file `name` (or `LENS_UPDATE_GOLDEN=1` wrote it), else
/// where it differs.
pub fn golden(name: &str, actual: &str) -> Option<String> {
    let major = server_major();
    if std::env::var("LENS_UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        let own = format!("{}/golden/pg{major}/{name}", env!("CARGO_MANIFEST_DIR"));
        if major == 15 {
            std::fs::write(golden_path(name, 15, None), actual).unwrap();
        } else if std::fs::read_to_string(golden_path(name, major, Some(major))).is_ok_and(|inherited| inherited == actual) {
            let _ = std::fs::remove_file(&own);
        } else {
            std::fs::create_dir_all(std::path::Path::new(&own).parent().unwrap()).unwrap();
            std::fs::write(&own, actual).unwrap();
        }
        return None;
    }
    let path = golden_path(name, major, None);
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e} (LENS_UPDATE_GOLDEN=1 writes it)"));
    if expected == actual {
        return None;
    }
    let line = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(expected.lines().count().min(actual.lines().count()));
    Some(format!(
        "{path} differs from line {}:\n  golden: {:?}\n  now:    {:?}",
        line + 1,
        expected.lines().nth(line).unwrap_or("<end>"),
        actual.lines().nth(line).unwrap_or("<end>")
    ))
}
