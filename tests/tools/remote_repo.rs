//! `pchart pull` from HTTP chart repositories served on loopback by
//! Python (tests/support/server.py) with an index real Helm
//! generated: the archive byte for byte as Helm pulls it, basic auth, an
//! index that lies about a digest, and the faults: 403, 500, a slow
//! server, garbage, an index that is not YAML, an archive with a path
//! escaping its root, a missing chart or version.

use crate::support;

use std::path::Path;

use support::*;

fn repo(dir: &Path) -> std::path::PathBuf {
    chart_repo(dir, "demo", &["0.1.0", "0.2.0", "0.3.0-beta.1"])
}

/// `pchart pull demo --repo URL EXTRA…` with `cache`.
fn pull_demo(url: &str, cache: &Path, extra: &[&str]) -> std::process::Output {
    pull_demo_stdin(url, cache, extra, None)
}

/// `pull_demo` with `stdin` given to pchart.
fn pull_demo_stdin(
    url: &str,
    cache: &Path,
    extra: &[&str],
    stdin: Option<&str>,
) -> std::process::Output {
    let mut args = vec!["pull", "demo", "--repo", url];
    args.extend(extra);
    pchart(&args, cache, stdin)
}

#[test]
fn pull_from_a_chart_repository() {
    if !tool("python3") {
        return;
    }
    let t = tempfile::tempdir().expect("tmp");
    let cache = t.path().join("cache");
    let root = repo(t.path());
    let s = Server::http(&root, "plain");
    let d = |n: &str| t.path().join(n).to_string_lossy().to_string();

    for (args, file) in [
        (vec!["demo", "--repo", &s.url()], "demo-0.2.0.tgz"),
        (
            vec!["demo", "--repo", &s.url(), "--version", "~0.1"],
            "demo-0.1.0.tgz",
        ),
        (
            vec!["demo", "--repo", &s.url(), "--version", ">=0.3.0-0"],
            "demo-0.3.0-beta.1.tgz",
        ),
    ] {
        let dest = d(&format!("p-{file}"));
        let mut a = vec!["pull"];
        a.extend(args.iter().copied());
        a.extend(["-d", &dest]);
        ok(&pchart(&a, &cache, None));
        let version = file.trim_start_matches("demo-").trim_end_matches(".tgz");
        helm(&["pull", "demo", version, &d(&format!("h-{file}")), &s.url()]);
        assert_eq!(
            std::fs::read(Path::new(&dest).join(file)).expect("pchart's"),
            std::fs::read(Path::new(&d(&format!("h-{file}"))).join(file)).expect("helm's")
        );
    }
    // REPO_URL/NAME.
    ok(&pchart(
        &[
            "pull",
            &format!("{}/demo", s.url()),
            "--version",
            "0.1.0",
            "-d",
            &d("u"),
        ],
        &cache,
        None,
    ));
    assert_eq!(
        listing(Path::new(&d("u"))),
        vec!["demo-0.1.0.tgz".to_string()]
    );

    fails(
        &pchart(&["pull", "nope", "--repo", &s.url()], &cache, None),
        &format!(
            "chart \"nope\" not found in {} repository; charts it has: demo",
            s.url()
        ),
    );
    fails(
        &pull_demo(&s.url(), &cache, &["--version", "2.x"]),
        "no chart version matches \"2.x\"; versions that exist: 0.3.0-beta.1, 0.2.0, 0.1.0",
    );
    // Offline, the server gone: only what the cache has.
    let url = s.url();
    drop(s);
    ok(&pull_demo(
        &url,
        &cache,
        &["--offline", "--version", "~0.1", "-d", &d("off")],
    ));
    assert_eq!(
        listing(Path::new(&d("off"))),
        vec!["demo-0.1.0.tgz".to_string()]
    );
    fails(
        &pull_demo(&url, &cache, &["--offline", "--version", "9"]),
        "--offline",
    );
    fails(
        &pull_demo(&url, &cache, &["--version", "9", "--timeout", "2"]),
        "Connection refused",
    );
}

#[test]
fn repository_with_basic_auth() {
    if !tool("python3") {
        return;
    }
    let t = tempfile::tempdir().expect("tmp");
    let cache = t.path().join("cache");
    let root = repo(t.path());
    let s = Server::http(&root, "auth:alice:s3cret");
    let dest = t.path().join("out");
    let ds = dest.to_string_lossy().to_string();
    fails(
        &pull_demo(&s.url(), &cache, &["-d", &ds]),
        "401 (the repository needs credentials",
    );
    fails(
        &pull_demo_stdin(
            &s.url(),
            &cache,
            &["-d", &ds, "--username", "alice", "--password-stdin"],
            Some("wrong\n"),
        ),
        "401",
    );
    assert!(!dest.exists());
    let o = pull_demo_stdin(
        &s.url(),
        &cache,
        &["-d", &ds, "--username", "alice", "--password-stdin"],
        Some("s3cret\n"),
    );
    ok(&o);
    assert!(!err(&o).contains("s3cret"));
    assert_eq!(
        std::fs::read(dest.join("demo-0.2.0.tgz")).expect("pulled"),
        std::fs::read(root.join("demo-0.2.0.tgz")).expect("served")
    );
}

#[test]
fn repository_faults() {
    if !tool("python3") {
        return;
    }
    let t = tempfile::tempdir().expect("tmp");
    let cache = t.path().join("cache");
    let root = repo(t.path());
    let dest = t.path().join("out");
    let ds = dest.to_string_lossy().to_string();

    // An index that lies about a digest: refused, nothing kept.
    let index = std::fs::read_to_string(root.join("index.yaml")).expect("index");
    assert!(index.contains("digest: "), "Helm's index gives digests");
    let liar = t.path().join("liar");
    std::fs::create_dir_all(&liar).expect("mkdir");
    for f in std::fs::read_dir(&root).expect("ls").flatten() {
        std::fs::copy(f.path(), liar.join(f.file_name())).expect("copy");
    }
    std::fs::write(liar.join("index.yaml"), lying_index(&index, "ab")).expect("write");
    let s = Server::http(&liar, "plain");
    fails(
        &pull_demo(&s.url(), &cache, &["-d", &ds]),
        "but the index says sha256:abab",
    );
    assert!(!dest.exists());
    assert!(listing(&cache).is_empty(), "{:?}", listing(&cache));
    drop(s);

    // index.yaml that is not YAML.
    let bad = t.path().join("bad");
    std::fs::create_dir_all(&bad).expect("mkdir");
    std::fs::write(bad.join("index.yaml"), "entries: {demo: [\n").expect("write");
    let s = Server::http(&bad, "plain");
    fails(
        &pchart(&["pull", "demo", "--repo", &s.url()], &cache, None),
        "/index.yaml: not a valid index",
    );
    drop(s);

    // An archive with a path escaping its root: pulled as is (as Helm),
    // refused by --untar with nothing written.
    let evil = t.path().join("evil");
    std::fs::create_dir_all(&evil).expect("mkdir");
    let py = format!(
        r#"
import io, tarfile
with tarfile.open("{0}/demo-0.1.0.tgz", "w:gz") as t:
    for name, data in [("demo/Chart.yaml", b"apiVersion: v2\nname: demo\nversion: 0.1.0\n"), ("demo/../../escaped", b"x")]:
        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
"#,
        evil.display()
    );
    assert!(
        std::process::Command::new("python3")
            .args(["-c", &py])
            .status()
            .expect("python3")
            .success()
    );
    // Helm's index generator skips such an archive, so the index is ours.
    std::fs::write(
        evil.join("index.yaml"),
        "apiVersion: v1\nentries:\n  demo:\n  - name: demo\n    version: 0.1.0\n    urls: [demo-0.1.0.tgz]\n",
    )
    .expect("write");
    let s = Server::http(&evil, "plain");
    let ud = t.path().join("untar");
    fails(
        &pull_demo(&s.url(), &cache, &["--untar", "-d", &ud.to_string_lossy()]),
        "demo 0.1.0: chart illegally references parent directory",
    );
    assert!(listing(&ud).is_empty(), "{:?}", listing(&ud));
    assert!(!t.path().join("escaped").exists());
    drop(s);

    // Servers that answer 403, 500, slowly, or not in HTTP.
    for (mode, words) in [
        ("status:403", "403 (forbidden"),
        ("status:500", "/index.yaml: 500"),
        ("slow", "timed out"),
        ("garbage", "GET http://"),
    ] {
        let s = Server::http(&root, mode);
        fails(
            &pull_demo(&s.url(), &cache, &["--timeout", "1", "-d", &ds]),
            words,
        );
        assert!(!dest.exists(), "{mode}");
    }
}
