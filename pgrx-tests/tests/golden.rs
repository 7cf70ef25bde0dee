//! Golden files for the deterministic outputs: `lens_ddl_script`, `lens_ddl`, `lens_erd`
//! (Mermaid and DOT), `lens_docs` and `lens_checks` of fixed schemas, compared byte for byte
//! with `pgrx-tests/golden/`, so that a change of output is a reviewed diff.
//! `LENS_UPDATE_GOLDEN=1` writes the files instead (then read `git diff`).
//!
//! The files were written on PostgreSQL 15. Where a later major prints a definition its own
//! way, `golden/pgN/` holds that output for N and the majors after it (the newest such folder
//! not above the server's major wins; for the majors before 15, `pgN/` holds it for N and
//! those before); updating on a major other than 15 writes there only what differs from the
//! file the major would otherwise be held to.

use pg_lens_e2e::*;

/// `meta.sectionSignatures` of the live schema, a line per section.
fn section_signatures(db: &mut postgres::Client) -> String {
    let snapshot = json(db, "lens_snapshot()");
    let mut out = String::new();
    for (section, signature) in snapshot["meta"]["sectionSignatures"].as_object().unwrap() {
        out.push_str(&format!("{section} {}\n", signature.as_str().unwrap_or("?")));
    }
    out
}

fn rows(db: &mut postgres::Client, sql: &str) -> String {
    let mut out = String::new();
    for row in db.query(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {}", describe(&e))) {
        let cells: Vec<String> = (0..row.len()).map(|i| row.get::<_, Option<String>>(i).unwrap_or_else(|| "NULL".into())).collect();
        out.push_str(&cells.join(" | "));
        out.push('\n');
    }
    out
}

#[test]
fn outputs_match_their_golden_files() {
    let mut db = fresh_db("lens_golden");
    db.batch_execute(&fixture("realistic.sql")).unwrap();
    let mut awkward = fresh_db("lens_golden_awkward");
    awkward.batch_execute(&fixture("awkward.sql")).unwrap();
    let outputs = [
        ("realistic.ddl_script.sql", text(&mut db, "SELECT lens_ddl_script()")),
        ("realistic.orders.ddl.sql", text(&mut db, "SELECT lens_ddl('shop.orders')")),
        ("realistic.erd.mmd", text(&mut db, "SELECT lens_erd()")),
        ("realistic.erd.dot", text(&mut db, "SELECT lens_erd(NULL, 'dot')")),
        ("realistic.erd.focus_orders_1.mmd", text(&mut db, "SELECT lens_erd(NULL, 'mermaid', 'shop.orders', 1)")),
        ("realistic.erd.focus_customers_2.dot", text(&mut db, "SELECT lens_erd(NULL, 'dot', 'shop.customers', 2)")),
        ("realistic.checks.txt", rows(&mut db, "SELECT rule, severity, object_key, message, remediation FROM lens_checks() ORDER BY 1, 3")),
        (
            "realistic.docs.txt",
            rows(&mut db, "SELECT '==> ' || path || E' <==\\n' || content FROM lens_docs() ORDER BY path COLLATE \"C\""),
        ),
        // the signature of each section: the same DDL signs the same on every major but for
        // what a major prints its own way (README, "PostgreSQL majors")
        ("realistic.section_signatures.txt", section_signatures(&mut db)),
        ("awkward.section_signatures.txt", section_signatures(&mut awkward)),
        ("awkward.ddl_script.sql", text(&mut awkward, "SELECT lens_ddl_script()")),
        ("awkward.erd.mmd", text(&mut awkward, "SELECT lens_erd()")),
    ];
    let differences: Vec<String> = outputs.iter().filter_map(|(name, actual)| golden(name, actual)).collect();
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
}
