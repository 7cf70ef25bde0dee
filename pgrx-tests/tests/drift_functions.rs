//! lens_diff, lens_check_drift and lens_capture on real databases, and what
//! lens.capture_schemas narrows.

use pg_lens_e2e::*;
use serde_json::json;

#[test]
fn lens_diff_between_and_within_databases() {
    let mut a = fresh_db("lens_diff_a");
    let mut b = fresh_db("lens_diff_b");
    let ddl = "CREATE SCHEMA \"Sales Dept\"; CREATE TABLE \"Sales Dept\".\"Order Items\" (id int PRIMARY KEY, qty int NOT NULL DEFAULT 1, \"select\" text); \
               CREATE INDEX ON \"Sales Dept\".\"Order Items\" (qty) WHERE qty > 1; CREATE VIEW \"Sales Dept\".v AS SELECT id FROM \"Sales Dept\".\"Order Items\";";
    a.batch_execute(ddl).unwrap();
    b.batch_execute(ddl).unwrap();
    let sa = json(&mut a, "lens_snapshot()");
    let sb = json(&mut b, "lens_snapshot()");
    let same = json(&mut a, &format!("lens_diff({}, {})", lit(&sa), lit(&sb)));
    assert_eq!(same["changed"], json!(false), "same DDL in two databases: no change, whatever the oids: {same}");
    assert_eq!(same["summary"], json!({"added": 0, "removed": 0, "renamed": 0, "changed": 0}));

    b.batch_execute("ALTER TABLE \"Sales Dept\".\"Order Items\" RENAME TO \"Line Items\"; ALTER TABLE \"Sales Dept\".\"Line Items\" ALTER COLUMN qty SET DEFAULT 2; CREATE TABLE \"Sales Dept\".extra (id int)").unwrap();
    let sb2 = json(&mut b, "lens_snapshot()");
    // across databases: the rename is only probable
    let across = json(&mut a, &format!("lens_diff({}, {})", lit(&sa), lit(&sb2)));
    assert_eq!(across["changed"], json!(true));
    assert_eq!(across["tables"]["added"][0]["key"], json!("\"Sales Dept\".extra"));
    let renamed = across["tables"]["renamed"].as_array().expect("the renamed table is matched");
    assert_eq!(renamed[0]["from"], json!("\"Sales Dept\".\"Order Items\""));
    assert_eq!(renamed[0]["to"], json!("\"Sales Dept\".\"Line Items\""));
    assert_eq!(renamed[0]["exact"], json!(false));
    // what moved with the table is matched under its new key, with what else changed
    let qty = across["columns"]["renamed"].as_array().unwrap().iter().find(|r| r["to"] == json!("\"Sales Dept\".\"Line Items\".qty")).cloned();
    let qty = qty.expect("the column moved with its table");
    assert_eq!(qty["from"], json!("\"Sales Dept\".\"Order Items\".qty"));
    assert_eq!(qty["changes"]["default"], json!({"before": "1", "after": "2"}));
    assert!(across["columns"].get("removed").is_none() && across["indexes"].get("removed").is_none(), "{across}");
    // within one database: exact, and the default change is named with both values
    let within = json(&mut b, &format!("lens_diff({}, {})", lit(&sb), lit(&sb2)));
    assert_eq!(within["tables"]["renamed"][0]["exact"], json!(true));
    let qty = within["columns"]["renamed"].as_array().unwrap().iter().find(|r| r["to"] == json!("\"Sales Dept\".\"Line Items\".qty")).unwrap().clone();
    assert_eq!(qty["exact"], json!(true));
    assert_eq!(qty["changes"]["default"], json!({"before": "1", "after": "2"}));
    assert_eq!(within["from"]["signature"], sb["meta"]["signature"]);
    assert_eq!(within["to"]["signature"], sb2["meta"]["signature"]);
    // bad input
    let (code, message, hint) = error_of(&mut a, "SELECT lens_diff('{\"a\":1}'::jsonb, '{}'::jsonb)");
    assert_eq!(code, "22023", "{message}");
    assert!(message.starts_with("from:") && hint.is_some(), "{message}");
    let (_, message, _) = error_of(&mut a, &format!("SELECT lens_diff({}, '[1]'::jsonb)", lit(&sa)));
    assert!(message.starts_with("to:"), "{message}");
    assert_eq!(text(&mut a, "SELECT coalesce(lens_diff(NULL, NULL)::text, 'null')"), "null", "STRICT: NULL in, NULL out");
}

#[test]
fn lens_check_drift_is_a_ci_gate() {
    let mut db = fresh_db("lens_check_drift");
    db.batch_execute("CREATE SCHEMA app; CREATE TABLE app.users (id int PRIMARY KEY, email text)").unwrap();
    let expected = json(&mut db, "lens_snapshot(ARRAY['app'])");
    let clean = json(&mut db, &format!("lens_check_drift({})", lit(&expected)));
    assert_eq!(clean["changed"], json!(false), "{clean}");
    db.batch_execute("ALTER TABLE app.users ALTER COLUMN email SET NOT NULL; CREATE TABLE public.elsewhere (id int)").unwrap();
    let drift = json(&mut db, &format!("lens_check_drift({})", lit(&expected)));
    assert_eq!(drift["changed"], json!(true));
    assert_eq!(drift["summary"], json!({"added": 0, "removed": 0, "renamed": 0, "changed": 1}), "only the schemas of the expected snapshot");
    assert_eq!(drift["columns"]["changed"][0]["changes"]["isNullable"], json!({"before": true, "after": false}));
    // a schema dropped since: everything in it is removed
    db.batch_execute("DROP SCHEMA app CASCADE").unwrap();
    let gone = json(&mut db, &format!("lens_check_drift({})", lit(&expected)));
    assert_eq!(gone["tables"]["removed"][0]["key"], json!("app.users"));
}

#[test]
fn lens_capture_answers_like_the_seed() {
    let mut db = fresh_db("lens_capture_fn");
    db.batch_execute("CREATE TABLE users (id int PRIMARY KEY); CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users)").unwrap();
    let first = json(&mut db, "lens_capture(ARRAY['public'], 'force')");
    assert_eq!(first["cache"], json!({"hit": false, "source": "fresh"}));
    assert_eq!(first["drift"]["changedSinceLast"], json!(false));
    assert!(first["drift"]["previousSignature"].is_null());
    let signature = first["drift"]["currentSignature"].clone();
    assert_eq!(first["snapshot"]["meta"]["signature"], signature);
    assert_eq!(first["lastRefreshedAt"], first["snapshot"]["meta"]["capturedAt"]);

    let cached = json(&mut db, "lens_capture(ARRAY['public'])");
    assert_eq!(cached["cache"], json!({"hit": true, "source": "db"}));
    assert_eq!(cached["snapshot"], first["snapshot"]);
    assert_eq!(cached["lastRefreshedAt"], first["lastRefreshedAt"]);

    db.batch_execute("ALTER TABLE orders ADD COLUMN total numeric").unwrap();
    let after = json(&mut db, "lens_capture(ARRAY['public'])");
    assert_eq!(after["cache"]["hit"], json!(false), "the stored snapshot no longer matches");
    assert_eq!(after["drift"]["changedSinceLast"], json!(true));
    assert_eq!(after["drift"]["previousSignature"], signature);
    assert_eq!(after["drift"]["currentSignature"], json!(text(&mut db, "SELECT lens_signature(ARRAY['public'])")));

    db.batch_execute("ALTER TABLE users ADD COLUMN name text").unwrap();
    let visible = json(&mut db, "lens_capture(ARRAY['public'], 'visible', ARRAY['public.users'])");
    assert_eq!(visible["cache"]["source"], json!("visible"));
    assert!(visible["snapshot"]["columns"].get("public.users.name").is_some(), "the visible table is re-read");
    assert!(visible["snapshot"]["columns"].get("public.orders.total").is_some(), "the rest comes from the stored snapshot");
    assert_eq!(visible["drift"]["currentSignature"], json!(text(&mut db, "SELECT lens_signature(ARRAY['public'])")));

    let (code, _, hint) = error_of(&mut db, "SELECT lens_capture(NULL, 'sometimes')");
    assert_eq!(code, "22023");
    assert!(hint.unwrap().contains("'force'"));
    let (code, _, _) = error_of(&mut db, "SELECT lens_capture(NULL, 'visible')");
    assert_eq!(code, "22023");
    let stored: i64 = db.query_one("SELECT count(*) FROM lens_snapshots WHERE source IN ('manual', 'visible')", &[]).unwrap().get(0);
    assert_eq!(stored, 3, "force, the refresh after the change, and visible were stored");
}

#[test]
fn capture_schemas_narrows_what_is_recorded() {
    let mut db = fresh_db("lens_capture_scope");
    db.batch_execute("CREATE SCHEMA app; CREATE SCHEMA scratch; CREATE TABLE app.t (id int); CREATE TABLE scratch.t (id int)").unwrap();
    db.batch_execute("SET lens.capture_schemas = 'app'").unwrap();
    db.batch_execute("CREATE TABLE app.u (id int)").unwrap();
    let resync = json(&mut db, "(SELECT diff FROM lens_drift ORDER BY id DESC LIMIT 1)");
    // the state was rebuilt for the new scope: scratch's table left it
    assert!(resync["tables"]["removed"].as_array().unwrap().iter().any(|r| r["key"] == json!("scratch.t")), "{resync}");
    db.batch_execute("CREATE TABLE scratch.u (id int)").unwrap();
    let last = json(&mut db, "(SELECT diff FROM lens_drift ORDER BY id DESC LIMIT 1)");
    assert_eq!(last["changed"], json!(false), "DDL outside the captured schemas changes nothing captured");
    assert_eq!(
        text(&mut db, "SELECT lens_signature(lens_snapshot_at((SELECT max(id) FROM lens_drift)))"),
        text(&mut db, "SELECT lens_signature(ARRAY['app'])")
    );
    // capture off records that it was off, not what changed
    db.batch_execute("SET lens.capture = off; CREATE TABLE app.unrecorded (id int); RESET lens.capture").unwrap();
    let row = db.query_one("SELECT diff IS NULL, error FROM lens_drift WHERE object_keys::text LIKE '%unrecorded%'", &[]).unwrap();
    assert!(row.get::<_, bool>(0));
    assert!(row.get::<_, Option<String>>(1).unwrap().contains("lens.capture was off"));
}
