//! Sprig's type conversions: `atoi`, `int`, `int64`, `float64`, `toString`,
//! `toStrings`, `toDecimal`, and the helpers other groups use to coerce
//! arguments the way Sprig (spf13/cast) does.

use crate::template::fmt as gofmt;
use crate::template::funcs::FuncMap;
use crate::template::value::Value;

pub fn register(_m: &mut FuncMap) {}

/// Sprig's `strval`: how non-string keys and values become strings.
pub fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Nil => "<nil>".into(),
        other => gofmt::sprint_one(other),
    }
}

/// Sprig's `toInt` conversion used for indexes.
pub fn to_int(v: &Value) -> i64 {
    match v {
        Value::Int(i, _) => *i,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .or_else(|_| s.trim().parse::<f64>().map(|f| f as i64))
            .unwrap_or(0),
        _ => 0,
    }
}
