//! Writes PostgreSQL's binary `jsonb` format directly.
//!
//! Going through JSON text and `jsonb_in` costs about 25 ms per MB here (a 5,000-table
//! snapshot is tens of MB); laying out the binary form from serde costs a fraction of it.
//! The layout follows `convertToJsonb()` in `src/backend/utils/adt/jsonb_util.c` (PostgreSQL
//! 15) byte for byte: keys sorted by length then bytes, keys before values, every 32nd
//! JEntry an end offset, containers and numerics aligned to 4 bytes from the varlena start.

use std::fmt;

pub(crate) const JENTRY_OFFLENMASK: u32 = 0x0FFF_FFFF;
pub(crate) const JENTRY_HAS_OFF: u32 = 0x8000_0000;
pub(crate) const JENTRY_ISSTRING: u32 = 0x0000_0000;
pub(crate) const JENTRY_ISNUMERIC: u32 = 0x1000_0000;
pub(crate) const JENTRY_ISBOOL_FALSE: u32 = 0x2000_0000;
pub(crate) const JENTRY_ISBOOL_TRUE: u32 = 0x3000_0000;
pub(crate) const JENTRY_ISNULL: u32 = 0x4000_0000;
pub(crate) const JENTRY_ISCONTAINER: u32 = 0x5000_0000;
pub(crate) const JB_OFFSET_STRIDE: usize = 32;
const JB_FSCALAR: u32 = 0x1000_0000;
pub(crate) const JB_FOBJECT: u32 = 0x2000_0000;
pub(crate) const JB_FARRAY: u32 = 0x4000_0000;
pub const VARHDRSZ: usize = 4;
/// The largest varlena PostgreSQL accepts (1 GB - 1).
pub(crate) const MAX_VARLENA: usize = 0x3FFF_FFFF;

#[derive(Debug, Clone, PartialEq)]
pub enum JsonbError {
    TooLarge,
    Unsupported(&'static str),
    Custom(String),
}

impl fmt::Display for JsonbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonbError::TooLarge => f.write_str("the value is too large for jsonb (a container over 256 MB)"),
            JsonbError::Unsupported(what) => write!(f, "jsonb cannot hold {what}"),
            JsonbError::Custom(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for JsonbError {}

/// `SET_VARSIZE_4B`: the length shifted left by two on little-endian machines.
#[cfg(target_endian = "little")]
pub(crate) fn varsize_4b(len: usize) -> u32 {
    (len as u32) << 2
}

fn push_u32(buf: &mut Vec<u8>, v: u32) {
    buf.extend_from_slice(&v.to_ne_bytes());
}

pub(crate) fn set_u32(buf: &mut [u8], at: usize, v: u32) {
    buf[at..at + 4].copy_from_slice(&v.to_ne_bytes());
}

/// Pads with zeros to a multiple of 4.
pub(crate) fn pad_to_int(buf: &mut Vec<u8>) {
    let pad = (4 - buf.len() % 4) % 4;
    buf.resize(buf.len() + pad, 0);
}

fn checked_count(n: usize) -> Result<u32, JsonbError> {
    u32::try_from(n).ok().filter(|&n| n <= JENTRY_OFFLENMASK).ok_or(JsonbError::TooLarge)
}

/// Every JB_OFFSET_STRIDE'th entry stores its end offset instead of its length.
pub(crate) fn jentry(kind: u32, len: usize, end_offset: usize, i: usize) -> Result<u32, JsonbError> {
    if len > JENTRY_OFFLENMASK as usize || end_offset > JENTRY_OFFLENMASK as usize {
        return Err(JsonbError::TooLarge);
    }
    Ok(if i % JB_OFFSET_STRIDE == 0 { kind | end_offset as u32 | JENTRY_HAS_OFF } else { kind | len as u32 })
}

/// One member of a container being written: where its key and value bytes are in the
/// container's scratch buffer. Values that must start on a 4-byte boundary (containers and
/// numerics) are stored aligned in the scratch buffer, without their padding.
#[derive(Clone, Copy)]
struct Member {
    key: (usize, usize),
    kind: u32,
    value: (usize, usize),
    aligned: bool,
}

/// A container (array or object) being written: its members' bytes, in arrival order.
#[derive(Default)]
struct Frame {
    is_object: bool,
    keys: Vec<u8>,
    data: Vec<u8>,
    members: Vec<Member>,
    pending_key: Option<(usize, usize)>,
}

impl Frame {
    fn push(&mut self, kind: u32, bytes: &[u8], aligned: bool) {
        if aligned {
            pad_to_int(&mut self.data);
        }
        let start = self.data.len();
        self.data.extend_from_slice(bytes);
        self.add(kind, start, aligned);
    }

    fn add(&mut self, kind: u32, start: usize, aligned: bool) {
        let key = self.pending_key.take().unwrap_or((0, 0));
        self.members.push(Member { key, kind, value: (start, self.data.len() - start), aligned });
    }

    fn key_bytes(&self, m: &Member) -> &[u8] {
        &self.keys[m.key.0..m.key.0 + m.key.1]
    }

    /// Lays the container out at the end of `out`, which must be 4-byte aligned there.
    fn write_into(&self, out: &mut Vec<u8>) -> Result<(), JsonbError> {
        let base = out.len();
        let mut order: Vec<usize> = (0..self.members.len()).collect();
        if self.is_object {
            // jsonb key order: shorter keys first, then bytewise; the last of duplicates wins.
            order.sort_by(|&a, &b| {
                let (ka, kb) = (self.key_bytes(&self.members[a]), self.key_bytes(&self.members[b]));
                ka.len().cmp(&kb.len()).then_with(|| ka.cmp(kb)).then_with(|| b.cmp(&a))
            });
            order.dedup_by(|later, earlier| {
                self.key_bytes(&self.members[*later]) == self.key_bytes(&self.members[*earlier])
            });
        }
        let n = order.len();
        let entries = if self.is_object { 2 * n } else { n };
        // One reservation for the whole container: growing a multi-megabyte buffer by
        // doubling would copy it and touch fresh pages again and again.
        out.reserve(4 + 4 * entries + self.keys.len() + self.data.len() + 3 * n);
        push_u32(out, checked_count(n)? | if self.is_object { JB_FOBJECT } else { JB_FARRAY });
        let slots = out.len();
        out.resize(slots + 4 * entries, 0);
        let mut slot = 0;
        if self.is_object {
            for &m in &order {
                let key = self.key_bytes(&self.members[m]);
                out.extend_from_slice(key);
                let entry = jentry(JENTRY_ISSTRING, key.len(), out.len() - slots - 4 * entries, slot)?;
                set_u32(out, slots + 4 * slot, entry);
                slot += 1;
            }
        }
        for &m in &order {
            let member = &self.members[m];
            let start = out.len();
            if member.aligned {
                pad_to_int(out);
            }
            out.extend_from_slice(&self.data[member.value.0..member.value.0 + member.value.1]);
            let entry = jentry(member.kind, out.len() - start, out.len() - slots - 4 * entries, slot)?;
            set_u32(out, slots + 4 * slot, entry);
            slot += 1;
        }
        if out.len() - base > JENTRY_OFFLENMASK as usize {
            return Err(JsonbError::TooLarge);
        }
        Ok(())
    }
}

/// Serialises any `Serialize` value straight into a jsonb varlena (4-byte header included),
/// ready to be copied into palloc'd memory. No intermediate tree: each container is written
/// to a scratch buffer once, then laid out in key order into its parent.
pub fn to_jsonb<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, JsonbError> {
    // The root frame's buffer starts with room for the varlena header, so that a container at
    // the top is laid out (aligned) right behind it and the buffer is the result: no copy.
    let root = Frame { data: vec![0u8; VARHDRSZ], ..Default::default() };
    let mut writer = Writer { stack: vec![root], spare: Vec::new() };
    value.serialize(&mut writer)?;
    let root = writer.stack.pop().ok_or(JsonbError::Unsupported("nothing was written"))?;
    let Some(&top) = root.members.last() else { return Err(JsonbError::Unsupported("nothing was written")) };
    let mut out = if top.kind == JENTRY_ISCONTAINER && top.value.0 == VARHDRSZ {
        let mut data = root.data;
        data.truncate(top.value.0 + top.value.1);
        data
    } else {
        // A scalar at the top is stored as a one-element "raw scalar" array.
        let value = root.data[top.value.0..top.value.0 + top.value.1].to_vec();
        let frame = Frame { data: value, members: vec![Member { value: (0, top.value.1), ..top }], ..Default::default() };
        let mut out = vec![0u8; VARHDRSZ];
        frame.write_into(&mut out)?;
        let header = u32::from_ne_bytes([out[4], out[5], out[6], out[7]]);
        set_u32(&mut out, VARHDRSZ, header | JB_FSCALAR);
        out
    };
    if out.len() > MAX_VARLENA {
        return Err(JsonbError::TooLarge);
    }
    let header = varsize_4b(out.len());
    set_u32(&mut out, 0, header);
    Ok(out)
}

struct Writer {
    stack: Vec<Frame>,
    /// Scratch buffers of finished containers, reused to spare the allocator.
    spare: Vec<Frame>,
}

impl Writer {
    fn top(&mut self) -> &mut Frame {
        // The root frame is pushed at creation and popped only by to_jsonb.
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn scalar(&mut self, kind: u32, bytes: &[u8], aligned: bool) -> Result<(), JsonbError> {
        self.top().push(kind, bytes, aligned);
        Ok(())
    }

    fn number(&mut self, d: Option<Decimal>) -> Result<(), JsonbError> {
        match d {
            Some(d) => {
                let frame = self.top();
                pad_to_int(&mut frame.data);
                let start = frame.data.len();
                d.write_numeric(&mut frame.data);
                frame.add(JENTRY_ISNUMERIC, start, true);
                Ok(())
            }
            None => self.scalar(JENTRY_ISNULL, &[], false), // NaN and infinities have no JSON form
        }
    }

    fn open(&mut self, is_object: bool) {
        let mut frame = self.spare.pop().unwrap_or_default();
        frame.is_object = is_object;
        self.stack.push(frame);
    }

    fn close(&mut self) -> Result<(), JsonbError> {
        let Some(mut frame) = self.stack.pop() else { return Err(JsonbError::Unsupported("unbalanced containers")) };
        if self.stack.is_empty() {
            return Err(JsonbError::Unsupported("unbalanced containers"));
        }
        let parent = self.top();
        pad_to_int(&mut parent.data);
        let start = parent.data.len();
        frame.write_into(&mut parent.data)?;
        parent.add(JENTRY_ISCONTAINER, start, true);
        frame.keys.clear();
        frame.data.clear();
        frame.members.clear();
        frame.pending_key = None;
        self.spare.push(frame);
        Ok(())
    }

    fn key(&mut self, key: &str) {
        let frame = self.top();
        let start = frame.keys.len();
        frame.keys.extend_from_slice(key.as_bytes());
        frame.pending_key = Some((start, key.len()));
    }
}

impl serde::ser::Error for JsonbError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        JsonbError::Custom(msg.to_string())
    }
}

macro_rules! int_methods {
    ($($name:ident: $ty:ty),*) => {$(
        fn $name(self, v: $ty) -> Result<(), JsonbError> {
            self.number(Some(Decimal::from_i64(v as i64)))
        }
    )*};
}

impl<'a> serde::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = JsonbError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    int_methods!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
                 serialize_u8: u8, serialize_u16: u16, serialize_u32: u32);

    fn serialize_u64(self, v: u64) -> Result<(), JsonbError> {
        match i64::try_from(v) {
            Ok(i) => self.number(Some(Decimal::from_i64(i))),
            Err(_) => self.number(Decimal::parse(&v.to_string())),
        }
    }
    fn serialize_bool(self, v: bool) -> Result<(), JsonbError> {
        self.scalar(if v { JENTRY_ISBOOL_TRUE } else { JENTRY_ISBOOL_FALSE }, &[], false)
    }
    fn serialize_f32(self, v: f32) -> Result<(), JsonbError> {
        self.number(Decimal::from_f64(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<(), JsonbError> {
        self.number(Decimal::from_f64(v))
    }
    fn serialize_char(self, v: char) -> Result<(), JsonbError> {
        self.serialize_str(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), JsonbError> {
        self.scalar(JENTRY_ISSTRING, v.as_bytes(), false)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), JsonbError> {
        use serde::ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), JsonbError> {
        self.scalar(JENTRY_ISNULL, &[], false)
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<(), JsonbError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), JsonbError> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), JsonbError> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), JsonbError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), JsonbError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), JsonbError> {
        self.open(true);
        self.key(variant);
        value.serialize(&mut *self)?;
        self.close()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, JsonbError> {
        self.open(false);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, JsonbError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, JsonbError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, JsonbError> {
        Err(JsonbError::Unsupported("tuple variants"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, JsonbError> {
        self.open(true);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, JsonbError> {
        self.open(true);
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, JsonbError> {
        Err(JsonbError::Unsupported("struct variants"))
    }
}

crate::ser_util::sequence_impls!(Writer, JsonbError);

impl<'a> serde::ser::SerializeTupleVariant for &'a mut Writer {
    type Ok = ();
    type Error = JsonbError;
    fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, _: &T) -> Result<(), JsonbError> {
        Err(JsonbError::Unsupported("tuple variants"))
    }
    fn end(self) -> Result<(), JsonbError> {
        Err(JsonbError::Unsupported("tuple variants"))
    }
}

impl<'a> serde::ser::SerializeMap for &'a mut Writer {
    type Ok = ();
    type Error = JsonbError;
    fn serialize_key<T: serde::Serialize + ?Sized>(&mut self, key: &T) -> Result<(), JsonbError> {
        key.serialize(KeyCapture(&mut **self))
    }
    fn serialize_value<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), JsonbError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), JsonbError> {
        self.close()
    }
}

impl<'a> serde::ser::SerializeStruct for &'a mut Writer {
    type Ok = ();
    type Error = JsonbError;
    fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), JsonbError> {
        self.key(key);
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), JsonbError> {
        self.close()
    }
}

impl<'a> serde::ser::SerializeStructVariant for &'a mut Writer {
    type Ok = ();
    type Error = JsonbError;
    fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, _: &'static str, _: &T) -> Result<(), JsonbError> {
        Err(JsonbError::Unsupported("struct variants"))
    }
    fn end(self) -> Result<(), JsonbError> {
        Err(JsonbError::Unsupported("struct variants"))
    }
}

/// Takes a map key, which jsonb (like JSON) wants as a string.
struct KeyCapture<'a>(&'a mut Writer);

impl<'a> serde::Serializer for KeyCapture<'a> {
    type Ok = ();
    type Error = JsonbError;
    type SerializeSeq = serde::ser::Impossible<(), JsonbError>;
    type SerializeTuple = serde::ser::Impossible<(), JsonbError>;
    type SerializeTupleStruct = serde::ser::Impossible<(), JsonbError>;
    type SerializeTupleVariant = serde::ser::Impossible<(), JsonbError>;
    type SerializeMap = serde::ser::Impossible<(), JsonbError>;
    type SerializeStruct = serde::ser::Impossible<(), JsonbError>;
    type SerializeStructVariant = serde::ser::Impossible<(), JsonbError>;

    fn serialize_str(self, v: &str) -> Result<(), JsonbError> {
        self.0.key(v);
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), JsonbError> {
        self.serialize_str(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), JsonbError> { self.serialize_str(&v.to_string()) }
    fn serialize_i16(self, v: i16) -> Result<(), JsonbError> { self.serialize_str(&v.to_string()) }
    fn serialize_i32(self, v: i32) -> Result<(), JsonbError> { self.serialize_str(&v.to_string()) }
    fn serialize_i64(self, v: i64) -> Result<(), JsonbError> { self.serialize_str(&v.to_string()) }
    fn serialize_u8(self, v: u8) -> Result<(), JsonbError> { self.serialize_str(&v.to_string()) }
    fn serialize_u16(self, v: u16) -> Result<(), JsonbError> { self.serialize_str(&v.to_string()) }
    fn serialize_u32(self, v: u32) -> Result<(), JsonbError> { self.serialize_str(&v.to_string()) }
    fn serialize_u64(self, v: u64) -> Result<(), JsonbError> { self.serialize_str(&v.to_string()) }
    fn serialize_f32(self, v: f32) -> Result<(), JsonbError> { self.serialize_str(&v.to_string()) }
    fn serialize_f64(self, v: f64) -> Result<(), JsonbError> { self.serialize_str(&v.to_string()) }
    fn serialize_char(self, v: char) -> Result<(), JsonbError> { self.serialize_str(v.encode_utf8(&mut [0u8; 4])) }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), JsonbError> { Err(JsonbError::Unsupported("byte keys")) }
    fn serialize_none(self) -> Result<(), JsonbError> { Err(JsonbError::Unsupported("null keys")) }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, v: &T) -> Result<(), JsonbError> { v.serialize(self) }
    fn serialize_unit(self) -> Result<(), JsonbError> { Err(JsonbError::Unsupported("unit keys")) }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), JsonbError> { Err(JsonbError::Unsupported("unit keys")) }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), JsonbError> { self.serialize_str(v) }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), JsonbError> { v.serialize(self) }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<(), JsonbError> { Err(JsonbError::Unsupported("variant keys")) }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, JsonbError> { Err(JsonbError::Unsupported("array keys")) }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, JsonbError> { Err(JsonbError::Unsupported("array keys")) }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, JsonbError> { Err(JsonbError::Unsupported("array keys")) }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeTupleVariant, JsonbError> { Err(JsonbError::Unsupported("array keys")) }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, JsonbError> { Err(JsonbError::Unsupported("object keys")) }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, JsonbError> { Err(JsonbError::Unsupported("object keys")) }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeStructVariant, JsonbError> { Err(JsonbError::Unsupported("object keys")) }
}

/// A decimal number in PostgreSQL's NUMERIC layout: base-10000 digits.
#[derive(Debug, Clone, PartialEq)]
pub struct Decimal {
    negative: bool,
    /// Base-10000 digits, most significant first, without leading or trailing zeros.
    digits: Vec<i16>,
    /// Power of 10000 of the first digit.
    weight: i32,
    /// Decimal digits shown after the point.
    dscale: u16,
}

const NUMERIC_SHORT: u16 = 0x8000;
const NUMERIC_SHORT_SIGN_MASK: u16 = 0x2000;
const NUMERIC_SHORT_DSCALE_SHIFT: u16 = 7;
const NUMERIC_SHORT_WEIGHT_SIGN_MASK: u16 = 0x0040;
const NUMERIC_SHORT_WEIGHT_MASK: u16 = 0x003F;
const NUMERIC_NEG: u16 = 0x4000;
const NUMERIC_DSCALE_MASK: u16 = 0x3FFF;

impl Decimal {
    pub fn from_i64(v: i64) -> Decimal {
        let mut magnitude = v.unsigned_abs();
        let mut groups = Vec::new();
        while magnitude > 0 {
            groups.push((magnitude % 10_000) as i16);
            magnitude /= 10_000;
        }
        groups.reverse();
        Decimal::normalised(v < 0, groups.len() as i32 - 1, groups, 0)
    }

    /// Uses the shortest decimal text that reads back as `f`, as JSON writers do.
    pub fn from_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        Decimal::parse(&format!("{}", f))
    }

    /// Parses plain decimal text (`-12.50`), the form `numeric_in` keeps the scale of.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        if !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let dscale = u16::try_from(frac_part.len()).ok()?;
        // Align both parts on base-10000 groups around the decimal point.
        let int_pad = (4 - int_part.len() % 4) % 4;
        let frac_pad = (4 - frac_part.len() % 4) % 4;
        let digits_text: String = "0".repeat(int_pad) + int_part + frac_part + &"0".repeat(frac_pad);
        let groups: Vec<i16> = digits_text
            .as_bytes()
            .chunks(4)
            .map(|c| c.iter().fold(0i16, |acc, b| acc * 10 + (b - b'0') as i16))
            .collect();
        let int_groups = (int_part.len() + int_pad) / 4;
        Some(Decimal::normalised(negative, int_groups as i32 - 1, groups, dscale))
    }

    fn normalised(negative: bool, mut weight: i32, groups: Vec<i16>, dscale: u16) -> Decimal {
        let lead = groups.iter().take_while(|&&g| g == 0).count();
        weight -= lead as i32;
        let mut digits = groups[lead..].to_vec();
        while digits.last() == Some(&0) {
            digits.pop();
        }
        if digits.is_empty() {
            return Decimal { negative: false, digits, weight: 0, dscale };
        }
        Decimal { negative, digits, weight, dscale }
    }

    /// Appends the NUMERIC varlena (4-byte header) as `make_result()` lays it out.
    pub(crate) fn write_numeric(&self, buf: &mut Vec<u8>) {
        let short = self.dscale <= 0x3F && (-64..=63).contains(&self.weight);
        let header_len = if short { 2 } else { 4 };
        let len = VARHDRSZ + header_len + 2 * self.digits.len();
        buf.extend_from_slice(&varsize_4b(len).to_ne_bytes());
        if short {
            let mut header = NUMERIC_SHORT | (self.dscale << NUMERIC_SHORT_DSCALE_SHIFT);
            if self.negative {
                header |= NUMERIC_SHORT_SIGN_MASK;
            }
            if self.weight < 0 {
                header |= NUMERIC_SHORT_WEIGHT_SIGN_MASK;
            }
            header |= (self.weight as u16) & NUMERIC_SHORT_WEIGHT_MASK;
            buf.extend_from_slice(&header.to_ne_bytes());
        } else {
            let sign = if self.negative { NUMERIC_NEG } else { 0 };
            buf.extend_from_slice(&(sign | (self.dscale & NUMERIC_DSCALE_MASK)).to_ne_bytes());
            buf.extend_from_slice(&(self.weight as i16).to_ne_bytes());
        }
        for d in &self.digits {
            buf.extend_from_slice(&d.to_ne_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JENTRY_TYPEMASK: u32 = 0x7000_0000;

    fn u32_at(buf: &[u8], at: usize) -> u32 {
        u32::from_ne_bytes(buf[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn decimals_match_numeric_layout() {
        assert_eq!(Decimal::from_i64(0).digits, Vec::<i16>::new());
        assert_eq!(Decimal::from_i64(12345).digits, vec![1, 2345]);
        assert_eq!(Decimal::from_i64(12345).weight, 1);
        assert_eq!(Decimal::from_i64(10000).digits, vec![1]);
        assert_eq!(Decimal::from_i64(-5).negative, true);
        let min = Decimal::from_i64(i64::MIN);
        assert_eq!(min.digits, vec![922, 3372, 368, 5477, 5808]);
        let d = Decimal::parse("0.0625").unwrap();
        assert_eq!((d.digits.clone(), d.weight, d.dscale), (vec![625], -1, 4));
        let d = Decimal::parse("1.50").unwrap();
        assert_eq!((d.digits.clone(), d.weight, d.dscale), (vec![1, 5000], 0, 2));
        assert!(Decimal::parse("1e5").is_none());
        assert!(Decimal::from_f64(f64::NAN).is_none());
    }

    #[test]
    fn small_numeric_bytes() {
        // SELECT '1'::numeric is the short header 0x8000 and one digit: 8 bytes in all.
        let mut buf = Vec::new();
        Decimal::from_i64(1).write_numeric(&mut buf);
        assert_eq!(buf.len(), 8);
        assert_eq!(u32_at(&buf, 0), 8 << 2);
        assert_eq!(u16::from_ne_bytes([buf[4], buf[5]]), 0x8000);
        assert_eq!(i16::from_ne_bytes([buf[6], buf[7]]), 1);
    }

    #[test]
    fn object_layout_sorts_keys_and_aligns() {
        #[derive(serde::Serialize)]
        struct Sample {
            bb: i64,
            a: bool,
            c: &'static str,
        }
        let buf = to_jsonb(&Sample { bb: 7, a: true, c: "x" }).unwrap();
        assert_eq!(u32_at(&buf, 0) >> 2, buf.len() as u32);
        assert_eq!(u32_at(&buf, 4), 3 | JB_FOBJECT);
        // keys a, c, bb; first JEntry stores an end offset
        assert_eq!(u32_at(&buf, 8), JENTRY_HAS_OFF | 1);
        assert_eq!(u32_at(&buf, 12), 1);
        assert_eq!(u32_at(&buf, 16), 2);
        assert_eq!(&buf[32..36], b"acbb");
        assert_eq!(u32_at(&buf, 20), JENTRY_ISBOOL_TRUE);
        assert_eq!(u32_at(&buf, 24), JENTRY_ISSTRING | 1);
        // numeric after "x" at offset 37: padded to 40, 8 bytes of numeric
        assert_eq!(u32_at(&buf, 28), JENTRY_ISNUMERIC | (3 + 8));
        assert_eq!(buf.len(), 48);
    }

    #[test]
    fn nested_containers_keep_their_alignment() {
        // an odd-length key before a nested object and array: padding goes before each
        let v = serde_json::json!({"k": "abc", "nested": {"n": 1, "list": [1, "x", {"z": null}]}});
        let buf = to_jsonb(&v).unwrap();
        assert_eq!(u32_at(&buf, 0) >> 2, buf.len() as u32);
        assert_eq!(u32_at(&buf, 4), 2 | JB_FOBJECT);
        // keys "k", "nested", then values "abc" and the container
        assert_eq!(&buf[24..31], b"knested");
        assert_eq!(&buf[31..34], b"abc");
        let nested_entry = u32_at(&buf, 20);
        assert_eq!(nested_entry & JENTRY_TYPEMASK, JENTRY_ISCONTAINER);
        // the nested object starts at 36 (34 padded), its length counts the 2 padding bytes
        assert_eq!(u32_at(&buf, 36), 2 | JB_FOBJECT);
        assert_eq!((nested_entry & JENTRY_OFFLENMASK) as usize, buf.len() - 34);
    }

    #[test]
    fn scalars_at_the_top_are_raw_scalar_arrays() {
        let buf = to_jsonb(&"hi").unwrap();
        assert_eq!(u32_at(&buf, 4), 1 | JB_FARRAY | JB_FSCALAR);
        assert_eq!(u32_at(&buf, 8), JENTRY_HAS_OFF | 2);
        assert_eq!(&buf[12..14], b"hi");
    }
}
