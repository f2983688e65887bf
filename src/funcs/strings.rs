//! Sprig's string functions: trimming, case conversion, quoting, indenting,
//! splitting and joining, `substr`, `trunc`, `abbrev`, `wrap`, `plural`,
//! random strings.
//!
//! Sprig delegates most of these to Go's `strings`, Masterminds/goutils and
//! huandu/xstrings, each with its own quirks that charts can observe: several
//! goutils functions walk bytes rather than runes (`initials`, `nospace`,
//! `abbrev`), Go's case mappings are the simple one-rune ones, and
//! `camelcase` is xstrings' `ToPascalCase`. Go strings may hold invalid
//! UTF-8 after a byte-based cut; ours cannot, so such bytes become U+FFFD.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::convert;
use super::unicode::{
    go_is_digit, go_is_letter, go_is_lower, go_is_space, go_is_title, go_is_upper, go_to_lower,
    go_to_title, go_to_upper, latin1_is_space,
};
use super::util::plain;
use super::xstrings::{to_lower_words, to_pascal_case};
use crate::go::fmt as gofmt;
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::FuncMap;
use crate::value::{ElemTy, MapTy, Sig, Ty, Value};

const S1: Sig = Sig::new(&[Ty::String], None);
const S2: Sig = Sig::new(&[Ty::String, Ty::String], None);
const S3: Sig = Sig::new(&[Ty::String, Ty::String, Ty::String], None);
const I1: Sig = Sig::new(&[Ty::Int], None);
const IS: Sig = Sig::new(&[Ty::Int, Ty::String], None);
const IIS: Sig = Sig::new(&[Ty::Int, Ty::Int, Ty::String], None);
const ISS: Sig = Sig::new(&[Ty::Int, Ty::String, Ty::String], None);
const SSI: Sig = Sig::new(&[Ty::String, Ty::String, Ty::Int], None);
const SIS: Sig = Sig::new(&[Ty::String, Ty::Int, Ty::String], None);
const SA: Sig = Sig::new(&[Ty::String, Ty::Any], None);
const A1: Sig = Sig::new(&[Ty::Any], None);
const ANYV: Sig = Sig::new(&[], Some(Ty::Any));
const NONE: Sig = Sig::new(&[], None);

type Res = Result<Value, FuncErr>;

pub fn register(m: &mut FuncMap) {
    m.insert("hello", plain(&NONE, |_, _| Ok(Value::str("Hello!"))));
    m.insert("abbrev", plain(&IS, abbrev));
    m.insert("abbrevboth", plain(&IIS, abbrevboth));
    m.insert("trunc", plain(&IS, trunc));
    m.insert("substr", plain(&IIS, substr));
    m.insert(
        "repeat",
        plain(&IS, |_, a| text(go_repeat(s(a, 1), int(a, 0))?)),
    );
    m.insert(
        "indent",
        plain(&IS, |_, a| text(indent(int(a, 0), s(a, 1))?)),
    );
    m.insert(
        "nindent",
        plain(&IS, |_, a| {
            text(format!("\n{}", indent(int(a, 0), s(a, 1))?))
        }),
    );
    m.insert("replace", plain(&S3, replace));
    m.insert("plural", plain(&SSI, plural));
    register_trim_and_case(m);
    register_tests_and_quotes(m);
    register_split_join(m);
    register_random(m);
}

fn register_trim_and_case(m: &mut FuncMap) {
    m.insert(
        "trim",
        plain(&S1, |_, a| {
            str1(a, |x| x.trim_matches(go_is_space).to_string())
        }),
    );
    m.insert("trimAll", plain(&S2, trim_all));
    m.insert("trimall", plain(&S2, trim_all));
    m.insert(
        "trimPrefix",
        plain(&S2, |_, a| {
            text(s(a, 1).strip_prefix(s(a, 0)).unwrap_or(s(a, 1)).to_string())
        }),
    );
    m.insert(
        "trimSuffix",
        plain(&S2, |_, a| {
            text(s(a, 1).strip_suffix(s(a, 0)).unwrap_or(s(a, 1)).to_string())
        }),
    );
    m.insert(
        "upper",
        plain(&S1, |_, a| {
            str1(a, |x| x.chars().map(go_to_upper).collect())
        }),
    );
    m.insert(
        "lower",
        plain(&S1, |_, a| {
            str1(a, |x| x.chars().map(go_to_lower).collect())
        }),
    );
    m.insert("title", plain(&S1, |_, a| str1(a, title)));
    m.insert("untitle", plain(&S1, |_, a| str1(a, untitle)));
    m.insert("nospace", plain(&S1, |_, a| str1(a, nospace)));
    m.insert("initials", plain(&S1, |_, a| str1(a, initials)));
    m.insert("swapcase", plain(&S1, |_, a| str1(a, swapcase)));
    m.insert(
        "snakecase",
        plain(&S1, |_, a| str1(a, |x| to_lower_words(x, '_'))),
    );
    m.insert(
        "kebabcase",
        plain(&S1, |_, a| str1(a, |x| to_lower_words(x, '-'))),
    );
    m.insert("camelcase", plain(&S1, |_, a| str1(a, to_pascal_case)));
    m.insert(
        "wrap",
        plain(&IS, |_, a| text(wrap_custom(s(a, 1), int(a, 0), "", false))),
    );
    m.insert(
        "wrapWith",
        plain(&ISS, |_, a| {
            text(wrap_custom(s(a, 2), int(a, 0), s(a, 1), true))
        }),
    );
}

fn register_tests_and_quotes(m: &mut FuncMap) {
    m.insert(
        "contains",
        plain(&S2, |_, a| Ok(Value::Bool(s(a, 1).contains(s(a, 0))))),
    );
    m.insert(
        "hasPrefix",
        plain(&S2, |_, a| Ok(Value::Bool(s(a, 1).starts_with(s(a, 0))))),
    );
    m.insert(
        "hasSuffix",
        plain(&S2, |_, a| Ok(Value::Bool(s(a, 1).ends_with(s(a, 0))))),
    );
    m.insert("quote", plain(&ANYV, quote));
    m.insert("squote", plain(&ANYV, squote));
    m.insert("cat", plain(&ANYV, cat));
}

fn register_split_join(m: &mut FuncMap) {
    m.insert(
        "split",
        plain(&S2, |_, a| Ok(parts_map(go_split(s(a, 1), s(a, 0), -1)))),
    );
    m.insert(
        "splitn",
        plain(&SIS, |_, a| {
            Ok(parts_map(go_split(s(a, 2), s(a, 0), int(a, 1))))
        }),
    );
    m.insert(
        "splitList",
        plain(&S2, |_, a| {
            let parts = go_split(s(a, 1), s(a, 0), -1);
            Ok(str_list(parts.into_iter().map(str::to_string).collect()))
        }),
    );
    m.insert("join", plain(&SA, join));
    m.insert("sortAlpha", plain(&A1, sort_alpha));
}

fn register_random(m: &mut FuncMap) {
    m.insert(
        "randAlpha",
        plain(&I1, |_, a| rand_string(int(a, 0), Charset::Alpha)),
    );
    m.insert(
        "randAlphaNum",
        plain(&I1, |_, a| rand_string(int(a, 0), Charset::AlphaNum)),
    );
    m.insert(
        "randAscii",
        plain(&I1, |_, a| rand_string(int(a, 0), Charset::Ascii)),
    );
    m.insert(
        "randNumeric",
        plain(&I1, |_, a| rand_string(int(a, 0), Charset::Numeric)),
    );
    m.insert("shuffle", plain(&S1, shuffle));
}

// ---- argument access: the executor has already converted arguments to the
// declared Go types, so these only guard against a short slice.

fn s(a: &[Value], i: usize) -> &str {
    a.get(i).and_then(Value::as_str).unwrap_or_default()
}

fn int(a: &[Value], i: usize) -> i64 {
    match a.get(i) {
        Some(Value::Int(n, _)) => *n,
        _ => 0,
    }
}

fn text(s: String) -> Res {
    Ok(Value::string(s))
}

fn str1(a: &[Value], f: impl Fn(&str) -> String) -> Res {
    text(f(s(a, 0)))
}

fn str_list(v: Vec<String>) -> Value {
    Value::List(
        Rc::new(v.into_iter().map(Value::string).collect()),
        ElemTy::String,
    )
}

/// A byte string cut the way Go cuts it, made valid UTF-8 again. Each
/// invalid byte becomes one U+FFFD, as Go's `encoding/json` and
/// `strings.ToValidUTF8`-style decoders count them, not one per sequence.
fn from_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    for chunk in b.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(chunk.invalid().iter().map(|_| char::REPLACEMENT_CHARACTER));
    }
    out
}

// ---- allocation limits

/// Go's `maxAlloc` on 64-bit Linux: larger `make`s panic.
const GO_MAX_ALLOC: u128 = 1 << 48;
/// Results Go would build but we refuse: no chart needs a string this big,
/// and building it could exhaust memory.
const OUTPUT_LIMIT: u128 = 256 << 20;

/// Check an allocation of `bytes` the way Go's `makeslice` would, plus our
/// own limit below Go's.
fn check_alloc(bytes: u128, what: &str) -> Result<(), FuncErr> {
    if bytes > GO_MAX_ALLOC {
        return Err(FuncErr::msg("runtime error: makeslice: len out of range"));
    }
    if bytes > OUTPUT_LIMIT {
        return Err(FuncErr::msg(format!(
            "{what}: result of {bytes} bytes exceeds pchart's limit of {OUTPUT_LIMIT} bytes"
        )));
    }
    Ok(())
}

// ---- Go's strings package

/// `strings.Repeat`, with its panics.
fn go_repeat(s: &str, count: i64) -> Result<String, FuncErr> {
    match count {
        0 => return Ok(String::new()),
        1 => return Ok(s.to_string()),
        _ => {}
    }
    if count < 0 {
        return Err(FuncErr::msg("strings: negative Repeat count"));
    }
    let n = s.len() as u128 * count as u128;
    if n > i64::MAX as u128 {
        return Err(FuncErr::msg("strings: Repeat output length overflow"));
    }
    if s.is_empty() {
        return Ok(String::new());
    }
    check_alloc(n, "strings.Repeat")?;
    Ok(s.repeat(count as usize))
}

/// `strings.Split`/`SplitN`: `n < 0` means all parts, `n == 0` none, and an
/// empty separator splits after each UTF-8 sequence.
fn go_split<'a>(s: &'a str, sep: &str, n: i64) -> Vec<&'a str> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let mut parts: Vec<&str> = Vec::new();
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            if n > 0 && parts.len() as i64 == n - 1 {
                break;
            }
            let (head, tail) = rest.split_at(c.len_utf8());
            parts.push(head);
            rest = tail;
        }
        if !rest.is_empty() {
            parts.push(rest);
        }
        return parts;
    }
    if n < 0 {
        s.split(sep).collect()
    } else {
        s.splitn(usize::try_from(n).unwrap_or(usize::MAX), sep)
            .collect()
    }
}

/// Sprig's `split` result: `map[string]string` keyed `_0`, `_1`, ...
fn parts_map(parts: Vec<&str>) -> Value {
    let m: BTreeMap<String, Value> = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("_{i}"), Value::str(p)))
        .collect();
    Value::typed_map(m, MapTy::String)
}

/// `strings.Trim(s, cutset)`.
fn trim_all(_: &mut State, a: &[Value]) -> Res {
    let (cutset, x) = (s(a, 0), s(a, 1));
    text(x.trim_matches(|c| cutset.contains(c)).to_string())
}

/// Sprig's `replace old new src` (`strings.Replace` with n = -1).
fn replace(_: &mut State, a: &[Value]) -> Res {
    let (old, new, src) = (s(a, 0), s(a, 1), s(a, 2));
    if old == new {
        return text(src.to_string());
    }
    // An empty `old` matches before every rune and at the end.
    let n = if old.is_empty() {
        src.chars().count() + 1
    } else {
        src.matches(old).count()
    };
    let size = src.len() as u128 + n as u128 * new.len() as u128;
    check_alloc(
        size.saturating_sub(n as u128 * old.len() as u128),
        "strings.Replace",
    )?;
    text(src.replace(old, new))
}

/// Sprig's `indent`: pad every line, including the first.
fn indent(spaces: i64, v: &str) -> Result<String, FuncErr> {
    let pad = go_repeat(" ", spaces)?;
    let lines = v.matches('\n').count() as u128 + 1;
    check_alloc(v.len() as u128 + lines * pad.len() as u128, "indent")?;
    Ok(format!("{pad}{}", v.replace('\n', &format!("\n{pad}"))))
}

/// Go's deprecated `strings.Title`: upper-case (title-case) the first letter
/// of every word, where only spaces and ASCII non-alphanumerics separate
/// words.
fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let sep = title_separator(prev);
            prev = c;
            if sep { go_to_title(c) } else { c }
        })
        .collect()
}

fn title_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if go_is_letter(c) || go_is_digit(c) {
        return false;
    }
    go_is_space(c)
}

// ---- Sprig's own string helpers

fn abbrev(_: &mut State, a: &[Value]) -> Res {
    let (width, x) = (int(a, 0), s(a, 1));
    if width < 4 {
        return text(x.to_string());
    }
    text(abbreviate_full(x.as_bytes(), 0, width).unwrap_or_default())
}

fn abbrevboth(_: &mut State, a: &[Value]) -> Res {
    let (left, right, x) = (int(a, 0), int(a, 1), s(a, 2));
    if right < 4 || left > 0 && right < 7 {
        return text(x.to_string());
    }
    text(abbreviate_full(x.as_bytes(), left, right).unwrap_or_default())
}

/// goutils' `AbbreviateFull`: byte-based, `None` where it returns an error
/// (Sprig then uses the empty string).
fn abbreviate_full(b: &[u8], offset: i64, max: i64) -> Option<String> {
    const MARK: &str = "...";
    if b.is_empty() {
        return Some(String::new());
    }
    if max < 4 {
        return None;
    }
    let len = b.len() as i64;
    if len <= max {
        return Some(from_bytes(b));
    }
    let keep = max - 3;
    let mut offset = offset.min(len);
    if len.wrapping_sub(offset) < keep {
        offset = len - keep;
    }
    if offset <= 4 {
        return Some(from_bytes(b.get(..keep as usize)?) + MARK);
    }
    if max < 7 {
        return None;
    }
    if offset.wrapping_add(keep) < len {
        let rest = abbreviate_full(b.get(offset as usize..)?, 0, keep).unwrap_or_default();
        return Some(format!("{MARK}{rest}"));
    }
    Some(format!(
        "{MARK}{}",
        from_bytes(b.get((len - keep) as usize..)?)
    ))
}

/// Sprig's `trunc`: keep the first `c` bytes, or the last `-c`.
fn trunc(_: &mut State, a: &[Value]) -> Res {
    let (c, x) = (int(a, 0), s(a, 1));
    let b = x.as_bytes();
    let len = b.len() as i64;
    let cut = if c < 0 && len + c > 0 {
        b.get((len + c) as usize..)
    } else if c >= 0 && len > c {
        b.get(..c as usize)
    } else {
        None
    };
    text(cut.map_or_else(|| x.to_string(), from_bytes))
}

/// Sprig's `substr`: Go byte slicing, whose out-of-range panics surface as
/// errors.
fn substr(_: &mut State, a: &[Value]) -> Res {
    let (start, end, x) = (int(a, 0), int(a, 1), s(a, 2));
    let b = x.as_bytes();
    let len = b.len() as i64;
    let oob = |m: String| {
        Err(FuncErr::msg(format!(
            "runtime error: slice bounds out of range {m}"
        )))
    };
    if start < 0 {
        if end < 0 {
            return oob(format!("[:{end}]"));
        }
        if end > len {
            return oob(format!("[:{end}] with length {len}"));
        }
        return text(from_bytes(&b[..end as usize]));
    }
    if end < 0 || end > len {
        if start > len {
            return oob(format!("[{start}:{len}]"));
        }
        return text(from_bytes(&b[start as usize..]));
    }
    if start > end {
        return oob(format!("[{start}:{end}]"));
    }
    text(from_bytes(&b[start as usize..end as usize]))
}

fn plural(_: &mut State, a: &[Value]) -> Res {
    let pick = if int(a, 2) == 1 { 0 } else { 1 };
    text(s(a, pick).to_string())
}

/// goutils' `Uncapitalize`: lower-case the first rune of each
/// whitespace-separated word.
fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if go_is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                go_to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils' `DeleteWhiteSpace`, which walks bytes: when anything is removed,
/// every other byte is re-encoded as the Latin-1 rune of its value.
fn nospace(s: &str) -> String {
    if !s.bytes().any(latin1_is_space) {
        return s.to_string();
    }
    s.bytes()
        .filter(|b| !latin1_is_space(*b))
        .map(char::from)
        .collect()
}

/// goutils' `Initials`, which also walks bytes: the initial of a multi-byte
/// letter is its first byte as a Latin-1 rune.
fn initials(s: &str) -> String {
    let mut gap = true;
    let mut out = String::new();
    for b in s.bytes() {
        if latin1_is_space(b) {
            gap = true;
        } else if gap {
            out.push(char::from(b));
            gap = false;
        }
    }
    out
}

/// goutils' `SwapCase`: upper and title case become lower case; lower case
/// becomes title case at the start of a word and upper case elsewhere.
fn swapcase(s: &str) -> String {
    let mut word_start = true;
    s.chars()
        .map(|c| {
            if go_is_upper(c) || go_is_title(c) {
                word_start = false;
                go_to_lower(c)
            } else if go_is_lower(c) {
                let out = if word_start {
                    go_to_title(c)
                } else {
                    go_to_upper(c)
                };
                word_start = false;
                out
            } else {
                word_start = go_is_space(c);
                c
            }
        })
        .collect()
}

/// goutils' `WrapCustom` (byte-based): break lines at spaces so that they
/// fit in `width` bytes; long words are cut only when `wrap_long`.
fn wrap_custom(s: &str, width: i64, newline: &str, wrap_long: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let nl = if newline.is_empty() { "\n" } else { newline }.as_bytes();
    let b = s.as_bytes();
    let len = b.len();
    // Inside the loop width < len - offset, so the casts and slices hold.
    let width = width.max(1);
    let mut out: Vec<u8> = Vec::with_capacity(len);
    let mut offset = 0usize;
    while ((len - offset) as i64) > width {
        let w = width as usize;
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        if let Some(i) = b[offset..offset + w + 1].iter().rposition(|&c| c == b' ') {
            out.extend_from_slice(&b[offset..offset + i]);
            out.extend_from_slice(nl);
            offset += i + 1;
        } else if wrap_long {
            out.extend_from_slice(&b[offset..offset + w]);
            out.extend_from_slice(nl);
            offset += w;
        } else {
            let end = offset + w;
            match b[end..].iter().position(|&c| c == b' ') {
                Some(i) => {
                    out.extend_from_slice(&b[offset..end + i]);
                    out.extend_from_slice(nl);
                    offset = end + i + 1;
                }
                None => {
                    out.extend_from_slice(&b[offset..]);
                    offset = len;
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    from_bytes(&out)
}

// ---- quoting and concatenation of arbitrary values

/// Sprig's `strval`: `[]byte` as text, everything else as `convert::strval`.
fn strval(v: &Value) -> String {
    match v {
        Value::List(l, ElemTy::Byte) => from_bytes(&Value::byte_list(l)),
        other => convert::strval(other),
    }
}

/// Sprig's `quote`: each non-nil argument as a Go `%q` string.
fn quote(_: &mut State, a: &[Value]) -> Res {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| gofmt::go_quote(&strval(v)))
        .collect();
    text(parts.join(" "))
}

/// Sprig's `squote`: `'%v'` for each non-nil argument, no escaping.
fn squote(_: &mut State, a: &[Value]) -> Res {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| format!("'{}'", gofmt::sprint_one(v)))
        .collect();
    text(parts.join(" "))
}

/// Sprig's `cat`: the non-nil arguments' `%v`, space separated.
fn cat(_: &mut State, a: &[Value]) -> Res {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !v.is_nil())
        .map(gofmt::sprint_one)
        .collect();
    text(parts.join(" "))
}

// ---- string slices

/// Sprig's `strslice`: a list's non-nil elements as strings, nil as no
/// strings, any other value as one string.
fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l, _) => l.iter().filter(|e| !e.is_nil()).map(strval).collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

fn join(_: &mut State, a: &[Value]) -> Res {
    let parts = a.get(1).map(strslice).unwrap_or_default();
    text(parts.join(s(a, 0)))
}

/// Sprig's `sortAlpha`: lists are sorted as strings (byte order); anything
/// else, nil included, becomes a one-element list of its `strval`.
fn sort_alpha(_: &mut State, a: &[Value]) -> Res {
    let v = a.first().unwrap_or(&Value::Nil);
    let mut out = match v {
        Value::List(..) => strslice(v),
        other => vec![strval(other)],
    };
    out.sort_unstable();
    Ok(str_list(out))
}

// ---- randomness

/// Bytes from the operating system's CSPRNG, drawn in batches.
struct Rng {
    buf: [u8; 256],
    pos: usize,
}

impl Rng {
    fn new() -> Rng {
        Rng {
            buf: [0; 256],
            pos: 256,
        }
    }

    fn byte(&mut self) -> Result<u8, FuncErr> {
        if self.pos >= self.buf.len() {
            getrandom::fill(&mut self.buf).map_err(|e| FuncErr::msg(e.to_string()))?;
            self.pos = 0;
        }
        let b = self.buf.get(self.pos).copied().unwrap_or_default();
        self.pos += 1;
        Ok(b)
    }

    /// Uniform in `0..n` by rejection sampling (`n` at most 256).
    fn below(&mut self, n: usize) -> Result<usize, FuncErr> {
        let limit = 256 - 256 % n;
        loop {
            let b = usize::from(self.byte()?);
            if b < limit {
                return Ok(b % n);
            }
        }
    }

    /// Uniform in `0..n` for any `n`, from 64-bit draws.
    fn below_u64(&mut self, n: u64) -> Result<u64, FuncErr> {
        let limit = u64::MAX - u64::MAX % n;
        loop {
            let mut x = 0u64;
            for _ in 0..8 {
                x = x << 8 | u64::from(self.byte()?);
            }
            if x < limit {
                return Ok(x % n);
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Charset {
    Alpha,
    AlphaNum,
    Ascii,
    Numeric,
}

impl Charset {
    fn chars(self) -> Vec<u8> {
        let ok: fn(&u8) -> bool = match self {
            Charset::Alpha => u8::is_ascii_alphabetic,
            Charset::AlphaNum => u8::is_ascii_alphanumeric,
            Charset::Ascii => |b| (32..127).contains(b),
            Charset::Numeric => u8::is_ascii_digit,
        };
        (32u8..127).filter(ok).collect()
    }
}

/// goutils' `CryptoRandom*`: `count` characters drawn uniformly from the
/// set; a negative count is an error Sprig drops, leaving "".
fn rand_string(count: i64, set: Charset) -> Res {
    if count <= 0 {
        return text(String::new());
    }
    // Go first makes a []rune of `count` (4 bytes each).
    check_alloc(count as u128 * 4, "random string")?;
    let chars = set.chars();
    let mut rng = Rng::new();
    let mut out = String::with_capacity(count as usize);
    for _ in 0..count {
        out.push(char::from(chars[rng.below(chars.len())?]));
    }
    text(out)
}

/// xstrings' `Shuffle`: a Fisher-Yates shuffle of the runes.
fn shuffle(_: &mut State, a: &[Value]) -> Res {
    let mut runes: Vec<char> = s(a, 0).chars().collect();
    let mut rng = Rng::new();
    for i in (1..runes.len()).rev() {
        let j = rng.below_u64(i as u64 + 1)? as usize;
        runes.swap(i, j);
    }
    text(runes.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_go() {
        assert_eq!(go_split("a,b,c", ",", 2), vec!["a", "b,c"]);
        assert_eq!(go_split("abc", "", 2), vec!["a", "bc"]);
        assert!(go_split("", "", -1).is_empty());
        assert_eq!(go_split("", ",", -1), vec![""]);
    }

    #[test]
    fn limits_are_errors() {
        assert!(go_repeat("ab", 1 << 40).is_err());
        assert!(rand_string(1 << 40, Charset::Alpha).is_err());
        assert!(indent(1 << 30, "x").is_err());
    }
}
