//! A major upgrade with pg_upgrade: a PostgreSQL 15 cluster whose databases have pg_lens
//! history, upgraded to 18 (pg_lens installed in the new cluster first). Every drift row and
//! snapshot is kept, lens_verify() is clean, capture goes on, and the signature is the old
//! one but for what 18 prints differently (view bodies, README "PostgreSQL majors").
//! pg_upgrade keeps the oids of relations and types, not of constraints, triggers, policies,
//! functions or schemas: nothing may read as renamed, or dropped and created.
//!
//! It makes its own two clusters from the installations `PG_LENS_UPGRADE_FROM` and
//! `PG_LENS_UPGRADE_TO` name (their pg_config; scripts/test.sh sets them once both majors
//! are built), and is skipped, saying so, without them.

use pg_lens_e2e::cluster::{history, named, Cluster, Install};
use pg_lens_e2e::*;
use serde_json::{json, Value};
use std::process::Command;

/// The schema: functions (one an aggregate), triggers, policies, checks, FKs, a domain,
/// views, a commented schema; then some history on it.
const SCHEMA: &str = "
    CREATE FUNCTION shop.order_total(o shop.orders) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT 1::numeric $$;
    CREATE AGGREGATE shop.\"sum ü\"(numeric) (SFUNC = numeric_add, STYPE = numeric, INITCOND = '0');
    CREATE DOMAIN shop.positive AS int CONSTRAINT \"must be > 0\" CHECK (VALUE > 0);
    ALTER TABLE shop.customers ADD CONSTRAINT \"name, not empty\" CHECK (name <> '');
    ALTER TABLE shop.customers ENABLE ROW LEVEL SECURITY;
    CREATE POLICY \"own rows\" ON shop.customers USING (true);
    COMMENT ON SCHEMA shop IS 'the shop';
    ALTER VIEW shop.order_totals RENAME TO \"Order Totals\";
";

/// Statements after the upgrade on objects whose oids the new cluster changed, each with what
/// its drift row must say, exactly.
const AFTER: &[(&str, &[&str])] = &[
    ("CREATE OR REPLACE FUNCTION shop.order_total(o shop.orders) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT 2::numeric $$",
     &["functions ~ shop.order_total(shop.orders)"]),
    ("ALTER TABLE shop.customers RENAME CONSTRAINT \"name, not empty\" TO \"name required\"",
     &["constraints.checks > shop.customers:\"name, not empty\" => shop.customers:\"name required\""]),
    ("ALTER POLICY \"own rows\" ON shop.customers RENAME TO \"my rows\"", &["policies > shop.customers:\"own rows\" => shop.customers:\"my rows\""]),
    ("ALTER TRIGGER customer_cards_insert ON shop.customer_cards RENAME TO cards_insert",
     &["triggers > shop.customer_cards.customer_cards_insert => shop.customer_cards.cards_insert"]),
    ("COMMENT ON SCHEMA shop IS 'the shop, upgraded'", &["schemas ~ shop"]),
    ("ALTER DOMAIN shop.positive RENAME CONSTRAINT \"must be > 0\" TO positive", &["domains ~ shop.positive"]),
];

/// What 18 prints differently from 15, as a diff of the same schema: view bodies only.
fn only_printed_differences(diff: &Value) {
    let names = named(diff);
    assert!(names.iter().all(|n| n.starts_with("views ~ ")), "only view bodies may differ across the upgrade: {names:?}\n{diff}");
    for view in diff["views"]["changed"].as_array().into_iter().flatten() {
        let fields: Vec<&String> = view["changes"].as_object().unwrap().keys().collect();
        assert_eq!(fields, vec!["definition"], "{view}");
    }
}

#[test]
fn pg_upgrade_keeps_history_and_capture_goes_on() {
    let (Some(old), Some(new)) = (Install::from_env("PG_LENS_UPGRADE_FROM"), Install::from_env("PG_LENS_UPGRADE_TO")) else {
        eprintln!("skipped: PG_LENS_UPGRADE_FROM and PG_LENS_UPGRADE_TO (pg_config of two majors with pg_lens installed) are not set");
        return;
    };
    let dir = format!("/tmp/pg_lens_upgrade_{}", std::process::id());
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(format!("{dir}/sock")).unwrap();
    assert!(Command::new("chown").args(["-R", "postgres", &dir]).status().unwrap().success());
    let base = port() + 40;

    // the old cluster: two databases with history (the first DDL after the upgrade finds one
    // stale, lens_verify() the other)
    let before = Cluster::init(&old, &dir, "old", base, &[]);
    before.start(&dir);
    let mut kept = Vec::new();
    for db in ["lens_up_capture", "lens_up_verify"] {
        before.connect("postgres").batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
        let mut c = before.connect(db);
        c.batch_execute("CREATE EXTENSION pg_lens").unwrap();
        c.batch_execute(&fixture("realistic.sql")).unwrap();
        c.batch_execute(SCHEMA).unwrap();
        c.batch_execute("SELECT lens_capture()").unwrap();
        assert_eq!(json(&mut c, "lens_verify()")["ok"], json!(true));
        kept.push(history(&mut c));
    }
    before.stop(&dir);

    // the new cluster, pg_upgrade (18's initdb turns data checksums on, 15's did not)
    let newer_major = Command::new(format!("{}/postgres", new.bin)).arg("--version").env("LD_LIBRARY_PATH", &new.lib).output().unwrap();
    let checksums: &[&str] = if String::from_utf8_lossy(&newer_major.stdout).contains(" 18.") { &["--no-data-checksums"] } else { &[] };
    let after = Cluster::init(&new, &dir, "new", base + 1, checksums);
    let (old_data, new_data) = (format!("{dir}/old"), format!("{dir}/new"));
    new.run(&dir, "pg_upgrade", &[
        "-b", &old.bin, "-B", &new.bin, "-d", &old_data, "-D", &new_data, "-U", "postgres",
        "-p", &(base + 2).to_string(), "-P", &(base + 3).to_string(), "-s", &format!("{dir}/sock"),
    ]);
    after.start(&dir);

    for (db, before) in ["lens_up_capture", "lens_up_verify"].into_iter().zip(&kept) {
        let mut c = after.connect(db);
        // every drift row and snapshot is there, as it was
        let now = history(&mut c);
        assert_eq!(&now.rows[..], &before.rows[..], "{db}: drift rows kept");
        assert_eq!(now.snapshots, before.snapshots, "{db}: snapshots kept");
        // the same schema, but for what the new major prints its own way
        let across = json(&mut c, &format!("lens_diff({}, lens_snapshot())", lit(&before.snapshot)));
        only_printed_differences(&across);
        for (id, signature) in &before.rows {
            let travelled = text(&mut c, &format!("SELECT lens_signature(lens_snapshot_at({id}::bigint))"));
            assert_eq!(&travelled, signature, "{db}: time travel to row {id}");
        }

        if db == "lens_up_verify" {
            let report = json(&mut c, "lens_verify()");
            assert_eq!(report["ok"], json!(true), "{db}: {report}");
            assert!(report["rekeyed"]["from"] != report["rekeyed"]["to"], "{report}");
        }
        // capture goes on: each statement's row says exactly its change (the first one in
        // lens_up_capture also carries the re-read of the state: what prints differently)
        for (n, (statement, expected)) in AFTER.iter().enumerate() {
            let last: i64 = c.query_one("SELECT coalesce(max(id), 0) FROM lens_drift", &[]).unwrap().get(0);
            c.batch_execute(statement).unwrap_or_else(|e| panic!("{statement}: {}", describe(&e)));
            let rows = c.query("SELECT diff::text FROM lens_drift WHERE id > $1 ORDER BY id", &[&last]).unwrap();
            assert_eq!(rows.len(), 1, "{db}: one row for {statement}");
            let diff: Value = serde_json::from_str(&rows[0].get::<_, String>(0)).unwrap();
            let mut names: Vec<String> = named(&diff);
            if db == "lens_up_capture" && n == 0 {
                names.retain(|name| !name.starts_with("views ~ "));
            }
            assert_eq!(names, expected.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{db}: {statement}\n{diff}");
        }
        let report = json(&mut c, "lens_verify()");
        assert_eq!(report["ok"], json!(true), "{db} after capture: {report}");
        assert_eq!(report["readOnAnotherCluster"], json!(false));
    }
    after.stop(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}
