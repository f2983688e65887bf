//! `pchart lint`: every way a chart plus its values will fail, found before
//! anything reaches a cluster. Modelled on ruff: each rule is one unit with
//! a stable code, a one-line summary and docs ([`rules`]); the context they
//! read is built once ([`context`]); findings carry code, severity, message,
//! file, line, column and the values or field path.

pub mod context;
/// OCI references, parsed as the registry client parses them.
pub use crate::oci::reference as oci_ref;
pub mod rules;

pub use context::{LintContext, LintInput};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// One problem found by a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable rule code, e.g. `PC001`.
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// File to fix (a values file, a template, Chart.yaml); empty if none.
    pub file: String,
    /// 1-based; 0 when unknown.
    pub line: usize,
    pub column: usize,
    /// Dotted values path (`ociArtifacts.mountPath`) or field path of a
    /// rendered object (`spec.template.spec.volumes[0].name`).
    pub path: String,
    /// The rendered object (`StatefulSet/perses`), for manifest findings.
    pub object: String,
}

/// A rule's identity and documentation, shown by `pchart rules` and
/// `pchart explain CODE`.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub code: &'static str,
    /// Kebab-case name, e.g. `oci-mount-outside-provisioning`.
    pub name: &'static str,
    pub summary: &'static str,
    pub severity: Severity,
    /// What it checks and why it matters.
    pub why: &'static str,
    /// Values (or a manifest) that fail.
    pub fails: &'static str,
    /// The corrected version, which passes.
    pub passes: &'static str,
}

/// Run every rule; findings sorted by file, line, column, code.
pub fn lint(ctx: &LintContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules::ALL {
        (rule.check)(ctx, &mut out);
    }
    drop_repeats(ctx, &mut out);
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.rule, &b.message))
    });
    out.dedup();
    out
}

/// One mistake, one finding. A dedicated rule's error about a values path
/// says more than the generic ones, so at the same path PC100 (the
/// schema's words, e.g. "'not' failed") is dropped, and so is PC000 when
/// the render failed on the values a dedicated rule (or PC100) reports:
/// the schema check Helm runs before rendering, or a template `fail` whose
/// message names the path.
fn drop_repeats(ctx: &LintContext, out: &mut Vec<Finding>) {
    let generic = |f: &Finding| f.rule == "PC000" || f.rule == "PC100";
    let dedicated: Vec<String> = out
        .iter()
        .filter(|f| !generic(f) && f.severity == Severity::Error && !f.path.is_empty())
        .map(|f| f.path.clone())
        .collect();
    let any_schema = out.iter().any(|f| f.rule == "PC100");
    let render_cause_reported = ctx.render_error.as_deref().is_some_and(|e| {
        if rules::render::is_schema_error(e) {
            return any_schema;
        }
        let related = |a: &str, b: &str| {
            a == b
                || a.strip_prefix(b).is_some_and(|r| r.starts_with(['.', '[']))
                || b.strip_prefix(a).is_some_and(|r| r.starts_with(['.', '[']))
        };
        rules::render::mentioned_paths(ctx, e)
            .iter()
            .any(|p| dedicated.iter().any(|d| related(d, p)))
    });
    // A values rule's error at a values line explains what the rendered
    // objects then get wrong at that line (PC010 `pullPolicy: always` and
    // the image volume's K8S008).
    let value_lines: Vec<(String, usize)> = out
        .iter()
        .filter(|f| {
            !generic(f) && f.object.is_empty() && f.severity == Severity::Error && f.line > 0
        })
        .map(|f| (f.file.clone(), f.line))
        .collect();
    out.retain(|f| match f.rule {
        "PC100" => !dedicated.contains(&f.path),
        "PC000" => !render_cause_reported,
        _ => f.object.is_empty() || !value_lines.contains(&(f.file.clone(), f.line)),
    });
    // One values line that ends up in several objects (`fullnameOverride:
    // Perses_Prod` names them all) is one mistake: one finding, naming the
    // other objects.
    let user_file = |f: &Finding| ctx.user_positions.iter().any(|(n, _)| *n == f.file);
    let mut merged: Vec<Finding> = Vec::with_capacity(out.len());
    let mut others: Vec<Vec<String>> = Vec::new();
    for f in out.drain(..) {
        let same = merged.iter().position(|m| {
            !f.object.is_empty()
                && !m.object.is_empty()
                && m.rule == f.rule
                && m.file == f.file
                && m.line == f.line
                && m.line > 0
                && m.column == f.column
                && m.object != f.object
                && user_file(&f)
        });
        match same {
            Some(i) => others[i].push(f.object),
            None => {
                merged.push(f);
                others.push(Vec::new());
            }
        }
    }
    for (f, o) in merged.iter_mut().zip(others) {
        if !o.is_empty() {
            f.message
                .push_str(&format!(" (the same value also affects {})", o.join(", ")));
        }
    }
    *out = merged;
}
