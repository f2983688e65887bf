//! Writing to standard output and standard error, shared by every command.
//!
//! A closed pipe (`pchart explain PC005 | head -c1`) is not an error: the
//! reader has what it wanted, so the rest of the output is dropped and the
//! command keeps its exit code. `print!` would panic there instead.

use std::io::{IsTerminal, Write};

use pchart::report::Format;

/// `--format`, shared by `lint`, `diff`, `test` and the hook commands.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// The one colour decision: colour only for people (human format), on a
/// terminal, unless NO_COLOR is set (to anything but "").
pub fn use_color(format: Format) -> bool {
    format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// [`use_color`] for people's messages on standard error.
pub fn use_color_on_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Write `text` to standard output and flush it; a closed pipe is success.
pub fn write_stdout(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

/// Write one line to standard error, ignoring failures: a message that
/// cannot be shown must not turn into a panic.
pub fn eprint_line(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// [`eprint_line`], once per process for each distinct line: the
/// configuration is read by several steps of one command.
pub fn eprint_once(line: &str) {
    static SHOWN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    if let Ok(mut shown) = SHOWN.lock() {
        if shown.iter().any(|s| s == line) {
            return;
        }
        shown.push(line.to_string());
    }
    eprint_line(line);
}
