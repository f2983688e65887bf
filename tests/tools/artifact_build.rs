//! `pchart artifact build`: golden digests (the same files give the same
//! digest whatever their mtimes, modes or the umask), the image shape an
//! image volume needs, refused input with nothing written, and skopeo as an
//! independent reader of the layout.

use crate::support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use support::{pchart_io, tool, write};

fn pchart(args: &[&str], env: &[(&str, &str)]) -> Output {
    pchart_io(args, None, env)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The fixed resource tree the golden digests are recorded for.
fn tree(dir: &Path) {
    write(
        dir,
        "projects/demo.yaml",
        "kind: Project\nmetadata: {name: demo}\nspec: {}\n",
    );
    write(
        dir,
        "dashboards/cpu.json",
        "{\"kind\": \"Dashboard\", \"metadata\": {\"name\": \"cpu\", \"project\": \"demo\"}, \"spec\": {\"panels\": {}, \"layouts\": []}}\n",
    );
    write(dir, "datasources/README.md", "not loaded by Perses\n");
}

fn build(dir: &Path, out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let (d, o) = (dir.to_string_lossy(), out.to_string_lossy());
    let mut args = vec!["artifact", "build", &d, "--output", &o];
    args.extend(extra);
    pchart(&args, env)
}

/// Recorded from this implementation on 2026-12-07; any change to the
/// layer, config, manifest or index bytes changes them.
const GOLDEN_EPOCH: &str =
    "sha256:c0399ecba896b7af81cb9988d08024a7b9939a1471b2c9e5e536f873879a6c73";
const GOLDEN_ANNOTATED: &str =
    "sha256:7323604ea87de5b193e4c6375629c251deec5154fc96e7a43cdd68bf83f571ef";

#[test]
fn golden_digests_whatever_the_file_system_says() {
    let outs = tempfile::tempdir().expect("tmp");
    let out = outs.path().join("out");
    let src = tempfile::tempdir().expect("tmp");
    tree(src.path());
    let o = build(src.path(), &out, &[], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), GOLDEN_EPOCH);

    // Same files, other mtimes and modes, written in another order.
    let b = tempfile::tempdir().expect("tmp");
    write(b.path(), "datasources/README.md", "not loaded by Perses\n");
    write(
        b.path(),
        "dashboards/cpu.json",
        "{\"kind\": \"Dashboard\", \"metadata\": {\"name\": \"cpu\", \"project\": \"demo\"}, \"spec\": {\"panels\": {}, \"layouts\": []}}\n",
    );
    write(
        b.path(),
        "projects/demo.yaml",
        "kind: Project\nmetadata: {name: demo}\nspec: {}\n",
    );
    let f = b.path().join("projects/demo.yaml");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    std::fs::set_permissions(
        b.path().join("dashboards"),
        std::fs::Permissions::from_mode(0o700),
    )
    .expect("chmod");
    let file = std::fs::File::options().write(true).open(&f).expect("open");
    file.set_modified(
        std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_234_567_890),
    )
    .expect("mtime");
    let o = build(b.path(), &outs.path().join("out-b"), &[], &[]);
    assert_eq!(stdout(&o).trim(), GOLDEN_EPOCH, "{}", stderr(&o));

    // --created and SOURCE_DATE_EPOCH give the same time; annotations are
    // part of the digest (the tag is not: it names the index in the layout).
    let t = tempfile::tempdir().expect("tmp");
    let flags = [
        "--tag",
        "v1.2.0",
        "--source",
        "https://github.com/acme/dashboards",
        "--revision",
        "abc123",
        "--annotation",
        "team=obs",
    ];
    let mut with_created = flags.to_vec();
    with_created.extend(["--created", "2026-01-02T03:04:05Z"]);
    let o = build(src.path(), &t.path().join("a"), &with_created, &[]);
    assert_eq!(stdout(&o).trim(), GOLDEN_ANNOTATED, "{}", stderr(&o));
    let o = build(
        src.path(),
        &t.path().join("b"),
        &flags,
        &[("SOURCE_DATE_EPOCH", "1767323045")],
    );
    assert_eq!(stdout(&o).trim(), GOLDEN_ANNOTATED, "{}", stderr(&o));
}

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(p).expect("read")).expect("json")
}

fn blob(layout: &Path, digest: &serde_json::Value) -> std::path::PathBuf {
    let d = digest.as_str().expect("digest");
    layout
        .join("blobs/sha256")
        .join(d.trim_start_matches("sha256:"))
}

#[test]
fn image_shaped_for_image_volumes() {
    let src = tempfile::tempdir().expect("tmp");
    tree(src.path());
    let t = tempfile::tempdir().expect("tmp");
    let out = t.path().join("layout");
    let o = build(
        src.path(),
        &out,
        &[
            "--tag",
            "v1",
            "--platform",
            "linux/amd64,linux/arm64,linux/arm/v7",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&out.join("oci-layout"))["imageLayoutVersion"], "1.0.0");
    let top = json(&out.join("index.json"));
    let desc = &top["manifests"][0];
    assert_eq!(
        desc["annotations"]["org.opencontainers.image.ref.name"],
        "v1"
    );
    assert_eq!(desc["digest"], stdout(&o).trim());
    let index = json(&blob(&out, &desc["digest"]));
    assert_eq!(
        index["mediaType"],
        "application/vnd.oci.image.index.v1+json"
    );
    let ms = index["manifests"].as_array().expect("manifests");
    let archs: Vec<String> = ms
        .iter()
        .map(|m| {
            format!("{}/{}", m["platform"]["os"], m["platform"]["architecture"]).replace('"', "")
        })
        .collect();
    assert_eq!(archs, ["linux/amd64", "linux/arm64", "linux/arm"]);
    assert_eq!(ms[2]["platform"]["variant"], "v7");
    let mut layers = Vec::new();
    for m in ms {
        let man = json(&blob(&out, &m["digest"]));
        assert!(man.get("artifactType").is_none());
        assert_eq!(
            man["config"]["mediaType"],
            "application/vnd.oci.image.config.v1+json"
        );
        assert_eq!(
            man["layers"][0]["mediaType"],
            "application/vnd.oci.image.layer.v1.tar+gzip"
        );
        let cfg = json(&blob(&out, &man["config"]["digest"]));
        assert_eq!(cfg["os"], "linux");
        assert_eq!(cfg["architecture"], m["platform"]["architecture"]);
        assert_eq!(cfg["rootfs"]["type"], "layers");
        assert_eq!(cfg["rootfs"]["diff_ids"].as_array().map(Vec::len), Some(1));
        layers.push(man["layers"][0]["digest"].clone());
    }
    assert!(layers.windows(2).all(|w| w[0] == w[1]), "one shared layer");
    // The layer: DIR's content at the root, normalized.
    let gz = std::fs::read(blob(&out, &layers[0])).expect("layer");
    let mut ar = tar::Archive::new(flate2::read::GzDecoder::new(gz.as_slice()));
    let mut names = Vec::new();
    for e in ar.entries().expect("entries") {
        let e = e.expect("entry");
        let h = e.header();
        assert_eq!(
            (h.uid().ok(), h.gid().ok(), h.mtime().ok()),
            (Some(0), Some(0), Some(0))
        );
        let mode = h.mode().expect("mode");
        assert!(mode == 0o644 || mode == 0o755, "{mode:o}");
        names.push(e.path().expect("path").to_string_lossy().into_owned());
    }
    assert_eq!(
        names,
        [
            "dashboards/",
            "dashboards/cpu.json",
            "datasources/",
            "datasources/README.md",
            "projects/",
            "projects/demo.yaml"
        ]
    );
}

/// Makes one kind of bad input in a resource tree.
type Setup = Box<dyn Fn(&Path)>;

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".pchart") || n == "out")
        .collect()
}

#[test]
fn bad_input_is_an_error_and_nothing_is_written() {
    let t = tempfile::tempdir().expect("tmp");
    let cases: Vec<(&str, Setup, &str)> = vec![
        (
            "symlink",
            Box::new(|d: &Path| {
                std::os::unix::fs::symlink("/etc/passwd", d.join("projects/x.yaml"))
                    .expect("symlink");
            }),
            "symbolic link",
        ),
        (
            "fifo",
            Box::new(|d: &Path| {
                let p = d.join("projects/f.yaml");
                let c = std::ffi::CString::new(p.to_string_lossy().as_bytes()).expect("cstr");
                // SAFETY: a valid NUL-terminated path.
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            }),
            "not a regular file",
        ),
        (
            "too big",
            Box::new(|d: &Path| {
                let f = std::fs::File::create(d.join("big.json")).expect("create");
                f.set_len((64 << 20) + 1).expect("sparse");
            }),
            "over the limit",
        ),
    ];
    for (name, setup, msg) in cases {
        let src = t.path().join(format!("src-{}", name.replace(' ', "-")));
        tree(&src);
        setup(&src);
        let o = build(&src, &t.path().join("out"), &["--no-validate"], &[]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(msg), "{name}: {}", stderr(&o));
        assert!(
            leftovers(t.path()).is_empty(),
            "{name}: {:?}",
            leftovers(t.path())
        );
    }
    // Validation errors stop the build: exit 1, nothing written.
    let src = t.path().join("src-invalid");
    tree(&src);
    write(
        &src,
        "dashboards/typo.yaml",
        "kind: Dashbaord\nmetadata: {name: x, project: demo}\n",
    );
    let o = build(&src, &t.path().join("out"), &[], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error[PC026]") && stderr(&o).contains("nothing built"),
        "{}",
        stderr(&o)
    );
    assert!(leftovers(t.path()).is_empty());
    // An existing folder that is not a layout is never replaced.
    let keep = t.path().join("keep");
    write(&keep, "important.txt", "x");
    let o = build(
        &t.path().join("src-symlink"),
        &keep,
        &["--no-validate"],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let src = t.path().join("src-ok");
    tree(&src);
    let o = build(&src, &keep, &[], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not an OCI image layout"),
        "{}",
        stderr(&o)
    );
    assert!(keep.join("important.txt").exists());
    // A layout inside DIR would be packed into the next build.
    let o = build(&src, &src.join("build/oci"), &[], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("inside"), "{}", stderr(&o));
    assert!(!src.join("build").exists());
    // Bad flags.
    for flags in [
        ["--platform", "linux"],
        ["--created", "yesterday"],
        ["--annotation", "novalue"],
        ["--tag", "-bad"],
    ] {
        let o = build(&src, &t.path().join("out"), &flags, &[]);
        assert_eq!(o.status.code(), Some(2), "{flags:?}");
    }
    // Rebuilding over a layout replaces it.
    let lay = t.path().join("lay");
    assert_eq!(
        build(&src, &lay, &["--tag", "a"], &[]).status.code(),
        Some(0)
    );
    assert_eq!(
        build(&src, &lay, &["--tag", "b"], &[]).status.code(),
        Some(0)
    );
    assert_eq!(
        json(&lay.join("index.json"))["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"],
        "b"
    );
}

#[test]
fn skopeo_reads_the_layout_and_copies_it_unchanged() {
    if !tool("skopeo") {
        return;
    }
    let src = tempfile::tempdir().expect("tmp");
    tree(src.path());
    let t = tempfile::tempdir().expect("tmp");
    let out = t.path().join("layout");
    let o = build(src.path(), &out, &["--tag", "v1"], &[]);
    let digest = stdout(&o).trim().to_string();
    let reference = format!("oci:{}:v1", out.display());
    let o = Command::new("skopeo")
        .args(["inspect", &reference])
        .output()
        .expect("skopeo");
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["Digest"], digest.as_str());
    assert_eq!(v["Os"], "linux");
    let o = Command::new("skopeo")
        .args(["--override-arch", "arm64", "inspect", &reference])
        .output()
        .expect("skopeo");
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["Architecture"], "arm64");
    let copy = t.path().join("copy");
    let o = Command::new("skopeo")
        .args([
            "copy",
            "--all",
            &reference,
            &format!("oci:{}:v1", copy.display()),
        ])
        .output()
        .expect("skopeo");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        json(&copy.join("index.json"))["manifests"][0]["digest"],
        digest.as_str()
    );
}
