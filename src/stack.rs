//! A guard against native stack exhaustion.
//!
//! Go grows goroutine stacks up to 1 GB, so Helm accepts deeply nested
//! templates (control structures have no parse limit, `tpl` and `include`
//! of different names nest without bound). pchart runs its work on one
//! thread with a big stack ([`with_big_stack`]) and the
//! recursive parts (template parser, executor) call [`exhausted`] so that
//! hostile nesting becomes an error instead of a stack overflow abort.
//! On threads not started by `with_big_stack` the guard is off.

use std::cell::Cell;

/// Stack kept free below the guard for the work done between two checks
/// (functions such as `toYaml` recurse on their own, bounded by depth).
const MARGIN: usize = 16 << 20;

thread_local! {
    /// Lowest stack address (plus [`MARGIN`]) recursion may reach; 0 = no guard.
    static LIMIT: Cell<usize> = const { Cell::new(0) };
}

fn here() -> usize {
    let x = 0u8;
    std::hint::black_box(&x) as *const u8 as usize
}

/// Record that the current thread has `size` bytes of stack, starting
/// about here. Call first thing on a new thread.
pub fn set_size(size: usize) {
    let limit = here().saturating_sub(size.saturating_sub(MARGIN));
    LIMIT.with(|l| l.set(limit));
}

/// True when recursion must stop: less than the margin is left.
pub fn exhausted() -> bool {
    let limit = LIMIT.with(|l| l.get());
    limit != 0 && here() < limit
}

/// Run `f` on a thread with a stack large enough for Go's template depth
/// limits (100000 nested `template` calls, 1000 nested `include`s).
///
/// The stack is only reserved address space; under a tight `ulimit -v`
/// smaller stacks are tried, and [`exhausted`] turns nesting deeper
/// than the stack allows into an error. Fails only when the operating
/// system refuses even the smallest thread.
pub fn with_big_stack<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    const SIZES: [usize; 4] = [4 << 30, 1 << 30, 256 << 20, 64 << 20];
    let f = std::sync::Arc::new(std::sync::Mutex::new(Some(f)));
    let mut last = None;
    for size in SIZES {
        let f = f.clone();
        let spawned = std::thread::Builder::new().stack_size(size).spawn(move || {
            set_size(size);
            let f = f.lock().ok().and_then(|mut g| g.take());
            f.map(|f| f())
        });
        match spawned {
            Ok(handle) => {
                return match handle.join() {
                    Ok(Some(v)) => Ok(v),
                    Ok(None) => Err("cannot start the render thread".into()),
                    Err(p) => std::panic::resume_unwind(p),
                };
            }
            Err(e) => last = Some(e),
        }
    }
    Err(format!(
        "cannot start the render thread: {}",
        last.map(|e| crate::input::io_reason(&e))
            .unwrap_or_default()
    ))
}
