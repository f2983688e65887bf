//! Malformed templates never panic: every prefix of every recorded
//! conformance template, and pseudo-random byte soups built from template
//! tokens, go through the parser and executor and must return `Ok` or `Err`.

use pchart::chart::Chart;
use pchart::render::{RenderOptions, Renderer, with_big_stack};
use pchart::template::value::{Map, Value};

fn render(text: &str) {
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
    if let Ok(r) = Renderer::new(&chart, &values, &RenderOptions::default(), &[]) {
        let _ = r.render_one("fuzz/templates/t.yaml");
    }
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
