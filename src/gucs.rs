//! pg_lens's settings. All superuser-only (SUSET): an ordinary role must not be able to
//! switch recording off or narrow it.

use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting};
use std::ffi::CString;

/// `lens.capture`: record every DDL statement into lens_drift.
pub static CAPTURE: GucSetting<bool> = GucSetting::<bool>::new(true);
/// `lens.capture_schemas`: comma-separated schema names to record; empty for every user schema.
pub static CAPTURE_SCHEMAS: GucSetting<Option<CString>> = GucSetting::<Option<CString>>::new(None);
/// `lens.strict`: a capture failure aborts the DDL statement instead of being recorded.
pub static STRICT: GucSetting<bool> = GucSetting::<bool>::new(false);

/// `lens.verify_allowed`: `lens_migration(target, verify => true)` may run a plan (and roll
/// it back) here. Off by default: verifying takes the plan's locks and does its rewrites.
pub static VERIFY_ALLOWED: GucSetting<bool> = GucSetting::<bool>::new(false);

pub fn register() {
    GucRegistry::define_bool_guc(
        c"lens.verify_allowed",
        c"lens_migration may verify a plan by running it and rolling it back.",
        c"Verifying takes the plan's locks and does its rewrites before the rollback: for staging and CI databases.",
        &VERIFY_ALLOWED,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"lens.capture",
        c"Records every DDL statement into lens_drift.",
        c"Superuser-only, so that an ordinary role cannot switch recording off.",
        &CAPTURE,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_string_guc(
        c"lens.capture_schemas",
        c"Comma-separated schemas whose DDL is recorded; empty for every user schema.",
        c"Changing it rebuilds the captured state at the next DDL statement.",
        &CAPTURE_SCHEMAS,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"lens.strict",
        c"A capture failure aborts the DDL statement.",
        c"Off: the failure is recorded in lens_drift with a WARNING and the statement goes on.",
        &STRICT,
        GucContext::Suset,
        GucFlags::default(),
    );
}

/// The schemas capture covers: None for every user schema.
pub fn capture_schemas() -> Option<Vec<String>> {
    let value = CAPTURE_SCHEMAS.get()?;
    let names: Vec<String> =
        value.to_string_lossy().split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    (!names.is_empty()).then_some(names)
}
