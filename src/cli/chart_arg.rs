//! The CHART argument shared by `render`, `eval`, `lint`, `diff` and the
//! golden cases: a directory or .tgz, or the embedded Perses chart.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;

use super::limits_args::LimitsArgs;
use super::release_args::ReleaseArgs;
use super::remote_args::RemoteArgs;
use super::values_args::ValuesArgs;
use pchart::chart::Chart;
use pchart::chart::embedded::embedded_chart;

/// The chart argument and the flags that fetch a remote one.
#[derive(Args, Debug)]
pub struct ChartArgs {
    /// Chart directory or packaged .tgz; without it, the Perses chart built
    /// into pchart.
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub remote: RemoteArgs,
}

impl ChartArgs {
    /// The local chart to load: the argument, or the archive a remote
    /// chart was fetched into; `None` for the embedded chart.
    pub fn local(&self) -> Result<Option<PathBuf>, String> {
        self.remote.local_chart_opt(self.chart.clone())
    }
}

/// What a render reads besides the chart: values, limits and the release,
/// for `render`, `eval` and `lint`.
#[derive(Args, Debug)]
pub struct InputArgs {
    #[command(flatten)]
    pub values: ValuesArgs,
    #[command(flatten)]
    pub limits: LimitsArgs,
    #[command(flatten)]
    pub release: ReleaseArgs,
}

/// Load the chart at `path`, or the embedded one. A file that is not a
/// chart archive but looks like a values file (`pchart render prod.yaml`,
/// `-f` forgotten) gets a hint instead of "invalid gzip header".
pub fn load_chart(path: Option<&Path>) -> Result<Chart, String> {
    let Some(p) = path else {
        return embedded_chart().map_err(|e| e.to_string());
    };
    if let Some(hint) = not_a_chart_hint(p) {
        return Err(hint);
    }
    Chart::load(p).map_err(|e| e.to_string())
}

/// Why a regular file given as the chart is not one, when it is plainly a
/// YAML file: gzip archives start with 0x1f 0x8b.
fn not_a_chart_hint(p: &Path) -> Option<String> {
    let meta = std::fs::metadata(p).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut head = [0u8; 2];
    let n = std::fs::File::open(p)
        .and_then(|f| f.take(2).read(&mut head))
        .ok()?;
    if n == 2 && head == [0x1f, 0x8b] {
        return None;
    }
    let name = p.file_name()?.to_string_lossy();
    let shown = p.display();
    if name == "Chart.yaml" {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = dir.map_or(".".to_string(), |d| d.display().to_string());
        return Some(format!(
            "{shown}: a chart is its directory, not its Chart.yaml: did you mean `{dir}`?"
        ));
    }
    let yaml = [".yaml", ".yml", ".json"].iter().any(|x| name.ends_with(x));
    if yaml {
        return Some(format!(
            "{shown}: a YAML file, not a chart (a directory with Chart.yaml, or a .tgz): did you mean `-f {shown}`?"
        ));
    }
    Some(format!(
        "{shown}: not a chart: neither a directory with Chart.yaml nor a gzipped .tgz archive"
    ))
}
