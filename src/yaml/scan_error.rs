//! saphyr's scanner and parser errors in go-yaml v2's words
//! (`scannerc.go`/`parserc.go` problems, `yaml_error.go` line numbering).

use saphyr_parser::ScanError;

use super::MAX_DEPTH;
use super::tree::{Fail, anchor_name_at};

/// Map saphyr's scanner/parser errors to go-yaml v2's words and its odd
/// line numbering: go-yaml prints `line N` with N = the 0-based line of the
/// problem for parser errors and the 1-based line for scanner errors, and
/// nothing at all when that number is 0.
pub(super) fn scan_fail(e: &ScanError, chars: &[char]) -> Fail {
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

/// How a row recognises saphyr's message.
#[derive(Clone, Copy, Debug)]
enum Saphyr {
    Has(&'static str),
    Is(&'static str),
    Starts(&'static str),
}

impl Saphyr {
    fn matches(self, info: &str) -> bool {
        match self {
            Saphyr::Has(s) => info.contains(s),
            Saphyr::Is(s) => info == s,
            Saphyr::Starts(s) => info.starts_with(s),
        }
    }
}

/// What go-yaml says instead.
#[derive(Clone, Copy, Debug)]
enum GoYaml {
    /// A scanner problem (`line N+1`).
    Scanner(&'static str),
    /// A parser problem (`line N`).
    Parser(&'static str),
    /// A reader problem: go-yaml gives no line.
    Reader(&'static str),
    /// The nesting limit, a parser problem.
    Depth,
    /// A tab in a plain scalar: libyaml points at the tab on the
    /// continuation line.
    TabInPlain,
    /// An alias to an unknown anchor, named from the input.
    UnknownAnchor,
}

/// saphyr-parser's messages (first match wins) and go-yaml v2's words for
/// each. Every row has a test that feeds saphyr an input producing it, so a
/// saphyr upgrade that rewords a message fails there, not in a user's face.
const MESSAGES: &[(Saphyr, GoYaml)] = &[
    (
        Saphyr::Has("mapping values are not allowed"),
        GoYaml::Scanner("mapping values are not allowed in this context"),
    ),
    (
        Saphyr::Has("block sequence entries are not allowed"),
        GoYaml::Scanner("block sequence entries are not allowed in this context"),
    ),
    (
        Saphyr::Has("expected ',' or ']'"),
        GoYaml::Parser("did not find expected ',' or ']'"),
    ),
    (
        Saphyr::Has("did not find expected ',' or '}'"),
        GoYaml::Parser("did not find expected ',' or '}'"),
    ),
    (
        Saphyr::Has("did not find expected node content"),
        GoYaml::Parser("did not find expected node content"),
    ),
    (
        Saphyr::Is("unexpected eof"),
        GoYaml::Parser("did not find expected node content"),
    ),
    (
        Saphyr::Is("misplaced bracket"),
        GoYaml::Parser("did not find expected node content"),
    ),
    (
        Saphyr::Has("did not find expected '-' indicator"),
        GoYaml::Parser("did not find expected '-' indicator"),
    ),
    (
        Saphyr::Has("did not find expected key"),
        GoYaml::Parser("did not find expected key"),
    ),
    (
        Saphyr::Has("invalid trailing content after double-quoted"),
        GoYaml::Parser("did not find expected key"),
    ),
    (
        Saphyr::Has("simple key expect"),
        GoYaml::Scanner("could not find expected ':'"),
    ),
    (
        Saphyr::Has("found unexpected end of stream"),
        GoYaml::Scanner("found unexpected end of stream"),
    ),
    (
        Saphyr::Has("found unknown escape character"),
        GoYaml::Scanner("found unknown escape character"),
    ),
    (
        Saphyr::Has("did not find expected hexadecimal number"),
        // go-yaml's spelling.
        GoYaml::Scanner("did not find expected hexdecimal number"),
    ),
    (
        Saphyr::Has("found invalid Unicode character escape code"),
        GoYaml::Scanner("found invalid Unicode character escape code"),
    ),
    (
        Saphyr::Has("did not find expected alphabetic or numeric character"),
        GoYaml::Scanner("did not find expected alphabetic or numeric character"),
    ),
    (
        Saphyr::Has("found an indentation indicator equal to 0"),
        GoYaml::Scanner("found an indentation indicator equal to 0"),
    ),
    (
        Saphyr::Has("did not find expected comment or line break"),
        GoYaml::Scanner("did not find expected comment or line break"),
    ),
    (
        Saphyr::Has("did not find expected tag URI"),
        GoYaml::Scanner("did not find expected tag URI"),
    ),
    (
        Saphyr::Has("did not find expected <document start>"),
        GoYaml::Parser("did not find expected <document start>"),
    ),
    (
        Saphyr::Has("unexpected character"),
        GoYaml::Scanner("found character that cannot start any token"),
    ),
    (
        Saphyr::Has("found unprintable character"),
        GoYaml::Reader("control characters are not allowed"),
    ),
    (Saphyr::Has("recursion limit exceeded"), GoYaml::Depth),
    (
        Saphyr::Has("tabs disallowed within this context"),
        GoYaml::Scanner("found character that cannot start any token"),
    ),
    (
        Saphyr::Has("while scanning a plain scalar, found a tab"),
        GoYaml::TabInPlain,
    ),
    (
        Saphyr::Has("tab"),
        GoYaml::Scanner("found a tab character that violates indentation"),
    ),
    (
        Saphyr::Starts("while parsing node, found unknown anchor"),
        GoYaml::UnknownAnchor,
    ),
];

/// The row of [`MESSAGES`] for a saphyr message, if any.
fn row_of(info: &str) -> Option<usize> {
    MESSAGES.iter().position(|(saphyr, _)| saphyr.matches(info))
}

/// (go-yaml problem text, is_scanner_error, 0-based line to report).
/// A message no row knows is passed on as saphyr wrote it.
fn map_error(info: &str, line0: usize, index: usize, chars: &[char]) -> (String, bool, usize) {
    let Some(row) = row_of(info) else {
        return (info.to_owned(), true, line0);
    };
    match MESSAGES[row].1 {
        GoYaml::Scanner(m) => (m.to_owned(), true, line0),
        GoYaml::Parser(m) => (m.to_owned(), false, line0),
        GoYaml::Reader(m) => (m.to_owned(), true, 0),
        GoYaml::Depth => (format!("exceeded max depth of {MAX_DEPTH}"), false, line0),
        GoYaml::TabInPlain => {
            let after: String = chars.iter().skip(index).collect();
            let down = after
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
                line0 + down,
            )
        }
        GoYaml::UnknownAnchor => (
            format!(
                "unknown anchor '{}' referenced",
                anchor_name_at(chars, index)
            ),
            false,
            line0,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr_parser::Parser;

    /// saphyr's message for `text`, the first error its parser meets.
    fn saphyr_error(text: &str) -> Option<String> {
        for ev in Parser::new_from_str(text) {
            if let Err(e) = ev {
                return Some(e.info().to_owned());
            }
        }
        None
    }

    /// One input per row of [`MESSAGES`], in order. `None`: no input is
    /// known to reach the row (saphyr's parser says "unexpected eof" only
    /// when its scanner stops before the end of the stream, which its
    /// scanner does not do today).
    const INPUTS: &[Option<&str>] = &[
        Some("a: b: c\n"),
        Some("a: - b\n"),
        Some("[a, b\n"),
        Some("{a: 1\n"),
        Some("[\n"),
        None,
        Some("a: ]\n"),
        Some("- a\nb: c\n"),
        Some("a: 1\n- b\n"),
        Some("\"a\" x\n"),
        Some("- a\nb\n"),
        Some("\"abc\n"),
        Some("\"\\q\"\n"),
        Some("\"\\xZZ\"\n"),
        Some("\"\\uD800\"\n"),
        Some("&\n"),
        Some("|0\n"),
        Some("|1x\n"),
        Some("!a! b\n"),
        Some("%YAML 1.1\na\n"),
        Some("@\n"),
        Some("a: \u{0}\n"),
        Some(DEEP),
        Some("a:\n\t- b\n"),
        Some("a: b\n\tc\n"),
        Some("|\n\tb\n"),
        Some("*x\n"),
    ];

    /// Stands for a flow sequence nested past saphyr's recursion limit.
    const DEEP: &str = "<deep>";

    #[test]
    fn every_saphyr_message_is_recognised() {
        assert_eq!(INPUTS.len(), MESSAGES.len(), "one input per row");
        let mut wrong = Vec::new();
        for (row, text) in INPUTS.iter().enumerate() {
            let Some(text) = text else { continue };
            let text = if *text == DEEP {
                format!("a: {}\n", "[".repeat(5000))
            } else {
                (*text).to_owned()
            };
            let info = saphyr_error(&text);
            if info.as_deref().and_then(row_of) != Some(row) {
                wrong.push(format!(
                    "row {row} ({:?}): saphyr says {info:?} for {text:?}",
                    MESSAGES[row].0
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
