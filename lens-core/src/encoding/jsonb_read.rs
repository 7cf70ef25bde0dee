//! Reads jsonb's binary form straight into `serde_json::Value`, for snapshots handed back to
//! the extension (`lens_diff`, `lens_signature(jsonb)`): printing tens of megabytes of jsonb
//! as text only to parse it again would cost more than the work asked for.

use crate::jsonb::{JB_FARRAY, JB_FOBJECT, JENTRY_HAS_OFF, JENTRY_OFFLENMASK};
use serde_json::{Map, Number, Value};

const JENTRY_TYPEMASK: u32 = 0x7000_0000;
const JB_CMASK: u32 = 0x0FFF_FFFF;

#[derive(Debug)]
pub struct ReadError(pub &'static str);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed jsonb: {}", self.0)
    }
}

/// How deep containers may nest in a value read here: serde_json's own limit, so that every
/// function refuses the same values (and no recursion runs out of stack).
pub const MAX_NESTING: usize = 128;

/// The value of a jsonb datum: `data` is what follows the varlena header.
pub fn jsonb_to_value(data: &[u8]) -> Result<Value, ReadError> {
    let value = container(data, 0, 1)?;
    // A scalar at the top is stored as a one-element array flagged scalar.
    let header = u32_at(data, 0)?;
    if header & 0x1000_0000 != 0 {
        if let Value::Array(mut items) = value {
            return items.pop().ok_or(ReadError("empty scalar container"));
        }
    }
    Ok(value)
}

fn u32_at(buf: &[u8], at: usize) -> Result<u32, ReadError> {
    buf.get(at..at + 4).map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]])).ok_or(ReadError("truncated"))
}

/// The JEntries of the container at `start` (`slots` of them: keys then values for an
/// object), each as (kind, begin, end) in `buf`, checked to lie inside it.
fn entries(buf: &[u8], start: usize, slots: usize) -> Result<Vec<(u32, usize, usize)>, ReadError> {
    let entries = start + 4;
    let data = entries + 4 * slots;
    if data > buf.len() {
        return Err(ReadError("truncated entries"));
    }
    // Each JEntry holds either its length or, every 32nd, its end offset.
    let mut bounds = Vec::with_capacity(slots);
    let mut end = 0usize;
    for i in 0..slots {
        let e = u32_at(buf, entries + 4 * i)?;
        let begin = end;
        end = if e & JENTRY_HAS_OFF != 0 { (e & JENTRY_OFFLENMASK) as usize } else { end + (e & JENTRY_OFFLENMASK) as usize };
        if data + end > buf.len() || begin > end {
            return Err(ReadError("value out of bounds"));
        }
        bounds.push((e & JENTRY_TYPEMASK, data + begin, data + end));
    }
    Ok(bounds)
}

/// The container at `start`: its member count, whether it is an object, and its JEntries
/// (keys then values for an object).
fn open_container(buf: &[u8], start: usize) -> Result<(usize, bool, Vec<(u32, usize, usize)>), ReadError> {
    let header = u32_at(buf, start)?;
    let n = (header & JB_CMASK) as usize;
    let is_object = header & JB_FOBJECT != 0;
    if !is_object && header & JB_FARRAY == 0 {
        return Err(ReadError("neither object nor array"));
    }
    Ok((n, is_object, entries(buf, start, if is_object { 2 * n } else { n })?))
}

fn container(buf: &[u8], start: usize, depth: usize) -> Result<Value, ReadError> {
    if depth > MAX_NESTING {
        return Err(ReadError("nested deeper than 128 levels"));
    }
    let (n, is_object, bounds) = open_container(buf, start)?;
    let value_at = |i: usize| -> Result<Value, ReadError> {
        let (kind, begin, end) = bounds[i];
        scalar_or_container(buf, kind, begin, end, depth)
    };
    if is_object {
        let mut map = Map::new();
        for i in 0..n {
            let (_, begin, end) = bounds[i];
            let key = std::str::from_utf8(&buf[begin..end]).map_err(|_| ReadError("key is not UTF-8"))?;
            map.insert(key.to_string(), value_at(n + i)?);
        }
        Ok(Value::Object(map))
    } else {
        (0..n).map(value_at).collect::<Result<Vec<_>, _>>().map(Value::Array)
    }
}

fn scalar_or_container(buf: &[u8], kind: u32, begin: usize, end: usize, depth: usize) -> Result<Value, ReadError> {
    match kind {
        0x0000_0000 => std::str::from_utf8(&buf[begin..end])
            .map(|s| Value::String(s.to_string()))
            .map_err(|_| ReadError("string is not UTF-8")),
        0x1000_0000 => numeric(buf.get((begin + 3) & !3..end).ok_or(ReadError("number out of bounds"))?),
        0x2000_0000 => Ok(Value::Bool(false)),
        0x3000_0000 => Ok(Value::Bool(true)),
        0x4000_0000 => Ok(Value::Null),
        0x5000_0000 => container(buf, (begin + 3) & !3, depth + 1),
        _ => Err(ReadError("unknown entry kind")),
    }
}

/// A NUMERIC varlena as a JSON number: an integer when it has no fractional digits.
fn numeric(bytes: &[u8]) -> Result<Value, ReadError> {
    let first = *bytes.first().ok_or(ReadError("empty numeric"))?;
    // a 1-byte varlena header has its low bit set (little-endian layout)
    let body = if first & 1 == 1 { &bytes[1..] } else { bytes.get(4..).ok_or(ReadError("short numeric"))? };
    let u16_at = |at: usize| body.get(at..at + 2).map(|b| u16::from_ne_bytes([b[0], b[1]])).ok_or(ReadError("short numeric"));
    let header = u16_at(0)?;
    let (negative, weight, dscale, digits_at) = if header & 0x8000 != 0 {
        if header & 0xC000 == 0xC000 {
            return Err(ReadError("NaN or infinity is not JSON"));
        }
        let weight_bits = (header & 0x003F) as i32;
        let weight = if header & 0x0040 != 0 { weight_bits - 64 } else { weight_bits };
        (header & 0x2000 != 0, weight, ((header >> 7) & 0x3F) as u32, 2)
    } else {
        (header & 0x4000 != 0, u16_at(2)? as i16 as i32, (header & 0x3FFF) as u32, 4)
    };
    let digits: Vec<i64> = body[digits_at..].chunks_exact(2).map(|c| i16::from_ne_bytes([c[0], c[1]]) as i64).collect();
    if dscale == 0 && weight < 5 {
        let mut v: i128 = 0;
        for (i, d) in digits.iter().enumerate() {
            let power = weight - i as i32;
            if power < 0 {
                break;
            }
            v += *d as i128 * 10_000i128.pow(power as u32);
        }
        let v = if negative { -v } else { v };
        if let Ok(small) = i64::try_from(v) {
            return Ok(Value::Number(small.into()));
        }
    }
    let mut f = 0f64;
    for (i, d) in digits.iter().enumerate() {
        f += *d as f64 * 10_000f64.powi(weight - i as i32);
    }
    Number::from_f64(if negative { -f } else { f }).map(Value::Number).ok_or(ReadError("number out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_back_what_the_writer_wrote() {
        let mut long = Map::new();
        for i in 0..100 {
            long.insert(format!("k{i}"), json!(i * 12345));
        }
        for value in [
            json!({"a": 1, "bb": [true, false, null, "x"], "c": {"d": -9223372036854775808i64, "e": 9223372036854775807i64}}),
            json!([1.5, -0.0625, "ünï", {}, []]),
            json!("scalar"),
            json!(42),
            Value::Object(long),
        ] {
            let bytes = crate::jsonb::to_jsonb(&value).unwrap();
            assert_eq!(jsonb_to_value(&bytes[4..]).unwrap(), value);
        }
        assert!(jsonb_to_value(&[1, 2]).is_err());
    }

    #[test]
    fn nesting_is_limited_the_same_way_everywhere() {
        let nested = |depth: usize| (1..depth).fold(json!({}), |inner, _| json!({ "a": [inner] }).take()["a"].take());
        for (depth, too_deep) in [(1, false), (MAX_NESTING, false), (MAX_NESTING + 1, true), (300, true)] {
            let bytes = crate::jsonb::to_jsonb(&nested(depth)).unwrap();
            assert_eq!(nests_too_deep(&bytes[4..]).unwrap(), too_deep, "depth {depth}");
            assert_eq!(jsonb_to_value(&bytes[4..]).is_err(), too_deep, "depth {depth}");
        }
    }
}

/// One member of a jsonb object in a buffer: its key, the kind of its value (the JEntry
/// type bits) and the byte range of the value (leading alignment padding included).
#[derive(Debug, Clone)]
pub struct Member<'a> {
    pub key: &'a [u8],
    pub kind: u32,
    pub range: std::ops::Range<usize>,
}

const KIND_STRING: u32 = 0;
const KIND_NUMERIC: u32 = 0x1000_0000;
const KIND_CONTAINER: u32 = 0x5000_0000;

impl Member<'_> {
    /// The value's bytes without the alignment padding in front of a number or container,
    /// which depends on where the value lies, not on what it is.
    pub fn bytes<'b>(&self, buf: &'b [u8]) -> &'b [u8] {
        let start = if self.kind == KIND_NUMERIC || self.kind == KIND_CONTAINER { (self.range.start + 3) & !3 } else { self.range.start };
        &buf[start.min(self.range.end)..self.range.end]
    }

    /// Where the value's container starts, if it is one.
    pub fn container_start(&self) -> Option<usize> {
        (self.kind == KIND_CONTAINER).then_some((self.range.start + 3) & !3)
    }

    /// The member's value as the string it is, read in place (jsonb keeps strings
    /// unescaped); None when it is not a string.
    pub fn string<'b>(&self, buf: &'b [u8]) -> Result<Option<&'b str>, ReadError> {
        if self.kind != KIND_STRING {
            return Ok(None);
        }
        std::str::from_utf8(&buf[self.range.clone()]).map(Some).map_err(|_| ReadError("a string is not UTF-8"))
    }

    /// The member's value (`depth`: of the object holding it, 1 at the top).
    pub fn to_value(&self, buf: &[u8]) -> Result<Value, ReadError> {
        scalar_or_container(buf, self.kind, self.range.start, self.range.end, 1)
    }
}

/// The members of the object whose container starts at `start`, in stored order (jsonb's:
/// shorter keys first, then bytewise). None when it is not an object.
pub fn members(buf: &[u8], start: usize) -> Result<Option<Vec<Member<'_>>>, ReadError> {
    let header = u32_at(buf, start)?;
    if header & JB_FOBJECT == 0 {
        return Ok(None);
    }
    let n = (header & JB_CMASK) as usize;
    let bounds = entries(buf, start, 2 * n)?;
    Ok(Some(
        (0..n)
            .map(|i| Member { key: &buf[bounds[i].1..bounds[i].2], kind: bounds[n + i].0, range: bounds[n + i].1..bounds[n + i].2 })
            .collect(),
    ))
}

/// The elements of the array whose container starts at `start` (`key` empty), in order;
/// empty when it is not an array.
pub fn elements(buf: &[u8], start: usize) -> Result<Vec<Member<'_>>, ReadError> {
    let (n, is_object, bounds) = open_container(buf, start)?;
    if is_object {
        return Ok(Vec::new());
    }
    Ok(bounds.into_iter().take(n).map(|(kind, begin, end)| Member { key: &[], kind, range: begin..end }).collect())
}

/// Whether containers nest deeper than `MAX_NESTING` anywhere in the value (`data`: what
/// follows the varlena header). Walks the containers' headers only, without a stack of
/// calls: a value nested 6,000 deep is refused, never recursed into.
pub fn nests_too_deep(data: &[u8]) -> Result<bool, ReadError> {
    let mut pending = vec![(0usize, 1usize)];
    while let Some((start, depth)) = pending.pop() {
        if depth > MAX_NESTING {
            return Ok(true);
        }
        let (n, is_object, bounds) = open_container(data, start)?;
        let values = if is_object { &bounds[n..] } else { &bounds[..] };
        pending.extend(values.iter().filter(|v| v.0 == KIND_CONTAINER).map(|&(_, begin, _)| ((begin + 3) & !3, depth + 1)));
    }
    Ok(false)
}

/// The members of two objects side by side, by key (both lists in jsonb's key order, as
/// `members` gives them): a key on one side only has None on the other.
pub fn merge_by_key<'a, 'm>(before: &'m [Member<'a>], after: &'m [Member<'a>]) -> Vec<(&'a [u8], Option<&'m Member<'a>>, Option<&'m Member<'a>>)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(before.len().max(after.len()));
    while i < before.len() || j < after.len() {
        let order = match (before.get(i), after.get(j)) {
            (Some(x), Some(y)) => key_order(x.key, y.key),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                out.push((before[i].key, Some(&before[i]), None));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push((after[j].key, None, Some(&after[j])));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((before[i].key, Some(&before[i]), Some(&after[j])));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// jsonb's order of object keys.
pub fn key_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The member `key` of an object (binary search in jsonb's key order).
pub fn find<'a>(members: &'a [Member<'a>], key: &[u8]) -> Option<&'a Member<'a>> {
    members.binary_search_by(|m| key_order(m.key, key)).ok().map(|i| &members[i])
}
