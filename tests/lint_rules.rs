//! Every lint rule has a failing and a passing fixture. For the rules that
//! read values, the fixtures ARE the examples in the rule's docs (`pchart
//! explain CODE`), run against the embedded Perses chart, so the docs
//! cannot drift from the behaviour. A leading `# pchart lint ...` comment
//! in an example gives the flags (target version, feature gates).

use std::collections::BTreeMap;

use pchart::chart::Chart;
use pchart::chart::embedded::embedded_chart;
use pchart::lint::rules::ALL;
use pchart::lint::{Finding, LintContext, LintInput, lint};
use pchart::render::{RenderOptions, with_big_stack};
use pchart::template::value::Value;

fn run(chart: Chart, values: &str) -> Vec<Finding> {
    let mut kube = pchart::render::DEFAULT_KUBE_VERSION.to_string();
    let mut gates = BTreeMap::new();
    if let Some(first) = values.lines().next()
        && let Some(flags) = first.strip_prefix("# pchart lint")
    {
        let words: Vec<&str> = flags.split_whitespace().collect();
        for w in words.windows(2) {
            match w[0] {
                "--kube-version" => kube = w[1].to_string(),
                "--feature-gates" => {
                    for g in w[1].split(',') {
                        if let Some((k, v)) = g.split_once('=') {
                            gates.insert(k.to_string(), v == "true");
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let input = LintInput {
        chart,
        chart_label: "perses".into(),
        values_files: vec![("values.yaml".into(), values.to_string())],
        set_values: Value::empty_map(),
        kube_version: kube,
        feature_gates: gates,
        render: RenderOptions::default(),
        crds: Vec::new(),
    };
    let ctx = LintContext::build(input).expect("lint input");
    lint(&ctx)
}

/// Rules whose docs examples are values for the Perses chart.
const VALUES_RULES: &[&str] = &[
    "PC001", "PC002", "PC003", "PC004", "PC005", "PC006", "PC007", "PC008", "PC009", "PC010",
    "PC011", "PC012", "PC013", "PC014", "PC015", "PC016", "PC100", "PC104", "PC107",
];

#[test]
fn docs_examples_fail_and_pass() {
    let failures = with_big_stack(|| {
        let mut failures = Vec::new();
        for rule in ALL.iter().filter(|r| VALUES_RULES.contains(&r.info.code)) {
            let code = rule.info.code;
            let chart = embedded_chart().expect("embedded chart");
            let bad = run(chart.clone(), rule.info.fails);
            if !bad.iter().any(|f| f.rule == code) {
                failures.push(format!(
                    "{code}: the failing example raised nothing: {bad:#?}"
                ));
            }
            let good = run(chart, rule.info.passes);
            if let Some(f) = good.iter().find(|f| f.rule == code) {
                failures.push(format!("{code}: the passing example raised {f:#?}"));
            }
        }
        failures
    })
    .expect("thread");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_is_tested_and_documented() {
    let mut codes: Vec<&str> = ALL.iter().map(|r| r.info.code).collect();
    let n = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), n, "duplicate rule codes");
    for r in ALL {
        assert!(!r.info.why.is_empty() && !r.info.fails.is_empty() && !r.info.passes.is_empty());
        assert!(
            r.info
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-')
        );
    }
}
