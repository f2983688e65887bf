//! Reading a chart directory into a file list, honouring `.helmignore`.
//! Symbolic links are followed only while they stay inside the chart.

use std::path::{Path, PathBuf};

use super::helmignore::Rules;
use super::{LoadError, MAX_CHART_SIZE, MAX_FILE_SIZE, io_reason};

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
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| err(dir, &e))?
        .map(|e| e.map(|e| e.path()).map_err(|e| err(dir, &e)))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        let rel = p
            .strip_prefix(root)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        let lmeta = std::fs::symlink_metadata(&p).map_err(|e| err(&p, &e))?;
        if lmeta.file_type().is_symlink() {
            let target = std::fs::canonicalize(&p).map_err(|e| err(&p, &e))?;
            if !target.starts_with(base) {
                return Err(LoadError(format!(
                    "{}: symlink points outside the chart ({})",
                    p.display(),
                    target.display()
                )));
            }
        }
        let meta = std::fs::metadata(&p).map_err(|e| err(&p, &e))?;
        if meta.is_dir() {
            if !rules.ignored(&rel, true) {
                walk(base, root, &p, rules, out, total, depth + 1)?;
            }
            continue;
        }
        if rules.ignored(&rel, false) {
            continue;
        }
        if !meta.is_file() {
            return Err(LoadError(format!(
                "cannot load irregular file {} as it has file mode type bits set",
                p.display()
            )));
        }
        if meta.len() > MAX_FILE_SIZE {
            return Err(LoadError(format!(
                "{}: file is larger than the maximum chart file size of {MAX_FILE_SIZE} bytes",
                p.display()
            )));
        }
        *total += meta.len();
        if *total > MAX_CHART_SIZE {
            return Err(LoadError(format!(
                "{}: chart is larger than the maximum size of {MAX_CHART_SIZE} bytes",
                root.display()
            )));
        }
        let bytes = std::fs::read(&p).map_err(|e| err(&p, &e))?;
        out.push((rel, bytes));
    }
    Ok(())
}
