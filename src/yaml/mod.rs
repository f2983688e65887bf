//! YAML as Helm reads and writes it (go-yaml v2 + sigs.k8s.io/yaml).
//!
//! Interim reader: YAML 1.2 parsing by saphyr with YAML 1.1 booleans and
//! float64 numbers applied on top. Replaced by the full go-yaml v2 reader.

use saphyr::{Scalar, ScalarStyle, Yaml, YamlLoader};
use saphyr_parser::Parser;

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

/// go-yaml v2's integer forms: decimal, `0x`, `0b`, leading-zero octal,
/// `_` separators, optional sign.
fn yaml11_int(s: &str) -> Option<f64> {
    let t: String = s.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, &t[..]),
    };
    if body.is_empty() {
        return None;
    }
    let v = if let Some(h) = body.strip_prefix("0x") {
        i128::from_str_radix(h, 16).ok()?
    } else if let Some(o) = body.strip_prefix("0o") {
        i128::from_str_radix(o, 8).ok()?
    } else if let Some(b) = body.strip_prefix("0b") {
        i128::from_str_radix(b, 2).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        i128::from_str_radix(&body[1..], 8).ok()?
    } else if body.bytes().all(|c| c.is_ascii_digit()) {
        body.parse::<i128>().ok()?
    } else {
        return None;
    };
    let f = v as f64;
    Some(if neg { -f } else { f })
}

/// YAML 1.1 floats as go-yaml v2 resolves them.
fn yaml11_float(s: &str) -> Option<f64> {
    let t: String = s.chars().filter(|&c| c != '_').collect();
    match t.as_str() {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let ok = t.bytes().any(|c| c.is_ascii_digit())
        && t.bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !ok {
        return None;
    }
    t.parse::<f64>().ok()
}

fn scalar(raw: &str, style: ScalarStyle, tag: Option<&str>) -> Result<Value, YamlError> {
    if style != ScalarStyle::Plain || tag.is_some_and(|t| t.ends_with("str")) {
        return Ok(Value::str(raw));
    }
    if matches!(raw, "" | "~" | "null" | "Null" | "NULL") {
        return Ok(Value::Nil);
    }
    if let Some(b) = yaml11_bool(raw) {
        return Ok(Value::Bool(b));
    }
    if let Some(f) = yaml11_int(raw).or_else(|| yaml11_float(raw)) {
        if !f.is_finite() {
            // The JSON round trip of sigs.k8s.io/yaml cannot hold these.
            let v = if f.is_nan() {
                "NaN".to_string()
            } else if f > 0.0 {
                "+Inf".into()
            } else {
                "-Inf".into()
            };
            return Err(YamlError {
                line: 0,
                column: 0,
                message: format!("error converting YAML to JSON: json: unsupported value: {v}"),
            });
        }
        return Ok(Value::Float(f));
    }
    Ok(Value::str(raw))
}

fn convert(y: &Yaml) -> Result<Value, YamlError> {
    Ok(match y {
        Yaml::Representation(raw, style, tag) => {
            scalar(raw, *style, tag.as_ref().map(|t| t.suffix.as_str()))?
        }
        Yaml::Value(s) => match s {
            Scalar::Null => Value::Nil,
            Scalar::Boolean(b) => Value::Bool(*b),
            Scalar::Integer(i) => Value::Float(*i as f64),
            Scalar::FloatingPoint(f) => Value::Float(f.into_inner()),
            Scalar::String(s) => Value::str(s),
        },
        Yaml::Sequence(seq) => Value::list(seq.iter().map(convert).collect::<Result<_, _>>()?),
        Yaml::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m.iter() {
                let key = match convert(k)? {
                    Value::String(s) => s.to_string(),
                    Value::Nil => "null".to_string(),
                    other => crate::template::fmt::sprint_one(&other),
                };
                out.insert(key, convert(v)?);
            }
            Value::map(out)
        }
        Yaml::Tagged(_, inner) => convert(inner)?,
        Yaml::Alias(_) | Yaml::BadValue => Value::Nil,
    })
}

/// Parse a values document into a map.
pub fn parse_values(text: &str) -> Result<Value, YamlError> {
    let mut loader: YamlLoader<Yaml> = YamlLoader::default();
    loader.early_parse(false);
    loader.allow_duplicate_keys(true);
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut loader, true).map_err(|e| YamlError {
        line: e.marker().line(),
        column: e.marker().col() + 1,
        message: format!("yaml: {e}"),
    })?;
    let docs = loader.into_documents();
    match docs.first().map(convert).transpose()? {
        None | Some(Value::Nil) => Ok(Value::empty_map()),
        Some(v @ Value::Map(..)) => Ok(v),
        Some(_) => Err(YamlError {
            line: 1,
            column: 1,
            message: "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}".into(),
        }),
    }
}
