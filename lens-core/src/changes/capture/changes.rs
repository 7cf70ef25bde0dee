//! What one statement did to the captured state, entry by entry, and how a transaction's
//! statements are laid onto the state as it is when the transaction commits.
//!
//! A statement's changes are worked out while it runs, against the state its transaction
//! sees (the committed state, plus what its own earlier statements did). Another
//! transaction may commit changes to other entries of the same groups in between (two
//! sessions creating indexes on one table hold compatible locks), so at commit each change
//! is checked against the committed entry: when that entry is no longer what the statement
//! saw, the state cannot be trusted any more and the caller asks for a resync.

use super::StateEntry;
use crate::signature::HashSum;
use std::collections::{BTreeMap, HashMap};

/// An entry's identity in the captured state: its hash (the signature's view of it), the
/// group it is stored with and its own oid. Two entries with equal fingerprints are the
/// same as far as history is concerned (row estimates and sizes aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub hash: [u8; 32],
    pub owner: u32,
    pub oid: Option<u32>,
}

/// One entry a statement changed: what it was (None: absent) and what it is now (None: gone).
/// The entry itself is in the group its statement left (the overlay), not repeated here.
#[derive(Debug, Clone)]
pub struct Change {
    pub section: &'static str,
    pub key: String,
    pub before: Option<Fingerprint>,
    pub after: Option<Fingerprint>,
}

/// The changes from `old` to `new`, the entries of the same groups before and after a
/// statement. An entry that differs only in volatile fields is not a change.
pub fn changes(old: &[StateEntry], new: &[StateEntry]) -> Vec<Change> {
    let before: HashMap<(&str, &str), &StateEntry> = old.iter().map(|e| ((e.section, e.key.as_str()), e)).collect();
    let after: HashMap<(&str, &str), &StateEntry> = new.iter().map(|e| ((e.section, e.key.as_str()), e)).collect();
    let mut out = Vec::new();
    for e in new {
        let was = before.get(&(e.section, e.key.as_str())).map(|b| b.fingerprint());
        if was != Some(e.fingerprint()) {
            out.push(Change { section: e.section, key: e.key.clone(), before: was, after: Some(e.fingerprint()) });
        }
    }
    for e in old {
        if !after.contains_key(&(e.section, e.key.as_str())) {
            out.push(Change { section: e.section, key: e.key.clone(), before: Some(e.fingerprint()), after: None });
        }
    }
    out.sort_by(|a, b| (a.section, &a.key).cmp(&(b.section, &b.key)));
    out
}

/// A transaction's statements laid onto the committed state.
#[derive(Debug, Default)]
pub struct Rebased {
    /// The signature before and after each statement, in order.
    pub signatures: Vec<(String, String)>,
    /// Changes whose entry someone else changed meanwhile (the state needs a resync).
    pub conflicts: usize,
    /// The sum of the state after the last statement.
    pub sum: HashSum,
    /// What each changed entry is at the end (None: removed), by section and key.
    pub net: BTreeMap<(&'static str, String), Option<Fingerprint>>,
}

/// Lays `statements` (each a list of changes) onto the committed state: `head` is its sum,
/// `committed` the fingerprints of the entries the changes touch (absent: not stored).
pub fn rebase(head: HashSum, committed: &HashMap<(&'static str, String), Fingerprint>, statements: &[&[Change]]) -> Rebased {
    let mut current: HashMap<(&'static str, &str), Option<Fingerprint>> = HashMap::new();
    let mut out = Rebased { sum: head, ..Default::default() };
    for changes in statements {
        let before = out.sum.signature();
        for change in *changes {
            let slot = current
                .entry((change.section, change.key.as_str()))
                .or_insert_with(|| committed.get(&(change.section, change.key.clone())).copied());
            let after = change.after;
            // Someone else's change to this very entry: unless it already is what we made
            // it, our picture of it is stale.
            if *slot != change.before && *slot != after {
                out.conflicts += 1;
            }
            if let Some(was) = slot {
                out.sum.sub(&was.hash);
            }
            if let Some(now) = &after {
                out.sum.add(&now.hash);
            }
            *slot = after;
            out.net.insert((change.section, change.key.clone()), change.after);
        }
        out.signatures.push((before, out.sum.signature()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(key: &str, owner: u32, hash: u8) -> StateEntry {
        StateEntry { section: "indexes", key: key.into(), owner, oid: Some(owner + hash as u32), entry: json!({"key": key}), hash: [hash; 32] }
    }

    fn sum_of(entries: &[&StateEntry]) -> HashSum {
        let mut sum = HashSum::default();
        entries.iter().for_each(|e| sum.add(&e.hash));
        sum
    }

    #[test]
    fn changes_list_what_was_added_removed_and_altered_only() {
        let a = entry("public.i1", 10, 1);
        let b = entry("public.i2", 10, 2);
        let mut b_volatile = b.clone();
        b_volatile.entry = json!({"key": "public.i2", "rowEstimate": 9});
        let c = entry("public.i3", 10, 3);
        let mut a_new = a.clone();
        a_new.hash = [7; 32];
        let list = changes(&[a.clone(), b.clone()], &[a_new.clone(), b_volatile, c.clone()]);
        let keys: Vec<(&str, bool, bool)> = list.iter().map(|c| (c.key.as_str(), c.before.is_some(), c.after.is_some())).collect();
        assert_eq!(keys, vec![("public.i1", true, true), ("public.i3", false, true)]);
        let gone = changes(&[a.clone()], &[]);
        assert!(gone[0].after.is_none() && gone[0].before == Some(a.fingerprint()));
    }

    #[test]
    fn two_transactions_adding_indexes_to_one_table_both_land() {
        // Both read the table with one index; each adds its own.
        let t = entry("public.t_pkey", 10, 1);
        let mine = entry("public.mine", 10, 2);
        let theirs = entry("public.theirs", 10, 3);
        let my_changes = changes(&[t.clone()], &[t.clone(), mine.clone()]);
        // Theirs committed first: the committed state holds it.
        let committed: HashMap<_, _> = [(("indexes", "public.t_pkey".to_string()), t.fingerprint()), (("indexes", "public.theirs".to_string()), theirs.fingerprint())]
            .into_iter()
            .collect();
        let head = sum_of(&[&t, &theirs]);
        let rebased = rebase(head, &committed, &[&my_changes]);
        assert_eq!(rebased.conflicts, 0);
        assert_eq!(rebased.sum, sum_of(&[&t, &theirs, &mine]));
        assert_eq!(rebased.signatures, vec![(head.signature(), rebased.sum.signature())]);
    }

    #[test]
    fn a_stale_entry_is_a_conflict_and_the_sum_stays_the_states() {
        let old = entry("public.i", 10, 1);
        let mut mine = old.clone();
        mine.hash = [2; 32];
        let mut theirs = old.clone();
        theirs.hash = [3; 32];
        let my_changes = changes(&[old.clone()], &[mine.clone()]);
        let committed: HashMap<_, _> = [(("indexes", "public.i".to_string()), theirs.fingerprint())].into_iter().collect();
        let rebased = rebase(sum_of(&[&theirs]), &committed, &[&my_changes]);
        assert_eq!(rebased.conflicts, 1);
        // the sum is that of what the state will hold: ours replaced theirs
        assert_eq!(rebased.sum, sum_of(&[&mine]));
        // the same result reached twice is no conflict
        let committed: HashMap<_, _> = [(("indexes", "public.i".to_string()), mine.fingerprint())].into_iter().collect();
        assert_eq!(rebase(sum_of(&[&mine]), &committed, &[&my_changes]).conflicts, 0);
    }

    #[test]
    fn statements_of_one_transaction_chain() {
        let a = entry("public.a", 10, 1);
        let mut a2 = a.clone();
        a2.hash = [5; 32];
        let first = changes(&[], &[a.clone()]);
        let second = changes(&[a.clone()], &[a2.clone()]);
        let rebased = rebase(HashSum::default(), &HashMap::new(), &[&first, &second]);
        assert_eq!(rebased.conflicts, 0);
        assert_eq!(rebased.signatures[0].1, rebased.signatures[1].0);
        assert_eq!(rebased.sum, sum_of(&[&a2]));
        assert_eq!(rebased.net.len(), 1);
    }
}
