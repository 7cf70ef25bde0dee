//! The two signatures of a snapshot.
//!
//! `signature`: every entry of every section (a table, a column, an index...) is encoded
//! canonically without its volatile fields (oids, row estimates, sizes), hashed with its
//! section and key, and the entry hashes are added up modulo 2^256; the signature is the
//! sha256 of that sum. Equal schemas give equal sums whatever order they were read in, and
//! the sum is incremental: capture keeps the hash of every entry it stores and moves the
//! sum by what a DDL statement added and removed, without rehashing the schema. The golden
//! test below pins the encoding: a change to it (renaming or reordering model fields, say)
//! must be deliberate.
//!
//! `keySignature`: seed 001's formula verbatim, sha256 of the compact JSON
//! `{"t":[table keys],"c":[column keys],"r":[relationship keys]}`, each sorted as JavaScript's
//! `Array.prototype.sort()` sorts strings (by UTF-16 code units).

use crate::model::{Map, Snapshot};
use serde::ser::{self, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Fields left out of an entry's hash: identities and what changes with the data. The diff
/// leaves out the same ones.
pub const VOLATILE_FIELDS: &[&str] = &["oid", "attnum", "rowEstimate", "totalBytes", "heapBytes", "indexBytes", "toastBytes"];

/// Computes both signatures and the sections' into `meta`.
pub fn stamp(snap: &mut Snapshot) {
    let mut sections = crate::model::Map::new();
    let mut total = HashSum::default();
    let mut buf = Vec::with_capacity(4096);
    crate::sections::for_each_section(snap, &mut |section, entries| {
        let mut sum = HashSum::default();
        let mut any = false;
        entries.for_each_entry(&mut |key, entry| {
            let hash = entry.hash_into(&mut buf, section, key);
            sum.add(&hash);
            total.add(&hash);
            any = true;
        });
        if any {
            sections.insert(section.to_string(), sum.signature());
        }
    });
    snap.meta.signature = total.signature();
    snap.meta.section_signatures = sections;
    snap.meta.key_signature = key_signature(snap);
}

pub fn signature(snap: &Snapshot) -> String {
    snapshot_sum(snap).signature()
}

/// The sum of the hashes of every entry of a snapshot.
pub fn snapshot_sum(snap: &Snapshot) -> HashSum {
    let mut sum = HashSum::default();
    let mut buf = Vec::with_capacity(4096);
    crate::sections::for_each_section(snap, &mut |section, entries| {
        entries.for_each_entry(&mut |key, entry| sum.add(&entry.hash_into(&mut buf, section, key)));
    });
    sum
}

/// The hash of one entry of `section` (as `sections` names them) under `key`.
pub fn entry_hash<T: Serialize + ?Sized>(section: &str, key: &str, entry: &T) -> [u8; 32] {
    entry_hash_with(&mut Vec::new(), section, key, entry)
}

fn entry_hash_with<T: Serialize + ?Sized>(buf: &mut Vec<u8>, section: &str, key: &str, entry: &T) -> [u8; 32] {
    buf.clear();
    let mut out = Canonical { out: std::mem::take(buf), depth: 0 };
    push_bytes(&mut out.out, b's', section.as_bytes());
    push_bytes(&mut out.out, b'k', key.as_bytes());
    // Strings, numbers, booleans, maps and structs only: this cannot fail.
    let _ = entry.serialize(&mut out);
    let digest: [u8; 32] = Sha256::digest(&out.out).into();
    *buf = out.out;
    digest
}

/// A sum of entry hashes modulo 2^256 (four little-endian 64-bit limbs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HashSum([u64; 4]);

impl HashSum {
    pub fn add(&mut self, hash: &[u8; 32]) {
        let mut carry = 0u64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let part = u64::from_le_bytes(hash[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
            let (a, c1) = limb.overflowing_add(part);
            let (b, c2) = a.overflowing_add(carry);
            *limb = b;
            carry = (c1 as u64) + (c2 as u64);
        }
    }

    pub fn sub(&mut self, hash: &[u8; 32]) {
        let mut borrow = 0u64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let part = u64::from_le_bytes(hash[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
            let (a, b1) = limb.overflowing_sub(part);
            let (b, b2) = a.overflowing_sub(borrow);
            *limb = b;
            borrow = (b1 as u64) + (b2 as u64);
        }
    }

    pub fn to_bytes(self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, limb) in self.0.iter().enumerate() {
            out[i * 8..i * 8 + 8].copy_from_slice(&limb.to_le_bytes());
        }
        out
    }

    /// The sum as stored bytes; None when `bytes` is not 32 long.
    pub fn from_bytes(bytes: &[u8]) -> Option<HashSum> {
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            *limb = u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().ok()?);
        }
        Some(HashSum(limbs))
    }

    /// The signature of a snapshot whose entries add up to this sum.
    pub fn signature(self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(b"pg_lens signature 2\0");
        hasher.update(self.to_bytes());
        hex(&hasher.finalize())
    }
}

fn push_bytes(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    out.push(tag);
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// Lets a map of any entry type be walked as (key, entry) pairs.
pub trait Entries {
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, &dyn ErasedEntry));
}

/// An entry that can be hashed or turned into JSON without knowing its type.
pub trait ErasedEntry {
    fn hash_into(&self, buf: &mut Vec<u8>, section: &str, key: &str) -> [u8; 32];
    fn to_json(&self) -> serde_json::Value;
}

impl<T: Serialize> ErasedEntry for T {
    fn hash_into(&self, buf: &mut Vec<u8>, section: &str, key: &str) -> [u8; 32] {
        entry_hash_with(buf, section, key, self)
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl<T: Serialize> Entries for Map<T> {
    fn for_each_entry(&self, f: &mut dyn FnMut(&str, &dyn ErasedEntry)) {
        for (key, entry) in self {
            f(key, entry);
        }
    }
}

/// The canonical encoder of one entry: writes tagged, length-prefixed bytes as serde streams
/// it, leaving the volatile fields of the entry out.
struct Canonical {
    out: Vec<u8>,
    /// 1 inside the entry itself.
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
        if self.depth == 1 && VOLATILE_FIELDS.contains(&key) {
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

/// The tagged encoding of the canonical form: a tag, a length, bytes.
trait TaggedOut {
    fn tag(&mut self, tag: u8, len: usize);
    fn bytes(&mut self, tag: u8, bytes: &[u8]);
    fn integer(&mut self, v: i128);
}

impl TaggedOut for Vec<u8> {
    fn tag(&mut self, tag: u8, len: usize) {
        self.push(tag);
        self.extend_from_slice(&(len as u32).to_le_bytes());
    }

    fn bytes(&mut self, tag: u8, bytes: &[u8]) {
        push_bytes(self, tag, bytes);
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
        push_bytes(self, b'n', &digits[at..]);
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
    const GOLDEN: &str = "69bb559362f7505862416441aafb3432052ecafc667dca500f7db873beeafef2";

    #[test]
    fn the_sum_moves_by_what_changed() {
        let base = sample();
        let mut sum = snapshot_sum(&base);
        let mut grown = base.clone();
        let col = Column { key: "public.users.name".into(), table_key: "public.users".into(), name: "name".into(), data_type: "text".into(), position: 2, ..Default::default() };
        grown.columns.insert(col.key.clone(), col.clone());
        sum.add(&entry_hash("columns", &col.key, &col));
        assert_eq!(sum.signature(), signature(&grown));
        sum.sub(&entry_hash("columns", &col.key, &col));
        assert_eq!(sum.signature(), signature(&base));
        assert_eq!(HashSum::from_bytes(&sum.to_bytes()), Some(sum));
        // identities are not definitions
        let mut with_oids = base.clone();
        with_oids.tables.get_mut("public.users").unwrap().oid = Some(16384);
        assert_eq!(signature(&with_oids), signature(&base));
        // the same entry in another section is another entry
        assert_ne!(entry_hash("columns", "k", &col), entry_hash("indexes", "k", &col));
    }

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
