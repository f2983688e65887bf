//! The golden cases of a repository: `.pchart.yaml`'s `tests:` list and,
//! by convention, every `golden/<case>/expected.yaml` (the other `*.yaml`
//! files of the directory are its values files, merged in name order; an
//! optional `flags` file holds render flags such as `--kube-version
//! 1.33.0`). `pchart test` runs them, `pchart lint` and the pre-commit
//! hook lint what they render.

use std::path::{Path, PathBuf};

use clap::Parser;

use super::config::Config;
use super::diff::RenderSpec;
use super::release_args::ReleaseArgs;
use super::values_args::ValuesArgs;
use pchart::value::Value;

/// One golden case.
#[derive(Debug, Clone)]
pub(super) struct Case {
    pub(super) name: String,
    pub(super) spec: RenderSpec,
    pub(super) golden: PathBuf,
}

/// A list of strings; in a case, one string is a list of one.
fn str_list(v: &Value, what: &str) -> Result<Vec<String>, String> {
    match v {
        Value::String(s) => Ok(vec![s.to_string()]),
        _ => super::config::str_list(v, &|| format!("`{what}` must be a list of strings")),
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
                release: ReleaseArgs {
                    release_name: text("releaseName", "release-name")?,
                    namespace: text("namespace", "default")?,
                    kube_version: match get("kubeVersion") {
                        None => None,
                        Some(x) => src.version(&format!("tests[{i}].kubeVersion"), x)?,
                    },
                    api_versions: list("apiVersions")?,
                    is_upgrade: false,
                },
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
    #[command(flatten)]
    release: ReleaseArgs,
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
                release: flags.release,
            },
            golden: d.join("expected.yaml"),
        });
    }
    Ok(out)
}

/// Every case: `.pchart.yaml`'s, then the conventional ones not listed there.
pub(super) fn all_cases(cfg: &Config) -> Result<Vec<Case>, String> {
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
