//! What a new user hits in the first hour (issue 15), through the real
//! binary: closed pipes, `-` as standard input, typos in `.pchart.yaml`
//! and feature gates, findings located at `--set` flags, a values file
//! given as the chart, and the flags every command shares.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pchart"));
    c.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CI");
    c
}

fn pchart_in(dir: &Path, args: &[&str]) -> Output {
    cmd(dir, args).output().expect("run pchart")
}

fn pchart(args: &[&str]) -> Output {
    pchart_in(&root(), args)
}

/// Run with `input` on standard input.
fn pchart_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = cmd(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pchart");
    if let Some(mut i) = child.stdin.take() {
        // The command may not read it all; a closed pipe here is fine.
        let _ = i.write_all(input.as_bytes());
    }
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&p, text).expect("write");
    p.to_string_lossy().into_owned()
}

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
    let o = pchart_stdin(&root(), &["render", "-f", "-"], "image:\n  name: x/y\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("/x/y:"), "{}", stdout(&o));
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
    pchart_in(dir.path(), &["lint", "-f", "-"])
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
