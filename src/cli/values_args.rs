//! The value flags shared by `render`, `eval` and `lint`, applied in Helm
//! v4's order (`values.Options.MergeValues`): `-f` files (`-` is stdin),
//! then `--set-json`, `--set`, `--set-string`, `--set-file`,
//! `--set-literal`.

use std::path::PathBuf;

use clap::Args;

use pchart::go::fmt::go_quote;
use pchart::value::merge_maps;
use pchart::value::{Map, Value};
use pchart::values::strvals::{SetKind, parse_set, parse_set_with};
use pchart::yaml::Positions;

#[derive(Args, Debug, Clone, Default)]
pub struct ValuesArgs {
    /// Values file (YAML), merged in order; `-` reads standard input.
    /// Repeatable.
    #[arg(long = "values", short = 'f', value_name = "FILE")]
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
}

/// Read one values file (or stdin for `-`) into a map.
fn read_values_file(path: &std::path::Path) -> Result<Map, String> {
    let (name, text) = pchart::input::read_values_text(path)?;
    let v = pchart::yaml::parse_values(&text).map_err(|e| {
        format!(
            "{}:{}:{}: failed to parse values: {}",
            name, e.line, e.column, e.message
        )
    })?;
    Ok(v.as_map().map(|m| m.clone()).unwrap_or_default())
}

fn fail(kind: SetKind, expr: &str, msg: String) -> String {
    format!(
        "failed parsing {} data {}: {}",
        kind.flag(),
        go_quote(expr),
        msg.replace('\n', "\\n")
    )
}

impl ValuesArgs {
    /// The user's values, before they are coalesced with the chart's.
    pub fn load(&self) -> Result<Value, String> {
        let mut base = Map::new();
        for f in &self.values {
            base = merge_maps(&base, &read_values_file(f)?);
        }
        let mut base = Value::map(base);
        for expr in &self.set_json {
            let trimmed = expr.trim();
            if trimmed.starts_with('{') {
                // Helm v4 also takes a whole JSON object, merged like a file.
                let obj = pchart::yaml::parse_json(trimmed, pchart::yaml::JsonTarget::Map)
                    .map_err(|m| fail(SetKind::Json, expr, m))?;
                let merged = match (&base, &obj) {
                    (Value::Map(a, _), Value::Map(b, _)) => merge_maps(&a.borrow(), &b.borrow()),
                    _ => Map::new(),
                };
                base = Value::map(merged);
            } else {
                parse_set(expr, &mut base, SetKind::Json)
                    .map_err(|m| fail(SetKind::Json, expr, m))?;
            }
        }
        let rest = [
            (SetKind::Typed, &self.set),
            (SetKind::String, &self.set_string),
            (SetKind::File, &self.set_file),
            (SetKind::Literal, &self.set_literal),
        ];
        for (kind, exprs) in rest {
            for expr in exprs {
                parse_set(expr, &mut base, kind).map_err(|m| fail(kind, expr, m))?;
            }
        }
        Ok(base)
    }
}

/// Every path `v` sets: its leaves, and lists and empty maps as wholes.
fn leaf_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        Value::Map(m, _) if !m.borrow().is_empty() => {
            for (k, x) in m.borrow().iter() {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaf_paths(x, &p, out);
            }
        }
        Value::List(l, _) => {
            out.push(prefix.to_string());
            for (i, x) in l.iter().enumerate() {
                leaf_paths(x, &format!("{prefix}[{i}]"), out);
            }
        }
        _ if !prefix.is_empty() => out.push(prefix.to_string()),
        _ => {}
    }
}

impl ValuesArgs {
    /// Where each value set by a flag comes from, for findings: one
    /// pseudo-file per path, named after the flag (`--set-string
    /// ociArtifacts.image.reference`), in the order the flags apply.
    /// `--set-file` files are not read again (standard input could not be).
    pub fn flag_origins(&self) -> Vec<(String, Positions)> {
        let kinds = [
            (SetKind::Json, &self.set_json),
            (SetKind::Typed, &self.set),
            (SetKind::String, &self.set_string),
            (SetKind::File, &self.set_file),
            (SetKind::Literal, &self.set_literal),
        ];
        let mut out = Vec::new();
        for (kind, exprs) in kinds {
            for expr in exprs {
                let mut v = Value::empty_map();
                let trimmed = expr.trim();
                let parsed = if kind == SetKind::Json && trimmed.starts_with('{') {
                    pchart::yaml::parse_json(trimmed, pchart::yaml::JsonTarget::Map).map(|x| v = x)
                } else {
                    parse_set_with(expr, &mut v, kind, &mut |_| Ok(String::new()))
                };
                if parsed.is_err() {
                    continue;
                }
                let mut paths = Vec::new();
                leaf_paths(&v, "", &mut paths);
                for p in paths {
                    let mut pos = Positions::new();
                    pos.insert(p.clone(), (0, 0));
                    out.push((format!("{} {p}", kind.flag()), pos));
                }
            }
        }
        out
    }

    /// Whether no value flag or file was given.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.set.is_empty()
            && self.set_string.is_empty()
            && self.set_json.is_empty()
            && self.set_file.is_empty()
            && self.set_literal.is_empty()
    }
}
