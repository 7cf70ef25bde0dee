//! The snapshot: the seed's `CatalogSnapshot` shape (camelCase field names), extended.
//!
//! Every map is keyed by the object's key (see `crate::keys`) and ordered, so the same schema
//! always serialises the same way. Optional fields are left out when absent rather than
//! written as `null`: `snapshot->'x'->>'comment'` is NULL either way, and a 5,000-table
//! snapshot stays megabytes smaller.

use crate::kinds::declare::declare;
pub use serde::Deserialize;
use std::collections::BTreeMap;

/// Bumped when a field changes meaning; readers accept every version up to their own.
pub const FORMAT_VERSION: i64 = 3;

pub type Map<T> = BTreeMap<String, T>;

/// Grantee to privileges: role names (`public` for everyone) to privilege names, each
/// `SELECT` or `SELECT WITH GRANT OPTION`, sorted.
pub type Privileges = BTreeMap<String, Vec<String>>;

declare! {
    pub struct Snapshot {
        "meta" meta: Meta,
        #[serde(default)]
        "tables" tables: Map<Table>,
        #[serde(default)]
        "columns" columns: Map<Column>,
        #[serde(default)]
        "constraints" constraints: Constraints,
        #[serde(default)]
        "relationships" relationships: Map<Relationship>,
        #[serde(default)]
        "indexes" indexes: Map<Index>,
        #[serde(default)]
        "views" views: Map<View>,
        #[serde(default)]
        "enums" enums: Map<Enum>,
        #[serde(default)]
        "domains" domains: Map<Domain>,
        #[serde(default)]
        "sequences" sequences: Map<Sequence>,
        #[serde(default)]
        "triggers" triggers: Map<Trigger>,
        #[serde(default)]
        "policies" policies: Map<Policy>,
        #[serde(default)]
        "functions" functions: Map<Function>,
        /// The schemas of the snapshot as objects (owner, privileges, comment).
        #[serde(default)]
        "schemas" schemas: Map<Schema>,
        #[serde(default)]
        "extensions" extensions: Map<Extension>,
        #[serde(default)]
        "defaultPrivileges" default_privileges: Map<DefaultPrivileges>,
        #[serde(default)]
        "collations" collations: Map<Collation>,
        /// Composite and range types (enums and domains have their own sections).
        #[serde(default)]
        "types" types: Map<UserType>,
        /// Extended statistics (`CREATE STATISTICS`).
        #[serde(default)]
        "statistics" statistics: Map<Statistics>,
        /// Rules (`CREATE RULE`; a view's own `_RETURN` rule is its definition).
        #[serde(default)]
        "rules" rules: Map<Rule>,
        /// Logical replication publications (of the whole database).
        #[serde(default)]
        "publications" publications: Map<Publication>,
        /// Event triggers of the user's (of the whole database; pg_lens's own are its).
        #[serde(default)]
        "eventTriggers" event_triggers: Map<EventTrigger>,
        /// User-defined casts.
        #[serde(default)]
        "casts" casts: Map<Cast>,
        #[serde(default)]
        "foreignDataWrappers" foreign_data_wrappers: Map<ForeignDataWrapper>,
        /// Foreign servers (their user mappings, which hold credentials, are left out).
        #[serde(default)]
        "foreignServers" foreign_servers: Map<ForeignServer>,
        #[serde(default)]
        "operators" operators: Map<Operator>,
        /// Operator classes, with their operator families' members.
        #[serde(default)]
        "operatorClasses" operator_classes: Map<OperatorClass>,
    }

    pub struct Meta {
        #[serde(default)]
        "dbName" db_name: String,
        #[serde(default)]
        "capturedAt" captured_at: String,
        #[serde(default)]
        "schemas" schemas: Vec<String>,
        "serverVersion" server_version: Option<String> [optional],
        #[serde(default)]
        "formatVersion" format_version: i64,
        #[serde(default)]
        "signature" signature: String,
        #[serde(default)]
        "keySignature" key_signature: String,
        /// `estimated` (from `pg_class.relpages`) or `exact` (from the `pg_*_size` functions).
        #[serde(default)]
        "sizes" sizes: String,
        /// Identifies the database (kept in pg_lens's `lens_head`): two snapshots with the same
        /// id come from one database, so their oids identify the same objects.
        "databaseId" database_id: Option<String> [optional],
        /// The table keys asked for, when the snapshot was limited to some tables.
        "tables" tables: Option<Vec<String>> [optional],
        /// The signature of each section that holds entries (a section's entries alone, summed
        /// as the whole signature sums them all): which part of two schemas differs.
        "sectionSignatures" section_signatures: Map<String> [optional],
    }

    pub struct Table {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        "key" key: String,
        "schema" schema: String,
        "name" name: String,
        /// `table`, `partitioned`, `view`, `materialized_view` or `foreign_table`.
        "kind" kind: String,
        /// `pg_class.reltuples`: -1 when the table was never vacuumed or analyzed.
        #[serde(default)]
        "rowEstimate" row_estimate: i64,
        #[serde(default)]
        "totalBytes" total_bytes: i64,
        #[serde(default)]
        "heapBytes" heap_bytes: i64,
        #[serde(default)]
        "indexBytes" index_bytes: i64,
        #[serde(default)]
        "toastBytes" toast_bytes: i64,
        /// `permanent` or `unlogged` (temporary tables are never captured).
        #[serde(default = "permanent")]
        "persistence" persistence: String,
        #[serde(default)]
        "rlsEnabled" rls_enabled: bool,
        #[serde(default)]
        "rlsForced" rls_forced: bool,
        /// Key of the partitioned table this one is a partition of.
        "partitionOf" partition_of: Option<String> [optional],
        /// `FOR VALUES ...` as `pg_get_expr(relpartbound)` prints it.
        "partitionBound" partition_bound: Option<String> [optional],
        /// `RANGE (col)` as `pg_get_partkeydef()` prints it, for partitioned tables.
        "partitionKey" partition_key: Option<String> [optional],
        /// Keys of the tables this one inherits from (`INHERITS`, `ALTER TABLE ... INHERIT`), in
        /// the order the server keeps them; partitions say `partitionOf` instead.
        "inherits" inherits: Option<Vec<String>> [optional],
        "comment" comment: Option<String> [optional],
        /// The owning role's name.
        "owner" owner: Option<String> [optional],
        /// Grantee (a role name, `public` for everyone) to privileges (`SELECT`, `UPDATE WITH
        /// GRANT OPTION`...), sorted; absent while the object has its default privileges.
        "privileges" privileges: Option<Privileges> [optional],
        /// `reloptions` as the server keeps them (`fillfactor=70`, `security_barrier=true`).
        "options" options: Vec<String> [optional],
        /// The tablespace, when not the database's default.
        "tablespace" tablespace: Option<String> [optional],
        /// The table access method, when not `heap`.
        "accessMethod" access_method: Option<String> [optional],
        /// `REPLICA IDENTITY`: `nothing`, `full` or `index`, when not the default.
        "replicaIdentity" replica_identity: Option<String> [optional],
        /// A foreign table's server and options (`OPTIONS (table_name 't')`).
        "server" server: Option<String> [optional],
        "foreignOptions" foreign_options: Vec<String> [optional],
    }

    pub struct Column {
        "key" key: String,
        "tableKey" table_key: String,
        "schema" schema: String,
        "table" table: String,
        "name" name: String,
        /// The column's place among the table's columns, from 1, dropped columns not counted
        /// (formatVersion 1: the attribute number, gaps included).
        "position" position: i64,
        /// `pg_attribute.attnum`: an identity (a renamed column keeps it), never part of the
        /// signature.
        "attnum" attnum: Option<i64> [optional],
        /// `format_type(atttypid, atttypmod)` with only `pg_catalog` on the search path, so
        /// user types are always schema-qualified.
        "dataType" data_type: String,
        "isNullable" is_nullable: bool,
        /// PostgreSQL 18 keeps a NOT NULL as a constraint of its own: its name, when it is not
        /// inherited (a parent's name comes along) and not the name the server would choose
        /// (`table_column_not_null`), so that the same DDL signs the same on every major.
        "notNullName" not_null_name: Option<String> [optional],
        /// `NOT NULL ... NO INHERIT` (18).
        "notNullNoInherit" not_null_no_inherit: bool [optional],
        /// `ADD CONSTRAINT ... NOT NULL col NOT VALID` (18): existing rows are not checked yet;
        /// the column counts as NOT NULL (`isNullable` false), as the catalog says.
        "notNullNotValid" not_null_not_valid: bool [optional],
        "default" default: Option<String> [optional],
        /// `always` or `by default`.
        "identity" identity: Option<String> [optional],
        /// The expression of a `GENERATED ALWAYS AS (...)` column, STORED unless
        /// `generatedVirtual`.
        "generated" generated: Option<String> [optional],
        /// A virtual generated column (PostgreSQL 18), computed when read.
        "generatedVirtual" generated_virtual: bool [optional],
        /// Set only when it differs from the type's default collation, qualified and quoted.
        "collation" collation: Option<String> [optional],
        "comment" comment: Option<String> [optional],
        /// Column privileges (`GRANT SELECT (col)`), as a table's `privileges`.
        "privileges" privileges: Option<Privileges> [optional],
        /// `SET STORAGE`: `plain`, `main`, `external` or `extended`, when not the type's own.
        "storage" storage: Option<String> [optional],
        /// `SET COMPRESSION`: `pglz` or `lz4`, when set.
        "compression" compression: Option<String> [optional],
        /// `SET STATISTICS`, when set.
        "statisticsTarget" statistics_target: Option<i64> [optional],
        /// `attoptions` (`n_distinct=100`).
        "options" options: Vec<String> [optional],
        /// A foreign table column's options (`column_name=b`).
        "foreignOptions" foreign_options: Vec<String> [optional],
    }

    pub struct Constraints {
        #[serde(default)]
        "pks" pks: Map<KeyConstraint>,
        #[serde(default)]
        "uniques" uniques: Map<KeyConstraint>,
        #[serde(default)]
        "checks" checks: Map<CheckConstraint>,
        #[serde(default)]
        "exclusions" exclusions: Map<ExclusionConstraint>,
    }

    /// A primary key or unique constraint.
    pub struct KeyConstraint {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        "key" key: String,
        "tableKey" table_key: String,
        "columns" columns: Vec<String>,
        "name" name: String,
        /// Key of the index that enforces it.
        #[serde(default)]
        "indexKey" index_key: String,
        #[serde(default)]
        "deferrable" deferrable: bool,
        #[serde(default)]
        "initiallyDeferred" initially_deferred: bool,
        "nullsNotDistinct" nulls_not_distinct: bool [optional],
        /// The last column is `WITHOUT OVERLAPS` (a temporal key, PostgreSQL 18).
        "withoutOverlaps" without_overlaps: bool [optional],
        "comment" comment: Option<String> [optional],
    }

    pub struct CheckConstraint {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        "key" key: String,
        "tableKey" table_key: String,
        "name" name: String,
        /// `pg_get_expr(conbin)`; the constraint is `CHECK (<expression>)`.
        "expression" expression: String,
        /// The columns the expression reads.
        #[serde(default)]
        "columns" columns: Vec<String>,
        #[serde(default = "yes")]
        "validated" validated: bool,
        "noInherit" no_inherit: bool [optional],
        /// `NOT ENFORCED` (PostgreSQL 18): declared, never checked.
        "notEnforced" not_enforced: bool [optional],
        "comment" comment: Option<String> [optional],
    }

    pub struct ExclusionConstraint {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        "key" key: String,
        "tableKey" table_key: String,
        "name" name: String,
        /// `pg_get_constraintdef()`: `EXCLUDE USING gist (...) WHERE (...)`.
        "definition" definition: String,
        #[serde(default)]
        "indexKey" index_key: String,
        #[serde(default)]
        "deferrable" deferrable: bool,
        #[serde(default)]
        "initiallyDeferred" initially_deferred: bool,
        "comment" comment: Option<String> [optional],
    }

    pub struct Relationship {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        /// `child(cols) -> parent(cols)`, the seed's relKey.
        "key" key: String,
        "name" name: String,
        /// `schema.table:name` of the FK constraint.
        #[serde(default)]
        "constraintKey" constraint_key: String,
        "childKey" child_key: String,
        "childCols" child_cols: Vec<String>,
        "parentKey" parent_key: String,
        "parentCols" parent_cols: Vec<String>,
        "onUpdate" on_update: String,
        "onDelete" on_delete: String,
        "deferrable" deferrable: bool,
        "initiallyDeferred" initially_deferred: bool,
        /// `SIMPLE`, `FULL` or `PARTIAL`.
        #[serde(default = "simple")]
        "matchType" match_type: String,
        #[serde(default = "yes")]
        "validated" validated: bool,
        /// `ON DELETE SET NULL (col)`: the columns an action sets, when not all of them.
        "onDeleteSetCols" on_delete_set_cols: Option<Vec<String>> [optional],
        /// The last columns are `PERIOD` (a temporal FK, PostgreSQL 18).
        "period" period: bool [optional],
        /// `NOT ENFORCED` (PostgreSQL 18).
        "notEnforced" not_enforced: bool [optional],
        "comment" comment: Option<String> [optional],
    }

    pub struct Index {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        "key" key: String,
        "tableKey" table_key: String,
        "schema" schema: String,
        "table" table: String,
        "name" name: String,
        "method" method: String,
        /// One entry per key column as `pg_get_indexdef(oid, k, true)` prints it.
        "columns" columns: Vec<String>,
        /// INCLUDE columns, printed the same way.
        #[serde(default)]
        "include" include: Vec<String>,
        "predicate" predicate: Option<String> [optional],
        "isUnique" is_unique: bool,
        "isPrimary" is_primary: bool,
        #[serde(default)]
        "isExclusion" is_exclusion: bool,
        #[serde(default = "yes")]
        "isValid" is_valid: bool,
        "nullsNotDistinct" nulls_not_distinct: bool [optional],
        /// The index `REPLICA IDENTITY USING INDEX` names.
        "isReplicaIdentity" is_replica_identity: bool [optional],
        /// The constraint this index enforces (`schema.table:name`), if any.
        "constraintKey" constraint_key: Option<String> [optional],
        /// `pg_get_indexdef(oid)`.
        "definition" definition: String,
        "comment" comment: Option<String> [optional],
    }

    pub struct View {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        "key" key: String,
        "schema" schema: String,
        "name" name: String,
        /// `view` or `materialized_view`.
        "kind" kind: String,
        /// `pg_get_viewdef(oid)`.
        "definition" definition: String,
        "comment" comment: Option<String> [optional],
    }

    pub struct Enum {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        "key" key: String,
        "schema" schema: String,
        "name" name: String,
        "values" values: Vec<String>,
        "comment" comment: Option<String> [optional],
        /// The owning role's name.
        "owner" owner: Option<String> [optional],
        /// As a table's `privileges`.
        "privileges" privileges: Option<Privileges> [optional],
    }

    pub struct Domain {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        "key" key: String,
        "schema" schema: String,
        "name" name: String,
        "dataType" data_type: String,
        "notNull" not_null: bool,
        "default" default: Option<String> [optional],
        "collation" collation: Option<String> [optional],
        /// Constraint name to `pg_get_constraintdef()`.
        #[serde(default)]
        "checks" checks: BTreeMap<String, String>,
        "comment" comment: Option<String> [optional],
        /// The owning role's name.
        "owner" owner: Option<String> [optional],
        /// As a table's `privileges`.
        "privileges" privileges: Option<Privileges> [optional],
    }

    pub struct Sequence {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        "key" key: String,
        "schema" schema: String,
        "name" name: String,
        "dataType" data_type: String,
        "start" start: i64,
        "increment" increment: i64,
        "min" min: i64,
        "max" max: i64,
        "cache" cache: i64,
        "cycle" cycle: bool,
        /// `schema.table.column` that owns it (serial or identity).
        "ownedBy" owned_by: Option<String> [optional],
        "identity" identity: bool [optional],
        "comment" comment: Option<String> [optional],
        /// The owning role's name.
        "owner" owner: Option<String> [optional],
        /// As a table's `privileges`.
        "privileges" privileges: Option<Privileges> [optional],
    }

    pub struct Trigger {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        /// `schema.table.trigger`.
        "key" key: String,
        "tableKey" table_key: String,
        "name" name: String,
        /// `pg_get_triggerdef(oid)`.
        "definition" definition: String,
        /// `origin` (enabled), `disabled`, `replica` or `always`.
        "enabled" enabled: String,
        "comment" comment: Option<String> [optional],
    }

    pub struct Policy {
        /// The object's oid in the database it was read from: an identity (renames are exact
        /// between two snapshots of one database), never part of the signature.
        "oid" oid: Option<i64> [optional],
        /// `schema.table:policy`.
        "key" key: String,
        "tableKey" table_key: String,
        "name" name: String,
        /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
        "command" command: String,
        "permissive" permissive: bool,
        /// Role names; `public` when the policy applies to everyone.
        "roles" roles: Vec<String>,
        "using" using: Option<String> [optional],
        "withCheck" with_check: Option<String> [optional],
        "comment" comment: Option<String> [optional],
    }

    /// A function, procedure or aggregate.
    pub struct Function {
        /// The object's oid in the database it was read from: an identity, never part of
        /// the signature.
        "oid" oid: Option<i64> [optional],
        /// `schema.name(argument types)`: the name and the identity arguments as
        /// `pg_get_function_identity_arguments()` prints them.
        "key" key: String,
        "schema" schema: String,
        "name" name: String,
        /// `function`, `procedure`, `aggregate` or `window`.
        "kind" kind: String,
        "language" language: String,
        /// `pg_get_function_arguments()`: modes, names, types and defaults.
        "arguments" arguments: String,
        /// `pg_get_function_identity_arguments()`.
        "identityArguments" identity_arguments: String,
        /// `pg_get_function_result()`; absent for procedures.
        "returns" returns: Option<String> [optional],
        /// `immutable`, `stable` or `volatile`.
        "volatility" volatility: String,
        "strict" strict: bool [optional],
        "securityDefiner" security_definer: bool [optional],
        "leakproof" leakproof: bool [optional],
        /// `safe`, `restricted` or `unsafe`.
        "parallel" parallel: String,
        #[serde(serialize_with = "crate::kinds::declare::whole_as_integer")]
        "cost" cost: f64,
        /// Estimated rows of a set-returning function (0 otherwise).
        #[serde(serialize_with = "crate::kinds::declare::whole_as_integer")]
        "rows" rows: f64,
        /// `SET` options (`search_path=pg_catalog, public`), as `proconfig` keeps them.
        "config" config: Vec<String> [optional],
        /// `pg_get_functiondef()`; for an aggregate, its `CREATE AGGREGATE`.
        "definition" definition: String,
        "comment" comment: Option<String> [optional],
        /// The owning role's name.
        "owner" owner: Option<String> [optional],
        /// As a table's `privileges`.
        "privileges" privileges: Option<Privileges> [optional],
    }

    /// A schema as an object.
    pub struct Schema {
        "oid" oid: Option<i64> [optional],
        /// The schema's name as `quote_ident()` prints it.
        "key" key: String,
        "name" name: String,
        "comment" comment: Option<String> [optional],
        /// The owning role's name.
        "owner" owner: Option<String> [optional],
        /// As a table's `privileges`.
        "privileges" privileges: Option<Privileges> [optional],
    }

    /// An extension installed into one of the snapshot's schemas.
    pub struct Extension {
        "oid" oid: Option<i64> [optional],
        /// The extension's name.
        "key" key: String,
        "name" name: String,
        "version" version: String,
        /// The schema its objects are in.
        "schema" schema: String,
        /// Whether it can be moved to another schema (`ALTER EXTENSION ... SET SCHEMA`).
        "relocatable" relocatable: bool [optional],
        "owner" owner: Option<String> [optional],
    }

    /// `ALTER DEFAULT PRIVILEGES`: what objects a role creates get granted.
    pub struct DefaultPrivileges {
        "oid" oid: Option<i64> [optional],
        /// `role ON TABLES`, or `role IN SCHEMA schema ON TABLES`, names quoted.
        "key" key: String,
        /// The role whose new objects it applies to.
        "role" role: String,
        /// The schema it is limited to, if any.
        "schema" schema: Option<String> [optional],
        /// `tables`, `sequences`, `functions`, `types` or `schemas`.
        "objects" objects: String,
        /// The privileges new objects get, as a table's `privileges`.
        #[serde(default)]
        "privileges" privileges: Privileges,
    }


    /// A collation of the snapshot's schemas.
    pub struct Collation {
        "oid" oid: Option<i64> [optional],
        /// `schema.name`, quoted.
        "key" key: String,
        "schema" schema: String,
        "name" name: String,
        /// `libc`, `icu` or `default`.
        "provider" provider: String,
        /// `LC_COLLATE` and `LC_CTYPE` (libc).
        "lcCollate" lc_collate: Option<String> [optional],
        "lcCtype" lc_ctype: Option<String> [optional],
        /// The ICU (or, from PostgreSQL 17, builtin) locale.
        "locale" locale: Option<String> [optional],
        /// An ICU collation's tailoring rules (PostgreSQL 16 and later).
        "icuRules" icu_rules: Option<String> [optional],
        #[serde(default = "yes")]
        "deterministic" deterministic: bool,
        "comment" comment: Option<String> [optional],
        "owner" owner: Option<String> [optional],
    }

    /// A composite or range type.
    pub struct UserType {
        "oid" oid: Option<i64> [optional],
        /// `schema.name`, quoted.
        "key" key: String,
        "schema" schema: String,
        "name" name: String,
        /// `composite` or `range`.
        "kind" kind: String,
        /// A composite type's attributes, in order.
        "attributes" attributes: Vec<TypeAttribute> [optional],
        /// A range's subtype, its operator class and functions, its multirange's name.
        "subtype" subtype: Option<String> [optional],
        "subtypeOpclass" subtype_opclass: Option<String> [optional],
        "collation" collation: Option<String> [optional],
        "canonical" canonical: Option<String> [optional],
        "subtypeDiff" subtype_diff: Option<String> [optional],
        "multirange" multirange: Option<String> [optional],
        "comment" comment: Option<String> [optional],
        "owner" owner: Option<String> [optional],
        /// As a table's `privileges`.
        "privileges" privileges: Option<Privileges> [optional],
    }

    /// One attribute of a composite type.
    pub struct TypeAttribute {
        "name" name: String,
        /// `format_type()`, schema-qualified.
        "dataType" data_type: String,
        /// Set only when it differs from the type's default collation, qualified and quoted.
        "collation" collation: Option<String> [optional],
    }

    /// Extended statistics on a table's columns or expressions.
    pub struct Statistics {
        "oid" oid: Option<i64> [optional],
        /// `schema.name`, quoted (statistics live in a schema, not in their table).
        "key" key: String,
        "tableKey" table_key: String,
        "schema" schema: String,
        "name" name: String,
        /// `pg_get_statisticsobjdef()`: `CREATE STATISTICS s (ndistinct) ON a, b FROM t`.
        "definition" definition: String,
        /// `ALTER STATISTICS ... SET STATISTICS`, when set.
        "statisticsTarget" statistics_target: Option<i64> [optional],
        "comment" comment: Option<String> [optional],
        "owner" owner: Option<String> [optional],
    }

    /// A rule on a table or view.
    pub struct Rule {
        "oid" oid: Option<i64> [optional],
        /// `schema.table:rule`.
        "key" key: String,
        "tableKey" table_key: String,
        "name" name: String,
        /// `pg_get_ruledef()`.
        "definition" definition: String,
        /// `origin` (enabled), `disabled`, `replica` or `always`.
        "enabled" enabled: String,
        "comment" comment: Option<String> [optional],
    }


    /// A publication: what a logical replication subscriber receives.
    pub struct Publication {
        "oid" oid: Option<i64> [optional],
        /// The publication's name, quoted.
        "key" key: String,
        "name" name: String,
        "allTables" all_tables: bool [optional],
        /// What it publishes: `insert`, `update`, `delete`, `truncate`.
        "operations" operations: Vec<String>,
        "viaRoot" via_root: bool [optional],
        /// Table key to what of it is published (all columns and rows when empty).
        "tables" tables: Map<PublishedTable> [optional],
        /// `TABLES IN SCHEMA`: schema names.
        "schemas" schemas: Vec<String> [optional],
        "comment" comment: Option<String> [optional],
        "owner" owner: Option<String> [optional],
    }

    /// What a publication publishes of one table.
    pub struct PublishedTable {
        /// The columns, when not all of them.
        "columns" columns: Option<Vec<String>> [optional],
        /// The row filter (`WHERE (...)`), as `pg_get_expr()` prints it.
        "rowFilter" row_filter: Option<String> [optional],
    }

    /// An event trigger.
    pub struct EventTrigger {
        "oid" oid: Option<i64> [optional],
        /// The trigger's name, quoted.
        "key" key: String,
        "name" name: String,
        /// `ddl_command_start`, `ddl_command_end`, `sql_drop`, `table_rewrite`.
        "event" event: String,
        /// `WHEN TAG IN (...)`.
        "tags" tags: Vec<String> [optional],
        /// The function it runs, schema-qualified.
        "function" function: String,
        /// `origin` (enabled), `disabled`, `replica` or `always`.
        "enabled" enabled: String,
        "comment" comment: Option<String> [optional],
        "owner" owner: Option<String> [optional],
    }

    /// A user-defined cast.
    pub struct Cast {
        "oid" oid: Option<i64> [optional],
        /// `(source AS target)`, both types as `format_type()` prints them.
        "key" key: String,
        "source" source: String,
        "target" target: String,
        /// The function's identity (`schema.f(integer)`), for a cast `WITH FUNCTION`.
        "function" function: Option<String> [optional],
        /// `function`, `inout` or `binary`.
        "method" method: String,
        /// `explicit`, `assignment` or `implicit`.
        "context" context: String,
        "comment" comment: Option<String> [optional],
    }


    /// A foreign-data wrapper of the user's (an extension's, postgres_fdw's, is the extension's).
    pub struct ForeignDataWrapper {
        "oid" oid: Option<i64> [optional],
        /// The wrapper's name, quoted.
        "key" key: String,
        "name" name: String,
        "handler" handler: Option<String> [optional],
        "validator" validator: Option<String> [optional],
        "options" options: Vec<String> [optional],
        "comment" comment: Option<String> [optional],
        "owner" owner: Option<String> [optional],
    }

    /// A foreign server.
    pub struct ForeignServer {
        "oid" oid: Option<i64> [optional],
        /// The server's name, quoted.
        "key" key: String,
        "name" name: String,
        /// The foreign-data wrapper's name.
        "wrapper" wrapper: String,
        "type" server_type: Option<String> [optional],
        "version" version: Option<String> [optional],
        /// `name=value`; the value of an option whose name says it is a secret (password,
        /// secret, token) reads `(redacted)`.
        "options" options: Vec<String> [optional],
        "comment" comment: Option<String> [optional],
        "owner" owner: Option<String> [optional],
        /// As a table's `privileges` (`USAGE`).
        "privileges" privileges: Option<Privileges> [optional],
    }


    /// A user-defined operator.
    pub struct Operator {
        "oid" oid: Option<i64> [optional],
        /// `schema.op(left type, right type)`, `NONE` for a prefix operator's left.
        "key" key: String,
        "schema" schema: String,
        "name" name: String,
        "left" left: Option<String> [optional],
        "right" right: String,
        /// The function it calls, schema-qualified.
        "function" function: String,
        "commutator" commutator: Option<String> [optional],
        "negator" negator: Option<String> [optional],
        "restrict" restrict: Option<String> [optional],
        "join" join: Option<String> [optional],
        "hashes" hashes: bool [optional],
        "merges" merges: bool [optional],
        "comment" comment: Option<String> [optional],
        "owner" owner: Option<String> [optional],
    }

    /// An operator class: how an index method handles a type.
    pub struct OperatorClass {
        "oid" oid: Option<i64> [optional],
        /// `schema.name USING method`.
        "key" key: String,
        "schema" schema: String,
        "name" name: String,
        "method" method: String,
        /// The indexed type, as `format_type()` prints it.
        "type" data_type: String,
        "default" is_default: bool [optional],
        /// The operator family (`schema.name`), when not one of the class's own name.
        "family" family: Option<String> [optional],
        /// The stored type (`STORAGE`), when not the indexed type.
        "storage" storage: Option<String> [optional],
        /// `OPERATOR n op(types)` and `FUNCTION n f(types)`, as `CREATE OPERATOR CLASS` lists
        /// them, in order: the family's members for the class's type.
        "members" members: Vec<String>,
        "comment" comment: Option<String> [optional],
        "owner" owner: Option<String> [optional],
    }

}

impl Table {
    /// Whether it is one of the relations whose rows people read: a table, a partitioned
    /// table, a view, a materialized view or a foreign table (every kind a snapshot read from
    /// a server has; a snapshot made by hand may hold others).
    pub fn has_rows(&self) -> bool {
        matches!(self.kind.as_str(), "table" | "partitioned" | "view" | "materialized_view" | "foreign_table")
    }
}

fn permanent() -> String {
    "permanent".into()
}

fn yes() -> bool {
    true
}

fn simple() -> String {
    "SIMPLE".into()
}
