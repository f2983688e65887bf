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
            let width = caret_width(line, col);
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

/// How many characters the carets under `line` from `col` cover: a quoted
/// string whole (JSON or YAML), a plain YAML value to the end of the line
/// (bar a comment), else the word up to a `:` or white space (a key).
fn caret_width(line: &str, col: usize) -> usize {
    let chars: Vec<char> = line.chars().collect();
    let rest = chars.get(col..).unwrap_or(&[]);
    match rest.first() {
        Some(&q) if q == '"' || q == '\'' => {
            let mut i = 1;
            while i < rest.len() {
                if rest[i] == '\\' && q == '"' {
                    i += 2;
                    continue;
                }
                // YAML doubles a single quote inside single quotes.
                if q == '\'' && rest[i] == q && rest.get(i + 1) == Some(&q) {
                    i += 2;
                    continue;
                }
                if rest[i] == q {
                    return i + 1;
                }
                i += 1;
            }
            rest.len().max(1)
        }
        _ => {
            let before: String = chars[..col.min(chars.len())].iter().collect();
            let is_value = before.trim_end().ends_with(':') || before.trim_end().ends_with('-');
            if is_value && before.ends_with(' ') {
                let text: String = rest.iter().collect();
                let text = text.split(" #").next().unwrap_or("").trim_end();
                return text.chars().count().max(1);
            }
            rest.iter()
                .take_while(|c| **c != ':' && !c.is_whitespace())
                .count()
                .max(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::caret_width;

    #[test]
    fn carets_cover_the_token_found() {
        // (line, 0-based column, carets)
        let cases = [
            ("  mountPath: /data/dashboards", 2, 9),
            ("  name: mem usage", 8, 9),
            ("    reference: ghcr.io/a/b:latest  # pinned later", 15, 18),
            (r#"{"kind":"Dashbaord","metadata":{}}"#, 8, 11),
            (r#"  name: "a \"b\" c" # x"#, 8, 11),
            ("  name: 'it''s'", 8, 7),
            ("- item one", 2, 8),
            ("key", 0, 3),
            ("", 0, 1),
            ("  x:", 10, 1),
        ];
        for (line, col, want) in cases {
            assert_eq!(caret_width(line, col), want, "{line:?} at {col}");
        }
    }
}
