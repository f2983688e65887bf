//! `pchart test`: every golden case of the repository, rendered and
//! compared with its expected manifests; `--update` rewrites the failing
//! ones (atomically), except in CI.
//!
//! Cases come from `.pchart.yaml`'s `tests:` list and, by convention, from
//! every `golden/<case>/expected.yaml` (the other `*.yaml` files of the
//! directory are its values files, merged in name order; an optional
//! `flags` file holds render flags such as `--kube-version 1.33.0`).

use std::path::{Path, PathBuf};

use clap::{Args, Parser};

use super::diff::{NoSources, RenderSpec, read_golden, render_spec, use_color};
use super::output::{eprint_line, write_stdout};
use super::values_args::ValuesArgs;
use pchart::atomic::write_atomic;
use pchart::golden::{self, semantic, text};
use pchart::lint::Finding;
use pchart::report::{self, Format, junit};
use pchart::template::value::Value;

/// One golden case.
#[derive(Debug, Clone)]
pub(super) struct Case {
    pub(super) name: String,
    pub(super) spec: RenderSpec,
    pub(super) golden: PathBuf,
}

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Only run these cases (by name); all of them by default.
    pub cases: Vec<String>,
    /// Rewrite the golden files of failing cases with the new render
    /// (atomically). Never writes when the CI environment variable is set.
    #[arg(long)]
    pub update: bool,
    /// Compare objects by kind/namespace/name and report changed fields,
    /// ignoring key order, quoting and formatting (as `pchart diff
    /// --semantic`).
    #[arg(long)]
    pub semantic: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Configuration file [default: ./.pchart.yaml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

fn str_list(v: &Value, what: &str) -> Result<Vec<String>, String> {
    match v {
        Value::Nil => Ok(Vec::new()),
        Value::String(s) => Ok(vec![s.to_string()]),
        Value::List(l, _) => l
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("`{what}` must be a list of strings"))
            })
            .collect(),
        _ => Err(format!("`{what}` must be a list of strings")),
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_string()),
        Value::Float(f) => Some(format!("{f}")),
        Value::Int(i, _) => Some(i.to_string()),
        _ => None,
    }
}

const CASE_KEYS: &[&str] = &[
    "name",
    "chart",
    "values",
    "set",
    "releaseName",
    "namespace",
    "kubeVersion",
    "apiVersions",
    "golden",
    "version",
    "plainHttp",
];

/// `.pchart.yaml`'s `tests:`: a list of cases, each with `golden` (the
/// expected manifests) and optional `name`, `chart` (default: the embedded
/// Perses chart), `values` (files), `set` (`--set` expressions),
/// `releaseName`, `namespace`, `kubeVersion` and `apiVersions`. Paths are
/// relative to the file.
pub(super) fn parse_tests(
    v: &Value,
    base: &Path,
    src: &super::config::Source,
) -> Result<Vec<Case>, String> {
    let err = |i: usize, m: String| format!("{}: tests[{i}]: {m}", src.at(&format!("tests[{i}]")));
    let Value::List(items, _) = v else {
        return Err(format!(
            "{}: `tests` must be a list of cases",
            src.at("tests")
        ));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(m) = item.as_map() else {
            return Err(err(i, "a case must be a map".into()));
        };
        if let Some(k) = m.keys().find(|k| !CASE_KEYS.contains(&k.as_str())) {
            return Err(err(
                i,
                format!(
                    "unknown key {k:?}{} (known: {})",
                    super::suggest::hint(k, CASE_KEYS.iter().copied()),
                    CASE_KEYS.join(", ")
                ),
            ));
        }
        let get = |k: &str| m.get(k).filter(|v| !matches!(v, Value::Nil));
        let golden = get("golden").and_then(Value::as_str).ok_or_else(|| {
            err(
                i,
                "`golden` (the expected manifests file) is required".into(),
            )
        })?;
        let golden = base.join(golden);
        let name = match get("name") {
            Some(n) => scalar(n).ok_or_else(|| err(i, "`name` must be a string".into()))?,
            None => golden
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let text = |k: &str, default: &str| -> Result<String, String> {
            match get(k) {
                None => Ok(default.to_string()),
                Some(x) => scalar(x).ok_or_else(|| err(i, format!("`{k}` must be a string"))),
            }
        };
        let chart = match get("chart") {
            None => None,
            Some(x) => Some(
                super::remote_args::case_chart(
                    x.as_str()
                        .ok_or_else(|| err(i, "`chart` must be a path".into()))?,
                    get("version").and_then(scalar),
                    get("plainHttp").is_some_and(Value::truth),
                    base,
                )
                .map_err(|e| err(i, e))?,
            ),
        };
        let list = |k: &str| -> Result<Vec<String>, String> {
            get(k).map_or(Ok(Vec::new()), |x| str_list(x, k).map_err(|e| err(i, e)))
        };
        let values = ValuesArgs {
            values: list("values")?.iter().map(|p| base.join(p)).collect(),
            set: list("set")?,
            ..ValuesArgs::default()
        };
        out.push(Case {
            name,
            spec: RenderSpec {
                chart,
                values,
                release_name: text("releaseName", "release-name")?,
                namespace: text("namespace", "default")?,
                kube_version: match get("kubeVersion") {
                    None => pchart::render::DEFAULT_KUBE_VERSION.to_string(),
                    Some(x) => src
                        .version(&format!("tests[{i}].kubeVersion"), x)?
                        .unwrap_or_else(|| pchart::render::DEFAULT_KUBE_VERSION.to_string()),
                },
                api_versions: list("apiVersions")?,
            },
            golden,
        });
    }
    Ok(out)
}

/// The flags a `golden/<case>/flags` file may hold: `pchart render`'s.
#[derive(Parser, Debug)]
#[command(no_binary_name = true, name = "flags")]
struct CaseFlags {
    /// Chart directory or .tgz (relative to the repository).
    #[arg(long)]
    chart: Option<PathBuf>,
    #[command(flatten)]
    values: ValuesArgs,
    #[arg(long, default_value = "release-name")]
    release_name: String,
    #[arg(long, short = 'n', default_value = "default")]
    namespace: String,
    #[arg(long, default_value = pchart::render::DEFAULT_KUBE_VERSION)]
    kube_version: String,
    #[arg(long = "api-versions", short = 'a')]
    api_versions: Vec<String>,
}

/// Cases by convention: `BASE/golden/<case>/expected.yaml`.
fn convention_cases(base: &Path, default_chart: Option<&PathBuf>) -> Result<Vec<Case>, String> {
    let dir = base.join("golden");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.yaml").is_file())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for d in dirs {
        let flags_path = d.join("flags");
        let tokens: Vec<String> = match std::fs::read_to_string(&flags_path) {
            Ok(t) => t
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .flat_map(|l| l.split_whitespace().map(str::to_string))
                .collect(),
            Err(_) => Vec::new(),
        };
        let flags = CaseFlags::try_parse_from(tokens).map_err(|e| {
            format!(
                "{}: {}",
                flags_path.display(),
                e.to_string().lines().next().unwrap_or("bad flags")
            )
        })?;
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
            .map_err(|e| format!("{}: {e}", d.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| x == "yaml" || x == "yml")
                    && p.file_name().is_some_and(|n| n != "expected.yaml")
            })
            .collect();
        files.sort();
        files.extend(flags.values.values.iter().map(|p| d.join(p)));
        let name = d
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(Case {
            name,
            spec: RenderSpec {
                chart: flags.chart.map(|c| base.join(c)).or(default_chart.cloned()),
                values: ValuesArgs {
                    values: files,
                    ..flags.values
                },
                release_name: flags.release_name,
                namespace: flags.namespace,
                kube_version: flags.kube_version,
                api_versions: flags.api_versions,
            },
            golden: d.join("expected.yaml"),
        });
    }
    Ok(out)
}

/// Every case: `.pchart.yaml`'s, then the conventional ones not listed there.
pub(super) fn all_cases(config: Option<&PathBuf>) -> Result<Vec<Case>, String> {
    let cfg = super::config::load_config(config)?;
    let mut cases = cfg.tests.clone();
    for c in convention_cases(&cfg.base, cfg.chart.as_ref())? {
        if !cases.iter().any(|x| same_file(&x.golden, &c.golden)) {
            cases.push(c);
        }
    }
    Ok(cases)
}

/// Whether two paths name the same file (lexically after canonicalising
/// what exists).
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    canon(a) == canon(b)
}

pub(super) fn canon(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| {
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c),
            }
        }
        out
    })
}

/// Whether the CI environment variable is set (to anything but "", "0" or
/// "false").
pub(super) fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

enum Outcome {
    Pass,
    /// `changes`: with `--semantic`, the changed fields (never empty).
    Differs {
        golden: String,
        rendered: String,
        changes: Option<Vec<semantic::Change>>,
    },
    Missing {
        rendered: String,
    },
    RenderFailed(String),
    /// `--update` wrote the golden file: `created` when it did not exist.
    Written {
        created: bool,
    },
}

pub fn run(a: TestArgs) -> Result<u8, String> {
    let mut cases = all_cases(a.config.as_ref())?;
    if !a.cases.is_empty() {
        for n in &a.cases {
            if !cases.iter().any(|c| &c.name == n) {
                return Err(format!(
                    "no golden case named {n:?}{}",
                    super::suggest::hint(n, cases.iter().map(|c| c.name.as_str()))
                ));
            }
        }
        cases.retain(|c| a.cases.contains(&c.name));
    }
    if cases.is_empty() {
        return Err(
            "no golden cases: add a `tests:` list to .pchart.yaml or golden/<case>/expected.yaml files"
                .into(),
        );
    }
    run_cases(&cases, a.format, a.update, a.semantic)
}

/// Run `cases`, update failing golden files when asked (and not in CI),
/// print the report. Exit code 0 when everything passes (or was written),
/// 1 when cases fail; write errors are input errors (exit 2).
pub(super) fn run_cases(
    cases: &[Case],
    format: Format,
    update: bool,
    semantic_compare: bool,
) -> Result<u8, String> {
    let color = use_color(format);
    let mut results = Vec::new();
    for c in cases {
        let outcome = match render_spec(&c.spec) {
            Err(e) => Outcome::RenderFailed(e),
            Ok(rendered) => match read_golden(&c.golden)? {
                None => Outcome::Missing { rendered },
                Some(g) if g == rendered => Outcome::Pass,
                Some(golden) if semantic_compare => {
                    let label = c.golden.display().to_string();
                    let changes = semantic::compare(&golden, &rendered, &label, "rendered")?;
                    if changes.is_empty() {
                        Outcome::Pass
                    } else {
                        Outcome::Differs {
                            golden,
                            rendered,
                            changes: Some(changes),
                        }
                    }
                }
                Some(golden) => Outcome::Differs {
                    golden,
                    rendered,
                    changes: None,
                },
            },
        };
        results.push((c, outcome));
    }
    let writable = results
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Differs { .. } | Outcome::Missing { .. }))
        .count();
    let ci = in_ci();
    // Write before reporting, so that the report says what happened.
    let mut write_errors = Vec::new();
    if update && !ci {
        for (c, o) in results.iter_mut() {
            let (rendered, created) = match o {
                Outcome::Differs { rendered, .. } => (rendered, false),
                Outcome::Missing { rendered } => (rendered, true),
                _ => continue,
            };
            match write_atomic(&c.golden, rendered.as_bytes()) {
                Ok(()) => {
                    let verb = if created { "created" } else { "updated" };
                    eprint_line(&format!("{verb} {}", c.golden.display()));
                    *o = Outcome::Written { created };
                }
                Err(e) => write_errors.push(format!("cannot update {}: {e}", c.golden.display())),
            }
        }
    }
    let count = |f: &dyn Fn(&Outcome) -> bool| results.iter().filter(|(_, o)| f(o)).count();
    let passed = count(&|o| matches!(o, Outcome::Pass));
    let created = count(&|o| matches!(o, Outcome::Written { created: true }));
    let updated = count(&|o| matches!(o, Outcome::Written { created: false }));
    let failed = results.len() - passed - created - updated;

    // The report.
    let mut findings: Vec<Finding> = Vec::new();
    let mut junit_cases = Vec::new();
    let mut human = String::new();
    let mut details = String::new();
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    for (c, o) in &results {
        let g = c.golden.display().to_string();
        let (line, failure) = match o {
            Outcome::Pass => (format!("{} {}", paint("32", "ok    "), c.name), None),
            Outcome::Written { created } => {
                let verb = if *created { "created" } else { "updated" };
                (
                    format!("{} {} ({g})", paint("33", &format!("{verb:<6}")), c.name),
                    None,
                )
            }
            Outcome::Differs {
                golden,
                rendered,
                changes,
            } => {
                let d = match changes {
                    Some(ch) => semantic::render_human(ch, color),
                    None => text::unified(golden, rendered, &g, "rendered", color),
                };
                details.push_str(&format!("{} {}:\n{d}\n", paint("1", "case"), c.name));
                findings.extend(match changes {
                    Some(ch) => golden::semantic_findings(&g, ch),
                    None => golden::text_findings(&g, golden, rendered),
                });
                (
                    format!("{} {} ({g} differs)", paint("1;31", "FAILED"), c.name),
                    Some((
                        format!("rendered manifests differ from {g}"),
                        text::unified(golden, rendered, &g, "rendered", false),
                    )),
                )
            }
            Outcome::Missing { .. } => {
                let m = format!("{g} does not exist (create it with `pchart test --update`)");
                findings.push(golden::finding(
                    golden::MISSING,
                    &g,
                    0,
                    format!("case {}: {m}", c.name),
                ));
                (
                    format!("{} {} ({g} missing)", paint("1;31", "FAILED"), c.name),
                    Some((m.clone(), m)),
                )
            }
            Outcome::RenderFailed(e) => {
                details.push_str(&format!(
                    "{} {}:\nError: {e}\n\n",
                    paint("1", "case"),
                    c.name
                ));
                findings.push(golden::finding(
                    golden::RENDER_FAILED,
                    &g,
                    0,
                    format!("case {}: render failed: {e}", c.name),
                ));
                (
                    format!("{} {} (render failed)", paint("1;31", "FAILED"), c.name),
                    Some((format!("render failed: {e}"), e.clone())),
                )
            }
        };
        human.push_str(&line);
        human.push('\n');
        junit_cases.push(junit::Case {
            name: c.name.clone(),
            failure,
        });
    }
    if !details.is_empty() {
        human.push('\n');
        human.push_str(&details);
    }
    let mut summary = format!("{passed} passed, {failed} failed");
    if created > 0 {
        summary.push_str(&format!(", {created} created"));
    }
    if updated > 0 {
        summary.push_str(&format!(", {updated} updated"));
    }
    human.push_str(&summary);
    human.push('\n');
    let out = match format {
        Format::Human => human,
        Format::Junit => junit::render_cases("pchart test", "pchart.test", &junit_cases),
        f => {
            let mut findings = findings;
            super::lint::for_tools(f, &mut findings)?;
            report::render(f, &findings, &NoSources, false)
        }
    };
    write_stdout(&out)?;
    if !write_errors.is_empty() {
        return Err(write_errors.join("\nError: "));
    }
    if failed == 0 {
        return Ok(0);
    }
    if update && ci && writable > 0 {
        eprint_line(&format!(
            "pchart test: not updating: the CI environment variable is set, and golden files are never rewritten in CI ({writable} would have been); run `pchart test --update` locally and commit the result"
        ));
    } else if !update && writable > 0 && format == Format::Human {
        write_stdout("run `pchart test --update` to accept the new output\n")?;
    }
    // Render failures cannot be fixed by an update.
    Ok(1)
}
