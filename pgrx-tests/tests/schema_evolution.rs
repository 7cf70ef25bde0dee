//! A database that evolved through migrations has the picture of one built fresh from the
//! same final DDL: inheritance is part of it, positions count live columns, a reorder is one
//! change per table, and snapshots of the previous format read without false moves.

use pg_lens_e2e::*;
use serde_json::{json, Value};

fn signature(db: &mut postgres::Client) -> String {
    text(db, "SELECT lens_signature()")
}

fn last_diff(db: &mut postgres::Client) -> Value {
    json(db, "(SELECT diff FROM lens_drift ORDER BY id DESC LIMIT 1)")
}

#[test]
fn inheritance_is_in_the_snapshot_the_signature_history_and_the_ddl() {
    // issue 10, item 4
    let mut db = fresh_db("lens_evolve_inherit");
    db.batch_execute(
        "CREATE SCHEMA \"Base\"; CREATE TABLE \"Base\".\"Item\" (id int NOT NULL, created date CHECK (created > '2000-01-01'));
         CREATE TABLE note (body text)",
    )
    .unwrap();
    let before = signature(&mut db);
    db.batch_execute("CREATE TABLE book (isbn text) INHERITS (\"Base\".\"Item\")").unwrap();
    let snap = json(&mut db, "lens_snapshot()");
    assert_eq!(snap["tables"]["public.book"]["inherits"], json!(["\"Base\".\"Item\""]));
    let with_child = signature(&mut db);
    assert_ne!(before, with_child);
    // ALTER TABLE ... INHERIT is a change of the child, captured as one
    db.batch_execute(
        "ALTER TABLE note ADD COLUMN id int NOT NULL, ADD COLUMN created date,
           ADD CONSTRAINT \"Item_created_check\" CHECK (created > '2000-01-01')",
    )
    .unwrap();
    db.batch_execute("ALTER TABLE note INHERIT \"Base\".\"Item\"").unwrap();
    let diff = last_diff(&mut db);
    assert_eq!(diff["changed"], json!(true), "{diff}");
    assert_eq!(diff["tables"]["changed"][0]["changes"]["inherits"], json!({"before": null, "after": ["\"Base\".\"Item\""]}), "{diff}");
    db.batch_execute("ALTER TABLE note NO INHERIT \"Base\".\"Item\"").unwrap();
    assert_eq!(last_diff(&mut db)["tables"]["changed"][0]["key"], json!("public.note"));
    // a parent renamed: the children's entries follow
    db.batch_execute("ALTER TABLE \"Base\".\"Item\" RENAME TO \"Thing\"").unwrap();
    assert_eq!(json(&mut db, "lens_snapshot()")["tables"]["public.book"]["inherits"], json!(["\"Base\".\"Thing\""]));
    assert_eq!(signature(&mut db), text(&mut db, "SELECT lens_signature(lens_snapshot_at((SELECT max(id) FROM lens_drift)))"));
    let ddl = text(&mut db, "SELECT lens_ddl('book')");
    assert!(ddl.contains(") INHERITS (\"Base\".\"Thing\");"), "{ddl}");
    // and the script rebuilds it: parents first, inherited constraints not repeated
    let script = text(&mut db, "SELECT lens_ddl_script()");
    let mut copy = fresh_db("lens_evolve_inherit_copy");
    copy.batch_execute(&script).unwrap_or_else(|e| panic!("{}\n{script}", describe(&e)));
    assert_eq!(signature(&mut copy), signature(&mut db));
}

#[test]
fn a_schema_that_lost_columns_signs_as_one_built_without_them() {
    // issue 10, item 5
    let cases = [
        ("CREATE TABLE x (a int, b int, c int); ALTER TABLE x DROP COLUMN b;", "CREATE TABLE x (a int, c int);"),
        (
            "CREATE TABLE y (id int PRIMARY KEY, old text, v text); ALTER TABLE y DROP COLUMN old; ALTER TABLE y ADD COLUMN w int;",
            "CREATE TABLE y (id int PRIMARY KEY, v text, w int);",
        ),
        (
            "CREATE TABLE z (a int, b int, c int); ALTER TABLE z DROP COLUMN a; ALTER TABLE z DROP COLUMN b; CREATE INDEX z_c ON z (c);",
            "CREATE TABLE z (c int); CREATE INDEX z_c ON z (c);",
        ),
    ];
    for (n, (evolved, fresh)) in cases.iter().enumerate() {
        let mut a = fresh_db(&format!("lens_evolve_cols_a{n}"));
        let mut b = fresh_db(&format!("lens_evolve_cols_b{n}"));
        a.batch_execute(evolved).unwrap();
        b.batch_execute(fresh).unwrap();
        assert_eq!(signature(&mut a), signature(&mut b), "{evolved} / {fresh}");
        let diff = json(&mut a, &format!("lens_diff(lens_snapshot(), {})", lit(&json(&mut b, "lens_snapshot()"))));
        assert_eq!(diff["changed"], json!(false), "{diff}");
        // and history replays the positions exactly, forward and back
        let replayed = text(&mut a, "SELECT lens_signature(lens_snapshot_at((SELECT max(id) FROM lens_drift)))");
        assert_eq!(replayed, signature(&mut a), "{evolved}");
        let first = text(&mut a, "SELECT lens_signature(lens_snapshot_at((SELECT min(id) FROM lens_drift WHERE 'CREATE TABLE' = ANY(command_tags))))");
        let first_after = text(&mut a, "SELECT signature_after FROM lens_drift WHERE 'CREATE TABLE' = ANY(command_tags) ORDER BY id LIMIT 1");
        assert_eq!(first, first_after, "{evolved}: walked back to the CREATE");
    }
}

#[test]
fn a_column_inserted_mid_table_is_one_addition_and_a_reorder_one_change() {
    // issue 10, item 7
    let mut a = fresh_db("lens_evolve_order_a");
    a.batch_execute("CREATE TABLE t (a int, c int, d int, e int, f int)").unwrap();
    let old = json(&mut a, "lens_snapshot()");
    let mut b = fresh_db("lens_evolve_order_b");
    b.batch_execute("CREATE TABLE t (a int, b int, c int, d int, e int, f int)").unwrap();
    let diff = json(&mut b, &format!("lens_diff({}, lens_snapshot())", lit(&old)));
    assert_eq!(diff["summary"], json!({"added": 1, "removed": 0, "renamed": 0, "changed": 0}), "{diff}");
    assert!(diff["columns"].get("changed").is_none(), "no column shifted: {diff}");
    // the same columns in another order: one change, for the table
    let mut c = fresh_db("lens_evolve_order_c");
    c.batch_execute("CREATE TABLE t (a int, d int, c int, e int, f int)").unwrap();
    let diff = json(&mut c, &format!("lens_diff({}, lens_snapshot())", lit(&old)));
    assert_eq!(diff["summary"], json!({"added": 0, "removed": 0, "renamed": 0, "changed": 1}), "{diff}");
    assert_eq!(diff["columns"]["reordered"], json!([{"table": "public.t", "before": ["a", "c", "d", "e", "f"], "after": ["a", "d", "c", "e", "f"]}]));
    // the other way round, the same single change
    let back = json(&mut c, &format!("lens_diff(lens_snapshot(), {})", lit(&old)));
    assert_eq!(back["columns"]["reordered"][0]["after"], json!(["a", "c", "d", "e", "f"]), "{back}");
}

/// What formatVersion 3 added, as it says itself: new sections, and new fields of the
/// sections that were there.
const ADDED_IN_3_SECTIONS: &[&str] = &["functions", "schemas", "extensions", "defaultPrivileges"];
const ADDED_IN_3_FIELDS: &[&str] =
    &["owner", "privileges", "options", "tablespace", "accessMethod", "replicaIdentity", "storage", "compression", "statisticsTarget", "isReplicaIdentity"];

/// The live snapshot of `public` on formatVersion 2's terms.
fn live_as_format_2(db: &mut postgres::Client) -> String {
    let mut live = json(db, "lens_snapshot(ARRAY['public'])");
    let object = live.as_object_mut().unwrap();
    for section in ADDED_IN_3_SECTIONS {
        object.remove(*section);
    }
    for (name, section) in object.iter_mut().filter(|(k, _)| *k != "meta") {
        let sections: Vec<&mut serde_json::Value> =
            if name == "constraints" { section.as_object_mut().unwrap().values_mut().collect() } else { vec![section] };
        for entries in sections {
            for entry in entries.as_object_mut().unwrap().values_mut() {
                for field in ADDED_IN_3_FIELDS {
                    entry.as_object_mut().unwrap().remove(*field);
                }
            }
        }
    }
    live["meta"]["formatVersion"] = json!(2);
    lit(&live)
}

/// A snapshot kept from an older pg_lens, checked against the live schema it was taken of.
/// The fixtures were taken on PostgreSQL 15; a view's body is the text the server prints,
/// and 16 and later print it their own way (README, "PostgreSQL majors"): on those the old
/// snapshot gets today's bodies, the one difference that is the server's, not the format's.
fn an_old_snapshot_is_read_on_its_own_terms(db: &mut postgres::Client, old: &str, changed_table: &str) {
    let mut old_value: serde_json::Value = serde_json::from_str(old).unwrap();
    if server_major() != 15 {
        let live = json(db, "lens_snapshot(ARRAY['public'])");
        for (key, view) in old_value["views"].as_object_mut().unwrap() {
            view["definition"] = live["views"][key]["definition"].clone();
        }
    }
    let old = old_value.to_string();
    let old_literal = format!("'{}'::jsonb", old.replace('\'', "''"));
    let drift = json(db, &format!("lens_check_drift({old_literal})"));
    assert_eq!(drift["changed"], json!(false), "what the old format could not see is no drift: {drift}");
    let diff = json(db, &format!("lens_diff({old_literal}, lens_snapshot(ARRAY['public']))"));
    assert_eq!(diff["changed"], json!(false), "{diff}");
    let back = json(db, &format!("lens_diff(lens_snapshot(ARRAY['public']), {old_literal})"));
    assert_eq!(back["changed"], json!(false), "{back}");
    // the same schema read on the old format's terms signs the same
    let reduced = live_as_format_2(db);
    assert_eq!(text(db, &format!("SELECT lens_signature({old_literal})")), text(db, &format!("SELECT lens_signature({reduced})")));
    // a real change still shows, once
    db.batch_execute(&format!("ALTER TABLE {changed_table} ADD COLUMN e2 int")).unwrap();
    let drift = json(db, &format!("lens_check_drift({old_literal})"));
    assert_eq!(drift["summary"], json!({"added": 1, "removed": 0, "renamed": 0, "changed": 0}), "{drift}");
}

#[test]
fn a_snapshot_of_format_1_reads_without_false_moves() {
    let mut db = fresh_db("lens_evolve_format1");
    db.batch_execute(&fixture("format1_schema.sql")).unwrap();
    an_old_snapshot_is_read_on_its_own_terms(&mut db, &fixture("format1_snapshot.json"), "shop");
}

#[test]
fn a_snapshot_of_the_previous_format_reads_on_its_own_terms() {
    // format2_snapshot.json was written by the pg_lens before formatVersion 3, of a schema
    // with a function, a grant and table options it could not see
    let old = fixture("format2_snapshot.json");
    let parsed: serde_json::Value = serde_json::from_str(&old).unwrap();
    assert_eq!(parsed["meta"]["formatVersion"], json!(2));
    let mut db = fresh_db("lens_evolve_format2");
    db.batch_execute(&fixture("format2_schema.sql")).unwrap();
    // it signs as it did when it was written: the canonical form of what it holds is unchanged
    let old_literal = format!("'{}'::jsonb", old.replace('\'', "''"));
    assert_eq!(text(&mut db, &format!("SELECT lens_signature({old_literal})")), parsed["meta"]["signature"].as_str().unwrap());
    // today's snapshot sees what it could not
    let live = json(&mut db, "lens_snapshot(ARRAY['public'])");
    assert!(live["functions"].get("public.shop_count()").is_some());
    assert_eq!(live["tables"]["public.item"]["options"], json!(["fillfactor=90"]));
    an_old_snapshot_is_read_on_its_own_terms(&mut db, &old, "item");
}

#[test]
fn renames_across_databases_are_paired_only_on_strong_evidence() {
    // issue 10, item 8: between two databases (no oids in common) a rename is a guess
    struct Pair {
        old: &'static str,
        new: &'static str,
        renamed: &'static [&'static str],
        evidence: Option<&'static str>,
    }
    let pairs = [
        // a view redefined: its columns follow the query, never "renamed"
        Pair { old: "CREATE TABLE t (product_no int); CREATE VIEW v AS SELECT product_no FROM t",
               new: "CREATE TABLE t (product_no int); CREATE VIEW v AS SELECT product_no AS a FROM t", renamed: &[], evidence: None },
        // a table dropped and another created: their sequences and keys were made anew
        Pair { old: "CREATE TABLE t (id int PRIMARY KEY, d serial)", new: "CREATE TABLE t2 (id int PRIMARY KEY, d serial)", renamed: &[], evidence: None },
        // a trigger dropped and another created
        Pair { old: "CREATE TABLE t (a int); CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; CREATE TRIGGER one BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
               new: "CREATE TABLE t (a int); CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; CREATE TRIGGER two BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
               renamed: &[], evidence: None },
        // a table renamed: everything of it came along under its old names
        Pair { old: "CREATE TABLE t (id int PRIMARY KEY, v text); CREATE INDEX t_v ON t (v)",
               new: "CREATE TABLE t (id int PRIMARY KEY, v text); CREATE INDEX t_v ON t (v); ALTER TABLE t RENAME TO t2",
               renamed: &["tables public.t => public.t2", "columns public.t.id => public.t2.id", "columns public.t.v => public.t2.v",
                          "constraints.pks public.t:t_pkey => public.t2:t_pkey", "indexes public.t.t_pkey => public.t2.t_pkey", "indexes public.t.t_v => public.t2.t_v"],
               evidence: Some("the same columns") },
        // a column of a table renamed: same table, position and definition
        Pair { old: "CREATE TABLE t (a int, b text)", new: "CREATE TABLE t (z int, b text)", renamed: &["columns public.t.a => public.t.z"],
               evidence: Some("the same table, position") },
    ];
    for (n, p) in pairs.iter().enumerate() {
        let mut old = fresh_db(&format!("lens_rename_old{n}"));
        old.batch_execute(p.old).unwrap();
        let before = json(&mut old, "lens_snapshot()");
        let mut new = fresh_db(&format!("lens_rename_new{n}"));
        new.batch_execute(p.new).unwrap();
        let diff = json(&mut new, &format!("lens_diff({}, lens_snapshot())", lit(&before)));
        let mut renamed = Vec::new();
        let mut evidence = Vec::new();
        for path in ["tables", "columns", "constraints.pks", "indexes", "triggers", "sequences", "relationships"] {
            let mut at = &diff;
            for part in path.split('.') {
                at = &at[part];
            }
            for r in at["renamed"].as_array().into_iter().flatten() {
                assert_eq!(r["exact"], json!(false), "across databases a rename is never exact: {r}");
                renamed.push(format!("{path} {} => {}", r["from"].as_str().unwrap(), r["to"].as_str().unwrap()));
                evidence.push(r["evidence"].as_str().unwrap().to_string());
            }
        }
        renamed.sort();
        let mut expected: Vec<String> = p.renamed.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(renamed, expected, "{}\n{diff}", p.new);
        if let Some(says) = p.evidence {
            assert!(evidence.iter().any(|e| e.contains(says)), "{evidence:?}");
        }
    }
}
