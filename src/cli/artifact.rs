//! `pchart artifact`: validate, build, push, resolve and pin the OCI
//! artifact of Perses resources.

use std::path::PathBuf;

use super::registry_args::RegistryArgs;
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
    /// Push an OCI image layout to a registry (blobs checked first, then
    /// uploaded, then manifests, then the index under the tag) and print
    /// REF@sha256:….
    #[command(
        after_help = "Credentials: --username with --password-stdin, else the docker configuration ($DOCKER_CONFIG/config.json or ~/.docker/config.json: credHelpers, auths, credsStore), else anonymous. Basic and Bearer-token registries are both handled. Secrets are never printed.\n\nExit codes: 0 pushed, 2 usage, input or registry error.\n\nExamples:\n  pchart artifact push build/oci ghcr.io/acme/dashboards:v1.2.0\n  echo \"$TOKEN\" | pchart artifact push build/oci ghcr.io/acme/dashboards:v1.2.0 --username acme --password-stdin --output json"
    )]
    Push(PushArgs),
    /// Print the digest a tag points at now (the manifest's bytes hashed,
    /// checked against the registry's Docker-Content-Digest).
    #[command(
        after_help = "Exit codes: 0 resolved, 2 usage, input or registry error.\n\nExample:\n  pchart artifact resolve ghcr.io/acme/dashboards:v1.2.0"
    )]
    Resolve(ResolveArgs),
    /// Pin `ociArtifacts.image.reference` of a values file to the digest
    /// its tag points at now: repo:tag@sha256:…. Without --write, print the
    /// change as a diff; with it, rewrite only that value, atomically,
    /// keeping comments, quoting and order.
    #[command(
        after_help = "Exit codes: 0 already pinned to the current digest (or written with --write), 1 a change to make (printed as a diff), 2 usage, input or registry error.\n\nExamples:\n  pchart artifact pin -f values/prod.yaml\n  pchart artifact pin -f values/prod.yaml --write"
    )]
    Pin(PinArgs),
}

#[derive(Args, Debug)]
pub struct PushArgs {
    /// OCI image layout (from `pchart artifact build`).
    pub layout: PathBuf,
    /// Where to push: registry/repository:tag.
    pub reference: String,
    /// Blobs larger than this many bytes go up in chunks of this size.
    #[arg(long, value_name = "BYTES", default_value_t = 8 << 20)]
    pub chunk_size: usize,
    /// Output: `REF@sha256:…`, or JSON with the digest (for cosign sign).
    #[arg(long, value_enum, default_value = "text")]
    pub output: TextOrJson,
    // Last: its help heading applies to what follows it.
    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Args, Debug)]
pub struct ResolveArgs {
    /// registry/repository:tag
    pub reference: String,
    /// Output: the digest, or JSON with the full reference.
    #[arg(long, value_enum, default_value = "text")]
    pub output: TextOrJson,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Args, Debug)]
pub struct PinArgs {
    /// Values file whose ociArtifacts.image.reference to pin.
    #[arg(long = "values", short = 'f', value_name = "VALUES")]
    pub values: PathBuf,
    /// Rewrite the file (atomically) instead of printing the diff.
    #[arg(long)]
    pub write: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
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
    #[command(flatten)]
    pub output: super::output::FormatArg,
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
        ArtifactCommand::Push(a) => run_push(a),
        ArtifactCommand::Resolve(a) => run_resolve(a),
        ArtifactCommand::Pin(a) => run_pin(a),
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
    let format = a.output.format;
    let color = super::output::use_color(format);
    let mut text = render(format, &report.findings, &FileSources, color);
    if format == Format::Human {
        text.push_str(&format!(
            "{} resource(s) in {} file(s) Perses would load\n",
            report.resources.len(),
            report.files
        ));
    }
    super::output::write_stdout(&text)?;
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
    if output_inside(&a.dir, &a.output) {
        return Err(format!(
            "--output {} is inside {}: the layout would be packed into the next build; write it elsewhere",
            a.output.display(),
            a.dir.display()
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
            let color = super::output::use_color_on_stderr();
            super::output::eprint_line(
                render(Format::Human, &errors, &FileSources, color).trim_end(),
            );
            super::output::eprint_line(
                "nothing built: fix the errors above, or build anyway with --no-validate",
            );
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
    super::output::write_stdout(&format!("{}\n", image.index.digest))?;
    Ok(0)
}

/// Whether `out` (which may not exist yet) lies inside `dir`: its
/// nearest existing ancestor, resolved, plus the rest of the path.
fn output_inside(dir: &std::path::Path, out: &std::path::Path) -> bool {
    let Ok(d) = dir.canonicalize() else {
        return false;
    };
    let out = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::path::Path::new(".").join(out)
    };
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    let mut cur: &std::path::Path = &out;
    loop {
        if let Ok(c) = cur.canonicalize() {
            let full = rest.iter().rev().fold(c, |p, n| p.join(n));
            return full.starts_with(&d);
        }
        match (cur.parent(), cur.file_name()) {
            (Some(p), Some(n)) => {
                rest.push(n);
                cur = p;
            }
            _ => return false,
        }
    }
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

fn client(
    reference: &str,
    r: &RegistryArgs,
    push: bool,
) -> Result<pchart::oci::registry::Client, String> {
    use pchart::oci::registry::{Client, Target};
    let target = Target::parse(reference)?;
    Client::new(target, &r.options()?, push)
}

fn run_push(a: PushArgs) -> Result<u8, String> {
    let mut c = client(&a.reference, &a.registry, true)?;
    if c.target.digest.is_some() {
        return Err(format!(
            "{}: push to a tag (registry/repository:tag), not a digest",
            a.reference
        ));
    }
    if c.target.tag.is_none() {
        return Err(format!(
            "{}: name the tag to push to (…:v1.2.0)",
            a.reference
        ));
    }
    let pushed = pchart::artifact::push::push(&mut c, &a.layout, a.chunk_size)?;
    let name = c.target.name();
    let text = match a.output {
        TextOrJson::Text => format!("{name}@{}\n", pushed.digest),
        TextOrJson::Json => {
            let v = serde_json::json!({
                "reference": format!("{name}@{}", pushed.digest),
                "repository": format!("{}/{}", c.target.registry, c.target.repository),
                "tag": c.target.tag,
                "digest": pushed.digest,
                "uploaded": pushed.uploaded,
                "existing": pushed.existing,
            });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
    };
    super::output::write_stdout(&text)?;
    Ok(0)
}

/// The digest `target`'s tag points at.
fn resolve_tag(c: &mut pchart::oci::registry::Client) -> Result<String, String> {
    let tag = c
        .target
        .tag
        .clone()
        .ok_or_else(|| format!("{}: no tag to resolve", c.target.name()))?;
    let (_, _, digest) = c.get_manifest(&tag)?;
    Ok(digest)
}

fn run_resolve(a: ResolveArgs) -> Result<u8, String> {
    let mut c = client(&a.reference, &a.registry, false)?;
    let digest = resolve_tag(&mut c)?;
    let text = match a.output {
        TextOrJson::Text => format!("{digest}\n"),
        TextOrJson::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&serde_json::json!({
                "reference": format!("{}@{digest}", c.target.name()),
                "digest": digest,
            }))
            .unwrap_or_default()
        ),
    };
    super::output::write_stdout(&text)?;
    Ok(0)
}

const REFERENCE_PATH: [&str; 3] = ["ociArtifacts", "image", "reference"];

fn run_pin(a: PinArgs) -> Result<u8, String> {
    use pchart::artifact::pin::{find_scalar, replace};
    let shown = a.values.display().to_string();
    let text = pchart::input::read_text(&a.values)?;
    let scalar = find_scalar(&text, &REFERENCE_PATH)
        .map_err(|e| format!("{shown}: {e}"))?
        .ok_or_else(|| format!("{shown}: no ociArtifacts.image.reference to pin"))?;
    let current = scalar.value.clone();
    let mut c = client(&current, &a.registry, false)
        .map_err(|e| format!("{shown}: ociArtifacts.image.reference: {e}"))?;
    let digest = resolve_tag(&mut c)?;
    // Keep the reference as written, with the digest set or replaced.
    let base = current.split('@').next().unwrap_or(&current);
    let pinned = format!("{base}@{digest}");
    if pinned == current {
        super::output::eprint_line(&format!(
            "{shown}: {current} is pinned to the digest the tag points at"
        ));
        return Ok(0);
    }
    let new_text = replace(&text, &scalar, &pinned).map_err(|e| format!("{shown}: {e}"))?;
    if a.write {
        pchart::atomic::write_atomic(&a.values, new_text.as_bytes())?;
        super::output::eprint_line(&format!("{shown}: pinned {base} to {digest}"));
        return Ok(0);
    }
    let diff = similar::TextDiff::from_lines(&text, &new_text)
        .unified_diff()
        .header(&shown, &shown)
        .to_string();
    super::output::write_stdout(&diff)?;
    Ok(1)
}

/// `pchart lint` flags that look inside the artifact the values reference.
#[derive(Args, Debug, Clone)]
pub struct LintArtifactArgs {
    /// Look inside the referenced artifact, fetched from its registry
    /// (PC020-PC025 and every `artifact validate` finding on the mounted
    /// part).
    #[arg(long, conflicts_with = "artifact", help_heading = "Artifact")]
    pub pull: bool,
    /// Look inside a local artifact instead: a resource folder or an OCI
    /// image layout.
    #[arg(long, value_name = "DIR|LAYOUT", help_heading = "Artifact")]
    pub artifact: Option<PathBuf>,
    /// Platforms of the nodes, checked against the artifact's (PC023).
    #[arg(
        long = "platform",
        value_delimiter = ',',
        value_name = "OS/ARCH",
        help_heading = "Artifact"
    )]
    pub platforms: Vec<String>,
    /// The registry flags of the lint command (its chart's and the
    /// artifact's registry share them), set by lint.
    #[arg(skip)]
    pub registry: RegistryArgs,
}

impl LintArtifactArgs {
    pub fn wanted(&self) -> bool {
        self.pull || self.artifact.is_some()
    }
}

/// The artifact findings of a lint run.
pub(super) fn lint_findings(
    ctx: &pchart::lint::LintContext,
    a: &LintArtifactArgs,
) -> Result<Vec<pchart::lint::Finding>, String> {
    use pchart::artifact::build::Platform;
    use pchart::artifact::inspect::{Source, inspect};
    let mut platforms = Vec::new();
    for p in &a.platforms {
        platforms.push(Platform::parse(p.trim())?);
    }
    let source = match &a.artifact {
        Some(p) if p.join("oci-layout").is_file() => Source::Layout(p.clone()),
        Some(p) if p.is_dir() => Source::Dir(p.clone()),
        Some(p) => {
            return Err(format!(
                "--artifact {}: not a folder or an OCI image layout",
                p.display()
            ));
        }
        None => Source::Pull(a.registry.options()?),
    };
    inspect(ctx, &source, &platforms)
}
