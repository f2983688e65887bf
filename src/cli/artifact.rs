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
