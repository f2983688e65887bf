//! The JSON model the validator works on: schema documents (numbers keep
//! their literal text, as Go's `json.Number` does) and instances converted
//! from pchart values (numbers are float64 or int64, as in Helm).

use std::collections::BTreeMap;
use std::sync::Arc;

use num_bigint::BigInt;

use crate::go::fmt::float_v;
use crate::value::Value;

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
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    // The parser is strict: it accepts exactly Go's JSON syntax. On a
    // failure Go's decoder runs once more, only for its error wording.
    if let Some(v) = p.value() {
        p.ws();
        if p.i == p.s.len() {
            return Ok(v);
        }
    }
    match crate::yaml::parse_json(text, crate::yaml::JsonTarget::Any) {
        Err(e) if e == "unexpected end of JSON input" => Err("unexpected EOF".into()),
        Err(e) if e.ends_with("after top-level value") => {
            Err("invalid character after top-level value".into())
        }
        Err(e) => Err(e),
        Ok(_) => Err("invalid JSON".into()),
    }
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

    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.s.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    fn literal(&mut self, word: &[u8], v: J) -> Option<J> {
        self.s.get(self.i..)?.starts_with(word).then(|| {
            self.i += word.len();
            v
        })
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        self.i - start
    }

    fn value(&mut self) -> Option<J> {
        self.ws();
        match *self.s.get(self.i)? {
            b'{' => {
                self.depth += 1;
                if self.depth > 10_000 {
                    return None;
                }
                self.i += 1;
                let mut m = BTreeMap::new();
                if self.eat(b'}').is_none() {
                    loop {
                        self.ws();
                        let k = self.string()?;
                        self.eat(b':')?;
                        let v = self.value()?;
                        m.insert(k, v);
                        if self.eat(b',').is_none() {
                            self.eat(b'}')?;
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
                if self.eat(b']').is_none() {
                    loop {
                        a.push(self.value()?);
                        if self.eat(b',').is_none() {
                            self.eat(b']')?;
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Some(J::Arr(Arc::new(a)))
            }
            b'"' => Some(J::Str(Arc::from(self.string()?))),
            b't' => self.literal(b"true", J::Bool(true)),
            b'f' => self.literal(b"false", J::Bool(false)),
            b'n' => self.literal(b"null", J::Null),
            b'-' | b'0'..=b'9' => {
                // Go's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
                let start = self.i;
                if self.s[self.i] == b'-' {
                    self.i += 1;
                }
                match self.s.get(self.i)? {
                    b'0' => self.i += 1,
                    b'1'..=b'9' => {
                        self.digits();
                    }
                    _ => return None,
                }
                if self.s.get(self.i) == Some(&b'.') {
                    self.i += 1;
                    if self.digits() == 0 {
                        return None;
                    }
                }
                if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
                    self.i += 1;
                    if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                        self.i += 1;
                    }
                    if self.digits() == 0 {
                        return None;
                    }
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).ok()?;
                Some(J::Num(Num::from_text(t)))
            }
            _ => None,
        }
    }

    fn string(&mut self) -> Option<String> {
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i;
        self.i += 1;
        let mut escaped = false;
        loop {
            match *self.s.get(self.i)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    match *self.s.get(self.i + 1)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 2,
                        b'u' => {
                            let hex = self.s.get(self.i + 2..self.i + 6)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return None;
                            }
                            self.i += 6;
                        }
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => self.i += 1,
            }
        }
        self.i += 1;
        let raw = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        if !escaped {
            // No escapes: the text between the quotes is the string.
            return Some(raw[1..raw.len() - 1].to_string());
        }
        match crate::yaml::parse_json(raw, crate::yaml::JsonTarget::Any).ok()? {
            Value::String(s) => Some(s.to_string()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The strict parser accepts exactly what Go's decoder accepts, on
    /// every short string over JSON's special bytes.
    #[test]
    fn accepts_what_go_accepts() {
        let alphabet: &[&str] = &[
            "{", "}", "[", "]", ",", ":", "\"", "\\", "u", "0", "1", "-", "+", ".", "e", "true",
            "nul", "null", " ", "a", "\"k\"", "\\u00e9", "/", "\n", "\u{1}",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut x = seed;
            let text: String = (0..(seed % 9) as usize)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(x >> 33) as usize % alphabet.len()]
                })
                .collect();
            if text.trim_matches([' ', '\t', '\r', '\n']).is_empty() {
                continue;
            }
            let go = crate::yaml::parse_json(&text, crate::yaml::JsonTarget::Any);
            let ours = parse_schema_json(&text);
            assert_eq!(go.is_ok(), ours.is_ok(), "{text:?}: {go:?} vs {ours:?}");
        }
    }
}
