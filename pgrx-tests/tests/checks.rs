//! lens_checks: for each rule, a schema that triggers it and one that does not, and the
//! remediation, run as given, makes the finding go away.

use pg_lens_e2e::*;

struct Case {
    rule: &'static str,
    /// a schema (named after the rule) that triggers the rule once
    bad: &'static str,
    /// the same, done right
    good: &'static str,
}

const CASES: &[Case] = &[
    Case {
        rule: "fk_without_index",
        bad: "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p);",
        good: "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p); CREATE INDEX ON c (p_id);",
    },
    Case { rule: "table_without_primary_key", bad: "CREATE TABLE \"No Key\" (id int, v text);", good: "CREATE TABLE \"No Key\" (id int PRIMARY KEY, v text);" },
    Case {
        rule: "duplicate_index",
        bad: "CREATE TABLE t (id int PRIMARY KEY, a int); CREATE INDEX t_a1 ON t (a); CREATE INDEX \"t a2\" ON t (a);",
        good: "CREATE TABLE t (id int PRIMARY KEY, a int); CREATE INDEX t_a1 ON t (a); CREATE INDEX \"t a2\" ON t (a) WHERE a > 0;",
    },
    Case {
        rule: "redundant_index",
        bad: "CREATE TABLE t (id int PRIMARY KEY, a int, b int); CREATE INDEX t_a ON t (a); CREATE INDEX t_ab ON t (a, b);",
        good: "CREATE TABLE t (id int PRIMARY KEY, a int, b int); CREATE INDEX t_b ON t (b); CREATE INDEX t_ab ON t (a, b);",
    },
    Case {
        rule: "fk_type_mismatch",
        bad: "CREATE TABLE p (id bigint PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY, \"P id\" int REFERENCES p); CREATE INDEX ON c (\"P id\");",
        good: "CREATE TABLE p (id bigint PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY, \"P id\" bigint REFERENCES p); CREATE INDEX ON c (\"P id\");",
    },
    Case {
        rule: "nullable_unique_key",
        bad: "CREATE TABLE u (id int PRIMARY KEY, code text UNIQUE); CREATE TABLE r (id int PRIMARY KEY, code text REFERENCES u (code)); CREATE INDEX ON r (code);",
        good: "CREATE TABLE u (id int PRIMARY KEY, code text NOT NULL UNIQUE); CREATE TABLE r (id int PRIMARY KEY, code text REFERENCES u (code)); CREATE INDEX ON r (code);",
    },
    Case {
        rule: "sequence_near_exhaustion",
        bad: "CREATE SEQUENCE \"Order No\" AS smallint; SELECT setval('\"Order No\"', 32000);",
        good: "CREATE SEQUENCE \"Order No\" AS smallint; SELECT setval('\"Order No\"', 100);",
    },
    Case { rule: "unlogged_table", bad: "CREATE UNLOGGED TABLE cache (id int PRIMARY KEY);", good: "CREATE TABLE cache (id int PRIMARY KEY);" },
    Case {
        rule: "rls_without_policy",
        bad: "CREATE TABLE secret (id int PRIMARY KEY); ALTER TABLE secret ENABLE ROW LEVEL SECURITY;",
        good: "CREATE TABLE secret (id int PRIMARY KEY); ALTER TABLE secret ENABLE ROW LEVEL SECURITY; CREATE POLICY mine ON secret USING (true);",
    },
];

fn findings(db: &mut postgres::Client, schema: &str) -> Vec<(String, String, String, String)> {
    db.query("SELECT rule, severity, object_key, remediation FROM lens_checks(ARRAY[$1])", &[&schema])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}

#[test]
fn each_check_triggers_and_its_remediation_clears_it() {
    let mut db = fresh_db("lens_checks");
    for case in CASES {
        for (variant, sql) in [("bad", case.bad), ("good", case.good)] {
            let schema = format!("{}_{variant}", case.rule);
            db.batch_execute(&format!("CREATE SCHEMA {schema}; SET search_path = {schema}, public; {sql} RESET search_path;")).unwrap();
            let found = findings(&mut db, &schema);
            if variant == "good" {
                assert!(found.is_empty(), "{}: the good schema has findings: {found:?}", case.rule);
                continue;
            }
            let of_rule: Vec<_> = found.iter().filter(|f| f.0 == case.rule).collect();
            assert_eq!(of_rule.len(), 1, "{}: one finding expected, got {found:?}", case.rule);
            assert_eq!(found.len(), 1, "{}: only its own finding: {found:?}", case.rule);
            let remediation = &of_rule[0].3;
            db.batch_execute(remediation).unwrap_or_else(|e| panic!("{}: remediation {remediation} fails: {}", case.rule, describe(&e)));
            let after = findings(&mut db, &schema);
            assert!(after.is_empty(), "{}: still there after {remediation}: {after:?}", case.rule);
        }
    }
}

#[test]
fn an_invalid_index_is_an_error_and_reindex_clears_it() {
    let mut db = fresh_db("lens_checks_invalid");
    db.batch_execute("CREATE SCHEMA inv; CREATE TABLE inv.t (id int PRIMARY KEY, code text); INSERT INTO inv.t VALUES (1, 'x'), (2, 'x');").unwrap();
    assert!(db.batch_execute("CREATE UNIQUE INDEX CONCURRENTLY t_code ON inv.t (code)").is_err(), "duplicates make it fail");
    let found = findings(&mut db, "inv");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1.as_str(), found[0].2.as_str()), ("invalid_index", "error", "inv.t.t_code"));
    db.batch_execute("DELETE FROM inv.t WHERE id = 2").unwrap();
    db.batch_execute(&found[0].3).unwrap();
    assert!(findings(&mut db, "inv").is_empty());
}

#[test]
fn every_remediation_of_one_call_runs_in_the_order_given_and_clears_everything() {
    // issue 10, item 14: two rules gave the same DROP INDEX, so running all of them failed
    let schemas: &[(&str, &str)] = &[
        ("lint_dup_and_prefix", "CREATE TABLE t (a int, b int, id int PRIMARY KEY); CREATE INDEX i1 ON t (a); CREATE INDEX i2 ON t (a); CREATE INDEX i3 ON t (a, b);"),
        ("lint_prefix_first", "CREATE TABLE t (a int, b int, id int PRIMARY KEY); CREATE INDEX i0 ON t (a, b); CREATE INDEX i1 ON t (a); CREATE INDEX i2 ON t (a);"),
        ("lint_three_alike", "CREATE TABLE t (a int, id int PRIMARY KEY); CREATE INDEX x1 ON t (a); CREATE INDEX x2 ON t (a); CREATE INDEX x3 ON t (a);"),
        ("lint_chain", "CREATE TABLE t (a int, b int, c int, id int PRIMARY KEY); CREATE INDEX i1 ON t (a); CREATE INDEX i2 ON t (a, b); CREATE INDEX i3 ON t (a, b, c);"),
        ("lint_mixed", "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p); CREATE INDEX c1 ON c (p_id); CREATE INDEX c2 ON c (p_id); CREATE UNLOGGED TABLE u (id int PRIMARY KEY);"),
    ];
    let mut db = fresh_db("lens_checks_all");
    for (schema, sql) in schemas {
        db.batch_execute(&format!("CREATE SCHEMA {schema}; SET search_path = {schema}, public; {sql} RESET search_path;")).unwrap();
        let found = findings(&mut db, schema);
        assert!(found.len() >= 2, "{schema}: {found:?}");
        let script: String = found.iter().map(|f| format!("{}\n", f.3)).collect();
        db.batch_execute(&format!("BEGIN; {script} COMMIT;"))
            .unwrap_or_else(|e| panic!("{schema}: the remediations do not run in order: {}\n{script}", describe(&e)));
        let after = findings(&mut db, schema);
        assert!(after.is_empty(), "{schema}: left after running every remediation: {after:?}\n{script}");
    }
}
