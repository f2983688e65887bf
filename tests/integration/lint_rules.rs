//! Every lint rule has a failing and a passing fixture. For the rules that
//! read values, the fixtures ARE the examples in the rule's docs (`pchart
//! explain CODE`), run against the embedded Perses chart, so the docs
//! cannot drift from the behaviour. A leading `# pchart lint ...` comment
//! in an example gives the flags (target version, feature gates).

use std::collections::BTreeMap;

use pchart::chart::Chart;
use pchart::chart::embedded::embedded_chart;
use pchart::lint::rules::ALL;
use pchart::lint::{Finding, LintContext, LintInput, lint};
use pchart::render::{RenderOptions, with_big_stack};
use pchart::value::Value;

fn run(chart: Chart, values: &str) -> Vec<Finding> {
    let mut kube = pchart::render::DEFAULT_KUBE_VERSION.to_string();
    let mut gates = BTreeMap::new();
    if let Some(first) = values.lines().next()
        && let Some(flags) = first.strip_prefix("# pchart lint")
    {
        let words: Vec<&str> = flags.split_whitespace().collect();
        for w in words.windows(2) {
            match w[0] {
                "--kube-version" => kube = w[1].to_string(),
                "--feature-gates" => {
                    for g in w[1].split(',') {
                        if let Some((k, v)) = g.split_once('=') {
                            gates.insert(k.to_string(), v == "true");
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let input = LintInput {
        chart,
        chart_label: "perses".into(),
        values_files: vec![("values.yaml".into(), values.to_string())],
        set_values: Value::empty_map(),
        kube_version: kube,
        feature_gates: gates,
        render: RenderOptions::default(),
        crds: Vec::new(),
    };
    let ctx = LintContext::build(input).expect("lint input");
    lint(&ctx)
}

/// Rules whose docs examples are values for the Perses chart.
const VALUES_RULES: &[&str] = &[
    "PC001", "PC002", "PC003", "PC004", "PC005", "PC006", "PC007", "PC008", "PC009", "PC010",
    "PC011", "PC012", "PC013", "PC014", "PC015", "PC016", "PC017", "PC100", "PC104", "PC107",
    "K8S008",
];

#[test]
fn docs_examples_fail_and_pass() {
    let failures = with_big_stack(|| {
        let mut failures = Vec::new();
        for rule in ALL.iter().filter(|r| VALUES_RULES.contains(&r.info.code)) {
            let code = rule.info.code;
            let chart = embedded_chart().expect("embedded chart");
            let bad = run(chart.clone(), rule.info.fails);
            if !bad.iter().any(|f| f.rule == code) {
                failures.push(format!(
                    "{code}: the failing example raised nothing: {bad:#?}"
                ));
            }
            let good = run(chart, rule.info.passes);
            if let Some(f) = good.iter().find(|f| f.rule == code) {
                failures.push(format!("{code}: the passing example raised {f:#?}"));
            }
        }
        failures
    })
    .expect("thread");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_is_tested_and_documented() {
    let mut codes: Vec<&str> = ALL.iter().map(|r| r.info.code).collect();
    let n = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), n, "duplicate rule codes");
    for r in ALL {
        assert!(!r.info.why.is_empty() && !r.info.fails.is_empty() && !r.info.passes.is_empty());
        assert!(
            r.info
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-')
        );
    }
}

fn codes(found: &[Finding]) -> Vec<&'static str> {
    let mut c: Vec<&str> = found.iter().map(|f| f.rule).collect();
    c.sort();
    c
}

fn perses(values: &str) -> Vec<Finding> {
    let values = values.to_string();
    with_big_stack(move || run(embedded_chart().expect("embedded chart"), &values)).expect("thread")
}

/// Issue 15, defect 6: five mistakes give their five findings; the schema
/// (PC100), the render failure (PC000) and the runtime note (PC016) do not
/// repeat what a dedicated rule says.
#[test]
fn one_mistake_one_finding() {
    let five = "ociArtifacts:\n  name: Dash_Boards\n  image:\n    reference: ghcr.io/acme/dashboards:v1.2.0\n    pullPolicy: always\n  mountPath: /data/dashboards\n  subPath: ../prod\nconfig:\n  provisioning:\n    interval: 10 minutes\n";
    let found = perses(five);
    assert_eq!(
        codes(&found),
        ["PC001", "PC010", "PC011", "PC013", "PC015"],
        "{found:#?}"
    );
    // The render fails on the empty folders; PC014 and PC001 say why.
    let empty = format!(
        "config:\n  provisioning:\n    folders: []\nociArtifacts:\n  image:\n    reference: ghcr.io/acme/dashboards:v1@sha256:{}\n",
        "a".repeat(64)
    );
    let found = perses(&empty);
    assert_eq!(codes(&found), ["PC001", "PC014"], "{found:#?}");
    // No reference: PC007 alone (Helm's schema check and `required` agree).
    let found = perses("ociArtifacts:\n  image: {}\n");
    assert_eq!(codes(&found), ["PC007"], "{found:#?}");
}

/// A chart `c` in `dir` with one template and no values.
fn throwaway(dir: &std::path::Path, template: &str) -> Chart {
    let c = dir.join("c");
    std::fs::create_dir_all(c.join("templates")).expect("mkdir");
    std::fs::write(
        c.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .expect("write");
    std::fs::write(c.join("templates/t.yaml"), template).expect("write");
    Chart::load_dir(&c).expect("chart")
}

fn lint_manifest(template: &str) -> Vec<Finding> {
    let dir = tempfile::tempdir().expect("tmp");
    run(throwaway(dir.path(), template), "")
}

/// Issue 15, defect 9: failures lint missed.
#[test]
fn object_rules_fail_and_pass() {
    // PC108: ConfigMap data over 1 MiB (values counted, keys not).
    let cm = |n: usize| {
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: dash}}\ndata:\n  a: {{{{ repeat {n} \"x\" | quote }}}}\n"
        )
    };
    assert_eq!(codes(&lint_manifest(&cm(1 << 20))), Vec::<&str>::new());
    assert_eq!(codes(&lint_manifest(&cm((1 << 20) + 1))), ["PC108"]);
    // Secret: the decoded size counts (4 base64 characters are 3 bytes).
    let secret = |n: usize| {
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\ndata:\n  a: {{{{ repeat {n} \"QUJD\" | quote }}}}\n"
        )
    };
    assert_eq!(codes(&lint_manifest(&secret(349_525))), Vec::<&str>::new());
    assert_eq!(codes(&lint_manifest(&secret(349_526))), ["PC108"]);
    // PC109: a duplicate env var name.
    let dep = |env: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          env: [{env}]\n"
        )
    };
    let found = lint_manifest(&dep(
        "{name: A, value: one}, {name: B}, {name: A, value: two}",
    ));
    assert_eq!(codes(&found), ["PC109"], "{found:#?}");
    assert_eq!(
        found[0].path,
        "spec.template.spec.containers[0].env[2].name"
    );
    assert_eq!(
        codes(&lint_manifest(&dep("{name: A}, {name: B}"))),
        Vec::<&str>::new()
    );
    // K8S008: toleration operator Equals.
    let found = lint_manifest(&dep("{name: A}").replace(
        "      containers:",
        "      tolerations: [{key: k, operator: Equals, value: v}]\n      containers:",
    ));
    assert_eq!(codes(&found), ["K8S008"], "{found:#?}");
    // PC110: label values, label and annotation keys, annotation size.
    let meta = |m: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n{m}");
    assert_eq!(
        codes(&lint_manifest(&meta(
            "  labels: {helm.sh/chart: c-1.0.0_b, a: \"\"}\n  annotations: {checksum/config: abc}\n"
        ))),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes(&lint_manifest(&meta(
            "  labels: {helm.sh/chart: c-1.0.0+b}\n"
        ))),
        ["PC110"]
    );
    assert_eq!(
        codes(&lint_manifest(&meta("  labels: {a/b/c: x}\n"))),
        ["PC110"]
    );
    let big = format!(
        "  annotations: {{big: {{{{ repeat {} \"x\" | quote }}}}}}\n",
        256 * 1024
    );
    assert_eq!(codes(&lint_manifest(&meta(&big))), ["PC110"]);
    // A custom resource's template labels are its controller's business
    // (an ApplicationSet's `{{.env}}`); its metadata.labels are not.
    let appset = |l: &str| {
        format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {{name: a, labels: {{x: {l}}}}}\nspec:\n  template:\n    metadata:\n      labels: {{env: \"{{{{ `{{{{.env}}}}` }}}}\"}}\n    spec: {{project: default}}\n"
        )
    };
    assert_eq!(codes(&lint_manifest(&appset("ok"))), ["K8S006"]);
    assert_eq!(codes(&lint_manifest(&appset("no+t"))), ["K8S006", "PC110"]);
    // PC107: a StatefulSet name over 52 characters.
    let sts = |name: &str| {
        format!(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: {name}}}\nspec:\n  serviceName: s\n  selector: {{matchLabels: {{app: w}}}}\n  template:\n    metadata: {{labels: {{app: w}}}}\n    spec:\n      containers: [{{name: w, image: nginx:1.27}}]\n"
        )
    };
    assert_eq!(
        codes(&lint_manifest(&sts(&"a".repeat(52)))),
        Vec::<&str>::new()
    );
    assert_eq!(codes(&lint_manifest(&sts(&"a".repeat(53)))), ["PC107"]);
}

/// Issue 16: names of RBAC kinds are path segments (uppercase allowed).
#[test]
fn rbac_names_are_not_dns_names() {
    let role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: x-ta-clusterRole}\nrules: []\n";
    assert_eq!(codes(&lint_manifest(role)), Vec::<&str>::new());
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x-ta-clusterRole}\n";
    assert_eq!(codes(&lint_manifest(cm)), ["PC104"]);
}

/// A render failure no dedicated rule explains is located at the values
/// line that caused it, not in the template.
#[test]
fn render_failure_points_at_the_values_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let c = dir.path().join("c");
    std::fs::create_dir_all(c.join("templates")).expect("mkdir");
    std::fs::write(
        c.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .expect("write");
    std::fs::write(
        c.join("values.yaml"),
        "app:\n  enabled: false\n  name: \"\"\n",
    )
    .expect("write");
    std::fs::write(
        c.join("templates/cm.yaml"),
        "{{- if .Values.app.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ required \"app.name is required when app.enabled is true\" .Values.app.name }}\n{{- end }}\n",
    )
    .expect("write");
    let chart = Chart::load_dir(&c).expect("chart");
    let found = run(chart, "# mine\napp:\n  enabled: true\n");
    assert_eq!(codes(&found), ["PC000"], "{found:#?}");
    let f = &found[0];
    assert_eq!((f.file.as_str(), f.line), ("values.yaml", 3), "{f:#?}");
    assert_eq!(f.path, "app.enabled");
    assert!(f.message.contains("app.name is required"), "{}", f.message);
}

/// A library chart is linted like `helm lint` does: no "not installable".
#[test]
fn library_chart_is_not_a_render_failure() {
    let dir = tempfile::tempdir().expect("tmp");
    let c = dir.path().join("lib");
    std::fs::create_dir_all(c.join("templates")).expect("mkdir");
    std::fs::write(
        c.join("Chart.yaml"),
        "apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n",
    )
    .expect("write");
    std::fs::write(
        c.join("templates/_h.tpl"),
        "{{ define \"lib.name\" }}x{{ end }}\n",
    )
    .expect("write");
    let found = run(Chart::load_dir(&c).expect("chart"), "");
    assert_eq!(codes(&found), Vec::<&str>::new(), "{found:#?}");
}

/// A bad value the user's values put into a rendered object is reported at
/// the values line, once, however many objects it ends up in.
#[test]
fn object_findings_point_at_the_values_that_caused_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let chart = throwaway(
        dir.path(),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Values.name }}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: {{ .Values.name }}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.27}]\n  tolerations: {{ toJson .Values.tolerations }}\n",
    );
    let values = "name: Web_App\ntolerations:\n  - key: dedicated\n    operator: Equals\n";
    let found = run(chart, values);
    assert_eq!(codes(&found), ["K8S008", "PC104"], "{found:#?}");
    let k = found.iter().find(|f| f.rule == "K8S008").expect("K8S008");
    assert_eq!((k.file.as_str(), k.line), ("values.yaml", 4), "{k:#?}");
    assert_eq!(k.path, "spec.tolerations[0].operator");
    let n = found.iter().find(|f| f.rule == "PC104").expect("PC104");
    assert_eq!((n.file.as_str(), n.line), ("values.yaml", 1), "{n:#?}");
    assert!(n.message.contains("also affects"), "{}", n.message);
}

// ---- The same defects through the real binary (issue 15) ----

/// `pchart lint ARGS` run in `dir` (a fresh directory: no `.pchart.yaml`).
fn cli(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_pchart"))
        .arg("lint")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run pchart");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

fn headers(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning[") || l.starts_with("note["))
        .map(|l| l.split(':').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn cli_five_mistakes_five_findings() {
    let dir = tempfile::tempdir().expect("tmp");
    let five = "ociArtifacts:\n  name: Dash_Boards\n  image:\n    reference: ghcr.io/acme/dashboards:v1.2.0\n    pullPolicy: always\n  mountPath: /data/dashboards\n  subPath: ../prod\nconfig:\n  provisioning:\n    interval: 10 minutes\n";
    std::fs::write(dir.path().join("v.yaml"), five).expect("write");
    let (code, text) = cli(dir.path(), &["-f", "v.yaml"]);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(
        headers(&text),
        [
            "error[PC011]",
            "error[PC010]",
            "error[PC001]",
            "error[PC013]",
            "error[PC015]"
        ],
        "{text}"
    );
    // Every finding points into the values file, none into the chart.
    assert_eq!(text.matches("--> v.yaml:").count(), 5, "{text}");
    // `folders: []` with an artifact: PC014 and PC001, and no render
    // failure blaming a sidecar that is not enabled.
    let empty = format!(
        "config:\n  provisioning:\n    folders: []\nociArtifacts:\n  image:\n    reference: ghcr.io/acme/dashboards:v1@sha256:{}\n",
        "a".repeat(64)
    );
    std::fs::write(dir.path().join("e.yaml"), empty).expect("write");
    let (_, text) = cli(dir.path(), &["-f", "e.yaml"]);
    assert_eq!(headers(&text), ["error[PC014]", "error[PC001]"], "{text}");
    assert!(!text.contains("sidecar"), "{text}");
}

#[test]
fn cli_missed_failures_are_found() {
    let dir = tempfile::tempdir().expect("tmp");
    let v = "fullnameOverride: perses-observability-dashboards-production-eu-west-1a\nociArtifacts:\n  image:\n    reference: ghcr.io/acme/dashboards:v1.2.0\n    pullPolicy: Never\ntolerations:\n  - key: dedicated\n    operator: Equals\n    value: monitoring\n";
    std::fs::write(dir.path().join("v.yaml"), v).expect("write");
    let (code, text) = cli(dir.path(), &["-f", "v.yaml"]);
    assert_eq!(code, Some(1), "{text}");
    let h = headers(&text);
    for want in ["error[PC017]", "error[PC107]", "error[K8S008]"] {
        assert!(h.iter().any(|x| x == want), "{want} missing: {text}");
    }
    assert!(text.contains("did you mean \"Equal\"?"), "{text}");
    assert!(
        text.contains("--> v.yaml:8:5"),
        "K8S008 at the values line: {text}"
    );
}

#[test]
fn cli_words_match_the_risk() {
    let dir = tempfile::tempdir().expect("tmp");
    // The setup the Perses docs show: a tag with IfNotPresent. A note that
    // names the real risk (a re-pushed tag), so --strict passes...
    let v = "ociArtifacts:\n  image:\n    reference: ghcr.io/acme/dashboards:v1.2.0\n    pullPolicy: IfNotPresent\n";
    std::fs::write(dir.path().join("v.yaml"), v).expect("write");
    let (code, text) = cli(dir.path(), &["-f", "v.yaml", "--strict"]);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(headers(&text), ["note[PC009]"], "{text}");
    assert!(text.contains("re-pushed"), "{text}");
    assert!(
        text.contains("a new tag, or a rollback to another tag, is pulled normally"),
        "{text}"
    );
    assert!(!text.contains("a rollback by tag never reaches"), "{text}");
    // ...and a team that re-pushes tags opts in through .pchart.yaml.
    std::fs::write(
        dir.path().join(".pchart.yaml"),
        "rules:\n  PC009: warning\n",
    )
    .expect("write");
    let (code, text) = cli(dir.path(), &["-f", "v.yaml", "--strict"]);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(headers(&text), ["warning[PC009]"], "{text}");
    std::fs::remove_file(dir.path().join(".pchart.yaml")).expect("rm");
    // A reference with two faults names both.
    let v = "ociArtifacts:\n  image:\n    reference: ghcr.io/Acme/dashboards:-v1\n";
    std::fs::write(dir.path().join("r.yaml"), v).expect("write");
    let (_, text) = cli(dir.path(), &["-f", "r.yaml"]);
    assert_eq!(headers(&text), ["error[PC007]"], "{text}");
    assert!(
        text.contains("must be lowercase") && text.contains("tag \"-v1\""),
        "{text}"
    );
}
