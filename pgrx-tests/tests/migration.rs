//! Migration plans end to end: the awkward schema made from nothing and taken back to
//! nothing, the guard on a database that drifted, the hazards and online forms on a large
//! table, verifying in place, and `scripts/lens_migrate.sh` between two databases.

use pg_lens_e2e::*;
use postgres::Client;
use serde_json::Value;

fn signature(db: &mut Client) -> String {
    text(db, "SELECT lens_signature(lens_snapshot())")
}

struct Step {
    statement: String,
    hazards: Vec<String>,
    in_transaction: bool,
}

fn plan(db: &mut Client, from: &Value, to: &Value, options: &str) -> Vec<Step> {
    let sql = format!("SELECT statement, hazards, in_transaction FROM lens_migration({}, {}{options}) ORDER BY step", lit(from), lit(to));
    db.query(&sql, &[]).unwrap_or_else(|e| panic!("{}", describe(&e))).iter().map(|r| Step { statement: r.get(0), hazards: r.get(1), in_transaction: r.get(2) }).collect()
}

fn apply(db: &mut Client, steps: &[Step]) {
    for s in steps {
        db.batch_execute(&s.statement).unwrap_or_else(|e| panic!("{}\n  -> {}", s.statement, describe(&e)));
    }
}

/// The script form, run by psql as a user would: its exit status and output.
fn run_script(db: &str, script: &str) -> (bool, String) {
    let path = std::env::temp_dir().join(format!("{db}.plan.sql"));
    std::fs::write(&path, script).unwrap();
    let out = server_tool("psql")
        .args(["-X", "-q", "-h", &host(), "-p", &port().to_string(), "-U", "postgres", "-d", db, "-f"])
        .arg(&path)
        .output()
        .expect("psql runs");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// A database holding the awkward schema (and the objects of every kind), with its roles.
fn awkward(name: &str) -> Client {
    let mut db = fresh_db(name);
    db.batch_execute(&fixture("awkward.sql")).unwrap();
    db.batch_execute(&fixture("awkward_objects.sql")).unwrap();
    db
}

#[test]
fn the_awkward_schema_is_made_from_nothing_and_taken_back_to_nothing() {
    let mut source = awkward("lens_migration_awkward");
    let full = json(&mut source, "lens_snapshot()");
    let mut empty_db = fresh_db("lens_migration_empty");
    let empty = json(&mut empty_db, "lens_snapshot()");
    // empty -> awkward, as a psql script (the guard first, ON_ERROR_STOP)
    let script = text(&mut source, &format!("SELECT lens_migration_script({}, {})", lit(&empty), lit(&full)));
    assert!(script.contains("\\set ON_ERROR_STOP on") && script.contains("lens_migration_guard("), "{script}");
    // the script's own comments are one line each, and say only what they should
    let lines: Vec<&str> = script.lines().collect();
    assert!(lines[0].starts_with("-- pg_lens migration plan of schemas: ") && lines[1].starts_with("-- from signature "), "{script}");
    for line in lines.iter().filter(|l| l.starts_with("-- step ")) {
        let (_, what) = line.split_once(": ").unwrap_or_default();
        let hazards = what.strip_prefix("hazards: ").map(|h| h.trim_end_matches("; outside a transaction"));
        assert!(what.starts_with("guard") || hazards.is_some_and(|h| h.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == ',' || c == ' ')), "{line}");
    }
    let (ok, output) = run_script("lens_migration_empty", &script);
    assert!(ok, "the script stopped:\n{output}");
    assert_eq!(signature(&mut empty_db), full["meta"]["signature"].as_str().unwrap(), "empty -> awkward");
    // and back: awkward -> empty, statement by statement
    let back = plan(&mut source, &full, &empty, "");
    assert!(back.iter().any(|s| s.hazards.contains(&"deletes_data".to_string())), "dropping tables deletes data");
    apply(&mut empty_db, &back);
    assert_eq!(signature(&mut empty_db), empty["meta"]["signature"].as_str().unwrap(), "awkward -> empty");
}

#[test]
fn a_plan_stops_before_changing_anything_on_a_database_that_drifted() {
    let mut db = fresh_db("lens_migration_guard");
    db.batch_execute("CREATE TABLE t (id int PRIMARY KEY, \"Note\" text)").unwrap();
    let before = json(&mut db, "lens_snapshot()");
    db.batch_execute("ALTER TABLE t ADD COLUMN v int; CREATE INDEX t_v ON t (v)").unwrap();
    let after = json(&mut db, "lens_snapshot()");
    let script = text(&mut db, &format!("SELECT lens_migration_script({}, {})", lit(&before), lit(&after)));
    // a copy of `before` that drifted: one more column
    let mut copy = fresh_db("lens_migration_guard_copy");
    copy.batch_execute("CREATE TABLE t (id int PRIMARY KEY, \"Note\" text, extra int)").unwrap();
    let drifted = signature(&mut copy);
    let (ok, output) = run_script("lens_migration_guard_copy", &script);
    assert!(!ok, "the script must stop: {output}");
    assert!(output.contains("not the one the migration plan was made for"), "{output}");
    assert_eq!(signature(&mut copy), drifted, "nothing changed");
    // the guard's own SQLSTATE, as the table form's first step raises it
    let steps = plan(&mut db, &before, &after, "");
    let (code, _, hint) = error_of(&mut copy, &steps[0].statement);
    assert_eq!(code, "55000");
    assert!(hint.is_some_and(|h| h.contains("Nothing was changed")));
    // on a true copy the same script runs and gives `after`
    let mut good = fresh_db("lens_migration_guard_good");
    good.batch_execute("CREATE TABLE t (id int PRIMARY KEY, \"Note\" text)").unwrap();
    let (ok, output) = run_script("lens_migration_guard_good", &script);
    assert!(ok, "{output}");
    assert_eq!(signature(&mut good), after["meta"]["signature"].as_str().unwrap());
}

#[test]
fn a_large_table_gets_lock_hazards_and_online_forms() {
    let mut db = fresh_db("lens_migration_large");
    db.batch_execute("CREATE TABLE big (id int PRIMARY KEY, v int, w text); INSERT INTO big SELECT g, g, 'x' FROM generate_series(1, 5000) g; ANALYZE big;
                      CREATE TABLE other (id int PRIMARY KEY)").unwrap();
    let before = json(&mut db, "lens_snapshot()");
    db.batch_execute("BEGIN; CREATE INDEX big_v ON big (v); ALTER TABLE big ALTER COLUMN w SET NOT NULL; ALTER TABLE big ADD CONSTRAINT v_pos CHECK (v > 0);
                      ALTER TABLE big ADD CONSTRAINT big_other FOREIGN KEY (v) REFERENCES other (id) NOT VALID; ALTER TABLE big ALTER COLUMN v TYPE bigint").unwrap();
    let after = json(&mut db, "lens_snapshot()");
    db.batch_execute("ROLLBACK").unwrap();
    let hazards_of = |steps: &[Step], start: &str| -> Vec<String> { steps.iter().filter(|s| s.statement.starts_with(start)).flat_map(|s| s.hazards.clone()).collect() };
    // plain forms: the locks are named (row estimate 5,000 > 1,000)
    let plain = plan(&mut db, &before, &after, ", large_table_rows => 1000");
    let index = plain.iter().find(|s| s.statement.starts_with("CREATE INDEX big_v")).expect("an index build");
    assert!(index.in_transaction && index.hazards.contains(&"share_lock".into()) && index.hazards.contains(&"index_build".into()), "{:?}", index.hazards);
    let not_null = hazards_of(&plain, "ALTER TABLE public.big ALTER COLUMN w SET NOT NULL");
    assert!(not_null.contains(&"access_exclusive_lock".into()) && not_null.contains(&"validation_scan".into()), "{not_null:?}");
    let retype = hazards_of(&plain, "ALTER TABLE public.big ALTER COLUMN v TYPE");
    assert!(retype.contains(&"table_rewrite".into()) && retype.contains(&"access_exclusive_lock".into()), "{retype:?}");
    // the same plan under the default threshold (100,000 rows) names no lock
    let small = plan(&mut db, &before, &after, "");
    assert!(!small.iter().any(|s| s.hazards.iter().any(|h| h == "access_exclusive_lock" || h == "share_lock")));
    // online forms: a concurrent build outside a transaction, NOT VALID then VALIDATE,
    // NOT NULL through a validated CHECK
    let online = plan(&mut db, &before, &after, ", online => true, large_table_rows => 1000");
    let build = online.iter().find(|s| s.statement.starts_with("CREATE INDEX CONCURRENTLY big_v")).expect("a concurrent build");
    assert!(!build.in_transaction);
    let statements: Vec<&str> = online.iter().map(|s| s.statement.as_str()).collect();
    assert!(statements.iter().any(|s| s.contains("CHECK ((v > 0)) NOT VALID")), "{statements:#?}");
    assert!(statements.iter().any(|s| s.contains("VALIDATE CONSTRAINT v_pos")), "{statements:#?}");
    assert!(statements.iter().any(|s| s.contains("CHECK (w IS NOT NULL) NOT VALID")), "{statements:#?}");
    assert!(!hazards_of(&online, "ALTER TABLE public.big ALTER COLUMN w SET NOT NULL").contains(&"validation_scan".into()));
    // the online plan runs (each statement on its own, as the script does) and arrives
    apply(&mut db, &online);
    assert_eq!(signature(&mut db), after["meta"]["signature"].as_str().unwrap());
}

#[test]
fn verifying_runs_the_plan_and_rolls_it_back_where_allowed() {
    let mut db = fresh_db("lens_migration_verify");
    db.batch_execute("CREATE TABLE t (id int PRIMARY KEY, v int)").unwrap();
    let live = signature(&mut db);
    db.batch_execute("BEGIN; CREATE INDEX t_v ON t (v); ALTER TABLE t RENAME COLUMN v TO \"V v\"").unwrap();
    let target = json(&mut db, "lens_snapshot()");
    db.batch_execute("ROLLBACK").unwrap();
    // refused unless lens.verify_allowed is on
    let sql = format!("SELECT * FROM lens_migration({}, verify => true, online => true)", lit(&target));
    let (code, _, hint) = error_of(&mut db, &sql);
    assert_eq!(code, "42501");
    assert!(hint.is_some_and(|h| h.contains("lens.verify_allowed")));
    db.batch_execute("SET lens.verify_allowed = on").unwrap();
    let rows = db.query(&format!("SELECT statement, verified FROM lens_migration({}, verify => true, online => true) ORDER BY step", lit(&target)), &[]).unwrap();
    let verified: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get::<_, Option<String>>(1).unwrap_or_default())).collect();
    assert_eq!(verified.last().map(|v| v.1.as_str()), Some("signature matches"), "{verified:#?}");
    assert!(verified.iter().any(|(s, v)| s.starts_with("CREATE INDEX CONCURRENTLY") && v.starts_with("ran in its in-transaction form")), "{verified:#?}");
    assert!(verified.iter().any(|(s, _)| s.contains("RENAME COLUMN v TO \"V v\"")), "{verified:#?}");
    assert_eq!(signature(&mut db), live, "rolled back");
    // a plan that cannot run reports the step that failed and keeps nothing
    db.batch_execute("CREATE TABLE blocker (v int)").unwrap();
    let bad = json(&mut db, "lens_snapshot()");
    db.batch_execute("INSERT INTO blocker VALUES (NULL)").unwrap();
    let mut strict = bad.clone();
    strict["columns"]["public.blocker.v"]["isNullable"] = Value::Bool(false);
    let rows = db.query(&format!("SELECT verified FROM lens_migration({}, verify => true) ORDER BY step", lit(&strict)), &[]).unwrap();
    let states: Vec<String> = rows.iter().map(|r| r.get::<_, Option<String>>(0).unwrap_or_default()).collect();
    assert!(states.iter().any(|s| s.starts_with("failed: 23502")), "{states:?}");
    assert_eq!(states.last().map(String::as_str), Some("failed"));
}

#[test]
fn lens_migrate_prints_the_plan_between_two_databases() {
    let mut from = fresh_db("lens_migrate_from");
    from.batch_execute("CREATE TABLE shop (id int PRIMARY KEY, \"Name\" text); CREATE TABLE gone (x int)").unwrap();
    let mut to = fresh_db("lens_migrate_to");
    to.batch_execute("CREATE TABLE shop (id int PRIMARY KEY, \"Name\" text NOT NULL, price numeric(10,2)); CREATE INDEX shop_price ON shop (price)").unwrap();
    let dsn = |db: &str| format!("host={} port={} user=postgres dbname={db}", host(), port());
    let script = std::process::Command::new(format!("{}/../scripts/lens_migrate.sh", env!("CARGO_MANIFEST_DIR")))
        .args(["--from", &dsn("lens_migrate_from"), "--to", &dsn("lens_migrate_to"), "--online", "--verify"])
        .env("PATH", format!("{}:{}", installation().bindir, std::env::var("PATH").unwrap_or_default()))
        .env("LD_LIBRARY_PATH", &installation().libdir)
        .output()
        .expect("lens_migrate.sh runs");
    let stdout = String::from_utf8_lossy(&script.stdout).to_string();
    assert!(script.status.success(), "{}{}", stdout, String::from_utf8_lossy(&script.stderr));
    assert!(stdout.contains("CREATE INDEX CONCURRENTLY shop_price") && stdout.contains("DROP TABLE public.gone;"), "{stdout}");
    assert!(stdout.contains("-- step") && stdout.contains("deletes_data"), "{stdout}");
    let (ok, output) = run_script("lens_migrate_from", &stdout);
    assert!(ok, "{output}");
    assert_eq!(signature(&mut from), signature(&mut to));
}

#[test]
fn what_is_not_a_whole_snapshot_is_refused_with_a_hint() {
    let mut db = fresh_db("lens_migration_bad_input");
    db.batch_execute("CREATE TABLE t (id int)").unwrap();
    let whole = json(&mut db, "lens_snapshot()");
    for (sql, what) in [
        (format!("SELECT * FROM lens_migration('{{}}'::jsonb, {})", lit(&whole)), "source: "),
        (format!("SELECT * FROM lens_migration({}, '[1]'::jsonb)", lit(&whole)), "target: "),
        (format!("SELECT * FROM lens_migration(lens_snapshot(tables => ARRAY['public.t']), {})", lit(&whole)), "limited to some tables"),
        (format!("SELECT * FROM lens_migration({}, {}, lock_timeout => '-1 s')", lit(&whole), lit(&whole)), "lock_timeout"),
        (format!("SELECT lens_migration_script(NULL, {})", lit(&whole)), "source is NULL"),
    ] {
        let (code, message, hint) = error_of(&mut db, &sql);
        assert_eq!(code, "22023", "{sql}: {message}");
        assert!(message.contains(what) && hint.is_some(), "{sql}: {message} {hint:?}");
    }
    // a plan from a snapshot to itself is the guard and nothing else but the setting
    let rows = db.query(&format!("SELECT statement FROM lens_migration({}, {})", lit(&whole), lit(&whole)), &[]).unwrap();
    assert_eq!(rows.len(), 2, "{:?}", rows.iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>());
}
