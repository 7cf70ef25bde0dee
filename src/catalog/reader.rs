//! Reads the catalog into `lens_core::catalog::RawCatalog`, set-based, never one query per
//! table: the big catalogs by direct scans (`scan`), the small kinds and what only
//! the server can print by one query each (`sql/catalog/`).

use crate::errors::{bad_argument, raise};
use crate::spi_read::{arg, null_arg, query, Rows};
use lens_core::catalog::*;
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;
use std::collections::{HashMap, HashSet};

macro_rules! catalog_sql {
    ($name:literal) => {
        include_str!(concat!("../../sql/catalog/", $name, ".sql"))
    };
}

/// What a caller asked a snapshot to cover.
pub struct Scope {
    /// Schema names; None for every user schema.
    pub schemas: Option<Vec<String>>,
    /// Table keys; None for every table of the schemas.
    pub tables: Option<Vec<String>>,
    pub exact_sizes: bool,
    /// Capture's scope: whole groups of entries (see `lens_core::capture`), read without
    /// locks by the DDL statement that changed them. None for a snapshot.
    pub owners: Option<Owners>,
    /// The FK graph only (lens_risk's question): the tables with their row estimates, primary
    /// keys and FKs, and the columns those name; nothing else is read.
    pub graph_only: bool,
}

impl Scope {
    /// A snapshot of whole schemas (None: every user schema), sizes estimated.
    pub fn schemas(schemas: Option<Vec<String>>) -> Scope {
        Scope { schemas, tables: None, exact_sizes: false, owners: None, graph_only: false }
    }

    /// A snapshot limited to some tables of `schemas` (None: the tables' own schemas).
    pub fn tables(schemas: Option<Vec<String>>, tables: Vec<String>) -> Scope {
        Scope { tables: Some(tables), ..Scope::schemas(schemas) }
    }
}

/// The groups capture re-reads: relations, sequences nobody owns, and the objects that stand
/// alone (types, functions, schemas, extensions, collations, default privileges: each
/// kind's query filters its own catalog by this one list; oids do not repeat across them).
#[derive(Default, Debug)]
pub struct Owners {
    pub relations: Vec<u32>,
    pub sequences: Vec<u32>,
    pub objects: Vec<u32>,
}

impl Owners {
    pub fn is_empty(&self) -> bool {
        self.relations.is_empty() && self.sequences.is_empty() && self.objects.is_empty()
    }
}

/// A scope with its arguments checked: the schemas, and the tables it is limited to.
pub struct Resolved {
    schemas: Vec<RawSchema>,
    tables: Option<Vec<ResolvedTable>>,
}

/// Checks the arguments of `scope`, and share-locks every relation in it (blocking DDL on them
/// until the transaction ends), so that a read under a snapshot taken afterwards sees them
/// exactly as the server's deparse functions do. Call inside `Spi::connect`; `lock_timeout`
/// bounds each wait.
pub fn lock_scope(scope: &Scope) -> Resolved {
    let (schemas, table_filter) = resolve_scope(scope);
    let schema_oids: Vec<pg_sys::Oid> = schemas.iter().map(|s| pg_sys::Oid::from(s.oid)).collect();
    let rel_filter = match &table_filter {
        Some(t) => arg(t.iter().map(|t| pg_sys::Oid::from(t.oid)).collect::<Vec<_>>()),
        None => null_arg::<Vec<pg_sys::Oid>>(),
    };
    let rows = query("lock_targets", catalog_sql!("lock_targets"), &[arg(schema_oids), rel_filter]);
    for r in 0..rows.len() {
        unsafe {
            // SAFETY: locking an oid that may since have been dropped is harmless.
            pg_sys::LockRelationOid(pg_sys::Oid::from(rows.oid(r, 1)), pg_sys::AccessShareLock as pg_sys::LOCKMODE);
        }
    }
    Resolved { schemas, tables: table_filter }
}

/// The schemas a capture of `names` (None: every user schema) covers: those that exist.
/// Nothing is locked (the DDL statement holds its locks).
pub fn capture_schemas(names: &Option<Vec<String>>) -> Vec<RawSchema> {
    let rows = match names {
        Some(names) => query("schemas", catalog_sql!("schemas"), &[arg(names.to_vec())]),
        None => query("schemas", catalog_sql!("schemas"), &[null_arg::<Vec<String>>()]),
    };
    (0..rows.len()).filter_map(|r| rows.get::<i64>(r, 1).map(|oid| RawSchema { oid: oid as u32, name: rows.string(r, 2) })).collect()
}

impl Resolved {
    /// Whole schemas, already resolved (no table filter).
    pub fn of_schemas(schemas: Vec<RawSchema>) -> Resolved {
        Resolved { schemas, tables: None }
    }
}

/// The schemas and the resolved table filter of a scope, with every argument checked.
fn resolve_scope(scope: &Scope) -> (Vec<RawSchema>, Option<Vec<ResolvedTable>>) {
    let table_filter = scope.tables.as_ref().map(|keys| resolve_tables(keys));
    let schema_names = match (&scope.schemas, &table_filter) {
        (None, Some(tables)) => Some(tables.iter().map(|t| t.schema.clone()).collect::<Vec<_>>()),
        (names, _) => names.clone(),
    };
    let schemas = resolve_schemas(schema_names.as_deref());
    if let (Some(tables), Some(_)) = (&table_filter, &scope.schemas) {
        let wanted: HashSet<u32> = schemas.iter().map(|s| s.oid).collect();
        if let Some(outside) = tables.iter().find(|t| !wanted.contains(&t.schema_oid)) {
            bad_argument(
                format!("table {} is not in the schemas asked for", outside.key),
                "Add its schema to the schemas argument, or pass schemas => NULL.",
            );
        }
    }
    (schemas, table_filter)
}

/// A snapshot limited to more tables than this reads the catalogs by scans, not index probes
/// (at 5,000 tables, probing pg_class for 2,806 of them took 106 ms, a scan of it 37).
const PROBE_TABLES_AT_MOST: usize = 1000;

/// Reads everything a snapshot of `scope` (resolved and locked by `lock_scope`) needs.
/// Call inside `Spi::connect`.
pub fn read_catalog(scope: &Scope, resolved: Resolved) -> RawCatalog {
    let clock = crate::spi_read::PhaseClock::start();
    let mut raw = RawCatalog { exact_sizes: scope.exact_sizes, ..Default::default() };
    read_meta(&mut raw, scope.owners.is_none());
    let Resolved { schemas, tables: table_filter } = resolved;
    raw.schemas = schemas;
    raw.table_filter = scope.tables.clone();

    let schema_oids: Vec<pg_sys::Oid> = raw.schemas.iter().map(|s| pg_sys::Oid::from(s.oid)).collect();
    let rel_filter: Option<Vec<pg_sys::Oid>> = match &scope.owners {
        Some(owners) => Some(owners.relations.iter().map(|&o| pg_sys::Oid::from(o)).collect()),
        None => table_filter.as_ref().map(|t| t.iter().map(|t| pg_sys::Oid::from(t.oid)).collect()),
    };
    let type_filter: Option<Vec<pg_sys::Oid>> =
        scope.owners.as_ref().map(|o| o.objects.iter().map(|&t| pg_sys::Oid::from(t)).collect());
    // Capture's groups never include an extension's objects (owners.sql leaves them out).
    let extension_members: Vec<pg_sys::Oid> = if scope.owners.is_some() {
        Vec::new()
    } else {
        let members = query("extension_members", catalog_sql!("extension_members"), &[]);
        (0..members.len()).map(|r| pg_sys::Oid::from(members.oid(r, 1))).collect()
    };
    // $1 schemas, $2 the table filter, $3 extension members, $4 the type filter: the same
    // four for every query
    let optional = |oids: &Option<Vec<pg_sys::Oid>>| match oids {
        Some(oids) => arg(oids.clone()),
        None => null_arg::<Vec<pg_sys::Oid>>(),
    };
    let scope_args = || vec![arg(schema_oids.clone()), optional(&rel_filter), arg(extension_members.clone()), optional(&type_filter)];

    clock.lap("setup");
    // Capture, and a snapshot limited to some tables, probe the catalogs' indexes for their
    // few relations instead of scanning them (index scans under the same snapshot: exact).
    // Capture alone also asks the catalog caches (`syscache`), which see the newest
    // catalog rather than the call's snapshot; its objects are locked by its statement.
    // (past some hundreds of tables one scan of each catalog costs less than a probe per table)
    let limited_to_tables = table_filter
        .as_ref()
        .filter(|tables| tables.len() <= PROBE_TABLES_AT_MOST)
        .map(|tables| Owners { relations: tables.iter().map(|t| t.oid).collect(), ..Default::default() });
    let keyed: Option<Keyed> = scope.owners.as_ref().or(limited_to_tables.as_ref()).map(Keyed::find);
    let cached = scope.owners.is_some();
    let comments = if scope.graph_only {
        crate::catalog::scan::Comments::default()
    } else {
        crate::catalog::scan::comments(keyed.as_ref().map(|k| k.relations.as_slice()))
    };
    let excluded: HashSet<u32> = extension_members.iter().map(|o| o.to_u32()).collect();
    let only: Option<HashSet<u32>> = rel_filter.as_ref().map(|r| r.iter().map(|o| o.to_u32()).collect());
    let classes =
        crate::catalog::scan::classes(&raw.schemas, only.as_ref(), &excluded, &comments, keyed.as_ref().map(|k| k.classes.as_slice()));
    raw.relations = classes.relations;
    describe_relations(&mut raw.relations);
    clock.lap("relations (scan)");
    let relation_oids: HashSet<u32> = raw.relations.iter().map(|r| r.oid).collect();
    let relation_keys: Vec<u32> = raw.relations.iter().map(|r| r.oid).collect();
    let keys = keyed.as_ref().map(|_| relation_keys.as_slice());
    name_inherited_tables(&mut raw.relations, crate::catalog::scan::inheritance(&relation_oids, keys), cached);
    let mut with_acl = classes.with_acl.clone();
    raw.columns = crate::catalog::scan::columns(&relation_oids, &comments, keys, &mut with_acl);
    clock.lap("columns (scan)");
    // A snapshot limited to some tables lists the FKs that point at them; capture keeps an
    // FK with the table that holds it.
    let pointed_at = table_filter.as_ref().map(|_| &relation_oids);
    // (the FKs pointing at a limited snapshot's tables have no index to probe by; the graph
    // of what a delete reaches holds every table whose FKs point into it)
    let constraint_keys = if pointed_at.is_some() && !scope.graph_only { None } else { keys };
    raw.constraints = crate::catalog::scan::constraints(&relation_oids, pointed_at, &comments, constraint_keys);
    if scope.graph_only {
        raw.constraints.retain(|c| c.contype == "p" || c.contype == "f");
        name_constraint_tables(&mut raw, cached);
        resolve_fk_parent_columns(&mut raw, cached);
        clock.lap("the FK graph");
        return raw;
    }
    name_constraint_tables(&mut raw, cached);
    clock.lap("constraints (scan)");
    let toast_tables: HashSet<u32> =
        raw.relations.iter().filter_map(|r| classes.storage.get(&r.oid)).map(|s| s.toast).filter(|&t| t != 0).collect();
    let index_keys: Vec<u32> = relation_keys.iter().chain(&toast_tables).copied().collect();
    let (indexes, toast_indexes) = read_indexes_by_scan(
        &relation_oids,
        &toast_tables,
        &classes.indexes,
        &comments,
        keyed.as_ref().map(|_| index_keys.as_slice()),
        cached,
    );
    raw.indexes = indexes;
    if keyed.is_some() {
        comment_constraints_and_indexes(&mut raw);
    }
    clock.lap("indexes (scan)");
    if scope.exact_sizes {
        crate::catalog::sizes::read_exact_sizes(&mut raw.relations, &raw.indexes, &toast_indexes, &classes.storage);
        clock.lap("exact sizes");
    }
    // The small kinds: one query each, read at once, timed at DEBUG1.
    macro_rules! read {
        ($field:ident, $file:literal, $reader:ident, $args:expr) => {{
            raw.$field = $reader(&query($file, catalog_sql!($file), &$args));
            pg_sys::check_for_interrupts!();
            clock.lap($file);
        }};
        ($field:ident, $file:literal, $reader:ident, $args:expr, by_relation $column:literal) => {{
            raw.$field = $reader(&query($file, &by_relation(catalog_sql!($file), $column), &$args));
            pg_sys::check_for_interrupts!();
            clock.lap($file);
        }};
    }
    // Capture re-reads types only when the statement touched one.
    if type_filter.as_ref().map_or(true, |t| !t.is_empty()) {
        read!(enums, "enums", read_enums, scope_args());
        read!(domains, "domains", read_domains, scope_args());
    }
    let standalone: Option<HashSet<u32>> = scope.owners.as_ref().map(|o| o.sequences.iter().copied().collect());
    read_sequences_by_scan(&mut raw, &classes.sequences, only.as_ref(), standalone.as_ref(), &comments, &classes.roles);
    clock.lap("sequences (scan)");
    if keyed.is_some() {
        // most of capture's tables have neither: an index probe says so without a query
        if crate::catalog::scan::any_listed_trigger(&relation_keys) {
            read!(triggers, "triggers", read_triggers, scope_args(), by_relation "t.tgrelid");
        }
        if crate::catalog::scan::any_policy(&relation_keys) {
            read!(policies, "policies", read_policies, scope_args(), by_relation "p.polrelid");
        }
    } else {
        read!(triggers, "triggers", read_triggers, scope_args());
        read!(policies, "policies", read_policies, scope_args());
    }
    // The kinds that stand alone: a snapshot limited to some tables holds none of them.
    if table_filter.is_none() {
        read_standalone(&mut raw, &schema_oids, scope.owners.as_ref().map(|o| o.objects.as_slice()));
        if type_filter.as_ref().map_or(true, |t| !t.is_empty()) {
            // a whole scan of pg_class found the composite types' relations: only those are asked
            let composites = keyed.is_none().then(|| classes.composites.iter().map(|&o| pg_sys::Oid::from(o)).collect::<Vec<_>>());
            let args = [arg(schema_oids.clone()), optional(&type_filter), optional(&composites)];
            raw.user_types = read_printed("user_types", &query("user_types", catalog_sql!("user_types"), &args));
        }
        clock.lap("functions, schemas, extensions, default privileges, collations, types");
    }
    // What hangs off the relations read, printed whole by its query.
    let parts_args = || [arg(schema_oids.clone()), optional(&rel_filter), arg(extension_members.clone())];
    // (capture's few relations seldom have either: index probes say so without a query)
    let probed = |any: fn(&[u32]) -> bool| keyed.is_none() || any(&relation_keys);
    if rel_filter.as_ref().map_or(true, |r| !r.is_empty()) {
        if probed(crate::catalog::scan::any_statistics) {
            raw.statistics = read_printed("statistics", &query("statistics", catalog_sql!("statistics"), &parts_args()));
        }
        if probed(crate::catalog::scan::any_rule) {
            raw.rules = read_printed("rules", &query("rules", catalog_sql!("rules"), &parts_args()));
        }
        clock.lap("statistics, rules");
    }
    read_privileges(&mut raw, with_acl);
    clock.lap("privileges");
    read_types(&mut raw, cached);
    clock.lap("types");
    // Capture finds them in the backend's cache, kept exact by the server's invalidations.
    read_default_opclasses(&mut raw, cached);
    clock.lap("default opclasses");
    // predicates first: the index definitions the extension prints end with them
    deparse_expressions(&mut raw, cached);
    clock.lap("expressions");
    read_server_index_defs(&mut raw);
    clock.lap("index definitions");
    resolve_fk_parent_columns(&mut raw, cached);
    clock.lap("FK parent columns");
    raw
}

/// The scope filter of a catalog query (schemas, or the relations of a limited snapshot),
/// as the line every such file spells it.
const SCOPE_FILTER: &str = "WHERE c.relnamespace = ANY($1::oid[])\n  AND ($2::oid[] IS NULL OR c.oid = ANY($2::oid[]))";

/// Capture's form of a query with `SCOPE_FILTER`: its relations only, by their oids, which a
/// plan kept for every DDL statement (a generic one) finds through the indexes instead of
/// scanning for the NULL case. `column` is the relation column of the catalog the query
/// reads (`t.tgrelid`): filtered there, the catalog's own index on it is used.
fn by_relation(sql: &str, column: &str) -> String {
    if !sql.contains(SCOPE_FILTER) {
        crate::errors::internal("a catalog query lost the scope filter capture rewrites");
    }
    sql.replace(SCOPE_FILTER, &format!("WHERE {column} = ANY($2::oid[])"))
}

/// What capture's groups need of pg_class, found by index probes: the relations, their
/// indexes, the sequences they own, and the unowned sequences asked for.
struct Keyed {
    relations: Vec<u32>,
    classes: Vec<u32>,
}

impl Keyed {
    fn find(owners: &Owners) -> Keyed {
        let mut classes: Vec<u32> = owners.relations.clone();
        classes.extend(crate::catalog::scan::index_oids(&owners.relations));
        classes.extend(crate::catalog::scan::owned_relations(&owners.relations));
        classes.extend(&owners.sequences);
        classes.sort_unstable();
        classes.dedup();
        let mut relations: Vec<u32> = owners.relations.iter().chain(&owners.sequences).copied().collect();
        relations.sort_unstable();
        relations.dedup();
        Keyed { relations, classes }
    }
}

/// Capture read the comments of its relations only: those of their constraints and indexes
/// are looked up now that their oids are known.
fn comment_constraints_and_indexes(raw: &mut RawCatalog) {
    let oids: Vec<u32> = raw.constraints.iter().map(|c| c.oid).chain(raw.indexes.iter().map(|i| i.oid)).collect();
    if oids.is_empty() {
        return;
    }
    let comments = crate::catalog::scan::comments(Some(&oids));
    for c in &mut raw.constraints {
        if let Some(text) = comments.constraints.get(&c.oid) {
            c.comment = Some(text.clone());
        }
    }
    for i in &mut raw.indexes {
        if let Some(text) = comments.relations.get(&(i.oid, 0)) {
            i.comment = Some(text.clone());
        }
    }
}

thread_local! {
    /// What meta.sql said last in this backend: capture reuses all of it but the time (it
    /// stores entries, never meta), and the keywords and block size never change.
    static META: std::cell::RefCell<Option<RawCatalog>> = const { std::cell::RefCell::new(None) };
}

/// `for_snapshot` false: capture knows the database id already (lens_head) and needs no time.
fn read_meta(raw: &mut RawCatalog, for_snapshot: bool) {
    let cached = META.with(|m| {
        m.borrow().as_ref().map(|meta| {
            (meta.db_name.clone(), meta.server_version.clone(), meta.block_size, meta.quoted_keywords.clone())
        })
    });
    if let (false, Some((db_name, version, block_size, keywords))) = (for_snapshot, cached) {
        raw.db_name = db_name;
        raw.server_version = version;
        raw.block_size = block_size;
        raw.quoted_keywords = keywords;
        return;
    }
    let rows = query("meta", catalog_sql!("meta"), &[]);
    raw.db_name = rows.string(0, 1);
    raw.server_version = rows.string(0, 2);
    raw.captured_at = rows.string(0, 3);
    raw.block_size = rows.req(0, 4);
    raw.quoted_keywords = rows.strings(0, 5);
    drop(rows);
    META.with(|m| {
        *m.borrow_mut() = Some(RawCatalog {
            db_name: raw.db_name.clone(),
            server_version: raw.server_version.clone(),
            block_size: raw.block_size,
            quoted_keywords: raw.quoted_keywords.clone(),
            ..Default::default()
        })
    });
    if for_snapshot {
        raw.database_id = database_id();
    }
}

/// pg_lens's id of this database, from `lens_head` in the extension's schema.
fn database_id() -> Option<String> {
    let rows = query(
        "extension_schema",
        "SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_extension e \
         JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_lens'",
        &[],
    );
    let schema = (rows.len() == 1).then(|| rows.string(0, 1))?;
    drop(rows);
    let rows = query("database_id", &format!("SELECT database_id FROM {schema}.lens_head"), &[]);
    (rows.len() == 1).then(|| rows.opt_string(0, 1)).flatten()
}

struct ResolvedTable {
    key: String,
    oid: u32,
    schema_oid: u32,
    schema: String,
}

fn resolve_tables(keys: &[String]) -> Vec<ResolvedTable> {
    for key in keys {
        match lens_core::ident::split_qualified(key) {
            Ok(parts) if parts.len() == 2 => {}
            Ok(parts) if parts.len() == 1 => name_the_candidates(key, &parts[0]),
            Ok(parts) => bad_argument(
                format!("{key} is not a table key: it has {} parts", parts.len()),
                "A table key is schema.table as quote_ident() prints each part, e.g. public.\"Order Items\" (columns are not keys).",
            ),
            Err(why) => bad_argument(
                format!("{key} is not a table key: {why}"),
                "A table key is schema.table as quote_ident() prints each part, e.g. public.\"Order Items\".",
            ),
        }
    }
    let rows = query("tables_filter", catalog_sql!("tables_filter"), &[arg(keys.to_vec())]);
    let mut out = Vec::with_capacity(rows.len());
    for r in 0..rows.len() {
        let key = rows.string(r, 1);
        let Some(oid) = rows.get::<i64>(r, 2) else {
            raise(
                PgSqlErrorCode::ERRCODE_UNDEFINED_TABLE,
                format!("table {key} does not exist"),
                "Tables are given by key: schema and table as quote_ident() prints them, e.g. public.\"Order Items\".",
            );
        };
        if let Some(extension) = rows.opt_string(r, 5) {
            bad_argument(
                format!("{key} belongs to extension {extension}: extensions' objects are not in snapshots"),
                "Pass tables of your own schemas; an extension's tables are its own (pg_dump leaves them out too).",
            );
        }
        let relkind = rows.string(r, 3);
        if !matches!(relkind.as_str(), "r" | "p" | "v" | "m" | "f") {
            bad_argument(
                format!("{key} is not a table, view or materialized view"),
                "Pass the keys of tables, partitioned tables, views, materialized views or foreign tables.",
            );
        }
        out.push(ResolvedTable { key, oid: oid as u32, schema_oid: rows.oid(r, 4), schema: String::new() });
    }
    // The schema names, for when the caller gave tables but no schemas.
    let oids: Vec<pg_sys::Oid> = out.iter().map(|t| pg_sys::Oid::from(t.schema_oid)).collect();
    let names = query(
        "table_schemas",
        "SELECT n.oid::int8, n.nspname::text FROM pg_catalog.pg_namespace n WHERE n.oid = ANY($1)",
        &[arg(oids)],
    );
    let by_oid: HashMap<u32, String> = (0..names.len()).map(|r| (names.oid(r, 1), names.string(r, 2))).collect();
    for t in &mut out {
        t.schema = by_oid.get(&t.schema_oid).cloned().unwrap_or_default();
    }
    out
}

/// A key without its schema (`customer`): an ERROR that names the tables it could mean.
fn name_the_candidates(key: &str, name: &str) -> ! {
    let rows = query(
        "table_candidates",
        "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
           AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)' \
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass \
                           AND d.objid = c.oid AND d.deptype = 'e') \
         ORDER BY 1 LIMIT 10",
        &[arg(name.to_string())],
    );
    let candidates: Vec<String> = (0..rows.len()).map(|r| rows.string(r, 1)).collect();
    let hint = if candidates.is_empty() {
        "A table key names its schema: schema.table as quote_ident() prints each part.".to_string()
    } else {
        format!("A table key names its schema: did you mean {}?", candidates.join(", "))
    };
    raise(PgSqlErrorCode::ERRCODE_UNDEFINED_TABLE, format!("table {key} does not exist: a key is schema.table"), &hint)
}

/// Checks that every schema of `names` exists (an ERROR with a hint otherwise).
pub fn resolve_schema_names(names: &[String]) -> Vec<RawSchema> {
    resolve_schemas(Some(names))
}

fn resolve_schemas(names: Option<&[String]>) -> Vec<RawSchema> {
    let rows = match names {
        Some(names) => query("schemas", catalog_sql!("schemas"), &[arg(names.to_vec())]),
        None => query("schemas", catalog_sql!("schemas"), &[null_arg::<Vec<String>>()]),
    };
    let mut schemas = Vec::with_capacity(rows.len());
    for r in 0..rows.len() {
        let name = rows.string(r, 2);
        match rows.get::<i64>(r, 1) {
            Some(oid) => schemas.push(RawSchema { oid: oid as u32, name }),
            None => raise(
                PgSqlErrorCode::ERRCODE_INVALID_SCHEMA_NAME,
                format!("schema \"{name}\" does not exist"),
                "Schema names are given as the catalog spells them (case matters, no quotes); pass NULL for every user schema.",
            ),
        }
    }
    schemas
}

/// What only the server prints about relations: view bodies, partition bounds and keys, and
/// the parents of partitions. One query for the relations that have any of them.
fn describe_relations(relations: &mut [RawRelation]) {
    let wanted: Vec<pg_sys::Oid> = relations
        .iter()
        .filter(|r| matches!(r.relkind.as_str(), "v" | "m" | "p" | "f") || r.is_partition)
        .map(|r| pg_sys::Oid::from(r.oid))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let rows = query("relation_details", catalog_sql!("relation_details"), &[arg(wanted)]);
    let mut details: HashMap<u32, usize> = HashMap::new();
    for r in 0..rows.len() {
        details.insert(rows.oid(r, 1), r);
    }
    for rel in relations.iter_mut() {
        let Some(&r) = details.get(&rel.oid) else { continue };
        rel.parent = match (rows.opt_string(r, 2), rows.opt_string(r, 3)) {
            (Some(s), Some(n)) => Some((s, n)),
            _ => None,
        };
        rel.partition_bound = rows.opt_string(r, 4);
        rel.partition_key = rows.opt_string(r, 5);
        rel.view_definition = rows.opt_string(r, 6);
        rel.server = rows.opt_string(r, 7);
        rel.foreign_options = rows.strings(r, 8);
    }
}

/// Indexes by catalog scan, with the access methods named and the opclass options of
/// non-btree indexes looked up (btree's built-in classes take none; default_opclasses.sql
/// keeps btree classes that could take options away from the extension's own printing).
fn read_indexes_by_scan(
    relations: &HashSet<u32>,
    toast_tables: &HashSet<u32>,
    classes: &HashMap<u32, crate::catalog::scan::IndexClass>,
    comments: &crate::catalog::scan::Comments,
    keys: crate::catalog::scan::Keys,
    cached: bool,
) -> (Vec<RawIndex>, HashMap<u32, Vec<u32>>) {
    let methods: HashMap<u32, String> = if cached {
        // capture's few indexes: their methods through the cache
        let used: HashSet<u32> = classes.values().map(|c| c.access_method).collect();
        used.into_iter().filter_map(|am| crate::catalog::syscache::access_method_name(am).map(|n| (am, n))).collect()
    } else {
        let rows = query("access_methods", "SELECT oid::int8, amname::text FROM pg_catalog.pg_am", &[]);
        (0..rows.len()).map(|r| (rows.oid(r, 1), rows.string(r, 2))).collect()
    };
    let (mut indexes, toast_indexes) = crate::catalog::scan::indexes(relations, toast_tables, classes, &methods, comments, keys);
    let others: Vec<pg_sys::Oid> =
        indexes.iter().filter(|i| i.method != "btree").map(|i| pg_sys::Oid::from(i.oid)).collect();
    if !others.is_empty() {
        let rows = query("index_options", catalog_sql!("index_options"), &[arg(others)]);
        let with_options: HashSet<u32> = (0..rows.len()).map(|r| rows.oid(r, 1)).collect();
        for i in &mut indexes {
            i.needs_server_def |= with_options.contains(&i.oid);
        }
    }
    (indexes, toast_indexes)
}

fn read_enums(rows: &Rows) -> Vec<RawEnum> {
    (0..rows.len())
        .map(|r| RawEnum {
            schema: rows.string(r, 1),
            name: rows.string(r, 2),
            values: rows.strings(r, 3),
            comment: rows.opt_string(r, 4),
            oid: rows.oid(r, 5),
            owner: rows.opt_string(r, 6),
        })
        .collect()
}

fn read_domains(rows: &Rows) -> Vec<RawDomain> {
    (0..rows.len())
        .map(|r| RawDomain {
            schema: rows.string(r, 1),
            name: rows.string(r, 2),
            data_type: rows.string(r, 3),
            not_null: rows.bool(r, 4),
            default: rows.opt_string(r, 5),
            collation: rows.opt_string(r, 6),
            check_names: rows.strings(r, 7),
            check_defs: rows.strings(r, 8),
            comment: rows.opt_string(r, 9),
            oid: rows.oid(r, 10),
            owner: rows.opt_string(r, 11),
        })
        .collect()
}

fn read_sequences_by_scan(
    raw: &mut RawCatalog,
    list: &[(u32, String, String)],
    only: Option<&HashSet<u32>>,
    standalone: Option<&HashSet<u32>>,
    comments: &crate::catalog::scan::Comments,
    roles: &HashMap<u32, Option<String>>,
) {
    let found = crate::catalog::scan::sequences(list, only, standalone, comments);
    let type_oids: Vec<pg_sys::Oid> =
        found.iter().map(|(_, t)| *t).collect::<HashSet<_>>().into_iter().map(pg_sys::Oid::from).collect();
    let mut names: HashMap<u32, String> = HashMap::new();
    if !type_oids.is_empty() {
        let rows = query(
            "sequence_types",
            "SELECT t::int8, pg_catalog.format_type(t, NULL) FROM unnest($1::oid[]) AS t",
            &[arg(type_oids)],
        );
        for r in 0..rows.len() {
            names.insert(rows.oid(r, 1), rows.string(r, 2));
        }
    }
    raw.sequences = found
        .into_iter()
        .map(|(mut seq, type_oid)| {
            seq.data_type = names.get(&type_oid).cloned().unwrap_or_default();
            seq.role = roles.get(&seq.oid).cloned().flatten();
            seq
        })
        .collect();
}

fn read_triggers(rows: &Rows) -> Vec<RawTrigger> {
    (0..rows.len())
        .filter_map(|r| {
            // pg_get_triggerdef() is NULL for a trigger dropped while we read: skip it.
            Some(RawTrigger {
                relid: rows.oid(r, 1),
                name: rows.string(r, 2),
                definition: rows.opt_string(r, 3)?,
                enabled: rows.string(r, 4),
                comment: rows.opt_string(r, 5),
                oid: rows.oid(r, 6),
            })
        })
        .collect()
}

fn read_policies(rows: &Rows) -> Vec<RawPolicy> {
    (0..rows.len())
        .map(|r| RawPolicy {
            relid: rows.oid(r, 1),
            name: rows.string(r, 2),
            command: rows.string(r, 3),
            permissive: rows.bool(r, 4),
            roles: rows.strings(r, 5),
            using: rows.opt_string(r, 6),
            with_check: rows.opt_string(r, 7),
            comment: rows.opt_string(r, 8),
            oid: rows.oid(r, 9),
        })
        .collect()
}

/// Prints each distinct (type, typmod) once, then names the collations columns set explicitly.
/// `from_cache`: capture's few types through the type cache, without a query.
fn read_types(raw: &mut RawCatalog, from_cache: bool) {
    let pairs: HashSet<(u32, i32)> = raw.columns.iter().map(|c| (c.type_oid, c.typmod)).collect();
    if from_cache {
        for (t, m) in pairs {
            let (formatted, collation, storage) = crate::catalog::syscache::format_type(t, m);
            raw.types.insert((t, m), RawType { formatted, collation, storage });
        }
    } else {
        let (type_oids, typmods): (Vec<pg_sys::Oid>, Vec<i32>) =
            pairs.iter().map(|&(t, m)| (pg_sys::Oid::from(t), m)).unzip();
        let rows = query("types", catalog_sql!("types"), &[arg(type_oids), arg(typmods)]);
        for r in 0..rows.len() {
            raw.types.insert(
                (rows.oid(r, 1), rows.req(r, 2)),
                RawType { formatted: rows.string(r, 3), collation: rows.oid(r, 4), storage: rows.string(r, 5) },
            );
        }
    }
    let explicit: HashSet<u32> = raw
        .columns
        .iter()
        .filter(|c| c.collation != 0)
        .filter(|c| raw.types.get(&(c.type_oid, c.typmod)).map(|t| t.collation) != Some(c.collation))
        .map(|c| c.collation)
        .collect();
    if explicit.is_empty() {
        return;
    }
    let oids: Vec<pg_sys::Oid> = explicit.into_iter().map(pg_sys::Oid::from).collect();
    let rows = query("collations", catalog_sql!("collations"), &[arg(oids)]);
    for r in 0..rows.len() {
        raw.collations.insert(rows.oid(r, 1), rows.string(r, 2));
    }
}

/// `from_cache`: capture's, through the backend's cache (`syscache::default_opclasses`).
fn read_default_opclasses(raw: &mut RawCatalog, from_cache: bool) {
    let types: HashMap<(u32, i16), u32> = raw.columns.iter().map(|c| ((c.relid, c.attnum), c.type_oid)).collect();
    let mut pairs: HashSet<(u32, u32)> = HashSet::new();
    for idx in raw.indexes.iter().filter(|i| !i.needs_server_def) {
        for attnum in idx.indkey.iter().take(idx.nkeyatts) {
            if let Some(&t) = types.get(&(idx.relid, *attnum)) {
                pairs.insert((idx.method_oid, t));
            }
        }
    }
    if pairs.is_empty() {
        return;
    }
    let pairs: Vec<(u32, u32)> = pairs.into_iter().collect();
    raw.default_opclasses =
        if from_cache { crate::catalog::syscache::default_opclasses(&pairs, query_default_opclasses) } else { query_default_opclasses(&pairs) };
}

fn query_default_opclasses(pairs: &[(u32, u32)]) -> HashMap<(u32, u32), u32> {
    let (ams, tys): (Vec<pg_sys::Oid>, Vec<pg_sys::Oid>) =
        pairs.iter().map(|&(a, t)| (pg_sys::Oid::from(a), pg_sys::Oid::from(t))).unzip();
    let rows = query("default_opclasses", catalog_sql!("default_opclasses"), &[arg(ams), arg(tys)]);
    (0..rows.len()).filter_map(|r| rows.get::<i64>(r, 3).map(|opc| ((rows.oid(r, 1), rows.oid(r, 2)), opc as u32))).collect()
}

fn read_server_index_defs(raw: &mut RawCatalog) {
    let oids: Vec<pg_sys::Oid> =
        lens_core::build::print_own_index_definitions(raw).into_iter().map(pg_sys::Oid::from).collect();
    if oids.is_empty() {
        return;
    }
    let rows = query("index_defs", catalog_sql!("index_defs"), &[arg(oids)]);
    for r in 0..rows.len() {
        // NULL when the index was dropped while we read; it then has no definition.
        if let Some(definition) = rows.opt_string(r, 2) {
            raw.index_defs.insert(rows.oid(r, 1), RawIndexDef { definition, columns: rows.strings(r, 3), include: None });
        }
    }
}

/// Prints defaults, CHECK expressions and index predicates once per distinct expression
/// (see `lens_core::expr_groups`) and hands each printed text to every member of its group.
/// `direct`: capture's few, printed by calling pg_get_expr without a query.
fn deparse_expressions(raw: &mut RawCatalog, direct: bool) {
    use lens_core::expr_groups::group_key;

    /// A group's representative: the catalog row's oid, its node tree, and the relation the
    /// expression reads columns of (0: none).
    struct Representative {
        oid: u32,
        node: String,
        relid: u32,
    }
    /// Expressions of one kind, grouped: each member's group, and each group's representative.
    #[derive(Default)]
    struct Groups {
        member_group: Vec<usize>,
        representatives: Vec<Representative>,
        by_key: HashMap<String, usize>,
    }
    impl Groups {
        fn add(&mut self, key: Option<String>, representative: impl FnOnce() -> Representative) {
            let group = match key {
                Some(key) => *self.by_key.entry(key).or_insert_with(|| {
                    self.representatives.push(representative());
                    self.representatives.len() - 1
                }),
                None => {
                    self.representatives.push(representative());
                    self.representatives.len() - 1
                }
            };
            self.member_group.push(group);
        }

        /// The printed text of every member, in the order they were added.
        fn print(self, file: &'static str, sql: &str, direct: bool) -> Vec<Option<String>> {
            let mut printed: HashMap<u32, String> = HashMap::new();
            if direct {
                for r in &self.representatives {
                    if let Some(text) = crate::catalog::syscache::print_expression(&r.node, r.relid) {
                        printed.insert(r.oid, text);
                    }
                }
            } else if !self.representatives.is_empty() {
                let oids: Vec<pg_sys::Oid> = self.representatives.iter().map(|r| pg_sys::Oid::from(r.oid)).collect();
                let rows = query(file, sql, &[arg(oids)]);
                for r in 0..rows.len() {
                    if let Some(text) = rows.opt_string(r, 2) {
                        printed.insert(rows.oid(r, 1), text);
                    }
                }
            }
            let texts: Vec<Option<String>> = self.representatives.iter().map(|r| printed.remove(&r.oid)).collect();
            self.member_group.into_iter().map(|g| texts[g].clone()).collect()
        }
    }

    let (mut defaults, mut checks, mut predicates) = (Groups::default(), Groups::default(), Groups::default());
    {
        let names: HashMap<(u32, i16), &str> = raw.columns.iter().map(|c| ((c.relid, c.attnum), c.name.as_str())).collect();
        let names = &names;
        let column_of = |relid: u32| move |attnum: i16| names.get(&(relid, attnum)).copied();
        for c in raw.columns.iter().filter(|c| c.default_node.is_some()) {
            let node = c.default_node.as_deref().unwrap_or_default();
            // a default never reads a column (deparse_defaults.sql): printed without its table
            let relid = if c.generated.is_empty() { 0 } else { c.relid };
            defaults.add(group_key(node, &column_of(c.relid)), || Representative { oid: c.attrdef_oid, node: node.to_string(), relid });
        }
        for c in raw.constraints.iter().filter(|c| c.check_node.is_some()) {
            let node = c.check_node.as_deref().unwrap_or_default();
            checks.add(group_key(node, &column_of(c.relid)), || Representative { oid: c.oid, node: node.to_string(), relid: c.relid });
        }
        for i in raw.indexes.iter().filter(|i| i.predicate_node.is_some()) {
            let node = i.predicate_node.as_deref().unwrap_or_default();
            predicates.add(group_key(node, &column_of(i.relid)), || Representative { oid: i.oid, node: node.to_string(), relid: i.relid });
        }
    }

    let mut printed = defaults.print("deparse_defaults", catalog_sql!("deparse_defaults"), direct).into_iter();
    for c in raw.columns.iter_mut().filter(|c| c.default_node.is_some()) {
        c.default_expr = printed.next().flatten();
        c.default_node = None;
    }
    let mut printed = checks.print("deparse_checks", catalog_sql!("deparse_checks"), direct).into_iter();
    for c in raw.constraints.iter_mut().filter(|c| c.check_node.is_some()) {
        c.check_expr = printed.next().flatten();
        c.check_node = None;
    }
    let mut printed = predicates.print("deparse_predicates", catalog_sql!("deparse_predicates"), direct).into_iter();
    for i in raw.indexes.iter_mut().filter(|i| i.predicate_node.is_some()) {
        i.predicate = printed.next().flatten();
        i.predicate_node = None;
    }
}

/// Names the referenced columns of every FK: from the columns read when the parent table was
/// read, else (another schema, an extension's table) from the catalog in one query.
/// `from_cache`: capture's few FKs to tables outside its groups, through the attribute cache.
fn resolve_fk_parent_columns(raw: &mut RawCatalog, from_cache: bool) {
    let names: HashMap<(u32, i16), &str> = raw.columns.iter().map(|c| ((c.relid, c.attnum), c.name.as_str())).collect();
    let mut unresolved: Vec<pg_sys::Oid> = Vec::new();
    let mut resolved: Vec<Option<Vec<String>>> = Vec::with_capacity(raw.constraints.len());
    for con in &raw.constraints {
        if con.contype != "f" {
            resolved.push(None);
            continue;
        }
        let cols: Option<Vec<String>> = con
            .parent_attnums
            .iter()
            .map(|&a| match names.get(&(con.parent_relid, a)) {
                Some(n) => Some(n.to_string()),
                None if from_cache => crate::catalog::syscache::attribute_name(con.parent_relid, a),
                None => None,
            })
            .collect();
        if cols.is_none() {
            unresolved.push(pg_sys::Oid::from(con.oid));
        }
        resolved.push(cols);
    }
    for (con, cols) in raw.constraints.iter_mut().zip(resolved) {
        if let Some(cols) = cols {
            con.parent_cols = cols;
        }
    }
    if unresolved.is_empty() {
        return;
    }
    let rows = query("fk_columns", catalog_sql!("fk_columns"), &[arg(unresolved)]);
    let by_oid: HashMap<u32, Vec<String>> = (0..rows.len()).map(|r| (rows.oid(r, 1), rows.strings(r, 3))).collect();
    for con in raw.constraints.iter_mut().filter(|c| c.contype == "f" && c.parent_cols.is_empty()) {
        if let Some(cols) = by_oid.get(&con.oid) {
            con.parent_cols = cols.clone();
        }
    }
}

/// The (schema, name) of the relations read, and of `others` besides (a parent or an FK's
/// other end in another schema): through the relation cache for capture (`from_cache`),
/// else by one query under the call's snapshot.
fn relation_names(relations: &[RawRelation], others: impl IntoIterator<Item = u32>, from_cache: bool) -> HashMap<u32, (String, String)> {
    let mut names: HashMap<u32, (String, String)> = relations.iter().map(|r| (r.oid, (r.schema.clone(), r.name.clone()))).collect();
    let outside: HashSet<u32> = others.into_iter().filter(|o| !names.contains_key(o)).collect();
    if from_cache {
        names.extend(outside.into_iter().filter_map(|o| crate::catalog::syscache::relation_name(o).map(|n| (o, n))));
    } else if !outside.is_empty() {
        let oids: Vec<pg_sys::Oid> = outside.into_iter().map(pg_sys::Oid::from).collect();
        let rows = query("relation_names", catalog_sql!("relation_names"), &[arg(oids)]);
        for r in 0..rows.len() {
            names.insert(rows.oid(r, 1), (rows.string(r, 2), rows.string(r, 3)));
        }
    }
    names
}

/// Each table's parents by inheritance (partitions have theirs as `parent`).
fn name_inherited_tables(relations: &mut [RawRelation], inheritance: Vec<(u32, u32)>, from_cache: bool) {
    if inheritance.is_empty() {
        return;
    }
    let names = relation_names(relations, inheritance.iter().map(|(_, parent)| *parent), from_cache);
    let mut parents: HashMap<u32, Vec<(String, String)>> = HashMap::new();
    for (child, parent) in inheritance {
        if let Some(name) = names.get(&parent) {
            parents.entry(child).or_default().push(name.clone());
        }
    }
    for r in relations.iter_mut().filter(|r| !r.is_partition) {
        if let Some(list) = parents.remove(&r.oid) {
            r.inherits = list;
        }
    }
}

/// Fills in the table names the constraint scan leaves out: FK parents (from the relations
/// read, else from the catalog), the child of an FK pointing into a limited snapshot, and the
/// definitions of exclusion constraints (printed by the server).
fn name_constraint_tables(raw: &mut RawCatalog, from_cache: bool) {
    let read: HashSet<u32> = raw.relations.iter().map(|r| r.oid).collect();
    let mut inbound: Vec<pg_sys::Oid> = Vec::new();
    let mut exclusions: Vec<pg_sys::Oid> = Vec::new();
    for c in &raw.constraints {
        if !read.contains(&c.relid) {
            inbound.push(pg_sys::Oid::from(c.oid));
        }
        if c.contype == "x" {
            exclusions.push(pg_sys::Oid::from(c.oid));
        }
    }
    let ends = raw.constraints.iter().flat_map(|c| [Some(c.relid), (c.contype == "f").then_some(c.parent_relid)].into_iter().flatten());
    let names = relation_names(&raw.relations, ends, from_cache);
    let mut child_cols: HashMap<u32, Vec<String>> = HashMap::new();
    if !inbound.is_empty() {
        let rows = query("fk_columns", catalog_sql!("fk_columns"), &[arg(inbound)]);
        for r in 0..rows.len() {
            child_cols.insert(rows.oid(r, 1), rows.strings(r, 2));
        }
    }
    let mut definitions: HashMap<u32, String> = HashMap::new();
    if !exclusions.is_empty() {
        let rows = query("constraint_defs", catalog_sql!("constraint_defs"), &[arg(exclusions)]);
        for r in 0..rows.len() {
            if let Some(def) = rows.opt_string(r, 2) {
                definitions.insert(rows.oid(r, 1), def);
            }
        }
    }
    for c in &mut raw.constraints {
        if c.contype == "f" {
            if let Some((schema, table)) = names.get(&c.parent_relid) {
                c.parent_schema = Some(schema.clone());
                c.parent_table = Some(table.clone());
            }
        }
        if let Some(cols) = child_cols.remove(&c.oid) {
            if let Some((schema, table)) = names.get(&c.relid) {
                c.child = Some((schema.clone(), table.clone(), cols));
            }
        }
        if c.contype == "x" {
            c.definition = definitions.remove(&c.oid);
        }
    }
}

/// Entries a catalog query prints whole (`oid`, `entry jsonb`), read into their model type.
fn read_printed<T: for<'de> lens_core::model::Deserialize<'de>>(name: &'static str, rows: &Rows) -> Vec<T> {
    (0..rows.len())
        .filter_map(|r| rows.get::<crate::jsonb_datum::JsonbValue>(r, 2))
        .map(|entry| match serde_json::from_value(entry.0) {
            Ok(entry) => entry,
            Err(e) => crate::errors::internal(format!("{name}.sql printed an entry pg_lens cannot read: {e}")),
        })
        .collect()
}

/// Functions, schemas, extensions, default privileges, collations, and the database's
/// publications, event triggers and casts: all of them, or (`objects`, capture) those among
/// the objects given.
fn read_standalone(raw: &mut RawCatalog, schema_oids: &[pg_sys::Oid], objects: Option<&[u32]>) {
    if objects.is_some_and(|o| o.is_empty()) {
        return;
    }
    let filter = || match objects {
        Some(list) => arg(list.iter().map(|&o| pg_sys::Oid::from(o)).collect::<Vec<_>>()),
        None => null_arg::<Vec<pg_sys::Oid>>(),
    };
    let args = || [arg(schema_oids.to_vec()), filter()];
    // each kind's query is sql/catalog/<name>.sql, named so in errors
    macro_rules! printed {
        ($($field:ident <- $name:literal),* $(,)?) => {$(
            raw.$field = read_printed($name, &query($name, catalog_sql!($name), &args()));
        )*};
    }
    printed! {
        functions <- "functions",
        schema_objects <- "schema_objects",
        extensions <- "extensions",
        default_privileges <- "default_privileges",
        collation_objects <- "collations_objects",
        publications <- "publications",
        event_triggers <- "event_triggers",
        casts <- "casts",
        foreign_data_wrappers <- "foreign_data_wrappers",
        foreign_servers <- "foreign_servers",
        operators <- "operators",
        operator_classes <- "operator_classes",
    }
}

/// The explicit privileges of everything read that can have them: the relations and
/// sequences whose ACL (or a column's) is set, and every function, type, schema and default
/// privileges entry. One query.
fn read_privileges(raw: &mut RawCatalog, relations_with_acl: HashSet<u32>) {
    let mut asked: Vec<(u32, u32)> = relations_with_acl.into_iter().map(|o| (CLASS_CATALOG, o)).collect();
    asked.extend(raw.functions.iter().filter_map(|f| f.oid).map(|o| (PROC_CATALOG, o as u32)));
    asked.extend(raw.enums.iter().map(|e| (TYPE_CATALOG, e.oid)));
    asked.extend(raw.domains.iter().map(|d| (TYPE_CATALOG, d.oid)));
    asked.extend(raw.user_types.iter().filter_map(|t| t.oid).map(|o| (TYPE_CATALOG, o as u32)));
    asked.extend(raw.foreign_servers.iter().filter_map(|s| s.oid).map(|o| (FOREIGN_SERVER_CATALOG, o as u32)));
    asked.extend(raw.schema_objects.iter().filter_map(|s| s.oid).map(|o| (NAMESPACE_CATALOG, o as u32)));
    asked.extend(raw.default_privileges.iter().filter_map(|d| d.oid).map(|o| (DEFAULT_ACL_CATALOG, o as u32)));
    if asked.is_empty() {
        return;
    }
    let (classids, objids): (Vec<pg_sys::Oid>, Vec<pg_sys::Oid>) =
        asked.into_iter().map(|(c, o)| (pg_sys::Oid::from(c), pg_sys::Oid::from(o))).unzip();
    let rows = query("privileges", catalog_sql!("privileges"), &[arg(classids), arg(objids)]);
    for r in 0..rows.len() {
        let Some(map) = rows.get::<crate::jsonb_datum::JsonbValue>(r, 4) else { continue };
        let privileges: lens_core::model::Privileges = match serde_json::from_value(map.0) {
            Ok(p) => p,
            Err(e) => crate::errors::internal(format!("privileges.sql printed privileges pg_lens cannot read: {e}")),
        };
        let (classid, objid, subid) = (rows.oid(r, 1), rows.oid(r, 2), rows.req::<i32>(r, 3));
        if classid == DEFAULT_ACL_CATALOG {
            if let Some(d) = raw.default_privileges.iter_mut().find(|d| d.oid == Some(objid as i64)) {
                d.privileges = privileges;
            }
            continue;
        }
        raw.privileges.insert((classid, objid, subid), privileges);
    }
}
