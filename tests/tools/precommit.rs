//! The pre-commit hooks of `.pre-commit-hooks.yaml`, driven by the real
//! `pre-commit` tool in a throwaway git repository: a commit whose values
//! mount the OCI artifact outside the provisioning folders is refused with
//! the finding shown; the fixed commit (golden file updated) passes.
//!
//! The hooks run as `repo: local` hooks with the same ids, entries, file
//! patterns and `require_serial` as `.pre-commit-hooks.yaml`, but
//! `language: system` with the already-built pchart on PATH: the published
//! hooks use `language: rust`, which would build pchart inside pre-commit's
//! environment (minutes). Needs `pre-commit` (tests/requirements.txt, which
//! scripts/test.sh installs); when it is missing and cannot be installed
//! with pip, the test says why and skips.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pchart::value::Value;

use crate::support;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// How to run pre-commit: the `pre-commit` command, else `python3 -m
/// pre_commit`, installing it with pip if neither works.
fn pre_commit() -> Result<Vec<String>, String> {
    let found = || {
        if works("pre-commit", &["--version"]) {
            Some(vec!["pre-commit".to_string()])
        } else if works("python3", &["-m", "pre_commit", "--version"]) {
            Some(vec!["python3".into(), "-m".into(), "pre_commit".into()])
        } else {
            None
        }
    };
    if let Some(c) = found() {
        return Ok(c);
    }
    let o = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "pre-commit",
        ])
        .output()
        .map_err(|e| format!("python3 -m pip: {e}"))?;
    if !o.status.success() {
        return Err(format!(
            "`pip install pre-commit` failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ));
    }
    found().ok_or_else(|| "pre-commit installed but not runnable".to_string())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `.pre-commit-hooks.yaml`'s hooks as `repo: local`, `language: system`.
fn local_config() -> String {
    let hooks_text =
        std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks file");
    let hooks = pchart::yaml::parse_any(&hooks_text).expect("hooks YAML");
    let Value::List(hooks, _) = hooks else {
        panic!(".pre-commit-hooks.yaml must be a list")
    };
    let mut ids = Vec::new();
    let mut out = String::from("repos:\n  - repo: local\n    hooks:\n");
    for h in hooks.iter() {
        let m = h.as_map().expect("hook map");
        let field = |k: &str| {
            m.get(k)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| panic!("hook without {k}"))
        };
        assert_eq!(
            m.get("require_serial")
                .map(|v| matches!(v, Value::Bool(true))),
            Some(true)
        );
        assert_eq!(field("language"), "rust");
        ids.push(field("id"));
        out.push_str(&format!(
            "      - id: {}\n        name: {}\n        entry: {}\n        language: system\n        files: '{}'\n        require_serial: true\n",
            field("id"),
            field("name"),
            field("entry"),
            field("files").replace('\'', "''"),
        ));
    }
    assert_eq!(ids, ["pchart-lint", "pchart-test"]);
    out
}

#[test]
fn pre_commit_refuses_a_bad_mount_path_and_accepts_the_fix() {
    let pc = match pre_commit() {
        Ok(c) => c,
        Err(why) => {
            eprintln!("skipped: pre-commit is not available: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().expect("tmp");
    let repo = dir.path().join("repo");
    let path = support::path_with_pchart();
    let run = |program: &str, args: &[&str]| -> Output {
        let mut c = Command::new(program);
        c.args(args)
            .current_dir(&repo)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", dir.path().join("cache"))
            .env("NO_COLOR", "1")
            .env_remove("CI");
        for v in [
            "GIT_DIR",
            "GIT_INDEX_FILE",
            "GIT_WORK_TREE",
            "GIT_OBJECT_DIRECTORY",
        ] {
            c.env_remove(v);
        }
        c.output().unwrap_or_else(|e| panic!("{program}: {e}"))
    };
    let ok = |program: &str, args: &[&str]| {
        let o = run(program, args);
        assert!(o.status.success(), "{program} {args:?}:\n{}", text(&o));
        o
    };

    // The repository: a chart, one values file, its golden file, the
    // golden case in .pchart.yaml, the hooks.
    copy_dir(&root().join("charts/perses"), &repo.join("charts/perses"));
    let values = repo.join("values/prod.yaml");
    std::fs::create_dir_all(values.parent().expect("dir")).expect("mkdir");
    std::fs::copy(root().join("examples/oci-production.yaml"), &values).expect("copy");
    std::fs::write(
        repo.join(".pchart.yaml"),
        "tests:\n  - name: prod\n    chart: charts/perses\n    values: [values/prod.yaml]\n    releaseName: perses\n    golden: golden/prod.yaml\n",
    )
    .expect("write");
    std::fs::write(repo.join(".pre-commit-config.yaml"), local_config()).expect("write");
    ok("git", &["init", "-q", "-b", "main"]);
    ok("git", &["config", "user.email", "dev@example.com"]);
    ok("git", &["config", "user.name", "Dev"]);
    ok("git", &["config", "commit.gpgsign", "false"]);
    // A new golden case: `pchart test --update` records it.
    let o = ok("pchart", &["test", "--update"]);
    assert!(
        text(&o).contains("created golden/prod.yaml"),
        "{}",
        text(&o)
    );
    let pc_args = |extra: &[&str]| -> Vec<String> {
        pc[1..]
            .iter()
            .cloned()
            .chain(extra.iter().map(|s| s.to_string()))
            .collect()
    };
    let args = pc_args(&["install"]);
    ok(&pc[0], &args.iter().map(String::as_str).collect::<Vec<_>>());
    ok("git", &["add", "-A"]);
    let o = ok(
        "git",
        &[
            "commit",
            "-q",
            "-m",
            "Perses with dashboards from an OCI artifact",
        ],
    );
    let out = text(&o);
    assert!(
        out.contains("pchart lint") && out.contains("Passed"),
        "{out}"
    );

    // The artifact mounted outside the provisioning folder: refused.
    let good = std::fs::read_to_string(&values).expect("read");
    let bad = good.replace(
        "  mountPath: /etc/perses/provisioning\n",
        "  mountPath: /data/dashboards\n",
    );
    assert_ne!(bad, good);
    std::fs::write(&values, &bad).expect("write");
    ok("git", &["add", "values/prod.yaml"]);
    let o = run("git", &["commit", "-q", "-m", "Mount dashboards at /data"]);
    let out = text(&o);
    assert!(!o.status.success(), "the commit must be refused:\n{out}");
    assert!(
        out.contains("pchart lint") && out.contains("Failed"),
        "{out}"
    );
    assert!(
        out.contains("error[PC001]: mountPath \"/data/dashboards\" is not inside any provisioning folder (/etc/perses/provisioning)"),
        "{out}"
    );
    assert!(out.contains("--> values/prod.yaml:27:3"), "{out}");
    // The golden test shows the diff of the render.
    assert!(
        out.contains("FAILED prod (golden/prod.yaml differs)"),
        "{out}"
    );
    assert!(
        out.contains("+              mountPath: /data/dashboards"),
        "{out}"
    );
    let count = ok("git", &["rev-list", "--count", "HEAD"]);
    assert_eq!(String::from_utf8_lossy(&count.stdout).trim(), "1");

    // The fix: inside the folder, golden file updated; the commit passes.
    let fixed = good.replace(
        "  mountPath: /etc/perses/provisioning\n",
        "  mountPath: /etc/perses/provisioning/dashboards\n",
    );
    std::fs::write(&values, &fixed).expect("write");
    let o = run("pchart", &["test"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    ok("pchart", &["test", "--update"]);
    ok("git", &["add", "-A"]);
    let o = ok(
        "git",
        &[
            "commit",
            "-q",
            "-m",
            "Mount dashboards in a provisioning subfolder",
        ],
    );
    assert!(!text(&o).contains("Failed"), "{}", text(&o));
    let count = ok("git", &["rev-list", "--count", "HEAD"]);
    assert_eq!(String::from_utf8_lossy(&count.stdout).trim(), "2");

    // A values file no case lists yet (issue 15, defect 3): still linted
    // as a values file of the chart, and refused.
    let staging = repo.join("values/staging.yaml");
    std::fs::write(
        &staging,
        good.replace(
            "  mountPath: /etc/perses/provisioning\n",
            "  mountPath: /data/staging\n",
        ),
    )
    .expect("write");
    ok("git", &["add", "values/staging.yaml"]);
    let o = run("git", &["commit", "-q", "-m", "Staging values"]);
    let out = text(&o);
    assert!(!o.status.success(), "the commit must be refused:\n{out}");
    assert!(
        out.contains("error[PC001]: mountPath \"/data/staging\""),
        "{out}"
    );
    assert!(out.contains("--> values/staging.yaml:"), "{out}");
}
