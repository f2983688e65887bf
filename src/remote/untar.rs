//! Unpacking a chart archive into `DIR/NAME` as `helm pull --untar` does,
//! through the chart loader's checks (no absolute paths, no `..`, no
//! links, bounded sizes), into a temporary folder renamed into place, so a
//! failure leaves nothing behind.

use std::path::{Path, PathBuf};

use crate::chart::archive::read_archive;
use crate::input::io_reason;

/// `label` names the chart in messages (the archive is in the cache).
pub fn untar(archive: &Path, dir: &Path, name: &str, label: &str) -> Result<PathBuf, String> {
    let data =
        std::fs::read(archive).map_err(|e| format!("{}: {}", archive.display(), io_reason(&e)))?;
    let files = read_archive(&data).map_err(|e| format!("{label}: {e}"))?;
    let target = dir.join(name);
    if target.symlink_metadata().is_ok() {
        return Err(format!(
            "failed to untar: a file or directory with the name {} already exists",
            target.display()
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {}", dir.display(), io_reason(&e)))?;
    let tmp = tempfile::Builder::new()
        .prefix(".pchart-untar-")
        .tempdir_in(dir)
        .map_err(|e| format!("{}: {}", dir.display(), io_reason(&e)))?;
    let root = tmp.path().join(name);
    for (rel, content) in &files {
        let p = root.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("{}: {}", parent.display(), io_reason(&e)))?;
        }
        std::fs::write(&p, content).map_err(|e| format!("{}: {}", p.display(), io_reason(&e)))?;
    }
    std::fs::create_dir_all(&root).map_err(|e| format!("{}: {}", root.display(), io_reason(&e)))?;
    std::fs::rename(&root, &target)
        .map_err(|e| format!("{}: {}", target.display(), io_reason(&e)))?;
    Ok(target)
}
