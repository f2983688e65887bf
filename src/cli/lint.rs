//! `pchart lint`, `pchart rules`, `pchart explain`.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use super::limits_args::LimitsArgs;
use super::values_args::ValuesArgs;
use pchart::chart::Chart;
use pchart::chart::embedded::{EMBEDDED_NAME, embedded_chart};
use pchart::lint::rules::{ALL, find};
use pchart::lint::{LintContext, LintInput, Severity, lint};
use pchart::render::{RenderOptions, with_big_stack};
use pchart::report::{Format, Sources, render};
use pchart::template::value::Value;

#[derive(Args, Debug)]
pub struct LintArgs {
    /// Chart directory or .tgz; without it, the embedded Perses chart (or
    /// the `chart` of .pchart.yaml).
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub remote: super::remote_args::RemoteArgs,
    #[command(flatten)]
    pub values: ValuesArgs,
    #[command(flatten)]
    pub limits: LimitsArgs,
    /// Target Kubernetes version [default: .pchart.yaml's, else 1.36.0].
    #[arg(long)]
    pub kube_version: Option<String>,
    /// Feature gates enabled on the cluster: `ImageVolume=true,...`.
    #[arg(long, value_name = "GATES")]
    pub feature_gates: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// CustomResourceDefinition file(s) to validate custom resources with
    /// (repeatable; multi-document YAML allowed).
    #[arg(long = "crd", value_name = "FILE")]
    pub crds: Vec<PathBuf>,
    /// Configuration file [default: ./.pchart.yaml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `.pchart.yaml`: defaults for lint (flags win), and the golden cases of
/// `pchart test` (`tests:`, read by [`super::test::parse_tests`]).
#[derive(Debug, Default)]
pub(super) struct Config {
    pub(super) chart: Option<PathBuf>,
    pub(super) values: Vec<PathBuf>,
    pub(super) kube_version: Option<String>,
    feature_gates: BTreeMap<String, bool>,
    /// Rule code -> severity, or None for "off".
    severities: BTreeMap<String, Option<Severity>>,
    ignore: Vec<String>,
    /// Golden cases (`tests:`).
    pub(super) tests: Vec<super::test::Case>,
    /// The directory relative paths of the file are resolved from ("" for
    /// the current directory).
    pub(super) base: PathBuf,
    /// The file read, if any.
    pub(super) path: Option<PathBuf>,
}

pub(super) fn load_config(path: Option<&PathBuf>) -> Result<Config, String> {
    let (path, required) = match path {
        Some(p) => (p.clone(), true),
        None => (PathBuf::from(".pchart.yaml"), false),
    };
    if !required && std::fs::symlink_metadata(&path).is_err() {
        return Ok(Config::default());
    }
    // A configuration is a plain file; a FIFO here is a mistake, not `<(...)`.
    if std::fs::metadata(&path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Err(format!("{}: not a regular file", path.display()));
    }
    let text = pchart::input::read_text(&path)?;
    let v = pchart::yaml::parse_values(&text)
        .map_err(|e| format!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message))?;
    let base = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let get = |k: &str| pchart::lint::context::value_at(&v, k);
    let bad = |k: &str, want: &str| format!("{}: `{k}` must be {want}", path.display());
    let mut c = Config::default();
    if let Some(x) = get("chart") {
        let s = x.as_str().ok_or_else(|| bad("chart", "a path"))?;
        // oci:// and repository charts (with `version:`, `plainHttp:`).
        let version = get("version").and_then(|v| v.as_str().map(String::from));
        let plain = get("plainHttp").is_some_and(|v| v.truth());
        c.chart = Some(super::remote_args::case_chart(s, version, plain, &base)?);
    }
    if let Some(Value::List(l, _)) = get("values") {
        for x in l.iter() {
            let s = x.as_str().ok_or_else(|| bad("values", "a list of paths"))?;
            c.values.push(base.join(s));
        }
    }
    match get("kubeVersion") {
        None | Some(Value::Nil) => {}
        Some(Value::String(s)) => c.kube_version = Some(s.to_string()),
        Some(Value::Float(f)) => c.kube_version = Some(format!("{f}")),
        Some(_) => return Err(bad("kubeVersion", "a version string")),
    }
    if let Some(Value::Map(m, _)) = get("featureGates") {
        for (k, x) in m.borrow().iter() {
            match x {
                Value::Bool(b) => {
                    c.feature_gates.insert(k.clone(), *b);
                }
                _ => return Err(bad("featureGates", "a map of booleans")),
            }
        }
    }
    if let Some(Value::Map(m, _)) = get("rules") {
        for (k, x) in m.borrow().iter() {
            let code = find(k).map(|r| r.info.code.to_string()).ok_or_else(|| {
                format!(
                    "{}: unknown rule {k:?} (see `pchart rules`)",
                    path.display()
                )
            })?;
            // `off` is the boolean false in YAML 1.1.
            let sev = match x.as_str() {
                _ if matches!(x, Value::Bool(false)) => None,
                Some("off") => None,
                Some(s) => Some(
                    Severity::parse(s)
                        .ok_or_else(|| bad("rules", "error, warning, note or off"))?,
                ),
                None => return Err(bad("rules", "error, warning, note or off")),
            };
            c.severities.insert(code, sev);
        }
    }
    if let Some(Value::List(l, _)) = get("ignore") {
        for x in l.iter() {
            let s = x
                .as_str()
                .ok_or_else(|| bad("ignore", "a list of rule codes"))?;
            c.ignore.push(s.to_string());
        }
    }
    if let Some(t) = get("tests") {
        c.tests = super::test::parse_tests(&t, &base, &path)?;
    }
    c.base = base;
    c.path = Some(path);
    Ok(c)
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
        into.insert(k.trim().to_string(), b);
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
pub(super) struct LintJob {
    pub(super) chart: Option<PathBuf>,
    pub(super) values: ValuesArgs,
    pub(super) kube_version: Option<String>,
    pub(super) feature_gates: Vec<String>,
    pub(super) format: Format,
    pub(super) strict: bool,
    pub(super) crds: Vec<PathBuf>,
    pub(super) limits: pchart::template::exec::Limits,
}

pub fn run(mut a: LintArgs) -> Result<u8, String> {
    a.chart = a.remote.local_chart_opt(a.chart.take())?;
    let limits = a.limits.apply();
    let out = with_big_stack(move || -> Result<(String, u8), String> {
        let cfg = load_config(a.config.as_ref())?;
        let mut files: Vec<PathBuf> = cfg.values.clone();
        files.extend(a.values.values.iter().cloned());
        let job = LintJob {
            chart: a.chart.clone().or(cfg.chart.clone()),
            values: ValuesArgs {
                values: files,
                ..a.values.clone()
            },
            kube_version: a.kube_version.clone(),
            feature_gates: a.feature_gates.clone(),
            format: a.format,
            strict: a.strict,
            crds: a.crds.clone(),
            limits: limits.clone(),
        };
        lint_job(&cfg, &job)
    })??;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.0.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(out.1)
}

/// Lint one job with `cfg`'s feature gates, severities and ignores: the
/// report text and the exit code (0, or 1 for errors, or warnings when
/// strict). Runs on the caller's stack: wrap it in `with_big_stack`.
pub(super) fn lint_job(cfg: &Config, a: &LintJob) -> Result<(String, u8), String> {
    let chart_path = a.chart.clone();
    let (chart, label) = match &chart_path {
        Some(p) => (Chart::load(p), p.display().to_string()),
        None => (embedded_chart(), EMBEDDED_NAME.to_string()),
    };
    let chart = chart.map_err(|e| e.to_string())?;
    let files: Vec<PathBuf> = a.values.values.clone();
    let mut values_files = Vec::new();
    for f in &files {
        let text = pchart::input::read_text(f)?;
        values_files.push((f.display().to_string(), text));
    }
    // --set style flags, without the files (which are read above with positions).
    let set_only = ValuesArgs {
        values: Vec::new(),
        ..a.values.clone()
    };
    let set_values = set_only.load()?;
    let mut gates = cfg.feature_gates.clone();
    parse_gates(&a.feature_gates, &mut gates)?;
    let kube_version = a
        .kube_version
        .clone()
        .or(cfg.kube_version.clone())
        .unwrap_or_else(|| pchart::render::DEFAULT_KUBE_VERSION.to_string());
    let mut sources = BTreeMap::new();
    for (n, t) in &values_files {
        sources.insert(n.clone(), t.clone());
    }
    if let Some(t) = &chart.values_text {
        sources.insert(format!("{label}/values.yaml"), t.clone());
    }
    for (p, t) in &chart.templates {
        sources.insert(format!("{}/{p}", chart.name), t.clone());
    }
    let mut crds = Vec::new();
    for f in &a.crds {
        let text = std::fs::read_to_string(f)
            .map_err(|e| format!("{}: {}", f.display(), pchart::chart::io_reason(&e)))?;
        let docs = pchart::yaml::parse_document_list(&text)
            .map_err(|e| format!("{}:{}:{}: {}", f.display(), e.line, e.column, e.message))?;
        crds.extend(docs.into_iter().filter(|d| !d.is_nil()));
    }
    let input = LintInput {
        crds,
        chart,
        chart_label: label,
        values_files,
        set_values,
        kube_version,
        feature_gates: gates,
        render: RenderOptions {
            limits: a.limits.clone(),
            ..RenderOptions::default()
        },
    };
    let ctx = LintContext::build(input)?;
    if let Some(e) = ctx.input_errors.first() {
        return Err(e.clone());
    }
    let mut findings = lint(&ctx);
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
    let color = a.format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = render(a.format, &findings, &FileSources(sources), color);
    let errors = findings.iter().any(|f| f.severity == Severity::Error);
    let warnings = findings.iter().any(|f| f.severity == Severity::Warning);
    let code = if errors || (a.strict && warnings) {
        1
    } else {
        0
    };
    Ok((text, code))
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
    print!("{out}");
    Ok(0)
}

/// `pchart explain CODE`: a rule's documentation.
pub fn explain(code: &str) -> Result<u8, String> {
    let r = find(code).ok_or_else(|| format!("unknown rule {code:?} (see `pchart rules`)"))?;
    let i = &r.info;
    let indent = |s: &str| s.lines().map(|l| format!("    {l}\n")).collect::<String>();
    print!(
        "{} ({}): {}\n\nDefault severity: {}\n\nWhy it matters:\n{}\n\nFails:\n{}\nPasses:\n{}",
        i.code,
        i.name,
        i.summary,
        i.severity.as_str(),
        textwrap(i.why, 76),
        indent(i.fails),
        indent(i.passes)
    );
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
