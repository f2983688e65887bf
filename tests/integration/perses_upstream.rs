//! The embedded Perses chart as a drop-in for the upstream Perses chart
//! (perses/helm-charts 0.23.x). tests/perses_upstream/facts.json, recorded
//! by tests/perses_upstream/record.py from real Helm rendering the upstream
//! chart, holds per case the facts the embedded chart must render (object
//! kinds and names, labels, hooks, images, probe paths, mounts, volumes,
//! PVC names, security contexts, env names, Secret keys, config.yaml), with
//! the README's deliberate fixes applied. Here `pchart render` (the real
//! binary, embedded chart) renders the same values and the facts must be
//! equal; `pchart lint` must not report PC100 (schema) or PC000 (render)
//! for them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Map, Value as Json, json};

use super::common::root;

fn pchart(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pchart"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run pchart")
}

struct Case {
    name: String,
    /// Values files given with -f, in order.
    files: Vec<PathBuf>,
    facts: Json,
}

/// Every case of the fixture. Upstream's own values files are stored in the
/// fixture (written to `tmp`); a local case is upstream's values.yaml plus
/// tests/perses_upstream/cases/<name>.yaml.
fn cases(tmp: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(root().join("tests/perses_upstream/facts.json"))
        .expect("tests/perses_upstream/facts.json (python3 tests/perses_upstream/record.py)");
    let fixture: Map<String, Json> = serde_json::from_str(&text).expect("facts.json is JSON");
    let base = fixture
        .get("upstream-values")
        .and_then(|c| c.get("values"))
        .expect("the upstream-values case");
    let base_file = tmp.join("upstream-values.json");
    std::fs::write(&base_file, base.to_string()).expect("write values");
    let mut out = Vec::new();
    for (name, case) in &fixture {
        let files = match case.get("values") {
            Some(v) if !v.is_null() => {
                let f = tmp.join(format!("{name}.json"));
                std::fs::write(&f, v.to_string()).expect("write values");
                vec![f]
            }
            _ => {
                let local = root().join(format!("tests/perses_upstream/cases/{name}.yaml"));
                assert!(local.exists(), "{name}: no {}", local.display());
                vec![base_file.clone(), local]
            }
        };
        out.push(Case {
            name: name.clone(),
            files,
            facts: case["facts"].clone(),
        });
    }
    out
}

fn values_args(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| ["-f".to_string(), f.to_string_lossy().into_owned()])
        .collect()
}

/// The documents of `pchart render`'s output, as JSON.
fn documents(text: &str) -> Vec<Json> {
    let docs = pchart::yaml::read::split_documents(text).expect("split the manifests");
    docs.iter()
        .filter_map(|(doc, _)| {
            let v = pchart::yaml::read::parse_document(doc).expect("rendered YAML parses");
            let j: Json = serde_json::from_str(&pchart::yaml::to_json(&v)).expect("JSON");
            j.get("kind").is_some().then_some(j)
        })
        .collect()
}

/// Python's str() of a value record.py puts in a string: None for null.
fn py(v: Option<&Json>) -> String {
    match v {
        None | Some(Json::Null) => "None".into(),
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// `x or {}` in record.py: a missing, null or empty value gives {}.
fn or_empty(v: Option<&Json>) -> Json {
    match v {
        Some(Json::Null) | None => json!({}),
        Some(v) => v.clone(),
    }
}

fn list(v: Option<&Json>) -> Vec<Json> {
    v.and_then(Json::as_array).cloned().unwrap_or_default()
}

fn sorted(mut v: Vec<String>) -> Json {
    v.sort();
    json!(v)
}

fn volume(v: &Json) -> String {
    let name = py(v.get("name"));
    if v.get("emptyDir").is_some() {
        format!("{name}:emptyDir")
    } else if let Some(c) = v.get("configMap") {
        format!("{name}:configMap={}", py(c.get("name")))
    } else if let Some(s) = v.get("secret") {
        format!("{name}:secret={}", py(s.get("secretName")))
    } else if let Some(p) = v.get("persistentVolumeClaim") {
        format!("{name}:pvc={}", py(p.get("claimName")))
    } else if let Some(i) = v.get("image") {
        format!("{name}:image={}", py(i.get("reference")))
    } else {
        format!("{name}:other")
    }
}

fn mount(m: &Json) -> String {
    let mut s = format!("{}:{}", py(m.get("name")), py(m.get("mountPath")));
    if let Some(Json::String(sub)) = m.get("subPath")
        && !sub.is_empty()
    {
        s.push_str(&format!(":{sub}"));
    }
    s
}

fn container(c: &Json) -> Json {
    let mut probes = Map::new();
    for p in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(probe) = c.get(p).filter(|p| p.is_object()) {
            let path = probe
                .get("httpGet")
                .and_then(|h| h.get("path"))
                .cloned()
                .unwrap_or(Json::Null);
            probes.insert(p.into(), path);
        }
    }
    json!({
        "name": c.get("name").cloned().unwrap_or(Json::Null),
        "image": c.get("image").cloned().unwrap_or(Json::Null),
        "probes": probes,
        "mounts": sorted(list(c.get("volumeMounts")).iter().map(mount).collect()),
        "env": sorted(list(c.get("env")).iter().map(|e| py(e.get("name"))).collect()),
        "securityContext": or_empty(c.get("securityContext")),
    })
}

/// record.py's facts(), the same fields the same way.
fn facts(docs: &[Json]) -> Json {
    let mut objects = Vec::new();
    let (mut labels, mut hooks, mut workloads) = (Map::new(), Map::new(), Map::new());
    let (mut secrets, mut configs, mut services) = (Map::new(), Map::new(), Map::new());
    for d in docs {
        let md = or_empty(d.get("metadata"));
        let kind = py(d.get("kind"));
        let key = format!("{kind}/{}", py(md.get("name")));
        objects.push(key.clone());
        let mut l = or_empty(md.get("labels"))
            .as_object()
            .cloned()
            .unwrap_or_default();
        l.remove("helm.sh/chart");
        labels.insert(key.clone(), Json::Object(l));
        if let Some(h) = md.get("annotations").and_then(|a| a.get("helm.sh/hook")) {
            hooks.insert(key.clone(), h.clone());
        }
        let spec = or_empty(d.get("spec"));
        match kind.as_str() {
            "StatefulSet" | "Deployment" | "Pod" => {
                let pod = if kind == "Pod" {
                    spec.clone()
                } else {
                    or_empty(or_empty(spec.get("template")).get("spec"))
                };
                let templates = list(spec.get("volumeClaimTemplates"))
                    .iter()
                    .map(|t| py(t.get("metadata").and_then(|m| m.get("name"))))
                    .collect();
                workloads.insert(
                    key,
                    json!({
                        "securityContext": or_empty(pod.get("securityContext")),
                        "containers": list(pod.get("containers")).iter().map(container).collect::<Vec<_>>(),
                        "volumes": sorted(list(pod.get("volumes")).iter().map(volume).collect()),
                        "volumeClaimTemplates": sorted(templates),
                    }),
                );
            }
            "Secret" => {
                let data = or_empty(d.get("data"));
                let keys = data
                    .as_object()
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                secrets.insert(key, sorted(keys));
            }
            "ConfigMap" => {
                let data = or_empty(d.get("data"));
                let v = match data.get("config.yaml").and_then(Json::as_str) {
                    Some(text) => {
                        let v =
                            pchart::yaml::read::parse_document(text).expect("config.yaml parses");
                        serde_json::from_str(&pchart::yaml::to_json(&v)).expect("JSON")
                    }
                    None => sorted(
                        data.as_object()
                            .map(|m| m.keys().cloned().collect())
                            .unwrap_or_default(),
                    ),
                };
                configs.insert(key, v);
            }
            "Service" => {
                let ports: Vec<Json> = list(spec.get("ports"))
                    .iter()
                    .map(|p| p.get("nodePort").cloned().unwrap_or(Json::Null))
                    .collect();
                services.insert(
                    key,
                    json!({"type": spec.get("type").cloned().unwrap_or(Json::Null), "nodePorts": ports}),
                );
            }
            _ => {}
        }
    }
    json!({
        "objects": sorted(objects),
        "labels": labels,
        "hooks": hooks,
        "workloads": workloads,
        "secrets": secrets,
        "configMaps": configs,
        "services": services,
    })
}

/// The paths where `want` and `got` differ, with both values.
fn diff(want: &Json, got: &Json, path: &str, out: &mut Vec<String>) {
    match (want, got) {
        (Json::Object(w), Json::Object(g)) => {
            for k in w.keys().chain(g.keys().filter(|k| !w.contains_key(*k))) {
                let p = format!("{path}/{k}");
                match (w.get(k), g.get(k)) {
                    (Some(a), Some(b)) => diff(a, b, &p, out),
                    (Some(a), None) => out.push(format!("{p}: missing (upstream: {a})")),
                    (None, Some(b)) => out.push(format!("{p}: extra {b}")),
                    (None, None) => {}
                }
            }
        }
        _ if want == got => {}
        _ => out.push(format!("{path}: upstream {want}, embedded {got}")),
    }
}

#[test]
fn the_embedded_chart_renders_what_upstream_renders() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cases = cases(tmp.path());
    assert!(
        cases.len() >= 10,
        "expected upstream's values and the local cases"
    );
    let mut failures = Vec::new();
    for case in &cases {
        let mut args = vec![
            "render".to_string(),
            "--release-name".into(),
            "perses".into(),
        ];
        args.extend(values_args(&case.files));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = pchart(&args);
        if !o.status.success() {
            failures.push(format!(
                "{}: pchart render failed: {}",
                case.name,
                String::from_utf8_lossy(&o.stderr)
            ));
            continue;
        }
        let got = facts(&documents(&String::from_utf8_lossy(&o.stdout)));
        let mut d = Vec::new();
        diff(&case.facts, &got, "", &mut d);
        failures.extend(d.into_iter().map(|l| format!("{}: {l}", case.name)));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn upstream_values_lint_without_schema_or_render_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    for case in cases(tmp.path()) {
        let mut args = vec!["lint".to_string(), "--format".into(), "json".into()];
        args.extend(values_args(&case.files));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = pchart(&args);
        let stdout = String::from_utf8_lossy(&o.stdout);
        if o.status.code() == Some(2) {
            failures.push(format!(
                "{}: exit 2: {}",
                case.name,
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        for code in ["\"PC100\"", "\"PC000\""] {
            if stdout.contains(code) {
                failures.push(format!("{}: {code}:\n{stdout}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The fixture's expectations are not vacuous: the facts that issue 15
/// names are there.
#[test]
fn the_fixture_holds_the_facts_that_matter() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cases = cases(tmp.path());
    let get = |name: &str| &cases.iter().find(|c| c.name == name).expect(name).facts;
    let up = get("upstream-values");
    let sts = &up["workloads"]["StatefulSet/perses"];
    let perses = &sts["containers"][0];
    assert_eq!(perses["probes"]["livenessProbe"], "/api/v1/health");
    assert_eq!(perses["securityContext"]["readOnlyRootFilesystem"], true);
    assert!(
        perses["mounts"]
            .as_array()
            .unwrap()
            .contains(&json!("plugins:/etc/perses/plugins"))
    );
    assert_eq!(
        up["labels"]["StatefulSet/perses"]["app.kubernetes.io/part-of"],
        "perses"
    );
    assert_eq!(up["hooks"]["Pod/perses-test"], "test");
    let persistence = get("persistence");
    assert!(
        persistence["objects"]
            .as_array()
            .unwrap()
            .contains(&json!("PersistentVolumeClaim/perses"))
    );
    assert!(
        persistence["workloads"]["StatefulSet/perses"]["volumes"]
            .as_array()
            .unwrap()
            .contains(&json!("data:pvc=perses"))
    );
    let side = &get("sidecar-namespace")["workloads"]["StatefulSet/perses"]["containers"][0];
    assert_eq!(side["image"], "docker.io/kiwigrid/k8s-sidecar:2.10.1");
    let env = side["env"].as_array().unwrap();
    assert_eq!(
        env.iter().filter(|e| *e == "NAMESPACE").count(),
        1,
        "{env:?}"
    );
    let oidc = &get("oidc-admins")["secrets"]["Secret/perses"];
    assert!(oidc.as_array().unwrap().contains(&json!(
        "perses-security-authentication-providers-oidc-0-client-secret"
    )));
}

/// Issue 15, defect 9, chart side: a variable named twice (by the chart and
/// extraEnvVars, or twice in envVars) reaches each container once, and the
/// env Secret has each key once, the last value winning.
#[test]
fn no_container_gets_an_env_name_twice() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let values = tmp.path().join("dup.yaml");
    std::fs::write(
        &values,
        "sidecar:\n  enabled: true\n  enableSecretAccess: true\n  extraEnvVars:\n    - {name: NAMESPACE, value: monitoring}\n    - {name: RESOURCE, value: secret}\n    - {name: FOLDER, value: /etc/perses/provisioning}\nenvVars:\n  - {name: PERSES_A, value: one}\n  - {name: PERSES_B, value: b}\n  - {name: PERSES_A, value: two}\n",
    )
    .expect("write values");
    let o = pchart(&["render", "-f", &values.to_string_lossy()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let docs = documents(&text);
    let sts = docs
        .iter()
        .find(|d| d["kind"] == "StatefulSet")
        .expect("a StatefulSet");
    let containers = list(sts["spec"]["template"]["spec"].get("containers"));
    assert_eq!(containers.len(), 2);
    for c in &containers {
        let names: Vec<String> = list(c.get("env"))
            .iter()
            .map(|e| py(e.get("name")))
            .collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            names.len(),
            unique.len(),
            "{}: {names:?}",
            py(c.get("name"))
        );
    }
    let side = &containers[0];
    let env = list(side.get("env"));
    let value = |n: &str| {
        env.iter()
            .find(|e| e["name"] == n)
            .map(|e| e["value"].clone())
    };
    assert_eq!(value("NAMESPACE"), Some(json!("monitoring")));
    assert_eq!(value("RESOURCE"), Some(json!("secret")));
    // The Secret: one key per name, the last value (base64 of "two").
    let secret = docs
        .iter()
        .find(|d| d["kind"] == "Secret")
        .expect("the env Secret");
    let data = secret["data"].as_object().expect("data");
    assert_eq!(data.len(), 2, "{data:?}");
    assert_eq!(data["perses-a"], "dHdv");
    let text_keys = text.matches("  perses-a: ").count();
    assert_eq!(text_keys, 1, "the key is written once");
}
