//! Go `encoding/json` decoding into `interface{}` values, for `fromJson`,
//! `fromJsonArray` and `--set-json`: numbers become float64, later duplicate
//! keys win, and errors carry Go's exact wording (`invalid character 'x'
//! looking for beginning of value`, `unexpected end of JSON input`).
//!
//! Like Go, the whole input is checked for syntax first, so a syntax error
//! anywhere wins over a type mismatch at the top.

use crate::value::{Map, Value};

/// What the decoded document is stored into.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum JsonTarget {
    /// `map[string]interface {}`
    Map,
    /// `[]interface {}`
    Array,
    /// `interface {}`
    Any,
}

struct Reader<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    depth: usize,
}

/// Go's `quoteChar`: how a byte is shown in a syntax error.
fn quote_char(c: char) -> String {
    match c {
        '\'' => r"'\''".into(),
        '"' => "'\"'".into(),
        _ => crate::go::fmt::go_quote_rune(c),
    }
}

type R<T> = Result<T, String>;

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Go's scanner works on bytes: a multi-byte character is shown by its
    /// first byte read as a code point (`é` becomes `'Ã'`).
    fn bad(&self, context: &str) -> String {
        match self.peek() {
            None => "unexpected end of JSON input".into(),
            Some(b) => format!("invalid character {} {context}", quote_char(b as char)),
        }
    }

    fn value(&mut self) -> R<Value> {
        self.ws();
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => Ok(Value::string(self.string()?)),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Nil),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.bad("looking for beginning of value")),
        }
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        // Go's scanner limit, with Go's wording.
        if self.depth > 10_000 {
            return Err(self.bad("exceeded max depth"));
        }
        Ok(())
    }

    fn object(&mut self) -> R<Value> {
        self.enter()?;
        self.i += 1;
        let mut m = Map::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::map(m));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.bad("looking for beginning of object key string"));
            }
            let k = self.string()?;
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.bad("after object key"));
            }
            self.i += 1;
            let v = self.value()?;
            m.insert(k, v);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Value::map(m));
                }
                _ => return Err(self.bad("after object key:value pair")),
            }
        }
    }

    fn array(&mut self) -> R<Value> {
        self.enter()?;
        self.i += 1;
        let mut l = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::list(l));
        }
        loop {
            l.push(self.value()?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Value::list(l));
                }
                _ => return Err(self.bad("after array element")),
            }
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> R<Value> {
        for (n, want) in word.bytes().enumerate() {
            if n > 0 && self.peek() != Some(want) {
                return Err(self.bad(&format!("in literal {word} (expecting '{}')", want as char)));
            }
            self.i += 1;
        }
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> R<Value> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.bad("in numeric literal")),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.bad("after decimal point in numeric literal"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.bad("in exponent of numeric literal"));
            }
        }
        let lit = &self.text[start..self.i];
        match lit.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(format!(
                "json: cannot unmarshal number {lit} into Go value of type float64"
            )),
        }
    }

    fn hex4(&mut self) -> R<u32> {
        let mut v = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c) => (c as char).to_digit(16),
                None => None,
            };
            match d {
                Some(d) => v = v * 16 + d,
                None => return Err(self.bad("in \\u hexadecimal character escape")),
            }
            self.i += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> R<String> {
        self.i += 1;
        let mut out = String::new();
        loop {
            // Copy the run of plain characters in one go: it stops only at
            // ASCII bytes, so both ends are character boundaries.
            let start = self.i;
            while matches!(self.peek(), Some(c) if c != b'"' && c != b'\\' && c >= 0x20) {
                self.i += 1;
            }
            out.push_str(self.text.get(start..self.i).unwrap_or_default());
            let Some(c) = self.peek() else {
                return Err(self.bad(""));
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.i += 1;
                    let e = self.peek();
                    let simple = match e {
                        Some(b'"') => Some('"'),
                        Some(b'\\') => Some('\\'),
                        Some(b'/') => Some('/'),
                        Some(b'b') => Some('\u{8}'),
                        Some(b'f') => Some('\u{c}'),
                        Some(b'n') => Some('\n'),
                        Some(b'r') => Some('\r'),
                        Some(b't') => Some('\t'),
                        _ => None,
                    };
                    if let Some(ch) = simple {
                        out.push(ch);
                        self.i += 1;
                        continue;
                    }
                    if e != Some(b'u') {
                        return Err(self.bad("in string escape code"));
                    }
                    self.i += 1;
                    let hi = self.hex4()?;
                    out.push(self.surrogate(hi)?);
                }
                _ => return Err(self.bad("in string literal")),
            }
        }
    }

    /// Combine a UTF-16 surrogate pair; lone surrogates become U+FFFD as in Go.
    fn surrogate(&mut self, hi: u32) -> R<char> {
        if !(0xD800..0xDC00).contains(&hi) {
            return Ok(char::from_u32(hi).unwrap_or('\u{fffd}'));
        }
        if self.s.get(self.i..self.i + 2) == Some(b"\\u") {
            let save = self.i;
            self.i += 2;
            let lo = self.hex4()?;
            if (0xDC00..0xE000).contains(&lo) {
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
            }
            self.i = save;
        }
        Ok('\u{fffd}')
    }
}

fn kind_word(v: &Value) -> &'static str {
    match v {
        Value::Map(..) => "object",
        Value::List(..) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

/// Go `json.Unmarshal(text, &target)`.
pub fn parse_json(text: &str, target: JsonTarget) -> Result<Value, String> {
    let mut r = Reader {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
    };
    let v = r.value()?;
    r.ws();
    if r.peek().is_some() {
        return Err(r.bad("after top-level value"));
    }
    let type_name = match target {
        JsonTarget::Any => return Ok(v),
        JsonTarget::Map => "map[string]interface {}",
        JsonTarget::Array => "[]interface {}",
    };
    match (&v, target) {
        (Value::Nil, JsonTarget::Map) => Ok(Value::empty_map()),
        (Value::Nil, JsonTarget::Array) => Ok(Value::list(Vec::new())),
        (Value::Map(..), JsonTarget::Map) | (Value::List(..), JsonTarget::Array) => Ok(v),
        _ => Err(format!(
            "json: cannot unmarshal {} into Go value of type {type_name}",
            kind_word(&v)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        parse_json(s, JsonTarget::Any).err().unwrap_or_default()
    }

    #[test]
    fn syntax_errors_use_go_wording() {
        assert_eq!(err(""), "unexpected end of JSON input");
        assert_eq!(err("{"), "unexpected end of JSON input");
        assert_eq!(
            err("x"),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(
            err("{1}"),
            "invalid character '1' looking for beginning of object key string"
        );
        assert_eq!(err("[1 2]"), "invalid character '2' after array element");
        assert_eq!(err("tru"), "unexpected end of JSON input");
        assert_eq!(
            err("trux"),
            "invalid character 'x' in literal true (expecting 'e')"
        );
        assert_eq!(err("1 1"), "invalid character '1' after top-level value");
        assert_eq!(err("\"\n\""), r"invalid character '\n' in string literal");
        assert_eq!(
            err("é"),
            "invalid character 'Ã' looking for beginning of value"
        );
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let r = crate::stack::with_big_stack(|| {
            parse_json(&"[".repeat(100_000), JsonTarget::Any).err()
        });
        assert_eq!(
            r,
            Ok(Some("invalid character '[' exceeded max depth".to_string()))
        );
    }
}
