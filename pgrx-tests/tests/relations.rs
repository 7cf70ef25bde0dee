//! lens_risk / lens_risks, lens_explain and lens_erd on schemas with cascade chains, a
//! diamond, a cycle, a self-reference, a composite FK and two schemas (fixtures/relations.sql),
//! and the ER diagrams of the awkward-identifier schema checked by Graphviz and by Mermaid's
//! own parser.

use pg_lens_e2e::*;
use serde_json::{json, Value};
use std::process::Command;

fn count(db: &mut postgres::Client, sql: &str) -> i64 {
    db.query_one(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {}", describe(&e))).get(0)
}

#[test]
fn risk_scores_levels_reasons_and_blast_radius() {
    let mut db = fresh_db("lens_risk");
    db.batch_execute(&fixture("relations.sql")).unwrap();
    let accounts = json(&mut db, "lens_risk('crm.accounts')");
    // 4 inbound FKs (+30, capped), 3 of them CASCADE (+30, capped), a RESTRICT one (+10),
    // 3 rows (+0), the primary key referenced (+10)
    assert_eq!(accounts["score"], json!(80));
    assert_eq!(accounts["level"], json!("Critical"));
    assert_eq!(accounts["factors"]["inboundForeignKeys"], json!({"count": 4, "points": 30}));
    assert_eq!(accounts["factors"]["inboundCascades"], json!({"count": 3, "points": 30}));
    assert_eq!(accounts["factors"]["blockingForeignKeys"], json!({"count": 1, "points": 10}));
    assert_eq!(accounts["factors"]["rowEstimate"], json!({"rows": 3, "points": 0}));
    assert!(accounts["reasons"][0].as_str().unwrap().contains("1 of them from the table itself"));
    let reached: Vec<(String, u64, String)> = accounts["blastRadius"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["table"].as_str().unwrap().to_string(), t["depth"].as_u64().unwrap(), t["action"].as_str().unwrap().to_string()))
        .collect();
    // the diamond (deals through accounts and through contacts) counted once, at its nearest
    assert_eq!(
        reached,
        vec![
            ("crm.\"Contact People\"".to_string(), 1, "CASCADE".to_string()),
            ("crm.deals".to_string(), 1, "CASCADE".to_string()),
            ("crm.deal_lines".to_string(), 2, "CASCADE".to_string()),
        ]
    );
    assert_eq!(accounts["blastRadius"]["maxDepth"], json!(2));
    assert_eq!(accounts["blastRadius"]["estimatedRows"], json!(4 + 4 + 4));
    let blockers: Vec<(String, String, u64)> = accounts["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["protects"].as_str().unwrap().to_string(), b["onDelete"].as_str().unwrap().to_string(), b["depth"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        blockers,
        vec![("crm.accounts".to_string(), "RESTRICT".to_string(), 1), ("crm.deal_lines".to_string(), "NO ACTION".to_string(), 3)],
        "the composite NO ACTION FK blocks below the cascade"
    );
    // a cycle of cascades ends
    let teams = json(&mut db, "lens_risk('crm.teams')");
    assert_eq!((teams["score"].clone(), teams["level"].clone()), (json!(35), json!("Medium")));
    assert_eq!(teams["blastRadius"]["tables"].as_array().unwrap().len(), 1);
    // nothing references the ledger
    let ledger = json(&mut db, "lens_risk('\"Billing & Co\".ledger')");
    assert_eq!((ledger["score"].clone(), ledger["level"].clone()), (json!(0), json!("Low")));
    // every table, riskiest first, as rows
    let rows = db.query("SELECT table_key, score, level FROM lens_risks()", &[]).unwrap();
    assert_eq!(rows.len(), 8);
    let scores: Vec<i32> = rows.iter().map(|r| r.get(1)).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "riskiest first: {scores:?}");
    assert_eq!(rows[0].get::<_, String>(0), "crm.accounts");
    let billing = db.query("SELECT table_key FROM lens_risks(ARRAY['Billing & Co'])", &[]).unwrap();
    assert_eq!(billing.len(), 2);
    let (code, _, hint) = error_of(&mut db, "SELECT * FROM lens_risks(ARRAY['nope'])");
    assert_eq!(code, "3F000");
    assert!(hint.is_some());
    let (code, _, _) = error_of(&mut db, "SELECT lens_risk('pg_class')");
    assert_eq!(code, "22023");
}

#[test]
fn explain_counts_live_rows_with_the_callers_privileges() {
    let mut db = fresh_db("lens_explain");
    db.batch_execute(&fixture("relations.sql")).unwrap();
    let e = json(&mut db, "lens_explain('crm.accounts', 'id', '1')");
    let refs = e["references"].as_array().unwrap();
    let by_table = |t: &str| refs.iter().find(|r| r["table"] == json!(t)).unwrap_or_else(|| panic!("no {t} in {e}")).clone();
    let invoice = by_table("\"Billing & Co\".\"Invoice.Head\"");
    assert_eq!(invoice["count"], json!(count(&mut db, "SELECT count(*) FROM \"Billing & Co\".\"Invoice.Head\" WHERE account_id = 1")));
    assert_eq!(invoice["onDelete"], json!("RESTRICT"));
    let contacts = by_table("crm.\"Contact People\"");
    assert_eq!(contacts["count"], json!(count(&mut db, "SELECT count(*) FROM crm.\"Contact People\" WHERE account_id = 1")));
    let set_null = &contacts["below"][0];
    assert_eq!(set_null["onDelete"], json!("SET NULL"));
    assert_eq!(set_null["count"], json!(count(&mut db, "SELECT count(*) FROM crm.deals WHERE contact_id IN (SELECT id FROM crm.\"Contact People\" WHERE account_id = 1)")));
    let deals = by_table("crm.deals");
    assert_eq!(deals["count"], json!(2));
    let lines = &deals["below"][0];
    assert_eq!(lines["table"], json!("crm.deal_lines"));
    assert_eq!(lines["count"], json!(count(&mut db, "SELECT count(*) FROM crm.deal_lines WHERE deal_id IN (SELECT id FROM crm.deals WHERE account_id = 1)")));
    let composite = &lines["below"][0];
    assert_eq!(composite["onDelete"], json!("NO ACTION"));
    assert_eq!(composite["count"], json!(count(&mut db,
        "SELECT count(*) FROM \"Billing & Co\".\"Invoice.Head\" WHERE (deal_id, deal_line) IN (SELECT deal_id, line FROM crm.deal_lines WHERE deal_id IN (SELECT id FROM crm.deals WHERE account_id = 1))")));
    let children = by_table("crm.accounts");
    assert_eq!(children["count"], json!(1), "the self-reference: Acme EU");
    assert_eq!(e["risk"]["level"], json!("Critical"));

    // the example SQL runs as given, and deletes the value
    db.batch_execute("BEGIN").unwrap();
    for statement in e["sql"]["deleteInSafeOrder"].as_array().unwrap() {
        let sql = statement.as_str().unwrap();
        if sql == "BEGIN;" || sql == "COMMIT;" {
            continue;
        }
        db.batch_execute(sql).unwrap_or_else(|err| panic!("{sql}: {}", describe(&err)));
    }
    assert_eq!(count(&mut db, "SELECT count(*) FROM crm.accounts WHERE id = 1"), 0);
    db.batch_execute("ROLLBACK").unwrap();
    for statement in e["sql"]["selectReferencing"].as_array().unwrap() {
        db.query(statement.as_str().unwrap(), &[]).unwrap();
    }

    // a role that cannot read a referencing table is told so, never given the count
    db.batch_execute(
        "DROP ROLE IF EXISTS lens_viewer; CREATE ROLE lens_viewer LOGIN; \
         GRANT USAGE ON SCHEMA crm, \"Billing & Co\" TO lens_viewer; \
         GRANT SELECT ON crm.accounts, crm.deals, crm.deal_lines TO lens_viewer;",
    )
    .unwrap();
    let mut viewer = connect_as("lens_explain", "lens_viewer");
    let limited = json(&mut viewer, "lens_explain('crm.accounts', 'id', '1')");
    let refs = limited["references"].as_array().unwrap();
    let hidden = refs.iter().find(|r| r["table"] == json!("crm.\"Contact People\"")).unwrap();
    assert!(hidden["count"].is_null());
    assert!(hidden["error"].as_str().unwrap().contains("permission denied"), "{hidden}");
    assert!(hidden["below"].as_array().unwrap().is_empty());
    assert_eq!(refs.iter().find(|r| r["table"] == json!("crm.deals")).unwrap()["count"], json!(2));
    drop(viewer);
    db.batch_execute("DROP OWNED BY lens_viewer; DROP ROLE lens_viewer").unwrap();

    // bad input
    let (code, _, hint) = error_of(&mut db, "SELECT lens_explain('crm.accounts', 'nope', '1')");
    assert_eq!(code, "42703");
    assert!(hint.is_some());
    let (code, message, _) = error_of(&mut db, "SELECT lens_explain('crm.accounts', 'id', 'not a number')");
    assert_eq!(code, "22023", "{message}");

    // the caller's statement_timeout bounds it: a second session holds a lock the count
    // must wait for, so the timeout fires whatever the machine's speed
    db.batch_execute("CREATE TABLE crm.events (id bigint, account_id int REFERENCES crm.accounts ON DELETE CASCADE)").unwrap();
    let mut holder = connect("lens_explain");
    holder.batch_execute("BEGIN; LOCK TABLE crm.events IN ACCESS EXCLUSIVE MODE").unwrap();
    db.batch_execute("SET statement_timeout = '200ms'").unwrap();
    let (code, _, _) = error_of(&mut db, "SELECT lens_explain('crm.accounts', 'id', '1')");
    assert_eq!(code, "57014", "canceled by statement_timeout");
    db.batch_execute("RESET statement_timeout").unwrap();
    holder.batch_execute("ROLLBACK").unwrap();
    assert_eq!(count(&mut db, "SELECT 1::bigint"), 1, "the session goes on");
}

fn mermaid_check(text: &str) -> Result<Value, String> {
    let dir = format!("{}/mermaid", env!("CARGO_MANIFEST_DIR"));
    let out = output_with_input(
        Command::new("node").arg("check.mjs").current_dir(&dir),
        text.as_bytes(),
        "node (scripts/setup.sh installs it, scripts/test.sh the parser)",
    );
    if out.status.success() {
        Ok(serde_json::from_slice(&out.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn erd_renders_awkward_names_in_mermaid_and_graphviz() {
    let mut db = fresh_db("lens_erd");
    db.batch_execute(&fixture("awkward.sql")).unwrap();
    db.batch_execute(&fixture("relations.sql")).unwrap();
    let tables = count(&mut db, "SELECT count(*) FROM jsonb_object_keys(lens_snapshot()->'tables')");
    let fks = count(&mut db, "SELECT count(*) FROM jsonb_object_keys(lens_snapshot()->'relationships')");
    let mermaid = text(&mut db, "SELECT lens_erd()");
    let parsed = mermaid_check(&mermaid).unwrap_or_else(|e| panic!("Mermaid's parser refused the diagram: {e}\n{mermaid}"));
    assert_eq!(parsed["entities"].as_array().unwrap().len() as i64, tables, "one entity per table");
    assert_eq!(parsed["relationships"].as_i64().unwrap(), fks, "one edge per FK");
    let labels: Vec<&str> = parsed["entities"].as_array().unwrap().iter().filter_map(|l| l.as_str()).collect();
    assert!(labels.contains(&"Audit.Log.user"), "{labels:?}");
    assert!(labels.contains(&"Billing & Co.Invoice.Head"), "{labels:?}");
    assert!(labels.iter().any(|l| l.contains("Ünï") || l.contains('ü') || !l.is_ascii()), "non-ASCII names kept: {labels:?}");

    let dot = text(&mut db, "SELECT lens_erd(format => 'dot')");
    let out = output_with_input(Command::new("dot").arg("-Tsvg"), dot.as_bytes(), "graphviz");
    assert!(out.status.success() && out.stderr.is_empty(), "dot -Tsvg: {}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(svg.contains("Billing &amp; Co.Invoice.Head"), "names reach the picture");
    assert_eq!(svg.matches("class=\"node\"").count() as i64, tables);
    assert_eq!(svg.matches("class=\"edge\"").count() as i64, fks);

    // the neighbourhood of one table
    let focused = text(&mut db, "SELECT lens_erd(format => 'mermaid', focus => 'crm.deals', depth => 1)");
    let parsed = mermaid_check(&focused).unwrap();
    let mut labels: Vec<String> = parsed["entities"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect();
    labels.sort();
    assert_eq!(labels, vec!["crm.Contact People", "crm.accounts", "crm.deal_lines", "crm.deals"]);
    let (code, _, hint) = error_of(&mut db, "SELECT lens_erd(format => 'png')");
    assert_eq!(code, "22023");
    assert!(hint.unwrap().contains("mermaid"));
}

#[test]
fn explain_plans_a_delete_through_blockers_at_any_depth() {
    // issue 10, item 9: the plan stopped below the first NO ACTION reference
    let mut db = fresh_db("lens_explain_depth");
    db.batch_execute(
        "CREATE TABLE a (id int PRIMARY KEY);
         CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);
         CREATE TABLE c (id int PRIMARY KEY, b_id int REFERENCES b);
         CREATE TABLE d (id int PRIMARY KEY, c_id int REFERENCES c ON DELETE CASCADE);
         CREATE TABLE e (id int PRIMARY KEY, d_id int REFERENCES d ON DELETE RESTRICT);
         -- a hierarchy: people below people
         CREATE TABLE people (id int PRIMARY KEY, a_id int REFERENCES a, boss int REFERENCES people);
         INSERT INTO a VALUES (1), (2);
         INSERT INTO b VALUES (10, 1), (11, 2);
         INSERT INTO c VALUES (100, 10), (101, 11);
         INSERT INTO d VALUES (1000, 100);
         INSERT INTO e VALUES (10000, 1000);
         INSERT INTO people VALUES (1, 1, NULL), (2, NULL, 1), (3, NULL, 2), (4, NULL, 3)",
    )
    .unwrap();
    let e = json(&mut db, "lens_explain('a', 'id', '1')");
    let plan = e["sql"]["deleteInSafeOrder"].as_array().unwrap_or_else(|| panic!("a plan: {e}"));
    db.batch_execute("BEGIN").unwrap();
    for statement in plan.iter().map(|s| s.as_str().unwrap()).filter(|s| !matches!(*s, "BEGIN;" | "COMMIT;")) {
        db.batch_execute(statement).unwrap_or_else(|err| panic!("{statement}: {}\n{e}", describe(&err)));
    }
    assert_eq!(count(&mut db, "SELECT count(*) FROM a WHERE id = 1"), 0, "the value is gone");
    assert_eq!(count(&mut db, "SELECT count(*) FROM a"), 1, "and nothing else of a");
    assert_eq!(count(&mut db, "SELECT count(*) FROM c"), 1, "c's row of the other value stays");
    assert_eq!(count(&mut db, "SELECT count(*) FROM people"), 0, "the whole chain of bosses went first");
    db.batch_execute("ROLLBACK").unwrap();

    // a chain longer than the walk goes: no plan, and why
    db.batch_execute("INSERT INTO people SELECT g, NULL, g - 1 FROM generate_series(5, 20) g").unwrap();
    let e = json(&mut db, "lens_explain('a', 'id', '1')");
    assert!(e["sql"]["deleteInSafeOrder"].is_null(), "{e}");
    assert!(e["sql"]["deleteNotPlanned"].as_str().unwrap().contains("people"), "{e}");
}

#[test]
fn explain_reads_the_value_as_the_column_type_without_its_typmod() {
    // issue 10, item 10: a cast with the column's typmod changed the value
    let mut db = fresh_db("lens_explain_typmod");
    db.batch_execute(
        "CREATE TABLE codes (code varchar(3) PRIMARY KEY);
         CREATE TABLE uses (code varchar(3) REFERENCES codes);
         CREATE TABLE prices (p numeric(5,1) PRIMARY KEY);
         CREATE TABLE orders (p numeric(5,1) REFERENCES prices);
         CREATE TABLE flags (f \"char\" PRIMARY KEY);
         CREATE TABLE flagged (f \"char\" REFERENCES flags);
         INSERT INTO codes VALUES ('abc'); INSERT INTO uses VALUES ('abc');
         INSERT INTO prices VALUES (1.0); INSERT INTO orders VALUES (1.0);
         INSERT INTO flags VALUES ('x'); INSERT INTO flagged VALUES ('x'), ('x')",
    )
    .unwrap();
    let cases = [
        ("codes", "code", "abcdef", 0),
        ("codes", "code", "abc", 1),
        ("prices", "p", "0.96", 0),
        ("prices", "p", "1.0", 1),
        ("flags", "f", "x", 2),
    ];
    for (table, column, value, expected) in cases {
        let e = json(&mut db, &format!("lens_explain('{table}', '{column}', '{value}')"));
        assert_eq!(e["references"][0]["count"], json!(expected), "{table}.{column} = {value}: {e}");
        let plan = e["sql"]["deleteInSafeOrder"].as_array().unwrap();
        let last_delete = plan[plan.len() - 2].as_str().unwrap();
        db.batch_execute("BEGIN").unwrap();
        let deleted = db.execute(last_delete.trim_end_matches(';'), &[]).err();
        db.batch_execute("ROLLBACK").unwrap();
        // the value's own delete targets that value: blocked exactly when rows reference it
        assert_eq!(deleted.is_some(), expected > 0, "{last_delete}");
    }
}

#[test]
fn explain_refuses_what_nobody_deletes_from_through_it() {
    // issue 10, item 11
    let mut db = fresh_db("lens_explain_refuses");
    db.batch_execute(
        "CREATE TABLE t (id int PRIMARY KEY);
         CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;
         CREATE VIEW joined AS SELECT t.id FROM t, t AS u;
         CREATE VIEW simple AS SELECT id FROM t;
         CREATE SEQUENCE s",
    )
    .unwrap();
    for target in ["pg_class", "information_schema.tables", "t_pkey", "mv", "joined", "s", "lens_drift"] {
        let (code, message, hint) = error_of(&mut db, &format!("SELECT lens_explain('{target}', 'id', '1')"));
        assert_eq!(code, "22023", "{target}: {message}");
        assert!(hint.is_some(), "{target}");
    }
    // a view that takes DELETE is explained
    let e = json(&mut db, "lens_explain('simple', 'id', '1')");
    assert_eq!(e["sql"]["deleteInSafeOrder"][1], json!("DELETE FROM public.simple WHERE id = '1'::integer;"));
}

#[test]
fn one_tables_risk_reads_only_what_a_delete_reaches_and_says_the_same() {
    // lens_risk reads the table's FK descendants only; lens_risks reads the whole graph
    for (db_name, fixture_name) in [("lens_risk_one_awkward", "awkward.sql"), ("lens_risk_one_relations", "relations.sql")] {
        let mut db = fresh_db(db_name);
        db.batch_execute(&fixture(fixture_name)).unwrap();
        let rows = db
            .query(
                "SELECT table_key, jsonb_build_object('table', table_key, 'score', score, 'level', level, 'reasons', reasons,
                        'factors', factors, 'blastRadius', blast_radius, 'blockers', blockers)::text FROM lens_risks()",
                &[],
            )
            .unwrap();
        assert!(rows.len() > 3, "{fixture_name}");
        for row in rows {
            let (key, whole): (String, String) = (row.get(0), row.get(1));
            let one = json(&mut db, &format!("lens_risk('{}'::regclass)", key.replace('\'', "''")));
            let whole: Value = serde_json::from_str(&whole).unwrap();
            for field in ["table", "score", "level", "reasons", "factors", "blastRadius", "blockers"] {
                assert!(!one[field].is_null(), "{fixture_name}: {key}: lens_risk has {field}");
                assert_eq!(one[field], whole[field], "{fixture_name}: {key}: {field}");
            }
        }
    }
}
