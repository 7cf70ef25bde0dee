//! Times a migration plan between two snapshot files without a server, from the models
//! (every entry read) and from jsonb bytes (focused, as the extension plans), and checks
//! that both plans are the same:
//! `cargo run --release -p lens-core --example plan_bench -- a.json b.json`.

use lens_core::ident::Keywords;
use lens_core::migration::Options;
use std::time::Instant;

// the allocator the extension uses
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// This process's CPU time (user + system) in ms, from /proc (the machine is shared: wall
/// time says little while other work runs).
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) * 10.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(a), Some(b)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: plan_bench SOURCE.json TARGET.json");
        std::process::exit(2);
    };
    let read = |p: &str| {
        let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).expect("readable")).expect("JSON");
        let snap: lens_core::Snapshot = serde::Deserialize::deserialize(&value).expect("a snapshot");
        (snap, value)
    };
    let start = Instant::now();
    let ((source, sv), (target, tv)) = (read(a), read(b));
    println!("parse both: {:.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    let options = Options { online: false, large_table_rows: 100_000, major: 15 };
    let encoded = |v: &serde_json::Value| lens_core::jsonb::to_jsonb(v).expect("encodable")[lens_core::jsonb::VARHDRSZ..].to_vec();
    let (source_bytes, target_bytes) = (encoded(&sv), encoded(&tv));
    let statements = |p: &lens_core::migration::Plan| p.steps.iter().map(|s| s.statement.clone()).collect::<Vec<_>>();
    for _ in 0..3 {
        let (sv, tv) = (sv.clone(), tv.clone());
        let (start, cpu) = (Instant::now(), cpu_ms());
        let whole = lens_core::migration::plan_with_values(&source, &target, sv, tv, &Keywords::postgres15(), &options).expect("a plan");
        println!("plan from the models: {:.1} ms wall, {:.0} ms CPU, {} steps", start.elapsed().as_secs_f64() * 1000.0, cpu_ms() - cpu, whole.steps.len());
        let (start, cpu) = (Instant::now(), cpu_ms());
        let ((fs, fsv), (ft, ftv)) = lens_core::migration::focus::read_pair(&source_bytes, &target_bytes).expect("readable");
        let focused = lens_core::migration::plan_with_values(&fs, &ft, fsv, ftv, &Keywords::postgres15(), &options).expect("a plan");
        println!("plan from jsonb, focused (read included): {:.1} ms wall, {:.0} ms CPU, {} steps", start.elapsed().as_secs_f64() * 1000.0, cpu_ms() - cpu, focused.steps.len());
        assert_eq!(statements(&whole), statements(&focused), "the focused plan differs");
    }
}
