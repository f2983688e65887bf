//! Paths for reports read by other tools: SARIF `uri`s and GitHub `file=`
//! must name files of the repository, or code scanning drops the result
//! and annotations land nowhere. Findings located elsewhere (a `--set`
//! flag, the embedded chart, standard input, a file outside the
//! repository) keep their location in the message instead.

use std::path::{Component, Path, PathBuf};

use crate::lint::Finding;

/// The repository `cwd` is in: the nearest ancestor with `.git`, else
/// `cwd` itself.
pub fn repository_root(cwd: &Path) -> PathBuf {
    cwd.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(cwd)
        .to_path_buf()
}

/// `a/./b/../c` -> `a/c`, without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// `file` (as a finding names it, relative to `cwd`) relative to `root`,
/// when it is an existing file inside `root`.
pub fn repository_path(file: &str, cwd: &Path, root: &Path) -> Option<String> {
    if file.is_empty() || file.starts_with('<') || file.starts_with('-') {
        return None;
    }
    let abs = normalize(&cwd.join(file));
    let rel = abs.strip_prefix(root).ok()?;
    if rel.as_os_str().is_empty() || !abs.is_file() {
        return None;
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Rewrite each finding's file relative to the repository of `cwd`; a
/// finding located outside it loses its location and names it in the
/// message (`(at --set-string ociArtifacts.image.reference)`).
pub fn keep_repository_paths(findings: &mut [Finding], cwd: &Path) {
    let root = repository_root(cwd);
    for f in findings.iter_mut() {
        if f.file.is_empty() {
            continue;
        }
        match repository_path(&f.file, cwd, &root) {
            Some(p) => f.file = p,
            None => {
                let at = if f.line > 0 {
                    format!("{}:{}", f.file, f.line)
                } else {
                    f.file.clone()
                };
                f.message = format!("{} (at {at})", f.message);
                f.file.clear();
                f.line = 0;
                f.column = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_existing_files_inside_the_root() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        std::fs::create_dir_all(root.join("values")).expect("mkdir");
        std::fs::write(root.join("values/prod.yaml"), "a: 1\n").expect("write");
        let sub = root.join("values");
        assert_eq!(
            repository_path("values/prod.yaml", root, root).as_deref(),
            Some("values/prod.yaml")
        );
        assert_eq!(
            repository_path("prod.yaml", &sub, root).as_deref(),
            Some("values/prod.yaml")
        );
        assert_eq!(
            repository_path("./values/../values/prod.yaml", root, root).as_deref(),
            Some("values/prod.yaml")
        );
        for outside in [
            "--set a.b",
            "<embedded perses chart>/values.yaml",
            "<stdin>",
            "../x.yaml",
            "/etc/passwd",
            "values/missing.yaml",
        ] {
            assert_eq!(repository_path(outside, root, root), None, "{outside}");
        }
    }
}
