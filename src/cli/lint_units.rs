//! Linting several values sets at once: every golden case (bare
//! `pchart lint` in a repository with cases) or what a commit changed
//! (`pchart hook lint`).

use std::path::PathBuf;

use super::cases::Case;
use super::config::Config;
use super::lint::{LintJob, Linted, lint_job};
use super::release_args::ReleaseArgs;
use super::values_args::ValuesArgs;

/// A lint unit: a chart and one values set.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    /// The golden case it comes from, for the report's heading.
    pub(super) case: Option<String>,
    pub(super) chart: Option<PathBuf>,
    pub(super) values: Vec<PathBuf>,
    pub(super) set: Vec<String>,
    /// The case's release flags; None: the command's.
    pub(super) release: Option<ReleaseArgs>,
}

impl Unit {
    /// What is linted; two cases with the same inputs are linted once.
    fn key(&self) -> impl PartialEq + '_ {
        (&self.chart, &self.values, &self.set, &self.release)
    }

    pub(super) fn same(&self, other: &Unit) -> bool {
        self.key() == other.key()
    }

    /// `case prod: charts/perses -f values/prod.yaml`
    fn heading(&self) -> String {
        let chart = self
            .chart
            .as_ref()
            .map_or("the embedded Perses chart".to_string(), |c| {
                c.display().to_string()
            });
        let mut h = match &self.case {
            Some(n) => format!("case {n}: {chart}"),
            None => chart,
        };
        for v in &self.values {
            h.push_str(&format!(" -f {}", v.display()));
        }
        for s in &self.set {
            h.push_str(&format!(" --set {s}"));
        }
        h
    }
}

/// The unit a golden case renders.
pub(super) fn case_unit(c: &Case) -> Unit {
    Unit {
        case: Some(c.name.clone()),
        chart: c.spec.chart.clone(),
        values: c.spec.values.values.clone(),
        set: c.spec.values.set.clone(),
        // A case without a Kubernetes version renders at Helm's default,
        // not at `.pchart.yaml`'s: lint it at the version it renders at.
        release: Some(ReleaseArgs {
            kube_version: Some(c.spec.release.kube_version_or(None)),
            ..c.spec.release.clone()
        }),
    }
}

/// Lint each distinct unit with `base`'s flags (a `--kube-version` flag
/// wins over the case's). Runs on the caller's stack.
pub(super) fn lint_units(
    cfg: &Config,
    base: &LintJob,
    units: Vec<Unit>,
) -> Result<Vec<(Option<String>, Linted)>, String> {
    let mut distinct: Vec<Unit> = Vec::new();
    for u in units {
        if !distinct.iter().any(|d| d.same(&u)) {
            distinct.push(u);
        }
    }
    let mut out = Vec::new();
    for u in distinct {
        let mut release = u.release.clone().unwrap_or_else(|| base.release.clone());
        release.kube_version = base.release.kube_version.clone().or(release.kube_version);
        let job = LintJob {
            chart: u.chart.clone(),
            values: ValuesArgs {
                values: u.values.clone(),
                set: u.set.clone(),
                ..ValuesArgs::default()
            },
            release,
            ..base.clone()
        };
        out.push((Some(u.heading()), lint_job(cfg, &job)?));
    }
    Ok(out)
}
