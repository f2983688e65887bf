//! Whole-chart rendering (`helm template` pipeline: load from disk, render,
//! sort, print) of the Perses chart and every test chart that renders with
//! its defaults, and just reading those charts' files; plus `toYaml` and
//! values-file parsing on a generated 2,000-line values file.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use pchart::chart::Chart;
use pchart::render::RenderOptions;
use pchart::render::release::{OutputOptions, render_release, template_output};
use pchart::value::Value;

// The allocator the pchart binary runs with (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A values file of 2,014 lines (106 blocks of 19): nested maps, lists, quoted and plain
/// scalars, numbers and booleans, like a large umbrella chart's values.
fn big_values() -> String {
    let mut s = String::new();
    for i in 0..106 {
        s.push_str(&format!(
            "service{i}:\n  enabled: true\n  replicas: {i}\n  image:\n    repository: registry.example.com/team/app-{i}\n    tag: \"v1.{i}.0\"\n    pullPolicy: IfNotPresent\n  resources:\n    limits: {{cpu: 500m, memory: 256Mi}}\n  env:\n    - name: LOG_LEVEL\n      value: info\n    - name: RATIO\n      value: \"0.{i}\"\n  annotations:\n    note: \"a long description of service {i} that is long enough to be folded when written back by toYaml at eighty columns\"\n  ports: [80, 443, 8080]\n  labels:\n    tier: backend\n"
        ));
    }
    s
}

/// Every file under `dir`, read the plainest way (no `.helmignore`, checks
/// or sorting): the floor under any chart loader, which
/// scripts/bench-vs-helm.py sets against Helm's whole render.
fn read_files(dir: &Path) -> usize {
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        match entry.file_type() {
            Ok(t) if t.is_dir() => bytes += read_files(&entry.path()),
            Ok(_) => bytes += std::fs::read(entry.path()).map_or(0, |b| b.len()),
            Err(_) => {}
        }
    }
    bytes
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let opts = RenderOptions::default();
    let out = OutputOptions::default();
    // The Perses chart and every test chart that renders with its defaults
    // (the same set scripts/bench-vs-helm.py times with Helm).
    let mut charts = Vec::new();
    if root.join("charts/perses/Chart.yaml").exists() {
        charts.push(("perses".to_string(), root.join("charts/perses")));
    }
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("tests/charts"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let renders = Chart::load(&dir)
            .ok()
            .is_some_and(|c| render_release(c, &Value::empty_map(), &opts).is_ok());
        if renders && let Some(name) = dir.file_name() {
            charts.push((name.to_string_lossy().into_owned(), dir));
        }
    }
    for (name, dir) in charts {
        c.bench_function(&format!("read files {name}"), |b| {
            b.iter(|| read_files(&dir))
        });
        // The engine alone, on a chart already in memory (Helm's
        // `Chart.load` once, then `render`); the clone is part of it.
        if let Ok(loaded) = Chart::load(&dir) {
            c.bench_function(&format!("render {name}"), |b| {
                b.iter(|| {
                    let rel = render_release(loaded.clone(), &Value::empty_map(), &opts)
                        .map_err(|e| e.0)?;
                    Ok::<_, String>(template_output(&rel, &out))
                })
            });
        }
        c.bench_function(&format!("load+render {name}"), |b| {
            b.iter(|| {
                let chart = Chart::load(&dir).map_err(|e| e.0)?;
                let rel = render_release(chart, &Value::empty_map(), &opts).map_err(|e| e.0)?;
                Ok::<_, String>(template_output(&rel, &out))
            })
        });
    }
    let text = big_values();
    c.bench_function("parse 2000-line values", |b| {
        b.iter(|| pchart::yaml::parse_values(&text))
    });
    let Ok(values) = pchart::yaml::parse_values(&text) else {
        return;
    };
    c.bench_function("toYaml 2000-line values", |b| {
        b.iter(|| pchart::yaml::to_yaml(&values))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
