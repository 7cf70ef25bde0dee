//! Capture's guarantees, each with real committed sessions: transactional history, temporary
//! and pg_lens's own objects ignored, failures reported (or fatal with lens.strict), and
//! time travel by drift id and by time.

use pg_lens_e2e::*;
use postgres::Client;

fn drift_count(db: &mut Client) -> i64 {
    db.query_one("SELECT count(*) FROM lens_drift", &[]).unwrap().get(0)
}

fn rebuilds_live(db: &mut Client) -> bool {
    let live = text(db, "SELECT lens_signature()");
    let rebuilt = text(db, "SELECT lens_signature(lens_snapshot_at((SELECT max(id) FROM lens_drift)))");
    live == rebuilt
}

#[test]
fn rolled_back_ddl_leaves_no_trace_and_committed_ddl_always_does() {
    let mut db = fresh_db("lens_capture_tx");
    let baseline = drift_count(&mut db);
    db.batch_execute("BEGIN; CREATE TABLE gone (id int); ROLLBACK;").unwrap();
    assert_eq!(drift_count(&mut db), baseline);
    db.batch_execute(
        "BEGIN; CREATE TABLE kept (id int PRIMARY KEY); SAVEPOINT s; CREATE TABLE undone (id int); \
         ALTER TABLE kept ADD COLUMN undone int; ROLLBACK TO SAVEPOINT s; COMMIT;",
    )
    .unwrap();
    assert_eq!(drift_count(&mut db), baseline + 1, "only the statement outside the savepoint");
    let keys = text(&mut db, "SELECT object_keys::text FROM lens_drift ORDER BY id DESC LIMIT 1");
    assert!(keys.contains("public.kept") && !keys.contains("undone"), "{keys}");
    assert!(rebuilds_live(&mut db));
    // a failing statement inside a transaction that then rolls back
    assert!(db.batch_execute("BEGIN; ALTER TABLE kept ADD COLUMN x int; ALTER TABLE nope ADD COLUMN y int; COMMIT;").is_err());
    db.batch_execute("ROLLBACK").ok();
    assert_eq!(drift_count(&mut db), baseline + 1);
    assert!(rebuilds_live(&mut db));
    // several statements in one transaction: one row each, in order
    db.batch_execute("BEGIN; CREATE TABLE a (id int); ALTER TABLE a RENAME TO b; COMMIT;").unwrap();
    assert_eq!(drift_count(&mut db), baseline + 3);
    assert!(rebuilds_live(&mut db));
}

#[test]
fn temporary_and_own_objects_never_appear() {
    let mut db = fresh_db("lens_capture_ignored");
    let baseline = drift_count(&mut db);
    db.batch_execute("CREATE TEMP TABLE scratch (id int); CREATE INDEX ON scratch (id); DROP TABLE scratch;").unwrap();
    assert_eq!(drift_count(&mut db), baseline, "temporary objects are not captured");
    db.batch_execute("CREATE INDEX lens_test_idx ON lens_drift (role_name); DROP INDEX lens_test_idx;").unwrap();
    let leaked = text(
        &mut db,
        "SELECT count(*)::text FROM lens_drift WHERE object_keys::text LIKE '%lens_%' OR diff::text LIKE '%lens_state%'",
    );
    // creating an index on an extension table is a user object: but never one of pg_lens's tables as an entry
    let entries = text(&mut db, "SELECT count(*)::text FROM lens_state WHERE key LIKE '%lens_%'");
    assert_eq!(entries, "0", "pg_lens's own tables are not in the captured state");
    let snap = json(&mut db, "lens_snapshot_at((SELECT max(id) FROM lens_drift))");
    assert!(!snap["tables"].as_object().unwrap().keys().any(|k| k.contains("lens_")), "{leaked}");
}

#[test]
fn a_capture_failure_is_reported_and_strict_mode_aborts() {
    let mut db = fresh_db("lens_capture_failure");
    db.batch_execute("CREATE TABLE t (id int PRIMARY KEY)").unwrap();
    // Break the state table: capture cannot write entries any more.
    db.batch_execute("ALTER TABLE lens_state ADD CONSTRAINT broken CHECK (false) NOT VALID").unwrap();
    let before = drift_count(&mut db);
    db.batch_execute("CREATE TABLE survives (id int)").expect("the user's DDL goes on");
    let row = db.query_one("SELECT error, diff IS NULL FROM lens_drift ORDER BY id DESC LIMIT 1", &[]).unwrap();
    let error: Option<String> = row.get(0);
    assert!(error.as_deref().unwrap_or_default().contains("broken"), "the failure is recorded: {error:?}");
    assert!(row.get::<_, bool>(1));
    assert_eq!(drift_count(&mut db), before + 1);
    assert_eq!(text(&mut db, "SELECT to_regclass('survives')::text"), "survives");

    db.batch_execute("SET lens.strict = on").unwrap();
    let (code, message, _) = error_of(&mut db, "CREATE TABLE aborted (id int)");
    assert!(message.contains("broken"), "{code} {message}");
    assert_eq!(text(&mut db, "SELECT coalesce(to_regclass('aborted')::text, 'none')"), "none");
    db.batch_execute("RESET lens.strict").unwrap();

    // Repaired: the next capture rebuilds the state in full and history is exact again.
    db.batch_execute("ALTER TABLE lens_state DROP CONSTRAINT broken").unwrap();
    db.batch_execute("ALTER TABLE survives ADD COLUMN x int").unwrap();
    let resync: bool = db.query_one("SELECT resync FROM lens_drift ORDER BY id DESC LIMIT 1", &[]).unwrap().get(0);
    assert!(resync, "the capture after a failure resyncs");
    let diff = json(&mut db, "(SELECT diff FROM lens_drift ORDER BY id DESC LIMIT 1)");
    let added: Vec<&str> = diff["tables"]["added"].as_array().unwrap().iter().filter_map(|a| a["key"].as_str()).collect();
    assert_eq!(added, vec!["public.survives"], "the resync diff holds what the failed capture missed");
    assert!(rebuilds_live(&mut db));
}

#[test]
fn time_travel_by_id_and_by_time() {
    let mut db = fresh_db("lens_capture_time");
    db.batch_execute("CREATE TABLE a (id int PRIMARY KEY, v text)").unwrap();
    let first = text(&mut db, "SELECT lens_signature()");
    let first_id: i64 = db.query_one("SELECT max(id) FROM lens_drift", &[]).unwrap().get(0);
    let at: String = text(&mut db, "SELECT clock_timestamp()::text");
    db.batch_execute("ALTER TABLE a ALTER COLUMN v TYPE varchar(20); ALTER TABLE a RENAME TO b; CREATE INDEX ON b (v)").unwrap();
    assert_eq!(text(&mut db, &format!("SELECT lens_signature(lens_snapshot_at({first_id}::bigint))")), first);
    assert_eq!(text(&mut db, &format!("SELECT lens_signature(lens_snapshot_at('{at}'::timestamptz))")), first);
    let old = json(&mut db, &format!("lens_snapshot_at({first_id}::bigint)"));
    assert_eq!(old["columns"]["public.a.v"]["dataType"], "text");
    assert!(rebuilds_live(&mut db));
    let (code, _, hint) = error_of(&mut db, "SELECT lens_snapshot_at('1999-01-01'::timestamptz)");
    assert_eq!(code, "P0002");
    assert!(hint.is_some());
    let (code, _, _) = error_of(&mut db, "SELECT lens_snapshot_at(999999::bigint)");
    assert_eq!(code, "P0002");
}

#[test]
fn schema_statements_touch_only_what_is_in_the_schema() {
    let mut db = fresh_db("lens_capture_schema");
    db.batch_execute("CREATE SCHEMA s; CREATE TABLE s.t (id int PRIMARY KEY); CREATE TABLE public.child (id int PRIMARY KEY, t_id int REFERENCES s.t); \
                      CREATE VIEW public.v AS SELECT id FROM s.t; CREATE TABLE public.elsewhere (id int)").unwrap();
    db.batch_execute("CREATE SCHEMA empty_one").unwrap();
    let diff = json(&mut db, "(SELECT diff FROM lens_drift ORDER BY id DESC LIMIT 1)");
    // a new empty schema is one entry of its own, nothing else
    assert_eq!(diff["summary"], serde_json::json!({"added": 1, "changed": 0, "removed": 0, "renamed": 0}), "{diff}");
    assert_eq!(diff["schemas"]["added"][0]["key"], "empty_one", "{diff}");
    db.batch_execute("ALTER SCHEMA s RENAME TO s2").unwrap();
    let row = db.query_one("SELECT diff::text, resync FROM lens_drift ORDER BY id DESC LIMIT 1", &[]).unwrap();
    let diff: serde_json::Value = serde_json::from_str(&row.get::<_, String>(0)).unwrap();
    assert!(!row.get::<_, bool>(1), "no full rebuild");
    assert_eq!(diff["tables"]["renamed"][0]["to"], "s2.t");
    assert_eq!(diff["relationships"]["renamed"][0]["to"], "public.child(t_id) -> s2.t(id)", "the FK from another schema follows");
    assert!(diff["views"]["changed"][0]["changes"]["definition"]["after"].as_str().unwrap().contains("s2.t"), "{diff}");
    assert!(rebuilds_live(&mut db));
}

#[test]
fn event_triggers_are_found_by_verify_and_rebuilt_by_the_script() {
    let mut db = fresh_db("lens_event_triggers");
    db.batch_execute(
        "CREATE FUNCTION public.\"note ddl\"() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
         CREATE TABLE before_it (id int);",
    )
    .unwrap();
    assert!(json(&mut db, "lens_verify()")["ok"] == serde_json::json!(true));
    // PostgreSQL fires no event trigger for event triggers' own DDL
    db.batch_execute(
        "CREATE EVENT TRIGGER \"Note DDL\" ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION public.\"note ddl\"();
         ALTER EVENT TRIGGER \"Note DDL\" DISABLE; COMMENT ON EVENT TRIGGER \"Note DDL\" IS 'notes'",
    )
    .unwrap();
    let snap = json(&mut db, "lens_snapshot()");
    let t = &snap["eventTriggers"]["\"Note DDL\""];
    assert_eq!(t["event"], "ddl_command_end");
    assert_eq!(t["tags"], serde_json::json!(["CREATE TABLE", "ALTER TABLE"]));
    assert_eq!(t["function"], "public.\"note ddl\"");
    assert_eq!(t["enabled"], "disabled");
    assert_eq!(snap["eventTriggers"].as_object().unwrap().len(), 1, "pg_lens's own are the extension's: {}", snap["eventTriggers"]);
    // no statement recorded it yet; the catalog's invalidation tells capture, and the next
    // DDL statement records it with its own change
    let report = json(&mut db, "lens_verify()");
    assert_eq!(report["ok"], false);
    assert!(report["differences"].as_array().unwrap().iter().any(|d| d["section"] == "eventTriggers"), "{report}");
    db.batch_execute("CREATE TABLE after_it (id int)").unwrap();
    let diff = json(&mut db, "(SELECT diff FROM lens_drift ORDER BY id DESC LIMIT 1)");
    assert_eq!(diff["eventTriggers"]["added"][0]["key"], "\"Note DDL\"", "{diff}");
    assert_eq!(diff["tables"]["added"][0]["key"], "public.after_it", "{diff}");
    assert_eq!(json(&mut db, "lens_verify()")["ok"], true);
    // also when another session changed it
    let mut other = connect("lens_event_triggers");
    other.batch_execute("ALTER EVENT TRIGGER \"Note DDL\" ENABLE ALWAYS").unwrap();
    drop(other);
    db.batch_execute("CREATE TABLE after_that (id int)").unwrap();
    let diff = json(&mut db, "(SELECT diff FROM lens_drift ORDER BY id DESC LIMIT 1)");
    assert_eq!(diff["eventTriggers"]["changed"][0]["changes"]["enabled"]["after"], "always", "{diff}");
    db.batch_execute("ALTER EVENT TRIGGER \"Note DDL\" DISABLE; CREATE TABLE last_one (id int)").unwrap();
    assert_eq!(json(&mut db, "lens_verify()")["ok"], true);
    // the script makes it last (earlier it would fire on the script's own statements)
    let script = text(&mut db, "SELECT lens_ddl_script()");
    let signature = text(&mut db, "SELECT lens_signature()");
    assert!(script.trim_end().ends_with("COMMENT ON EVENT TRIGGER \"Note DDL\" IS 'notes';\nALTER EVENT TRIGGER \"Note DDL\" OWNER TO postgres;"), "{script}");
    let mut copy = fresh_db("lens_event_triggers_copy");
    copy.batch_execute(&script).unwrap_or_else(|e| panic!("{}\n{script}", describe(&e)));
    assert_eq!(text(&mut copy, "SELECT lens_signature()"), signature);
}

/// PostgreSQL 17's login event triggers: in the snapshot, and rebuilt by the script.
#[test]
fn a_login_event_trigger_on_17_and_later() {
    if server_major() < 17 {
        eprintln!("skipped on PostgreSQL {}: login event triggers came with 17", server_major());
        return;
    }
    let mut db = fresh_db("lens_login_trigger");
    db.batch_execute(
        "CREATE FUNCTION public.\"on login\"() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
         CREATE EVENT TRIGGER \"Login ü\" ON login EXECUTE FUNCTION public.\"on login\"();
         ALTER EVENT TRIGGER \"Login ü\" DISABLE;",
    )
    .unwrap();
    let snap = json(&mut db, "lens_snapshot()");
    let t = &snap["eventTriggers"]["\"Login ü\""];
    assert_eq!((&t["event"], &t["enabled"]), (&serde_json::json!("login"), &serde_json::json!("disabled")), "{t}");
    let script = text(&mut db, "SELECT lens_ddl_script()");
    assert!(script.contains("CREATE EVENT TRIGGER \"Login ü\" ON login"), "{script}");
    let mut copy = fresh_db("lens_login_trigger_copy");
    copy.batch_execute(&script).unwrap_or_else(|e| panic!("{}\n{script}", describe(&e)));
    assert_eq!(text(&mut copy, "SELECT lens_signature()"), text(&mut db, "SELECT lens_signature()"));
}

#[test]
fn created_in_a_schema_of_its_own_history_and_functions_stay_out_of_public() {
    let mut admin = connect("postgres");
    admin.batch_execute("DROP DATABASE IF EXISTS lens_own_schema WITH (FORCE)").unwrap();
    admin.batch_execute("CREATE DATABASE lens_own_schema").unwrap();
    let mut db = connect("lens_own_schema");
    db.batch_execute("CREATE SCHEMA \"Lens Home\"; CREATE EXTENSION pg_lens SCHEMA \"Lens Home\"").unwrap();
    db.batch_execute("CREATE TABLE public.\"Order\" (id int PRIMARY KEY)").unwrap();
    // public holds the user's table alone; the history tables are in the extension's schema
    let public = text(&mut db, "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v')");
    assert_eq!(public, "Order");
    let captured = text(&mut db, "SELECT string_agg(object_keys::text, ';' ORDER BY id) FROM \"Lens Home\".lens_drift");
    assert!(captured.contains("public.\\\"Order\\\""), "{captured}");
    let snapshot = json(&mut db, "\"Lens Home\".lens_snapshot(ARRAY['public'])");
    assert_eq!(snapshot["tables"].as_object().unwrap().keys().collect::<Vec<_>>(), ["public.\"Order\""]);
    assert_eq!(json(&mut db, "\"Lens Home\".lens_verify()")["ok"], true);
    // a plan's guard calls the extension where it is
    let guard = text(&mut db, "SELECT statement FROM \"Lens Home\".lens_migration(\"Lens Home\".lens_snapshot(ARRAY['public']), \"Lens Home\".lens_snapshot(ARRAY['public'])) WHERE step = 1");
    assert!(guard.starts_with("SELECT \"Lens Home\".lens_migration_guard("), "{guard}");
}
