//! The two signatures of a snapshot.
//!
//! `signature`: sha256 over a canonical encoding of every definition: objects in key order,
//! fields in name order, each value tagged and length-prefixed so that no two different
//! snapshots encode alike. `meta` and the volatile table fields (row estimate and sizes) are
//! left out, so two databases built from the same DDL agree and a data load changes nothing.
//!
//! `keySignature`: seed 001's formula verbatim, sha256 of the compact JSON
//! `{"t":[table keys],"c":[column keys],"r":[relationship keys]}`, each sorted as JavaScript's
//! `Array.prototype.sort()` sorts strings (by UTF-16 code units).

use crate::model::Snapshot;
use crate::tree::{to_tree, Node};
use sha2::{Digest, Sha256};

/// Fields of a table that change with the data, not with the schema.
const VOLATILE_TABLE_FIELDS: &[&str] = &["rowEstimate", "totalBytes", "heapBytes", "indexBytes", "toastBytes"];

/// Computes both signatures and writes them into `meta`.
pub fn stamp(snap: &mut Snapshot) {
    snap.meta.signature = signature(snap);
    snap.meta.key_signature = key_signature(snap);
}

pub fn signature(snap: &Snapshot) -> String {
    match to_tree(snap) {
        Ok(tree) => tree_signature(&tree),
        // The model only holds strings, numbers, booleans, maps and lists.
        Err(_) => tree_signature(&Node::Null),
    }
}

/// The signature of a snapshot already turned into a tree (saves serialising it twice).
pub fn tree_signature(tree: &Node) -> String {
    let mut hasher = BufferedHasher::new();
    if let Node::Object(sections) = tree {
        let mut sections: Vec<_> = sections.iter().filter(|(k, _)| k != "meta").collect();
        sections.sort_by(|a, b| a.0.cmp(&b.0));
        hasher.tag(b'o', sections.len());
        for (name, value) in sections {
            hasher.bytes(b'k', name.as_bytes());
            if name == "tables" {
                write_tables(&mut hasher, value);
            } else {
                write_canonical(&mut hasher, value);
            }
        }
    }
    hasher.finish_hex()
}

fn write_tables(h: &mut BufferedHasher, tables: &Node) {
    let Node::Object(entries) = tables else {
        return write_canonical(h, tables);
    };
    let mut entries: Vec<_> = entries.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    h.tag(b'o', entries.len());
    for (key, table) in entries {
        h.bytes(b'k', key.as_bytes());
        match table {
            Node::Object(fields) => {
                let fields: Vec<_> = fields.iter().filter(|(k, _)| !VOLATILE_TABLE_FIELDS.contains(&k.as_ref())).collect();
                write_object(h, fields);
            }
            other => write_canonical(h, other),
        }
    }
}

fn write_object(h: &mut BufferedHasher, mut fields: Vec<&(std::borrow::Cow<'static, str>, Node)>) {
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    h.tag(b'o', fields.len());
    for (k, v) in fields {
        h.bytes(b'k', k.as_bytes());
        write_canonical(h, v);
    }
}

fn write_canonical(h: &mut BufferedHasher, node: &Node) {
    match node {
        Node::Null => h.tag(b'z', 0),
        Node::Bool(b) => h.tag(if *b { b't' } else { b'f' }, 0),
        Node::Int(i) => h.bytes(b'n', i.to_string().as_bytes()),
        Node::Float(f) => h.bytes(b'n', f.to_string().as_bytes()),
        Node::Str(s) => h.bytes(b's', s.as_bytes()),
        Node::Array(items) => {
            h.tag(b'a', items.len());
            for item in items {
                write_canonical(h, item);
            }
        }
        Node::Object(fields) => write_object(h, fields.iter().collect()),
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
        self.buf.extend_from_slice(&(len as u64).to_le_bytes());
        self.flush_if_full();
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
