//! `pchart lint`, `pchart rules`, `pchart explain`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;

use super::chart_arg::{ChartArgs, InputArgs};
use super::config::{Config, ConfigArg};
use super::lint_units::{Unit, case_unit, lint_units};
use super::output::{FormatArg, use_color, write_stdout};
use super::release_args::ReleaseArgs;
use super::values_args::ValuesArgs;
use pchart::chart::embedded::EMBEDDED_NAME;
use pchart::lint::rules::ALL;
use pchart::lint::{Finding, LintContext, LintInput, Severity, lint};
use pchart::render::with_big_stack;
use pchart::report::codes::{all_codes, describe};
use pchart::report::{Format, Sources, render};
use pchart::value::Value;

#[derive(Args, Debug)]
// Without a chart, lint falls back to .pchart.yaml's.
#[command(mut_arg("chart", |a| a.help("Chart directory or .tgz; without it, the embedded Perses chart (or the `chart` of .pchart.yaml)")))]
pub struct LintArgs {
    #[command(flatten)]
    pub chart: ChartArgs,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Feature gates enabled on the cluster: `ImageVolume=true,...`.
    #[arg(long, value_name = "GATES")]
    pub feature_gates: Vec<String>,
    #[command(flatten)]
    pub output: FormatArg,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// CustomResourceDefinition file(s) to validate custom resources with
    /// (repeatable; multi-document YAML allowed).
    #[arg(long = "crd", value_name = "FILE")]
    pub crds: Vec<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArg,
    #[command(flatten)]
    pub artifact: super::artifact::LintArtifactArgs,
}

fn parse_gates(items: &[String], into: &mut BTreeMap<String, bool>) -> Result<(), String> {
    for item in items.iter().flat_map(|s| s.split(',')) {
        if item.trim().is_empty() {
            continue;
        }
        let (k, v) = item
            .split_once('=')
            .ok_or_else(|| format!("--feature-gates: {item:?} is not Name=true|false"))?;
        let b = match v.trim() {
            "true" => true,
            "false" => false,
            _ => return Err(format!("--feature-gates: {item:?} is not Name=true|false")),
        };
        into.insert(super::config::known_gate(k.trim(), "--feature-gates")?, b);
    }
    Ok(())
}

struct FileSources(BTreeMap<String, String>);

impl Sources for FileSources {
    fn text(&self, file: &str) -> Option<String> {
        self.0.get(file).cloned()
    }
}

/// One lint run: a chart (None: the embedded one), its values files and
/// flags (already combined with `.pchart.yaml`'s), a Kubernetes version.
#[derive(Clone)]
pub(super) struct LintJob {
    pub(super) chart: Option<PathBuf>,
    pub(super) values: ValuesArgs,
    /// Release flags; a Kubernetes version left out is `.pchart.yaml`'s.
    pub(super) release: ReleaseArgs,
    /// `--feature-gates` items, on top of `.pchart.yaml`'s.
    pub(super) feature_gates: Vec<String>,
    /// CustomResourceDefinitions (read once, shared by every job).
    pub(super) crds: Vec<Value>,
    /// `--pull` / `--artifact`: look inside the referenced artifact.
    pub(super) artifact: Option<super::artifact::LintArtifactArgs>,
}

/// What one job found, with the text of the files findings point into.
pub(super) struct Linted {
    pub(super) findings: Vec<Finding>,
    pub(super) sources: BTreeMap<String, String>,
}

pub fn run(a: LintArgs) -> Result<u8, String> {
    let chart_path = a.chart.local()?;
    a.inputs.limits.install();
    let (format, strict) = (a.output.format, a.strict);
    let parts = with_big_stack(move || -> Result<Vec<(Option<String>, Linted)>, String> {
        let cfg = a.config.load()?;
        let crds = read_crds(&a.crds)?;
        let job = LintJob {
            chart: chart_path.clone().or(cfg.chart.clone()),
            values: ValuesArgs {
                values: cfg
                    .values
                    .iter()
                    .chain(&a.inputs.values.values)
                    .cloned()
                    .collect(),
                ..a.inputs.values.clone()
            },
            release: a.inputs.release.clone(),
            feature_gates: a.feature_gates.clone(),
            crds,
            artifact: a.artifact.wanted().then(|| {
                let mut x = a.artifact.clone();
                x.registry = a.chart.remote.conn.clone();
                x
            }),
        };
        // Bare `pchart lint` in a repository with golden cases lints what
        // the cases render, not only the chart's defaults.
        if chart_path.is_none() && job.values.is_empty() {
            let cases = super::cases::all_cases(&cfg)?;
            if !cases.is_empty() {
                let units: Vec<Unit> = cases.iter().map(case_unit).collect();
                return lint_units(&cfg, &job, units);
            }
        }
        Ok(vec![(None, lint_job(&cfg, &job)?)])
    })??;
    let (text, code) = report(format, strict, &parts)?;
    write_stdout(&text)?;
    Ok(code)
}

/// `--crd` files, read once: `-` is standard input.
fn read_crds(files: &[PathBuf]) -> Result<Vec<Value>, String> {
    let mut crds = Vec::new();
    for f in files {
        // Through the bounded reader, like values files.
        let (name, text) = pchart::input::read_values_text(f)?;
        let docs = pchart::yaml::parse_document_list(&text)
            .map_err(|e| format!("{name}:{}:{}: {}", e.line, e.column, e.message))?;
        crds.extend(docs.into_iter().filter(|d| !d.is_nil()));
    }
    Ok(crds)
}

/// Lint one job with `cfg`'s feature gates, severities and ignores. Runs
/// on the caller's stack: wrap it in `with_big_stack`.
pub(super) fn lint_job(cfg: &Config, a: &LintJob) -> Result<Linted, String> {
    let chart_path = a.chart.clone();
    let chart = super::load_chart(chart_path.as_deref())?;
    let label = match &chart_path {
        Some(p) => p.display().to_string(),
        None => EMBEDDED_NAME.to_string(),
    };
    let mut values_files = Vec::new();
    for f in &a.values.values {
        values_files.push(pchart::input::read_values_text(f)?);
    }
    // --set style flags, without the files (which are read above with positions).
    let set_only = ValuesArgs {
        values: Vec::new(),
        ..a.values.clone()
    };
    let set_values = set_only.load()?;
    let mut gates = cfg.feature_gates.clone();
    parse_gates(&a.feature_gates, &mut gates)?;
    let kube_version = a.release.kube_version_or(cfg.kube_version.as_ref());
    let mut sources = BTreeMap::new();
    for (n, t) in &values_files {
        sources.insert(n.clone(), t.clone());
    }
    if let Some(t) = &chart.values_text {
        sources.insert(format!("{label}/values.yaml"), t.clone());
    }
    // Template findings name `<chart name>/templates/...`; for a chart
    // directory, name the file as it is on disk instead, so that editors
    // and annotations find it.
    let on_disk = chart_path.as_ref().filter(|p| p.is_dir());
    let template_prefix = format!("{}/", chart.name);
    let disk_name = |file: &str| -> Option<String> {
        let rest = file.strip_prefix(&template_prefix)?;
        on_disk.map(|d| d.join(rest).display().to_string())
    };
    for (p, t) in &chart.templates {
        let name = format!("{}/{p}", chart.name);
        sources.insert(disk_name(&name).unwrap_or(name), t.clone());
    }
    let input = LintInput {
        crds: a.crds.clone(),
        chart,
        chart_label: label,
        values_files,
        set_values,
        kube_version,
        feature_gates: gates,
        render: a.release.render_options(),
    };
    let mut ctx = LintContext::build(input)?;
    if let Some(e) = ctx.input_errors.first() {
        return Err(e.clone());
    }
    ctx.set_origins = a.values.flag_origins();
    schema_note(ctx.kube);
    let mut findings = lint(&ctx);
    if let Some(x) = &a.artifact {
        findings.extend(super::artifact::lint_findings(&ctx, x)?);
    }
    for f in &mut findings {
        if let Some(n) = disk_name(&f.file) {
            f.file = n;
        }
    }
    findings.retain_mut(|f| {
        if cfg.ignore.iter().any(|i| i == f.rule) {
            return false;
        }
        match cfg.severities.get(f.rule) {
            Some(None) => false,
            Some(Some(s)) => {
                f.severity = *s;
                true
            }
            None => true,
        }
    });
    Ok(Linted { findings, sources })
}

/// Say so when the target version has no embedded API schema: fields are
/// then checked against the nearest one (removals and deprecations still
/// use the real version).
fn schema_note(kube: (u64, u64, u64)) {
    use pchart::validate::k8s::{covered, schema};
    let (major, minor) = (
        u32::try_from(kube.0).unwrap_or(u32::MAX),
        u32::try_from(kube.1).unwrap_or(u32::MAX),
    );
    if covered((major, minor)) {
        return;
    }
    let used = if major == 1 && minor < schema::MIN_MINOR {
        schema::MIN_MINOR
    } else {
        schema::MAX_MINOR
    };
    super::output::eprint_once(&format!(
        "note: no embedded Kubernetes API schema for {major}.{minor} (embedded: 1.{}-1.{}): fields are checked against 1.{used}; API removals and deprecations use {major}.{minor}",
        schema::MIN_MINOR,
        schema::MAX_MINOR
    ));
}

/// The report of one or more jobs and the exit code (1 for errors, or
/// warnings when strict). People get one section per job (headed when
/// there are several); machine formats get one document with every
/// finding once, and only paths inside the repository for SARIF and
/// GitHub annotations.
pub(super) fn report(
    format: Format,
    strict: bool,
    parts: &[(Option<String>, Linted)],
) -> Result<(String, u8), String> {
    let all: Vec<&Finding> = parts.iter().flat_map(|(_, l)| &l.findings).collect();
    let errors = all.iter().any(|f| f.severity == Severity::Error);
    let warnings = all.iter().any(|f| f.severity == Severity::Warning);
    let code = u8::from(errors || (strict && warnings));
    if format == Format::Human {
        let color = use_color(format);
        let mut out = String::new();
        for (header, l) in parts {
            if let Some(h) = header.as_ref().filter(|_| parts.len() > 1) {
                out.push_str(&format!("== {h} ==\n"));
            }
            out.push_str(&render(
                format,
                &l.findings,
                &FileSources(l.sources.clone()),
                color,
            ));
        }
        return Ok((out, code));
    }
    let mut merged: Vec<Finding> = Vec::new();
    for f in all {
        if !merged.iter().any(|m| same_finding(m, f)) {
            merged.push(f.clone());
        }
    }
    for_tools(format, &mut merged)?;
    let mut sources = BTreeMap::new();
    for (_, l) in parts {
        sources.extend(l.sources.clone());
    }
    Ok((render(format, &merged, &FileSources(sources), false), code))
}

/// SARIF and GitHub annotations only name files of the repository (see
/// [`pchart::report::location`]); other formats keep what people read.
pub(super) fn for_tools(format: Format, findings: &mut [Finding]) -> Result<(), String> {
    if matches!(format, Format::Sarif | Format::Github) {
        let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
        pchart::report::location::keep_repository_paths(findings, &cwd);
    }
    Ok(())
}

fn same_finding(a: &Finding, b: &Finding) -> bool {
    (
        a.rule, &a.file, a.line, a.column, &a.message, &a.path, &a.object,
    ) == (
        b.rule, &b.file, b.line, b.column, &b.message, &b.path, &b.object,
    )
}

/// `pchart rules`: every rule, one line each.
pub fn rules() -> Result<u8, String> {
    let mut out = String::new();
    for r in ALL {
        out.push_str(&format!(
            "{:<6} {:<8} {:<32} {}\n",
            r.info.code,
            r.info.severity.as_str(),
            r.info.name,
            r.info.summary
        ));
    }
    write_stdout(&out)?;
    Ok(0)
}

/// `pchart explain CODE`: a rule's documentation.
pub fn explain(code: &str) -> Result<u8, String> {
    let i = describe(code).ok_or_else(|| {
        format!(
            "unknown rule {code:?}{} (see `pchart rules`)",
            super::suggest::hint(code, all_codes().flat_map(|i| [i.code, i.name]))
        )
    })?;
    let indent = |s: &str| s.lines().map(|l| format!("    {l}\n")).collect::<String>();
    write_stdout(&format!(
        "{} ({}): {}\n\nDefault severity: {}\n\nWhy it matters:\n{}\n\nFails:\n{}\nPasses:\n{}",
        i.code,
        i.name,
        i.summary,
        i.severity.as_str(),
        textwrap(i.why, 76),
        indent(i.fails),
        indent(i.passes)
    ))?;
    Ok(0)
}

fn textwrap(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for w in s.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + w.len() > width {
            out.push_str(&format!("    {line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    if !line.is_empty() {
        out.push_str(&format!("    {line}\n"));
    }
    out
}
