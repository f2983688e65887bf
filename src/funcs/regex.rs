//! Sprig's regular expressions with Go RE2 semantics (ASCII `\d \w \s \b`).
//!
//! Go's `regexp/syntax` and the `regex` crate accept different languages:
//! Go has `\Q..\E`, octal escapes and `{` as a literal when it is not a
//! repeat; the crate has class set operations, `(?x)`, and Unicode `\d`.
//! So [`GoRegex::compile`] parses the pattern with Go's grammar, reporting
//! Go's errors with Go's wording and offending text, and emits an equivalent
//! pattern for the crate. Matching loops (`FindAll`, `ReplaceAll`, `Split`)
//! and `$name` expansion follow Go's rules.

use regex::{Regex, RegexBuilder};

use super::util::plain;
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::FuncMap;
use crate::value::{ElemTy, Sig, Ty, Value};

const STR1: Sig = Sig::new(&[Ty::String], None);
const STR2: Sig = Sig::new(&[Ty::String, Ty::String], None);
const STR3: Sig = Sig::new(&[Ty::String, Ty::String, Ty::String], None);
const STR2_INT: Sig = Sig::new(&[Ty::String, Ty::String, Ty::Int], None);

pub fn register(m: &mut FuncMap) {
    m.insert("regexMatch", plain(&STR2, regex_match));
    m.insert("mustRegexMatch", plain(&STR2, must_regex_match));
    m.insert("regexFind", plain(&STR2, |_, a| find(a, false)));
    m.insert("mustRegexFind", plain(&STR2, |_, a| find(a, true)));
    m.insert("regexFindAll", plain(&STR2_INT, |_, a| find_all(a, false)));
    m.insert(
        "mustRegexFindAll",
        plain(&STR2_INT, |_, a| find_all(a, true)),
    );
    m.insert(
        "regexReplaceAll",
        plain(&STR3, |_, a| replace(a, false, false)),
    );
    m.insert(
        "mustRegexReplaceAll",
        plain(&STR3, |_, a| replace(a, true, false)),
    );
    m.insert(
        "regexReplaceAllLiteral",
        plain(&STR3, |_, a| replace(a, false, true)),
    );
    m.insert(
        "mustRegexReplaceAllLiteral",
        plain(&STR3, |_, a| replace(a, true, true)),
    );
    m.insert("regexSplit", plain(&STR2_INT, |_, a| split(a, false)));
    m.insert("mustRegexSplit", plain(&STR2_INT, |_, a| split(a, true)));
    m.insert("regexQuoteMeta", plain(&STR1, quote_meta));
}

fn s_arg(a: &[Value], i: usize) -> &str {
    a.get(i).and_then(Value::as_str).unwrap_or_default()
}

fn n_arg(a: &[Value], i: usize) -> i64 {
    match a.get(i) {
        Some(Value::Int(n, _)) => *n,
        _ => 0,
    }
}

/// Compile for a Sprig function: `must` variants return Go's compile error,
/// the others panic as `regexp.MustCompile` does.
fn compile(pat: &str, must: bool) -> Result<GoRegex, FuncErr> {
    GoRegex::compile(pat).map_err(|e| {
        if must {
            FuncErr::msg(e)
        } else {
            FuncErr::msg(format!("regexp: Compile({}): {e}", must_compile_quote(pat)))
        }
    })
}

/// `quote` in Go's regexp.go: backquoted when `strconv.CanBackquote`.
fn must_compile_quote(s: &str) -> String {
    let backquotable = s
        .chars()
        .all(|c| c == '\t' || !(c.is_control() || c == '`' || c == '\u{FEFF}'));
    if backquotable {
        format!("`{s}`")
    } else {
        crate::go::fmt::go_quote(s)
    }
}

fn string_list(v: Vec<String>) -> Value {
    Value::List(
        std::rc::Rc::new(v.into_iter().map(Value::string).collect()),
        ElemTy::String,
    )
}

/// `regexMatch` swallows compile errors as `false`.
fn regex_match(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let ok = GoRegex::compile(s_arg(a, 0)).is_ok_and(|r| r.re.is_match(s_arg(a, 1)));
    Ok(Value::Bool(ok))
}

fn must_regex_match(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let r = GoRegex::compile(s_arg(a, 0)).map_err(FuncErr::msg)?;
    Ok(Value::Bool(r.re.is_match(s_arg(a, 1))))
}

fn find(a: &[Value], must: bool) -> Result<Value, FuncErr> {
    let r = compile(s_arg(a, 0), must)?;
    let s = s_arg(a, 1);
    Ok(Value::str(r.re.find(s).map_or("", |m| m.as_str())))
}

fn find_all(a: &[Value], must: bool) -> Result<Value, FuncErr> {
    let r = compile(s_arg(a, 0), must)?;
    let s = s_arg(a, 1);
    let found = r
        .all_matches(s, n_arg(a, 2))
        .into_iter()
        .map(|(b, e)| s[b..e].to_string())
        .collect();
    Ok(string_list(found))
}

fn replace(a: &[Value], must: bool, literal: bool) -> Result<Value, FuncErr> {
    let r = compile(s_arg(a, 0), must)?;
    Ok(Value::string(r.replace_all(
        s_arg(a, 1),
        s_arg(a, 2),
        literal,
    )))
}

fn split(a: &[Value], must: bool) -> Result<Value, FuncErr> {
    let r = compile(s_arg(a, 0), must)?;
    Ok(string_list(r.split(s_arg(a, 1), n_arg(a, 2))))
}

/// `regexp.QuoteMeta`.
fn quote_meta(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let mut o = String::new();
    for c in s_arg(a, 0).chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            o.push('\\');
        }
        o.push(c);
    }
    Ok(Value::string(o))
}

/// A compiled Go regular expression.
pub struct GoRegex {
    re: Regex,
    /// Capture group names by index (0 is the whole match); Go allows the
    /// same name twice, so names are resolved here, not by the crate.
    names: Vec<Option<String>>,
    /// Whether the source pattern was non-empty (`Split` looks at it).
    nonempty: bool,
}

impl GoRegex {
    /// `regexp.Compile`; the error is Go's text.
    pub fn compile(pat: &str) -> Result<GoRegex, String> {
        let (out, names) = Translator::new(pat).run().map_err(|e| e.to_string())?;
        let re = RegexBuilder::new(&out)
            .size_limit(64 << 20)
            .nest_limit(4000)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => {
                    GoError::new("expression too large", pat).to_string()
                }
                other => format!("error parsing regexp: {other}"),
            })?;
        Ok(GoRegex {
            re,
            names,
            nonempty: !pat.is_empty(),
        })
    }

    /// Go's `allMatches`: at most `n` (all when negative) matches, skipping
    /// an empty match that abuts the previous match.
    pub fn all_matches(&self, s: &str, n: i64) -> Vec<(usize, usize)> {
        let limit = if n < 0 { usize::MAX } else { n as usize };
        let mut out = Vec::new();
        let (mut pos, mut prev_end) = (0usize, None);
        while out.len() < limit && pos <= s.len() {
            let Some(m) = self.re.find_at(s, pos) else {
                break;
            };
            let mut accept = true;
            if m.end() == pos {
                accept = prev_end != Some(m.start());
                pos += next_width(s, pos).max(1);
            } else {
                pos = m.end();
            }
            prev_end = Some(m.end());
            if accept {
                out.push((m.start(), m.end()));
            }
        }
        out
    }

    /// Go's `replaceAll`, expanding `$1`/`${name}` unless `literal`.
    pub fn replace_all(&self, src: &str, repl: &str, literal: bool) -> String {
        let mut buf = String::new();
        let (mut last_end, mut search) = (0usize, 0usize);
        let mut locs = self.re.capture_locations();
        while search <= src.len() {
            let Some(m) = self.re.captures_read_at(&mut locs, src, search) else {
                break;
            };
            buf.push_str(&src[last_end..m.start()]);
            // No replacement for an empty match right after another match.
            if m.end() > last_end || m.start() == 0 {
                if literal {
                    buf.push_str(repl);
                } else {
                    self.expand(&mut buf, repl, src, &locs);
                }
            }
            last_end = m.end();
            let width = next_width(src, search);
            search = if search + width > m.end() {
                search + width
            } else if search + 1 > m.end() {
                search + 1
            } else {
                m.end()
            };
        }
        buf.push_str(&src[last_end..]);
        buf
    }

    /// Go's `Regexp.Split`.
    pub fn split(&self, s: &str, n: i64) -> Vec<String> {
        if n == 0 {
            return Vec::new();
        }
        if self.nonempty && s.is_empty() {
            return vec![String::new()];
        }
        let mut out = Vec::new();
        let (mut beg, mut end) = (0, 0);
        for (ms, me) in self.all_matches(s, n) {
            if n > 0 && out.len() as i64 == n - 1 {
                break;
            }
            end = ms;
            if me != 0 {
                out.push(s[beg..end].to_string());
            }
            beg = me;
        }
        if end != s.len() {
            out.push(s[beg..].to_string());
        }
        out
    }

    /// Go's `Regexp.expand` for a replacement template.
    fn expand(&self, dst: &mut String, mut tpl: &str, src: &str, locs: &regex::CaptureLocations) {
        let group = |i: usize| locs.get(i).map(|(b, e)| &src[b..e]);
        while let Some((before, after)) = tpl.split_once('$') {
            dst.push_str(before);
            tpl = after;
            if let Some(rest) = tpl.strip_prefix('$') {
                dst.push('$');
                tpl = rest;
                continue;
            }
            let Some((name, num, rest)) = extract_ref(tpl) else {
                dst.push('$');
                continue;
            };
            tpl = rest;
            let text = match num {
                Some(i) => group(i),
                None => self
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.as_deref() == Some(name))
                    .find_map(|(i, _)| group(i)),
            };
            dst.push_str(text.unwrap_or_default());
        }
        dst.push_str(tpl);
    }
}

/// Width of the rune at `pos`, 0 at the end (Go's `DecodeRuneInString`).
fn next_width(s: &str, pos: usize) -> usize {
    s.get(pos..)
        .and_then(|t| t.chars().next())
        .map_or(0, char::len_utf8)
}

/// Go's `extract`: a `name` or `{name}` reference after `$`; the number
/// when the name is a group number without leading zeros.
fn extract_ref(s: &str) -> Option<(&str, Option<usize>, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let len: usize = body
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut rest = &body[len..];
    if brace {
        rest = rest.strip_prefix('}')?;
    }
    let mut num: Option<usize> = Some(0);
    for b in name.bytes() {
        num = match num {
            Some(n) if b.is_ascii_digit() && n < 100_000_000 => {
                Some(n * 10 + usize::from(b - b'0'))
            }
            _ => None,
        };
    }
    if name.len() > 1 && name.starts_with('0') {
        num = None;
    }
    Some((name, num, rest))
}

/// A Go `regexp/syntax` error.
#[derive(Debug)]
struct GoError {
    code: &'static str,
    expr: String,
}

impl GoError {
    fn new(code: &'static str, expr: &str) -> GoError {
        GoError {
            code,
            expr: expr.to_string(),
        }
    }
}

impl std::fmt::Display for GoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "error parsing regexp: {}: `{}`", self.code, self.expr)
    }
}

const MISSING_PAREN: &str = "missing closing )";
const UNEXPECTED_PAREN: &str = "unexpected )";
const MISSING_BRACKET: &str = "missing closing ]";
const INVALID_ESCAPE: &str = "invalid escape sequence";
const INVALID_RANGE: &str = "invalid character class range";
const MISSING_ARG: &str = "missing argument to repetition operator";
const NESTED_REPEAT: &str = "invalid nested repetition operator";
const REPEAT_SIZE: &str = "invalid repeat count";
const PERL_OP: &str = "invalid or unsupported Perl syntax";
const NAMED_CAPTURE: &str = "invalid named capture";
const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";
const NESTS_DEEPLY: &str = "expression nests too deeply";

/// Largest count in `x{n,m}` and product of nested counts.
const MAX_REPEAT: u64 = 1000;

/// A pattern that never matches, for runes Go accepts but `char` cannot
/// hold (surrogates).
const NEVER: &str = "[a&&b]";

/// The POSIX classes Go knows, as `[:name:]` (the crate spells them alike).
const POSIX: [&str; 14] = [
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

/// An operand on the parse stack: where its text starts in the output and
/// the product of counted repeats inside it (Go's `repeatIsValid`).
#[derive(Clone, Copy)]
struct Atom {
    start: usize,
    weight: u64,
}

/// An open group.
struct Frame {
    start: usize,
    weight: u64,
}

/// A single pass over a Go pattern that checks it like Go's parser and
/// writes the equivalent `regex` crate pattern.
struct Translator<'p> {
    pat: &'p str,
    i: usize,
    out: String,
    frames: Vec<Frame>,
    /// The operand a repetition would apply to; `None` right after `(`,
    /// `|` or at the start.
    last: Option<Atom>,
    /// Start of the previous token when it was a repetition.
    last_repeat: Option<usize>,
    names: Vec<Option<String>>,
}

type TResult<T> = Result<T, GoError>;

impl<'p> Translator<'p> {
    fn new(pat: &'p str) -> Translator<'p> {
        Translator {
            pat,
            i: 0,
            out: String::new(),
            frames: vec![Frame {
                start: 0,
                weight: 1,
            }],
            last: None,
            last_repeat: None,
            names: vec![None],
        }
    }

    fn rest(&self) -> &'p str {
        &self.pat[self.i..]
    }

    fn err(&self, code: &'static str, from: usize) -> GoError {
        GoError::new(code, &self.pat[from..self.i])
    }

    fn run(mut self) -> TResult<(String, Vec<Option<String>>)> {
        while let Some(c) = self.rest().chars().next() {
            let mut repeat = None;
            match c {
                '(' => self.open_paren()?,
                '|' => {
                    self.i += 1;
                    self.out.push('|');
                    self.last = None;
                }
                ')' => self.close_paren()?,
                '^' | '$' | '.' => {
                    self.i += 1;
                    self.atom_text(&c.to_string(), 1);
                }
                '[' => self.class()?,
                '*' | '+' | '?' => {
                    let start = self.i;
                    self.i += 1;
                    self.repeat(start, &c.to_string(), None)?;
                    repeat = Some(start);
                }
                '{' => {
                    let start = self.i;
                    match parse_counts(self.rest()) {
                        None => {
                            self.i += 1;
                            self.literal('{');
                        }
                        Some((min, max, len)) => {
                            self.i += len;
                            let bad = min.is_none_or(|n| n > MAX_REPEAT)
                                || max.is_some_and(|m| m.is_none_or(|m| m > MAX_REPEAT))
                                || matches!((min, max), (Some(a), Some(Some(b))) if a > b);
                            if bad {
                                return Err(self.err(REPEAT_SIZE, start));
                            }
                            let min = min.unwrap_or(0);
                            let max = max.map(|m| m.unwrap_or(0));
                            let text = match max {
                                None => format!("{{{min},}}"),
                                Some(m) if m == min => format!("{{{min}}}"),
                                Some(m) => format!("{{{min},{m}}}"),
                            };
                            self.repeat(start, &text, Some((min, max)))?;
                            repeat = Some(start);
                        }
                    }
                }
                '\\' => self.escape()?,
                _ => {
                    self.i += c.len_utf8();
                    self.literal(c);
                }
            }
            self.last_repeat = repeat;
        }
        if self.frames.len() > 1 {
            return Err(GoError::new(MISSING_PAREN, self.pat));
        }
        Ok((self.out, self.names))
    }

    /// Push an operand whose text is `text`.
    fn atom_text(&mut self, text: &str, weight: u64) {
        let start = self.out.len();
        self.out.push_str(text);
        self.push_atom(Atom { start, weight });
    }

    fn push_atom(&mut self, a: Atom) {
        self.last = Some(a);
        if let Some(f) = self.frames.last_mut() {
            f.weight = f.weight.max(a.weight);
        }
    }

    fn literal(&mut self, c: char) {
        let mut t = String::new();
        push_char(&mut t, c as u32);
        self.atom_text(&t, 1);
    }

    fn open_paren(&mut self) -> TResult<()> {
        if self.rest().starts_with("(?") {
            return self.perl_flags();
        }
        self.i += 1;
        self.names.push(None);
        self.open_group("(")
    }

    fn open_group(&mut self, text: &str) -> TResult<()> {
        if self.frames.len() > 1000 {
            return Err(GoError::new(NESTS_DEEPLY, self.pat));
        }
        self.frames.push(Frame {
            start: self.out.len(),
            weight: 1,
        });
        self.out.push_str(text);
        self.last = None;
        Ok(())
    }

    fn close_paren(&mut self) -> TResult<()> {
        if self.frames.len() < 2 {
            return Err(GoError::new(UNEXPECTED_PAREN, self.pat));
        }
        self.i += 1;
        let f = self.frames.pop().unwrap_or(Frame {
            start: 0,
            weight: 1,
        });
        self.out.push(')');
        self.push_atom(Atom {
            start: f.start,
            weight: f.weight,
        });
        Ok(())
    }

    /// `(?flags)`, `(?flags:`, `(?P<name>` and `(?<name>`.
    fn perl_flags(&mut self) -> TResult<()> {
        let start = self.i;
        let t = self.rest();
        let named = if t.len() > 4 && t[2..].starts_with("P<") {
            Some(4)
        } else if t.len() > 3 && t[2..].starts_with('<') {
            Some(3)
        } else {
            None
        };
        if let Some(name_at) = named {
            let Some(end) = t.find('>') else {
                return Err(GoError::new(NAMED_CAPTURE, t));
            };
            let name = &t[name_at..end];
            if name.is_empty() || !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) {
                return Err(GoError::new(NAMED_CAPTURE, &t[..=end]));
            }
            self.i += end + 1;
            self.names.push(Some(name.to_string()));
            return self.open_group("(");
        }
        self.i += 2;
        let (mut on, mut off) = (String::new(), String::new());
        let mut negated = false;
        let mut saw_flag = false;
        while let Some(c) = self.rest().chars().next() {
            self.i += c.len_utf8();
            match c {
                'i' | 'm' | 's' | 'U' => {
                    if negated { &mut off } else { &mut on }.push(c);
                    saw_flag = true;
                }
                '-' if !negated => {
                    negated = true;
                    saw_flag = false;
                }
                ':' | ')' if !negated || saw_flag => {
                    let mut flags = on;
                    if negated {
                        flags.push('-');
                        flags.push_str(&off);
                    }
                    if c == ':' {
                        return self.open_group(&format!("(?{flags}:"));
                    }
                    if !flags.is_empty() {
                        self.out.push_str(&format!("(?{flags})"));
                    }
                    return Ok(());
                }
                _ => break,
            }
        }
        Err(self.err(PERL_OP, start))
    }

    /// Apply a repetition operator (`text` in crate syntax) to the operand.
    fn repeat(
        &mut self,
        start: usize,
        text: &str,
        counts: Option<(u64, Option<u64>)>,
    ) -> TResult<()> {
        let lazy = self.rest().starts_with('?');
        if lazy {
            self.i += 1;
        }
        if let Some(prev) = self.last_repeat {
            return Err(self.err(NESTED_REPEAT, prev));
        }
        let Some(atom) = self.last else {
            return Err(self.err(MISSING_ARG, start));
        };
        let mut weight = atom.weight;
        if let Some((min, max)) = counts {
            let m = max.unwrap_or(min);
            weight = match max {
                Some(0) => 1,
                _ if m == 0 => weight,
                _ => m.saturating_mul(weight),
            };
            if (min >= 2 || max.is_some_and(|x| x >= 2)) && weight > MAX_REPEAT {
                return Err(self.err(REPEAT_SIZE, start));
            }
        }
        // Group the operand so the operator binds to exactly it.
        self.out.insert_str(atom.start, "(?:");
        self.out.push(')');
        self.out.push_str(text);
        if lazy {
            self.out.push('?');
        }
        self.push_atom(Atom {
            start: atom.start,
            weight,
        });
        Ok(())
    }

    fn escape(&mut self) -> TResult<()> {
        let start = self.i;
        let t = self.rest();
        let next = t[1..].chars().next();
        let special = match next {
            Some('A') => Some(r"\A"),
            Some('z') => Some(r"\z"),
            Some('b') => Some(r"(?-u:\b)"),
            Some('B') => Some(r"(?-u:\B)"),
            _ => None,
        };
        if let Some(s) = special {
            self.i += 2;
            self.atom_text(s, 1);
            return Ok(());
        }
        match next {
            Some('C') => {
                self.i += 2;
                Err(self.err(INVALID_ESCAPE, start))
            }
            Some('Q') => {
                let body = &t[2..];
                let (lit, skip) = match body.find(r"\E") {
                    Some(e) => (&body[..e], e + 2),
                    None => (body, body.len()),
                };
                self.i += 2 + skip;
                for c in lit.chars() {
                    self.literal(c);
                }
                Ok(())
            }
            Some('p' | 'P') => {
                let text = self.unicode_class()?;
                self.atom_text(&text, 1);
                Ok(())
            }
            _ => {
                if let Some(text) = perl_class(t, false) {
                    self.i += 2;
                    self.atom_text(text, 1);
                    return Ok(());
                }
                let r = self.parse_escape()?;
                let mut s = String::new();
                push_char(&mut s, r);
                self.atom_text(&s, 1);
                Ok(())
            }
        }
    }

    /// `\pL`, `\p{Greek}`, `\P{^Greek}`: checked by asking the crate, which
    /// knows the same categories and scripts.
    fn unicode_class(&mut self) -> TResult<String> {
        let start = self.i;
        let t = self.rest();
        let mut negated = t.as_bytes().get(1) == Some(&b'P');
        let (name, len) = match t[2..].chars().next() {
            Some('{') => {
                let Some(end) = t.find('}') else {
                    return Err(GoError::new(INVALID_RANGE, t));
                };
                (&t[3..end], end + 1)
            }
            Some(c) => (&t[2..2 + c.len_utf8()], 2 + c.len_utf8()),
            None => ("", 2),
        };
        self.i += len;
        let mut name = name;
        if let Some(n) = name.strip_prefix('^') {
            negated = !negated;
            name = n;
        }
        let clean: String = name
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .collect();
        let known = !clean.is_empty()
            && clean.chars().all(|c| c.is_ascii_alphanumeric())
            && Regex::new(&format!(r"\p{{{clean}}}")).is_ok();
        if !known {
            return Err(self.err(INVALID_RANGE, start));
        }
        Ok(format!(r"\{}{{{clean}}}", if negated { 'P' } else { 'p' }))
    }

    /// Go's `parseEscape`: one escaped rune (not a class or assertion).
    fn parse_escape(&mut self) -> TResult<u32> {
        let start = self.i;
        let mut it = self.pat[start + 1..].chars();
        let Some(c) = it.next() else {
            self.i = self.pat.len();
            return Err(GoError::new(TRAILING_BACKSLASH, ""));
        };
        self.i += 1 + c.len_utf8();
        let octal = |b: Option<&u8>| b.is_some_and(|b| (b'0'..=b'7').contains(b));
        match c {
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok(c as u32),
            '0'..='7' => {
                if c != '0' && !octal(self.pat.as_bytes().get(self.i)) {
                    return Err(self.err(INVALID_ESCAPE, start));
                }
                let mut r = c as u32 - '0' as u32;
                for _ in 1..3 {
                    let b = self.pat.as_bytes().get(self.i);
                    if !octal(b) {
                        break;
                    }
                    r = r * 8 + u32::from(b.copied().unwrap_or(b'0') - b'0');
                    self.i += 1;
                }
                Ok(r)
            }
            'x' => self.hex_escape(start),
            'a' => Ok(7),
            'f' => Ok(12),
            'n' => Ok(10),
            'r' => Ok(13),
            't' => Ok(9),
            'v' => Ok(11),
            _ => Err(self.err(INVALID_ESCAPE, start)),
        }
    }

    /// `\xHH` or `\x{H...}` after the `\x`.
    fn hex_escape(&mut self, start: usize) -> TResult<u32> {
        let next = |s: &mut Self| {
            let c = s.rest().chars().next();
            s.i += c.map_or(0, char::len_utf8);
            c
        };
        let Some(c) = next(self) else {
            return Err(self.err(INVALID_ESCAPE, start));
        };
        if c == '{' {
            let mut r: u32 = 0;
            let mut digits = 0;
            loop {
                let Some(d) = next(self) else {
                    return Err(self.err(INVALID_ESCAPE, start));
                };
                if d == '}' {
                    break;
                }
                let Some(v) = d.to_digit(16) else {
                    return Err(self.err(INVALID_ESCAPE, start));
                };
                r = r * 16 + v;
                if r > 0x10FFFF {
                    return Err(self.err(INVALID_ESCAPE, start));
                }
                digits += 1;
            }
            if digits == 0 {
                return Err(self.err(INVALID_ESCAPE, start));
            }
            return Ok(r);
        }
        let y = next(self).and_then(|d| d.to_digit(16));
        match (c.to_digit(16), y) {
            (Some(x), Some(y)) => Ok(x * 16 + y),
            _ => Err(self.err(INVALID_ESCAPE, start)),
        }
    }

    /// A bracketed class, emitted item by item in crate syntax.
    fn class(&mut self) -> TResult<()> {
        let whole = self.i;
        self.i += 1;
        let mut out = String::from("[");
        if self.rest().starts_with('^') {
            out.push('^');
            self.i += 1;
        }
        let mut first = true;
        loop {
            let t = self.rest();
            if t.starts_with(']') && !first {
                break;
            }
            first = false;
            if t.len() > 2
                && t.starts_with("[:")
                && let Some(end) = t[2..].find(":]")
            {
                let name = &t[..end + 4];
                let inner = &name[2..name.len() - 2];
                let bare = inner.strip_prefix('^').unwrap_or(inner);
                if !POSIX.contains(&bare) {
                    return Err(GoError::new(INVALID_RANGE, name));
                }
                self.i += name.len();
                out.push_str(name);
                continue;
            }
            if t.starts_with(r"\p") || t.starts_with(r"\P") {
                out.push_str(&self.unicode_class()?);
                continue;
            }
            if let Some(text) = perl_class(t, true) {
                self.i += 2;
                out.push_str(text);
                continue;
            }
            let rng = self.i;
            let lo = self.class_char(whole)?;
            let mut hi = lo;
            let t = self.rest();
            if t.len() >= 2 && t.starts_with('-') && !t[1..].starts_with(']') {
                self.i += 1;
                hi = self.class_char(whole)?;
                if hi < lo {
                    return Err(self.err(INVALID_RANGE, rng));
                }
            }
            push_range(&mut out, lo, hi);
        }
        self.i += 1;
        out.push(']');
        self.atom_text(&out, 1);
        Ok(())
    }

    fn class_char(&mut self, whole: usize) -> TResult<u32> {
        match self.rest().chars().next() {
            None => Err(GoError::new(MISSING_BRACKET, &self.pat[whole..])),
            Some('\\') => self.parse_escape(),
            Some(c) => {
                self.i += c.len_utf8();
                Ok(c as u32)
            }
        }
    }
}

/// Go's ASCII Perl classes `\d \s \w` and negations, for use outside or
/// inside brackets (inside, a negation is a nested class).
fn perl_class(t: &str, in_class: bool) -> Option<&'static str> {
    Some(match (t.get(..2)?, in_class) {
        (r"\d", true) => "0-9",
        (r"\d", false) => "[0-9]",
        (r"\D", _) => "[^0-9]",
        (r"\s", true) => r"\t\n\x0C\r ",
        (r"\s", false) => r"[\t\n\x0C\r ]",
        (r"\S", _) => r"[^\t\n\x0C\r ]",
        (r"\w", true) => "0-9A-Za-z_",
        (r"\w", false) => "[0-9A-Za-z_]",
        (r"\W", _) => "[^0-9A-Za-z_]",
        _ => return None,
    })
}

/// A literal rune in crate syntax; surrogates (valid in Go patterns, never
/// matching UTF-8 text) become a class that matches nothing.
fn push_char(out: &mut String, r: u32) {
    match char::from_u32(r) {
        Some(c) if c.is_alphanumeric() || c == '_' => out.push(c),
        Some(_) => out.push_str(&format!(r"\x{{{r:X}}}")),
        None => out.push_str(NEVER),
    }
}

/// A class range with surrogate ends clamped to valid chars.
fn push_range(out: &mut String, lo: u32, hi: u32) {
    let lo = if (0xD800..0xE000).contains(&lo) {
        0xE000
    } else {
        lo
    };
    let hi = if (0xD800..0xE000).contains(&hi) {
        0xD7FF
    } else {
        hi
    };
    if lo > hi {
        out.push_str(NEVER);
    } else if lo == hi {
        out.push_str(&format!(r"\x{{{lo:X}}}"));
    } else {
        out.push_str(&format!(r"\x{{{lo:X}}}-\x{{{hi:X}}}"));
    }
}

/// Go's `parseRepeat` on text starting with `{`: `(min, max, length)` where
/// `max` is `None` for `{n,}`, and a count is `None` when too big. `None`
/// overall when the text is not a repeat (then `{` is a literal).
#[allow(clippy::type_complexity)]
fn parse_counts(s: &str) -> Option<(Option<u64>, Option<Option<u64>>, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let min = parse_count(b, &mut i)?;
    let max = if b.get(i) == Some(&b',') {
        i += 1;
        if b.get(i) == Some(&b'}') {
            None
        } else {
            Some(parse_count(b, &mut i)?)
        }
    } else {
        Some(min)
    };
    if b.get(i) != Some(&b'}') {
        return None;
    }
    Some((min, max, i + 1))
}

/// Digits without a leading zero; `Some(None)` when the value passes 1e8.
fn parse_count(b: &[u8], i: &mut usize) -> Option<Option<u64>> {
    let start = *i;
    if !b.get(start).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if b[start] == b'0' && b.get(start + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut n: Option<u64> = Some(0);
    while let Some(&d) = b.get(*i).filter(|d| d.is_ascii_digit()) {
        n = n.and_then(|n| (n < 100_000_000).then(|| n * 10 + u64::from(d - b'0')));
        *i += 1;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(p: &str) -> String {
        GoRegex::compile(p)
            .err()
            .unwrap_or_else(|| format!("compiled: {p}"))
    }

    #[test]
    fn go_errors() {
        let table = [
            ("(", "missing closing ): `(`"),
            ("a(b", "missing closing ): `a(b`"),
            ("a)", "unexpected ): `a)`"),
            ("[a", "missing closing ]: `[a`"),
            ("x[]", "missing closing ]: `[]`"),
            (r"\q", "invalid escape sequence: `\\q`"),
            (r"\1", "invalid escape sequence: `\\1`"),
            (r"\C", "invalid escape sequence: `\\C`"),
            (r"\x{zz}", "invalid escape sequence: `\\x{z`"),
            (r"[\b]", "invalid escape sequence: `\\b`"),
            ("*a", "missing argument to repetition operator: `*`"),
            ("a|+", "missing argument to repetition operator: `+`"),
            ("(|*)", "missing argument to repetition operator: `*`"),
            ("{2}", "missing argument to repetition operator: `{2}`"),
            ("a**", "invalid nested repetition operator: `**`"),
            ("a*?+", "invalid nested repetition operator: `*?+`"),
            ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
            ("a{1001}", "invalid repeat count: `{1001}`"),
            ("a{3,2}", "invalid repeat count: `{3,2}`"),
            ("(a{100}){100}", "invalid repeat count: `{100}`"),
            ("[z-a]", "invalid character class range: `z-a`"),
            ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
            (r"\p{Foo}", "invalid character class range: `\\p{Foo}`"),
            (r"\p{L", "invalid character class range: `\\p{L`"),
            ("(?x)", "invalid or unsupported Perl syntax: `(?x`"),
            ("(?i-)", "invalid or unsupported Perl syntax: `(?i-)`"),
            ("(?P<n", "invalid named capture: `(?P<n`"),
            ("(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"),
            ("a\\", "trailing backslash at end of expression: ``"),
        ];
        for (p, want) in table {
            assert_eq!(err(p), format!("error parsing regexp: {want}"), "{p}");
        }
    }

    fn find_all(p: &str, s: &str, n: i64) -> Vec<String> {
        let r = GoRegex::compile(p).unwrap();
        r.all_matches(s, n)
            .into_iter()
            .map(|(b, e)| s[b..e].to_string())
            .collect()
    }

    #[test]
    fn go_semantics() {
        assert_eq!(find_all(r"\d+", "a1 b٣22 c", -1), ["1", "22"]);
        assert_eq!(
            find_all(r"\w+", "héllo wörld", -1),
            ["h", "llo", "w", "rld"]
        );
        assert_eq!(find_all("a*", "baaab", -1), ["", "aaa", ""]);
        assert_eq!(find_all("a{,2}", "a{,2}", -1), ["a{,2}"]);
        assert_eq!(find_all(r"\Qa.b\E+", "a.bbb axb", -1), ["a.bbb"]);
        assert_eq!(find_all(r"\101\x42\x{43}", "ABC", -1), ["ABC"]);
        assert_eq!(find_all("[a-c-]+", "x-ab-", 1), ["-ab-"]);
        assert!(!GoRegex::compile(r"\s").unwrap().re.is_match("\u{b}"));
        let r = GoRegex::compile(r"(?P<x>\w)(?P<x>\d)?").unwrap();
        assert_eq!(
            r.replace_all("a1 b", "<${x}|$1x|$2|$$>", false),
            "<a||1|$> <b|||$>"
        );
        let r = GoRegex::compile("a*").unwrap();
        assert_eq!(r.replace_all("baaac", "-", false), "-b-c-");
        assert_eq!(r.split("baaac", -1), ["b", "c"]);
        let r = GoRegex::compile(",").unwrap();
        assert_eq!(r.split("a,b,c", 2), ["a", "b,c"]);
        assert_eq!(r.split("", -1), [""]);
    }
}
