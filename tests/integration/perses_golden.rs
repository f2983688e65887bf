//! The Perses chart (charts/perses) rendered by pchart for every example
//! values file, compared byte for byte with golden/<example>.yaml, which
//! golden/record.py records from real Helm (`helm template`). Values the
//! chart must refuse (golden/failures/<name>.yaml) must fail with Helm's
//! message (golden/failures/<name>.error).

use std::path::{Path, PathBuf};

use pchart::chart::Chart;
use pchart::render::release::{OutputOptions, render_release, template_output};
use pchart::render::{RenderOptions, with_big_stack};

use super::common::root;

/// Examples where pchart is known to differ from Helm, with the pchart bug.
/// The test fails when one of them starts to agree, so the entry is removed
/// as soon as the bug is fixed.
const KNOWN_PCHART_BUGS: &[(&str, &str)] = &[];

/// Files of `dir` ending in `ext`, sorted by name.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

/// What `pchart render charts/perses -f <values> --release-name perses`
/// prints, or the error message.
fn render(values_path: &Path) -> Result<String, String> {
    let chart = Chart::load(&root().join("charts/perses")).map_err(|e| e.0)?;
    let text = std::fs::read_to_string(values_path).map_err(|e| e.to_string())?;
    let values = pchart::yaml::parse_values(&text).map_err(|e| format!("values: {}", e.message))?;
    let opts = RenderOptions {
        release_name: "perses".into(),
        namespace: "default".into(),
        ..RenderOptions::default()
    };
    let rel = render_release(chart, &values, &opts).map_err(|e| e.0)?;
    Ok(template_output(&rel, &OutputOptions::default()))
}

/// A short line diff: the first differing lines with some context.
fn diff(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let first = w
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    let from = first.saturating_sub(3);
    let mut out = format!("first difference at line {}\n", first + 1);
    for (i, line) in w.iter().enumerate().skip(from).take(8) {
        out.push_str(&format!("  helm   {:4} {line}\n", i + 1));
    }
    for (i, line) in g.iter().enumerate().skip(from).take(8) {
        out.push_str(&format!("  pchart {:4} {line}\n", i + 1));
    }
    out
}

#[test]
fn examples_match_golden_manifests() {
    let failures = with_big_stack(|| {
        let mut failures = Vec::new();
        let examples = files(&root().join("examples"), "yaml");
        assert!(examples.len() >= 6, "expected the six workflow examples");
        for ex in &examples {
            let name = stem(ex);
            let golden = root().join("golden").join(format!("{name}.yaml"));
            let want = std::fs::read_to_string(&golden).unwrap_or_else(|_| {
                panic!(
                    "{} has no golden file; run python3 golden/record.py",
                    ex.display()
                )
            });
            let got = render(ex);
            let agrees = got.as_ref() == Ok(&want);
            match KNOWN_PCHART_BUGS.iter().find(|(n, _)| *n == name) {
                Some((_, bug)) if agrees => failures.push(format!(
                    "{name}: now agrees with Helm; remove it from KNOWN_PCHART_BUGS ({bug})"
                )),
                Some(_) => {}
                None if agrees => {}
                None => failures.push(match got {
                    Ok(got) => format!("{name}: differs from Helm\n{}", diff(&want, &got)),
                    Err(e) => format!("{name}: pchart failed: {e}"),
                }),
            }
        }
        failures
    })
    .expect("render thread");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn refused_values_fail_with_helms_message() {
    let failures = with_big_stack(|| {
        let mut failures = Vec::new();
        let cases = files(&root().join("golden/failures"), "yaml");
        assert!(
            cases.len() >= 2,
            "expected the file+sql and OCI-in-SQL cases"
        );
        for case in &cases {
            let want = std::fs::read_to_string(case.with_extension("error"))
                .expect("recorded Helm error (python3 golden/record.py)");
            match render(case) {
                Err(got) if got == want => {}
                Err(got) => failures.push(format!(
                    "{}:\n  helm:   {want}\n  pchart: {got}",
                    stem(case)
                )),
                Ok(_) => failures.push(format!("{}: pchart rendered, Helm refused", stem(case))),
            }
        }
        failures
    })
    .expect("render thread");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// One source of truth: schemas/values.schema.json is the chart's schema.
#[test]
fn published_schema_is_the_charts_schema() {
    let chart =
        std::fs::read(root().join("charts/perses/values.schema.json")).expect("chart schema");
    let published =
        std::fs::read(root().join("schemas/values.schema.json")).expect("published schema");
    assert_eq!(
        chart, published,
        "schemas/values.schema.json differs from the chart's"
    );
    let v: serde_json::Value = serde_json::from_slice(&chart).expect("schema is JSON");
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
}

#[test]
fn embedded_schema_is_valid_against_its_metaschema() {
    // Rendering skips this check for the embedded chart's schema; this test
    // is what makes that safe.
    let text =
        std::fs::read_to_string(root().join("charts/perses/values.schema.json")).expect("schema");
    assert!(pchart::schema::compile::is_embedded_schema(&text));
    assert_eq!(
        pchart::schema::compile::check_against_metaschema(&text),
        Ok(())
    );
}
