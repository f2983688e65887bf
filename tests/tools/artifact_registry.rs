//! push, resolve and pin against a real registry (Debian's
//! `docker-registry`, the CNCF distribution registry) started here on
//! 127.0.0.1 at a free port, open and with htpasswd auth; skopeo as the
//! independent client that must agree on every digest. Also: stalled and
//! garbage-speaking servers, an unreachable registry, a corrupt layout.

use crate::support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use support::{
    Server, artifact_build, err, free_port, pchart_io as pchart, push_as, skopeo_digest, tool,
};

/// Deletes allowed, as a registry that garbage-collects has them.
const DELETE: &str = "  delete:\n    enabled: true\n";

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// A resource tree with `n` dashboards, built into a layout.
fn layout(dir: &Path, name: &str, n: usize) -> (PathBuf, String) {
    let src = dir.join(format!("{name}-src"));
    std::fs::create_dir_all(src.join("projects")).expect("mkdir");
    std::fs::create_dir_all(src.join("prod/dashboards")).expect("mkdir");
    std::fs::write(
        src.join("projects/demo.yaml"),
        "kind: Project\nmetadata: {name: demo}\n",
    )
    .expect("w");
    for i in 0..n {
        std::fs::write(
            src.join(format!("prod/dashboards/d{i}.yaml")),
            format!("kind: Dashboard\nmetadata: {{name: d{i}, project: demo}}\nspec: {{panels: {{}}, layouts: []}}\n"),
        )
        .expect("w");
    }
    let lay = dir.join(name);
    let o = artifact_build(&src, &lay, &["--tag", "v1"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    (lay, out(&o))
}

/// `pchart artifact push LAYOUT REFERENCE --plain-http EXTRA…`.
fn push(layout: &Path, reference: &str, extra: &[&str]) -> Output {
    let l = layout.to_string_lossy();
    let mut args = vec!["artifact", "push", &l, reference, "--plain-http"];
    args.extend(extra);
    pchart(&args, None, &[])
}

#[test]
fn push_resolve_pin_with_skopeo_agreeing() {
    if !tool("docker-registry") || !tool("skopeo") {
        return;
    }
    let reg = Server::registry_config(None, DELETE);
    let t = tempfile::tempdir().expect("tmp");
    let (lay, digest) = layout(t.path(), "one", 3);
    let r = format!("{}/acme/dashboards:v1", reg.host());
    // Chunked upload of the layer (it is larger than 64 bytes).
    let o = push(&lay, &r, &["--chunk-size", "64"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), format!("{r}@{digest}"));
    assert_eq!(skopeo_digest(&format!("docker://{r}"), None), digest);
    // Every platform arrived: skopeo reads the arm64 image too.
    let o = Command::new("skopeo")
        .args([
            "--override-arch",
            "arm64",
            "inspect",
            "--tls-verify=false",
            &format!("docker://{r}"),
        ])
        .output()
        .expect("skopeo");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A second push finds every blob there (monolithic path otherwise).
    let o = push(&lay, &r, &["--output", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out(&o)).expect("json");
    assert_eq!(
        (
            v["uploaded"].as_u64(),
            v["existing"].as_u64(),
            v["digest"].as_str()
        ),
        (Some(0), Some(3), Some(digest.as_str()))
    );
    // Resolve agrees.
    let o = pchart(&["artifact", "resolve", &r, "--plain-http"], None, &[]);
    assert_eq!(out(&o), digest, "{}", err(&o));
    // skopeo copies the layout itself to another tag: the same digest as
    // pchart's push, so the images are identical.
    let copy_ref = format!("{}/acme/dashboards:copied", reg.host());
    let o = Command::new("skopeo")
        .args([
            "copy",
            "--all",
            "--dest-tls-verify=false",
            &format!("oci:{}:v1", lay.display()),
            &format!("docker://{copy_ref}"),
        ])
        .output()
        .expect("skopeo");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = pchart(
        &["artifact", "resolve", &copy_ref, "--plain-http"],
        None,
        &[],
    );
    assert_eq!(out(&o), digest);
    // Pin: diff first (exit 1), then --write keeps comments and quotes.
    let values = t.path().join("values.yaml");
    let original = format!(
        "# production\nociArtifacts:\n  image:\n    reference: '{r}' # the dashboards\n    pullPolicy: IfNotPresent\n  subPath: prod\n"
    );
    std::fs::write(&values, &original).expect("w");
    let vs = values.to_string_lossy().into_owned();
    let o = pchart(&["artifact", "pin", "-f", &vs, "--plain-http"], None, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        out(&o).contains(&format!("+    reference: '{r}@{digest}' # the dashboards")),
        "{}",
        out(&o)
    );
    assert_eq!(std::fs::read_to_string(&values).expect("r"), original);
    let o = pchart(
        &["artifact", "pin", "-f", &vs, "--plain-http", "--write"],
        None,
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        std::fs::read_to_string(&values).expect("r"),
        original.replace(&format!("'{r}'"), &format!("'{r}@{digest}'"))
    );
    let o = pchart(&["artifact", "pin", "-f", &vs, "--plain-http"], None, &[]);
    assert_eq!(o.status.code(), Some(0), "already pinned: {}", err(&o));
    // The tag moves (a re-push of other files): pin shows the new digest.
    let (lay2, digest2) = layout(t.path(), "two", 4);
    assert_ne!(digest, digest2);
    let o = push(&lay2, &r, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = pchart(&["artifact", "pin", "-f", &vs, "--plain-http"], None, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains(&format!("-    reference: '{r}@{digest}'"))
            && out(&o).contains(&format!("+    reference: '{r}@{digest2}'")),
        "{}",
        out(&o)
    );
    // A tag that does not exist: the registry's words, exit 2.
    let o = pchart(
        &[
            "artifact",
            "resolve",
            &format!("{}/acme/dashboards:nope", reg.host()),
            "--plain-http",
        ],
        None,
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("MANIFEST_UNKNOWN"), "{}", err(&o));
}

#[test]
fn basic_auth_from_flags_and_docker_config_never_printing_secrets() {
    if !tool("docker-registry") || !tool("htpasswd") || !tool("skopeo") {
        return;
    }
    let reg = Server::registry_config(Some(("ci", "s3cret-pass")), DELETE);
    let t = tempfile::tempdir().expect("tmp");
    let (lay, digest) = layout(t.path(), "one", 1);
    let l = lay.to_string_lossy().into_owned();
    let r = format!("{}/acme/private:v1", reg.host());
    // Anonymous: 401 in clear words.
    let o = pchart(&["artifact", "push", &l, &r, "--plain-http"], None, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("401") && err(&o).contains("needs credentials"),
        "{}",
        err(&o)
    );
    // Wrong password: refused, and never echoed.
    let o = push_as(&l, &r, "ci", "wrong-pass\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("refused the credentials"), "{}", err(&o));
    assert!(!err(&o).contains("wrong-pass") && !out(&o).contains("wrong-pass"));
    // Right password on standard input.
    let o = push_as(&l, &r, "ci", "s3cret-pass\n");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(!err(&o).contains("s3cret") && !out(&o).contains("s3cret"));
    assert_eq!(
        skopeo_digest(&format!("docker://{r}"), Some("ci:s3cret-pass")),
        digest
    );
    // The docker configuration's auths, found through DOCKER_CONFIG.
    let cfg = t.path().join("docker");
    std::fs::create_dir_all(&cfg).expect("mkdir");
    use base64::Engine;
    let auth = base64::engine::general_purpose::STANDARD.encode("ci:s3cret-pass");
    std::fs::write(
        cfg.join("config.json"),
        format!(
            "{{\"auths\": {{\"{}\": {{\"auth\": \"{auth}\"}}}}}}",
            reg.host()
        ),
    )
    .expect("w");
    let o = pchart(
        &["artifact", "resolve", &r, "--plain-http"],
        None,
        &[("DOCKER_CONFIG", &cfg.to_string_lossy())],
    );
    assert_eq!(out(&o), digest, "{}", err(&o));
}

/// A server that accepts connections and answers `reply` (or nothing).
fn fake_server(reply: Option<&'static [u8]>) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in l.incoming().flatten() {
            let mut s = s;
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            match reply {
                Some(r) => {
                    let _ = s.write_all(r);
                }
                None => held.push(s),
            }
        }
    });
    port
}

/// `pchart artifact resolve` of an image on 127.0.0.1:`port`.
fn resolve_at(port: u16, extra: &[&str]) -> Output {
    let r = format!("127.0.0.1:{port}/a/b:v1");
    let mut args = vec!["artifact", "resolve", &r, "--plain-http"];
    args.extend(extra);
    pchart(&args, None, &[])
}

#[test]
fn stalls_garbage_unreachable_and_corrupt_layouts_are_clear_errors() {
    let t = tempfile::tempdir().expect("tmp");
    let stall = fake_server(None);
    let start = Instant::now();
    let o = resolve_at(stall, &["--timeout", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("timed out"), "{}", err(&o));
    assert!(start.elapsed() < Duration::from_secs(20));
    let garbage = fake_server(Some(
        b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot json!",
    ));
    let o = resolve_at(garbage, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not an image manifest"), "{}", err(&o));
    let closed = free_port();
    let o = resolve_at(closed, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).starts_with("Error: GET 127.0.0.1:") || err(&o).contains("onnect"),
        "{}",
        err(&o)
    );
    // A blob whose bytes do not match its digest: refused before pushing.
    let (lay, _) = layout(t.path(), "bad", 1);
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(lay.join("index.json")).expect("r")).expect("json");
    let d = index["manifests"][0]["digest"]
        .as_str()
        .expect("digest")
        .trim_start_matches("sha256:")
        .to_string();
    let p = lay.join("blobs/sha256").join(&d);
    let mut bytes = std::fs::read(&p).expect("r");
    bytes[0] ^= 1;
    std::fs::write(&p, bytes).expect("w");
    let o = pchart(
        &[
            "artifact",
            "push",
            &lay.to_string_lossy(),
            &format!("127.0.0.1:{closed}/a/b:v1"),
            "--plain-http",
        ],
        None,
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("the layout is corrupt"), "{}", err(&o));
    // Pushing to a digest, or without a tag, is a usage error.
    for r in [
        "127.0.0.1:1/a/b",
        "127.0.0.1:1/a/b@sha256:0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        let o = pchart(
            &[
                "artifact",
                "push",
                &lay.to_string_lossy(),
                r,
                "--plain-http",
            ],
            None,
            &[],
        );
        assert_eq!(o.status.code(), Some(2), "{r}");
    }
}
