//! What the rules about rendered workloads share: the pod specs of the
//! rendered objects, their volumes, and where a finding about an object or
//! a values path is located.

use crate::lint::context::{RenderedObject, value_at};
use crate::lint::{Finding, LintContext, RuleInfo};
use crate::value::Value;

/// Pod specs of rendered workloads: (object, path prefix, spec).
pub fn pod_specs(ctx: &LintContext) -> Vec<(&RenderedObject, String, Value)> {
    let mut out = Vec::new();
    for o in &ctx.objects {
        let (prefix, spec) = match o.kind.as_str() {
            "Pod" => ("spec", value_at(&o.value, "spec")),
            "CronJob" => (
                "spec.jobTemplate.spec.template.spec",
                value_at(&o.value, "spec.jobTemplate.spec.template.spec"),
            ),
            _ => (
                "spec.template.spec",
                value_at(&o.value, "spec.template.spec"),
            ),
        };
        if let Some(s @ Value::Map(..)) = spec {
            out.push((o, prefix.to_string(), s));
        }
    }
    out
}

/// The items of a list value (none for anything else).
pub fn list(v: Option<Value>) -> Vec<Value> {
    match v {
        Some(Value::List(l, _)) => l.to_vec(),
        _ => Vec::new(),
    }
}

/// The string at `path` of `v` ("" when missing or not a string).
pub fn str_of(v: &Value, path: &str) -> String {
    match value_at(v, path) {
        Some(Value::String(s)) => s.to_string(),
        _ => String::new(),
    }
}

/// Volume names a pod has: `volumes` plus a StatefulSet's claim templates.
pub fn volume_names(o: &RenderedObject, spec: &Value) -> Vec<String> {
    let mut names: Vec<String> = list(value_at(spec, "volumes"))
        .iter()
        .map(|v| str_of(v, "name"))
        .collect();
    if o.kind == "StatefulSet" {
        names.extend(
            list(value_at(&o.value, "spec.volumeClaimTemplates"))
                .iter()
                .map(|v| str_of(v, "metadata.name")),
        );
    }
    names
}

/// A finding on a rendered object, its message `<object>: <message>`: at
/// the user's values line the bad value came from when it can be told
/// ([`value_origin`]), else at the template line that wrote `path`.
pub fn object_finding(
    ctx: &LintContext,
    info: &RuleInfo,
    o: &RenderedObject,
    path: String,
    message: String,
) -> Finding {
    let (file, line, column) = match value_origin(ctx, o, &path) {
        Some(at) => at,
        None => {
            let (file, line) = ctx.locate_field(o, &path);
            (file, line, 0)
        }
    };
    let object = o.label();
    let message = format!("{object}: {message}");
    located(info, (file, line, column), path, object, message)
}

/// A finding of rule `info` at `(file, line, column)`.
fn located(
    info: &RuleInfo,
    (file, line, column): (String, usize, usize),
    path: String,
    object: String,
    message: String,
) -> Finding {
    Finding {
        rule: info.code,
        severity: info.severity,
        message,
        file,
        line,
        column,
        path,
        object,
    }
}

/// The values file line that set the scalar at `path` of a rendered
/// object: the one key of the user's values files with the same value and
/// the same key name (`operator: Equals` -> `tolerations[0].operator`), or
/// failing that the one key with the same string of 4 or more characters
/// (`fullnameOverride: Perses_Prod` -> `metadata.name`). Ambiguous or
/// absent: `None`, and the finding stays at the template.
fn value_origin(
    ctx: &LintContext,
    o: &RenderedObject,
    path: &str,
) -> Option<(String, usize, usize)> {
    let v = value_at(&o.value, path)?;
    let text = match &v {
        Value::String(x) if !x.is_empty() => x.to_string(),
        Value::Int(..) | Value::Float(_) => crate::go::fmt::sprint_one(&v),
        _ => return None,
    };
    let leaf_of = |p: &str| -> String {
        let last = p.rsplit('.').next().unwrap_or(p);
        last.split('[').next().unwrap_or(last).to_string()
    };
    let leaf = leaf_of(path);
    let mut same_leaf = Vec::new();
    let mut same_text = Vec::new();
    for (file, positions) in &ctx.user_positions {
        for (key, (line, col)) in positions {
            // The coalesced value, so a later file's override wins.
            let Some(uv) = ctx.value(key) else { continue };
            let matches = match &uv {
                Value::String(x) => **x == *text,
                Value::Int(..) | Value::Float(_) => crate::go::fmt::sprint_one(&uv) == text,
                _ => false,
            };
            if !matches {
                continue;
            }
            let at = (file.clone(), *line, *col);
            if leaf_of(key) == leaf {
                same_leaf.push(at);
            } else if matches!(v, Value::String(_)) && text.chars().count() >= 4 {
                same_text.push(at);
            }
        }
    }
    match (same_leaf.len(), same_text.len()) {
        (1, _) => same_leaf.pop(),
        (0, 1) => same_text.pop(),
        _ => None,
    }
}

impl LintContext {
    /// A finding about a values path, located in the values file that set it.
    pub fn at_value(&self, info: &RuleInfo, path: &str, message: String) -> Finding {
        located(
            info,
            self.locate(path),
            path.to_string(),
            String::new(),
            message,
        )
    }
}
