//! Catalog rows as the server hands them over, before any key is made or name resolved.
//!
//! The pgrx shell fills these from one set-based query per object kind (`sql/catalog/*.sql`);
//! `crate::build` turns them into a `Snapshot`. Oids only link rows to each other here: none
//! reaches the snapshot or its signature.

use crate::model::{Cast, Collation, ForeignDataWrapper, ForeignServer, Operator, OperatorClass, DefaultPrivileges, EventTrigger, Extension, Function, Privileges, Publication, Rule, Schema, Statistics, UserType};
use std::collections::HashMap;

pub type Oid = u32;

#[derive(Debug, Clone, Default)]
pub struct RawCatalog {
    pub db_name: String,
    pub server_version: String,
    pub captured_at: String,
    /// Requested schemas, in the order they were resolved (by name).
    pub schemas: Vec<RawSchema>,
    /// Keywords that force quoting, from `pg_get_keywords()`.
    pub quoted_keywords: Vec<String>,
    /// Table keys the caller limited the snapshot to, if any.
    pub table_filter: Option<Vec<String>>,
    /// pg_lens's id of this database (`lens_head.database_id`), when it has one yet.
    pub database_id: Option<String>,
    pub exact_sizes: bool,
    pub block_size: i64,
    pub relations: Vec<RawRelation>,
    pub columns: Vec<RawColumn>,
    /// `format_type()` and default collation for every (type, typmod) the columns use.
    pub types: HashMap<(Oid, i32), RawType>,
    /// Qualified, quoted names of the collations that columns use explicitly.
    pub collations: HashMap<Oid, String>,
    pub constraints: Vec<RawConstraint>,
    pub indexes: Vec<RawIndex>,
    /// Index definitions: printed by `crate::index_def` where it can
    /// (`build::print_own_index_definitions`), by the server for the rest.
    pub index_defs: HashMap<Oid, RawIndexDef>,
    /// The default operator class per (access method, type), where it is known for sure.
    pub default_opclasses: HashMap<(Oid, Oid), Oid>,
    pub enums: Vec<RawEnum>,
    pub domains: Vec<RawDomain>,
    pub sequences: Vec<RawSequence>,
    pub triggers: Vec<RawTrigger>,
    pub policies: Vec<RawPolicy>,
    /// Explicit privileges by object: (catalog, object, column or 0), from
    /// `sql/catalog/privileges.sql`, for objects whose ACL is not the default.
    pub privileges: HashMap<(Oid, Oid, i32), Privileges>,
    /// The kinds read straight into their model (their query prints each entry).
    pub functions: Vec<Function>,
    pub schema_objects: Vec<Schema>,
    pub extensions: Vec<Extension>,
    pub default_privileges: Vec<DefaultPrivileges>,
    pub collation_objects: Vec<Collation>,
    pub user_types: Vec<UserType>,
    pub statistics: Vec<Statistics>,
    pub rules: Vec<Rule>,
    pub publications: Vec<Publication>,
    pub event_triggers: Vec<EventTrigger>,
    pub casts: Vec<Cast>,
    pub foreign_data_wrappers: Vec<ForeignDataWrapper>,
    pub foreign_servers: Vec<ForeignServer>,
    pub operators: Vec<Operator>,
    pub operator_classes: Vec<OperatorClass>,
}

/// pg_foreign_server, for `RawCatalog::privileges`.
pub const FOREIGN_SERVER_CATALOG: Oid = 1417;

/// Catalog ids, for `RawCatalog::privileges`.
pub const CLASS_CATALOG: Oid = 1259; // pg_class
pub const PROC_CATALOG: Oid = 1255; // pg_proc
pub const TYPE_CATALOG: Oid = 1247; // pg_type
pub const NAMESPACE_CATALOG: Oid = 2615; // pg_namespace
pub const DEFAULT_ACL_CATALOG: Oid = 826; // pg_default_acl

#[derive(Debug, Clone, Default)]
pub struct RawSchema {
    pub oid: Oid,
    pub name: String,
}

#[derive(Debug, Clone, Default)]
pub struct RawRelation {
    pub oid: Oid,
    pub schema: String,
    pub name: String,
    /// `r`, `p`, `v`, `m` or `f`.
    pub relkind: String,
    pub reltuples: f64,
    pub relpages: i64,
    pub toast_pages: i64,
    /// `p` permanent, `u` unlogged.
    pub persistence: String,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    pub is_partition: bool,
    pub parent: Option<(String, String)>,
    /// (schema, name) of the tables it inherits from, in `inhseqno` order (not a partition's
    /// parent: that is `parent`).
    pub inherits: Vec<(String, String)>,
    pub partition_bound: Option<String>,
    pub partition_key: Option<String>,
    pub view_definition: Option<String>,
    pub comment: Option<String>,
    /// `(total, heap, index)` bytes from the `pg_*_size` functions, when exact sizes were asked.
    pub exact_sizes: Option<(i64, i64, i64)>,
    /// The owning role's name.
    pub owner: Option<String>,
    pub options: Vec<String>,
    /// Set when not the database's default.
    pub tablespace: Option<String>,
    /// The table access method's name (`heap`), for relations that have one.
    pub access_method: Option<String>,
    /// `relreplident`: `d` default, `n` nothing, `f` full, `i` index.
    pub replica_identity: String,
    /// A foreign table's server and options.
    pub server: Option<String>,
    pub foreign_options: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawColumn {
    pub relid: Oid,
    pub attnum: i16,
    pub name: String,
    pub type_oid: Oid,
    pub typmod: i32,
    pub not_null: bool,
    /// `a` always, `d` by default, empty otherwise.
    pub identity: String,
    /// `s` stored generated column, empty otherwise.
    pub generated: String,
    pub collation: Oid,
    /// `pg_get_expr(adbin)`: the default, or the generation expression (filled from the
    /// deparse of its group, see `expr_groups`).
    pub default_expr: Option<String>,
    /// `pg_attrdef.oid` and `adbin` as text, when the column has a default or expression.
    pub attrdef_oid: Oid,
    pub default_node: Option<String>,
    pub comment: Option<String>,
    /// `attstorage`: `p`, `m`, `e` or `x`.
    pub storage: String,
    /// `attcompression`: `p` pglz, `l` lz4, empty for the default.
    pub compression: String,
    /// `attstattarget`, -1 (or NULL on newer majors) for the default.
    pub statistics_target: Option<i64>,
    pub options: Vec<String>,
    pub foreign_options: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawType {
    pub formatted: String,
    pub collation: Oid,
    /// `typstorage`: the storage a column of the type gets by default.
    pub storage: String,
}

#[derive(Debug, Clone, Default)]
pub struct RawConstraint {
    pub oid: Oid,
    pub relid: Oid,
    pub name: String,
    /// `p`, `u`, `f`, `c`, `x`, or `n` (a NOT NULL, PostgreSQL 18).
    pub contype: String,
    pub conkey: Vec<i16>,
    pub index_oid: Oid,
    pub deferrable: bool,
    pub deferred: bool,
    pub validated: bool,
    pub no_inherit: bool,
    /// Inherited from a parent (`coninhcount` > 0), whether or not also defined locally.
    pub inherited: bool,
    /// `NOT ENFORCED` (PostgreSQL 18).
    pub not_enforced: bool,
    /// `WITHOUT OVERLAPS` / `PERIOD` (PostgreSQL 18).
    pub period: bool,
    /// Set on FKs and triggers that a partition inherited from its parent.
    pub inherited_from_parent: bool,
    /// The child table and its FK columns, when the child is not among the relations read
    /// (a snapshot limited to some tables that lists the FKs pointing at them).
    pub child: Option<(String, String, Vec<String>)>,
    pub parent_schema: Option<String>,
    pub parent_table: Option<String>,
    pub parent_relid: Oid,
    pub parent_attnums: Vec<i16>,
    /// Names of the referenced columns (resolved from `parent_attnums`).
    pub parent_cols: Vec<String>,
    pub on_update: String,
    pub on_delete: String,
    pub match_type: String,
    pub on_delete_set_cols: Vec<i16>,
    pub check_expr: Option<String>,
    /// `conbin` as text, for CHECK constraints.
    pub check_node: Option<String>,
    pub definition: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawIndex {
    pub oid: Oid,
    pub relid: Oid,
    pub name: String,
    /// `i` or `I` (partitioned index).
    pub relkind: String,
    pub method: String,
    pub method_oid: Oid,
    pub relpages: i64,
    pub nkeyatts: usize,
    pub is_unique: bool,
    pub is_primary: bool,
    pub is_exclusion: bool,
    pub is_valid: bool,
    pub nulls_not_distinct: bool,
    pub is_replica_identity: bool,
    pub indkey: Vec<i16>,
    pub indoption: Vec<i16>,
    pub indclass: Vec<Oid>,
    pub indcollation: Vec<Oid>,
    /// Reloptions, opclass options or expressions: printed by the server, never by us.
    pub needs_server_def: bool,
    pub predicate: Option<String>,
    /// `indpred` as text, for partial indexes.
    pub predicate_node: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawIndexDef {
    pub definition: String,
    pub columns: Vec<String>,
    /// INCLUDE columns, when printed by the extension (the server's answer leaves them out).
    pub include: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct RawEnum {
    pub oid: Oid,
    pub schema: String,
    pub name: String,
    pub values: Vec<String>,
    pub comment: Option<String>,
    /// The owning role's name.
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawDomain {
    pub oid: Oid,
    pub schema: String,
    pub name: String,
    pub data_type: String,
    pub not_null: bool,
    pub default: Option<String>,
    pub collation: Option<String>,
    pub check_names: Vec<String>,
    pub check_defs: Vec<String>,
    pub comment: Option<String>,
    /// The owning role's name.
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawSequence {
    pub oid: Oid,
    pub schema: String,
    pub name: String,
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
    pub owner: Option<(Oid, i16)>,
    pub identity: bool,
    pub comment: Option<String>,
    /// The owning role's name (`owner` is the column that owns it).
    pub role: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawTrigger {
    pub oid: Oid,
    pub relid: Oid,
    pub name: String,
    pub definition: String,
    /// `O`, `D`, `R` or `A`.
    pub enabled: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawPolicy {
    pub oid: Oid,
    pub relid: Oid,
    pub name: String,
    /// `*`, `r`, `a`, `w` or `d`.
    pub command: String,
    pub permissive: bool,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
    pub comment: Option<String>,
}
