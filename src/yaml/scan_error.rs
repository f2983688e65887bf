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
