//! The sections of a snapshot that hold entries (maps from key to object), by one name each.
//! The signature, the diff and capture all walk the snapshot through this list, so a new
//! section is added here once.

use crate::model::Snapshot;
use crate::signature::Entries;
use serde_json::{Map, Value};

/// Declares the entry sections once: their paths into the snapshot object
/// (`constraints.pks` is `snapshot.constraints.pks`) and the model field each one is.
macro_rules! sections {
    ($($path:literal => $($field:ident).+ in $group:ident since $since:literal),* $(,)?) => {
        /// Every entry section, as a path into the snapshot object.
        pub const SECTIONS: &[&str] = &[$($path),*];

        /// The formatVersion that brought `section` (a snapshot of an older one has none).
        pub fn section_since(section: &str) -> i64 {
            match section {
                $($path => $since,)*
                _ => 1,
            }
        }

        /// The group (see `crate::capture`) an entry of `section` is stored and re-read with.
        pub fn group_of(section: &str) -> Group {
            match section {
                $($path => Group::$group,)*
                _ => Group::Table,
            }
        }

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

/// The sections whose entry is its group's own (its oid is the group's): a table, a
/// sequence, an object that stands alone. What a stored group is, is told by that entry.
pub fn group_heads() -> impl Iterator<Item = &'static str> {
    SECTIONS.iter().copied().filter(|s| *s == "tables" || matches!(group_of(s), Group::Sequence | Group::Own))
}

/// Which group an entry belongs to, for capture: everything about a table lives with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// The table itself (and its view body): its own oid.
    Table,
    /// A part of a table: the table its `tableKey` names.
    TablePart,
    /// An FK: the table that holds it (`childKey`).
    Child,
    /// A sequence: the table that owns it, else itself.
    Sequence,
    /// An object that stands alone (a type, a function, a schema...): its own oid.
    Own,
}

sections! {
    "tables" => tables in Table since 1,
    "columns" => columns in TablePart since 1,
    "constraints.pks" => constraints.pks in TablePart since 1,
    "constraints.uniques" => constraints.uniques in TablePart since 1,
    "constraints.checks" => constraints.checks in TablePart since 1,
    "constraints.exclusions" => constraints.exclusions in TablePart since 1,
    "relationships" => relationships in Child since 1,
    "indexes" => indexes in TablePart since 1,
    "views" => views in Table since 1,
    "enums" => enums in Own since 1,
    "domains" => domains in Own since 1,
    "sequences" => sequences in Sequence since 1,
    "triggers" => triggers in TablePart since 1,
    "policies" => policies in TablePart since 1,
    "functions" => functions in Own since 3,
    "schemas" => schemas in Own since 3,
    "extensions" => extensions in Own since 3,
    "defaultPrivileges" => default_privileges in Own since 3,
    "collations" => collations in Own since 3,
    "types" => types in Own since 3,
    "statistics" => statistics in TablePart since 3,
    "rules" => rules in TablePart since 3,
    "publications" => publications in Own since 3,
    "eventTriggers" => event_triggers in Own since 3,
    "casts" => casts in Own since 3,
    "foreignDataWrappers" => foreign_data_wrappers in Own since 3,
    "foreignServers" => foreign_servers in Own since 3,
    "operators" => operators in Own since 3,
    "operatorClasses" => operator_classes in Own since 3,
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
