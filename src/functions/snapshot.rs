//! `lens_snapshot` and `lens_signature`: the catalog as jsonb, and its fingerprint.

use crate::catalog::reader::{lock_scope, read_catalog, Scope};
use crate::errors::bad_argument;
use crate::jsonb_datum::{EncodedJsonb, JsonbText};
use lens_core::snapshot_io::{parse_snapshot, sign_and_encode};
use lens_core::Snapshot;
use pgrx::prelude::*;

/// Checks a text[] argument: NULL means "all", an empty array or a NULL element is an error.
pub fn name_list(arg: Option<Vec<Option<String>>>, what: &str) -> Option<Vec<String>> {
    let list = arg?;
    if list.is_empty() {
        bad_argument(format!("{what} must not be an empty array"), format!("Pass NULL for every {what}, or name at least one."));
    }
    let names: Option<Vec<String>> = list.into_iter().collect();
    match names {
        Some(names) => Some(names),
        None => bad_argument(format!("{what} must not contain NULL"), format!("Remove the NULL elements from the {what} array.")),
    }
}

/// Raises the error an unknown schema gets, as a snapshot of `names` would.
pub fn check_schemas(names: &[String]) {
    Spi::connect(|_| crate::catalog::reader::resolve_schema_names(names));
}

/// Reads the catalog for `scope` (SPI connected and released here).
pub fn read_scope(scope: &Scope) -> lens_core::catalog::RawCatalog {
    // The catalog queries are cheap but estimated as costly: JIT would compile for longer
    // than they run.
    crate::spi_read::with_settings(&[("jit", "off")], || read_consistently(scope))
}

/// The catalog queries share one MVCC snapshot, but the server's deparse functions
/// (pg_get_expr, pg_get_indexdef...) read relations as they are now. So the relations in
/// scope are share-locked first (as pg_dump does) and read under a snapshot taken after the
/// locks: no DDL can change them in between. The locks are taken with a short lock_timeout
/// in a subtransaction; when a DDL holds one, or a relation created meanwhile is dropped
/// mid-read, the attempt gives its locks back and starts over, so a snapshot never holds
/// locks while waiting for a migration (no deadlock with it). The last attempt waits.
fn read_consistently(scope: &Scope) -> lens_core::catalog::RawCatalog {
    const ATTEMPTS: usize = 40;
    for attempt in 1..=ATTEMPTS {
        // The last attempt keeps the caller's lock_timeout, and waits as pg_dump would.
        let lock_timeout = if attempt < ATTEMPTS { format!("{}ms", 10 + 2 * attempt) } else { current_lock_timeout() };
        let outcome = crate::spi_read::in_subtransaction(std::panic::AssertUnwindSafe(|| {
            crate::spi_read::with_settings(&[("lock_timeout", lock_timeout.as_str())], || {
                let clock = crate::spi_read::PhaseClock::start();
                let resolved = crate::spi_read::with_fresh_snapshot(|| Spi::connect(|_| lock_scope(scope)));
                clock.lap("locks");
                crate::spi_read::with_fresh_snapshot(|| Spi::connect(|_| read_catalog(scope, resolved)))
            })
        }));
        match outcome {
            Ok(raw) => return raw,
            Err(e) if attempt < ATTEMPTS && crate::spi_read::is_concurrent_ddl(&e) => {
                // Holding nothing now, give the DDL a moment to commit.
                unsafe { pg_sys::pg_usleep(1000 * attempt as std::ffi::c_long) };
                pg_sys::check_for_interrupts!();
                continue;
            }
            Err(e) => e.rethrow(),
        }
    }
    unreachable!("the last attempt returns or rethrows")
}

fn current_lock_timeout() -> String {
    Spi::get_one::<String>("SELECT pg_catalog.current_setting('lock_timeout')").ok().flatten().unwrap_or_else(|| "0".into())
}

/// The live snapshot of `scope`, signed.
pub fn take_snapshot(scope: &Scope) -> Snapshot {
    lens_core::build_snapshot(&read_scope(scope))
}

/// The live snapshot of `scope` as jsonb, with its signature.
pub fn take_encoded_snapshot(scope: &Scope) -> (EncodedJsonb, String) {
    let clock = crate::spi_read::PhaseClock::start();
    let raw = read_scope(scope);
    clock.lap("catalog read, in all");
    let mut snapshot = lens_core::build::build_unsigned(&raw);
    clock.lap("build");
    drop(raw);
    clock.lap("free the catalog rows");
    let encoded = sign_and_encode(&mut snapshot);
    clock.lap("sign and encode");
    drop(snapshot);
    clock.lap("free the model");
    match encoded {
        Ok((bytes, signature)) => (EncodedJsonb(bytes), signature),
        Err(e) => crate::errors::limit_exceeded(e),
    }
}

/// The schema as jsonb: see DESIGN.md, "The snapshot".
#[pg_extern(stable)]
#[search_path(pg_catalog, pg_temp)]
fn lens_snapshot(
    schemas: default!(Option<Vec<Option<String>>>, "NULL"),
    tables: default!(Option<Vec<Option<String>>>, "NULL"),
    exact_sizes: default!(Option<bool>, "false"),
) -> EncodedJsonb {
    let scope = Scope {
        schemas: name_list(schemas, "schemas"),
        tables: name_list(tables, "tables"),
        exact_sizes: exact_sizes.unwrap_or(false),
        owners: None,
        graph_only: false,
    };
    take_encoded_snapshot(&scope).0
}

/// sha256 of the canonical form of the live schema.
#[pg_extern(stable, name = "lens_signature")]
#[search_path(pg_catalog, pg_temp)]
fn lens_signature_live(schemas: default!(Option<Vec<Option<String>>>, "NULL"), ignore: default!(Option<Vec<Option<String>>>, "NULL")) -> String {
    let parts = crate::functions::drift::ignored_parts(ignore);
    let scope = Scope::schemas(name_list(schemas, "schemas"));
    let snapshot = take_snapshot(&scope);
    if parts.is_empty() {
        return snapshot.meta.signature;
    }
    signature_without(serde_json::to_value(&snapshot).unwrap_or(serde_json::Value::Null), &parts)
}

/// The signature of a snapshot (as JSON) with `parts` left out.
fn signature_without(mut value: serde_json::Value, parts: &[lens_core::parts::Part]) -> String {
    lens_core::parts::leave_out(&mut value, parts);
    match serde_json::from_value::<Snapshot>(value) {
        Ok(snapshot) => lens_core::signature::signature(&snapshot),
        Err(e) => crate::errors::internal(format!("a snapshot with parts left out could not be read back: {e}")),
    }
}

/// sha256 of the canonical form of a snapshot taken earlier (recomputed, not read from meta).
#[pg_extern(immutable, name = "lens_signature")]
#[search_path(pg_catalog, pg_temp)]
fn lens_signature_of(snapshot: Option<JsonbText>, ignore: default!(Option<Vec<Option<String>>>, "NULL")) -> Option<String> {
    let parts = crate::functions::drift::ignored_parts(ignore);
    let snapshot = parse_or_raise(&snapshot?.0);
    if parts.is_empty() {
        return Some(snapshot.meta.signature);
    }
    Some(signature_without(serde_json::to_value(&snapshot).unwrap_or(serde_json::Value::Null), &parts))
}

/// Parses a snapshot argument, or raises an ERROR with a hint.
pub fn parse_or_raise(json: &str) -> Snapshot {
    match parse_snapshot(json) {
        Ok(mut snap) => {
            lens_core::signature::stamp(&mut snap);
            snap
        }
        Err(e) => bad_argument(e.message, e.hint),
    }
}
