//! `pchart diff`: render, then compare with a golden file, as a unified
//! diff or (`--semantic`) field by field.

use std::path::{Path, PathBuf};

use clap::Args;

use super::output::{FormatArg, use_color, write_stdout};
use super::release_args::ReleaseArgs;
use super::values_args::ValuesArgs;
use pchart::golden::{self, semantic, text};
use pchart::lint::Finding;
use pchart::render::release::{OutputOptions, render_release, template_output};
use pchart::render::with_big_stack;
use pchart::report::{self, Format, Sources, junit};

/// What to render: `pchart render`'s inputs.
#[derive(Debug, Clone)]
pub(super) struct RenderSpec {
    pub(super) chart: Option<PathBuf>,
    pub(super) values: ValuesArgs,
    pub(super) release: ReleaseArgs,
}

/// `pchart render`'s output for `spec` (on a big stack).
pub(super) fn render_spec(spec: &RenderSpec) -> Result<String, String> {
    let spec = spec.clone();
    with_big_stack(move || -> Result<String, String> {
        let chart = super::load_chart(spec.chart.as_deref())?;
        let user = spec.values.load()?;
        let opts = spec.release.render_options();
        let rel = render_release(chart, &user, &opts).map_err(|e| e.0)?;
        Ok(template_output(&rel, &OutputOptions::default()))
    })?
}

/// Golden file text; a missing file is `Ok(None)`.
pub(super) fn read_golden(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(format!(
            "{}: {}",
            path.display(),
            pchart::input::io_reason(&e)
        )),
    }
}

pub(super) struct NoSources;

impl Sources for NoSources {
    fn text(&self, _file: &str) -> Option<String> {
        None
    }
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    #[command(flatten)]
    pub chart: super::chart_arg::ChartArgs,
    #[command(flatten)]
    pub values: ValuesArgs,
    #[command(flatten)]
    pub release: ReleaseArgs,
    /// The expected manifests (what `pchart render` printed before).
    #[arg(long, value_name = "FILE")]
    pub golden: PathBuf,
    /// Compare objects by kind/namespace/name and report changed fields,
    /// ignoring key order, quoting and formatting.
    #[arg(long)]
    pub semantic: bool,
    #[command(flatten)]
    pub output: FormatArg,
}

pub fn run(a: DiffArgs) -> Result<u8, String> {
    let chart = a.chart.local()?;
    let golden_label = a.golden.display().to_string();
    let golden = read_golden(&a.golden)?.ok_or_else(|| {
        format!(
            "{golden_label}: no such file (create it with `pchart render ... > {golden_label}`)"
        )
    })?;
    let spec = RenderSpec {
        chart,
        values: a.values.clone(),
        release: a.release.clone(),
    };
    let rendered = render_spec(&spec)?;
    let color = use_color(a.output.format);
    let (human, findings): (String, Vec<Finding>) = if a.semantic {
        let changes = semantic::compare(&golden, &rendered, &golden_label, "rendered")?;
        (
            semantic::render_human(&changes, color),
            golden::semantic_findings(&golden_label, &changes),
        )
    } else {
        (
            text::unified(&golden, &rendered, &golden_label, "rendered", color),
            golden::text_findings(&golden_label, &golden, &rendered),
        )
    };
    let out = match a.output.format {
        Format::Human => human,
        Format::Junit => {
            let failure = (!findings.is_empty())
                .then(|| golden::junit_failure(&golden_label, &golden, &rendered));
            junit::render_cases(
                "pchart diff",
                "pchart.diff",
                &[junit::Case {
                    name: golden_label.clone(),
                    failure,
                }],
            )
        }
        f => {
            let mut findings = findings.clone();
            super::lint::for_tools(f, &mut findings)?;
            report::render(f, &findings, &NoSources, false)
        }
    };
    write_stdout(&out)?;
    Ok(if findings.is_empty() { 0 } else { 1 })
}
