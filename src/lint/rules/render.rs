//! The chart must render: a template `fail`, a missing `required` value or
//! any template error stops `helm install` before anything else matters.
//! A failure whose message names a values path (`config.provisioning.folders
//! is empty`) is located at the values line that set it; [`crate::lint`]
//! drops it when a dedicated rule reports the same cause.

use super::Rule;
use crate::lint::{Finding, LintContext, RuleInfo, Severity};

/// Does the render error come from values.schema.json validation (each
/// violation is then a PC100 finding)?
pub fn is_schema_error(msg: &str) -> bool {
    msg.starts_with("values don't meet the specifications of the schema")
}

/// Values paths a render error's message names (`ociArtifacts.mountPath`,
/// `.Values.x.y`), that exist in the values or whose parent does: the
/// values the failure is about. Template file names are not values.
pub fn mentioned_paths(ctx: &LintContext, msg: &str) -> Vec<String> {
    // Helm's prefix names the template: `execution error at (f:1:2): `.
    let text = msg.split_once("): ").map_or(msg, |(_, r)| r);
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')) {
        let w = word.trim_matches('.');
        let w = w.strip_prefix("Values.").unwrap_or(w);
        if !w.contains('.') || w.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let parent = w.rsplit_once('.').map_or("", |(p, _)| p);
        let known = ctx.value(w).is_some() || (!parent.is_empty() && ctx.value(parent).is_some());
        if known && !out.iter().any(|p| p == w) {
            out.push(w.to_string());
        }
    }
    out
}

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
        // A library chart is never installed on its own, so it has no
        // render to fail (`helm lint` reports nothing either); its
        // Chart.yaml and values are still checked by the other rules.
        if ctx.chart.is_library() {
            return;
        }
        let message = e.trim().replace('\n', " ");
        // Caused by a value: point at the values line, not the template.
        let paths = mentioned_paths(ctx, e);
        // Prefer a path the user's values set (`createGateway: true`) over
        // one only the chart's defaults have.
        let user_set = paths.iter().find(|p| {
            ctx.user_positions
                .iter()
                .any(|(_, pos)| pos.get(p.as_str()).is_some())
        });
        if !is_schema_error(e)
            && let Some(p) = user_set.or(paths.first())
        {
            let mut f = ctx.at_value(&RENDER_FAILED.info, p, message);
            f.severity = RENDER_FAILED.info.severity;
            out.push(f);
            return;
        }
        let (file, line, column) = location(e);
        out.push(Finding {
            rule: RENDER_FAILED.info.code,
            severity: RENDER_FAILED.info.severity,
            message,
            file,
            line,
            column,
            path: String::new(),
            object: String::new(),
        });
    },
};
