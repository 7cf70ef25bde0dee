//! Reading snapshots that users hand back (from git, from another database) and writing them.

use crate::model::{Snapshot, FORMAT_VERSION};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    pub message: String,
    pub hint: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.hint)
    }
}

fn not_a_snapshot(why: impl fmt::Display) -> InputError {
    InputError {
        message: format!("the jsonb value is not a pg_lens snapshot: {why}"),
        hint: "Pass the value lens_snapshot() returned, or a file written from it.".into(),
    }
}

/// Parses the JSON text of a snapshot, refusing what is not one or is too new to read.
pub fn parse_snapshot(json: &str) -> Result<Snapshot, InputError> {
    if nests_too_deep(json) {
        return Err(too_deep());
    }
    let mut value: serde_json::Value = serde_json::from_str(json).map_err(not_a_snapshot)?;
    check_snapshot_value(&value)?;
    crate::parts::count_positions_from_one(&mut value);
    serde_json::from_value(value).map_err(not_a_snapshot)
}

/// A snapshot handed back as a JSON value, as the model and as that value (with positions
/// counted from 1, as formatVersion 1 did not): refused when it is not one or is too new to
/// read; signed here when it carries no signature (written by hand).
pub fn snapshot_and_value(mut value: serde_json::Value) -> Result<(Snapshot, serde_json::Value), InputError> {
    check_snapshot_value(&value)?;
    crate::parts::count_positions_from_one(&mut value);
    let mut snap = <Snapshot as serde::Deserialize>::deserialize(&value).map_err(not_a_snapshot)?;
    if snap.meta.signature.is_empty() {
        crate::signature::stamp(&mut snap);
    }
    Ok((snap, value))
}

/// What a value nested deeper than `jsonb_read::MAX_NESTING` gets, whichever function reads it.
pub fn too_deep() -> InputError {
    not_a_snapshot(format!("it nests deeper than {} levels", crate::jsonb_read::MAX_NESTING))
}

/// Whether JSON text nests arrays and objects deeper than `jsonb_read::MAX_NESTING` (brackets
/// inside strings do not count).
fn nests_too_deep(json: &str) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in json.bytes() {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => {
                depth += 1;
                if depth > crate::jsonb_read::MAX_NESTING {
                    return true;
                }
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Checks that a JSON value is a snapshot this version reads.
pub fn check_snapshot_value(value: &serde_json::Value) -> Result<(), InputError> {
    let Some(object) = value.as_object() else {
        return Err(not_a_snapshot("it is not an object"));
    };
    let Some(meta) = object.get("meta").and_then(|m| m.as_object()) else {
        return Err(not_a_snapshot("it has no \"meta\" object"));
    };
    if !object.contains_key("tables") {
        return Err(not_a_snapshot("it has no \"tables\" object"));
    }
    let version = match meta.get("formatVersion") {
        None => 1,
        Some(v) => match v.as_i64() {
            Some(n) if n >= 1 => n,
            _ => return Err(not_a_snapshot(format!("meta.formatVersion is {v}, not a version (1 or more)"))),
        },
    };
    if version > FORMAT_VERSION {
        return Err(InputError {
            message: format!(
                "the snapshot has formatVersion {version}, newer than the {FORMAT_VERSION} this pg_lens reads"
            ),
            hint: "Upgrade pg_lens (ALTER EXTENSION pg_lens UPDATE) or take the snapshot with this version.".into(),
        });
    }
    for path in crate::sections::SECTIONS.iter().filter(|s| crate::sections::section_since(s) <= version) {
        let mut at = Some(value);
        for part in path.split('.') {
            at = at.and_then(|v| v.get(part));
        }
        match at {
            Some(v) if v.is_object() => {}
            Some(_) => return Err(not_a_snapshot(format!("its section \"{path}\" is not an object"))),
            None => return Err(not_a_snapshot(format!("it has no \"{path}\" section"))),
        }
    }
    for field in ["schemas", "tables"] {
        if let Some(list) = meta.get(field) {
            let names = list.as_array().filter(|a| !a.is_empty() && a.iter().all(|n| n.as_str().is_some_and(|s| !s.is_empty())));
            if names.is_none() {
                return Err(not_a_snapshot(format!("meta.{field} is {list}, not a list of one or more names")));
            }
        }
    }
    // positions count from 1 (only a full value carries the entries)
    if let Some(columns) = object.get("columns").and_then(|c| c.as_object()) {
        for (key, column) in columns {
            if let Some(position) = column.get("position") {
                if !position.as_i64().is_some_and(|p| p >= 1) {
                    return Err(not_a_snapshot(format!("column {key} has position {position}: positions count from 1")));
                }
            }
        }
    }
    Ok(())
}

/// Signs an unsigned snapshot and encodes it as jsonb varlena bytes. Returns the bytes and
/// the signature; a snapshot that jsonb cannot hold (over 256 MB in one object) is an error
/// naming its largest entries.
pub fn sign_and_encode(snap: &mut Snapshot) -> Result<(Vec<u8>, String), InputError> {
    crate::signature::stamp(snap);
    let bytes = crate::jsonb_model::snapshot_jsonb(snap).map_err(|e| too_large(snap, &e))?;
    Ok((bytes, snap.meta.signature.clone()))
}

/// What to say when a snapshot does not fit in a jsonb: the entries that weigh most, and how
/// to get a snapshot anyway.
fn too_large(snap: &Snapshot, error: &crate::jsonb::JsonbError) -> InputError {
    let mut sizes: Vec<(usize, String)> = Vec::new();
    crate::sections::for_each_section(snap, &mut |section, entries| {
        entries.for_each_entry(&mut |key, entry| sizes.push((entry.to_json().to_string().len(), format!("{section} {key}"))));
    });
    sizes.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let largest: Vec<String> =
        sizes.iter().take(3).map(|(n, what)| format!("{what} ({:.1} MB)", *n as f64 / 1_048_576.0)).collect();
    InputError {
        message: format!("the snapshot does not fit in one jsonb value ({error}); its largest entries: {}", largest.join(", ")),
        hint: "jsonb holds at most 256 MB in one object: take the snapshot of fewer schemas or tables \
               (lens_snapshot(tables => ...)), or shorten those values (comments are kept in full)."
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok_snapshot() -> Snapshot {
        let text = with_meta(r#"{"formatVersion":1}"#)
            .replace(r#""tables":{}"#, r#""tables":{"public.t":{"key":"public.t","schema":"public","name":"t","kind":"table"}}"#);
        parse_snapshot(&text).unwrap()
    }

    const EMPTY_SECTIONS: &str = r#""tables":{},"columns":{},"constraints":{"pks":{},"uniques":{},"checks":{},"exclusions":{}},"relationships":{},"indexes":{},"views":{},"enums":{},"domains":{},"sequences":{},"triggers":{},"policies":{}"#;

    fn with_meta(meta: &str) -> String {
        format!("{{\"meta\":{meta},{EMPTY_SECTIONS}}}")
    }

    #[test]
    fn refuses_bad_metadata_missing_sections_and_impossible_positions() {
        assert!(parse_snapshot(&with_meta(r#"{"formatVersion":1,"schemas":["public"],"tables":["public.t"]}"#)).is_ok());
        for (meta, says) in [
            (r#"{"formatVersion":0}"#, "formatVersion"),
            (r#"{"formatVersion":-1}"#, "formatVersion"),
            (r#"{"formatVersion":"1"}"#, "formatVersion"),
            (r#"{"schemas":5}"#, "meta.schemas"),
            (r#"{"schemas":[null]}"#, "meta.schemas"),
            (r#"{"schemas":[]}"#, "meta.schemas"),
            (r#"{"schemas":null}"#, "meta.schemas"),
            (r#"{"tables":[]}"#, "meta.tables"),
            (r#"{"tables":5}"#, "meta.tables"),
        ] {
            let e = parse_snapshot(&with_meta(meta)).unwrap_err();
            assert!(e.message.contains(says), "{meta}: {}", e.message);
        }
        let missing = format!("{{\"meta\":{{}},{}}}", EMPTY_SECTIONS.replace(r#""columns":{},"#, ""));
        assert!(parse_snapshot(&missing).unwrap_err().message.contains("\"columns\""));
        let nested_missing = format!("{{\"meta\":{{}},{}}}", EMPTY_SECTIONS.replace(r#""pks":{},"#, ""));
        assert!(parse_snapshot(&nested_missing).unwrap_err().message.contains("constraints.pks"));
        let deep = with_meta("{}").replace(r#""views":{}"#, &format!(r#""views":{{"x":{}"[{{]\\"" {}}}"#, "[".repeat(200), "]".repeat(200)));
        assert!(parse_snapshot(&deep).unwrap_err().message.contains("deeper than 128"));
        let brackets_in_strings = with_meta(&format!(r#"{{"note":"{}\"{}"}}"#, "[".repeat(200), "{".repeat(200)));
        assert!(parse_snapshot(&brackets_in_strings).is_ok());
        let negative = with_meta("{}").replace(r#""columns":{}"#, r#""columns":{"public.t.a":{"key":"public.t.a","position":-5}}"#);
        assert!(parse_snapshot(&negative).unwrap_err().message.contains("position"));
    }

    #[test]
    fn refuses_what_is_not_a_snapshot() {
        assert!(parse_snapshot("[1,2]").unwrap_err().message.contains("not an object"));
        assert!(parse_snapshot("{\"a\":1}").unwrap_err().message.contains("meta"));
        assert!(parse_snapshot("{\"meta\":{},\"tables\":[]}").is_err());
        let newer = parse_snapshot(&with_meta("{\"formatVersion\":99}")).unwrap_err();
        assert!(newer.message.contains("newer"));
        let mut signed = ok_snapshot();
        let (bytes, sig) = sign_and_encode(&mut signed).unwrap();
        assert_eq!(sig, crate::signature::signature(&signed));
        assert_eq!(signed.meta.signature, sig);
        assert!(bytes.windows(sig.len()).any(|w| w == sig.as_bytes()), "the signature is inside the jsonb");
        let ok = parse_snapshot(&with_meta("{\"formatVersion\":1}")).unwrap();
        assert!(ok.tables.is_empty());
    }
}
