//! Chart loading: `Chart.yaml`, `values.yaml`, `templates/` and other files
//! from a chart directory.

use std::path::{Path, PathBuf};

use crate::template::value::{Map, Value};
use crate::yaml;

/// A loaded chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Chart.yaml as a map, keys as written in the file.
    pub metadata: Map,
    pub name: String,
    /// `values.yaml` parsed.
    pub values: Value,
    /// Templates: path relative to the chart root (`templates/x.yaml`) and text.
    pub templates: Vec<(String, String)>,
    /// Every other file, relative path and bytes (what `.Files` sees).
    pub files: Vec<(String, Vec<u8>)>,
}

/// A chart that cannot be loaded; `Display` names the file.
#[derive(Debug, Clone)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|e| LoadError(format!("{}: {e}", path.display())))
}

fn text(path: &Path) -> Result<String, LoadError> {
    String::from_utf8(read(path)?)
        .map_err(|_| LoadError(format!("{}: file is not valid UTF-8", path.display())))
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| LoadError(format!("{}: {e}", dir.display())))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let meta = std::fs::symlink_metadata(&p)
            .map_err(|e| LoadError(format!("{}: {e}", p.display())))?;
        if meta.file_type().is_symlink() {
            // Refuse links that leave the chart.
            let target = std::fs::canonicalize(&p)
                .map_err(|e| LoadError(format!("{}: {e}", p.display())))?;
            let base = std::fs::canonicalize(root)
                .map_err(|e| LoadError(format!("{}: {e}", root.display())))?;
            if !target.starts_with(&base) {
                return Err(LoadError(format!(
                    "{}: symlink points outside the chart",
                    p.display()
                )));
            }
        }
        if p.is_dir() {
            walk(root, &p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

impl Chart {
    /// Load a chart directory.
    pub fn load_dir(dir: &Path) -> Result<Chart, LoadError> {
        if !dir.is_dir() {
            return Err(LoadError(format!(
                "{}: not a chart directory",
                dir.display()
            )));
        }
        let chart_yaml = dir.join("Chart.yaml");
        let meta_text = text(&chart_yaml)?;
        let meta = yaml::parse_values(&meta_text).map_err(|e| {
            LoadError(format!(
                "{}:{}:{}: {}",
                chart_yaml.display(),
                e.line,
                e.column,
                e.message
            ))
        })?;
        let metadata = meta.as_map().map(|m| m.clone()).unwrap_or_default();
        let name = metadata
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if name.is_empty() {
            return Err(LoadError(format!(
                "{}: validation: chart.metadata.name is required",
                chart_yaml.display()
            )));
        }
        let values_path = dir.join("values.yaml");
        let values = if values_path.exists() {
            let t = text(&values_path)?;
            yaml::parse_values(&t).map_err(|e| {
                LoadError(format!(
                    "{}:{}:{}: {}",
                    values_path.display(),
                    e.line,
                    e.column,
                    e.message
                ))
            })?
        } else {
            Value::empty_map()
        };
        let mut all = Vec::new();
        walk(dir, dir, &mut all)?;
        let mut templates = Vec::new();
        let mut files = Vec::new();
        for p in all {
            let rel = p
                .strip_prefix(dir)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            if rel.starts_with("templates/") {
                templates.push((rel, text(&p)?));
            } else if rel != "Chart.yaml" && rel != "values.yaml" && !rel.starts_with("charts/") {
                files.push((rel, read(&p)?));
            }
        }
        Ok(Chart {
            metadata,
            name,
            values,
            templates,
            files,
        })
    }
}
