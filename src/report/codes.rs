//! The golden-file codes of `pchart test` and `pchart diff`, documented
//! like lint rules so that `pchart explain GOLD001` and SARIF viewers can
//! show them.

use crate::golden::{DIFFERS, MISSING, RENDER_FAILED};
use crate::lint::rules::{ALL, find};
use crate::lint::{RuleInfo, Severity};

pub const GOLDEN: [RuleInfo; 3] = [
    RuleInfo {
        code: DIFFERS,
        name: "golden-differs",
        summary: "the rendered manifests differ from the golden file",
        severity: Severity::Error,
        why: "A golden file holds the manifests a team reviewed and expects. A change of the chart, the values or pchart itself that changes the render shows up here as a diff (a text diff, or with --semantic the changed fields), so it is reviewed before it reaches a cluster. If the change is intended, run `pchart test --update` and commit the new golden file.",
        fails: "# golden/prod.yaml says replicas: 1; values/prod.yaml now sets\nreplicas: 2",
        passes: "# after `pchart test --update`, golden/prod.yaml says replicas: 2\nreplicas: 2",
    },
    RuleInfo {
        code: RENDER_FAILED,
        name: "golden-render-failed",
        summary: "a golden case could not be rendered",
        severity: Severity::Error,
        why: "The case's chart and values do not render at all (a values file that is not YAML, a template error, a `fail` in the chart): there is nothing to compare, and `helm install` would fail the same way. `--update` cannot fix it; fix the values or the chart. `pchart lint` with the same values usually says why.",
        fails: "# values/prod.yaml\nociArtifacts:\n  image: {reference: \"\"}",
        passes: "# values/prod.yaml\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1@sha256:...}",
    },
    RuleInfo {
        code: MISSING,
        name: "golden-missing",
        summary: "a golden case's expected file does not exist yet",
        severity: Severity::Error,
        why: "A case listed in .pchart.yaml (or a golden/<case>/ directory) has no golden file to compare with. Run `pchart test --update` once to create it from the current render, review it, and commit it with the values file.",
        fails: "# .pchart.yaml\ntests:\n  - {values: [values/prod.yaml], golden: golden/prod.yaml}\n# golden/prod.yaml: not there",
        passes: "# pchart test --update\ncreated golden/prod.yaml\n# git add golden/prod.yaml",
    },
];

/// A lint rule's or golden code's documentation, by code (any case) or
/// name.
pub fn describe(code_or_name: &str) -> Option<&'static RuleInfo> {
    find(code_or_name).map(|r| &r.info).or_else(|| {
        GOLDEN
            .iter()
            .find(|i| i.code.eq_ignore_ascii_case(code_or_name) || i.name == code_or_name)
    })
}

/// Every code: the lint rules', then the golden files'.
pub fn all_codes() -> impl Iterator<Item = &'static RuleInfo> {
    ALL.iter().map(|r| &r.info).chain(GOLDEN.iter())
}
