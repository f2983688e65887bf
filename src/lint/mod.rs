//! `pchart lint`: every way a chart plus its values will fail, found before
//! anything reaches a cluster. Modelled on ruff: each rule is one unit with
//! a stable code, a one-line summary and docs ([`rules`]); the context they
//! read is built once ([`context`]); findings carry code, severity, message,
//! file, line, column and the values or field path.

pub mod context;
pub mod oci_ref;
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
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.rule, &b.message))
    });
    out.dedup();
    out
}
