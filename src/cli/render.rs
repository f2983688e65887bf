//! `pchart render`: what `helm template` prints, byte for byte.

use std::path::{Path, PathBuf};

use clap::Args;

use super::chart_arg::{ChartArgs, InputArgs};
use pchart::atomic::write_atomic;
use pchart::render::manifest::{write_document, write_documents};
use pchart::render::release::{OutputOptions, Release, by_source, render_release, template_output};
use pchart::render::with_big_stack;

#[derive(Args, Debug)]
pub struct RenderArgs {
    #[command(flatten)]
    pub chart: ChartArgs,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Print the charts' crds/ files first.
    #[arg(long)]
    pub include_crds: bool,
    /// Leave hooks out.
    #[arg(long)]
    pub no_hooks: bool,
    /// Leave test hooks out.
    #[arg(long)]
    pub skip_tests: bool,
    /// Write each template's manifests to DIR/<chart>/templates/... (Helm's
    /// layout) instead of printing them.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Only print the manifests rendered from these templates
    /// (e.g. templates/service.yaml; repeatable).
    #[arg(long = "show-only", short = 's', value_name = "TEMPLATE")]
    pub show_only: Vec<String>,
}

/// Helm's `--output-dir`: one file per template, documents appended in
/// output order, a `wrote PATH` line per document. Each file is written
/// atomically once complete.
fn write_output_dir(dir: &Path, rel: &Release, o: &OutputOptions) -> Result<String, String> {
    let mut files: Vec<(String, String)> = Vec::new();
    let mut log = String::new();
    let mut add = |name: &str, content: &str| {
        let mut doc = String::new();
        write_document(&mut doc, name, content);
        match files.iter_mut().find(|(n, _)| n == name) {
            Some((_, text)) => text.push_str(&doc),
            None => files.push((name.to_string(), doc)),
        }
        log.push_str(&format!("wrote {}\n", dir.join(name).display()));
    };
    if o.include_crds {
        for (src, text) in rel.crd_texts() {
            add(src, &text);
        }
    }
    for m in &rel.manifests {
        add(&m.source, &m.content);
    }
    if !o.no_hooks {
        for h in rel
            .hooks
            .iter()
            .filter(|h| !(o.skip_tests && h.is_test_hook()))
        {
            add(&h.source, &h.content);
        }
    }
    for (name, text) in &files {
        write_atomic(&dir.join(name), text.as_bytes())?;
    }
    Ok(log)
}

pub fn run(a: RenderArgs) -> Result<u8, String> {
    let chart_path = a.chart.local()?;
    a.inputs.limits.install();
    let out = with_big_stack(move || -> Result<String, String> {
        let chart = super::load_chart(chart_path.as_deref())?;
        let user = a.inputs.values.load()?;
        let opts = a.inputs.release.render_options();
        let chart_name = chart.name.clone();
        let rel = render_release(chart, &user, &opts).map_err(|e| e.0)?;
        let o = OutputOptions {
            include_crds: a.include_crds,
            no_hooks: a.no_hooks,
            skip_tests: a.skip_tests,
        };
        if let Some(dir) = &a.output_dir {
            return write_output_dir(dir, &rel, &o);
        }
        if a.show_only.is_empty() {
            return Ok(template_output(&rel, &o));
        }
        // `--show-only` selects whole template files, like Helm.
        let sources = by_source(&rel);
        let mut out = String::new();
        for want in &a.show_only {
            let full = format!("{chart_name}/{}", want.trim_start_matches("./"));
            let Some(docs) = sources.get(&full) else {
                return Err(format!("could not find template {want} in chart"));
            };
            for m in docs {
                write_documents(&mut out, std::slice::from_ref(*m));
            }
        }
        Ok(out)
    })??;
    super::output::write_stdout(&out)?;
    Ok(0)
}
