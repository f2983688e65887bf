//! `pchart pull oci://…` against a real registry (Debian's
//! `docker-registry`) holding charts real Helm pushed: the archive byte
//! for byte as Helm pulls it, Helm's version choice, the cache and
//! --offline, and the faults: missing chart or version, a tag that is not
//! a chart, a registry that is down.

use crate::support;

use std::path::Path;

use support::*;

const VERSIONS: [&str; 4] = ["0.1.0", "0.2.0", "1.0.0-rc.1", "0.3.0+build.1"];

/// A temporary folder and an open registry holding `name` at each
/// version, pushed by Helm; None (a skip) when a tool is missing.
fn charts_in_registry(
    name: &str,
    versions: &[&str],
) -> Option<(tempfile::TempDir, Server, Vec<std::path::PathBuf>)> {
    if !tool("docker-registry") || !tool("python3") {
        return None;
    }
    let t = tempfile::tempdir().expect("tmp");
    let (reg, archives) = registry_with_charts(t.path(), name, versions);
    Some((t, reg, archives))
}

#[test]
fn pull_from_a_registry() {
    let Some((t, reg, archives)) = charts_in_registry("demo", &VERSIONS) else {
        return;
    };
    let cache = t.path().join("cache");
    let r = format!("oci://{}/charts/demo", reg.host());
    let d = |n: &str| t.path().join(n);

    // Table: --version as given -> the version Helm picks.
    for (want, got) in [
        (None, "0.3.0+build.1"),
        (Some("0.2.0"), "0.2.0"),
        (Some("~0.1"), "0.1.0"),
        (Some(">=0.1.0 <0.3.0"), "0.2.0"),
        (Some("^0"), "0.3.0+build.1"),
        (Some(">=1.0.0-0"), "1.0.0-rc.1"),
        (Some("1.0.0-rc.1"), "1.0.0-rc.1"),
    ] {
        let dest = d(&format!(
            "p-{}",
            want.unwrap_or("none")
                .replace([' ', '<', '>', '=', '^', '~'], "_")
        ));
        let mut args = vec!["pull", &r, "--plain-http", "-d"];
        let ds = dest.to_string_lossy().to_string();
        args.push(&ds);
        if let Some(w) = want {
            args.extend(["--version", w]);
        }
        let o = pchart(&args, &cache, None);
        ok(&o);
        assert!(
            out(&o).contains(&format!(
                "Pulled: {}/charts/demo:{}",
                reg.host(),
                got.replace('+', "_")
            )),
            "{}",
            out(&o)
        );
        let file = format!("demo-{got}.tgz");
        assert_eq!(listing(&dest), vec![file.clone()], "{want:?}");
        // Helm pulls the same bytes.
        let hd = d(&format!("h-{got}"));
        helm(&["pull", &r, want.unwrap_or(""), &hd.to_string_lossy()]);
        assert_eq!(
            std::fs::read(dest.join(&file)).expect("read"),
            std::fs::read(hd.join(&file)).expect("helm's pull"),
            "{want:?}"
        );
        assert_eq!(
            std::fs::read(dest.join(&file)).expect("read"),
            std::fs::read(t.path().join("pkg").join(&file)).expect("helm's package")
        );
    }

    // Digest: the manifest's, as Helm prints it (also from the cache).
    let resolved = pchart(
        &[
            "artifact",
            "resolve",
            &format!("{}/charts/demo:0.2.0", reg.host()),
            "--plain-http",
        ],
        &cache,
        None,
    );
    ok(&resolved);
    let manifest = out(&resolved)
        .trim()
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(manifest.starts_with("sha256:"), "{}", out(&resolved));
    let again = pchart(
        &[
            "pull",
            &r,
            "--version",
            "0.2.0",
            "-d",
            &d("again").to_string_lossy(),
        ],
        &cache,
        None,
    );
    ok(&again);
    assert!(
        out(&again).contains(&format!("Digest: {manifest}\n")),
        "{}",
        out(&again)
    );

    // --untar: the chart unpacked under DIR/NAME.
    let un = d("untar");
    let untar = || {
        pchart(
            &[
                "pull",
                &r,
                "--plain-http",
                "--version",
                "0.2.0",
                "--untar",
                "-d",
                &un.to_string_lossy(),
            ],
            &cache,
            None,
        )
    };
    ok(&untar());
    assert!(
        listing(&un).contains(&"demo/Chart.yaml".to_string()),
        "{:?}",
        listing(&un)
    );
    assert!(listing(&un).iter().all(|f| f.starts_with("demo/")));
    fails(&untar(), "already exists");

    // Faults, each exit 2 with the reason.
    let o = pchart(
        &["pull", &r, "--plain-http", "--version", "9.9.9"],
        &cache,
        None,
    );
    fails(
        &o,
        "no chart version matches \"9.9.9\"; versions that exist: 1.0.0-rc.1, 0.3.0+build.1, 0.2.0, 0.1.0",
    );
    let o = pchart(
        &[
            "pull",
            &format!("oci://{}/charts/nope", reg.host()),
            "--plain-http",
        ],
        &cache,
        None,
    );
    fails(
        &o,
        &format!("oci://{}/charts/nope: chart not found", reg.host()),
    );
    fails(
        &pchart(
            &["pull", &r, "--plain-http", "--version", ">>1"],
            &cache,
            None,
        ),
        "--version",
    );
    fails(
        &pchart(
            &[
                "pull",
                &format!("{r}:0.1.0"),
                "--plain-http",
                "--version",
                "0.2.0",
            ],
            &cache,
            None,
        ),
        "disagree",
    );

    // A tag that is not a Helm chart: an image pushed by pchart itself.
    let src = d("res");
    std::fs::create_dir_all(src.join("projects")).expect("mkdir");
    std::fs::write(
        src.join("projects/demo.yaml"),
        "kind: Project\nmetadata: {name: demo}\n",
    )
    .expect("w");
    let lay = d("layout");
    ok(&pchart(
        &[
            "artifact",
            "build",
            &src.to_string_lossy(),
            "--output",
            &lay.to_string_lossy(),
        ],
        &cache,
        None,
    ));
    ok(&pchart(
        &[
            "artifact",
            "push",
            &lay.to_string_lossy(),
            &format!("{}/charts/image:1.0.0", reg.host()),
            "--plain-http",
        ],
        &cache,
        None,
    ));
    // Pulling CHART into d(DEST) fails with `words` and writes nothing.
    let refused = |chart: &str, dest: &str, words: &str| {
        let ds = d(dest).to_string_lossy().into_owned();
        let r = format!("oci://{}/charts/{chart}", reg.host());
        fails(
            &pchart(&["pull", &r, "--plain-http", "-d", &ds], &cache, None),
            words,
        );
        assert!(!d(dest).exists());
    };
    refused("image", "img", "not a Helm chart");

    // A layer declared over the size limit: refused before downloading.
    let st = std::process::Command::new("python3")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/oversized.py"))
        .arg(reg.host())
        .arg(&archives[0])
        .status()
        .expect("python3");
    assert!(st.success());
    refused(
        "big",
        "big",
        "the chart archive is 209715200 bytes, over the limit of 104857600",
    );

    // The cache: a pulled version needs no registry, even for a range.
    let before = listing(&cache);
    assert!(
        before.iter().any(|f| f.starts_with("pchart/blobs/sha256/")),
        "{before:?}"
    );
    drop(reg);
    let off = d("offline");
    let o = pchart(
        &[
            "pull",
            &r,
            "--version",
            "0.2.0",
            "-d",
            &off.to_string_lossy(),
        ],
        &cache,
        None,
    );
    ok(&o);
    let o = pchart(
        &[
            "pull",
            &r,
            "--offline",
            "--version",
            "~0.1",
            "-d",
            &off.to_string_lossy(),
        ],
        &cache,
        None,
    );
    ok(&o);
    assert_eq!(
        listing(&off),
        vec!["demo-0.1.0.tgz".to_string(), "demo-0.2.0.tgz".to_string()]
    );
    fails(
        &pchart(
            &["pull", &r, "--offline", "--version", "0.9.0"],
            &cache,
            None,
        ),
        "--offline: ",
    );
    // The registry is down: a clear error, nothing written.
    let o = pchart(
        &[
            "pull",
            &r,
            "--plain-http",
            "--version",
            "^0.9",
            "-d",
            &d("down").to_string_lossy(),
            "--timeout",
            "2",
        ],
        &cache,
        None,
    );
    fails(&o, "Connection refused");
    assert!(!d("down").exists());
    assert_eq!(listing(&cache), before);
}

/// render, lint, diff, eval and `.pchart.yaml` cases take the same
/// oci:// reference: the chart is fetched (or taken from the cache) and
/// rendered as its local archive is, identically to Helm.
#[test]
fn render_from_a_registry() {
    let Some((t, reg, archives)) = charts_in_registry("web", &["1.0.0", "1.1.0"]) else {
        return;
    };
    let cache = t.path().join("cache");
    let r = format!("oci://{}/charts/web", reg.host());
    let helm_out: String =
        serde_json::from_str(&helm(&["render", &archives[0].to_string_lossy()])).expect("json");
    let o = pchart(
        &[
            "render",
            &r,
            "--version",
            "~1.0",
            "--plain-http",
            "--no-hooks",
        ],
        &cache,
        None,
    );
    ok(&o);
    assert_eq!(out(&o).trim_end(), helm_out.trim_end());
    let local = pchart(
        &["render", &archives[0].to_string_lossy(), "--no-hooks"],
        &cache,
        None,
    );
    assert_eq!(out(&o), out(&local));

    // diff and golden cases render with hooks, as `pchart render` does.
    let with_hooks = pchart(
        &["render", &r, "--version", "1.0.0", "--plain-http"],
        &cache,
        None,
    );
    ok(&with_hooks);
    let golden = t.path().join("golden.yaml");
    std::fs::write(&golden, out(&with_hooks)).expect("write");
    let g = golden.to_string_lossy().to_string();
    ok(&pchart(
        &[
            "diff",
            &r,
            "--version",
            "1.0.0",
            "--plain-http",
            "--golden",
            &g,
        ],
        &cache,
        None,
    ));
    let o = pchart(
        &[
            "eval",
            &r,
            "--version",
            "1.0.0",
            "--plain-http",
            "-e",
            "{{ .Chart.Name }}-{{ .Chart.Version }}",
        ],
        &cache,
        None,
    );
    ok(&o);
    assert_eq!(out(&o), "web-1.0.0");
    let o = pchart(
        &["lint", &r, "--version", "1.1.0", "--plain-http"],
        &cache,
        None,
    );
    assert_ne!(o.status.code(), Some(2), "{}", err(&o));

    // A .pchart.yaml case with the same reference.
    let cfg = t.path().join(".pchart.yaml");
    std::fs::write(
        &cfg,
        format!("tests:\n- name: web\n  chart: {r}\n  version: 1.0.0\n  plainHttp: true\n  golden: golden.yaml\n"),
    )
    .expect("write");
    ok(&pchart(
        &["test", "--config", &cfg.to_string_lossy()],
        &cache,
        None,
    ));

    // Registry gone: the cached version renders the same; --offline with
    // a version never fetched fails clearly.
    drop(reg);
    let again = pchart(
        &["render", &r, "--version", "1.0.0", "--no-hooks"],
        &cache,
        None,
    );
    ok(&again);
    assert_eq!(out(&again), out(&local));
    ok(&pchart(
        &["render", &r, "--version", "~1.0", "--offline", "--no-hooks"],
        &cache,
        None,
    ));
    fails(
        &pchart(
            &["render", &r, "--version", "2.0.0", "--offline"],
            &cache,
            None,
        ),
        "--offline",
    );
    fails(
        &pchart(&["render", "./x", "--version", "1.0.0"], &cache, None),
        "local path",
    );
}

/// Credentials as Helm finds them: the file Helm's own `registry login`
/// writes ($HELM_REGISTRY_CONFIG), then the docker configuration; or
/// --username with --password-stdin. Without any: a clear 401 error.
#[test]
fn registry_credentials_like_helm() {
    if !tool("docker-registry") || !tool("htpasswd") || !tool("python3") {
        return;
    }
    let reg = Server::registry_with(Some(("alice", "s3cret")));
    let t = tempfile::tempdir().expect("tmp");
    let cache = t.path().join("cache");
    let archives = packaged(t.path(), "sec", &["0.1.0"]);
    let helm_cfg = t.path().join("helm-registry.json");
    helm(&[
        "login-push",
        &archives[0].to_string_lossy(),
        &format!("oci://{}/charts", reg.host()),
        &reg.host(),
        "alice",
        "s3cret",
        &helm_cfg.to_string_lossy(),
    ]);
    let r = format!("oci://{}/charts/sec", reg.host());
    let d = |n: &str| t.path().join(n).to_string_lossy().to_string();
    fails(
        &pchart(
            &["pull", &r, "--plain-http", "-d", &d("none")],
            &cache,
            None,
        ),
        "401 unauthorized",
    );
    // Helm's registry config, as Helm's login wrote it.
    let o = pchart_env(
        &["pull", &r, "--plain-http", "-d", &d("helm")],
        &cache,
        None,
        &[("HELM_REGISTRY_CONFIG", &helm_cfg)],
    );
    ok(&o);
    assert_eq!(
        std::fs::read(Path::new(&d("helm")).join("sec-0.1.0.tgz")).expect("pulled"),
        std::fs::read(&archives[0]).expect("pushed")
    );
    // The same file as the docker configuration (a fresh cache).
    let docker = t.path().join("docker");
    std::fs::create_dir_all(&docker).expect("mkdir");
    std::fs::copy(&helm_cfg, docker.join("config.json")).expect("copy");
    let cache2 = t.path().join("cache2");
    ok(&pchart_env(
        &["pull", &r, "--plain-http", "-d", &d("docker")],
        &cache2,
        None,
        &[("DOCKER_CONFIG", &docker)],
    ));
    // --username/--password-stdin; a wrong password is refused.
    let cache3 = t.path().join("cache3");
    let as_alice = |password: &str, extra: &[&str]| {
        let mut args = vec![
            "pull",
            &r,
            "--plain-http",
            "--username",
            "alice",
            "--password-stdin",
        ];
        args.extend(extra);
        pchart(&args, &cache3, Some(password))
    };
    fails(&as_alice("wrong\n", &[]), "refused the credentials");
    let o = as_alice("s3cret\n", &["-d", &d("flag")]);
    ok(&o);
    assert!(!err(&o).contains("s3cret") && !out(&o).contains("s3cret"));
}

/// Registries that answer 403, 500, slowly or not in HTTP (served by
/// tests/support/server.py): exit 2 with the reason, nothing
/// written and nothing cached.
#[test]
fn registry_faults() {
    if !tool("python3") {
        return;
    }
    let t = tempfile::tempdir().expect("tmp");
    let cache = t.path().join("cache");
    let dest = t.path().join("out");
    for (mode, words) in [
        ("status:403", ": 403: nope"),
        ("status:500", ": 500: nope"),
        ("slow", "timed out"),
        ("garbage", "GET http://"),
    ] {
        let s = Server::http(t.path(), mode);
        let o = pchart(
            &[
                "pull",
                &format!("oci://{}/charts/demo", s.host()),
                "--plain-http",
                "--timeout",
                "1",
                "-d",
                &dest.to_string_lossy(),
            ],
            &cache,
            None,
        );
        fails(&o, words);
        assert!(!dest.exists(), "{mode}");
        assert!(listing(&cache).is_empty(), "{mode}");
    }
}
