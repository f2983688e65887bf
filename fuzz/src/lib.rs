//! Shared helpers of the fuzz targets (`src/bin/*.rs`).

use pchart::chart::Chart;
use pchart::render::{RenderOptions, Renderer};
use pchart::template::exec::Limits;
use pchart::template::value::Value;

/// Split input into (template, values YAML) at the first NUL byte.
pub fn split(data: &[u8]) -> (&str, &str) {
    let s = std::str::from_utf8(data).unwrap_or("");
    match s.split_once('\0') {
        Some((a, b)) => (a, b),
        None => (s, ""),
    }
}

/// Parse and execute `template` as the only template of a chart, values
/// from `values` (YAML), with small limits so every input finishes fast.
pub fn render(template: &str, values: &str) {
    let mut chart = Chart {
        name: "c".into(),
        ..Chart::default()
    };
    chart
        .templates
        .push(("templates/t.yaml".into(), template.to_string()));
    chart
        .files
        .push(("files/a.txt".into(), b"file content".to_vec()));
    let vals = pchart::yaml::parse_values(values).unwrap_or_else(|_| Value::empty_map());
    let opts = RenderOptions {
        limits: Limits {
            max_output: 1 << 20,
            max_steps: 200_000,
        },
        ..RenderOptions::default()
    };
    if let Ok(r) = Renderer::new(&chart, &vals, &opts, &[]) {
        let _ = r.render_all();
    }
}

/// Run `f` on a thread with pchart's big stack and stack guard, as the CLI does.
pub fn big_stack(f: impl FnOnce() + Send + 'static) {
    pchart::render::with_big_stack(f).expect("thread");
}
