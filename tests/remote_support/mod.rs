//! Shared by tests/remote_*.rs: a real registry (Debian's
//! `docker-registry`), real HTTP chart repositories (Python's
//! http.server), real Helm (helm-python-sdk) and the pchart binary. Every
//! server is started here on 127.0.0.1 at a free port and stopped by pid.

#![allow(dead_code)]

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Whether `name` is installed; in CI a missing tool fails the test.
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
        .join("tests/remote_support")
        .join(file)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn wait_for(port: u16) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A server process, stopped by its pid when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// An open docker-registry.
    pub fn registry() -> Server {
        Server::registry_with(None)
    }

    /// A docker-registry, with htpasswd Basic auth for (user, password).
    pub fn registry_with(htpasswd: Option<(&str, &str)>) -> Server {
        let dir = tempfile::tempdir().expect("tmp");
        let port = free_port();
        let mut auth = String::new();
        if let Some((u, p)) = htpasswd {
            let o = Command::new("htpasswd")
                .args(["-Bbn", u, p])
                .output()
                .expect("htpasswd");
            assert!(o.status.success());
            std::fs::write(dir.path().join("htpasswd"), &o.stdout).expect("write");
            auth = format!(
                "auth:\n  htpasswd:\n    realm: pchart-test\n    path: {}\n",
                dir.path().join("htpasswd").display()
            );
        }
        let config = format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n{auth}",
            dir.path().join("data").display()
        );
        std::fs::write(dir.path().join("config.yml"), config).expect("write");
        let child = Command::new("docker-registry")
            .args(["serve", &dir.path().join("config.yml").to_string_lossy()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("docker-registry");
        let s = Server {
            child,
            port,
            _dir: dir,
        };
        wait_for(port);
        s
    }

    /// tests/remote_support/server.py serving `root` in `mode`.
    pub fn http(root: &Path, mode: &str) -> Server {
        let dir = tempfile::tempdir().expect("tmp");
        let port_file = dir.path().join("port");
        let child = Command::new("python3")
            .arg(support("server.py"))
            .arg(&port_file)
            .arg(root)
            .arg(mode)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3");
        let start = Instant::now();
        let port = loop {
            if let Ok(s) = std::fs::read_to_string(&port_file) {
                break s.trim().parse::<u16>().expect("port");
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let s = Server {
            child,
            port,
            _dir: dir,
        };
        wait_for(port);
        s
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Real Helm through tests/remote_support/helm.py; panics with Helm's
/// words when it fails.
pub fn helm(args: &[&str]) -> String {
    helm_env(args, &[])
}

/// `helm` with extra environment variables.
pub fn helm_env(args: &[&str], env: &[(&str, &Path)]) -> String {
    let mut c = Command::new("python3");
    c.arg(support("helm.py"))
        .args(args)
        .env(
            "HELM_REGISTRY_CONFIG",
            "/nonexistent-pchart-test/config.json",
        )
        .env("DOCKER_CONFIG", "/nonexistent-pchart-test");
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
    let mut c = Command::new(env!("CARGO_BIN_EXE_pchart"));
    c.args(args)
        .env("XDG_CACHE_HOME", cache)
        .env(
            "HELM_REGISTRY_CONFIG",
            "/nonexistent-pchart-test/config.json",
        )
        .env("DOCKER_CONFIG", "/nonexistent-pchart-test")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().expect("pchart");
    if let Some(mut i) = child.stdin.take() {
        let _ = i.write_all(stdin.unwrap_or_default().as_bytes());
    }
    child.wait_with_output().expect("wait")
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

/// Real Helm's exit status and output (its error, for a failure).
pub fn helm_status(args: &[&str]) -> (bool, String) {
    let o = Command::new("python3")
        .arg(support("helm.py"))
        .args(args)
        .env(
            "HELM_REGISTRY_CONFIG",
            "/nonexistent-pchart-test/config.json",
        )
        .env("DOCKER_CONFIG", "/nonexistent-pchart-test")
        .output()
        .expect("python3");
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
