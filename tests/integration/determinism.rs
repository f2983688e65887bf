//! Same input, same bytes: every golden case and every test chart is
//! rendered twice, in separate processes, and the outputs compared
//! (stdout, stderr and exit code). Hash-map order, addresses or time
//! reaching the output would show up here.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::common::root;

fn run(args: &[&str]) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let o = Command::new(env!("CARGO_BIN_EXE_pchart"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run pchart");
    (o.status.code(), o.stdout, o.stderr)
}

fn twice(args: &[&str]) {
    let a = run(args);
    let b = run(args);
    assert_ne!(a.0, Some(101), "pchart {args:?} panicked");
    assert!(
        a == b,
        "pchart {args:?} is not deterministic:\n--- first ---\n{}\n--- second ---\n{}",
        String::from_utf8_lossy(&a.1),
        String::from_utf8_lossy(&b.1)
    );
}

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn golden_cases_render_identically_twice() {
    let examples = sorted(&root().join("examples"));
    assert!(!examples.is_empty());
    for e in examples
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
    {
        let e = e.to_str().unwrap();
        // The chart directory and the embedded copy.
        twice(&[
            "render",
            "charts/perses",
            "-f",
            e,
            "--release-name",
            "perses",
        ]);
        twice(&["render", "-f", e, "--release-name", "perses"]);
        twice(&["lint", "-f", e, "--format", "json"]);
    }
}

#[test]
fn test_charts_render_identically_twice() {
    let charts = sorted(&root().join("tests/charts"));
    assert!(!charts.is_empty());
    for c in &charts {
        let c = c.to_str().unwrap();
        twice(&["render", c]);
        twice(&["render", c, "--include-crds"]);
    }
}
