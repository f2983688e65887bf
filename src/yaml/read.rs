//! Reading YAML the way Helm does: go-yaml v2 (YAML 1.1) decoding into
//! `interface{}`, then sigs.k8s.io/yaml's JSON round trip.
//!
//! saphyr-parser supplies the event stream; everything typed is done here
//! from the raw scalar text, style and tag, because saphyr resolves YAML 1.2
//! types and Helm resolves YAML 1.1 ones (`yes` is a bool, `0777` is octal).
//! The pipeline mirrors Go's:
//!
//! 1. events -> node tree (anchors kept as shared node indexes),
//! 2. node tree -> [`GoVal`] (go-yaml v2 `decoder`: resolve, merge keys,
//!    alias-expansion accounting, last duplicate key wins),
//! 3. [`GoVal`] -> [`Value`] (sigs.k8s.io/yaml: map keys to strings, every
//!    number to float64, non-finite floats rejected as JSON would).

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::json::go_format_float;
use super::{MAX_DEPTH, YamlError};
use crate::template::fmt::go_quote;
use crate::template::value::{ElemTy, Map, Value, merge_maps};

// ---------------------------------------------------------------------------
// YAML 1.1 scalar resolution (go-yaml v2 resolve.go)
// ---------------------------------------------------------------------------

/// What a scalar resolves to.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// A timestamp; decoded into `interface{}` it stays the original string.
    Timestamp,
    Merge,
    Str,
}

const TAG_PREFIX: &str = "tag:yaml.org,2002:";

fn map_lookup(s: &str) -> Option<Resolved> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Resolved::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        "<<" => Resolved::Merge,
        _ => return None,
    })
}

#[derive(Debug, PartialEq)]
enum NumErr {
    Syntax,
    Range,
}

/// Go `strconv.ParseUint(s, 0, 64)` (no underscores: callers strip them).
fn go_parse_uint0(s: &str) -> Result<u64, NumErr> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(NumErr::Syntax);
    }
    let (base, digits): (u64, &[u8]) = if b[0] == b'0' {
        match b.get(1).map(u8::to_ascii_lowercase) {
            Some(b'b') if b.len() >= 3 => (2, &b[2..]),
            Some(b'o') if b.len() >= 3 => (8, &b[2..]),
            Some(b'x') if b.len() >= 3 => (16, &b[2..]),
            _ => (8, &b[1..]),
        }
    } else {
        (10, b)
    };
    let mut n: u64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => u64::from(c - b'0'),
            b'a'..=b'z' => u64::from(c - b'a') + 10,
            b'A'..=b'Z' => u64::from(c - b'A') + 10,
            _ => return Err(NumErr::Syntax),
        };
        if d >= base {
            return Err(NumErr::Syntax);
        }
        n = n
            .checked_mul(base)
            .and_then(|n| n.checked_add(d))
            .ok_or(NumErr::Range)?;
    }
    Ok(n)
}

/// Go `strconv.ParseInt(s, 0, 64)`.
fn go_parse_int0(s: &str) -> Result<i64, NumErr> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = go_parse_uint0(rest)?;
    if neg {
        if u > 1u64 << 63 {
            return Err(NumErr::Range);
        }
        Ok((u as i64).wrapping_neg())
    } else {
        i64::try_from(u).map_err(|_| NumErr::Range)
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go `strconv.ParseFloat(s, 64)` for the decimal forms go-yaml feeds it.
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    // Rust accepts "inf"/"nan" spellings Go would also accept, but go-yaml
    // only calls this on text starting with '.' or matching the float regex.
    if !b
        .iter()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    // Go reports overflow as an error (and go-yaml then keeps the string).
    f.is_finite().then_some(f)
}

/// Go's `getnum(s, false)`: one or two digits.
fn getnum(s: &[u8]) -> Option<(u32, &[u8])> {
    let d0 = *s.first().filter(|c| c.is_ascii_digit())?;
    match s.get(1) {
        Some(d1) if d1.is_ascii_digit() => {
            Some((u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'), &s[2..]))
        }
        _ => Some((u32::from(d0 - b'0'), &s[1..])),
    }
}

/// go-yaml's `parseTimestamp`: Go `time.Parse` with the layouts
/// `2006-1-2T15:4:5.999999999Z07:00` (also lower-case `t`),
/// `2006-1-2 15:4:5.999999999` and `2006-1-2`.
pub fn parse_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let lead = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if lead != 4 || b.get(4) != Some(&b'-') {
        return false;
    }
    let year: i64 = s[..4].parse().unwrap_or(0);
    let Some((month, rest)) = getnum(&b[5..]) else {
        return false;
    };
    if !(1..=12).contains(&month) {
        return false;
    }
    let Some(rest) = rest.strip_prefix(b"-") else {
        return false;
    };
    let Some((day, rest)) = getnum(rest) else {
        return false;
    };
    if day < 1 || i64::from(day) > crate::go::time::days_in(i64::from(month), year) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let (zone, rest) = match rest[0] {
        b'T' | b't' => (true, &rest[1..]),
        b' ' => (false, &rest[1..]),
        _ => return false,
    };
    let Some((hour, rest)) = getnum(rest) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(b":") else {
        return false;
    };
    let Some((min, rest)) = getnum(rest) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(b":") else {
        return false;
    };
    let Some((sec, mut rest)) = getnum(rest) else {
        return false;
    };
    if hour > 23 || min > 59 || sec > 59 {
        return false;
    }
    if rest.len() >= 2 && (rest[0] == b'.' || rest[0] == b',') && rest[1].is_ascii_digit() {
        let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &rest[1 + n..];
    }
    if zone {
        if let Some(r) = rest.strip_prefix(b"Z") {
            rest = r;
        } else {
            if rest.len() < 6 || rest[3] != b':' || !(rest[0] == b'+' || rest[0] == b'-') {
                return false;
            }
            let fixed = |d: &[u8]| d.iter().all(u8::is_ascii_digit);
            if !fixed(&rest[1..3]) || !fixed(&rest[4..6]) {
                return false;
            }
            let hr = u32::from(rest[1] - b'0') * 10 + u32::from(rest[2] - b'0');
            let mm = u32::from(rest[4] - b'0') * 10 + u32::from(rest[5] - b'0');
            if hr > 24 || mm > 60 {
                return false;
            }
            rest = &rest[6..];
        }
    }
    rest.is_empty()
}

/// go-yaml v2 `resolve("", s)`: the type of an untagged plain scalar.
pub fn resolve_plain(s: &str) -> Resolved {
    resolve_hinted(s, true)
}

fn resolve_hinted(s: &str, try_timestamp: bool) -> Resolved {
    let hint = match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint == 0 {
        return Resolved::Str;
    }
    if let Some(r) = map_lookup(s) {
        return r;
    }
    match hint {
        b'.' => {
            if let Some(f) = go_parse_float(s) {
                return Resolved::Float(f);
            }
        }
        b'D' | b'S' => {
            if try_timestamp && parse_timestamp(s) {
                return Resolved::Timestamp;
            }
            let plain = s.replace('_', "");
            if let Ok(i) = go_parse_int0(&plain) {
                return Resolved::Int(i);
            }
            if let Ok(u) = go_parse_uint0(&plain) {
                return Resolved::Uint(u);
            }
            if yaml_style_float(&plain)
                && let Some(f) = go_parse_float(&plain)
            {
                return Resolved::Float(f);
            }
            let bin = |digits: &str, neg: bool| -> Option<Resolved> {
                if digits.is_empty() || !digits.bytes().all(|c| c == b'0' || c == b'1') {
                    return None;
                }
                let u = u64::from_str_radix(digits, 2).ok()?;
                if neg {
                    (u <= 1 << 63).then(|| Resolved::Int((u as i64).wrapping_neg()))
                } else {
                    Some(i64::try_from(u).map_or(Resolved::Uint(u), Resolved::Int))
                }
            };
            if let Some(d) = plain.strip_prefix("0b") {
                if let Some(r) = bin(d, false) {
                    return r;
                }
            } else if let Some(d) = plain.strip_prefix("-0b")
                && let Some(r) = bin(d, true)
            {
                return r;
            }
        }
        _ => {}
    }
    Resolved::Str
}

/// go-yaml's base-60 float test (`1:20`), quoted on output for YAML 1.1
/// readers although go-yaml itself reads it as a string.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        Some(c) if *c == b'+' || *c == b'-' || c.is_ascii_digit() => {}
        _ => return false,
    }
    if !s.contains(':') {
        return false;
    }
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let mut i = usize::from(b[0] == b'+' || b[0] == b'-');
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() && i - st < 2 {
            i += 1;
        }
        match i - st {
            1 => {}
            2 if b[st] <= b'5' => {}
            2 => {
                // "[0-5]?[0-9]" cannot take 2 digits starting above 5; the
                // regex would backtrack to one digit and then fail on the next.
                i = st + 1;
            }
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

// ---------------------------------------------------------------------------
// Node tree from saphyr events
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Kind {
    Scalar {
        value: String,
        style: ScalarStyle,
        tag: Option<String>,
    },
    Seq(Vec<usize>),
    Map(Vec<(usize, usize)>),
    /// Target node and the alias name (for error messages).
    Alias(usize, String),
}

#[derive(Debug)]
struct Node {
    kind: Kind,
    /// 1-based line and column of the node start.
    pos: (usize, usize),
}

struct Tree {
    nodes: Vec<Node>,
    root: Option<usize>,
}

/// A failure while parsing, before the Helm wording is applied.
struct Fail {
    message: String,
    line: usize,
    column: usize,
}

fn anchor_name_at(chars: &[char], index: usize) -> String {
    let start = chars
        .iter()
        .skip(index)
        .position(|&c| c == '*' || c == '&')
        .map_or(index, |p| index + p + 1);
    chars
        .iter()
        .skip(start)
        .take_while(|&&c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .collect()
}

/// A block scalar that runs to the end of a text with no final line break,
/// as libyaml reads it: `value` is saphyr's reading, `tail` the text's last
/// line, `from` the text from the scalar's start mark (its first content
/// character, or its header when it has no content) at column `col`.
fn block_scalar_at_eof(mut value: String, tail: &str, from: &[char], col: usize) -> String {
    if !value.is_empty() && value.bytes().all(|b| b == b'\n') {
        // No content, kept line breaks (`|+`): libyaml keeps those that
        // follow the header's own; saphyr counts a last line of spaces too.
        let breaks = from.iter().filter(|&&c| c == '\n').count();
        return "\n".repeat(breaks.saturating_sub(1));
    }
    // saphyr ends the scalar with a line break the text does not have,
    // except after a last line of spaces short of the indentation, which
    // it reads as libyaml does.
    if value.ends_with('\n') && !(tail.bytes().all(|b| b == b' ') && tail.len() < col) {
        value.pop();
    }
    value
}

/// Parse the first document of `text` into a node tree.
fn build_tree(text: &str) -> Result<Tree, Fail> {
    let mut fixed: Option<String> = None;
    let mut reread = 0usize;
    loop {
        let t = fixed.as_deref().unwrap_or(text);
        reread += t.len();
        let mut retry = None;
        let tree = build_tree_once(t, reread <= TAB_REREAD_BUDGET, &mut retry);
        match retry {
            Some(next) => fixed = Some(next),
            None => return tree,
        }
    }
}

/// Bytes a text may be parsed again for its tabs after `:` (each tab run
/// found costs a whole parse), so a text full of them stays fast to refuse.
const TAB_REREAD_BUDGET: usize = 64 << 20;

/// `text` with the tabs right before char index `at` made spaces, when
/// they follow a `:` (saphyr's complaint about `a:\t1`, which libyaml
/// reads as `a: 1`; a tab for a space keeps every position).
fn tabs_after_colon_as_spaces(chars: &[char], at: usize) -> Option<String> {
    let mut start = at.min(chars.len());
    while start > 0 && chars[start - 1] == '\t' {
        start -= 1;
    }
    if start == at || start == 0 || chars[start - 1] != ':' {
        return None;
    }
    let mut fixed = chars.to_vec();
    fixed[start..at].fill(' ');
    Some(fixed.into_iter().collect())
}

/// `text` with the lines of the flow collection opened at char index
/// `start` indented at least to the column of its bracket. libyaml checks no
/// indentation inside `[...]` and `{...}` (`b: [` then items or `]` at the
/// key's column); saphyr refuses lines left of the enclosing block's indent.
/// White space that starts a line inside a flow collection is no content
/// (folded away in scalars too), so only columns change.
fn flow_lines_indented(chars: &[char], start: usize) -> Option<String> {
    let line_start = chars[..start.min(chars.len())]
        .iter()
        .rposition(|&c| c == '\n')
        .map_or(0, |i| i + 1);
    let want = start - line_start;
    let mut out: Vec<char> = Vec::with_capacity(chars.len() + 64);
    out.extend_from_slice(&chars[..start]);
    let (mut depth, mut quote, mut comment, mut changed) = (0usize, None, false, false);
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        match quote {
            Some('"') if c == '\\' => {
                if let Some(&n) = chars.get(i)
                    && n != '\n'
                {
                    out.push(n);
                    i += 1;
                }
                continue;
            }
            Some(q) if c == q => {
                // '' inside single quotes is an escaped quote.
                if q == '\'' && chars.get(i) == Some(&'\'') {
                    out.push('\'');
                    i += 1;
                } else {
                    quote = None;
                }
                continue;
            }
            _ => {}
        }
        if c == '\n' {
            comment = false;
            let mut col = 0;
            while chars.get(i + col) == Some(&' ') {
                col += 1;
            }
            if col < want && !matches!(chars.get(i + col), None | Some('\n' | '\r')) {
                out.extend(std::iter::repeat_n(' ', want - col));
                changed = true;
            }
            continue;
        }
        if quote.is_some() || comment {
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '#' if i < 2 || chars[i - 2].is_whitespace() => comment = true,
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    out.extend_from_slice(&chars[i.min(chars.len())..]);
    changed.then(|| out.into_iter().collect())
}

/// One parse of `text`; when saphyr refuses a tab after `:` and `may_retry`,
/// `retry` gets the text to parse instead.
fn build_tree_once(text: &str, may_retry: bool, retry: &mut Option<String>) -> Result<Tree, Fail> {
    // The text's last line, when no line break ends it: a block scalar
    // that runs into it needs `block_scalar_at_eof`.
    let tail = match text.rfind(['\n', '\r']) {
        Some(i) => &text[i + 1..],
        None => text,
    };
    // Character-indexed text, for error messages, alias names and the `\/`
    // check only: most documents never need it.
    let chars_cell = std::cell::OnceCell::new();
    let chars = || -> &[char] { chars_cell.get_or_init(|| text.chars().collect::<Vec<char>>()) };
    // Rendered documents end without a line break, so every block scalar in
    // them asks whether it reaches the end: a count, not the char vector.
    let char_count = std::cell::OnceCell::new();
    let slash_escape = text.contains("\\/");
    let mut parser = Parser::new_from_str(text);
    let mut nodes: Vec<Node> = Vec::new();
    let mut anchors: BTreeMap<usize, usize> = BTreeMap::new();
    // Open collections: node index, and for maps a pending key.
    let mut stack: Vec<(usize, Option<usize>)> = Vec::new();
    // Per open collection, the char index where it starts (a flow
    // collection's `[` or `{`), for `flow_lines_indented`.
    let mut flow_at: Vec<usize> = Vec::new();
    let mut root = None;
    let mut seen_doc = false;
    loop {
        let (ev, span) = match parser.next_event() {
            None => break,
            Some(Ok(x)) => x,
            Some(Err(e)) => {
                if root.is_some() && e.info() == "misplaced bracket" {
                    break;
                }
                // libyaml stops reading after a flow collection at the root,
                // so a stray closing bracket after it is never an error.
                if e.info() == "misplaced bracket" {
                    let chars = chars();
                    let head: String = chars[..e.marker().index().min(chars.len())]
                        .iter()
                        .collect();
                    let t = head.trim();
                    if ((t.starts_with('{') && t.ends_with('}'))
                        || (t.starts_with('[') && t.ends_with(']')))
                        && let Ok(tree) = build_tree(&head)
                        && tree.root.is_some()
                    {
                        return Ok(tree);
                    }
                }
                if may_retry && e.info() == "':' must be followed by a valid YAML whitespace" {
                    *retry = tabs_after_colon_as_spaces(chars(), e.marker().index());
                }
                if may_retry
                    && e.info().starts_with("invalid indentation")
                    && let Some(&start) = flow_at
                        .iter()
                        .find(|&&at| matches!(chars().get(at), Some('[' | '{')))
                {
                    *retry = flow_lines_indented(chars(), start);
                }
                return Err(scan_fail(&e, chars()));
            }
        };
        let pos = (span.start.line(), span.start.col() + 1);
        let new_node = match ev {
            Event::StreamStart | Event::Nothing => continue,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                if seen_doc {
                    break;
                }
                seen_doc = true;
                continue;
            }
            Event::DocumentEnd => break,
            Event::Alias(id) => {
                let name = anchor_name_at(chars(), span.start.index());
                match anchors.get(&id) {
                    Some(&target) => Node {
                        kind: Kind::Alias(target, name),
                        pos,
                    },
                    None => {
                        return Err(Fail {
                            message: format!("unknown anchor '{name}' referenced"),
                            line: pos.0,
                            column: pos.1,
                        });
                    }
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                if style == ScalarStyle::DoubleQuoted
                    && slash_escape
                    && let Some(at) = check_escapes(chars(), span.start.index(), span.end.index())
                {
                    let line0 = chars()[..at].iter().filter(|&&c| c == '\n').count();
                    let prefix = if line0 > 0 {
                        format!("line {}: ", line0 + 1)
                    } else {
                        String::new()
                    };
                    return Err(Fail {
                        message: format!("{prefix}found unknown escape character"),
                        line: line0 + 1,
                        column: 1,
                    });
                }
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                if tag.as_deref() == Some("") {
                    // `!<>`: libyaml requires a non-empty verbatim tag.
                    let prefix = if pos.0 > 1 {
                        format!("line {}: ", pos.0)
                    } else {
                        String::new()
                    };
                    return Err(Fail {
                        message: format!("{prefix}did not find expected tag URI"),
                        line: pos.0,
                        column: pos.1,
                    });
                }
                let mut value = value.into_owned();
                if !tail.is_empty()
                    && matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    && span.end.index() >= *char_count.get_or_init(|| text.chars().count())
                {
                    value = block_scalar_at_eof(
                        value,
                        tail,
                        chars().get(span.start.index()..).unwrap_or_default(),
                        span.start.col(),
                    );
                }
                let idx = nodes.len();
                nodes.push(Node {
                    kind: Kind::Scalar { value, style, tag },
                    pos,
                });
                if anchor > 0 {
                    anchors.insert(anchor, idx);
                }
                if attach(&mut nodes, &mut stack, &mut root, idx) {
                    break;
                }
                continue;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Fail {
                        message: format!("exceeded max depth of {MAX_DEPTH}"),
                        line: pos.0,
                        column: pos.1,
                    });
                }
                let idx = nodes.len();
                let kind = if matches!(ev, Event::SequenceStart(..)) {
                    Kind::Seq(Vec::new())
                } else {
                    Kind::Map(Vec::new())
                };
                nodes.push(Node { kind, pos });
                if anchor > 0 {
                    anchors.insert(anchor, idx);
                }
                stack.push((idx, None));
                flow_at.push(span.start.index());
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                flow_at.pop();
                let Some((idx, _)) = stack.pop() else {
                    continue;
                };
                if attach(&mut nodes, &mut stack, &mut root, idx) {
                    break;
                }
                continue;
            }
        };
        let idx = nodes.len();
        nodes.push(new_node);
        if attach(&mut nodes, &mut stack, &mut root, idx) {
            break;
        }
    }
    Ok(Tree { nodes, root })
}

/// Hang a finished node under the open collection; true when it is the root.
fn attach(
    nodes: &mut [Node],
    stack: &mut [(usize, Option<usize>)],
    root: &mut Option<usize>,
    idx: usize,
) -> bool {
    let Some((parent, pending)) = stack.last_mut() else {
        *root = Some(idx);
        return true;
    };
    match &mut nodes[*parent].kind {
        Kind::Seq(items) => items.push(idx),
        Kind::Map(entries) => match pending.take() {
            None => *pending = Some(idx),
            Some(k) => entries.push((k, idx)),
        },
        _ => {}
    }
    false
}

/// Map saphyr's scanner/parser errors to go-yaml v2's words and its odd
/// line numbering: go-yaml prints `line N` with N = the 0-based line of the
/// problem for parser errors and the 1-based line for scanner errors, and
/// nothing at all when that number is 0.
fn scan_fail(e: &ScanError, chars: &[char]) -> Fail {
    let m = e.marker();
    let info = e.info();
    if std::env::var_os("YAMLWORK_DEBUG").is_some() {
        eprintln!("saphyr error: {info:?} at {}:{}", m.line(), m.col());
    }
    let mut line0 = m.line().saturating_sub(1);
    if info.contains("unexpected end of stream") {
        // libyaml reports it at the end of the input.
        line0 = chars.iter().filter(|&&c| c == '\n').count();
    }
    // (go-yaml problem text, is_scanner_error, 0-based line to report)
    let (msg, scanner, line) = map_error(info, line0, m.index(), chars);
    let line_txt = if scanner {
        if line > 0 {
            format!("line {}: ", line + 1)
        } else {
            String::new()
        }
    } else if line > 0 {
        format!("line {line}: ")
    } else {
        String::new()
    };
    Fail {
        message: format!("{line_txt}{msg}"),
        line: m.line(),
        column: m.col() + 1,
    }
}

fn map_error(info: &str, line0: usize, index: usize, chars: &[char]) -> (String, bool, usize) {
    let mut line = line0;
    let msg: (String, bool) = if info.contains("mapping values are not allowed") {
        (
            "mapping values are not allowed in this context".into(),
            true,
        )
    } else if info.contains("block sequence entries are not allowed") {
        (
            "block sequence entries are not allowed in this context".into(),
            true,
        )
    } else if info.contains("did not find expected ',' or ']'")
        || info.contains("expected ',' or ']'")
    {
        ("did not find expected ',' or ']'".into(), false)
    } else if info.contains("did not find expected ',' or '}'") {
        ("did not find expected ',' or '}'".into(), false)
    } else if info.contains("did not find expected node content")
        || info == "unexpected eof"
        || info == "misplaced bracket"
    {
        ("did not find expected node content".into(), false)
    } else if info.contains("did not find expected '-' indicator") {
        ("did not find expected '-' indicator".into(), false)
    } else if info.contains("did not find expected key")
        || info.contains("invalid trailing content after double-quoted")
    {
        ("did not find expected key".into(), false)
    } else if info.contains("could not find expected ':'") || info.contains("simple key expect") {
        ("could not find expected ':'".into(), true)
    } else if info.contains("found unexpected end of stream") {
        ("found unexpected end of stream".into(), true)
    } else if info.contains("found unknown escape character") {
        ("found unknown escape character".into(), true)
    } else if info.contains("did not find expected hexadecimal number") {
        ("did not find expected hexdecimal number".into(), true)
    } else if info.contains("found invalid Unicode character escape code") {
        ("found invalid Unicode character escape code".into(), true)
    } else if info.contains("did not find expected alphabetic or numeric character") {
        (
            "did not find expected alphabetic or numeric character".into(),
            true,
        )
    } else if info.contains("found an indentation indicator equal to 0") {
        ("found an indentation indicator equal to 0".into(), true)
    } else if info.contains("did not find expected comment or line break") {
        ("did not find expected comment or line break".into(), true)
    } else if info.contains("did not find expected tag URI") {
        ("did not find expected tag URI".into(), true)
    } else if info.contains("found incompatible YAML document") {
        ("found incompatible YAML document".into(), false)
    } else if info.contains("did not find expected <document start>")
        || info.contains("did not find expected <document-start>")
    {
        ("did not find expected <document start>".into(), false)
    } else if info.contains("unexpected character") || info.contains("cannot start any token") {
        ("found character that cannot start any token".into(), true)
    } else if info.contains("found unprintable character") || info.contains("control characters") {
        ("control characters are not allowed".into(), true)
    } else if info.contains("recursion limit exceeded") {
        (format!("exceeded max depth of {MAX_DEPTH}"), false)
    } else if info.contains("tabs disallowed within this context") {
        ("found character that cannot start any token".into(), true)
    } else if info.contains("while scanning a plain scalar, found a tab") {
        // libyaml points at the tab on the continuation line.
        let after: String = chars.iter().skip(index).collect();
        line += after
            .split('\n')
            .skip(1)
            .position(|l| {
                l.chars()
                    .take_while(|c| c.is_whitespace())
                    .any(|c| c == '\t')
            })
            .map_or(0, |p| p + 1);
        (
            "found a tab character that violates indentation".into(),
            true,
        )
    } else if info.contains("tab") {
        (
            "found a tab character that violates indentation".into(),
            true,
        )
    } else if info.starts_with("while parsing node, found unknown anchor") {
        (
            format!(
                "unknown anchor '{}' referenced",
                anchor_name_at(chars, index)
            ),
            false,
        )
    } else {
        (info.to_owned(), true)
    };
    // Reader errors carry no position in go-yaml.
    if msg.0 == "control characters are not allowed" {
        line = 0;
    }
    (msg.0, msg.1, line)
}

// ---------------------------------------------------------------------------
// Decoding (go-yaml v2 decode.go into interface{})
// ---------------------------------------------------------------------------

/// A decoded Go value before the JSON round trip; map keys keep their type.
#[derive(Clone, Debug)]
pub(crate) enum GoVal {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<(GoVal, (usize, usize))>),
    /// Entries with the position of each key.
    Map(Vec<(GoVal, GoVal, (usize, usize))>),
}

impl GoVal {
    fn same_key(&self, other: &GoVal) -> bool {
        match (self, other) {
            (GoVal::Nil, GoVal::Nil) => true,
            (GoVal::Bool(a), GoVal::Bool(b)) => a == b,
            (GoVal::Int(a), GoVal::Int(b)) => a == b,
            (GoVal::Uint(a), GoVal::Uint(b)) => a == b,
            (GoVal::Float(a), GoVal::Float(b)) => a == b,
            (GoVal::Str(a), GoVal::Str(b)) => a == b,
            _ => false,
        }
    }

    /// Go's `%#v`, used in "invalid map key" messages.
    fn go_sharp_v(&self, top: bool) -> String {
        match self {
            GoVal::Nil if top => "<nil>".into(),
            GoVal::Nil => "interface {}(nil)".into(),
            GoVal::Bool(b) => b.to_string(),
            GoVal::Int(i) => i.to_string(),
            GoVal::Uint(u) => format!("0x{u:x}"),
            GoVal::Float(f) => go_format_float(*f, b'g', 64),
            GoVal::Str(s) => go_quote(s),
            GoVal::Seq(items) => format!(
                "[]interface {{}}{{{}}}",
                items
                    .iter()
                    .map(|(v, _)| v.go_sharp_v(false))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            GoVal::Map(entries) => format!(
                "map[interface {{}}]interface {{}}{{{}}}",
                entries
                    .iter()
                    .map(|(k, v, _)| format!("{}:{}", k.go_sharp_v(false), v.go_sharp_v(false)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

struct Decoder<'t> {
    tree: &'t Tree,
    decode_count: usize,
    alias_count: usize,
    alias_depth: usize,
    /// Alias nodes being expanded (recursion check).
    active: Vec<usize>,
}

/// Default for [`max_alias_nodes`].
pub const DEFAULT_MAX_ALIAS_NODES: u64 = 1_000_000;

static MAX_ALIAS_NODES: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(DEFAULT_MAX_ALIAS_NODES);

/// Most nodes one document may produce by expanding aliases
/// (`--max-alias-nodes`), on top of go-yaml's alias-ratio guard.
pub fn max_alias_nodes() -> u64 {
    MAX_ALIAS_NODES.load(std::sync::atomic::Ordering::Relaxed)
}

pub fn set_max_alias_nodes(n: u64) {
    MAX_ALIAS_NODES.store(n, std::sync::atomic::Ordering::Relaxed);
}

fn allowed_alias_ratio(decode_count: usize) -> f64 {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

type DResult<T> = Result<T, (String, (usize, usize))>;

impl Decoder<'_> {
    fn fail<T>(&self, msg: String, pos: (usize, usize)) -> DResult<T> {
        Err((msg, pos))
    }

    /// go-yaml v2 `decoder.unmarshal`, with its billion-laughs guard.
    fn unmarshal(&mut self, idx: usize, depth: usize) -> DResult<GoVal> {
        let node = &self.tree.nodes[idx];
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count as u64 > max_alias_nodes() {
            return self.fail(
                format!(
                    "document expands aliases into more than {} nodes (raise with --max-alias-nodes)",
                    max_alias_nodes()
                ),
                node.pos,
            );
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return self.fail("document contains excessive aliasing".into(), node.pos);
        }
        if depth > MAX_DEPTH {
            return self.fail(format!("exceeded max depth of {MAX_DEPTH}"), node.pos);
        }
        match &node.kind {
            Kind::Alias(target, name) => {
                if self.active.contains(&idx) {
                    return self.fail(format!("anchor '{name}' value contains itself"), node.pos);
                }
                self.active.push(idx);
                self.alias_depth += 1;
                let r = self.unmarshal(*target, depth + 1);
                self.alias_depth -= 1;
                self.active.pop();
                r
            }
            Kind::Scalar { value, style, tag } => {
                self.scalar(value, *style, tag.as_deref(), node.pos)
            }
            Kind::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for &i in items {
                    let pos = self.tree.nodes[i].pos;
                    out.push((self.unmarshal(i, depth + 1)?, pos));
                }
                Ok(GoVal::Seq(out))
            }
            Kind::Map(entries) => {
                let mut out = MapBuilder::default();
                for &(k, v) in entries {
                    if self.is_merge(k) {
                        self.merge(v, &mut out, depth + 1)?;
                        continue;
                    }
                    let key = self.unmarshal(k, depth + 1)?;
                    if matches!(key, GoVal::Seq(_) | GoVal::Map(_)) {
                        return self.fail(
                            format!("invalid map key: {}", key.go_sharp_v(true)),
                            self.tree.nodes[k].pos,
                        );
                    }
                    let val = self.unmarshal(v, depth + 1)?;
                    out.set(key, val, self.tree.nodes[k].pos);
                }
                Ok(GoVal::Map(out.entries))
            }
        }
    }

    fn is_merge(&self, idx: usize) -> bool {
        match &self.tree.nodes[idx].kind {
            Kind::Scalar { value, style, tag } => {
                value == "<<"
                    && match tag {
                        None => *style == ScalarStyle::Plain,
                        Some(t) => t == "!" || t == "tag:yaml.org,2002:merge",
                    }
            }
            _ => false,
        }
    }

    fn resolved_kind(&self, idx: usize) -> Option<&Kind> {
        match &self.tree.nodes[idx].kind {
            Kind::Alias(t, _) => Some(&self.tree.nodes[*t].kind),
            k => Some(k),
        }
    }

    /// `decoder.merge`: later sources in a list lose to earlier ones, and
    /// merged keys overwrite what the mapping already holds.
    fn merge(&mut self, idx: usize, out: &mut MapBuilder, depth: usize) -> DResult<()> {
        const WANT_MAP: &str = "map merge requires map or sequence of maps as the value";
        let pos = self.tree.nodes[idx].pos;
        let is_map = |d: &Self, i: usize| matches!(d.resolved_kind(i), Some(Kind::Map(_)));
        let sources: Vec<usize> = match &self.tree.nodes[idx].kind {
            Kind::Map(_) => vec![idx],
            Kind::Alias(..) if is_map(self, idx) => vec![idx],
            Kind::Seq(items) => {
                let items = items.clone();
                for &i in items.iter().rev() {
                    if !is_map(self, i) {
                        return self.fail(WANT_MAP.into(), pos);
                    }
                }
                items.into_iter().rev().collect()
            }
            _ => return self.fail(WANT_MAP.into(), pos),
        };
        for s in sources {
            if let GoVal::Map(entries) = self.unmarshal(s, depth)? {
                for (k, v, p) in entries {
                    out.set(k, v, p);
                }
            }
        }
        Ok(())
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        tag: Option<&str>,
        pos: (usize, usize),
    ) -> DResult<GoVal> {
        let resolved = match tag {
            None if style != ScalarStyle::Plain => return Ok(GoVal::Str(value.to_owned())),
            None => resolve_plain(value),
            Some(t) => match resolve_tagged(t, value) {
                Ok(Some(r)) => r,
                Ok(None) => return Ok(GoVal::Str(value.to_owned())),
                Err(msg) => return self.fail(msg, pos),
            },
        };
        if tag == Some("tag:yaml.org,2002:binary") {
            return match base64_decode(value) {
                Some(bytes) => Ok(GoVal::Str(String::from_utf8_lossy(&bytes).into_owned())),
                None => self.fail("!!binary value contains invalid base64 data".into(), pos),
            };
        }
        Ok(match resolved {
            Resolved::Null => GoVal::Nil,
            Resolved::Bool(b) => GoVal::Bool(b),
            Resolved::Int(i) => GoVal::Int(i),
            Resolved::Uint(u) => GoVal::Uint(u),
            Resolved::Float(f) => GoVal::Float(f),
            Resolved::Timestamp | Resolved::Merge | Resolved::Str => GoVal::Str(value.to_owned()),
        })
    }
}

/// A decoded mapping's entries in document order, with Go map assignment:
/// a repeated key keeps the last value. Past a few entries the keys are
/// indexed, so a mapping of n keys is read in O(n), not O(n^2).
#[derive(Default)]
struct MapBuilder {
    entries: Vec<(GoVal, GoVal, (usize, usize))>,
    index: HashMap<KeyId, usize, foldhash::fast::RandomState>,
}

/// A scalar key's identity as Go's map compares it (`same_key`): -0.0 is
/// 0.0, and NaN never equals itself (so it is not indexed).
#[derive(PartialEq, Eq, Hash)]
enum KeyId {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64),
    Str(String),
}

impl KeyId {
    fn of(k: &GoVal) -> Option<KeyId> {
        Some(match k {
            GoVal::Nil => KeyId::Nil,
            GoVal::Bool(b) => KeyId::Bool(*b),
            GoVal::Int(i) => KeyId::Int(*i),
            GoVal::Uint(u) => KeyId::Uint(*u),
            GoVal::Float(f) if f.is_nan() => return None,
            GoVal::Float(f) => KeyId::Float(if *f == 0.0 { 0 } else { f.to_bits() }),
            GoVal::Str(s) => KeyId::Str(s.clone()),
            GoVal::Seq(_) | GoVal::Map(_) => return None,
        })
    }
}

/// Below this many entries a linear scan is cheaper than an index.
const INDEX_FROM: usize = 16;

impl MapBuilder {
    fn set(&mut self, key: GoVal, val: GoVal, pos: (usize, usize)) {
        if self.entries.len() < INDEX_FROM {
            if let Some(e) = self.entries.iter_mut().find(|(k, _, _)| k.same_key(&key)) {
                e.1 = val;
                e.2 = pos;
                return;
            }
            self.entries.push((key, val, pos));
            if self.entries.len() == INDEX_FROM {
                for (i, (k, _, _)) in self.entries.iter().enumerate() {
                    if let Some(id) = KeyId::of(k) {
                        self.index.insert(id, i);
                    }
                }
            }
            return;
        }
        match KeyId::of(&key) {
            Some(id) => match self.index.get(&id) {
                Some(&i) => {
                    self.entries[i].1 = val;
                    self.entries[i].2 = pos;
                }
                None => {
                    self.index.insert(id, self.entries.len());
                    self.entries.push((key, val, pos));
                }
            },
            None => self.entries.push((key, val, pos)),
        }
    }
}

fn short_tag(t: &str) -> String {
    match t.strip_prefix(TAG_PREFIX) {
        Some(s) => format!("!!{s}"),
        None => t.to_owned(),
    }
}

/// go-yaml v2 `resolve(tag, s)` for an explicitly tagged scalar: `Ok(None)`
/// means "keep the text as a string" (unknown or `!!str`/`!!binary` tags).
fn resolve_tagged(tag: &str, s: &str) -> Result<Option<Resolved>, String> {
    let short = tag.strip_prefix(TAG_PREFIX).unwrap_or("");
    if !tag.starts_with(TAG_PREFIX)
        || !matches!(
            short,
            "str" | "bool" | "int" | "float" | "null" | "timestamp"
        )
    {
        return Ok(if short == "binary" {
            Some(Resolved::Str)
        } else {
            None
        });
    }
    if short == "str" {
        return Ok(None);
    }
    let r = resolve_hinted(s, short == "timestamp");
    let rtag = match &r {
        Resolved::Null => "null",
        Resolved::Bool(_) => "bool",
        Resolved::Int(_) | Resolved::Uint(_) => "int",
        Resolved::Float(_) => "float",
        Resolved::Timestamp => "timestamp",
        Resolved::Merge => "merge",
        Resolved::Str => "str",
    };
    if rtag == short {
        return Ok(Some(r));
    }
    if short == "float"
        && let Resolved::Int(i) = r
    {
        return Ok(Some(Resolved::Float(i as f64)));
    }
    Err(format!(
        "cannot decode {} `{}` as a {}",
        short_tag(&format!("{TAG_PREFIX}{rtag}")),
        s,
        short_tag(tag)
    ))
}

/// Go `base64.StdEncoding.DecodeString`, which skips `\r` and `\n`.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut vals = Vec::new();
    let mut pad = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                continue;
            }
            b'\r' | b'\n' => continue,
            _ => return None,
        };
        if pad > 0 {
            return None;
        }
        vals.push(v);
    }
    if (vals.len() + pad) % 4 != 0 || pad > 2 || vals.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::new();
    for chunk in vals.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &v)| acc | (u32::from(v) << (18 - 6 * i)));
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------
// sigs.k8s.io/yaml: YAML -> JSON -> Go
// ---------------------------------------------------------------------------

/// Source positions of values, keyed by path (`a.b`, `list[0].name`).
pub type Positions = BTreeMap<String, (usize, usize)>;

fn json_key(k: &GoVal, v: &GoVal) -> Result<String, String> {
    Ok(match k {
        GoVal::Str(s) => s.clone(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Bool(b) => b.to_string(),
        // go-yaml's float-to-string for keys: 32-bit %g.
        GoVal::Float(f) => match go_format_float(*f, b'g', 32).as_str() {
            "+Inf" => ".inf".into(),
            "-Inf" => "-.inf".into(),
            "NaN" => ".nan".into(),
            s => s.into(),
        },
        GoVal::Uint(u) => {
            return Err(format!(
                "unsupported map key of type: uint64, key: 0x{u:x}, value: {}",
                v.go_sharp_v(true)
            ));
        }
        _ => {
            return Err(format!(
                "unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                v.go_sharp_v(true)
            ));
        }
    })
}

/// The JSON round trip: numbers become float64, keys strings.
fn to_value(g: &GoVal, path: &str, pos: &mut Option<&mut Positions>) -> Result<Value, String> {
    Ok(match g {
        GoVal::Nil => Value::Nil,
        GoVal::Bool(b) => Value::Bool(*b),
        GoVal::Int(i) => Value::Float(*i as f64),
        GoVal::Uint(u) => Value::Float(*u as f64),
        GoVal::Float(f) => {
            if !f.is_finite() {
                return Err(format!(
                    "json: unsupported value: {}",
                    go_format_float(*f, b'g', 64)
                ));
            }
            Value::Float(*f)
        }
        GoVal::Str(s) => Value::str(s),
        GoVal::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, (item, p)) in items.iter().enumerate() {
                // Paths are built only when positions are recorded.
                let sub = if pos.is_some() {
                    format!("{path}[{i}]")
                } else {
                    String::new()
                };
                if let Some(ps) = pos.as_deref_mut() {
                    ps.insert(sub.clone(), *p);
                }
                out.push(to_value(item, &sub, pos)?);
            }
            Value::List(Rc::new(out), ElemTy::Iface)
        }
        GoVal::Map(entries) => {
            let mut keyed = Vec::with_capacity(entries.len());
            for (k, v, p) in entries {
                keyed.push((json_key(k, v)?, v, *p));
            }
            let mut m = Map::new();
            for (k, v, p) in keyed {
                let sub = if pos.is_none() {
                    String::new()
                } else if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if let Some(ps) = pos.as_deref_mut() {
                    ps.insert(sub.clone(), p);
                }
                let val = to_value(v, &sub, pos)?;
                m.insert(k, val);
            }
            Value::map(m)
        }
    })
}

/// What the Go side unmarshals the JSON into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// `map[string]interface{}` (values files, `fromYaml`).
    Map,
    /// `[]interface{}` (`fromYamlArray`).
    Array,
    /// `interface{}`.
    Any,
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "bool",
        Value::Float(_) | Value::Int(..) => "number",
        Value::String(_) => "string",
        Value::List(..) => "array",
        _ => "object",
    }
}

fn err_at(message: String, line: usize, column: usize) -> YamlError {
    YamlError {
        line,
        column,
        message,
    }
}

/// Checks for input that libyaml rejects and saphyr accepts.
fn precheck(text: &str) -> Option<Fail> {
    // libyaml's reader refuses characters outside YAML 1.1's printable set.
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{85}')
            || (' '..='~').contains(&c)
            || ('\u{A0}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    if text.chars().any(|c| !allowed(c)) {
        let (line, column) = text
            .lines()
            .enumerate()
            .find_map(|(n, l)| l.chars().position(|c| !allowed(c)).map(|p| (n + 1, p + 1)))
            .unwrap_or((0, 0));
        return Some(Fail {
            message: "control characters are not allowed".into(),
            line,
            column,
        });
    }
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_end();
        if let Some(v) = t.strip_prefix("%YAML") {
            // go-yaml v2 accepts only "%YAML 1.1".
            let v = v.split('#').next().unwrap_or("").trim();
            if v != "1.1"
                && v.split('.').count() == 2
                && v.split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            {
                let prefix = if n > 0 {
                    format!("line {n}: ")
                } else {
                    String::new()
                };
                return Some(Fail {
                    message: format!("{prefix}found incompatible YAML document"),
                    line: n + 1,
                    column: 1,
                });
            }
            continue;
        }
        if t.is_empty() || t.trim_start().starts_with('#') || t.starts_with('%') {
            continue;
        }
        // A document end marker before any content: libyaml parses an
        // implicit document and finds no node.
        if t == "..." || t.starts_with("... ") || t.starts_with("...\t") {
            let prefix = if n > 0 {
                format!("line {n}: ")
            } else {
                String::new()
            };
            return Some(Fail {
                message: format!("{prefix}did not find expected node content"),
                line: n + 1,
                column: 1,
            });
        }
        break;
    }
    None
}

/// libyaml (YAML 1.1) has no `\/` escape in double-quoted scalars.
fn check_escapes(chars: &[char], start: usize, end: usize) -> Option<usize> {
    let mut i = start + 1;
    while i + 1 < end.min(chars.len()) {
        if chars[i] == '\\' {
            if chars[i + 1] == '/' {
                return Some(i);
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    None
}

/// sigs.k8s.io/yaml `Unmarshal(text, &target)`: first document only.
fn sigs_unmarshal(
    text: &str,
    target: Target,
    positions: Option<&mut Positions>,
) -> Result<Value, YamlError> {
    const CONV: &str = "error converting YAML to JSON: ";
    if let Some(f) = precheck(text) {
        return Err(err_at(
            format!("{CONV}yaml: {}", f.message),
            f.line,
            f.column,
        ));
    }
    // libyaml (YAML 1.1) treats NEL as a line break (folded to a space);
    // saphyr does not; folding makes a lone NEL read as a space.
    let normalized;
    let text = if text.contains('\u{85}') {
        normalized = text.replace('\u{85}', " ");
        normalized.as_str()
    } else {
        text
    };
    let tree = build_tree(text)
        .map_err(|f| err_at(format!("{CONV}yaml: {}", f.message), f.line, f.column))?;
    let g = match tree.root {
        None => GoVal::Nil,
        Some(root) => {
            let mut d = Decoder {
                tree: &tree,
                decode_count: 0,
                alias_count: 0,
                alias_depth: 0,
                active: Vec::new(),
            };
            // The document node counts as one decode in go-yaml.
            d.decode_count = 1;
            d.unmarshal(root, 0)
                .map_err(|(m, p)| err_at(format!("{CONV}yaml: {m}"), p.0, p.1))?
        }
    };
    // The node tree is as large as the input: free it before the values
    // are built (peak memory of large values files).
    drop(tree);
    let mut positions = positions;
    let v = to_value(&g, "", &mut positions).map_err(|m| err_at(format!("{CONV}{m}"), 0, 0))?;
    let mismatch = |want: &str| {
        err_at(
            format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type {want}",
                json_kind(&v)
            ),
            0,
            0,
        )
    };
    match target {
        Target::Any => Ok(v),
        Target::Map => match v {
            Value::Nil => Ok(Value::empty_map()),
            Value::Map(..) => Ok(v),
            _ => Err(mismatch("map[string]interface {}")),
        },
        Target::Array => match v {
            Value::Nil => Ok(Value::list(Vec::new())),
            Value::List(..) => Ok(v),
            _ => Err(mismatch("[]interface {}")),
        },
    }
}

/// k8s.io/apimachinery `YAMLReader`: split on lines starting with `---`,
/// skipping empty documents. Returns each document with its first line
/// number (1-based) in `text`.
pub fn split_documents(text: &str) -> Result<Vec<(String, usize)>, YamlError> {
    let mut docs = Vec::new();
    let mut buf = String::new();
    let mut buf_start = 1;
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last() == Some(&"") {
        lines.pop();
    }
    for (n, line) in lines.iter().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(err_at(
                    format!("invalid Yaml document separator: {trimmed}"),
                    n + 1,
                    1,
                ));
            }
            if !buf.is_empty() {
                docs.push((std::mem::take(&mut buf), buf_start));
            }
            buf_start = n + 2;
            continue;
        }
        if buf.is_empty() {
            buf_start = n + 1;
        }
        buf.push_str(line);
        buf.push('\n');
    }
    if !buf.is_empty() {
        docs.push((buf, buf_start));
    }
    Ok(docs)
}

fn shift(mut e: YamlError, first_line: usize) -> YamlError {
    if e.line > 0 {
        e.line += first_line - 1;
    }
    e
}

fn load_values(text: &str, mut positions: Option<&mut Positions>) -> Result<Value, YamlError> {
    let docs = split_documents(text).map_err(|e| YamlError {
        message: format!("error reading yaml document: {}", e.message),
        ..e
    })?;
    let mut values = Map::new();
    for (doc, first_line) in docs {
        let mut doc_pos = Positions::new();
        let v = sigs_unmarshal(&doc, Target::Map, Some(&mut doc_pos)).map_err(|e| {
            shift(
                YamlError {
                    message: format!("cannot unmarshal yaml document: {}", e.message),
                    ..e
                },
                first_line,
            )
        })?;
        if let Some(ps) = positions.as_deref_mut() {
            for (k, (l, c)) in doc_pos {
                ps.insert(k, (l + first_line - 1, c));
            }
        }
        if let Value::Map(m, _) = v {
            values = merge_maps(&values, &m.borrow());
        }
    }
    Ok(Value::map(values))
}

/// A values file as Helm's `LoadValues` reads it: documents separated by
/// `---` lines are parsed one by one and deep-merged. Errors carry Helm's
/// wording (`cannot unmarshal yaml document: error converting YAML to JSON:
/// yaml: line 3: ...`); the chart loader adds `cannot load values.yaml: `.
/// Null values are kept (Helm drops them later, when coalescing).
pub fn parse_values(text: &str) -> Result<Value, YamlError> {
    load_values(text, None)
}

/// [`parse_values`] plus the (line, column) of every map key and list item,
/// keyed by dotted path (`image.tag`, `volumes[0].name`).
pub fn parse_values_located(text: &str) -> Result<(Value, Positions), YamlError> {
    let mut ps = Positions::new();
    let v = load_values(text, Some(&mut ps))?;
    Ok((v, ps))
}

/// `yaml.Unmarshal(text, &map[string]interface{})` as sigs.k8s.io/yaml does
/// it (first document only): Helm's `fromYaml`.
pub fn parse_document(text: &str) -> Result<Value, YamlError> {
    sigs_unmarshal(text, Target::Map, None)
}

/// Unmarshal into `[]interface{}`: Helm's `fromYamlArray`.
pub fn parse_array(text: &str) -> Result<Value, YamlError> {
    sigs_unmarshal(text, Target::Array, None)
}

/// Unmarshal into `interface{}`: any top-level type.
pub fn parse_any(text: &str) -> Result<Value, YamlError> {
    sigs_unmarshal(text, Target::Any, None)
}

/// Every `---`-separated document (split as Helm's YAMLReader does), each
/// read like [`parse_any`].
pub fn parse_document_list(text: &str) -> Result<Vec<Value>, YamlError> {
    split_documents(text)?
        .into_iter()
        .map(|(doc, first)| parse_any(&doc).map_err(|e| shift(e, first)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution() {
        assert_eq!(resolve_plain("0777"), Resolved::Int(511));
        assert_eq!(resolve_plain("0x1F"), Resolved::Int(31));
        assert_eq!(resolve_plain("1_000"), Resolved::Int(1000));
        assert_eq!(resolve_plain("08"), Resolved::Float(8.0));
        assert_eq!(
            resolve_plain("18446744073709551615"),
            Resolved::Uint(u64::MAX)
        );
        assert_eq!(resolve_plain("1e400"), Resolved::Str);
        assert_eq!(resolve_plain("Yes"), Resolved::Bool(true));
        assert_eq!(resolve_plain("yEs"), Resolved::Str);
        assert_eq!(resolve_plain("2024-01-01"), Resolved::Timestamp);
        assert_eq!(resolve_plain("2024-13-01"), Resolved::Str);
        assert_eq!(
            resolve_plain("2001-12-14t21:59:43.10-05:00"),
            Resolved::Timestamp
        );
        assert!(is_base60_float("1:20"));
        assert!(is_base60_float("190:20:30"));
        assert!(!is_base60_float("1:60"));
        assert!(!is_base60_float("a:1"));
    }

    #[test]
    fn positions() {
        let (_, ps) = parse_values_located("a:\n  b: 1\nl:\n- x\n- name: y\n").unwrap();
        assert_eq!(ps.get("a.b"), Some(&(2, 3)));
        assert_eq!(ps.get("l[1]"), Some(&(5, 3)));
        assert_eq!(ps.get("l[1].name"), Some(&(5, 3)));
        let (_, ps) = parse_values_located("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(ps.get("b"), Some(&(3, 1)));
    }

    #[test]
    fn never_panics_on_garbage() {
        let mut seed: u64 = 0x1234_5678;
        let alphabet = b"ab:-[]{}#&*!|>'\"%@`, \n\t?.~01\\";
        for _ in 0..3000 {
            let len = (seed % 40) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()] as char);
            }
            let _ = parse_values(&s);
            let _ = parse_any(&s);
        }
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let deep = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        let e = parse_values(&deep).unwrap_err();
        assert!(e.message.contains("exceeded max depth"), "{}", e.message);
        let ok = format!("a: {}{}\n", "[".repeat(250), "]".repeat(250));
        assert!(parse_values(&ok).is_ok(), "{:?}", parse_values(&ok).err());
        let block: String = (0..450).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(parse_values(&block).is_ok());
    }
}
