//! Go strings are byte strings; ours are UTF-8. A string whose bytes are
//! not valid UTF-8 (`.Files.Get` of a binary file, `b64dec` of binary data)
//! is held as its bytes, and the functions that read a string's bytes
//! (`b64enc`, `b32enc`, the `sha*sum`s, `adler32sum`, `len`) get them
//! exactly. Every other use sees the text with each invalid byte replaced
//! by U+FFFD (the README lists that divergence).

use std::borrow::Cow;
use std::rc::Rc;

use crate::value::{Object, Value};

/// A Go string that is not valid UTF-8.
pub struct ByteString(pub Vec<u8>);

impl Object for ByteString {
    fn type_name(&self) -> &str {
        "string"
    }
    fn kind_name(&self) -> &'static str {
        "string"
    }
    fn format(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
    fn truth(&self) -> bool {
        !self.0.is_empty()
    }
    /// Functions that take text get the text.
    fn materialize(&self) -> Option<Value> {
        Some(Value::string(self.format()))
    }
}

/// Go's `string(b)`: a plain string when `b` is UTF-8, else its bytes.
pub fn string_from_bytes(b: &[u8]) -> Value {
    match std::str::from_utf8(b) {
        Ok(s) => Value::str(s),
        Err(_) => Value::Object(Rc::new(ByteString(b.to_vec()))),
    }
}

/// Go's `string(b)` of an owned buffer.
pub fn string_from_vec(b: Vec<u8>) -> Value {
    match String::from_utf8(b) {
        Ok(s) => Value::string(s),
        Err(e) => Value::Object(Rc::new(ByteString(e.into_bytes()))),
    }
}

/// Whether `v` is a string held as bytes.
pub fn is_byte_string(v: &Value) -> bool {
    string_bytes(v).is_some() && !matches!(v, Value::String(_))
}

/// The bytes of a string value in either form.
pub fn string_bytes(v: &Value) -> Option<Cow<'_, [u8]>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s.as_bytes())),
        Value::Object(o) => {
            let any: &dyn std::any::Any = &**o;
            any.downcast_ref::<ByteString>()
                .map(|b| Cow::Borrowed(b.0.as_slice()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_stays_a_plain_string_and_binary_keeps_its_bytes() {
        let text = string_from_bytes("héllo".as_bytes());
        assert!(matches!(text, Value::String(_)));
        assert!(!is_byte_string(&text));

        let raw = [0x42, 0x5a, 0x9a, 0xef, 0x01, 0xbf, 0xff];
        let v = string_from_bytes(&raw);
        assert!(is_byte_string(&v));
        assert_eq!(string_bytes(&v).as_deref(), Some(&raw[..]));
        assert_eq!(v.type_name(), "string");
        assert!(v.truth());
        // Everything else reads the text with U+FFFD for each invalid byte.
        let Value::Object(o) = &v else {
            panic!("not an object")
        };
        assert_eq!(
            o.materialize().and_then(|t| t.as_str().map(str::to_string)),
            Some("BZ\u{fffd}\u{fffd}\u{1}\u{fffd}\u{fffd}".to_string())
        );
        assert!(is_byte_string(&string_from_vec(raw.to_vec())));
        assert!(string_bytes(&Value::int(1)).is_none());
    }
}
