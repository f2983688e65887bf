//! The consumer that matters: containerd (Debian's package), started here
//! with its root, state and socket in a temporary folder, pulls the image
//! pchart pushed to a real registry and mounts it; the files are where the
//! provisioning folder expects them. A Flux-style artifact (Flux's config
//! and content media types) fails the same pull: why PC022 exists.
//! Runs as root (containerd needs it); CI runs as root.

use crate::support;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use support::{Proc, docker_registry, flux_layout, pchart_io, skopeo_digest, tool, wait_for};

fn containerd(dir: &Path) -> (Proc, String) {
    let sock = dir.join("containerd.sock").to_string_lossy().into_owned();
    let cfg = dir.join("containerd.toml");
    std::fs::write(
        &cfg,
        format!(
            "version = 2\nroot = \"{}\"\nstate = \"{}\"\n[grpc]\n  address = \"{sock}\"\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  disable = true\n",
            dir.join("ctd-root").display(),
            dir.join("ctd-state").display()
        ),
    )
    .expect("w");
    let child = Command::new("containerd")
        .args(["--config", &cfg.to_string_lossy()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("containerd");
    let s = sock.clone();
    wait_for("containerd", || ctr(&s, &["version"]).status.success());
    (Proc(child), sock)
}

fn ctr(sock: &str, args: &[&str]) -> Output {
    Command::new("ctr")
        .arg("--address")
        .arg(sock)
        .args(args)
        .output()
        .expect("ctr")
}

fn pchart(args: &[&str]) -> Output {
    pchart_io(args, None, &[])
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn containerd_pulls_and_mounts_what_pchart_pushed() {
    if !tool("containerd") || !tool("ctr") || !tool("docker-registry") || !tool("skopeo") {
        return;
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        assert!(
            std::env::var("CI").is_err(),
            "containerd needs root, and CI runs as root"
        );
        eprintln!("SKIPPED: containerd needs root");
        return;
    }
    let t = tempfile::tempdir().expect("tmp");
    let (_reg, port) = docker_registry(t.path(), "", "");
    let host = format!("127.0.0.1:{port}");
    let (_ctd, sock) = containerd(t.path());
    // validate -> build -> push
    let src = t.path().join("resources");
    std::fs::create_dir_all(src.join("prod/projects")).expect("mkdir");
    std::fs::create_dir_all(src.join("prod/dashboards")).expect("mkdir");
    std::fs::write(
        src.join("prod/projects/demo.yaml"),
        "kind: Project\nmetadata: {name: demo}\n",
    )
    .expect("w");
    std::fs::write(
        src.join("prod/dashboards/cpu.yaml"),
        "kind: Dashboard\nmetadata: {name: cpu, project: demo}\nspec: {panels: {}, layouts: []}\n",
    )
    .expect("w");
    let s = src.to_string_lossy().into_owned();
    let o = pchart(&["artifact", "validate", &s, "--subpath", "prod"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    let lay = t.path().join("oci").to_string_lossy().into_owned();
    let o = pchart(&["artifact", "build", &s, "--output", &lay, "--tag", "v1"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let digest = text(&o.stdout).trim().to_string();
    let reference = format!("{host}/acme/dashboards:v1");
    let o = pchart(&["artifact", "push", &lay, &reference, "--plain-http"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // skopeo agrees on the digest.
    assert_eq!(
        skopeo_digest(&format!("docker://{reference}"), None),
        digest
    );
    // containerd pulls (unpacking for this node's platform) and mounts.
    let o = ctr(&sock, &["images", "pull", "--plain-http", &reference]);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stdout).contains("unpacking"), "{}", text(&o.stdout));
    let mnt = t.path().join("mnt");
    std::fs::create_dir_all(&mnt).expect("mkdir");
    let m = mnt.to_string_lossy().into_owned();
    let o = ctr(&sock, &["images", "mount", &reference, &m]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // subPath: prod is a folder; the resources are where Perses looks.
    let found = std::fs::read_to_string(mnt.join("prod/dashboards/cpu.yaml"));
    let _ = ctr(&sock, &["images", "unmount", &m]);
    assert!(found.is_ok_and(|f| f.contains("name: cpu")));
    // resolve and pin agree with what containerd pulled.
    let o = pchart(&["artifact", "resolve", &reference, "--plain-http"]);
    assert_eq!(text(&o.stdout).trim(), digest);
    let o = ctr(&sock, &["images", "ls", "-q"]);
    assert!(text(&o.stdout).contains(&reference));
    let values = t.path().join("values.yaml");
    std::fs::write(
        &values,
        format!("config:\n  provisioning:\n    folders: [/etc/perses/provisioning]\nociArtifacts:\n  image:\n    reference: {reference}\n  mountPath: /etc/perses/provisioning\n  subPath: prod\n"),
    )
    .expect("w");
    let v = values.to_string_lossy().into_owned();
    let o = pchart(&["artifact", "pin", "-f", &v, "--plain-http", "--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        std::fs::read_to_string(&values)
            .expect("r")
            .contains(&format!("reference: {reference}@{digest}\n"))
    );
    // lint --pull: clean (the chart side too, on a cluster where image
    // volumes and subPath work: 1.35, both node platforms).
    let o = pchart(&[
        "lint",
        "-f",
        &v,
        "--kube-version",
        "1.35",
        "--pull",
        "--plain-http",
        "--platform",
        "linux/amd64,linux/arm64",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let errors: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .map(|f| f.iter().filter(|x| x["severity"] != "note").collect())
        .unwrap_or_default();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(o.status.code(), Some(0));

    // A Flux-style artifact with the very same layer bytes does not unpack.
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(Path::new(&lay).join("index.json")).expect("r"))
            .expect("json");
    let top = index["manifests"][0]["digest"]
        .as_str()
        .expect("d")
        .trim_start_matches("sha256:")
        .to_string();
    let idx: serde_json::Value = serde_json::from_slice(
        &std::fs::read(Path::new(&lay).join("blobs/sha256").join(top)).expect("r"),
    )
    .expect("json");
    let man_d = idx["manifests"][0]["digest"]
        .as_str()
        .expect("d")
        .trim_start_matches("sha256:")
        .to_string();
    let man: serde_json::Value = serde_json::from_slice(
        &std::fs::read(Path::new(&lay).join("blobs/sha256").join(man_d)).expect("r"),
    )
    .expect("json");
    let layer_d = man["layers"][0]["digest"]
        .as_str()
        .expect("d")
        .trim_start_matches("sha256:")
        .to_string();
    let layer = std::fs::read(Path::new(&lay).join("blobs/sha256").join(layer_d)).expect("r");
    let flux = t.path().join("flux");
    flux_layout(&flux, &layer);
    let flux_ref = format!("{host}/acme/flux:v1");
    let o = pchart(&[
        "artifact",
        "push",
        &flux.to_string_lossy(),
        &flux_ref,
        "--plain-http",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = ctr(&sock, &["images", "pull", "--plain-http", &flux_ref]);
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    let mnt2 = t.path().join("mnt2");
    std::fs::create_dir_all(&mnt2).expect("mkdir");
    let mounted = o.status.success()
        && ctr(
            &sock,
            &["images", "mount", &flux_ref, &mnt2.to_string_lossy()],
        )
        .status
        .success();
    if mounted {
        let _ = ctr(&sock, &["images", "unmount", &mnt2.to_string_lossy()]);
    }
    assert!(!mounted, "a Flux-style artifact mounted: {all}");
    assert!(
        all.contains("mismatched image rootfs and manifest layers"),
        "{all}"
    );
}
