//! `pchart artifact validate`: the resources of a directory as Perses
//! provisioning reads them (perses/perses v0.54.0,
//! `internal/cli/file.UnmarshalEntitiesFromDirectory` and
//! `internal/api/provisioning`): every `.json`, `.yaml` and `.yml` file,
//! recursively, in lexical order; one refused object skips its whole file;
//! projects are applied first and a resource in a missing project is
//! refused; names are compared lower-cased unless the database is
//! case-sensitive.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::perses::{Identity, What, check_object};
use super::tree;
use crate::lint::rules::artifact as rules;
use crate::lint::{Finding, RuleInfo, Severity};

/// What to validate against.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Projects that exist on the server already (`--project`).
    pub projects: Vec<String>,
    /// Perses's `database.case_sensitive` (default false).
    pub case_sensitive: bool,
}

/// The result: findings, and the resources Perses would load.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub resources: Vec<(String, Identity)>,
    /// Files Perses would read (with a provisioning extension).
    pub files: usize,
}

/// A file Perses reads: by its extension exactly (`filepath.Ext`).
pub fn is_resource_file(name: &str) -> bool {
    name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml")
}

/// Every file under `root`, in Go's `filepath.Walk` order (lexical by
/// name within each folder; symlinks to folders not followed), as paths
/// relative to `root`.
pub fn walk(root: &Path) -> Result<Vec<(PathBuf, std::fs::FileType)>, String> {
    let mut out = Vec::new();
    walk_into(root, Path::new(""), &mut out)?;
    Ok(out)
}

fn walk_into(
    root: &Path,
    rel: &Path,
    out: &mut Vec<(PathBuf, std::fs::FileType)>,
) -> Result<(), String> {
    let dir = root.join(rel);
    let reason = crate::input::io_reason;
    let mut entries: Vec<(std::ffi::OsString, std::fs::FileType)> = Vec::new();
    for e in std::fs::read_dir(&dir).map_err(|e| format!("{}: {}", dir.display(), reason(&e)))? {
        let e = e.map_err(|e| format!("{}: {}", dir.display(), reason(&e)))?;
        let ft = e
            .file_type()
            .map_err(|err| format!("{}: {}", e.path().display(), reason(&err)))?;
        entries.push((e.file_name(), ft));
    }
    entries.sort_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));
    for (name, ft) in entries {
        let p = rel.join(&name);
        if ft.is_dir() {
            out.push((p.clone(), ft));
            walk_into(root, &p, out)?;
        } else {
            out.push((p, ft));
        }
    }
    Ok(())
}

fn finding(
    info: &RuleInfo,
    severity: Severity,
    file: &str,
    line: usize,
    column: usize,
    message: String,
) -> Finding {
    Finding {
        rule: info.code,
        severity,
        message,
        file: file.to_string(),
        line,
        column,
        path: String::new(),
        object: String::new(),
    }
}

/// Validate the resources under `root`. `Err` is an input error (the
/// folder cannot be read); problems in files are findings.
pub fn validate(root: &Path, opts: &Options) -> Result<Report, String> {
    let meta = std::fs::metadata(root)
        .map_err(|e| format!("{}: {}", root.display(), crate::input::io_reason(&e)))?;
    if !meta.is_dir() {
        return Err(format!("{}: not a directory", root.display()));
    }
    let mut report = Report::default();
    let invalid = &rules::RESOURCE_INVALID.info;
    for (rel, ft) in walk(root)? {
        if ft.is_dir() {
            continue;
        }
        let shown = root.join(&rel).display().to_string();
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !is_resource_file(&name) {
            report.findings.push(finding(
                invalid,
                Severity::Note,
                &shown,
                0,
                0,
                "ignored: Perses provisioning reads only .json, .yaml and .yml files".into(),
            ));
            continue;
        }
        report.files += 1;
        check_file(root, &rel, &shown, &mut report);
    }
    cross_checks(opts, &mut report);
    report.findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.rule, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.rule, &b.message))
    });
    Ok(report)
}

fn check_file(root: &Path, rel: &Path, shown: &str, report: &mut Report) {
    let invalid = &rules::RESOURCE_INVALID.info;
    let skip = |line, column, why: String| {
        finding(
            invalid,
            Severity::Error,
            shown,
            line,
            column,
            format!("{why}; Perses skips this file"),
        )
    };
    let text = match crate::input::read_file(&root.join(rel)) {
        Err(e) => {
            report
                .findings
                .push(skip(0, 0, format!("cannot read the file: {}", e.reason())));
            return;
        }
        Ok(b) => match String::from_utf8(b) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                report.findings.push(skip(
                    0,
                    0,
                    format!("not valid UTF-8 (invalid byte at offset {at})"),
                ));
                return;
            }
        },
    };
    let parsed = match tree::parse(&text) {
        Ok(p) => p,
        Err(e) => {
            report
                .findings
                .push(skip(0, 0, format!("neither JSON nor YAML: {e}")));
            return;
        }
    };
    if !parsed.json && parsed.documents > 1 {
        report.findings.push(finding(
            invalid,
            Severity::Error,
            shown,
            0,
            0,
            format!(
                "{} YAML documents: Perses reads only the first and ignores the others silently (write one list of resources instead)",
                parsed.documents
            ),
        ));
    }
    let objects: Vec<&tree::Node> = match &parsed.root {
        None => Vec::new(),
        Some(n) => match &n.kind {
            tree::Kind::List(l) => l.iter().collect(),
            tree::Kind::Map(_) => vec![n],
            tree::Kind::Null => Vec::new(),
            _ => {
                report.findings.push(skip(
                    n.line,
                    n.column,
                    format!(
                        "the file holds a {}, not a resource or a list of resources",
                        n.type_name()
                    ),
                ));
                return;
            }
        },
    };
    if objects.is_empty() {
        report
            .findings
            .push(skip(0, 0, "no data (the file is empty)".into()));
        return;
    }
    let mut ids = Vec::new();
    let mut refused = false;
    for (i, obj) in objects.iter().enumerate() {
        let (issues, id) = check_object(obj, i, parsed.json);
        for is in issues {
            let f = match is.what {
                What::Invalid => {
                    refused = true;
                    skip(is.line, is.column, is.message)
                }
                What::NewerNameRule => finding(
                    invalid,
                    Severity::Warning,
                    shown,
                    is.line,
                    is.column,
                    is.message,
                ),
                What::Secret => {
                    let info = &rules::PLAINTEXT_SECRET.info;
                    finding(info, info.severity, shown, is.line, is.column, is.message)
                }
            };
            report.findings.push(f);
        }
        ids.extend(id);
    }
    // One refused object loses the whole file, valid objects included.
    if !refused {
        report
            .resources
            .extend(ids.into_iter().map(|id| (shown.to_string(), id)));
    }
}

/// Projects (PC027) and duplicates (PC028) across the files Perses loads.
fn cross_checks(opts: &Options, report: &mut Report) {
    let fold = |s: &str| {
        if opts.case_sensitive {
            s.to_string()
        } else {
            s.to_lowercase()
        }
    };
    let mut projects: Vec<String> = opts.projects.iter().map(|p| fold(p)).collect();
    for (_, id) in &report.resources {
        if id.kind == "Project" {
            projects.push(fold(&id.name));
        }
    }
    let missing = &rules::PROJECT_MISSING.info;
    let dup = &rules::DUPLICATE.info;
    let mut seen: BTreeMap<(String, String, String), (String, usize)> = BTreeMap::new();
    let mut out = Vec::new();
    for (file, id) in &report.resources {
        if !id.project.is_empty() && !projects.contains(&fold(&id.project)) {
            out.push(finding(
                missing,
                missing.severity,
                file,
                id.line,
                id.column,
                format!(
                    "{} {:?} is in project {:?}, which is neither in the artifact nor given with --project: Perses refuses it",
                    id.kind, id.name, id.project
                ),
            ));
        }
        let key = (id.kind.clone(), fold(&id.project), fold(&id.name));
        match seen.get(&key) {
            Some((f, l)) => out.push(finding(
                dup,
                dup.severity,
                file,
                id.line,
                id.column,
                format!(
                    "{} {:?}{} is also defined at {f}:{l}; Perses keeps only the one it reads last",
                    id.kind,
                    id.name,
                    if id.project.is_empty() {
                        String::new()
                    } else {
                        format!(" in project {:?}", id.project)
                    }
                ),
            )),
            None => {
                seen.insert(key, (file.clone(), id.line));
            }
        }
    }
    report.findings.extend(out);
}
