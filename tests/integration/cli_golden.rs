//! `pchart diff`, `pchart test`, `pchart hook`, `pchart completions` and
//! `pchart man` as a user runs them: every exit code, the report formats,
//! `--update` (atomic, refused in CI, failing on a directory it cannot
//! write), semantic diffs.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::common::{cmd, pchart, pchart_in, root, stderr, stdout};

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn write(p: &Path, text: &str) {
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

const MOUNT: &str = "mountPath: /etc/perses/provisioning\n";
const MOUNT_PATH: &str =
    "spec.template.spec.containers[name=perses].volumeMounts[name=perses-prod-config].mountPath";

/// golden/oci-production.yaml with the artifact's mountPath changed.
fn changed_mount_golden(dir: &Path) -> PathBuf {
    let g = read(&root().join("golden/oci-production.yaml"));
    assert_eq!(g.matches(MOUNT).count(), 1);
    let p = dir.join("prod.yaml");
    write(&p, &g.replace(MOUNT, "mountPath: /data/dashboards\n"));
    p
}

fn diff_prod(golden: &Path, extra: &[&str]) -> Output {
    let g = golden.to_str().expect("utf-8");
    let mut args = vec![
        "diff",
        "-f",
        "examples/oci-production.yaml",
        "--release-name",
        "perses",
        "--golden",
        g,
    ];
    args.extend_from_slice(extra);
    pchart(&args)
}

// ---- pchart diff ----

#[test]
fn diff_equal_exits_0_silently() {
    let o = pchart(&[
        "diff",
        "-f",
        "examples/sql-mode.yaml",
        "--release-name",
        "perses",
        "--golden",
        "golden/sql-mode.yaml",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
}

#[test]
fn diff_different_exits_1_with_a_plain_unified_diff() {
    let dir = tempfile::tempdir().expect("tmp");
    let g = changed_mount_golden(dir.path());
    let o = diff_prod(&g, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!("--- {}\n+++ rendered\n@@ -", g.display())),
        "{out}"
    );
    assert!(out.contains("\n-              mountPath: /data/dashboards\n+              mountPath: /etc/perses/provisioning\n"), "{out}");
    // Not a terminal: no colour.
    assert!(!out.contains('\x1b'));
    // Exactly one removed and one added line.
    let changed = out
        .lines()
        .filter(|l| {
            (l.starts_with('-') && !l.starts_with("---"))
                || (l.starts_with('+') && !l.starts_with("+++"))
        })
        .count();
    assert_eq!(changed, 2, "{out}");
}

/// Runs pchart on a pseudo-terminal (util-linux `script`), where it
/// colours the diff unless NO_COLOR is set.
#[test]
fn diff_is_coloured_on_a_terminal_unless_no_color() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: util-linux `script` (pseudo-terminal) is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let g = changed_mount_golden(dir.path());
    let line = format!(
        "{} diff -f examples/oci-production.yaml --release-name perses --golden {}",
        env!("CARGO_BIN_EXE_pchart"),
        g.display()
    );
    let run = |no_color: bool| {
        let mut c = Command::new("script");
        c.args(["-qec", &line, "/dev/null"])
            .current_dir(root())
            .env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        c.output().expect("script")
    };
    let o = run(false);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    // Red/green lines, and the changed words emphasised inside them.
    assert!(out.contains("\x1b[31m-"), "{out:?}");
    assert!(
        out.contains("\x1b[1m\x1b[4m\x1b[32m/etc/perses/provisioning"),
        "{out:?}"
    );
    // Context lines are not coloured.
    assert!(
        out.contains("\r\n               subPath: prod\r\n"),
        "{out:?}"
    );
    let o = run(true);
    assert!(!stdout(&o).contains('\x1b'), "{:?}", stdout(&o));
}

#[test]
fn semantic_diff_ignores_key_order_and_formatting() {
    // The golden manifests re-written as JSON documents: every key
    // reordered (sorted), all quoting and indentation different.
    let g = read(&root().join("golden/oci-production.yaml"));
    let docs = pchart::yaml::parse_document_list(&g).expect("golden parses");
    let mut json = String::new();
    for d in docs
        .iter()
        .filter(|d| !matches!(d, pchart::value::Value::Nil))
    {
        json.push_str("---\n");
        json.push_str(&pchart::yaml::to_pretty_json(d));
        json.push('\n');
    }
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("reordered.yaml");
    write(&p, &json);
    let o = diff_prod(&p, &["--semantic"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "");
    // The text diff sees every line changed.
    assert_eq!(diff_prod(&p, &[]).status.code(), Some(1));
}

#[test]
fn semantic_diff_reports_exactly_the_changed_mount_path() {
    let dir = tempfile::tempdir().expect("tmp");
    let g = changed_mount_golden(dir.path());
    let o = diff_prod(&g, &["--semantic"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!(
            "StatefulSet/perses\n  ~ {MOUNT_PATH}\n    - \"/data/dashboards\"\n    + \"/etc/perses/provisioning\"\n"
        )
    );
    let o = diff_prod(&g, &["--semantic", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let f = v["findings"].as_array().expect("findings");
    assert_eq!(f.len(), 1, "{v}");
    assert_eq!(f[0]["rule"], "GOLD001");
    assert_eq!(f[0]["object"], "StatefulSet/perses");
    assert_eq!(f[0]["path"], MOUNT_PATH);
    assert_eq!(v["summary"]["errors"], 1);
}

#[test]
fn diff_formats() {
    let dir = tempfile::tempdir().expect("tmp");
    let g = changed_mount_golden(dir.path());
    // The annotation points at the changed line of the golden file, by its
    // path in the repository the command runs in.
    let values = root().join("examples/oci-production.yaml");
    let values = values.to_str().expect("utf-8");
    let args = [
        "diff",
        "-f",
        values,
        "--release-name",
        "perses",
        "--golden",
        "prod.yaml",
        "--format",
        "github",
    ];
    let o = pchart_in(dir.path(), &args);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let line = read(&g)
        .lines()
        .position(|l| l.contains("/data/dashboards"))
        .expect("line")
        + 1;
    assert!(
        out.starts_with(&format!(
            "::error file=prod.yaml,line={line},col=1,title=GOLD001::"
        )),
        "{out}"
    );
    // Outside the repository: no file=, the location is in the message.
    let o = diff_prod(&g, &["--format", "github"]);
    assert!(!stdout(&o).contains("file="), "{}", stdout(&o));
    let o = diff_prod(&g, &["--format", "junit"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("tests=\"1\" failures=\"1\""), "{out}");
    assert!(out.contains("+              mountPath: /etc/perses/provisioning"));
    let o = diff_prod(&g, &["--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("sarif json");
    assert_eq!(v["runs"][0]["results"][0]["ruleId"], "GOLD001");
}

#[test]
fn diff_input_errors_exit_2() {
    let o = diff_prod(Path::new("golden/nope.yaml"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("Error: golden/nope.yaml: no such file"),
        "{}",
        stderr(&o)
    );
    let o = pchart(&[
        "diff",
        "-f",
        "nope.yaml",
        "--golden",
        "golden/sql-mode.yaml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("Error: nope.yaml: "),
        "{}",
        stderr(&o)
    );
    // --golden is required (clap's usage error).
    let o = pchart(&["diff", "-f", "examples/sql-mode.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    // A golden file that is not YAML, with --semantic.
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("bad.yaml");
    write(&bad, "kind: [\n");
    let o = diff_prod(&bad, &["--semantic"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.yaml:2: error converting YAML to JSON"),
        "{}",
        stderr(&o)
    );
}

// ---- pchart test ----

/// A repository with two golden cases of the Perses chart: `.pchart.yaml`
/// with `tests:`, golden files as pchart renders them.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    for ex in ["sql-mode", "oci-production"] {
        write(
            &d.join(format!("values/{ex}.yaml")),
            &read(&root().join(format!("examples/{ex}.yaml"))),
        );
        write(
            &d.join(format!("golden/{ex}.yaml")),
            &read(&root().join(format!("golden/{ex}.yaml"))),
        );
    }
    let chart = root().join("charts/perses");
    write(
        &d.join(".pchart.yaml"),
        &format!(
            "tests:\n  - name: sql\n    chart: {c}\n    values: [values/sql-mode.yaml]\n    releaseName: perses\n    golden: golden/sql-mode.yaml\n  - name: prod\n    chart: {c}\n    values: values/oci-production.yaml\n    releaseName: perses\n    golden: golden/oci-production.yaml\n",
            c = chart.display()
        ),
    );
    dir
}

#[test]
fn this_repository_passes_its_own_golden_cases() {
    let o = pchart(&["test"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    for ex in std::fs::read_dir(root().join("examples")).expect("examples") {
        let name = ex
            .expect("entry")
            .path()
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        assert!(
            out.contains(&format!("ok     {name}\n")),
            "{name} missing from\n{out}"
        );
    }
    assert!(out.ends_with("6 passed, 0 failed\n"), "{out}");
}

#[test]
fn test_passes_fails_and_updates() {
    let dir = repo();
    let d = dir.path();
    let o = pchart_in(d, &["test"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "ok     sql\nok     prod\n2 passed, 0 failed\n");

    // A value changes: the case fails with the diff.
    let values = d.join("values/oci-production.yaml");
    write(
        &values,
        &read(&values).replace(
            "mountPath: /etc/perses/provisioning",
            "mountPath: /etc/perses/provisioning/prod",
        ),
    );
    let golden = d.join("golden/oci-production.yaml");
    let before = read(&golden);
    let o = pchart_in(d, &["test"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with("ok     sql\nFAILED prod (golden/oci-production.yaml differs)\n"),
        "{out}"
    );
    assert!(
        out.contains("case prod:\n--- golden/oci-production.yaml\n+++ rendered\n"),
        "{out}"
    );
    assert!(
        out.contains("+              mountPath: /etc/perses/provisioning/prod\n"),
        "{out}"
    );
    assert!(out.contains("1 passed, 1 failed\n"));
    assert_eq!(read(&golden), before, "test without --update never writes");

    // --update rewrites it with exactly the new render.
    let o = pchart_in(d, &["test", "--update"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("updated golden/oci-production.yaml"),
        "{}",
        stderr(&o)
    );
    let want = pchart_in(
        d,
        &[
            "render",
            root().join("charts/perses").to_str().expect("utf-8"),
            "-f",
            "values/oci-production.yaml",
            "--release-name",
            "perses",
        ],
    );
    assert_eq!(read(&golden), stdout(&want));
    // No temporary file left behind.
    let names: Vec<String> = std::fs::read_dir(d.join("golden"))
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(pchart_in(d, &["test"]).status.code(), Some(0));
}

#[test]
fn update_is_refused_in_ci() {
    let dir = repo();
    let d = dir.path();
    let golden = d.join("golden/sql-mode.yaml");
    write(&golden, "stale\n");
    let o = cmd(d, &["test", "--update"])
        .env("CI", "true")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("not updating: the CI environment variable is set"),
        "{err}"
    );
    assert!(err.contains("1 would have been"), "{err}");
    assert_eq!(read(&golden), "stale\n");
    // CI and nothing to update: exit 0.
    let dir = repo();
    let o = cmd(dir.path(), &["test", "--update"])
        .env("CI", "true")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn missing_golden_fails_and_update_creates_it() {
    let dir = repo();
    let d = dir.path();
    let golden = d.join("golden/sql-mode.yaml");
    std::fs::remove_file(&golden).expect("rm");
    let o = pchart_in(d, &["test", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["findings"][0]["rule"], "GOLD003");
    // Issue 15: a created golden file is reported as created, not as a
    // failure, and the run passes.
    let o = pchart_in(d, &["test", "--update"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("created sql (golden/sql-mode.yaml)"), "{out}");
    assert!(!out.contains("FAILED"), "{out}");
    assert!(out.ends_with("1 passed, 0 failed, 1 created\n"), "{out}");
    assert!(
        stderr(&o).contains("created golden/sql-mode.yaml"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(&golden), read(&root().join("golden/sql-mode.yaml")));
    // A changed one is reported as updated.
    write(
        &golden,
        &read(&golden).replace("kind: Service\n", "kind:   Service\n"),
    );
    let o = pchart_in(d, &["test", "--update"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).ends_with("1 passed, 0 failed, 1 updated\n"),
        "{}",
        stdout(&o)
    );
}

/// Issue 15 friction: `pchart test --semantic` passes a golden file that
/// differs only in formatting, and names the changed field otherwise.
#[test]
fn test_semantic_ignores_formatting() {
    let dir = repo();
    let d = dir.path();
    let golden = d.join("golden/sql-mode.yaml");
    let original = read(&golden);
    write(
        &golden,
        &original.replace("kind: Service\n", "kind:   \"Service\"\n"),
    );
    assert_eq!(pchart_in(d, &["test", "sql"]).status.code(), Some(1));
    let o = pchart_in(d, &["test", "sql", "--semantic"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let label = "app.kubernetes.io/name: ";
    let changed = original.replacen(label, "app.kubernetes.io/name: x", 1);
    assert_ne!(changed, original);
    write(&golden, &changed);
    let o = pchart_in(d, &["test", "sql", "--semantic"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("app.kubernetes.io/name"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn render_failure_fails_the_case() {
    let dir = repo();
    let d = dir.path();
    write(
        &d.join("values/sql-mode.yaml"),
        "config:\n  database:\n    file: {folder: /x}\n    sql: {db_name: perses}\n",
    );
    let o = pchart_in(d, &["test", "--update"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("FAILED sql (render failed)"),
        "{}",
        stdout(&o)
    );
    let o = pchart_in(d, &["test", "--format", "github"]);
    assert!(
        stdout(&o).contains("title=GOLD002::case sql: render failed: "),
        "{}",
        stdout(&o)
    );
}

#[test]
fn test_formats() {
    let dir = repo();
    let d = dir.path();
    write(&d.join("golden/sql-mode.yaml"), "stale\n");
    let o = pchart_in(d, &["test", "--format", "junit"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("<testsuite name=\"pchart test\" tests=\"2\" failures=\"1\">"),
        "{out}"
    );
    assert!(
        out.contains("<testcase classname=\"pchart.test\" name=\"prod\">\n    </testcase>"),
        "{out}"
    );
    assert!(
        out.contains("<failure message=\"rendered manifests differ from golden/sql-mode.yaml\""),
        "{out}"
    );
    let o = pchart_in(d, &["test", "--format", "github"]);
    assert!(
        stdout(&o).starts_with("::error file=golden/sql-mode.yaml,line=1,col=1,title=GOLD001::"),
        "{}",
        stdout(&o)
    );
    // Only the named case.
    let o = pchart_in(d, &["test", "prod"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "ok     prod\n1 passed, 0 failed\n");
}

#[test]
fn conventional_golden_directories() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let case = d.join("golden/prod");
    write(
        &case.join("values.yaml"),
        &read(&root().join("examples/oci-production.yaml")),
    );
    write(
        &case.join("flags"),
        "# render flags\n--release-name perses\n--kube-version 1.33.0\n",
    );
    let o = pchart_in(d, &["test", "--update"]);
    assert_eq!(o.status.code(), Some(2), "no expected.yaml yet: no case");
    write(&case.join("expected.yaml"), "old\n");
    let o = pchart_in(d, &["test"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("FAILED prod"));
    assert_eq!(pchart_in(d, &["test", "--update"]).status.code(), Some(0));
    assert_eq!(
        read(&case.join("expected.yaml")),
        read(&root().join("golden/oci-production.yaml"))
    );
    write(&case.join("flags"), "--no-such-flag\n");
    let o = pchart_in(d, &["test"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("golden/prod/flags: "), "{}", stderr(&o));
}

#[test]
fn test_input_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let o = pchart_in(d, &["test"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("Error: no golden cases"),
        "{}",
        stderr(&o)
    );
    write(
        &d.join(".pchart.yaml"),
        "tests:\n  - name: x\n    golden: g.yaml\n    relaseName: typo\n",
    );
    let o = pchart_in(d, &["test"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(".pchart.yaml:2: tests[0]: unknown key \"relaseName\""),
        "{}",
        stderr(&o)
    );
    // lint reads the same file and reports the same error.
    assert_eq!(pchart_in(d, &["lint"]).status.code(), Some(2));
    write(&d.join(".pchart.yaml"), "tests:\n  - name: x\n");
    let o = pchart_in(d, &["test"]);
    assert!(
        stderr(&o).contains("`golden` (the expected manifests file) is required"),
        "{}",
        stderr(&o)
    );
    let dir = repo();
    let o = pchart_in(dir.path(), &["test", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "Error: no golden case named \"nope\"\n");
}

/// A golden file whose directory cannot be written: the update fails
/// with a clear error (exit 2) and leaves every file as it was.
///
/// Tests run as root on this project's machines, and root ignores
/// permission bits, so a chmod alone proves nothing there. Two ways:
/// (1) always: the golden path's parent is a regular file, which fails
/// for root too; (2) a really read-only directory (mode 0555): as a normal
/// user directly, as root by running pchart as `nobody` (uid 65534).
#[test]
fn update_fails_cleanly_when_the_golden_file_cannot_be_written() {
    // (1) parent is a regular file.
    let dir = repo();
    let d = dir.path();
    let cfg = read(&d.join(".pchart.yaml")).replace(
        "golden: golden/sql-mode.yaml",
        "golden: blocker/sql-mode.yaml",
    );
    write(&d.join(".pchart.yaml"), &cfg);
    write(&d.join("blocker"), "a regular file\n");
    write(&d.join("golden/oci-production.yaml"), "stale\n");
    let o = pchart_in(d, &["test", "--update"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(
        err,
        "updated golden/oci-production.yaml\nError: cannot update blocker/sql-mode.yaml: blocker: not a directory\n"
    );
    assert_eq!(read(&d.join("blocker")), "a regular file\n");
    // The other case was still updated.
    assert_eq!(
        read(&d.join("golden/oci-production.yaml")),
        read(&root().join("golden/oci-production.yaml"))
    );

    // (2) a read-only directory.
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    write(
        &d.join("values.yaml"),
        &read(&root().join("examples/sql-mode.yaml")),
    );
    write(&d.join("golden/expected.yaml"), "original\n");
    // Embedded chart: nothing outside `d` needs to be readable.
    write(
        &d.join(".pchart.yaml"),
        "tests:\n  - name: ro\n    values: [values.yaml]\n    releaseName: perses\n    golden: golden/expected.yaml\n",
    );
    use std::os::unix::fs::PermissionsExt;
    let set_mode = |p: &Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod")
    };
    set_mode(d, 0o755);
    set_mode(&d.join("golden"), 0o555);
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| stdout(&o).trim() == "0")
        .unwrap_or(false);
    let mut c = cmd(d, &["test", "--update"]);
    if is_root {
        c.uid(65534).gid(65534);
    }
    let o = c.output().expect("run");
    set_mode(&d.join("golden"), 0o755);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with(
            "Error: cannot update golden/expected.yaml: golden: cannot create a temporary file: "
        ),
        "{err}"
    );
    assert!(err.contains("ermission denied"), "{err}");
    assert_eq!(read(&d.join("golden/expected.yaml")), "original\n");
    assert_eq!(std::fs::read_dir(d.join("golden")).expect("dir").count(), 1);
}

// ---- pchart hook ----

#[test]
fn hook_maps_files_to_cases_and_charts() {
    // Unrelated files: nothing to do.
    let o = pchart(&["hook", "lint", "README.md", "docs/ci.md"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "");
    // ... but each is named as skipped, with the reason.
    assert!(
        stderr(&o).contains("skipped README.md: not valid YAML"),
        "{}",
        stderr(&o)
    );
    // One values file: its golden case only.
    let o = pchart(&["hook", "lint", "examples/oci-staging-rc.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("=="), "a single unit has no header");
    let o = pchart(&["hook", "test", "golden/sql-mode.yaml", "README.md"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "ok     sql-mode\n1 passed, 0 failed\n");
    // A chart file: every case of that chart, each once.
    let o = pchart(&[
        "hook",
        "test",
        "charts/perses/Chart.yaml",
        "charts/perses/templates/service.yaml",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).ends_with("6 passed, 0 failed\n"),
        "{}",
        stdout(&o)
    );
    let o = pchart(&[
        "hook",
        "lint",
        "charts/perses/values.yaml",
        "charts/perses/templates/service.yaml",
    ]);
    assert_eq!(
        stdout(&o).matches(": charts/perses -f examples/").count(),
        6,
        "{}",
        stdout(&o)
    );
}

#[test]
fn hook_lint_fails_on_an_error_finding() {
    let dir = repo();
    let d = dir.path();
    let v = d.join("values/oci-production.yaml");
    write(
        &v,
        &read(&v).replace(
            "  mountPath: /etc/perses/provisioning\n",
            "  mountPath: /data/dashboards\n",
        ),
    );
    let o = pchart_in(d, &["hook", "lint", "values/oci-production.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(
            "error[PC001]: mountPath \"/data/dashboards\" is not inside any provisioning folder"
        ),
        "{}",
        stdout(&o)
    );
}

// ---- completions and man ----

#[test]
fn completions_and_man_pages() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = pchart(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(stdout(&o).contains("pchart"), "{shell}");
    }
    assert!(stdout(&pchart(&["completions", "bash"])).contains("--semantic"));
    assert_eq!(pchart(&["completions", "tcsh"]).status.code(), Some(2));
    let o = pchart(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains(".TH pchart 1"), "{out}");
    assert!(out.contains("pchart\\-diff(1)"), "{out}");
    let o = pchart(&["man", "test"]);
    assert!(stdout(&o).contains(".TH pchart-test 1"), "{}", stdout(&o));
    assert!(stdout(&o).contains("\\-\\-update"));
    assert_eq!(pchart(&["man", "nope"]).status.code(), Some(2));
    // Every subcommand's page, from the list `--help` prints. Commands with a
    // `--version` flag of their own (the remote chart's version) once made
    // clap's debug check panic here.
    let help = stdout(&pchart(&["--help"]));
    let names: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .collect();
    assert!(
        names.contains(&"render") && names.contains(&"pull"),
        "{names:?}"
    );
    for name in names {
        let o = pchart(&["man", name]);
        assert_eq!(o.status.code(), Some(0), "man {name}: {}", stderr(&o));
        assert!(
            stdout(&o).contains(&format!(".TH pchart-{name} 1")),
            "{name}"
        );
    }
}
