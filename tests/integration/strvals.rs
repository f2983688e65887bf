//! `--set` family conformance: every case in tests/strvals/fixtures.json was
//! parsed by real Helm (helm-python-sdk, Helm v4.2's pkg/strvals); pchart
//! must produce the same Go-typed values, or fail with the same message.
//!
//! Re-record with `python3 tests/strvals/record.py`; CI re-checks the
//! fixtures against Helm with `--check`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use pchart::value::Value;
use pchart::values::strvals::{SetKind, parse_set_with};
use serde_json::{Value as Json, json};

/// Our value in the fixtures' typed form (see tests/strvals/record.py).
fn typed(v: &Value) -> Json {
    match v {
        Value::Nil => Json::Null,
        Value::Bool(b) => json!({ "bool": b }),
        Value::Int(i, t) => json!({ t.name(): i }),
        Value::Float(f) => json!({ "float64": f }),
        Value::String(s) => json!({ "string": &**s }),
        Value::List(l, _) => json!({ "list": l.iter().map(typed).collect::<Vec<_>>() }),
        Value::Map(m, _) => {
            let m: serde_json::Map<String, Json> = m
                .borrow()
                .iter()
                .map(|(k, v)| (k.clone(), typed(v)))
                .collect();
            json!({ "map": m })
        }
        other => json!({ "unexpected": other.type_name() }),
    }
}

/// Structural equality; float64 is compared as a number (fixtures store
/// Python's repr, we store an f64).
fn same(ours: &Json, helm: &Json) -> bool {
    match (ours, helm) {
        (Json::Object(a), Json::Object(b)) => {
            if let (Some(x), Some(y)) = (a.get("float64"), b.get("float64")) {
                let x = x.as_f64();
                let y = y.as_str().and_then(|s| s.parse::<f64>().ok());
                return x.is_some() && x == y;
            }
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        (Json::Array(a), Json::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        _ => ours == helm,
    }
}

fn kind(name: &str) -> Option<SetKind> {
    Some(match name {
        "set" => SetKind::Typed,
        "set-string" => SetKind::String,
        "set-json" => SetKind::Json,
        "set-literal" => SetKind::Literal,
        "set-file" => SetKind::File,
        _ => return None,
    })
}

#[test]
fn strvals_matches_helm() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/strvals/fixtures.json");
    let text = std::fs::read_to_string(&path).expect("read fixtures.json");
    let cases: Vec<Json> = serde_json::from_str(&text).expect("parse fixtures.json");
    assert!(cases.len() >= 120, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let kind_name = c["kind"].as_str().unwrap_or_default();
        let expr = c["expr"].as_str().unwrap_or_default();
        let Some(kind) = kind(kind_name) else {
            failures.push(format!("unknown kind {kind_name:?}"));
            continue;
        };
        // --set-file reads from the case's files, as Helm did in a temp dir.
        let files: BTreeMap<String, String> = c["files"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let dirs: BTreeSet<String> = c["dirs"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut read = |p: &str| -> Result<String, String> {
            if let Some(content) = files.get(p) {
                Ok(content.clone())
            } else if dirs.contains(p) {
                Err(format!("read {p}: is a directory"))
            } else {
                Err(format!("open {p}: no such file or directory"))
            }
        };
        let mut v = Value::empty_map();
        let got = parse_set_with(expr, &mut v, kind, &mut read).map(|()| typed(&v));
        let ok = match (&got, c.get("result"), c.get("error")) {
            (Ok(ours), Some(helm), None) => same(ours, helm),
            (Err(ours), None, Some(Json::String(helm))) => ours == helm,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{kind_name} {expr:?}\n  helm: {}\n  ours: {}",
                c.get("result")
                    .map(Json::to_string)
                    .or_else(|| c.get("error").map(|e| format!("error {e}")))
                    .unwrap_or_default(),
                match &got {
                    Ok(j) => j.to_string(),
                    Err(e) => format!("error {e:?}"),
                }
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Helm:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
