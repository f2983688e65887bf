//! The layering of the crate, checked: every `crate::` path in `src/`
//! (and every `pchart::` path of the command line, which is the binary
//! crate) must name a module of a layer below the file's own. The layers
//! and why each sits where it does are in `docs/architecture.md`.
//! Issue 17 removed the last upward arrows; the test fails on any new one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Top-level modules from the bottom up: a module may use the modules
/// before it, never one after it. Issue 17 groups yaml..funcs as peers;
/// the order here is strict, which keeps circles such as chart <-> values
/// out.
#[rustfmt::skip]
const LAYERS: &[&str] = &[
    // Foundations: limits holds the run's resource limits, which input,
    // the YAML reader and the executor read; input and atomic read and
    // write files; stack guards recursion and words a failed thread start
    // as input words I/O errors; style paints terminal text.
    "limits",
    "input",
    "stack",
    "atomic",
    "style",
    // The OCI distribution client (registries, credentials, digests):
    // fetching chart archives and pushing artifacts both use it.
    "oci",
    // The house's data type (with the Go types that function signatures
    // name), then Go's standard-library ports, which format and parse it.
    "value",
    "go",
    // Go's text/template, then other Go ports built on it.
    "template",
    "semver",
    // Helm's data: YAML, values, fetching charts, charts, schemas.
    "yaml",
    "values",
    "chart",
    // Charts from OCI registries and HTTP repositories, and dependency
    // update/build: reads Chart.yaml and archives (chart), used by the
    // command line.
    "remote",
    "schema",
    // The template functions (Sprig and Helm's).
    "funcs",
    // Helm's engine and release rendering.
    "render",
    // Checks of rendered objects (Kubernetes API), then the rules.
    "validate",
    "lint",
    // OCI artifacts of dashboards: uses lint's findings and rules, used by
    // the command line only.
    "artifact",
    // Golden-file comparison (findings), then the report formats, which
    // know every code (lint's and golden's).
    "golden",
    "report",
    // The binary: src/main.rs and src/cli/.
    "cli",
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|m| *m == module)
}

/// Every `.rs` file under `dir`.
pub(super) fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module a file belongs to (`src/yaml/read.rs` -> `yaml`;
/// `src/main.rs` and `src/cli/**` -> `cli`), and its module path below
/// the crate root (for resolving `super::`).
fn module_of(rel: &Path) -> (String, Vec<String>) {
    let parts: Vec<String> = rel
        .iter()
        .skip(1) // "src"
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let mut path: Vec<String> = parts
        .iter()
        .map(|p| p.trim_end_matches(".rs").to_string())
        .collect();
    if path.last().is_some_and(|l| l == "mod") {
        path.pop();
    }
    let top = if path == ["main"] || path.first().is_some_and(|p| p == "cli") {
        "cli".to_string()
    } else {
        path.first().cloned().unwrap_or_default()
    };
    (top, path)
}

/// The text without comments (`//` to the end of the line and `/* */`),
/// so that doc links and prose do not count as imports. String contents
/// are kept: no source names a module path inside a string.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let (mut i, mut in_str) = (0, false);
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' && i + 1 < b.len() {
                out.push(c as char);
                out.push(b[i + 1] as char);
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
        } else if c == b'"' && !is_char_literal(b, i) {
            in_str = true;
        } else if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            continue;
        }
        // Non-ASCII bytes only occur in strings and comments; keep the
        // text ASCII-safe for the scan.
        out.push(if c.is_ascii() { c as char } else { ' ' });
        i += 1;
    }
    out
}

/// Whether the quote at `i` is the char literal `'"'` or `'\"'`.
fn is_char_literal(b: &[u8], i: usize) -> bool {
    let next_is_tick = b.get(i + 1) == Some(&b'\'');
    (i >= 1 && b[i - 1] == b'\'' && next_is_tick)
        || (i >= 2 && b[i - 1] == b'\\' && b[i - 2] == b'\'' && next_is_tick)
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The identifiers right after `prefix::` in `text` (`prefix::{a, b::c}`
/// gives `a` and `b`), where `prefix` is a whole word.
fn used_after(text: &str, prefix: &str) -> Vec<String> {
    let needle = format!("{prefix}::");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find(&needle) {
        let start = from + pos;
        from = start + needle.len();
        if text[..start].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let rest = text[from..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            out.extend(group_items(group));
        } else {
            let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// The first identifier of each top-level item of a `{...}` group (the
/// text after the opening brace).
fn group_items(group: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    let mut want = true;
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => want = true,
            c if want && depth == 0 && is_ident(c) => current.push(c),
            _ if want && !current.is_empty() => {
                out.push(std::mem::take(&mut current));
                want = false;
            }
            _ => {}
        }
    }
    if want && !current.is_empty() {
        out.push(current);
    }
    out
}

/// The top-level modules `file` (module path `path`) uses: `crate::x`,
/// `pchart::x` in the binary, and `super::` chains that climb out of the
/// file's top-level module.
fn uses(text: &str, top: &str, path: &[String]) -> BTreeSet<String> {
    let text = strip_comments(text);
    let mut out: BTreeSet<String> = used_after(&text, "crate").into_iter().collect();
    if top == "cli" {
        out.extend(used_after(&text, "pchart"));
    }
    // `super::super::x` from src/a/b.rs reaches the crate root.
    let depth = path.len();
    for (i, _) in text.match_indices("super::") {
        if text[..i].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let mut rest = &text[i..];
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            ups += 1;
            rest = r.trim_start();
        }
        // Inline modules (`mod tests`) add levels this scan does not see,
        // so only names of layers count.
        if ups >= depth && depth > 0 {
            let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
            if rank(&name).is_some() {
                out.insert(name);
            }
        }
    }
    out.remove(top);
    out.remove("self");
    out.remove("");
    out
}

#[test]
fn layers_point_down() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut upward = BTreeSet::new();
    let mut unknown = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(root).expect("under the crate");
        // Data and fixtures under testdata/ are not modules.
        if rel.components().any(|c| c.as_os_str() == "testdata") {
            continue;
        }
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        // lib.rs only declares the modules; this file names them in
        // strings; sizes.rs, like this file, checks the crate.
        if ["src/lib.rs", "src/layers.rs", "src/sizes.rs"].contains(&rel_s.as_str()) {
            continue;
        }
        let (top, path) = module_of(rel);
        let Some(own) = rank(&top) else {
            unknown.push(format!("{rel_s}: module `{top}` is not in LAYERS"));
            continue;
        };
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{rel_s}: {e}"));
        for used in uses(&text, &top, &path) {
            match rank(&used) {
                None => unknown.push(format!("{rel_s}: uses `{used}`, which is not in LAYERS")),
                Some(r) if r > own => {
                    upward.insert((rel_s.clone(), used));
                }
                Some(_) => {}
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "place every module in LAYERS (src/layers.rs, docs/architecture.md):\n{}",
        unknown.join("\n")
    );
    let up: Vec<String> = upward
        .iter()
        .map(|(f, m)| format!("{f} uses `{m}`, a layer above it"))
        .collect();
    assert!(
        up.is_empty(),
        "imports that point up the layers (see docs/architecture.md):\n{}",
        up.join("\n")
    );
}

#[test]
fn scanner_reads_paths_groups_and_super() {
    let text = "use crate::yaml::x;\nuse crate::{chart::A, values};\n\
                // crate::lint in a comment\n/* crate::report */\nfn f() { crate::render::g(); }\n\
                let s = \"a // b\"; super::super::golden::h();";
    let got = uses(text, "funcs", &["funcs".into(), "dicts".into()]);
    let want: BTreeSet<String> = ["yaml", "chart", "values", "render", "golden"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(got, want);
    // One `super::` from src/funcs/dicts.rs stays inside funcs.
    assert!(
        uses(
            "super::strings::x()",
            "funcs",
            &["funcs".into(), "dicts".into()]
        )
        .is_empty()
    );
    let cli = uses(
        "use pchart::lint::Finding;",
        "cli",
        &["cli".into(), "lint".into()],
    );
    assert!(cli.contains("lint"));
    assert_eq!(module_of(Path::new("src/main.rs")).0, "cli");
    assert_eq!(module_of(Path::new("src/yaml/mod.rs")).1, ["yaml"]);
}

/// docs/architecture.md lists the layers in the same order.
#[test]
fn architecture_doc_lists_the_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).expect("read the doc");
    // The chain is the paragraph that names `cli` last: `a`, `b` → `c` → ...
    let chain = doc
        .split("\n\n")
        .find(|p| p.contains('→') && p.trim_end().ends_with("`cli`"))
        .expect("a paragraph with the layer chain");
    let names: Vec<&str> = chain.split('`').skip(1).step_by(2).collect();
    assert_eq!(names, LAYERS, "docs/architecture.md and LAYERS disagree");
}
