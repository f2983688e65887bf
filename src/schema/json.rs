//! The JSON model the validator works on: schema documents (numbers keep
//! their literal text, as Go's `json.Number` does) and instances converted
//! from pchart values (numbers are float64 or int64, as in Helm).

use std::collections::BTreeMap;
use std::sync::Arc;

use num_bigint::BigInt;

use crate::template::fmt::float_v;
use crate::template::value::Value;

/// An exact decimal `mant * 10^exp`, standing in for Go's `big.Rat` built
/// from a number's text.
#[derive(Clone, Debug, PartialEq)]
pub struct Dec {
    pub mant: BigInt,
    pub exp: i64,
}

/// Exponent differences beyond this are compared through float64 instead
/// (no real schema gets near it; it keeps big-integer work bounded).
const MAX_SHIFT: i64 = 4000;

impl Dec {
    /// Parses a JSON or Go `%v` number (`-1.5e+06`).
    pub fn parse(s: &str) -> Option<Dec> {
        let (neg, body) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (mantissa, e) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], body[i + 1..].parse::<i64>().ok()?),
            None => (body, 0),
        };
        let (int, frac) = match mantissa.find('.') {
            Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
            None => (mantissa, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let digits = format!("{int}{frac}");
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut mant: BigInt = digits.parse().ok()?;
        if neg {
            mant = -mant;
        }
        Some(Dec {
            mant,
            exp: e.checked_sub(frac.len() as i64)?,
        })
    }

    fn is_zero(&self) -> bool {
        self.mant == BigInt::from(0)
    }

    /// `a.Cmp(b)`; `None` when the exponents are too far apart to align.
    pub fn compare(&self, other: &Dec) -> Option<std::cmp::Ordering> {
        if self.is_zero() || other.is_zero() {
            return Some(self.sign().cmp(&other.sign()));
        }
        let d = self.exp - other.exp;
        if d.abs() > MAX_SHIFT {
            return None;
        }
        let (a, b) = if d >= 0 {
            (&self.mant * pow10(d), other.mant.clone())
        } else {
            (self.mant.clone(), &other.mant * pow10(-d))
        };
        Some(a.cmp(&b))
    }

    fn sign(&self) -> i32 {
        if self.mant > BigInt::from(0) {
            1
        } else if self.mant < BigInt::from(0) {
            -1
        } else {
            0
        }
    }

    /// Whether `self / other` is an integer.
    pub fn divisible_by(&self, other: &Dec) -> Option<bool> {
        if other.is_zero() {
            return Some(false);
        }
        if self.is_zero() {
            return Some(true);
        }
        let d = self.exp - other.exp;
        if d.abs() > MAX_SHIFT {
            return None;
        }
        let zero = BigInt::from(0);
        Some(if d >= 0 {
            (&self.mant * pow10(d)) % &other.mant == zero
        } else {
            &self.mant % (&other.mant * pow10(-d)) == zero
        })
    }

    pub fn is_integer(&self) -> bool {
        if self.exp >= 0 || self.is_zero() {
            return true;
        }
        if -self.exp > MAX_SHIFT {
            return false;
        }
        &self.mant % pow10(-self.exp) == BigInt::from(0)
    }
}

fn pow10(n: i64) -> BigInt {
    num_bigint::BigInt::from(10u32).pow(n as u32)
}

/// A number: its text (Go's `%v` of the value, or the literal from the
/// schema), its float64 value and its exact decimal.
#[derive(Clone, Debug)]
pub struct Num {
    pub text: String,
    pub f: f64,
    pub dec: Option<Dec>,
}

impl Num {
    pub fn from_text(text: &str) -> Num {
        Num {
            text: text.to_string(),
            f: text.parse().unwrap_or(f64::NAN),
            dec: Dec::parse(text),
        }
    }
    pub fn from_f64(f: f64) -> Num {
        let text = float_v(f);
        Num {
            dec: Dec::parse(&text),
            text,
            f,
        }
    }

    pub fn compare(&self, o: &Num) -> std::cmp::Ordering {
        match (&self.dec, &o.dec) {
            (Some(a), Some(b)) => match a.compare(b) {
                Some(c) => c,
                None => self
                    .f
                    .partial_cmp(&o.f)
                    .unwrap_or(std::cmp::Ordering::Equal),
            },
            _ => self
                .f
                .partial_cmp(&o.f)
                .unwrap_or(std::cmp::Ordering::Equal),
        }
    }

    pub fn is_integer(&self) -> bool {
        match &self.dec {
            Some(d) => d.is_integer(),
            None => self.f.fract() == 0.0,
        }
    }
}

/// A JSON value. Objects are ordered by key (Go maps have no order; a
/// fixed order keeps pchart's output stable).
#[derive(Clone, Debug)]
pub enum J {
    Null,
    Bool(bool),
    Num(Num),
    Str(Arc<str>),
    Arr(Arc<Vec<J>>),
    Obj(Arc<BTreeMap<String, J>>),
    /// A value JSON cannot hold, with its Go type name.
    Invalid(String),
}

impl J {
    /// The JSON type name, as the validator reports it.
    pub fn type_name(&self) -> &'static str {
        match self {
            J::Null => "null",
            J::Bool(_) => "boolean",
            J::Num(_) => "number",
            J::Str(_) => "string",
            J::Arr(_) => "array",
            J::Obj(_) => "object",
            J::Invalid(_) => "",
        }
    }

    pub fn as_obj(&self) -> Option<&BTreeMap<String, J>> {
        match self {
            J::Obj(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn get(&self, k: &str) -> Option<&J> {
        self.as_obj().and_then(|m| m.get(k))
    }

    /// Converts a pchart value (depth-bounded; deeper data is cut off as
    /// an invalid value rather than overflowing the stack).
    pub fn from_value(v: &Value) -> J {
        from_value_depth(v, 0)
    }
}

fn from_value_depth(v: &Value, depth: usize) -> J {
    if depth > 1000 {
        return J::Invalid("deep value".into());
    }
    match v {
        Value::Nil => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i, _) => J::Num(Num::from_text(&i.to_string())),
        Value::Float(f) => J::Num(Num::from_f64(*f)),
        Value::String(s) => J::Str(Arc::from(&**s)),
        Value::List(items, _) => J::Arr(Arc::new(
            items
                .iter()
                .map(|x| from_value_depth(x, depth + 1))
                .collect(),
        )),
        Value::Map(m, _) => {
            let m = m.borrow();
            J::Obj(Arc::new(
                m.iter()
                    .map(|(k, x)| (k.clone(), from_value_depth(x, depth + 1)))
                    .collect(),
            ))
        }
        other => J::Invalid(other.type_name().to_string()),
    }
}

/// JSON equality as the validator sees it: numbers by value.
pub fn equals(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Null, J::Null) => true,
        (J::Bool(x), J::Bool(y)) => x == y,
        (J::Num(x), J::Num(y)) => x.compare(y) == std::cmp::Ordering::Equal,
        (J::Str(x), J::Str(y)) => x == y,
        (J::Arr(x), J::Arr(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equals(p, q))
        }
        (J::Obj(x), J::Obj(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| equals(v, w)))
        }
        _ => false,
    }
}

/// Parses a schema document the way `jsonschema.UnmarshalJSON` does
/// (a `json.Decoder` with `UseNumber`), with Go's error texts.
pub fn parse_schema_json(text: &str) -> Result<J, String> {
    if text.trim_matches([' ', '\t', '\r', '\n']).is_empty() {
        return Err("EOF".into());
    }
    // Syntax first, with Go's wording.
    if let Err(e) = crate::yaml::parse_json(text, crate::yaml::JsonTarget::Any) {
        if e == "unexpected end of JSON input" {
            return Err("unexpected EOF".into());
        }
        if e.ends_with("after top-level value") {
            return Err("invalid character after top-level value".into());
        }
        return Err(e);
    }
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    p.value().ok_or_else(|| "invalid JSON".to_string())
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\r' | b'\n') {
            self.i += 1;
        }
    }
    fn value(&mut self) -> Option<J> {
        self.ws();
        let c = *self.s.get(self.i)?;
        match c {
            b'{' => {
                self.depth += 1;
                if self.depth > 10_000 {
                    return None;
                }
                self.i += 1;
                let mut m = BTreeMap::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let k = self.string()?;
                        self.ws();
                        self.i += 1; // ':'
                        let v = self.value()?;
                        m.insert(k, v);
                        self.ws();
                        let c = *self.s.get(self.i)?;
                        self.i += 1;
                        if c == b'}' {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Some(J::Obj(Arc::new(m)))
            }
            b'[' => {
                self.depth += 1;
                if self.depth > 10_000 {
                    return None;
                }
                self.i += 1;
                let mut a = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        a.push(self.value()?);
                        self.ws();
                        let c = *self.s.get(self.i)?;
                        self.i += 1;
                        if c == b']' {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Some(J::Arr(Arc::new(a)))
            }
            b'"' => Some(J::Str(Arc::from(self.string()?))),
            b't' => {
                self.i += 4;
                Some(J::Bool(true))
            }
            b'f' => {
                self.i += 5;
                Some(J::Bool(false))
            }
            b'n' => {
                self.i += 4;
                Some(J::Null)
            }
            _ => {
                let start = self.i;
                while self.i < self.s.len()
                    && matches!(
                        self.s[self.i],
                        b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
                    )
                {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).ok()?;
                Some(J::Num(Num::from_text(t)))
            }
        }
    }
    fn string(&mut self) -> Option<String> {
        // Syntax was checked already; decode escapes.
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i;
        self.i += 1;
        while self.i < self.s.len() {
            match self.s[self.i] {
                b'\\' => self.i += 2,
                b'"' if !self.s[start..self.i].contains(&b'\\') => {
                    // No escapes: the text between the quotes is the string.
                    let raw = std::str::from_utf8(&self.s[start + 1..self.i]).ok()?;
                    self.i += 1;
                    return Some(raw.to_string());
                }
                b'"' => {
                    self.i += 1;
                    let raw = std::str::from_utf8(&self.s[start..self.i]).ok()?;
                    let v = crate::yaml::parse_json(raw, crate::yaml::JsonTarget::Any).ok()?;
                    return match v {
                        Value::String(s) => Some(s.to_string()),
                        _ => None,
                    };
                }
                _ => self.i += 1,
            }
        }
        None
    }
}
