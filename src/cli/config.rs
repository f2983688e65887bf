//! `.pchart.yaml`: defaults for `lint` (flags win), the golden cases of
//! `pchart test` (`tests:`, read by [`super::cases::parse_tests`]) and the
//! values-file globs of the pre-commit hook. Unknown keys are errors: a
//! typo (`kubeversion:`) silently linting at the default version is worse
//! than a failed run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pchart::lint::Severity;
use pchart::lint::context::FEATURE_GATES;
use pchart::lint::rules::{ALL, find};
use pchart::value::Value;
use pchart::yaml::Positions;

const KEYS: &[&str] = &[
    "chart",
    "values",
    "kubeVersion",
    "featureGates",
    "rules",
    "ignore",
    "tests",
    "valuesFiles",
    "version",
    "plainHttp",
];

#[derive(Debug, Default)]
pub(super) struct Config {
    pub(super) chart: Option<PathBuf>,
    pub(super) values: Vec<PathBuf>,
    pub(super) kube_version: Option<String>,
    pub(super) feature_gates: BTreeMap<String, bool>,
    /// Rule code -> severity, or None for "off".
    pub(super) severities: BTreeMap<String, Option<Severity>>,
    pub(super) ignore: Vec<String>,
    /// Golden cases (`tests:`).
    pub(super) tests: Vec<super::cases::Case>,
    /// Glob patterns (relative to the file) of values files the hook
    /// lints even when no case lists them (`valuesFiles:`).
    pub(super) values_globs: Vec<String>,
    /// The directory relative paths of the file are resolved from ("" for
    /// the current directory).
    pub(super) base: PathBuf,
    /// The file read, if any.
    pub(super) path: Option<PathBuf>,
}

/// The text and key positions of a YAML file, for messages that point at
/// a line and for scalars that must be read as written.
pub(super) struct Source<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
    pub(super) positions: &'a Positions,
}

impl Source<'_> {
    /// `FILE:LINE` of `key` (`tests[0].kubeVersion`), or `FILE`.
    pub(super) fn at(&self, key: &str) -> String {
        match self.positions.get(key) {
            Some((l, _)) => format!("{}:{l}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    /// A version-like scalar as the user wrote it. `kubeVersion: 1.30` is
    /// the YAML float 1.3; the text says "1.30", which is what was meant.
    pub(super) fn version(&self, key: &str, v: &Value) -> Result<Option<String>, String> {
        match v {
            Value::Nil => Ok(None),
            Value::String(s) => Ok(Some(s.to_string())),
            Value::Int(..) | Value::Float(_) => match self.written(key) {
                Some(w) => {
                    super::output::eprint_once(&format!(
                        "{}: note: `{}: {w}` is a YAML number; read as the version \"{w}\" (quote it to silence this)",
                        self.at(key),
                        key.rsplit('.').next().unwrap_or(key)
                    ));
                    Ok(Some(w))
                }
                None => Err(format!(
                    "{}: `{key}` must be a quoted version string, e.g. \"1.30\" (an unquoted 1.30 is the number 1.3)",
                    self.at(key)
                )),
            },
            _ => Err(format!(
                "{}: `{key}` must be a version string",
                self.at(key)
            )),
        }
    }

    /// The plain scalar after `key:` on the key's line, when it is a
    /// version number (digits and dots).
    fn written(&self, key: &str) -> Option<String> {
        let (line, col) = *self.positions.get(key)?;
        let text = self.text.lines().nth(line.checked_sub(1)?)?;
        let rest = text.get(col.checked_sub(1)?..)?;
        let name = key.rsplit(['.', ']']).next()?;
        let rest = rest.strip_prefix(name)?.trim_start().strip_prefix(':')?;
        let word = rest.split('#').next()?.trim();
        let ok = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit() || c == '.');
        ok.then(|| word.to_string())
    }
}

/// `name` if lint reads that gate; otherwise an error with the closest
/// known name (a typo such as `ImageVolumes=true` would change nothing).
pub(super) fn known_gate(name: &str, origin: &str) -> Result<String, String> {
    if FEATURE_GATES.contains(&name) {
        return Ok(name.to_string());
    }
    Err(format!(
        "{origin}: unknown feature gate {name:?}{} (pchart's rules read: {}; other gates change nothing it checks)",
        super::suggest::hint(name, FEATURE_GATES.iter().copied()),
        FEATURE_GATES.join(", ")
    ))
}

/// An error for the first key of `m` not in `known`, with a suggestion.
pub(super) fn check_keys(
    m: &pchart::value::Map,
    known: &[&str],
    src: &Source,
    prefix: &str,
) -> Result<(), String> {
    let Some(k) = m.keys().find(|k| !known.contains(&k.as_str())) else {
        return Ok(());
    };
    let full = format!("{prefix}{k}");
    Err(format!(
        "{}: unknown key `{full}`{} (known: {})",
        src.at(&full),
        super::suggest::hint(k, known.iter().copied()),
        known.join(", ")
    ))
}

/// A list of strings (nil: empty); `bad` words the error.
pub(super) fn str_list(v: &Value, bad: &dyn Fn() -> String) -> Result<Vec<String>, String> {
    match v {
        Value::Nil => Ok(Vec::new()),
        Value::List(l, _) => l
            .iter()
            .map(|x| x.as_str().map(str::to_string).ok_or_else(bad))
            .collect(),
        _ => Err(bad()),
    }
}

/// `--config FILE`, shared by `lint`, `test` and the hook commands.
#[derive(clap::Args, Debug, Clone)]
pub struct ConfigArg {
    /// Configuration file [default: ./.pchart.yaml when it exists].
    #[arg(long = "config", value_name = "FILE")]
    pub path: Option<PathBuf>,
}

impl ConfigArg {
    /// The configuration it names (none: `./.pchart.yaml` if it exists).
    pub(super) fn load(&self) -> Result<Config, String> {
        load_config(self.path.as_ref())
    }
}

fn load_config(path: Option<&PathBuf>) -> Result<Config, String> {
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
    let (v, positions) = pchart::yaml::parse_values_located(&text)
        .map_err(|e| format!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message))?;
    let src = Source {
        path: &path,
        text: &text,
        positions: &positions,
    };
    let base = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let empty = pchart::value::Map::new();
    let top = match &v {
        Value::Map(m, _) => m.borrow().clone(),
        Value::Nil => empty,
        _ => return Err(format!("{}: must be a map of settings", path.display())),
    };
    check_keys(&top, KEYS, &src, "")?;
    let get = |k: &str| top.get(k).filter(|x| !matches!(x, Value::Nil)).cloned();
    let bad = |k: &str, want: &str| format!("{}: `{k}` must be {want}", src.at(k));
    let mut c = Config::default();
    if let Some(x) = get("chart") {
        let s = x.as_str().ok_or_else(|| bad("chart", "a path"))?;
        // oci:// and repository charts (with `version:`, `plainHttp:`).
        let version = get("version").and_then(|v| v.as_str().map(String::from));
        let plain = get("plainHttp").is_some_and(|v| v.truth());
        c.chart = Some(super::remote_args::case_chart(s, version, plain, &base)?);
    }
    if let Some(x) = get("values") {
        let l = str_list(&x, &|| bad("values", "a list of paths"))?;
        c.values = l.iter().map(|s| base.join(s)).collect();
    }
    if let Some(x) = get("kubeVersion") {
        c.kube_version = src.version("kubeVersion", &x)?;
    }
    if let Some(x) = get("featureGates") {
        let Value::Map(m, _) = &x else {
            return Err(bad("featureGates", "a map of gate names to booleans"));
        };
        for (k, x) in m.borrow().iter() {
            let Value::Bool(b) = x else {
                return Err(bad("featureGates", "a map of gate names to booleans"));
            };
            let origin = src.at(&format!("featureGates.{k}"));
            c.feature_gates.insert(known_gate(k, &origin)?, *b);
        }
    }
    if let Some(x) = get("rules") {
        let Value::Map(m, _) = &x else {
            return Err(bad("rules", "a map of rule codes to severities"));
        };
        for (k, x) in m.borrow().iter() {
            let code = find(k).map(|r| r.info.code.to_string()).ok_or_else(|| {
                format!(
                    "{}: unknown rule {k:?}{} (see `pchart rules`)",
                    src.at(&format!("rules.{k}")),
                    super::suggest::hint(k, ALL.iter().flat_map(|r| [r.info.code, r.info.name]))
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
    if let Some(x) = get("ignore") {
        c.ignore = str_list(&x, &|| bad("ignore", "a list of rule codes"))?;
        for code in &c.ignore {
            if find(code).is_none() {
                return Err(format!(
                    "{}: unknown rule {code:?}{} (see `pchart rules`)",
                    src.at("ignore"),
                    super::suggest::hint(code, ALL.iter().map(|r| r.info.code))
                ));
            }
        }
    }
    if let Some(x) = get("valuesFiles") {
        c.values_globs = str_list(&x, &|| bad("valuesFiles", "a list of glob patterns"))?;
    }
    if let Some(t) = get("tests") {
        c.tests = super::cases::parse_tests(&t, &base, &src)?;
    }
    c.base = base;
    c.path = Some(path);
    Ok(c)
}
