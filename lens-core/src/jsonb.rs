//! Writes PostgreSQL's binary `jsonb` format directly.
//!
//! Going through JSON text and `jsonb_in` costs about 25 ms per MB here (a 5,000-table
//! snapshot is tens of MB); laying out the binary form from the tree costs a fraction of it.
//! The layout follows `convertToJsonb()` in `src/backend/utils/adt/jsonb_util.c` (PostgreSQL
//! 15) byte for byte: keys sorted by length then bytes, keys before values, every 32nd
//! JEntry an end offset, containers and numerics aligned to 4 bytes from the varlena start.

use crate::tree::Node;
use std::fmt;

const JENTRY_OFFLENMASK: u32 = 0x0FFF_FFFF;
const JENTRY_TYPEMASK: u32 = 0x7000_0000;
const JENTRY_HAS_OFF: u32 = 0x8000_0000;
const JENTRY_ISSTRING: u32 = 0x0000_0000;
const JENTRY_ISNUMERIC: u32 = 0x1000_0000;
const JENTRY_ISBOOL_FALSE: u32 = 0x2000_0000;
const JENTRY_ISBOOL_TRUE: u32 = 0x3000_0000;
const JENTRY_ISNULL: u32 = 0x4000_0000;
const JENTRY_ISCONTAINER: u32 = 0x5000_0000;
const JB_OFFSET_STRIDE: usize = 32;
const JB_FSCALAR: u32 = 0x1000_0000;
const JB_FOBJECT: u32 = 0x2000_0000;
const JB_FARRAY: u32 = 0x4000_0000;
const VARHDRSZ: usize = 4;
/// The largest varlena PostgreSQL accepts (1 GB - 1).
const MAX_VARLENA: usize = 0x3FFF_FFFF;

#[derive(Debug, Clone, PartialEq)]
pub enum JsonbError {
    TooLarge,
}

impl fmt::Display for JsonbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonbError::TooLarge => f.write_str("the value is too large for jsonb (a container over 256 MB)"),
        }
    }
}

impl std::error::Error for JsonbError {}

/// The whole varlena, 4-byte header included, ready to be copied into palloc'd memory.
pub fn encode(root: &Node) -> Result<Vec<u8>, JsonbError> {
    let mut buf = Vec::with_capacity(4096);
    buf.extend_from_slice(&[0u8; VARHDRSZ]);
    match root {
        Node::Array(_) | Node::Object(_) => {
            write_value(&mut buf, root)?;
        }
        scalar => {
            // A scalar at the top is stored as a one-element "raw scalar" array.
            pad_to_int(&mut buf);
            push_u32(&mut buf, 1 | JB_FARRAY | JB_FSCALAR);
            let slot = reserve(&mut buf, 1);
            let meta = write_value(&mut buf, scalar)?;
            let len = meta & JENTRY_OFFLENMASK;
            set_u32(&mut buf, slot, (meta & JENTRY_TYPEMASK) | len | JENTRY_HAS_OFF);
        }
    }
    if buf.len() > MAX_VARLENA {
        return Err(JsonbError::TooLarge);
    }
    let header = varsize_4b(buf.len());
    set_u32(&mut buf, 0, header);
    Ok(buf)
}

/// `SET_VARSIZE_4B`: the length shifted left by two on little-endian machines.
#[cfg(target_endian = "little")]
fn varsize_4b(len: usize) -> u32 {
    (len as u32) << 2
}

fn push_u32(buf: &mut Vec<u8>, v: u32) {
    buf.extend_from_slice(&v.to_ne_bytes());
}

fn set_u32(buf: &mut [u8], at: usize, v: u32) {
    buf[at..at + 4].copy_from_slice(&v.to_ne_bytes());
}

fn reserve(buf: &mut Vec<u8>, entries: usize) -> usize {
    let at = buf.len();
    buf.resize(at + 4 * entries, 0);
    at
}

/// Pads with zeros to a multiple of 4 and says how many bytes it added.
fn pad_to_int(buf: &mut Vec<u8>) -> u32 {
    let pad = (4 - buf.len() % 4) % 4;
    buf.resize(buf.len() + pad, 0);
    pad as u32
}

/// Appends the data of `node` and returns its JEntry (type and length).
fn write_value(buf: &mut Vec<u8>, node: &Node) -> Result<u32, JsonbError> {
    Ok(match node {
        Node::Null => JENTRY_ISNULL,
        Node::Bool(true) => JENTRY_ISBOOL_TRUE,
        Node::Bool(false) => JENTRY_ISBOOL_FALSE,
        Node::Str(s) => write_string(buf, s)?,
        Node::Int(i) => write_numeric(buf, &Decimal::from_i64(*i))?,
        Node::Float(f) => match Decimal::from_f64(*f) {
            Some(d) => write_numeric(buf, &d)?,
            None => JENTRY_ISNULL, // NaN and infinities have no JSON form
        },
        Node::Array(items) => {
            let base = buf.len();
            pad_to_int(buf);
            push_u32(buf, checked_count(items.len())? | JB_FARRAY);
            let slots = reserve(buf, items.len());
            let mut total: u32 = 0;
            for (i, item) in items.iter().enumerate() {
                let meta = write_value(buf, item)?;
                total = add_len(total, meta)?;
                set_u32(buf, slots + 4 * i, stride_entry(meta, total, i));
            }
            container_entry(buf.len() - base)?
        }
        Node::Object(entries) => {
            let base = buf.len();
            pad_to_int(buf);
            let n = entries.len();
            push_u32(buf, checked_count(n)? | JB_FOBJECT);
            let slots = reserve(buf, 2 * n);
            let mut order: Vec<usize> = (0..n).collect();
            // jsonb key order: shorter keys first, then bytewise; the last of duplicates wins.
            order.sort_by(|&a, &b| {
                let (ka, kb) = (entries[a].0.as_bytes(), entries[b].0.as_bytes());
                ka.len().cmp(&kb.len()).then_with(|| ka.cmp(kb)).then_with(|| b.cmp(&a))
            });
            order.dedup_by(|later, earlier| entries[*later].0 == entries[*earlier].0);
            let n = order.len();
            if n != entries.len() {
                // Duplicates were dropped: rewrite the header and release the spare slots.
                set_u32(buf, slots - 4, n as u32 | JB_FOBJECT);
                buf.truncate(slots + 8 * n);
            }
            let mut total: u32 = 0;
            for (i, &e) in order.iter().enumerate() {
                let meta = write_string(buf, &entries[e].0)?;
                total = add_len(total, meta)?;
                set_u32(buf, slots + 4 * i, stride_entry(meta, total, i));
            }
            for (i, &e) in order.iter().enumerate() {
                let meta = write_value(buf, &entries[e].1)?;
                total = add_len(total, meta)?;
                set_u32(buf, slots + 4 * (n + i), stride_entry(meta, total, n + i));
            }
            container_entry(buf.len() - base)?
        }
    })
}

fn checked_count(n: usize) -> Result<u32, JsonbError> {
    u32::try_from(n).ok().filter(|&n| n <= 0x0FFF_FFFF).ok_or(JsonbError::TooLarge)
}

fn add_len(total: u32, meta: u32) -> Result<u32, JsonbError> {
    let sum = total as u64 + (meta & JENTRY_OFFLENMASK) as u64;
    if sum > JENTRY_OFFLENMASK as u64 {
        return Err(JsonbError::TooLarge);
    }
    Ok(sum as u32)
}

/// Every JB_OFFSET_STRIDE'th entry stores its end offset instead of its length.
fn stride_entry(meta: u32, total: u32, i: usize) -> u32 {
    if i % JB_OFFSET_STRIDE == 0 {
        (meta & JENTRY_TYPEMASK) | total | JENTRY_HAS_OFF
    } else {
        meta
    }
}

fn container_entry(len: usize) -> Result<u32, JsonbError> {
    if len > JENTRY_OFFLENMASK as usize {
        return Err(JsonbError::TooLarge);
    }
    Ok(JENTRY_ISCONTAINER | len as u32)
}

fn write_string(buf: &mut Vec<u8>, s: &str) -> Result<u32, JsonbError> {
    if s.len() > JENTRY_OFFLENMASK as usize {
        return Err(JsonbError::TooLarge);
    }
    buf.extend_from_slice(s.as_bytes());
    Ok(JENTRY_ISSTRING | s.len() as u32)
}

fn write_numeric(buf: &mut Vec<u8>, d: &Decimal) -> Result<u32, JsonbError> {
    let pad = pad_to_int(buf);
    let start = buf.len();
    d.write_numeric(buf);
    Ok(JENTRY_ISNUMERIC | (pad + (buf.len() - start) as u32))
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
    fn write_numeric(&self, buf: &mut Vec<u8>) {
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
    use std::borrow::Cow;

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
        let node = Node::Object(vec![
            (Cow::Borrowed("bb"), Node::Int(7)),
            (Cow::Borrowed("a"), Node::Bool(true)),
            (Cow::Borrowed("c"), Node::Str("x".into())),
        ]);
        let buf = encode(&node).unwrap();
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
    fn duplicate_keys_keep_the_last() {
        let node = Node::Object(vec![(Cow::Borrowed("k"), Node::Int(1)), (Cow::Borrowed("k"), Node::Int(2))]);
        let buf = encode(&node).unwrap();
        assert_eq!(u32_at(&buf, 4), 1 | JB_FOBJECT);
        assert_eq!(i16::from_ne_bytes([buf[26], buf[27]]), 2);
    }
}
