//! The chart cache: archives under `blobs/sha256/<hex>.tgz`, named by the
//! hash of their bytes (checked again on every read), and for each chart
//! source the digest each version resolved to, under
//! `refs/<hash of the source>/<version>`. Every file is written
//! atomically, so an interrupted fetch leaves nothing half-written.

use std::path::{Path, PathBuf};

use crate::atomic::write_atomic;

fn hex(digest: &str) -> Option<&str> {
    digest
        .strip_prefix("sha256:")
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn blob_path(dir: &Path, digest: &str) -> Option<PathBuf> {
    hex(digest).map(|h| dir.join("blobs/sha256").join(format!("{h}.tgz")))
}

/// The cached archive with this digest, if present and intact.
pub fn get_blob(dir: &Path, digest: &str) -> Option<PathBuf> {
    let p = blob_path(dir, digest)?;
    let data = std::fs::read(&p).ok()?;
    (crate::oci::sha256(&data) == digest).then_some(p)
}

/// Store an archive; returns its path.
pub fn put_blob(dir: &Path, digest: &str, data: &[u8]) -> Result<PathBuf, String> {
    let p = blob_path(dir, digest).ok_or_else(|| format!("{digest}: not a sha256 digest"))?;
    if get_blob(dir, digest).is_none() {
        write_atomic(&p, data).map_err(|e| format!("cache: {e}"))?;
    }
    Ok(p)
}

fn ref_dir(dir: &Path, source: &str) -> PathBuf {
    let h = crate::oci::sha256(source.as_bytes());
    dir.join("refs").join(&h["sha256:".len()..][..32])
}

/// Versions are file names: only the characters semver allows.
fn safe_version(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 128
        && !v.starts_with('.')
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
}

/// Record that `source` at `version` is the archive `digest`.
pub fn put_ref(dir: &Path, source: &str, version: &str, digest: &str) -> Result<(), String> {
    if !safe_version(version) {
        return Ok(());
    }
    let d = ref_dir(dir, source);
    write_atomic(&d.join("source"), source.as_bytes()).map_err(|e| format!("cache: {e}"))?;
    write_atomic(&d.join("versions").join(version), digest.as_bytes())
        .map_err(|e| format!("cache: {e}"))
}

/// The digest recorded for `source` at `version`.
pub fn get_ref(dir: &Path, source: &str, version: &str) -> Option<String> {
    if !safe_version(version) {
        return None;
    }
    let d = ref_dir(dir, source).join("versions").join(version);
    let s = std::fs::read_to_string(d).ok()?;
    hex(s.trim()).map(|_| s.trim().to_string())
}

/// Record the manifest digest a registry gave for `source` at `version`
/// (what `helm pull` prints as `Digest:`).
pub fn put_manifest(dir: &Path, source: &str, version: &str, digest: &str) -> Result<(), String> {
    if !safe_version(version) {
        return Ok(());
    }
    let p = ref_dir(dir, source).join("manifests").join(version);
    write_atomic(&p, digest.as_bytes()).map_err(|e| format!("cache: {e}"))
}

/// The manifest digest recorded for `source` at `version`.
pub fn get_manifest(dir: &Path, source: &str, version: &str) -> Option<String> {
    if !safe_version(version) {
        return None;
    }
    let s = std::fs::read_to_string(ref_dir(dir, source).join("manifests").join(version)).ok()?;
    hex(s.trim()).map(|_| s.trim().to_string())
}

/// Every version recorded for `source`.
pub fn versions(dir: &Path, source: &str) -> Vec<String> {
    let d = ref_dir(dir, source).join("versions");
    let Ok(rd) = std::fs::read_dir(d) else {
        return Vec::new();
    };
    rd.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|v| safe_version(v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let Ok(t) = tempfile::tempdir() else { return };
        let data = b"archive";
        let d = crate::oci::sha256(data);
        assert!(get_blob(t.path(), &d).is_none());
        let p = put_blob(t.path(), &d, data);
        assert!(p.is_ok());
        assert_eq!(get_blob(t.path(), &d), p.ok());
        assert_eq!(put_ref(t.path(), "oci://h/a", "1.0.0+b", &d), Ok(()));
        assert_eq!(get_ref(t.path(), "oci://h/a", "1.0.0+b"), Some(d.clone()));
        assert_eq!(versions(t.path(), "oci://h/a"), vec!["1.0.0+b".to_string()]);
        assert!(versions(t.path(), "oci://h/b").is_empty());
        // A damaged archive is not served.
        let _ = std::fs::write(blob_path(t.path(), &d).unwrap_or_default(), b"x");
        assert!(get_blob(t.path(), &d).is_none());
        assert!(put_ref(t.path(), "s", "../x", &d).is_ok());
        assert!(get_ref(t.path(), "s", "../x").is_none());
    }
}
