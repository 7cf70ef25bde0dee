//! The two signatures of a snapshot.
//!
//! `signature`: sha256 over a canonical encoding of every definition, so that two databases
//! built from the same DDL agree and a data load changes nothing. Every section but `meta`
//! and `tables` is hashed as its jsonb bytes (jsonb is canonical: keys sorted, one layout per
//! value, and the snapshot's bytes are written anyway); `tables` is streamed through serde
//! without the volatile fields (row estimate and sizes), every value tagged and length-
//! prefixed, every container bracketed. The golden test below pins the encoding: a change to
//! it (renaming or reordering model fields, say) must be deliberate.
//!
//! `keySignature`: seed 001's formula verbatim, sha256 of the compact JSON
//! `{"t":[table keys],"c":[column keys],"r":[relationship keys]}`, each sorted as JavaScript's
//! `Array.prototype.sort()` sorts strings (by UTF-16 code units).

use crate::model::Snapshot;
use serde::ser::{self, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Fields of a table that change with the data, not with the schema.
const VOLATILE_FIELDS: &[&str] = &["rowEstimate", "totalBytes", "heapBytes", "indexBytes", "toastBytes"];

/// Computes both signatures and writes them into `meta`.
pub fn stamp(snap: &mut Snapshot) {
    snap.meta.signature = signature(snap);
    snap.meta.key_signature = key_signature(snap);
}

pub fn signature(snap: &Snapshot) -> String {
    match crate::jsonb_model::snapshot_jsonb(snap) {
        Ok(bytes) => signature_of_encoded(snap, &bytes),
        // Only a snapshot over jsonb's 256 MB container limit fails to encode.
        Err(_) => String::new(),
    }
}

/// The signature of `snap`, whose jsonb bytes (as `jsonb_model::snapshot_jsonb` writes them)
/// are `encoded`.
pub fn signature_of_encoded(snap: &Snapshot, encoded: &[u8]) -> String {
    let mut out = BufferedHasher::new();
    for (key, value) in crate::jsonb::object_members(encoded, 4) {
        match key {
            b"meta" => continue,
            b"tables" => {
                out.bytes(b'k', key);
                let mut tables = Canonical { out, depth: 0 };
                // Strings, numbers, booleans, maps and structs only: this cannot fail.
                let _ = snap.tables.serialize(&mut tables);
                out = tables.out;
            }
            _ => {
                // Sections are containers: skip the alignment padding in front, which depends
                // on where the section lands (after a longer meta, say), not on its content.
                out.bytes(b'k', key);
                out.bytes(b'j', &encoded[(value.start + 3) & !3..value.end]);
            }
        }
    }
    out.finish_hex()
}

/// The canonical encoder of the `tables` section: writes tagged bytes into the hasher as
/// serde streams the map, leaving the volatile fields of each table out.
struct Canonical {
    out: BufferedHasher,
    /// 1 inside the map, 2 inside a table.
    depth: usize,
}

#[derive(Debug)]
struct CanonicalError(String);

impl fmt::Display for CanonicalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for CanonicalError {}
impl ser::Error for CanonicalError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        CanonicalError(msg.to_string())
    }
}

type R = Result<(), CanonicalError>;

impl Canonical {
    fn open(&mut self, tag: u8) {
        self.depth += 1;
        self.out.tag(tag, 0);
    }
    fn close(&mut self) -> R {
        self.depth -= 1;
        self.out.tag(b')', 0);
        Ok(())
    }
}

macro_rules! canonical_ints {
    ($($name:ident: $ty:ty),*) => {$(
        fn $name(self, v: $ty) -> R {
            self.out.integer(v as i128);
            Ok(())
        }
    )*};
}

impl<'a> ser::Serializer for &'a mut Canonical {
    type Ok = ();
    type Error = CanonicalError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    canonical_ints!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
                    serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_f32(self, v: f32) -> R {
        self.out.bytes(b'n', v.to_string().as_bytes());
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> R {
        self.out.bytes(b'n', v.to_string().as_bytes());
        Ok(())
    }

    fn serialize_bool(self, v: bool) -> R {
        self.out.tag(if v { b't' } else { b'f' }, 0);
        Ok(())
    }
    fn serialize_char(self, v: char) -> R {
        self.serialize_str(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> R {
        self.out.bytes(b's', v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        self.out.bytes(b'b', v);
        Ok(())
    }
    fn serialize_none(self) -> R {
        self.out.tag(b'z', 0);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, variant: &'static str, value: &T) -> R {
        self.open(b'o');
        self.out.bytes(b'k', variant.as_bytes());
        value.serialize(&mut *self)?;
        self.close()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, CanonicalError> {
        self.open(b'a');
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, CanonicalError> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, CanonicalError> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Self, CanonicalError> {
        self.out.bytes(b'v', variant.as_bytes());
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, CanonicalError> {
        self.open(b'o');
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, CanonicalError> {
        self.open(b'o');
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Self, CanonicalError> {
        self.out.bytes(b'v', variant.as_bytes());
        self.serialize_struct("", 0)
    }
}

crate::ser_util::sequence_impls!(Canonical, CanonicalError);

impl<'a> ser::SerializeTupleVariant for &'a mut Canonical {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        value.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.close()
    }
}

impl<'a> ser::SerializeMap for &'a mut Canonical {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> R {
        self.out.tag(b'k', 0);
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> R {
        value.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.close()
    }
}

impl<'a> ser::SerializeStruct for &'a mut Canonical {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> R {
        if self.depth == 2 && VOLATILE_FIELDS.contains(&key) {
            return Ok(());
        }
        self.out.bytes(b'k', key.as_bytes());
        value.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.close()
    }
}

impl<'a> ser::SerializeStructVariant for &'a mut Canonical {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> R {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> R {
        self.close()
    }
}

/// Feeds sha256 in large blocks: millions of tiny `update` calls would cost more than hashing.
struct BufferedHasher {
    hasher: Sha256,
    buf: Vec<u8>,
}

impl BufferedHasher {
    fn new() -> Self {
        BufferedHasher { hasher: Sha256::new(), buf: Vec::with_capacity(1 << 16) }
    }

    fn tag(&mut self, tag: u8, len: usize) {
        self.buf.push(tag);
        self.buf.extend_from_slice(&(len as u32).to_le_bytes());
        self.flush_if_full();
    }

    /// An integer in decimal, without allocating.
    fn integer(&mut self, v: i128) {
        let mut digits = [0u8; 40];
        let mut at = digits.len();
        let mut magnitude = v.unsigned_abs();
        loop {
            at -= 1;
            digits[at] = b'0' + (magnitude % 10) as u8;
            magnitude /= 10;
            if magnitude == 0 {
                break;
            }
        }
        if v < 0 {
            at -= 1;
            digits[at] = b'-';
        }
        self.bytes(b'n', &digits[at..]);
    }

    fn bytes(&mut self, tag: u8, bytes: &[u8]) {
        self.tag(tag, bytes.len());
        self.buf.extend_from_slice(bytes);
        self.flush_if_full();
    }

    fn flush_if_full(&mut self) {
        if self.buf.len() >= 1 << 16 {
            self.hasher.update(&self.buf);
            self.buf.clear();
        }
    }

    fn finish_hex(mut self) -> String {
        self.hasher.update(&self.buf);
        hex(&self.hasher.finalize())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xF) as usize] as char);
    }
    out
}

pub fn key_signature(snap: &Snapshot) -> String {
    fn sorted<'a>(mut keys: Vec<&'a String>) -> Vec<&'a String> {
        keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        keys
    }
    let payload = serde_json::json!({
        "t": sorted(snap.tables.keys().collect()),
        "c": sorted(snap.columns.keys().collect()),
        "r": sorted(snap.relationships.keys().collect()),
    });
    // serde_json writes object keys in insertion order only with preserve_order; build the
    // text by hand so the key order is exactly t, c, r as in the seed.
    let text = format!(
        "{{\"t\":{},\"c\":{},\"r\":{}}}",
        payload["t"], payload["c"], payload["r"]
    );
    hex(&Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn sample() -> Snapshot {
        let mut s = Snapshot::default();
        s.tables.insert(
            "public.users".into(),
            Table { key: "public.users".into(), schema: "public".into(), name: "users".into(), kind: "table".into(), ..Default::default() },
        );
        s.columns.insert(
            "public.users.id".into(),
            Column {
                key: "public.users.id".into(),
                table_key: "public.users".into(),
                name: "id".into(),
                data_type: "bigint".into(),
                ..Default::default()
            },
        );
        s
    }

    #[test]
    fn key_signature_is_the_seed_formula() {
        // sha256('{"t":["public.users"],"c":["public.users.id"],"r":[]}')
        let expected = hex(&Sha256::digest(br#"{"t":["public.users"],"c":["public.users.id"],"r":[]}"#));
        assert_eq!(key_signature(&sample()), expected);
    }

    #[test]
    fn key_signature_sorts_like_javascript() {
        // U+FF5E (BMP, above the surrogates) sorts after U+1F600 in UTF-16, before it in UTF-8.
        let mut s = Snapshot::default();
        for k in ["a\u{1F600}", "a\u{FF5E}"] {
            s.tables.insert(k.into(), Table { key: k.into(), ..Default::default() });
        }
        let expected = hex(&Sha256::digest("{\"t\":[\"a\u{1F600}\",\"a\u{FF5E}\"],\"c\":[],\"r\":[]}".as_bytes()));
        assert_eq!(key_signature(&s), expected);
    }

    #[test]
    fn signature_ignores_volatile_and_sees_definitions() {
        let base = sample();
        let sig = signature(&base);
        let mut volatile = base.clone();
        volatile.meta.captured_at = "2030-01-01".into();
        volatile.meta.db_name = "other".into();
        let t = volatile.tables.get_mut("public.users").unwrap();
        t.row_estimate = 99;
        t.total_bytes = 8192;
        assert_eq!(signature(&volatile), sig);

        let mut changed = base.clone();
        changed.columns.get_mut("public.users.id").unwrap().data_type = "integer".into();
        assert_ne!(signature(&changed), sig);
        let mut commented = base.clone();
        commented.tables.get_mut("public.users").unwrap().comment = Some("people".into());
        assert_ne!(signature(&commented), sig);
        let mut nullable = base;
        nullable.columns.get_mut("public.users.id").unwrap().is_nullable = true;
        assert_ne!(signature(&nullable), sig);
    }

    #[test]
    fn canonical_encoding_is_pinned() {
        // Changes only when the canonical encoding or the model's field order changes: both
        // change every stored signature, so they must be deliberate (bump formatVersion).
        assert_eq!(signature(&sample()), GOLDEN);
    }
    const GOLDEN: &str = "f16d9ae613603279c3b79ec8dfedccfc8e7c82c260b10cb2998d7b06affcbc1f";

    #[test]
    fn encoding_is_unambiguous() {
        // the same characters split differently between key and value must not collide
        let mut a = sample();
        let mut b = sample();
        a.columns.get_mut("public.users.id").unwrap().data_type = "ab".into();
        a.columns.get_mut("public.users.id").unwrap().name = "c".into();
        b.columns.get_mut("public.users.id").unwrap().data_type = "a".into();
        b.columns.get_mut("public.users.id").unwrap().name = "bc".into();
        assert_ne!(signature(&a), signature(&b));
    }
}
