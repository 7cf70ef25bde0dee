//! Capture as a production database lives with it: no session waits for another's open
//! DDL because of pg_lens, no deadlock PostgreSQL alone would not have, no capture lost
//! silently, cancels that cancel, and bounded time travel. Waits are made by a second
//! session holding a lock, never by timing.

use pg_lens_e2e::*;
use postgres::Client;
use serde_json::Value;
use std::sync::{Arc, Barrier};
use std::thread;

fn verify(db: &mut Client) -> Value {
    json(db, "lens_verify()")
}

fn assert_verified(db: &mut Client) {
    let report = verify(db);
    assert_eq!(report["ok"], Value::Bool(true), "history = live: {report}");
}

fn history_is_live(db: &mut Client) -> bool {
    text(db, "SELECT lens_signature()") == text(db, "SELECT lens_signature(lens_snapshot_at((SELECT max(id) FROM lens_drift)))")
}

fn count(db: &mut Client, sql: &str) -> i64 {
    db.query_one(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {}", describe(&e))).get(0)
}

#[test]
fn an_open_ddl_transaction_makes_nobody_wait_and_interleaved_migrations_do_not_deadlock() {
    let mut db = fresh_db("lens_prod_queue");
    db.batch_execute("CREATE SCHEMA dl; CREATE TABLE dl.a (id int); CREATE TABLE dl.b (id int)").unwrap();
    let mut s1 = connect("lens_prod_queue");
    let mut s2 = connect("lens_prod_queue");
    // S1 has captured DDL in an open transaction; S2's DDL on another table goes through.
    s1.batch_execute("BEGIN; ALTER TABLE dl.a ADD COLUMN y int").unwrap();
    s2.batch_execute("SET lock_timeout = '5s'; ALTER TABLE dl.b ADD COLUMN z int").expect("not queued behind S1");
    // S1 goes on to the table S2 altered: without a queue of pg_lens's, no deadlock.
    s1.batch_execute("ALTER TABLE dl.b ADD COLUMN y int; COMMIT").unwrap();
    let added: Vec<String> = db
        .query("SELECT diff -> 'columns' -> 'added' -> 0 ->> 'key' FROM lens_drift WHERE 'ALTER TABLE' = ANY(command_tags) ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    // ids follow commit order: S2 committed first
    assert_eq!(added, vec!["dl.b.z", "dl.a.y", "dl.b.y"], "{added:?}");
    assert!(history_is_live(&mut db));
    assert_verified(&mut db);
}

#[test]
fn a_short_lock_timeout_loses_nothing() {
    let mut db = fresh_db("lens_prod_lock_timeout");
    db.batch_execute("CREATE SCHEMA alice").unwrap();
    let mut holder = connect("lens_prod_lock_timeout");
    holder.batch_execute("BEGIN; CREATE TABLE alice.holder (id int)").unwrap();
    db.batch_execute("SET lock_timeout = '1s'; CREATE TABLE public.lost_table (id int); RESET lock_timeout").unwrap();
    let row = db.query_one("SELECT error, diff IS NOT NULL FROM lens_drift ORDER BY id DESC LIMIT 1", &[]).unwrap();
    assert_eq!(row.get::<_, Option<String>>(0), None);
    assert!(row.get::<_, bool>(1), "recorded while the other transaction is open");
    holder.batch_execute("ROLLBACK").unwrap();
    assert!(history_is_live(&mut db));
    assert_verified(&mut db);
}

#[test]
fn eight_sessions_of_migrations_and_autocommit_ddl_succeed_as_without_pg_lens() {
    let mut db = fresh_db("lens_prod_eight");
    db.batch_execute("CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE shared (id int PRIMARY KEY, n int)").unwrap();
    let start = count(&mut db, "SELECT max(id) FROM lens_drift");
    const SESSIONS: usize = 8;
    const ROUNDS: usize = 6;
    let barrier = Arc::new(Barrier::new(SESSIONS));
    let workers: Vec<_> = (0..SESSIONS)
        .map(|w| {
            let barrier = barrier.clone();
            thread::spawn(move || {
                let mut c = connect("lens_prod_eight");
                barrier.wait();
                let mut statements = 0;
                for i in 0..ROUNDS {
                    let t = format!("m{w}_{i}");
                    let sql = if w % 2 == 0 {
                        // a multi-statement migration: own table, FK to the shared parent
                        statements += 4;
                        format!(
                            "BEGIN; CREATE TABLE {t} (id int PRIMARY KEY, parent_id int REFERENCES parent); \
                             CREATE INDEX ON {t} (parent_id); ALTER TABLE {t} ADD COLUMN note text; COMMENT ON TABLE {t} IS 'round {i}'; COMMIT"
                        )
                    } else {
                        // autocommit DDL on the shared table
                        statements += 2;
                        format!("ALTER TABLE shared ADD COLUMN c{w}_{i} int; ALTER TABLE shared DROP COLUMN c{w}_{i}")
                    };
                    c.batch_execute(&sql).unwrap_or_else(|e| panic!("session {w}: {sql}: {}", describe(&e)));
                }
                statements
            })
        })
        .collect();
    let statements: i64 = workers.into_iter().map(|w| w.join().expect("every statement succeeds: no deadlock") as i64).sum();
    let rows = count(&mut db, &format!("SELECT count(*) FROM lens_drift WHERE id > {start}"));
    assert_eq!(rows, statements, "one row per committed statement");
    let broken = count(
        &mut db,
        "SELECT count(*) FROM (SELECT signature_before, lag(signature_after) OVER (ORDER BY id) AS previous \
         FROM lens_drift WHERE diff IS NOT NULL) s WHERE previous IS NOT NULL AND previous <> signature_before",
    );
    assert_eq!(broken, 0, "the signature chain is unbroken");
    assert!(history_is_live(&mut db));
    assert_verified(&mut db);
}

#[test]
fn two_sessions_creating_indexes_on_one_table_at_once_both_land() {
    let mut db = fresh_db("lens_prod_indexes");
    db.batch_execute("CREATE TABLE t (a int, b int)").unwrap();
    let mut s1 = connect("lens_prod_indexes");
    let mut s2 = connect("lens_prod_indexes");
    // CREATE INDEX takes a SHARE lock: both sessions hold one at once
    s1.batch_execute("BEGIN; CREATE INDEX t_a ON t (a)").unwrap();
    s2.batch_execute("CREATE INDEX t_b ON t (b)").unwrap();
    s1.batch_execute("COMMIT").unwrap();
    let snap = json(&mut db, "lens_snapshot_at((SELECT max(id) FROM lens_drift))");
    assert!(snap["indexes"].get("public.t.t_a").is_some() && snap["indexes"].get("public.t.t_b").is_some(), "{}", snap["indexes"]);
    assert!(history_is_live(&mut db));
    assert_verified(&mut db);
}

#[test]
fn statements_that_commit_in_steps_keep_history_equal_to_live() {
    let mut db = fresh_db("lens_prod_concurrently");
    db.batch_execute("CREATE TABLE t (id int, v int); INSERT INTO t VALUES (1, 1), (2, 1); CREATE TABLE p (id int) PARTITION BY LIST (id); CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1)").unwrap();
    db.batch_execute("CREATE INDEX CONCURRENTLY t_id ON t (id)").unwrap();
    assert!(history_is_live(&mut db));
    // fails midway (duplicates): the index stays, invalid, committed by the first step
    assert!(db.batch_execute("CREATE UNIQUE INDEX CONCURRENTLY t_v ON t (v)").is_err());
    assert_eq!(text(&mut db, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_v'::regclass"), "false");
    let partial = count(&mut db, "SELECT count(*) FROM lens_drift WHERE partial AND object_keys::text LIKE '%t_v%'");
    assert!(partial >= 1, "the committed step is recorded");
    assert!(history_is_live(&mut db));
    assert_verified(&mut db);
    db.batch_execute("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY").unwrap();
    assert!(history_is_live(&mut db));
    assert_verified(&mut db);
}

#[test]
fn capture_switched_off_and_on_ends_in_a_resync() {
    let mut db = fresh_db("lens_prod_off");
    db.batch_execute("CREATE TABLE t (id int)").unwrap();
    db.batch_execute("SET lens.capture = off; CREATE TABLE unseen (id int); ALTER TABLE t ADD COLUMN x int; RESET lens.capture").unwrap();
    let off = count(&mut db, "SELECT count(*) FROM lens_drift WHERE error LIKE '%lens.capture was off%'");
    assert_eq!(off, 2, "each statement says it was not captured");
    assert_eq!(text(&mut db, "SELECT needs_resync::text FROM lens_status"), "true");
    assert_eq!(verify(&mut db)["ok"], Value::Bool(false), "lens_verify sees it too");
    db.batch_execute("CREATE TABLE next_one (id int)").unwrap();
    let row = db.query_one("SELECT resync, diff::text FROM lens_drift ORDER BY id DESC LIMIT 1", &[]).unwrap();
    assert!(row.get::<_, bool>(0), "the next capture resyncs");
    assert!(row.get::<_, String>(1).contains("public.unseen"), "and holds what was missed");
    assert!(history_is_live(&mut db));
    assert_verified(&mut db);
}

#[test]
fn a_bypassed_trigger_is_caught_by_lens_verify_and_repaired() {
    let mut db = fresh_db("lens_prod_bypass");
    db.batch_execute("SET session_replication_role = replica; CREATE TABLE sneaky (id int); RESET session_replication_role").unwrap();
    let report = verify(&mut db);
    assert_eq!(report["ok"], Value::Bool(false));
    assert!(report["differences"].to_string().contains("public.sneaky"), "{report}");
    db.batch_execute("CREATE TABLE afterwards (id int)").unwrap();
    assert!(history_is_live(&mut db));
    assert_verified(&mut db);
}

#[test]
fn the_extension_created_again_elsewhere_is_followed() {
    let mut db = fresh_db("lens_prod_recreate");
    let mut other = connect("lens_prod_recreate");
    other.batch_execute("CREATE TABLE before_move (id int)").unwrap();
    db.batch_execute("DROP EXTENSION pg_lens; CREATE SCHEMA lens; CREATE EXTENSION pg_lens SCHEMA lens").unwrap();
    other.batch_execute("CREATE TABLE after_move (id int)").unwrap();
    let keys = text(&mut db, "SELECT string_agg(object_keys::text, ' ') FROM lens.lens_drift");
    assert!(keys.contains("public.after_move"), "{keys}");
    assert_eq!(
        text(&mut db, "SELECT lens.lens_signature()"),
        text(&mut db, "SELECT lens.lens_signature(lens.lens_snapshot_at((SELECT max(id) FROM lens.lens_drift)))")
    );
    assert_eq!(json(&mut db, "lens.lens_verify()")["ok"], Value::Bool(true));
}

#[test]
fn a_huge_comment_never_breaks_capture_and_is_kept_exactly() {
    let mut db = fresh_db("lens_prod_huge");
    db.batch_execute("CREATE TABLE t (id int)").unwrap();
    // twice 140 MB: before and after together do not fit one jsonb (256 MB)
    db.batch_execute("COMMENT ON TABLE t IS NULL; DO $$ BEGIN EXECUTE format('COMMENT ON TABLE t IS %L', repeat('a', 140000000)); END $$").unwrap();
    db.batch_execute("DO $$ BEGIN EXECUTE format('COMMENT ON TABLE t IS %L', repeat('b', 140000000)); END $$").unwrap();
    assert_eq!(count(&mut db, "SELECT count(*) FROM lens_drift WHERE error IS NOT NULL"), 0);
    db.batch_execute("ALTER TABLE t ADD COLUMN later int").unwrap();
    assert_eq!(count(&mut db, "SELECT count(*) FROM lens_drift WHERE error IS NOT NULL"), 0, "later statements are captured");
    assert_eq!(count(&mut db, "SELECT count(*) FROM lens_values"), 2, "each long value stored once");
    let previous = count(&mut db, "SELECT max(id) - 1 FROM lens_drift");
    let kept = text(&mut db, &format!("SELECT md5(lens_snapshot_at({previous}::bigint) -> 'tables' -> 'public.t' ->> 'comment')"));
    assert_eq!(kept, text(&mut db, "SELECT md5(repeat('b', 140000000))"), "history holds the value exactly");
    db.batch_execute("COMMENT ON TABLE t IS 'short again'").unwrap();
    assert!(history_is_live(&mut db));
}

#[test]
fn a_cancel_while_capture_waits_cancels_the_statement() {
    let mut db = fresh_db("lens_prod_cancel");
    // Another transaction holding the history lock (lens_prune takes it, as commit tails do).
    let mut holder = connect("lens_prod_cancel");
    holder.batch_execute("BEGIN; SELECT lens_prune('-infinity')").unwrap();
    let before = count(&mut db, "SELECT count(*) FROM lens_drift");
    let pid: i32 = db.query_one("SELECT pg_backend_pid()", &[]).unwrap().get(0);
    let canceller = thread::spawn(move || {
        let mut admin = connect("lens_prod_cancel");
        // once the commit tail waits for the lock, cancel it
        loop {
            let waiting: bool = admin
                .query_one("SELECT EXISTS (SELECT FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'advisory')", &[&pid])
                .unwrap()
                .get(0);
            if waiting {
                break;
            }
            thread::sleep(std::time::Duration::from_millis(10));
        }
        admin.batch_execute(&format!("SELECT pg_cancel_backend({pid})")).unwrap();
    });
    let (code, _, _) = error_of(&mut db, "CREATE TABLE canceled (id int)");
    canceller.join().unwrap();
    assert_eq!(code, "57014");
    holder.batch_execute("COMMIT").unwrap();
    assert_eq!(text(&mut db, "SELECT coalesce(to_regclass('canceled')::text, 'none')"), "none", "no table");
    assert_eq!(count(&mut db, "SELECT count(*) FROM lens_drift"), before, "no row");
    assert_verified(&mut db);
}

#[test]
fn a_failed_capture_resets_the_session_state() {
    let mut db = fresh_db("lens_prod_reset");
    db.batch_execute("ALTER TABLE lens_state ADD CONSTRAINT broken CHECK (false) NOT VALID").unwrap();
    db.batch_execute("CREATE TABLE t (id int)").expect("the DDL goes on");
    db.batch_execute("ALTER TABLE lens_state DROP CONSTRAINT broken").unwrap();
    // capture's own-writes flag is down again: a load of history would be seen as one
    assert_eq!(text(&mut db, "SELECT lens_history_load_starts('probe')::text"), "true");
}

#[test]
fn keyframes_bound_time_travel_and_prune_keeps_what_it_needs() {
    let mut db = fresh_db("lens_prod_keyframes");
    db.batch_execute("CREATE TABLE t (id int)").unwrap();
    let mut migration = String::from("BEGIN;");
    for i in 0..1100 {
        migration.push_str(&format!("COMMENT ON TABLE t IS 'version {i}';"));
    }
    migration.push_str("COMMIT;");
    db.batch_execute(&migration).unwrap();
    let middle = count(&mut db, "SELECT min(id) + 550 FROM lens_drift");
    let middle_signature = text(&mut db, &format!("SELECT signature_after FROM lens_drift WHERE id = {middle}"));
    let first = verify(&mut db);
    assert!(first["rowsReplayed"].as_i64().unwrap() >= 1100, "{first}");
    assert_eq!(first["ok"], Value::Bool(true));
    let second = verify(&mut db);
    assert_eq!(second["rowsReplayed"], serde_json::json!(0), "the first verification left a keyframe: {second}");
    assert_eq!(text(&mut db, &format!("SELECT lens_signature(lens_snapshot_at({middle}::bigint))")), middle_signature);
    // prune everything before the middle row
    let cut_at = text(&mut db, &format!("SELECT captured_at::text FROM lens_drift WHERE id = {middle}"));
    let report = json(&mut db, &format!("lens_prune('{cut_at}'::timestamptz)"));
    assert!(report["driftRows"].as_i64().unwrap() >= 500 && report["bytes"].as_i64().unwrap() > 0, "{report}");
    assert_eq!(text(&mut db, &format!("SELECT lens_signature(lens_snapshot_at({middle}::bigint))")), middle_signature);
    assert!(history_is_live(&mut db));
    let (code, _, hint) = error_of(&mut db, "SELECT lens_snapshot_at('2000-01-01'::timestamptz)");
    assert_eq!(code, "P0002");
    assert!(hint.is_some());
    assert_verified(&mut db);
}

#[test]
fn lens_capture_cannot_grow_storage_without_a_schema_change() {
    let mut db = fresh_db("lens_prod_capture_calls");
    db.batch_execute("DROP ROLE IF EXISTS lens_caller; CREATE ROLE lens_caller LOGIN").unwrap();
    let mut caller = connect_as("lens_prod_capture_calls", "lens_caller");
    for _ in 0..50 {
        caller.batch_execute("SELECT lens_capture(NULL, 'force')").unwrap();
    }
    assert_eq!(count(&mut db, "SELECT count(*) FROM lens_snapshots WHERE source = 'manual'"), 1);
    drop(caller);
    db.batch_execute("DROP ROLE lens_caller").unwrap();
}

#[test]
fn each_row_says_who_did_what_and_secrets_stay_out() {
    let mut db = fresh_db("lens_prod_audit");
    let mut listener = connect("lens_prod_audit");
    listener.batch_execute("LISTEN lens_drift").unwrap();
    db.batch_execute("SELECT lens_signature()").unwrap(); // pg_lens loaded: statements are told apart
    db.batch_execute("CREATE TABLE one (id int); CREATE TABLE two (id int)").unwrap();
    let statements: Vec<(Option<String>, Option<String>, Option<i32>)> = db
        .query("SELECT statement, session_user_name, backend_pid FROM lens_drift WHERE object_keys::text ~ 'one|two' ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(statements[0].0.as_deref(), Some("CREATE TABLE one (id int)"));
    assert_eq!(statements[1].0.as_deref(), Some("CREATE TABLE two (id int)"));
    assert_eq!(statements[0].1.as_deref(), Some("postgres"));
    let pid: i32 = db.query_one("SELECT pg_backend_pid()", &[]).unwrap().get(0);
    assert_eq!(statements[0].2, Some(pid));
    db.batch_execute(
        "CREATE EXTENSION postgres_fdw; CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'nowhere'); \
         CREATE USER MAPPING FOR postgres SERVER remote OPTIONS (user 'me', password 'hunter2')",
    )
    .unwrap();
    let stored = text(&mut db, "SELECT string_agg(coalesce(statement, ''), ' | ') FROM lens_drift");
    assert!(!stored.contains("hunter2"), "{stored}");
    assert!(stored.contains("password '********'"), "{stored}");
    // the channel announces rows (a round trip delivers what is waiting)
    listener.batch_execute("SELECT 1").unwrap();
    use fallible_iterator::FallibleIterator;
    let notes: Vec<String> = listener.notifications().iter().map(|n| Ok(n.payload().to_string())).collect().unwrap();
    let ids: Vec<i64> = notes.iter().filter_map(|p| serde_json::from_str::<Value>(p).ok()).filter_map(|v| v["id"].as_i64()).collect();
    let last = count(&mut db, "SELECT max(id) FROM lens_drift");
    assert!(ids.contains(&last), "{notes:?}");
}

#[test]
fn ddl_in_repeatable_read_transactions_commits_beside_others() {
    let mut db = fresh_db("lens_prod_rr");
    let mut s1 = connect("lens_prod_rr");
    s1.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; CREATE TABLE rr1 (id int)").unwrap();
    db.batch_execute("CREATE TABLE rr2 (id int)").unwrap();
    s1.batch_execute("COMMIT").expect("no serialization failure from pg_lens");
    assert!(history_is_live(&mut db));
    assert_verified(&mut db);
}

#[test]
fn savepoints_and_exception_blocks_take_their_statements_with_them() {
    let mut db = fresh_db("lens_prod_savepoints");
    let start = count(&mut db, "SELECT coalesce(max(id), 0) FROM lens_drift");
    db.batch_execute(
        "BEGIN; CREATE TABLE sp (id int); SAVEPOINT a; ALTER TABLE sp ADD COLUMN x int; SAVEPOINT b; \
         ALTER TABLE sp ADD COLUMN y int; ROLLBACK TO b; ALTER TABLE sp ADD COLUMN z int; ROLLBACK TO a; \
         ALTER TABLE sp ADD COLUMN w int; SAVEPOINT c; ALTER TABLE sp ADD COLUMN v int; RELEASE c; \
         DO $$ BEGIN ALTER TABLE sp ADD COLUMN q int; RAISE EXCEPTION 'undo'; EXCEPTION WHEN others THEN NULL; END $$; \
         COMMIT;",
    )
    .unwrap();
    let added: Vec<String> = db
        .query(&format!("SELECT diff -> 'columns' -> 'added' -> 0 ->> 'key' FROM lens_drift WHERE id > {start} ORDER BY id"), &[])
        .unwrap()
        .iter()
        .map(|r| r.get::<_, Option<String>>(0).unwrap_or_default())
        .collect();
    assert_eq!(added, vec!["public.sp.id", "public.sp.w", "public.sp.v"], "the rolled-back statements left nothing");
    assert!(history_is_live(&mut db));
    assert_verified(&mut db);
}

#[test]
fn a_default_operator_class_made_by_another_session_is_seen_by_the_next_capture() {
    // Capture keeps each backend's default operator classes and prints an index itself when
    // every column uses its type's default. varchar has no btree class of its own: text's
    // is its default until another session makes one for varchar; from then on an index
    // naming text_ops prints it, and only the server's invalidation can tell this session.
    let mut db = fresh_db("lens_prod_opclass");
    db.batch_execute("CREATE TABLE labels (v varchar(20)); CREATE INDEX labels_v ON labels (v)").unwrap();
    assert_eq!(text(&mut db, "SELECT pg_get_indexdef('labels_v'::regclass)"), "CREATE INDEX labels_v ON public.labels USING btree (v)");
    let mut other = connect("lens_prod_opclass");
    other
        .batch_execute(
            "CREATE OPERATOR FAMILY varchar_family USING btree;
             CREATE OPERATOR CLASS varchar_default DEFAULT FOR TYPE varchar USING btree FAMILY varchar_family AS
               OPERATOR 1 < (text, text), OPERATOR 2 <= (text, text), OPERATOR 3 = (text, text),
               OPERATOR 4 >= (text, text), OPERATOR 5 > (text, text), FUNCTION 1 bttextcmp(text, text)",
        )
        .unwrap();
    db.batch_execute("CREATE INDEX labels_v_text ON labels (v text_ops)").unwrap();
    let server = text(&mut db, "SELECT pg_get_indexdef('labels_v_text'::regclass)");
    assert!(server.ends_with("(v text_ops)"), "{server}");
    let printed = text(
        &mut db,
        "SELECT diff -> 'indexes' -> 'added' -> 0 -> 'after' ->> 'definition' FROM lens_drift ORDER BY id DESC LIMIT 1",
    );
    assert_eq!(printed, server, "captured as the server prints it");
    assert_verified(&mut db);
}

#[test]
fn a_server_error_while_capture_reads_fails_the_statement_and_leaves_no_trace() {
    // Re-reading a view that depends on a renamed column prints it, and the server's view
    // printer locks the view's tables: one held by another session makes the rename wait
    // until the caller's lock_timeout. That ERROR is the server's: the statement fails with
    // it, nothing of it is committed or recorded, and the next statement captures as usual.
    let mut db = fresh_db("lens_prod_server_error");
    db.batch_execute("CREATE TABLE a (x int); CREATE TABLE b (id int); CREATE VIEW v AS SELECT a.x, b.id FROM a, b").unwrap();
    let rows_before = count(&mut db, "SELECT count(*) FROM lens_drift");
    let mut holder = connect("lens_prod_server_error");
    holder.batch_execute("BEGIN; LOCK TABLE b IN ACCESS EXCLUSIVE MODE").unwrap();
    let (code, message, _) = error_of(&mut db, "SET lock_timeout = '200ms'; ALTER TABLE a RENAME COLUMN x TO y");
    assert_eq!(code, "55P03", "{message}");
    holder.batch_execute("ROLLBACK").unwrap();
    db.batch_execute("RESET lock_timeout").unwrap();
    assert_eq!(text(&mut db, "SELECT string_agg(attname, ',') FROM pg_attribute WHERE attrelid = 'a'::regclass AND attnum > 0"), "x");
    assert_eq!(count(&mut db, "SELECT count(*) FROM lens_drift"), rows_before, "no row for a statement that failed");
    db.batch_execute("ALTER TABLE a RENAME COLUMN x TO y").unwrap();
    assert_eq!(count(&mut db, "SELECT count(*) FROM lens_drift"), rows_before + 1);
    assert_eq!(text(&mut db, "SELECT coalesce(error, 'none') FROM lens_drift ORDER BY id DESC LIMIT 1"), "none");
    assert!(history_is_live(&mut db));
    assert_verified(&mut db);
}
