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
//! * a golden file, or a `golden/<case>/flags` file, selects its case
//!   (`hook test`); `.pchart.yaml` itself selects everything;
//! * for `hook lint`, any other values file of `.pchart.yaml`'s chart (or
//!   the embedded one) is linted with `.pchart.yaml`'s values: one that
//!   matches a `valuesFiles:` glob, or a YAML map with a top-level key of
//!   the chart's values.yaml that is not a Kubernetes manifest;
//! * anything else is skipped, and named on standard error with the
//!   reason.
//!
//! `hook lint` lints each selected chart once per values set (its golden
//! cases' values, or `.pchart.yaml`'s); `hook test` runs the selected cases.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::cases::{Case, all_cases, canon, same_file};
use super::config::{Config, ConfigArg};
use super::lint::{LintJob, report};
use super::lint_units::{Unit, case_unit, lint_units};
use super::output::{FormatArg, eprint_line, write_stdout};
use super::release_args::ReleaseArgs;
use super::test::run_cases;
use super::values_args::ValuesArgs;
use pchart::render::with_big_stack;

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
    #[command(flatten)]
    pub output: FormatArg,
    #[command(flatten)]
    pub config: ConfigArg,
}

#[derive(Args, Debug)]
pub struct HookTestArgs {
    /// Changed files, as pre-commit passes them.
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub output: FormatArg,
    #[command(flatten)]
    pub config: ConfigArg,
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

/// Whether `file` is a convention case's `flags` file (`golden/<case>/flags`).
fn is_flags_of(case: &Case, file: &Path) -> bool {
    file.file_name().is_some_and(|n| n == "flags")
        && case
            .golden
            .file_name()
            .is_some_and(|n| n == "expected.yaml")
        && match (file.parent(), case.golden.parent()) {
            (Some(a), Some(b)) => same_file(a, b),
            _ => false,
        }
}

/// Whether `file` changes what `case` renders or expects.
fn affects(case: &Case, file: &Path) -> bool {
    same_file(&case.golden, file)
        || uses_values(case, file)
        || is_flags_of(case, file)
        || chart_of(file).is_some_and(|ch| uses_chart(case, &ch))
}

/// The cases `files` affect, in case order; the files that affect none
/// are named on standard error.
fn affected_cases<'a>(cases: &'a [Case], cfg: &Config, files: &[PathBuf]) -> Vec<&'a Case> {
    if files.iter().any(|f| is_config(f, cfg)) {
        return cases.iter().collect();
    }
    for f in files {
        if !cases.iter().any(|c| affects(c, f)) {
            eprint_line(&format!(
                "pchart hook test: skipped {}: no golden case uses it",
                f.display()
            ));
        }
    }
    cases
        .iter()
        .filter(|c| files.iter().any(|f| affects(c, f)))
        .collect()
}

fn test(a: HookTestArgs) -> Result<u8, String> {
    let cfg = a.config.load()?;
    let cases = all_cases(&cfg)?;
    let selected: Vec<Case> = affected_cases(&cases, &cfg, &a.files)
        .into_iter()
        .cloned()
        .collect();
    if selected.is_empty() {
        return Ok(0);
    }
    run_cases(&selected, a.output.format, false, false)
}

/// Why `file` is not checked by `hook lint`, or the values set it selects.
enum Selected {
    Units(Vec<Unit>),
    Skipped(String),
}

fn config_unit(cfg: &Config, extra: Option<&Path>) -> Unit {
    Unit {
        case: None,
        chart: cfg.chart.clone(),
        values: cfg
            .values
            .iter()
            .cloned()
            .chain(extra.map(Path::to_path_buf))
            .collect(),
        set: Vec::new(),
        release: None,
    }
}

/// Whether `file` matches one of `.pchart.yaml`'s `valuesFiles:` globs
/// (relative to the file).
fn matches_glob(cfg: &Config, file: &Path) -> bool {
    let abs = canon(file);
    let base = match cfg.base.as_os_str().is_empty() {
        true => canon(Path::new(".")),
        false => canon(&cfg.base),
    };
    let Ok(rel) = abs.strip_prefix(&base) else {
        return false;
    };
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let rel = rel.join("/");
    cfg.values_globs
        .iter()
        .any(|g| super::glob::matches(g.trim_start_matches("./"), &rel))
}

/// Whether `file` looks like a values file of a chart whose top-level
/// values keys are `keys`: YAML, a map, at least one of those keys, and
/// not a Kubernetes manifest. `Err` is the reason it is not.
fn looks_like_values(file: &Path, keys: &[String]) -> Result<(), String> {
    let text = pchart::input::read_text(file).map_err(|e| format!("unreadable ({e})"))?;
    let v = pchart::yaml::parse_values(&text)
        .map_err(|e| format!("not valid YAML (line {}: {})", e.line, e.message))?;
    let Some(m) = v.as_map() else {
        return Err("not a YAML map".into());
    };
    if m.contains_key("apiVersion") && m.contains_key("kind") {
        return Err("a Kubernetes manifest, not a values file".into());
    }
    if m.keys().any(|k| keys.contains(k)) {
        Ok(())
    } else {
        Err("no top-level key of the chart's values.yaml".into())
    }
}

fn select(
    cfg: &Config,
    cases: &[Case],
    file: &Path,
    chart_keys: &dyn Fn() -> Result<Vec<String>, String>,
) -> Result<Selected, String> {
    if is_config(file, cfg) {
        let mut u = vec![config_unit(cfg, None)];
        u.extend(cases.iter().map(case_unit));
        return Ok(Selected::Units(u));
    }
    if let Some(chart) = chart_of(file) {
        let mine: Vec<Unit> = cases
            .iter()
            .filter(|c| uses_chart(c, &chart))
            .map(case_unit)
            .collect();
        return Ok(Selected::Units(if !mine.is_empty() {
            mine
        } else if cfg.chart.as_ref().is_some_and(|c| same_file(c, &chart)) {
            vec![config_unit(cfg, None)]
        } else {
            vec![Unit {
                case: None,
                chart: Some(chart),
                values: Vec::new(),
                set: Vec::new(),
                release: None,
            }]
        }));
    }
    if let Some(c) = cases.iter().find(|c| same_file(&c.golden, file)) {
        return Ok(Selected::Skipped(format!(
            "the golden file of case {} (`pchart hook test` checks it)",
            c.name
        )));
    }
    let mine: Vec<Unit> = cases
        .iter()
        .filter(|c| uses_values(c, file))
        .map(case_unit)
        .collect();
    if !mine.is_empty() {
        return Ok(Selected::Units(mine));
    }
    if cfg.values.iter().any(|v| same_file(v, file)) {
        return Ok(Selected::Units(vec![config_unit(cfg, None)]));
    }
    // Not listed anywhere: still a values file for the chart if a glob
    // says so or its keys do (a new values/staging.yaml must not pass
    // unchecked).
    if matches_glob(cfg, file) {
        return Ok(Selected::Units(vec![config_unit(cfg, Some(file))]));
    }
    match looks_like_values(file, &chart_keys()?) {
        Ok(()) => Ok(Selected::Units(vec![config_unit(cfg, Some(file))])),
        Err(why) => Ok(Selected::Skipped(format!(
            "{why}; not used by a golden case, .pchart.yaml `values:` or `valuesFiles:`"
        ))),
    }
}

fn lint(a: HookLintArgs) -> Result<u8, String> {
    let (strict, format) = (a.strict, a.output.format);
    let parts = with_big_stack(move || -> Result<_, String> {
        let cfg = a.config.load()?;
        let cases = all_cases(&cfg)?;
        // The chart's top-level values keys, loaded when first needed.
        let keys = std::cell::OnceCell::new();
        let chart_keys = || -> Result<Vec<String>, String> {
            if let Some(k) = keys.get() {
                return Ok(Clone::clone(k));
            }
            let chart = super::load_chart(cfg.chart.as_deref())?;
            let k: Vec<String> = chart
                .values
                .as_map()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            Ok(keys.get_or_init(|| k).clone())
        };
        let mut units = Vec::new();
        for f in &a.files {
            match select(&cfg, &cases, f, &chart_keys)? {
                Selected::Units(u) => units.extend(u),
                Selected::Skipped(why) => {
                    eprint_line(&format!("pchart hook lint: skipped {}: {why}", f.display()));
                }
            }
        }
        // Group by chart: each chart's reports together.
        units.sort_by_key(|u| u.chart.clone());
        let base = LintJob {
            chart: None,
            values: ValuesArgs::default(),
            release: ReleaseArgs::default(),
            feature_gates: Vec::new(),
            crds: Vec::new(),
            artifact: None,
        };
        lint_units(&cfg, &base, units)
    })??;
    let (text, code) = report(format, strict, &parts)?;
    write_stdout(&text)?;
    Ok(code)
}
