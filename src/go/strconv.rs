//! Go's `strconv` rules for template literals: `Unquote`, `UnquoteChar`,
//! `ParseInt`/`ParseUint` with base 0 and `ParseFloat` (hex floats,
//! underscores), which `parse.newNumber` (template/node.rs) combines.

pub const SYNTAX: &str = "invalid syntax";

/// `strconv.UnquoteChar`: decode one (possibly escaped) character from `s`.
/// Returns the character and the rest of the string.
pub fn unquote_char(s: &str, quote: char) -> Result<(char, &str), String> {
    let mut chars = s.chars();
    let c = chars.next().ok_or(SYNTAX)?;
    if c == quote && (quote == '\'' || quote == '"') {
        return Err(SYNTAX.into());
    }
    if c != '\\' {
        return Ok((c, chars.as_str()));
    }
    let e = chars.next().ok_or(SYNTAX)?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        '\\' => Some('\\'),
        '\'' | '"' => {
            if e != quote {
                return Err(SYNTAX.into());
            }
            Some(e)
        }
        _ => None,
    };
    if let Some(c) = simple {
        return Ok((c, rest));
    }
    match e {
        'x' | 'u' | 'U' => {
            let n = match e {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            if rest.len() < n || !rest.is_char_boundary(n) {
                return Err(SYNTAX.into());
            }
            let v = u32::from_str_radix(&rest[..n], 16).map_err(|_| SYNTAX)?;
            if rest[..n].starts_with(['+', '-']) {
                return Err(SYNTAX.into());
            }
            if e == 'x' {
                // A byte value; only meaningful as a char below 0x80 in a
                // Rust string. Higher bytes map to their Latin-1 char, which
                // callers that need raw bytes do not rely on.
                return Ok((char::from_u32(v).ok_or(SYNTAX)?, &rest[n..]));
            }
            let c = char::from_u32(v).ok_or(SYNTAX)?;
            Ok((c, &rest[n..]))
        }
        '0'..='7' => {
            if rest.len() < 2 || !rest.is_char_boundary(2) {
                return Err(SYNTAX.into());
            }
            let digits = format!("{e}{}", &rest[..2]);
            let v = u32::from_str_radix(&digits, 8).map_err(|_| SYNTAX)?;
            if v > 255 {
                return Err(SYNTAX.into());
            }
            Ok((char::from_u32(v).ok_or(SYNTAX)?, &rest[2..]))
        }
        _ => Err(SYNTAX.into()),
    }
}

/// `strconv.Unquote` for the three Go quote forms. Returns bytes because
/// `"\xff"` is a valid Go string that is not UTF-8.
pub fn unquote_bytes(s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return Err(SYNTAX.into());
    }
    let q = b[0];
    if q != b[b.len() - 1] {
        return Err(SYNTAX.into());
    }
    let inner = &s[1..s.len() - 1];
    match q {
        b'`' => {
            if inner.contains('`') {
                return Err(SYNTAX.into());
            }
            // Go drops carriage returns from raw strings.
            Ok(inner.bytes().filter(|&c| c != b'\r').collect())
        }
        b'"' | b'\'' => {
            if inner.contains('\n') {
                return Err(SYNTAX.into());
            }
            // Go's fast path: no escapes and no quote inside, the text as is.
            if q == b'"' && !inner.contains(['\\', '"']) {
                return Ok(inner.as_bytes().to_vec());
            }
            let quote = q as char;
            let mut out = Vec::new();
            let mut rest = inner;
            while !rest.is_empty() {
                // `\x` and octal escapes are raw bytes in Go.
                let bytes = rest.as_bytes();
                if bytes[0] == b'\\'
                    && bytes.len() >= 2
                    && (bytes[1] == b'x' || (b'0'..=b'7').contains(&bytes[1]))
                {
                    let (c, r) = unquote_char(rest, quote)?;
                    out.push(c as u32 as u8);
                    rest = r;
                } else {
                    let (c, r) = unquote_char(rest, quote)?;
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    rest = r;
                }
                if quote == '\'' {
                    break;
                }
            }
            if quote == '\'' && (!rest.is_empty() || out.is_empty()) {
                return Err(SYNTAX.into());
            }
            Ok(out)
        }
        _ => Err(SYNTAX.into()),
    }
}

/// `strconv.Unquote` where the result must be a Rust string; invalid UTF-8
/// from `\x` escapes is replaced (Go would keep the raw bytes).
pub fn unquote(s: &str) -> Result<String, String> {
    let b = unquote_bytes(s)?;
    Ok(match String::from_utf8(b) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') {
        i = 1;
    }
    let mut hex = false;
    if b.len() - i >= 2 && b[i] == b'0' {
        let c = b[i + 1].to_ascii_lowercase();
        if c == b'b' || c == b'o' || c == b'x' {
            hex = c == b'x';
            i += 2;
            saw = b'0';
        }
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

enum IntErr {
    Syntax,
    Range,
}

/// `strconv.ParseUint(s, 0, 64)`.
fn parse_uint0(s: &str) -> Result<u64, IntErr> {
    if s.is_empty() {
        return Err(IntErr::Syntax);
    }
    let (base, digits, prefixed) =
        if let Some(r) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            (16, r, true)
        } else if let Some(r) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
            (8, r, true)
        } else if let Some(r) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
            (2, r, true)
        } else if s.starts_with('0') && s.len() > 1 {
            (8, &s[1..], true)
        } else {
            (10, s, false)
        };
    let _ = prefixed;
    let mut n: u64 = 0;
    let mut any = false;
    let mut underscores = false;
    for c in digits.chars() {
        if c == '_' {
            underscores = true;
            continue;
        }
        let d = c.to_digit(base).ok_or(IntErr::Syntax)?;
        any = true;
        n = n
            .checked_mul(base as u64)
            .and_then(|n| n.checked_add(d as u64))
            .ok_or(IntErr::Range)?;
    }
    if !(any || base == 8 && s.len() > 1 && !s[1..].starts_with(['o', 'O'])) {
        return Err(IntErr::Syntax);
    }
    if underscores && !underscore_ok(s) {
        return Err(IntErr::Syntax);
    }
    Ok(n)
}

/// `strconv.ParseUint(s, 0, 64)` for callers that only need success or
/// failure.
pub fn parse_uint_base0(s: &str) -> Option<u64> {
    parse_uint0(s).ok()
}

/// `strconv.ParseInt(s, 0, 64)` for callers that only need success or
/// failure (Sprig's number conversions).
pub fn parse_int_base0(s: &str) -> Option<i64> {
    parse_int0(s).ok()
}

/// `strconv.ParseInt(s, 0, 64)`.
fn parse_int0(s: &str) -> Result<i64, IntErr> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint0(body)?;
    if neg {
        if u > (i64::MAX as u64) + 1 {
            return Err(IntErr::Range);
        }
        Ok((u as i64).wrapping_neg())
    } else {
        if u > i64::MAX as u64 {
            return Err(IntErr::Range);
        }
        Ok(u as i64)
    }
}

/// `strconv.ParseFloat(s, 64)` for Go literal syntax (decimal and hex).
pub fn parse_float(s: &str) -> Option<f64> {
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let t: String = s.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, &t[..]),
    };
    let v = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        parse_hex_float(h)?
    } else {
        if body.is_empty()
            || !body
                .bytes()
                .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            return None;
        }
        // Rust accepts "1." and ".5" like Go.
        body.parse::<f64>().ok()?
    };
    if v.is_infinite() {
        // Go returns ±Inf with a range error: the caller treats it as failure.
        return None;
    }
    Some(if neg { -v } else { v })
}

/// Hex float mantissa and mandatory binary exponent: `1.8p1`.
fn parse_hex_float(h: &str) -> Option<f64> {
    let (mant, exp) = match h.find(['p', 'P']) {
        Some(i) => (&h[..i], &h[i + 1..]),
        None => (h, ""),
    };
    let (ip, fp) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    if ip.is_empty() && fp.is_empty() {
        return None;
    }
    if exp.is_empty() {
        // Go requires the p exponent in hex floats.
        return None;
    }
    let e: i32 = exp.parse().ok()?;
    let mut v = 0f64;
    for c in ip.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in fp.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(e))
}
