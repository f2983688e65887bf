//! `pchart lint --artifact DIR|LAYOUT` and `--pull` (PC020-PC025 and the
//! validate findings on the mounted part), the pulls against a real
//! Debian `docker-registry` started here and stopped by pid.

use crate::support;

use std::path::Path;
use std::process::Output;

use support::{
    artifact_build, docker_registry, flux_layout, free_port, htpasswd_auth, pchart_io, tool, write,
};

/// A registry under `dir`, with `auth` as its auth section; its host.
fn registry(dir: &Path, auth: &str) -> (support::Proc, String) {
    let (p, port) = docker_registry(dir, "", auth);
    (p, format!("127.0.0.1:{port}"))
}

fn pchart(args: &[&str]) -> Output {
    pchart_io(args, None, &[])
}

const DASH: &str =
    "kind: Dashboard\nmetadata: {name: cpu, project: demo}\nspec: {panels: {}, layouts: []}\n";
const PROJECT: &str = "kind: Project\nmetadata: {name: demo}\n";

fn values(dir: &Path, reference: &str, sub: &str) -> String {
    let p = dir.join(format!(
        "values-{}.yaml",
        dir.read_dir().map(|d| d.count()).unwrap_or(0)
    ));
    std::fs::write(
        &p,
        format!(
            "config:\n  provisioning:\n    folders: [/etc/perses/provisioning]\nociArtifacts:\n  image:\n    reference: '{reference}'\n  mountPath: /etc/perses/provisioning\n  subPath: {sub}\n"
        ),
    )
    .expect("w");
    p.to_string_lossy().into_owned()
}

/// The PC020-PC029 findings of a lint run: (rule, severity, message).
fn artifact_findings(o: &Output) -> Vec<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
        panic!(
            "json: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    v["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|f| {
            f["rule"]
                .as_str()
                .is_some_and(|r| ("PC020".."PC030").contains(&r))
        })
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn lint(values: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "lint",
        "-f",
        values,
        "--kube-version",
        "1.35",
        "--format",
        "json",
    ];
    args.extend(extra);
    pchart(&args)
}

const PINNED: &str = "r.example/acme/dash:v1@sha256:0000000000000000000000000000000000000000000000000000000000000000";

#[test]
fn local_folders() {
    let t = tempfile::tempdir().expect("tmp");
    // The Perses documentation's Dockerfile layout, mounted with subPath: prod.
    let flat = t.path().join("flat");
    write(&flat, "dashboards/cpu.yaml", DASH);
    write(&flat, "projects/demo.yaml", PROJECT);
    let v = values(t.path(), PINNED, "prod");
    let got = artifact_findings(&lint(&v, &["--artifact", &flat.to_string_lossy()]));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].1.as_str()), ("PC024", "error"));
    // prod/ with only jsonnet: PC025 and the ignored-file note.
    let jsonnet = t.path().join("jsonnet");
    write(&jsonnet, "prod/cpu.jsonnet", "{}");
    let got = artifact_findings(&lint(&v, &["--artifact", &jsonnet.to_string_lossy()]));
    let rules: Vec<&str> = got.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(rules, ["PC025", "PC026"], "{got:?}");
    // prod/ with a typo: the validate finding, located in the folder.
    let typo = t.path().join("typo");
    write(&typo, "prod/projects/demo.yaml", PROJECT);
    write(
        &typo,
        "prod/dashboards/cpu.yaml",
        &DASH.replace("Dashboard", "Dashbaord"),
    );
    let o = lint(&v, &["--artifact", &typo.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(1));
    let got = artifact_findings(&o);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].0 == "PC026" && got[0].2.contains("Dashbaord"),
        "{got:?}"
    );
    // A good folder: no artifact finding.
    let good = t.path().join("good");
    write(&good, "prod/projects/demo.yaml", PROJECT);
    write(&good, "prod/dashboards/cpu.yaml", DASH);
    assert_eq!(
        artifact_findings(&lint(&v, &["--artifact", &good.to_string_lossy()])),
        []
    );
    // Not a folder: input error.
    let o = lint(&v, &["--artifact", "/nonexistent/x"]);
    assert_eq!(o.status.code(), Some(2));
}

fn build(src: &Path, out: &Path, extra: &[&str]) -> String {
    let r = artifact_build(src, out, &[&["--tag", "v1"], extra].concat());
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    String::from_utf8_lossy(&r.stdout).trim().to_string()
}

#[test]
fn local_layouts_and_platforms() {
    let t = tempfile::tempdir().expect("tmp");
    let src = t.path().join("src");
    write(&src, "prod/projects/demo.yaml", PROJECT);
    write(&src, "prod/dashboards/cpu.yaml", DASH);
    let lay = t.path().join("lay");
    build(&src, &lay, &["--platform", "linux/amd64"]);
    let v = values(t.path(), PINNED, "prod");
    let l = lay.to_string_lossy().into_owned();
    assert_eq!(artifact_findings(&lint(&v, &["--artifact", &l])), []);
    let got = artifact_findings(&lint(
        &v,
        &["--artifact", &l, "--platform", "linux/amd64,linux/arm64"],
    ));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].0 == "PC023" && got[0].2.contains("no image for linux/arm64"),
        "{got:?}"
    );
    // A manifest whose config is not an image config: PC022.
    let flux = t.path().join("flux");
    flux_layout(&flux, b"not really a layer");
    let got = artifact_findings(&lint(&v, &["--artifact", &flux.to_string_lossy()]));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].0 == "PC022" && got[0].2.contains("not an image config"),
        "{got:?}"
    );
}

#[test]
fn pulls_from_a_real_registry() {
    if !tool("docker-registry") || !tool("htpasswd") {
        return;
    }
    let t = tempfile::tempdir().expect("tmp");
    let (_reg, host) = registry(t.path(), "");
    let src = t.path().join("src");
    write(&src, "prod/projects/demo.yaml", PROJECT);
    write(&src, "prod/dashboards/cpu.yaml", DASH);
    let lay = t.path().join("lay");
    let d1 = build(&src, &lay, &[]);
    let r = format!("{host}/acme/dash:v1");
    let o = pchart(&[
        "artifact",
        "push",
        &lay.to_string_lossy(),
        &r,
        "--plain-http",
    ]);
    assert_eq!(o.status.code(), Some(0));
    // Pinned to the current digest: clean.
    let pinned = values(t.path(), &format!("{r}@{d1}"), "prod");
    let o = lint(
        &pinned,
        &["--pull", "--plain-http", "--platform", "linux/arm64"],
    );
    assert_eq!(artifact_findings(&o), []);
    // Unpinned: a note with the digest to pin.
    let unpinned = values(t.path(), &r, "prod");
    let got = artifact_findings(&lint(&unpinned, &["--pull", "--plain-http"]));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].0 == "PC021" && got[0].1 == "note" && got[0].2.contains(&d1),
        "{got:?}"
    );
    // The tag moves: the pinned reference gets a warning.
    write(
        &src,
        "prod/dashboards/mem.yaml",
        &DASH.replace("cpu", "mem"),
    );
    let lay2 = t.path().join("lay2");
    let d2 = build(&src, &lay2, &[]);
    let o = pchart(&[
        "artifact",
        "push",
        &lay2.to_string_lossy(),
        &r,
        "--plain-http",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let got = artifact_findings(&lint(&pinned, &["--pull", "--plain-http"]));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].0 == "PC021" && got[0].1 == "warning" && got[0].2.contains(&d2),
        "{got:?}"
    );
    // A missing subPath in the pulled image.
    let other = values(t.path(), &format!("{r}@{d2}"), "staging");
    let got = artifact_findings(&lint(&other, &["--pull", "--plain-http"]));
    assert_eq!(
        got.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["PC024"],
        "{got:?}"
    );
    // Not found, unreachable, 401: PC020 with the registry's words.
    let missing = values(t.path(), &format!("{host}/acme/nope:v1"), "prod");
    let got = artifact_findings(&lint(&missing, &["--pull", "--plain-http"]));
    assert!(
        got.len() == 1 && got[0].0 == "PC020" && got[0].2.contains("UNKNOWN"),
        "{got:?}"
    );
    let closed = values(
        t.path(),
        &format!("127.0.0.1:{}/acme/dash:v1", free_port()),
        "prod",
    );
    let got = artifact_findings(&lint(
        &closed,
        &["--pull", "--plain-http", "--timeout", "2"],
    ));
    assert!(got.len() == 1 && got[0].0 == "PC020", "{got:?}");
    let (_auth, auth_host) = registry(t.path(), &htpasswd_auth(t.path(), "u", "p"));
    let private = values(t.path(), &format!("{auth_host}/acme/dash:v1"), "prod");
    let got = artifact_findings(&lint(&private, &["--pull", "--plain-http"]));
    assert!(
        got.len() == 1 && got[0].0 == "PC020" && got[0].2.contains("401"),
        "{got:?}"
    );
}
