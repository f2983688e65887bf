//! `pchart lint`, `rules` and `explain` as users run them: exit codes,
//! `--strict`, every output format, `.pchart.yaml`, and the rules that
//! check rendered workloads and Chart.yaml.

use std::path::Path;

use super::common::{pchart, pchart_in, root, stdout as out, write};

const BAD_MOUNT: &str = "ociArtifacts:\n  image:\n    reference: ghcr.io/acme/dashboards:v1.2.0@sha256:0000000000000000000000000000000000000000000000000000000000000000\n  mountPath: /data/dashboards\n";

#[test]
fn clean_examples_exit_0_and_errors_exit_1() {
    let o = pchart(&["lint", "-f", "examples/oci-digest-pinned.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("no problems found"));
    let dir = tempfile::tempdir().expect("tmp");
    let f = write(dir.path(), "bad.yaml", BAD_MOUNT);
    let o = pchart(&["lint", "-f", &f]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(text.contains("error[PC001]"), "{text}");
    assert!(text.contains(&format!("{f}:4:3")), "{text}");
    assert!(text.contains("  mountPath: /data/dashboards"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn strict_fails_on_warnings() {
    // `:latest` is a warning (PC008): exit 0, and 1 with --strict.
    let dir = tempfile::tempdir().expect("tmp");
    let f = write(
        dir.path(),
        "latest.yaml",
        "ociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:latest}\n",
    );
    let o = pchart(&["lint", "-f", &f]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).contains("warning[PC008]"));
    let o = pchart(&["lint", "-f", &f, "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    // The tag-with-IfNotPresent setup the Perses docs show is a note
    // (PC009): strict CI passes unless a team raises it.
    let o = pchart(&[
        "lint",
        "-f",
        "examples/multiple-provisioning-folders.yaml",
        "--strict",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("note[PC009]"));
}

#[test]
fn version_and_gates_change_the_verdict() {
    let args = |v: &'static str| -> Vec<&'static str> {
        vec![
            "lint",
            "-f",
            "examples/oci-staging-rc.yaml",
            "--kube-version",
            v,
        ]
    };
    let o = pchart(&args("1.30.0"));
    assert!(out(&o).contains("PC004"));
    let o = pchart(&args("1.32.0"));
    let t = out(&o);
    assert!(t.contains("PC005") && t.contains("PC006"), "{t}");
    let mut a = args("1.33.0");
    a.extend(["--feature-gates", "ImageVolume=true"]);
    let o = pchart(&a);
    let t = out(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("note[PC016]"), "{t}");
}

#[test]
fn json_output_has_findings_and_summary() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = write(dir.path(), "bad.yaml", BAD_MOUNT);
    let o = pchart(&["lint", "-f", &f, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).expect("json");
    let first = &v["findings"][0];
    assert_eq!(first["rule"], "PC001");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["path"], "ociArtifacts.mountPath");
    assert_eq!(first["line"], 4);
    assert_eq!(first["column"], 3);
    assert_eq!(v["summary"]["errors"], 1);
    // The output is valid against the published schema.
    let schema =
        std::fs::read_to_string(root().join("schemas/lint-output.schema.json")).expect("schema");
    let doc = pchart::yaml::parse_json(&out(&o), pchart::yaml::JsonTarget::Any).expect("doc");
    let errors = pchart::schema::validate(&schema, &doc).expect("usable schema");
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn github_sarif_and_junit_formats() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = write(dir.path(), "bad.yaml", BAD_MOUNT);
    // Annotations name files relative to the repository they run in.
    let o = pchart_in(
        dir.path(),
        &["lint", "-f", "bad.yaml", "--format", "github"],
    );
    let t = out(&o);
    assert!(
        t.starts_with("::error file=bad.yaml,line=4,col=3,title=PC001::"),
        "{t}"
    );
    // A file outside it keeps its location in the message only.
    let o = pchart(&["lint", "-f", &f, "--format", "github"]);
    let t = out(&o);
    assert!(!t.contains("file="), "{t}");
    assert!(t.contains(&format!("(at {f}:4)")), "{t}");
    let o = pchart(&["lint", "-f", &f, "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&out(&o)).expect("sarif json");
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"][0]["ruleId"], "PC001");
    assert!(
        v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .is_some_and(|r| r.len() > 15)
    );
    let o = pchart(&["lint", "-f", &f, "--format", "junit"]);
    let t = out(&o);
    assert!(t.starts_with("<?xml"));
    assert!(t.contains("<failure message=\"mountPath"));
}

#[test]
fn config_file_sets_defaults_and_severities() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "values.yaml",
        &std::fs::read_to_string(root().join("examples/multiple-provisioning-folders.yaml"))
            .expect("example"),
    );
    write(
        dir.path(),
        ".pchart.yaml",
        "values: [values.yaml]\nkubeVersion: \"1.35.0\"\nrules:\n  PC009: error\n",
    );
    let o = pchart_in(dir.path(), &["lint"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("error[PC009]"));
    write(
        dir.path(),
        ".pchart.yaml",
        "values: [values.yaml]\nrules:\n  oci-tag-without-digest: off\n",
    );
    let o = pchart_in(dir.path(), &["lint", "--strict"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    write(dir.path(), ".pchart.yaml", "rules:\n  NOPE: error\n");
    let o = pchart_in(dir.path(), &["lint"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn input_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = write(dir.path(), "bad.yaml", "a: [1\n");
    for args in [
        vec!["lint", "-f", f.as_str()],
        vec!["lint", "-f", "does-not-exist.yaml"],
        vec!["lint", "--kube-version", "x.y"],
        vec!["lint", "--feature-gates", "ImageVolume"],
        vec!["explain", "PC999"],
    ] {
        let o = pchart(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn rules_and_explain() {
    let o = pchart(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(out(&o).contains("PC001  error    oci-mount-outside-provisioning"));
    let o = pchart(&["explain", "PC001"]);
    let t = out(&o);
    assert!(t.contains("Why it matters:") && t.contains("Fails:") && t.contains("Passes:"));
    let o = pchart(&["explain", "oci-tag-without-digest"]);
    assert!(out(&o).starts_with("PC009"));
}

/// A throwaway chart whose single template renders `manifest`.
fn chart_with(dir: &Path, chart_yaml: &str, manifest: &str) -> String {
    write(dir, "c/Chart.yaml", chart_yaml);
    write(dir, "c/templates/w.yaml", manifest);
    dir.join("c").to_string_lossy().into_owned()
}

const CHART: &str = "apiVersion: v2\nname: c\nversion: 0.1.0\n";

#[test]
fn workload_rules_fail_and_pass() {
    let sts = |volumes: &str, mounts: &str, labels: &str| {
        format!(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {labels}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n        volumeMounts: {mounts}\n      volumes: {volumes}\n"
        )
    };
    let good = sts(
        "[{name: a, emptyDir: {}}, {name: b, emptyDir: {}}]",
        "[{name: a, mountPath: /a}, {name: b, mountPath: /b}]",
        "{app: web}",
    );
    let cases = [
        (
            "PC101",
            sts(
                "[{name: a, emptyDir: {}}, {name: a, emptyDir: {}}]",
                "[{name: a, mountPath: /a}]",
                "{app: web}",
            ),
        ),
        (
            "PC102",
            sts(
                "[{name: a, emptyDir: {}}]",
                "[{name: zz, mountPath: /a}]",
                "{app: web}",
            ),
        ),
        (
            "PC103",
            sts(
                "[{name: a, emptyDir: {}}, {name: b, emptyDir: {}}]",
                "[{name: a, mountPath: /x}, {name: b, mountPath: /x}]",
                "{app: web}",
            ),
        ),
        (
            "PC105",
            sts(
                "[{name: a, emptyDir: {}}]",
                "[{name: a, mountPath: /a}]",
                "{app: other}",
            ),
        ),
        (
            "PC104",
            good.replace("name: web\nspec", "name: Web_1\nspec"),
        ),
    ];
    for (code, manifest) in cases {
        let dir = tempfile::tempdir().expect("tmp");
        let c = chart_with(dir.path(), CHART, &manifest);
        let o = pchart(&["lint", &c]);
        let t = out(&o);
        assert_eq!(o.status.code(), Some(1), "{code}: {t}");
        assert!(t.contains(&format!("error[{code}]")), "{code}: {t}");
        assert!(t.contains("StatefulSet/"), "{code}: {t}");
        // The finding points at the template line that wrote the field.
        assert!(t.contains("c/templates/w.yaml:"), "{code}: {t}");
        let dir = tempfile::tempdir().expect("tmp");
        let c = chart_with(dir.path(), CHART, &good);
        let o = pchart(&["lint", &c]);
        assert!(
            !out(&o).contains(code),
            "{code} on the good manifest: {}",
            out(&o)
        );
    }
}

#[test]
fn chart_and_render_rules() {
    let dir = tempfile::tempdir().expect("tmp");
    let c = chart_with(
        dir.path(),
        "apiVersion: v2\nname: c\nversion: 0.1.0\nkubeVersion: \">=1.37.0-0\"\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    );
    let o = pchart(&["lint", &c]);
    let t = out(&o);
    assert!(t.contains("error[PC106]"), "{t}");
    // The same chart renders nothing (Helm refuses it): PC000 too.
    assert!(t.contains("error[PC000]"), "{t}");
    let o = pchart(&["lint", &c, "--kube-version", "1.37.0"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let dir = tempfile::tempdir().expect("tmp");
    let c = chart_with(dir.path(), CHART, "{{ fail \"no way\" }}\n");
    let o = pchart(&["lint", &c]);
    let t = out(&o);
    assert!(
        t.contains("error[PC000]: execution error at (c/templates/w.yaml:1:3): no way"),
        "{t}"
    );
    // The template as it is on disk, not as Helm names it.
    assert!(t.contains(&format!("--> {c}/templates/w.yaml:1:3")), "{t}");
}

#[test]
fn kubernetes_api_rules_per_version() {
    let dir = tempfile::tempdir().expect("tmp");
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: \"3\"\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      contianers: []\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\n";
    let c = chart_with(dir.path(), CHART, manifest);
    let o = pchart(&["lint", &c, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).expect("json");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    for code in ["K8S001", "K8S002", "K8S003", "K8S004"] {
        assert!(rules.contains(&code), "{code} missing in {rules:?}");
    }
    let wrong = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "K8S002")
        .expect("K8S002");
    assert_eq!(wrong["path"], "spec.replicas");
    assert_eq!(wrong["object"], "Deployment/web");
    assert_eq!(wrong["file"], format!("{c}/templates/w.yaml"));
    assert_eq!(wrong["line"], 6);
}
