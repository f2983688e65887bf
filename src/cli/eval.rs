//! `pchart eval`: one template's raw output, for debugging helpers and for
//! conformance testing against Helm.

use std::path::PathBuf;

use clap::Args;

use super::limits_args::LimitsArgs;
use super::release_args::ReleaseArgs;
use super::values_args::ValuesArgs;
use pchart::chart::dependencies::prepare;
use pchart::render::{Renderer, with_big_stack};

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Chart directory or packaged .tgz; without it, the Perses chart built
    /// into pchart.
    pub chart: Option<PathBuf>,
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
    #[command(flatten)]
    pub release: ReleaseArgs,
}

pub fn run(mut a: EvalArgs) -> Result<u8, String> {
    a.chart = a.remote.local_chart_opt(a.chart.take())?;
    a.limits.install();
    let out = with_big_stack(move || -> Result<String, String> {
        let chart = super::load_chart(a.chart.as_deref())?;
        let user = a.values.load()?;
        let (chart, values) = prepare(chart, &user).map_err(|e| e.to_string())?;
        let opts = a.release.render_options();
        let (extra, name) = match (&a.template, &a.expr) {
            (_, Some(expr)) => (
                vec![("templates/_pchart_eval.tpl".to_string(), expr.clone())],
                "templates/_pchart_eval.tpl".to_string(),
            ),
            (Some(t), None) => {
                if !chart.templates.iter().any(|(p, _)| p == t) {
                    return Err(format!(
                        "no template {t} in chart {} (see its templates/ directory)",
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
    super::output::write_stdout(&out)?;
    Ok(0)
}
