//! One call sees one catalog state: while other sessions commit DDL, no snapshot lists a
//! table without its columns, or an FK, index or constraint of a table it does not list.

use pg_lens_e2e::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

#[test]
fn snapshots_are_consistent_under_concurrent_ddl() {
    let mut setup = fresh_db("lens_concurrent");
    setup.batch_execute("CREATE TABLE root (id int PRIMARY KEY)").unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..3 {
        let stop = stop.clone();
        writers.push(thread::spawn(move || {
            let mut db = connect("lens_concurrent");
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) && i < 400 {
                let t = format!("w{w}_{}", i % 5);
                // one statement, one transaction, as a migration tool runs them
                for stmt in [
                    format!("DROP TABLE IF EXISTS {t} CASCADE"),
                    format!("CREATE TABLE {t} (id int PRIMARY KEY, root_id int REFERENCES root, note text DEFAULT 'n', CHECK (id > 0))"),
                    format!("CREATE INDEX ON {t} (root_id) WHERE note IS NOT NULL"),
                    format!("ALTER TABLE {t} ADD COLUMN extra_{i} int"),
                    format!("CREATE OR REPLACE VIEW v_{t} AS SELECT id FROM {t}"),
                ] {
                    db.execute(stmt.as_str(), &[]).unwrap_or_else(|e| panic!("writer: {stmt}: {}", describe(&e)));
                }
                i += 1;
            }
        }));
    }
    let mut reader = connect("lens_concurrent");
    let mut checked = 0;
    for _ in 0..60 {
        let snap = json(&mut reader, "lens_snapshot()");
        let tables = snap["tables"].as_object().unwrap();
        let has = |key: &serde_json::Value| tables.contains_key(key.as_str().unwrap_or_default());
        let mut columns_per_table = std::collections::HashMap::new();
        for (_, c) in snap["columns"].as_object().unwrap() {
            assert!(has(&c["tableKey"]), "column of an unlisted table: {c}");
            *columns_per_table.entry(c["tableKey"].as_str().unwrap().to_string()).or_insert(0) += 1;
        }
        for key in tables.keys() {
            assert!(columns_per_table.get(key).copied().unwrap_or(0) > 0, "table {key} without columns");
        }
        for (_, r) in snap["relationships"].as_object().unwrap() {
            assert!(has(&r["childKey"]) && has(&r["parentKey"]), "FK to an unlisted table: {r}");
        }
        for (_, i) in snap["indexes"].as_object().unwrap() {
            assert!(has(&i["tableKey"]), "index of an unlisted table: {i}");
            assert!(!i["definition"].as_str().unwrap_or_default().is_empty());
        }
        for kind in ["pks", "checks"] {
            for (_, c) in snap["constraints"][kind].as_object().unwrap() {
                assert!(has(&c["tableKey"]), "constraint of an unlisted table: {c}");
            }
        }
        checked += 1;
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    assert_eq!(checked, 60);
}
