//! Helm v4's wording of template errors.
//!
//! Go produces one-line errors; Helm v4 rewrites them: parse errors become
//! `parse error at (FILE:LINE): MSG`, `fail`/`required` become
//! `execution error at (FILE:L:C): MSG`, errors raised by the executor itself
//! become a multi-line trace through nested `include`s, and errors returned
//! by functions keep Go's one-line form. The rules were derived from real
//! Helm output recorded in `tests/conformance/fixtures`.

use crate::go::fmt::go_quote;
use crate::template::exec::{ErrKind, ExecError, FuncErr};
use crate::template::parse::ParseError;

/// A render failure, worded as Helm words it.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Helm's `cleanupParseError`: keep the location and the last `": "` segment.
pub fn parse_error(e: &ParseError) -> String {
    let go = e.to_string();
    let tokens: Vec<&str> = go.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({}): {go}", e.name);
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

/// Go's `HELM_ERR_START(.*)HELM_ERR_END`: leftmost start, greedy to the
/// last end marker on the same line.
fn helm_marker(s: &str) -> Option<&str> {
    const START: &str = "HELM_ERR_START";
    const END: &str = "HELM_ERR_END";
    let mut from = 0;
    while let Some(i) = s[from..].find(START) {
        let begin = from + i + START.len();
        // Helm's pattern matches across newlines (a multi-line `fail` message
        // is reported whole).
        if let Some(j) = s[begin..].rfind(END) {
            return Some(&s[begin..begin + j]);
        }
        from = from + i + 1;
    }
    None
}

/// Does the error chain end in a message the executor raised itself
/// (rather than an error a function returned)?
fn ends_in_engine_error(e: &ExecError) -> bool {
    match &e.kind {
        ErrKind::Msg(_) | ErrKind::NoContext(_) | ErrKind::Limit(_) | ErrKind::Raw(_) => true,
        ErrKind::Call {
            func,
            err: FuncErr::Nested { err, .. },
        } if func == "include" => ends_in_engine_error(err),
        ErrKind::Call { .. } => false,
    }
}

fn trace(e: &ExecError, out: &mut String) {
    if let ErrKind::NoContext(_) | ErrKind::Raw(_) = e.kind {
        out.push_str(&e.to_string());
        return;
    }
    out.push_str(&format!(
        "{}\n  executing {} at <{}>:\n    ",
        e.location,
        go_quote(&e.name),
        e.context
    ));
    match &e.kind {
        ErrKind::Msg(m) | ErrKind::Limit(m) => out.push_str(m),
        ErrKind::Call {
            func,
            err: FuncErr::Nested { err, .. },
        } => {
            out.push_str(&format!("error calling {func}:\n"));
            trace(err, out);
        }
        ErrKind::Call { func, err } => out.push_str(&format!("error calling {func}: {err}")),
        ErrKind::NoContext(_) | ErrKind::Raw(_) => {}
    }
}

/// Helm v4's message for an execution error.
pub fn exec_error(e: &ExecError) -> String {
    let go = e.to_string();
    let tokens: Vec<&str> = go.splitn(3, ": ").collect();
    if tokens.len() == 3
        && let Some(m) = helm_marker(tokens[2])
    {
        return format!("execution error at ({}): {}", tokens[1], m);
    }
    if ends_in_engine_error(e) {
        let mut out = String::new();
        trace(e, &mut out);
        // Helm trims the assembled trace, so a message ending in white
        // space (`range can't iterate over " "`) loses it.
        out.truncate(out.trim_end().len());
        return out;
    }
    go
}
