//! Helm's `--set`, `--set-string`, `--set-json`, `--set-file` and
//! `--set-literal` expressions (Helm's pkg/strvals).
//!
//! The grammar is Helm's, quirks included: `name.sub[0]=value` paths, `,`
//! between assignments, `\` escapes, `{a,b}` lists, typed values (`true`,
//! `null`, int64), sparse lists padded with nil, and Helm's exact error
//! texts. Some errors count as a clean end of input, exactly as in Helm,
//! because they wrap `io.EOF` (`a[1` and `a[0]` are accepted).
//!
//! Helm's parser is recursive and mutates Go maps and slices in place. This
//! one is an explicit-stack machine (no recursion, so any input depth is
//! safe): each step detaches the container it descends into and the unwind
//! puts it back with the same observable effect as Go's aliasing.

use std::rc::Rc;

use crate::go::fmt::{go_quote, go_quote_rune};
use crate::value::{ElemTy, Map, MapTy, Value};

/// Largest list index an expression may set (Helm's `MaxIndex`).
pub const MAX_INDEX: i64 = 65536;
/// Deepest `a.b.c` nesting allowed (Helm's `MaxNestedNameLevel`).
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// Which flag an expression came from; decides how values are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetKind {
    /// `--set`: `true`/`false`/`null`, int64, else string.
    Typed,
    /// `--set-string`: always strings.
    String,
    /// `--set-json`: each value is one JSON document (numbers are float64).
    Json,
    /// `--set-literal`: everything after the first `=` is the string value.
    Literal,
    /// `--set-file`: each value is a path; the file's content is the value.
    File,
}

impl SetKind {
    /// The command-line flag, for messages.
    pub fn flag(self) -> &'static str {
        match self {
            SetKind::Typed => "--set",
            SetKind::String => "--set-string",
            SetKind::Json => "--set-json",
            SetKind::Literal => "--set-literal",
            SetKind::File => "--set-file",
        }
    }
}

/// Reads a `--set-file` path; `Err` carries the message shown to the user.
pub type FileReader<'a> = dyn FnMut(&str) -> Result<String, String> + 'a;

/// Parse `expr` into the map `dest` (a non-map `dest` is replaced by an
/// empty map first). `--set-file` paths are read with [`read_file`].
pub fn parse_set(expr: &str, dest: &mut Value, kind: SetKind) -> Result<(), String> {
    parse_set_with(expr, dest, kind, &mut read_file)
}

/// [`parse_set`] with a custom `--set-file` reader.
pub fn parse_set_with(
    expr: &str,
    dest: &mut Value,
    kind: SetKind,
    read: &mut FileReader<'_>,
) -> Result<(), String> {
    let (mut map, ty) = match std::mem::replace(dest, Value::Nil) {
        Value::Map(m, t) => (unwrap_map(m), t),
        _ => (Map::new(), MapTy::Iface),
    };
    let r = parse_into(expr, &mut map, kind, read);
    *dest = Value::typed_map(map, ty);
    r
}

/// Parse `expr` into `dest`, Helm's `ParseInto` family. On error `dest`
/// may hold part of the assignments, as in Helm (callers discard it).
pub fn parse_into(
    expr: &str,
    dest: &mut Map,
    kind: SetKind,
    read: &mut FileReader<'_>,
) -> Result<(), String> {
    let mut p = Parser {
        s: expr,
        pos: 0,
        last_len: 0,
        kind,
        read,
    };
    let mut root = std::mem::take(dest);
    let r = loop {
        let (m, r) = p.run_key(root);
        root = m;
        match r {
            Ok(()) => continue,
            Err(f) if f.eof => break Ok(()),
            Err(f) => break Err(f.msg),
        }
    };
    *dest = root;
    r
}

/// Go's `os.ReadFile` with Go's error texts (`open x: no such file or
/// directory`, `read x: is a directory`); `-` reads standard input, as
/// Helm's `--set-file` does.
pub fn read_file(path: &str) -> Result<String, String> {
    use crate::input::{InputError, read_file as read_input, read_stdin};
    let buf = if path.trim() == "-" {
        read_stdin().map_err(|e| match e {
            InputError::Io(e) => format!("read /dev/stdin: {}", go_errno_text(&e)),
            InputError::Refused(m) => format!("read /dev/stdin: {m}"),
        })?
    } else {
        read_input(std::path::Path::new(path)).map_err(|e| match e {
            InputError::Io(e) => format!("open {path}: {}", go_errno_text(&e)),
            InputError::Refused(m) => format!("read {path}: {m}"),
        })?
    };
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Go's lower-case errno text from a Rust I/O error ("No such file or
/// directory (os error 2)" becomes "no such file or directory").
fn go_errno_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = match s.rfind(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    };
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => s,
    }
}

fn unwrap_rc<T: Clone>(rc: Rc<T>) -> T {
    Rc::try_unwrap(rc).unwrap_or_else(|rc| (*rc).clone())
}

/// The entries of a shared map, without copying when this is the only
/// reference.
fn unwrap_map(rc: crate::value::MapRef) -> Map {
    match Rc::try_unwrap(rc) {
        Ok(cell) => cell.into_inner(),
        Err(rc) => rc.borrow().clone(),
    }
}

fn map_val(m: Map) -> Value {
    Value::map(m)
}

fn list_val(l: Vec<Value>) -> Value {
    Value::List(Rc::new(l), ElemTy::Iface)
}

/// An error on its way up; `eof` marks errors that wrap `io.EOF`, which
/// Helm's top-level loop treats as a clean end of input.
struct Fail {
    msg: String,
    eof: bool,
}

impl Fail {
    fn new(msg: String) -> Fail {
        Fail { msg, eof: false }
    }
    fn eof(msg: &str) -> Fail {
        Fail {
            msg: msg.to_string(),
            eof: true,
        }
    }
}

type Res = Result<(), Fail>;

/// The recovered panic of a failed Go type assertion.
fn assertion_panic(v: &Value, want: &str) -> Fail {
    let have = match v {
        Value::Nil => "nil".to_string(),
        _ => v.type_name(),
    };
    Fail::new(format!(
        "unable to parse key: interface conversion: interface {{}} is {have}, not {want}"
    ))
}

/// Helm's `setIndex`: pads with nil, refuses negative and huge indexes.
fn set_index(list: &mut Vec<Value>, index: i64, val: Value) -> Res {
    if index < 0 {
        return Err(Fail::new(format!("negative {index} index not allowed")));
    }
    if index > MAX_INDEX {
        return Err(Fail::new(format!(
            "index of {index} is greater than maximum supported index of {MAX_INDEX}"
        )));
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Value::Nil);
    }
    if let Some(slot) = list.get_mut(i) {
        *slot = val;
    }
    Ok(())
}

/// Helm's `set`: empty keys are dropped.
fn set(data: &mut Map, key: String, val: Value) {
    if !key.is_empty() {
        data.insert(key, val);
    }
}

/// Go's `strings.EqualFold` against a lower-case ASCII word (Unicode simple
/// folding: `ſ` matches `s`, the Kelvin sign matches `k`).
fn eq_fold(s: &str, word: &str) -> bool {
    let mut cs = s.chars();
    for w in word.chars() {
        match cs.next() {
            Some(c) if c.eq_ignore_ascii_case(&w) => {}
            Some('\u{17f}') if w == 's' => {}
            Some('\u{212a}') if w == 'k' => {}
            _ => return false,
        }
    }
    cs.next().is_none()
}

/// Helm's `typedVal` for `--set`.
fn typed_val(s: String) -> Value {
    if eq_fold(&s, "true") {
        return Value::Bool(true);
    }
    if eq_fold(&s, "false") {
        return Value::Bool(false);
    }
    if eq_fold(&s, "null") {
        return Value::Nil;
    }
    if s == "0" {
        return Value::int64(0);
    }
    // Go's strconv.ParseInt(s, 10, 64) has the same grammar as Rust's
    // i64 parser: one optional sign, then ASCII digits.
    if !s.is_empty()
        && !s.starts_with('0')
        && let Ok(i) = s.parse::<i64>()
    {
        return Value::int64(i);
    }
    Value::string(s)
}

/// Go's `strconv.Atoi` on a 64-bit platform, with its error texts.
fn atoi(s: &str) -> Result<i64, String> {
    let syntax = || format!("strconv.Atoi: parsing {}: invalid syntax", go_quote(s));
    let range = || format!("strconv.Atoi: parsing {}: value out of range", go_quote(s));
    let b = s.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() {
        return Err(syntax());
    }
    // Fewer than 19 bytes cannot overflow; Go's fast path. Longer inputs
    // go through ParseInt, which reports overflow as soon as it happens.
    let mut n: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return Err(syntax());
        }
        n = match n
            .checked_mul(10)
            .and_then(|x| x.checked_add(u64::from(c - b'0')))
        {
            Some(x) => x,
            None => return Err(range()),
        };
    }
    const CUTOFF: u64 = 1 << 63;
    if (!neg && n >= CUTOFF) || (neg && n > CUTOFF) {
        return Err(range());
    }
    Ok(if neg {
        (n as i64).wrapping_neg()
    } else {
        n as i64
    })
}

/// Go's `%q` of a `[]rune`: `['a' 'b']`.
fn quote_runes(s: &str) -> String {
    let parts: Vec<String> = s.chars().map(go_quote_rune).collect();
    format!("[{}]", parts.join(" "))
}

/// Go's `json.Decoder.Decode` reading one value from the front of `rest`:
/// the value and the number of bytes it used. Trailing data is left for
/// the caller; a value cut short by the end of input is `unexpected EOF`.
fn decode_json_prefix(rest: &str) -> Result<(Value, usize), String> {
    let b = rest.as_bytes();
    let len = b.len();
    let char_end = |i: usize| {
        i + rest
            .get(i..)
            .and_then(|t| t.chars().next())
            .map_or(1, char::len_utf8)
    };
    let mut i = 0;
    while i < len && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    // Where Go's scanner stops: just past a complete value, just past the
    // first offending character, or the end of input. Inside containers a
    // bracket count suffices: the syntax (and the nesting limit) is checked
    // by parse_json on the prefix, which reports the same first error as
    // Go's scanner.
    let end = match b.get(i) {
        None => len,
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            let mut end = len;
            while j < len {
                match b[j] {
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = j + 1;
                            break;
                        }
                    }
                    b'"' => {
                        j += 1;
                        while j < len && b[j] != b'"' {
                            if b[j] == b'\\' {
                                j += 1;
                            }
                            j += 1;
                        }
                        if j >= len {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            end
        }
        Some(b'"') => {
            let mut j = i + 1;
            while j < len && b[j] != b'"' {
                if b[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            if j >= len { len } else { j + 1 }
        }
        Some(&c @ (b't' | b'f' | b'n')) => {
            let word: &[u8] = match c {
                b't' => b"true",
                b'f' => b"false",
                _ => b"null",
            };
            let mut end = i + word.len();
            for (n, &w) in word.iter().enumerate().skip(1) {
                match b.get(i + n) {
                    None => {
                        end = len;
                        break;
                    }
                    Some(&x) if x != w => {
                        end = char_end(i + n);
                        break;
                    }
                    _ => {}
                }
            }
            end
        }
        Some(b'-' | b'0'..=b'9') => number_end(b, i, char_end),
        Some(_) => char_end(i),
    };
    let end = end.min(len);
    let text = rest.get(..end).unwrap_or(rest);
    match crate::yaml::parse_json(text, crate::yaml::JsonTarget::Any) {
        Ok(v) => Ok((v, end)),
        Err(m) if m == "unexpected end of JSON input" => Err("unexpected EOF".into()),
        Err(m) => Err(m),
    }
}

/// End of a top-level JSON number starting at `i`, by Go's scanner states.
fn number_end(b: &[u8], i: usize, char_end: impl Fn(usize) -> usize) -> usize {
    #[derive(PartialEq)]
    enum St {
        Neg,
        Zero,
        Int,
        Dot,
        Frac,
        Exp,
        ExpSign,
        ExpDigits,
    }
    let mut st = if b[i] == b'-' {
        St::Neg
    } else if b[i] == b'0' {
        St::Zero
    } else {
        St::Int
    };
    let mut j = i + 1;
    loop {
        let Some(&c) = b.get(j) else {
            return b.len();
        };
        let next = match (&st, c) {
            (St::Neg, b'0') => Some(St::Zero),
            (St::Neg, b'1'..=b'9') => Some(St::Int),
            (St::Int, b'0'..=b'9') => Some(St::Int),
            (St::Zero | St::Int, b'.') => Some(St::Dot),
            (St::Zero | St::Int | St::Frac, b'e' | b'E') => Some(St::Exp),
            (St::Dot | St::Frac, b'0'..=b'9') => Some(St::Frac),
            (St::Exp, b'+' | b'-') => Some(St::ExpSign),
            (St::Exp | St::ExpSign | St::ExpDigits, b'0'..=b'9') => Some(St::ExpDigits),
            _ => None,
        };
        match next {
            Some(s) => st = s,
            None => {
                let complete = matches!(st, St::Zero | St::Int | St::Frac | St::ExpDigits);
                return if complete { j } else { char_end(j) };
            }
        }
        j += 1;
    }
}

/// One step of Helm's recursive descent.
enum Op {
    /// `key(data, nestedNameLevel)`
    Key(Map, usize),
    /// `listItem(list, i, nestedNameLevel)`
    Item(Vec<Value>, i64, usize),
}

/// A container handed back by a finished step.
enum Cont {
    Map(Map),
    List(Vec<Value>),
}

/// A step waiting for the step it descended into.
enum Ctx {
    /// `key` at `name.`: the child fills the map under `key`.
    KeyDot {
        data: Map,
        key: String,
        existed: bool,
    },
    /// `key` at `name[i]`: the child fills the list under `key`.
    KeyIdx {
        data: Map,
        key: String,
        existed: bool,
        old_len: usize,
    },
    /// `listItem` at `[i][j]`: the child fills the list at index `i`.
    ItemIdx {
        list: Vec<Value>,
        i: i64,
        existing: bool,
    },
    /// `listItem` at `[i].`: the child fills the map at index `i`.
    ItemDot {
        list: Vec<Value>,
        i: i64,
        in_list: bool,
    },
}

enum Next {
    Done(Cont, Res),
    Descend(Ctx, Op),
}

enum ListErr {
    Eof,
    NotList,
    Fail(String),
}

struct Parser<'a, 'r> {
    s: &'a str,
    pos: usize,
    last_len: usize,
    kind: SetKind,
    read: &'a mut FileReader<'r>,
}

impl Parser<'_, '_> {
    fn read_char(&mut self) -> Option<char> {
        let c = self.s.get(self.pos..)?.chars().next()?;
        self.pos += c.len_utf8();
        self.last_len = c.len_utf8();
        Some(c)
    }

    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(self.last_len);
        self.last_len = 0;
    }

    fn literal(&self) -> bool {
        self.kind == SetKind::Literal
    }

    /// Helm's `runesUntil` (with `\` escapes) or `runesUntilLiteral`;
    /// `None` for the stop rune means end of input.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut v = String::new();
        loop {
            match self.read_char() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some('\\') if !self.literal() => match self.read_char() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(c) => v.push(c),
            }
        }
    }

    /// The rest of the input, for `--set-literal` values.
    fn rest(&mut self) -> String {
        let r = self.s.get(self.pos..).unwrap_or("").to_string();
        self.pos = self.s.len();
        r
    }

    fn reader(&mut self, rs: String) -> Result<Value, String> {
        match self.kind {
            SetKind::Typed => Ok(typed_val(rs)),
            SetKind::File => (self.read)(&rs).map(Value::string),
            SetKind::String | SetKind::Json | SetKind::Literal => Ok(Value::string(rs)),
        }
    }

    fn key_index(&mut self) -> Result<i64, Fail> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            return Err(Fail::eof("error parsing index: EOF"));
        }
        atoi(&v).map_err(|m| Fail::new(format!("error parsing index: {m}")))
    }

    /// Helm's `emptyVal`: skips spaces; true at a `,` (consumed) or the end.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read_char() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => {}
                Some(_) => {
                    self.unread();
                    return false;
                }
            }
        }
    }

    fn decode_json(&mut self) -> Result<Value, String> {
        let rest = self.s.get(self.pos..).unwrap_or("");
        let (v, n) = decode_json_prefix(rest)?;
        self.pos += n;
        self.last_len = 0;
        Ok(v)
    }

    fn val(&mut self) -> String {
        self.until(&[',']).0
    }

    /// Helm's `valList`: a `{a,b}` list, or why there is none.
    fn val_list(&mut self) -> Result<Vec<Value>, ListErr> {
        let Some(r) = self.read_char() else {
            return Err(ListErr::Eof);
        };
        if r != '{' {
            self.unread();
            return Err(ListErr::NotList);
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}']);
            match last {
                None => return Err(ListErr::Fail("list must terminate with '}'".into())),
                Some('}') => {
                    if let Some(c) = self.read_char()
                        && c != ','
                    {
                        self.unread();
                    }
                    let v = self.reader(rs).map_err(ListErr::Fail)?;
                    list.push(v);
                    return Ok(list);
                }
                Some(_) => {
                    let v = self.reader(rs).map_err(ListErr::Fail)?;
                    list.push(v);
                }
            }
        }
    }

    /// One top-level `key(t.data, 0)` call, run to completion.
    fn run_key(&mut self, root: Map) -> (Map, Res) {
        let mut stack: Vec<Ctx> = Vec::new();
        let mut op = Op::Key(root, 0);
        loop {
            let next = match op {
                Op::Key(m, level) => self.key(m, level),
                Op::Item(l, i, level) => self.item(l, i, level),
            };
            match next {
                Next::Descend(ctx, child) => {
                    stack.push(ctx);
                    op = child;
                }
                Next::Done(mut cont, mut res) => {
                    // Every frame finishes once its child has: unwind all.
                    while let Some(ctx) = stack.pop() {
                        (cont, res) = unwind(ctx, cont, res);
                    }
                    return match cont {
                        Cont::Map(m) => (m, res),
                        Cont::List(_) => (Map::new(), res),
                    };
                }
            }
        }
    }

    /// Helm's `key`, up to the point where it would recurse.
    fn key(&mut self, mut data: Map, level: usize) -> Next {
        let stop: &[char] = if self.literal() {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (k, last) = self.until(stop);
        let done = |data: Map, r: Res| Next::Done(Cont::Map(data), r);
        let Some(last) = last else {
            if k.is_empty() {
                return done(data, Err(Fail::eof("EOF")));
            }
            let msg = format!("key {} has no value", go_quote(&k));
            return done(data, Err(Fail::new(msg)));
        };
        match last {
            '[' => {
                let i = match self.key_index() {
                    Ok(i) => i,
                    Err(f) => return done(data, Err(f)),
                };
                let existed = data.contains_key(&k);
                let list = match data.remove(&k) {
                    None => Vec::new(),
                    Some(Value::List(l, ElemTy::Iface)) => unwrap_rc(l),
                    Some(other) => {
                        let f = assertion_panic(&other, "[]interface {}");
                        data.insert(k, other);
                        return done(data, Err(f));
                    }
                };
                let old_len = list.len();
                Next::Descend(
                    Ctx::KeyIdx {
                        data,
                        key: k,
                        existed,
                        old_len,
                    },
                    Op::Item(list, i, level),
                )
            }
            '=' => match self.kind {
                SetKind::Literal => {
                    let v = self.rest();
                    set(&mut data, k, Value::string(v));
                    done(data, Ok(()))
                }
                SetKind::Json => {
                    if self.empty_val() {
                        set(&mut data, k, Value::Nil);
                        return done(data, Ok(()));
                    }
                    match self.decode_json() {
                        Err(m) => done(data, Err(Fail::new(m))),
                        Ok(v) => {
                            set(&mut data, k, v);
                            self.empty_val();
                            done(data, Ok(()))
                        }
                    }
                }
                _ => match self.val_list() {
                    Ok(vl) => {
                        set(&mut data, k, list_val(vl));
                        done(data, Ok(()))
                    }
                    Err(ListErr::Eof) => {
                        set(&mut data, k, Value::str(""));
                        done(data, Err(Fail::eof("EOF")))
                    }
                    Err(ListErr::NotList) => {
                        let rs = self.val();
                        match self.reader(rs) {
                            Ok(v) => {
                                set(&mut data, k, v);
                                done(data, Ok(()))
                            }
                            Err(m) => {
                                set(&mut data, k, Value::Nil);
                                done(data, Err(Fail::new(m)))
                            }
                        }
                    }
                    Err(ListErr::Fail(m)) => done(data, Err(Fail::new(m))),
                },
            },
            ',' => {
                let msg = format!("key {} has no value (cannot end with ,)", go_quote(&k));
                set(&mut data, k, Value::str(""));
                done(data, Err(Fail::new(msg)))
            }
            _ => {
                // '.'
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    let msg = format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    );
                    return done(data, Err(Fail::new(msg)));
                }
                let existed = data.contains_key(&k);
                let inner = match data.remove(&k) {
                    None => Map::new(),
                    Some(Value::Map(m, MapTy::Iface)) => unwrap_map(m),
                    Some(other) => {
                        let f = assertion_panic(&other, "map[string]interface {}");
                        data.insert(k, other);
                        return done(data, Err(f));
                    }
                };
                Next::Descend(
                    Ctx::KeyDot {
                        data,
                        key: k,
                        existed,
                    },
                    Op::Key(inner, level),
                )
            }
        }
    }

    /// Helm's `listItem`, up to the point where it would recurse.
    fn item(&mut self, mut list: Vec<Value>, i: i64, level: usize) -> Next {
        let done = |list: Vec<Value>, r: Res| Next::Done(Cont::List(list), r);
        if i < 0 {
            return done(
                list,
                Err(Fail::new(format!("negative {i} index not allowed"))),
            );
        }
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            let msg = format!("unexpected data at end of array index: {}", quote_runes(&k));
            return done(list, Err(Fail::new(msg)));
        }
        let Some(last) = last else {
            return done(list, Err(Fail::eof("EOF")));
        };
        let iu = usize::try_from(i).unwrap_or(usize::MAX);
        match last {
            '=' => {
                let r = match self.kind {
                    SetKind::Literal => {
                        let v = self.rest();
                        set_index(&mut list, i, Value::string(v))
                    }
                    SetKind::Json => {
                        if self.empty_val() {
                            set_index(&mut list, i, Value::Nil)
                        } else {
                            match self.decode_json() {
                                Err(m) => Err(Fail::new(m)),
                                Ok(v) => set_index(&mut list, i, v).map(|()| {
                                    self.empty_val();
                                }),
                            }
                        }
                    }
                    _ => match self.val_list() {
                        Ok(vl) => set_index(&mut list, i, list_val(vl)),
                        Err(ListErr::Eof) => set_index(&mut list, i, Value::str("")),
                        Err(ListErr::NotList) => {
                            let rs = self.val();
                            match self.reader(rs) {
                                Ok(v) => set_index(&mut list, i, v),
                                Err(m) => Err(Fail::new(m)),
                            }
                        }
                        Err(ListErr::Fail(m)) => Err(Fail::new(m)),
                    },
                };
                done(list, r)
            }
            '[' => {
                let next = match self.key_index() {
                    Ok(n) => n,
                    Err(f) => return done(list, Err(f)),
                };
                let existing = list.get(iu).is_some_and(|v| !matches!(v, Value::Nil));
                let mut crt = Vec::new();
                if existing && let Some(slot) = list.get_mut(iu) {
                    match std::mem::replace(slot, Value::Nil) {
                        Value::List(l, ElemTy::Iface) => crt = unwrap_rc(l),
                        other => {
                            let f = assertion_panic(&other, "[]interface {}");
                            *slot = other;
                            return done(list, Err(f));
                        }
                    }
                }
                Next::Descend(
                    Ctx::ItemIdx { list, i, existing },
                    Op::Item(crt, next, level),
                )
            }
            _ => {
                // '.'
                let in_list = iu < list.len();
                let mut inner = Map::new();
                if let Some(slot) = list.get_mut(iu)
                    && let Value::Map(m, MapTy::Iface) = std::mem::replace(slot, Value::Nil)
                {
                    inner = unwrap_map(m);
                }
                Next::Descend(Ctx::ItemDot { list, i, in_list }, Op::Key(inner, level))
            }
        }
    }
}

/// What a waiting step does once its child has finished.
fn unwind(ctx: Ctx, cont: Cont, res: Res) -> (Cont, Res) {
    match (ctx, cont) {
        (
            Ctx::KeyDot {
                mut data,
                key,
                existed,
            },
            Cont::Map(inner),
        ) => {
            let mut res = res;
            if res.is_ok() && inner.is_empty() {
                res = Err(Fail::new(format!(
                    "key map {} has no value",
                    go_quote(&key)
                )));
            }
            // An existing map was filled in place in Helm, so it stays even
            // when empty or under the (never set) empty key.
            if existed || (!inner.is_empty() && !key.is_empty()) {
                data.insert(key, map_val(inner));
            }
            (Cont::Map(data), res)
        }
        (
            Ctx::KeyIdx {
                mut data,
                key,
                existed,
                old_len,
            },
            Cont::List(mut list),
        ) => {
            if !key.is_empty() {
                data.insert(key, list_val(list));
            } else if existed {
                // Helm never sets the empty key: only in-place changes to
                // the existing slice (never growth) are visible.
                if list.len() != old_len {
                    list.truncate(old_len);
                }
                data.insert(key, list_val(list));
            }
            (Cont::Map(data), res)
        }
        (
            Ctx::ItemIdx {
                mut list,
                i,
                existing,
            },
            Cont::List(child),
        ) => match res {
            Err(f) => {
                if existing
                    && let Some(slot) = usize::try_from(i).ok().and_then(|i| list.get_mut(i))
                {
                    *slot = list_val(child);
                }
                (Cont::List(list), Err(f))
            }
            Ok(()) => {
                let r = set_index(&mut list, i, list_val(child));
                (Cont::List(list), r)
            }
        },
        (
            Ctx::ItemDot {
                mut list,
                i,
                in_list,
            },
            Cont::Map(inner),
        ) => match res {
            Err(f) => {
                if in_list && let Some(slot) = usize::try_from(i).ok().and_then(|i| list.get_mut(i))
                {
                    *slot = map_val(inner);
                }
                (Cont::List(list), Err(f))
            }
            Ok(()) => {
                let r = set_index(&mut list, i, map_val(inner));
                (Cont::List(list), r)
            }
        },
        // A map step always answers a map frame and a list step a list
        // frame; keep whatever came back rather than panic.
        (_, cont) => (cont, res),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(expr: &str, kind: SetKind) -> Result<Value, String> {
        let mut v = Value::empty_map();
        parse_set_with(expr, &mut v, kind, &mut |p: &str| Ok(format!("[{p}]")))?;
        Ok(v)
    }

    fn show(expr: &str, kind: SetKind) -> String {
        match parse(expr, kind) {
            Ok(v) => crate::yaml::to_json(&v),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn basics() {
        assert_eq!(
            show("a=1,b.c=x,d={1,2}", SetKind::Typed),
            r#"{"a":1,"b":{"c":"x"},"d":[1,2]}"#
        );
        assert_eq!(show("a[2]=x", SetKind::Typed), r#"{"a":[null,null,"x"]}"#);
        assert_eq!(show("a[0]", SetKind::Typed), r#"{"a":[]}"#);
        assert_eq!(show("a[1", SetKind::Typed), "{}");
        assert_eq!(show("a", SetKind::Typed), r#"error: key "a" has no value"#);
        assert_eq!(show("a=p", SetKind::File), r#"{"a":"[p]"}"#);
        assert_eq!(show("a=b,c=d", SetKind::Literal), r#"{"a":"b,c=d"}"#);
        assert_eq!(show("a=[1,2] ,b=3", SetKind::Json), r#"{"a":[1,2],"b":3}"#);
        assert_eq!(show("a=tru", SetKind::Json), "error: unexpected EOF");
    }

    #[test]
    fn types() {
        let v = parse("a=1,b=1.5,c=TRUE,d=null,e=007", SetKind::Typed).unwrap_or(Value::Nil);
        let Value::Map(m, _) = v else {
            panic!("not a map")
        };
        let t = |k: &str| m.borrow().get(k).map(Value::type_name).unwrap_or_default();
        assert_eq!(t("a"), "int64");
        assert_eq!(t("b"), "string");
        assert_eq!(t("c"), "bool");
        assert_eq!(t("d"), "<nil>");
        assert_eq!(t("e"), "string");
    }

    #[test]
    fn deep_paths_do_not_overflow() {
        // The parser keeps its own stack; the big stack is for dropping
        // the deeply nested result.
        let r = crate::stack::with_big_stack(|| {
            let expr = format!("a{}=1", "[0]".repeat(200_000));
            let lists = parse(&expr, SetKind::Typed).is_ok();
            let expr = format!("a{}=1", "[0].b".repeat(100_000));
            let mixed = parse(&expr, SetKind::Typed).is_ok();
            let expr = format!("a{}=1", ".b".repeat(100));
            let dots = parse(&expr, SetKind::Typed).is_err();
            (lists, mixed, dots)
        });
        assert_eq!(r, Ok((true, true, true)));
    }

    #[test]
    fn json_nesting_limit_uses_go_wording() {
        let r = crate::stack::with_big_stack(|| {
            let deep = format!("a={}", "[".repeat(10_001));
            let too_deep = show(&deep, SetKind::Json);
            let ok = format!("a={}{}", "[".repeat(10_000), "]".repeat(10_000));
            (too_deep, parse(&ok, SetKind::Json).is_ok())
        });
        assert_eq!(
            r,
            Ok((
                "error: invalid character '[' exceeded max depth".to_string(),
                true
            ))
        );
    }

    #[test]
    fn random_input_never_panics() {
        let alphabet = [
            "a",
            ".",
            "[",
            "]",
            "=",
            ",",
            "{",
            "}",
            "\\",
            "0",
            "1",
            "-",
            "\"",
            " ",
            "t",
            "é",
            "[0]",
            "65537",
            "{\"k\":[1",
            "null",
            "\n",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let kinds = [
            SetKind::Typed,
            SetKind::String,
            SetKind::Json,
            SetKind::Literal,
            SetKind::File,
        ];
        for _ in 0..20_000 {
            let n = (next() % 16) as usize;
            let expr: String = (0..n)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let kind = kinds[(next() % kinds.len() as u64) as usize];
            // Parse twice into the same map, as repeated flags do.
            let mut v = Value::empty_map();
            let mut read = |p: &str| Err(format!("open {p}: no such file or directory"));
            let _ = parse_set_with(&expr, &mut v, kind, &mut read);
            let _ = parse_set_with(&expr, &mut v, kind, &mut read);
        }
    }

    #[test]
    fn atoi_matches_go() {
        assert_eq!(atoi("+1"), Ok(1));
        assert_eq!(atoi("-9223372036854775808"), Ok(i64::MIN));
        assert!(atoi("9223372036854775808").is_err());
        assert_eq!(
            atoi("99999999999999999999x"),
            Err(r#"strconv.Atoi: parsing "99999999999999999999x": value out of range"#.into())
        );
        assert_eq!(
            atoi("-"),
            Err(r#"strconv.Atoi: parsing "-": invalid syntax"#.into())
        );
    }
}
