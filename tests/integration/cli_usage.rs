//! What a new user hits in the first hour (issue 15), through the real
//! binary: closed pipes, `-` as standard input, typos in `.pchart.yaml`
//! and feature gates, findings located at `--set` flags, a values file
//! given as the chart, and the flags every command shares.

use std::process::{Output, Stdio};

use super::common::{cmd, pchart, pchart_in, pchart_stdin, root, stderr, stdout, write};

const BAD_MOUNT: &str = "ociArtifacts:\n  image:\n    reference: ghcr.io/acme/dashboards:v1.2.0@sha256:0000000000000000000000000000000000000000000000000000000000000000\n  mountPath: /data/dashboards\n";

/// Defect 7: a reader that closes the pipe at once never makes pchart
/// panic (exit 101), whatever the command and format.
#[test]
fn closed_stdout_never_panics() {
    let runs: &[&[&str]] = &[
        &["explain", "PC005"],
        &["rules"],
        &["completions", "bash"],
        &["man"],
        &["render"],
        &["eval", "-e", "{{ .Chart.Name }}"],
        &["lint", "-f", "examples/oci-staging-rc.yaml"],
        &[
            "lint",
            "-f",
            "examples/oci-staging-rc.yaml",
            "--format",
            "json",
        ],
        &[
            "lint",
            "-f",
            "examples/oci-staging-rc.yaml",
            "--format",
            "sarif",
        ],
        &[
            "lint",
            "-f",
            "examples/oci-staging-rc.yaml",
            "--format",
            "github",
        ],
        &[
            "lint",
            "-f",
            "examples/oci-staging-rc.yaml",
            "--format",
            "junit",
        ],
        &["test"],
        &["--help"],
    ];
    for args in runs {
        // Several tries: whether the write hits the closed pipe is a race.
        for _ in 0..3 {
            let mut child = cmd(&root(), args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run pchart");
            drop(child.stdout.take());
            let o = child.wait_with_output().expect("wait");
            let err = stderr(&o);
            assert_ne!(o.status.code(), Some(101), "{args:?} panicked: {err}");
            assert!(!err.contains("panicked"), "{args:?}: {err}");
            assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        }
    }
}

/// Defect 1: `-` is standard input for every command that takes values,
/// and it can be given once.
#[test]
fn dash_reads_values_from_stdin_once() {
    for flag in [
        &["-f", "-"][..],
        &["--values=-"][..],
        &["--values", "-"][..],
    ] {
        let mut args = vec!["lint"];
        args.extend_from_slice(flag);
        let o = pchart_stdin(&root(), &args, BAD_MOUNT);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        let text = stdout(&o);
        assert!(text.contains("error[PC001]"), "{text}");
        assert!(text.contains("<stdin>:4:3"), "{text}");
        assert!(text.contains("  mountPath: /data/dashboards"), "{text}");
    }
    let o = pchart_stdin(
        &root(),
        &["render", "-f", "-"],
        "fullnameOverride: from-stdin\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("name: from-stdin"), "{}", stdout(&o));
    let o = pchart_stdin(
        &root(),
        &["eval", "-e", "{{ .Values.a }}", "-f", "-"],
        "a: 7\n",
    );
    assert_eq!(stdout(&o), "7", "{}", stderr(&o));
    // A second `-` would read nothing: refused, for every command.
    for cmd in ["render", "lint", "eval"] {
        let mut args = vec![cmd, "-f", "-", "-f", "-"];
        if cmd == "eval" {
            args.extend(["-e", "x"]);
        }
        let o = pchart_stdin(&root(), &args, "a: 1\n");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("already read"), "{}", stderr(&o));
        let mut args = vec![cmd, "-f", "-", "--set-file", "b=-"];
        if cmd == "eval" {
            args.extend(["-e", "x"]);
        }
        let o = pchart_stdin(&root(), &args, "a: 1\n");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
    // --crd reads `-` too.
    let o = pchart_stdin(&root(), &["lint", "--crd", "-"], "kind: x\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Defect 12: a values file given as the chart (`-f` forgotten) gets a
/// hint, in every command that takes a chart.
#[test]
fn yaml_file_as_chart_suggests_f() {
    let dir = tempfile::tempdir().expect("tmp");
    write(dir.path(), "prod.yaml", BAD_MOUNT);
    for args in [
        &["render", "prod.yaml"][..],
        &["lint", "prod.yaml"],
        &["eval", "prod.yaml", "-e", "x"],
        &["diff", "prod.yaml", "--golden", "prod.yaml"],
    ] {
        let o = pchart_in(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains("did you mean `-f prod.yaml`?"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("gzip"), "{err}");
    }
    // A chart's Chart.yaml points at its directory.
    let o = pchart(&["render", "charts/perses/Chart.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `charts/perses`?"),
        "{}",
        stderr(&o)
    );
}

/// Friction: `eval` uses the embedded chart when no chart is given, and
/// takes the shared release flags.
#[test]
fn eval_uses_the_embedded_chart() {
    let o = pchart(&[
        "eval",
        "-e",
        "{{ .Chart.Name }}/{{ .Release.Name }}",
        "-n",
        "x",
        "--release-name",
        "r",
    ]);
    assert_eq!(stdout(&o), "perses/r", "{}", stderr(&o));
    let o = pchart(&["eval", "--template", "templates/service.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("kind: Service"));
}

fn lint_with_config(config: &str) -> Output {
    let dir = tempfile::tempdir().expect("tmp");
    write(dir.path(), ".pchart.yaml", config);
    pchart_in(dir.path(), &["lint"])
}

/// Defect 4: unknown `.pchart.yaml` keys are errors with a suggestion,
/// at every level; `kubeVersion: 1.30` is read as written, not as 1.3.
#[test]
fn config_typos_are_errors() {
    for (config, want) in [
        (
            "kubeversion: \"1.30\"\n",
            "unknown key `kubeversion`: did you mean \"kubeVersion\"?",
        ),
        (
            "featuregates: {ImageVolume: true}\n",
            "did you mean \"featureGates\"?",
        ),
        ("test: []\n", "unknown key `test`: did you mean \"tests\"?"),
        (
            "rules: {PC01: off}\n",
            "unknown rule \"PC01\": did you mean",
        ),
        (
            "ignore: [PC0001]\n",
            "unknown rule \"PC0001\": did you mean",
        ),
        ("values: prod.yaml\n", "`values` must be a list of paths"),
        (
            "featureGates: {ImageVolumes: true}\n",
            "did you mean \"ImageVolume\"?",
        ),
        (
            "tests:\n  - golden: g.yaml\n    relaseName: x\n",
            "unknown key \"relaseName\": did you mean \"releaseName\"?",
        ),
    ] {
        let o = lint_with_config(config);
        assert_eq!(o.status.code(), Some(2), "{config}: {}", stdout(&o));
        assert!(stderr(&o).contains(want), "{config}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(".pchart.yaml:"),
            "{config}: {}",
            stderr(&o)
        );
    }
}

/// Defect 4: the unquoted version 1.30 is the YAML float 1.3; pchart
/// reads what was written (with a note), so 1.30 is not linted as 1.3.
#[test]
fn unquoted_kube_version_is_read_as_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let values = write(
        dir.path(),
        "v.yaml",
        "ociArtifacts:\n  image:\n    reference: ghcr.io/a/b@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
    );
    let lint = |config: &str| {
        write(dir.path(), ".pchart.yaml", config);
        pchart_in(dir.path(), &["lint", "-f", &values, "--format", "json"])
    };
    let quoted = lint("kubeVersion: \"1.30\"\n");
    let bare = lint("kubeVersion: 1.30\n");
    assert_eq!(stdout(&quoted), stdout(&bare));
    assert!(stdout(&bare).contains("1.30"), "{}", stdout(&bare));
    assert!(!stdout(&bare).contains("1.3 "), "{}", stdout(&bare));
    assert!(
        stderr(&bare).contains("read as the version \"1.30\""),
        "{}",
        stderr(&bare)
    );
    // In flow style the written text is not at hand: refused, with the fix.
    let o = lint("{kubeVersion: 1.30}\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("quoted version string"),
        "{}",
        stderr(&o)
    );
}

/// Defect 8: an unknown feature gate is an error, not a silent no-op.
#[test]
fn unknown_feature_gates_are_errors() {
    for gates in [
        "ImageVolumes=true",
        "imagevolume=true",
        "ImageVolume=true,Foo=false",
    ] {
        let o = pchart(&["lint", "--feature-gates", gates]);
        assert_eq!(o.status.code(), Some(2), "{gates}");
        assert!(
            stderr(&o).contains("unknown feature gate"),
            "{}",
            stderr(&o)
        );
    }
    let o = pchart(&["lint", "--feature-gates", "ImageVolumes=true"]);
    assert!(
        stderr(&o).contains("did you mean \"ImageVolume\"?"),
        "{}",
        stderr(&o)
    );
    let o = pchart(&[
        "lint",
        "--feature-gates",
        "ImageVolume=true",
        "-f",
        "examples/oci-staging-rc.yaml",
    ]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Defect 3: `hook lint` lints a values file no case lists (it has chart
/// keys, or matches `valuesFiles:`), with or without `.pchart.yaml`, and
/// names every file it skips with the reason.
#[test]
fn hook_lints_unlisted_values_files_and_names_skipped_ones() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let staging = BAD_MOUNT.replace("/data/dashboards", "/data/staging");
    write(d, "values/staging.yaml", &staging);
    write(d, "values/extra.yaml", "someTeamKey: 1\n");
    write(d, "values/broken.yaml", "a: [\n");
    write(
        d,
        "deploy/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
    );
    write(d, ".pre-commit-config.yaml", "repos: []\n");
    // Without a .pchart.yaml: the embedded chart's keys decide.
    let o = pchart_in(d, &["hook", "lint", "values/staging.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("error[PC001]"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("values/staging.yaml:4:3"),
        "{}",
        stdout(&o)
    );
    let o = pchart_in(
        d,
        &[
            "hook",
            "lint",
            "values/extra.yaml",
            "deploy/cm.yaml",
            ".pre-commit-config.yaml",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    for (file, why) in [
        (
            "values/extra.yaml",
            "no top-level key of the chart's values.yaml",
        ),
        ("deploy/cm.yaml", "a Kubernetes manifest"),
        (".pre-commit-config.yaml", "no top-level key"),
    ] {
        assert!(err.contains(&format!("skipped {file}: {why}")), "{err}");
    }
    // With cases for another file: the unlisted one is still linted.
    write(
        d,
        ".pchart.yaml",
        "tests:\n  - name: prod\n    values: [values/prod.yaml]\n    golden: golden/prod.yaml\n",
    );
    write(d, "values/prod.yaml", "replicas: 1\n");
    let o = pchart_in(d, &["hook", "lint", "values/staging.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("error[PC001]"), "{}", stdout(&o));
    // A `valuesFiles:` glob makes a file a values file whatever its keys:
    // a broken one is then an error, not a skipped file.
    let o = pchart_in(d, &["hook", "lint", "values/broken.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("skipped values/broken.yaml: not valid YAML"),
        "{err}"
    );
    write(d, ".pchart.yaml", "valuesFiles: [\"values/*.yaml\"]\n");
    let o = pchart_in(d, &["hook", "lint", "values/broken.yaml"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("values/broken.yaml:"), "{}", stderr(&o));
    let o = pchart_in(
        d,
        &["hook", "lint", "values/extra.yaml", "--format", "json"],
    );
    assert!(!stderr(&o).contains("skipped"), "{}", stderr(&o));
    // Two values sets in a machine format: one document with both.
    let o = pchart_in(
        d,
        &[
            "hook",
            "lint",
            "values/extra.yaml",
            "values/staging.yaml",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON document");
    let files: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(files.contains(&"values/staging.yaml"), "{v}");
}

/// Next to defect 8: other names get a suggestion too (`man`, `test NAME`).
#[test]
fn mistyped_names_get_suggestions() {
    let o = pchart(&["man", "dif"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean \"diff\"?"),
        "{}",
        stderr(&o)
    );
    let o = pchart(&["test", "sql-mod"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean \"sql-mode\"?"),
        "{}",
        stderr(&o)
    );
}

/// Every SARIF `uri` and GitHub `file=` of a lint run.
fn report_paths(o: &Output, format: &str) -> Vec<String> {
    let text = stdout(o);
    if format == "github" {
        return text
            .lines()
            .filter_map(|l| l.split_once("file=").map(|(_, r)| r))
            .map(|r| r.split([',', ':']).next().unwrap_or_default().to_string())
            .collect();
    }
    let v: serde_json::Value = serde_json::from_str(&text).expect("SARIF is JSON");
    let mut out = Vec::new();
    for r in v["runs"][0]["results"].as_array().expect("results") {
        if let Some(locs) = r["locations"].as_array() {
            for l in locs {
                let uri = &l["physicalLocation"]["artifactLocation"]["uri"];
                out.push(uri.as_str().expect("uri").to_string());
            }
        }
    }
    out
}

/// Defect 5: a value set by a flag is located at the flag, not at the
/// chart's values.yaml; SARIF and GitHub output carry only paths of files
/// inside the repository (the flag and the embedded chart go into the
/// message).
#[test]
fn findings_from_set_flags_are_located_at_the_flag() {
    let set = "ociArtifacts.image.reference=ghcr.io/a/b:latest";
    for flag in ["--set-string", "--set"] {
        let o = pchart(&["lint", flag, set]);
        let text = stdout(&o);
        assert!(
            text.contains(&format!("--> {flag} ociArtifacts.image.reference\n")),
            "{text}"
        );
        assert!(!text.contains("values.yaml"), "{text}");
    }
    // A file sets it, a flag overrides it: the flag wins, as in the render.
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    std::fs::create_dir(d.join(".git")).expect("mkdir");
    write(
        d,
        "values/prod.yaml",
        "ociArtifacts:\n  image:\n    reference: ghcr.io/a/b:v1.0.0\n",
    );
    let o = pchart_in(d, &["lint", "-f", "values/prod.yaml", "--set-string", set]);
    assert!(
        stdout(&o).contains("--> --set-string ociArtifacts.image.reference"),
        "{}",
        stdout(&o)
    );
    for format in ["sarif", "github"] {
        let o = pchart_in(
            d,
            &[
                "lint",
                "-f",
                "values/prod.yaml",
                "--set-string",
                set,
                "--set",
                "ociArtifacts.mountPath=/data/x",
                "--format",
                format,
            ],
        );
        let text = stdout(&o);
        assert!(
            text.contains("(at --set-string ociArtifacts.image.reference)"),
            "{text}"
        );
        for p in report_paths(&o, format) {
            assert!(
                !p.starts_with('/') && !p.starts_with('<') && !p.starts_with('-'),
                "{p}"
            );
            assert!(
                d.join(&p).is_file(),
                "{format}: {p} is not a file of the repository"
            );
        }
    }
    // A chart directory: template findings name the file on disk.
    let o = pchart(&[
        "lint",
        "charts/perses",
        "--set",
        "ociArtifacts.image.reference=ghcr.io/a/b:latest",
        "--format",
        "sarif",
    ]);
    for p in report_paths(&o, "sarif") {
        assert!(root().join(&p).is_file(), "{p}");
    }
}

/// Friction: lint takes the release flags every rendering command takes.
#[test]
fn lint_takes_release_name_and_namespace() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    write(
        d,
        "c/Chart.yaml",
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    );
    // A wrong type, so that there is a finding naming the object.
    write(
        d,
        "c/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Release.Namespace }}\ndata: []\n",
    );
    let args = [
        "lint",
        "c",
        "--release-name",
        "myrel",
        "-n",
        "myns",
        "--format",
        "json",
    ];
    let o = pchart_in(d, &args);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("ConfigMap/myrel-myns"),
        "{}",
        stdout(&o)
    );
}

/// Friction: bare `pchart lint` in a repository whose `.pchart.yaml` has
/// golden cases lints every case's values, not only the chart defaults;
/// machine formats get one document for all of them.
#[test]
fn bare_lint_lints_every_case() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    write(d, "values/prod.yaml", "replicas: 2\n");
    write(d, "values/staging.yaml", BAD_MOUNT);
    write(
        d,
        ".pchart.yaml",
        "tests:\n  - name: prod\n    values: [values/prod.yaml]\n    golden: golden/prod.yaml\n  - name: staging\n    values: [values/staging.yaml]\n    golden: golden/staging.yaml\n",
    );
    let o = pchart_in(d, &["lint"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("== case prod: the embedded Perses chart -f values/prod.yaml =="),
        "{text}"
    );
    assert!(text.contains("== case staging:"), "{text}");
    assert!(text.contains("--> values/staging.yaml:4:3"), "{text}");
    let o = pchart_in(d, &["lint", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON document");
    assert!(v["summary"]["errors"].as_u64() >= Some(1), "{v}");
    // Values given on the command line: only those are linted.
    let o = pchart_in(d, &["lint", "-f", "values/prod.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(!stdout(&o).contains("=="), "{}", stdout(&o));
}

/// Friction: a Kubernetes version without an embedded API schema says
/// which schema version the fields are checked against.
#[test]
fn versions_outside_the_embedded_schemas_say_which_is_used() {
    for (v, used) in [("1.28", "1.31"), ("1.40", "1.37")] {
        let o = pchart(&[
            "lint",
            "--kube-version",
            v,
            "-f",
            "examples/oci-digest-pinned.yaml",
        ]);
        let err = stderr(&o);
        assert!(
            err.contains(&format!("no embedded Kubernetes API schema for {v}")),
            "{err}"
        );
        assert!(err.contains(&format!("checked against {used}")), "{err}");
    }
    let o = pchart(&[
        "lint",
        "--kube-version",
        "1.33",
        "-f",
        "examples/oci-digest-pinned.yaml",
    ]);
    assert!(!stderr(&o).contains("no embedded"), "{}", stderr(&o));
}

/// Friction: `explain` knows the golden-file codes, suggests a code for a
/// typo, and shell completions offer every code.
#[test]
fn explain_golden_codes_and_complete_rule_codes() {
    for code in ["GOLD001", "gold002", "GOLD003"] {
        let o = pchart(&["explain", code]);
        assert_eq!(o.status.code(), Some(0), "{code}: {}", stderr(&o));
        assert!(stdout(&o).contains("Why it matters:"), "{}", stdout(&o));
    }
    let o = pchart(&["explain", "PCO05"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean \"PC005\"?"),
        "{}",
        stderr(&o)
    );
    // clap_complete completes positional values for bash and zsh only.
    for shell in ["bash", "zsh"] {
        let o = pchart(&["completions", shell]);
        let text = stdout(&o);
        for code in ["PC001", "PC005", "K8S001", "GOLD001"] {
            assert!(text.contains(code), "{shell} completions lack {code}");
        }
    }
}

/// Defect 11: `pchart chart export DIR` writes the embedded chart out, and
/// the copy renders exactly as the embedded chart does.
#[test]
fn chart_export_writes_the_embedded_chart() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let o = pchart_in(d, &["chart", "export", "charts/perses"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.join("charts/perses/Chart.yaml").is_file());
    assert!(d.join("charts/perses/values.yaml").is_file());
    let values = root().join("examples/oci-production.yaml");
    let values = values.to_string_lossy();
    let copy = pchart_in(d, &["render", "charts/perses", "-f", &values]);
    let embedded = pchart_in(d, &["render", "-f", &values]);
    assert_eq!(copy.status.code(), Some(0), "{}", stderr(&copy));
    assert_eq!(stdout(&copy), stdout(&embedded));
    // Never over a non-empty directory unless asked.
    let o = pchart_in(d, &["chart", "export", "charts/perses"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    std::fs::write(d.join("charts/perses/values.yaml"), "x: 1\n").expect("write");
    let o = pchart_in(d, &["chart", "export", "charts/perses", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let again = pchart_in(d, &["render", "charts/perses", "-f", &values]);
    assert_eq!(stdout(&again), stdout(&embedded));
}

/// Next to defect 3: `hook test` names the files no case uses, and a
/// conventional case's `flags` file (which the pre-commit hook passes)
/// selects its case.
#[test]
fn hook_test_names_skipped_files_and_follows_flags_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    write(d, "golden/prod/values.yaml", "replicas: 2\n");
    write(d, "golden/prod/flags", "--release-name perses\n");
    write(d, "golden/prod/expected.yaml", "");
    let o = pchart_in(d, &["test", "--update"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    write(d, "golden/prod/flags", "--release-name other\n");
    let o = pchart_in(d, &["hook", "test", "golden/prod/flags", "notes.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("FAILED prod"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("skipped notes.yaml: no golden case uses it"),
        "{}",
        stderr(&o)
    );
}

/// The release flags are one set, shared: `--kube-version`, `-a` and
/// `--is-upgrade` reach the render of `render`, `eval`, `diff`, `lint` and
/// a golden case's `flags` file alike.
#[test]
fn release_flags_reach_every_command() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let write = |name: &str, text: &str| {
        let p = d.join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    write(
        "c/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  up: {{ .Release.IsUpgrade | quote }}\n  foo: {{ .Capabilities.APIVersions.Has \"foo.example/v1\" | quote }}\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n",
    );
    write(
        "c/templates/gate.yaml",
        "{{- if .Values.gate }}{{ if .Release.IsUpgrade }}{{ fail \"is an upgrade\" }}{{ end }}{{ if .Capabilities.APIVersions.Has \"foo.example/v1\" }}{{ fail \"has foo\" }}{{ end }}{{ end }}\n",
    );
    let flags = [
        "--is-upgrade",
        "-a",
        "foo.example/v1",
        "--kube-version",
        "1.33.0",
    ];
    let with = |args: &[&str]| -> Vec<String> {
        args.iter()
            .chain(flags.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        pchart_in(d, &args)
    };
    let want = "  up: \"true\"\n  foo: \"true\"\n  kube: \"v1.33.0\"\n";
    let o = run(with(&["render", "c"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rendered = stdout(&o);
    assert!(rendered.contains(want), "{rendered}");
    let o = run(with(&["eval", "c", "-t", "templates/cm.yaml"]));
    assert!(stdout(&o).contains(want), "{}", stdout(&o));
    write("expected.yaml", &rendered);
    let o = run(with(&["diff", "c", "--golden", "expected.yaml"]));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = pchart_in(d, &["diff", "c", "--golden", "expected.yaml"]);
    assert_eq!(o.status.code(), Some(1), "without the flags it differs");
    for (flag, value, why) in [
        ("--is-upgrade", None, "is an upgrade"),
        ("-a", Some("foo.example/v1"), "has foo"),
    ] {
        let mut args = vec!["lint", "c", "--set", "gate=true", flag];
        args.extend(value);
        let o = pchart_in(d, &args);
        assert!(stdout(&o).contains(why), "{flag}: {}", stdout(&o));
    }
    // A conventional golden case whose flags file holds them.
    write("golden/up/expected.yaml", &rendered);
    write(
        "golden/up/flags",
        &format!("--chart c\n{}\n", flags.join(" ")),
    );
    let o = pchart_in(d, &["test"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    write("golden/up/flags", "--chart c\n");
    let o = pchart_in(d, &["test"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}
