//! `pchart render`: what `helm template` prints, byte for byte.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::values_args::ValuesArgs;
use pchart::chart::Chart;
use pchart::render::release::{OutputOptions, by_source, render_release, template_output};
use pchart::render::{RenderOptions, with_big_stack};

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// Chart directory or packaged .tgz.
    pub chart: PathBuf,
    #[command(flatten)]
    pub values: ValuesArgs,
    /// Release name.
    #[arg(long, default_value = "release-name")]
    pub release_name: String,
    /// Release namespace.
    #[arg(long, short = 'n', default_value = "default")]
    pub namespace: String,
    /// Kubernetes version for .Capabilities and Chart.yaml kubeVersion.
    #[arg(long, default_value = pchart::render::DEFAULT_KUBE_VERSION)]
    pub kube_version: String,
    /// Extra API versions for .Capabilities.APIVersions (repeatable).
    #[arg(long = "api-versions", short = 'a', value_name = "VERSION")]
    pub api_versions: Vec<String>,
    /// Print the charts' crds/ files first.
    #[arg(long)]
    pub include_crds: bool,
    /// Leave hooks out.
    #[arg(long)]
    pub no_hooks: bool,
    /// Leave test hooks out.
    #[arg(long)]
    pub skip_tests: bool,
    /// Only print the manifests rendered from these templates
    /// (e.g. templates/service.yaml; repeatable).
    #[arg(long = "show-only", short = 's', value_name = "TEMPLATE")]
    pub show_only: Vec<String>,
}

pub fn run(a: RenderArgs) -> Result<u8, String> {
    let out = with_big_stack(move || -> Result<String, String> {
        let chart = Chart::load(&a.chart).map_err(|e| e.to_string())?;
        let user = a.values.load()?;
        let opts = RenderOptions {
            release_name: a.release_name.clone(),
            namespace: a.namespace.clone(),
            kube_version: a.kube_version.clone(),
            api_versions: a.api_versions.clone(),
            ..RenderOptions::default()
        };
        let chart_name = chart.name.clone();
        let rel = render_release(chart, &user, &opts).map_err(|e| e.0)?;
        let o = OutputOptions {
            include_crds: a.include_crds,
            no_hooks: a.no_hooks,
            skip_tests: a.skip_tests,
        };
        if a.show_only.is_empty() {
            return Ok(template_output(&rel, &o));
        }
        // `--show-only` selects whole template files, like Helm.
        let sources = by_source(&rel);
        let mut out = String::new();
        for want in &a.show_only {
            let full = format!("{chart_name}/{}", want.trim_start_matches("./"));
            let Some(docs) = sources.get(&full) else {
                return Err(format!("could not find template {want} in chart"));
            };
            for m in docs {
                out.push_str("---\n# Source: ");
                out.push_str(&m.source);
                out.push('\n');
                out.push_str(&m.content);
                out.push('\n');
            }
        }
        Ok(out)
    })??;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(0)
}
