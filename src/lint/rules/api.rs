//! Every rendered object against the Kubernetes API of the target version
//! (1.31-1.37 embedded; see `src/validate/k8s`), and custom resources
//! against a CustomResourceDefinition from the chart (`crds/`, templates) or
//! `--crd FILE`. One rule per finding kind; the validation runs once per
//! lint and each rule takes its share.

use super::Rule;
use super::pod::object_finding;
use crate::lint::{Finding, LintContext, RuleInfo, Severity};
use crate::validate::k8s::{self, ApiFinding, Code};

/// All API findings: (object index, finding), computed once.
fn api_findings(ctx: &LintContext) -> &Vec<(usize, ApiFinding)> {
    ctx.api_cache.get_or_init(|| {
        let kube = (ctx.kube.0 as u32, ctx.kube.1 as u32);
        let mut crds = ctx.extra_crds.clone();
        crds.extend(
            ctx.objects
                .iter()
                .filter(|o| o.kind == "CustomResourceDefinition")
                .map(|o| o.value.clone()),
        );
        if let Some(rel) = &ctx.release {
            for (_, text) in rel.crd_texts() {
                for doc in crate::render::manifest::split_manifests(&text) {
                    if let Ok(v) = crate::yaml::parse_any(&doc) {
                        crds.push(v);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (i, o) in ctx.objects.iter().enumerate() {
            let mut found = k8s::validate_object(&o.value, kube);
            // A kind the API does not know may be a custom resource.
            if found.iter().any(|f| f.code == Code::UnknownKind) {
                found.retain(|f| f.code != Code::UnknownKind);
                found.extend(k8s::validate_custom(&o.value, &crds, kube));
            }
            out.extend(found.into_iter().map(|f| (i, f)));
        }
        out
    })
}

fn check(ctx: &LintContext, code: Code, info: &RuleInfo, out: &mut Vec<Finding>) {
    for (i, f) in api_findings(ctx) {
        if f.code != code {
            continue;
        }
        let Some(o) = ctx.objects.get(*i) else {
            continue;
        };
        out.push(object_finding(
            ctx,
            info,
            o,
            f.path.clone(),
            f.message.clone(),
        ));
    }
}

macro_rules! api_rule {
    ($id:ident, $code:expr, $name:literal, $sev:expr, $summary:literal, $why:literal, $fails:literal, $passes:literal) => {
        pub const $id: Rule = Rule {
            info: RuleInfo {
                code: $code.id(),
                name: $name,
                summary: $summary,
                severity: $sev,
                why: $why,
                fails: $fails,
                passes: $passes,
            },
            check: |ctx, out| check(ctx, $code, &$id.info, out),
        };
    };
}

api_rule!(
    UNKNOWN_FIELD,
    Code::UnknownField,
    "unknown-field",
    Severity::Error,
    "A field the Kubernetes API does not know",
    "A typo (`contianers`) or a field of another version is rejected by `kubectl apply --validate=strict` and silently dropped by Helm's apply: the setting never takes effect. Custom resources are checked as the apiextensions API server prunes them: fields their CRD's schema does not declare (unless `x-kubernetes-preserve-unknown-fields`), while `metadata` (at the root and in `x-kubernetes-embedded-resource` objects) is always ObjectMeta, whatever the CRD says about it.",
    "spec:\n  template:\n    spec:\n      contianers: []",
    "spec:\n  template:\n    spec:\n      containers: []"
);
api_rule!(
    WRONG_TYPE,
    Code::WrongType,
    "wrong-type",
    Severity::Error,
    "A value of the wrong type for its field",
    "The API server rejects a string for an integer (`replicas: \"3\"`), a number for a string, an invalid quantity, base64 or date. Quantities and int-or-string fields accept both forms, as the API does.",
    "spec:\n  replicas: \"3\"",
    "spec:\n  replicas: 3"
);
api_rule!(
    MISSING_REQUIRED,
    Code::MissingRequired,
    "missing-required",
    Severity::Error,
    "A required field is missing or null",
    "The API server refuses objects without required fields, such as a container without `name` or `image`. In a custom resource, a required field whose CRD schema has a `default` is not missing: the API server applies structural defaults before it validates. An `x-kubernetes-embedded-resource` object needs `apiVersion` and `kind`.",
    "containers:\n- image: nginx:1.27",
    "containers:\n- name: web\n  image: nginx:1.27"
);
api_rule!(
    REMOVED_API,
    Code::RemovedApi,
    "removed-api",
    Severity::Error,
    "The apiVersion/kind is not served by the target Kubernetes version",
    "An apiVersion removed in (or added after) the target version cannot be installed at all, e.g. `policy/v1beta1` PodDisruptionBudget (removed in 1.25). A chart that picks the version with `.Capabilities.APIVersions.Has` renders the old one when it cannot see a cluster, as `helm template` does (Helm's default API set has no `apiregistration.k8s.io/v1`, for instance): tell pchart what your cluster serves with `-a apiregistration.k8s.io/v1` and the chart renders the served version.",
    "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget",
    "apiVersion: policy/v1\nkind: PodDisruptionBudget"
);
api_rule!(
    DEPRECATED_API,
    Code::DeprecatedApi,
    "deprecated-api",
    Severity::Warning,
    "The apiVersion/kind is deprecated in the target version",
    "A deprecated API still works but will be removed; the message names the replacement and the version that removes it.",
    "apiVersion: v1\nkind: Endpoints   # deprecated from 1.33",
    "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice"
);
api_rule!(
    UNKNOWN_KIND,
    Code::UnknownKind,
    "unknown-kind",
    Severity::Note,
    "A custom resource with no CustomResourceDefinition to validate it against",
    "Custom resources are validated against a CRD found in the chart (`crds/` or templates) or given with `--crd FILE`; without one the object is reported as not validated.",
    "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor",
    "# pchart lint --crd servicemonitors.crd.yaml"
);
api_rule!(
    API_NOT_ENABLED,
    Code::ApiNotEnabled,
    "api-not-enabled",
    Severity::Note,
    "An alpha API, or a beta API off by default",
    "Alpha APIs, and beta APIs added after 1.24, are served only when enabled with kube-apiserver `--runtime-config`.",
    "apiVersion: resource.k8s.io/v1alpha3",
    "apiVersion: resource.k8s.io/v1"
);
api_rule!(
    UNSUPPORTED_VALUE,
    Code::UnsupportedValue,
    "unsupported-value",
    Severity::Error,
    "A value outside the closed set the API accepts for the field",
    "Many string fields take one of a few exact, case-sensitive values (`Unsupported value` from the API server's validation): a toleration's `operator` is `Equal` or `Exists`, `imagePullPolicy` is `Always`, `IfNotPresent` or `Never`, a Service `type` is `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`, and so on; a CustomResourceDefinition's `enum` works the same way. Anything else is rejected at install time. An empty string is accepted: it means unset.",
    "tolerations:\n  - key: dedicated\n    operator: Equals\n    value: monitoring",
    "tolerations:\n  - key: dedicated\n    operator: Equal\n    value: monitoring"
);

#[cfg(test)]
mod tests {
    use super::super::ALL;
    use crate::validate::k8s::Code;

    /// Every kind of API finding is reported by exactly one rule, and the
    /// rules' names and severities never change.
    #[test]
    fn one_rule_per_code() {
        let rules: Vec<String> = Code::ALL
            .iter()
            .map(|c| {
                let r: Vec<_> = ALL.iter().filter(|r| r.info.code == c.id()).collect();
                assert_eq!(r.len(), 1, "{}", c.id());
                let i = &r[0].info;
                format!("{} {} {}", i.code, i.name, i.severity.as_str())
            })
            .collect();
        assert_eq!(
            rules,
            [
                "K8S001 unknown-field error",
                "K8S002 wrong-type error",
                "K8S003 missing-required error",
                "K8S004 removed-api error",
                "K8S005 deprecated-api warning",
                "K8S006 unknown-kind note",
                "K8S007 api-not-enabled note",
                "K8S008 unsupported-value error",
            ]
        );
    }
}
