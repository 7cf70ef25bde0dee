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

use crate::jsonb::{
    jentry as entry, pad_to_int as pad, set_u32 as set, JB_FARRAY, JB_FOBJECT, JENTRY_ISBOOL_FALSE,
    JENTRY_ISBOOL_TRUE, JENTRY_ISCONTAINER, JENTRY_ISNULL, JENTRY_ISNUMERIC, JENTRY_ISSTRING, JENTRY_OFFLENMASK,
    MAX_VARLENA, VARHDRSZ,
};

pub(crate) type R = Result<u32, JsonbError>;

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
pub(crate) fn object<'a>(out: &mut Vec<u8>, members: &[(&'a str, &'a dyn WriteJsonb)]) -> R {
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
pub(crate) fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
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

impl WriteJsonb for f64 {
    fn write(&self, out: &mut Vec<u8>) -> R {
        // as serde's writer does: NaN and infinities have no JSON form
        let Some(number) = Decimal::from_f64(*self) else { return Ok(JENTRY_ISNULL) };
        let before = out.len();
        pad(out);
        number.write_numeric(out);
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
/// a field left out when absent, as serde leaves it out. Called by `kinds::declare!`, so a
/// kind's fields are listed once, in its declaration.
macro_rules! write_jsonb_struct {
    ($ty:ty { $($name:literal => $field:ident $($skip:ident)?),* $(,)? }) => {
        impl crate::encoding::jsonb_model::WriteJsonb for $ty {
            fn write(&self, out: &mut Vec<u8>) -> crate::encoding::jsonb_model::R {
                use crate::encoding::jsonb_model::{key_order, object, WriteJsonb};
                use std::sync::OnceLock;
                const NAMES: &[&str] = &[$($name),*];
                static ORDER: OnceLock<Vec<usize>> = OnceLock::new();
                let order = ORDER.get_or_init(|| {
                    let mut order: Vec<usize> = (0..NAMES.len()).collect();
                    order.sort_by(|&a, &b| key_order(NAMES[a], NAMES[b]));
                    order
                });
                let fields: &[(&dyn WriteJsonb, bool)] = &[$((&self.$field, crate::encoding::jsonb_model::write_jsonb_struct!(@absent [$($skip)?] self.$field))),*];
                let mut members: [(&str, &dyn WriteJsonb); 32] = [("", &false); 32];
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
    (@absent [optional] $value:expr) => { crate::kinds::declare::Absent::absent(&$value) };
}
pub(crate) use write_jsonb_struct;


/// The snapshot as a jsonb varlena (4-byte header included).
pub fn snapshot_jsonb(snap: &Snapshot) -> Result<Vec<u8>, JsonbError> {
    // Reserve once: growing a buffer of tens of megabytes by doubling copies it again and
    // again into fresh pages. An ordinary schema takes about 260 bytes per object (a column
    // 180, an index 400); 384 leaves room without reserving far more than is written.
    let objects = crate::sections::entry_count(snap);
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
