//! pg_lens beside other extensions in one backend.

use pg_lens_e2e::*;
use std::process::Command;

/// A library marked STATIC_TLS needs room in the static TLS block that glibc reserves for
/// libraries loaded later (about 1.6 KB, shared with every other such extension): loaded
/// after PostGIS or pgaudit it could fail with "cannot allocate memory in static TLS block".
#[test]
fn the_library_needs_no_static_tls() {
    let lib = format!("{}/pg_lens.so", installation().pkglibdir);
    let dynamic = Command::new("readelf").args(["-dW", &lib]).output().expect("readelf (binutils)");
    let text = String::from_utf8_lossy(&dynamic.stdout);
    assert!(dynamic.status.success() && text.contains("FLAGS"), "{lib}: {text}");
    assert!(!text.contains("STATIC_TLS"), "{lib} asks for static TLS:\n{text}");
}

use serde_json::json;

fn drift_rows(db: &mut postgres::Client) -> i64 {
    db.query_one("SELECT count(*) FROM lens_drift", &[]).unwrap().get(0)
}

fn assert_history_is_live(db: &mut postgres::Client) {
    let report = json(db, "lens_verify()");
    assert_eq!(report["ok"], json!(true), "{report}");
}

/// PostGIS, pgaudit (which hooks DDL as pg_lens does), pg_partman (which makes partitions
/// from SQL functions) and pg_cron in one database with pg_lens (the test server preloads
/// pgaudit and pg_cron; pg_cron lives in this test's database, cron.database_name).
#[test]
fn extensions_people_run_beside_ours() {
    if !has_extensions(&["postgis", "pgaudit", "pg_partman", "pg_cron"]) {
        return;
    }
    let mut db = fresh_db("lens_coexist");
    db.batch_execute(
        "CREATE EXTENSION postgis; CREATE EXTENSION pgaudit; CREATE SCHEMA partman;
         CREATE EXTENSION pg_partman SCHEMA partman; CREATE EXTENSION pg_cron;
         SET pgaudit.log = 'ddl'",
    )
    .unwrap();

    // PostGIS: a table of the user's with a geometry and a GiST index is captured; PostGIS's
    // own tables and types never show
    db.batch_execute("CREATE TABLE places (id int PRIMARY KEY, at geometry(Point, 4326)); CREATE INDEX places_at ON places USING gist (at)")
        .unwrap();
    let snap = json(&mut db, "lens_snapshot()");
    let tables: Vec<&String> = snap["tables"].as_object().unwrap().keys().collect();
    assert_eq!(tables, vec!["public.places"], "no extension's table is in the snapshot");
    assert_eq!(snap["columns"]["public.places.at"]["dataType"], json!("public.geometry(Point,4326)"));
    // pgaudit's hook and pg_lens's chain: the row has the statement's own text
    let statement = text(&mut db, "SELECT statement FROM lens_drift WHERE 'CREATE INDEX' = ANY(command_tags) ORDER BY id DESC LIMIT 1");
    assert_eq!(statement, "CREATE INDEX places_at ON places USING gist (at)");

    // pg_partman makes partitions through dynamic SQL in its functions: each is captured
    db.batch_execute("CREATE TABLE events (id bigint, at timestamptz NOT NULL) PARTITION BY RANGE (at)").unwrap();
    let before = drift_rows(&mut db);
    db.batch_execute("SELECT partman.create_parent('public.events', 'at', 'native', 'daily'); SELECT partman.run_maintenance()").unwrap();
    let partitions: i64 = db.query_one("SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass", &[]).unwrap().get(0);
    assert!(partitions > 1, "pg_partman made partitions");
    assert!(drift_rows(&mut db) > before, "and pg_lens recorded them");
    let snap = json(&mut db, "lens_snapshot()");
    let made = snap["tables"].as_object().unwrap().values().filter(|t| t["partitionOf"] == json!("public.events")).count() as i64;
    assert_eq!(made, partitions);
    assert!(!snap["tables"].as_object().unwrap().contains_key("partman.part_config"), "pg_partman's own tables stay out");
    assert_history_is_live(&mut db);

    // pg_cron: a scheduled job is a row of pg_cron's table, no schema change
    let before = drift_rows(&mut db);
    db.batch_execute("SELECT cron.schedule('nightly', '0 3 * * *', 'VACUUM')").unwrap();
    assert_eq!(drift_rows(&mut db), before);

    // a user's event trigger that fails makes its statement fail: nothing committed, nothing
    // to capture, and the next statement is captured as usual
    db.batch_execute(
        "CREATE FUNCTION guard() RETURNS event_trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF EXISTS (SELECT FROM pg_event_trigger_ddl_commands() WHERE object_identity LIKE '%forbidden%') THEN
             RAISE EXCEPTION 'forbidden by the guard';
           END IF;
         END $$;
         CREATE EVENT TRIGGER aa_guard ON ddl_command_end EXECUTE FUNCTION guard()",
    )
    .unwrap();
    let before = drift_rows(&mut db);
    let (code, message, _) = error_of(&mut db, "CREATE TABLE forbidden_t (id int)");
    assert_eq!(code, "P0001", "{message}");
    assert_eq!(text(&mut db, "SELECT coalesce(to_regclass('forbidden_t')::text, 'none')"), "none");
    assert_eq!(drift_rows(&mut db), before);
    db.batch_execute("CREATE TABLE allowed_t (id int)").unwrap();
    assert_eq!(drift_rows(&mut db), before + 1);
    assert_history_is_live(&mut db);

    // pg_cron lives in one database of the cluster (cron.database_name): the copy cannot have
    // it, so the schema is compared without it (its drop is captured like any other)
    let before = drift_rows(&mut db);
    db.batch_execute("DROP EXTENSION pg_cron").unwrap();
    assert_eq!(drift_rows(&mut db), before + 1);
    let last = json(&mut db, "(SELECT diff FROM lens_drift ORDER BY id DESC LIMIT 1)");
    assert_eq!(last["extensions"]["removed"][0]["key"], "pg_cron", "{last}");
    // the user's schema rebuilds from its script alone (which creates PostGIS itself)
    let script = text(&mut db, "SELECT lens_ddl_script()");
    let signature = text(&mut db, "SELECT lens_signature()");
    assert!(script.contains("CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public VERSION '"), "{script}");
    let mut copy = fresh_db("lens_coexist_copy");
    copy.batch_execute(&script).unwrap_or_else(|e| panic!("{}\n{script}", describe(&e)));
    assert_eq!(text(&mut copy, "SELECT lens_signature()"), signature);
}
