//! Releases: `ALTER EXTENSION pg_lens UPDATE` from every released version keeps every row of
//! history, history written before still replays, capture goes on, and the extension's own
//! objects are then exactly those of a fresh `CREATE EXTENSION`; and a package
//! (scripts/package.sh) installs into a clean server and works there.
//!
//! Each scenario makes its own cluster in an installation it may write into (scripts/test.sh
//! passes their pg_config and the archives) and is skipped, saying so, without them:
//! - `PG_LENS_UPDATE_PG`: the installation; `PG_LENS_UPDATE_FROM`: the archives of the
//!   released versions, comma-separated; `PG_LENS_UPDATE_TO`: this version's archive.
//! - `PG_LENS_PACKAGE_PG`: a clean installation; `PG_LENS_PACKAGE`: the archive to install.

use pg_lens_e2e::cluster::{history, named, Cluster, Install};
use pg_lens_e2e::*;
use postgres::Client;
use serde_json::{json, Value};
use std::process::Command;

/// A scratch directory the postgres user owns.
fn scratch(name: &str) -> String {
    let dir = format!("/tmp/pg_lens_{name}_{}", std::process::id());
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(format!("{dir}/sock")).unwrap();
    assert!(Command::new("chown").args(["-R", "postgres", &dir]).status().unwrap().success());
    dir
}

/// Unpacks an archive of scripts/package.sh into `dir`; the package's directory.
fn unpack(archive: &str, dir: &str) -> String {
    let out = Command::new("tar").args(["-xzf", archive, "-C", dir]).output().unwrap();
    assert!(out.status.success(), "tar {archive}: {}", String::from_utf8_lossy(&out.stderr));
    let name = std::path::Path::new(archive).file_name().unwrap().to_string_lossy().trim_end_matches(".tar.gz").to_string();
    format!("{dir}/{name}")
}

/// The version a package holds, from its name (`pg_lens-0.2.0-pg15`).
fn version_of(package: &str) -> String {
    package.rsplit('/').next().unwrap().trim_start_matches("pg_lens-").rsplit_once("-pg").unwrap().0.to_string()
}

/// Takes every pg_lens file out of an installation: what is there afterwards is a package's.
fn uninstall(install: &Install) {
    let lib = format!("{}/pg_lens.so", install.config("--pkglibdir"));
    let _ = std::fs::remove_file(lib);
    let ext = format!("{}/extension", install.config("--sharedir"));
    for entry in std::fs::read_dir(&ext).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with("pg_lens") {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
}

/// Installs a package with its own install.sh, as a DBA would.
fn install_package(package: &str, install: &Install) {
    let out = Command::new(format!("{package}/install.sh")).arg(&install.pg_config).output().unwrap();
    assert!(out.status.success(), "{package}/install.sh: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// The extension's own objects, one line each, in an order of their own: functions with their
/// whole definitions, relations with their columns (as a set: an update adds a column
/// last), constraints, indexes, triggers and privileges, event triggers, the tables pg_dump
/// keeps the rows of.
const OWN_OBJECTS: &str = "
WITH ext AS (SELECT oid, extconfig, extcondition FROM pg_catalog.pg_extension WHERE extname = 'pg_lens'),
member AS (SELECT d.classid, d.objid FROM pg_catalog.pg_depend d, ext WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'),
rels AS (SELECT c.oid, c.relname, c.relkind FROM pg_catalog.pg_class c JOIN member m ON m.classid = 'pg_catalog.pg_class'::regclass AND m.objid = c.oid)
SELECT line FROM (
  SELECT format('function %s returns %s | %s %s strict=%s secdef=%s parallel=%s cost=%s rows=%s config=%s acl=%s | %s | %s',
                p.oid::regprocedure, pg_catalog.pg_get_function_result(p.oid), l.lanname, p.provolatile, p.proisstrict, p.prosecdef,
                p.proparallel, p.procost, p.prorows, p.proconfig, p.proacl, p.probin, p.prosrc) AS line
    FROM pg_catalog.pg_proc p JOIN member m ON m.classid = 'pg_catalog.pg_proc'::regclass AND m.objid = p.oid
    JOIN pg_catalog.pg_language l ON l.oid = p.prolang
  UNION ALL
  SELECT format('function %s arguments %s', p.oid::regprocedure, pg_catalog.pg_get_function_arguments(p.oid))
    FROM pg_catalog.pg_proc p JOIN member m ON m.classid = 'pg_catalog.pg_proc'::regclass AND m.objid = p.oid
  UNION ALL
  SELECT format('relation %s kind %s acl %s options %s comment %s', c.oid::regclass, c.relkind, c.relacl, c.reloptions, pg_catalog.obj_description(c.oid, 'pg_class'))
    FROM pg_catalog.pg_class c JOIN rels r ON r.oid = c.oid
  UNION ALL
  SELECT format('view %s: %s', r.oid::regclass, pg_catalog.pg_get_viewdef(r.oid)) FROM rels r WHERE r.relkind IN ('v', 'm')
  UNION ALL
  SELECT format('column %s.%s %s notnull=%s default %s identity %s acl %s', r.oid::regclass, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
                a.attnotnull, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attacl)
    FROM rels r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  UNION ALL
  SELECT format('constraint %s %s: %s', co.conrelid::regclass, co.conname, pg_catalog.pg_get_constraintdef(co.oid))
    FROM pg_catalog.pg_constraint co JOIN rels r ON r.oid = co.conrelid
  UNION ALL
  SELECT format('index %s', pg_catalog.pg_get_indexdef(i.indexrelid)) FROM pg_catalog.pg_index i JOIN rels r ON r.oid = i.indrelid
  UNION ALL
  SELECT format('trigger %s', pg_catalog.pg_get_triggerdef(t.oid)) FROM pg_catalog.pg_trigger t JOIN rels r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
  UNION ALL
  SELECT format('event trigger %s on %s tags %s enabled %s runs %s', e.evtname, e.evtevent, e.evttags, e.evtenabled, e.evtfoid::regproc)
    FROM pg_catalog.pg_event_trigger e JOIN member m ON m.classid = 'pg_catalog.pg_event_trigger'::regclass AND m.objid = e.oid
  UNION ALL
  SELECT format('dumped rows of %s where %s', c::regclass, w) FROM ext, unnest(ext.extconfig, ext.extcondition) AS u(c, w)
  UNION ALL
  SELECT format('member %s', pg_catalog.pg_describe_object(m.classid, m.objid, 0)) FROM member m
) lines ORDER BY line";

fn own_objects(c: &mut Client) -> Vec<String> {
    c.query(OWN_OBJECTS, &[]).unwrap().iter().map(|r| r.get(0)).collect()
}

/// The schema history is written on, with what a released version read.
const SCHEMA: &str = "
    CREATE SCHEMA \"Shop.Front\";
    CREATE TABLE \"Shop.Front\".\"Order Items\" (id int PRIMARY KEY, \"select\" text NOT NULL, \"naïve\" numeric(10,2) DEFAULT 0);
    CREATE TABLE \"Shop.Front\".events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
    CREATE TABLE \"Shop.Front\".events_2026 PARTITION OF \"Shop.Front\".events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
    CREATE VIEW \"Shop.Front\".items AS SELECT id, \"select\" FROM \"Shop.Front\".\"Order Items\";
";

/// Changes made under the released version: its history.
const BEFORE: &[&str] = &[
    "ALTER TABLE \"Shop.Front\".\"Order Items\" ADD COLUMN \"Note\nline\" text",
    "CREATE INDEX \"by select\" ON \"Shop.Front\".\"Order Items\" (lower(\"select\")) WHERE id > 0",
    "ALTER TABLE \"Shop.Front\".\"Order Items\" RENAME TO \"Line Items\"",
    "CREATE TABLE \"Shop.Front\".notes (id int REFERENCES \"Shop.Front\".\"Line Items\" (id) DEFERRABLE INITIALLY DEFERRED)",
];

#[test]
fn update_from_every_release_keeps_history_and_ends_as_a_fresh_install() {
    let (Some(install), Ok(from), Ok(to)) = (Install::from_env("PG_LENS_UPDATE_PG"), std::env::var("PG_LENS_UPDATE_FROM"), std::env::var("PG_LENS_UPDATE_TO")) else {
        eprintln!("skipped: PG_LENS_UPDATE_PG, PG_LENS_UPDATE_FROM and PG_LENS_UPDATE_TO (an installation and packages of scripts/package.sh) are not set");
        return;
    };
    let dir = scratch("update");
    let current = unpack(&to, &dir);
    let port = port() + 50;
    for archive in from.split(',').filter(|a| !a.is_empty()) {
        let released = unpack(archive, &dir);
        let version = version_of(&released);
        uninstall(&install);
        install_package(&released, &install);
        let cluster = Cluster::init(&install, &dir, &format!("from_{version}"), port, &[]);
        cluster.start(&dir);
        cluster.connect("postgres").batch_execute("CREATE DATABASE lens_updated").unwrap();
        let mut c = cluster.connect("lens_updated");
        c.batch_execute(SCHEMA).unwrap();
        c.batch_execute(&format!("CREATE EXTENSION pg_lens VERSION '{version}'")).unwrap();
        for statement in BEFORE {
            c.batch_execute(statement).unwrap_or_else(|e| panic!("{version}: {statement}: {}", describe(&e)));
        }
        let kept = history(&mut c);
        assert!(kept.rows.len() >= BEFORE.len(), "{version}: history written: {:?}", kept.rows);
        let drift_text: Vec<String> = c.query("SELECT diff::text FROM lens_drift ORDER BY id", &[]).unwrap().iter().map(|r| r.get(0)).collect();
        drop(c);

        // the new package over the old one, the server running; then the update
        install_package(&current, &install);
        let mut c = cluster.connect("lens_updated");
        // until the update runs, the released version's functions call the new library: every
        // C symbol they name is still there (the C language's validator loads each one)
        let c_functions: i64 = c
            .query_one(
                "SELECT count(pg_catalog.fmgr_c_validator(p.oid)) FROM pg_catalog.pg_proc p \
                 JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e' \
                 JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_lens' \
                 WHERE p.prolang = (SELECT oid FROM pg_catalog.pg_language WHERE lanname = 'c')",
                &[],
            )
            .unwrap_or_else(|e| panic!("{version}'s functions in the new library: {}", describe(&e)))
            .get(0);
        assert!(c_functions >= 20, "{version}: {c_functions} C functions checked");
        c.batch_execute("ALTER EXTENSION pg_lens UPDATE").unwrap_or_else(|e| panic!("update from {version}: {}", describe(&e)));
        let now: String = c.query_one("SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_lens'", &[]).unwrap().get(0);
        assert_eq!(now, version_of(&current), "updated from {version}");

        // every row as it was, and history written before replays to the same signatures
        // (the update is a statement of its own: one row, said as the update it was)
        let after = history(&mut c);
        assert_eq!(after.rows[..kept.rows.len()], kept.rows[..], "{version}: drift rows kept");
        assert_eq!(after.snapshots, kept.snapshots, "{version}: snapshots kept");
        let drift_now: Vec<String> = c.query("SELECT diff::text FROM lens_drift ORDER BY id", &[]).unwrap().iter().map(|r| r.get(0)).collect();
        assert_eq!(drift_now[..drift_text.len()], drift_text[..], "{version}: the drift rows' diffs kept");
        let since: Vec<String> = c.query("SELECT coalesce(statement, '') FROM lens_drift WHERE id > $1 ORDER BY id", &[&kept.rows.last().unwrap().0]).unwrap().iter().map(|r| r.get(0)).collect();
        assert!(since.len() <= 1 && since.iter().all(|s| s == "ALTER EXTENSION pg_lens UPDATE"), "{version}: rows the update wrote: {since:?}");
        for (id, signature) in kept.rows.iter().filter(|(_, s)| !s.is_empty()) {
            let travelled = text(&mut c, &format!("SELECT lens_signature(lens_snapshot_at({id}::bigint))"));
            assert_eq!(&travelled, signature, "{version}: time travel to row {id} after the update");
        }

        // capture goes on: the next change is one row saying exactly it (a resync, when the
        // format asks for one, is a row of its own, said as such)
        let last: i64 = c.query_one("SELECT max(id) FROM lens_drift", &[]).unwrap().get(0);
        c.batch_execute("ALTER TABLE \"Shop.Front\".notes ADD COLUMN \"Ünïcode\" text").unwrap();
        let rows = c.query("SELECT diff::text, coalesce(statement, '') FROM lens_drift WHERE id > $1 ORDER BY id", &[&last]).unwrap();
        let changed: Vec<String> = rows.iter().flat_map(|r| named(&serde_json::from_str::<Value>(&r.get::<_, String>(0)).unwrap())).collect();
        assert!(changed.contains(&"columns + \"Shop.Front\".notes.\"Ünïcode\"".to_string()), "{version}: capture after the update: {changed:?}");
        let report = json(&mut c, "lens_verify()");
        assert_eq!(report["ok"], json!(true), "{version}: lens_verify after the update: {report}");
        assert_eq!(text(&mut c, "SELECT lens_signature(lens_snapshot_at((SELECT max(id) FROM lens_drift)))"), text(&mut c, "SELECT lens_signature()"));

        // the extension's objects: those of a fresh install of this version
        cluster.connect("postgres").batch_execute("CREATE DATABASE lens_fresh").unwrap();
        let mut fresh = cluster.connect("lens_fresh");
        fresh.batch_execute("CREATE EXTENSION pg_lens").unwrap();
        let (updated, made) = (own_objects(&mut c), own_objects(&mut fresh));
        let only_updated: Vec<&String> = updated.iter().filter(|l| !made.contains(l)).collect();
        let only_fresh: Vec<&String> = made.iter().filter(|l| !updated.contains(l)).collect();
        assert!(only_updated.is_empty() && only_fresh.is_empty(), "{version}: after the update, not as fresh:\n{}\nfresh, not after the update:\n{}",
            only_updated.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"), only_fresh.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"));
        assert!(made.iter().any(|l| l.starts_with("event trigger ")) && made.iter().any(|l| l.starts_with("dumped rows of ")), "{made:?}");
        drop((c, fresh));
        cluster.stop(&dir);
    }
    uninstall(&install);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_package_installs_into_a_clean_server_and_runs_the_demo() {
    let (Some(install), Ok(archive)) = (Install::from_env("PG_LENS_PACKAGE_PG"), std::env::var("PG_LENS_PACKAGE")) else {
        eprintln!("skipped: PG_LENS_PACKAGE_PG and PG_LENS_PACKAGE (a clean installation and a package of scripts/package.sh) are not set");
        return;
    };
    let dir = scratch("package");
    // the archive is what its checksum says
    let sums = std::fs::read_to_string(format!("{archive}.sha256")).unwrap();
    let check = Command::new("sha256sum").args(["--check", "--status"]).current_dir(std::path::Path::new(&archive).parent().unwrap()).arg("-").stdin(std::process::Stdio::piped()).spawn();
    let mut check = check.unwrap();
    std::io::Write::write_all(check.stdin.as_mut().unwrap(), sums.as_bytes()).unwrap();
    assert!(check.wait().unwrap().success(), "{archive}: checksum");
    let package = unpack(&archive, &dir);
    uninstall(&install);
    install_package(&package, &install);
    let cluster = Cluster::init(&install, &dir, "clean", port() + 55, &[]);
    cluster.start(&dir);
    cluster.connect("postgres").batch_execute("CREATE DATABASE lens_demo").unwrap();
    let mut c = cluster.connect("lens_demo");
    let demo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/demo_schema.sql")).unwrap();
    c.batch_execute(&demo).unwrap();
    c.batch_execute("CREATE EXTENSION pg_lens").unwrap();
    let version: String = c.query_one("SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pg_lens'", &[]).unwrap().get(0);
    assert_eq!(version, version_of(&package));

    // the demo's checks: a snapshot of its schemas, drift captured, a risk table
    let snapshot = json(&mut c, "lens_snapshot(ARRAY['shop','billing'])");
    assert!(snapshot["tables"].get("shop.customers").is_some() && snapshot["tables"].as_object().unwrap().len() >= 5, "{}", snapshot["tables"]);
    let before = text(&mut c, "SELECT lens_signature(ARRAY['shop','billing'])");
    c.batch_execute("ALTER TABLE shop.books ADD COLUMN published date; ALTER TABLE shop.customers RENAME TO clients").unwrap();
    assert_ne!(text(&mut c, "SELECT lens_signature(ARRAY['shop','billing'])"), before);
    let captured: Vec<String> = c.query("SELECT diff::text FROM lens_drift ORDER BY id DESC LIMIT 2", &[]).unwrap().iter().flat_map(|r| named(&serde_json::from_str::<Value>(&r.get::<_, String>(0)).unwrap())).collect();
    assert!(captured.contains(&"columns + shop.books.published".to_string()) && captured.contains(&"tables > shop.customers => shop.clients".to_string()), "{captured:?}");
    let risks: i64 = c.query_one("SELECT count(*) FROM lens_risks(ARRAY['shop','billing'])", &[]).unwrap().get(0);
    assert!(risks > 0, "lens_risks gave no rows");
    assert_eq!(json(&mut c, "lens_verify()")["ok"], json!(true));
    drop(c);
    cluster.stop(&dir);
    uninstall(&install);
    let _ = std::fs::remove_dir_all(&dir);
}
