//! YAML as Helm reads and writes it (go-yaml v2 + sigs.k8s.io/yaml).
//!
//! Interim reader: YAML 1.2 parsing by saphyr with YAML 1.1 booleans and
//! float64 numbers applied on top. Replaced by the full go-yaml v2 reader.

use saphyr::{LoadableYamlNode, Scalar, Yaml};

use crate::template::value::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn yaml11_bool(s: &str) -> Option<bool> {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Some(false)
        }
        _ => None,
    }
}

fn convert(y: &Yaml) -> Value {
    match y {
        Yaml::Value(s) => match s {
            Scalar::Null => Value::Nil,
            Scalar::Boolean(b) => Value::Bool(*b),
            Scalar::Integer(i) => Value::Float(*i as f64),
            Scalar::FloatingPoint(f) => Value::Float(f.into_inner()),
            Scalar::String(s) => match yaml11_bool(s) {
                Some(b) => Value::Bool(b),
                None => Value::str(s),
            },
        },
        Yaml::Sequence(seq) => Value::list(seq.iter().map(convert).collect()),
        Yaml::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m.iter() {
                let key = match convert(k) {
                    Value::String(s) => s.to_string(),
                    other => crate::template::fmt::sprint_one(&other),
                };
                out.insert(key, convert(v));
            }
            Value::map(out)
        }
        _ => Value::Nil,
    }
}

/// Parse a values document into a map.
pub fn parse_values(text: &str) -> Result<Value, YamlError> {
    let docs = Yaml::load_from_str(text).map_err(|e| YamlError {
        line: e.marker().line(),
        column: e.marker().col() + 1,
        message: format!("yaml: {e}"),
    })?;
    match docs.first().map(convert) {
        None | Some(Value::Nil) => Ok(Value::empty_map()),
        Some(v @ Value::Map(..)) => Ok(v),
        Some(_) => Err(YamlError {
            line: 1,
            column: 1,
            message: "yaml: values must be a map".into(),
        }),
    }
}
