//! Rendering a chart's templates the way Helm's engine does: one template
//! set per render, Helm's parse order, per-template `.Template`, `<no value>`
//! removal, and Helm v4's error messages.

pub mod errors;
pub mod glob;
pub mod manifest;
pub mod objects;
pub mod release;

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::chart::Chart;
use crate::funcs::helm_funcs;
use crate::template::exec::{Env, TemplateSet};
use crate::template::parse::parse;
use crate::value::{Map, MapTy, Value};

pub use errors::RenderError;

/// Release and cluster settings of a render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub release_name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_upgrade: bool,
    pub kube_version: String,
    pub api_versions: Vec<String>,
    /// Record which template line produced each part of the output (lint).
    pub trace: bool,
    /// Keep each manifest's parsed object (lint reads them); a render only
    /// needs the head, and dropping each object at once keeps memory (and
    /// the page faults of touching it) down.
    pub keep_objects: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            release_name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_upgrade: false,
            kube_version: DEFAULT_KUBE_VERSION.into(),
            api_versions: Vec::new(),
            trace: false,
            keep_objects: false,
        }
    }
}

/// Helm v4.2's default `.Capabilities.KubeVersion`.
pub const DEFAULT_KUBE_VERSION: &str = "v1.36.0";

/// A copy with fresh maps: templates may change `.Values` (`set`), and
/// that must not reach the chart's defaults or another render.
pub fn deep_copy(v: &Value) -> Value {
    match v {
        Value::Map(m, t) => {
            let out: Map = m
                .borrow()
                .iter()
                .map(|(k, v)| (k.clone(), deep_copy(v)))
                .collect();
            Value::typed_map(out, *t)
        }
        Value::List(l, e) => Value::List(Rc::new(l.iter().map(deep_copy).collect()), *e),
        other => other.clone(),
    }
}

/// Helm's `sortTemplates`: deepest paths first, then by name descending.
fn helm_parse_order(names: &mut [String]) {
    names.sort_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
}

/// A chart prepared for rendering: every template of the chart and its
/// subcharts parsed into one set, each with the data it executes with.
pub struct Renderer {
    env: Env,
    /// Template names in Helm's execution order.
    order: Vec<String>,
    /// Template name -> index into `contexts`.
    owner: BTreeMap<String, usize>,
    /// One top-level data map per chart (`.Values` scoped to the chart).
    contexts: Vec<Map>,
    /// `<chart path>/templates` per context, for `.Template.BasePath`.
    base_paths: Vec<String>,
}

/// Helm's `recAllTpls`: collect each chart's templates and its data map.
struct Collect<'a> {
    sources: BTreeMap<String, String>,
    owner: BTreeMap<String, usize>,
    contexts: Vec<Map>,
    base_paths: Vec<String>,
    common: &'a Map,
}

impl Collect<'_> {
    fn chart(&mut self, c: &Chart, full_path: &str, values: Value, is_root: bool) -> Map {
        let idx = self.contexts.len();
        self.contexts.push(Map::new());
        self.base_paths.push(format!("{full_path}/templates"));
        let mut next = self.common.clone();
        next.insert("Chart".into(), objects::chart_object(c, is_root));
        next.insert(
            "Files".into(),
            Value::Object(Rc::new(objects::Files {
                files: c.files.clone(),
            })),
        );
        let vals = match values {
            Value::Map(m, _) => Value::Map(m, MapTy::Values),
            _ => Value::typed_map(Map::new(), MapTy::Values),
        };
        next.insert("Values".into(), vals.clone());
        let mut subs = Map::new();
        for d in &c.dependencies {
            let sub_vals = vals
                .as_map()
                .and_then(|m| m.get(&d.name).cloned())
                .filter(|v| matches!(v, Value::Map(..)))
                .unwrap_or_else(Value::empty_map);
            let sub_path = format!("{full_path}/charts/{}", d.name);
            let sub_next = self.chart(d, &sub_path, sub_vals, false);
            subs.insert(d.name.clone(), Value::map(sub_next));
        }
        next.insert("Subcharts".into(), Value::map(subs));
        let library = c.is_library();
        for (path, text) in &c.templates {
            let base = path.rsplit('/').next().unwrap_or(path);
            // A library chart contributes only its partials.
            if library && !base.starts_with('_') {
                continue;
            }
            let name = format!("{full_path}/{path}");
            self.sources.insert(name.clone(), text.clone());
            self.owner.insert(name, idx);
        }
        self.contexts[idx] = next.clone();
        next
    }
}

impl Renderer {
    /// Parse the templates of `chart` and its subcharts (plus optional
    /// extra ones for the root chart, e.g. an inline template). `values`
    /// are the root chart's coalesced values.
    pub fn new(
        chart: &Chart,
        values: &Value,
        opts: &RenderOptions,
        extra: &[(String, String)],
    ) -> Result<Renderer, RenderError> {
        let funcs = helm_funcs();
        let kube = objects::kube_version(&opts.kube_version).map_err(RenderError)?;
        let mut api: Vec<String> = objects::DEFAULT_API_VERSIONS
            .iter()
            .map(|s| s.to_string())
            .collect();
        api.extend(opts.api_versions.iter().cloned());
        let caps = objects::Capabilities {
            kube: Rc::new(kube),
            api: Rc::new(objects::VersionSet(api)),
        };
        let mut common = Map::new();
        common.insert("Capabilities".into(), Value::Object(Rc::new(caps)));
        common.insert(
            "Release".into(),
            objects::release_object(
                &opts.release_name,
                &opts.namespace,
                opts.revision,
                opts.is_upgrade,
            ),
        );
        let mut col = Collect {
            sources: BTreeMap::new(),
            owner: BTreeMap::new(),
            contexts: Vec::new(),
            base_paths: Vec::new(),
            common: &common,
        };
        col.chart(chart, &chart.name, deep_copy(values), true);
        for (path, text) in extra {
            let name = format!("{}/{}", chart.name, path);
            col.sources.insert(name.clone(), text.clone());
            col.owner.insert(name, 0);
        }
        let mut order: Vec<String> = col.sources.keys().cloned().collect();
        helm_parse_order(&mut order);
        let mut set = TemplateSet::default();
        for name in &order {
            let has = |n: &str| funcs.contains_key(n);
            let trees = parse(name, &col.sources[name], &has)
                .map_err(|e| RenderError(errors::parse_error(&e)))?;
            for t in trees {
                set.add(t);
            }
        }
        let env = Env::new(set, funcs);
        Ok(Renderer {
            env,
            order,
            owner: col.owner,
            contexts: col.contexts,
            base_paths: col.base_paths,
        })
    }

    fn data_for(&self, name: &str) -> Value {
        let idx = self.owner.get(name).copied().unwrap_or(0);
        let mut d = self.contexts.get(idx).cloned().unwrap_or_default();
        let mut t = Map::new();
        t.insert(
            "BasePath".into(),
            Value::string(self.base_paths.get(idx).cloned().unwrap_or_default()),
        );
        t.insert("Name".into(), Value::str(name));
        d.insert("Template".into(), Value::typed_map(t, MapTy::Values));
        Value::typed_map(d, MapTy::Values)
    }

    /// Execute one template by full name (`chart/templates/x.yaml`),
    /// returning its raw text with `<no value>` removed, as Helm does.
    pub fn render_one(&self, name: &str) -> Result<String, RenderError> {
        self.execute(name, false).map(|(out, _)| out)
    }

    /// [`Renderer::render_one`] plus the origin of every part of the output:
    /// `(output offset, template file, line)`, sorted by offset.
    pub fn render_one_traced(&self, name: &str) -> Result<(String, Vec<Origin>), RenderError> {
        self.execute(name, true)
    }

    /// Render every non-partial template in Helm's order; the first error wins.
    pub fn render_all(&self) -> Result<BTreeMap<String, String>, RenderError> {
        self.each_file(|name| self.render_one(name))
    }

    /// [`Renderer::render_all`] with the origins of every file's output.
    #[allow(clippy::type_complexity)]
    pub fn render_all_traced(
        &self,
    ) -> Result<BTreeMap<String, (String, Vec<Origin>)>, RenderError> {
        self.each_file(|name| self.render_one_traced(name))
    }

    /// One template's output, with origins when `traced` (else none).
    fn execute(&self, name: &str, traced: bool) -> Result<(String, Vec<Origin>), RenderError> {
        let mut out = String::new();
        self.env.includes.borrow_mut().clear();
        let data = self.data_for(name);
        if traced {
            self.env.execute_traced(name, data, &mut out)
        } else {
            self.env.execute(name, data, &mut out)
        }
        .map_err(|e| RenderError(errors::exec_error(&e)))?;
        // Helm deletes every `<no value>`; most output has none, so the
        // copy is skipped. Where one is deleted, later offsets move back.
        let removed: Vec<usize> = out.match_indices("<no value>").map(|(i, _)| i).collect();
        let origins = if traced {
            let trace = self.env.trace.borrow_mut().take().unwrap_or_default();
            let shift = |off: usize| off - 10 * removed.iter().filter(|&&r| r < off).count();
            trace
                .iter()
                .map(|t| Origin {
                    offset: shift(t.offset),
                    file: t.src.parse_name.clone(),
                    line: crate::template::lex::line_of(&t.src.line_starts, t.pos),
                    text: t.text,
                })
                .collect()
        } else {
            Vec::new()
        };
        if !removed.is_empty() {
            out = out.replace("<no value>", "");
        }
        Ok((out, origins))
    }

    /// `render` over every non-partial template, in Helm's order.
    fn each_file<T>(
        &self,
        render: impl Fn(&str) -> Result<T, RenderError>,
    ) -> Result<BTreeMap<String, T>, RenderError> {
        let mut out = BTreeMap::new();
        for name in &self.order {
            let base = name.rsplit('/').next().unwrap_or(name);
            if base.starts_with('_') {
                continue;
            }
            out.insert(name.clone(), render(name)?);
        }
        Ok(out)
    }
}

/// Output from `offset` on came from `file` at `line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub offset: usize,
    pub file: String,
    pub line: usize,
    /// Copied template text: later lines of it are later template lines.
    pub text: bool,
}

/// The template line that produced byte `offset` of a rendered file.
pub fn origin_of(origins: &[Origin], offset: usize) -> Option<&Origin> {
    let i = origins.partition_point(|o| o.offset <= offset);
    if i == 0 { None } else { origins.get(i - 1) }
}

/// Re-exported: the command line and tests start their work through it.
pub use crate::stack::with_big_stack;
