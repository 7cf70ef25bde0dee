//! The sections of a snapshot that hold entries (maps from key to object), by one name each.
//! The signature, the diff and capture all walk the snapshot through this list, so a new
//! section is added here once.

use crate::model::Snapshot;
use crate::signature::Entries;
use serde_json::{Map, Value};

/// Every entry section, as a path into the snapshot object (`constraints.pks` is
/// `snapshot.constraints.pks`).
pub const SECTIONS: &[&str] = &[
    "tables",
    "columns",
    "constraints.pks",
    "constraints.uniques",
    "constraints.checks",
    "constraints.exclusions",
    "relationships",
    "indexes",
    "views",
    "enums",
    "domains",
    "sequences",
    "triggers",
    "policies",
];

/// Calls `f` with each section of a model snapshot, in `SECTIONS` order.
pub fn for_each_section(snap: &Snapshot, f: &mut dyn FnMut(&'static str, &dyn Entries)) {
    f("tables", &snap.tables);
    f("columns", &snap.columns);
    f("constraints.pks", &snap.constraints.pks);
    f("constraints.uniques", &snap.constraints.uniques);
    f("constraints.checks", &snap.constraints.checks);
    f("constraints.exclusions", &snap.constraints.exclusions);
    f("relationships", &snap.relationships);
    f("indexes", &snap.indexes);
    f("views", &snap.views);
    f("enums", &snap.enums);
    f("domains", &snap.domains);
    f("sequences", &snap.sequences);
    f("triggers", &snap.triggers);
    f("policies", &snap.policies);
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
