//! Crashes found by the fuzz targets (fuzz/, scripts/fuzz.sh), replayed.
//! Inputs are in tests/fuzz_regressions/, named TARGET_WHAT.bin, in the
//! targets' format (fuzz/src/lib.rs; template_exec: template, NUL, values
//! YAML; chart_load: name, NUL, content, NUL, ... or a .tgz).

use std::path::PathBuf;

use pchart::chart::Chart;
use pchart::render::release::{OutputOptions, render_release, template_output};
use pchart::render::{RenderOptions, Renderer, with_big_stack};
use pchart::value::Value;

fn input(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(name);
    std::fs::read(p).unwrap()
}

/// What the template_exec target does, returning the render result.
fn template_exec(data: &[u8]) -> Result<String, String> {
    let s = String::from_utf8_lossy(data).into_owned();
    with_big_stack(move || {
        let (t, v) = s.split_once('\0').unwrap_or((&s, ""));
        let mut chart = Chart {
            name: "c".into(),
            ..Chart::default()
        };
        chart
            .templates
            .push(("templates/t.yaml".into(), t.to_string()));
        let vals = pchart::yaml::parse_values(v).unwrap_or_else(|_| Value::empty_map());
        let r = Renderer::new(&chart, &vals, &RenderOptions::default(), &[]).map_err(|e| e.0)?;
        r.render_one("c/templates/t.yaml").map_err(|e| e.0)
    })
    .unwrap()
}

/// `printf "%05.22222222f"`: Rust's formatter panicked on precisions
/// above 65535. Go takes precisions below 10^7 (this one is too large:
/// `%!(NOVERB)`), so `format_float` must handle up to 9999999 digits.
#[test]
fn printf_huge_precision() {
    let out = template_exec(&input("template_exec_printf_huge_precision.bin")).unwrap();
    assert!(out.starts_with("%!(NOVERB)"), "{}", &out[..20]);
    let out = template_exec(b"{{ printf \"%.70000f\" 1.5 | len }}").unwrap();
    assert_eq!(out, "70002");
    let f = pchart::go::fmt::format_float(1.5, 'f', 70_000);
    assert_eq!(f.len(), 2 + 70_000);
    assert!(f.starts_with("1.5000") && f.ends_with("000"));
    let tiny = pchart::go::fmt::format_float(5e-324, 'f', 1200);
    assert!(tiny.starts_with("0.000") && tiny.len() == 1202);
    assert_eq!(
        &tiny[..1100],
        &pchart::go::fmt::format_float(5e-324, 'f', 1098)[..1100]
    );
}

/// `printf "%0555555555555.2f"`: pchart tried to pad to 555 GB and
/// aborted; Go's `parsenum` gives up on numbers past 10^6 and reports
/// `%!(NOVERB)`, consuming the rest of the format.
#[test]
fn printf_huge_width() {
    let out = template_exec(&input("template_exec_printf_huge_width.bin")).unwrap();
    assert!(
        out.starts_with("%!(NOVERB)%!(EXTRA float64=3.14159, string=s, []interface {}=[1 2])"),
        "{}",
        &out[..80.min(out.len())]
    );
    let t = b"{{ printf \"%.1234567x|%9999999d\" 1 2 | len }}|{{ printf \"%.99999999f|\" 1.5 }}\0";
    let out = template_exec(t).unwrap();
    assert_eq!(out, "11234567|%!(NOVERB)%!(EXTRA float64=1.5)");
}

/// `js "line1\nuine2\28é"`: an octal escape whose third byte starts a
/// multi-byte character sliced `"8é"` inside the `é` and panicked. Go's
/// `strconv.Unquote` calls it invalid syntax, as for `"\28x"`.
#[test]
fn octal_escape_before_multibyte_char() {
    let data = input("template_exec_octal_escape_multibyte.bin");
    let err = template_exec(&data).unwrap_err();
    assert!(err.contains("invalid syntax"), "{err}");
    let multibyte = template_exec("{{ \"\\28é\" }}".as_bytes()).unwrap_err();
    let ascii = template_exec(b"{{ \"\\28x\" }}").unwrap_err();
    assert_eq!(multibyte, ascii);
    assert!(template_exec("{{ \"\\1é\" }}".as_bytes()).is_err());
    assert_eq!(template_exec("{{ \"\\101é\" }}".as_bytes()).unwrap(), "Aé");
}

/// What the chart_load target does for a file list (name NUL content NUL
/// ...): load the chart and render it as `helm template` would.
fn chart_load(data: &[u8]) -> Result<String, String> {
    let mut parts = data.split(|b| *b == 0);
    let mut files = Vec::new();
    while let Some(name) = parts.next() {
        let content = parts.next().unwrap_or_default();
        files.push((String::from_utf8_lossy(name).into_owned(), content.to_vec()));
    }
    with_big_stack(move || {
        let chart = Chart::from_memory(files, "fuzz").map_err(|e| e.0)?;
        render_release(chart, &Value::empty_map(), &RenderOptions::default())
            .map(|r| template_output(&r, &OutputOptions::default()))
            .map_err(|e| e.0)
    })
    .unwrap()
}

/// `.Files.Glob "config/***********************.conf"` (from values): the
/// backtracking glob matcher took exponential time in the number of stars
/// (15 s for this 1.7 KB chart in a release build); the NFA matcher is
/// linear in the file name.
#[test]
fn files_glob_many_stars() {
    let data = input("chart_load_glob_many_stars.bin");
    let start = std::time::Instant::now();
    let _ = chart_load(&data);
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    let t = format!(
        "{{{{ range $p, $_ := .Files.Glob \"{}\" }}}}{{{{ $p }}}} {{{{ end }}}}",
        "**".repeat(30) + "a" + &"*".repeat(60) + ".conf"
    );
    let mut files: Vec<u8> = b"Chart.yaml\0apiVersion: v2\nname: g\nversion: 1.0.0\n".to_vec();
    for f in ["x/ya.conf", "x/y.conf", "b.conf"] {
        files.extend_from_slice(format!("\0{f}\0data").as_bytes());
    }
    files.extend_from_slice(format!("\0templates/t.yaml\0a: |\n  {t}\n").as_bytes());
    let out = chart_load(&files).unwrap();
    assert!(out.ends_with("a: |\n  x/ya.conf\n"), "{out}");
}

/// `{{ range . }}{{ block "x" . }}` with no `{{ end }}`: the block's body
/// failed to parse and returned before restoring the enclosing range's
/// depth, so leaving the range subtracted from 0 (a panic with overflow
/// checks, a wrapped counter without). Now a parse error.
#[test]
fn block_error_inside_range() {
    let parse = |t: &str| {
        let t = t.to_string();
        with_big_stack(move || pchart::template::parse::parse("t", &t, &|_| true).is_err()).unwrap()
    };
    let data = input("template_parse_block_error_in_range.bin");
    assert!(parse(&String::from_utf8_lossy(&data)));
    assert!(parse("{{ range . }}{{ block \"x\" . }}"));
    assert!(parse(
        "{{ range . }}{{ block \"x\" . }}{{ break }}{{ end }}{{ end }}"
    ));
    assert!(!parse(
        "{{ range . }}{{ block \"x\" . }}{{ end }}{{ break }}{{ end }}"
    ));
}
