//! What rules read: the chart, the user's values with the file and line of
//! every key, the coalesced values, the target Kubernetes version and
//! feature gates, and the rendered objects with their template.

use std::collections::BTreeMap;

use crate::chart::Chart;
use crate::chart::dependencies::prepare;
use crate::render::release::{Release, render_release};
use crate::render::{RenderOptions, objects::kube_version};
use crate::value::{Map, Value, merge_maps};
use crate::yaml::{self, Positions};

/// The Kubernetes feature gates lint rules read ([`LintContext::gate`]):
/// `--feature-gates` refuses other names, since they would change nothing.
pub const FEATURE_GATES: &[&str] = &["ImageVolume"];

/// Everything `pchart lint` is given.
#[derive(Debug, Clone)]
pub struct LintInput {
    pub chart: Chart,
    /// How chart files are named in findings (`charts/perses`).
    pub chart_label: String,
    /// Values files in order: name shown in findings, and text.
    pub values_files: Vec<(String, String)>,
    /// Values from `--set`-style flags, applied after the files.
    pub set_values: Value,
    pub kube_version: String,
    /// `--feature-gates Name=true,...`
    pub feature_gates: BTreeMap<String, bool>,
    pub render: RenderOptions,
    /// CustomResourceDefinitions from `--crd` files.
    pub crds: Vec<Value>,
}

/// A rendered Kubernetes object.
#[derive(Debug, Clone)]
pub struct RenderedObject {
    pub kind: String,
    pub name: String,
    /// Template that produced it (`perses/templates/statefulset.yaml`).
    pub source: String,
    pub value: Value,
    /// The document's text and its byte offset in the rendered file.
    pub content: String,
    pub offset: usize,
}

impl RenderedObject {
    /// `StatefulSet/perses`
    pub fn label(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }
}

/// The prepared input of every rule.
pub struct LintContext {
    pub chart: Chart,
    pub chart_label: String,
    /// Coalesced values the chart renders with.
    pub values: Value,
    /// Per values file, in order: name and key positions.
    pub user_positions: Vec<(String, Positions)>,
    /// Values set by `--set`-style flags (applied after the files): the
    /// flag as findings name it (`--set a.b`) and the paths it set, line 0.
    pub set_origins: Vec<(String, Positions)>,
    /// The chart's own values.yaml positions, parsed on first use: a clean
    /// run never needs a location.
    chart_positions: std::cell::OnceCell<Positions>,
    /// Target version (major, minor, patch).
    pub kube: (u64, u64, u64),
    pub feature_gates: BTreeMap<String, bool>,
    pub release: Option<Release>,
    /// Why rendering failed, if it did.
    pub render_error: Option<String>,
    pub objects: Vec<RenderedObject>,
    /// Problems with the input itself (unreadable values, bad versions).
    pub input_errors: Vec<String>,
    /// CustomResourceDefinitions given with `--crd`.
    pub extra_crds: Vec<Value>,
    /// Kubernetes API findings, computed on first use.
    pub api_cache: std::cell::OnceCell<Vec<(usize, crate::validate::k8s::ApiFinding)>>,
}

fn parse_kube(v: &str) -> Result<(u64, u64, u64), String> {
    let k = kube_version(v)?;
    let t = k.version.trim_start_matches('v');
    let mut it = t.split('.').map(|p| {
        p.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse::<u64>()
            .unwrap_or(0)
    });
    Ok((
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
    ))
}

/// Follow a dotted path (`a.b[0].c`); it lives with `Value`, which
/// validate uses too.
pub use crate::value::value_at;

impl LintContext {
    /// Prepare the context: read values, coalesce, render, parse objects.
    /// Only unusable input (a values file that is not YAML) is an error.
    pub fn build(input: LintInput) -> Result<LintContext, String> {
        let kube = parse_kube(&input.kube_version)?;
        // Decompressing and indexing the API schema of the target version is
        // independent of rendering: start it now on another core. Later
        // users wait for it (a `OnceLock`); if no thread can start, they load
        // it themselves.
        let minor = if kube.0 > 1 { u32::MAX } else { kube.1 as u32 };
        let _ = std::thread::Builder::new()
            .name("k8s-schema".into())
            .spawn(move || {
                crate::validate::k8s::prefetch((1, minor));
            });
        let mut user = Map::new();
        let mut user_positions = Vec::new();
        for (name, text) in &input.values_files {
            let (v, pos) = yaml::parse_values_located(text).map_err(|e| {
                format!(
                    "{name}:{}:{}: failed to parse values: {}",
                    e.line, e.column, e.message
                )
            })?;
            if let Value::Map(m, _) = &v {
                user = merge_maps(&user, &m.borrow());
            }
            user_positions.push((name.clone(), pos));
        }
        if let Value::Map(m, _) = &input.set_values {
            user = merge_maps(&user, &m.borrow());
        }
        let user = Value::map(user);
        let mut ctx = LintContext {
            chart: input.chart.clone(),
            chart_label: input.chart_label.clone(),
            values: Value::empty_map(),
            user_positions,
            set_origins: Vec::new(),
            chart_positions: std::cell::OnceCell::new(),
            kube,
            feature_gates: input.feature_gates.clone(),
            release: None,
            render_error: None,
            objects: Vec::new(),
            input_errors: Vec::new(),
            extra_crds: input.crds.clone(),
            api_cache: Default::default(),
        };
        match prepare(input.chart.clone(), &user) {
            Ok((c, v)) => {
                ctx.chart = c;
                ctx.values = v;
            }
            Err(e) => ctx.input_errors.push(e.reason().to_string()),
        }
        let mut opts = input.render.clone();
        opts.kube_version = input.kube_version.clone();
        opts.trace = true;
        opts.keep_objects = true;
        match render_release(input.chart, &user, &opts) {
            Ok(rel) => {
                for m in rel.manifests.iter().chain(rel.hooks.iter()) {
                    if matches!(m.value, Value::Map(..)) {
                        ctx.objects.push(RenderedObject {
                            kind: m.kind.clone(),
                            name: m.name.clone(),
                            source: m.source.clone(),
                            // Shared with the release: rules only read.
                            value: m.value.clone(),
                            content: m.content.clone(),
                            offset: m.offset,
                        });
                    }
                }
                ctx.release = Some(rel);
            }
            Err(e) => ctx.render_error = Some(e.0),
        }
        Ok(ctx)
    }

    /// The coalesced value at a dotted path.
    pub fn value(&self, path: &str) -> Option<Value> {
        value_at(&self.values, path)
    }

    /// A string value at a path ("" when missing or not a string).
    pub fn str_value(&self, path: &str) -> String {
        match self.value(path) {
            Some(Value::String(s)) => s.to_string(),
            _ => String::new(),
        }
    }

    /// Is the value at `path` set to something other than null/false/empty?
    pub fn is_set(&self, path: &str) -> bool {
        self.value(path).is_some_and(|v| v.truth())
    }

    /// Where the user (or the chart's values.yaml) set `path`: the last
    /// flag or values file that has it or its closest parent, then
    /// values.yaml.
    pub fn locate(&self, path: &str) -> (String, usize, usize) {
        let mut p = path.to_string();
        loop {
            // Flags apply after files: a value a flag set is located there.
            let origins = self.set_origins.iter().rev();
            for (name, pos) in origins.chain(self.user_positions.iter().rev()) {
                if let Some((l, c)) = pos.get(&p) {
                    return (name.clone(), *l, *c);
                }
            }
            let chart_positions = self
                .chart_positions
                .get_or_init(|| chart_values_positions(&self.chart));
            if let Some((l, c)) = chart_positions.get(&p) {
                return (format!("{}/values.yaml", self.chart_label), *l, *c);
            }
            match p.rfind(['.', '[']) {
                Some(i) => p.truncate(i),
                None => break,
            }
        }
        match self.user_positions.last() {
            Some((name, _)) => (name.clone(), 0, 0),
            None => (format!("{}/values.yaml", self.chart_label), 0, 0),
        }
    }

    /// Is a Kubernetes feature gate on for the target version? `name` must
    /// be one of [`FEATURE_GATES`].
    pub fn gate(&self, name: &str, default_on_from_minor: u64) -> bool {
        debug_assert!(FEATURE_GATES.contains(&name), "{name} not in FEATURE_GATES");
        match self.feature_gates.get(name) {
            Some(on) => *on,
            None => self.kube.0 > 1 || self.kube.1 >= default_on_from_minor,
        }
    }

    /// The template file and line that produced `path` (`spec.replicas`)
    /// of a rendered object; the closest parent path when `path` itself is
    /// not in the document.
    pub fn locate_field(&self, o: &RenderedObject, path: &str) -> (String, usize) {
        let fallback = (o.source.clone(), 0);
        let Some(rel) = &self.release else {
            return fallback;
        };
        let Some((file_text, origins)) = rel.traces.get(&o.source) else {
            return fallback;
        };
        let Ok((_, pos)) = yaml::parse_values_located(&o.content) else {
            return fallback;
        };
        let mut p = path.to_string();
        let (line, col) = loop {
            if let Some(lc) = pos.get(&p) {
                break *lc;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p.truncate(i),
                None => return fallback,
            }
        };
        let line_start: usize = o
            .content
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let offset = o.offset + line_start + col.saturating_sub(1);
        match crate::render::origin_of(origins, offset) {
            Some(origin) if origin.text => {
                let skipped = file_text
                    .get(origin.offset..offset)
                    .map_or(0, |t| t.matches('\n').count());
                (origin.file.clone(), origin.line + skipped)
            }
            Some(origin) => (origin.file.clone(), origin.line),
            None => fallback,
        }
    }

    pub fn kube_label(&self) -> String {
        format!("{}.{}", self.kube.0, self.kube.1)
    }
}

/// Key positions of the chart's own values.yaml, kept as text in the chart.
fn chart_values_positions(chart: &Chart) -> Positions {
    chart
        .values_text
        .as_deref()
        .and_then(|t| yaml::parse_values_located(t).ok())
        .map(|(_, p)| p)
        .unwrap_or_default()
}
