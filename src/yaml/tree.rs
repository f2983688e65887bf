//! The node tree, after go-yaml v2 `parserc.go`/`yaml.go` (`parser.parse`
//! building `node`s): saphyr-parser supplies the event stream and this
//! builds the first document's nodes, anchors kept as shared node indexes.
//! Where saphyr accepts what libyaml refuses (or the reverse) the fix-ups
//! are here; its error messages are mapped to go-yaml's in `scan_error`.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::MAX_DEPTH;
use super::scan_error::scan_fail;

#[derive(Debug)]
pub(super) enum Kind {
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
pub(super) struct Node {
    pub(super) kind: Kind,
    /// 1-based line and column of the node start.
    pub(super) pos: (usize, usize),
}

pub(super) struct Tree {
    pub(super) nodes: Vec<Node>,
    pub(super) root: Option<usize>,
}

/// A failure while parsing, before the Helm wording is applied.
pub(super) struct Fail {
    pub(super) message: String,
    pub(super) line: usize,
    pub(super) column: usize,
}

pub(super) fn anchor_name_at(chars: &[char], index: usize) -> String {
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
pub(super) fn build_tree(text: &str) -> Result<Tree, Fail> {
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
                return match refused(&e, root.is_some(), chars, &flow_at, may_retry, retry) {
                    Some(r) => r,
                    // What was read stands.
                    None => break,
                };
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
                let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                if let Some(fail) = scalar_refused(
                    style,
                    tag.as_deref(),
                    (slash_escape && style == ScalarStyle::DoubleQuoted).then(chars),
                    (span.start.index(), span.end.index()),
                    pos,
                ) {
                    return Err(fail);
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

/// What a saphyr error means for this parse: `None` when libyaml would
/// have stopped before it (the tree read so far stands), the tree of the
/// text up to a stray bracket after a flow collection at the root, or the
/// failure; sets `retry` when the text should be read again rewritten.
fn refused<'c>(
    e: &ScanError,
    has_root: bool,
    chars: impl Fn() -> &'c [char],
    flow_at: &[usize],
    may_retry: bool,
    retry: &mut Option<String>,
) -> Option<Result<Tree, Fail>> {
    if has_root && e.info() == "misplaced bracket" {
        return None;
    }
    // libyaml stops reading after a flow collection at the root,
    // so a stray closing bracket after it is never an error.
    if e.info() == "misplaced bracket" {
        let chars = chars();
        let head: String = chars[..e.marker().index().min(chars.len())]
            .iter()
            .collect();
        let t = head.trim();
        if ((t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']')))
            && let Ok(tree) = build_tree(&head)
            && tree.root.is_some()
        {
            return Some(Ok(tree));
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
    Some(Err(scan_fail(e, chars())))
}

/// Scalars saphyr accepts and libyaml refuses: an unknown escape `\/` in
/// a double-quoted scalar (`chars` is given only when the text holds one),
/// and an empty verbatim tag `!<>`.
fn scalar_refused(
    style: ScalarStyle,
    tag: Option<&str>,
    chars: Option<&[char]>,
    span: (usize, usize),
    pos: (usize, usize),
) -> Option<Fail> {
    if style == ScalarStyle::DoubleQuoted
        && let Some(chars) = chars
        && let Some(at) = check_escapes(chars, span.0, span.1)
    {
        let line0 = chars[..at].iter().filter(|&&c| c == '\n').count();
        let prefix = if line0 > 0 {
            format!("line {}: ", line0 + 1)
        } else {
            String::new()
        };
        return Some(Fail {
            message: format!("{prefix}found unknown escape character"),
            line: line0 + 1,
            column: 1,
        });
    }
    if tag == Some("") {
        // `!<>`: libyaml requires a non-empty verbatim tag.
        let prefix = if pos.0 > 1 {
            format!("line {}: ", pos.0)
        } else {
            String::new()
        };
        return Some(Fail {
            message: format!("{prefix}did not find expected tag URI"),
            line: pos.0,
            column: pos.1,
        });
    }
    None
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

/// libyaml's error `what` at the start of 0-based line `n`: its message
/// names the line (as libyaml's 0-based `line N:`) except on the first.
fn line_fail(n: usize, what: &str) -> Fail {
    let prefix = if n > 0 {
        format!("line {n}: ")
    } else {
        String::new()
    };
    Fail {
        message: format!("{prefix}{what}"),
        line: n + 1,
        column: 1,
    }
}

/// Checks for input that libyaml rejects and saphyr accepts.
pub(super) fn precheck(text: &str) -> Option<Fail> {
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
                return Some(line_fail(n, "found incompatible YAML document"));
            }
            continue;
        }
        if t.is_empty() || t.trim_start().starts_with('#') || t.starts_with('%') {
            continue;
        }
        // A document end marker before any content: libyaml parses an
        // implicit document and finds no node.
        if t == "..." || t.starts_with("... ") || t.starts_with("...\t") {
            return Some(line_fail(n, "did not find expected node content"));
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
