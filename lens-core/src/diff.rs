//! What changed between two snapshots, and replaying such a change onto a snapshot.
//!
//! Works on snapshots as JSON values, section by section (`sections::SECTIONS`), so that it
//! reads snapshots of any format version it accepts and stays generic over entry types.
//! Entries are compared without their volatile fields (row estimates, sizes) and identities
//! (oids): exactly what the signature leaves out, so `changed` is false exactly when the
//! signatures are equal.
//!
//! Shape: `{changed, from: {signature, capturedAt}, to: {...}, summary: {added, removed,
//! renamed, changed}, <section>: {added: [{key, after}], removed: [{key, before}],
//! renamed: [{from, to, exact, changes}], changed: [{key, changes}]}}`, with constraint
//! sections nested as in the snapshot and empty lists and sections left out. `changes` maps
//! a field to `{before, after}` (null when the field is absent).
//!
//! Renames: between two snapshots of one database (same `meta.databaseId`) an entry that
//! kept its oid (a column: its table's oid and its position) under a new key is renamed,
//! exactly. Otherwise a removed and an added entry of one section that are equal but for
//! their names are reported renamed with `exact: false`: a probable match.

use crate::sections::{section, section_mut, SECTIONS};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};

/// Fields that are not definitions: left out of comparisons.
const IGNORED: &[&str] = &["oid", "rowEstimate", "totalBytes", "heapBytes", "indexBytes", "toastBytes"];
/// Fields that carry an entry's own name, ignored when guessing a rename across databases.
const NAMING: &[&str] = &["key", "name", "constraintKey", "indexKey", "definition"];

#[derive(Default)]
struct Counts {
    added: usize,
    removed: usize,
    renamed: usize,
    changed: usize,
}

/// The diff from `from` to `to`.
pub fn diff(from: &Value, to: &Value) -> Value {
    let same_database = match (database_id(from), database_id(to)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    let empty = Map::new();
    let mut out = Map::new();
    let mut counts = Counts::default();
    for path in SECTIONS {
        let before = section(from, path).unwrap_or(&empty);
        let after = section(to, path).unwrap_or(&empty);
        let result =
            diff_section(before, after, same_database, &|e| identity(from, path, e), &|e| identity(to, path, e), &mut counts);
        if !result.is_empty() {
            insert_at(&mut out, path, Value::Object(result));
        }
    }
    let total = counts.added + counts.removed + counts.renamed + counts.changed;
    out.insert("changed".into(), Value::Bool(total > 0));
    out.insert("from".into(), endpoint(from));
    out.insert("to".into(), endpoint(to));
    out.insert(
        "summary".into(),
        json!({"added": counts.added, "removed": counts.removed, "renamed": counts.renamed, "changed": counts.changed}),
    );
    Value::Object(out)
}

fn database_id(snapshot: &Value) -> Option<&str> {
    snapshot.get("meta")?.get("databaseId")?.as_str()
}

fn endpoint(snapshot: &Value) -> Value {
    let meta = snapshot.get("meta");
    json!({
        "signature": meta.and_then(|m| m.get("signature")).cloned().unwrap_or(Value::Null),
        "capturedAt": meta.and_then(|m| m.get("capturedAt")).cloned().unwrap_or(Value::Null),
    })
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

/// What identifies an entry across renames within one database.
fn identity(snapshot: &Value, path: &str, entry: &Value) -> Option<(i64, i64)> {
    if path == "columns" {
        let table = entry.get("tableKey")?.as_str()?;
        let table_oid = snapshot.get("tables")?.get(table)?.get("oid")?.as_i64()?;
        return Some((table_oid, entry.get("position")?.as_i64()?));
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

/// An entry without the fields that name it, for guessing renames.
fn unnamed(entry: &Value) -> Value {
    match entry.as_object() {
        Some(object) => Value::Object(
            object
                .iter()
                .filter(|(k, _)| !IGNORED.contains(&k.as_str()) && !NAMING.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        None => entry.clone(),
    }
}

fn diff_section(
    before: &Map<String, Value>,
    after: &Map<String, Value>,
    same_database: bool,
    identity_before: &dyn Fn(&Value) -> Option<(i64, i64)>,
    identity_after: &dyn Fn(&Value) -> Option<(i64, i64)>,
    counts: &mut Counts,
) -> Map<String, Value> {
    let mut removed: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let mut added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let mut renamed: Vec<Value> = Vec::new();

    if !removed.is_empty() && !added.is_empty() {
        let mut pairs: Vec<(&String, &String, bool)> = Vec::new();
        if same_database {
            let by_identity: HashMap<(i64, i64), &String> =
                added.iter().filter_map(|k| identity_after(&after[*k]).map(|id| (id, *k))).collect();
            for old in &removed {
                if let Some(new) = identity_before(&before[*old]).and_then(|id| by_identity.get(&id)) {
                    pairs.push((old, new, true));
                }
            }
        } else {
            // probable: exactly one candidate each way with equal content but for names
            let mut by_shape: BTreeMap<String, (Vec<&String>, Vec<&String>)> = BTreeMap::new();
            for old in &removed {
                by_shape.entry(unnamed(&before[*old]).to_string()).or_default().0.push(old);
            }
            for new in &added {
                if let Some(slot) = by_shape.get_mut(&unnamed(&after[*new]).to_string()) {
                    slot.1.push(new);
                }
            }
            for (olds, news) in by_shape.values() {
                if olds.len() == 1 && news.len() == 1 {
                    pairs.push((olds[0], news[0], false));
                }
            }
        }
        pairs.sort();
        for (old, new, exact) in &pairs {
            let mut entry = json!({"from": old, "to": new, "exact": exact});
            let changed = changes(&before[*old], &after[*new], &["key"]);
            if !changed.is_empty() {
                entry["changes"] = Value::Object(changed);
            }
            renamed.push(entry);
        }
        removed.retain(|k| !pairs.iter().any(|(old, _, _)| old == k));
        added.retain(|k| !pairs.iter().any(|(_, new, _)| new == k));
    }

    let mut changed: Vec<Value> = Vec::new();
    for (key, old) in before {
        if let Some(new) = after.get(key) {
            if differs(old, new) {
                changed.push(json!({"key": key, "changes": changes(old, new, &[])}));
            }
        }
    }

    counts.added += added.len();
    counts.removed += removed.len();
    counts.renamed += renamed.len();
    counts.changed += changed.len();
    let mut out = Map::new();
    if !added.is_empty() {
        out.insert("added".into(), added.iter().map(|k| json!({"key": k, "after": after[*k]})).collect());
    }
    if !removed.is_empty() {
        out.insert("removed".into(), removed.iter().map(|k| json!({"key": k, "before": before[*k]})).collect());
    }
    if !renamed.is_empty() {
        out.insert("renamed".into(), Value::Array(renamed));
    }
    if !changed.is_empty() {
        out.insert("changed".into(), Value::Array(changed));
    }
    out
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
        for added in list(&changes, "added") {
            if let (Some(key), Some(after)) = (added.get("key").and_then(Value::as_str), added.get("after")) {
                entries.insert(key.to_string(), after.clone());
            }
        }
    }
}

fn list<'a>(changes: &'a Map<String, Value>, name: &str) -> impl Iterator<Item = &'a Value> {
    changes.get(name).and_then(Value::as_array).into_iter().flatten()
}

fn set_fields(entry: &mut Value, changes: Option<&Value>) {
    let (Some(object), Some(changes)) = (entry.as_object_mut(), changes.and_then(Value::as_object)) else { return };
    for (field, change) in changes {
        match change.get("after") {
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
        assert_eq!(d["tables"]["renamed"][0], json!({"from": "public.a", "to": "public.a2", "exact": true, "changes": {"name": {"before": "public.a", "after": "public.a2"}}}));
        assert_eq!(d["tables"]["removed"][0]["key"], json!("public.b"));
        assert_eq!(d["tables"]["added"][0]["key"], json!("public.c"));
        // the column kept its table's oid and its position: renamed, with its type change
        assert_eq!(d["columns"]["renamed"][0]["from"], json!("public.a.x"));
        assert_eq!(d["columns"]["renamed"][0]["changes"]["dataType"], json!({"before": "int", "after": "bigint"}));
        assert_eq!(d["summary"], json!({"added": 2, "removed": 2, "renamed": 2, "changed": 0}));
        let mut replayed = a.clone();
        apply(&mut replayed, &d);
        for path in ["tables", "columns"] {
            let (r, t) = (section(&replayed, path).unwrap(), section(&b, path).unwrap());
            assert_eq!(r.keys().collect::<Vec<_>>(), t.keys().collect::<Vec<_>>());
            for (k, v) in t {
                assert!(!differs(&r[k], v), "{path} {k}");
            }
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

        let c = snapshot("db2", &[("public.renamed", 9)], &[]);
        let d = diff(&a, &c);
        assert_eq!(d["tables"]["renamed"][0]["exact"], json!(false));
        // two candidates: no guess
        let e = snapshot("db2", &[("public.r1", 9), ("public.r2", 10)], &[]);
        let d = diff(&a, &e);
        assert!(d["tables"].get("renamed").is_none());
        assert_eq!(d["summary"]["added"], json!(2));
    }
}
