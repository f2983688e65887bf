//! The whole `helm template` pipeline for one chart: dependency checks and
//! processing, `kubeVersion`, value coalescing, rendering, NOTES.txt, and
//! the sorted output stream.

use std::collections::BTreeMap;

use super::manifest::{Manifest, sort_manifests, write_document, write_documents};
use super::{RenderError, RenderOptions, Renderer};
use crate::chart::Chart;
use crate::chart::dependencies::{check_dependencies, compatible, prepare};
use crate::value::Value;

/// What `helm template` prints, and how.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// Print `crds/` files first (`--include-crds`).
    pub include_crds: bool,
    /// Leave hooks out (`--no-hooks`).
    pub no_hooks: bool,
    /// Leave test hooks out (`--skip-tests`).
    pub skip_tests: bool,
}

/// A rendered release.
#[derive(Debug)]
pub struct Release {
    pub manifests: Vec<Manifest>,
    pub hooks: Vec<Manifest>,
    /// The root chart's rendered NOTES.txt ("" when there is none).
    pub notes: String,
    /// `crds/` files of the chart and its subcharts: source path, bytes
    /// (shared with the chart; read as text only when asked for, see
    /// [`Release::crd_texts`]).
    pub crds: Vec<(String, std::sync::Arc<Vec<u8>>)>,
    /// The values the root chart rendered with.
    pub values: Value,
    /// With `RenderOptions::trace`: per rendered file, its text and which
    /// template line produced each part.
    pub traces: BTreeMap<String, (String, Vec<super::Origin>)>,
}

fn collect_crds(c: &Chart, full_path: &str, out: &mut Vec<(String, std::sync::Arc<Vec<u8>>)>) {
    for (name, data) in &c.files {
        if name.starts_with("crds/") {
            out.push((format!("{full_path}/{name}"), data.clone()));
        }
    }
    for d in &c.dependencies {
        collect_crds(d, &format!("{full_path}/charts/{}", d.name), out);
    }
}

/// Helm's `ValidateReleaseName`: DNS-1123 labels joined by dots, at most
/// 53 characters (the install action checks it before anything else).
fn validate_release_name(name: &str) -> Result<(), RenderError> {
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        !b.is_empty()
            && b.first().is_some_and(alnum)
            && b.last().is_some_and(alnum)
            && b.iter().all(|c| alnum(c) || *c == b'-')
    };
    if name.len() <= 53 && name.split('.').all(label_ok) {
        return Ok(());
    }
    Err(RenderError(format!(
        "release name check failed: release name {name:?}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"
    )))
}

/// Render `chart` with the user's values as `helm template` would.
pub fn render_release(
    chart: Chart,
    user: &Value,
    opts: &RenderOptions,
) -> Result<Release, RenderError> {
    if chart.is_library() {
        return Err(RenderError("library charts are not installable".into()));
    }
    check_dependencies(&chart).map_err(|e| {
        RenderError(format!(
            "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: {e}"
        ))
    })?;
    validate_release_name(&opts.release_name)?;
    let (chart, values) = prepare(chart, user).map_err(|e| RenderError(e.to_string()))?;
    // Helm validates values before rendering and reports a schema error
    // first; the two are independent, so they run side by side.
    // On the calling thread's schema helper, kept between renders: starting
    // a thread per render was most of the time of a small chart rendered
    // in-process.
    let validation = crate::schema::prepare_chart_values(&chart, &values).start();
    let rendered = (|| -> Result<_, RenderError> {
        let kube_constraint = chart.meta_str("kubeVersion");
        if !kube_constraint.is_empty() {
            let kube = super::objects::kube_version(&opts.kube_version).map_err(RenderError)?;
            if !compatible(&kube_constraint, &kube.version) {
                return Err(RenderError(format!(
                    "chart requires kubeVersion: {kube_constraint} which is incompatible with Kubernetes {}",
                    kube.version
                )));
            }
        }
        let renderer = Renderer::new(&chart, &values, opts, &[])?;
        let mut traces = BTreeMap::new();
        let files = if opts.trace {
            traces = renderer.render_all_traced()?;
            traces
                .iter()
                .map(|(k, (text, _))| (k.clone(), text.clone()))
                .collect()
        } else {
            renderer.render_all()?
        };
        Ok((files, traces))
    })();
    validation.wait().map_err(RenderError)?;
    let (mut files, traces) = rendered?;
    let notes_name = format!("{}/templates/NOTES.txt", chart.name);
    let notes = files.get(&notes_name).cloned().unwrap_or_default();
    files.retain(|k, _| !k.ends_with("NOTES.txt"));
    let sorted = sort_manifests(&files, opts.keep_objects).map_err(RenderError)?;
    let mut crds = Vec::new();
    collect_crds(&chart, &chart.name, &mut crds);
    Ok(Release {
        manifests: sorted.manifests,
        hooks: sorted.hooks,
        notes,
        crds,
        values,
        traces,
    })
}

impl Release {
    /// The `crds/` files as text (invalid UTF-8 replaced): most renders
    /// never print them, so they stay bytes until here.
    pub fn crd_texts(&self) -> impl Iterator<Item = (&str, std::borrow::Cow<'_, str>)> {
        self.crds
            .iter()
            .map(|(src, data)| (src.as_str(), String::from_utf8_lossy(data)))
    }
}

/// Helm's release manifest: CRDs (when asked) then the sorted manifests.
pub fn release_manifest(r: &Release, o: &OutputOptions) -> String {
    let mut b = String::new();
    if o.include_crds {
        for (src, text) in r.crd_texts() {
            write_document(&mut b, src, &text);
        }
    }
    write_documents(&mut b, &r.manifests);
    b
}

/// Exactly what `helm template` prints: the trimmed manifest, a newline,
/// then the hooks.
pub fn template_output(r: &Release, o: &OutputOptions) -> String {
    let mut out = release_manifest(r, o).trim().to_string();
    out.push('\n');
    if !o.no_hooks {
        let hooks: Vec<Manifest> = r
            .hooks
            .iter()
            .filter(|h| !(o.skip_tests && h.is_test_hook()))
            .cloned()
            .collect();
        write_documents(&mut out, &hooks);
    }
    out
}

/// Rendered files by source path, for `--show-only`.
pub fn by_source(r: &Release) -> BTreeMap<String, Vec<&Manifest>> {
    let mut m: BTreeMap<String, Vec<&Manifest>> = BTreeMap::new();
    for x in r.manifests.iter().chain(r.hooks.iter()) {
        m.entry(x.source.clone()).or_default().push(x);
    }
    m
}
