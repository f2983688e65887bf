//! `--format github`: GitHub Actions workflow commands, shown as
//! annotations on the pull request's files.

use crate::lint::{Finding, Severity};

/// Escape a workflow-command message or property.
fn esc(s: &str, property: bool) -> String {
    let mut o = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        o = o.replace(':', "%3A").replace(',', "%2C");
    }
    o
}

pub fn render(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = Vec::new();
        if !f.file.is_empty() {
            props.push(format!("file={}", esc(&f.file, true)));
            if f.line > 0 {
                props.push(format!("line={}", f.line));
                props.push(format!("col={}", f.column.max(1)));
            }
        }
        props.push(format!("title={}", esc(f.rule, true)));
        out.push_str(&format!(
            "::{level} {}::{}\n",
            props.join(","),
            esc(&f.message, false)
        ));
    }
    out
}
