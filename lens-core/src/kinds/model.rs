//! The snapshot: the seed's `CatalogSnapshot` shape (camelCase field names), extended.
//!
//! Every map is keyed by the object's key (see `crate::keys`) and ordered, so the same schema
//! always serialises the same way. Optional fields are left out when absent rather than
//! written as `null`: `snapshot->'x'->>'comment'` is NULL either way, and a 5,000-table
//! snapshot stays megabytes smaller.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bumped when a field changes meaning; readers accept every version up to their own.
pub const FORMAT_VERSION: i64 = 2;

pub type Map<T> = BTreeMap<String, T>;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub meta: Meta,
    #[serde(default)]
    pub tables: Map<Table>,
    #[serde(default)]
    pub columns: Map<Column>,
    #[serde(default)]
    pub constraints: Constraints,
    #[serde(default)]
    pub relationships: Map<Relationship>,
    #[serde(default)]
    pub indexes: Map<Index>,
    #[serde(default)]
    pub views: Map<View>,
    #[serde(default)]
    pub enums: Map<Enum>,
    #[serde(default)]
    pub domains: Map<Domain>,
    #[serde(default)]
    pub sequences: Map<Sequence>,
    #[serde(default)]
    pub triggers: Map<Trigger>,
    #[serde(default)]
    pub policies: Map<Policy>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    #[serde(default)]
    pub db_name: String,
    #[serde(default)]
    pub captured_at: String,
    #[serde(default)]
    pub schemas: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_version: Option<String>,
    #[serde(default)]
    pub format_version: i64,
    #[serde(default)]
    pub signature: String,
    #[serde(default)]
    pub key_signature: String,
    /// `estimated` (from `pg_class.relpages`) or `exact` (from the `pg_*_size` functions).
    #[serde(default)]
    pub sizes: String,
    /// Identifies the database (kept in pg_lens's `lens_head`): two snapshots with the same
    /// id come from one database, so their oids identify the same objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_id: Option<String>,
    /// The table keys asked for, when the snapshot was limited to some tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    pub key: String,
    pub schema: String,
    pub name: String,
    /// `table`, `partitioned`, `view`, `materialized_view` or `foreign_table`.
    pub kind: String,
    /// `pg_class.reltuples`: -1 when the table was never vacuumed or analyzed.
    #[serde(default)]
    pub row_estimate: i64,
    #[serde(default)]
    pub total_bytes: i64,
    #[serde(default)]
    pub heap_bytes: i64,
    #[serde(default)]
    pub index_bytes: i64,
    #[serde(default)]
    pub toast_bytes: i64,
    /// `permanent` or `unlogged` (temporary tables are never captured).
    #[serde(default = "permanent")]
    pub persistence: String,
    #[serde(default)]
    pub rls_enabled: bool,
    #[serde(default)]
    pub rls_forced: bool,
    /// Key of the partitioned table this one is a partition of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<String>,
    /// `FOR VALUES ...` as `pg_get_expr(relpartbound)` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_bound: Option<String>,
    /// `RANGE (col)` as `pg_get_partkeydef()` prints it, for partitioned tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// Keys of the tables this one inherits from (`INHERITS`, `ALTER TABLE ... INHERIT`), in
    /// the order the server keeps them; partitions say `partitionOf` instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inherits: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn permanent() -> String {
    "permanent".into()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Column {
    pub key: String,
    pub table_key: String,
    pub schema: String,
    pub table: String,
    pub name: String,
    /// The column's place among the table's columns, from 1, dropped columns not counted
    /// (formatVersion 1: the attribute number, gaps included).
    pub position: i64,
    /// `pg_attribute.attnum`: an identity (a renamed column keeps it), never part of the
    /// signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attnum: Option<i64>,
    /// `format_type(atttypid, atttypmod)` with only `pg_catalog` on the search path, so
    /// user types are always schema-qualified.
    pub data_type: String,
    pub is_nullable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `always` or `by default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// The expression of a `GENERATED ALWAYS AS (...) STORED` column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// Set only when it differs from the type's default collation, qualified and quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Constraints {
    #[serde(default)]
    pub pks: Map<KeyConstraint>,
    #[serde(default)]
    pub uniques: Map<KeyConstraint>,
    #[serde(default)]
    pub checks: Map<CheckConstraint>,
    #[serde(default)]
    pub exclusions: Map<ExclusionConstraint>,
}

/// A primary key or unique constraint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyConstraint {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    pub key: String,
    pub table_key: String,
    pub columns: Vec<String>,
    pub name: String,
    /// Key of the index that enforces it.
    #[serde(default)]
    pub index_key: String,
    #[serde(default)]
    pub deferrable: bool,
    #[serde(default)]
    pub initially_deferred: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckConstraint {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    pub key: String,
    pub table_key: String,
    pub name: String,
    /// `pg_get_expr(conbin)`; the constraint is `CHECK (<expression>)`.
    pub expression: String,
    /// The columns the expression reads.
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default = "yes")]
    pub validated: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_inherit: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExclusionConstraint {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    pub key: String,
    pub table_key: String,
    pub name: String,
    /// `pg_get_constraintdef()`: `EXCLUDE USING gist (...) WHERE (...)`.
    pub definition: String,
    #[serde(default)]
    pub index_key: String,
    #[serde(default)]
    pub deferrable: bool,
    #[serde(default)]
    pub initially_deferred: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Relationship {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    /// `child(cols) -> parent(cols)`, the seed's relKey.
    pub key: String,
    pub name: String,
    /// `schema.table:name` of the FK constraint.
    #[serde(default)]
    pub constraint_key: String,
    pub child_key: String,
    pub child_cols: Vec<String>,
    pub parent_key: String,
    pub parent_cols: Vec<String>,
    pub on_update: String,
    pub on_delete: String,
    pub deferrable: bool,
    pub initially_deferred: bool,
    /// `SIMPLE`, `FULL` or `PARTIAL`.
    #[serde(default = "simple")]
    pub match_type: String,
    #[serde(default = "yes")]
    pub validated: bool,
    /// `ON DELETE SET NULL (col)`: the columns an action sets, when not all of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_delete_set_cols: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn simple() -> String {
    "SIMPLE".into()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    pub key: String,
    pub table_key: String,
    pub schema: String,
    pub table: String,
    pub name: String,
    pub method: String,
    /// One entry per key column as `pg_get_indexdef(oid, k, true)` prints it.
    pub columns: Vec<String>,
    /// INCLUDE columns, printed the same way.
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    pub is_unique: bool,
    pub is_primary: bool,
    #[serde(default)]
    pub is_exclusion: bool,
    #[serde(default = "yes")]
    pub is_valid: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    /// The constraint this index enforces (`schema.table:name`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint_key: Option<String>,
    /// `pg_get_indexdef(oid)`.
    pub definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct View {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    pub key: String,
    pub schema: String,
    pub name: String,
    /// `view` or `materialized_view`.
    pub kind: String,
    /// `pg_get_viewdef(oid)`.
    pub definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Enum {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    pub key: String,
    pub schema: String,
    pub name: String,
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Domain {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    pub key: String,
    pub schema: String,
    pub name: String,
    pub data_type: String,
    pub not_null: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Constraint name to `pg_get_constraintdef()`.
    #[serde(default)]
    pub checks: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sequence {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    pub key: String,
    pub schema: String,
    pub name: String,
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
    /// `schema.table.column` that owns it (serial or identity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub identity: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trigger {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    /// `schema.table.trigger`.
    pub key: String,
    pub table_key: String,
    pub name: String,
    /// `pg_get_triggerdef(oid)`.
    pub definition: String,
    /// `origin` (enabled), `disabled`, `replica` or `always`.
    pub enabled: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// The object's oid in the database it was read from: an identity (renames are exact
    /// between two snapshots of one database), never part of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    /// `schema.table:policy`.
    pub key: String,
    pub table_key: String,
    pub name: String,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    pub permissive: bool,
    /// Role names; `public` when the policy applies to everyone.
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
