//! TOML as Helm's `toToml` and `fromToml` do it (BurntSushi/toml v1):
//! the encoder writes a map's plain keys first, then its tables, each group
//! sorted; nested tables are indented two spaces per level; float64 always
//! carries a decimal point or an exponent. The reader uses the `toml` crate and converts to
//! Go's types (int64, float64, strings, lists, maps).

use crate::value::{ElemTy, Map, Value};

/// Why `toToml` failed.
#[derive(Debug, PartialEq, Eq)]
pub enum TomlError {
    /// An encoding error, which Helm's `toToml` returns as its text.
    Encode(String),
    /// A Go panic the encoder does not recover (`toToml nil`): it fails the
    /// template even without `must`.
    Panic(String),
}

/// Go `toml.NewEncoder(&b).Encode(v)`.
pub fn to_toml(v: &Value) -> Result<String, TomlError> {
    let mut w = Writer { out: String::new() };
    match v {
        Value::Map(m, _) => w.table(&[], &m.borrow(), 0).map_err(TomlError::Encode)?,
        Value::Nil => {
            return Err(TomlError::Panic(
                "reflect: call of reflect.Value.Type on zero Value".into(),
            ));
        }
        // A list of tables needs a key to be written as `[[key]]`.
        Value::List(l, _) if is_table_array(l) => {
            return Err(TomlError::Encode(
                "toml: top-level values must be Go maps or structs".into(),
            ));
        }
        _ => w.element(v, 0).map_err(TomlError::Encode)?,
    }
    Ok(w.out)
}

struct Writer {
    out: String,
}

fn bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

fn quote_string(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '\u{8}' => o.push_str("\\b"),
            '\t' => o.push_str("\\t"),
            '\n' => o.push_str("\\n"),
            '\u{c}' => o.push_str("\\f"),
            '\r' => o.push_str("\\r"),
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                o.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn key_part(k: &str) -> String {
    if bare_key(k) {
        k.to_string()
    } else {
        quote_string(k)
    }
}

fn key_path(path: &[&str]) -> String {
    path.iter()
        .map(|k| key_part(k))
        .collect::<Vec<_>>()
        .join(".")
}

/// Every element is a table: the list is written as `[[key]]` sections.
fn is_table_array(l: &[Value]) -> bool {
    !l.is_empty() && l.iter().all(|x| matches!(x, Value::Map(..)))
}

fn is_table(v: &Value) -> bool {
    match v {
        Value::Map(..) => true,
        Value::List(l, _) => is_table_array(l),
        _ => false,
    }
}

fn float(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-nan" } else { "nan" }.into();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.into();
    }
    let s = super::json::go_format_float(f, b'g', 64);
    if s.contains(['.', 'e']) { s } else { s + ".0" }
}

impl Writer {
    fn newline_if_written(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn element(&mut self, v: &Value, depth: usize) -> Result<(), String> {
        if depth > super::MAX_DEPTH {
            return Err("toml: nesting too deep".into());
        }
        match v {
            Value::Nil => return Err("toml: cannot encode array with nil element".into()),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i, _) => self.out.push_str(&i.to_string()),
            Value::Float(f) => self.out.push_str(&float(*f)),
            Value::String(s) => self.out.push_str(&quote_string(s)),
            Value::List(l, ElemTy::Byte) => {
                // Go encodes []byte as an array of integers.
                let items: Vec<String> = l
                    .iter()
                    .map(|x| match x {
                        Value::Int(i, _) => i.to_string(),
                        _ => String::new(),
                    })
                    .collect();
                self.out.push('[');
                self.out.push_str(&items.join(", "));
                self.out.push(']');
            }
            Value::List(l, _) => {
                self.out.push('[');
                for (i, x) in l.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.element(x, depth + 1)?;
                }
                self.out.push(']');
            }
            Value::Map(m, _) => {
                self.out.push('{');
                let mut first = true;
                for (k, x) in m.borrow().iter() {
                    if x.is_nil() {
                        continue;
                    }
                    if !first {
                        self.out.push_str(", ");
                    }
                    first = false;
                    self.out.push_str(&key_part(k));
                    self.out.push_str(" = ");
                    self.element(x, depth + 1)?;
                }
                self.out.push('}');
            }
            Value::Complex(..) | Value::Object(_) => {
                return Err(format!("toml: unsupported type: {}", v.type_name()));
            }
        }
        Ok(())
    }

    fn indent(&mut self, path: &[&str]) {
        for _ in 1..path.len() {
            self.out.push_str("  ");
        }
    }

    /// A map's body: plain keys first, then sub-tables, each sorted.
    fn table(&mut self, path: &[&str], m: &Map, depth: usize) -> Result<(), String> {
        if depth > super::MAX_DEPTH {
            return Err("toml: nesting too deep".into());
        }
        for (k, v) in m.iter() {
            if v.is_nil() || is_table(v) {
                continue;
            }
            let mut p = path.to_vec();
            p.push(k);
            self.indent(&p);
            self.out.push_str(&key_part(k));
            self.out.push_str(" = ");
            self.element(v, depth + 1)?;
            self.out.push('\n');
        }
        for (k, v) in m.iter() {
            let mut p = path.to_vec();
            p.push(k);
            match v {
                Value::Map(sub, _) => {
                    if p.len() == 1 {
                        self.newline_if_written();
                    }
                    self.indent(&p);
                    self.out.push('[');
                    self.out.push_str(&key_path(&p));
                    self.out.push(']');
                    self.out.push('\n');
                    self.table(&p, &sub.borrow(), depth + 1)?;
                }
                Value::List(l, _) if is_table_array(l) => {
                    for item in l.iter() {
                        if let Value::Map(sub, _) = item {
                            self.newline_if_written();
                            self.indent(&p);
                            self.out.push_str("[[");
                            self.out.push_str(&key_path(&p));
                            self.out.push_str("]]\n");
                            self.table(&p, &sub.borrow(), depth + 1)?;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Go `toml.Unmarshal(text, &map[string]interface{})`.
pub fn parse_toml(text: &str) -> Result<Value, String> {
    let t: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(1);
        format!("toml: line {line}: {}", e.message())
    })?;
    Ok(convert_table(&t))
}

fn convert_table(t: &toml::Table) -> Value {
    let mut m = Map::new();
    for (k, v) in t {
        m.insert(k.clone(), convert(v));
    }
    Value::map(m)
}

fn convert(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::str(s),
        toml::Value::Integer(i) => Value::int64(*i),
        toml::Value::Float(f) => Value::Float(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::string(d.to_string()),
        toml::Value::Array(a) => Value::list(a.iter().map(convert).collect()),
        toml::Value::Table(t) => convert_table(t),
    }
}
