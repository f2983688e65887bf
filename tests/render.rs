//! Whole charts rendered by real Helm (tests/render/fixtures.json, recorded
//! by tests/render/record.py): pchart's release manifest and NOTES must be
//! byte-identical, or both must refuse with the same message.

use std::path::Path;

use pchart::chart::Chart;
use pchart::render::release::{OutputOptions, release_manifest, render_release};
use pchart::render::{RenderOptions, with_big_stack};
use serde_json::Value as Json;

fn s(c: &Json, k: &str) -> String {
    c.get(k)
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Render one case: Ok((manifest, notes)) or the error text.
fn run(root: &Path, c: &Json) -> Result<(String, String), String> {
    let chart = Chart::load(&root.join("../charts").join(s(c, "chart"))).map_err(|e| e.0)?;
    let values = pchart::yaml::parse_values(&s(c, "values"))
        .map_err(|e| format!("values: {}", e.message))?;
    let opts = RenderOptions {
        release_name: s(c, "release"),
        namespace: s(c, "namespace"),
        ..RenderOptions::default()
    };
    let rel = render_release(chart, &values, &opts).map_err(|e| e.0)?;
    Ok((release_manifest(&rel, &OutputOptions::default()), rel.notes))
}

#[test]
fn whole_charts_match_helm() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/render");
    let text = std::fs::read_to_string(root.join("fixtures.json")).expect("fixtures");
    let cases: Vec<Json> = serde_json::from_str(&text).expect("fixture json");
    assert!(!cases.is_empty());
    let failures = with_big_stack(move || {
        let mut failures = Vec::new();
        for c in &cases {
            let got = run(&root, c);
            let want: Result<(String, String), String> = if c.get("cli_error").is_some() {
                Err(s(c, "cli_error"))
            } else if c.get("error").is_some() {
                Err(s(c, "error"))
            } else {
                Ok((s(c, "manifest"), s(c, "notes")))
            };
            if got != want {
                failures.push(format!(
                    "--- {}\n want: {want:?}\n  got: {got:?}",
                    s(c, "name")
                ));
            }
        }
        failures
    })
    .expect("render thread");
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} render cases differ from Helm",
        failures.len()
    );
}
