//! On a hot standby: lens_snapshot and lens_signature work (read-only, no transaction id, no
//! write anywhere) and give the primary's signature.

use pg_lens_e2e::*;
use std::process::Command;
use std::time::{Duration, Instant};

/// The test server's programs (pg_basebackup and pg_ctl of its major).
fn bin(program: &str) -> String {
    format!("{}/{program}", installation().bindir)
}

/// A standby of the test server, stopped and removed when dropped.
struct Standby {
    dir: String,
    port: u16,
}

impl Standby {
    fn start() -> Standby {
        let primary_port = port();
        let port = primary_port + 20;
        let dir = format!("/tmp/pg_lens_standby_{}", std::process::id());
        let _ = std::fs::remove_dir_all(&dir);
        run("mkdir", &["-p", &format!("{dir}/sock")]);
        run("chown", &["-R", "postgres", &dir]);
        as_postgres(&bin("pg_basebackup"), &["-h", &host(), "-p", &primary_port.to_string(), "-U", "postgres", "-D", &format!("{dir}/db"), "-R", "-X", "stream"]);
        // the standby needs at least the primary's lock table (scripts/server.sh)
        let options = format!("-p {port} -k {dir}/sock -c listen_addresses='' -c max_locks_per_transaction=1024 -c max_connections=100");
        as_postgres(&bin("pg_ctl"), &["-D", &format!("{dir}/db"), "-l", &format!("{dir}/log"), "-w", "-o", &options, "start"]);
        Standby { dir, port }
    }

    fn connect(&self, db: &str) -> postgres::Client {
        let conn = format!("host={}/sock port={} user=postgres dbname={db}", self.dir, self.port);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match postgres::Client::connect(&conn, postgres::NoTls) {
                Ok(c) => return c,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => panic!("standby not reachable: {e}"),
            }
        }
    }
}

impl Drop for Standby {
    fn drop(&mut self) {
        let _ = Command::new("sudo").args(["-u", "postgres", &bin("pg_ctl"), "-D", &format!("{}/db", self.dir), "-m", "immediate", "stop"]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(cmd: &str, args: &[&str]) {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(out.status.success(), "{cmd} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn as_postgres(cmd: &str, args: &[&str]) {
    let libs = format!("LD_LIBRARY_PATH={}", installation().libdir);
    let mut all = vec!["-u", "postgres", "env", &libs, cmd];
    all.extend_from_slice(args);
    run("sudo", &all);
}

#[test]
fn snapshots_on_a_hot_standby() {
    let mut primary = fresh_db("lens_replica");
    primary.batch_execute(&fixture("awkward.sql")).unwrap();
    let expected = text(&mut primary, "SELECT lens_signature()");
    // make sure the standby has replayed everything before comparing
    primary.batch_execute("CHECKPOINT").unwrap();
    let standby = Standby::start();
    let mut replica = standby.connect("lens_replica");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let sig = text(&mut replica, "SELECT lens_signature()");
        if sig == expected || Instant::now() > deadline {
            assert_eq!(sig, expected, "the standby sees the primary's schema");
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(text(&mut replica, "SELECT pg_is_in_recovery()::text"), "true");
    let snap = json(&mut replica, "lens_snapshot(exact_sizes => true)");
    assert_eq!(snap["meta"]["signature"], expected.as_str());
    assert!(snap["tables"].as_object().unwrap().contains_key("shop.orders"));
    let filtered = json(&mut replica, "lens_snapshot(tables => ARRAY['shop.orders'])");
    assert_eq!(filtered["tables"].as_object().unwrap().len(), 1);
}
