//! What changed between two snapshots, and replaying such a change onto a snapshot.
//!
//! One engine, `diff_encoded`, reads both snapshots as jsonb, section by section
//! (`sections::SECTIONS`), skipping entries whose bytes are equal; `diff` hands it JSON
//! values written as jsonb. It reads snapshots of any format version it accepts and stays
//! generic over entry types.
//! Entries are compared without their volatile fields (row estimates, sizes) and identities
//! (oids): exactly what the signature leaves out, so `changed` is false exactly when the
//! signatures are equal.
//!
//! Shape: `{changed, from: {signature, capturedAt}, to: {...}, summary: {added, removed,
//! renamed, changed}, <section>: {added: [{key, after}], removed: [{key, before}],
//! renamed: [{from, to, exact, evidence, changes}], changed: [{key, changes}]}}`, with
//! constraint sections nested as in the snapshot and empty lists and sections left out;
//! `columns` also has `reordered` and `positions` (see `settle_positions`). `changes` maps
//! a field to `{before, after}` (null when the field is absent).
//!
//! Renames: between two snapshots of one database (same `meta.databaseId`) an entry that
//! kept its oid (a column: its table's oid and its attribute number) under a new key is
//! renamed, exactly. Across databases only on strong evidence (`exact: false`, `evidence`
//! says which): a table equal but for its name whose own entries all came back under its
//! new key, what moved with it, and a table's column equal but for its name.

use crate::jsonb_read::{find, members, merge_by_key, Member, ReadError};
use crate::sections::{section, section_mut, SECTIONS};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};

/// Fields that are not definitions: left out of comparisons, as the signature leaves them out.
const IGNORED: &[&str] = crate::signature::VOLATILE_FIELDS;
/// Fields that carry an entry's own name, ignored when guessing a rename across databases.
const NAMING: &[&str] = &["key", "name", "constraintKey", "indexKey"];

#[derive(Default)]
struct Counts {
    added: usize,
    removed: usize,
    renamed: usize,
    changed: usize,
}

/// The diff from `from` to `to`: both written as jsonb and compared by the one engine,
/// `diff_encoded`, which skips entries whose bytes are equal.
pub fn diff(from: &Value, to: &Value) -> Value {
    let encoded = |v: &Value| crate::jsonb::to_jsonb(v).map(|bytes| bytes[crate::jsonb::VARHDRSZ..].to_vec());
    match (encoded(from), encoded(to)) {
        (Ok(a), Ok(b)) => diff_encoded(&a, &b).unwrap_or_else(|e| unreadable(&e.to_string())),
        (Err(e), _) | (_, Err(e)) => unreadable(&e.to_string()),
    }
}

/// What a diff of values jsonb cannot hold (over 256 MB) says: changed, and why not how.
fn unreadable(why: &str) -> Value {
    json!({"changed": true, "error": format!("the snapshots could not be compared: {why}")})
}

/// The diff of two snapshots given as jsonb bytes (what follows the varlena header):
/// entries whose bytes are equal are skipped without being read, so two large snapshots
/// that differ in a few places cost little more than a pass over their bytes.
pub fn diff_encoded(from: &[u8], to: &[u8]) -> Result<Value, ReadError> {
    let (from_root, to_root) = (root(from)?, root(to)?);
    let meta_from = find(&from_root, b"meta").map(|m| m.to_value(from)).transpose()?;
    let meta_to = find(&to_root, b"meta").map(|m| m.to_value(to)).transpose()?;
    let id = |meta: &Option<Value>| meta.as_ref().and_then(|m| m.get("databaseId")).and_then(Value::as_str).map(str::to_string);
    let same_database = same_database(id(&meta_from).as_deref(), id(&meta_to).as_deref());
    let tables_from = TableOids::new(from, &from_root);
    let tables_to = TableOids::new(to, &to_root);
    let mut all = Vec::new();
    for path in SECTIONS {
        let before = section_members(from, &from_root, path)?;
        let after = section_members(to, &to_root, path)?;
        let mut sides = Sides::default();
        for (key, a, b) in merge_by_key(&before, &after) {
            match (a, b) {
                (Some(a), None) => sides.removed.push((key_text(key)?, a.to_value(from)?)),
                (None, Some(b)) => sides.added.push((key_text(key)?, b.to_value(to)?)),
                (Some(a), Some(b)) => {
                    if !same_definition(from, a, to, b)? {
                        let (old, new) = (a.to_value(from)?, b.to_value(to)?);
                        if differs(&old, &new) {
                            sides.changed.push((key_text(key)?, old, new));
                        }
                    }
                }
                (None, None) => {}
            }
        }
        if *path == "columns" {
            let of_table = |buf: &[u8], columns: &[Member], table: &str| -> Vec<ColumnPlace> {
                let prefix = format!("{table}.");
                columns
                    .iter()
                    .filter(|m| m.key.starts_with(prefix.as_bytes()))
                    .filter_map(|m| m.to_value(buf).ok())
                    .filter(|c| c.get("tableKey").and_then(Value::as_str) == Some(table))
                    .filter_map(|c| ColumnPlace::of(&c))
                    .collect()
            };
            settle_positions(&mut sides, &|table| (of_table(from, &before, table), of_table(to, &after, table)));
        }
        all.push((*path, sides));
    }
    let mut out = Output::default();
    out.sections(all, same_database, &|k| tables_from.oid(k), &|k| tables_to.oid(k), &|k| tables_to.kind(k));
    Ok(out.finish(endpoint(meta_from.as_ref()), endpoint(meta_to.as_ref())))
}

pub(crate) fn root(buf: &[u8]) -> Result<Vec<Member<'_>>, ReadError> {
    members(buf, 0)?.ok_or(ReadError("the snapshot is not an object"))
}

fn key_text(key: &[u8]) -> Result<String, ReadError> {
    std::str::from_utf8(key).map(str::to_string).map_err(|_| ReadError("key is not UTF-8"))
}

/// The entries of section `path` (`constraints.pks` nests), empty when absent.
pub(crate) fn section_members<'a>(buf: &'a [u8], root: &[Member<'a>], path: &str) -> Result<Vec<Member<'a>>, ReadError> {
    let mut level: Vec<Member<'a>> = root.to_vec();
    for part in path.split('.') {
        let Some(start) = find(&level, part.as_bytes()).and_then(Member::container_start) else { return Ok(Vec::new()) };
        level = members(buf, start)?.unwrap_or_default();
    }
    Ok(level)
}

/// Whether two entries agree on every field the signature covers, from their bytes: equal
/// bytes, or equal fields but the ignored ones.
pub(crate) fn same_definition(a_buf: &[u8], a: &Member, b_buf: &[u8], b: &Member) -> Result<bool, ReadError> {
    if a.kind != b.kind {
        return Ok(false);
    }
    if a.bytes(a_buf) == b.bytes(b_buf) {
        return Ok(true);
    }
    let (Some(a_start), Some(b_start)) = (a.container_start(), b.container_start()) else { return Ok(false) };
    let (Some(a_fields), Some(b_fields)) = (members(a_buf, a_start)?, members(b_buf, b_start)?) else { return Ok(false) };
    let relevant = |m: &&Member| !IGNORED.iter().any(|f| f.as_bytes() == m.key);
    let mut a_iter = a_fields.iter().filter(relevant);
    let mut b_iter = b_fields.iter().filter(relevant);
    loop {
        match (a_iter.next(), b_iter.next()) {
            (None, None) => return Ok(true),
            (Some(x), Some(y)) if x.key == y.key && x.kind == y.kind && x.bytes(a_buf) == y.bytes(b_buf) => continue,
            _ => return Ok(false),
        }
    }
}

/// Table key to oid, read from a binary snapshot when a column rename needs it.
struct TableOids<'a> {
    buf: &'a [u8],
    tables: Vec<Member<'a>>,
}

impl<'a> TableOids<'a> {
    fn new(buf: &'a [u8], root: &[Member<'a>]) -> Self {
        TableOids { buf, tables: section_members(buf, root, "tables").unwrap_or_default() }
    }

    fn field(&self, key: &str, field: &str) -> Option<Value> {
        let table = find(&self.tables, key.as_bytes())?;
        let fields = members(self.buf, table.container_start()?).ok()??;
        find(&fields, field.as_bytes())?.to_value(self.buf).ok()
    }

    fn oid(&self, key: &str) -> Option<i64> {
        self.field(key, "oid")?.as_i64()
    }

    fn kind(&self, key: &str) -> Option<String> {
        self.field(key, "kind")?.as_str().map(str::to_string)
    }
}

fn same_database(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a == b)
}


fn endpoint(meta: Option<&Value>) -> Value {
    json!({
        "signature": meta.and_then(|m| m.get("signature")).cloned().unwrap_or(Value::Null),
        "capturedAt": meta.and_then(|m| m.get("capturedAt")).cloned().unwrap_or(Value::Null),
    })
}

/// What one section's comparison found, before renames are matched.
#[derive(Default)]
struct Sides {
    removed: Vec<(String, Value)>,
    added: Vec<(String, Value)>,
    changed: Vec<(String, Value, Value)>,
    /// columns only: `{table, before, after}` for each table whose columns changed order
    reordered: Vec<Value>,
    /// columns only: `{table, columns: {key: {before, after}}}`, every position that moved,
    /// for replaying history (not counted: a shift follows from an add or a drop, a reorder
    /// is counted in `reordered`)
    positions: Vec<Value>,
}

/// A column's key, position and name, for telling a reorder from a shift.
struct ColumnPlace {
    key: String,
    position: i64,
    name: String,
}

impl ColumnPlace {
    fn of(column: &Value) -> Option<ColumnPlace> {
        Some(ColumnPlace {
            key: column.get("key")?.as_str()?.to_string(),
            position: column.get("position")?.as_i64()?,
            name: column.get("name")?.as_str()?.to_string(),
        })
    }
}

/// Positions move when a column is added or dropped before others: no change of the columns
/// that only shifted. A table whose columns changed their order (those on both sides, read
/// in position order) is one change, in `reordered`, not one per column. Also reads
/// formatVersion 1 snapshots, whose positions counted dropped columns, without false moves.
fn settle_positions(sides: &mut Sides, columns_of: &dyn Fn(&str) -> (Vec<ColumnPlace>, Vec<ColumnPlace>)) {
    let position = |c: &Value| c.get("position").cloned();
    let mut moved: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for (key, old, new) in &sides.changed {
        if let (Some(table), Some(was), Some(is)) = (old.get("tableKey").and_then(Value::as_str), position(old), position(new)) {
            if was != is {
                moved.entry(table.to_string()).or_default().insert(key.clone(), json!({"before": was, "after": is}));
            }
        }
    }
    for table in moved.keys() {
        let (before, after) = columns_of(table);
        let order = |side: &[ColumnPlace], other: &[ColumnPlace]| -> Vec<String> {
            let mut common: Vec<&ColumnPlace> = side.iter().filter(|c| other.iter().any(|o| o.key == c.key)).collect();
            common.sort_by_key(|c| c.position);
            common.into_iter().map(|c| c.name.clone()).collect()
        };
        let (was, is) = (order(&before, &after), order(&after, &before));
        if was != is {
            sides.reordered.push(json!({"table": table, "before": was, "after": is}));
        }
    }
    sides.positions = moved.into_iter().map(|(table, columns)| json!({"table": table, "columns": columns})).collect();
    // what is left to compare of each column, its position aside
    sides.changed.retain_mut(|(_, old, new)| {
        if position(old) == position(new) {
            return true;
        }
        if let (Some(p), Some(fields)) = (position(old), new.as_object_mut()) {
            fields.insert("position".into(), p);
        }
        differs(old, new)
    });
}

/// The diff being assembled, section by section.
#[derive(Default)]
struct Output {
    out: Map<String, Value>,
    counts: Counts,
}

impl Output {
    /// Finishes every section, tables first: a probable table rename (across databases)
    /// tells which entries of the other sections moved with the table.
    fn sections(
        &mut self,
        all: Vec<(&'static str, Sides)>,
        same_database: bool,
        table_oid_before: &dyn Fn(&str) -> Option<i64>,
        table_oid_after: &dyn Fn(&str) -> Option<i64>,
        table_kind_after: &dyn Fn(&str) -> Option<String>,
    ) {
        let columns_of = |sides: &[(String, Value)], table: &str| -> Vec<(Value, Value)> {
            let mut cols: Vec<(Value, Value)> = sides
                .iter()
                .filter(|(_, c)| c.get("tableKey").and_then(Value::as_str) == Some(table))
                .map(|(_, c)| (c.get("name").cloned().unwrap_or(Value::Null), c.get("dataType").cloned().unwrap_or(Value::Null)))
                .collect();
            cols.sort_by_key(|c| c.0.to_string());
            cols
        };
        let (removed_columns, added_columns) = all
            .iter()
            .find(|(p, _)| *p == "columns")
            .map(|(_, s)| (s.removed.clone(), s.added.clone()))
            .unwrap_or_default();
        // what the other sections lost and gained, to check that a table guessed renamed
        // took everything of its own along
        let mut lost: Vec<(&'static str, String, Value)> = Vec::new();
        let mut gained: std::collections::HashSet<(&'static str, String)> = std::collections::HashSet::new();
        for (path, sides) in all.iter().filter(|(p, _)| *p != "tables") {
            lost.extend(sides.removed.iter().map(|(k, v)| (*path, k.clone(), v.clone())));
            gained.extend(sides.added.iter().map(|(k, _)| (*path, k.clone())));
        }
        let took_its_own = |old: &str, new: &str| -> bool {
            let renamed = [(old.to_string(), new.to_string())];
            let own: Vec<&(&'static str, String, Value)> = lost.iter().filter(|(_, _, v)| belongs_to(v, old)).collect();
            // a table without columns is too little to go on
            own.iter().any(|(path, _, _)| *path == "columns")
                && own.iter().all(|(path, key, v)| {
                    // a table renamed keeps its sequences, under their own names
                    v.get("ownedBy").is_none() && moved_key(key, &renamed).is_some_and(|k| gained.contains(&(*path, k)))
                })
        };
        let mut moved_tables: Vec<(String, String)> = Vec::new();
        for (path, sides) in all {
            let context = Context {
                path,
                same_database,
                table_oid_before,
                table_oid_after,
                shape_before: &|key: &str, entry: &Value| shape(path, entry, &columns_of(&removed_columns, key)),
                shape_after: &|key: &str, entry: &Value| shape(path, entry, &columns_of(&added_columns, key)),
                moved_tables: &moved_tables,
                table_kind_after,
                took_its_own: &took_its_own,
            };
            let (result, renamed_tables) = finish_section(&context, sides, &mut self.counts);
            if path == "tables" {
                moved_tables = renamed_tables;
            }
            if !result.is_empty() {
                insert_at(&mut self.out, path, Value::Object(result));
            }
        }
    }

    fn finish(mut self, from: Value, to: Value) -> Value {
        let c = &self.counts;
        let total = c.added + c.removed + c.renamed + c.changed;
        self.out.insert("changed".into(), Value::Bool(total > 0));
        self.out.insert("from".into(), from);
        self.out.insert("to".into(), to);
        self.out.insert(
            "summary".into(),
            json!({"added": c.added, "removed": c.removed, "renamed": c.renamed, "changed": c.changed}),
        );
        Value::Object(self.out)
    }
}

fn insert_at(out: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        Some((head, rest)) => {
            let inner = out.entry(head.to_string()).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = inner {
                insert_at(inner, rest, value);
            }
        }
        None => {
            out.insert(path.to_string(), value);
        }
    }
}

/// What identifies an entry across renames within one database: its oid; a column's, its
/// table's oid and its position.
fn identity(path: &str, entry: &Value, table_oid: &dyn Fn(&str) -> Option<i64>) -> Option<(i64, i64)> {
    if path == "columns" {
        let table = entry.get("tableKey")?.as_str()?;
        // formatVersion 1 has no attnum: its positions were attribute numbers
        let attnum = entry.get("attnum").or_else(|| entry.get("position"))?.as_i64()?;
        return Some((table_oid(table)?, attnum));
    }
    Some((entry.get("oid")?.as_i64()?, 0))
}

/// Whether two entries differ in a field the signature covers.
pub fn differs(a: &Value, b: &Value) -> bool {
    match (a.as_object(), b.as_object()) {
        (Some(a), Some(b)) => {
            let relevant = |(k, _): &(&String, &Value)| !IGNORED.contains(&k.as_str());
            !a.iter().filter(relevant).eq(b.iter().filter(relevant))
        }
        _ => a != b,
    }
}

/// The fields that differ, as `{field: {before, after}}`.
fn changes(a: &Value, b: &Value, skip: &[&str]) -> Map<String, Value> {
    let mut out = Map::new();
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else { return out };
    let mut fields: Vec<&String> = a.keys().chain(b.keys()).collect();
    fields.sort();
    fields.dedup();
    for field in fields {
        if IGNORED.contains(&field.as_str()) || skip.contains(&field.as_str()) {
            continue;
        }
        let (before, after) = (a.get(field), b.get(field));
        if before != after {
            out.insert(
                field.clone(),
                json!({"before": before.cloned().unwrap_or(Value::Null), "after": after.cloned().unwrap_or(Value::Null)}),
            );
        }
    }
    out
}

/// An entry without the fields that name it, for guessing renames. The definition of an
/// index or a trigger spells its name; a view's body does not.
fn unnamed(path: &str, entry: &Value) -> Value {
    let names_itself = |field: &str| NAMING.contains(&field) || (field == "definition" && matches!(path, "indexes" | "triggers"));
    match entry.as_object() {
        Some(object) => Value::Object(
            object
                .iter()
                .filter(|(k, _)| !IGNORED.contains(&k.as_str()) && !names_itself(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        None => entry.clone(),
    }
}

/// What finishing one section needs to know.
struct Context<'a> {
    path: &'static str,
    same_database: bool,
    table_oid_before: &'a dyn Fn(&str) -> Option<i64>,
    table_oid_after: &'a dyn Fn(&str) -> Option<i64>,
    /// An entry's content without its names, to guess renames across databases.
    shape_before: &'a dyn Fn(&str, &Value) -> String,
    shape_after: &'a dyn Fn(&str, &Value) -> String,
    /// Tables renamed (old key, new key), for the entries that moved with them.
    moved_tables: &'a [(String, String)],
    table_kind_after: &'a dyn Fn(&str) -> Option<String>,
    /// Whether table `old` had columns and everything of it that is gone came back under
    /// table `new`.
    took_its_own: &'a dyn Fn(&str, &str) -> bool,
}

/// How a rename is known: the object kept its identity within one database...
const EXACT: &str = "the same object (its oid, a column's attribute number)";
/// ...or, across databases, it moved with its table...
const WITH_ITS_TABLE: &str = "its table was renamed";
/// ...or it is the only one of its kind gone and the only one come with the same content:
const SAME_TABLE: &str = "the same columns and definition, and everything of the table came back under the new name";
const SAME_COLUMN: &str = "the same table, position and definition";

/// Whether an entry is a table's own (a column, an index, a constraint, an FK at either end,
/// a trigger, a policy, a sequence it owns).
fn belongs_to(entry: &Value, table: &str) -> bool {
    let is = |field: &str| entry.get(field).and_then(Value::as_str) == Some(table);
    is("tableKey")
        || is("childKey")
        || is("parentKey")
        || entry.get("ownedBy").and_then(Value::as_str).is_some_and(|o| o.strip_prefix(table).is_some_and(|rest| rest.starts_with('.')))
}

/// What a table's entry says without its names, with its columns (names and types): two
/// tables are the same table renamed when both agree.
fn shape(path: &str, entry: &Value, columns: &[(Value, Value)]) -> String {
    if path == "tables" {
        format!("{}{}", unnamed(path, entry), Value::Array(columns.iter().map(|(n, t)| json!([n, t])).collect()))
    } else {
        unnamed(path, entry).to_string()
    }
}

/// `key` with every renamed table's key in it replaced by the new one (a column's key, a
/// constraint's, both ends of an FK's).
fn moved_key(key: &str, moved_tables: &[(String, String)]) -> Option<String> {
    let mut out = key.to_string();
    let mut moved = false;
    for (old, new) in moved_tables {
        for sep in [".", ":", "(", ""] {
            let pattern = format!("{old}{sep}");
            if (sep.is_empty() && out == *old) || (!sep.is_empty() && out.contains(&pattern)) {
                out = out.replace(&pattern, &format!("{new}{sep}"));
                moved = true;
                break;
            }
        }
    }
    moved.then_some(out)
}

/// Matches renames among what one section lost and gained, and writes the section's lists.
/// Returns them, and the renames found (old key, new key).
fn finish_section(cx: &Context, sides: Sides, counts: &mut Counts) -> (Map<String, Value>, Vec<(String, String)>) {
    let path = cx.path;
    let Sides { mut removed, mut added, changed, reordered, positions } = sides;
    counts.changed += reordered.len();
    let mut renamed: Vec<Value> = Vec::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    if !removed.is_empty() && !added.is_empty() {
        // (index into removed, index into added, the evidence)
        let mut pairs: Vec<(usize, usize, &'static str)> = Vec::new();
        if cx.same_database {
            let by_identity: HashMap<(i64, i64), usize> = added
                .iter()
                .enumerate()
                .filter_map(|(n, (_, v))| identity(path, v, cx.table_oid_after).map(|id| (id, n)))
                .collect();
            for (n, (_, v)) in removed.iter().enumerate() {
                if let Some(&m) = identity(path, v, cx.table_oid_before).and_then(|id| by_identity.get(&id)) {
                    pairs.push((n, m, EXACT));
                }
            }
        } else {
            // probable: an entry of a table renamed is under the table's new key...
            let added_at: HashMap<&str, usize> = added.iter().enumerate().map(|(m, (k, _))| (k.as_str(), m)).collect();
            for (n, (key, _)) in removed.iter().enumerate() {
                if let Some(&m) = moved_key(key, cx.moved_tables).as_deref().and_then(|k| added_at.get(k)) {
                    pairs.push((n, m, WITH_ITS_TABLE));
                }
            }
            // ...else, for a table or a table's column only, exactly one candidate each way with
            // equal content but for names; a table must have taken all of its own along, a
            // column must be a table's (a view's follow its query, never renamed)
            let guessed = match path {
                "tables" => Some(SAME_TABLE),
                "columns" => Some(SAME_COLUMN),
                _ => None,
            };
            let plausible = |old: &(String, Value), new: &(String, Value)| match path {
                "tables" => (cx.took_its_own)(&old.0, &new.0),
                _ => {
                    let table = new.1.get("tableKey").and_then(Value::as_str).unwrap_or("");
                    matches!((cx.table_kind_after)(table).as_deref(), Some("table" | "partitioned" | "foreign_table"))
                }
            };
            let taken_old: std::collections::HashSet<usize> = pairs.iter().map(|p| p.0).collect();
            let taken_new: std::collections::HashSet<usize> = pairs.iter().map(|p| p.1).collect();
            let mut by_shape: BTreeMap<String, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
            for (n, (k, v)) in removed.iter().enumerate().filter(|(n, _)| !taken_old.contains(n)) {
                by_shape.entry((cx.shape_before)(k, v)).or_default().0.push(n);
            }
            for (m, (k, v)) in added.iter().enumerate().filter(|(m, _)| !taken_new.contains(m)) {
                if let Some(slot) = by_shape.get_mut(&(cx.shape_after)(k, v)) {
                    slot.1.push(m);
                }
            }
            for (olds, news) in by_shape.values() {
                if let (Some(evidence), [old], [new]) = (guessed, olds.as_slice(), news.as_slice()) {
                    if plausible(&removed[*old], &added[*new]) {
                        pairs.push((*old, *new, evidence));
                    }
                }
            }
        }
        pairs.sort_by(|a, b| removed[a.0].0.cmp(&removed[b.0].0));
        for &(n, m, evidence) in &pairs {
            renames.push((removed[n].0.clone(), added[m].0.clone()));
            let mut entry = json!({"from": removed[n].0, "to": added[m].0, "exact": evidence == EXACT, "evidence": evidence});
            let changed = changes(&removed[n].1, &added[m].1, &["key"]);
            if !changed.is_empty() {
                entry["changes"] = Value::Object(changed);
            }
            renamed.push(entry);
        }
        let gone: std::collections::HashSet<usize> = pairs.iter().map(|p| p.0).collect();
        let came: std::collections::HashSet<usize> = pairs.iter().map(|p| p.1).collect();
        removed = removed.into_iter().enumerate().filter(|(n, _)| !gone.contains(n)).map(|(_, e)| e).collect();
        added = added.into_iter().enumerate().filter(|(m, _)| !came.contains(m)).map(|(_, e)| e).collect();
    }
    // keys in byte order, as the JSON maps hold them
    removed.sort_by(|a, b| a.0.cmp(&b.0));
    added.sort_by(|a, b| a.0.cmp(&b.0));
    let mut changed = changed;
    changed.sort_by(|a, b| a.0.cmp(&b.0));

    counts.added += added.len();
    counts.removed += removed.len();
    counts.renamed += renamed.len();
    counts.changed += changed.len();
    let mut out = Map::new();
    if !added.is_empty() {
        out.insert("added".into(), added.into_iter().map(|(k, v)| json!({"key": k, "after": v})).collect());
    }
    if !removed.is_empty() {
        out.insert("removed".into(), removed.into_iter().map(|(k, v)| json!({"key": k, "before": v})).collect());
    }
    if !renamed.is_empty() {
        out.insert("renamed".into(), Value::Array(renamed));
    }
    if !changed.is_empty() {
        out.insert(
            "changed".into(),
            changed.into_iter().map(|(k, old, new)| json!({"key": k, "changes": changes(&old, &new, &[])})).collect(),
        );
    }
    if !reordered.is_empty() {
        out.insert("reordered".into(), Value::Array(reordered));
    }
    if !positions.is_empty() {
        out.insert("positions".into(), Value::Array(positions));
    }
    (out, renames)
}

/// Replays `diff` onto `snapshot` (a snapshot as JSON): what was removed goes, renames move
/// and take their changes, changes are applied, additions arrive.
pub fn apply(snapshot: &mut Value, diff: &Value) {
    for path in SECTIONS {
        let Some(changes) = section(diff, path).cloned() else { continue };
        let Some(entries) = section_mut(snapshot, path) else { continue };
        for removed in list(&changes, "removed") {
            if let Some(key) = removed.get("key").and_then(Value::as_str) {
                entries.remove(key);
            }
        }
        let mut moved: Vec<(String, Value)> = Vec::new();
        for renamed in list(&changes, "renamed") {
            let (Some(from), Some(to)) = (renamed.get("from").and_then(Value::as_str), renamed.get("to").and_then(Value::as_str)) else {
                continue;
            };
            if let Some(mut entry) = entries.remove(from) {
                set_fields(&mut entry, renamed.get("changes"));
                if let Some(object) = entry.as_object_mut() {
                    object.insert("key".into(), Value::String(to.to_string()));
                }
                moved.push((to.to_string(), entry));
            }
        }
        entries.extend(moved);
        for changed in list(&changes, "changed") {
            if let Some(entry) = changed.get("key").and_then(Value::as_str).and_then(|k| entries.get_mut(k)) {
                set_fields(entry, changed.get("changes"));
            }
        }
        set_positions(entries, &changes, "after");
        for added in list(&changes, "added") {
            if let (Some(key), Some(after)) = (added.get("key").and_then(Value::as_str), added.get("after")) {
                entries.insert(key.to_string(), after.clone());
            }
        }
    }
}

/// Undoes `diff` on `snapshot` (a snapshot `diff` was applied to, as JSON): what was added
/// goes, changes and renames go back to their `before`, what was removed comes back. So a
/// state can be walked back from the newest one as well as forward from a keyframe.
pub fn apply_inverse(snapshot: &mut Value, diff: &Value) {
    for path in SECTIONS {
        let Some(changes) = section(diff, path).cloned() else { continue };
        let Some(entries) = section_mut(snapshot, path) else { continue };
        for added in list(&changes, "added") {
            if let Some(key) = added.get("key").and_then(Value::as_str) {
                entries.remove(key);
            }
        }
        for changed in list(&changes, "changed") {
            if let Some(entry) = changed.get("key").and_then(Value::as_str).and_then(|k| entries.get_mut(k)) {
                set_fields_to(entry, changed.get("changes"), "before");
            }
        }
        set_positions(entries, &changes, "before");
        let mut moved: Vec<(String, Value)> = Vec::new();
        for renamed in list(&changes, "renamed") {
            let (Some(from), Some(to)) = (renamed.get("from").and_then(Value::as_str), renamed.get("to").and_then(Value::as_str)) else {
                continue;
            };
            if let Some(mut entry) = entries.remove(to) {
                set_fields_to(&mut entry, renamed.get("changes"), "before");
                if let Some(object) = entry.as_object_mut() {
                    object.insert("key".into(), Value::String(from.to_string()));
                }
                moved.push((from.to_string(), entry));
            }
        }
        entries.extend(moved);
        for removed in list(&changes, "removed") {
            if let (Some(key), Some(before)) = (removed.get("key").and_then(Value::as_str), removed.get("before")) {
                entries.insert(key.to_string(), before.clone());
            }
        }
    }
}

/// The columns' positions a diff moved (`positions`), set to their `side`.
fn set_positions(entries: &mut Map<String, Value>, changes: &Map<String, Value>, side: &str) {
    for table in list(changes, "positions") {
        for (key, moved) in table.get("columns").and_then(Value::as_object).into_iter().flatten() {
            if let (Some(Value::Object(entry)), Some(position)) = (entries.get_mut(key), moved.get(side)) {
                entry.insert("position".into(), position.clone());
            }
        }
    }
}

fn list<'a>(changes: &'a Map<String, Value>, name: &str) -> impl Iterator<Item = &'a Value> {
    changes.get(name).and_then(Value::as_array).into_iter().flatten()
}

fn set_fields(entry: &mut Value, changes: Option<&Value>) {
    set_fields_to(entry, changes, "after")
}

/// Sets each changed field to its `side` ("before" or "after"); null or missing: absent.
fn set_fields_to(entry: &mut Value, changes: Option<&Value>, side: &str) {
    let (Some(object), Some(changes)) = (entry.as_object_mut(), changes.and_then(Value::as_object)) else { return };
    for (field, change) in changes {
        match change.get(side) {
            Some(Value::Null) | None => {
                object.remove(field);
            }
            Some(after) => {
                object.insert(field.clone(), after.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(db: &str, tables: &[(&str, i64)], columns: &[(&str, &str, i64, &str)]) -> Value {
        let mut t = Map::new();
        for (key, oid) in tables {
            t.insert(key.to_string(), json!({"key": key, "name": key, "kind": "table", "oid": oid, "rowEstimate": 5}));
        }
        let mut c = Map::new();
        for (key, table, position, ty) in columns {
            c.insert(key.to_string(), json!({"key": key, "tableKey": table, "name": key, "position": position, "dataType": ty}));
        }
        json!({"meta": {"databaseId": db, "signature": "s"}, "tables": t, "columns": c})
    }

    #[test]
    fn reports_each_kind_and_replays_to_the_target() {
        let a = snapshot("db", &[("public.a", 1), ("public.b", 2)], &[("public.a.x", "public.a", 1, "int"), ("public.b.y", "public.b", 1, "int")]);
        let b = snapshot("db", &[("public.a2", 1), ("public.c", 3)], &[("public.a2.z", "public.a2", 1, "bigint"), ("public.c.y", "public.c", 1, "int")]);
        let d = diff(&a, &b);
        assert_eq!(d["changed"], json!(true));
        assert_eq!(d["tables"]["renamed"][0], json!({"from": "public.a", "to": "public.a2", "exact": true, "evidence": EXACT, "changes": {"name": {"before": "public.a", "after": "public.a2"}}}));
        assert_eq!(d["tables"]["removed"][0]["key"], json!("public.b"));
        assert_eq!(d["tables"]["added"][0]["key"], json!("public.c"));
        // the column kept its table's oid and its position: renamed, with its type change
        assert_eq!(d["columns"]["renamed"][0]["from"], json!("public.a.x"));
        assert_eq!(d["columns"]["renamed"][0]["changes"]["dataType"], json!({"before": "int", "after": "bigint"}));
        assert_eq!(d["summary"], json!({"added": 2, "removed": 2, "renamed": 2, "changed": 0}));
        let mut replayed = a.clone();
        apply(&mut replayed, &d);
        let same = |x: &Value, y: &Value| {
            for path in ["tables", "columns"] {
                let (r, t) = (section(x, path).unwrap(), section(y, path).unwrap());
                assert_eq!(r.keys().collect::<Vec<_>>(), t.keys().collect::<Vec<_>>());
                for (k, v) in t {
                    assert!(!differs(&r[k], v), "{path} {k}");
                }
            }
        };
        same(&replayed, &b);
        // and back again
        apply_inverse(&mut replayed, &d);
        same(&replayed, &a);
    }

    #[test]
    fn walking_back_undoes_a_rename_onto_a_dropped_name() {
        // a dropped, b renamed to a, a field of b changed on the way
        let a = snapshot("db", &[("public.a", 1), ("public.b", 2)], &[("public.b.y", "public.b", 1, "int")]);
        let mut b = snapshot("db", &[("public.a", 2)], &[("public.a.y", "public.a", 1, "bigint")]);
        b["tables"]["public.a"]["kind"] = json!("partitioned table");
        let d = diff(&a, &b);
        let mut back = b.clone();
        apply_inverse(&mut back, &d);
        for path in ["tables", "columns"] {
            let (got, want) = (section(&back, path).unwrap(), section(&a, path).unwrap());
            assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{path}");
            assert!(want.iter().all(|(k, v)| !differs(&got[k], v)), "{path}: {}", back[path]);
        }
    }

    #[test]
    fn the_binary_diff_says_what_the_value_diff_says() {
        let a = snapshot("db", &[("public.a", 1), ("public.b", 2), ("public.\"x y\"", 5)], &[("public.a.x", "public.a", 1, "int"), ("public.b.y", "public.b", 1, "int")]);
        let mut b = snapshot("db", &[("public.a2", 1), ("public.c", 3), ("public.\"x y\"", 5)], &[("public.a2.z", "public.a2", 1, "bigint"), ("public.c.y", "public.c", 1, "int")]);
        b["tables"]["public.\"x y\""]["rowEstimate"] = json!(77);
        b["tables"]["public.\"x y\""]["kind"] = json!("view");
        for (x, y) in [(&a, &b), (&b, &a), (&a, &a)] {
            let (bx, by) = (crate::jsonb::to_jsonb(x).unwrap(), crate::jsonb::to_jsonb(y).unwrap());
            assert_eq!(diff_encoded(&bx[4..], &by[4..]).unwrap(), diff(x, y));
        }
    }

    #[test]
    fn volatile_fields_are_not_changes_and_other_databases_rename_probably() {
        let a = snapshot("db1", &[("public.a", 1)], &[]);
        let mut b = a.clone();
        b["tables"]["public.a"]["rowEstimate"] = json!(1000);
        b["tables"]["public.a"]["oid"] = json!(77);
        b["meta"]["databaseId"] = json!("db2");
        let d = diff(&a, &b);
        assert_eq!(d["changed"], json!(false));
        assert!(d.get("tables").is_none());

        // a table with nothing in it is too little to go on
        let c = snapshot("db2", &[("public.renamed", 9)], &[]);
        assert!(diff(&a, &c)["tables"].get("renamed").is_none());
        let mut with_column = snapshot("db1", &[("public.a", 1)], &[("public.a.x", "public.a", 1, "int")]);
        let mut c = snapshot("db2", &[("public.renamed", 9)], &[("public.renamed.x", "public.renamed", 1, "int")]);
        with_column["columns"]["public.a.x"]["name"] = json!("x");
        c["columns"]["public.renamed.x"]["name"] = json!("x");
        let d = diff(&with_column, &c);
        assert_eq!(d["tables"]["renamed"][0]["exact"], json!(false));
        assert_eq!(d["tables"]["renamed"][0]["evidence"], json!(SAME_TABLE));
        assert_eq!(d["columns"]["renamed"][0]["evidence"], json!(WITH_ITS_TABLE));
        // two candidates: no guess
        let e = snapshot("db2", &[("public.r1", 9), ("public.r2", 10)], &[]);
        let d = diff(&a, &e);
        assert!(d["tables"].get("renamed").is_none());
        assert_eq!(d["summary"]["added"], json!(2));
    }
}
