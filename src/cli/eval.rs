//! `pchart eval`: one template's raw output, for debugging helpers and for
//! conformance testing against Helm.

use clap::Args;

use super::chart_arg::{ChartArgs, InputArgs};
use pchart::chart::dependencies::prepare;
use pchart::render::{Renderer, with_big_stack};

#[derive(Args, Debug)]
pub struct EvalArgs {
    #[command(flatten)]
    pub chart: ChartArgs,
    /// Template to render, relative to the chart root (e.g. templates/service.yaml).
    #[arg(long, short = 't', conflicts_with = "expr")]
    pub template: Option<String>,
    /// Inline template text, evaluated in the chart's context.
    #[arg(long, short = 'e')]
    pub expr: Option<String>,
    #[command(flatten)]
    pub inputs: InputArgs,
}

pub fn run(a: EvalArgs) -> Result<u8, String> {
    let chart_path = a.chart.local()?;
    a.inputs.limits.install();
    let out = with_big_stack(move || -> Result<String, String> {
        let chart = super::load_chart(chart_path.as_deref())?;
        let user = a.inputs.values.load()?;
        let (chart, values) = prepare(chart, &user).map_err(|e| e.to_string())?;
        let opts = a.inputs.release.render_options();
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
