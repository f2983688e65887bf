//! Chart.yaml `dependencies`, processed as Helm does before rendering
//! (pkg/chart/v2/util/dependencies.go): aliases, `condition` and `tags`
//! decide which subcharts stay, then `import-values` copies values from
//! children up into their parents.

use super::Chart;
use super::coalesce::{coalesce_values, merge_tables, merge_values};
use super::files::dependency_entries;
use crate::go::fmt::sprint_one;
use crate::semver::{Constraints, Version};
use crate::value::{Map, Value};

/// Masterminds' `IsCompatibleRange(constraint, version)`.
pub fn compatible(constraint: &str, version: &str) -> bool {
    match (Constraints::parse(constraint), Version::parse(version)) {
        (Ok(c), Ok(v)) => c.check(&v),
        _ => false,
    }
}

fn entry_str(m: &Map, k: &str) -> String {
    match m.get(k) {
        Some(Value::String(s)) => s.to_string(),
        _ => String::new(),
    }
}

/// A dependency entry of Chart.yaml, after alias renaming.
#[derive(Debug, Clone)]
struct Dep {
    name: String,
    condition: String,
    tags: Vec<String>,
    import_values: Vec<Value>,
    enabled: bool,
}

/// Walk `path` (`a.b.c`) through nested tables; a copy of the last one.
fn table(root: &Map, path: &str) -> Option<Map> {
    let mut cur = root.clone();
    for part in path.split('.') {
        let next = match cur.get(part)? {
            Value::Map(m, _) => m.borrow().clone(),
            _ => return None,
        };
        cur = next;
    }
    Some(cur)
}

/// Helm's `Values.PathValue`: a non-table value at a dotted path.
fn path_value(root: &Map, path: &str) -> Option<Value> {
    let parent = match path.rsplit_once('.') {
        Some((p, _)) => table(root, p)?,
        None => root.clone(),
    };
    let key = path.rsplit('.').next().unwrap_or(path);
    match parent.get(key)? {
        Value::Map(..) => None,
        v => Some(v.clone()),
    }
}

/// Apply `tags` then `condition` to decide which dependencies stay.
fn decide(deps: &mut [Dep], cvals: &Map, path: &str) {
    if let Some(Value::Map(tags, _)) = cvals.get("tags") {
        let tags = tags.borrow();
        for d in deps.iter_mut() {
            let (mut has_true, mut has_false) = (false, false);
            for t in &d.tags {
                if let Some(Value::Bool(b)) = tags.get(t) {
                    if *b {
                        has_true = true;
                    } else {
                        has_false = true;
                    }
                }
            }
            d.enabled = has_true || !has_false;
        }
    }
    for d in deps.iter_mut() {
        for c in d.condition.trim().split(',') {
            if c.is_empty() {
                continue;
            }
            if let Some(Value::Bool(b)) = path_value(cvals, &format!("{path}{c}")) {
                d.enabled = b;
                break;
            }
        }
    }
}

/// Helm's `processDependencyEnabled`: returns the chart with aliases
/// applied and disabled subcharts removed, recursively.
fn process_enabled(mut c: Chart, vals: &Value, path: &str) -> Result<Chart, String> {
    let entries = dependency_entries(&c);
    if !c.metadata.contains_key("dependencies") {
        return Ok(c);
    }
    let mut kept: Vec<Chart> = Vec::new();
    // Subcharts not declared in Chart.yaml stay as they are.
    for existing in &c.dependencies {
        let declared = entries.iter().any(|e| {
            entry_str(e, "name") == existing.name
                && compatible(&entry_str(e, "version"), &existing.meta_str("version"))
        });
        if !declared {
            kept.push(existing.clone());
        }
    }
    let mut deps = Vec::new();
    for e in &entries {
        let name = entry_str(e, "name");
        let alias = entry_str(e, "alias");
        let found = c.dependencies.iter().find(|ch| {
            ch.name == name && compatible(&entry_str(e, "version"), &ch.meta_str("version"))
        });
        if let Some(ch) = found {
            let mut copy = ch.clone();
            if !alias.is_empty() {
                copy.name = alias.clone();
                copy.metadata.insert("name".into(), Value::str(&alias));
            }
            kept.push(copy);
        }
        let tags = match e.get("tags") {
            Some(Value::List(l, _)) => l.iter().map(sprint_one).collect(),
            _ => Vec::new(),
        };
        let import_values = match e.get("import-values") {
            Some(Value::List(l, _)) => l.to_vec(),
            _ => Vec::new(),
        };
        deps.push(Dep {
            name: if alias.is_empty() { name } else { alias },
            condition: entry_str(e, "condition"),
            tags,
            import_values,
            enabled: true,
        });
    }
    c.dependencies = kept;
    let cvals = coalesce_values(&c, vals)?;
    let cmap = cvals.as_map().map(|m| m.clone()).unwrap_or_default();
    decide(&mut deps, &cmap, path);
    let disabled: Vec<&str> = deps
        .iter()
        .filter(|d| !d.enabled)
        .map(|d| d.name.as_str())
        .collect();
    let subs = std::mem::take(&mut c.dependencies);
    for sub in subs {
        if disabled.contains(&sub.name.as_str()) {
            continue;
        }
        let sub_path = format!("{path}{}.", sub.name);
        c.dependencies
            .push(process_enabled(sub, &cvals, &sub_path)?);
    }
    // Keep the surviving entries (renamed) for `.Chart.Dependencies` and
    // import-values.
    let surviving: Vec<Value> = entries
        .iter()
        .zip(&deps)
        .filter(|(_, d)| d.enabled)
        .map(|(e, d)| {
            let mut e = e.clone();
            e.insert("name".into(), Value::str(&d.name));
            e.insert("import-values".into(), Value::list(d.import_values.clone()));
            Value::map(e)
        })
        .collect();
    c.metadata
        .insert("dependencies".into(), Value::list(surviving));
    Ok(c)
}

/// Build `{a: {b: data}}` for the dotted path `a.b`; `.` means the root.
fn path_to_map(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let mut m = Map::new();
        m.insert(part.to_string(), Value::map(cur));
        cur = m;
    }
    cur
}

/// Helm's `processImportValues` for one chart (merge mode).
fn import_values(c: &mut Chart) -> Result<(), String> {
    if !c.metadata.contains_key("dependencies") {
        return Ok(());
    }
    let cvals = merge_values(c, &Value::empty_map())?;
    let cmap = cvals.as_map().map(|m| m.clone()).unwrap_or_default();
    let mut b = Map::new();
    for e in dependency_entries(c) {
        let name = entry_str(&e, "name");
        let Some(Value::List(ivs, _)) = e.get("import-values") else {
            continue;
        };
        for iv in ivs.iter() {
            let (child, parent) = match iv {
                Value::Map(m, _) => {
                    let m = m.borrow();
                    (
                        sprint_one(m.get("child").unwrap_or(&Value::Nil)),
                        sprint_one(m.get("parent").unwrap_or(&Value::Nil)),
                    )
                }
                Value::String(s) => (format!("exports.{s}"), ".".to_string()),
                _ => continue,
            };
            if let Some(vv) = table(&cmap, &format!("{name}.{child}")) {
                b = merge_tables(b, &path_to_map(&parent, vv));
            }
        }
    }
    c.values = Value::map(merge_tables(cmap, &b));
    Ok(())
}

fn process_imports(c: &mut Chart) -> Result<(), String> {
    for d in c.dependencies.iter_mut() {
        process_imports(d)?;
    }
    import_values(c)
}

/// Helm's `ProcessDependenciesWithMerge(chart, vals)`.
pub fn process_dependencies(c: Chart, vals: &Value) -> Result<Chart, String> {
    let mut c = process_enabled(c, vals, "")?;
    process_imports(&mut c)?;
    Ok(c)
}

/// Why [`prepare`] failed: processing dependencies or coalescing values.
#[derive(Debug, Clone)]
pub enum PrepareError {
    Dependencies(String),
    Values(String),
}

impl PrepareError {
    /// The reason alone, as the step that failed gives it.
    pub fn reason(&self) -> &str {
        match self {
            PrepareError::Dependencies(e) | PrepareError::Values(e) => e,
        }
    }
}

impl std::fmt::Display for PrepareError {
    /// Helm's wording (the install action's).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrepareError::Dependencies(e) => write!(f, "chart dependencies processing failed: {e}"),
            PrepareError::Values(e) => f.write_str(e),
        }
    }
}

/// The first half of Helm's install pipeline (chartutil): process the
/// dependencies (conditions, tags, import-values) with the user's values,
/// then coalesce the user's values with the chart's defaults. Returns the
/// chart as it renders and the values it renders with.
pub fn prepare(c: Chart, user: &Value) -> Result<(Chart, Value), PrepareError> {
    let c = process_dependencies(c, user).map_err(PrepareError::Dependencies)?;
    let values = coalesce_values(&c, user).map_err(PrepareError::Values)?;
    Ok((c, values))
}

/// Helm's `CheckDependencies`: every declared dependency must be present.
pub fn check_dependencies(c: &Chart) -> Result<(), String> {
    let missing: Vec<String> = dependency_entries(c)
        .iter()
        .map(|e| entry_str(e, "name"))
        .filter(|n| !c.dependencies.iter().any(|d| &d.name == n))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    ))
}
