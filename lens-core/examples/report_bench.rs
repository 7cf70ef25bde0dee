//! Times the HTML report's rendering from a snapshot file, without a server (no DDL
//! extras, no history): `cargo run --release -p lens-core --example report_bench -- s.json`.

use lens_core::ddl::Extras;
use lens_core::ident::Keywords;
use lens_core::report::{History, Input, Layout};
use std::time::Instant;

// the allocator the extension uses
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: report_bench SNAPSHOT.json");
        std::process::exit(2);
    };
    let snap: lens_core::Snapshot = serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("a snapshot");
    let (extras, kw) = (Extras::default(), Keywords::default());
    let time = |name: &str, f: &dyn Fn() -> usize| {
        let start = Instant::now();
        let bytes = f();
        println!("{name:<24} {:8.1} ms  {:8.1} MB", start.elapsed().as_secs_f64() * 1000.0, bytes as f64 / 1e6);
    };
    let input = || {
        let findings = lens_core::checks::run(&snap, &Default::default(), &kw);
        Input { snap: &snap, schemas: None, extras: &extras, kw: &kw, findings, history: History::Entries { entries: vec![], more: false } }
    };
    time("checks", &|| lens_core::checks::run(&snap, &Default::default(), &kw).len());
    time("index (split)", &|| lens_core::report::index(&input(), Layout::Split).len());
    time("all pages", &|| lens_core::report::render(&input(), Layout::Split).iter().map(|p| p.1.len()).sum());
    time("all in one", &|| lens_core::report::index(&input(), Layout::Single).len());
}
