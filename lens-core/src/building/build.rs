//! Turns raw catalog rows into a `Snapshot`: keys, names for attribute numbers, decoded
//! actions and kinds, sizes, and the two signatures.

use crate::catalog::*;
use crate::ident::{push_quoted, qualified, quote_ident, Keywords};
use crate::index_def::{print_index, IndexedTable};
use crate::model::*;
use crate::signature;
use std::collections::HashMap;

struct Rel<'a> {
    raw: &'a RawRelation,
    key: String,
}

/// Builds the snapshot, including `meta.signature` and `meta.keySignature`.
pub fn build_snapshot(raw: &RawCatalog) -> Snapshot {
    let mut snap = build_unsigned(raw);
    signature::stamp(&mut snap);
    snap
}

/// Builds the snapshot without its signatures (see `snapshot_io::sign_and_encode`).
pub fn build_unsigned(raw: &RawCatalog) -> Snapshot {
    let kw = Keywords::new(raw.quoted_keywords.iter().cloned());
    let rels: HashMap<Oid, Rel> = raw
        .relations
        .iter()
        .map(|r| (r.oid, Rel { raw: r, key: qualified(&r.schema, &r.name, &kw) }))
        .collect();
    let columns_by_att: HashMap<(Oid, i16), &RawColumn> =
        raw.columns.iter().map(|c| ((c.relid, c.attnum), c)).collect();
    let col_name = |relid: Oid, attnum: i16| columns_by_att.get(&(relid, attnum)).map(|c| c.name.clone());

    let mut snap = Snapshot::default();
    build_tables(raw, &rels, &kw, &mut snap);
    build_columns(raw, &rels, &kw, &mut snap);
    build_indexes(raw, &rels, &columns_by_att, &kw, &mut snap);
    build_constraints(raw, &rels, &col_name, &kw, &mut snap);
    build_other_objects(raw, &rels, &columns_by_att, &kw, &mut snap);

    snap.meta = Meta {
        db_name: raw.db_name.clone(),
        captured_at: raw.captured_at.clone(),
        schemas: raw.schemas.iter().map(|s| s.name.clone()).collect(),
        server_version: Some(raw.server_version.clone()),
        format_version: FORMAT_VERSION,
        signature: String::new(),
        key_signature: String::new(),
        sizes: if raw.exact_sizes { "exact" } else { "estimated" }.to_string(),
        tables: raw.table_filter.clone(),
        database_id: raw.database_id.clone(),
        section_signatures: Map::new(),
    };
    snap
}

/// Prints the definitions of the indexes `index_def` can print exactly into
/// `raw.index_defs`, and returns the others, which only `pg_get_indexdef()` can print.
pub fn print_own_index_definitions(raw: &mut RawCatalog) -> Vec<Oid> {
    let kw = Keywords::new(raw.quoted_keywords.iter().cloned());
    let rels: HashMap<Oid, &RawRelation> = raw.relations.iter().map(|r| (r.oid, r)).collect();
    let columns: HashMap<(Oid, i16), &RawColumn> = raw.columns.iter().map(|c| ((c.relid, c.attnum), c)).collect();
    let mut printed = Vec::new();
    let mut for_the_server = Vec::new();
    for idx in &raw.indexes {
        let Some(rel) = rels.get(&idx.relid) else { continue };
        let lookup = |attnum: i16| columns.get(&(idx.relid, attnum)).copied();
        let table = IndexedTable { schema: &rel.schema, name: &rel.name, column: &lookup };
        match print_index(idx, &table, &raw.default_opclasses, &kw) {
            Some(p) => printed.push((idx.oid, RawIndexDef { definition: p.definition, columns: p.columns, include: Some(p.include) })),
            None => for_the_server.push(idx.oid),
        }
    }
    raw.index_defs.extend(printed);
    for_the_server
}

/// A map built from unsorted entries without shifting large values around inside the tree:
/// the entries are ordered by key first, then the map is built in one pass.
fn sorted_map<T>(items: Vec<(String, T)>) -> Map<T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_unstable_by(|&a, &b| items[a].0.cmp(&items[b].0));
    let mut slots: Vec<Option<(String, T)>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

fn table_kind(relkind: &str) -> &'static str {
    match relkind {
        "p" => "partitioned",
        "v" => "view",
        "m" => "materialized_view",
        "f" => "foreign_table",
        _ => "table",
    }
}

fn build_tables(raw: &RawCatalog, rels: &HashMap<Oid, Rel>, kw: &Keywords, snap: &mut Snapshot) {
    let mut index_pages: HashMap<Oid, i64> = HashMap::new();
    for idx in &raw.indexes {
        // relpages is -1 on relations the server never sized (a partitioned table after ANALYZE)
        *index_pages.entry(idx.relid).or_default() += idx.relpages.max(0);
    }
    let mut tables = Vec::with_capacity(raw.relations.len());
    let mut views = Vec::new();
    for rel in &raw.relations {
        let key = rels[&rel.oid].key.clone();
        let (total, heap, index) = match rel.exact_sizes {
            Some(sizes) => sizes,
            None => {
                let heap = rel.relpages.max(0) * raw.block_size;
                let index = index_pages.get(&rel.oid).copied().unwrap_or(0) * raw.block_size;
                (heap + index + rel.toast_pages.max(0) * raw.block_size, heap, index)
            }
        };
        let row_estimate = if rel.reltuples < 0.0 { -1 } else { rel.reltuples.round() as i64 };
        let table = Table {
            oid: Some(rel.oid as i64),
            key: key.clone(),
            schema: rel.schema.clone(),
            name: rel.name.clone(),
            kind: table_kind(&rel.relkind).to_string(),
            row_estimate,
            total_bytes: total,
            heap_bytes: heap,
            index_bytes: index,
            toast_bytes: total - heap - index,
            persistence: if rel.persistence == "u" { "unlogged" } else { "permanent" }.to_string(),
            rls_enabled: rel.rls_enabled,
            rls_forced: rel.rls_forced,
            partition_of: rel.parent.as_ref().map(|(s, n)| qualified(s, n, kw)),
            partition_bound: rel.partition_bound.clone(),
            partition_key: rel.partition_key.clone(),
            inherits: (!rel.inherits.is_empty()).then(|| rel.inherits.iter().map(|(s, n)| qualified(s, n, kw)).collect()),
            comment: rel.comment.clone(),
            owner: rel.owner.clone(),
            privileges: raw.privileges.get(&(CLASS_CATALOG, rel.oid, 0)).cloned(),
            options: rel.options.clone(),
            tablespace: rel.tablespace.clone(),
            access_method: rel.access_method.clone().filter(|m| m != "heap"),
            // (views and foreign tables say `n`: only tables have one to set)
            replica_identity: match rel.replica_identity.as_str() {
                _ if !matches!(rel.relkind.as_str(), "r" | "p") => None,
                "n" => Some("nothing".to_string()),
                "f" => Some("full".to_string()),
                "i" => Some("index".to_string()),
                _ => None,
            },
            server: rel.server.clone(),
            foreign_options: rel.foreign_options.clone(),
        };
        if let Some(definition) = &rel.view_definition {
            views.push((
                key.clone(),
                View {
                    oid: Some(rel.oid as i64),
                    key: key.clone(),
                    schema: rel.schema.clone(),
                    name: rel.name.clone(),
                    kind: table.kind.clone(),
                    definition: definition.clone(),
                    comment: rel.comment.clone(),
                },
            ));
        }
        tables.push((key, table));
    }
    snap.tables = sorted_map(tables);
    snap.views = sorted_map(views);
}

fn build_columns(raw: &RawCatalog, rels: &HashMap<Oid, Rel>, kw: &Keywords, snap: &mut Snapshot) {
    // A column's position counts the table's live columns only: a table that lost a column
    // has the positions (and the signature) of one created without it.
    let mut attnums: HashMap<Oid, Vec<i16>> = HashMap::new();
    for col in &raw.columns {
        attnums.entry(col.relid).or_default().push(col.attnum);
    }
    attnums.values_mut().for_each(|list| list.sort_unstable());
    let position_of = |relid: Oid, attnum: i16| {
        attnums.get(&relid).and_then(|list| list.binary_search(&attnum).ok()).map_or(attnum as i64, |i| i as i64 + 1)
    };
    // PostgreSQL 18's NOT NULL constraints, by column
    let not_nulls: HashMap<(Oid, i16), &RawConstraint> =
        raw.constraints.iter().filter(|c| c.contype == "n").filter_map(|c| Some(((c.relid, *c.conkey.first()?), c))).collect();
    let identity_sequences: std::collections::HashSet<(Oid, i16)> = raw.sequences.iter().filter(|s| s.identity).filter_map(|s| s.owner).collect();
    let mut columns = Vec::with_capacity(raw.columns.len());
    for col in &raw.columns {
        let Some(rel) = rels.get(&col.relid) else { continue };
        let not_null = not_nulls.get(&(col.relid, col.attnum));
        let mut key = String::with_capacity(rel.key.len() + col.name.len() + 3);
        key.push_str(&rel.key);
        key.push('.');
        push_quoted(&mut key, &col.name, kw);
        let ty = raw.types.get(&(col.type_oid, col.typmod));
        let collation = match ty {
            Some(t) if col.collation != 0 && col.collation != t.collation => raw.collations.get(&col.collation).cloned(),
            _ => None,
        };
        let generated = !col.generated.is_empty();
        let column = Column {
            key: key.clone(),
            table_key: rel.key.clone(),
            schema: rel.raw.schema.clone(),
            table: rel.raw.name.clone(),
            name: col.name.clone(),
            position: position_of(col.relid, col.attnum),
            attnum: Some(col.attnum as i64),
            data_type: ty.map(|t| t.formatted.clone()).unwrap_or_else(|| "???".to_string()),
            is_nullable: !col.not_null,
            not_null_name: not_null
                .filter(|c| !c.inherited && c.name != crate::ident::server_chosen_name(&rel.raw.name, &col.name, "not_null"))
                .map(|c| c.name.clone()),
            not_null_no_inherit: not_null.is_some_and(|c| c.no_inherit),
            not_null_not_valid: not_null.is_some_and(|c| !c.validated),
            default: if generated { None } else { col.default_expr.clone() },
            // PostgreSQL 17 and later mark a partition's column with the identity it shares
            // with its parent (whose sequence it is); earlier majors do not. The parent says
            // it for both: an identity without a sequence of the column's own is left out, so
            // the same DDL signs the same on every major.
            identity: match col.identity.as_str() {
                _ if rel.raw.is_partition && !identity_sequences.contains(&(col.relid, col.attnum)) => None,
                "a" => Some("always".to_string()),
                "d" => Some("by default".to_string()),
                _ => None,
            },
            generated: if generated { col.default_expr.clone() } else { None },
            generated_virtual: col.generated == "v",
            collation,
            comment: col.comment.clone(),
            privileges: raw.privileges.get(&(CLASS_CATALOG, col.relid, col.attnum as i32)).cloned(),
            storage: ty.filter(|t| !col.storage.is_empty() && t.storage != col.storage).map(|_| storage_name(&col.storage).to_string()),
            compression: match col.compression.as_str() {
                "p" => Some("pglz".to_string()),
                "l" => Some("lz4".to_string()),
                _ => None,
            },
            statistics_target: col.statistics_target.filter(|&t| t >= 0),
            options: column_options(&col.options),
            foreign_options: col.foreign_options.clone(),
        };
        columns.push((key, column));
    }
    snap.columns = sorted_map(columns);
}

/// A column's `attoptions` but those the server keeps for itself: `pg_attver` (written by
/// recent minor releases to version a column, different in every database) is not a
/// definition.
fn column_options(options: &[String]) -> Vec<String> {
    options.iter().filter(|o| !o.starts_with("pg_attver=")).cloned().collect()
}

fn storage_name(storage: &str) -> &'static str {
    match storage {
        "p" => "plain",
        "m" => "main",
        "e" => "external",
        _ => "extended",
    }
}

fn build_indexes(
    raw: &RawCatalog,
    rels: &HashMap<Oid, Rel>,
    columns: &HashMap<(Oid, i16), &RawColumn>,
    kw: &Keywords,
    snap: &mut Snapshot,
) {
    let mut indexes = Vec::with_capacity(raw.indexes.len());
    for idx in &raw.indexes {
        let Some(rel) = rels.get(&idx.relid) else { continue };
        let lookup = |attnum: i16| columns.get(&(idx.relid, attnum)).copied();
        // Printed by print_own_index_definitions or by the server; missing only for an index
        // dropped while the catalog was read.
        let printed = raw.index_defs.get(&idx.oid).cloned().unwrap_or_default();
        let include = printed.include.unwrap_or_else(|| {
            idx.indkey[idx.nkeyatts.min(idx.indkey.len())..]
                .iter()
                .filter_map(|&a| lookup(a).map(|c| quote_ident(&c.name, kw)))
                .collect()
        });
        let (definition, cols) = (printed.definition, printed.columns);
        let key = index_key(&rel.key, &idx.name, kw);
        indexes.push((
            key.clone(),
            Index {
                oid: Some(idx.oid as i64),
                key,
                table_key: rel.key.clone(),
                schema: rel.raw.schema.clone(),
                table: rel.raw.name.clone(),
                name: idx.name.clone(),
                method: idx.method.clone(),
                columns: cols,
                include,
                predicate: idx.predicate.clone(),
                is_replica_identity: idx.is_replica_identity,
                is_unique: idx.is_unique,
                is_primary: idx.is_primary,
                is_exclusion: idx.is_exclusion,
                is_valid: idx.is_valid,
                nulls_not_distinct: idx.nulls_not_distinct,
                constraint_key: None,
                definition,
                comment: idx.comment.clone(),
            },
        ));
    }
    snap.indexes = sorted_map(indexes);
}

fn index_key(table_key: &str, name: &str, kw: &Keywords) -> String {
    let mut key = String::with_capacity(table_key.len() + name.len() + 3);
    key.push_str(table_key);
    key.push('.');
    push_quoted(&mut key, name, kw);
    key
}

fn constraint_key(table_key: &str, name: &str, kw: &Keywords) -> String {
    let mut key = String::with_capacity(table_key.len() + name.len() + 3);
    key.push_str(table_key);
    key.push(':');
    push_quoted(&mut key, name, kw);
    key
}

pub fn decode_action(code: &str) -> &'static str {
    match code {
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => "NO ACTION",
    }
}

fn decode_match(code: &str) -> &'static str {
    match code {
        "f" => "FULL",
        "p" => "PARTIAL",
        _ => "SIMPLE",
    }
}

/// `child(cols) -> parent(cols)` with every name part quoted.
pub fn relationship_key(child_key: &str, child_cols: &[String], parent_key: &str, parent_cols: &[String], kw: &Keywords) -> String {
    let mut key = String::with_capacity(child_key.len() + parent_key.len() + 32);
    key.push_str(child_key);
    push_col_list(&mut key, child_cols, kw);
    key.push_str(" -> ");
    key.push_str(parent_key);
    push_col_list(&mut key, parent_cols, kw);
    key
}

fn push_col_list(out: &mut String, cols: &[String], kw: &Keywords) {
    out.push('(');
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_quoted(out, c, kw);
    }
    out.push(')');
}

fn build_constraints(
    raw: &RawCatalog,
    rels: &HashMap<Oid, Rel>,
    col_name: &dyn Fn(Oid, i16) -> Option<String>,
    kw: &Keywords,
    snap: &mut Snapshot,
) {
    let index_keys: HashMap<Oid, (String, bool)> = raw
        .indexes
        .iter()
        .filter_map(|i| rels.get(&i.relid).map(|r| (i.oid, (index_key(&r.key, &i.name, kw), i.nulls_not_distinct))))
        .collect();
    // index key -> key of the constraint it enforces, set on the indexes in one pass at the end
    let mut enforced: HashMap<String, String> = HashMap::new();
    // FKs sorted so that, when two share one relKey, the first by name keeps the plain key.
    let mut fks: Vec<&RawConstraint> = Vec::new();
    let (mut pks, mut uniques, mut checks, mut exclusions) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for con in &raw.constraints {
        let Some(rel) = rels.get(&con.relid) else {
            if con.contype == "f" {
                fks.push(con);
            }
            continue;
        };
        let key = constraint_key(&rel.key, &con.name, kw);
        let cols: Vec<String> = con.conkey.iter().filter_map(|&a| col_name(con.relid, a)).collect();
        let (index_key, nulls_not_distinct) = index_keys.get(&con.index_oid).cloned().unwrap_or_default();
        if con.contype != "f" && !index_key.is_empty() {
            enforced.insert(index_key.clone(), key.clone());
        }
        match con.contype.as_str() {
            "p" | "u" => {
                let entry = KeyConstraint {
                    oid: Some(con.oid as i64),
                    key: key.clone(),
                    table_key: rel.key.clone(),
                    columns: cols,
                    name: con.name.clone(),
                    index_key,
                    deferrable: con.deferrable,
                    initially_deferred: con.deferred,
                    nulls_not_distinct,
                    without_overlaps: con.period,
                    comment: con.comment.clone(),
                };
                if con.contype == "p" { pks.push((key, entry)) } else { uniques.push((key, entry)) }
            }
            "c" => {
                checks.push((
                    key.clone(),
                    CheckConstraint {
                        oid: Some(con.oid as i64),
                        key,
                        table_key: rel.key.clone(),
                        name: con.name.clone(),
                        expression: con.check_expr.clone().unwrap_or_default(),
                        columns: cols,
                        validated: con.validated,
                        no_inherit: con.no_inherit,
                        not_enforced: con.not_enforced,
                        comment: con.comment.clone(),
                    },
                ));
            }
            "x" => {
                exclusions.push((
                    key.clone(),
                    ExclusionConstraint {
                        oid: Some(con.oid as i64),
                        key,
                        table_key: rel.key.clone(),
                        name: con.name.clone(),
                        definition: con.definition.clone().unwrap_or_default(),
                        index_key,
                        deferrable: con.deferrable,
                        initially_deferred: con.deferred,
                        comment: con.comment.clone(),
                    },
                ));
            }
            "f" => fks.push(con),
            _ => {}
        }
    }
    for (key, index) in snap.indexes.iter_mut() {
        if let Some(constraint) = enforced.remove(key) {
            index.constraint_key = Some(constraint);
        }
    }
    snap.constraints.pks = sorted_map(pks);
    snap.constraints.uniques = sorted_map(uniques);
    snap.constraints.checks = sorted_map(checks);
    snap.constraints.exclusions = sorted_map(exclusions);
    fks.retain(|c| !c.inherited_from_parent);
    fks.sort_by(|a, b| a.name.cmp(&b.name));
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::with_capacity(fks.len());
    let mut relationships = Vec::with_capacity(fks.len());
    for con in fks {
        let (child_key, child_cols) = match rels.get(&con.relid) {
            Some(rel) => (rel.key.clone(), con.conkey.iter().filter_map(|&a| col_name(con.relid, a)).collect::<Vec<_>>()),
            None => match &con.child {
                Some((schema, table, cols)) => (qualified(schema, table, kw), cols.clone()),
                None => continue,
            },
        };
        let parent_key = qualified(
            con.parent_schema.as_deref().unwrap_or_default(),
            con.parent_table.as_deref().unwrap_or_default(),
            kw,
        );
        let mut key = relationship_key(&child_key, &child_cols, &parent_key, &con.parent_cols, kw);
        if !seen.insert(key.clone()) {
            // Two FKs over the same columns: the later one by name is told apart by its name.
            key.push_str(" #");
            push_quoted(&mut key, &con.name, kw);
        }
        let set_cols: Vec<String> = con.on_delete_set_cols.iter().filter_map(|&a| col_name(con.relid, a)).collect();
        relationships.push((
            key.clone(),
            Relationship {
                oid: Some(con.oid as i64),
                key,
                name: con.name.clone(),
                constraint_key: constraint_key(&child_key, &con.name, kw),
                child_key,
                child_cols,
                parent_key,
                parent_cols: con.parent_cols.clone(),
                on_update: decode_action(&con.on_update).to_string(),
                on_delete: decode_action(&con.on_delete).to_string(),
                deferrable: con.deferrable,
                initially_deferred: con.deferred,
                match_type: decode_match(&con.match_type).to_string(),
                validated: con.validated,
                on_delete_set_cols: if set_cols.is_empty() { None } else { Some(set_cols) },
                period: con.period,
                not_enforced: con.not_enforced,
                comment: con.comment.clone(),
            },
        ));
    }
    snap.relationships = sorted_map(relationships);
}

fn build_other_objects(
    raw: &RawCatalog,
    rels: &HashMap<Oid, Rel>,
    columns: &HashMap<(Oid, i16), &RawColumn>,
    kw: &Keywords,
    snap: &mut Snapshot,
) {
    for e in &raw.enums {
        let key = qualified(&e.schema, &e.name, kw);
        snap.enums.insert(
            key.clone(),
            Enum { oid: Some(e.oid as i64), key, schema: e.schema.clone(), name: e.name.clone(), values: e.values.clone(), comment: e.comment.clone(),
                   owner: e.owner.clone(), privileges: raw.privileges.get(&(TYPE_CATALOG, e.oid, 0)).cloned() },
        );
    }
    for d in &raw.domains {
        let key = qualified(&d.schema, &d.name, kw);
        snap.domains.insert(
            key.clone(),
            Domain {
                oid: Some(d.oid as i64),
                key,
                schema: d.schema.clone(),
                name: d.name.clone(),
                data_type: d.data_type.clone(),
                not_null: d.not_null,
                default: d.default.clone(),
                collation: d.collation.clone(),
                checks: d.check_names.iter().cloned().zip(d.check_defs.iter().cloned()).collect(),
                comment: d.comment.clone(),
                owner: d.owner.clone(),
                privileges: raw.privileges.get(&(TYPE_CATALOG, d.oid, 0)).cloned(),
            },
        );
    }
    for s in &raw.sequences {
        let key = qualified(&s.schema, &s.name, kw);
        let owned_by = s.owner.and_then(|(relid, attnum)| {
            let rel = rels.get(&relid)?;
            let col = columns.get(&(relid, attnum))?;
            Some(format!("{}.{}", rel.key, quote_ident(&col.name, kw)))
        });
        snap.sequences.insert(
            key.clone(),
            Sequence {
                oid: Some(s.oid as i64),
                key,
                schema: s.schema.clone(),
                name: s.name.clone(),
                data_type: s.data_type.clone(),
                start: s.start,
                increment: s.increment,
                min: s.min,
                max: s.max,
                cache: s.cache,
                cycle: s.cycle,
                owned_by,
                identity: s.identity,
                comment: s.comment.clone(),
                owner: s.role.clone(),
                privileges: raw.privileges.get(&(CLASS_CATALOG, s.oid, 0)).cloned(),
            },
        );
    }
    build_standalone(raw, snap);
    for t in &raw.triggers {
        let Some(rel) = rels.get(&t.relid) else { continue };
        let key = index_key(&rel.key, &t.name, kw);
        let enabled = match t.enabled.as_str() {
            "D" => "disabled",
            "R" => "replica",
            "A" => "always",
            _ => "origin",
        };
        snap.triggers.insert(
            key.clone(),
            Trigger {
                oid: Some(t.oid as i64),
                key,
                table_key: rel.key.clone(),
                name: t.name.clone(),
                definition: t.definition.clone(),
                enabled: enabled.to_string(),
                comment: t.comment.clone(),
            },
        );
    }
    for p in &raw.policies {
        let Some(rel) = rels.get(&p.relid) else { continue };
        let key = constraint_key(&rel.key, &p.name, kw);
        let command = match p.command.as_str() {
            "r" => "SELECT",
            "a" => "INSERT",
            "w" => "UPDATE",
            "d" => "DELETE",
            _ => "ALL",
        };
        snap.policies.insert(
            key.clone(),
            Policy {
                oid: Some(p.oid as i64),
                key,
                table_key: rel.key.clone(),
                name: p.name.clone(),
                command: command.to_string(),
                permissive: p.permissive,
                roles: p.roles.clone(),
                using: p.using.clone(),
                with_check: p.with_check.clone(),
                comment: p.comment.clone(),
            },
        );
    }
}

/// The kinds their queries print whole: each entry as read, with its privileges.
fn build_standalone(raw: &RawCatalog, snap: &mut Snapshot) {
    let privileges = |catalog: Oid, oid: Option<i64>| oid.and_then(|o| raw.privileges.get(&(catalog, o as Oid, 0))).cloned();
    for f in &raw.functions {
        let entry = Function { privileges: privileges(PROC_CATALOG, f.oid), ..f.clone() };
        snap.functions.insert(f.key.clone(), entry);
    }
    for s in &raw.schema_objects {
        let entry = Schema { privileges: privileges(NAMESPACE_CATALOG, s.oid), ..s.clone() };
        snap.schemas.insert(s.key.clone(), entry);
    }
    for e in &raw.extensions {
        snap.extensions.insert(e.key.clone(), e.clone());
    }
    for d in &raw.default_privileges {
        snap.default_privileges.insert(d.key.clone(), d.clone());
    }
    for c in &raw.collation_objects {
        snap.collations.insert(c.key.clone(), c.clone());
    }
    for t in &raw.user_types {
        let entry = UserType { privileges: privileges(TYPE_CATALOG, t.oid), ..t.clone() };
        snap.types.insert(t.key.clone(), entry);
    }
    for s in &raw.statistics {
        snap.statistics.insert(s.key.clone(), s.clone());
    }
    for r in &raw.rules {
        snap.rules.insert(r.key.clone(), r.clone());
    }
    for p in &raw.publications {
        snap.publications.insert(p.key.clone(), p.clone());
    }
    for t in &raw.event_triggers {
        snap.event_triggers.insert(t.key.clone(), t.clone());
    }
    for c in &raw.casts {
        snap.casts.insert(c.key.clone(), c.clone());
    }
    for o in &raw.operators {
        snap.operators.insert(o.key.clone(), o.clone());
    }
    for c in &raw.operator_classes {
        snap.operator_classes.insert(c.key.clone(), c.clone());
    }
    for w in &raw.foreign_data_wrappers {
        snap.foreign_data_wrappers.insert(w.key.clone(), w.clone());
    }
    for f in &raw.foreign_servers {
        let entry = ForeignServer { privileges: privileges(FOREIGN_SERVER_CATALOG, f.oid), ..f.clone() };
        snap.foreign_servers.insert(f.key.clone(), entry);
    }
}
