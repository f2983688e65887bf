//! Sprig's type conversions: `atoi`, `int`, `int64`, `float64`, `toString`,
//! `toStrings`, `toDecimal`, and the helpers other groups use to coerce
//! arguments the way Sprig does (spf13/cast v1.7.0, which Helm v4.2 links).
//!
//! cast's errors are swallowed by Sprig, so every failed conversion is 0.

use std::rc::Rc;

use super::util::plain;
use crate::go::fmt as gofmt;
use crate::go::strconv;
use crate::template::funcs::FuncMap;
use crate::value::{ElemTy, Sig, Ty, Value};

const ANY1: Sig = Sig::new(&[Ty::Any], None);
const STR1: Sig = Sig::new(&[Ty::String], None);

pub fn register(m: &mut FuncMap) {
    m.insert(
        "atoi",
        plain(&STR1, |_, a| {
            Ok(Value::int(atoi(a[0].as_str().unwrap_or_default())))
        }),
    );
    m.insert(
        "int64",
        plain(&ANY1, |_, a| Ok(Value::int64(to_int64(&a[0])))),
    );
    // Go's int is 64 bits wide on every platform Helm ships for.
    m.insert("int", plain(&ANY1, |_, a| Ok(Value::int(to_int(&a[0])))));
    m.insert(
        "float64",
        plain(&ANY1, |_, a| Ok(Value::Float(to_float64(&a[0])))),
    );
    m.insert(
        "toDecimal",
        plain(&ANY1, |_, a| Ok(Value::int64(to_decimal(&a[0])))),
    );
    m.insert("toString", plain(&ANY1, |_, a| Ok(strval_value(&a[0]))));
    m.insert("toStrings", plain(&ANY1, |_, a| Ok(strslice(&a[0]))));
}

/// `toString`: Sprig's `strval`, a `[]byte` kept as bytes when it is not
/// UTF-8 (Go's `string(b)`).
fn strval_value(v: &Value) -> Value {
    match v {
        Value::List(l, ElemTy::Byte) => {
            crate::template::bytestr::string_from_vec(Value::byte_list(l))
        }
        other => Value::string(strval(other)),
    }
}

/// Sprig's `strval`: how non-string keys and values become strings
/// (`[]byte` as its text, everything else as `fmt`'s `%v`).
pub fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::List(l, ElemTy::Byte) => String::from_utf8_lossy(&Value::byte_list(l)).into_owned(),
        Value::Nil => "<nil>".into(),
        other => gofmt::sprint_one(other),
    }
}

/// Sprig's `toStrings` (`strslice`): nil elements of `[]interface{}` are
/// dropped, a non-slice becomes a one-element list, nil an empty one.
fn strslice(v: &Value) -> Value {
    let items: Vec<Value> = match v {
        Value::List(_, ElemTy::String) => return v.clone(),
        Value::List(l, _) => l
            .iter()
            .filter(|x| !x.is_nil())
            .map(|x| Value::string(strval(x)))
            .collect(),
        Value::Nil => Vec::new(),
        other => vec![Value::string(strval(other))],
    };
    Value::List(Rc::new(items), ElemTy::String)
}

/// cast's `ToInt` (Sprig's `toInt`, used for indexes): the same rules as
/// `ToInt64` because Go's int is 64 bits.
pub fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// cast's `ToInt64`: integers as is, floats truncated, strings parsed as Go
/// integer literals (base prefixes, `_`, a zero fraction like `2.00`),
/// bools as 0/1; anything else is 0.
pub fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i, _) => *i,
        Value::Float(f) => go_f64_to_i64(*f),
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => strconv::parse_int_base0(trim_zero_decimal(s)).unwrap_or(0),
        _ => 0,
    }
}

/// cast's `ToFloat64`: strings through `strconv.ParseFloat`, where a
/// range error (`1e400`) also counts as failure.
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i, _) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) => parse_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Go's `int64(f)` as compiled for amd64: NaN and out-of-range values give
/// the "integer indefinite" value, math.MinInt64, where Rust would saturate.
pub fn go_f64_to_i64(f: f64) -> i64 {
    // 2^63: the first float past i64::MAX.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// cast's `trimZeroDecimal`: `12.00` -> `12`, `12.01` unchanged.
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, c) in s.bytes().enumerate().rev() {
        match c {
            b'.' if found_zero => return &s[..i],
            b'.' => {}
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// `strconv.ParseFloat(s, 64)`, including the `inf`/`infinity`/`nan`
/// spellings that template literals cannot have.
pub fn parse_float(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if lower == "nan" {
        // Go accepts no sign before NaN.
        return (body.len() == s.len()).then_some(f64::NAN);
    }
    strconv::parse_float(s)
}

/// `strconv.Atoi`, whose value Sprig keeps even on error: 0 for bad
/// syntax, the clamped extreme when out of range.
fn atoi(s: &str) -> i64 {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return 0;
    }
    let mut n: u64 = 0;
    for c in digits.bytes() {
        if !c.is_ascii_digit() {
            return 0;
        }
        match n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(c - b'0')))
        {
            Some(v) => n = v,
            // ParseUint stops at the first overflow, before later bad bytes.
            None => return if neg { i64::MIN } else { i64::MAX },
        }
    }
    if neg {
        if n > i64::MAX as u64 + 1 {
            i64::MIN
        } else {
            (n as i64).wrapping_neg()
        }
    } else {
        i64::try_from(n).unwrap_or(i64::MAX)
    }
}

/// Sprig's `toDecimal`: the value printed with `%v`, read as an octal
/// number (`strconv.ParseInt(s, 8, 64)`); 0 on any error.
fn to_decimal(v: &Value) -> i64 {
    let s = gofmt::sprint_one(v);
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, &s[..]),
    };
    if digits.is_empty() {
        return 0;
    }
    let mut n: i128 = 0;
    for c in digits.bytes() {
        if !(b'0'..=b'7').contains(&c) {
            return 0;
        }
        n = n * 8 + i128::from(c - b'0');
        if n > i128::from(i64::MAX) + 1 {
            return 0;
        }
    }
    let n = if neg { -n } else { n };
    i64::try_from(n).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cast_int_rules() {
        for (s, want) in [
            ("0x10", 16),
            ("010", 8),
            ("1_000", 1000),
            ("2.00", 2),
            ("2.", 0),
            (" 3", 0),
            ("1.5", 0),
            ("9223372036854775808", 0),
        ] {
            assert_eq!(to_int64(&Value::str(s)), want, "{s}");
        }
        assert_eq!(to_int64(&Value::Float(1e20)), i64::MIN);
        assert_eq!(to_int64(&Value::Float(-1.9)), -1);
    }

    #[test]
    fn atoi_clamps() {
        assert_eq!(atoi("99999999999999999999x"), i64::MAX);
        assert_eq!(atoi("-99999999999999999999"), i64::MIN);
        assert_eq!(atoi("-9223372036854775808"), i64::MIN);
        assert_eq!(atoi("1_0"), 0);
        assert_eq!(atoi("+"), 0);
    }

    #[test]
    fn float_specials() {
        assert_eq!(parse_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(parse_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_float("+nan"), None);
        assert_eq!(parse_float("1e400"), None);
        assert_eq!(parse_float("infin"), None);
    }

    #[test]
    fn octal() {
        assert_eq!(to_decimal(&Value::str("0755")), 493);
        assert_eq!(to_decimal(&Value::str("-17")), -15);
        assert_eq!(to_decimal(&Value::str("1000000000000000000000")), 0);
        assert_eq!(to_decimal(&Value::str("-1000000000000000000000")), i64::MIN);
    }
}
