//! Times the core's share of lens_snapshot (build, sign, encode) on a synthetic catalog shaped
//! like `gen_schema.py 5000`, without a server: `cargo run --release -p lens-core --example build_bench`.

use lens_core::catalog::*;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn synthetic(tables: u32) -> RawCatalog {
    let mut raw = RawCatalog {
        db_name: "bench".into(),
        server_version: "PostgreSQL 15".into(),
        captured_at: "2026-11-22T00:00:00Z".into(),
        schemas: vec![RawSchema { oid: 1, name: "app".into() }],
        quoted_keywords: vec!["order".into(), "user".into()],
        block_size: 8192,
        ..Default::default()
    };
    let types = [(20, -1, "bigint"), (25, -1, "text"), (1043, 124, "character varying(120)"), (1700, 786438, "numeric(12,2)"),
                 (1184, -1, "timestamp with time zone"), (1007, -1, "integer[]"), (3802, -1, "jsonb"), (16, -1, "boolean")];
    for (t, m, f) in types {
        raw.types.insert((t, m), RawType { formatted: f.into(), collation: if t == 25 || t == 1043 { 100 } else { 0 }, storage: if t == 25 || t == 1043 { "x".into() } else { "p".into() } });
    }
    raw.default_opclasses.insert((403, 20), 1);
    raw.default_opclasses.insert((403, 25), 2);
    raw.default_opclasses.insert((403, 1043), 2);
    raw.default_opclasses.insert((403, 1184), 3);
    let names = ["id", "code", "name", "amount", "created_at", "flags", "doc", "active"];
    for i in 0..tables {
        let relid = 100_000 + i;
        let table = format!("t{i:05}");
        raw.relations.push(RawRelation {
            oid: relid, schema: "app".into(), name: table.clone(), relkind: "r".into(), reltuples: 0.0,
            persistence: "p".into(), ..Default::default()
        });
        for (k, name) in names.iter().enumerate() {
            let (t, m, _) = types[k];
            raw.columns.push(RawColumn {
                relid, attnum: k as i16 + 1, name: name.to_string(), type_oid: t, typmod: m, not_null: k < 2,
                collation: if t == 25 || t == 1043 { 100 } else { 0 },
                default_expr: match k { 3 => Some("0".into()), 4 => Some("now()".into()), 7 => Some("true".into()), _ => None },
                identity: if k == 0 { "d".into() } else { String::new() },
                ..Default::default()
            });
        }
        let fks = (i % 4).min(i);
        for f in 0..fks {
            raw.columns.push(RawColumn { relid, attnum: 9 + f as i16, name: format!("ref{f}_id"), type_oid: 20, typmod: -1, ..Default::default() });
            raw.constraints.push(RawConstraint {
                relid, name: format!("{table}_ref{f}_id_fkey"), contype: "f".into(), conkey: vec![9 + f as i16],
                parent_schema: Some("app".into()), parent_table: Some(format!("t{:05}", i / 2)), parent_cols: vec!["id".into()],
                on_update: "a".into(), on_delete: "c".into(), match_type: "s".into(), validated: true, ..Default::default()
            });
        }
        for (c, (suffix, kind, key)) in [("pkey", "p", 1), ("code_uq", "u", 2)].iter().enumerate() {
            raw.constraints.push(RawConstraint {
                relid, name: format!("{table}_{suffix}"), contype: kind.to_string(), conkey: vec![*key],
                index_oid: 500_000 + i * 4 + c as u32, validated: true, ..Default::default()
            });
        }
        raw.constraints.push(RawConstraint {
            relid, name: format!("{table}_amount_check"), contype: "c".into(), conkey: vec![4],
            check_expr: Some("(amount >= (0)::numeric)".into()), validated: true, ..Default::default()
        });
        for (x, (iname, key, unique, pred)) in [("pkey", 1, true, None), ("code_uq", 2, true, None), ("created_idx", 5, false, None), ("active_idx", 3, false, Some("active"))].iter().enumerate() {
            raw.indexes.push(RawIndex {
                oid: 500_000 + i * 4 + x as u32, relid, name: format!("{table}_{iname}"), relkind: "i".into(), method: "btree".into(),
                method_oid: 403, nkeyatts: 1, is_unique: *unique, is_primary: x == 0, is_valid: true, indkey: vec![*key],
                indoption: vec![if x == 2 { 3 } else { 0 }], indclass: vec![match key { 1 => 1, 5 => 3, _ => 2 }],
                indcollation: vec![if *key == 2 || *key == 3 { 100 } else { 0 }], predicate: pred.map(|p| p.to_string()),
                ..Default::default()
            });
        }
        raw.sequences.push(RawSequence {
            schema: "app".into(), name: format!("{table}_id_seq"), data_type: "bigint".into(), start: 1, increment: 1,
            min: 1, max: i64::MAX, cache: 1, owner: Some((relid, 1)), identity: true, ..Default::default()
        });
    }
    raw
}

fn main() {
    let mut raw = synthetic(5000);
    let for_the_server = lens_core::build::print_own_index_definitions(&mut raw);
    assert!(for_the_server.is_empty(), "the synthetic schema has only indexes the extension prints");
    for round in 0..5 {
        let t0 = Instant::now();
        let mut snap = lens_core::build::build_unsigned(&raw);
        let t1 = Instant::now();
        let (bytes, _sig) = lens_core::snapshot_io::sign_and_encode(&mut snap).expect("encodes");
        let t2 = Instant::now();
        drop(snap);
        let t3 = Instant::now();
        let sig = lens_core::signature::signature(&lens_core::build::build_unsigned(&raw));
        let t4 = Instant::now();
        println!(
            "round {round}: build {:.1} ms, sign+encode {:.1} ms, drop {:.1} ms, {:.1} MB of jsonb; (build+sign alone {:.1} ms) {}",
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            (t3 - t2).as_secs_f64() * 1e3,
            bytes.len() as f64 / 1e6,
            (t4 - t3).as_secs_f64() * 1e3,
            &sig[..8]
        );
    }
}
