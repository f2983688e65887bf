//! The fuzz targets' bodies, one function per target. The AFL++ wrappers
//! (`src/bin/*.rs`) only call these, so a crash reproduces with any driver
//! (and in `tests/integration/fuzz_regressions.rs`, which mirrors them).

use std::sync::OnceLock;

use pchart::chart::Chart;
use pchart::render::{RenderOptions, Renderer};
use pchart::limits::Limits;
use pchart::value::Value;
use pchart::values::strvals::{SetKind, parse_set_with};

/// Split input into (template, values YAML) at the first NUL byte.
pub fn split(data: &[u8]) -> (&str, &str) {
    let s = std::str::from_utf8(data).unwrap_or("");
    match s.split_once('\0') {
        Some((a, b)) => (a, b),
        None => (s, ""),
    }
}

/// Small limits so every input finishes fast; installed before each
/// render (the same values every time).
fn install_limits() {
    pchart::limits::install(Limits {
        max_output: 1 << 20,
        max_steps: 200_000,
        ..Limits::DEFAULT
    });
}

/// Functions whose cost is fixed but large (RSA key generation, scrypt,
/// bcrypt): seconds per call, so the fuzzer would report them as hangs and
/// spend its time in them. Inputs naming them are skipped; the functions
/// themselves are covered by the unit and conformance tests.
const SLOW_FUNCS: [&str; 6] = [
    "genCA",
    "genPrivateKey",
    "genSelfSigned",
    "genSignedCert",
    "derivePassword",
    "bcrypt",
];

fn names_slow_func(text: &str) -> bool {
    SLOW_FUNCS.iter().any(|f| text.contains(f)) || text.contains("htpasswd")
}

/// Parse and execute `template` as the only template of a chart, values
/// from `values` (YAML).
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
        .push(("files/a.txt".into(), b"file content".to_vec().into()));
    let vals = pchart::yaml::parse_values(values).unwrap_or_else(|_| Value::empty_map());
    install_limits();
    if let Ok(r) = Renderer::new(&chart, &vals, &RenderOptions::default(), &[]) {
        let _ = r.render_all();
    }
}

/// Run `f` on a thread with pchart's big stack and stack guard, as the CLI
/// does. A panic in `f` is re-raised here, so the fuzzer sees it.
pub fn big_stack(f: impl FnOnce() + Send + 'static) {
    if let Err(e) = pchart::render::with_big_stack(f) {
        panic!("cannot start the render thread: {e}");
    }
}

/// The template lexer and parser on arbitrary text (before any NUL byte).
pub fn template_parse(data: &[u8]) {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    let (text, _) = split(data);
    let text = text.to_string();
    big_stack(move || {
        let names = NAMES.get_or_init(|| {
            let funcs = pchart::funcs::helm_funcs();
            funcs.keys().map(|k| k.to_string()).collect()
        });
        let has = |n: &str| names.iter().any(|k| k == n);
        let _ = pchart::template::parse::parse("t", &text, &has);
    });
}

/// Parse and execute a template (before the first NUL byte) with values
/// (YAML, after it), through Helm's rendering engine and function map.
pub fn template_exec(data: &[u8]) {
    let (t, v) = split(data);
    if names_slow_func(t) {
        return;
    }
    let (t, v) = (t.to_string(), v.to_string());
    big_stack(move || render(&t, &v));
}

/// The YAML reader: values files, `fromYaml`, `fromYamlArray`, documents,
/// and writing back what was read.
pub fn yaml_read(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let s = s.to_string();
    big_stack(move || {
        let _ = pchart::yaml::parse_values(&s);
        let _ = pchart::yaml::parse_values_located(&s);
        let _ = pchart::yaml::parse_array(&s);
        let _ = pchart::yaml::parse_document_list(&s);
        if let Ok(v) = pchart::yaml::parse_any(&s) {
            let _ = pchart::yaml::to_yaml(&v);
            let _ = pchart::yaml::to_json(&v);
        }
    });
}

/// `--set` parsing, every flavour, into one destination; `--set-file`
/// reads a fake file.
pub fn strvals_set(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let s = s.to_string();
    big_stack(move || {
        let mut dest = Value::empty_map();
        for kind in [
            SetKind::Typed,
            SetKind::String,
            SetKind::Json,
            SetKind::Literal,
            SetKind::File,
        ] {
            let mut read = |p: &str| Ok(format!("content of {p}"));
            let _ = parse_set_with(&s, &mut dest, kind, &mut read);
        }
    });
}

/// The files of a chart from fuzz input: a gzip stream (starts with
/// 1f 8b) is read as a chart archive (`.tgz`); anything else is
/// `name NUL content NUL name NUL content ...`, names relative to the
/// chart's root (`Chart.yaml`, `templates/a.yaml`, `charts/sub.tgz`).
pub fn chart_files(data: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    if data.starts_with(&[0x1f, 0x8b]) {
        return pchart::chart::archive::read_archive(data);
    }
    let mut parts = data.split(|b| *b == 0);
    let mut out = Vec::new();
    while let Some(name) = parts.next() {
        let content = parts.next().unwrap_or_default();
        out.push((String::from_utf8_lossy(name).into_owned(), content.to_vec()));
    }
    Ok(out)
}

/// A whole untrusted chart: archive reading, `Chart.yaml` and the other
/// metadata, subcharts (also nested `.tgz`), dependency processing, value
/// coalescing, values-schema validation, rendering and manifest sorting:
/// the `helm template` pipeline with default values.
pub fn chart_load(data: &[u8]) {
    let Ok(files) = chart_files(data) else {
        return;
    };
    if files
        .iter()
        .any(|(_, content)| names_slow_func(&String::from_utf8_lossy(content)))
    {
        return;
    }
    big_stack(move || {
        let Ok(chart) = Chart::from_memory(files, "fuzz") else {
            return;
        };
        install_limits();
        let _ = pchart::render::release::render_release(
            chart,
            &Value::empty_map(),
            &RenderOptions::default(),
        );
    });
}
