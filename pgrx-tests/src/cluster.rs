//! Clusters of their own for the scenarios that need one (a major upgrade, an extension
//! update, a package installed): an installation found from its pg_config, a cluster made,
//! started and stopped as the postgres user, and what a database's history holds.

use crate::json;
use postgres::{Client, NoTls};
use serde_json::Value;
use std::process::Command;

/// One installation: its programs and libraries, from its pg_config.
pub struct Install {
    pub bin: String,
    pub lib: String,
    pub pg_config: String,
}

impl Install {
    pub fn from_env(var: &str) -> Option<Install> {
        Some(Install::of(&std::env::var(var).ok()?))
    }

    pub fn of(pg_config: &str) -> Install {
        let pg_config = pg_config.to_string();
        let ask = |flag: &str| {
            let out = Command::new(&pg_config).arg(flag).output().unwrap_or_else(|e| panic!("{pg_config}: {e}"));
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        };
        Install { bin: ask("--bindir"), lib: ask("--libdir"), pg_config: pg_config.clone() }
    }

    /// What its pg_config says for `flag` (`--pkglibdir`, `--sharedir`...).
    pub fn config(&self, flag: &str) -> String {
        let out = Command::new(&self.pg_config).arg(flag).output().unwrap_or_else(|e| panic!("{}: {e}", self.pg_config));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Runs one of its programs as the postgres user, in `dir`.
    pub fn run(&self, dir: &str, program: &str, args: &[&str]) {
        let libs = format!("LD_LIBRARY_PATH={}", self.lib);
        let path = format!("{}/{program}", self.bin);
        let out = Command::new("sudo")
            .current_dir(dir)
            .args(["-u", "postgres", "env", &libs, &path])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(out.status.success(), "{program} {args:?}:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
}

pub struct Cluster<'a> {
    pub install: &'a Install,
    pub data: String,
    pub sock: String,
    pub port: u16,
}

impl<'a> Cluster<'a> {
    pub fn init(install: &'a Install, dir: &str, name: &str, port: u16, extra: &[&str]) -> Cluster<'a> {
        let data = format!("{dir}/{name}");
        let mut args = vec!["-D", &data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"];
        args.extend_from_slice(extra);
        install.run(dir, "initdb", &args);
        Cluster { install, data, sock: format!("{dir}/sock"), port }
    }

    pub fn start(&self, dir: &str) {
        let options = format!("-p {} -k {} -c listen_addresses='' -c max_locks_per_transaction=1024", self.port, self.sock);
        self.install.run(dir, "pg_ctl", &["-D", &self.data, "-l", &format!("{}.log", self.data), "-w", "-o", &options, "start"]);
    }

    pub fn stop(&self, dir: &str) {
        self.install.run(dir, "pg_ctl", &["-D", &self.data, "-m", "fast", "-w", "stop"]);
    }

    pub fn connect(&self, db: &str) -> Client {
        let conn = format!("host={} port={} user=postgres dbname={db}", self.sock, self.port);
        Client::connect(&conn, NoTls).unwrap_or_else(|e| panic!("{conn}: {e}"))
    }
}

/// What each database's history holds before the upgrade, to find unchanged after it.
pub struct Kept {
    pub rows: Vec<(i64, String)>,
    pub snapshots: i64,
    pub snapshot: Value,
}

pub fn history(db: &mut Client) -> Kept {
    let rows = db
        .query("SELECT id, coalesce(signature_after, '') FROM lens_drift ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let snapshots: i64 = db.query_one("SELECT count(*) FROM lens_snapshots", &[]).unwrap().get(0);
    let snapshot = json(db, "lens_snapshot()");
    Kept { rows, snapshots, snapshot }
}

/// The entries a diff names: `section +|-|~ key`, `section > from => to`.
pub fn named(diff: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut walk = |path: &str, at: &Value| {
        for (list, kind) in [("added", "+"), ("removed", "-"), ("changed", "~")] {
            for e in at[list].as_array().into_iter().flatten() {
                out.push(format!("{path} {kind} {}", e["key"].as_str().unwrap_or("?")));
            }
        }
        for e in at["renamed"].as_array().into_iter().flatten() {
            out.push(format!("{path} > {} => {}", e["from"].as_str().unwrap_or("?"), e["to"].as_str().unwrap_or("?")));
        }
    };
    for (name, section) in diff.as_object().into_iter().flatten() {
        if name == "constraints" {
            for (kind, inner) in section.as_object().into_iter().flatten() {
                walk(&format!("constraints.{kind}"), inner);
            }
        } else if section.is_object() {
            walk(name, section);
        }
    }
    out.sort();
    out
}

