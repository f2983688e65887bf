//! `--format json`: `{"findings": [...], "summary": {...}}`, described by
//! `schemas/lint-output.schema.json`.

use super::Summary;
use crate::lint::Finding;

pub fn render(findings: &[Finding]) -> String {
    let items: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            serde_json::json!({
                "rule": f.rule,
                "severity": f.severity.as_str(),
                "message": f.message,
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "path": f.path,
                "object": f.object,
            })
        })
        .collect();
    let s = Summary::of(findings);
    let doc = serde_json::json!({
        "findings": items,
        "summary": {"errors": s.errors, "warnings": s.warnings, "notes": s.notes, "total": findings.len()},
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
