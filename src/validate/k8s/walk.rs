//! The structural walk: a rendered value against a [`Ty`], the way the API
//! server's JSON decoding sees it (strict field validation).

use super::schema::{Obj, Schema, Ty};
use super::{ApiFinding, Code};
use crate::value::Value;

/// Walks `v` against `ty`, appending findings. `path` is the field path of
/// `v` (`spec.template.spec.containers[0]`), restored on return.
pub fn check(schema: &Schema, v: &Value, ty: &Ty, path: &mut String, out: &mut Vec<ApiFinding>) {
    // null is accepted for every optional field (the API decodes it as
    // unset); a null required field is reported by the parent object.
    if matches!(v, Value::Nil) {
        return;
    }
    match ty {
        Ty::Json => {}
        Ty::Ref(i) => {
            check(schema, v, schema.ty(*i), path, out);
            check_enums(schema.type_name(*i), v, path, out);
        }
        Ty::String => {
            if !matches!(v, Value::String(_)) {
                wrong_type(v, "string", path, out);
            }
        }
        Ty::DateTime => match v {
            Value::String(s) if is_rfc3339(s) => {}
            Value::String(s) => out.push(ApiFinding::new(
                Code::WrongType,
                path,
                format!("{s:?} is not an RFC 3339 date-time (2006-01-02T15:04:05Z)"),
            )),
            _ => wrong_type(v, "date-time string", path, out),
        },
        Ty::Base64 => match v {
            Value::String(s) if is_base64(s) => {}
            Value::String(_) => out.push(ApiFinding::new(
                Code::WrongType,
                path,
                "is not valid base64 (use stringData for plain text, or b64enc)".into(),
            )),
            _ => wrong_type(v, "base64 string", path, out),
        },
        Ty::Boolean => {
            if !matches!(v, Value::Bool(_)) {
                wrong_type(v, "boolean", path, out);
            }
        }
        Ty::Integer => {
            if !is_integer(v) {
                wrong_type(v, "integer", path, out);
            }
        }
        Ty::Number => {
            if !matches!(v, Value::Int(..) | Value::Float(_)) {
                wrong_type(v, "number", path, out);
            }
        }
        Ty::IntOrString => {
            if !(is_integer(v) || matches!(v, Value::String(_))) {
                wrong_type(v, "integer or string", path, out);
            }
        }
        Ty::Quantity => match v {
            Value::Int(..) => {}
            Value::Float(f) if f.is_finite() => {}
            Value::String(s) if is_quantity(s) => {}
            Value::String(s) => out.push(ApiFinding::new(
                Code::WrongType,
                path,
                format!("{s:?} is not a quantity (examples: 2, 500m, 1.5, 128Mi, 1Gi)"),
            )),
            _ => wrong_type(v, "quantity (number or string)", path, out),
        },
        Ty::Array(item) => match v {
            Value::List(items, _) => {
                for (i, item_v) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    check(schema, item_v, item, path, out);
                    path.truncate(len);
                }
            }
            _ => wrong_type(v, "array", path, out),
        },
        Ty::Map(val_ty) => match v {
            Value::Map(m, _) => {
                let m = m.borrow();
                for (k, val) in m.iter() {
                    let len = path.len();
                    push_key(path, k);
                    check(schema, val, val_ty, path, out);
                    path.truncate(len);
                }
            }
            _ => wrong_type(v, "object", path, out),
        },
        Ty::Object(obj) => check_object(schema, v, obj, path, out),
        Ty::Union(alts) => {
            // Valid if any alternative accepts it; otherwise report the
            // first alternative whose outer type matched.
            let mut tried = Vec::new();
            for alt in alts {
                let mut found = Vec::new();
                check(schema, v, alt, path, &mut found);
                if found.is_empty() {
                    return;
                }
                tried.push(found);
            }
            let outer_ok = |f: &Vec<ApiFinding>| {
                !f.iter()
                    .any(|f| f.code == Code::WrongType && f.path == *path)
            };
            let pick = tried.iter().position(outer_ok).unwrap_or(0);
            out.extend(tried.swap_remove(pick));
        }
    }
}

fn check_object(
    schema: &Schema,
    v: &Value,
    obj: &Obj,
    path: &mut String,
    out: &mut Vec<ApiFinding>,
) {
    let Value::Map(m, _) = v else {
        wrong_type(v, "object", path, out);
        return;
    };
    let m = m.borrow();
    for (k, val) in m.iter() {
        let len = path.len();
        push_field(path, k);
        match obj.props.get(k.as_str()) {
            Some(t) => check(schema, val, t, path, out),
            None => {
                let hint = suggest(k, obj.props.keys().map(|k| &**k))
                    .map(|s| format!(" (did you mean {s:?}?)"))
                    .unwrap_or_default();
                out.push(ApiFinding::new(
                    Code::UnknownField,
                    path,
                    format!("unknown field {k:?}{hint}"),
                ));
            }
        }
        path.truncate(len);
    }
    for r in &obj.required {
        if matches!(m.get(&**r), None | Some(Value::Nil)) {
            missing_required(path, r, out);
        }
    }
}

/// K8S003 for field `r` of the object at `path`.
pub(super) fn missing_required(path: &mut String, r: &str, out: &mut Vec<ApiFinding>) {
    let len = path.len();
    push_field(path, r);
    out.push(ApiFinding::new(
        Code::MissingRequired,
        path,
        format!("missing required field {r:?}"),
    ));
    path.truncate(len);
}

/// String fields of a built-in type whose values form a closed set
/// ([`super::enums`]): anything else is `Unsupported value` at the API.
fn check_enums(type_name: &str, v: &Value, path: &mut String, out: &mut Vec<ApiFinding>) {
    let Value::Map(m, _) = v else {
        return;
    };
    let m = m.borrow();
    for (field, allowed) in super::enums::of_type(type_name) {
        let items: Vec<(Option<usize>, &Value)> = match m.get(field) {
            Some(Value::List(l, _)) => l.iter().enumerate().map(|(i, x)| (Some(i), x)).collect(),
            Some(x) => vec![(None, x)],
            None => continue,
        };
        for (i, x) in items {
            let Value::String(s) = x else {
                continue;
            };
            if s.is_empty() || allowed.contains(&&**s) {
                continue;
            }
            let len = path.len();
            push_field(path, field);
            if let Some(i) = i {
                path.push_str(&format!("[{i}]"));
            }
            let hint = allowed
                .iter()
                .find(|a| a.eq_ignore_ascii_case(s))
                .copied()
                .or_else(|| suggest(s, allowed.iter().copied()))
                .map(|a| format!(" (did you mean {a:?}?)"))
                .unwrap_or_default();
            out.push(ApiFinding::new(
                Code::UnsupportedValue,
                path,
                format!(
                    "unsupported value {s:?}{hint}: must be one of {}",
                    allowed.join(", ")
                ),
            ));
            path.truncate(len);
        }
    }
}

/// `a.b` for identifier-like keys, `a["b/c"]` otherwise.
pub fn push_field(path: &mut String, k: &str) {
    let plain = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(k);
    } else {
        path.push_str(&format!("[{k:?}]"));
    }
}

/// Map keys (labels, annotations, data): same spelling as fields.
fn push_key(path: &mut String, k: &str) {
    push_field(path, k);
}

pub fn describe(v: &Value) -> String {
    match v {
        Value::Nil => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Int(i, _) => format!("number {i}"),
        Value::Float(f) => format!("number {}", crate::go::fmt::sprint_one(&Value::Float(*f))),
        Value::String(s) => {
            let mut s = format!("{s:?}");
            if s.len() > 40 {
                let cut = (0..=37).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
                s.truncate(cut);
                s.push_str("...");
            }
            format!("string {s}")
        }
        Value::List(..) => "array".into(),
        Value::Map(..) => "object".into(),
        other => other.type_name(),
    }
}

pub fn wrong_type(v: &Value, expected: &str, path: &str, out: &mut Vec<ApiFinding>) {
    out.push(ApiFinding::new(
        Code::WrongType,
        path,
        format!("expected {expected}, got {}", describe(v)),
    ));
}

/// An integer as the API's JSON decoding accepts it: YAML numbers arrive as
/// float64; one with no fraction decodes into an int32/int64 field.
pub fn is_integer(v: &Value) -> bool {
    match v {
        Value::Int(..) => true,
        Value::Float(f) => f.is_finite() && f.fract() == 0.0 && f.abs() < 9.3e18,
        _ => false,
    }
}

/// `resource.ParseQuantity`: `<signedNumber><suffix>`, suffix one of the
/// binary SI (Ki..Ei), decimal SI (n u m "" k M G T P E) or an exponent.
pub fn is_quantity(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let start = i;
    let mut digits = 0;
    let mut dot = false;
    while i < b.len() && (b[i].is_ascii_digit() || (b[i] == b'.' && !dot)) {
        if b[i] == b'.' {
            dot = true;
        } else {
            digits += 1;
        }
        i += 1;
    }
    if digits == 0 || i == start {
        return false;
    }
    let suffix = &s[i..];
    match suffix {
        "" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" | "n" | "u" | "m" | "k" | "M" | "G" | "T"
        | "P" | "E" => true,
        _ => {
            let Some(exp) = suffix.strip_prefix(['e', 'E']) else {
                return false;
            };
            let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            !exp.is_empty() && exp.bytes().all(|c| c.is_ascii_digit())
        }
    }
}

/// Go's `base64.StdEncoding` as `encoding/json` decodes `[]byte`
/// (newlines are skipped).
pub fn is_base64(s: &str) -> bool {
    let body: Vec<u8> = s.bytes().filter(|&c| c != b'\n' && c != b'\r').collect();
    if !body.len().is_multiple_of(4) {
        return false;
    }
    let pad = body.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 {
        return false;
    }
    body[..body.len() - pad]
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
}

/// RFC 3339 as `metav1.Time` parses it (`2006-01-02T15:04:05Z07:00`,
/// fractional seconds allowed).
pub fn is_rfc3339(s: &str) -> bool {
    s.parse::<jiff::Timestamp>().is_ok()
        && s.len() >= 20
        && s.as_bytes()
            .get(10)
            .is_some_and(|&c| c == b'T' || c == b't')
}

/// The closest name within edit distance 2 (for typos like `contianers`).
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = distance(&name.to_ascii_lowercase(), &c.to_ascii_lowercase());
        let limit = if name.len() <= 4 { 1 } else { 2 };
        if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Optimal string alignment distance (adjacent transpositions count 1).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}
