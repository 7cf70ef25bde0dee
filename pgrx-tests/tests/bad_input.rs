//! Bad input gets a defined answer: a clear ERROR with a hint, or a documented result.

use pg_lens_e2e::*;

#[test]
fn arguments_are_checked() {
    let mut db = fresh_db("lens_bad_input");
    db.batch_execute("CREATE SCHEMA \"My Schema\"; CREATE TABLE \"My Schema\".\"Tab.le\" (id int PRIMARY KEY); CREATE TABLE public.t (x int);")
        .unwrap();

    // NULL means every user schema
    let all = json(&mut db, "lens_snapshot(NULL)");
    assert_eq!(all["meta"]["schemas"], serde_json::json!(["My Schema", "public"]));
    assert_eq!(json(&mut db, "lens_snapshot()")["tables"], all["tables"]);

    let (code, msg, hint) = error_of(&mut db, "SELECT lens_snapshot(ARRAY[]::text[])");
    assert_eq!(code, "22023");
    assert!(msg.contains("must not be an empty array"), "{msg}");
    assert!(hint.unwrap().contains("NULL"));

    let (_, msg, hint) = error_of(&mut db, "SELECT lens_snapshot(ARRAY['public', NULL])");
    assert!(msg.contains("must not contain NULL"), "{msg}");
    assert!(hint.is_some());

    let (code, msg, hint) = error_of(&mut db, "SELECT lens_snapshot(ARRAY['nope'])");
    assert_eq!(code, "3F000");
    assert!(msg.contains("schema \"nope\" does not exist"), "{msg}");
    assert!(hint.unwrap().contains("case matters"));

    // a schema name is given as the catalog spells it; a table by its quoted key
    let snap = json(&mut db, "lens_snapshot(ARRAY['My Schema'])");
    assert!(snap["tables"].as_object().unwrap().contains_key("\"My Schema\".\"Tab.le\""));
    let snap = json(&mut db, "lens_snapshot(tables => ARRAY['\"My Schema\".\"Tab.le\"'])");
    assert_eq!(snap["tables"].as_object().unwrap().len(), 1);
    assert_eq!(snap["meta"]["schemas"], serde_json::json!(["My Schema"]));

    let (code, msg, hint) = error_of(&mut db, "SELECT lens_snapshot(tables => ARRAY['public.nope'])");
    assert_eq!(code, "42P01");
    assert!(msg.contains("public.nope"), "{msg}");
    assert!(hint.unwrap().contains("quote_ident"));
    let (_, msg, _) = error_of(&mut db, "SELECT lens_snapshot(ARRAY['My Schema'], ARRAY['public.t'])");
    assert!(msg.contains("not in the schemas"), "{msg}");
    let (_, msg, _) = error_of(&mut db, "SELECT lens_snapshot(tables => ARRAY['\"My Schema\".\"Tab.le_pkey\"'])");
    assert!(msg.contains("is not a table"), "{msg}");
    let (_, msg, _) = error_of(&mut db, "SELECT lens_snapshot(tables => ARRAY[]::text[])");
    assert!(msg.contains("empty"), "{msg}");

    // exact_sizes NULL reads as false
    assert_eq!(json(&mut db, "lens_snapshot(exact_sizes => NULL)")["meta"]["sizes"], "estimated");
    assert_eq!(json(&mut db, "lens_snapshot(exact_sizes => true)")["meta"]["sizes"], "exact");
}

#[test]
fn a_jsonb_that_is_not_a_snapshot_is_refused() {
    let mut db = fresh_db("lens_bad_jsonb");
    for (value, expect) in [
        ("'[1,2]'", "not an object"),
        ("'{\"a\":1}'", "no \"meta\""),
        ("'\"text\"'", "not an object"),
        ("'{\"meta\":{},\"tables\":{\"x\":1}}'", "not a pg_lens snapshot"),
        ("'{\"meta\":{\"formatVersion\":99},\"tables\":{}}'", "newer"),
    ] {
        let (code, msg, hint) = error_of(&mut db, &format!("SELECT lens_signature({value}::jsonb)"));
        assert_eq!(code, "22023", "{value}");
        assert!(msg.contains(expect), "{value}: {msg}");
        assert!(hint.is_some(), "{value}");
    }
    // NULL in, NULL out (the function is strict)
    let row = db.query_one("SELECT lens_signature(NULL::jsonb)", &[]).unwrap();
    assert_eq!(row.get::<_, Option<String>>(0), None);
}

#[test]
fn read_only_transactions_and_no_transaction_id() {
    let mut db = fresh_db("lens_read_only");
    db.batch_execute(&fixture("awkward.sql")).unwrap();
    db.batch_execute("SET default_transaction_read_only = on").unwrap();
    let mut tx = db.transaction().unwrap();
    let row = tx
        .query_one("SELECT lens_snapshot() IS NOT NULL, lens_signature() IS NOT NULL, txid_current_if_assigned() IS NULL", &[])
        .unwrap();
    assert!(row.get::<_, bool>(0) && row.get::<_, bool>(1));
    assert!(row.get::<_, bool>(2), "a snapshot must not assign a transaction id");
    tx.commit().unwrap();
    db.batch_execute("BEGIN TRANSACTION READ ONLY ISOLATION LEVEL SERIALIZABLE; SELECT lens_snapshot(); COMMIT;").unwrap();
}

#[test]
fn statement_timeout_interrupts_cleanly() {
    let mut db = fresh_db("lens_timeout");
    let mut ddl = String::new();
    for i in 0..400 {
        ddl.push_str(&format!("CREATE TABLE t{i} (id int PRIMARY KEY, a text DEFAULT 'x', b int CHECK (b > 0));\n"));
    }
    db.batch_execute(&ddl).unwrap();
    db.batch_execute("SET statement_timeout = '2ms'").unwrap();
    let (code, msg, _) = error_of(&mut db, "SELECT lens_snapshot(exact_sizes => true) FROM generate_series(1, 50)");
    assert_eq!(code, "57014", "{msg}");
    // the session is intact and the next call works
    db.batch_execute("SET statement_timeout = 0").unwrap();
    assert_eq!(text(&mut db, "SELECT count(*)::text FROM jsonb_object_keys(lens_snapshot()->'tables')"), "400");
}

#[test]
fn a_damaged_snapshot_is_refused_by_every_function_alike() {
    // issue 10, item 13
    let mut db = fresh_db("lens_bad_snapshot");
    db.batch_execute("CREATE TABLE t (id int PRIMARY KEY, v text)").unwrap();
    db.batch_execute("CREATE TABLE kept AS SELECT lens_snapshot() AS s").unwrap();
    let damaged = [
        ("s - 'columns'", "\"columns\""),
        ("s #- '{constraints,pks}'", "constraints.pks"),
        ("jsonb_set(s, '{meta,formatVersion}', '0')", "formatVersion"),
        ("jsonb_set(s, '{meta,formatVersion}', '-1')", "formatVersion"),
        ("jsonb_set(s, '{columns,public.t.v,position}', '-5')", "position"),
        ("jsonb_set(s, '{meta,schemas}', '[]')", "meta.schemas"),
        ("jsonb_set(s, '{tables,public.t,comment}', (SELECT repeat('[', 6000) || repeat(']', 6000))::jsonb)", "deeper than 128"),
    ];
    for (edit, says) in damaged {
        for call in [format!("lens_signature({edit})"), format!("lens_diff(s, {edit})"), format!("lens_diff({edit}, s)")] {
            // lens_diff reads positions only through the entries it compares
            if says == "position" && call.starts_with("lens_diff") {
                continue;
            }
            let (code, message, hint) = error_of(&mut db, &format!("SELECT {call} FROM kept"));
            assert_eq!(code, "22023", "{call}: {message}");
            assert!(message.contains(says), "{call}: {message}");
            assert!(hint.is_some(), "{call}");
        }
    }
}

#[test]
fn lens_check_drift_reads_the_scope_its_snapshot_says() {
    // issue 10, item 12: meta.tables was ignored, bad meta accepted silently
    let mut db = fresh_db("lens_check_drift_scope");
    db.batch_execute(
        "CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent);
         CREATE TABLE other (id int)",
    )
    .unwrap();
    db.batch_execute("CREATE TABLE kept AS SELECT lens_snapshot(NULL, ARRAY['public.child']) AS s").unwrap();
    let clean = json(&mut db, "(SELECT lens_check_drift(s) FROM kept)");
    assert_eq!(clean["changed"], serde_json::json!(false), "an unchanged database: {clean}");
    db.batch_execute("ALTER TABLE other ADD COLUMN v int").unwrap();
    assert_eq!(json(&mut db, "(SELECT lens_check_drift(s) FROM kept)")["changed"], serde_json::json!(false), "other is not in scope");
    db.batch_execute("ALTER TABLE child ADD COLUMN note text").unwrap();
    let drift = json(&mut db, "(SELECT lens_check_drift(s) FROM kept)");
    assert_eq!(drift["columns"]["added"][0]["key"], serde_json::json!("public.child.note"), "{drift}");
    db.batch_execute("DROP TABLE child").unwrap();
    let gone = json(&mut db, "(SELECT lens_check_drift(s) FROM kept)");
    assert_eq!(gone["tables"]["removed"][0]["key"], serde_json::json!("public.child"), "{gone}");

    for meta in [
        ("tables", "'[\"public.nope\"]'"),
        ("tables", "'[]'"),
        ("tables", "'5'"),
        ("schemas", "'5'"),
        ("schemas", "'[null]'"),
        ("schemas", "'[]'"),
        ("schemas", "'null'"),
    ] {
        let sql = format!("SELECT lens_check_drift(jsonb_set(s, '{{meta,{}}}', {}::jsonb)) FROM kept", meta.0, meta.1);
        let (code, message, hint) = error_of(&mut db, &sql);
        assert_eq!(code, "22023", "{meta:?}: {message}");
        assert!(message.contains(&format!("meta.{}", meta.0)), "{meta:?}: {message}");
        assert!(hint.is_some());
    }
    // a schema the snapshot covers, gone: drift, even with nothing of it held
    db.batch_execute("CREATE SCHEMA empty_one; CREATE TABLE kept_schema AS SELECT lens_snapshot(ARRAY['empty_one']) AS s; DROP SCHEMA empty_one").unwrap();
    let missing = json(&mut db, "(SELECT lens_check_drift(s) FROM kept_schema)");
    assert_eq!(missing["changed"], serde_json::json!(true), "{missing}");
    assert_eq!(missing["schemasMissing"], serde_json::json!(["empty_one"]));
}

#[test]
fn errors_say_what_is_wrong_and_what_to_do() {
    // issue 10, item 15
    let mut db = fresh_db("lens_bad_messages");
    db.batch_execute("CREATE TABLE customer (id int); CREATE SCHEMA crm; CREATE TABLE crm.customer (id int); CREATE TABLE parent (id int)")
        .unwrap();
    let (code, message, hint) = error_of(&mut db, "SELECT lens_snapshot(NULL, ARRAY['customer'])");
    assert_eq!(code, "42P01", "{message}");
    assert!(hint.as_deref().unwrap_or_default().contains("crm.customer, public.customer"), "the candidates are named: {hint:?}");
    let (code, message, hint) = error_of(&mut db, "SELECT lens_snapshot(NULL, ARRAY['public.parent.id'])");
    assert_eq!(code, "22023");
    assert!(message.contains("3 parts") && !message.contains("cross-database"), "{message}");
    assert!(hint.is_some());
    let (code, message, _) = error_of(&mut db, "SELECT lens_snapshot(NULL, ARRAY['\"open.t'])");
    assert_eq!(code, "22023", "{message}");
    let (code, message, hint) = error_of(&mut db, "SELECT lens_snapshot(NULL, ARRAY['public.lens_drift'])");
    assert_eq!(code, "22023", "an extension's table is refused, not an empty snapshot: {message}");
    assert!(message.contains("extension pg_lens"), "{message}");
    assert!(hint.is_some());

    // reading history without the privilege: said so, not a pg_toast error
    db.batch_execute("DROP ROLE IF EXISTS lens_no_history; CREATE ROLE lens_no_history LOGIN").unwrap();
    let mut nobody = connect_as("lens_bad_messages", "lens_no_history");
    let (code, message, hint) = error_of(&mut nobody, "SELECT lens_snapshot_at(now())");
    assert_eq!(code, "42501", "{message}");
    assert!(!message.contains("pg_toast") && message.contains("history"), "{message}");
    assert!(hint.as_deref().unwrap_or_default().contains("GRANT SELECT"), "{hint:?}");
    drop(nobody);
    db.batch_execute("DROP ROLE lens_no_history").unwrap();

    // a snapshot jsonb cannot hold is a limit, said with the objects that weigh most
    db.batch_execute(
        "SET lens.capture = off;
         CREATE TABLE c1 (id int); CREATE TABLE c2 (id int); CREATE TABLE c3 (id int);
         DO $$ BEGIN
           EXECUTE format('COMMENT ON TABLE c1 IS %L', repeat('x', 100000000));
           EXECUTE format('COMMENT ON TABLE c2 IS %L', repeat('y', 100000000));
           EXECUTE format('COMMENT ON TABLE c3 IS %L', repeat('z', 100000000));
         END $$",
    )
    .unwrap();
    let (code, message, hint) = error_of(&mut db, "SELECT lens_snapshot() IS NULL");
    assert_eq!(code, "54000", "{message}");
    assert!(message.contains("public.c1") && message.contains("MB"), "{message}");
    assert!(!hint.as_deref().unwrap_or_default().contains("bug"), "{hint:?}");
    assert_eq!(text(&mut db, "SELECT (lens_snapshot(tables => ARRAY['public.c1']) IS NOT NULL)::text"), "true", "fewer tables fit");
}
