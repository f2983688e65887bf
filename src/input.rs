//! Reading user input files (`-f`, `--set-file`, `.pchart.yaml`, a chart
//! archive) safely: bounded in size, and never hanging on special files.
//!
//! * Directories and sockets are refused at once.
//! * A FIFO is opened without blocking (so a FIFO nobody writes to reads
//!   as empty instead of hanging), then read normally: `-f <(cmd)` works.
//! * More than the input size limit (`crate::limits`) is an error naming
//!   the flag that raises it.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::Ordering;

/// The largest file or standard input the functions here read
/// (`--max-input-size`).
fn max_input_size() -> u64 {
    crate::limits::current().max_input_size
}

/// An I/O error's reason without Rust's `(os error N)` suffix.
pub fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Why a read failed: an I/O error (for callers that word it their own
/// way), or a refusal with its full reason.
#[derive(Debug)]
pub enum InputError {
    Io(std::io::Error),
    Refused(String),
}

impl InputError {
    /// The reason alone (no path), I/O errors without Rust's `(os error N)`.
    pub fn reason(&self) -> String {
        match self {
            InputError::Io(e) => io_reason(e),
            InputError::Refused(m) => m.clone(),
        }
    }
}

fn too_big(n: u64, max: u64) -> InputError {
    InputError::Refused(format!(
        "larger than the input size limit of {max} bytes ({n} bytes or more; raise with --max-input-size)"
    ))
}

/// Read all of `r`, failing past `max` bytes.
pub fn read_bounded(r: impl Read, max: u64) -> Result<Vec<u8>, InputError> {
    let mut buf = Vec::new();
    let n = r
        .take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(InputError::Io)? as u64;
    if n > max {
        return Err(too_big(n, max));
    }
    Ok(buf)
}

/// Read the file at `path` under the input size limit.
pub fn read_file(path: &Path) -> Result<Vec<u8>, InputError> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let max = max_input_size();
    let meta = std::fs::metadata(path).map_err(InputError::Io)?;
    let ft = meta.file_type();
    if ft.is_dir() {
        return Err(InputError::Refused("is a directory".into()));
    }
    if ft.is_socket() || ft.is_block_device() {
        return Err(InputError::Refused("not a regular file".into()));
    }
    if ft.is_file() && meta.len() > max {
        return Err(too_big(meta.len(), max));
    }
    let fifo = ft.is_fifo();
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(if fifo { libc::O_NONBLOCK } else { 0 })
        .open(path)
        .map_err(InputError::Io)?;
    if fifo {
        // Back to blocking reads now that the open cannot hang.
        use std::os::fd::AsRawFd;
        let fd = f.as_raw_fd();
        // SAFETY: fcntl on a descriptor we own, with valid flag arguments.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    read_bounded(f, max)
}

/// Read the file at `path` as UTF-8, errors as `PATH: reason`.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_file(path).map_err(|e| format!("{}: {}", path.display(), e.reason()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: file is not valid UTF-8 (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Whether standard input was read already.
static STDIN_TAKEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Read standard input under the limit. It can be read once per process:
/// a second `-` (`-f - -f -`, or `-f -` with `--set-file k=-`) would
/// silently get nothing, so it is refused.
pub fn read_stdin() -> Result<Vec<u8>, InputError> {
    if STDIN_TAKEN.swap(true, Ordering::SeqCst) {
        return Err(InputError::Refused(
            "standard input was already read by an earlier `-` (give `-` once)".into(),
        ));
    }
    read_bounded(std::io::stdin().lock(), max_input_size())
}

/// How findings and errors name standard input.
pub const STDIN_NAME: &str = "<stdin>";

/// A values file's name and text: `-` is standard input (named
/// [`STDIN_NAME`]), anything else a file read with [`read_text`].
pub fn read_values_text(path: &Path) -> Result<(String, String), String> {
    if path.as_os_str() == "-" {
        let bytes = read_stdin().map_err(|e| format!("{STDIN_NAME}: {}", e.reason()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{STDIN_NAME}: input is not valid UTF-8"))?;
        return Ok((STDIN_NAME.to_string(), text));
    }
    Ok((path.display().to_string(), read_text(path)?))
}
