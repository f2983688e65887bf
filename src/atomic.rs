//! Atomic file writes: the new content goes to a temporary file in the
//! target's directory, which is then renamed over the target, so an
//! interrupted run never leaves a half-written file.

use std::io::Write;
use std::path::Path;

/// Write `data` to `path` atomically, creating parent directories.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if dir.exists() && !dir.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    let reason = crate::input::io_reason;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {}", dir.display(), reason(&e)))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
        format!(
            "{}: cannot create a temporary file: {}",
            dir.display(),
            reason(&e)
        )
    })?;
    tmp.write_all(data)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| format!("{}: {}", path.display(), reason(&e)))?;
    tmp.persist(path)
        .map_err(|e| format!("{}: {}", path.display(), reason(&e.error)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content() {
        let dir = tempfile::tempdir().map_err(|e| e.to_string());
        let Ok(dir) = dir else { return };
        let p = dir.path().join("a/b.txt");
        assert_eq!(write_atomic(&p, b"one"), Ok(()));
        assert_eq!(write_atomic(&p, b"two"), Ok(()));
        assert_eq!(std::fs::read(&p).ok(), Some(b"two".to_vec()));
    }
}
