//! Packaging a chart folder into `NAME-VERSION.tgz` for `file://`
//! dependencies: the files the chart loader reads (`.helmignore`
//! honoured, links kept inside the chart) under a `NAME/` top folder,
//! regular files with mode 0644. The archive loads into the same chart as
//! the folder; it is not byte-identical to Helm's, whose gzip stream and
//! re-serialised Chart.yaml differ.

use std::io::Write;
use std::path::Path;

use crate::chart::dir::read_dir;

/// The archive bytes of the chart folder `dir`, named `name`.
pub fn package(dir: &Path, name: &str) -> Result<Vec<u8>, String> {
    let files = read_dir(dir).map_err(|e| e.to_string())?;
    // SOURCE_DATE_EPOCH makes archives reproducible; else now, like Helm.
    let mtime = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    for (rel, data) in &files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(mtime);
        h.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut h, format!("{name}/{rel}"), data.as_slice())
            .map_err(|e| format!("{}: packaging {rel}: {e}", dir.display()))?;
    }
    let gz = tar
        .into_inner()
        .map_err(|e| format!("{}: packaging: {e}", dir.display()))?;
    let mut out = gz
        .finish()
        .map_err(|e| format!("{}: packaging: {e}", dir.display()))?;
    out.flush().map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_as_the_same_chart() {
        let Ok(t) = tempfile::tempdir() else { return };
        let d = t.path().join("c");
        let _ = std::fs::create_dir_all(d.join("templates"));
        let _ = std::fs::write(
            d.join("Chart.yaml"),
            "apiVersion: v2\nname: c\nversion: 0.1.0\n",
        );
        let _ = std::fs::write(d.join("templates/a.yaml"), "a: {{ .Values.x }}\n");
        let _ = std::fs::write(d.join("values.yaml"), "x: 1\n");
        let _ = std::fs::write(d.join(".helmignore"), "*.bak\n");
        let _ = std::fs::write(d.join("old.bak"), "x");
        let bytes = package(&d, "c").unwrap_or_default();
        let files = crate::chart::archive::read_archive(&bytes).unwrap_or_default();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            vec![
                ".helmignore",
                "Chart.yaml",
                "templates/a.yaml",
                "values.yaml"
            ]
        );
    }
}
