//! `pchart artifact`: validate, build, push, resolve and pin the OCI
//! artifact of Perses resources.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use pchart::artifact::validate::{Options, validate};
use pchart::lint::Severity;
use pchart::report::{Format, Sources, render};

#[derive(Subcommand, Debug)]
pub enum ArtifactCommand {
    /// Check Perses resources as Perses provisioning will read them: files
    /// it would skip (PC026), missing projects (PC027), duplicates
    /// (PC028), credentials in clear text (PC029), ignored files (notes).
    #[command(
        after_help = "Exit codes: 0 no errors (warnings allowed unless --strict), 1 findings, 2 usage or input error.\n\nExamples:\n  pchart artifact validate resources/\n  pchart artifact validate resources/ --subpath prod --project platform\n  pchart artifact validate resources/ --format github"
    )]
    Validate(ValidateArgs),
    /// Build a reproducible OCI image layout of DIR (validated first): an
    /// image index over one image manifest per platform sharing one
    /// tar+gzip layer, mountable as a Kubernetes image volume. Prints the
    /// index digest.
    #[command(
        after_help = "Exit codes: 0 built, 1 validation errors (nothing written), 2 usage or input error.\n\nThe same files give the same digest on any machine: entries sorted, owners zeroed, modes 0644/0755, every time from --created, else SOURCE_DATE_EPOCH, else 1970-01-01.\n\nExamples:\n  pchart artifact build resources/ --output build/oci --tag v1.2.0\n  pchart artifact build resources/ --output build/oci --tag v1.2.0 --source https://github.com/acme/dashboards --revision \"$(git rev-parse HEAD)\" --created \"$(git log -1 --format=%cI)\""
    )]
    Build(BuildArgs),
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Folder of resources: its content goes to the image root.
    pub dir: PathBuf,
    /// OCI image layout folder to write (replaced atomically if it is one).
    #[arg(long, short = 'o', value_name = "LAYOUT")]
    pub output: PathBuf,
    /// Name the image in the layout (`org.opencontainers.image.ref.name`).
    #[arg(long)]
    pub tag: Option<String>,
    /// Platforms, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "linux/amd64,linux/arm64")]
    pub platform: Vec<String>,
    /// Creation time, RFC 3339 [default: SOURCE_DATE_EPOCH, else the epoch].
    #[arg(long, value_name = "RFC3339")]
    pub created: Option<String>,
    /// Source repository URL (`org.opencontainers.image.source`).
    #[arg(long, value_name = "URL")]
    pub source: Option<String>,
    /// Source revision, e.g. a commit (`org.opencontainers.image.revision`).
    #[arg(long, value_name = "REV")]
    pub revision: Option<String>,
    /// Extra annotation of the index and manifests (repeatable).
    #[arg(long = "annotation", value_name = "K=V")]
    pub annotations: Vec<String>,
    /// Build without validating the resources first.
    #[arg(long)]
    pub no_validate: bool,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Folder of resources (the artifact's content).
    pub dir: PathBuf,
    #[command(flatten)]
    pub check: CheckArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,
}

/// Flags shared by `validate` and `build`.
#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// Check only this folder of DIR: the `subPath` the image volume mounts.
    #[arg(long, value_name = "P")]
    pub subpath: Option<String>,
    /// A project that already exists on the Perses server (repeatable).
    #[arg(long = "project", value_name = "NAME")]
    pub projects: Vec<String>,
    /// The Perses database compares names as written
    /// (`database.case_sensitive: true`); by default they are lower-cased.
    #[arg(long)]
    pub case_sensitive: bool,
}

pub fn run(c: ArtifactCommand) -> Result<u8, String> {
    match c {
        ArtifactCommand::Validate(a) => run_validate(a),
        ArtifactCommand::Build(a) => run_build(a),
    }
}

struct FileSources;

impl Sources for FileSources {
    fn text(&self, file: &str) -> Option<String> {
        pchart::input::read_text(std::path::Path::new(file)).ok()
    }
}

/// The folder a subPath names, refusing paths that leave DIR.
fn checked_root(dir: &std::path::Path, subpath: Option<&str>) -> Result<PathBuf, String> {
    let Some(sp) = subpath else {
        return Ok(dir.to_path_buf());
    };
    if sp.starts_with('/') || sp.split('/').any(|s| s == "..") {
        return Err(format!(
            "--subpath {sp:?}: must be a relative path inside the folder, without '..'"
        ));
    }
    let root = dir.join(sp);
    if !root.is_dir() {
        return Err(format!(
            "--subpath {sp:?}: {} is not a folder (an image volume mounting it would fail to start)",
            root.display()
        ));
    }
    Ok(root)
}

fn run_validate(a: ValidateArgs) -> Result<u8, String> {
    let root = checked_root(&a.dir, a.check.subpath.as_deref())?;
    let opts = Options {
        projects: a.check.projects.clone(),
        case_sensitive: a.check.case_sensitive,
    };
    let report = validate(&root, &opts)?;
    let color = a.format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut text = render(a.format, &report.findings, &FileSources, color);
    if a.format == Format::Human {
        text.push_str(&format!(
            "{} resource(s) in {} file(s) Perses would load\n",
            report.resources.len(),
            report.files
        ));
    }
    super::diff::write_stdout(&text)?;
    let errors = report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    let warnings = report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Warning);
    Ok(u8::from(errors || (a.strict && warnings)))
}

/// `--created`, else `SOURCE_DATE_EPOCH`, else 0.
fn created_time(flag: Option<&str>) -> Result<i64, String> {
    if let Some(s) = flag {
        let t: jiff::Timestamp = s
            .parse()
            .map_err(|e| format!("--created {s:?}: not an RFC 3339 time ({e})"))?;
        return Ok(t.as_second());
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.is_empty() => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| format!("SOURCE_DATE_EPOCH {v:?}: not a number of seconds")),
        _ => Ok(0),
    }
}

fn run_build(a: BuildArgs) -> Result<u8, String> {
    use pchart::artifact::build::{BuildOptions, Platform, build, rfc3339};
    let created = created_time(a.created.as_deref())?;
    let mut platforms = Vec::new();
    for p in &a.platform {
        let p = Platform::parse(p.trim())?;
        if !platforms.contains(&p) {
            platforms.push(p);
        }
    }
    let mut annotations: Vec<(String, String)> =
        vec![("org.opencontainers.image.created".into(), rfc3339(created)?)];
    if let Some(s) = &a.source {
        annotations.push(("org.opencontainers.image.source".into(), s.clone()));
    }
    if let Some(r) = &a.revision {
        annotations.push(("org.opencontainers.image.revision".into(), r.clone()));
    }
    for kv in &a.annotations {
        let (k, v) = kv
            .split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .ok_or_else(|| format!("--annotation {kv:?}: expected KEY=VALUE"))?;
        annotations.retain(|(x, _)| x != k);
        annotations.push((k.to_string(), v.to_string()));
    }
    if let Some(t) = &a.tag
        && !valid_tag(t)
    {
        return Err(format!(
            "--tag {t:?}: a tag is 1-128 characters of [A-Za-z0-9_.-], not starting with '.' or '-'"
        ));
    }
    if !a.no_validate {
        let root = checked_root(&a.dir, a.check.subpath.as_deref())?;
        let opts = Options {
            projects: a.check.projects.clone(),
            case_sensitive: a.check.case_sensitive,
        };
        let report = validate(&root, &opts)?;
        let errors: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .cloned()
            .collect();
        if !errors.is_empty() {
            let color = std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            eprint!("{}", render(Format::Human, &errors, &FileSources, color));
            eprintln!("nothing built: fix the errors above, or build anyway with --no-validate");
            return Ok(1);
        }
    }
    let image = build(
        &a.dir,
        &BuildOptions {
            platforms,
            created,
            annotations,
        },
    )?;
    pchart::artifact::layout::write(&a.output, &image, a.tag.as_deref())?;
    super::diff::write_stdout(&format!("{}\n", image.index.digest))?;
    Ok(0)
}

/// The distribution spec's tag grammar: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`.
pub(super) fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"._-".contains(c))
}
