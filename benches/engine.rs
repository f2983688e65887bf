//! Parse and execute a realistic ~300-line chart template (a Deployment-style
//! manifest with helpers, ranges, conditionals and printf).

use criterion::{Criterion, criterion_group, criterion_main};
use pchart::chart::Chart;
use pchart::render::{RenderOptions, Renderer};
use pchart::template::parse::parse;
use pchart::value::{Map, Value};

// The allocator the pchart binary runs with (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const HELPERS: &str = r#"{{- define "app.name" -}}{{ .Chart.Name }}{{- end -}}
{{- define "app.fullname" -}}{{ printf "%s-%s" .Release.Name .Chart.Name }}{{- end -}}
{{- define "app.labels" -}}
app.kubernetes.io/name: {{ include "app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
"#;

fn template() -> String {
    let block = r#"---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}-NN
  labels:
{{ include "app.labels" . | indent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          {{- if .Values.env }}
          env:
          {{- range $k, $v := .Values.env }}
            - name: {{ $k }}
              value: {{ $v | printf "%q" }}
          {{- end }}
          {{- end }}
          ports:
          {{- range .Values.ports }}
            - containerPort: {{ .port }}
              name: {{ .name }}
          {{- end }}
          {{- with .Values.resources }}
          resources:
            limits:
              cpu: {{ .cpu }}
              memory: {{ .memory }}
          {{- end }}
"#;
    (0..10)
        .map(|i| block.replace("NN", &i.to_string()))
        .collect()
}

fn chart() -> (Chart, Value) {
    let values = pchart::yaml::parse_values(
        "replicas: 3\nimage: {repository: nginx, tag: '1.27'}\nenv: {A: x, B: y, C: z}\nports: [{port: 80, name: http}, {port: 443, name: https}]\nresources: {cpu: 500m, memory: 128Mi}\n",
    )
    .unwrap_or_else(|_| Value::empty_map());
    let mut metadata = Map::new();
    metadata.insert("name".into(), Value::str("app"));
    let chart = Chart {
        metadata,
        name: "app".into(),
        values: values.clone(),
        templates: vec![
            ("templates/_helpers.tpl".into(), HELPERS.into()),
            (
                "templates/deploy.yaml".into(),
                template().replace("| indent 4", ""),
            ),
        ],
        files: Vec::new(),
        ..Chart::default()
    };
    (chart, values)
}

fn bench(c: &mut Criterion) {
    let text = template().replace("| indent 4", "");
    let funcs = pchart::funcs::helm_funcs();
    let has = |n: &str| funcs.contains_key(n);
    eprintln!("template: {} lines", text.lines().count());
    c.bench_function("parse 300-line template", |b| {
        b.iter(|| parse("app/templates/deploy.yaml", &text, &has))
    });
    let (chart, values) = chart();
    // One renderer executes the template many times: lift the per-render
    // step budget, or later iterations would time the "too many steps" error.
    pchart::limits::install(pchart::limits::Limits {
        max_steps: u64::MAX,
        ..pchart::limits::Limits::DEFAULT
    });
    let opts = RenderOptions::default();
    let r = match Renderer::new(&chart, &values, &opts, &[]) {
        Ok(r) => r,
        Err(e) => panic!("bench chart does not parse: {e}"),
    };
    // A bench of an error path would measure nothing: check the output.
    match r.render_one("app/templates/deploy.yaml") {
        Ok(out) => eprintln!(
            "rendered: {} lines, {} bytes",
            out.lines().count(),
            out.len()
        ),
        Err(e) => panic!("bench template does not render: {}", e.0),
    }
    c.bench_function("execute 300-line template", |b| {
        b.iter(|| r.render_one("app/templates/deploy.yaml"))
    });
    c.bench_function("parse + execute (Renderer::new + render)", |b| {
        b.iter(|| {
            Renderer::new(&chart, &values, &RenderOptions::default(), &[])
                .map(|r| r.render_one("app/templates/deploy.yaml"))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
