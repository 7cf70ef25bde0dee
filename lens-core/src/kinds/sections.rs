//! The sections of a snapshot that hold entries (maps from key to object), by one name each.
//! The signature, the diff and capture all walk the snapshot through this list, so a new
//! section is added here once.

use crate::model::Snapshot;
use crate::signature::Entries;
use serde_json::{Map, Value};

/// Declares the entry sections once: their paths into the snapshot object
/// (`constraints.pks` is `snapshot.constraints.pks`) and the model field each one is.
macro_rules! sections {
    ($($path:literal => $($field:ident).+),* $(,)?) => {
        /// Every entry section, as a path into the snapshot object.
        pub const SECTIONS: &[&str] = &[$($path),*];

        /// Calls `f` with each section of a model snapshot, in `SECTIONS` order.
        pub fn for_each_section(snap: &Snapshot, f: &mut dyn FnMut(&'static str, &dyn Entries)) {
            $( f($path, &snap.$($field).+); )*
        }

        /// How many entries a model snapshot holds.
        pub fn entry_count(snap: &Snapshot) -> usize {
            0 $( + snap.$($field).+.len() )*
        }
    };
}

sections! {
    "tables" => tables,
    "columns" => columns,
    "constraints.pks" => constraints.pks,
    "constraints.uniques" => constraints.uniques,
    "constraints.checks" => constraints.checks,
    "constraints.exclusions" => constraints.exclusions,
    "relationships" => relationships,
    "indexes" => indexes,
    "views" => views,
    "enums" => enums,
    "domains" => domains,
    "sequences" => sequences,
    "triggers" => triggers,
    "policies" => policies,
}

/// The section `path` of a snapshot as JSON, if present.
pub fn section<'a>(snapshot: &'a Value, path: &str) -> Option<&'a Map<String, Value>> {
    let mut at = snapshot;
    for part in path.split('.') {
        at = at.get(part)?;
    }
    at.as_object()
}

/// The section `path` of a snapshot as JSON, created empty when missing.
pub fn section_mut<'a>(snapshot: &'a mut Value, path: &str) -> Option<&'a mut Map<String, Value>> {
    let mut at = snapshot;
    for part in path.split('.') {
        let object = at.as_object_mut()?;
        at = object.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
    at.as_object_mut()
}
