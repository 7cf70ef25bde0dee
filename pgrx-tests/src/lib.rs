//! Harness for end-to-end tests: a running PostgreSQL server with pg_lens installed.
//!
//! `scripts/test.sh` starts a throwaway server and exports `PG_LENS_TEST_HOST` (socket
//! directory or host) and `PG_LENS_TEST_PORT`. Each test works in a database of its own,
//! created fresh, so tests run in parallel without seeing each other.

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

/// A JSON value as a jsonb literal for SQL text.
pub fn lit(v: &Value) -> String {
    format!("'{}'::jsonb", v.to_string().replace('\'', "''"))
}
