//! Crashes found by the fuzz targets (fuzz/, scripts/fuzz.sh), replayed.
//! Inputs are in tests/fuzz_regressions/, named TARGET_WHAT.bin, in the
//! targets' format (template_exec: template, NUL, values YAML).

use std::path::PathBuf;

use pchart::chart::Chart;
use pchart::render::{RenderOptions, Renderer, with_big_stack};
use pchart::template::value::Value;

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

/// `printf "%05.2222222f"`: Go takes precisions below 10^7, Rust's
/// formatter panicked above 65535.
#[test]
fn printf_huge_precision() {
    let out = template_exec(&input("template_exec_printf_huge_precision.bin")).unwrap();
    assert!(out.starts_with("3.14"), "{}", &out[..20]);
    let f = pchart::template::fmt::format_float(1.5, 'f', 70_000);
    assert_eq!(f.len(), 2 + 70_000);
    assert!(f.starts_with("1.5000") && f.ends_with("000"));
    let tiny = pchart::template::fmt::format_float(5e-324, 'f', 1200);
    assert!(tiny.starts_with("0.000") && tiny.len() == 1202);
    assert_eq!(
        &tiny[..1100],
        &pchart::template::fmt::format_float(5e-324, 'f', 1098)[..1100]
    );
}
