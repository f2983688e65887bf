//! `pchart lint --artifact DIR|LAYOUT` and `--pull`: look inside the
//! artifact the values reference, as the node and Perses will see it:
//! reachable (PC020), the tag still at the pinned digest (PC021),
//! image-shaped so containerd and CRI-O mount it (PC022), built for the
//! nodes' platforms (PC023), the `subPath` a folder in it (PC024), and
//! something Perses loads under the mounted folder (PC025); then every
//! `artifact validate` finding on the mounted part.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde_json::Value as Json;

use super::build::{MAX_TOTAL_SIZE, Platform};
use super::layout::Layout;
use crate::lint::rules::artifact as rules;
use crate::lint::{Finding, LintContext, RuleInfo};
use crate::oci::registry::{Client, Options as RegistryOptions, Target};

const REFERENCE: &str = "ociArtifacts.image.reference";
const SUBPATH: &str = "ociArtifacts.subPath";

/// Where to look.
pub enum Source {
    /// A folder of resources: the artifact's content as built.
    Dir(PathBuf),
    /// An OCI image layout (from `pchart artifact build` or skopeo).
    Layout(PathBuf),
    /// The registry the reference names.
    Pull(RegistryOptions),
}

/// Manifests, configs and blobs, from a layout or a registry.
trait Blobs {
    fn top(&mut self) -> Result<(Vec<u8>, String, String), String>;
    fn blob(&mut self, desc: &Json, max: u64) -> Result<Vec<u8>, String>;
}

struct LayoutBlobs(Layout);

impl Blobs for LayoutBlobs {
    fn top(&mut self) -> Result<(Vec<u8>, String, String), String> {
        let d = self.0.top.clone();
        let bytes = self.0.blob(&d)?;
        let media = d["mediaType"].as_str().unwrap_or_default().to_string();
        Ok((
            bytes,
            media,
            d["digest"].as_str().unwrap_or_default().to_string(),
        ))
    }
    fn blob(&mut self, desc: &Json, _max: u64) -> Result<Vec<u8>, String> {
        self.0.blob(desc)
    }
}

struct RegistryBlobs {
    client: Client,
    reference: String,
}

impl Blobs for RegistryBlobs {
    fn top(&mut self) -> Result<(Vec<u8>, String, String), String> {
        let r = self.reference.clone();
        self.client.get_manifest(&r)
    }
    fn blob(&mut self, desc: &Json, max: u64) -> Result<Vec<u8>, String> {
        let d = desc["digest"]
            .as_str()
            .ok_or("a descriptor without a digest")?;
        let media = desc["mediaType"].as_str().unwrap_or_default();
        if is_manifest_media(media) {
            return self.client.get_manifest(d).map(|(b, _, _)| b);
        }
        self.client.get_blob(d, max)
    }
}

fn is_index_media(m: &str) -> bool {
    m == "application/vnd.oci.image.index.v1+json"
        || m == "application/vnd.docker.distribution.manifest.list.v2+json"
}

fn is_manifest_media(m: &str) -> bool {
    is_index_media(m)
        || m == "application/vnd.oci.image.manifest.v1+json"
        || m == "application/vnd.docker.distribution.manifest.v2+json"
}

fn image_config_media(m: &str) -> bool {
    m == "application/vnd.oci.image.config.v1+json"
        || m == "application/vnd.docker.container.image.v1+json"
}

fn image_layer_media(m: &str) -> bool {
    m.starts_with("application/vnd.oci.image.layer.v1.tar")
        || m == "application/vnd.docker.image.rootfs.diff.tar.gzip"
}

fn finding(ctx: &LintContext, info: &RuleInfo, path: &str, message: String) -> Finding {
    ctx.at_value(info, path, message)
}

/// The findings of a look inside the artifact; `Err` is an input error
/// (a folder or layout that cannot be read).
pub fn inspect(
    ctx: &LintContext,
    source: &Source,
    node_platforms: &[Platform],
) -> Result<Vec<Finding>, String> {
    let reference = ctx.str_value(REFERENCE);
    if reference.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let extracted;
    let root: PathBuf = match source {
        Source::Dir(d) => d.clone(),
        Source::Layout(p) => {
            let tag = Target::parse(&reference).ok().and_then(|t| t.tag);
            let layout = match Layout::open(p, None) {
                Ok(l) => l,
                Err(e) if e.contains("images in the layout") => Layout::open(p, tag.as_deref())?,
                Err(e) => return Err(e),
            };
            let mut blobs = LayoutBlobs(layout);
            match unpack(ctx, &mut blobs, node_platforms, &mut out)? {
                Some(dir) => {
                    extracted = dir;
                    extracted.path().to_path_buf()
                }
                None => return Ok(out),
            }
        }
        Source::Pull(opts) => {
            let Some(dir) = pull(ctx, &reference, opts, node_platforms, &mut out) else {
                return Ok(out);
            };
            extracted = dir;
            extracted.path().to_path_buf()
        }
    };
    check_content(ctx, &root, source, &reference, &mut out)?;
    Ok(out)
}

fn pull(
    ctx: &LintContext,
    reference: &str,
    opts: &RegistryOptions,
    node_platforms: &[Platform],
    out: &mut Vec<Finding>,
) -> Option<tempfile::TempDir> {
    let unreachable = &rules::UNREACHABLE.info;
    let target = match Target::parse(reference) {
        Ok(t) => t,
        // An invalid reference is PC007's finding.
        Err(_) => return None,
    };
    let mut client = match Client::new(target.clone(), opts, false) {
        Ok(c) => c,
        Err(e) => {
            out.push(finding(ctx, unreachable, REFERENCE, e));
            return None;
        }
    };
    // PC021: where the tag points now, against the pinned digest.
    if let Some(tag) = &target.tag {
        match client.get_manifest(tag) {
            Ok((_, _, now)) => {
                let moved = &rules::DIGEST_MOVED.info;
                match &target.digest {
                    Some(pinned) if pinned != &now => out.push(finding(
                        ctx,
                        moved,
                        REFERENCE,
                        format!("the tag {tag} now points at {now}, not the pinned {pinned}: nodes run the pinned image; re-pin (pchart artifact pin) to deploy the new one"),
                    )),
                    None => {
                        let mut f = finding(
                            ctx,
                            moved,
                            REFERENCE,
                            format!("the tag {tag} points at {now} now; pin it ({}@{now}) so every node runs the same files", target.name()),
                        );
                        f.severity = crate::lint::Severity::Note;
                        out.push(f);
                    }
                    Some(_) => {}
                }
            }
            Err(e) if target.digest.is_none() => {
                out.push(finding(ctx, unreachable, REFERENCE, e));
                return None;
            }
            Err(_) => {}
        }
    }
    let what = target
        .digest
        .clone()
        .or(target.tag.clone())
        .unwrap_or_default();
    let mut blobs = RegistryBlobs {
        client,
        reference: what,
    };
    match unpack(ctx, &mut blobs, node_platforms, out) {
        Ok(d) => d,
        Err(e) => {
            out.push(finding(ctx, unreachable, REFERENCE, e));
            None
        }
    }
}

/// Check the image shape and platforms, then unpack the layers of the
/// chosen platform's manifest into a temporary folder.
fn unpack(
    ctx: &LintContext,
    blobs: &mut dyn Blobs,
    node_platforms: &[Platform],
    out: &mut Vec<Finding>,
) -> Result<Option<tempfile::TempDir>, String> {
    let (bytes, media, _) = blobs.top()?;
    let top: Json =
        serde_json::from_slice(&bytes).map_err(|e| format!("the top manifest is not JSON: {e}"))?;
    let media = if media.is_empty() {
        top["mediaType"].as_str().unwrap_or_default().to_string()
    } else {
        media
    };
    let not_mountable = &rules::NOT_MOUNTABLE.info;
    // (platform, manifest descriptor)
    let mut manifests: Vec<(Option<Platform>, Json)> = Vec::new();
    if is_index_media(&media) || top.get("manifests").is_some() {
        for d in top["manifests"].as_array().cloned().unwrap_or_default() {
            manifests.push((platform_of(&d["platform"]), d));
        }
    } else {
        manifests.push((None, Json::Null));
    }
    let mut shapes = Vec::new();
    for (platform, desc) in &manifests {
        shapes.push(image_shape(blobs, &top, platform, desc)?);
    }
    let bad: Vec<String> = shapes
        .iter()
        .filter(|(_, _, p)| !p.is_empty())
        .map(|(pl, _, p)| {
            format!(
                "{}: {}",
                pl.as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "image".into()),
                p.join("; ")
            )
        })
        .collect();
    if !bad.is_empty() {
        out.push(finding(
            ctx,
            not_mountable,
            REFERENCE,
            format!(
                "the artifact is not image-shaped, so the image volume cannot mount it: {}",
                bad.join(" | ")
            ),
        ));
        return Ok(None);
    }
    let have: Vec<Platform> = shapes.iter().filter_map(|(p, _, _)| p.clone()).collect();
    let missing: Vec<String> = node_platforms
        .iter()
        .filter(|n| {
            !have.iter().any(|h| {
                h.os == n.os && h.arch == n.arch && (n.variant.is_none() || h.variant == n.variant)
            })
        })
        .map(|n| n.to_string())
        .collect();
    if !missing.is_empty() {
        out.push(finding(
            ctx,
            &rules::PLATFORM_MISSING.info,
            REFERENCE,
            format!(
                "no image for {} (the artifact has {}): the pod fails on those nodes; build with --platform {}",
                missing.join(", "),
                if have.is_empty() { "no platform".to_string() } else { have.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ") },
                node_platforms.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(",")
            ),
        ));
    }
    // Unpack the first node platform's image, else the first image.
    let pick = node_platforms
        .iter()
        .find_map(|n| {
            shapes
                .iter()
                .find(|(p, _, _)| p.as_ref().is_some_and(|p| p.os == n.os && p.arch == n.arch))
        })
        .or(shapes.first());
    let Some((_, man, _)) = pick else {
        return Ok(None);
    };
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let mut total = 0u64;
    for l in man["layers"].as_array().cloned().unwrap_or_default() {
        let b = blobs.blob(&l, MAX_TOTAL_SIZE)?;
        extract(&b, dir.path(), &mut total)?;
    }
    Ok(Some(dir))
}

/// One image manifest (`desc`, or `top` itself when `desc` is null) as
/// containerd and CRI-O see it: its platform (the index entry's, else its
/// config's), the manifest, and what keeps it from mounting.
fn image_shape(
    blobs: &mut dyn Blobs,
    top: &Json,
    platform: &Option<Platform>,
    desc: &Json,
) -> Result<(Option<Platform>, Json, Vec<String>), String> {
    let man: Json = if desc.is_null() {
        top.clone()
    } else {
        let b = blobs.blob(desc, 4 << 20)?;
        serde_json::from_slice(&b)
            .map_err(|e| format!("manifest {}: not JSON: {e}", desc["digest"]))?
    };
    let cfg_media = man["config"]["mediaType"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut problems = Vec::new();
    if let Some(t) = man["artifactType"].as_str() {
        problems.push(format!(
            "the manifest has artifactType {t:?} (CRI-O takes it for an artifact, not an image)"
        ));
    }
    if !image_config_media(&cfg_media) {
        problems.push(format!("its config is {cfg_media:?}, not an image config (containerd unpacks only images: application/vnd.oci.image.config.v1+json with rootfs.diff_ids)"));
    }
    let layers = man["layers"].as_array().cloned().unwrap_or_default();
    for l in &layers {
        let m = l["mediaType"].as_str().unwrap_or_default();
        if !image_layer_media(m) {
            problems.push(format!("layer media type {m:?} is not an image layer (application/vnd.oci.image.layer.v1.tar+gzip)"));
        }
    }
    let mut cfg = Json::Null;
    if problems.is_empty() {
        let b = blobs.blob(&man["config"], 4 << 20)?;
        cfg = serde_json::from_slice(&b).unwrap_or(Json::Null);
        let ids = cfg["rootfs"]["diff_ids"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0);
        if ids != layers.len() {
            problems.push(format!("the config lists {ids} rootfs.diff_ids for {} layer(s): containerd fails with \"mismatched image rootfs and manifest layers\"", layers.len()));
        }
    }
    let platform = platform.clone().or_else(|| platform_of(&cfg));
    Ok((platform, man, problems))
}

/// The platform an index entry's `platform` or an image config names.
fn platform_of(j: &Json) -> Option<Platform> {
    match (j["os"].as_str(), j["architecture"].as_str()) {
        (Some(os), Some(arch)) => Some(Platform {
            os: os.into(),
            arch: arch.into(),
            variant: j["variant"].as_str().map(str::to_string),
        }),
        _ => None,
    }
}

/// Unpack one tar+gzip layer: folders and regular files only, no path
/// leaving the root, at most MAX_TOTAL_SIZE bytes in all.
fn extract(gz: &[u8], root: &Path, total: &mut u64) -> Result<(), String> {
    let mut ar = tar::Archive::new(flate2::read::GzDecoder::new(gz));
    let entries = ar.entries().map_err(|e| format!("layer: {e}"))?;
    for e in entries {
        let mut e = e.map_err(|e| format!("layer: {e}"))?;
        let path = e.path().map_err(|e| format!("layer: {e}"))?.into_owned();
        let mut rel = PathBuf::new();
        for c in path.components() {
            match c {
                Component::Normal(n) => rel.push(n),
                Component::CurDir => {}
                _ => {
                    return Err(format!(
                        "layer entry {} leaves the image root",
                        path.display()
                    ));
                }
            }
        }
        if rel.as_os_str().is_empty() {
            continue;
        }
        let dest = root.join(&rel);
        let kind = e.header().entry_type();
        if kind.is_dir() {
            std::fs::create_dir_all(&dest).map_err(|err| format!("{}: {err}", dest.display()))?;
        } else if kind.is_file() {
            let size = e.header().size().unwrap_or(0);
            *total += size;
            if *total > MAX_TOTAL_SIZE {
                return Err(format!(
                    "the artifact unpacks to more than {MAX_TOTAL_SIZE} bytes"
                ));
            }
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|err| format!("{}: {err}", parent.display()))?;
            }
            let mut data = Vec::new();
            (&mut e)
                .take(size)
                .read_to_end(&mut data)
                .map_err(|err| format!("layer: {err}"))?;
            std::fs::write(&dest, data).map_err(|err| format!("{}: {err}", dest.display()))?;
        }
        // Links, devices and whiteouts: nothing Perses reads.
    }
    Ok(())
}

/// PC024, PC025 and the validate findings on the mounted folder.
fn check_content(
    ctx: &LintContext,
    root: &Path,
    source: &Source,
    reference: &str,
    out: &mut Vec<Finding>,
) -> Result<(), String> {
    let sub = ctx.str_value(SUBPATH);
    let mounted = if sub.is_empty() {
        root.to_path_buf()
    } else {
        let clean = sub.trim_matches('/');
        let m = root.join(clean);
        if clean.split('/').any(|s| s == "..") || !m.is_dir() {
            out.push(finding(
                ctx,
                &rules::SUBPATH_MISSING.info,
                SUBPATH,
                format!("subPath {sub:?} is not a folder in the artifact: the container fails to start (CreateContainerError)"),
            ));
            return Ok(());
        }
        m
    };
    let report = super::validate::validate(&mounted, &super::validate::Options::default())?;
    if report.files == 0 {
        out.push(finding(
            ctx,
            &rules::NO_RESOURCES.info,
            if sub.is_empty() { REFERENCE } else { SUBPATH },
            format!("nothing under the mounted folder{} is a .json, .yaml or .yml file: Perses loads nothing from the artifact", if sub.is_empty() { String::new() } else { format!(" {sub:?}") }),
        ));
    }
    let shown_root = root.display().to_string();
    let is_dir_source = matches!(source, Source::Dir(_));
    for mut f in report.findings {
        // PC027 needs the server's projects, which a lint run does not
        // know: projects defined outside the artifact are common.
        if f.rule == rules::PROJECT_MISSING.info.code {
            f.severity = crate::lint::Severity::Note;
        }
        if !is_dir_source && let Some(rest) = f.file.strip_prefix(&shown_root) {
            f.file = format!("{reference}:{rest}");
        }
        out.push(f);
    }
    Ok(())
}
