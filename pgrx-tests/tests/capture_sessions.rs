//! Capture with several sessions and roles: concurrent DDL loses and duplicates nothing,
//! ordinary roles cannot tamper with history, and history survives pg_dump / pg_restore.

use pg_lens_e2e::*;
use std::process::Command;
use std::thread;

#[test]
fn four_sessions_doing_ddl_at_once_lose_and_duplicate_nothing() {
    let mut db = fresh_db("lens_capture_concurrent");
    db.batch_execute("CREATE TABLE shared (id int PRIMARY KEY)").unwrap();
    let start: i64 = db.query_one("SELECT max(id) FROM lens_drift", &[]).unwrap().get(0);
    const SESSIONS: usize = 4;
    const STATEMENTS: usize = 40;
    let workers: Vec<_> = (0..SESSIONS)
        .map(|w| {
            thread::spawn(move || {
                let mut c = connect("lens_capture_concurrent");
                for i in 0..STATEMENTS / 4 {
                    let t = format!("w{w}_{i}");
                    for sql in [
                        format!("CREATE TABLE {t} (id int PRIMARY KEY, shared_id int REFERENCES shared ON DELETE CASCADE)"),
                        format!("CREATE INDEX ON {t} (shared_id)"),
                        format!("ALTER TABLE {t} ADD COLUMN note text"),
                        // a multi-statement transaction among single ones
                        format!("BEGIN; ALTER TABLE {t} RENAME COLUMN note TO remark; COMMIT"),
                    ] {
                        c.batch_execute(&sql).unwrap_or_else(|e| panic!("session {w}: {sql}: {}", describe(&e)));
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("no session failed: no deadlock, no error caused by capture");
    }
    let rows = db.query("SELECT object_keys::text FROM lens_drift WHERE id > $1 ORDER BY id", &[&start]).unwrap();
    assert_eq!(rows.len(), SESSIONS * STATEMENTS, "one row per statement, none lost, none twice");
    let ids: Vec<i64> = db.query("SELECT id FROM lens_drift WHERE id > $1 ORDER BY id", &[&start]).unwrap().iter().map(|r| r.get(0)).collect();
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "ids follow each other");
    for w in 0..SESSIONS {
        for i in 0..STATEMENTS / 4 {
            let table = format!("public.w{w}_{i}");
            let mentions = |keys: String| [",", "}", "."].iter().any(|end| keys.contains(&format!("{table}{end}")));
            let n = rows.iter().filter(|r| mentions(r.get::<_, String>(0))).count();
            assert_eq!(n, 3, "{table}: its CREATE, ADD COLUMN and RENAME COLUMN rows");
        }
    }
    // the chain of signatures is unbroken and ends at the live schema
    let broken: i64 = db
        .query_one(
            "SELECT count(*) FROM (SELECT signature_before, lag(signature_after) OVER (ORDER BY id) AS previous \
             FROM lens_drift WHERE diff IS NOT NULL) s WHERE previous IS NOT NULL AND previous <> signature_before",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(broken, 0, "each row starts where the one before ended");
    let live = text(&mut db, "SELECT lens_signature()");
    assert_eq!(text(&mut db, "SELECT signature_after FROM lens_drift ORDER BY id DESC LIMIT 1"), live);
    assert_eq!(text(&mut db, "SELECT lens_signature(lens_snapshot_at((SELECT max(id) FROM lens_drift)))"), live);
}

#[test]
fn ordinary_roles_cannot_tamper_with_history() {
    let mut db = fresh_db("lens_capture_security");
    db.batch_execute(
        "DROP ROLE IF EXISTS lens_dev; CREATE ROLE lens_dev LOGIN; GRANT CREATE ON SCHEMA public TO lens_dev;",
    )
    .unwrap();
    let mut dev = connect_as("lens_capture_security", "lens_dev");
    // load the library, so that the settings are defined
    dev.batch_execute("SELECT lens_signature()").unwrap();
    for setting in ["lens.capture = off", "lens.capture_schemas = 'nothing'", "lens.strict = on"] {
        let (code, _, _) = error_of(&mut dev, &format!("SET {setting}"));
        assert_eq!(code, "42501", "SET {setting}");
    }
    for sql in [
        "INSERT INTO lens_drift (txid, role_name, command_tags, object_keys) VALUES (1, 'x', '{}', '{}')",
        "UPDATE lens_drift SET role_name = 'someone else'",
        "DELETE FROM lens_drift",
        "DELETE FROM lens_snapshots",
        "UPDATE lens_state SET hash = ''",
        "TRUNCATE lens_drift",
        "ALTER EVENT TRIGGER lens_capture_ddl DISABLE",
        "DROP EVENT TRIGGER lens_capture_drop",
        "ALTER TABLE lens_drift DISABLE TRIGGER ALL",
        "SELECT lens_on_ddl_command_end()",
        "SELECT lens_take_baseline()",
        "SELECT * FROM lens_drift",
    ] {
        let (code, message, _) = error_of(&mut dev, sql);
        assert!(code == "42501" || message.contains("must be owner") || message.contains("permission denied"), "{sql}: {code} {message}");
    }
    // The role's DDL is recorded, under its own name, even though capture runs as definer.
    dev.batch_execute("CREATE TABLE dev_table (id int)").unwrap();
    assert_eq!(text(&mut db, "SELECT role_name FROM lens_drift ORDER BY id DESC LIMIT 1"), "lens_dev");
    // Reading history is a grant away.
    db.batch_execute("GRANT SELECT ON lens_drift TO lens_dev").unwrap();
    assert_eq!(text(&mut dev, "SELECT count(*)::text FROM lens_drift WHERE role_name = 'lens_dev'"), "1");
    // Every SECURITY DEFINER function of the extension pins its search_path.
    let unpinned = text(
        &mut db,
        "SELECT count(*)::text FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e' \
         JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_lens' \
         WHERE p.prosecdef AND NOT coalesce(p.proconfig::text LIKE '%search_path=pg_catalog, pg_temp%', false)",
    );
    assert_eq!(unpinned, "0");
    let definers = text(
        &mut db,
        "SELECT count(*)::text FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e' \
         JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_lens' WHERE p.prosecdef",
    );
    assert!(definers.parse::<i32>().unwrap() >= 3, "the history writers are SECURITY DEFINER");
    drop(dev);
    db.batch_execute("DROP TABLE dev_table; REVOKE ALL ON lens_drift FROM lens_dev; REVOKE CREATE ON SCHEMA public FROM lens_dev; DROP ROLE lens_dev").ok();
}

fn pg_tool(tool: &str) -> Command {
    let mut command = server_tool(tool);
    command.args(["-h", &host(), "-p", &port().to_string(), "-U", "postgres"]);
    command
}

#[test]
fn history_survives_pg_dump_and_pg_restore() {
    let mut db = fresh_db("lens_dump_source");
    db.batch_execute(
        "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a); \
         ALTER TABLE b RENAME TO bee; CREATE INDEX ON bee (a_id); ALTER TABLE a ADD COLUMN note text;",
    )
    .unwrap();
    let history = text(&mut db, "SELECT string_agg(id || ':' || command_tags::text || ':' || signature_after, '|' ORDER BY id) FROM lens_drift");
    let live = text(&mut db, "SELECT lens_signature()");
    let dump = std::env::temp_dir().join(format!("lens_dump_{}.custom", std::process::id()));
    let status = pg_tool("pg_dump").args(["-Fc", "-f"]).arg(&dump).arg("lens_dump_source").status().unwrap();
    assert!(status.success(), "pg_dump");
    let mut admin = connect("postgres");
    admin.batch_execute("DROP DATABASE IF EXISTS lens_dump_target WITH (FORCE)").unwrap();
    admin.batch_execute("CREATE DATABASE lens_dump_target").unwrap();
    let output = pg_tool("pg_restore").args(["-d", "lens_dump_target"]).arg(&dump).output().unwrap();
    assert!(output.status.success(), "pg_restore: {}", String::from_utf8_lossy(&output.stderr));
    let _ = std::fs::remove_file(&dump);
    let mut restored = connect("lens_dump_target");
    let restored_history =
        text(&mut restored, "SELECT string_agg(id || ':' || command_tags::text || ':' || signature_after, '|' ORDER BY id) FROM lens_drift");
    assert_eq!(restored_history, history, "the same history rows, not the restore's own DDL");
    assert_eq!(text(&mut restored, "SELECT lens_signature()"), live);
    assert_eq!(
        text(&mut restored, "SELECT lens_signature(lens_snapshot_at((SELECT max(id) FROM lens_drift)))"),
        live,
        "the restored history rebuilds the restored schema"
    );
    // and capture goes on from there
    restored.batch_execute("ALTER TABLE bee ADD COLUMN extra int").unwrap();
    let new_live = text(&mut restored, "SELECT lens_signature()");
    assert_eq!(text(&mut restored, "SELECT lens_signature(lens_snapshot_at((SELECT max(id) FROM lens_drift)))"), new_live);
    let next_id: i64 = restored.query_one("SELECT max(id) FROM lens_drift", &[]).unwrap().get(0);
    assert!(history.matches('|').count() as i64 + 1 < next_id, "ids continue after the restored ones");
}

#[test]
fn history_written_by_the_previous_release_replays_after_a_restore() {
    // format2_history.sql: pg_dump of a database whose history pg_lens 0.1.0 wrote
    // (formatVersion 2: no owners, functions or privileges in its snapshots), restored here
    let mut admin = connect("postgres");
    admin.batch_execute("DROP DATABASE IF EXISTS lens_history_v2 WITH (FORCE)").unwrap();
    admin.batch_execute("CREATE DATABASE lens_history_v2").unwrap();
    let path = format!("{}/fixtures/format2_history.sql", env!("CARGO_MANIFEST_DIR"));
    let output = pg_tool("psql").args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "lens_history_v2", "-f", &path]).output().unwrap();
    assert!(output.status.success(), "psql: {}", String::from_utf8_lossy(&output.stderr));
    let mut db = connect("lens_history_v2");
    let replays = |db: &mut postgres::Client| -> (i64, i64) {
        let row = db
            .query_one(
                "SELECT count(*) FILTER (WHERE signature_after = lens_signature(lens_snapshot_at(id))), count(*) FROM lens_drift",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    // every row written by the previous release rebuilds the schema it recorded
    let (good, all) = replays(&mut db);
    assert_eq!((good, all), (15, 15));
    // the restore rebuilt the state in today's format: lens_verify records the step from
    // where history ends to it (owners, privileges, the function 0.1.0 could not see)
    let report = json(&mut db, "lens_verify()");
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["bridged"], true, "{report}");
    let bridge = json(&mut db, "(SELECT diff FROM lens_drift ORDER BY id DESC LIMIT 1)");
    assert_eq!(bridge["functions"]["added"][0]["key"], "public.shop_count()", "{bridge}");
    assert!(bridge["tables"]["changed"].as_array().unwrap().iter().any(|c| c["changes"]["owner"]["before"].is_null()), "{bridge}");
    // capture goes on, and every row, old and new, still rebuilds its schema
    db.batch_execute("CREATE TABLE after_restore (id int); GRANT SELECT ON after_restore TO PUBLIC").unwrap();
    let (good, all) = replays(&mut db);
    assert_eq!((good, all), (18, 18));
    let again = json(&mut db, "lens_verify()");
    assert_eq!(again["ok"], true, "{again}");
    assert!(again.get("bridged").is_none(), "nothing left to bridge: {again}");
}
