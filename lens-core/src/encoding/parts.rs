//! Comparing what a team means to keep equal: parts of a snapshot left out before a
//! signature or a diff (`leave_out`), and two snapshots of different format versions
//! compared on what both can hold (`align_formats`).
//!
//! Production and staging differ in role names, owners, tablespaces and often grants; a CI
//! gate between them passes `ignore => ARRAY['owners', 'privileges']` and compares the rest.

use crate::sections::{section_mut, section_since, SECTIONS};
use crate::snapshot_io::InputError;
use serde_json::Value;

/// A part of every snapshot that can be left out, by the name users pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `owner` of every entry (and the owner's own row of its privileges, which then reads
    /// `(owner)`: what the owner may do is compared, not who it is).
    Owners,
    /// `privileges` of every entry, and the `defaultPrivileges` section.
    Privileges,
    /// `comment` of every entry.
    Comments,
    /// `tablespace` of tables and indexes.
    Tablespaces,
    /// Storage options: `options` of tables, views and columns.
    Options,
    /// The partitions of partitioned tables, with all they hold (keep the parents).
    Partitions,
}

pub const PART_NAMES: &[(&str, Part)] = &[
    ("owners", Part::Owners),
    ("privileges", Part::Privileges),
    ("comments", Part::Comments),
    ("tablespaces", Part::Tablespaces),
    ("options", Part::Options),
    ("partitions", Part::Partitions),
];

/// The parts named by `names` (an `ignore` argument); an unknown name is an error that lists
/// the known ones.
pub fn parse_parts(names: &[String]) -> Result<Vec<Part>, InputError> {
    let mut out = Vec::new();
    for name in names {
        match PART_NAMES.iter().find(|(n, _)| n == name) {
            Some((_, part)) if !out.contains(part) => out.push(*part),
            Some(_) => {}
            None => {
                let known: Vec<&str> = PART_NAMES.iter().map(|(n, _)| *n).collect();
                return Err(InputError {
                    message: format!("ignore: \"{name}\" is not a part of a snapshot that can be left out"),
                    hint: format!("Pass some of: {}.", known.join(", ")),
                });
            }
        }
    }
    Ok(out)
}

/// What the owner's own privileges are filed under once owners are left out.
pub const OWNER_GRANTEE: &str = "(owner)";

/// Leaves `parts` out of a snapshot given as JSON (entries, not meta).
pub fn leave_out(snapshot: &mut Value, parts: &[Part]) {
    if parts.contains(&Part::Partitions) {
        leave_out_partitions(snapshot);
    }
    if parts.contains(&Part::Privileges) {
        if let Some(section) = section_mut(snapshot, "defaultPrivileges") {
            section.clear();
        }
    }
    let mut fields: Vec<&str> = Vec::new();
    for (part, field) in [(Part::Privileges, "privileges"), (Part::Comments, "comment"), (Part::Tablespaces, "tablespace"), (Part::Options, "options")] {
        if parts.contains(&part) {
            fields.push(field);
        }
    }
    let owners = parts.contains(&Part::Owners);
    for path in SECTIONS {
        let Some(entries) = section_mut(snapshot, path) else { continue };
        for entry in entries.values_mut() {
            let Some(entry) = entry.as_object_mut() else { continue };
            for field in &fields {
                entry.remove(*field);
            }
            if owners {
                if let Some(Value::String(owner)) = entry.remove("owner") {
                    if let Some(Value::Object(privileges)) = entry.get_mut("privileges") {
                        if let Some(own) = privileges.remove(&owner) {
                            privileges.insert(OWNER_GRANTEE.to_string(), own);
                        }
                    }
                }
            }
        }
    }
}

/// Drops every table that is a partition, and everything that belongs to one.
fn leave_out_partitions(snapshot: &mut Value) {
    let partitions: std::collections::HashSet<String> = snapshot
        .get("tables")
        .and_then(Value::as_object)
        .map(|t| t.iter().filter(|(_, v)| v.get("partitionOf").is_some()).map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    if partitions.is_empty() {
        return;
    }
    let owned_by_partition = |key: &str, entry: &Value| {
        partitions.contains(key)
            || ["tableKey", "childKey"].iter().any(|f| entry.get(*f).and_then(Value::as_str).is_some_and(|t| partitions.contains(t)))
    };
    for path in SECTIONS {
        if let Some(entries) = section_mut(snapshot, path) {
            entries.retain(|key, entry| !owned_by_partition(key, entry));
        }
    }
}

/// The fields each formatVersion added to entries that were there before (its new sections
/// say themselves when they came: `sections::section_since`).
const FIELDS_SINCE: &[(i64, &str, &[&str])] = &[
    (3, "tables", &["owner", "privileges", "options", "tablespace", "accessMethod", "replicaIdentity"]),
    (3, "columns", &["privileges", "storage", "compression", "statisticsTarget", "options"]),
    (3, "indexes", &["isReplicaIdentity"]),
    (3, "enums", &["owner", "privileges"]),
    (3, "domains", &["owner", "privileges"]),
    (3, "sequences", &["owner", "privileges"]),
];

pub fn format_version(snapshot: &Value) -> i64 {
    snapshot.get("meta").and_then(|m| m.get("formatVersion")).and_then(Value::as_i64).unwrap_or(1)
}

/// Reduces a snapshot to what a snapshot of formatVersion `version` can hold: the sections
/// and fields that came later are left out. Comparing an old snapshot with a new one on
/// the old one's terms tells what changed, not what the old format could not see.
pub fn as_format(snapshot: &mut Value, version: i64) {
    for path in SECTIONS.iter().filter(|s| section_since(s) > version) {
        if let Some(entries) = section_mut(snapshot, path) {
            entries.clear();
        }
    }
    for (since, path, fields) in FIELDS_SINCE {
        if *since <= version {
            continue;
        }
        let Some(entries) = section_mut(snapshot, path) else { continue };
        for entry in entries.values_mut().filter_map(Value::as_object_mut) {
            for field in *fields {
                entry.remove(*field);
            }
        }
    }
}

/// formatVersion 1 gave a column its attribute number as position, gaps of dropped columns
/// included; renumbered from 1 in each table (what later formats write), a kept old
/// snapshot compares with today's without false moves. Other formats are left as they are.
pub fn count_positions_from_one(snapshot: &mut Value) {
    if format_version(snapshot) >= 2 {
        return;
    }
    let Some(columns) = snapshot.get_mut("columns").and_then(Value::as_object_mut) else { return };
    let mut by_table: std::collections::HashMap<String, Vec<(i64, String)>> = std::collections::HashMap::new();
    for (key, c) in columns.iter() {
        let table = c.get("tableKey").and_then(Value::as_str).unwrap_or_default().to_string();
        by_table.entry(table).or_default().push((c.get("position").and_then(Value::as_i64).unwrap_or(0), key.clone()));
    }
    for mut list in by_table.into_values() {
        list.sort();
        for (n, (_, key)) in list.into_iter().enumerate() {
            if let Some(c) = columns.get_mut(&key).and_then(Value::as_object_mut) {
                c.insert("position".into(), Value::from(n as i64 + 1));
            }
        }
    }
}

/// Both snapshots on the terms of the older format, when their formats differ.
pub fn align_formats(a: &mut Value, b: &mut Value) {
    count_positions_from_one(a);
    count_positions_from_one(b);
    let (va, vb) = (format_version(a), format_version(b));
    if va != vb {
        let oldest = va.min(vb);
        as_format(a, oldest);
        as_format(b, oldest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        json!({
            "meta": {"formatVersion": 3},
            "tables": {
                "public.t": {"key": "public.t", "owner": "prod_owner", "comment": "c", "options": ["fillfactor=70"],
                             "privileges": {"prod_owner": ["SELECT"], "reader": ["SELECT"]}},
                "public.m": {"key": "public.m", "partitionKey": "RANGE (at)"},
                "public.m1": {"key": "public.m1", "partitionOf": "public.m"}
            },
            "columns": {"public.m1.at": {"key": "public.m1.at", "tableKey": "public.m1"},
                        "public.t.a": {"key": "public.t.a", "tableKey": "public.t", "privileges": {"reader": ["SELECT"]}}},
            "defaultPrivileges": {"x ON TABLES": {"key": "x ON TABLES"}},
            "functions": {"public.f()": {"key": "public.f()", "owner": "prod_owner"}}
        })
    }

    #[test]
    fn owners_out_keeps_what_the_owner_may_do() {
        let mut a = sample();
        leave_out(&mut a, &[Part::Owners]);
        assert_eq!(a["tables"]["public.t"].get("owner"), None);
        assert_eq!(a["tables"]["public.t"]["privileges"], json!({"(owner)": ["SELECT"], "reader": ["SELECT"]}));
        assert_eq!(a["functions"]["public.f()"].get("owner"), None);
        // the same schema owned by another role is then the same
        let mut b = sample();
        let text = b.to_string().replace("prod_owner", "staging_owner");
        b = serde_json::from_str(&text).unwrap();
        leave_out(&mut b, &[Part::Owners]);
        assert_eq!(a, b);
    }

    #[test]
    fn each_part_leaves_out_its_own_fields_only() {
        let mut a = sample();
        leave_out(&mut a, &[Part::Privileges, Part::Comments, Part::Options]);
        let t = &a["tables"]["public.t"];
        assert_eq!((t.get("privileges"), t.get("comment"), t.get("options")), (None, None, None));
        assert_eq!(t["owner"], "prod_owner");
        assert_eq!(a["columns"]["public.t.a"].get("privileges"), None);
        assert!(a["defaultPrivileges"].as_object().unwrap().is_empty());
        let mut p = sample();
        leave_out(&mut p, &[Part::Partitions]);
        assert!(p["tables"].get("public.m1").is_none() && p["columns"].get("public.m1.at").is_none());
        assert!(p["tables"].get("public.m").is_some() && p["columns"].get("public.t.a").is_some());
    }

    #[test]
    fn unknown_parts_are_refused_with_the_known_ones() {
        assert_eq!(parse_parts(&["owners".into(), "owners".into()]).unwrap(), vec![Part::Owners]);
        let e = parse_parts(&["grants".into()]).unwrap_err();
        assert!(e.message.contains("grants") && e.hint.contains("privileges"), "{e}");
    }

    #[test]
    fn an_older_format_is_compared_on_its_own_terms() {
        let mut new = sample();
        let mut old = json!({"meta": {"formatVersion": 2}, "tables": {"public.t": {"key": "public.t", "comment": "c"}}});
        align_formats(&mut new, &mut old);
        assert!(new["functions"].as_object().unwrap().is_empty());
        assert_eq!(new["tables"]["public.t"], json!({"key": "public.t", "comment": "c"}));
        // same formats: nothing is touched
        let (mut a, mut b) = (sample(), sample());
        align_formats(&mut a, &mut b);
        assert_eq!(a, sample());
    }

    #[test]
    fn format_1_positions_count_from_one_when_compared() {
        // a dropped column left a gap in format 1's attribute numbers
        let column = |table: &str, position: i64| json!({"tableKey": table, "position": position});
        let mut old = json!({"meta": {"formatVersion": 1}, "columns": {
            "public.t.a": column("public.t", 1), "public.t.c": column("public.t", 3), "public.t.d": column("public.t", 4),
            "public.u.x": column("public.u", 2)}});
        let mut new = json!({"meta": {"formatVersion": 3}, "columns": {
            "public.t.a": column("public.t", 1), "public.t.c": column("public.t", 2), "public.t.d": column("public.t", 3),
            "public.u.x": column("public.u", 1)}});
        align_formats(&mut old, &mut new);
        assert_eq!(old["columns"], new["columns"]);
        // a format that already counts from one keeps its numbers, gaps included
        let mut two = json!({"meta": {"formatVersion": 2}, "columns": {"public.t.c": column("public.t", 3)}});
        count_positions_from_one(&mut two);
        assert_eq!(two["columns"]["public.t.c"]["position"], 3);
    }
}
