//! Go's `fmt` package as templates observe it: `print`, `println`, `printf`
//! and the default `%v` text of every value (`1e+06`, `map[a:1]`, `<nil>`).

use std::cell::RefCell;

use crate::value::{ElemTy, MapRef, Object, Value};

thread_local! {
    /// Maps being printed right now, to stop on a map that contains itself.
    static PRINTING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` unless `m` is already being printed further up: a map that holds
/// itself (via `set`) would make Go overflow its stack; we print `<cycle>`.
fn guard_cycle(m: &MapRef, f: impl FnOnce() -> String) -> String {
    let id = std::rc::Rc::as_ptr(m) as usize;
    if PRINTING.with(|p| p.borrow().contains(&id)) {
        return "<cycle>".into();
    }
    PRINTING.with(|p| p.borrow_mut().push(id));
    let s = f();
    PRINTING.with(|p| p.borrow_mut().pop());
    s
}

/// Go's `unicode.IsPrint`, approximated without Unicode tables: graphic
/// characters and the ASCII space; controls, format characters, private-use
/// and non-ASCII spaces are not printable.
pub fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    !matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF
        | 0xD800..=0xDFFF | 0xFFFE | 0xFFFF)
}

fn quote_with(s: &str, q: char, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if is_go_printable(c) && (!ascii_only || c.is_ascii()) => out.push(c),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(q);
    out
}

/// `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    quote_with(s, '"', false)
}

/// Go's `rune(i)` for `%c` and `%q`: U+FFFD for anything that is not a
/// code point (negative, past U+10FFFF, a surrogate).
fn rune_of(i: i64) -> char {
    u32::try_from(i)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{FFFD}')
}

/// `strconv.QuoteRune`.
pub fn go_quote_rune(c: char) -> String {
    quote_with(&c.to_string(), '\'', false)
}

/// Decimal digits and decimal-point position of a float, like Go's
/// `decimal` type: value = 0.d1d2d3... * 10^dp.
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

/// Shortest digits that round-trip (`prec < 0`) or `prec` significant digits.
fn float_digits(v: f64, prec: i32) -> Digits {
    let v = v.abs();
    if v == 0.0 {
        return Digits {
            d: Vec::new(),
            dp: 0,
        };
    }
    let s = if prec < 0 {
        format!("{v:e}")
    } else {
        format!("{:.*e}", (prec.max(1) - 1) as usize, v)
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut d: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while d.len() > 1 && d.last() == Some(&b'0') {
        d.pop();
    }
    if d == [b'0'] {
        d.clear();
    }
    Digits { d, dp: exp + 1 }
}

/// Go's `fmt.parsenum`: the number at `b[start..]` and the index after
/// it. A number that grows past 10^6 before its last digit is "too
/// large": no number, and the rest of the format is consumed (Go then
/// reports `%!(NOVERB)`). Keeps widths and precisions below 10^7.
fn parsenum(b: &[char], start: usize) -> (Option<usize>, usize) {
    let mut num: usize = 0;
    let mut isnum = false;
    let mut i = start;
    while i < b.len() && b[i].is_ascii_digit() {
        if num > 1_000_000 {
            return (None, b.len());
        }
        num = num * 10 + (b[i] as usize - '0' as usize);
        isnum = true;
        i += 1;
    }
    (isnum.then_some(num), i)
}

/// `strconv.FormatFloat(v, fmt, prec, 64)` for `e E f F g G`.
pub fn format_float(v: f64, verb: char, prec: i32) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let neg = v.is_sign_negative();
    let sign = if neg { "-" } else { "" };
    match verb {
        'f' | 'F' => {
            let p = if prec < 0 {
                let dg = float_digits(v, -1);
                (dg.d.len() as i32 - dg.dp).max(0) as usize
            } else {
                prec as usize
            };
            // Rust's formatter takes at most u16::MAX digits (Go's 1e6); a
            // float64 has no more than 1074 fractional digits, then zeros.
            const EXACT: usize = 1100;
            let mut out = format!("{sign}{:.*}", p.min(EXACT), v.abs());
            if p > EXACT {
                out.extend(std::iter::repeat_n('0', p - EXACT));
            }
            out
        }
        'e' | 'E' => {
            let (dg, p) = if prec < 0 {
                let dg = float_digits(v, -1);
                let p = dg.d.len().max(1) as i32 - 1;
                (dg, p)
            } else {
                (float_digits(v, prec + 1), prec)
            };
            format!("{sign}{}", fmt_e(&dg, p, verb))
        }
        'g' | 'G' => {
            let shortest = prec < 0;
            let mut eprec = prec;
            let dg = if shortest {
                float_digits(v, -1)
            } else {
                float_digits(v, if prec == 0 { 1 } else { prec })
            };
            if !shortest && prec == 0 {
                eprec = 1;
            }
            let nd = dg.d.len() as i32;
            if eprec > nd && nd >= dg.dp {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = dg.dp - 1;
            let e = if verb == 'g' { 'e' } else { 'E' };
            if (exp < -4 || exp >= eprec) && !dg.d.is_empty() {
                let p = if shortest { nd - 1 } else { nd.max(1) - 1 };
                let p = if !shortest && prec > nd { nd - 1 } else { p };
                return format!("{sign}{}", fmt_e(&dg, p.max(0), e));
            }
            let p = (nd - dg.dp).max(0);
            format!("{sign}{}", fmt_f(&dg, p))
        }
        'x' => hex_float(v, prec),
        'X' => hex_float(v, prec).to_uppercase(),
        'b' => binary_float(v),
        _ => format!("%!{verb}(float64={})", format_float(v, 'g', -1)),
    }
}

fn fmt_e(dg: &Digits, prec: i32, e: char) -> String {
    let mut s = String::new();
    let first = dg.d.first().copied().unwrap_or(b'0');
    s.push(first as char);
    if prec > 0 {
        s.push('.');
        for i in 1..=prec as usize {
            s.push(dg.d.get(i).copied().unwrap_or(b'0') as char);
        }
    }
    s.push(e);
    let exp = if dg.d.is_empty() { 0 } else { dg.dp - 1 };
    s.push(if exp < 0 { '-' } else { '+' });
    let a = exp.abs();
    if a < 10 {
        s.push('0');
    }
    s.push_str(&a.to_string());
    s
}

fn fmt_f(dg: &Digits, prec: i32) -> String {
    let mut s = String::new();
    if dg.dp > 0 {
        for i in 0..dg.dp as usize {
            s.push(dg.d.get(i).copied().unwrap_or(b'0') as char);
        }
    } else {
        s.push('0');
    }
    if prec > 0 {
        s.push('.');
        for i in 0..prec {
            let j = dg.dp + i;
            let c = if j < 0 {
                b'0'
            } else {
                dg.d.get(j as usize).copied().unwrap_or(b'0')
            };
            s.push(c as char);
        }
    }
    s
}

/// `%v` of a float64: `strconv.FormatFloat(f, 'g', -1, 64)`.
pub fn float_v(f: f64) -> String {
    format_float(f, 'g', -1)
}

fn complex_v(re: f64, im: f64) -> String {
    let mut s = format!("({}", float_v(re));
    let i = float_v(im);
    if !i.starts_with(['-', '+']) {
        s.push('+');
    }
    s.push_str(&i);
    s.push_str("i)");
    s
}

/// Debug output is the `%v` text and the Go type: `1<int>`.
impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}<{}>", sprint_one(self), self.type_name())
    }
}

/// The `%v` text of a value, as `fmt.Sprint(v)` prints it.
pub fn sprint_one(v: &Value) -> String {
    let mut out = String::new();
    let spec = Spec::default();
    fmt_value(&mut out, v, 'v', &spec);
    out
}

/// The `%v` text of an object by its struct fields or elements, for the
/// objects' own `format`.
pub fn sprint_object(o: &dyn Object) -> String {
    let mut out = String::new();
    fmt_object(&mut out, &Value::Nil, o, 'v', &Spec::default());
    out
}

/// `fmt.Sprint`: spaces between operands when neither side is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a, Value::String(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        out.push_str(&sprint_one(a));
        prev_string = is_string;
    }
    out
}

/// `fmt.Sprintln`: always spaces, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = args.iter().map(sprint_one).collect::<Vec<_>>().join(" ");
    out.push('\n');
    out
}

#[derive(Default, Clone)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    /// `%#v`: Go syntax. Go turns `#` into this for the `v` verb only, so a
    /// bad verb's value printed with `v` keeps a plain `#`.
    sharp_v: bool,
    /// `%+v`: struct fields with their names. Go keeps `+` for other verbs.
    plus_v: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

fn pad(out: &mut String, s: &str, spec: &Spec) {
    let n = s.chars().count();
    let w = spec.width.unwrap_or(0);
    if n >= w {
        out.push_str(s);
        return;
    }
    let fill = w - n;
    if spec.minus {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', fill));
    } else {
        let c = if spec.zero { '0' } else { ' ' };
        out.extend(std::iter::repeat_n(c, fill));
        out.push_str(s);
    }
}

/// Pad a signed number: zero padding goes between the sign and the digits.
fn pad_number(out: &mut String, s: &str, spec: &Spec) {
    if spec.zero
        && !spec.minus
        && spec.width.is_some_and(|w| w > s.len())
        && s.starts_with(['-', '+', ' '])
    {
        let w = spec.width.unwrap_or(0);
        out.push_str(&s[..1]);
        out.extend(std::iter::repeat_n('0', w - s.len()));
        out.push_str(&s[1..]);
        return;
    }
    pad(out, s, spec);
}

fn fmt_integer(out: &mut String, i: i128, verb: char, spec: &Spec) {
    let neg = i < 0;
    let u = i.unsigned_abs();
    let mut digits = match verb {
        'd' | 'v' => u.to_string(),
        'b' => format!("{u:b}"),
        'o' | 'O' => format!("{u:o}"),
        'x' => format!("{u:x}"),
        'X' => format!("{u:X}"),
        _ => u.to_string(),
    };
    if let Some(p) = spec.prec {
        if p == 0 && u == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let mut prefix = String::new();
    if spec.sharp {
        match verb {
            'b' => prefix.push_str("0b"),
            'o' if !digits.starts_with('0') => prefix.push('0'),
            'x' => prefix.push_str("0x"),
            'X' => prefix.push_str("0X"),
            _ => {}
        }
    }
    if verb == 'O' {
        prefix.push_str("0o");
    }
    let sign = if neg {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let body = format!("{sign}{prefix}{digits}");
    let mut sp = spec.clone();
    if spec.prec.is_some() {
        sp.zero = false;
    }
    if sp.zero && !sp.minus && sp.width.is_some_and(|w| w > body.len()) {
        let w = sp.width.unwrap_or(0);
        out.push_str(sign);
        out.push_str(&prefix);
        out.extend(std::iter::repeat_n('0', w - body.len()));
        out.push_str(&digits);
        return;
    }
    pad(out, &body, &sp);
}

/// A formatted float under Go's `#` flag: always a decimal point, and for
/// `%g` (and `%x`) trailing zeros up to the precision (6 when none is
/// given) counted in significant digits (`%#g` of 1000.0 is `1000.00`).
/// As in Go, the `x` of `0x` counts as a digit and `%#X` adds no zeros.
fn with_sharp_flag(s: &str, verb: char, prec: i32) -> String {
    let (sign, body) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s),
    };
    let tail_at = match verb {
        'x' | 'X' => body.find(['p', 'P']),
        _ => body.find(['e', 'E']),
    };
    let (mantissa, exponent) = match tail_at {
        Some(i) => body.split_at(i),
        None => (body, ""),
    };
    let mut digits: i32 = match verb {
        'g' | 'G' | 'v' | 'x' if prec < 0 => 6,
        'g' | 'G' | 'v' | 'x' => prec,
        _ => 0,
    };
    let mut seen_nonzero = false;
    for c in mantissa.chars().filter(|&c| c != '.') {
        seen_nonzero |= c != '0';
        if seen_nonzero {
            digits -= 1;
        }
    }
    let mut out = format!("{sign}{mantissa}");
    if !mantissa.contains('.') {
        // A lone 0 is one significant digit.
        if mantissa == "0" {
            digits -= 1;
        }
        out.push('.');
    }
    for _ in 0..digits.max(0) {
        out.push('0');
    }
    out.push_str(exponent);
    out
}

fn fmt_float_spec(out: &mut String, f: f64, verb: char, spec: &Spec) {
    let (v, prec) = match verb {
        'v' => ('g', -1),
        'f' | 'F' | 'e' | 'E' => (verb, 6),
        _ => (verb, -1),
    };
    let prec = spec.prec.map_or(prec, |p| p as i32);
    let mut s = format_float(f, if v == 'F' { 'f' } else { v }, prec);
    if f.is_infinite() || f.is_nan() {
        // Go keeps the sign of infinities, gives NaN one only when asked,
        // and never zero-pads either.
        let t = match s.as_str() {
            "+Inf" if spec.space && !spec.plus => " Inf".to_string(),
            "NaN" if spec.plus => "+NaN".into(),
            "NaN" if spec.space => " NaN".into(),
            _ => s,
        };
        let sp = Spec {
            zero: false,
            ..spec.clone()
        };
        pad(out, &t, &sp);
        return;
    }
    if spec.sharp && verb != 'b' {
        s = with_sharp_flag(&s, verb, prec);
    }
    if !s.starts_with('-') {
        if spec.plus {
            s.insert(0, '+');
        } else if spec.space {
            s.insert(0, ' ');
        }
    }
    pad_number(out, &s, spec);
}

/// `%!verb(type=value)`, the value printed with `v` under the same flags,
/// width and precision, as Go's `badVerb` does.
fn bad_verb(out: &mut String, v: &Value, verb: char, spec: &Spec) {
    out.push_str("%!");
    out.push(verb);
    out.push('(');
    match v {
        Value::Nil => out.push_str("<nil>"),
        _ => {
            out.push_str(&v.type_name());
            out.push('=');
            fmt_value(out, v, 'v', spec);
        }
    }
    out.push(')');
}

fn fmt_string(out: &mut String, s: &str, verb: char, spec: &Spec) {
    let s: String = match spec.prec {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    };
    match verb {
        'v' | 's' => {
            if verb == 'v' && spec.sharp_v {
                pad(out, &go_quote(&s), spec);
            } else {
                pad(out, &s, spec)
            }
        }
        'q' => {
            let q = if spec.sharp
                && !s.contains('`')
                && s.chars().all(|c| c == '\t' || !c.is_control())
            {
                format!("`{s}`")
            } else if spec.plus {
                quote_with(&s, '"', true)
            } else {
                go_quote(&s)
            };
            pad(out, &q, spec);
        }
        'x' | 'X' => pad(out, &hex_bytes(s.as_bytes(), verb, spec), spec),
        _ => bad_verb(out, &Value::str(&s), verb, spec),
    }
}

fn hex_bytes(b: &[u8], verb: char, spec: &Spec) -> String {
    let mut r = String::new();
    for (i, byte) in b.iter().enumerate() {
        if spec.space && i > 0 {
            r.push(' ');
        }
        if spec.sharp && (spec.space || i == 0) {
            r.push_str(if verb == 'x' { "0x" } else { "0X" });
        }
        if verb == 'x' {
            r.push_str(&format!("{byte:02x}"));
        } else {
            r.push_str(&format!("{byte:02X}"));
        }
    }
    r
}

/// `%#v`: Go-syntax representation.
fn go_syntax(v: &Value, top: bool) -> String {
    match v {
        Value::Nil => {
            if top {
                "<nil>".into()
            } else {
                "interface {}(nil)".into()
            }
        }
        Value::String(s) => go_quote(s),
        Value::Float(f) => float_v(*f),
        Value::List(l, _) => {
            let items: Vec<String> = l.iter().map(|x| go_syntax(x, false)).collect();
            format!("{}{{{}}}", v.type_name(), items.join(", "))
        }
        Value::Map(m, _) => guard_cycle(m, || {
            let items: Vec<String> = m
                .borrow()
                .iter()
                .map(|(k, x)| format!("{}:{}", go_quote(k), go_syntax(x, false)))
                .collect();
            format!("{}{{{}}}", v.type_name(), items.join(", "))
        }),
        Value::Object(o) => go_syntax_object(o.as_ref(), top).unwrap_or_else(|| sprint_one(v)),
        other => sprint_one(other),
    }
}

/// `strconv.FormatFloat(f, 'x', prec, 64)`: `0x1.f4p+09`; `prec` hex
/// digits after the point, rounded half to even, or as many as needed when
/// negative. Finite `f` only.
fn hex_float(f: f64, prec: i32) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bits = f.abs().to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        exp = -1022;
    } else {
        mant |= 1 << 52;
        exp -= 1023;
    }
    if mant == 0 {
        exp = 0;
    }
    // The leading 1 at bit 60, four bits per hex digit after it.
    mant <<= 8;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let mut s = String::from(if f.is_sign_negative() { "-0x" } else { "0x" });
    s.push(if mant >> 60 & 1 == 1 { '1' } else { '0' });
    mant <<= 4;
    // `prec` digits, or (negative) until nothing is left.
    let digits = if prec < 0 {
        (64 - mant.trailing_zeros() as usize).div_ceil(4).min(16)
    } else {
        prec as usize
    };
    if digits > 0 {
        s.push('.');
    }
    for _ in 0..digits {
        s.push(HEX[(mant >> 60 & 15) as usize] as char);
        mant <<= 4;
    }
    s.push_str(&format!(
        "p{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    ));
    s
}

/// `strconv.FormatFloat(f, 'b', -1, 64)`: the mantissa as an integer and a
/// power of two, `4503599627370496p-53` for 0.5. Finite `f` only.
fn binary_float(f: f64) -> String {
    let bits = f.abs().to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    let e = if exp == 0 {
        -1074
    } else {
        mant |= 1 << 52;
        exp - 1075
    };
    let sign = if f.is_sign_negative() { "-" } else { "" };
    format!("{sign}{mant}p{}{}", if e < 0 { '-' } else { '+' }, e.abs())
}

/// An element of a list or map: an interface, which Go prints as a bare
/// `<nil>` when nil, whatever the verb, flags and width.
fn fmt_elem(out: &mut String, v: &Value, verb: char, spec: &Spec) {
    match v {
        Value::Nil => out.push_str("<nil>"),
        _ => fmt_value(out, v, verb, spec),
    }
}

fn fmt_value(out: &mut String, v: &Value, verb: char, spec: &Spec) {
    if verb == 'v' && spec.sharp_v {
        pad(out, &go_syntax(v, true), spec);
        return;
    }
    if verb == 'T' {
        pad(out, &v.type_name(), spec);
        return;
    }
    match v {
        Value::Nil => match verb {
            'v' => pad(out, "<nil>", spec),
            _ => bad_verb(out, v, verb, spec),
        },
        Value::Bool(b) => match verb {
            't' | 'v' => pad(out, if *b { "true" } else { "false" }, spec),
            _ => bad_verb(out, v, verb, spec),
        },
        Value::Int(i, _) => match verb {
            'v' | 'd' | 'b' | 'o' | 'O' | 'x' | 'X' => fmt_integer(out, *i as i128, verb, spec),
            'c' => pad(out, &rune_of(*i).to_string(), spec),
            // %+q: strconv.QuoteRuneToASCII.
            'q' => pad(
                out,
                &quote_with(&rune_of(*i).to_string(), '\'', spec.plus),
                spec,
            ),
            'U' => {
                let mut s = format!("U+{:04X}", *i);
                if spec.sharp
                    && let Some(c) = char::from_u32(*i as u32)
                    && is_go_printable(c)
                {
                    s.push_str(&format!(" '{c}'"));
                }
                pad(out, &s, spec)
            }
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 's' | 't' => bad_verb(out, v, verb, spec),
            _ => bad_verb(out, v, verb, spec),
        },
        Value::Float(f) => match verb {
            'v' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'x' | 'X' | 'b' => {
                fmt_float_spec(out, *f, verb, spec)
            }
            _ => bad_verb(out, v, verb, spec),
        },
        Value::Complex(re, im) => match verb {
            'v' if spec.prec.is_none() => pad(out, &complex_v(*re, *im), spec),
            'v' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let mut s = String::from("(");
                let plain = Spec {
                    width: None,
                    ..spec.clone()
                };
                fmt_float_spec(&mut s, *re, verb, &plain);
                let signed = Spec {
                    plus: true,
                    width: None,
                    ..spec.clone()
                };
                fmt_float_spec(&mut s, *im, verb, &signed);
                s.push_str("i)");
                pad(out, &s, spec);
            }
            _ => bad_verb(out, v, verb, spec),
        },
        Value::String(s) => fmt_string(out, s, verb, spec),
        Value::List(items, ElemTy::Byte) if matches!(verb, 's' | 'q' | 'x' | 'X') => {
            let bytes = Value::byte_list(items);
            match verb {
                's' | 'q' => fmt_string(out, &String::from_utf8_lossy(&bytes), verb, spec),
                _ => pad(out, &hex_bytes(&bytes, verb, spec), spec),
            }
        }
        Value::List(items, _) => fmt_list(out, items, verb, spec),
        Value::Map(m, _) => out.push_str(&guard_cycle(m, || {
            let mut s = String::from("map[");
            for (i, (k, val)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                fmt_string(&mut s, k, verb, spec);
                s.push(':');
                fmt_elem(&mut s, val, verb, spec);
            }
            s.push(']');
            s
        })),
        Value::Object(o) => fmt_object(out, v, o.as_ref(), verb, spec),
    }
}

/// A slice: `[a b c]`, each element formatted with the verb.
fn fmt_list(out: &mut String, items: &[Value], verb: char, spec: &Spec) {
    out.push('[');
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        fmt_elem(out, it, verb, spec);
    }
    out.push(']');
}

/// A Go struct or named slice held as an object: fmt walks its fields or
/// elements with the verb, as for any struct or slice; a pointer to one is
/// printed with `&` at the top level. Other objects print their `%v` form.
fn fmt_object(out: &mut String, v: &Value, o: &dyn Object, verb: char, spec: &Spec) {
    if let Some(fields) = o.struct_fields() {
        if o.kind_name() == "ptr" {
            out.push('&');
        }
        out.push('{');
        for (i, (name, f)) in fields.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            if spec.plus_v {
                out.push_str(name);
                out.push(':');
            }
            fmt_elem(out, f, verb, spec);
        }
        out.push('}');
        return;
    }
    if o.kind_name() == "slice"
        && o.materialize().is_none()
        && let Some(items) = o.elements()
    {
        fmt_list(out, &items, verb, spec);
        return;
    }
    match verb {
        'v' | 's' => pad(out, &o.format(), spec),
        _ => bad_verb(out, v, verb, spec),
    }
}

/// `%#v` of a struct or named slice held as an object.
fn go_syntax_object(o: &dyn Object, top: bool) -> Option<String> {
    let name = o.type_name();
    if let Some(fields) = o.struct_fields() {
        let items: Vec<String> = fields
            .iter()
            .map(|(n, f)| format!("{n}:{}", go_syntax(f, false)))
            .collect();
        let body = format!("{}{{{}}}", name.trim_start_matches('*'), items.join(", "));
        return Some(if o.kind_name() == "ptr" && top {
            format!("&{body}")
        } else {
            body
        });
    }
    if o.kind_name() == "slice" && o.materialize().is_none() {
        let items: Vec<String> = o.elements()?.iter().map(|x| go_syntax(x, false)).collect();
        return Some(format!("{name}{{{}}}", items.join(", ")));
    }
    None
}

/// `fmt.Sprintf` with Go's verbs, flags, width, precision, `*` and `[n]`
/// argument indexes, and its error annotations (`%!d(string=x)`,
/// `%!d(MISSING)`, `%!(EXTRA ...)`).
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let b: Vec<char> = format.chars().collect();
    let mut i = 0;
    let mut argi = 0;
    let mut reordered = false;
    let mut good_arg_num = true;
    while i < b.len() {
        if b[i] != '%' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        let mut spec = Spec::default();
        // Flags.
        while i < b.len() {
            match b[i] {
                '-' => {
                    spec.minus = true;
                    spec.zero = false;
                }
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = !spec.minus,
                _ => break,
            }
            i += 1;
        }
        // Argument index, width.
        let parse_index =
            |i: &mut usize, argi: &mut usize, reordered: &mut bool, good: &mut bool| {
                if *i < b.len() && b[*i] == '[' {
                    *reordered = true;
                    let start = *i + 1;
                    let mut j = start;
                    while j < b.len() && b[j] != ']' {
                        j += 1;
                    }
                    if j >= b.len() {
                        *good = false;
                        *i = b.len();
                        return;
                    }
                    let s: String = b[start..j].iter().collect();
                    match s.parse::<usize>() {
                        Ok(n) if n >= 1 && n <= args.len() => {
                            *argi = n - 1;
                        }
                        _ => *good = false,
                    }
                    *i = j + 1;
                }
            };
        parse_index(&mut i, &mut argi, &mut reordered, &mut good_arg_num);
        if i < b.len() && b[i] == '*' {
            i += 1;
            match args.get(argi) {
                Some(Value::Int(n, _)) => {
                    let n = *n;
                    if n < 0 {
                        spec.minus = true;
                        spec.zero = false;
                    }
                    if n.unsigned_abs() > 1_000_000 {
                        out.push_str("%!(BADWIDTH)");
                    } else {
                        spec.width = Some(n.unsigned_abs() as usize);
                    }
                }
                _ => out.push_str("%!(BADWIDTH)"),
            }
            argi += 1;
        } else {
            let (n, next) = parsenum(&b, i);
            i = next;
            if n.is_some() {
                spec.width = n;
            }
        }
        if i < b.len() && b[i] == '.' {
            i += 1;
            parse_index(&mut i, &mut argi, &mut reordered, &mut good_arg_num);
            if i < b.len() && b[i] == '*' {
                i += 1;
                match args.get(argi) {
                    Some(Value::Int(n, _)) if *n >= 0 && *n <= 1_000_000 => {
                        spec.prec = Some(*n as usize)
                    }
                    _ => out.push_str("%!(BADPREC)"),
                }
                argi += 1;
            } else {
                let (n, next) = parsenum(&b, i);
                i = next;
                spec.prec = Some(n.unwrap_or(0));
            }
        }
        parse_index(&mut i, &mut argi, &mut reordered, &mut good_arg_num);
        if i >= b.len() {
            out.push_str("%!(NOVERB)");
            break;
        }
        let verb = b[i];
        i += 1;
        if verb == '%' {
            out.push('%');
            continue;
        }
        if !good_arg_num {
            out.push_str(&format!("%!{verb}(BADINDEX)"));
            good_arg_num = true;
            continue;
        }
        let Some(arg) = args.get(argi) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        argi += 1;
        if verb == 'w' {
            bad_verb(&mut out, arg, verb, &spec);
            continue;
        }
        if verb == 'v' && spec.plus {
            spec.plus = false;
            spec.plus_v = true;
        }
        if verb == 'v' && spec.sharp {
            spec.sharp = false;
            spec.sharp_v = true;
        }
        fmt_value(&mut out, arg, verb, &spec);
    }
    if !reordered && argi < args.len() {
        out.push_str("%!(EXTRA ");
        for (k, a) in args[argi..].iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            match a {
                Value::Nil => out.push_str("<nil>"),
                _ => {
                    out.push_str(&a.type_name());
                    out.push('=');
                    out.push_str(&sprint_one(a));
                }
            }
        }
        out.push(')');
    }
    out
}
