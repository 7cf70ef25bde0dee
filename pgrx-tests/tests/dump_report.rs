//! The dump workflow end to end: scripts/dump_report.sh on dumps this test makes with
//! pg_dump (custom format and plain SQL).

use pg_lens_e2e::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A program run against the test server, with the server's own client programs (pg_dump,
/// pg_restore, psql of its major) first on the PATH.
fn tool(name: &str) -> Command {
    let i = installation();
    let mut c = Command::new(name);
    c.env("PGHOST", host()).env("PGPORT", port().to_string()).env("PGUSER", "postgres");
    c.env("PATH", format!("{}:{}", i.bindir, std::env::var("PATH").unwrap_or_default())).env("LD_LIBRARY_PATH", &i.libdir);
    c
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_dump_becomes_a_report_and_two_dumps_a_diff() {
    let mut db = fresh_db("lens_dump_report");
    db.batch_execute(&fixture("relations.sql")).unwrap();
    let dir: PathBuf = std::env::temp_dir().join(format!("lens_dump_report_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let custom = dir.join("before.dump");
    assert!(tool("pg_dump").args(["-Fc", "-f"]).arg(&custom).arg("lens_dump_report").status().unwrap().success());
    db.batch_execute("ALTER TABLE crm.deals ADD COLUMN closed_at timestamptz; DROP TABLE \"Billing & Co\".ledger").unwrap();
    let plain = dir.join("after.sql");
    assert!(tool("pg_dump").arg("-f").arg(&plain).arg("lens_dump_report").status().unwrap().success());

    let script = format!("{}/../scripts/dump_report.sh", env!("CARGO_MANIFEST_DIR"));
    let out = dir.join("report");
    let run = tool("bash").arg(&script).arg(&custom).arg(&plain).arg("--out").arg(&out).output().unwrap();
    assert!(run.status.success(), "dump_report.sh: {}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));

    let snapshot = read_json(&out.join("snapshot.json"));
    assert!(snapshot["tables"].get("\"Billing & Co\".\"Invoice.Head\"").is_some());
    assert_eq!(snapshot["meta"]["signature"].as_str().unwrap().len(), 64);
    let risks = read_json(&out.join("risks.json"));
    assert_eq!(risks[0]["table_key"], "crm.accounts", "riskiest first");
    assert_eq!(risks[0]["level"], "Critical");
    assert!(std::fs::read_to_string(out.join("erd.mmd")).unwrap().starts_with("erDiagram"));
    assert!(std::fs::read_to_string(out.join("erd.dot")).unwrap().starts_with("digraph"));
    assert!(std::fs::read_to_string(out.join("erd.svg")).unwrap().contains("<svg"), "Graphviz is installed by setup.sh");
    let checks = read_json(&out.join("checks.json"));
    assert!(checks.as_array().unwrap().iter().any(|c| c["rule"] == "fk_without_index"), "{checks}");
    // the HTML report: a section per table of the dump, its name escaped
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.starts_with("<!DOCTYPE html>"));
    for key in snapshot["tables"].as_object().unwrap().keys() {
        let escaped = key.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;").replace('\'', "&#39;");
        assert!(report.contains(&format!("data-key=\"{escaped}\"")), "{key} has a section");
    }
    assert!(out.join("dump2").join("report.html").exists());
    assert!(out.join("dump2").join("snapshot.json").exists());
    let diff = read_json(&out.join("diff.json"));
    assert_eq!(diff["changed"], true);
    assert_eq!(diff["columns"]["added"][0]["key"], "crm.deals.closed_at");
    assert!(diff["tables"]["removed"].as_array().unwrap().iter().any(|t| t["key"] == "\"Billing & Co\".ledger"));

    // the sandboxes are gone, unless asked to keep them
    let left = |db: &mut postgres::Client| -> i64 {
        db.query_one("SELECT count(*) FROM pg_database WHERE datname LIKE 'lens_sandbox%'", &[]).unwrap().get(0)
    };
    let mut admin = connect("postgres");
    assert_eq!(left(&mut admin), 0);
    let kept = tool("bash").arg(&script).arg(&plain).arg("--out").arg(dir.join("kept")).arg("--keep").output().unwrap();
    assert!(kept.status.success());
    let said = String::from_utf8_lossy(&kept.stdout).into_owned();
    let name = said.lines().find_map(|l| l.strip_prefix("sandbox databases kept: ")).expect("the kept database is named").trim().to_string();
    assert_eq!(left(&mut admin), 1);
    admin.batch_execute(&format!("DROP DATABASE \"{name}\" WITH (FORCE)")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
