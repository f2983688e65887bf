//! Reading YAML the way Helm does: go-yaml v2 (YAML 1.1) decoding into
//! `interface{}`, then sigs.k8s.io/yaml's JSON round trip (`yaml.go`), and
//! Helm's `LoadValues` over multi-document values files.
//!
//! The pipeline mirrors Go's, one file per step:
//!
//! 1. events -> node tree (`tree`, with saphyr's errors in go-yaml's words
//!    from `scan_error`),
//! 2. node tree -> [`GoVal`] (`decode`, go-yaml v2 `decoder`; scalars
//!    resolved by `resolve`),
//! 3. [`GoVal`] -> [`Value`] (here, sigs.k8s.io/yaml: map keys to strings,
//!    every number to float64, non-finite floats rejected as JSON would).

use std::collections::BTreeMap;

use super::YamlError;
use std::rc::Rc;

use super::decode::{GoVal, decode_document};
use super::json::go_format_float;
use super::tree::{build_tree, precheck};
use crate::value::{ElemTy, Map, Value, merge_maps};

/// Source positions of values, keyed by path (`a.b`, `list[0].name`).
pub type Positions = BTreeMap<String, (usize, usize)>;

fn json_key(k: &GoVal, v: &GoVal) -> Result<String, String> {
    Ok(match k {
        GoVal::Str(s) => s.clone(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Bool(b) => b.to_string(),
        // go-yaml's float-to-string for keys: 32-bit %g.
        GoVal::Float(f) => match go_format_float(*f, b'g', 32).as_str() {
            "+Inf" => ".inf".into(),
            "-Inf" => "-.inf".into(),
            "NaN" => ".nan".into(),
            s => s.into(),
        },
        GoVal::Uint(u) => {
            return Err(format!(
                "unsupported map key of type: uint64, key: 0x{u:x}, value: {}",
                v.go_sharp_v(true)
            ));
        }
        _ => {
            return Err(format!(
                "unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                v.go_sharp_v(true)
            ));
        }
    })
}

/// A float as encoding/json takes it: not NaN or an infinity.
fn json_float(f: f64) -> Result<f64, String> {
    if f.is_finite() {
        Ok(f)
    } else {
        Err(format!(
            "json: unsupported value: {}",
            go_format_float(f, b'g', 64)
        ))
    }
}

/// The JSON round trip: numbers become float64, keys strings. Where
/// `path` is one of a target struct's string fields (`strings`, see
/// [`Struct`]), a number or bool is read as its text instead.
fn to_value(
    g: &GoVal,
    path: &str,
    pos: &mut Option<&mut Positions>,
    strings: &[&str],
) -> Result<Value, String> {
    if !strings.is_empty()
        && is_string_field(strings, path)
        && let Some(text) = scalar_text(g)
    {
        return Ok(Value::string(text));
    }
    // Paths are built only when positions are recorded or fields typed.
    let paths = pos.is_some() || !strings.is_empty();
    Ok(match g {
        GoVal::Nil => Value::Nil,
        GoVal::Bool(b) => Value::Bool(*b),
        GoVal::Int(i) => Value::Float(*i as f64),
        GoVal::Uint(u) => Value::Float(*u as f64),
        GoVal::Float(f) => Value::Float(json_float(*f)?),
        GoVal::Str(s) => Value::str(s),
        GoVal::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, (item, p)) in items.iter().enumerate() {
                let sub = if paths {
                    format!("{path}[{i}]")
                } else {
                    String::new()
                };
                if let Some(ps) = pos.as_deref_mut() {
                    ps.insert(sub.clone(), *p);
                }
                out.push(to_value(item, &sub, pos, strings)?);
            }
            Value::List(Rc::new(out), ElemTy::Iface)
        }
        GoVal::Map(entries) => {
            let mut keyed = Vec::with_capacity(entries.len());
            for (k, v, p) in entries {
                keyed.push((json_key(k, v)?, v, *p));
            }
            let mut m = Map::new();
            for (k, v, p) in keyed {
                let sub = if !paths {
                    String::new()
                } else if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if let Some(ps) = pos.as_deref_mut() {
                    ps.insert(sub.clone(), p);
                }
                let val = to_value(v, &sub, pos, strings)?;
                m.insert(k, val);
            }
            Value::map(m)
        }
    })
}

/// A Go struct as sigs.k8s.io/yaml fills it (Helm's `SimpleHead`): the
/// fields under its top-level `keys` are built, the rest of the document
/// only checked; sigs converts toward the target's types, so where the
/// struct has a string field (`strings`: dotted paths, `a.*` for the
/// values of a map of strings) a YAML number or bool is its text: `kind:
/// 1` is "1", `1.50` is "1.5", `y` (YAML 1.1) is "true".
pub struct Struct {
    pub keys: &'static [&'static str],
    pub strings: &'static [&'static str],
}

fn is_string_field(strings: &[&str], path: &str) -> bool {
    strings.iter().any(|p| match p.strip_suffix(".*") {
        Some(map) => path
            .strip_prefix(map)
            .is_some_and(|rest| rest.starts_with('.')),
        None => *p == path,
    })
}

/// sigs.k8s.io/yaml's text of a scalar bound for a Go string: integers in
/// decimal, floats as `FormatFloat(f, 'g', -1, 32)`, bools as words.
fn scalar_text(g: &GoVal) -> Option<String> {
    Some(match g {
        GoVal::Bool(b) => b.to_string(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Uint(u) => u.to_string(),
        GoVal::Float(f) => go_format_float(*f, b'g', 32),
        _ => return None,
    })
}

/// [`to_value`] of a document read into the struct `s`: only its keys are
/// built (typed as [`Struct`] says); the other values are checked, in the
/// same order, for what would make the JSON round trip fail.
fn to_value_top(g: &GoVal, s: &Struct) -> Result<Value, String> {
    let GoVal::Map(entries) = g else {
        return to_value(g, "", &mut None, &[]);
    };
    let mut keyed = Vec::with_capacity(entries.len());
    for (k, v, _) in entries {
        keyed.push((json_key(k, v)?, v));
    }
    let mut m = Map::new();
    for (k, v) in keyed {
        if s.keys.contains(&k.as_str()) {
            let val = to_value(v, &k, &mut None, s.strings)?;
            m.insert(k, val);
        } else {
            check_json(v)?;
        }
    }
    Ok(Value::map(m))
}

/// The first error [`to_value`] would give for `g`, without building it.
fn check_json(g: &GoVal) -> Result<(), String> {
    match g {
        GoVal::Float(f) => json_float(*f).map(|_| ()),
        GoVal::Seq(items) => items.iter().try_for_each(|(item, _)| check_json(item)),
        GoVal::Map(entries) => {
            // All keys first, then the values: `to_value`'s order.
            for (k, v, _) in entries {
                json_key(k, v)?;
            }
            entries.iter().try_for_each(|(_, v, _)| check_json(v))
        }
        _ => Ok(()),
    }
}

/// What the Go side unmarshals the JSON into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// `map[string]interface{}` (values files, `fromYaml`).
    Map,
    /// `[]interface{}` (`fromYamlArray`).
    Array,
    /// `interface{}`.
    Any,
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "bool",
        Value::Float(_) | Value::Int(..) => "number",
        Value::String(_) => "string",
        Value::List(..) => "array",
        _ => "object",
    }
}

fn err_at(message: String, line: usize, column: usize) -> YamlError {
    YamlError {
        line,
        column,
        message,
    }
}

/// sigs.k8s.io/yaml `Unmarshal(text, &target)`: first document only.
const CONV: &str = "error converting YAML to JSON: ";

/// The first step of sigs.k8s.io/yaml's `Unmarshal`: YAML text to go-yaml's
/// `interface{}` ([`GoVal`]), with its errors in sigs' words.
fn decode_go(text: &str) -> Result<GoVal, YamlError> {
    if let Some(f) = precheck(text) {
        return Err(err_at(
            format!("{CONV}yaml: {}", f.message),
            f.line,
            f.column,
        ));
    }
    // libyaml (YAML 1.1) treats NEL as a line break (folded to a space);
    // saphyr does not; folding makes a lone NEL read as a space.
    let normalized;
    let text = if text.contains('\u{85}') {
        normalized = text.replace('\u{85}', " ");
        normalized.as_str()
    } else {
        text
    };
    let tree = build_tree(text)
        .map_err(|f| err_at(format!("{CONV}yaml: {}", f.message), f.line, f.column))?;
    let g = match tree.root {
        None => GoVal::Nil,
        Some(root) => decode_document(&tree, root)
            .map_err(|(m, p)| err_at(format!("{CONV}yaml: {m}"), p.0, p.1))?,
    };
    // The node tree is as large as the input: it is freed here, before the
    // values are built (peak memory of large values files).
    Ok(g)
}

fn sigs_unmarshal(
    text: &str,
    target: Target,
    positions: Option<&mut Positions>,
) -> Result<Value, YamlError> {
    let g = decode_go(text)?;
    let mut positions = positions;
    let v =
        to_value(&g, "", &mut positions, &[]).map_err(|m| err_at(format!("{CONV}{m}"), 0, 0))?;
    let mismatch = |want: &str| {
        err_at(
            format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type {want}",
                json_kind(&v)
            ),
            0,
            0,
        )
    };
    match target {
        Target::Any => Ok(v),
        Target::Map => match v {
            Value::Nil => Ok(Value::empty_map()),
            Value::Map(..) => Ok(v),
            _ => Err(mismatch("map[string]interface {}")),
        },
        Target::Array => match v {
            Value::Nil => Ok(Value::list(Vec::new())),
            Value::List(..) => Ok(v),
            _ => Err(mismatch("[]interface {}")),
        },
    }
}

/// k8s.io/apimachinery `YAMLReader`: split on lines starting with `---`,
/// skipping empty documents. Returns each document with its first line
/// number (1-based) in `text`.
pub fn split_documents(text: &str) -> Result<Vec<(String, usize)>, YamlError> {
    let mut docs = Vec::new();
    let mut buf = String::new();
    let mut buf_start = 1;
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last() == Some(&"") {
        lines.pop();
    }
    for (n, line) in lines.iter().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(err_at(
                    format!("invalid Yaml document separator: {trimmed}"),
                    n + 1,
                    1,
                ));
            }
            if !buf.is_empty() {
                docs.push((std::mem::take(&mut buf), buf_start));
            }
            buf_start = n + 2;
            continue;
        }
        if buf.is_empty() {
            buf_start = n + 1;
        }
        buf.push_str(line);
        buf.push('\n');
    }
    if !buf.is_empty() {
        docs.push((buf, buf_start));
    }
    Ok(docs)
}

fn shift(mut e: YamlError, first_line: usize) -> YamlError {
    if e.line > 0 {
        e.line += first_line - 1;
    }
    e
}

fn load_values(text: &str, mut positions: Option<&mut Positions>) -> Result<Value, YamlError> {
    let docs = split_documents(text).map_err(|e| YamlError {
        message: format!("error reading yaml document: {}", e.message),
        ..e
    })?;
    let mut values = Map::new();
    for (doc, first_line) in docs {
        let mut doc_pos = Positions::new();
        let v = sigs_unmarshal(&doc, Target::Map, Some(&mut doc_pos)).map_err(|e| {
            shift(
                YamlError {
                    message: format!("cannot unmarshal yaml document: {}", e.message),
                    ..e
                },
                first_line,
            )
        })?;
        if let Some(ps) = positions.as_deref_mut() {
            for (k, (l, c)) in doc_pos {
                ps.insert(k, (l + first_line - 1, c));
            }
        }
        if let Value::Map(m, _) = v {
            values = merge_maps(&values, &m.borrow());
        }
    }
    Ok(Value::map(values))
}

/// A values file as Helm's `LoadValues` reads it: documents separated by
/// `---` lines are parsed one by one and deep-merged. Errors carry Helm's
/// wording (`cannot unmarshal yaml document: error converting YAML to JSON:
/// yaml: line 3: ...`); the chart loader adds `cannot load values.yaml: `.
/// Null values are kept (Helm drops them later, when coalescing).
pub fn parse_values(text: &str) -> Result<Value, YamlError> {
    load_values(text, None)
}

/// [`parse_values`] plus the (line, column) of every map key and list item,
/// keyed by dotted path (`image.tag`, `volumes[0].name`).
pub fn parse_values_located(text: &str) -> Result<(Value, Positions), YamlError> {
    let mut ps = Positions::new();
    let v = load_values(text, Some(&mut ps))?;
    Ok((v, ps))
}

/// `yaml.Unmarshal(text, &map[string]interface{})` as sigs.k8s.io/yaml does
/// it (first document only): Helm's `fromYaml`.
pub fn parse_document(text: &str) -> Result<Value, YamlError> {
    sigs_unmarshal(text, Target::Map, None)
}

/// Unmarshal into `[]interface{}`: Helm's `fromYamlArray`.
pub fn parse_array(text: &str) -> Result<Value, YamlError> {
    sigs_unmarshal(text, Target::Array, None)
}

/// Unmarshal into `interface{}`: any top-level type.
pub fn parse_any(text: &str) -> Result<Value, YamlError> {
    sigs_unmarshal(text, Target::Any, None)
}

/// `yaml.Unmarshal(text, &s)` for a struct `s` as sigs.k8s.io/yaml does
/// it (the struct's fields as a map; see [`Struct`]), and, when `any`, the
/// same document as [`parse_any`] reads it (`None` when that read fails
/// where the struct's succeeds, e.g. `kind: .inf`), from one parse.
pub fn parse_struct(
    text: &str,
    s: &Struct,
    any: bool,
) -> Result<(Value, Option<Value>), YamlError> {
    let g = decode_go(text)?;
    let fields = to_value_top(&g, s).map_err(|m| err_at(format!("{CONV}{m}"), 0, 0))?;
    let whole = any.then(|| to_value(&g, "", &mut None, &[]).ok()).flatten();
    Ok((fields, whole))
}

/// Every `---`-separated document (split as Helm's YAMLReader does), each
/// read like [`parse_any`].
pub fn parse_document_list(text: &str) -> Result<Vec<Value>, YamlError> {
    split_documents(text)?
        .into_iter()
        .map(|(doc, first)| parse_any(&doc).map_err(|e| shift(e, first)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let (_, ps) = parse_values_located("a:\n  b: 1\nl:\n- x\n- name: y\n").unwrap();
        assert_eq!(ps.get("a.b"), Some(&(2, 3)));
        assert_eq!(ps.get("l[1]"), Some(&(5, 3)));
        assert_eq!(ps.get("l[1].name"), Some(&(5, 3)));
        let (_, ps) = parse_values_located("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(ps.get("b"), Some(&(3, 1)));
    }

    #[test]
    fn never_panics_on_garbage() {
        let mut seed: u64 = 0x1234_5678;
        let alphabet = b"ab:-[]{}#&*!|>'\"%@`, \n\t?.~01\\";
        for _ in 0..3000 {
            let len = (seed % 40) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()] as char);
            }
            let _ = parse_values(&s);
            let _ = parse_any(&s);
        }
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let deep = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        let e = parse_values(&deep).unwrap_err();
        assert!(e.message.contains("exceeded max depth"), "{}", e.message);
        let ok = format!("a: {}{}\n", "[".repeat(250), "]".repeat(250));
        assert!(parse_values(&ok).is_ok(), "{:?}", parse_values(&ok).err());
        let block: String = (0..450).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(parse_values(&block).is_ok());
    }
}
