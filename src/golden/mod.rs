//! Golden files: the manifests a team expects, kept under version control
//! and compared with a fresh render. [`text`] gives the unified diff (with
//! word-level highlights on a terminal), [`semantic`] a dyff-like,
//! field-level comparison of the objects. `pchart diff` and `pchart test`
//! turn both into [`Finding`]s so that the lint reports (json, github,
//! sarif) serve them too.

pub mod semantic;
pub mod text;

use crate::lint::{Finding, Severity};

/// The rendered manifests differ from the golden file.
pub const DIFFERS: &str = "GOLD001";
/// A golden case could not be rendered (values or template error).
pub const RENDER_FAILED: &str = "GOLD002";
/// A golden case's expected file does not exist yet.
pub const MISSING: &str = "GOLD003";

/// A golden-file finding (always an error: the case fails).
pub fn finding(rule: &'static str, file: &str, line: usize, message: String) -> Finding {
    Finding {
        rule,
        severity: Severity::Error,
        message,
        file: file.to_string(),
        line,
        column: if line > 0 { 1 } else { 0 },
        path: String::new(),
        object: String::new(),
    }
}

/// One finding per hunk of the text diff, located at the hunk's first line
/// in the golden file; the message carries the hunk.
pub fn text_findings(golden_file: &str, golden: &str, rendered: &str) -> Vec<Finding> {
    text::hunks(golden, rendered)
        .into_iter()
        .map(|h| {
            finding(
                DIFFERS,
                golden_file,
                h.old_start.max(1),
                format!(
                    "rendered manifests differ from the golden file (-{} +{} lines):\n{}",
                    h.removed, h.added, h.text
                ),
            )
        })
        .collect()
}

/// A JUnit failure for a golden file that differs: its message and the
/// plain unified diff.
pub fn junit_failure(golden_file: &str, golden: &str, rendered: &str) -> (String, String) {
    (
        format!("rendered manifests differ from {golden_file}"),
        text::unified(golden, rendered, golden_file, "rendered", false),
    )
}

/// One finding per field-level change, with the object and the field path.
pub fn semantic_findings(golden_file: &str, changes: &[semantic::Change]) -> Vec<Finding> {
    changes
        .iter()
        .map(|c| Finding {
            path: c.path.clone(),
            object: c.object.clone(),
            ..finding(DIFFERS, golden_file, c.line, c.describe())
        })
        .collect()
}
