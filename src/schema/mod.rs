//! `values.schema.json` validation as Helm v4.2 does it (Helm validates with
//! santhosh-tekuri/jsonschema v6): the same drafts (2020-12 when `$schema`
//! is absent), the same error tree and English wording, the same per-chart
//! report for a chart and its subcharts. Remote `$ref`s are never fetched:
//! they are an error.
//!
//! - [`json`]: the JSON model (schema numbers keep their literal text).
//! - [`compile`]: drafts, `$id`/anchors, `$ref` resolution, keywords.
//! - [`node`]: the compiled schema that `compile` builds and `validate` walks.
//! - [`validate`]: the validator building the error tree.
//! - [`formats`]: `format` checks (asserted for drafts 4, 6, 7).
//! - [`output`]: error kinds, messages and the indented tree.
//! - [`helper`]: the thread that validates while the chart renders.

pub mod compile;
pub mod formats;
pub mod helper;
pub mod json;
pub mod node;
pub mod output;
pub mod validate;

use crate::chart::Chart;
use crate::value::Value;

/// One line of a validation report: where in the values, what failed, and
/// how deep the line is nested under the errors it explains (0 = top).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// JSON pointer into the values (`/image/tag`; `` for the root).
    pub path: String,
    pub message: String,
    pub depth: usize,
}

impl SchemaError {
    /// The line as Helm prints it (`  - at '/a': ...`).
    pub fn line(&self) -> String {
        format!(
            "{}- at {}: {}",
            "  ".repeat(self.depth),
            output::quote(&self.path),
            self.message
        )
    }
}

/// Validates `values` against one schema document. `Err` when the schema
/// cannot be used (bad JSON, not a valid schema, an unresolvable or remote
/// `$ref`), with Helm's message; otherwise the report lines, in order
/// (empty when the values are valid).
pub fn validate(schema_text: &str, values: &Value) -> Result<Vec<SchemaError>, String> {
    validate_json_big_stack(schema_text, &json::J::from_value(values))
}

fn validate_json_big_stack(schema_text: &str, inst: &json::J) -> Result<Vec<SchemaError>, String> {
    // Schemas and values may nest deeply and the validator recurses: run it
    // on a thread with a large stack (address space only) whatever the
    // caller's stack is.
    std::thread::scope(|s| {
        let run = || validate_json(schema_text, inst);
        match std::thread::Builder::new()
            .name("schema".into())
            .stack_size(VALIDATION_STACK)
            .spawn_scoped(s, run)
        {
            Ok(h) => h
                .join()
                .unwrap_or_else(|_| Err("schema validation failed unexpectedly".into())),
            Err(_) => validate_json(schema_text, inst),
        }
    })
}

/// Stack of the validation thread (address space only).
const VALIDATION_STACK: usize = 1 << 30;

fn validate_json(schema_text: &str, inst: &json::J) -> Result<Vec<SchemaError>, String> {
    let compiled = compile::compile_cached(schema_text)?;
    let mut out = Vec::new();
    if let Some(root) = validate::validate_j(&compiled, inst) {
        root.walk(0, &mut |e, depth| {
            if depth > 0 {
                out.push(SchemaError {
                    path: output::json_ptr(&e.loc),
                    message: e.kind.message(),
                    depth: depth - 1,
                });
            }
        });
    }
    Ok(out)
}

/// One step of a chart-tree validation, prepared so it can run on another
/// thread (it holds no `Rc`).
enum Step {
    Schema {
        chart: String,
        schema: String,
        inst: json::J,
    },
    Line(String),
}

fn walk(chart: &Chart, values: &Value, steps: &mut Vec<Step>) {
    if let Some(schema) = &chart.schema {
        steps.push(Step::Schema {
            chart: chart.name.clone(),
            schema: schema.clone(),
            inst: json::J::from_value(values),
        });
    }
    let Value::Map(m, _) = values else {
        return;
    };
    for sub in &chart.dependencies {
        let raw = m.borrow().get(&sub.name).cloned();
        match raw {
            None | Some(Value::Nil) => {}
            Some(v @ Value::Map(..)) => walk(sub, &v, steps),
            Some(other) => steps.push(Step::Line(format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name,
                other.type_name()
            ))),
        }
    }
}

/// A chart tree's values validation, ready to run (see
/// [`prepare_chart_values`]); `Send`, so it can overlap rendering.
pub struct Prepared(Vec<Step>);

impl Prepared {
    /// Nothing to validate: no chart in the tree has a schema.
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Helm's whole message on failure. Each schema is checked on a thread
    /// of its own with a [`VALIDATION_STACK`]-sized stack.
    pub fn run(self) -> Result<(), String> {
        self.run_with(validate_json_big_stack)
    }

    /// Start the validation on this thread's helper thread, to overlap
    /// rendering (see [`helper::start`]).
    pub fn start(self) -> helper::Pending {
        helper::start(self)
    }

    /// [`Prepared::run`] on the calling thread, which must have been
    /// started with a stack of at least [`VALIDATION_STACK`].
    fn run_on_big_stack(self) -> Result<(), String> {
        self.run_with(validate_json)
    }

    fn run_with(
        self,
        validate: fn(&str, &json::J) -> Result<Vec<SchemaError>, String>,
    ) -> Result<(), String> {
        let mut sb = String::new();
        for step in self.0 {
            match step {
                Step::Line(l) => sb.push_str(&l),
                Step::Schema {
                    chart,
                    schema,
                    inst,
                } => {
                    let lines = match validate(&schema, &inst) {
                        Ok(lines) => lines,
                        Err(e) => {
                            sb.push_str(&chart);
                            sb.push_str(":\n");
                            sb.push_str(&e);
                            continue;
                        }
                    };
                    if lines.is_empty() {
                        continue;
                    }
                    sb.push_str(&chart);
                    sb.push_str(":\n");
                    for l in &lines {
                        sb.push_str(&l.line());
                        sb.push('\n');
                    }
                }
            }
        }
        if sb.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "values don't meet the specifications of the schema(s) in the following chart(s):\n{sb}"
            ))
        }
    }
}

/// Collect what [`Prepared::run`] validates, without validating yet.
pub fn prepare_chart_values(chart: &Chart, values: &Value) -> Prepared {
    let mut steps = Vec::new();
    walk(chart, values, &mut steps);
    Prepared(steps)
}

/// Validates the coalesced values of a chart and of every subchart (each
/// against its own `values.schema.json`, with the parent's values under the
/// subchart's name), as Helm does before rendering. `values` are the
/// coalesced values: the chart's null defaults are already gone and a user's
/// null removed the keys the chart defines, as in Helm. The error is Helm's
/// whole message.
pub fn validate_chart_values(chart: &Chart, values: &Value) -> Result<(), String> {
    prepare_chart_values(chart, values).run()
}
