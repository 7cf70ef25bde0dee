//! Which groups of entries a DDL statement touched (see `lens_core::capture`).

use crate::catalog_reader::Owners;
use crate::spi_read::{arg, query};
use pgrx::prelude::*;

/// One object a statement created, altered or dropped, as the event trigger functions say.
#[derive(Debug, Clone)]
pub struct Touched {
    pub classid: u32,
    pub objid: u32,
    pub identity: String,
}

/// The groups of the objects that still exist (and their dependents and children), from the
/// catalog; the groups of dropped objects come from the stored state (`store::owners_of`).
const NAMESPACE_RELATION: u32 = 2615; // pg_namespace

/// A touched schema stands for everything in it; the rest as it is.
fn expand_schemas(touched: &[Touched]) -> Vec<Touched> {
    let schemas: Vec<pg_sys::Oid> =
        touched.iter().filter(|t| t.classid == NAMESPACE_RELATION).map(|t| pg_sys::Oid::from(t.objid)).collect();
    let mut out: Vec<Touched> = touched.iter().filter(|t| t.classid != NAMESPACE_RELATION).cloned().collect();
    if schemas.is_empty() {
        return out;
    }
    let rows = query("capture_schema_objects", include_str!("../../sql/capture/schema_objects.sql"), &[arg(schemas)]);
    for r in 0..rows.len() {
        out.push(Touched { classid: rows.oid(r, 1), objid: rows.oid(r, 2), identity: String::new() });
    }
    out
}

pub fn live_owners(touched: &[Touched], with_dependents: bool) -> Owners {
    let mut owners = Owners::default();
    let touched = expand_schemas(touched);
    if touched.is_empty() {
        return owners;
    }
    let classids: Vec<pg_sys::Oid> = touched.iter().map(|t| pg_sys::Oid::from(t.classid)).collect();
    let objids: Vec<pg_sys::Oid> = touched.iter().map(|t| pg_sys::Oid::from(t.objid)).collect();
    let rows = query("capture_owners", include_str!("../../sql/capture/owners.sql"), &[arg(classids), arg(objids), arg(with_dependents)]);
    for r in 0..rows.len() {
        let oid = rows.oid(r, 1);
        match rows.string(r, 2).as_str() {
            "S" => owners.sequences.push(oid),
            "t" => owners.types.push(oid),
            _ => owners.relations.push(oid),
        }
    }
    owners
}
