//! `pchart hook lint|test FILE...`: the pre-commit entry points. They map
//! the files a commit changes to what must be checked, and check each
//! thing once:
//!
//! * a file inside a chart (any ancestor directory holds a `Chart.yaml`:
//!   Chart.yaml, values.yaml, values.schema.json, templates/...) selects
//!   that chart;
//! * a values file selects the golden cases (`.pchart.yaml` `tests:` or
//!   `golden/<case>/`) that use it, or `.pchart.yaml`'s chart when it is
//!   one of its `values:`;
//! * a golden file selects its case (`hook test`); `.pchart.yaml` itself
//!   selects everything;
//! * anything else is skipped.
//!
//! `hook lint` lints each selected chart once per values set (its golden
//! cases' values, or `.pchart.yaml`'s); `hook test` runs the selected cases.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::lint::{Config, LintJob, lint_job, load_config};
use super::test::{Case, all_cases, canon, run_cases, same_file};
use super::values_args::ValuesArgs;
use pchart::render::with_big_stack;
use pchart::report::Format;

#[derive(Subcommand, Debug)]
pub enum HookCommand {
    /// Lint the charts and values files among FILES (once per chart and
    /// values set).
    Lint(HookLintArgs),
    /// Run the golden cases that FILES affect.
    Test(HookTestArgs),
}

#[derive(Args, Debug)]
pub struct HookLintArgs {
    /// Changed files, as pre-commit passes them.
    pub files: Vec<PathBuf>,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Configuration file [default: ./.pchart.yaml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct HookTestArgs {
    /// Changed files, as pre-commit passes them.
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Configuration file [default: ./.pchart.yaml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(c: HookCommand) -> Result<u8, String> {
    match c {
        HookCommand::Lint(a) => lint(a),
        HookCommand::Test(a) => test(a),
    }
}

/// The chart directory `file` belongs to: the nearest ancestor with a
/// Chart.yaml.
fn chart_of(file: &Path) -> Option<PathBuf> {
    let abs = canon(file);
    abs.ancestors()
        .skip(1)
        .find(|d| d.join("Chart.yaml").is_file())
        .map(Path::to_path_buf)
}

fn is_config(file: &Path, cfg: &Config) -> bool {
    cfg.path.as_ref().is_some_and(|p| same_file(p, file))
}

fn uses_chart(case: &Case, chart: &Path) -> bool {
    case.spec
        .chart
        .as_ref()
        .is_some_and(|c| same_file(c, chart))
}

fn uses_values(case: &Case, file: &Path) -> bool {
    case.spec.values.values.iter().any(|v| same_file(v, file))
}

/// The cases `files` affect, in case order.
fn affected_cases<'a>(cases: &'a [Case], cfg: &Config, files: &[PathBuf]) -> Vec<&'a Case> {
    if files.iter().any(|f| is_config(f, cfg)) {
        return cases.iter().collect();
    }
    cases
        .iter()
        .filter(|c| {
            files.iter().any(|f| {
                same_file(&c.golden, f)
                    || uses_values(c, f)
                    || chart_of(f).is_some_and(|ch| uses_chart(c, &ch))
            })
        })
        .collect()
}

fn test(a: HookTestArgs) -> Result<u8, String> {
    let cfg = load_config(a.config.as_ref())?;
    let cases = all_cases(a.config.as_ref())?;
    let selected: Vec<Case> = affected_cases(&cases, &cfg, &a.files)
        .into_iter()
        .cloned()
        .collect();
    if selected.is_empty() {
        return Ok(0);
    }
    run_cases(&selected, a.format, false)
}

/// A lint unit: a chart and one values set.
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    chart: Option<PathBuf>,
    values: Vec<PathBuf>,
    set: Vec<String>,
    kube_version: Option<String>,
}

fn case_unit(c: &Case) -> Unit {
    Unit {
        chart: c.spec.chart.clone(),
        values: c.spec.values.values.clone(),
        set: c.spec.values.set.clone(),
        kube_version: Some(c.spec.kube_version.clone()),
    }
}

fn units(cfg: &Config, cases: &[Case], files: &[PathBuf]) -> Vec<Unit> {
    let config_unit = Unit {
        chart: cfg.chart.clone(),
        values: cfg.values.clone(),
        set: Vec::new(),
        kube_version: None,
    };
    let mut out: Vec<Unit> = Vec::new();
    let mut add = |u: Unit| {
        if !out.contains(&u) {
            out.push(u);
        }
    };
    for f in files {
        if is_config(f, cfg) {
            add(config_unit.clone());
            cases.iter().for_each(|c| add(case_unit(c)));
            continue;
        }
        if let Some(chart) = chart_of(f) {
            let mine: Vec<&Case> = cases.iter().filter(|c| uses_chart(c, &chart)).collect();
            if !mine.is_empty() {
                mine.into_iter().for_each(|c| add(case_unit(c)));
            } else if cfg.chart.as_ref().is_some_and(|c| same_file(c, &chart)) {
                add(config_unit.clone());
            } else {
                add(Unit {
                    chart: Some(chart),
                    values: Vec::new(),
                    set: Vec::new(),
                    kube_version: None,
                });
            }
            continue;
        }
        let mine: Vec<&Case> = cases.iter().filter(|c| uses_values(c, f)).collect();
        if !mine.is_empty() {
            mine.into_iter().for_each(|c| add(case_unit(c)));
        } else if cfg.values.iter().any(|v| same_file(v, f)) {
            add(config_unit.clone());
        }
    }
    out
}

fn lint(a: HookLintArgs) -> Result<u8, String> {
    let cfg = load_config(a.config.as_ref())?;
    let cases = all_cases(a.config.as_ref())?;
    let mut todo = units(&cfg, &cases, &a.files);
    // Group by chart: each chart is loaded and reported together.
    todo.sort_by_key(|u| u.chart.clone());
    let mut code = 0;
    let mut out = String::new();
    let several = todo.len() > 1 && a.format == Format::Human;
    let (strict, format, config) = (a.strict, a.format, a.config.clone());
    let results = with_big_stack(move || -> Result<Vec<(Unit, String, u8)>, String> {
        let cfg = load_config(config.as_ref())?;
        let mut r = Vec::new();
        for u in todo {
            let job = LintJob {
                chart: u.chart.clone(),
                values: ValuesArgs {
                    values: u.values.clone(),
                    set: u.set.clone(),
                    ..ValuesArgs::default()
                },
                kube_version: u.kube_version.clone(),
                feature_gates: Vec::new(),
                format,
                strict,
                crds: Vec::new(),
                limits: pchart::template::exec::Limits::default(),
                artifact: None,
            };
            let (text, c) = lint_job(&cfg, &job)?;
            r.push((u, text, c));
        }
        Ok(r)
    })??;
    for (u, text, c) in results {
        if several {
            let chart = u
                .chart
                .as_ref()
                .map_or("the embedded Perses chart".to_string(), |c| {
                    c.display().to_string()
                });
            let values: Vec<String> = u.values.iter().map(|v| v.display().to_string()).collect();
            out.push_str(&format!(
                "== {chart}{} ==\n",
                if values.is_empty() {
                    String::new()
                } else {
                    format!(" -f {}", values.join(" -f "))
                }
            ));
        }
        out.push_str(&text);
        code = code.max(c);
    }
    drop(cfg);
    super::diff::write_stdout(&out)?;
    Ok(code)
}
