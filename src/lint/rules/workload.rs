//! Checks on rendered workloads that the API schemas cannot express:
//! duplicate or undeclared volumes, duplicate mount paths, object names,
//! selectors that do not match the pod template.

use super::Rule;
use super::pod::{list, object_finding, pod_specs, str_of, volume_names};
use crate::lint::context::value_at;
use crate::lint::{RuleInfo, Severity};
use crate::value::Value;

fn containers(spec: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for key in ["initContainers", "containers"] {
        for (i, c) in list(value_at(spec, key)).into_iter().enumerate() {
            out.push((format!("{key}[{i}]"), c));
        }
    }
    out
}

/// The entries of `names` (with their index) that repeat an earlier one;
/// empty names are left to the schema checks.
fn repeats(names: &[String]) -> impl Iterator<Item = (usize, &String)> {
    names
        .iter()
        .enumerate()
        .filter(|(i, n)| !n.is_empty() && names[..*i].contains(n))
}

/// A finding of `info` for each entry of a container's `key` list whose
/// `field` repeats an earlier entry's; `message` gets the container's
/// name and the repeated value.
fn container_repeats(
    ctx: &crate::lint::LintContext,
    out: &mut Vec<crate::lint::Finding>,
    info: &RuleInfo,
    key: &str,
    field: &str,
    message: impl Fn(&str, &str) -> String,
) {
    for (o, prefix, spec) in pod_specs(ctx) {
        for (cpath, c) in containers(&spec) {
            let values: Vec<String> = list(value_at(&c, key))
                .iter()
                .map(|e| str_of(e, field))
                .collect();
            for (i, v) in repeats(&values) {
                out.push(object_finding(
                    ctx,
                    info,
                    o,
                    format!("{prefix}.{cpath}.{key}[{i}].{field}"),
                    message(&str_of(&c, "name"), v),
                ));
            }
        }
    }
}

pub const DUPLICATE_VOLUME: Rule = Rule {
    info: RuleInfo {
        code: "PC101",
        name: "duplicate-volume-name",
        summary: "Two volumes of a pod have the same name",
        severity: Severity::Error,
        why: "Volume names must be unique in a pod (volumes and a StatefulSet's volumeClaimTemplates share the namespace); the API rejects duplicates.",
        fails: "volumes:\n- {name: data, emptyDir: {}}\n- {name: data, configMap: {name: cfg}}",
        passes: "volumes:\n- {name: data, emptyDir: {}}\n- {name: config, configMap: {name: cfg}}",
    },
    check: |ctx, out| {
        for (o, prefix, spec) in pod_specs(ctx) {
            for (_, n) in repeats(&volume_names(o, &spec)) {
                out.push(object_finding(
                    ctx,
                    &DUPLICATE_VOLUME.info,
                    o,
                    format!("{prefix}.volumes"),
                    format!("volume name {n:?} is used more than once"),
                ));
            }
        }
    },
};

pub const UNDECLARED_VOLUME: Rule = Rule {
    info: RuleInfo {
        code: "PC102",
        name: "undeclared-volume-mount",
        summary: "A container mounts a volume the pod does not declare",
        severity: Severity::Error,
        why: "Every volumeMount must name a volume of the pod (or a claim template of the StatefulSet); otherwise the API rejects the workload.",
        fails: "containers:\n- name: app\n  volumeMounts: [{name: cache, mountPath: /cache}]\nvolumes: []",
        passes: "containers:\n- name: app\n  volumeMounts: [{name: cache, mountPath: /cache}]\nvolumes: [{name: cache, emptyDir: {}}]",
    },
    check: |ctx, out| {
        for (o, prefix, spec) in pod_specs(ctx) {
            let names = volume_names(o, &spec);
            for (cpath, c) in containers(&spec) {
                for (i, m) in list(value_at(&c, "volumeMounts")).iter().enumerate() {
                    let n = str_of(m, "name");
                    if !names.contains(&n) {
                        out.push(object_finding(ctx, &UNDECLARED_VOLUME.info, o, format!("{prefix}.{cpath}.volumeMounts[{i}].name"), format!("container {:?} mounts volume {n:?}, which the pod does not declare", str_of(&c, "name"))));
                    }
                }
            }
        }
    },
};

pub const DUPLICATE_MOUNT_PATH: Rule = Rule {
    info: RuleInfo {
        code: "PC103",
        name: "duplicate-mount-path",
        summary: "Two mounts of a container use the same mountPath",
        severity: Severity::Error,
        why: "mountPath must be unique per container; the API rejects the workload.",
        fails: "volumeMounts:\n- {name: a, mountPath: /data}\n- {name: b, mountPath: /data}",
        passes: "volumeMounts:\n- {name: a, mountPath: /data/a}\n- {name: b, mountPath: /data/b}",
    },
    check: |ctx, out| {
        container_repeats(
            ctx,
            out,
            &DUPLICATE_MOUNT_PATH.info,
            "volumeMounts",
            "mountPath",
            |c, p| format!("container {c:?} mounts twice at {p:?}"),
        )
    },
};

pub const OBJECT_NAME: Rule = Rule {
    info: RuleInfo {
        code: "PC104",
        name: "object-name",
        summary: "metadata.name is missing or not valid for its kind",
        severity: Severity::Error,
        why: "Each kind has its own name rule, from the API server's validation: most kinds (Deployments, ConfigMaps, custom resources) take a DNS-1123 subdomain (lowercase letters, digits, `-` and `.`, at most 253); a Service a DNS-1035 label (at most 63, starting with a letter); a Namespace a DNS-1123 label; Role, ClusterRole and their bindings any path segment (uppercase and `:` allowed); a CronJob at most 52 characters and a Job 63 (its pods are labelled `job-name: <name>`); a CustomResourceDefinition `<plural>.<group>`. A `fullnameOverride` with capitals or underscores fails at install time.",
        fails: "fullnameOverride: Perses_Prod",
        passes: "fullnameOverride: perses-prod",
    },
    check: |ctx, out| {
        for o in &ctx.objects {
            if o.kind.is_empty() {
                continue;
            }
            let api = str_of(&o.value, "apiVersion");
            if let Some(why) =
                crate::validate::k8s::names::name_problem(&o.value, &api, &o.kind, &o.name)
            {
                out.push(object_finding(
                    ctx,
                    &OBJECT_NAME.info,
                    o,
                    "metadata.name".into(),
                    why,
                ));
            }
        }
    },
};

pub const STATEFULSET_NAME: Rule = Rule {
    info: RuleInfo {
        code: "PC107",
        name: "statefulset-name",
        summary: "A StatefulSet name longer than 52 characters or with a dot",
        severity: Severity::Error,
        why: "The API accepts any DNS-1123 subdomain as a StatefulSet name, but its pods are not created when the name is longer than 52 characters or contains a dot: the controller labels every pod `controller-revision-hash: <name>-<hash>`, the hash has up to 10 digits (a 32-bit number; most have 10), and a label value has at most 63 characters; and each pod's hostname is its name (`<name>-<ordinal>`), which must be a DNS-1123 label. The StatefulSet exists, its pods do not. Shorten `fullnameOverride` (or the release name).",
        fails: "fullnameOverride: perses-observability-dashboards-production-eu-west-1a",
        passes: "fullnameOverride: perses-prod-eu-west-1a",
    },
    check: |ctx, out| {
        for o in &ctx.objects {
            if o.kind != "StatefulSet" || o.name.is_empty() {
                continue;
            }
            let why = if o.name.len() > 52 {
                format!(
                    "has {} characters: its pods' controller-revision-hash label is <name>-<hash of up to 10 digits>, which for most hashes exceeds the 63 characters a label value may have, and then its pods are not created; at most 52",
                    o.name.len()
                )
            } else if o.name.contains('.') {
                "contains '.': each pod's hostname is <name>-<ordinal>, which must be a DNS-1123 label, so no pod is created".to_string()
            } else {
                continue;
            };
            out.push(object_finding(
                ctx,
                &STATEFULSET_NAME.info,
                o,
                "metadata.name".into(),
                format!("StatefulSet name {:?} {why}", o.name),
            ));
        }
    },
};

pub const SELECTOR_MISMATCH: Rule = Rule {
    info: RuleInfo {
        code: "PC105",
        name: "selector-mismatch",
        summary: "A workload's selector does not match its pod template labels",
        severity: Severity::Error,
        why: "Deployments, StatefulSets and DaemonSets must select their own pods: the API rejects `selector does not match template labels`.",
        fails: "selector: {matchLabels: {app: perses}}\ntemplate:\n  metadata: {labels: {app: web}}",
        passes: "selector: {matchLabels: {app: perses}}\ntemplate:\n  metadata: {labels: {app: perses}}",
    },
    check: |ctx, out| {
        for o in &ctx.objects {
            if !["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].contains(&o.kind.as_str())
            {
                continue;
            }
            let Some(Value::Map(sel, _)) = value_at(&o.value, "spec.selector.matchLabels") else {
                continue;
            };
            let labels = match value_at(&o.value, "spec.template.metadata.labels") {
                Some(Value::Map(l, _)) => l.borrow().clone(),
                _ => Default::default(),
            };
            for (k, v) in sel.borrow().iter() {
                if labels.get(k).map(crate::go::fmt::sprint_one)
                    != Some(crate::go::fmt::sprint_one(v))
                {
                    out.push(object_finding(
                        ctx,
                        &SELECTOR_MISMATCH.info,
                        o,
                        format!("spec.selector.matchLabels.{k}"),
                        format!(
                            "selector {k}={} does not match the pod template's labels",
                            crate::go::fmt::sprint_one(v)
                        ),
                    ));
                }
            }
        }
    },
};

pub const DATA_TOO_LARGE: Rule = Rule {
    info: RuleInfo {
        code: "PC108",
        name: "data-too-large",
        summary: "A ConfigMap's or Secret's data is larger than 1 MiB",
        severity: Severity::Error,
        why: "The API server refuses a ConfigMap whose `data` and `binaryData` values total more than 1 MiB (1,048,576 bytes; `ValidateConfigMap`), and a Secret whose decoded `data` (with `stringData`) does (`ValidateSecret`). Dashboards or files embedded with `.Files.Get` grow past it unnoticed; the install fails. Split the data over several objects, or ship it another way (an OCI artifact, a volume).",
        fails: "kind: ConfigMap\ndata:\n  dashboards.json: <1.2 MiB of JSON>",
        passes: "kind: ConfigMap\ndata:\n  dashboards.json: <200 KiB of JSON>",
    },
    check: |ctx, out| {
        const MAX: usize = 1 << 20;
        for o in &ctx.objects {
            let keys: &[(&str, bool)] = match o.kind.as_str() {
                "ConfigMap" => &[("data", false), ("binaryData", true)],
                "Secret" => &[("data", true), ("stringData", false)],
                _ => continue,
            };
            let mut total = 0usize;
            for (key, base64) in keys {
                if let Some(Value::Map(m, _)) = value_at(&o.value, key) {
                    for v in m.borrow().values() {
                        let Value::String(s) = v else { continue };
                        total += if *base64 { decoded_len(s) } else { s.len() };
                    }
                }
            }
            if total > MAX {
                out.push(object_finding(
                    ctx,
                    &DATA_TOO_LARGE.info,
                    o,
                    "data".into(),
                    format!("its data totals {total} bytes, more than the API's limit of {MAX} bytes (1 MiB)"),
                ));
            }
        }
    },
};

/// Bytes a base64 string decodes to (newlines skipped, padding counted).
fn decoded_len(s: &str) -> usize {
    let body = s.bytes().filter(|c| !c.is_ascii_whitespace()).count();
    let pad = s
        .bytes()
        .rev()
        .filter(|c| !c.is_ascii_whitespace())
        .take_while(|&c| c == b'=')
        .count();
    (body / 4 * 3).saturating_sub(pad)
}

pub const DUPLICATE_ENV: Rule = Rule {
    info: RuleInfo {
        code: "PC109",
        name: "duplicate-env-name",
        summary: "A container sets the same environment variable twice",
        severity: Severity::Error,
        why: "Helm 4 installs with server-side apply, where a container's `env` is a list keyed by `name`: a duplicate name fails the install (`duplicate entries for key [name=...]`). With client-side apply the API only warns and the last entry silently wins, so an `extraEnvVars` entry that repeats a variable the chart sets may or may not take effect. Set each variable once.",
        fails: "containers:\n- name: app\n  env:\n  - {name: MODE, value: fast}\n  - {name: MODE, value: safe}",
        passes: "containers:\n- name: app\n  env:\n  - {name: MODE, value: safe}",
    },
    check: |ctx, out| {
        container_repeats(ctx, out, &DUPLICATE_ENV.info, "env", "name", |c, n| {
            format!(
                "container {c:?} sets {n:?} more than once (server-side apply, Helm 4's default, refuses it)"
            )
        })
    },
};

pub const INVALID_METADATA: Rule = Rule {
    info: RuleInfo {
        code: "PC110",
        name: "invalid-labels",
        summary: "A label or annotation the API server refuses",
        severity: Severity::Error,
        why: "The API server validates every object's metadata (ValidateObjectMeta): label and annotation keys are qualified names (`[prefix/]name`, the name at most 63 alphanumerics, `-`, `_`, `.`), label values at most 63 of the same characters starting and ending with an alphanumeric, and all annotations together at most 256 KiB. A chart version with build metadata (`1.0.0+build`) in a `helm.sh/chart` label, or a long release name in a label value, fails the install. Pod template and selector labels are checked too.",
        fails: "additionalLabels:\n  build: 1.0.0+sha.5114f85",
        passes: "additionalLabels:\n  build: 1.0.0_sha.5114f85",
    },
    check: |ctx, out| {
        use crate::validate::k8s::names::{is_label_value, is_qualified_name};
        for o in &ctx.objects {
            let mut places = vec![
                ("metadata.labels".to_string(), true),
                ("metadata.annotations".to_string(), false),
            ];
            // Pod templates and selectors of built-in workloads only: in a
            // custom resource (an ApplicationSet's `{{.env}}`) they are
            // whatever its controller makes of them.
            let group =
                crate::validate::k8s::schema::group_of(&str_of(&o.value, "apiVersion")).to_string();
            let template = match (group.as_str(), o.kind.as_str()) {
                ("apps", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
                | ("batch", "Job")
                | ("", "ReplicationController") => Some("spec.template"),
                ("batch", "CronJob") => Some("spec.jobTemplate.spec.template"),
                ("", "PodTemplate") => Some("template"),
                _ => None,
            };
            if let Some(t) = template {
                places.push((format!("{t}.metadata.labels"), true));
                places.push((format!("{t}.metadata.annotations"), false));
                if t.starts_with("spec.") {
                    places.push(("spec.selector.matchLabels".into(), true));
                }
            }
            for (place, labels) in places {
                let Some(Value::Map(m, _)) = value_at(&o.value, &place) else {
                    continue;
                };
                let mut total = 0usize;
                for (k, v) in m.borrow().iter() {
                    let text = match v {
                        Value::String(x) => x.to_string(),
                        Value::Nil => String::new(),
                        // A non-string is K8S002's.
                        _ => continue,
                    };
                    total += k.len() + text.len();
                    // Plain keys as `a.b` so the value can be traced to
                    // the values line that set it.
                    let plain = k
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                    let key_path = if plain {
                        format!("{place}.{k}")
                    } else {
                        format!("{place}[{k:?}]")
                    };
                    if !is_qualified_name(k) {
                        out.push(object_finding(ctx, &INVALID_METADATA.info, o, key_path.clone(), format!("{} key {k:?} is not a qualified name ([prefix/]name: a DNS subdomain prefix, a name of at most 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit)", if labels { "label" } else { "annotation" })));
                    }
                    if labels && !is_label_value(&text) {
                        out.push(object_finding(ctx, &INVALID_METADATA.info, o, key_path, format!("label {k}={text:?} has an invalid value (at most 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit)")));
                    }
                }
                if !labels && total > 256 * 1024 {
                    out.push(object_finding(ctx, &INVALID_METADATA.info, o, place.clone(), format!("its annotations total {total} bytes, more than the 262144 (256 KiB) the API allows")));
                }
            }
        }
    },
};
