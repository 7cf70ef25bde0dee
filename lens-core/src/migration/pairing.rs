//! Which entry of the source becomes which of the target.
//!
//! Between two snapshots of one database an entry is the object with the same oid (a column:
//! its table's pair and its attribute number), whatever its name: renames are exact, and an
//! object dropped and made again under its old name is not the old one. Across databases
//! entries pair by key, and a rename only where `lens_diff` finds strong evidence. What is
//! left unpaired is dropped (source) or created (target).

use crate::ident::{quote_ident, Keywords};
use crate::migration::sql_text::{rename_in, Renames};
use crate::sections::{section, SECTIONS};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Default, Clone)]
pub struct Pairing {
    forward: HashMap<&'static str, HashMap<String, String>>,
    backward: HashMap<&'static str, HashMap<String, String>>,
}

impl Pairing {
    pub fn target_of(&self, section: &str, source_key: &str) -> Option<&String> {
        self.forward.get(section)?.get(source_key)
    }

    pub fn source_of(&self, section: &str, target_key: &str) -> Option<&String> {
        self.backward.get(section)?.get(target_key)
    }

    fn add(&mut self, section: &'static str, from: &str, to: &str) {
        self.forward.entry(section).or_default().insert(from.to_string(), to.to_string());
        self.backward.entry(section).or_default().insert(to.to_string(), from.to_string());
    }

    /// Forgets a pair: the source entry is dropped and the target one made anew.
    pub fn unpair(&mut self, section: &str, source_key: &str) {
        let Some(map) = self.forward.get_mut(section) else { return };
        if let Some(to) = map.remove(source_key) {
            if let Some(back) = self.backward.get_mut(section) {
                back.remove(&to);
            }
        }
    }

    /// Every pair of a section, in no order, without a copy.
    pub fn iter<'s>(&'s self, section: &str) -> impl Iterator<Item = (&'s String, &'s String)> + 's {
        self.forward.get(section).into_iter().flat_map(|m| m.iter())
    }

    /// The pairs of a section whose key changed (renames and moves), in source key order.
    pub fn renamed(&self, section: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self.iter(section).filter(|(a, b)| a != b).map(|(a, b)| (a.clone(), b.clone())).collect();
        out.sort();
        out
    }

    /// `renamed`, and for the one section whose key does not hold the name (an FK's key is
    /// its columns and tables) every pair: its name may change under the same key.
    pub fn renamed_or_named(&self, section: &str) -> Vec<(String, String)> {
        if section == "relationships" {
            self.pairs(section)
        } else {
            self.renamed(section)
        }
    }

    /// Every (source key, target key) of a section, in source key order.
    pub fn pairs(&self, section: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self.forward.get(section).map(|m| m.iter().map(|(a, b)| (a.clone(), b.clone())).collect()).unwrap_or_default();
        out.sort();
        out
    }
}

fn entries<'a>(snap: &'a Value, path: &str) -> Vec<(&'a String, &'a Value)> {
    section(snap, path).map(|m| m.iter().collect()).unwrap_or_default()
}

fn oid(v: &Value) -> Option<i64> {
    v.get("oid").and_then(Value::as_i64)
}

fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    v.get(field).and_then(Value::as_str).unwrap_or("")
}

/// Pairs the entries of every section. `renamed` is `lens_diff`'s output, read for its
/// renames across databases.
pub fn pair(source: &Value, target: &Value, same_database: bool, renamed: &Value) -> Pairing {
    let mut p = Pairing::default();
    for path in SECTIONS.iter().copied().filter(|s| *s != "columns") {
        let from = entries(source, path);
        let to = entries(target, path);
        let mut taken: HashSet<&str> = HashSet::new();
        if same_database {
            let by_oid: HashMap<i64, &String> = to.iter().filter_map(|(k, v)| oid(v).map(|o| (o, *k))).collect();
            for (k, v) in &from {
                if let Some(t) = oid(v).and_then(|o| by_oid.get(&o)) {
                    p.add(path, k, t);
                    taken.insert(t.as_str());
                }
            }
        } else {
            for r in renamed_of(renamed, path) {
                if section(source, path).is_some_and(|m| m.contains_key(&r.0)) && section(target, path).is_some_and(|m| m.contains_key(&r.1)) {
                    p.add(path, &r.0, &r.1);
                    taken.insert(to.iter().find(|(k, _)| **k == r.1).map(|(k, _)| k.as_str()).unwrap_or(""));
                }
            }
        }
        let target_map = section(target, path);
        for (k, v) in &from {
            if p.target_of(path, k).is_some() || taken.contains(k.as_str()) {
                continue;
            }
            let Some(t) = target_map.and_then(|m| m.get(*k)) else { continue };
            // one database: a table with another oid under the same name is another table
            let relation = matches!(path, "tables" | "views");
            if same_database && relation && matches!((oid(v), oid(t)), (Some(a), Some(b)) if a != b) {
                continue;
            }
            p.add(path, k, k);
        }
    }
    pair_columns(source, target, same_database, renamed, &mut p);
    p
}

fn renamed_of(diff: &Value, path: &str) -> Vec<(String, String)> {
    let mut at = diff;
    for part in path.split('.') {
        match at.get(part) {
            Some(v) => at = v,
            None => return Vec::new(),
        }
    }
    at.get("renamed")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(|r| Some((r.get("from")?.as_str()?.to_string(), r.get("to")?.as_str()?.to_string()))).collect())
        .unwrap_or_default()
}

/// Columns pair within paired tables: by attribute number in one database (a column dropped
/// and added again is another column), else by name or by the diff's renames.
fn pair_columns(source: &Value, target: &Value, same_database: bool, renamed: &Value, p: &mut Pairing) {
    let to = entries(target, "columns");
    let by_attnum: HashMap<(&str, i64), &String> = to.iter().filter_map(|(k, v)| Some(((text(v, "tableKey"), v.get("attnum")?.as_i64()?), *k))).collect();
    let by_name: HashMap<(&str, &str), &String> = to.iter().map(|(k, v)| ((text(v, "tableKey"), text(v, "name")), *k)).collect();
    let renames: HashMap<String, String> = renamed_of(renamed, "columns").into_iter().collect();
    let mut taken: HashSet<String> = HashSet::new();
    for (k, v) in entries(source, "columns") {
        let Some(table) = p.target_of("tables", text(v, "tableKey")).cloned() else { continue };
        let found = if same_database {
            v.get("attnum").and_then(Value::as_i64).and_then(|a| by_attnum.get(&(table.as_str(), a))).map(|s| (*s).clone())
        } else {
            renames.get(k).cloned().or_else(|| by_name.get(&(table.as_str(), text(v, "name"))).map(|s| (*s).clone()))
        };
        let found = found.or_else(|| {
            // an entry without attribute numbers (formatVersion 1) pairs by name
            let no_attnum = v.get("attnum").is_none();
            no_attnum.then(|| by_name.get(&(table.as_str(), text(v, "name"))).map(|s| (*s).clone())).flatten()
        });
        if let Some(t) = found.filter(|t| !taken.contains(t)) {
            taken.insert(t.clone());
            p.add("columns", k, &t);
        }
    }
}

/// Fields that name an entry or only identify it: a rename is said by its own statement.
const NAMING: &[&str] = &["key", "name", "schema", "table", "constraintKey", "indexKey", "position", "oid", "attnum"];

/// The renames of a pairing as names to replace in text: schemas, objects by (schema,
/// name), and per table its columns' names.
#[derive(Debug, Default, Clone)]
pub struct NameMaps {
    pub global: Renames,
    /// Table key (source) -> its columns' renames.
    pub columns: HashMap<String, HashMap<String, String>>,
    /// Source key -> target key, for every renamed entry.
    pub keys: HashMap<String, String>,
}

pub fn name_maps(source: &Value, target: &Value, p: &Pairing) -> NameMaps {
    let mut m = NameMaps::default();
    for path in SECTIONS {
        for (from, to) in p.renamed(path) {
            m.keys.insert(from.clone(), to.clone());
            let (Some(a), Some(b)) = (section(source, path).and_then(|s| s.get(&from)), section(target, path).and_then(|s| s.get(&to))) else { continue };
            match *path {
                "schemas" => {
                    m.global.schemas.insert(text(a, "name").to_string(), text(b, "name").to_string());
                }
                "columns" => {
                    m.columns.entry(text(a, "tableKey").to_string()).or_default().insert(text(a, "name").to_string(), text(b, "name").to_string());
                }
                _ if a.get("schema").is_some() && a.get("name").is_some() && a.get("tableKey").is_none() => {
                    m.global.objects.insert((text(a, "schema").to_string(), text(a, "name").to_string()), (text(b, "schema").to_string(), text(b, "name").to_string()));
                }
                _ => {}
            }
        }
    }
    m
}

/// The fields (outside `NAMING`) in which a source entry differs from its target pair once
/// the renames are applied to it: empty when the rename is all that changed.
pub fn changed_fields(section_path: &str, a: &Value, b: &Value, maps: &NameMaps, kw: &Keywords) -> Vec<String> {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else { return vec!["*".into()] };
    // the same entry, field for field but the volatile ones: nothing changed (most entries)
    let volatile = |k: &String| crate::signature::VOLATILE_FIELDS.contains(&k.as_str());
    if a.len() == b.len() && a.iter().all(|(k, v)| volatile(k) || b.get(k) == Some(v)) {
        return Vec::new();
    }
    let mut renames = maps.global.clone();
    let table = a.get("tableKey").or_else(|| a.get("childKey")).and_then(Value::as_str).unwrap_or("");
    if let Some(cols) = maps.columns.get(table) {
        renames.bare.extend(cols.iter().map(|(x, y)| (x.clone(), y.clone())));
    }
    // a trigger's or rule's definition names it first: that name is the rename's own
    let own = |v: &Map<String, Value>| quote_ident(v.get("name").and_then(Value::as_str).unwrap_or(""), kw);
    let (own_a, own_b) = (own(a), own(b));
    let own_names = matches!(section_path, "triggers" | "rules");
    let without_own = |v: &Map<String, Value>, name: &str| -> Map<String, Value> {
        let mut v = v.clone();
        if let Some(Value::String(d)) = v.get_mut("definition") {
            *d = d.replacen(name, "\u{1}", 1);
        }
        v
    };
    let (a_own, b_own);
    let (a, b) = if own_names {
        a_own = without_own(a, &own_a);
        b_own = without_own(b, &own_b);
        (&a_own, &b_own)
    } else {
        (a, b)
    };
    let parent_cols = a.get("parentKey").and_then(Value::as_str).and_then(|k| maps.columns.get(k));
    let mut fields: Vec<&String> = a.keys().chain(b.keys()).filter(|k| !NAMING.contains(&k.as_str()) && !crate::signature::VOLATILE_FIELDS.contains(&k.as_str())).collect();
    fields.sort();
    fields.dedup();
    // an index's definition repeats its name, table and columns, which its other fields say
    let skip_definition = section_path == "indexes";
    fields
        .into_iter()
        .filter(|f| !(skip_definition && f.as_str() == "definition"))
        .filter(|f| {
            // equal as they stand: no rename can make them differ (the common case, cheap)
            if same(a.get(*f), b.get(*f)) {
                return false;
            }
            let cols = if f.as_str() == "parentCols" { parent_cols } else { maps.columns.get(table) };
            let mapped = a.get(*f).map(|v| map_value(v, &renames, cols, maps, kw));
            !same(mapped.as_ref(), b.get(*f))
        })
        .map(|f| f.to_string())
        .collect()
}

/// Absent, null, false and an empty list are one value (optional fields are left out); an
/// empty object is not absent (privileges all revoked are not the default ones).
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    let empty = |v: Option<&Value>| match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => true,
        Some(Value::Array(x)) => x.is_empty(),
        _ => false,
    };
    match (a, b) {
        (Some(x), Some(y)) => x == y || (empty(a) && empty(b)),
        _ => empty(a) && empty(b),
    }
}

fn map_value(v: &Value, renames: &Renames, cols: Option<&HashMap<String, String>>, maps: &NameMaps, kw: &Keywords) -> Value {
    match v {
        Value::String(s) => {
            if let Some(k) = maps.keys.get(s) {
                return Value::String(k.clone());
            }
            if let Some(c) = cols.and_then(|c| c.get(s)) {
                return Value::String(c.clone());
            }
            Value::String(rename_in(s, renames, kw))
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| map_value(i, renames, cols, maps, kw)).collect()),
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, x) in o {
                let key = maps.keys.get(k).cloned().unwrap_or_else(|| k.clone());
                out.insert(key, map_value(x, renames, cols, maps, kw));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}
