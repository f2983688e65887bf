//! Chart loading, as Helm's chart loader does it: a directory or a `.tgz`
//! archive becomes a list of files ([`dir`], [`archive`]), and the list
//! becomes a [`Chart`] ([`files`]): `Chart.yaml`, `values.yaml`,
//! `values.schema.json`, `templates/`, subcharts under `charts/`, and every
//! other file for `.Files`.

pub mod archive;
pub mod coalesce;
pub mod dependencies;
pub mod dir;
pub mod embedded;
pub mod files;
pub mod helmignore;
pub mod snapshot;

use std::path::Path;

use crate::value::{Map, Value};

/// A loaded chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Chart.yaml as a map, keys as written in the file.
    pub metadata: Map,
    pub name: String,
    /// `values.yaml` parsed, null defaults removed as Helm's loader does.
    pub values: Value,
    /// `values.yaml` as written, for pointing findings at its lines.
    pub values_text: Option<String>,
    /// `values.schema.json` text, if the chart has one.
    pub schema: Option<String>,
    /// Templates: path relative to the chart root (`templates/x.yaml`) and text.
    pub templates: Vec<(String, String)>,
    /// Every other file, relative path and bytes (what `.Files` sees).
    /// Shared, so each render's `.Files` refers to them without a copy.
    pub files: Vec<(String, std::sync::Arc<Vec<u8>>)>,
    /// Subcharts found under `charts/`, in file-name order.
    pub dependencies: Vec<Chart>,
}

impl Default for Chart {
    fn default() -> Self {
        Chart {
            metadata: Map::new(),
            name: String::new(),
            values: Value::empty_map(),
            values_text: None,
            schema: None,
            templates: Vec::new(),
            files: Vec::new(),
            dependencies: Vec::new(),
        }
    }
}

impl Chart {
    /// Load a chart directory or a packaged `.tgz`.
    pub fn load(path: &Path) -> Result<Chart, LoadError> {
        let meta = std::fs::metadata(path).map_err(|e| {
            LoadError(format!(
                "{}: {}",
                path.display(),
                crate::input::io_reason(&e)
            ))
        })?;
        if meta.is_dir() {
            Chart::load_dir(path)
        } else if meta.is_file() {
            archive::load_archive(path)
        } else {
            // Helm would try to read a FIFO as an archive and wait forever.
            Err(LoadError(format!(
                "{}: not a chart directory or .tgz file",
                path.display()
            )))
        }
    }

    /// Load a chart directory.
    pub fn load_dir(dir: &Path) -> Result<Chart, LoadError> {
        let list = dir::read_dir(dir)?;
        files::from_files(list, &dir.display().to_string())
    }

    /// `type: library` charts are never rendered themselves.
    pub fn is_library(&self) -> bool {
        matches!(self.metadata.get("type"), Some(Value::String(t)) if &**t == "library")
    }

    /// A metadata string field ("" when missing).
    pub fn meta_str(&self, key: &str) -> String {
        match self.metadata.get(key) {
            Some(Value::String(s)) => s.to_string(),
            _ => String::new(),
        }
    }
}

/// A chart that cannot be loaded; `Display` names the file.
#[derive(Debug, Clone)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Largest single file Helm accepts in a chart (Helm's default).
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;
/// Largest total size of a chart's files (Helm's default for archives).
pub const MAX_CHART_SIZE: u64 = 100 * 1024 * 1024;
