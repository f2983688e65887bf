//! Flags for charts fetched from a registry or a chart repository, shared
//! by `pull` and the commands that render (`render`, `lint`, `diff`,
//! `eval`), and the one function that turns a chart argument into a local
//! archive.

use std::path::{Path, PathBuf};

use clap::Args;

use pchart::remote::{self, ChartRef, Fetched, Options};

#[derive(Args, Debug, Clone, Default)]
pub struct RemoteArgs {
    /// Chart version for an oci:// or repository chart: exact, or a range
    /// (`^1.2.0`, `>=1.0.0 <2.0.0`); the highest match wins, and without
    /// it the highest stable version.
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// Chart repository URL (its index.yaml); the chart argument is then
    /// a chart name.
    #[arg(long, value_name = "URL")]
    pub repo: Option<String>,
    /// Use only the chart cache ($XDG_CACHE_HOME/pchart); never the network.
    #[arg(long)]
    pub offline: bool,
    /// Registry and repository connection flags.
    #[command(flatten)]
    pub conn: super::registry_args::RegistryArgs,
}

impl RemoteArgs {
    pub fn options(&self) -> Result<Options, String> {
        let cache = remote::default_cache_dir()?;
        Ok(Options {
            conn: self.conn.options()?,
            offline: self.offline,
            cache,
        })
    }

    /// Whether `chart` (with `--repo`) names a remote chart.
    pub fn is_remote(&self, chart: &str) -> bool {
        self.repo.is_some() || remote::reference::is_remote(chart)
    }

    /// Fetch a remote chart into the cache.
    pub fn fetch(&self, chart: &str) -> Result<Fetched, String> {
        let r = ChartRef::parse(chart, self.repo.as_deref())?;
        remote::fetch(&r, self.version.as_deref(), &self.options()?)
    }

    /// The local chart to load: `chart` itself, or for an oci:// or
    /// repository chart the archive fetched into (or found in) the cache.
    pub fn local_chart(&self, chart: &Path) -> Result<PathBuf, String> {
        let s = chart.to_string_lossy();
        if !self.is_remote(&s) {
            if self.version.is_some() {
                return Err(format!(
                    "--version applies to oci:// and repository charts; {} is a local path",
                    chart.display()
                ));
            }
            return Ok(chart.to_path_buf());
        }
        Ok(self.fetch(&s)?.path)
    }

    /// `local_chart` for an optional chart argument (None: the embedded
    /// chart, which takes no --version).
    pub fn local_chart_opt(&self, chart: Option<PathBuf>) -> Result<Option<PathBuf>, String> {
        match chart {
            Some(c) => self.local_chart(&c).map(Some),
            None if self.version.is_some() || self.repo.is_some() => {
                Err("--version and --repo need a chart argument".into())
            }
            None => Ok(None),
        }
    }
}

/// A `.pchart.yaml` case's `chart` (with its `version` and `plainHttp`):
/// a path relative to the file, or a remote chart fetched into the cache.
pub fn case_chart(
    chart: &str,
    version: Option<String>,
    plain_http: bool,
    base: &Path,
) -> Result<PathBuf, String> {
    if !pchart::remote::reference::is_remote(chart) {
        if version.is_some() {
            return Err(format!(
                "`version` applies to oci:// and repository charts, not {chart}"
            ));
        }
        return Ok(base.join(chart));
    }
    let a = RemoteArgs {
        version,
        conn: super::registry_args::RegistryArgs {
            plain_http,
            ..Default::default()
        },
        ..RemoteArgs::default()
    };
    a.local_chart(Path::new(chart))
}
