//! Values against each chart's `values.schema.json`, every violation at the
//! values file line that set it.

use super::Rule;
use crate::chart::Chart;
use crate::lint::context::value_at;
use crate::lint::{Finding, LintContext, RuleInfo, Severity};
use crate::value::Value;

/// A JSON pointer (`/a/0/b`) as a values path (`a[0].b`), given the values.
fn pointer_to_path(values: &Value, pointer: &str) -> String {
    let mut path = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        let is_list = matches!(value_at(values, &path), Some(Value::List(..))) && !path.is_empty();
        if is_list && seg.bytes().all(|b| b.is_ascii_digit()) {
            path.push_str(&format!("[{seg}]"));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&seg);
        }
    }
    path
}

/// Names quoted in `additional properties 'a', 'b' not allowed`.
fn extra_properties(msg: &str) -> Vec<String> {
    let Some(rest) = msg.strip_prefix("additional properties ") else {
        return Vec::new();
    };
    rest.split('\'')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

fn check_chart(
    ctx: &LintContext,
    chart: &Chart,
    values: &Value,
    prefix: &str,
    out: &mut Vec<Finding>,
) {
    if let Some(schema) = &chart.schema {
        match crate::schema::validate(schema, values) {
            Ok(errors) => {
                for e in errors {
                    if e.message == "validation failed" {
                        continue;
                    }
                    let base = pointer_to_path(values, &e.path);
                    let join = |p: &str| match (prefix.is_empty(), p.is_empty()) {
                        (true, _) => p.to_string(),
                        (false, true) => prefix.to_string(),
                        (false, false) => format!("{prefix}.{p}"),
                    };
                    let extras = extra_properties(&e.message);
                    let paths: Vec<String> = if extras.is_empty() {
                        vec![join(&base)]
                    } else {
                        extras
                            .iter()
                            .map(|k| {
                                join(&if base.is_empty() {
                                    k.clone()
                                } else {
                                    format!("{base}.{k}")
                                })
                            })
                            .collect()
                    };
                    for p in paths {
                        let shown = if p.is_empty() {
                            "values".to_string()
                        } else {
                            p.clone()
                        };
                        out.push(ctx.at_value(
                            &VALUES_SCHEMA.info,
                            &p,
                            format!("{shown}: {}", e.message),
                        ));
                    }
                }
            }
            Err(e) => {
                let mut f = ctx.at_value(
                    &VALUES_SCHEMA.info,
                    prefix,
                    format!(
                        "values.schema.json of chart {} is unusable: {e}",
                        chart.name
                    ),
                );
                f.file = format!("{}/values.schema.json", ctx.chart_label);
                f.line = 0;
                f.column = 0;
                out.push(f);
            }
        }
    }
    for d in &chart.dependencies {
        if let Some(sub @ Value::Map(..)) = value_at(values, &d.name) {
            let p = if prefix.is_empty() {
                d.name.clone()
            } else {
                format!("{prefix}.{}", d.name)
            };
            check_chart(ctx, d, &sub, &p, out);
        }
    }
}

pub const VALUES_SCHEMA: Rule = Rule {
    info: RuleInfo {
        code: "PC100",
        name: "values-schema",
        summary: "Values do not match the chart's values.schema.json",
        severity: Severity::Error,
        why: "Helm validates the merged values against every chart's values.schema.json and refuses to install on any violation. A typo such as `ociArtifact:` is caught here when the schema forbids unknown keys.",
        fails: "ociArtifact:\n  image: {reference: ghcr.io/acme/dashboards:v1}",
        passes: "ociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1}",
    },
    check: |ctx, out| {
        check_chart(ctx, &ctx.chart, &ctx.values, "", out);
    },
};
