//! Go `encoding/json` output for template values (`toJson`, `toRawJson`,
//! `toPrettyJson`) and Go's `strconv.FormatFloat`, which both JSON and YAML
//! output depend on.

use crate::value::{ElemTy, Map, Value};

/// Shortest round-trip decimal digits of `f` (which must be finite and
/// non-negative) and the decimal point position, as Go's `strconv` computes
/// them: value = 0.d1d2d3... * 10^dp. `bits` is 32 or 64.
fn shortest_digits(f: f64, bits: u32) -> (Vec<u8>, i32) {
    // Rust's `{:e}` prints the shortest representation that round-trips,
    // which is exactly what Go's FormatFloat(_, _, -1, bits) uses.
    let s = if bits == 32 {
        format!("{:e}", f as f32)
    } else {
        format!("{:e}", f)
    };
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits == [b'0'] {
        return (digits, 1);
    }
    (digits, exp + 1)
}

fn fmt_e(out: &mut String, digits: &[u8], dp: i32, prec: usize) {
    out.push(digits[0] as char);
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(*digits.get(i).unwrap_or(&b'0') as char);
        }
    }
    out.push('e');
    let exp = if digits == [b'0'] { 0 } else { dp - 1 };
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        out.push('0');
    }
    out.push_str(&e.to_string());
}

fn fmt_f(out: &mut String, digits: &[u8], dp: i32, prec: usize) {
    if dp > 0 {
        for i in 0..dp as usize {
            out.push(*digits.get(i).unwrap_or(&b'0') as char);
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec as i32 {
            let idx = dp + i - 1;
            let c = if idx >= 0 {
                *digits.get(idx as usize).unwrap_or(&b'0')
            } else {
                b'0'
            };
            out.push(c as char);
        }
    }
}

/// Go's `strconv.FormatFloat(f, fmt, -1, bits)` for fmt in `g`, `e`, `f`.
pub fn go_format_float(f: f64, fmt: u8, bits: u32) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    let (digits, dp) = shortest_digits(f.abs(), bits);
    let nd = digits.len() as i32;
    match fmt {
        b'e' => fmt_e(&mut out, &digits, dp, (nd - 1) as usize),
        b'f' => fmt_f(&mut out, &digits, dp, (nd - dp).max(0) as usize),
        _ => {
            // Go uses %e when the exponent is < -4 or >= the precision,
            // and for the shortest form that precision is fixed at 6.
            let exp = if digits == [b'0'] { 0 } else { dp - 1 };
            if !(-4..6).contains(&exp) {
                fmt_e(&mut out, &digits, dp, (nd - 1) as usize);
            } else {
                fmt_f(&mut out, &digits, dp, (nd - dp).max(0) as usize);
            }
        }
    }
    out
}

/// Go's `encoding/json` float64 encoding: `f` format, `e` outside
/// [1e-6, 1e21), with a cleaned-up two-digit exponent (`1e-07` -> `1e-7`).
pub fn json_float(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        return Err(format!(
            "json: unsupported value: {}",
            go_format_float(f, b'g', 64)
        ));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut s = go_format_float(f, b'e', 64);
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        Ok(s)
    } else {
        Ok(go_format_float(f, b'f', 64))
    }
}

fn push_json_string(out: &mut String, s: &str, html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if html => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            // Go escapes the JavaScript line terminators even without HTML escaping.
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Standard base64 (Go `encoding/json` writes `[]byte` this way).
pub(crate) fn base64_encode(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

struct JsonWriter {
    out: String,
    html: bool,
    indent: Option<&'static str>,
}

impl JsonWriter {
    fn newline(&mut self, depth: usize) {
        if let Some(ind) = self.indent {
            self.out.push('\n');
            for _ in 0..depth {
                self.out.push_str(ind);
            }
        }
    }

    fn value(&mut self, v: &Value, depth: usize) -> Result<(), String> {
        if depth > super::MAX_DEPTH {
            return Err("json: exceeded max depth".into());
        }
        match v {
            Value::Nil => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i, _) => self.out.push_str(&i.to_string()),
            Value::Float(f) => self.out.push_str(&json_float(*f)?),
            Value::Complex(..) => return Err("json: unsupported type: complex128".into()),
            Value::String(s) => push_json_string(&mut self.out, s, self.html),
            Value::List(l, ElemTy::Byte) => push_json_string(
                &mut self.out,
                &base64_encode(&Value::byte_list(l)),
                self.html,
            ),
            Value::List(l, _) => {
                self.out.push('[');
                if !l.is_empty() {
                    for (i, item) in l.iter().enumerate() {
                        if i > 0 {
                            self.out.push(',');
                        }
                        self.newline(depth + 1);
                        self.value(item, depth + 1)?;
                    }
                    self.newline(depth);
                }
                self.out.push(']');
            }
            Value::Map(m, _) => self.map(&m.borrow(), depth)?,
            // A Go struct marshals as its exported fields under their json
            // tags, in declaration order.
            Value::Object(o) if let Some(f) = o.json_fields() => {
                self.object(f.iter().map(|(k, v)| (*k, v)), depth)?
            }
            Value::Object(o) => match o.elements() {
                // A named slice type marshals as its elements.
                Some(e) => self.value(&Value::List(std::rc::Rc::new(e), ElemTy::String), depth)?,
                // Other objects only know their `%v` form.
                None => push_json_string(&mut self.out, &o.format(), self.html),
            },
        }
        Ok(())
    }

    fn map(&mut self, m: &Map, depth: usize) -> Result<(), String> {
        // BTreeMap order is byte order, which is Go's sorted key order.
        self.object(m.iter().map(|(k, v)| (k.as_str(), v)), depth)
    }

    fn object<'a>(
        &mut self,
        entries: impl Iterator<Item = (&'a str, &'a Value)>,
        depth: usize,
    ) -> Result<(), String> {
        self.out.push('{');
        let mut any = false;
        for (i, (k, item)) in entries.enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            any = true;
            self.newline(depth + 1);
            push_json_string(&mut self.out, k, self.html);
            self.out.push(':');
            if self.indent.is_some() {
                self.out.push(' ');
            }
            self.value(item, depth + 1)?;
        }
        if any {
            self.newline(depth);
        }
        self.out.push('}');
        Ok(())
    }
}

/// Go `json.Marshal` (HTML-escaping, compact) or `json.MarshalIndent(v, "", "  ")`.
pub fn marshal(v: &Value, html: bool, pretty: bool) -> Result<String, String> {
    let mut w = JsonWriter {
        out: String::new(),
        html,
        indent: pretty.then_some("  "),
    };
    w.value(v, 0)?;
    Ok(w.out)
}

/// Helm's `toJson`: `json.Marshal`, empty string on error.
pub fn to_json(v: &Value) -> String {
    marshal(v, true, false).unwrap_or_default()
}

/// Helm's `toRawJson`: like `toJson` without HTML escaping.
pub fn to_raw_json(v: &Value) -> String {
    marshal(v, false, false).unwrap_or_default()
}

/// Helm's `toPrettyJson`: `json.MarshalIndent` with two spaces.
pub fn to_pretty_json(v: &Value) -> String {
    marshal(v, true, true).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_floats() {
        let g = |f| go_format_float(f, b'g', 64);
        assert_eq!(g(1e6), "1e+06");
        assert_eq!(g(100000.0), "100000");
        assert_eq!(g(1.5), "1.5");
        assert_eq!(g(123456789.0), "1.23456789e+08");
        assert_eq!(g(0.0001), "0.0001");
        assert_eq!(g(0.00001), "1e-05");
        assert_eq!(g(-0.0), "-0");
        assert_eq!(g(0.0), "0");
        assert_eq!(g(1e21), "1e+21");
        assert_eq!(g(5e-324), "5e-324");
        assert_eq!(
            go_format_float(1.2345678901234568e29, b'g', 32),
            "1.2345679e+29"
        );
        assert_eq!(go_format_float(1e21, b'g', 32), "1e+21");
    }

    #[test]
    fn json_numbers() {
        assert_eq!(json_float(1e6).unwrap(), "1000000");
        assert_eq!(json_float(1e21).unwrap(), "1e+21");
        assert_eq!(json_float(1e20).unwrap(), "100000000000000000000");
        assert_eq!(json_float(1e-7).unwrap(), "1e-7");
        assert_eq!(json_float(0.000001).unwrap(), "0.000001");
        assert_eq!(json_float(-0.0).unwrap(), "-0");
        assert_eq!(
            json_float(f64::INFINITY).unwrap_err(),
            "json: unsupported value: +Inf"
        );
        assert_eq!(
            json_float(f64::NAN).unwrap_err(),
            "json: unsupported value: NaN"
        );
    }

    #[test]
    fn json_text() {
        let mut m = Map::new();
        m.insert("b".into(), Value::list(vec![Value::int(1), Value::Nil]));
        m.insert("a".into(), Value::str("<&>\u{2028}\u{1}"));
        let v = Value::map(m);
        assert_eq!(
            to_json(&v),
            r#"{"a":"\u003c\u0026\u003e\u2028\u0001","b":[1,null]}"#
        );
        assert_eq!(to_raw_json(&v), r#"{"a":"<&>\u2028\u0001","b":[1,null]}"#);
        assert_eq!(
            to_pretty_json(&v),
            "{\n  \"a\": \"\\u003c\\u0026\\u003e\\u2028\\u0001\",\n  \"b\": [\n    1,\n    null\n  ]\n}"
        );
        assert_eq!(to_pretty_json(&Value::empty_map()), "{}");
        assert_eq!(to_json(&Value::Float(f64::NAN)), "");
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
    }
}
