//! docs/ci.md: the GitHub Actions and GitLab CI jobs must be valid YAML
//! with the keys each CI needs, and their pchart commands must run (against
//! this repository's examples and golden cases).

use std::process::Command;

use pchart::value::Value;

use super::common::root;
use super::support;

/// The ```yaml block after `<!-- ci:NAME -->`.
fn block(name: &str) -> String {
    let doc = std::fs::read_to_string(root().join("docs/ci.md")).expect("docs/ci.md");
    let marker = format!("<!-- ci:{name} -->\n```yaml\n");
    let start = doc
        .find(&marker)
        .unwrap_or_else(|| panic!("{marker:?} in docs/ci.md"))
        + marker.len();
    let len = doc[start..].find("```\n").expect("closing fence");
    doc[start..start + len].to_string()
}

fn parse(text: &str) -> Value {
    pchart::yaml::parse_any(text)
        .unwrap_or_else(|e| panic!("{}:{}: {}\n{text}", e.line, e.column, e.message))
}

fn get(v: &Value, path: &str) -> Option<Value> {
    let mut cur = v.clone();
    for k in path.split('.') {
        let next = cur.as_map()?.get(k).cloned()?;
        cur = next;
    }
    Some(cur)
}

fn list(v: &Option<Value>) -> Vec<Value> {
    match v {
        Some(Value::List(l, _)) => l.to_vec(),
        _ => Vec::new(),
    }
}

fn s(v: &Option<Value>) -> String {
    v.as_ref()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Run a shell snippet's pchart commands in a scratch copy of the
/// repository's examples, charts and golden cases, pchart on PATH.
fn run_script(script: &str) {
    let dir = tempfile::tempdir().expect("tmp");
    for name in ["examples", "charts", "golden", ".pchart.yaml"] {
        std::os::unix::fs::symlink(root().join(name), dir.path().join(name)).expect("symlink");
    }
    let path = support::path_with_pchart();
    let o = Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(dir.path())
        .env("PATH", path)
        .env("CI", "true")
        .output()
        .expect("bash");
    assert!(
        o.status.success(),
        "{script}\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn github_actions_job() {
    let text = block("github");
    let v = parse(&text);
    // `on` is the boolean true in YAML 1.1 (pchart reads YAML as Helm
    // does); GitHub reads it as the string "on".
    assert!(
        get(&v, "on").is_some() || get(&v, "true").is_some(),
        "no `on:`"
    );
    assert_eq!(s(&get(&v, "permissions.security-events")), "write");
    let jobs = get(&v, "jobs").expect("jobs");
    let jobs = jobs.as_map().expect("jobs map").clone();
    assert!(!jobs.is_empty());
    for (name, job) in &jobs {
        assert!(!s(&get(job, "runs-on")).is_empty(), "{name}: runs-on");
        let steps = list(&get(job, "steps"));
        assert!(!steps.is_empty(), "{name}: steps");
        for st in &steps {
            assert!(
                get(st, "uses").is_some() ^ get(st, "run").is_some(),
                "{name}: every step has exactly one of uses/run"
            );
        }
        let upload = steps
            .iter()
            .find(|st| s(&get(st, "uses")).starts_with("github/codeql-action/upload-sarif@"))
            .expect("an upload-sarif step");
        let sarif = s(&get(upload, "with.sarif_file"));
        assert!(!sarif.is_empty(), "upload-sarif needs with.sarif_file");
        let runs: Vec<String> = steps.iter().map(|st| s(&get(st, "run"))).collect();
        assert!(runs.iter().any(|r| r.contains("--format github")));
        assert!(
            runs.iter()
                .any(|r| r.contains("--format sarif") && r.contains(&format!("> {sarif}")))
        );
        assert!(runs.iter().any(|r| r.contains("pchart test")));
        // Issue 15: exit 2 (an input error) is never swallowed, the SARIF
        // covers every values file (bare lint: every golden case), and no
        // step after lint is skipped because lint found something.
        for r in &runs {
            assert!(!r.contains("|| true"), "exit codes swallowed: {r}");
        }
        let sarif_run = runs
            .iter()
            .find(|r| r.contains("--format sarif"))
            .expect("sarif run");
        assert!(
            !sarif_run.contains(" -f "),
            "SARIF of one values file: {sarif_run}"
        );
        let mut after_lint = false;
        for st in &steps {
            if s(&get(st, "run")).starts_with("pchart lint") {
                after_lint = true;
                continue;
            }
            if after_lint {
                let cond = s(&get(st, "if"));
                assert!(
                    cond.contains("always()") || cond.contains("!cancelled()"),
                    "{name}: a step after lint is skipped when lint fails: {cond:?}"
                );
            }
        }
        for r in runs
            .iter()
            .filter(|r| r.contains("pchart ") && !r.contains("cargo install"))
        {
            run_script(r);
        }
    }
}

#[test]
fn gitlab_ci_job() {
    let text = block("gitlab");
    let v = parse(&text);
    let stages: Vec<String> = list(&get(&v, "stages"))
        .iter()
        .map(|x| x.as_str().unwrap_or_default().to_string())
        .collect();
    let top = v.as_map().expect("map").clone();
    let jobs: Vec<(&String, &Value)> = top
        .iter()
        .filter(|(k, _)| {
            !["stages", "variables", "default", "include", "workflow"].contains(&k.as_str())
        })
        .collect();
    assert!(!jobs.is_empty());
    for (name, job) in jobs {
        assert!(
            stages.contains(&s(&get(job, "stage"))),
            "{name}: stage not in stages"
        );
        assert!(!s(&get(job, "image")).is_empty(), "{name}: image");
        let script: Vec<String> = list(&get(job, "script"))
            .iter()
            .map(|x| x.as_str().unwrap_or_default().to_string())
            .collect();
        assert!(!script.is_empty(), "{name}: script");
        let junit: Vec<String> = match get(job, "artifacts.reports.junit") {
            Some(Value::String(x)) => vec![x.to_string()],
            other => list(&other)
                .iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect(),
        };
        assert!(!junit.is_empty(), "{name}: artifacts.reports.junit");
        for report in &junit {
            assert!(
                script
                    .iter()
                    .any(|l| l.contains("--format junit") && l.contains(&format!("> {report}"))),
                "{name}: nothing writes {report}"
            );
        }
        assert_eq!(s(&get(job, "artifacts.when")), "always");
        for l in &script {
            assert!(!l.contains("|| true"), "exit codes swallowed: {l}");
        }
        run_script(&script.join("\n"));
    }
}
