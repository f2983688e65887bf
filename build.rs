//! Embeds in the binary:
//! - the Perses chart (`charts/perses`): a list of `(relative path,
//!   include_bytes!)` pairs, so `pchart render` works with no chart on disk;
//! - the Kubernetes API schemas (`schemas/k8s/v1.*.json.gz`) as static
//!   tables of raw JSON per type, so `lint` neither inflates nor scans them
//!   at run time and converts only the types a chart uses.

use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

fn main() {
    embed_chart();
    embed_k8s_schemas();
}

fn out_dir() -> PathBuf {
    PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
}

fn embed_k8s_schemas() {
    use std::io::Read;
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&manifest).join("schemas").join("k8s");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut code = String::from("static VERSIONS: [Version; 7] = [\n");
    for minor in 31..=37 {
        let path = dir.join(format!("v1.{minor}.json.gz"));
        println!("cargo:rerun-if-changed={}", path.display());
        let mut text = Vec::new();
        let doc: serde_json::Value = match std::fs::read(&path)
            .map(|gz| flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut text))
        {
            Ok(Ok(_)) => match serde_json::from_slice(&text) {
                Ok(v) => v,
                Err(e) => panic!("{}: {e}", path.display()),
            },
            Ok(Err(e)) | Err(e) => panic!("{}: {e}", path.display()),
        };
        // Offsets into one string per version instead of `&str`s: a static
        // table of pointers would need thousands of relocations at startup.
        let mut text = String::new();
        let mut span = |s: &str| {
            let start = text.len();
            text.push_str(s);
            format!("({start}, {})", text.len())
        };
        let mut resources = String::new();
        if let Some(gvs) = doc["resources"].as_object() {
            for (gv, kinds) in gvs {
                for (kind, entry) in kinds.as_object().into_iter().flatten() {
                    let ty = entry[0].as_str().unwrap_or_default();
                    let scope = entry[1].as_str().unwrap_or("n");
                    resources.push_str(&format!(
                        "            ({}, {}, {}, {scope:?}),\n",
                        span(gv),
                        span(kind),
                        span(ty)
                    ));
                }
            }
        }
        // serde_json's map is sorted by key: the table is searchable.
        let mut types = String::new();
        if let Some(map) = doc["types"].as_object() {
            for (name, t) in map {
                types.push_str(&format!(
                    "            ({}, {}),\n",
                    span(name),
                    span(&t.to_string())
                ));
            }
        }
        code.push_str(&format!(
            "    Version {{\n        minor: {minor},\n        text: {text:?},\n        resources: &[\n{resources}        ],\n        types: &[\n{types}        ],\n    }},\n"
        ));
    }
    code.push_str("];\n");
    let out = out_dir().join("k8s_schemas.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}

fn embed_chart() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&manifest).join("charts").join("perses");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut code = String::from(
        "/// The embedded Perses chart: relative path and contents.\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&root)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if rel == ".gitkeep" {
            continue;
        }
        code.push_str(&format!(
            "    ({:?}, include_bytes!({:?})),\n",
            rel,
            f.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = out_dir().join("embedded_chart.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {e}", out.display());
    }
}
