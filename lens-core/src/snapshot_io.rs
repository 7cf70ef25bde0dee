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
    let value: serde_json::Value = serde_json::from_str(json).map_err(not_a_snapshot)?;
    check_snapshot_value(&value)?;
    serde_json::from_value(value).map_err(not_a_snapshot)
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
    let version = meta.get("formatVersion").and_then(|v| v.as_i64()).unwrap_or(1);
    if version > FORMAT_VERSION {
        return Err(InputError {
            message: format!(
                "the snapshot has formatVersion {version}, newer than the {FORMAT_VERSION} this pg_lens reads"
            ),
            hint: "Upgrade pg_lens (ALTER EXTENSION pg_lens UPDATE) or take the snapshot with this version.".into(),
        });
    }
    if !object["tables"].is_object() {
        return Err(not_a_snapshot("its \"tables\" is not an object"));
    }
    Ok(())
}

/// Signs an unsigned snapshot and encodes it as jsonb varlena bytes. Returns the bytes and
/// the signature.
pub fn sign_and_encode(snap: &mut Snapshot) -> Result<(Vec<u8>, String), String> {
    crate::signature::stamp(snap);
    let bytes = crate::jsonb_model::snapshot_jsonb(snap).map_err(|e| e.to_string())?;
    Ok((bytes, snap.meta.signature.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok_snapshot() -> Snapshot {
        parse_snapshot(r#"{"meta":{"formatVersion":1},"tables":{"public.t":{"key":"public.t","schema":"public","name":"t","kind":"table"}}}"#).unwrap()
    }

    #[test]
    fn refuses_what_is_not_a_snapshot() {
        assert!(parse_snapshot("[1,2]").unwrap_err().message.contains("not an object"));
        assert!(parse_snapshot("{\"a\":1}").unwrap_err().message.contains("meta"));
        assert!(parse_snapshot("{\"meta\":{},\"tables\":[]}").is_err());
        let newer = parse_snapshot("{\"meta\":{\"formatVersion\":99},\"tables\":{}}").unwrap_err();
        assert!(newer.message.contains("newer"));
        let mut signed = ok_snapshot();
        let (bytes, sig) = sign_and_encode(&mut signed).unwrap();
        assert_eq!(sig, crate::signature::signature(&signed));
        assert_eq!(signed.meta.signature, sig);
        assert!(bytes.windows(sig.len()).any(|w| w == sig.as_bytes()), "the signature is inside the jsonb");
        let ok = parse_snapshot("{\"meta\":{\"formatVersion\":1},\"tables\":{}}").unwrap();
        assert!(ok.tables.is_empty());
    }
}
