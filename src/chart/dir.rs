//! Reading a chart directory into a file list, honouring `.helmignore`.
//! Symbolic links are followed only while they stay inside the chart.

use std::io::Read;
use std::path::Path;

use super::helmignore::Rules;
use super::{LoadError, MAX_CHART_SIZE, MAX_FILE_SIZE};
use crate::input::io_reason;

fn err(p: &Path, e: &std::io::Error) -> LoadError {
    LoadError(format!("{}: {}", p.display(), io_reason(e)))
}

/// Every file of the chart at `root`, relative `/`-separated path and bytes,
/// sorted by path.
pub fn read_dir(root: &Path) -> Result<Vec<(String, Vec<u8>)>, LoadError> {
    let meta = std::fs::metadata(root).map_err(|e| err(root, &e))?;
    if !meta.is_dir() {
        return Err(LoadError(format!(
            "{}: not a chart directory",
            root.display()
        )));
    }
    let base = std::fs::canonicalize(root).map_err(|e| err(root, &e))?;
    let ignore_path = root.join(".helmignore");
    let rules = if ignore_path.is_file() {
        let text = std::fs::read_to_string(&ignore_path).map_err(|e| err(&ignore_path, &e))?;
        Rules::parse(&text).map_err(|e| LoadError(format!("{}: {e}", ignore_path.display())))?
    } else {
        Rules::defaults()
    };
    let mut out = Vec::new();
    let mut total = 0u64;
    walk(&base, root, root, &rules, &mut out, &mut total, 0)?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn walk(
    base: &Path,
    root: &Path,
    dir: &Path,
    rules: &Rules,
    out: &mut Vec<(String, Vec<u8>)>,
    total: &mut u64,
    depth: usize,
) -> Result<(), LoadError> {
    // Links inside the chart could form a cycle; no real chart nests this deep.
    if depth > 64 {
        return Err(LoadError(format!(
            "{}: directories nested too deeply (symlink loop?)",
            dir.display()
        )));
    }
    // The directory entry's own type (d_type) saves two stat calls per file;
    // the size comes from fstat on the open file. Path lookups are most of
    // the cost of loading a small chart.
    let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
        .map_err(|e| err(dir, &e))?
        .map(|e| e.map_err(|e| err(dir, &e)))
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let p = entry.path();
        let rel = p
            .strip_prefix(root)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        let mut kind = entry.file_type().map_err(|e| err(&p, &e))?;
        if kind.is_symlink() {
            let target = std::fs::canonicalize(&p).map_err(|e| err(&p, &e))?;
            if !target.starts_with(base) {
                return Err(LoadError(format!(
                    "{}: symlink points outside the chart ({})",
                    p.display(),
                    target.display()
                )));
            }
            kind = std::fs::metadata(&p).map_err(|e| err(&p, &e))?.file_type();
        }
        if kind.is_dir() {
            if !rules.ignored(&rel, true) {
                walk(base, root, &p, rules, out, total, depth + 1)?;
            }
            continue;
        }
        if rules.ignored(&rel, false) {
            continue;
        }
        // Checked before opening: opening a FIFO would block.
        if !kind.is_file() {
            return Err(LoadError(format!(
                "cannot load irregular file {} as it has file mode type bits set",
                p.display()
            )));
        }
        let bytes = read_file(&p, root, total)?;
        out.push((rel, bytes));
    }
    Ok(())
}

fn too_big(p: &Path) -> LoadError {
    LoadError(format!(
        "{}: file is larger than the maximum chart file size of {MAX_FILE_SIZE} bytes",
        p.display()
    ))
}

/// A regular file's bytes, refused past the per-file and whole-chart limits.
fn read_file(p: &Path, root: &Path, total: &mut u64) -> Result<Vec<u8>, LoadError> {
    let mut file = std::fs::File::open(p).map_err(|e| err(p, &e))?;
    let len = file.metadata().map_err(|e| err(p, &e))?.len();
    if len > MAX_FILE_SIZE {
        return Err(too_big(p));
    }
    *total += len;
    if *total > MAX_CHART_SIZE {
        return Err(LoadError(format!(
            "{}: chart is larger than the maximum size of {MAX_CHART_SIZE} bytes",
            root.display()
        )));
    }
    // One byte spare, so the read that finds the end needs no grow; a file
    // that grows meanwhile is read up to the limit and refused.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    (&mut file)
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(p, &e))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_big(p));
    }
    Ok(bytes)
}
