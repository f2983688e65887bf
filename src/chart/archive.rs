//! Reading a packaged chart (`.tgz`) into a file list. Entries are rooted
//! at the archive's top directory, which is stripped; absolute paths, `..`,
//! links and oversized content are refused before anything is used.

use std::io::Read;
use std::path::Path;

use super::files::from_files;
use super::{Chart, LoadError, MAX_CHART_SIZE, MAX_FILE_SIZE};
use crate::input::io_reason;

/// Load a chart from a `.tgz` file.
pub fn load_archive(path: &Path) -> Result<Chart, LoadError> {
    let io = |e: std::io::Error| LoadError(format!("{}: {}", path.display(), io_reason(&e)));
    let mut bytes = Vec::new();
    let n = std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_CHART_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)? as u64;
    if n > MAX_CHART_SIZE {
        return Err(LoadError(format!(
            "{}: chart archive is larger than the maximum size {MAX_CHART_SIZE}",
            path.display()
        )));
    }
    let where_ = path.display().to_string();
    let list = read_archive(&bytes).map_err(|e| LoadError(format!("{where_}: {e}")))?;
    from_files(list, &where_)
}

/// Normalise an entry name like Helm: drop the first component, clean the
/// rest, refuse anything that could land outside the chart.
fn entry_name(raw: &str) -> Result<Option<String>, String> {
    let delim = if raw.contains('\\') { '\\' } else { '/' };
    let mut parts = raw.split(delim);
    let first = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() && first == "Chart.yaml" {
        return Err("chart yaml not in base directory".into());
    }
    let joined = rest.join("/");
    if joined.starts_with('/') {
        return Err("chart illegally contains absolute paths".into());
    }
    let mut clean: Vec<&str> = Vec::new();
    for c in joined.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if clean.pop().is_none() {
                    return Err("chart illegally references parent directory".into());
                }
            }
            c => clean.push(c),
        }
    }
    if clean.is_empty() {
        if rest.is_empty() {
            return Ok(None);
        }
        return Err(format!(
            "chart illegally contains content outside the base directory: {raw:?}"
        ));
    }
    let n = clean.join("/");
    let b = n.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Err("chart contains illegally named files".into());
    }
    Ok(Some(n))
}

/// Decompressed bytes allowed in total, tar headers included: the file
/// limit plus room for headers (a bomb of millions of empty entries).
const MAX_DECOMPRESSED: u64 = MAX_CHART_SIZE + (MAX_CHART_SIZE / 2);

/// A reader that fails once more than [`MAX_DECOMPRESSED`] bytes came out.
struct Bounded<R> {
    inner: R,
    total: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.total += n as u64;
        if self.total > MAX_DECOMPRESSED {
            return Err(std::io::Error::other(format!(
                "decompressed chart is larger than the maximum size {MAX_DECOMPRESSED}"
            )));
        }
        Ok(n)
    }
}

/// Decompress and list a chart archive, bounded in size.
pub fn read_archive(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let gz = Bounded {
        inner: flate2::read::GzDecoder::new(bytes),
        total: 0,
    };
    let mut tar = tar::Archive::new(gz);
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut total: u64 = 0;
    let entries = tar
        .entries()
        .map_err(|e| format!("not a gzipped tar archive: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("corrupt archive: {e}"))?;
        let kind = entry.header().entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if !kind.is_file() {
            return Err(format!(
                "{raw}: links and special files are not allowed in a chart"
            ));
        }
        let Some(name) = entry_name(&raw)? else {
            continue;
        };
        let mut data = Vec::new();
        // Read one byte past the limit to detect oversized entries without
        // trusting the header's size.
        let n = (&mut entry)
            .take(MAX_FILE_SIZE + 1)
            .read_to_end(&mut data)
            .map_err(|e| format!("corrupt archive: {e}"))? as u64;
        if n > MAX_FILE_SIZE {
            return Err(format!(
                "decompressed chart file {name:?} is larger than the maximum file size {MAX_FILE_SIZE}"
            ));
        }
        total += n;
        if total > MAX_CHART_SIZE {
            return Err(format!(
                "decompressed chart is larger than the maximum size {MAX_CHART_SIZE}"
            ));
        }
        out.push((name, data));
    }
    if out.is_empty() {
        return Err("no files in chart archive".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(entry_name("c/Chart.yaml"), Ok(Some("Chart.yaml".into())));
        assert_eq!(entry_name("c/a/./b"), Ok(Some("a/b".into())));
        assert!(entry_name("c/../../x").is_err());
        assert!(entry_name("c//etc/passwd").is_err());
        assert!(entry_name("Chart.yaml").is_err());
        assert!(entry_name("c/C:/x").is_err());
    }
}
