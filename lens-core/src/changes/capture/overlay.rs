//! A transaction's own picture of the groups its statements re-read: what a later statement
//! of the same transaction is compared with, instead of the committed state, until the
//! transaction commits and the state takes it over.

use super::StateEntry;
use std::collections::{BTreeSet, HashMap};

/// The sections whose entry stands for its whole group.

#[derive(Debug, Default)]
pub struct Overlay {
    groups: HashMap<u32, Vec<StateEntry>>,
    /// entry oid -> the group holding it
    by_oid: HashMap<u32, u32>,
    /// a parent table's key -> the groups of the tables stored as its partitions
    partitions: HashMap<String, BTreeSet<u32>>,
}

impl Overlay {
    /// The entries of `owner` as this transaction left them; None when it did not touch it.
    pub fn group(&self, owner: u32) -> Option<&[StateEntry]> {
        self.groups.get(&owner).map(Vec::as_slice)
    }

    pub fn contains(&self, owner: u32) -> bool {
        self.groups.contains_key(&owner)
    }

    /// Every entry of every group it holds.
    pub fn entries(&self) -> impl Iterator<Item = &StateEntry> {
        self.groups.values().flatten()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Replaces the entries of `owner` (an empty list: the group is gone); returns what it
    /// held (None: the transaction had not touched it).
    pub fn set(&mut self, owner: u32, entries: Vec<StateEntry>) -> Option<Vec<StateEntry>> {
        let old = self.forget(owner);
        for e in &entries {
            if let Some(oid) = e.oid {
                self.by_oid.insert(oid, owner);
            }
            if let Some(parent) = partition_parent(e) {
                self.partitions.entry(parent.to_string()).or_default().insert(owner);
            }
        }
        self.groups.insert(owner, entries);
        old
    }

    /// Puts a group back as it was before `set` (None: untouched by the transaction).
    pub fn restore(&mut self, owner: u32, previous: Option<Vec<StateEntry>>) {
        match previous {
            Some(entries) => {
                self.set(owner, entries);
            }
            None => {
                self.forget(owner);
            }
        }
    }

    fn forget(&mut self, owner: u32) -> Option<Vec<StateEntry>> {
        let old = self.groups.remove(&owner)?;
        for e in &old {
            if let Some(oid) = e.oid {
                if self.by_oid.get(&oid) == Some(&owner) {
                    self.by_oid.remove(&oid);
                }
            }
            if let Some(parent) = partition_parent(e) {
                if let Some(children) = self.partitions.get_mut(parent) {
                    children.remove(&owner);
                }
            }
        }
        Some(old)
    }

    /// The entry the transaction left under this section and key, in group `owner`.
    pub fn entry(&self, owner: u32, section: &str, key: &str) -> Option<&StateEntry> {
        self.groups.get(&owner)?.iter().find(|e| e.section == section && e.key == key)
    }

    /// The groups holding entries with these oids, with the section of each group's own
    /// entry ("" when the group has none: it was dropped).
    pub fn owners_of(&self, oids: &[u32]) -> Vec<(u32, String)> {
        let owners: BTreeSet<u32> = oids.iter().filter_map(|oid| self.by_oid.get(oid).copied()).collect();
        owners.into_iter().map(|owner| (owner, self.group_section(owner))).collect()
    }

    /// The groups of tables this transaction left as partitions of the tables `parents`.
    /// The groups this transaction holds entries of `section` in.
    pub fn owners_in(&self, section: &str) -> Vec<u32> {
        self.groups.iter().filter(|(_, entries)| entries.iter().any(|e| e.section == section)).map(|(o, _)| *o).collect()
    }

    pub fn partitions_of<'a>(&self, parents: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
        parents.into_iter().filter_map(|p| self.partitions.get(p)).flatten().copied().collect()
    }

    /// The key of the group's own table entry, if it is a table.
    pub fn table_key(&self, owner: u32) -> Option<&str> {
        self.groups.get(&owner)?.iter().find(|e| e.section == "tables" && e.oid == Some(owner)).map(|e| e.key.as_str())
    }

    fn group_section(&self, owner: u32) -> String {
        self.groups
            .get(&owner)
            .and_then(|entries| entries.iter().find(|e| e.oid == Some(owner) && crate::sections::group_heads().any(|s| s == e.section)))
            .map(|e| e.section.to_string())
            .unwrap_or_default()
    }
}

fn partition_parent(e: &StateEntry) -> Option<&str> {
    (e.section == "tables").then(|| e.entry.get("partitionOf").and_then(|p| p.as_str())).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(key: &str, oid: u32, parent: Option<&str>) -> StateEntry {
        let mut entry = json!({"key": key, "oid": oid});
        if let Some(p) = parent {
            entry["partitionOf"] = json!(p);
        }
        StateEntry { section: "tables", key: key.into(), owner: oid, oid: Some(oid), entry, hash: [0; 32] }
    }

    #[test]
    fn finds_groups_by_oid_and_partitions_by_parent_and_forgets_replaced_entries() {
        let mut o = Overlay::default();
        let mut index = table("public.i", 11, None);
        index.section = "indexes";
        index.owner = 10;
        o.set(10, vec![table("public.p", 10, None), index]);
        o.set(20, vec![table("public.c", 20, Some("public.p"))]);
        assert_eq!(o.owners_of(&[11]), vec![(10, "tables".to_string())]);
        assert_eq!(o.partitions_of(["public.p"]), vec![20]);
        assert_eq!(o.table_key(10), Some("public.p"));
        // detached, then dropped
        let attached = o.set(20, vec![table("public.c", 20, None)]);
        assert!(o.partitions_of(["public.p"]).is_empty());
        o.set(20, vec![]);
        assert_eq!(o.owners_of(&[20]), vec![]);
        assert!(o.contains(20) && o.group(20).unwrap().is_empty());
        // a savepoint rolled back: as it was
        o.restore(20, attached);
        assert_eq!(o.partitions_of(["public.p"]), vec![20]);
        o.restore(30, None);
        assert!(!o.contains(30));
        assert_eq!(o.entry(10, "indexes", "public.i").map(|e| e.owner), Some(10));
    }
}
