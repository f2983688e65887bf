//! Sizes, checked: no source file in `src/` over 1,200 lines and no
//! function over 150 lines (issue 17), except the functions in [`PORTS`],
//! each a faithful port of one Go function whose shape follows Go's.

use std::path::Path;

const MAX_FILE_LINES: usize = 1200;
const MAX_FN_LINES: usize = 150;

/// (file, function, the Go function it ports): long because Go's is, and
/// kept in one piece so that it reads against Go's line by line.
const PORTS: &[(&str, &str, &str)] = &[
    (
        "src/funcs/dates/layout.rs",
        "parse_elem",
        "time.parse (its switch over one layout element)",
    ),
    ("src/go/fmt.rs", "sprintf", "fmt.(*pp).doPrintf"),
];

/// `text` with comments, string and char literals blanked (newlines
/// kept), so that only code braces count.
fn code_only(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let ident = |i: usize| i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let end = if rest.starts_with(b"//") {
            i + rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())
        } else if rest.starts_with(b"/*") {
            i + 2 + find(&rest[2..], b"*/").map_or(rest.len() - 2, |p| p + 2)
        } else if let Some(hashes) = raw_string_start(rest).filter(|_| !ident(i)) {
            // r"...", r#"..."#, br"...": ends at the quote and as many #.
            let open = rest.iter().position(|&c| c == b'"').unwrap_or(0) + 1;
            let mut close = vec![b'"'];
            close.extend(std::iter::repeat_n(b'#', hashes));
            i + open + find(&rest[open..], &close).map_or(rest.len() - open, |p| p + close.len())
        } else if rest[0] == b'"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            i + j + 1
        } else if rest[0] == b'\'' && rest.get(1) == Some(&b'\\') {
            i + 2
                + rest[2..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map_or(0, |p| p + 1)
        } else if rest[0] == b'\'' && rest.len() > 2 && char_literal_len(&rest[1..]).is_some() {
            i + 2 + char_literal_len(&rest[1..]).unwrap_or(0)
        } else {
            i += 1;
            continue;
        };
        blank(&mut out, i, end);
        i = end;
    }
    out
}

/// `r"`, `r#"`, `br"`...: the number of `#`.
fn raw_string_start(s: &[u8]) -> Option<usize> {
    let s = s.strip_prefix(b"b").unwrap_or(s);
    let s = s.strip_prefix(b"r")?;
    let hashes = s.iter().take_while(|&&c| c == b'#').count();
    (s.get(hashes) == Some(&b'"')).then_some(hashes)
}

/// After a `'`: the length of one character and the closing `'` (a char
/// literal), or `None` (a lifetime).
fn char_literal_len(s: &[u8]) -> Option<usize> {
    let first = *s.first()?;
    let len = match first {
        0..0x80 => 1,
        0xC0..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    };
    (s.get(len) == Some(&b'\'')).then_some(len + 1)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Every `fn` with a body: (name, first line, lines from `fn` to its
/// closing brace).
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code = code_only(text);
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let line_of = |i: usize| code[..i].iter().filter(|&&c| c == b'\n').count() + 1;
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = find(&code[i..], b"fn ") {
        let at = i + p;
        i = at + 3;
        if at > 0 && is_ident(code[at - 1]) {
            continue;
        }
        let name: String = code[i..]
            .iter()
            .take_while(|&&c| is_ident(c))
            .map(|&c| c as char)
            .collect();
        if name.is_empty() {
            continue; // `fn(` types and `fn $name` in macros
        }
        // The body opens at the first `{` before any `;` (a declaration
        // without a body ends at `;`).
        let Some(open) = code[i..]
            .iter()
            .position(|&c| c == b'{' || c == b';')
            .map(|q| i + q)
            .filter(|&q| code[q] == b'{')
        else {
            continue;
        };
        let mut depth = 0;
        let mut close = open;
        for (k, &c) in code[open..].iter().enumerate() {
            match c {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                _ => continue,
            }
            if depth == 0 {
                close = open + k;
                break;
            }
        }
        let first = line_of(at);
        out.push((name, first, line_of(close) - first + 1));
    }
    out
}

#[test]
fn files_and_functions_are_short() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    super::layers::rust_files(&root.join("src"), &mut files);
    let mut over = Vec::new();
    let mut ports_seen = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(root).expect("under the crate");
        if rel.components().any(|c| c.as_os_str() == "testdata") {
            continue;
        }
        let rel = rel.to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            over.push(format!(
                "{rel}: {lines} lines (at most {MAX_FILE_LINES}): split it along its seams"
            ));
        }
        for (name, line, len) in functions(&text) {
            if len <= MAX_FN_LINES {
                continue;
            }
            if PORTS.iter().any(|(f, n, _)| *f == rel && *n == name) {
                ports_seen.push((rel.clone(), name));
                continue;
            }
            over.push(format!(
                "{rel}:{line}: fn {name} has {len} lines (at most {MAX_FN_LINES}; a faithful port of one Go function goes in PORTS)"
            ));
        }
    }
    for (f, n, go) in PORTS {
        if !ports_seen.iter().any(|(sf, sn)| sf == f && sn == n) {
            over.push(format!(
                "PORTS lists {f}: fn {n} ({go}), which is gone or no longer over {MAX_FN_LINES} lines: remove the entry"
            ));
        }
    }
    assert!(over.is_empty(), "{}", over.join("\n"));
}

#[test]
fn functions_are_measured_in_code_only() {
    let text = "fn a() {\n    let s = \"}\";\n    let c = '{';\n    // }\n    let r = r#\"{\"#;\n}\nfn b<'a>(x: &'a str) -> &'a str {\n    x\n}\ntrait T {\n    fn decl(&self);\n}\nfn with_type(f: fn(u8) -> u8) {}\n";
    let got = functions(text);
    assert_eq!(
        got,
        vec![
            ("a".to_string(), 1, 6),
            ("b".to_string(), 7, 3),
            ("with_type".to_string(), 13, 1),
        ]
    );
}
