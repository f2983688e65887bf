//! `pchart eval`: one template's raw output, for debugging helpers and for
//! conformance testing against Helm.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use pchart::chart::Chart;
use pchart::render::{RenderOptions, Renderer, with_big_stack};
use pchart::template::fmt::go_quote;
use pchart::template::value::{Map, Value};
use pchart::values::strvals::{SetKind, parse_set};

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Chart directory.
    pub chart: PathBuf,
    /// Template to render, relative to the chart root (e.g. templates/service.yaml).
    #[arg(long, short = 't', conflicts_with = "expr")]
    pub template: Option<String>,
    /// Inline template text, evaluated in the chart's context.
    #[arg(long, short = 'e')]
    pub expr: Option<String>,
    /// Values files, merged in order over the chart's values.yaml.
    #[arg(long = "values", short = 'f')]
    pub values: Vec<PathBuf>,
    /// Set values: `a.b=1,list[0]=x,l={a,b}` (true/false/null and
    /// integers are typed). Repeatable.
    #[arg(long = "set", value_name = "EXPR")]
    pub set: Vec<String>,
    /// Set values, always as strings. Repeatable.
    #[arg(long = "set-string", value_name = "EXPR")]
    pub set_string: Vec<String>,
    /// Set JSON values: `a={"b":[1,2]}`, or a whole JSON object. Repeatable.
    #[arg(long = "set-json", value_name = "EXPR")]
    pub set_json: Vec<String>,
    /// Set values from files: `key=path` (`-` is standard input). Repeatable.
    #[arg(long = "set-file", value_name = "EXPR")]
    pub set_file: Vec<String>,
    /// Set one literal string value: everything after the first `=`.
    /// Repeatable.
    #[arg(long = "set-literal", value_name = "EXPR")]
    pub set_literal: Vec<String>,
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

/// Helm's value coalescing for user files: maps merge, everything else replaces.
fn merge(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Map(b, t), Value::Map(o, _)) => {
            let mut out: Map = b.borrow().clone();
            for (k, v) in o.borrow().iter() {
                let merged = match out.get(k) {
                    Some(existing) => merge(existing, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::typed_map(out, *t)
        }
        (_, o) => o.clone(),
    }
}

/// Helm's `MergeValues`: the user's values from -f files, then --set-json,
/// --set, --set-string, --set-file and --set-literal, in that order. They
/// are merged over the chart's values.yaml afterwards, as a whole.
fn user_values(a: &EvalArgs) -> Result<Value, String> {
    let mut base = Value::empty_map();
    for f in &a.values {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let u = pchart::yaml::parse_values(&text)
            .map_err(|e| format!("{}:{}:{}: {}", f.display(), e.line, e.column, e.message))?;
        base = merge(&base, &u);
    }
    let fail = |kind: SetKind, expr: &str, msg: String| {
        format!(
            "failed parsing {} data {}: {}",
            kind.flag(),
            go_quote(expr),
            msg.replace('\n', "\\n")
        )
    };
    for expr in &a.set_json {
        let trimmed = expr.trim();
        if trimmed.starts_with('{') {
            // Helm v4 also takes a whole JSON object, merged like a file.
            let obj = pchart::yaml::parse_json(trimmed, pchart::yaml::JsonTarget::Map)
                .map_err(|m| fail(SetKind::Json, expr, m))?;
            base = merge(&base, &obj);
        } else {
            parse_set(expr, &mut base, SetKind::Json).map_err(|m| fail(SetKind::Json, expr, m))?;
        }
    }
    let rest = [
        (SetKind::Typed, &a.set),
        (SetKind::String, &a.set_string),
        (SetKind::File, &a.set_file),
        (SetKind::Literal, &a.set_literal),
    ];
    for (kind, exprs) in rest {
        for expr in exprs {
            parse_set(expr, &mut base, kind).map_err(|m| fail(kind, expr, m))?;
        }
    }
    Ok(base)
}

pub fn run(a: EvalArgs) -> Result<u8, String> {
    let out = with_big_stack(move || -> Result<String, String> {
        let chart = Chart::load_dir(&a.chart).map_err(|e| e.to_string())?;
        let values = merge(&chart.values, &user_values(&a)?);
        let opts = RenderOptions {
            release_name: a.release_name.clone(),
            namespace: a.namespace.clone(),
            kube_version: a.kube_version.clone(),
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
