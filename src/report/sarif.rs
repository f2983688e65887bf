//! `--format sarif`: SARIF 2.1.0 with one reporting descriptor per rule
//! (stable ids), for GitHub code scanning and other SARIF viewers.

use super::codes::all_codes;
use crate::lint::{Finding, RuleInfo, Severity};

pub fn render(findings: &[Finding]) -> String {
    // Golden-file codes (pchart test/diff) follow the lint rules.
    let infos: Vec<&RuleInfo> = all_codes().collect();
    let rules: Vec<serde_json::Value> = infos
        .iter()
        .map(|i| {
            serde_json::json!({
                "id": i.code,
                "name": i.name,
                "shortDescription": {"text": i.summary},
                "fullDescription": {"text": i.why},
                "defaultConfiguration": {"level": level(i.severity)},
                "help": {"text": format!("{}\n\nFails:\n{}\n\nPasses:\n{}", i.why, i.fails, i.passes)},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let mut region = serde_json::json!({});
            if f.line > 0 {
                region = serde_json::json!({"startLine": f.line, "startColumn": f.column.max(1)});
            }
            let mut r = serde_json::json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": f.message},
                "properties": {"path": f.path, "object": f.object},
            });
            if let Some(i) = infos.iter().position(|i| i.code == f.rule) {
                r["ruleIndex"] = serde_json::json!(i);
            }
            if !f.file.is_empty() {
                r["locations"] = serde_json::json!([{
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file},
                        "region": region,
                    }
                }]);
            }
            r
        })
        .collect();
    let doc = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "pchart",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/pchart/pchart",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}
