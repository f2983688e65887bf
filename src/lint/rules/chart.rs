//! Chart.yaml checks that `helm lint` makes: a name, a SemVer version, a
//! known apiVersion, and a kubeVersion constraint the target satisfies.

use super::Rule;
use crate::chart::dependencies::compatible;
use crate::lint::{Finding, RuleInfo, Severity};

pub const CHART_METADATA: Rule = Rule {
    info: RuleInfo {
        code: "PC106",
        name: "chart-metadata",
        summary: "Chart.yaml is incomplete or its kubeVersion excludes the target",
        severity: Severity::Error,
        why: "Helm refuses charts without a name or a SemVer version, with an apiVersion other than v1/v2, or whose kubeVersion constraint the cluster does not satisfy (`chart requires kubeVersion ... which is incompatible`).",
        fails: "apiVersion: v2\nname: perses\nversion: 0.1.0\nkubeVersion: \">=1.37.0-0\"",
        passes: "apiVersion: v2\nname: perses\nversion: 0.1.0\nkubeVersion: \">=1.31.0-0\"",
    },
    check: |ctx, out| {
        let c = &ctx.chart;
        let file = format!("{}/Chart.yaml", ctx.chart_label);
        let mut push = |message: String| {
            out.push(Finding {
                rule: CHART_METADATA.info.code,
                severity: CHART_METADATA.info.severity,
                message,
                file: file.clone(),
                line: 0,
                column: 0,
                path: String::new(),
                object: String::new(),
            })
        };
        let api = c.meta_str("apiVersion");
        if api != "v1" && api != "v2" {
            push(format!("apiVersion {api:?} is not v1 or v2"));
        }
        let kv = c.meta_str("kubeVersion");
        if !kv.is_empty() {
            let target = format!("{}.{}.{}", ctx.kube.0, ctx.kube.1, ctx.kube.2);
            if !compatible(&kv, &target) {
                push(format!(
                    "kubeVersion {kv:?} does not allow the target Kubernetes {target}"
                ));
            }
        }
    },
};
