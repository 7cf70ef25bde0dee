//! The snapshot written into jsonb in place: every container laid out once, at its final
//! position, values written straight behind the JEntries that describe them.
//!
//! `jsonb::to_jsonb` (serde) must buffer each object, because serde hands fields over in
//! declaration order and jsonb stores them in key order; the buffers are then copied into
//! their parents, level after level. Here each model type knows its fields, so the order is
//! computed once per type and nothing is copied. A test checks that both writers give the
//! same bytes; the serde one stays for everything that is not a snapshot.

use crate::jsonb::{JsonbError, Decimal};
use crate::model::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::jsonb::{
    jentry as entry, pad_to_int as pad, set_u32 as set, JB_FARRAY, JB_FOBJECT, JENTRY_ISBOOL_FALSE,
    JENTRY_ISBOOL_TRUE, JENTRY_ISCONTAINER, JENTRY_ISNULL, JENTRY_ISNUMERIC, JENTRY_ISSTRING, JENTRY_OFFLENMASK,
    MAX_VARLENA, VARHDRSZ,
};

type R = Result<u32, JsonbError>;

/// A value that writes itself at the end of the buffer and returns its JEntry (kind and
/// length, padding included).
pub trait WriteJsonb {
    fn write(&self, out: &mut Vec<u8>) -> R;
    /// Left out of its object (serde's `skip_serializing_if`).
    fn absent(&self) -> bool {
        false
    }
}

/// Writes an object whose `members` come already in jsonb key order (length, then bytes).
fn object<'a>(out: &mut Vec<u8>, members: &[(&'a str, &'a dyn WriteJsonb)]) -> R {
    let start = out.len();
    pad(out);
    let n = members.len();
    out.extend_from_slice(&(n as u32 | JB_FOBJECT).to_ne_bytes());
    let slots = out.len();
    out.resize(slots + 8 * n, 0);
    let data = out.len();
    for (i, (key, _)) in members.iter().enumerate() {
        out.extend_from_slice(key.as_bytes());
        let e = entry(JENTRY_ISSTRING, key.len(), out.len() - data, i)?;
        set(out, slots + 4 * i, e);
    }
    for (i, (_, value)) in members.iter().enumerate() {
        let before = out.len();
        let kind = value.write(out)? & 0x7000_0000;
        let e = entry(kind, out.len() - before, out.len() - data, n + i)?;
        set(out, slots + 4 * (n + i), e);
    }
    container(start, out.len())
}

fn container(start: usize, end: usize) -> R {
    if end - start > JENTRY_OFFLENMASK as usize {
        return Err(JsonbError::TooLarge);
    }
    Ok(JENTRY_ISCONTAINER | (end - start) as u32)
}

/// jsonb's key order: shorter first, then bytewise.
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

impl WriteJsonb for String {
    fn write(&self, out: &mut Vec<u8>) -> R {
        if self.len() > JENTRY_OFFLENMASK as usize {
            return Err(JsonbError::TooLarge);
        }
        out.extend_from_slice(self.as_bytes());
        Ok(JENTRY_ISSTRING | self.len() as u32)
    }
}

impl WriteJsonb for i64 {
    fn write(&self, out: &mut Vec<u8>) -> R {
        let before = out.len();
        pad(out);
        Decimal::from_i64(*self).write_numeric(out);
        Ok(JENTRY_ISNUMERIC | (out.len() - before) as u32)
    }
}

impl WriteJsonb for bool {
    fn write(&self, _: &mut Vec<u8>) -> R {
        Ok(if *self { JENTRY_ISBOOL_TRUE } else { JENTRY_ISBOOL_FALSE })
    }
    fn absent(&self) -> bool {
        !*self
    }
}

impl<T: WriteJsonb> WriteJsonb for Option<T> {
    fn write(&self, out: &mut Vec<u8>) -> R {
        match self {
            Some(v) => v.write(out),
            None => Ok(JENTRY_ISNULL),
        }
    }
    fn absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: WriteJsonb> WriteJsonb for Vec<T> {
    fn write(&self, out: &mut Vec<u8>) -> R {
        let start = out.len();
        pad(out);
        let n = self.len();
        out.extend_from_slice(&(n as u32 | JB_FARRAY).to_ne_bytes());
        let slots = out.len();
        out.resize(slots + 4 * n, 0);
        let data = out.len();
        for (i, value) in self.iter().enumerate() {
            let before = out.len();
            let kind = value.write(out)? & 0x7000_0000;
            let e = entry(kind, out.len() - before, out.len() - data, i)?;
            set(out, slots + 4 * i, e);
        }
        container(start, out.len())
    }
}

impl<T: WriteJsonb> WriteJsonb for BTreeMap<String, T> {
    fn write(&self, out: &mut Vec<u8>) -> R {
        let mut members: Vec<(&str, &dyn WriteJsonb)> = self.iter().map(|(k, v)| (k.as_str(), v as &dyn WriteJsonb)).collect();
        // The map is in byte order; jsonb wants length first. A stable sort keeps it cheap.
        members.sort_by(|a, b| key_order(a.0, b.0));
        object(out, &members)
    }
}

/// Implements `WriteJsonb` for a model struct from its JSON field names; `optional` marks
/// a field left out when absent, as the struct's `skip_serializing_if` does.
macro_rules! write_jsonb_struct {
    ($ty:ty { $($name:literal => $field:ident $($skip:ident)?),* $(,)? }) => {
        impl WriteJsonb for $ty {
            fn write(&self, out: &mut Vec<u8>) -> R {
                const NAMES: &[&str] = &[$($name),*];
                static ORDER: OnceLock<Vec<usize>> = OnceLock::new();
                let order = ORDER.get_or_init(|| {
                    let mut order: Vec<usize> = (0..NAMES.len()).collect();
                    order.sort_by(|&a, &b| key_order(NAMES[a], NAMES[b]));
                    order
                });
                let fields: &[(&dyn WriteJsonb, bool)] = &[$((&self.$field, write_jsonb_struct!(@absent [$($skip)?] self.$field))),*];
                let mut members: [(&str, &dyn WriteJsonb); 24] = [("", &false); 24];
                let mut n = 0;
                for &i in order {
                    if !fields[i].1 {
                        members[n] = (NAMES[i], fields[i].0);
                        n += 1;
                    }
                }
                object(out, &members[..n])
            }
        }
    };
    (@absent [] $value:expr) => { false };
    (@absent [optional] $value:expr) => { $value.absent() };
}

write_jsonb_struct!(Snapshot {
    "meta" => meta, "tables" => tables, "columns" => columns, "constraints" => constraints,
    "relationships" => relationships, "indexes" => indexes, "views" => views, "enums" => enums,
    "domains" => domains, "sequences" => sequences, "triggers" => triggers, "policies" => policies,
});
write_jsonb_struct!(Meta {
    "dbName" => db_name, "capturedAt" => captured_at, "schemas" => schemas, "serverVersion" => server_version optional,
    "formatVersion" => format_version, "signature" => signature, "keySignature" => key_signature,
    "sizes" => sizes, "tables" => tables optional, "databaseId" => database_id optional,
});
write_jsonb_struct!(Table { "oid" => oid optional,
    "key" => key, "schema" => schema, "name" => name, "kind" => kind, "rowEstimate" => row_estimate,
    "totalBytes" => total_bytes, "heapBytes" => heap_bytes, "indexBytes" => index_bytes, "toastBytes" => toast_bytes,
    "persistence" => persistence, "rlsEnabled" => rls_enabled, "rlsForced" => rls_forced,
    "partitionOf" => partition_of optional, "partitionBound" => partition_bound optional, "partitionKey" => partition_key optional,
    "inherits" => inherits optional, "comment" => comment optional,
});
write_jsonb_struct!(Column {
    "key" => key, "tableKey" => table_key, "schema" => schema, "table" => table, "name" => name,
    "position" => position, "attnum" => attnum optional, "dataType" => data_type, "isNullable" => is_nullable, "default" => default optional,
    "identity" => identity optional, "generated" => generated optional, "collation" => collation optional, "comment" => comment optional,
});
write_jsonb_struct!(Constraints { "pks" => pks, "uniques" => uniques, "checks" => checks, "exclusions" => exclusions });
write_jsonb_struct!(KeyConstraint { "oid" => oid optional,
    "key" => key, "tableKey" => table_key, "columns" => columns, "name" => name, "indexKey" => index_key,
    "deferrable" => deferrable, "initiallyDeferred" => initially_deferred, "nullsNotDistinct" => nulls_not_distinct optional,
    "comment" => comment optional,
});
write_jsonb_struct!(CheckConstraint { "oid" => oid optional,
    "key" => key, "tableKey" => table_key, "name" => name, "expression" => expression, "columns" => columns,
    "validated" => validated, "noInherit" => no_inherit optional, "comment" => comment optional,
});
write_jsonb_struct!(ExclusionConstraint { "oid" => oid optional,
    "key" => key, "tableKey" => table_key, "name" => name, "definition" => definition, "indexKey" => index_key,
    "deferrable" => deferrable, "initiallyDeferred" => initially_deferred, "comment" => comment optional,
});
write_jsonb_struct!(Relationship { "oid" => oid optional,
    "key" => key, "name" => name, "constraintKey" => constraint_key, "childKey" => child_key, "childCols" => child_cols,
    "parentKey" => parent_key, "parentCols" => parent_cols, "onUpdate" => on_update, "onDelete" => on_delete,
    "deferrable" => deferrable, "initiallyDeferred" => initially_deferred, "matchType" => match_type,
    "validated" => validated, "onDeleteSetCols" => on_delete_set_cols optional, "comment" => comment optional,
});
write_jsonb_struct!(Index { "oid" => oid optional,
    "key" => key, "tableKey" => table_key, "schema" => schema, "table" => table, "name" => name, "method" => method,
    "columns" => columns, "include" => include, "predicate" => predicate optional, "isUnique" => is_unique,
    "isPrimary" => is_primary, "isExclusion" => is_exclusion, "isValid" => is_valid,
    "nullsNotDistinct" => nulls_not_distinct optional, "constraintKey" => constraint_key optional, "definition" => definition,
    "comment" => comment optional,
});
write_jsonb_struct!(View { "oid" => oid optional,
    "key" => key, "schema" => schema, "name" => name, "kind" => kind, "definition" => definition, "comment" => comment optional,
});
write_jsonb_struct!(Enum { "oid" => oid optional, "key" => key, "schema" => schema, "name" => name, "values" => values, "comment" => comment optional });
write_jsonb_struct!(Domain { "oid" => oid optional,
    "key" => key, "schema" => schema, "name" => name, "dataType" => data_type, "notNull" => not_null,
    "default" => default optional, "collation" => collation optional, "checks" => checks, "comment" => comment optional,
});
write_jsonb_struct!(Sequence { "oid" => oid optional,
    "key" => key, "schema" => schema, "name" => name, "dataType" => data_type, "start" => start,
    "increment" => increment, "min" => min, "max" => max, "cache" => cache, "cycle" => cycle,
    "ownedBy" => owned_by optional, "identity" => identity optional, "comment" => comment optional,
});
write_jsonb_struct!(Trigger { "oid" => oid optional,
    "key" => key, "tableKey" => table_key, "name" => name, "definition" => definition, "enabled" => enabled,
    "comment" => comment optional,
});
write_jsonb_struct!(Policy { "oid" => oid optional,
    "key" => key, "tableKey" => table_key, "name" => name, "command" => command, "permissive" => permissive,
    "roles" => roles, "using" => using optional, "withCheck" => with_check optional, "comment" => comment optional,
});

/// The snapshot as a jsonb varlena (4-byte header included).
pub fn snapshot_jsonb(snap: &Snapshot) -> Result<Vec<u8>, JsonbError> {
    // Reserve once: growing a buffer of tens of megabytes by doubling copies it again and
    // again into fresh pages. An ordinary schema takes about 260 bytes per object (a column
    // 180, an index 400); 384 leaves room without reserving far more than is written.
    let objects = snap.tables.len() + snap.columns.len() + snap.indexes.len() + snap.relationships.len()
        + snap.constraints.pks.len() + snap.constraints.uniques.len() + snap.constraints.checks.len()
        + snap.sequences.len() + snap.views.len();
    let mut out = Vec::with_capacity(64 * 1024 + objects * 384);
    out.extend_from_slice(&[0u8; VARHDRSZ]);
    WriteJsonb::write(snap, &mut out)?;
    if out.len() > MAX_VARLENA {
        return Err(JsonbError::TooLarge);
    }
    let header = crate::jsonb::varsize_4b(out.len());
    set(&mut out, 0, header);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A snapshot with every optional field present somewhere and absent elsewhere.
    fn sample() -> Snapshot {
        let text = r#"{
          "meta": {"dbName": "d", "capturedAt": "t", "schemas": ["public", "Ünï"], "serverVersion": "15",
                   "formatVersion": 1, "signature": "s", "keySignature": "k", "sizes": "estimated", "tables": ["public.a"]},
          "tables": {
            "public.a": {"key": "public.a", "schema": "public", "name": "a", "kind": "table", "rowEstimate": -1,
                         "totalBytes": 8192, "heapBytes": 0, "indexBytes": 8192, "toastBytes": 0, "persistence": "permanent",
                         "rlsEnabled": true, "rlsForced": false, "comment": "a \"table\""},
            "public.\"B b\"": {"key": "public.\"B b\"", "schema": "public", "name": "B b", "kind": "partitioned",
                         "partitionOf": "public.a", "partitionBound": "FOR VALUES IN (1)", "partitionKey": "LIST (x)"}
          },
          "columns": {
            "public.a.id": {"key": "public.a.id", "tableKey": "public.a", "schema": "public", "table": "a", "name": "id",
                            "position": 1, "dataType": "bigint", "isNullable": false, "identity": "always", "comment": "c"},
            "public.a.x": {"key": "public.a.x", "tableKey": "public.a", "schema": "public", "table": "a", "name": "x",
                            "position": 2, "dataType": "text", "isNullable": true, "default": "'x'::text",
                            "collation": "pg_catalog.\"C\"", "generated": "upper(x)"}
          },
          "constraints": {
            "pks": {"public.a:a_pkey": {"key": "public.a:a_pkey", "tableKey": "public.a", "columns": ["id"], "name": "a_pkey",
                    "indexKey": "public.a.a_pkey", "deferrable": false, "initiallyDeferred": false, "nullsNotDistinct": true}},
            "uniques": {},
            "checks": {"public.a:c": {"key": "public.a:c", "tableKey": "public.a", "name": "c", "expression": "(id > 0)",
                       "columns": ["id"], "validated": false, "noInherit": true}},
            "exclusions": {"public.a:e": {"key": "public.a:e", "tableKey": "public.a", "name": "e", "definition": "EXCLUDE",
                       "indexKey": "public.a.e", "deferrable": true, "initiallyDeferred": true, "comment": "e"}}
          },
          "relationships": {"public.a(id) -> public.a(id)": {"key": "public.a(id) -> public.a(id)", "name": "f",
             "constraintKey": "public.a:f", "childKey": "public.a", "childCols": ["id"], "parentKey": "public.a",
             "parentCols": ["id"], "onUpdate": "NO ACTION", "onDelete": "SET NULL", "deferrable": false,
             "initiallyDeferred": false, "matchType": "FULL", "validated": true, "onDeleteSetCols": ["id"]}},
          "indexes": {"public.a.a_pkey": {"key": "public.a.a_pkey", "tableKey": "public.a", "schema": "public", "table": "a",
             "name": "a_pkey", "method": "btree", "columns": ["id"], "include": ["x"], "predicate": "(id > 1)",
             "isUnique": true, "isPrimary": true, "isExclusion": false, "isValid": true, "nullsNotDistinct": true,
             "constraintKey": "public.a:a_pkey", "definition": "CREATE UNIQUE INDEX"}},
          "views": {"public.v": {"key": "public.v", "schema": "public", "name": "v", "kind": "view", "definition": " SELECT 1;"}},
          "enums": {"public.e": {"key": "public.e", "schema": "public", "name": "e", "values": ["a", "b"], "comment": "x"}},
          "domains": {"public.d": {"key": "public.d", "schema": "public", "name": "d", "dataType": "text", "notNull": true,
             "default": "'x'", "checks": {"d_check": "CHECK (true)", "a": "CHECK (false)"}}},
          "sequences": {"public.s": {"key": "public.s", "schema": "public", "name": "s", "dataType": "bigint", "start": 1,
             "increment": -3, "min": -9223372036854775808, "max": 9223372036854775807, "cache": 1, "cycle": true,
             "ownedBy": "public.a.id", "identity": true}},
          "triggers": {"public.a.t": {"key": "public.a.t", "tableKey": "public.a", "name": "t", "definition": "CREATE TRIGGER",
             "enabled": "disabled"}},
          "policies": {"public.a:p": {"key": "public.a:p", "tableKey": "public.a", "name": "p", "command": "ALL",
             "permissive": true, "roles": ["public"], "using": "true", "withCheck": "false"}}
        }"#;
        crate::snapshot_io::parse_snapshot(text).unwrap()
    }

    #[test]
    fn same_bytes_as_the_serde_writer() {
        let snap = sample();
        assert_eq!(snapshot_jsonb(&snap).unwrap(), crate::jsonb::to_jsonb(&snap).unwrap());
        assert_eq!(snapshot_jsonb(&Snapshot::default()).unwrap(), crate::jsonb::to_jsonb(&Snapshot::default()).unwrap());
        // long maps cross the every-32nd-entry offset rule
        let mut big = sample();
        for i in 0..100 {
            let mut c = big.columns["public.a.x"].clone();
            c.key = format!("public.a.c{i}");
            c.position = i;
            big.columns.insert(c.key.clone(), c);
        }
        assert_eq!(snapshot_jsonb(&big).unwrap(), crate::jsonb::to_jsonb(&big).unwrap());
    }
}
