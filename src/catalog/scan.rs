//! Direct scans of the system catalogs, for the kinds with tens of thousands of rows.
//!
//! A SQL query over pg_attribute pays for a plan, hash joins and a datum conversion per
//! output column; a heap scan that reads the fixed part of each tuple in place costs a
//! fraction of it (columns of a 5,000-table schema: about 100 ms by SQL). Scans run under the
//! active snapshot, the one the other catalog queries of the same call use.
//!
//! Capture reads a few relations out of thousands: it passes `Keys`, and each scan becomes
//! a probe of the catalog's index on its first column per key instead of a full scan.

use lens_core::catalog::{Oid, RawColumn, RawConstraint, RawIndex, RawRelation, RawSchema, RawSequence};
use pgrx::prelude::*;
use pgrx::FromDatum;
use std::collections::{HashMap, HashSet};
use std::ffi::CStr;

const ATTRIBUTE_RELATION: u32 = 1249; // pg_attribute
const ATTRDEF_RELATION: u32 = 2604; // pg_attrdef
const DESCRIPTION_RELATION: u32 = 2609; // pg_description
const CLASS_RELATION: u32 = 1259; // pg_class
const CONSTRAINT_RELATION: u32 = 2606; // pg_constraint
const INDEX_RELATION: u32 = 2610; // pg_index
const SEQUENCE_RELATION: u32 = 2224; // pg_sequence
const DEPEND_RELATION: u32 = 2608; // pg_depend
const DEPEND_DEPENDER_INDEX: u32 = 2673; // pg_depend (classid, objid, objsubid)
const DEPEND_REFERENCE_INDEX: u32 = 2674; // pg_depend (refclassid, refobjid, refobjsubid)
const CLASS_OID_INDEX: Probe = (2662, "oid"); // pg_class (oid)
const ATTRIBUTE_RELID_INDEX: Probe = (2659, "attrelid"); // pg_attribute (attrelid, attnum)
const ATTRDEF_RELID_INDEX: Probe = (2656, "adrelid"); // pg_attrdef (adrelid, adnum)
const CONSTRAINT_RELID_INDEX: Probe = (2665, "conrelid"); // pg_constraint (conrelid, contypid, conname)
const INDEX_INDRELID_INDEX: Probe = (2678, "indrelid"); // pg_index (indrelid)
const DESCRIPTION_OBJECT_INDEX: Probe = (2675, "objoid"); // pg_description (objoid, classoid, objsubid)
const SEQUENCE_RELID_INDEX: Probe = (5002, "seqrelid"); // pg_sequence (seqrelid)

/// The values of a catalog index's first column to probe, instead of scanning the catalog.
pub type Keys<'a> = Option<&'a [Oid]>;

/// The fixed part of a pg_description tuple (pgrx does not generate this one).
#[repr(C)]
struct DescriptionForm {
    objoid: pg_sys::Oid,
    classoid: pg_sys::Oid,
    objsubid: i32,
}

/// The fixed part of a pg_attrdef tuple (pgrx does not generate this one).
#[repr(C)]
struct AttrDefaultForm {
    oid: pg_sys::Oid,
    adrelid: pg_sys::Oid,
    adnum: i16,
}

/// The fixed part of a pg_constraint tuple (pgrx does not generate it), as each major lays it
/// out (catalog/pg_constraint.h): 16 narrowed `coninhcount`, 18 added `conenforced` and
/// `conperiod`.
#[repr(C)]
struct ConstraintForm {
    oid: pg_sys::Oid,
    conname: pg_sys::NameData,
    connamespace: pg_sys::Oid,
    contype: std::ffi::c_char,
    condeferrable: bool,
    condeferred: bool,
    #[cfg(feature = "pg18")]
    conenforced: bool,
    convalidated: bool,
    conrelid: pg_sys::Oid,
    contypid: pg_sys::Oid,
    conindid: pg_sys::Oid,
    conparentid: pg_sys::Oid,
    confrelid: pg_sys::Oid,
    confupdtype: std::ffi::c_char,
    confdeltype: std::ffi::c_char,
    confmatchtype: std::ffi::c_char,
    conislocal: bool,
    #[cfg(any(feature = "pg14", feature = "pg15"))]
    coninhcount: i32,
    #[cfg(not(any(feature = "pg14", feature = "pg15")))]
    coninhcount: i16,
    connoinherit: bool,
    #[cfg(feature = "pg18")]
    conperiod: bool,
}

/// The fixed part of a pg_sequence tuple (pgrx does not generate this one).
#[repr(C)]
struct SequenceForm {
    seqrelid: pg_sys::Oid,
    seqtypid: pg_sys::Oid,
    seqstart: i64,
    seqincrement: i64,
    seqmax: i64,
    seqmin: i64,
    seqcache: i64,
    seqcycle: bool,
}

/// The fixed part of a pg_depend tuple (pgrx does not generate this one).
#[repr(C)]
struct DependForm {
    classid: pg_sys::Oid,
    objid: pg_sys::Oid,
    objsubid: i32,
    refclassid: pg_sys::Oid,
    refobjid: pg_sys::Oid,
    refobjsubid: i32,
    deptype: std::ffi::c_char,
}

/// A catalog index and the column (its first) that capture probes it on, by name: the
/// column's number is looked up in the catalog's descriptor.
type Probe = (u32, &'static str);

/// Calls `f` with every tuple of catalog `relid` visible to the active snapshot: all of them,
/// or (`keys` given) those whose column `probe.1` is one of `keys`, found through index `probe.0`.
fn scan(relid: u32, probe: Probe, keys: Keys, mut f: impl FnMut(pg_sys::HeapTuple, pg_sys::TupleDesc)) {
    unsafe {
        // SAFETY: open, scan and close are paired; tuples are used only inside `f`.
        let rel = pg_sys::table_open(pg_sys::Oid::from(relid), pg_sys::AccessShareLock as pg_sys::LOCKMODE);
        let snapshot = pg_sys::GetActiveSnapshot();
        let mut n: usize = 0;
        let mut drain = |scan: *mut pg_sys::SysScanDescData| {
            loop {
                let tuple = pg_sys::systable_getnext(scan);
                if tuple.is_null() {
                    break;
                }
                f(tuple, (*rel).rd_att);
                n += 1;
                if n % 4096 == 0 {
                    pg_sys::check_for_interrupts!();
                }
            }
            pg_sys::systable_endscan(scan);
        };
        match keys {
            None => drain(pg_sys::systable_beginscan(rel, pg_sys::InvalidOid, false, snapshot, 0, std::ptr::null_mut())),
            Some(keys) => {
                for &key in keys {
                    let mut scankey: pg_sys::ScanKeyData = std::mem::zeroed();
                    pg_sys::ScanKeyInit(
                        &mut scankey,
                        attnum((*rel).rd_att, probe.1) as i16,
                        pg_sys::BTEqualStrategyNumber as u16,
                        pg_sys::Oid::from(pg_sys::F_OIDEQ),
                        pg_sys::Datum::from(key),
                    );
                    drain(pg_sys::systable_beginscan(rel, pg_sys::Oid::from(probe.0), true, snapshot, 1, &mut scankey));
                }
            }
        }
        pg_sys::table_close(rel, pg_sys::AccessShareLock as pg_sys::LOCKMODE);
    }
}

/// Whether a constraint is enforced (`NOT ENFORCED` came with PostgreSQL 18).
#[cfg(feature = "pg18")]
fn enforced(c: &ConstraintForm) -> bool {
    c.conenforced
}
#[cfg(not(feature = "pg18"))]
fn enforced(_: &ConstraintForm) -> bool {
    true
}

/// `WITHOUT OVERLAPS` of a key, `PERIOD` of an FK (PostgreSQL 18).
#[cfg(feature = "pg18")]
fn period(c: &ConstraintForm) -> bool {
    c.conperiod
}
#[cfg(not(feature = "pg18"))]
fn period(_: &ConstraintForm) -> bool {
    false
}

/// NULLS NOT DISTINCT of a unique index (PostgreSQL 15 brought it).
#[cfg(not(feature = "pg14"))]
fn nulls_not_distinct(index: &pg_sys::FormData_pg_index) -> bool {
    index.indnullsnotdistinct
}
#[cfg(feature = "pg14")]
fn nulls_not_distinct(_: &pg_sys::FormData_pg_index) -> bool {
    false
}

/// The 1-based number of column `name` of a catalog, looked up rather than hard-coded so that
/// catalog layout changes between server versions cannot misplace a field.
fn attnum(tupdesc: pg_sys::TupleDesc, name: &str) -> i32 {
    attnum_if_any(tupdesc, name).unwrap_or_else(|| crate::errors::internal(format!("catalog column {name} not found")))
}

/// `attnum` of a column some majors do not have: None there.
fn attnum_if_any(tupdesc: pg_sys::TupleDesc, name: &str) -> Option<i32> {
    unsafe {
        // SAFETY: the descriptor belongs to an open relation.
        let columns = pgrx::PgTupleDesc::from_pg_unchecked(tupdesc);
        for (i, att) in columns.iter().enumerate() {
            if CStr::from_ptr(att.attname.data.as_ptr()).to_bytes() == name.as_bytes() {
                return Some(i as i32 + 1);
            }
        }
    }
    None
}

fn name_of(name: &pg_sys::NameData) -> String {
    unsafe { CStr::from_ptr(name.data.as_ptr()) }.to_string_lossy().into_owned()
}

/// A text (or pg_node_tree) column of the tuple, NULL as None.
fn text_attr(tuple: pg_sys::HeapTuple, tupdesc: pg_sys::TupleDesc, attnum: i32) -> Option<String> {
    unsafe {
        // SAFETY: a valid tuple of the relation `tupdesc` describes; text is detoasted by FromDatum.
        let mut is_null = false;
        let datum = pg_sys::heap_getattr(tuple, attnum, tupdesc, &mut is_null);
        if is_null {
            return None;
        }
        String::from_polymorphic_datum(datum, false, pg_sys::TEXTOID)
    }
}

/// A text[] column of the tuple (empty when NULL).
fn texts_attr(tuple: pg_sys::HeapTuple, tupdesc: pg_sys::TupleDesc, attnum: i32) -> Vec<String> {
    unsafe {
        // SAFETY: a valid tuple of the relation `tupdesc` describes; the array is detoasted.
        let mut is_null = false;
        let datum = pg_sys::heap_getattr(tuple, attnum, tupdesc, &mut is_null);
        if is_null {
            return Vec::new();
        }
        Vec::<Option<String>>::from_polymorphic_datum(datum, false, pg_sys::TEXTARRAYOID)
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect()
    }
}

fn is_null_attr(tuple: pg_sys::HeapTuple, tupdesc: pg_sys::TupleDesc, attnum: i32) -> bool {
    unsafe { pg_sys::heap_attisnull(tuple, attnum, tupdesc) }
}

/// Role names by oid, each looked up once per read.
#[derive(Default)]
pub struct RoleNames(HashMap<Oid, Option<String>>);

impl RoleNames {
    pub fn name(&mut self, oid: Oid) -> Option<String> {
        self.0.entry(oid).or_insert_with(|| crate::catalog::syscache::role_name(oid)).clone()
    }
}

/// Comments of relations, their columns, and constraints.
#[derive(Default)]
pub struct Comments {
    /// (relation oid, column number or 0) -> text
    pub relations: HashMap<(Oid, i32), String>,
    /// constraint oid -> text
    pub constraints: HashMap<Oid, String>,
}

/// Comments of everything, or (`keys`) of those objects.
pub fn comments(keys: Keys) -> Comments {
    let mut out = Comments { relations: HashMap::new(), constraints: HashMap::new() };
    let mut description: Option<i32> = None;
    scan(DESCRIPTION_RELATION, DESCRIPTION_OBJECT_INDEX, keys, |tuple, tupdesc| {
        let form = unsafe { &*pg_sys::heap_tuple_get_struct::<DescriptionForm>(tuple) };
        let class = form.classoid.to_u32();
        if class != CLASS_RELATION && class != CONSTRAINT_RELATION {
            return;
        }
        let description = *description.get_or_insert_with(|| attnum(tupdesc, "description"));
        if let Some(text) = text_attr(tuple, tupdesc, description) {
            if class == CLASS_RELATION {
                out.relations.insert((form.objoid.to_u32(), form.objsubid), text);
            } else {
                out.constraints.insert(form.objoid.to_u32(), text);
            }
        }
    });
    out
}

/// An int2[] column of the tuple (empty when NULL).
fn smallints_attr(tuple: pg_sys::HeapTuple, tupdesc: pg_sys::TupleDesc, attnum: i32) -> Vec<i16> {
    unsafe {
        // SAFETY: a valid tuple of the relation `tupdesc` describes; the array is detoasted.
        let mut is_null = false;
        let datum = pg_sys::heap_getattr(tuple, attnum, tupdesc, &mut is_null);
        if is_null {
            return Vec::new();
        }
        Vec::<Option<i16>>::from_polymorphic_datum(datum, false, pg_sys::INT2ARRAYOID)
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect()
    }
}

/// Primary keys, uniques, checks, exclusions and FKs of `relations`, and FKs from elsewhere
/// that point at `pointed_at` (a snapshot limited to some tables lists those too). Names of
/// tables outside `relations` are left for the caller to fill in (`parent_schema` etc.).
pub fn constraints(relations: &HashSet<Oid>, pointed_at: Option<&HashSet<Oid>>, comments: &Comments, keys: Keys) -> Vec<RawConstraint> {
    let mut out = Vec::new();
    let mut columns: Option<[i32; 4]> = None;
    scan(CONSTRAINT_RELATION, CONSTRAINT_RELID_INDEX, keys, |tuple, tupdesc| {
        let c = unsafe { &*pg_sys::heap_tuple_get_struct::<ConstraintForm>(tuple) };
        // (confdelsetcols, ON DELETE SET NULL (cols), came with PostgreSQL 15: 0 before)
        let [conkey, confkey, confdelsetcols, conbin] = *columns.get_or_insert_with(|| {
            [attnum(tupdesc, "conkey"), attnum(tupdesc, "confkey"), attnum_if_any(tupdesc, "confdelsetcols").unwrap_or(0), attnum(tupdesc, "conbin")]
        });
        let contype = c.contype as u8;
        // 'n': PostgreSQL 18's NOT NULL constraints (domains' NOT NULL, 17 and later, have no
        // relation and are left out below)
        if !matches!(contype, b'p' | b'u' | b'f' | b'c' | b'x' | b'n') {
            return;
        }
        let relid = c.conrelid.to_u32();
        let parent = c.confrelid.to_u32();
        let inbound = contype == b'f' && pointed_at.is_some_and(|p| p.contains(&parent));
        if !relations.contains(&relid) && !inbound {
            return;
        }
        let oid = c.oid.to_u32();
        out.push(RawConstraint {
            oid,
            relid,
            name: name_of(&c.conname),
            contype: (contype as char).to_string(),
            conkey: smallints_attr(tuple, tupdesc, conkey),
            index_oid: c.conindid.to_u32(),
            deferrable: c.condeferrable,
            deferred: c.condeferred,
            validated: c.convalidated,
            no_inherit: c.connoinherit,
            inherited: c.coninhcount > 0,
            not_enforced: !enforced(c),
            period: period(c),
            inherited_from_parent: contype == b'f' && c.conparentid.to_u32() != 0,
            parent_relid: parent,
            parent_attnums: if contype == b'f' { smallints_attr(tuple, tupdesc, confkey) } else { Vec::new() },
            on_update: char_field(c.confupdtype),
            on_delete: char_field(c.confdeltype),
            match_type: char_field(c.confmatchtype),
            on_delete_set_cols: if contype == b'f' && confdelsetcols > 0 { smallints_attr(tuple, tupdesc, confdelsetcols) } else { Vec::new() },
            check_node: if contype == b'c' { text_attr(tuple, tupdesc, conbin) } else { None },
            comment: comments.constraints.get(&oid).cloned(),
            ..Default::default()
        });
    });
    out
}

/// The columns of `relations`, with their stored default or generation expression (as a node
/// tree, deparsed later by group) and their comments.
/// `with_acl` gets the relations that have a column with privileges of its own.
pub fn columns(relations: &HashSet<Oid>, comments: &Comments, keys: Keys, with_acl: &mut HashSet<Oid>) -> Vec<RawColumn> {
    let mut columns = Vec::new();
    let mut numbers: Option<[i32; 4]> = None;
    scan(ATTRIBUTE_RELATION, ATTRIBUTE_RELID_INDEX, keys, |tuple, tupdesc| {
        let a = unsafe { &*pg_sys::heap_tuple_get_struct::<pg_sys::FormData_pg_attribute>(tuple) };
        let relid = a.attrelid.to_u32();
        if a.attnum <= 0 || a.attisdropped || !relations.contains(&relid) {
            return;
        }
        let [attacl, attoptions, attstattarget, attfdwoptions] =
            *numbers.get_or_insert_with(|| ["attacl", "attoptions", "attstattarget", "attfdwoptions"].map(|n| attnum(tupdesc, n)));
        if !is_null_attr(tuple, tupdesc, attacl) {
            with_acl.insert(relid);
        }
        columns.push(RawColumn {
            storage: char_field(a.attstorage),
            compression: char_field(a.attcompression),
            statistics_target: int_attr(tuple, tupdesc, attstattarget),
            options: if is_null_attr(tuple, tupdesc, attoptions) { Vec::new() } else { texts_attr(tuple, tupdesc, attoptions) },
            foreign_options: if is_null_attr(tuple, tupdesc, attfdwoptions) { Vec::new() } else { texts_attr(tuple, tupdesc, attfdwoptions) },
            relid,
            attnum: a.attnum,
            name: name_of(&a.attname),
            type_oid: a.atttypid.to_u32(),
            typmod: a.atttypmod,
            not_null: a.attnotnull,
            identity: char_field(a.attidentity),
            generated: char_field(a.attgenerated),
            collation: a.attcollation.to_u32(),
            comment: comments.relations.get(&(relid, a.attnum as i32)).cloned(),
            ..Default::default()
        });
    });
    let mut defaults: HashMap<(Oid, i16), (Oid, String)> = HashMap::new();
    let mut adbin: Option<i32> = None;
    scan(ATTRDEF_RELATION, ATTRDEF_RELID_INDEX, keys, |tuple, tupdesc| {
        let d = unsafe { &*pg_sys::heap_tuple_get_struct::<AttrDefaultForm>(tuple) };
        let relid = d.adrelid.to_u32();
        if relations.contains(&relid) {
            let adbin = *adbin.get_or_insert_with(|| attnum(tupdesc, "adbin"));
            if let Some(node) = text_attr(tuple, tupdesc, adbin) {
                defaults.insert((relid, d.adnum), (d.oid.to_u32(), node));
            }
        }
    });
    for c in &mut columns {
        if let Some((oid, node)) = defaults.remove(&(c.relid, c.attnum)) {
            c.attrdef_oid = oid;
            c.default_node = Some(node);
        }
    }
    columns
}

/// An integer column of any width (`attstattarget` is int4 up to PostgreSQL 16, a nullable
/// int2 from 17), NULL as None.
fn int_attr(tuple: pg_sys::HeapTuple, tupdesc: pg_sys::TupleDesc, attnum: i32) -> Option<i64> {
    unsafe {
        // SAFETY: a valid tuple of the relation `tupdesc` describes; the column's type says how
        // to read the datum.
        let mut is_null = false;
        let datum = pg_sys::heap_getattr(tuple, attnum, tupdesc, &mut is_null);
        if is_null {
            return None;
        }
        // pgrx's accessor knows where each major keeps the columns (18 moved them)
        let Some(type_oid) = pgrx::PgTupleDesc::from_pg_unchecked(tupdesc).get(attnum as usize - 1).map(|a| a.atttypid) else {
            return None;
        };
        match type_oid {
            pg_sys::INT2OID => i16::from_datum(datum, false).map(i64::from),
            pg_sys::INT4OID => i32::from_datum(datum, false).map(i64::from),
            _ => None,
        }
    }
}

/// A `"char"` catalog field as the one-letter string SQL would give ('' for the zero byte).
fn char_field(c: std::ffi::c_char) -> String {
    if c == 0 {
        String::new()
    } else {
        (c as u8 as char).to_string()
    }
}

/// The elements of an int2vector or oidvector held in place (never toasted).
unsafe fn vector_values<T: Copy>(header: *const pg_sys::int2vector) -> Vec<T> {
    // int2vector and oidvector share their header layout; only the element type differs.
    let n = (*header).dim1.max(0) as usize;
    let values = (*header).values.as_ptr() as *const T;
    std::slice::from_raw_parts(values, n).to_vec()
}

/// Indexes of `relations`: pg_index for the keys and flags, `classes` (from the pg_class
/// scan) for the index's name, kind, access method, size and options.
/// Also returns the indexes of the TOAST tables in `toast_tables` (toast oid -> index oids).
pub fn indexes(
    relations: &HashSet<Oid>,
    toast_tables: &HashSet<Oid>,
    classes: &HashMap<Oid, IndexClass>,
    method_names: &HashMap<Oid, String>,
    comments: &Comments,
    keys: Keys,
) -> (Vec<RawIndex>, HashMap<Oid, Vec<Oid>>) {
    let mut out: Vec<RawIndex> = Vec::new();
    let mut toast_indexes: HashMap<Oid, Vec<Oid>> = HashMap::new();
    let mut columns: Option<[i32; 4]> = None;
    scan(INDEX_RELATION, INDEX_INDRELID_INDEX, keys, |tuple, tupdesc| {
        let i = unsafe { &*pg_sys::heap_tuple_get_struct::<pg_sys::FormData_pg_index>(tuple) };
        let relid = i.indrelid.to_u32();
        if toast_tables.contains(&relid) {
            toast_indexes.entry(relid).or_default().push(i.indexrelid.to_u32());
            return;
        }
        if !relations.contains(&relid) {
            return;
        }
        let [indcollation, indclass, indoption, indpred] =
            *columns.get_or_insert_with(|| ["indcollation", "indclass", "indoption", "indpred"].map(|n| attnum(tupdesc, n)));
        let vector = |attnum: i32| -> Option<*const pg_sys::int2vector> {
            unsafe {
                // SAFETY: vector columns of pg_index are stored in line, never toasted.
                let mut is_null = false;
                let datum = pg_sys::heap_getattr(tuple, attnum, tupdesc, &mut is_null);
                (!is_null).then(|| datum.cast_mut_ptr::<pg_sys::int2vector>() as *const pg_sys::int2vector)
            }
        };
        let has_expressions = unsafe { !pg_sys::heap_attisnull(tuple, attnum(tupdesc, "indexprs"), tupdesc) };
        out.push(RawIndex {
            oid: i.indexrelid.to_u32(),
            relid,
            nkeyatts: i.indnkeyatts.max(0) as usize,
            is_unique: i.indisunique,
            is_primary: i.indisprimary,
            is_exclusion: i.indisexclusion,
            is_valid: i.indisvalid,
            nulls_not_distinct: nulls_not_distinct(i),
            is_replica_identity: i.indisreplident,
            indkey: unsafe { vector_values::<i16>(&i.indkey) },
            indcollation: vector(indcollation).map(|v| unsafe { vector_values::<u32>(v) }).unwrap_or_default(),
            indclass: vector(indclass).map(|v| unsafe { vector_values::<u32>(v) }).unwrap_or_default(),
            indoption: vector(indoption).map(|v| unsafe { vector_values::<i16>(v) }).unwrap_or_default(),
            needs_server_def: has_expressions,
            predicate_node: text_attr(tuple, tupdesc, indpred),
            comment: comments.relations.get(&(i.indexrelid.to_u32(), 0)).cloned(),
            ..Default::default()
        });
    });
    for index in &mut out {
        if let Some(class) = classes.get(&index.oid) {
            index.name = class.name.clone();
            index.relkind = class.relkind.clone();
            index.method_oid = class.access_method;
            index.method = method_names.get(&class.access_method).cloned().unwrap_or_default();
            index.relpages = class.pages;
            index.needs_server_def |= class.has_options;
        }
    }
    (out, toast_indexes)
}

/// What one scan of pg_class gives: the relations a snapshot reads, and the size in pages
/// and details of the other relations it needs (TOAST tables, indexes).
pub struct Classes {
    pub relations: Vec<RawRelation>,
    /// Sequences of the schemas read: (oid, schema, name).
    pub sequences: Vec<(Oid, String, String)>,
    /// The owning role of each relation and sequence read.
    pub roles: HashMap<Oid, Option<String>>,
    /// Relations and sequences whose ACL is set (default privileges or not: privileges.sql says).
    pub with_acl: HashSet<Oid>,
    /// The relations of composite types (`CREATE TYPE ... AS (...)`) in the schemas read.
    pub composites: Vec<Oid>,
    /// Where every relation with storage keeps its files, for exact sizes.
    pub storage: HashMap<Oid, Storage>,
    /// Index relations by oid.
    pub indexes: HashMap<Oid, IndexClass>,
}

/// What pg_class says of an index relation.
pub struct IndexClass {
    pub name: String,
    pub relkind: String,
    pub access_method: Oid,
    pub pages: i64,
    pub has_options: bool,
}

/// What locates a relation's files and tells which forks it can have.
#[derive(Clone, Copy)]
pub struct Storage {
    pub filenode: Oid,
    pub tablespace: Oid,
    pub unlogged: bool,
    pub has_visibility_map: bool,
    pub toast: Oid,
}

/// Scans pg_class once: the tables, partitioned tables, views, materialized views and foreign
/// tables of `schemas` (limited to `only` when given, never an extension's), with their
/// comments and TOAST pages; and every index, for `indexes()`.
pub fn classes(schemas: &[RawSchema], only: Option<&HashSet<Oid>>, excluded: &HashSet<Oid>, comments: &Comments, keys: Keys) -> Classes {
    let schema_names: HashMap<Oid, &str> = schemas.iter().map(|s| (s.oid, s.name.as_str())).collect();
    let mut relations = Vec::new();
    let mut toast_of: Vec<(usize, Oid)> = Vec::new();
    let mut pages: HashMap<Oid, i64> = HashMap::new();
    let mut indexes = HashMap::new();
    let mut sequences = Vec::new();
    let mut storage = HashMap::new();
    let mut reloptions: Option<i32> = None;
    let mut relacl: Option<i32> = None;
    let mut roles = HashMap::new();
    let mut with_acl = HashSet::new();
    let mut role_names = RoleNames::default();
    let mut composites = Vec::new();
    let mut own = |c: &pg_sys::FormData_pg_class, tuple: pg_sys::HeapTuple, tupdesc: pg_sys::TupleDesc| {
        let oid = c.oid.to_u32();
        roles.insert(oid, role_names.name(c.relowner.to_u32()));
        let relacl = *relacl.get_or_insert_with(|| attnum(tupdesc, "relacl"));
        if !is_null_attr(tuple, tupdesc, relacl) {
            with_acl.insert(oid);
        }
    };
    scan(CLASS_RELATION, CLASS_OID_INDEX, keys, |tuple, tupdesc| {
        let c = unsafe { &*pg_sys::heap_tuple_get_struct::<pg_sys::FormData_pg_class>(tuple) };
        let oid = c.oid.to_u32();
        if c.relfilenode.to_u32() != 0 && c.relpersistence as u8 != b't' {
            storage.insert(
                oid,
                Storage {
                    filenode: c.relfilenode.to_u32(),
                    tablespace: c.reltablespace.to_u32(),
                    unlogged: c.relpersistence as u8 == b'u',
                    has_visibility_map: matches!(c.relkind as u8, b'r' | b't' | b'm'),
                    toast: c.reltoastrelid.to_u32(),
                },
            );
        }
        match c.relkind as u8 {
            b't' => {
                pages.insert(oid, c.relpages as i64);
            }
            b'i' | b'I' => {
                let reloptions = *reloptions.get_or_insert_with(|| attnum(tupdesc, "reloptions"));
                let has_options = unsafe { !pg_sys::heap_attisnull(tuple, reloptions, tupdesc) };
                indexes.insert(
                    oid,
                    IndexClass {
                        name: name_of(&c.relname),
                        relkind: char_field(c.relkind),
                        access_method: c.relam.to_u32(),
                        pages: c.relpages as i64,
                        has_options,
                    },
                );
            }
            b'S' => {
                if let Some(schema) = schema_names.get(&c.relnamespace.to_u32()) {
                    if !excluded.contains(&oid) {
                        sequences.push((oid, schema.to_string(), name_of(&c.relname)));
                        own(c, tuple, tupdesc);
                    }
                }
            }
            b'c' => {
                if schema_names.contains_key(&c.relnamespace.to_u32()) {
                    composites.push(oid);
                }
            }
            b'r' | b'p' | b'v' | b'm' | b'f' => {
                let Some(schema) = schema_names.get(&c.relnamespace.to_u32()) else { return };
                if excluded.contains(&oid) || only.is_some_and(|only| !only.contains(&oid)) {
                    return;
                }
                if c.reltoastrelid.to_u32() != 0 {
                    toast_of.push((relations.len(), c.reltoastrelid.to_u32()));
                }
                own(c, tuple, tupdesc);
                let reloptions = *reloptions.get_or_insert_with(|| attnum(tupdesc, "reloptions"));
                relations.push(RawRelation {
                    options: texts_attr(tuple, tupdesc, reloptions),
                    tablespace: (c.reltablespace.to_u32() != 0).then(|| c.reltablespace.to_u32()).and_then(crate::catalog::syscache::tablespace_name),
                    access_method: (c.relam.to_u32() != 0).then(|| c.relam.to_u32()).and_then(crate::catalog::syscache::access_method_name),
                    replica_identity: char_field(c.relreplident),
                    oid,
                    schema: schema.to_string(),
                    name: name_of(&c.relname),
                    relkind: char_field(c.relkind),
                    reltuples: c.reltuples as f64,
                    relpages: c.relpages as i64,
                    persistence: char_field(c.relpersistence),
                    rls_enabled: c.relrowsecurity,
                    rls_forced: c.relforcerowsecurity,
                    comment: comments.relations.get(&(oid, 0)).cloned(),
                    // parent, bound, key and view body: printed by the server (relation_details.sql)
                    is_partition: c.relispartition,
                    ..Default::default()
                });
            }
            _ => {}
        }
    });
    if keys.is_some() {
        // the TOAST tables of the relations found, for their pages
        let toasts: Vec<Oid> = toast_of.iter().map(|(_, t)| *t).collect();
        scan(CLASS_RELATION, CLASS_OID_INDEX, Some(&toasts), |tuple, _| {
            let c = unsafe { &*pg_sys::heap_tuple_get_struct::<pg_sys::FormData_pg_class>(tuple) };
            pages.insert(c.oid.to_u32(), c.relpages as i64);
        });
    }
    for (n, toast) in toast_of {
        relations[n].toast_pages = pages.get(&toast).copied().unwrap_or(0);
    }
    for rel in &mut relations {
        rel.owner = roles.get(&rel.oid).cloned().flatten();
    }
    Classes { relations, sequences, storage, indexes, roles, with_acl, composites }
}

/// The column that owns a sequence (serial: dependency 'a'; identity: 'i'), looked up through
/// pg_depend's index on the depending object.
fn sequence_owner(rel: pg_sys::Relation, sequence: Oid) -> Option<(Oid, i16, bool)> {
    unsafe {
        // SAFETY: an index scan on an open catalog with two equality keys, ended before return.
        let mut keys: [pg_sys::ScanKeyData; 2] = std::mem::zeroed();
        pg_sys::ScanKeyInit(&mut keys[0], 1, pg_sys::BTEqualStrategyNumber as u16, pg_sys::Oid::from(pg_sys::F_OIDEQ), pg_sys::Datum::from(CLASS_RELATION));
        pg_sys::ScanKeyInit(&mut keys[1], 2, pg_sys::BTEqualStrategyNumber as u16, pg_sys::Oid::from(pg_sys::F_OIDEQ), pg_sys::Datum::from(sequence));
        let scan = pg_sys::systable_beginscan(rel, pg_sys::Oid::from(DEPEND_DEPENDER_INDEX), true, pg_sys::GetActiveSnapshot(), 2, keys.as_mut_ptr());
        let mut owner = None;
        loop {
            let tuple = pg_sys::systable_getnext(scan);
            if tuple.is_null() {
                break;
            }
            let d = &*pg_sys::heap_tuple_get_struct::<DependForm>(tuple);
            let deptype = d.deptype as u8;
            if d.objsubid == 0 && d.refclassid.to_u32() == CLASS_RELATION && (deptype == b'a' || deptype == b'i') {
                owner = Some((d.refobjid.to_u32(), d.refobjsubid as i16, deptype == b'i'));
                break;
            }
        }
        pg_sys::systable_endscan(scan);
        owner
    }
}

/// Sequences of the schemas read, with their parameters, owners and comments; limited to the
/// ones `only` tables own (and the unowned ones in `standalone`) when given. `data_type` is
/// left for the caller (format_type).
pub fn sequences(
    list: &[(Oid, String, String)],
    only: Option<&HashSet<Oid>>,
    standalone: Option<&HashSet<Oid>>,
    comments: &Comments,
) -> Vec<(RawSequence, Oid)> {
    let wanted: HashMap<Oid, usize> = list.iter().enumerate().map(|(n, (oid, _, _))| (*oid, n)).collect();
    let mut out = Vec::new();
    let depend = unsafe { pg_sys::table_open(pg_sys::Oid::from(DEPEND_RELATION), pg_sys::AccessShareLock as pg_sys::LOCKMODE) };
    let keyed: Option<Vec<Oid>> = only.map(|_| list.iter().map(|(oid, _, _)| *oid).collect());
    scan(SEQUENCE_RELATION, SEQUENCE_RELID_INDEX, keyed.as_deref(), |tuple, _| {
        let q = unsafe { &*pg_sys::heap_tuple_get_struct::<SequenceForm>(tuple) };
        let oid = q.seqrelid.to_u32();
        let Some(&n) = wanted.get(&oid) else { return };
        let owner = sequence_owner(depend, oid);
        if let Some(only) = only {
            let wanted = match owner {
                Some((relid, _, _)) => only.contains(&relid),
                None => standalone.is_some_and(|s| s.contains(&oid)),
            };
            if !wanted {
                return;
            }
        }
        let (_, schema, name) = &list[n];
        out.push((
            RawSequence {
                oid,
                schema: schema.clone(),
                name: name.clone(),
                data_type: String::new(),
                start: q.seqstart,
                increment: q.seqincrement,
                min: q.seqmin,
                max: q.seqmax,
                cache: q.seqcache,
                cycle: q.seqcycle,
                owner: owner.map(|(relid, attnum, _)| (relid, attnum)),
                identity: owner.is_some_and(|(_, _, identity)| identity),
                comment: comments.relations.get(&(oid, 0)).cloned(),
                role: None,
            },
            q.seqtypid.to_u32(),
        ));
    });
    unsafe { pg_sys::table_close(depend, pg_sys::AccessShareLock as pg_sys::LOCKMODE) };
    out
}

/// The indexes of `relations` (by pg_index's index on indrelid): what capture must read of
/// pg_class besides the relations themselves.
pub fn index_oids(relations: &[Oid]) -> Vec<Oid> {
    let mut out = Vec::new();
    scan(INDEX_RELATION, INDEX_INDRELID_INDEX, Some(relations), |tuple, _| {
        let i = unsafe { &*pg_sys::heap_tuple_get_struct::<pg_sys::FormData_pg_index>(tuple) };
        out.push(i.indexrelid.to_u32());
    });
    out
}

/// The relations that depend on `relations` automatically or internally: among them the
/// sequences they own (by pg_depend's index on the referenced object).
pub fn owned_relations(relations: &[Oid]) -> Vec<Oid> {
    let mut out = Vec::new();
    unsafe {
        // SAFETY: an index scan per relation on an open catalog, each ended before the next.
        let rel = pg_sys::table_open(pg_sys::Oid::from(DEPEND_RELATION), pg_sys::AccessShareLock as pg_sys::LOCKMODE);
        for &relation in relations {
            let mut keys: [pg_sys::ScanKeyData; 2] = std::mem::zeroed();
            // heap columns 4 and 5 (refclassid, refobjid) lead the index
            pg_sys::ScanKeyInit(&mut keys[0], 4, pg_sys::BTEqualStrategyNumber as u16, pg_sys::Oid::from(pg_sys::F_OIDEQ), pg_sys::Datum::from(CLASS_RELATION));
            pg_sys::ScanKeyInit(&mut keys[1], 5, pg_sys::BTEqualStrategyNumber as u16, pg_sys::Oid::from(pg_sys::F_OIDEQ), pg_sys::Datum::from(relation));
            let scan = pg_sys::systable_beginscan(rel, pg_sys::Oid::from(DEPEND_REFERENCE_INDEX), true, pg_sys::GetActiveSnapshot(), 2, keys.as_mut_ptr());
            loop {
                let tuple = pg_sys::systable_getnext(scan);
                if tuple.is_null() {
                    break;
                }
                let d = &*pg_sys::heap_tuple_get_struct::<DependForm>(tuple);
                if d.classid.to_u32() == CLASS_RELATION && matches!(d.deptype as u8, b'a' | b'i') {
                    out.push(d.objid.to_u32());
                }
            }
            pg_sys::systable_endscan(scan);
        }
        pg_sys::table_close(rel, pg_sys::AccessShareLock as pg_sys::LOCKMODE);
    }
    out
}

const TRIGGER_RELATION: u32 = 2620; // pg_trigger
const TRIGGER_RELID_INDEX: Probe = (2701, "tgrelid"); // pg_trigger (tgrelid, tgname)
const POLICY_RELATION: u32 = 3256; // pg_policy
const POLICY_RELID_INDEX: Probe = (3258, "polrelid"); // pg_policy (polrelid, polname)

/// Whether any of `relations` has a trigger the snapshot lists (not one the server made for
/// an FK, not a partition's clone of its parent's): capture asks before it queries them.
pub fn any_listed_trigger(relations: &[Oid]) -> bool {
    let mut found = false;
    scan(TRIGGER_RELATION, TRIGGER_RELID_INDEX, Some(relations), |tuple, _| {
        let t = unsafe { &*pg_sys::heap_tuple_get_struct::<pg_sys::FormData_pg_trigger>(tuple) };
        found |= !t.tgisinternal && t.tgparentid == pg_sys::InvalidOid;
    });
    found
}

/// Whether any of `relations` has a row-level security policy.
pub fn any_policy(relations: &[Oid]) -> bool {
    let mut found = false;
    scan(POLICY_RELATION, POLICY_RELID_INDEX, Some(relations), |_, _| found = true);
    found
}

const STATISTIC_EXT_RELATION: u32 = 3381; // pg_statistic_ext
const STATISTIC_EXT_RELID_INDEX: Probe = (3379, "stxrelid"); // pg_statistic_ext (stxrelid)
const REWRITE_RELATION: u32 = 2618; // pg_rewrite
const REWRITE_RELID_INDEX: Probe = (2693, "ev_class"); // pg_rewrite (ev_class, rulename)

/// The fixed part of a pg_rewrite tuple up to the rule's name (pgrx does not generate it).
#[repr(C)]
struct RewriteForm {
    oid: pg_sys::Oid,
    rulename: pg_sys::NameData,
}

/// Whether any of `relations` has extended statistics.
pub fn any_statistics(relations: &[Oid]) -> bool {
    let mut found = false;
    scan(STATISTIC_EXT_RELATION, STATISTIC_EXT_RELID_INDEX, Some(relations), |_, _| found = true);
    found
}

/// Whether any of `relations` has a rule of its own (a view's `_RETURN` rule is its body).
pub fn any_rule(relations: &[Oid]) -> bool {
    let mut found = false;
    scan(REWRITE_RELATION, REWRITE_RELID_INDEX, Some(relations), |tuple, _| {
        let r = unsafe { &*pg_sys::heap_tuple_get_struct::<RewriteForm>(tuple) };
        found |= name_of(&r.rulename) != "_RETURN";
    });
    found
}

const INHERITS_RELATION: u32 = 2611; // pg_inherits
const INHERITS_RELID_INDEX: Probe = (2680, "inhrelid"); // pg_inherits (inhrelid, inhseqno)

/// The fixed part of a pg_inherits tuple (pgrx does not generate this one).
#[repr(C)]
struct InheritsForm {
    inhrelid: pg_sys::Oid,
    inhparent: pg_sys::Oid,
    inhseqno: i32,
    inhdetachpending: bool,
}

/// (child, parent) of every inheritance among `relations` (all of pg_inherits, or by probes
/// of `keys`), each child's parents in `inhseqno` order. Partitions are there too: callers
/// leave them out.
pub fn inheritance(relations: &HashSet<Oid>, keys: Keys) -> Vec<(Oid, Oid)> {
    let mut rows: Vec<(Oid, i32, Oid)> = Vec::new();
    scan(INHERITS_RELATION, INHERITS_RELID_INDEX, keys, |tuple, _| {
        let i = unsafe { &*pg_sys::heap_tuple_get_struct::<InheritsForm>(tuple) };
        if relations.contains(&i.inhrelid.to_u32()) {
            rows.push((i.inhrelid.to_u32(), i.inhseqno, i.inhparent.to_u32()));
        }
    });
    rows.sort_unstable();
    rows.into_iter().map(|(child, _, parent)| (child, parent)).collect()
}
