//! Conformance: every case in tests/conformance/fixtures was rendered by
//! real Helm (helm-python-sdk, Helm v4.2); pchart must produce the same
//! output, or refuse with the same error.
//!
//! Re-record with `python3 tests/conformance/record.py`; CI re-checks the
//! fixtures against Helm with `--check`.

use std::path::Path;

use pchart::chart::Chart;
use pchart::chart::coalesce::coalesce_values;
use pchart::render::{RenderOptions, Renderer, with_big_stack};
use pchart::value::Value;
use serde_json::Value as Json;

struct Case {
    file: String,
    name: String,
    template: String,
    values: String,
    helpers: String,
    files: Vec<(String, Vec<u8>)>,
    expected: Result<String, String>,
}

fn load_cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        if p.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("read fixture");
        let cases: Vec<Json> = serde_json::from_str(&text).expect("parse fixture");
        let file = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        for c in cases {
            let s = |k: &str| {
                c.get(k)
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let mut files: Vec<(String, Vec<u8>)> = c
                .get("files")
                .and_then(Json::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                v.as_str().unwrap_or_default().as_bytes().to_vec(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            // Binary files, stored as base64.
            if let Some(m) = c.get("files_b64").and_then(Json::as_object) {
                for (k, v) in m {
                    let b64 = v.as_str().unwrap_or_default();
                    let bytes =
                        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64)
                            .unwrap_or_else(|e| panic!("{}: files_b64 {k}: {e}", p.display()));
                    files.push((k.clone(), bytes));
                }
            }
            let expected = match c.get("error").and_then(Json::as_str) {
                Some(e) => Err(e.to_string()),
                None => Ok(s("output")),
            };
            out.push(Case {
                file: file.clone(),
                name: s("name"),
                template: s("template"),
                values: s("values"),
                helpers: s("helpers"),
                files,
                expected,
            });
        }
    }
    out
}

/// Build the case's chart through the real loader (values.yaml parsing,
/// null defaults) and render its template.
fn run(case: &Case) -> Result<String, String> {
    let mut list: Vec<(String, Vec<u8>)> = vec![
        (
            "Chart.yaml".into(),
            b"apiVersion: v2\nname: conformance\nversion: 0.1.0\n".to_vec(),
        ),
        ("values.yaml".into(), case.values.as_bytes().to_vec()),
        (
            "templates/case.yaml".into(),
            case.template.as_bytes().to_vec(),
        ),
    ];
    if !case.helpers.is_empty() {
        list.push((
            "templates/_helpers.tpl".into(),
            case.helpers.as_bytes().to_vec(),
        ));
    }
    list.extend(case.files.iter().cloned());
    // Helm's message starts at "cannot load values.yaml"; ours also names the file.
    let chart = Chart::from_memory(list, "conformance").map_err(|e| {
        let i = e.0.find("cannot load").unwrap_or(0);
        e.0[i..].to_string()
    })?;
    let values = coalesce_values(&chart, &Value::empty_map())?;
    let r = Renderer::new(&chart, &values, &RenderOptions::default(), &[]).map_err(|e| e.0)?;
    r.render_one("conformance/templates/case.yaml")
        .map_err(|e| e.0)
}

/// Cases where pchart knowingly differs from Helm, each with the reason.
/// The test fails if one of them starts to agree, so the list stays true.
const KNOWN_DIVERGENCES: &[(&str, &str)] = &[
    (
        "ser_fromtoml_error",
        "fromToml parse errors are worded by the toml crate, not BurntSushi/toml",
    ),
    (
        "ser_fromtoml_error_duplicate",
        "fromToml parse errors are worded by the toml crate, not BurntSushi/toml",
    ),
    (
        "ser_fromyaml_tab_starting_token",
        "saphyr reads a tab that starts a token as white space; go-yaml refuses it",
    ),
];

#[test]
fn conformance_against_recorded_helm() {
    let cases = load_cases();
    assert!(
        cases.len() >= 300,
        "expected at least 300 recorded cases, found {}",
        cases.len()
    );
    let filter = std::env::var("CONFORMANCE_FILTER").unwrap_or_default();
    let results = with_big_stack(move || {
        let mut failures = Vec::new();
        let mut total = 0;
        for c in &cases {
            if !filter.is_empty() && !c.name.contains(&filter) && !c.file.contains(&filter) {
                continue;
            }
            total += 1;
            let got = run(c);
            let ok = match (&got, &c.expected) {
                (Ok(a), Ok(b)) => a == b,
                (Err(a), Err(b)) => a == b,
                _ => false,
            };
            let known = KNOWN_DIVERGENCES.iter().find(|(n, _)| *n == c.name);
            if let Some((_, why)) = known {
                if ok {
                    failures.push(format!(
                        "--- {}/{}: now agrees with Helm; remove it from KNOWN_DIVERGENCES",
                        c.file, c.name
                    ));
                } else {
                    eprintln!("known divergence {}: {why}", c.name);
                }
            } else if !ok {
                failures.push(format!(
                    "--- {}/{}\ntemplate: {:?}\nexpected: {:?}\n     got: {:?}",
                    c.file, c.name, c.template, c.expected, got
                ));
            }
        }
        (total, failures)
    })
    .expect("render thread");
    let (total, failures) = results;
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!(
        "conformance: {} of {} cases agree with Helm ({} listed as known divergences)",
        total - failures.len() - KNOWN_DIVERGENCES.len(),
        total,
        KNOWN_DIVERGENCES.len()
    );
    assert!(
        failures.is_empty(),
        "{} conformance cases differ from Helm",
        failures.len()
    );
}
