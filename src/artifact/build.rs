//! A reproducible OCI image of a resource folder: DIR's files at the image
//! root (as a Dockerfile's `COPY` puts them) in one tar+gzip layer, one
//! image manifest per platform sharing that layer, under one image index.
//! Image-shaped on purpose: containerd unpacks (and so mounts as an image
//! volume) only an image config with `rootfs.diff_ids` and image layer
//! media types; CRI-O treats a config with `artifactType` as an artifact.
//!
//! Reproducible: entries sorted by path, owners zeroed, modes normalized
//! (0755 folders, 0644 files), every time the `created` time, gzip header
//! without name or time. The same files give the same digests anywhere.

use std::io::Write;
use std::path::{Path, PathBuf};
pub const MEDIA_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const MEDIA_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const MEDIA_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const MEDIA_LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// Largest single file and largest total put in an artifact.
pub const MAX_FILE_SIZE: u64 = 64 << 20;
pub const MAX_TOTAL_SIZE: u64 = 512 << 20;

/// `os/arch[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub arch: String,
    pub variant: Option<String>,
}

impl Platform {
    pub fn parse(s: &str) -> Result<Platform, String> {
        let parts: Vec<&str> = s.split('/').collect();
        let ok =
            |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        match parts.as_slice() {
            [os, arch] if ok(os) && ok(arch) => Ok(Platform {
                os: os.to_string(),
                arch: arch.to_string(),
                variant: None,
            }),
            [os, arch, v] if ok(os) && ok(arch) && ok(v) => Ok(Platform {
                os: os.to_string(),
                arch: arch.to_string(),
                variant: Some(v.to_string()),
            }),
            _ => Err(format!(
                "platform {s:?}: expected os/arch or os/arch/variant, e.g. linux/amd64"
            )),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("architecture".into(), self.arch.clone().into());
        m.insert("os".into(), self.os.clone().into());
        if let Some(v) = &self.variant {
            m.insert("variant".into(), v.clone().into());
        }
        serde_json::Value::Object(m)
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.arch)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub platforms: Vec<Platform>,
    /// Seconds since the epoch: every time in the image.
    pub created: i64,
    /// Annotations of the index and of each manifest (sorted by key).
    pub annotations: Vec<(String, String)>,
}

/// One blob: its bytes, digest (`sha256:…`) and media type.
#[derive(Debug, Clone)]
pub struct Blob {
    pub media_type: &'static str,
    pub digest: String,
    pub bytes: Vec<u8>,
}

impl Blob {
    pub fn new(media_type: &'static str, bytes: Vec<u8>) -> Blob {
        Blob {
            media_type,
            digest: sha256(&bytes),
            bytes,
        }
    }

    pub fn descriptor(&self) -> serde_json::Value {
        serde_json::json!({
            "mediaType": self.media_type,
            "digest": self.digest,
            "size": self.bytes.len(),
        })
    }
}

pub use crate::oci::sha256;

/// The built image: the index blob and every blob it reaches.
#[derive(Debug)]
pub struct Image {
    pub index: Blob,
    /// Layer, configs and manifests (no duplicates).
    pub blobs: Vec<Blob>,
}

/// A file or folder to put in the layer, relative to DIR with `/`.
#[derive(Debug)]
struct Entry {
    path: String,
    dir: bool,
    source: PathBuf,
}

/// Every entry under `dir`, refusing what an image layer should not carry
/// from a resource folder: symlinks (they could point outside DIR),
/// devices, FIFOs, sockets, non-UTF-8 names, files over the size limit.
fn collect(dir: &Path) -> Result<Vec<Entry>, String> {
    let files = super::validate::walk(dir)?;
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for (rel, ft) in files {
        let source = dir.join(&rel);
        let shown = source.display();
        let Some(path) = rel.to_str() else {
            return Err(format!("{shown}: the name is not valid UTF-8"));
        };
        if path.split('/').any(|s| s == ".." || s == ".") {
            return Err(format!("{shown}: path escapes the folder"));
        }
        if ft.is_symlink() {
            return Err(format!(
                "{shown}: a symbolic link (copy the file it points to instead: links may point outside the folder)"
            ));
        }
        if ft.is_dir() {
            out.push(Entry {
                path: format!("{path}/"),
                dir: true,
                source,
            });
            continue;
        }
        if !ft.is_file() {
            return Err(format!(
                "{shown}: not a regular file (a device, FIFO or socket)"
            ));
        }
        let len = std::fs::symlink_metadata(&source)
            .map_err(|e| format!("{shown}: {}", crate::input::io_reason(&e)))?
            .len();
        if len > MAX_FILE_SIZE {
            return Err(format!(
                "{shown}: {len} bytes, over the limit of {MAX_FILE_SIZE} bytes per file"
            ));
        }
        total += len;
        if total > MAX_TOTAL_SIZE {
            return Err(format!(
                "{}: more than {MAX_TOTAL_SIZE} bytes in all, over the artifact size limit",
                dir.display()
            ));
        }
        out.push(Entry {
            path: path.to_string(),
            dir: false,
            source,
        });
    }
    // Sorted by the bytes of the full path: the order is the same whatever
    // the file system's.
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The layer's tar: normalized entries.
fn tar_bytes(entries: &[Entry], mtime: u64) -> Result<Vec<u8>, String> {
    let mut b = tar::Builder::new(Vec::new());
    b.mode(tar::HeaderMode::Deterministic);
    for e in entries {
        let mut h = tar::Header::new_ustar();
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(mtime);
        let data = if e.dir {
            h.set_entry_type(tar::EntryType::Directory);
            h.set_mode(0o755);
            Vec::new()
        } else {
            h.set_entry_type(tar::EntryType::Regular);
            h.set_mode(0o644);
            crate::input::read_bounded(
                std::fs::File::open(&e.source).map_err(|err| {
                    format!("{}: {}", e.source.display(), crate::input::io_reason(&err))
                })?,
                MAX_FILE_SIZE,
            )
            .map_err(|err| format!("{}: {}", e.source.display(), err.reason()))?
        };
        h.set_size(data.len() as u64);
        let _ = h.set_username("");
        let _ = h.set_groupname("");
        b.append_data(&mut h, &e.path, data.as_slice())
            .map_err(|err| format!("{}: cannot add to the layer: {err}", e.path))?;
    }
    b.into_inner()
        .map_err(|e| format!("cannot finish the layer: {e}"))
}

/// gzip with a fixed header: no file name, time 0, unknown OS byte.
fn gzip(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::default());
    enc.write_all(data)
        .and_then(|_| enc.finish())
        .map_err(|e| format!("cannot compress the layer: {e}"))
}

/// RFC 3339 in UTC, seconds precision.
pub fn rfc3339(secs: i64) -> Result<String, String> {
    let t = jiff::Timestamp::from_second(secs).map_err(|e| format!("time {secs}: {e}"))?;
    Ok(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Compact JSON with sorted keys (serde_json's map), so equal content
/// serializes to equal bytes.
fn json_bytes(v: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// Build the image of `dir`.
pub fn build(dir: &Path, opts: &BuildOptions) -> Result<Image, String> {
    if opts.platforms.is_empty() {
        return Err("no platform to build for".into());
    }
    let created = rfc3339(opts.created)?;
    let entries = collect(dir)?;
    let tar = tar_bytes(&entries, opts.created.max(0) as u64)?;
    let diff_id = sha256(&tar);
    let layer = Blob::new(MEDIA_LAYER, gzip(&tar)?);
    let mut annotations = serde_json::Map::new();
    for (k, v) in &opts.annotations {
        annotations.insert(k.clone(), v.clone().into());
    }
    let mut blobs = vec![layer.clone()];
    let mut manifests = Vec::new();
    for p in &opts.platforms {
        let mut config = p.json();
        if let serde_json::Value::Object(m) = &mut config {
            m.insert("created".into(), created.clone().into());
            m.insert("config".into(), serde_json::json!({}));
            m.insert(
                "rootfs".into(),
                serde_json::json!({"type": "layers", "diff_ids": [diff_id]}),
            );
        }
        let config = Blob::new(MEDIA_CONFIG, json_bytes(&config));
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": MEDIA_MANIFEST,
            "config": config.descriptor(),
            "layers": [layer.descriptor()],
            "annotations": annotations,
        });
        let manifest = Blob::new(MEDIA_MANIFEST, json_bytes(&manifest));
        let mut d = manifest.descriptor();
        if let serde_json::Value::Object(m) = &mut d {
            m.insert("platform".into(), p.json());
        }
        manifests.push(d);
        for b in [config, manifest] {
            if !blobs.iter().any(|x| x.digest == b.digest) {
                blobs.push(b);
            }
        }
    }
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": MEDIA_INDEX,
        "manifests": manifests,
        "annotations": annotations,
    });
    Ok(Image {
        index: Blob::new(MEDIA_INDEX, json_bytes(&index)),
        blobs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms() {
        assert_eq!(
            Platform::parse("linux/arm64").map(|p| p.to_string()),
            Ok("linux/arm64".into())
        );
        assert_eq!(
            Platform::parse("linux/arm/v7").map(|p| p.to_string()),
            Ok("linux/arm/v7".into())
        );
        assert!(Platform::parse("linux").is_err());
        assert!(Platform::parse("linux//x").is_err());
    }

    #[test]
    fn times() {
        assert_eq!(rfc3339(0).as_deref(), Ok("1970-01-01T00:00:00Z"));
        assert_eq!(
            rfc3339(1_700_000_000).as_deref(),
            Ok("2023-11-14T22:13:20Z")
        );
    }
}
