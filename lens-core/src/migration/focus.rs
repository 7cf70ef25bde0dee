//! A plan costs what changed, not what the schemas hold: before planning, the parts of the
//! tables no change can reach are left out of both snapshots, read from their jsonb bytes
//! without being decoded (as `lens_diff` skips equal entries).
//!
//! The planner writes statements only for entries that differ between the two snapshots,
//! and for entries that depend on those; an entry equal on both sides matters only as
//! context. So a table's parts (columns, constraints, indexes, triggers, policies, rules,
//! statistics; its FKs) can go when the table is *untouched*, and nothing touched can
//! reach it:
//! - touched: a part of it, or an FK from or to it, differs or exists on one side only, or
//!   its own entry or view body differs;
//! - reached: a touched table's FK neighbours, every table of a touched table's
//!   inheritance or partition tree (inherited columns and constraints are read from the
//!   parents), and a table whose parts name an object that changed outside tables (a type,
//!   a function, a sequence... found as bytes in the parts, so a name that only looks like
//!   one keeps a table in: never one too few).
//!
//! Every other section is kept whole, and so is every table's own entry (pairing, views'
//! reads and FKs need them); `meta` too, so signatures are those of the whole snapshots.

use crate::diff::{root, same_definition, section_members};
use crate::jsonb_read::{find, jsonb_to_value, key_order, members, merge_by_key, Member, ReadError};
use crate::migration::PlanError;
use crate::model::Snapshot;
use crate::sections::{group_of, Group, SECTIONS};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Both snapshots as JSON, reduced to what the plan can touch.
#[derive(Debug)]
pub struct Focused {
    pub source: Value,
    pub target: Value,
    /// How many entries were left out of each side.
    pub left_out: usize,
}

/// One side's bytes and top-level members.
struct Side<'a> {
    buf: &'a [u8],
    root: Vec<Member<'a>>,
}

/// An entry of a table-scoped section, on one side or both.
struct Entry<'a> {
    section: &'static str,
    key: &'a [u8],
    source: Option<Member<'a>>,
    target: Option<Member<'a>>,
    /// The tables it belongs to (a part: its table; an FK: child and parent), both sides'.
    tables: Vec<&'a str>,
    untouched: bool,
}

/// `source` and `target` (jsonb bytes after the varlena header) reduced for planning.
pub fn focus(source: &[u8], target: &[u8]) -> Result<Focused, ReadError> {
    let (a, b) = (Side { buf: source, root: root(source)? }, Side { buf: target, root: root(target)? });
    let database = |s: &Side| -> Result<Option<String>, ReadError> {
        let meta = find(&s.root, b"meta").map(|m| m.to_value(s.buf)).transpose()?;
        Ok(meta.and_then(|m| m.get("databaseId").and_then(Value::as_str).map(str::to_string)))
    };
    let same_database = matches!((database(&a)?, database(&b)?), (Some(x), Some(y)) if x == y);

    let mut touched: HashSet<&str> = HashSet::new();
    let mut changed_names: Vec<Vec<u8>> = Vec::new();
    // columns a sequence belongs to: whether its owner stays is read from the column's pair
    let mut owning_columns: HashSet<&str> = HashSet::new();
    // view bodies (the relation's key, its definition), to find what they read
    let mut bodies: Vec<(&str, &str)> = Vec::new();
    let mut scoped: HashMap<&'static str, Vec<Entry>> = HashMap::new();
    for path in SECTIONS.iter().copied() {
        let (before, after) = (section_members(a.buf, &a.root, path)?, section_members(b.buf, &b.root, path)?);
        for (key, x, y) in merge_by_key(&before, &after) {
            let untouched = match (x, y) {
                (Some(x), Some(y)) => unchanged(a.buf, x, b.buf, y, same_database)?,
                _ => false,
            };
            match group_of(path) {
                Group::TablePart | Group::Child => {
                    let fields: &[&[u8]] = if group_of(path) == Group::Child { &[b"childKey", b"parentKey"] } else { &[b"tableKey"] };
                    // equal entries name the same tables: one side is read
                    let sides = if untouched { [(&a, x), (&b, None)] } else { [(&a, x), (&b, y)] };
                    let mut tables = Vec::new();
                    for (side, m) in sides {
                        if let Some(m) = m {
                            tables.extend(string_fields(side.buf, m, fields)?);
                        }
                    }
                    if !untouched {
                        touched.extend(tables.iter().copied());
                    }
                    scoped.entry(path).or_default().push(Entry { section: path, key, source: x.cloned(), target: y.cloned(), tables, untouched });
                }
                Group::Table => {
                    let relation = std::str::from_utf8(key).map_err(|_| ReadError("a key is not UTF-8"))?;
                    if !untouched {
                        touched.insert(relation);
                    }
                    if path == "views" {
                        // an equal body reads the same: one side is read
                        let sides = if untouched { [(&a, x), (&b, None)] } else { [(&a, x), (&b, y)] };
                        for (side, m) in sides {
                            if let Some(m) = m {
                                bodies.extend(string_fields(side.buf, m, &[b"definition"])?.into_iter().map(|d| (relation, d)));
                            }
                        }
                    }
                }
                Group::Sequence | Group::Own => {
                    if path == "sequences" {
                        for (side, m) in [(&a, x), (&b, y)] {
                            if let Some(m) = m {
                                owning_columns.extend(string_fields(side.buf, m, &[b"ownedBy"])?);
                            }
                        }
                    }
                    // a schema's name is in every key: its changes reach tables by their keys
                    if !untouched && path != "schemas" {
                        for (side, m) in [(&a, x), (&b, y)] {
                            if let Some(m) = m {
                                changed_names.extend(string_fields(side.buf, m, &[b"name"])?.into_iter().map(searchable));
                            }
                        }
                    }
                }
            }
        }
    }

    let relations = Relations::new(&a, &b)?;
    let mut reached = touched.clone();
    if !changed_names.is_empty() {
        let naming = scoped.values().flatten().filter(|e| e.untouched && !e.tables.iter().all(|t| touched.contains(t))).filter(|e| {
            let bytes = e.source.as_ref().map(|m| m.bytes(a.buf)).unwrap_or_default();
            changed_names.iter().any(|n| contains(bytes, n))
        });
        reached.extend(naming.flat_map(|e| e.tables.iter().copied()).collect::<Vec<_>>());
    }
    let mut reached = relations.with_families(reached);
    let neighbours: Vec<&str> = scoped.get("relationships").into_iter().flatten().filter(|e| e.tables.iter().any(|t| reached.contains(t))).flat_map(|e| e.tables.iter().copied()).collect();
    reached.extend(neighbours);
    let mut reached = relations.with_families(reached);
    // a view that reads a reached relation may be made anew with all its parts: reached too,
    // and so on through views of views (what a view reads as the planner finds it)
    let mut readers: HashMap<&str, Vec<&str>> = HashMap::new();
    for (view, body) in &bodies {
        for read in crate::migration::sql_text::qualified_names(body) {
            if let Some(relation) = relations.key_of(&read) {
                readers.entry(relation).or_default().push(view);
            }
        }
    }
    let mut pending: Vec<&str> = reached.iter().copied().collect();
    while let Some(relation) = pending.pop() {
        for view in readers.get(relation).into_iter().flatten() {
            if reached.insert(view) {
                pending.push(view);
            }
        }
    }

    // FKs stay whole: they order the tables' statements (`ddl::creation_order`)
    let keep = |e: &Entry| {
        !e.untouched || e.tables.iter().any(|t| reached.contains(t)) || e.section == "relationships" || (e.section == "columns" && owning_columns.contains(std::str::from_utf8(e.key).unwrap_or("")))
    };
    let left_out = scoped.values().flatten().filter(|e| !keep(e)).count();
    let build = |side: &Side, source_side: bool| -> Result<Value, ReadError> {
        let mut out = Map::new();
        for m in &side.root {
            let name = key_string(m.key)?;
            let sections_under: Vec<&str> = SECTIONS.iter().copied().filter(|p| p.split('.').next() == Some(name.as_str())).collect();
            let is_scoped = sections_under.iter().any(|p| scoped.contains_key(p));
            if !is_scoped {
                out.insert(name, m.to_value(side.buf)?);
                continue;
            }
            let value = match sections_under.as_slice() {
                [path] if *path == name => section_value(side.buf, scoped.get(path).map(Vec::as_slice).unwrap_or(&[]), source_side, &keep)?,
                // `constraints`: an object of sections
                _ => {
                    let mut nested = Map::new();
                    for inner in members(side.buf, m.container_start().ok_or(ReadError("a section is not an object"))?)?.unwrap_or_default() {
                        let path = format!("{name}.{}", key_string(inner.key)?);
                        let value = match scoped.get(path.as_str()) {
                            Some(entries) => section_value(side.buf, entries, source_side, &keep)?,
                            None => inner.to_value(side.buf)?,
                        };
                        nested.insert(key_string(inner.key)?, value);
                    }
                    Value::Object(nested)
                }
            };
            out.insert(name, value);
        }
        Ok(Value::Object(out))
    };
    Ok(Focused { source: build(&a, true)?, target: build(&b, false)?, left_out })
}

/// The kept entries of one table-scoped section on one side.
fn section_value(buf: &[u8], entries: &[Entry], source_side: bool, keep: &dyn Fn(&Entry) -> bool) -> Result<Value, ReadError> {
    let mut out = Map::new();
    for e in entries.iter().filter(|e| keep(e)) {
        let member = if source_side { &e.source } else { &e.target };
        if let Some(m) = member {
            out.insert(key_string(e.key)?, m.to_value(buf)?);
        }
    }
    Ok(Value::Object(out))
}

/// Equal for the planner: equal definitions, and within one database the same identity
/// (entries pair by oid there, so an entry made again is another entry).
fn unchanged(a_buf: &[u8], x: &Member, b_buf: &[u8], y: &Member, same_database: bool) -> Result<bool, ReadError> {
    if x.bytes(a_buf) == y.bytes(b_buf) {
        return Ok(true);
    }
    if !same_definition(a_buf, x, b_buf, y)? {
        return Ok(false);
    }
    if !same_database {
        return Ok(true);
    }
    for identity in ["oid", "attnum"] {
        let (p, q) = (field(a_buf, x, identity)?, field(b_buf, y, identity)?);
        if p.map(|m| m.bytes(a_buf)) != q.map(|m| m.bytes(b_buf)) {
            return Ok(false);
        }
    }
    Ok(true)
}

fn key_string(key: &[u8]) -> Result<String, ReadError> {
    std::str::from_utf8(key).map(str::to_string).map_err(|_| ReadError("a key is not UTF-8"))
}

/// A field of an entry (an object member).
fn field<'a>(buf: &'a [u8], entry: &Member, name: &str) -> Result<Option<Member<'a>>, ReadError> {
    let Some(start) = entry.container_start() else { return Ok(None) };
    let fields = members(buf, start)?.unwrap_or_default();
    Ok(fields.binary_search_by(|m| key_order(m.key, name.as_bytes())).ok().map(|i| fields[i].clone()))
}

/// The string fields `names` of an entry that it has, with one read of its fields.
fn string_fields<'a>(buf: &'a [u8], entry: &Member, names: &[&[u8]]) -> Result<Vec<&'a str>, ReadError> {
    let Some(start) = entry.container_start() else { return Ok(Vec::new()) };
    let fields = members(buf, start)?.unwrap_or_default();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        if let Ok(i) = fields.binary_search_by(|m| key_order(m.key, name)) {
            out.extend(fields[i].string(buf)?);
        }
    }
    Ok(out)
}

/// What to look for of a name in SQL text: its longest run without a quote (a quoted
/// identifier doubles its double quotes, a literal its single ones), so that every spelling
/// of it is found.
fn searchable(name: &str) -> Vec<u8> {
    name.split(['"', '\'']).max_by_key(|s| s.len()).unwrap_or("").as_bytes().to_vec()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else { return true };
    haystack.windows(needle.len()).any(|w| w[0] == first && w == needle)
}

/// The relations of both sides, read once: their keys by (schema, name), as SQL text names
/// them, and their inheritance and partition trees (which tables are one family).
struct Relations<'a> {
    by_name: HashMap<(&'a str, &'a str), &'a str>,
    family: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Relations<'a> {
    fn new(a: &Side<'a>, b: &Side<'a>) -> Result<Relations<'a>, ReadError> {
        let (mut by_name, mut family) = (HashMap::new(), HashMap::<&str, Vec<&str>>::new());
        for side in [a, b] {
            for table in section_members(side.buf, &side.root, "tables")? {
                let key = std::str::from_utf8(table.key).map_err(|_| ReadError("a key is not UTF-8"))?;
                let Some(start) = table.container_start() else { continue };
                let fields = members(side.buf, start)?.unwrap_or_default();
                let get = |name: &[u8]| fields.binary_search_by(|m| key_order(m.key, name)).ok().map(|i| &fields[i]);
                let string = |name: &[u8]| get(name).map(|m| m.string(side.buf)).transpose().map(Option::flatten);
                if let (Some(schema), Some(name)) = (string(b"schema")?, string(b"name")?) {
                    by_name.insert((schema, name), key);
                }
                let mut parents: Vec<&str> = string(b"partitionOf")?.into_iter().collect();
                if let Some(inherits) = get(b"inherits").and_then(Member::container_start) {
                    for m in crate::jsonb_read::elements(side.buf, inherits)? {
                        parents.extend(m.string(side.buf)?);
                    }
                }
                for parent in parents {
                    family.entry(parent).or_default().push(key);
                    family.entry(key).or_default().push(parent);
                }
            }
        }
        Ok(Relations { by_name, family })
    }

    fn key_of(&self, (schema, name): &(String, String)) -> Option<&'a str> {
        self.by_name.get(&(schema.as_str(), name.as_str())).copied()
    }

    /// `tables` and every table in a family with one of them.
    fn with_families(&self, tables: HashSet<&'a str>) -> HashSet<&'a str> {
        let mut out = tables.clone();
        let mut pending: Vec<&str> = tables.into_iter().collect();
        while let Some(t) = pending.pop() {
            for next in self.family.get(t).into_iter().flatten() {
                if out.insert(next) {
                    pending.push(next);
                }
            }
        }
        out
    }
}

/// A snapshot as the model and as JSON (the planner reads both).
pub type ModelAndJson = (Snapshot, Value);

/// Both snapshots of a plan from their jsonb bytes, as models and as JSON: focused when
/// both carry their signatures (a plan is bound to the whole source's), else read whole.
pub fn read_pair(source: &[u8], target: &[u8]) -> Result<(ModelAndJson, ModelAndJson), PlanError> {
    let unreadable = |which: &str, e: ReadError| PlanError { message: format!("{which}: {e}"), hint: "Pass a snapshot that lens_snapshot() returned.".into() };
    let signed = |buf: &[u8]| -> bool {
        let Ok(root) = root(buf) else { return false };
        let Some(meta) = find(&root, b"meta") else { return false };
        matches!(string_fields(buf, meta, &[b"signature"]).as_deref(), Ok([s]) if !s.is_empty())
    };
    let (sv, tv) = if signed(source) && signed(target) {
        let focused = focus(source, target).map_err(|e| unreadable("source or target", e))?;
        (focused.source, focused.target)
    } else {
        (jsonb_to_value(source).map_err(|e| unreadable("source", e))?, jsonb_to_value(target).map_err(|e| unreadable("target", e))?)
    };
    Ok((model_of(sv, "source")?, model_of(tv, "target")?))
}

fn model_of(value: Value, which: &str) -> Result<ModelAndJson, PlanError> {
    crate::snapshot_io::snapshot_and_value(value).map_err(|e| PlanError { message: format!("{which}: {}", e.message), hint: e.hint })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::Keywords;
    use crate::migration::{plan, plan_with_values, Options};
    use serde_json::json;

    fn table(name: &str, oid: i64, kind: &str, parent: Option<&str>) -> (String, Value) {
        let key = format!("app.{name}");
        let mut t = json!({"key": key, "oid": oid, "schema": "app", "name": name, "kind": kind});
        if let Some(p) = parent {
            t["partitionOf"] = json!(format!("app.{p}"));
            t["partitionBound"] = json!("DEFAULT");
        }
        (key, t)
    }

    fn column(table: &str, name: &str, attnum: i64, default: Option<&str>) -> (String, Value) {
        let key = format!("app.{table}.{name}");
        let mut c = json!({"key": key, "tableKey": format!("app.{table}"), "schema": "app", "table": table, "name": name, "position": attnum, "attnum": attnum, "dataType": "integer", "isNullable": true});
        if let Some(d) = default {
            c["default"] = json!(d);
        }
        (key, c)
    }

    fn function(body: &str) -> Value {
        json!({"key": "app.next_id()", "oid": 900, "schema": "app", "name": "next_id", "kind": "function", "language": "sql", "arguments": "", "identityArguments": "",
               "returns": "integer", "volatility": "volatile", "parallel": "unsafe", "cost": 100, "rows": 0,
               "definition": format!("CREATE OR REPLACE FUNCTION app.next_id()\n RETURNS integer\n LANGUAGE sql\nAS $function${body}$function$\n")})
    }

    /// a gains a column, p1 (a partition of p) a comment on its column, next_id() a new body;
    /// b is referenced by a's FK, d's default calls next_id(), p2 is p1's sibling, c is none
    /// of these.
    fn pair() -> (Value, Value) {
        let tables = [table("a", 1, "table", None), table("b", 2, "table", None), table("c", 3, "table", None), table("d", 4, "table", None), table("p", 5, "partitioned", None), table("p1", 6, "table", Some("p")), table("p2", 7, "table", Some("p"))];
        let mut columns: Vec<(String, Value)> = ["a", "b", "c", "p", "p1", "p2"].iter().map(|t| column(t, "id", 1, None)).collect();
        columns.push(column("d", "id", 1, Some("app.next_id()")));
        let fk = json!({"key": "app.a(id) -> app.b(id)", "oid": 50, "name": "a_id_fkey", "constraintKey": "app.a:a_id_fkey", "childKey": "app.a", "childCols": ["id"], "parentKey": "app.b", "parentCols": ["id"], "onUpdate": "NO ACTION", "onDelete": "NO ACTION", "deferrable": false, "initiallyDeferred": false});
        let snapshot = |tables: &[(String, Value)], columns: &[(String, Value)], body: &str| {
            let mut snap = json!({"meta": {"schemas": ["app"], "databaseId": "db", "formatVersion": 3}, "tables": {}, "columns": {}, "relationships": {"app.a(id) -> app.b(id)": fk.clone()}, "functions": {"app.next_id()": function(body)}});
            for (k, v) in tables {
                snap["tables"][k] = v.clone();
            }
            for (k, v) in columns {
                snap["columns"][k] = v.clone();
            }
            let mut model: Snapshot = serde_json::from_value(snap).unwrap();
            crate::signature::stamp(&mut model);
            serde_json::to_value(&model).unwrap()
        };
        let source = snapshot(&tables, &columns, "SELECT 1");
        let mut changed = columns.clone();
        changed.push(column("a", "extra", 2, None));
        for (k, c) in changed.iter_mut() {
            if k == "app.p1.id" {
                c["comment"] = json!("one of two");
            }
        }
        (source, snapshot(&tables, &changed, "SELECT 2"))
    }

    fn bytes(v: &Value) -> Vec<u8> {
        crate::jsonb::to_jsonb(v).unwrap()[crate::jsonb::VARHDRSZ..].to_vec()
    }

    #[test]
    fn only_the_parts_of_a_table_no_change_reaches_are_left_out() {
        let (source, target) = pair();
        let focused = focus(&bytes(&source), &bytes(&target)).unwrap();
        let kept = |v: &Value| v["columns"].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(focused.left_out, 1);
        assert_eq!(kept(&focused.source), ["app.a.id", "app.b.id", "app.d.id", "app.p.id", "app.p1.id", "app.p2.id"]);
        assert_eq!(kept(&focused.target), ["app.a.extra", "app.a.id", "app.b.id", "app.d.id", "app.p.id", "app.p1.id", "app.p2.id"]);
        // every table's own entry, the FK and the function stay, and meta as it was
        assert_eq!(focused.source["tables"].as_object().unwrap().len(), 7);
        assert_eq!(focused.target["relationships"], target["relationships"]);
        assert_eq!(focused.source["meta"], source["meta"]);
    }

    #[test]
    fn the_focused_plan_is_the_plan_of_the_whole_snapshots() {
        let (source, target) = pair();
        let options = Options { online: false, large_table_rows: 100_000, major: 15 };
        let kw = Keywords::postgres15();
        let model = |v: &Value| serde_json::from_value::<Snapshot>(v.clone()).unwrap();
        let whole = plan(&model(&source), &model(&target), &kw, &options).unwrap();
        let ((s, sv), (t, tv)) = read_pair(&bytes(&source), &bytes(&target)).unwrap();
        let focused = plan_with_values(&s, &t, sv, tv, &kw, &options).unwrap();
        let statements = |p: &crate::migration::Plan| p.steps.iter().map(|s| s.statement.clone()).collect::<Vec<_>>();
        assert_eq!(statements(&focused), statements(&whole));
        assert!(statements(&whole).iter().any(|s| s.contains("ADD COLUMN extra")), "{:?}", statements(&whole));
        assert_eq!(focused.source_signature, whole.source_signature);
    }

    /// A snapshot of `entries` (section, entry), stamped, as JSON.
    fn snapshot_of(database: &str, entries: &[(&str, Value)]) -> Value {
        let mut snap = json!({"meta": {"schemas": ["app"], "databaseId": database, "formatVersion": 3}, "tables": {}, "constraints": {"pks": {}}});
        for (section, e) in entries {
            let key = e["key"].as_str().unwrap().to_string();
            match section.split_once('.') {
                Some((outer, inner)) => snap[outer][inner][key] = e.clone(),
                None => {
                    if snap.get(*section).is_none() {
                        snap[*section] = json!({});
                    }
                    snap[*section][key] = e.clone()
                }
            }
        }
        let mut model: Snapshot = serde_json::from_value(snap).unwrap();
        crate::signature::stamp(&mut model);
        serde_json::to_value(&model).unwrap()
    }

    fn fk(oid: i64, child: &str, parent: &str) -> Value {
        let key = format!("app.{child}(id) -> app.{parent}(id)");
        json!({"key": key, "oid": oid, "name": format!("{child}_fk"), "constraintKey": format!("app.{child}:{child}_fk"), "childKey": format!("app.{child}"), "childCols": ["id"],
               "parentKey": format!("app.{parent}"), "parentCols": ["id"], "onUpdate": "NO ACTION", "onDelete": "NO ACTION", "deferrable": false, "initiallyDeferred": false})
    }

    fn sequence(name: &str, owned_by: &str) -> Value {
        json!({"key": format!("app.{name}"), "oid": 40, "schema": "app", "name": name, "dataType": "integer", "start": 1, "increment": 1, "min": 1, "max": 2147483647, "cache": 1, "cycle": false, "ownedBy": owned_by})
    }

    /// (what, source, target): changes whose plans read entries of tables nothing changed.
    fn cases() -> Vec<(&'static str, Value, Value)> {
        let mut out = Vec::new();
        let t = |name: &str, oid: i64, kind: &str| ("tables", table(name, oid, kind, None).1);
        let c = |table: &str, name: &str, attnum: i64| ("columns", column(table, name, attnum, None).1);
        let untouched = [t("u", 90, "table"), c("u", "a", 1)];
        let comment_on_u = |entries: &mut Vec<(&str, Value)>| {
            for (s, e) in entries.iter_mut() {
                if *s == "columns" && e["key"] == "app.u.a" {
                    e["comment"] = json!("changed");
                }
            }
        };

        // a materialized view made again (a column of what it reads goes) keeps its index
        // and its column's comment
        let mut mv_column = column("mv", "x", 1, None).1;
        mv_column["comment"] = json!("the x");
        let index = json!({"key": "app.mv_x_idx", "oid": 30, "tableKey": "app.mv", "schema": "app", "table": "mv", "name": "mv_x_idx", "method": "btree", "columns": ["x"],
                           "isUnique": true, "isPrimary": false, "definition": "CREATE UNIQUE INDEX mv_x_idx ON app.mv USING btree (x)"});
        let body = json!({"key": "app.mv", "oid": 2, "schema": "app", "name": "mv", "kind": "materialized_view", "definition": " SELECT t.x\n   FROM app.t;"});
        let before = vec![t("t", 1, "table"), t("mv", 2, "materialized_view"), ("views", body), c("t", "x", 1), c("t", "y", 2), ("columns", mv_column), ("indexes", index)];
        let after: Vec<_> = before.iter().filter(|(_, e)| e["key"] != "app.t.y").cloned().collect();
        out.push(("a view read from a reshaped table", snapshot_of("db", &[before.clone(), untouched.to_vec()].concat()), snapshot_of("db", &[after.clone(), untouched.to_vec()].concat())));
        out.push(("the same across databases", snapshot_of("db", &[before, untouched.to_vec()].concat()), snapshot_of("other", &[after, untouched.to_vec()].concat())));

        // a serial's sequence on a table nothing changed keeps its owner
        let mut serial = column("s", "id", 1, Some("nextval('app.s_id_seq'::regclass)")).1;
        serial["dataType"] = json!("integer");
        let before = vec![t("s", 3, "table"), ("columns", serial), ("sequences", sequence("s_id_seq", "app.s.id")), untouched[0].clone(), untouched[1].clone()];
        let mut after = before.clone();
        comment_on_u(&mut after);
        out.push(("a serial nothing changed", snapshot_of("db", &before), snapshot_of("db", &after)));

        // a sequence owned by a column that does not call it, dropped
        let before = vec![t("s", 3, "table"), c("s", "id", 1), ("sequences", sequence("spare_seq", "app.s.id")), untouched[0].clone(), untouched[1].clone()];
        let after: Vec<_> = before.iter().filter(|(s, _)| *s != "sequences").cloned().collect();
        out.push(("an owned sequence dropped", snapshot_of("db", &before), snapshot_of("db", &after)));

        // FKs between tables nothing changed order the statements of those that changed
        let mut before = Vec::new();
        for (name, oid) in [("a", 11), ("b", 12), ("0w", 13), ("x", 14), ("y", 15)] {
            before.push(t(name, oid, "table"));
            before.push(c(name, "id", 1));
        }
        before.extend([("relationships", fk(60, "0w", "y")), ("relationships", fk(61, "y", "x")), ("relationships", fk(62, "x", "b"))]);
        let mut after = before.clone();
        for (s, e) in after.iter_mut() {
            if *s == "tables" && (e["key"] == "app.a" || e["key"] == "app.b") {
                e["comment"] = json!("changed");
            }
        }
        out.push(("an FK chain through tables nothing changed", snapshot_of("db", &before), snapshot_of("db", &after)));

        // a key the snapshot names no index of, on a table nothing changed
        let key = json!({"key": "app.r:r_pkey", "oid": 70, "tableKey": "app.r", "schema": "app", "table": "r", "columns": ["id"], "name": "r_pkey"});
        let before = vec![t("r", 5, "table"), c("r", "id", 1), ("constraints.pks", key), untouched[0].clone(), untouched[1].clone()];
        let mut after = before.clone();
        comment_on_u(&mut after);
        out.push(("a key without its index's name", snapshot_of("db", &before), snapshot_of("db", &after)));
        out
    }

    #[test]
    fn focused_plans_are_the_whole_ones_where_unchanged_entries_matter() {
        let options = Options { online: false, large_table_rows: 100_000, major: 15 };
        let kw = Keywords::postgres15();
        let model = |v: &Value| serde_json::from_value::<Snapshot>(v.clone()).unwrap();
        let steps = |p: &crate::migration::Plan| p.steps.iter().map(|s| format!("{} {:?}", s.statement, s.hazards)).collect::<Vec<_>>();
        for (what, source, target) in cases() {
            let whole = plan(&model(&source), &model(&target), &kw, &options).unwrap();
            let ((s, sv), (t, tv)) = read_pair(&bytes(&source), &bytes(&target)).unwrap();
            let focused = plan_with_values(&s, &t, sv, tv, &kw, &options).unwrap();
            assert_eq!(steps(&focused), steps(&whole), "{what}");
            assert!(whole.steps.len() > 1, "{what}: the change plans something: {:?}", steps(&whole));
        }
    }

    #[test]
    fn a_name_found_in_sql_text_in_any_spelling() {
        assert_eq!(searchable("My \"Odd\" name"), b" name".to_vec());
        assert!(contains(b"nextval('app.\"o''brien_seq\"'::regclass)", &searchable("o'brien_seq")));
        assert!(contains(b"DEFAULT app.\"Next\"\"Id\"()", &searchable("Next\"Id")));
        assert!(!contains(b"DEFAULT app.other()", &searchable("next_id")));
    }
}
