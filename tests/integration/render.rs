//! Whole charts rendered by real Helm (tests/render/fixtures.json, recorded
//! by tests/render/record.py): pchart's release manifest and NOTES must be
//! byte-identical, or both must refuse with the same message.
//!
//! A case marked `known_divergence` in cases.yaml is one where pchart is
//! known to differ from Helm (the reason says why); it must still differ,
//! so that the list stays honest when the cause is fixed.

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

/// Both sides as one text, for a line diff.
fn flat(r: &Result<(String, String), String>) -> String {
    match r {
        Ok((m, n)) => format!("{m}\n=== NOTES ===\n{n}"),
        Err(e) => format!("=== ERROR ===\n{e}"),
    }
}

/// The first differing line with a little context on each side.
fn first_difference(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.split('\n').collect();
    let g: Vec<&str> = got.split('\n').collect();
    let i = (0..w.len().max(g.len()))
        .find(|&i| w.get(i) != g.get(i))
        .unwrap_or(0);
    let lo = i.saturating_sub(3);
    let show = |v: &[&str]| {
        v.iter()
            .enumerate()
            .skip(lo)
            .take(i - lo + 4)
            .map(|(n, l)| format!("    {:>4}{} {l:?}", n + 1, if n == i { '>' } else { ' ' }))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "  first difference at line {}\n  helm:\n{}\n  pchart:\n{}",
        i + 1,
        show(&w),
        show(&g)
    )
}

#[test]
fn whole_charts_match_helm() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/render");
    let text = std::fs::read_to_string(root.join("fixtures.json")).expect("fixtures");
    let cases: Vec<Json> = serde_json::from_str(&text).expect("fixture json");
    assert!(!cases.is_empty());
    let (failures, agreed, diverged) = with_big_stack(move || {
        let mut failures = Vec::new();
        let (mut agreed, mut diverged) = (0, 0);
        for c in &cases {
            let got = run(&root, c);
            let want: Result<(String, String), String> = if c.get("cli_error").is_some() {
                Err(s(c, "cli_error"))
            } else if c.get("error").is_some() {
                Err(s(c, "error"))
            } else {
                Ok((s(c, "manifest"), s(c, "notes")))
            };
            let known = c.get("known_divergence").is_some();
            match (got == want, known) {
                (true, false) => agreed += 1,
                (false, true) => diverged += 1,
                (true, true) => failures.push(format!(
                    "--- {}: marked known_divergence ({}) but now agrees with Helm; drop the mark",
                    s(c, "name"),
                    s(c, "known_divergence")
                )),
                (false, false) => failures.push(format!(
                    "--- {}\n{}",
                    s(c, "name"),
                    first_difference(&flat(&want), &flat(&got))
                )),
            }
        }
        (failures, agreed, diverged)
    })
    .expect("render thread");
    eprintln!("render: {agreed} agree with Helm, {diverged} known divergences");
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} render cases differ from Helm",
        failures.len()
    );
}
