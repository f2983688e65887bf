//! `pchart render` as a user runs it: output identical to `helm template`
//! (the release manifest recorded from real Helm, then the hooks), the
//! output flags, and exit code 2 with a one-line error for bad input.

use super::common::{pchart, root, stderr, stdout};

/// Helm's recorded release manifest for a case of tests/render/fixtures.json.
fn recorded_manifest(case: &str) -> String {
    let text =
        std::fs::read_to_string(root().join("tests/render/fixtures.json")).expect("fixtures");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("json");
    let c = cases
        .iter()
        .find(|c| c["name"] == case)
        .expect("case exists");
    c["manifest"].as_str().expect("manifest").to_string()
}

const UMBRELLA: &str = "tests/charts/umbrella";

#[test]
fn no_hooks_is_helms_trimmed_manifest() {
    let o = pchart(&["render", UMBRELLA, "--no-hooks"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let want = format!("{}\n", recorded_manifest("umbrella_defaults").trim());
    assert_eq!(stdout(&o), want);
}

#[test]
fn hooks_follow_the_manifest_sorted_by_kind() {
    let o = pchart(&["render", UMBRELLA]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let manifest = format!("{}\n", recorded_manifest("umbrella_defaults").trim());
    let out = stdout(&o);
    let hooks = out.strip_prefix(&manifest).expect("manifest first");
    // Pod (test hook) sorts before Job in Helm's install order; the hook
    // with an unknown event is dropped.
    let pod = hooks.find("name: test").expect("test hook");
    let job = hooks.find("name: migrate").expect("job hook");
    assert!(pod < job);
    assert!(!out.contains("unknown-hook"));
    assert!(hooks.starts_with("---\n# Source: umbrella/templates/all.yaml\n"));
}

#[test]
fn skip_tests_drops_test_hooks() {
    let o = pchart(&["render", UMBRELLA, "--skip-tests"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(!out.contains("name: test\n"));
    assert!(out.contains("name: migrate"));
}

#[test]
fn show_only_selects_one_template() {
    let o = pchart(&["render", UMBRELLA, "-s", "charts/web/templates/svc.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("---\n# Source: umbrella/charts/web/templates/svc.yaml\n"));
    assert_eq!(out.matches("# Source:").count(), 1);
    let o = pchart(&["render", UMBRELLA, "-s", "templates/nope.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("could not find template templates/nope.yaml"));
}

#[test]
fn output_dir_writes_helms_layout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().to_string_lossy().to_string();
    let o = pchart(&["render", UMBRELLA, "--output-dir", &d, "--no-hooks"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svc = std::fs::read_to_string(dir.path().join("umbrella/charts/web/templates/svc.yaml"))
        .expect("svc written");
    assert!(svc.starts_with("---\n# Source: umbrella/charts/web/templates/svc.yaml\n"));
    assert!(stdout(&o).contains(&format!("wrote {d}/umbrella/templates/all.yaml")));
}

#[test]
fn set_flags_reach_subcharts() {
    let o = pchart(&[
        "render",
        "tests/charts/tgzparent",
        "--set",
        "child.size=9",
        "--set-string",
        "child.greeting=yo",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("name: child-yo"));
    assert!(out.contains("size: \"9\""));
}

#[test]
fn is_upgrade_flips_release_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let c = dir.path().join("c");
    std::fs::create_dir_all(c.join("templates")).expect("mkdir");
    std::fs::write(
        c.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 1.0.0\n",
    )
    .expect("w");
    std::fs::write(
        c.join("templates/cm.yaml"),
        "kind: ConfigMap\ndata:\n  install: {{ .Release.IsInstall | quote }}\n  upgrade: {{ .Release.IsUpgrade | quote }}\n",
    )
    .expect("w");
    let cs = c.to_string_lossy().to_string();
    let o = pchart(&["render", &cs, "--is-upgrade"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("install: \"false\"\n  upgrade: \"true\""));
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let cases: &[&[&str]] = &[
        &["render", "tests/charts/does-not-exist"],
        &["render", UMBRELLA, "-f", "tests/charts/does-not-exist.yaml"],
        &["render", UMBRELLA, "--set", "a..b=1"],
        &["render", "tests/charts/kubeold"],
        &["render", UMBRELLA, "--kube-version", "banana"],
    ];
    for args in cases {
        let o = pchart(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.starts_with("Error: "), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn values_file_errors_point_at_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("bad.yaml");
    std::fs::write(&f, "a: 1\nb: [1, 2\n").expect("w");
    let fs = f.to_string_lossy().to_string();
    let o = pchart(&["render", UMBRELLA, "-f", &fs]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains(&format!("{fs}:")), "{err}");
    assert!(err.contains("did not find expected ',' or ']'"), "{err}");
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let o = pchart(&["render", "--frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn no_chart_renders_the_embedded_perses_chart() {
    for example in ["oci-production", "sql-mode"] {
        let values = format!("examples/{example}.yaml");
        let o = pchart(&["render", "-f", &values, "--release-name", "perses"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let golden =
            std::fs::read_to_string(root().join(format!("golden/{example}.yaml"))).expect("golden");
        assert_eq!(stdout(&o), golden, "{example}");
    }
}
