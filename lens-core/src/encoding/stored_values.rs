//! Long strings in stored history (a 150 MB comment, a long view body) are kept apart, once
//! per distinct value, and referred to by their hash: a diff holding such a value twice
//! (before and after) can never outgrow what one jsonb holds, and later statements never
//! re-read it. Only history's own tables hold references; what a function returns has the
//! values back in place.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};

/// Strings longer than this (in bytes) are stored apart.
pub const THRESHOLD: usize = 4096;
/// The member naming a value stored apart: `{"$lensValue": "<sha256 hex>", "length": n}`.
pub const REFERENCE: &str = "$lensValue";

/// Replaces every string longer than `THRESHOLD` in `value` by a reference, and adds the
/// values taken out to `out` (hash, value).
pub fn externalize(value: &mut Value, out: &mut HashMap<String, String>) {
    match value {
        Value::String(s) if s.len() > THRESHOLD => {
            let hash = crate::signature::hex(&Sha256::digest(s.as_bytes()));
            let length = s.len();
            out.entry(hash.clone()).or_insert_with(|| std::mem::take(s));
            *value = json!({ REFERENCE: hash, "length": length });
        }
        Value::Array(items) => items.iter_mut().for_each(|v| externalize(v, out)),
        Value::Object(members) => members.values_mut().for_each(|v| externalize(v, out)),
        _ => {}
    }
}

/// The hash a value stored apart is referred to by, when `value` is such a reference.
fn reference(members: &Map<String, Value>) -> Option<&str> {
    if members.len() == 2 && members.contains_key("length") {
        members.get(REFERENCE)?.as_str()
    } else {
        None
    }
}

/// Adds the hashes `value` refers to.
pub fn references(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        Value::Object(members) => match reference(members) {
            Some(hash) => {
                out.insert(hash.to_string());
            }
            None => members.values().for_each(|v| references(v, out)),
        },
        _ => {}
    }
}

/// Puts the values back in place of their references; Err names a hash `values` lacks.
pub fn resolve(value: &mut Value, values: &HashMap<String, String>) -> Result<(), String> {
    match value {
        Value::Array(items) => items.iter_mut().try_for_each(|v| resolve(v, values)),
        Value::Object(members) => match reference(members).map(str::to_string) {
            Some(hash) => match values.get(&hash) {
                Some(text) => {
                    *value = Value::String(text.clone());
                    Ok(())
                }
                None => Err(hash),
            },
            None => members.values_mut().try_for_each(|v| resolve(v, values)),
        },
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_strings_go_apart_once_and_come_back() {
        let long = "x".repeat(THRESHOLD + 1);
        let mut v = json!({"comment": long, "changes": {"comment": {"before": long, "after": "short"}}, "list": [long]});
        let original = v.clone();
        let mut apart = HashMap::new();
        externalize(&mut v, &mut apart);
        assert_eq!(apart.len(), 1, "one distinct value, stored once");
        assert!(v.to_string().len() < 400, "{v}");
        let mut refs = BTreeSet::new();
        references(&v, &mut refs);
        assert_eq!(refs.len(), 1);
        resolve(&mut v, &apart).unwrap();
        assert_eq!(v, original);
        // short strings and a look-alike object stay as they are
        let mut plain = json!({"a": "short", "b": {"$lensValue": "x"}});
        externalize(&mut plain, &mut apart);
        assert_eq!(plain, json!({"a": "short", "b": {"$lensValue": "x"}}));
        let mut missing = json!({"c": {"$lensValue": "00", "length": 5}});
        assert_eq!(resolve(&mut missing, &HashMap::new()), Err("00".to_string()));
    }
}
