//! `pchart eval`: one template's raw output, for debugging helpers and for
//! conformance testing against Helm.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::limits_args::LimitsArgs;
use super::values_args::ValuesArgs;
use pchart::chart::Chart;
use pchart::chart::dependencies::process_dependencies;
use pchart::render::{RenderOptions, Renderer, with_big_stack};
use pchart::values::coalesce::coalesce_values;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Chart directory or packaged .tgz.
    pub chart: PathBuf,
    #[command(flatten)]
    pub remote: super::remote_args::RemoteArgs,
    /// Template to render, relative to the chart root (e.g. templates/service.yaml).
    #[arg(long, short = 't', conflicts_with = "expr")]
    pub template: Option<String>,
    /// Inline template text, evaluated in the chart's context.
    #[arg(long, short = 'e')]
    pub expr: Option<String>,
    #[command(flatten)]
    pub values: ValuesArgs,
    #[command(flatten)]
    pub limits: LimitsArgs,
    /// Release name.
    #[arg(long, default_value = "release-name")]
    pub release_name: String,
    /// Release namespace.
    #[arg(long, short = 'n', default_value = "default")]
    pub namespace: String,
    /// Kubernetes version for .Capabilities.
    #[arg(long, default_value = pchart::render::DEFAULT_KUBE_VERSION)]
    pub kube_version: String,
}

pub fn run(mut a: EvalArgs) -> Result<u8, String> {
    a.chart = a.remote.local_chart(&a.chart)?;
    let limits = a.limits.apply();
    let out = with_big_stack(move || -> Result<String, String> {
        let chart = Chart::load(&a.chart).map_err(|e| e.to_string())?;
        let user = a.values.load()?;
        let chart = process_dependencies(chart, &user)
            .map_err(|e| format!("chart dependencies processing failed: {e}"))?;
        let values = coalesce_values(&chart, &user)?;
        let opts = RenderOptions {
            release_name: a.release_name.clone(),
            namespace: a.namespace.clone(),
            kube_version: a.kube_version.clone(),
            limits,
            ..RenderOptions::default()
        };
        let (extra, name) = match (&a.template, &a.expr) {
            (_, Some(expr)) => (
                vec![("templates/_pchart_eval.tpl".to_string(), expr.clone())],
                "templates/_pchart_eval.tpl".to_string(),
            ),
            (Some(t), None) => {
                if !chart.templates.iter().any(|(p, _)| p == t) {
                    return Err(format!(
                        "{}: no template {t} in chart {}",
                        a.chart.display(),
                        chart.name
                    ));
                }
                (Vec::new(), t.clone())
            }
            (None, None) => return Err("give --template PATH or -e TEMPLATE".into()),
        };
        let r = Renderer::new(&chart, &values, &opts, &extra).map_err(|e| e.0)?;
        r.render_one(&format!("{}/{}", chart.name, name))
            .map_err(|e| e.0)
    })??;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .map_err(|e| format!("writing output: {e}"))?;
    Ok(0)
}
