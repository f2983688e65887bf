//! Findings for people: grouped by file, each with the source line and a
//! caret under the column, coloured when the terminal takes colour.

use super::{Sources, Summary};
use crate::lint::{Finding, Severity};
use crate::style::{self, paint};
use anstyle::Style;

struct Paint(bool);

impl Paint {
    fn wrap(&self, style: Style, s: &str) -> String {
        paint(self.0, style, s)
    }
    fn sev(&self, s: Severity) -> String {
        match s {
            Severity::Error => self.wrap(style::BOLD_RED, "error"),
            Severity::Warning => self.wrap(style::BOLD_YELLOW, "warning"),
            Severity::Note => self.wrap(style::BOLD_CYAN, "note"),
        }
    }
}

pub fn render(findings: &[Finding], sources: &dyn Sources, color: bool) -> String {
    let p = Paint(color);
    let mut out = String::new();
    for f in findings {
        out.push_str(&format!(
            "{}[{}]: {}\n",
            p.sev(f.severity),
            f.rule,
            p.wrap(style::BOLD, &f.message)
        ));
        if !f.file.is_empty() {
            let loc = if f.line > 0 && f.column > 0 {
                format!("{}:{}:{}", f.file, f.line, f.column)
            } else if f.line > 0 {
                format!("{}:{}", f.file, f.line)
            } else {
                f.file.clone()
            };
            out.push_str(&format!("  {} {loc}\n", p.wrap(style::BOLD_BLUE, "-->")));
        }
        if f.line > 0
            && let Some(text) = sources.text(&f.file)
            && let Some(line) = text.lines().nth(f.line - 1)
        {
            let n = f.line.to_string();
            let pad = " ".repeat(n.len());
            out.push_str(&format!("  {pad} {}\n", p.wrap(style::BOLD_BLUE, "|")));
            out.push_str(&format!(
                "  {} {} {line}\n",
                p.wrap(style::BOLD_BLUE, &n),
                p.wrap(style::BOLD_BLUE, "|")
            ));
            if f.column == 0 {
                out.push_str(&format!("  {pad} {}\n", p.wrap(style::BOLD_BLUE, "|")));
            }
            let col = f.column.max(1) - 1;
            let width = line
                .chars()
                .skip(col)
                .take_while(|c| *c != ':' && !c.is_whitespace())
                .count()
                .max(1);
            if f.column > 0 {
                out.push_str(&format!(
                    "  {pad} {} {}{}\n",
                    p.wrap(style::BOLD_BLUE, "|"),
                    " ".repeat(col),
                    p.wrap(style::BOLD_RED, &"^".repeat(width))
                ));
            }
        }
        if !f.object.is_empty() && !f.path.is_empty() {
            out.push_str(&format!("  = object: {} ({})\n", f.object, f.path));
        } else if !f.object.is_empty() {
            out.push_str(&format!("  = object: {}\n", f.object));
        } else if !f.path.is_empty() {
            out.push_str(&format!("  = values: {}\n", f.path));
        }
        out.push('\n');
    }
    let s = Summary::of(findings);
    if findings.is_empty() {
        out.push_str("no problems found\n");
    } else {
        out.push_str(&format!(
            "{} error(s), {} warning(s), {} note(s)\n",
            s.errors, s.warnings, s.notes
        ));
    }
    out
}
