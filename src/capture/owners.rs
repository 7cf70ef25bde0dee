//! Which groups of entries a DDL statement touched (see `lens_core::capture`).

use crate::catalog::reader::Owners;
use lens_core::catalog::{CLASS_CATALOG, FOREIGN_SERVER_CATALOG, NAMESPACE_CATALOG, PROC_CATALOG, TYPE_CATALOG};
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

/// A schema that ALTER SCHEMA touched (`altered`) stands for everything in it, besides
/// itself; the rest as it is. (GRANT, COMMENT and the like change the schema's own entry.)
fn expand_schemas(touched: &[Touched], altered: bool) -> Vec<Touched> {
    let schemas: Vec<pg_sys::Oid> =
        touched.iter().filter(|t| t.classid == NAMESPACE_CATALOG).map(|t| pg_sys::Oid::from(t.objid)).collect();
    let mut out: Vec<Touched> = touched.to_vec();
    if schemas.is_empty() || !altered {
        return out;
    }
    let rows = query("capture_schema_objects", include_str!("../../sql/capture/schema_objects.sql"), &[arg(schemas)]);
    for r in 0..rows.len() {
        out.push(Touched { classid: rows.oid(r, 1), objid: rows.oid(r, 2), identity: String::new() });
    }
    out
}

pub fn live_owners(touched: &[Touched], with_dependents: bool, schema_altered: bool) -> Owners {
    if !with_dependents {
        if let Some(owners) = relation_owners(touched) {
            return owners;
        }
    }
    let mut owners = Owners::default();
    let touched = expand_schemas(touched, schema_altered);
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
            "t" | "o" => owners.objects.push(oid),
            _ => owners.relations.push(oid),
        }
    }
    owners
}

/// What a relation is, from the relation cache's catalog copy.
pub struct RelationFacts {
    pub kind: u8,
    pub has_children: bool,
}

pub fn relation_facts(oid: u32) -> Option<RelationFacts> {
    unsafe {
        // SAFETY: a syscache lookup by oid, released before returning; the tuple is a
        // pg_class row, laid out as pgrx's bindings of this major say.
        let tuple = pg_sys::SearchSysCache1(pg_sys::SysCacheIdentifier::RELOID as i32, pg_sys::Datum::from(pg_sys::Oid::from(oid)));
        if tuple.is_null() {
            return None;
        }
        let class = &*pg_sys::heap_tuple_get_struct::<pg_sys::FormData_pg_class>(tuple);
        let facts = RelationFacts { kind: class.relkind as u8, has_children: class.relhassubclass };
        pg_sys::ReleaseSysCache(tuple);
        Some(facts)
    }
}

/// The common case without a query (what owners.sql would say): a statement that created
/// relations (tables, their indexes and sequences) and changes nothing that depends on them.
/// None when something needs owners.sql: other kinds of objects, or a relation with
/// partitions or inheritance children (an index on a parent creates theirs too).
fn relation_owners(touched: &[Touched]) -> Option<Owners> {
    let mut owners = Owners::default();
    for t in touched {
        if t.classid != CLASS_CATALOG {
            return None;
        }
        let Some(facts) = relation_facts(t.objid) else { continue };
        let (group, is_sequence) = match facts.kind {
            b'i' | b'I' => (unsafe { pg_sys::IndexGetRelation(pg_sys::Oid::from(t.objid), true) }.to_u32(), false),
            b'r' | b'p' | b'v' | b'm' | b'f' => (t.objid, false),
            // a composite type's relation: its type's group (owners.sql knows it)
            b'c' => return None,
            b'S' => match sequence_table(t.objid) {
                Some(table) => (table, false),
                None => (t.objid, true),
            },
            _ => continue,
        };
        if group == 0 {
            continue;
        }
        let facts = if group == t.objid { facts } else { relation_facts(group)? };
        if facts.has_children {
            return None;
        }
        if unsafe { pg_sys::getExtensionOfObject(pg_sys::RelationRelationId, pg_sys::Oid::from(group)) } != pg_sys::InvalidOid {
            continue;
        }
        if is_sequence {
            owners.sequences.push(group);
        } else {
            owners.relations.push(group);
        }
    }
    Some(owners)
}

/// The table a sequence belongs to (serial or identity), if any.
fn sequence_table(sequence: u32) -> Option<u32> {
    let (mut table, mut column) = (pg_sys::InvalidOid, 0i32);
    // 'a': serial (OWNED BY), 'i': identity
    for deptype in [b'a', b'i'] {
        // SAFETY: reads pg_depend; both out-parameters are plain integers.
        if unsafe { pg_sys::sequenceIsOwned(pg_sys::Oid::from(sequence), deptype as std::ffi::c_char, &mut table, &mut column) } {
            return Some(table.to_u32());
        }
    }
    None
}

/// Every object of `catalog` (a system catalog with a handful of rows: pg_event_trigger,
/// pg_publication, pg_default_acl), read under the statement's own changes.
pub fn all_of(catalog: &'static str) -> Vec<u32> {
    let rows = query("catalog_oids", &format!("SELECT oid::int8 FROM pg_catalog.{catalog}"), &[]);
    (0..rows.len()).map(|r| rows.oid(r, 1)).collect()
}

/// The objects a GRANT or REVOKE changed the privileges of: its collected command lists them
/// by oid. (ALTER DEFAULT PRIVILEGES names none: `touched_owners` re-reads them all.)
///
/// # Safety
/// `command` is a collected command of the running event trigger.
pub unsafe fn objects_of_command(command: *const pg_sys::CollectedCommand) -> Vec<Touched> {
    use pg_sys::ObjectType::*;
    unsafe {
        match (*command).type_ {
            pg_sys::CollectedCommandType::SCT_Grant => {
                let grant = (*command).d.grant.istmt;
                if grant.is_null() {
                    return Vec::new();
                }
                let classid = match (*grant).objtype {
                    OBJECT_TABLE | OBJECT_SEQUENCE | OBJECT_VIEW | OBJECT_MATVIEW | OBJECT_FOREIGN_TABLE => CLASS_CATALOG,
                    OBJECT_FUNCTION | OBJECT_PROCEDURE | OBJECT_ROUTINE => PROC_CATALOG,
                    OBJECT_TYPE | OBJECT_DOMAIN => TYPE_CATALOG,
                    OBJECT_SCHEMA => NAMESPACE_CATALOG,
                    OBJECT_FOREIGN_SERVER => FOREIGN_SERVER_CATALOG,
                    // databases, tablespaces, languages, large objects, wrappers...: not in snapshots
                    _ => return Vec::new(),
                };
                let objects = pgrx::PgList::<std::ffi::c_void>::from_pg((*grant).objects);
                (0..objects.len())
                    .filter_map(|i| objects.get_oid(i))
                    .map(|oid| Touched { classid, objid: oid.to_u32(), identity: String::new() })
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}
