//! Lists every type that implements `k8s_openapi::Resource` for the enabled
//! Kubernetes version by scanning the k8s-openapi sources (the crate has no
//! runtime registry of its types), and writes a `resources!` invocation
//! that `main.rs` expands into one schema call per type.

use std::path::{Path, PathBuf};

fn enabled() -> (&'static str, u32) {
    for minor in 31..=37 {
        if std::env::var(format!("CARGO_FEATURE_V1_{minor}")).is_ok() {
            let krate = if minor <= 32 { "0.27.1" } else { "0.29.0" };
            return (krate, minor);
        }
    }
    panic!("enable exactly one of the features v1_31 ... v1_37");
}

/// The k8s-openapi source directory: `$K8S_OPENAPI_SRC` (set by
/// generate.sh from `cargo metadata`), else the registry checkout.
fn source_dir(krate: &str) -> PathBuf {
    println!(
        "cargo:rerun-if-env-changed=K8S_OPENAPI_SRC_{}",
        krate.replace('.', "_")
    );
    if let Ok(dir) = std::env::var(format!("K8S_OPENAPI_SRC_{}", krate.replace('.', "_"))) {
        return PathBuf::from(dir);
    }
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo"));
    let reg = home.join("registry").join("src");
    for index in std::fs::read_dir(&reg).expect("cargo registry") {
        let p = index.unwrap().path().join(format!("k8s-openapi-{krate}"));
        if p.is_dir() {
            return p;
        }
    }
    panic!(
        "k8s-openapi {krate} sources not found; set K8S_OPENAPI_SRC_{}",
        krate.replace('.', "_")
    );
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn main() {
    let (krate, minor) = enabled();
    let root = source_dir(krate).join("src").join(format!("v1_{minor}"));
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut types = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for line in text.lines() {
            // `impl crate::Resource for Deployment {` (not the generic List<T>).
            let Some(rest) = line.strip_prefix("impl crate::Resource for ") else {
                continue;
            };
            let Some(name) = rest.strip_suffix(" {") else {
                continue;
            };
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let rel = f.parent().unwrap().strip_prefix(&root).unwrap();
            let module: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            types.push(format!("k8s_openapi::{}::{name}", module.join("::")));
        }
    }
    assert!(
        !types.is_empty(),
        "no Resource impls found under {}",
        root.display()
    );
    let code = format!(
        "pub const K8S_OPENAPI: &str = {krate:?};\npub const MINOR: u32 = {minor};\nresources!({});\n",
        types.join(",\n    ")
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("resources.rs");
    std::fs::write(out, code).unwrap();
}
