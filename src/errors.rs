//! Errors a user can act on: every one carries a hint.

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::{PgLogLevel, PgSqlErrorCode};

/// Raises an ERROR with a hint; never returns.
pub fn raise(code: PgSqlErrorCode, message: impl Into<String>, hint: impl Into<String>) -> ! {
    ErrorReport::new(code, message.into(), "pg_lens")
        .set_hint(hint)
        .report(PgLogLevel::ERROR);
    unreachable!("ERROR does not return")
}

/// Raises an ERROR for a bad argument.
pub fn bad_argument(message: impl Into<String>, hint: impl Into<String>) -> ! {
    raise(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, message, hint)
}

/// Raises an ERROR for something that should not happen: a catalog answer of an unexpected shape.
pub fn internal(message: impl Into<String>) -> ! {
    raise(
        PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
        message,
        "This is a bug in pg_lens; please report it with the statement that caused it.",
    )
}

/// A limit of what pg_lens can build (a snapshot over jsonb's 256 MB), said as one: what is
/// too large and what to do, never "a bug".
pub fn limit_exceeded(e: lens_core::snapshot_io::InputError) -> ! {
    raise(PgSqlErrorCode::ERRCODE_PROGRAM_LIMIT_EXCEEDED, e.message, e.hint)
}
