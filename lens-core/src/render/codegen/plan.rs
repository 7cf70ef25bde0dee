//! What the generated code declares, whatever the target: the enums, composite types and
//! relations of the asked schemas (and the enums and composites they use from elsewhere),
//! each with its identifiers, in a stable order.

use super::names::{pascal_case, rust_ident, snake_case, Namespace};
use super::types::{resolve, Resolved, Ty};
use crate::ident::always_quoted;
use crate::model::{Column, Snapshot};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Names the output itself declares or uses, never given to a table or type (`R`: the type
/// parameter sqlx's `FromRow` derive adds; `Object`: a name tsc refuses to declare at the top
/// of a CommonJS module).
const RESERVED: &[&str] = &["Json", "PgNumber", "Rows", "Inserts", "Self", "R", "Object"];

/// Partition trees are shallow; the bound only guards a hand-made snapshot.
const MAX_PARTITION_DEPTH: usize = 64;

/// An enum's associated constants, never given to a variant.
const ENUM_RESERVED: &[&str] = &["Self", "ALL", "LABELS"];

#[derive(Debug)]
pub struct EnumItem {
    pub key: String,
    pub name: String,
    /// The type's name as a connection prints it when the schema is on its search_path.
    pub bare_sql: String,
    pub labels: Vec<String>,
    /// Rust variants, one per label.
    pub variants: Vec<String>,
    pub comment: Option<String>,
}

/// Whether, and how, an insert gives a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Insert {
    Required,
    /// Nullable, or a default (the column's, its domain's, an identity BY DEFAULT) fills it.
    Optional,
    /// Generated, or an identity ALWAYS: giving a value is an error.
    Never,
}

#[derive(Debug)]
pub struct Field {
    /// The name as the catalog has it.
    pub name: String,
    pub data_type: String,
    pub ty: Ty,
    pub nullable: bool,
    pub insert: Insert,
    /// Whether an INSERT may give NULL (a domain's NOT NULL refuses it, though the column,
    /// read, may still be NULL: an outer join, `INSERT ... SELECT`).
    pub insert_nullable: bool,
    pub comment: Option<String>,
    /// The Rust field's identifier.
    pub rust: String,
}

#[derive(Debug)]
pub struct CompositeItem {
    pub key: String,
    pub name: String,
    /// A table's row type read as a value (a column of that type).
    pub of_table: bool,
    pub fields: Vec<Field>,
    pub comment: Option<String>,
}

#[derive(Debug)]
pub struct RelationItem {
    pub key: String,
    /// `table`, `partitioned`, `view`, `materialized_view` or `foreign_table`.
    pub kind: String,
    /// `"schema"."name"`, for a FROM clause.
    pub from_sql: String,
    pub name: String,
    /// The insert type's name, for tables.
    pub insert_name: Option<String>,
    pub fields: Vec<Field>,
    pub comment: Option<String>,
    /// Keys of the partitions (which share this type).
    pub partitions: Vec<String>,
}

#[derive(Debug)]
pub struct Plan {
    pub enums: Vec<EnumItem>,
    pub composites: Vec<CompositeItem>,
    pub relations: Vec<RelationItem>,
    /// Key of an enum or composite to its identifier.
    pub names: HashMap<String, String>,
}

impl Plan {
    /// The identifier of a declared enum or composite (the plan declares every one a field
    /// names).
    pub fn type_name(&self, key: &str) -> &str {
        debug_assert!(self.names.contains_key(key), "{key} is not declared");
        self.names.get(key).map(String::as_str).unwrap_or("Unnamed")
    }
}

/// The text of a key's name part (`shop."Mood Ring"` -> `"Mood Ring"`): the key is
/// `quote_ident(schema).quote_ident(name)`, so the first dot outside quotes ends the schema.
fn name_part(key: &str) -> &str {
    let mut quoted = false;
    for (i, c) in key.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => return &key[i + 1..],
            _ => {}
        }
    }
    key
}

fn type_base(schema: &str, name: &str) -> String {
    if schema == "public" {
        pascal_case(name, "Unnamed")
    } else {
        pascal_case(&format!("{schema} {name}"), "Unnamed")
    }
}

fn insert_rule(column: &Column, resolved: &Resolved) -> Insert {
    if column.generated.is_some() || column.identity.as_deref() == Some("always") {
        Insert::Never
    } else if column.default.is_some() || column.identity.is_some() || resolved.domain_default || insert_nullable(column, resolved) {
        Insert::Optional
    } else {
        Insert::Required
    }
}

fn insert_nullable(column: &Column, resolved: &Resolved) -> bool {
    column.is_nullable && !resolved.domain_not_null
}

/// The enums and composites `ty` names, into `out`.
fn named_types(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Enum(key) | Ty::Composite(key) => out.push(key.clone()),
        Ty::Array(element, _) => named_types(element, out),
        _ => {}
    }
}

/// Whether a value read from the column may be NULL: a NOT NULL that is `NOT VALID` leaves the
/// rows from before it, one that is `NO INHERIT` the rows of the tables inheriting this one
/// (a SELECT from it reads theirs too).
fn read_nullable(c: &Column, inherited: bool) -> bool {
    c.is_nullable || c.not_null_not_valid || (c.not_null_no_inherit && inherited)
}

fn fields_of(snapshot: &Snapshot, columns: &[&Column], rows_of_table: bool, inherited: bool) -> Vec<Field> {
    let mut rust_names = Namespace::snake();
    columns
        .iter()
        .map(|c| {
            let resolved = resolve(snapshot, &c.data_type);
            Field {
                name: c.name.clone(),
                data_type: c.data_type.clone(),
                insert: if rows_of_table { insert_rule(c, &resolved) } else { Insert::Optional },
                insert_nullable: insert_nullable(c, &resolved),
                ty: resolved.ty,
                nullable: read_nullable(c, inherited),
                comment: c.comment.clone(),
                rust: rust_names.claim(&rust_ident(&snake_case(&c.name, "field"))),
            }
        })
        .collect()
}

/// The plan for the relations of `schemas` (None: all) in `snapshot`.
pub fn plan(snapshot: &Snapshot, schemas: Option<&[String]>) -> Plan {
    let wanted = |schema: &str| schemas.is_none_or(|s| s.iter().any(|w| w == schema));
    let mut columns: HashMap<&str, Vec<&Column>> = HashMap::new();
    for c in snapshot.columns.values() {
        columns.entry(c.table_key.as_str()).or_default().push(c);
    }
    for list in columns.values_mut() {
        list.sort_by_key(|c| c.position);
    }
    let columns_of = |key: &str| columns.get(key).cloned().unwrap_or_default();

    let inherited: HashSet<&str> = snapshot.tables.values().flat_map(|t| t.inherits.iter().flatten()).map(String::as_str).collect();
    // a partition shares its parent's type when the parent is asked for (a sub-partition its
    // partition's, so the root's)
    let shares_parent_type = |t: &crate::model::Table| {
        t.partition_of.as_ref().and_then(|p| snapshot.tables.get(p)).is_some_and(|p| wanted(&p.schema) && p.has_rows())
    };
    let relation_tables: Vec<_> =
        snapshot.tables.values().filter(|t| wanted(&t.schema) && t.has_rows() && !shares_parent_type(t)).collect();
    // each partition listed under the nearest ancestor that has a type (sub-partitions too)
    let mut partitions: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for t in snapshot.tables.values().filter(|t| shares_parent_type(t)) {
        let mut ancestor = t;
        for _ in 0..MAX_PARTITION_DEPTH {
            match ancestor.partition_of.as_ref().and_then(|p| snapshot.tables.get(p)) {
                Some(parent) if shares_parent_type(parent) => ancestor = parent,
                Some(parent) => {
                    partitions.entry(parent.key.as_str()).or_default().push(t.key.clone());
                    break;
                }
                None => break,
            }
        }
    }

    let relation_fields: Vec<Vec<Field>> =
        relation_tables.iter().map(|t| fields_of(snapshot, &columns_of(&t.key), true, inherited.contains(t.key.as_str()))).collect();

    // the enums and composites to declare: the asked schemas' own, and what the declared use
    let mut enum_keys: BTreeSet<String> = snapshot.enums.values().filter(|e| wanted(&e.schema)).map(|e| e.key.clone()).collect();
    let mut pending: Vec<String> = snapshot.types.values().filter(|t| t.kind == "composite" && wanted(&t.schema)).map(|t| t.key.clone()).collect();
    for f in relation_fields.iter().flatten() {
        named_types(&f.ty, &mut pending);
    }
    let mut composite_fields: BTreeMap<String, Vec<Field>> = BTreeMap::new();
    while let Some(key) = pending.pop() {
        if snapshot.enums.contains_key(&key) {
            enum_keys.insert(key);
            continue;
        }
        if composite_fields.contains_key(&key) {
            continue;
        }
        let fields = match snapshot.types.get(&key) {
            Some(user) => {
                let attributes: Vec<Column> = user
                    .attributes
                    .iter()
                    .enumerate()
                    .map(|(i, a)| Column {
                        name: a.name.clone(),
                        data_type: a.data_type.clone(),
                        position: i as i64 + 1,
                        is_nullable: true,
                        ..Column::default()
                    })
                    .collect();
                fields_of(snapshot, &attributes.iter().collect::<Vec<_>>(), false, false)
            }
            None => {
                // a table's row type: every attribute may be NULL in a value of it
                let mut fields = fields_of(snapshot, &columns_of(&key), false, false);
                fields.iter_mut().for_each(|f| f.nullable = true);
                fields
            }
        };
        for f in &fields {
            named_types(&f.ty, &mut pending);
        }
        composite_fields.insert(key, fields);
    }

    // identifiers, in a fixed order: enums, composites, relations, each by key
    let mut types = Namespace::pascal(RESERVED);
    let mut names = HashMap::new();
    let enums: Vec<EnumItem> = enum_keys
        .iter()
        .filter_map(|k| snapshot.enums.get(k))
        .map(|e| {
            let name = types.claim(&type_base(&e.schema, &e.name));
            names.insert(e.key.clone(), name.clone());
            let mut variant_names = Namespace::pascal(ENUM_RESERVED);
            EnumItem {
                key: e.key.clone(),
                name,
                bare_sql: name_part(&e.key).to_string(),
                variants: e.values.iter().map(|l| variant_names.claim(&pascal_case(l, "Empty"))).collect(),
                labels: e.values.clone(),
                comment: e.comment.clone(),
            }
        })
        .collect();
    let mut composites: Vec<CompositeItem> = Vec::new();
    for (key, fields) in composite_fields {
        let (name, of_table, comment) = match (snapshot.types.get(&key), snapshot.tables.get(&key)) {
            (Some(user), _) => (types.claim(&type_base(&user.schema, &user.name)), false, user.comment.clone()),
            (None, Some(table)) => (types.claim(&format!("{}Record", type_base(&table.schema, &table.name))), true, None),
            (None, None) => continue,
        };
        names.insert(key.clone(), name.clone());
        composites.push(CompositeItem { key, name, of_table, fields, comment });
    }
    let composites = dependencies_first(composites);
    let relations = relation_tables
        .iter()
        .zip(relation_fields)
        .map(|(t, fields)| {
            let name = types.claim(&type_base(&t.schema, &t.name));
            let insertable = matches!(t.kind.as_str(), "table" | "partitioned" | "foreign_table");
            let insert_name = insertable.then(|| types.claim(&format!("{name}Insert")));
            RelationItem {
                key: t.key.clone(),
                kind: t.kind.clone(),
                from_sql: format!("{}.{}", always_quoted(&t.schema), always_quoted(&t.name)),
                name,
                insert_name,
                fields,
                comment: t.comment.clone(),
                partitions: partitions.get(t.key.as_str()).cloned().unwrap_or_default(),
            }
        })
        .collect();
    Plan { enums, composites, relations, names }
}

/// Composites in key order, each after the composites its fields use (Zod's constants must
/// be declared before they are read). The catalog forbids a composite containing itself.
fn dependencies_first(items: Vec<CompositeItem>) -> Vec<CompositeItem> {
    let index: HashMap<String, usize> = items.iter().enumerate().map(|(i, c)| (c.key.clone(), i)).collect();
    let mut placed = vec![false; items.len()];
    let mut order = Vec::with_capacity(items.len());
    fn visit(i: usize, items: &[CompositeItem], index: &HashMap<String, usize>, placed: &mut Vec<bool>, order: &mut Vec<usize>) {
        if placed[i] {
            return;
        }
        placed[i] = true;
        let mut used = Vec::new();
        for f in &items[i].fields {
            named_types(&f.ty, &mut used);
        }
        for key in used {
            if let Some(&j) = index.get(&key) {
                visit(j, items, index, placed, order);
            }
        }
        order.push(i);
    }
    for i in 0..items.len() {
        visit(i, &items, &index, &mut placed, &mut order);
    }
    let mut slots: Vec<Option<CompositeItem>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keys_name_part_is_after_the_first_dot_outside_quotes() {
        assert_eq!(name_part("shop.order_status"), "order_status");
        assert_eq!(name_part("shop.\"Mood Ring\""), "\"Mood Ring\"");
        assert_eq!(name_part("\"Audit.Log\".\"a.b\""), "\"a.b\"");
    }
}
