//! The text of the statement a drift row records.
//!
//! A client may send many statements in one query string (a migration file in one simple
//! query); the drift row of each should hold its own. The server knows where each utility
//! statement starts and how long it is (`PlannedStmt.stmt_location` / `stmt_len`) only on the
//! way into `ProcessUtility`, so pg_lens hooks it once its library is loaded and keeps a
//! stack of the statements being run (DDL inside a function runs nested). The first DDL of a
//! session that had not loaded pg_lens yet is already past the hook: its row holds the whole
//! query string (`shared_preload_libraries = 'pg_lens'` avoids that). Secrets are redacted
//! (`lens_core::redact`).

use pgrx::prelude::*;
use std::cell::RefCell;
use std::ffi::CStr;

/// Where a statement's text is: the query string it came in and its part of it.
#[derive(Clone, Copy)]
struct Running {
    query: *const std::ffi::c_char,
    location: i32,
    length: i32,
}

thread_local! {
    static RUNNING: RefCell<Vec<Running>> = const { RefCell::new(Vec::new()) };
}

static mut PREVIOUS: pg_sys::ProcessUtility_hook_type = None;

/// Installs the hook (from `_PG_init`), after whatever hook was there.
pub fn install() {
    unsafe {
        // SAFETY: backends are single-threaded; _PG_init runs once per backend.
        PREVIOUS = pg_sys::ProcessUtility_hook;
        pg_sys::ProcessUtility_hook = Some(process_utility);
    }
}

#[pg_guard]
#[allow(clippy::too_many_arguments)]
unsafe extern "C-unwind" fn process_utility(
    pstmt: *mut pg_sys::PlannedStmt,
    query_string: *const std::ffi::c_char,
    read_only_tree: bool,
    context: pg_sys::ProcessUtilityContext::Type,
    params: pg_sys::ParamListInfo,
    query_env: *mut pg_sys::QueryEnvironment,
    dest: *mut pg_sys::DestReceiver,
    qc: *mut pg_sys::QueryCompletion,
) {
    let running = unsafe {
        // SAFETY: the executor hands us a valid statement and its query string.
        Running { query: query_string, location: (*pstmt).stmt_location, length: (*pstmt).stmt_len }
    };
    RUNNING.with(|r| r.borrow_mut().push(running));
    let depth = RUNNING.with(|r| r.borrow().len());
    pg_sys::PgTryBuilder::new(|| unsafe {
        // SAFETY: the chain of hooks as PostgreSQL defines it.
        match PREVIOUS {
            Some(previous) => previous(pstmt, query_string, read_only_tree, context, params, query_env, dest, qc),
            None => pg_sys::standard_ProcessUtility(pstmt, query_string, read_only_tree, context, params, query_env, dest, qc),
        }
    })
    .finally(|| RUNNING.with(|r| r.borrow_mut().truncate(depth - 1)))
    .execute();
}

/// The text of the statement running now, secrets redacted: its own part of the query
/// string when the hook saw it come in, else the whole query string.
pub fn current() -> Option<String> {
    let running = RUNNING.with(|r| r.borrow().last().copied());
    let text = match running {
        Some(r) if !r.query.is_null() => {
            // SAFETY: the query string outlives the statement it contains, which is running.
            let whole = unsafe { CStr::from_ptr(r.query) }.to_string_lossy();
            cut(&whole, r.location, r.length)
        }
        _ => unsafe {
            // SAFETY: debug_query_string is the current client query (or NULL).
            let whole = pg_sys::debug_query_string;
            if whole.is_null() {
                return None;
            }
            CStr::from_ptr(whole).to_string_lossy().trim().to_string()
        },
    };
    Some(lens_core::redact::statement(&text))
}

/// `length` bytes of `whole` from `location` (-1: unknown, the whole string; 0 long: to the
/// end), trimmed, on character boundaries.
fn cut(whole: &str, location: i32, length: i32) -> String {
    if location < 0 || location as usize >= whole.len() {
        return whole.trim().to_string();
    }
    let start = location as usize;
    let end = if length <= 0 { whole.len() } else { (start + length as usize).min(whole.len()) };
    match whole.get(start..end) {
        Some(part) => part.trim().to_string(),
        None => whole.trim().to_string(),
    }
}
