//! Turning a chart's file list into a [`Chart`], as Helm's `LoadFiles`
//! does: metadata, values, schema, templates, subcharts, other files.

use std::collections::BTreeMap;

use super::archive::read_archive;
use super::{Chart, LoadError};
use crate::value::{Map, Value};
use crate::yaml;

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn utf8(name: &str, data: &[u8], where_: &str) -> Result<String, LoadError> {
    String::from_utf8(data.to_vec())
        .map_err(|_| LoadError(format!("{where_}: {name}: file is not valid UTF-8")))
}

/// Build a chart from `(relative path, bytes)` pairs. `where_` names the
/// chart (a directory or archive path) in errors.
pub fn from_files(list: Vec<(String, Vec<u8>)>, where_: &str) -> Result<Chart, LoadError> {
    from_files_with(list, where_, None)
}

/// [`from_files`], taking the chart's values from `snapshot` (see
/// [`super::snapshot`]) when it was made from this values.yaml.
pub fn from_files_with(
    list: Vec<(String, Vec<u8>)>,
    where_: &str,
    snapshot: Option<&[u8]>,
) -> Result<Chart, LoadError> {
    let mut c = Chart::default();
    let mut chart_yaml: Option<String> = None;
    let mut requirements: Option<String> = None;
    let mut values_text: Option<String> = None;
    let mut subcharts: BTreeMap<String, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    for (name, mut data) in list {
        if data.starts_with(BOM) {
            data.drain(..BOM.len());
        }
        match name.as_str() {
            "Chart.yaml" => chart_yaml = Some(utf8(&name, &data, where_)?),
            "values.yaml" => values_text = Some(utf8(&name, &data, where_)?),
            "values.schema.json" => c.schema = Some(utf8(&name, &data, where_)?),
            "requirements.yaml" => {
                requirements = Some(utf8(&name, &data, where_)?);
                c.files.push((name, std::sync::Arc::new(data)));
            }
            n if n.starts_with("templates/") => {
                let text = utf8(n, &data, where_)?;
                c.templates.push((name, text));
            }
            n if n.starts_with("charts/") && !n.ends_with(".prov") => {
                let rest = &n["charts/".len()..];
                let group = rest.split('/').next().unwrap_or_default().to_string();
                subcharts
                    .entry(group)
                    .or_default()
                    .push((rest.to_string(), data));
            }
            _ => c.files.push((name, std::sync::Arc::new(data))),
        }
    }
    let Some(meta_text) = chart_yaml else {
        return Err(LoadError(format!("{where_}: Chart.yaml file is missing")));
    };
    let meta = yaml::parse_document(&meta_text).map_err(|e| {
        LoadError(format!(
            "{where_}/Chart.yaml: cannot load Chart.yaml: {}",
            e.message
        ))
    })?;
    c.metadata = normalize_metadata(meta.as_map().map(|m| m.clone()).unwrap_or_default())
        .map_err(|e| {
            LoadError(format!(
                "{where_}/Chart.yaml: cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: {e}"
            ))
        })?;
    validate_metadata(&c.metadata)
        .map_err(|e| LoadError(format!("{where_}/Chart.yaml: validation: {e}")))?;
    c.name = c.meta_str("name");
    if let (Some(req), "v1") = (requirements, c.meta_str("apiVersion").as_str()) {
        let r = yaml::parse_document(&req).map_err(|e| {
            LoadError(format!(
                "{where_}/requirements.yaml: cannot load requirements.yaml: {}",
                e.message
            ))
        })?;
        if let Some(deps) = r.as_map().and_then(|m| m.get("dependencies").cloned()) {
            c.metadata.insert("dependencies".into(), deps);
        }
    }
    c.values = match values_text {
        Some(t) => {
            let v = match snapshot.and_then(|s| super::snapshot::decode(s, &t)) {
                Some(v) => v,
                None => yaml::parse_values(&t).map_err(|e| {
                    LoadError(format!(
                        "{where_}/values.yaml:{}:{}: cannot load values.yaml: {}",
                        e.line, e.column, e.message
                    ))
                })?,
            };
            c.values_text = Some(t);
            v
        }
        None => Value::empty_map(),
    };
    for (group, files) in subcharts {
        // Helm skips names starting with `_` or `.`.
        if group.starts_with(['_', '.']) {
            continue;
        }
        let sub_where = format!("{where_}/charts/{group}");
        let sub = if group.ends_with(".tgz") {
            let Some((_, data)) = files.iter().find(|(n, _)| *n == group) else {
                continue;
            };
            let list = read_archive(data).map_err(|e| {
                LoadError(format!(
                    "error unpacking subchart {group} in {}: {e}",
                    c.name
                ))
            })?;
            from_files(list, &sub_where)?
        } else {
            let inner: Vec<(String, Vec<u8>)> = files
                .into_iter()
                .filter_map(|(n, d)| n.split_once('/').map(|(_, rest)| (rest.to_string(), d)))
                .collect();
            from_files(inner, &sub_where)?
        };
        c.dependencies.push(sub);
    }
    Ok(c)
}

/// Masterminds' loose version syntax: `v` prefix, 1 to 3 numeric parts,
/// optional `-prerelease` and `+metadata`.
fn is_valid_semver(v: &str) -> bool {
    let v = v.strip_prefix('v').unwrap_or(v);
    let (core, _meta) = v.split_once('+').unwrap_or((v, ""));
    let (nums, pre) = core.split_once('-').unwrap_or((core, ""));
    let parts: Vec<&str> = nums.split('.').collect();
    let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    (1..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && (pre.is_empty() && !core.ends_with('-') || pre.split('.').all(ident))
}

/// A scalar where Chart.yaml wants a string, converted the way
/// sigs.k8s.io/yaml does for a string field (`appVersion: 1.10` is "1.1",
/// `description: yes` is "true"); anything else is Go's decoding error.
fn to_string_field(v: &Value, field: &str) -> Result<Value, String> {
    match v {
        Value::String(_) | Value::Nil => Ok(v.clone()),
        Value::Bool(b) => Ok(Value::string(b.to_string())),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            Ok(Value::string(format!("{}", *f as i64)))
        }
        Value::Float(f) => Ok(Value::string(crate::yaml::json::go_format_float(
            *f, b'g', 64,
        ))),
        other => Err(format!(
            "json: cannot unmarshal {} into Go struct field {field} of type string",
            json_kind(other)
        )),
    }
}

/// Chart.yaml as Helm's `Metadata` struct sees it: string fields hold
/// strings, string lists hold strings.
fn normalize_metadata(mut md: Map) -> Result<Map, String> {
    const STRINGS: &[&str] = &[
        "name",
        "home",
        "version",
        "description",
        "icon",
        "apiVersion",
        "condition",
        "tags",
        "appVersion",
        "kubeVersion",
        "type",
    ];
    for k in STRINGS {
        if let Some(v) = md.get(*k) {
            let s = to_string_field(v, &format!("Metadata.{k}"))?;
            md.insert((*k).to_string(), s);
        }
    }
    for k in ["sources", "keywords"] {
        if let Some(Value::List(l, _)) = md.get(k) {
            let items = l
                .iter()
                .map(|x| to_string_field(x, &format!("Metadata.{k}")))
                .collect::<Result<Vec<_>, _>>()?;
            md.insert(k.to_string(), Value::list(items));
        }
    }
    if let Some(Value::List(deps, _)) = md.get("dependencies") {
        let mut out = Vec::new();
        for d in deps.iter() {
            let Value::Map(m, _) = d else {
                out.push(d.clone());
                continue;
            };
            let mut m = m.borrow().clone();
            for k in ["name", "version", "repository", "condition", "alias"] {
                if let Some(v) = m.get(k) {
                    let s = to_string_field(v, &format!("Metadata.dependencies.{k}"))?;
                    m.insert(k.to_string(), s);
                }
            }
            out.push(Value::map(m));
        }
        md.insert("dependencies".into(), Value::list(out));
    }
    Ok(md)
}

/// Helm's `Metadata.Validate`.
fn validate_metadata(md: &Map) -> Result<(), String> {
    let s = |k: &str| -> Result<String, String> {
        match md.get(k) {
            None | Some(Value::Nil) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.to_string()),
            Some(other) => Err(format!(
                "json: cannot unmarshal {} into Go struct field Metadata.{k} of type string",
                json_kind(other)
            )),
        }
    };
    if s("apiVersion")?.is_empty() {
        return Err("chart.metadata.apiVersion is required".into());
    }
    let name = s("name")?;
    if name.is_empty() {
        return Err("chart.metadata.name is required".into());
    }
    if name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(format!("chart.metadata.name {name:?} is invalid"));
    }
    let version = s("version")?;
    if version.is_empty() {
        return Err("chart.metadata.version is required".into());
    }
    if !is_valid_semver(&version) {
        return Err(format!("chart.metadata.version {version:?} is invalid"));
    }
    let ty = s("type")?;
    if !(ty.is_empty() || ty == "application" || ty == "library") {
        return Err("chart.metadata.type must be application or library".into());
    }
    let mut seen = std::collections::BTreeSet::new();
    if let Some(Value::List(deps, _)) = md.get("dependencies") {
        for d in deps.iter() {
            let Some(m) = d.as_map() else { continue };
            let get = |k: &str| {
                m.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let key = if get("alias").is_empty() {
                get("name")
            } else {
                get("alias")
            };
            let alias = get("alias");
            if !alias.is_empty()
                && !alias
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(format!(
                    "dependency {:?} has disallowed characters in the alias",
                    get("name")
                ));
            }
            if !seen.insert(key.clone()) {
                return Err(format!(
                    "more than one dependency with name or alias {key:?}"
                ));
            }
        }
    }
    Ok(())
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Map(..) => "object",
        Value::List(..) => "array",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

impl Chart {
    /// Build a chart in memory (tests, embedded charts).
    pub fn from_memory(list: Vec<(String, Vec<u8>)>, name: &str) -> Result<Chart, LoadError> {
        from_files(list, name)
    }
}

/// The metadata map of a dependency entry, for convenience.
pub fn dependency_entries(c: &Chart) -> Vec<Map> {
    match c.metadata.get("dependencies") {
        Some(Value::List(l, _)) => l
            .iter()
            .filter_map(|d| d.as_map().map(|m| m.clone()))
            .collect(),
        _ => Vec::new(),
    }
}
