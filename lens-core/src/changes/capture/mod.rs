//! Capture's view of a snapshot: entries one by one, each with the group ("owner") it is
//! stored and re-read with, and its hash for the incremental signature.
//!
//! Everything about a table (its columns, constraints, FKs it holds, indexes, triggers,
//! policies, view body, the sequences it owns) belongs to the table; a sequence nobody owns
//! and a type (enum, domain) stand alone. A DDL statement re-reads the groups it touched and
//! compares them with their stored entries.

mod changes;
mod overlay;

pub use changes::{changes, rebase, Change, Fingerprint, Rebased};
pub use overlay::Overlay;

use crate::model::Snapshot;
use crate::sections::{for_each_section, group_of, section_mut, Group};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct StateEntry {
    pub section: &'static str,
    pub key: String,
    pub owner: u32,
    pub oid: Option<u32>,
    pub entry: Value,
    pub hash: [u8; 32],
}

impl StateEntry {
    /// What the signature and capture's identity see of the entry.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint { hash: self.hash, owner: self.owner, oid: self.oid }
    }
}

/// The entries of `snap` with their owners. `sequence_owner` names the table that owns a
/// sequence (by the sequence's oid), if any.
pub fn state_entries(snap: &Snapshot, sequence_owner: &dyn Fn(u32) -> Option<u32>) -> Vec<StateEntry> {
    let table_oid = |key: &str| snap.tables.get(key).and_then(|t| t.oid).map(|o| o as u32);
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for_each_section(snap, &mut |section, entries| {
        entries.for_each_entry(&mut |key, entry| {
            let value = entry.to_json();
            let oid = value.get("oid").and_then(Value::as_i64).map(|o| o as u32);
            let owner = match group_of(section) {
                Group::Table => table_oid(key),
                Group::Child => value.get("childKey").and_then(Value::as_str).and_then(table_oid),
                Group::Sequence => oid.map(|o| sequence_owner(o).unwrap_or(o)),
                Group::Own => oid,
                Group::TablePart => value.get("tableKey").and_then(Value::as_str).and_then(table_oid),
            };
            // An entry whose table is outside the snapshot (cannot happen for a snapshot of
            // whole groups) has no group to live in.
            let Some(owner) = owner else { return };
            let hash = entry.hash_into(&mut buf, section, key);
            out.push(StateEntry { section, key: key.to_string(), owner, oid, entry: value, hash });
        });
    });
    out
}

/// A snapshot (as JSON) made of some entries: what `diff::diff` compares.
pub fn assemble<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str, &'a Value)>, database_id: &str) -> Value {
    let mut snapshot = Value::Object(Map::new());
    snapshot["meta"] = serde_json::json!({ "databaseId": database_id });
    for (section, key, entry) in entries {
        if let Some(map) = section_mut(&mut snapshot, section) {
            map.insert(key.to_string(), entry.clone());
        }
    }
    snapshot
}

/// Keeps `section` names as the static strings `sections::SECTIONS` holds.
pub fn section_name(name: &str) -> Option<&'static str> {
    crate::sections::SECTIONS.iter().copied().find(|s| *s == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    #[test]
    fn entries_go_to_their_table_and_hash_like_the_signature() {
        let mut snap = Snapshot::default();
        snap.tables.insert("public.t".into(), Table { oid: Some(10), key: "public.t".into(), ..Default::default() });
        snap.columns.insert("public.t.a".into(), Column { key: "public.t.a".into(), table_key: "public.t".into(), ..Default::default() });
        snap.sequences.insert("public.s".into(), Sequence { oid: Some(20), key: "public.s".into(), ..Default::default() });
        snap.sequences.insert("public.free".into(), Sequence { oid: Some(30), key: "public.free".into(), ..Default::default() });
        snap.enums.insert("public.e".into(), Enum { oid: Some(40), key: "public.e".into(), ..Default::default() });
        let entries = state_entries(&snap, &|seq| (seq == 20).then_some(10));
        let owners: Vec<(&str, u32)> = entries.iter().map(|e| (e.key.as_str(), e.owner)).collect();
        assert_eq!(owners, vec![("public.t", 10), ("public.t.a", 10), ("public.e", 40), ("public.free", 30), ("public.s", 10)]);
        let mut sum = crate::signature::HashSum::default();
        for e in &entries {
            sum.add(&e.hash);
        }
        assert_eq!(sum.signature(), crate::signature::signature(&snap));
        let mini = assemble(entries.iter().map(|e| (e.section, e.key.as_str(), &e.entry)), "db");
        assert_eq!(mini["tables"]["public.t"]["oid"], serde_json::json!(10));
        assert_eq!(mini["meta"]["databaseId"], serde_json::json!("db"));
    }
}
