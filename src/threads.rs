//! Threads for pure Rust work over large values (no server calls on them): they start with
//! every signal blocked, so that the server's signal handlers run on the backend's thread.

/// Runs `f` with every signal blocked in the calling thread; threads spawned inside inherit
/// the mask.
fn with_signals_blocked<R>(f: impl FnOnce() -> R) -> R {
    unsafe {
        // SAFETY: plain signal mask calls on the current thread, restored below.
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut previous: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_BLOCK, &all, &mut previous);
        let result = f();
        libc::pthread_sigmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
        result
    }
}

/// `a()` on this thread and `b()` on another, at once.
pub fn both<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, std::thread::Result<B>) {
    std::thread::scope(|s| {
        let other = with_signals_blocked(|| s.spawn(b));
        (a(), other.join())
    })
}

/// Frees `value` on a thread of its own, without waiting: dropping millions of small
/// allocations takes longer than the work that needed them.
pub fn drop_later<T: Send + 'static>(value: T) {
    let spawned = with_signals_blocked(|| std::thread::Builder::new().name("pg_lens drop".into()).spawn(move || drop(value)));
    // Could not start a thread: free it here.
    if let Err(e) = spawned {
        pgrx::debug1!("pg_lens: no thread to free on: {e}");
    }
}
