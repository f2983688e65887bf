//! Malformed templates never panic: every prefix of every recorded
//! conformance template, and pseudo-random byte soups built from template
//! tokens, go through the parser and executor and must return `Ok` or `Err`.

use pchart::chart::Chart;
use pchart::render::{RenderOptions, Renderer, with_big_stack};
use pchart::value::{Map, Value};

/// Renders `text` as the only template of a chart (no panic allowed).
fn render(text: &str) {
    let _ = render_result(text);
}

fn render_result(text: &str) -> Result<String, String> {
    let mut metadata = Map::new();
    metadata.insert("name".into(), Value::str("fuzz"));
    let chart = Chart {
        metadata,
        name: "fuzz".into(),
        values: Value::empty_map(),
        templates: vec![("templates/t.yaml".into(), text.to_string())],
        files: Vec::new(),
        ..Chart::default()
    };
    let values = pchart::yaml::parse_values("a: {b: [1, x, null]}\nn: 3\ns: str\n")
        .unwrap_or_else(|_| Value::empty_map());
    let r = Renderer::new(&chart, &values, &RenderOptions::default(), &[])
        .map_err(|e| format!("{e:?}"))?;
    r.render_one("fuzz/templates/t.yaml")
        .map_err(|e| format!("{e:?}"))
}

fn templates() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/fixtures");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("fixtures") {
        let p = e.expect("entry").path();
        let text = std::fs::read_to_string(&p).expect("read");
        let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("json");
        for c in cases {
            // Key generation and password hashing take up to seconds per
            // call by design; running them at every prefix would dominate
            // the suite without exercising the parser any differently.
            const SLOW: &[&str] = &["gen", "bcrypt", "htpasswd", "derivePassword"];
            if let Some(t) = c.get("template").and_then(|t| t.as_str())
                && t.len() < 2000
                && !SLOW.iter().any(|f| t.contains(f))
            {
                out.push(t.to_string());
            }
        }
    }
    out
}

/// xorshift64: deterministic pseudo-random input without a dependency.
fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

#[test]
fn truncated_templates_do_not_panic() {
    let ts = templates();
    with_big_stack(move || {
        for t in &ts {
            for (i, _) in t.char_indices() {
                render(&t[..i]);
            }
        }
    })
    .expect("render thread");
}

#[test]
fn random_token_soup_does_not_panic() {
    const TOKENS: &[&str] = &[
        "{{",
        "}}",
        "{{-",
        "-}}",
        " ",
        "\n",
        ".",
        ".a",
        ".b",
        "$",
        "$x",
        ":=",
        "=",
        "|",
        "(",
        ")",
        "\"s\"",
        "`r`",
        "'c'",
        "1",
        "-2",
        "0x1F",
        "1e3",
        "1.5",
        "1+2i",
        "if",
        "else",
        "end",
        "range",
        "with",
        "define",
        "template",
        "block",
        "break",
        "continue",
        "nil",
        "true",
        "eq",
        "len",
        "index",
        "slice",
        "printf",
        "\"%d %s %v\"",
        "include",
        "tpl",
        "and",
        "or",
        "not",
        "/*",
        "*/",
        ",",
        "\u{e9}",
        "\\",
        "\"",
    ];
    with_big_stack(|| {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut t = String::new();
            for _ in 0..(x % 24) {
                t.push_str(TOKENS[(xorshift(&mut x) % TOKENS.len() as u64) as usize]);
            }
            render(&t);
        }
    })
    .expect("render thread");
}

#[test]
fn random_bytes_do_not_panic() {
    const BYTES: &[u8] = b"{}-$. |()\"'`abc019xe/*\n\t";
    with_big_stack(|| {
        let mut x: u64 = 12345;
        for _ in 0..5_000 {
            let mut b = Vec::new();
            for _ in 0..(x % 64) {
                b.push(BYTES[(xorshift(&mut x) % BYTES.len() as u64) as usize]);
            }
            render(&String::from_utf8_lossy(&b));
        }
    })
    .expect("render thread");
}

// A map that holds itself crashes Helm (Go stack overflow), so there is no
// recording to compare with: pchart must finish with some answer instead.
const CYCLE: &str = r#"{{ $d := dict "a" 1 }}{{ $_ := set $d "self" $d }}"#;

#[test]
fn cyclic_map_prints_a_marker() {
    let out = render_result(&format!("{CYCLE}{{{{ $d }}}} {{{{ printf \"%#v\" $d }}}}"));
    assert_eq!(
        out.as_deref(),
        Ok(r#"map[a:1 self:<cycle>] map[string]interface {}{"a":1, "self":<cycle>}"#)
    );
}

#[test]
fn cyclic_map_merge_copy_and_compare_terminate() {
    assert_eq!(
        render_result(&format!("{CYCLE}[{{{{ merge $d $d }}}}]")).as_deref(),
        Ok("[]")
    );
    assert!(render_result(&format!("{CYCLE}{{{{ mustMerge (dict) $d $d }}}}")).is_err());
    assert!(render_result(&format!("{CYCLE}{{{{ deepCopy $d }}}}")).is_err());
    let eq = render_result(&format!(
        "{CYCLE}{{{{ $e := dict \"a\" 1 }}}}{{{{ $_ := set $e \"self\" $e }}}}{{{{ has $d (list $e) }}}}"
    ));
    assert_eq!(eq.as_deref(), Ok("false"));
}
