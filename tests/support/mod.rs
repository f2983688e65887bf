//! Shared by the integration tests that use real tools: the check that a
//! tool is installed, processes stopped by pid, a real registry (Debian's
//! `docker-registry`), real HTTP chart repositories (Python's
//! http.server), real Helm (helm-python-sdk), skopeo and the pchart
//! binary. Every server is started here on 127.0.0.1 at a free port.

#![allow(dead_code)]

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Whether `name` is installed; in CI (CI=true) a missing tool fails the
/// test, elsewhere it is a loud skip.
pub fn tool(name: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").is_err(),
            "{name} is required in CI (.ci/run installs it)"
        );
        eprintln!("SKIPPED: {name} is not installed");
    }
    found
}

fn support(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/support")
        .join(file)
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Polls `ready` until it holds; fails after 30 seconds.
pub fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{what} did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until something listens on 127.0.0.1:`port`.
pub fn wait_port(what: &str, port: u16) {
    wait_for(what, || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
}

/// A process, stopped by its pid when dropped.
pub struct Proc(pub Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Debian's docker-registry on a free port, its configuration and data
/// under `dir`; `storage` goes under `storage:` (indented by two), `auth`
/// at the end. Returns once it listens.
pub fn docker_registry(dir: &Path, storage: &str, auth: &str) -> (Proc, u16) {
    let port = free_port();
    let cfg = dir.join(format!("registry-{port}.yml"));
    std::fs::write(
        &cfg,
        format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\n{storage}http:\n  addr: 127.0.0.1:{port}\n{auth}",
            dir.join(format!("registry-{port}-data")).display()
        ),
    )
    .expect("write");
    let child = Command::new("docker-registry")
        .args(["serve", &cfg.to_string_lossy()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("docker-registry");
    let p = Proc(child);
    wait_port("registry", port);
    (p, port)
}

/// The registry configuration's htpasswd section for (user, password),
/// its file written under `dir`.
pub fn htpasswd_auth(dir: &Path, user: &str, password: &str) -> String {
    let o = Command::new("htpasswd")
        .args(["-Bbn", user, password])
        .output()
        .expect("htpasswd");
    assert!(o.status.success());
    let file = dir.join(format!("htpasswd-{user}"));
    std::fs::write(&file, &o.stdout).expect("write");
    format!(
        "auth:\n  htpasswd:\n    realm: pchart-test\n    path: {}\n",
        file.display()
    )
}

/// A server process, stopped by its pid when dropped.
pub struct Server {
    _proc: Proc,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Server {
    /// An open docker-registry.
    pub fn registry() -> Server {
        Server::registry_with(None)
    }

    /// A docker-registry, with htpasswd Basic auth for (user, password).
    pub fn registry_with(htpasswd: Option<(&str, &str)>) -> Server {
        Server::registry_config(htpasswd, "")
    }

    /// `registry_with` plus `storage` options (see `docker_registry`).
    pub fn registry_config(htpasswd: Option<(&str, &str)>, storage: &str) -> Server {
        let dir = tempfile::tempdir().expect("tmp");
        let auth = htpasswd
            .map(|(u, p)| htpasswd_auth(dir.path(), u, p))
            .unwrap_or_default();
        let (p, port) = docker_registry(dir.path(), storage, &auth);
        Server {
            _proc: p,
            port,
            _dir: dir,
        }
    }

    /// tests/support/server.py serving `root` in `mode`.
    pub fn http(root: &Path, mode: &str) -> Server {
        let dir = tempfile::tempdir().expect("tmp");
        let port_file = dir.path().join("port");
        let p = Proc(
            Command::new("python3")
                .arg(support("server.py"))
                .arg(&port_file)
                .arg(root)
                .arg(mode)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("python3"),
        );
        let mut port = 0;
        wait_for("server", || {
            std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|s| s.trim().parse::<u16>().ok())
                .is_some_and(|p| {
                    port = p;
                    true
                })
        });
        wait_port("server", port);
        Server {
            _proc: p,
            port,
            _dir: dir,
        }
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// No credentials of the user's: Helm's registry config and the docker
/// configuration point nowhere.
fn without_credentials(c: &mut Command) -> &mut Command {
    c.env(
        "HELM_REGISTRY_CONFIG",
        "/nonexistent-pchart-test/config.json",
    )
    .env("DOCKER_CONFIG", "/nonexistent-pchart-test")
}

fn helm_command(args: &[&str]) -> Command {
    let mut c = Command::new("python3");
    c.arg(support("helm.py")).args(args);
    without_credentials(&mut c);
    c
}

/// Real Helm through tests/support/helm.py; panics with Helm's
/// words when it fails.
pub fn helm(args: &[&str]) -> String {
    helm_env(args, &[])
}

/// `helm` with extra environment variables.
pub fn helm_env(args: &[&str], env: &[(&str, &Path)]) -> String {
    let mut c = helm_command(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().expect("python3");
    assert!(
        o.status.success(),
        "helm {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// The pchart binary, hermetic: no credentials of the user's and no
/// SOURCE_DATE_EPOCH from the environment.
pub fn pchart_command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pchart"));
    c.args(args).env_remove("SOURCE_DATE_EPOCH");
    without_credentials(&mut c);
    c
}

/// Runs `c` with `stdin` written to it (then closed) and its output kept.
pub fn run(mut c: Command, stdin: Option<&str>) -> Output {
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("spawn");
    if let Some(mut i) = child.stdin.take() {
        let _ = i.write_all(stdin.unwrap_or_default().as_bytes());
    }
    child.wait_with_output().expect("wait")
}

/// `pchart_command` run with `stdin` and extra environment variables
/// (set after the defaults).
pub fn pchart_io(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut c = pchart_command(args);
    c.envs(env.iter().copied());
    run(c, stdin)
}

/// `pchart artifact build SRC --output OUT EXTRA…`.
pub fn artifact_build(src: &Path, out: &Path, extra: &[&str]) -> Output {
    let (s, o) = (src.to_string_lossy(), out.to_string_lossy());
    let mut args = vec!["artifact", "build", &s, "--output", &o];
    args.extend(extra);
    pchart_io(&args, None, &[])
}

/// `pchart artifact push LAYOUT REFERENCE` over plain HTTP as `user`,
/// the password line given on standard input.
pub fn push_as(layout: &str, reference: &str, user: &str, password: &str) -> Output {
    pchart_io(
        &[
            "artifact",
            "push",
            layout,
            reference,
            "--plain-http",
            "-u",
            user,
            "--password-stdin",
        ],
        Some(password),
        &[],
    )
}

/// The pchart binary with its own cache folder and no credentials.
pub fn pchart(args: &[&str], cache: &Path, stdin: Option<&str>) -> Output {
    pchart_env(args, cache, stdin, &[])
}

/// `pchart` with extra environment variables (set after the defaults).
pub fn pchart_env(
    args: &[&str],
    cache: &Path,
    stdin: Option<&str>,
    env: &[(&str, &Path)],
) -> Output {
    let mut c = pchart_command(args);
    c.env("XDG_CACHE_HOME", cache);
    for (k, v) in env {
        c.env(k, v);
    }
    run(c, stdin)
}

pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts exit 2 with `words` in the error.
pub fn fails(o: &Output, words: &str) {
    assert_eq!(
        o.status.code(),
        Some(2),
        "stdout {} stderr {}",
        out(o),
        err(o)
    );
    assert!(err(o).contains(words), "expected {words:?} in: {}", err(o));
}

pub fn ok(o: &Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stdout: {} stderr: {}",
        out(o),
        err(o)
    );
}

/// Files under `dir`, relative, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    fn walk(root: &Path, d: &Path, v: &mut Vec<String>) {
        if let Ok(rd) = std::fs::read_dir(d) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(root, &p, v);
                } else {
                    v.push(p.strip_prefix(root).unwrap_or(&p).display().to_string());
                }
            }
        }
    }
    walk(dir, dir, &mut v);
    v.sort();
    v
}

/// A chart scaffolded by Helm (`helm create`) packaged at each version.
pub fn packaged(dir: &Path, name: &str, versions: &[&str]) -> Vec<PathBuf> {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    if !src.join(name).exists() {
        helm(&["create", &src.to_string_lossy(), name]);
    }
    let pkg = dir.join("pkg");
    versions
        .iter()
        .map(|v| {
            PathBuf::from(helm(&[
                "package",
                &src.join(name).to_string_lossy(),
                &pkg.to_string_lossy(),
                v,
            ]))
        })
        .collect()
}

/// A chart repository folder, `dir`/repo: `name` packaged by Helm at
/// each version and indexed by Helm.
pub fn chart_repo(dir: &Path, name: &str, versions: &[&str]) -> PathBuf {
    let root = dir.join("repo");
    std::fs::create_dir_all(&root).expect("mkdir");
    for a in packaged(dir, name, versions) {
        std::fs::copy(&a, root.join(a.file_name().expect("name"))).expect("copy");
    }
    helm(&["index", &root.to_string_lossy(), ""]);
    root
}

/// `index` (a repository's index.yaml) with every digest replaced by
/// `byte` (two hex digits) 32 times.
pub fn lying_index(index: &str, byte: &str) -> String {
    index
        .lines()
        .map(|l| match l.split_once("digest: ") {
            Some((pre, _)) => format!("{pre}digest: {}\n", byte.repeat(32)),
            None => format!("{l}\n"),
        })
        .collect()
}

/// An open docker-registry holding `name` packaged by Helm (under
/// `dir`) at each version and pushed by Helm to oci://HOST/charts; the
/// archives.
pub fn registry_with_charts(dir: &Path, name: &str, versions: &[&str]) -> (Server, Vec<PathBuf>) {
    let reg = Server::registry();
    let archives = packaged(dir, name, versions);
    for a in &archives {
        helm(&[
            "push",
            &a.to_string_lossy(),
            &format!("oci://{}/charts", reg.host()),
        ]);
    }
    (reg, archives)
}

/// Real Helm's exit status and output (its error, for a failure).
pub fn helm_status(args: &[&str]) -> (bool, String) {
    let o = helm_command(args).output().expect("python3");
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).trim().to_string() + &String::from_utf8_lossy(&o.stderr),
    )
}

/// Copy a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("ls").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// Writes `text` to `dir`/`name`, making the folders on the way.
pub fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(&p, text).expect("write");
}

/// `sha256:` and the hex digest of `b`.
pub fn sha256(b: &[u8]) -> String {
    use sha2::Digest;
    format!(
        "sha256:{}",
        sha2::Sha256::digest(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
    )
}

/// The digest of the manifest skopeo reads at `reference` (plain HTTP).
pub fn skopeo_digest(reference: &str, creds: Option<&str>) -> String {
    let mut args = vec!["inspect", "--raw", "--tls-verify=false"];
    if let Some(c) = creds {
        args.extend(["--creds", c]);
    }
    args.push(reference);
    let o = Command::new("skopeo").args(&args).output().expect("skopeo");
    assert!(
        o.status.success(),
        "skopeo: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    sha256(&o.stdout)
}

/// A Flux-style layout in `dir`: Flux's config and content media types,
/// one platform-less manifest with `layer` as its only layer.
pub fn flux_layout(dir: &Path, layer: &[u8]) {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).expect("mkdir");
    let put = |b: &[u8]| {
        let d = sha256(b);
        std::fs::write(blobs.join(d.trim_start_matches("sha256:")), b).expect("w");
        (d, b.len())
    };
    let (cd, cs) = put(b"{}");
    let (ld, ls) = put(layer);
    let manifest = format!(
        "{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.cncf.flux.config.v1+json\",\"digest\":\"{cd}\",\"size\":{cs}}},\"layers\":[{{\"mediaType\":\"application/vnd.cncf.flux.content.v1.tar+gzip\",\"digest\":\"{ld}\",\"size\":{ls}}}]}}"
    );
    let (md, ms) = put(manifest.as_bytes());
    std::fs::write(dir.join("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}").expect("w");
    std::fs::write(
        dir.join("index.json"),
        format!(
            "{{\"schemaVersion\":2,\"manifests\":[{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"{md}\",\"size\":{ms}}}]}}"
        ),
    )
    .expect("w");
}

/// `$PATH` with the folder of the pchart binary under test first, for
/// scripts and pre-commit hooks that call `pchart` by name.
pub fn path_with_pchart() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_pchart"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}
