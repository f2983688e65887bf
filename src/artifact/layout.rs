//! OCI image layout on disk (`oci-layout`, `index.json`, `blobs/sha256/`):
//! written whole into a temporary folder beside the target and renamed into
//! place, so a failed build leaves nothing half written; read back with
//! every blob's hash checked.

use std::path::{Path, PathBuf};

use super::build::{Blob, Image, MEDIA_INDEX, sha256};

const REF_NAME: &str = "org.opencontainers.image.ref.name";

fn io(p: &Path, e: std::io::Error) -> String {
    format!("{}: {}", p.display(), crate::input::io_reason(&e))
}

fn blob_path(root: &Path, digest: &str) -> Result<PathBuf, String> {
    let hex = digest
        .strip_prefix("sha256:")
        .filter(|h| {
            h.len() == 64
                && h.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        })
        .ok_or_else(|| format!("digest {digest:?} is not a sha256 digest"))?;
    Ok(root.join("blobs/sha256").join(hex))
}

/// Write `image` as the layout `out`, its index tagged `tag` if given.
/// An existing layout at `out` is replaced; anything else there is refused.
pub fn write(out: &Path, image: &Image, tag: Option<&str>) -> Result<(), String> {
    if let Ok(m) = std::fs::symlink_metadata(out) {
        let layout = m.is_dir() && out.join("oci-layout").is_file();
        let empty = m.is_dir()
            && std::fs::read_dir(out)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
        if !layout && !empty {
            return Err(format!(
                "{}: exists and is not an OCI image layout; choose another --output",
                out.display()
            ));
        }
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".pchart-layout-")
        .tempdir_in(&parent)
        .map_err(|e| io(&parent, e))?;
    let root = tmp.path();
    std::fs::create_dir_all(root.join("blobs/sha256")).map_err(|e| io(root, e))?;
    let put = |p: PathBuf, bytes: &[u8]| std::fs::write(&p, bytes).map_err(|e| io(&p, e));
    put(
        root.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )?;
    for b in image.blobs.iter().chain([&image.index]) {
        put(blob_path(root, &b.digest)?, &b.bytes)?;
    }
    let mut desc = image.index.descriptor();
    if let (Some(t), serde_json::Value::Object(m)) = (tag, &mut desc) {
        m.insert("annotations".into(), serde_json::json!({ REF_NAME: t }));
    }
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": MEDIA_INDEX,
        "manifests": [desc],
    });
    put(
        root.join("index.json"),
        &serde_json::to_vec(&index).unwrap_or_default(),
    )?;
    // Durable before the rename makes it visible.
    if let Ok(f) = std::fs::File::open(root.join("index.json")) {
        let _ = f.sync_all();
    }
    let kept = tmp.keep();
    if out.exists() {
        // Swap: the old layout moves aside, the new one in, the old goes.
        let old = parent.join(format!(".pchart-old-{}", std::process::id()));
        std::fs::rename(out, &old).map_err(|e| io(out, e))?;
        if let Err(e) = std::fs::rename(&kept, out) {
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(&kept);
            return Err(io(out, e));
        }
        let _ = std::fs::remove_dir_all(&old);
    } else if let Err(e) = std::fs::rename(&kept, out) {
        let _ = std::fs::remove_dir_all(&kept);
        return Err(io(out, e));
    }
    Ok(())
}

/// A layout read back: the chosen top descriptor and a blob reader.
pub struct Layout {
    pub root: PathBuf,
    /// The descriptor in `index.json` (an image index or a manifest).
    pub top: serde_json::Value,
}

impl Layout {
    /// Open `root`, choosing the entry tagged `tag`, or the only entry.
    pub fn open(root: &Path, tag: Option<&str>) -> Result<Layout, String> {
        let p = root.join("oci-layout");
        let text = std::fs::read_to_string(&p).map_err(|e| {
            format!(
                "{}: not an OCI image layout ({})",
                root.display(),
                crate::input::io_reason(&e)
            )
        })?;
        let v: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))?;
        if v["imageLayoutVersion"] != "1.0.0" {
            return Err(format!("{}: unsupported imageLayoutVersion", p.display()));
        }
        let p = root.join("index.json");
        let bytes =
            crate::input::read_file(&p).map_err(|e| format!("{}: {}", p.display(), e.reason()))?;
        let v: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", p.display()))?;
        let list = v["manifests"].as_array().cloned().unwrap_or_default();
        let top = match tag {
            Some(t) => list
                .into_iter()
                .find(|d| d["annotations"][REF_NAME] == t)
                .ok_or_else(|| format!("{}: no image tagged {t:?}", root.display()))?,
            None => match list.len() {
                1 => list.into_iter().next().unwrap_or_default(),
                0 => return Err(format!("{}: the layout holds no image", root.display())),
                n => {
                    return Err(format!(
                        "{}: {n} images in the layout; name one with LAYOUT:TAG",
                        root.display()
                    ));
                }
            },
        };
        Ok(Layout {
            root: root.to_path_buf(),
            top,
        })
    }

    /// A blob's bytes, refused when its hash or size is not the descriptor's.
    pub fn blob(&self, desc: &serde_json::Value) -> Result<Vec<u8>, String> {
        let digest = desc["digest"]
            .as_str()
            .ok_or("a descriptor without a digest")?;
        let p = blob_path(&self.root, digest)?;
        let bytes = std::fs::read(&p).map_err(|e| io(&p, e))?;
        let got = sha256(&bytes);
        if got != digest {
            return Err(format!(
                "{}: content hashes to {got}, not {digest}: the layout is corrupt",
                p.display()
            ));
        }
        if desc["size"].as_u64() != Some(bytes.len() as u64) {
            return Err(format!(
                "{}: {} bytes, but the descriptor says {}",
                p.display(),
                bytes.len(),
                desc["size"]
            ));
        }
        Ok(bytes)
    }

    /// Every blob reachable from the top descriptor, children before the
    /// manifests and indexes that list them (the order a push needs).
    pub fn blobs(&self) -> Result<Vec<Blob>, String> {
        let mut out: Vec<Blob> = Vec::new();
        self.walk(&self.top.clone(), &mut out, 0)?;
        Ok(out)
    }

    fn walk(
        &self,
        desc: &serde_json::Value,
        out: &mut Vec<Blob>,
        depth: usize,
    ) -> Result<(), String> {
        if depth > 4 {
            return Err("indexes nested too deep".into());
        }
        let bytes = self.blob(desc)?;
        let media = desc["mediaType"].as_str().unwrap_or_default();
        let media_type = known_media(media);
        if media_type == MEDIA_INDEX || media_type == super::build::MEDIA_MANIFEST {
            let v: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", desc["digest"]))?;
            if media_type == MEDIA_INDEX {
                for d in v["manifests"].as_array().cloned().unwrap_or_default() {
                    self.walk(&d, out, depth + 1)?;
                }
            } else {
                for d in std::iter::once(v["config"].clone())
                    .chain(v["layers"].as_array().cloned().unwrap_or_default())
                {
                    let b = self.blob(&d)?;
                    let m = known_media(d["mediaType"].as_str().unwrap_or_default());
                    if !out.iter().any(|x| x.digest == sha256(&b)) {
                        out.push(Blob::new(m, b));
                    }
                }
            }
        }
        if !out.iter().any(|x| x.digest == desc["digest"]) {
            out.push(Blob::new(media_type, bytes));
        }
        Ok(())
    }
}

/// Media types as static strings (the push sends them as Content-Type).
pub fn known_media(m: &str) -> &'static str {
    use super::build::*;
    match m {
        MEDIA_INDEX => MEDIA_INDEX,
        MEDIA_MANIFEST => MEDIA_MANIFEST,
        MEDIA_CONFIG => MEDIA_CONFIG,
        MEDIA_LAYER => MEDIA_LAYER,
        "application/vnd.docker.distribution.manifest.v2+json" => {
            "application/vnd.docker.distribution.manifest.v2+json"
        }
        "application/vnd.docker.distribution.manifest.list.v2+json" => {
            "application/vnd.docker.distribution.manifest.list.v2+json"
        }
        _ => "application/octet-stream",
    }
}
