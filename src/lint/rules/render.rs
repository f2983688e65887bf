//! The chart must render: a template `fail`, a missing `required` value or
//! any template error stops `helm install` before anything else matters.

use super::Rule;
use crate::lint::{Finding, RuleInfo, Severity};

/// `(file, line, column)` from the start of Helm's error text, when it
/// names a template (`chart/templates/x.yaml:12:3` or `... at (x.yaml:12)`).
fn location(msg: &str) -> (String, usize, usize) {
    let text = msg
        .split_once("execution error at (")
        .or_else(|| msg.split_once("parse error at ("))
        .map(|(_, r)| r.split(')').next().unwrap_or_default())
        .unwrap_or_else(|| msg.lines().next().unwrap_or_default());
    let mut parts = text.split(':');
    let file = parts.next().unwrap_or_default().trim().to_string();
    let line = parts
        .next()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(0);
    let col = parts
        .next()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(0);
    if line == 0 || !file.contains('/') {
        return (String::new(), 0, 0);
    }
    (file, line, col)
}

pub const RENDER_FAILED: Rule = Rule {
    info: RuleInfo {
        code: "PC000",
        name: "render-failed",
        summary: "The chart does not render with these values",
        severity: Severity::Error,
        why: "Helm runs the same rendering before installing; a template error, a `fail` or a missing `required` value means the release can never be installed.",
        fails: "# templates/statefulset.yaml\n{{ required \"ociArtifacts.image.reference is required\" .Values.ociArtifacts.image.reference }}\n# values: ociArtifacts: {image: {}}",
        passes: "ociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1}",
    },
    check: |ctx, out| {
        let Some(e) = &ctx.render_error else {
            return;
        };
        let (file, line, column) = location(e);
        out.push(Finding {
            rule: RENDER_FAILED.info.code,
            severity: RENDER_FAILED.info.severity,
            message: e.trim().replace('\n', " "),
            file,
            line,
            column,
            path: String::new(),
            object: String::new(),
        });
    },
};
