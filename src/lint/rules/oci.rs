//! Rules for Perses resources mounted from an OCI artifact through a
//! Kubernetes image volume (`ociArtifacts`), and for the provisioning
//! settings they depend on. They read values, so they apply to any chart
//! with the Perses chart's keys, and point at the values file line to fix.
//!
//! Facts encoded (KEP-4639): image volumes are absent before 1.31; alpha in
//! 1.31-1.32 and beta in 1.33-1.34 with the `ImageVolume` gate off by
//! default; on by default in 1.35; GA (locked on) in 1.36. `subPath` on an
//! image mount is rejected before 1.33 and needs CRI-O 1.33+ or containerd
//! 2.2+ after (older containerd ignores it silently).

use super::Rule;
use super::pod::{list, pod_specs, str_of, volume_names};
use crate::lint::oci_ref;
use crate::lint::{LintContext, RuleInfo, Severity};
use crate::validate::k8s::names::is_dns1123_label;
use crate::value::Value;

const OCI: &str = "ociArtifacts";

fn oci_set(ctx: &LintContext) -> bool {
    matches!(ctx.value(OCI), Some(Value::Map(m, _)) if !m.borrow().is_empty())
}

fn folders(ctx: &LintContext) -> Vec<String> {
    match ctx.value("config.provisioning.folders") {
        Some(Value::List(l, _)) => l
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The mount path the chart uses: `ociArtifacts.mountPath`, else the first
/// provisioning folder (the Perses chart's default).
fn mount_path(ctx: &LintContext) -> (String, bool) {
    let p = ctx.str_value("ociArtifacts.mountPath");
    if !p.is_empty() {
        return (p, true);
    }
    (folders(ctx).first().cloned().unwrap_or_default(), false)
}

/// Clean a slash path: no empty or `.` segments, `..` resolved, no
/// trailing slash.
fn clean(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

fn within(path: &str, folder: &str) -> bool {
    let (p, f) = (clean(path), clean(folder));
    p == f || f == "/" || p.starts_with(&format!("{f}/"))
}

fn has_file(ctx: &LintContext) -> bool {
    matches!(ctx.value("config.database.file"), Some(Value::Map(..)))
}

fn has_sql(ctx: &LintContext) -> bool {
    matches!(ctx.value("config.database.sql"), Some(Value::Map(..)))
}

fn minor(ctx: &LintContext) -> u64 {
    if ctx.kube.0 > 1 { u64::MAX } else { ctx.kube.1 }
}

pub const MOUNT_OUTSIDE_PROVISIONING: Rule = Rule {
    info: RuleInfo {
        code: "PC001",
        name: "oci-mount-outside-provisioning",
        summary: "The OCI artifact's mountPath is not inside a provisioning folder",
        severity: Severity::Error,
        why: "Perses loads resources only from `config.provisioning.folders` (recursively). An artifact mounted anywhere else is pulled and mounted but never read: dashboards silently do not appear. The mountPath must be absolute and equal to, or inside, one of the folders.",
        fails: "config:\n  provisioning:\n    folders: [/etc/perses/provisioning]\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}\n  mountPath: /data/dashboards",
        passes: "config:\n  provisioning:\n    folders: [/etc/perses/provisioning]\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}\n  mountPath: /etc/perses/provisioning/dashboards",
    },
    check: |ctx, out| {
        if !oci_set(ctx) {
            return;
        }
        let (path, explicit) = mount_path(ctx);
        let at = if explicit {
            "ociArtifacts.mountPath"
        } else {
            OCI
        };
        let info = &MOUNT_OUTSIDE_PROVISIONING.info;
        if path.is_empty() {
            out.push(ctx.at_value(info, at, "ociArtifacts has no mountPath and config.provisioning.folders is empty, so the artifact has nowhere to be read from".into()));
            return;
        }
        if !path.starts_with('/') {
            out.push(ctx.at_value(
                info,
                at,
                format!("mountPath {path:?} must be an absolute path"),
            ));
            return;
        }
        let fs = folders(ctx);
        if !fs.iter().any(|f| within(&path, f)) {
            out.push(ctx.at_value(
                info,
                at,
                format!(
                    "mountPath {path:?} is not inside any provisioning folder ({}): Perses will never load the artifact",
                    if fs.is_empty() { "none configured".to_string() } else { fs.join(", ") }
                ),
            ));
        }
    },
};

pub const NEEDS_FILE_STORAGE: Rule = Rule {
    info: RuleInfo {
        code: "PC002",
        name: "oci-needs-file-storage",
        summary: "ociArtifacts is set but the chart does not use file storage",
        severity: Severity::Error,
        why: "The artifact volume is part of the StatefulSet that file storage (`config.database.file`) creates. With SQL storage the chart renders a Deployment and the artifact would not be mounted (the upstream chart drops it silently).",
        fails: "config:\n  database:\n    file: null\n    sql: {db_name: perses}\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}",
        passes: "config:\n  database:\n    file: {folder: /perses, extension: json}\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}",
    },
    check: |ctx, out| {
        if oci_set(ctx) && !has_file(ctx) {
            let why = if has_sql(ctx) {
                "SQL storage renders a Deployment without the artifact volume"
            } else {
                "no storage is configured"
            };
            out.push(ctx.at_value(
                &NEEDS_FILE_STORAGE.info,
                OCI,
                format!("ociArtifacts needs file storage (config.database.file): {why}, so the artifact would never be mounted"),
            ));
        }
    },
};

pub const FILE_AND_SQL: Rule = Rule {
    info: RuleInfo {
        code: "PC003",
        name: "file-and-sql-storage",
        summary: "Both file and SQL storage are configured",
        severity: Severity::Error,
        why: "Perses refuses to start when `config.database` has both `file` and `sql`. Because `file` is the chart's default, choosing SQL means setting `config.database.file: null`.",
        fails: "config:\n  database:\n    sql: {db_name: perses}",
        passes: "config:\n  database:\n    file: null\n    sql: {db_name: perses}",
    },
    check: |ctx, out| {
        if has_file(ctx) && has_sql(ctx) {
            out.push(ctx.at_value(
                &FILE_AND_SQL.info,
                "config.database.sql",
                "config.database.file and config.database.sql are both set: Perses refuses to start; set config.database.file: null to use SQL".into(),
            ));
        }
    },
};

pub const UNSUPPORTED_VERSION: Rule = Rule {
    info: RuleInfo {
        code: "PC004",
        name: "image-volume-unsupported",
        summary: "Image volumes do not exist in the target Kubernetes version",
        severity: Severity::Error,
        why: "The `image` volume source was added in Kubernetes 1.31 (alpha). Older API servers reject the pod spec, so the StatefulSet never creates pods.",
        fails: "# pchart lint --kube-version 1.30\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}",
        passes: "# pchart lint --kube-version 1.35\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}",
    },
    check: |ctx, out| {
        if oci_set(ctx) && minor(ctx) < 31 {
            out.push(ctx.at_value(
                &UNSUPPORTED_VERSION.info,
                OCI,
                format!(
                    "image volumes need Kubernetes 1.31 or later; the target is {}",
                    ctx.kube_label()
                ),
            ));
        }
    },
};

pub const FEATURE_GATE_OFF: Rule = Rule {
    info: RuleInfo {
        code: "PC005",
        name: "image-volume-gate-off",
        summary: "The ImageVolume feature gate is off for the target version",
        severity: Severity::Error,
        why: "ImageVolume is alpha in 1.31-1.32 and beta in 1.33-1.34 with the gate OFF by default; it must be enabled on both kube-apiserver and kubelet. It is on by default from 1.35 and locked on (GA) in 1.36. Declare an enabled gate with `--feature-gates ImageVolume=true`.",
        fails: "# pchart lint --kube-version 1.33\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}",
        passes: "# pchart lint --kube-version 1.33 --feature-gates ImageVolume=true\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}",
    },
    check: |ctx, out| {
        let m = minor(ctx);
        if !oci_set(ctx) || !(31..36).contains(&m) {
            return;
        }
        if !ctx.gate("ImageVolume", 35) {
            let stage = match m {
                31 | 32 => "alpha, off by default",
                33 | 34 => "beta, off by default",
                _ => "disabled by --feature-gates",
            };
            out.push(ctx.at_value(
                &FEATURE_GATE_OFF.info,
                OCI,
                format!(
                    "the ImageVolume feature gate is {stage} in Kubernetes {}: enable it on kube-apiserver and kubelet (then pass --feature-gates ImageVolume=true)",
                    ctx.kube_label()
                ),
            ));
        }
    },
};

pub const SUBPATH_VERSION: Rule = Rule {
    info: RuleInfo {
        code: "PC006",
        name: "image-volume-subpath",
        summary: "subPath on an image volume mount before Kubernetes 1.33",
        severity: Severity::Error,
        why: "The API rejects `subPath` (and `subPathExpr`) on image volume mounts before 1.33 (`not allowed in image volume sources`): the workload is never created.",
        fails: "# pchart lint --kube-version 1.32 --feature-gates ImageVolume=true\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}\n  subPath: prod",
        passes: "# pchart lint --kube-version 1.33 --feature-gates ImageVolume=true\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}\n  subPath: prod",
    },
    check: |ctx, out| {
        if !oci_set(ctx) || ctx.str_value("ociArtifacts.subPath").is_empty() {
            return;
        }
        if minor(ctx) < 33 {
            out.push(ctx.at_value(
                &SUBPATH_VERSION.info,
                "ociArtifacts.subPath",
                format!("subPath on an image volume mount is rejected by the API before Kubernetes 1.33; the target is {}", ctx.kube_label()),
            ));
        }
    },
};

pub const SUBPATH_RUNTIME: Rule = Rule {
    info: RuleInfo {
        code: "PC016",
        name: "image-volume-subpath-runtime",
        summary: "subPath on an image volume needs CRI-O 1.33+ or containerd 2.2+",
        severity: Severity::Note,
        why: "From Kubernetes 1.33 the API accepts subPath on image volume mounts, but the container runtime must implement it: CRI-O 1.33+ and containerd 2.2+ do; older containerd silently ignores it and mounts the whole artifact, so every environment's folder gets loaded.",
        fails: "# pchart lint --kube-version 1.33 --feature-gates ImageVolume=true\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}\n  subPath: prod",
        passes: "# pchart lint --kube-version 1.33 --feature-gates ImageVolume=true\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}\n  mountPath: /etc/perses/provisioning",
    },
    check: |ctx, out| {
        let sp = ctx.str_value("ociArtifacts.subPath");
        // An invalid subPath is PC013's; the runtime never sees it.
        if oci_set(ctx) && !sp.is_empty() && !subpath_invalid(&sp) && minor(ctx) >= 33 {
            out.push(ctx.at_value(
                &SUBPATH_RUNTIME.info,
                "ociArtifacts.subPath",
                "subPath on an image volume needs CRI-O 1.33+ or containerd 2.2+; older containerd ignores it and mounts the whole artifact".into(),
            ));
        }
    },
};

fn reference(ctx: &LintContext) -> String {
    ctx.str_value("ociArtifacts.image.reference")
}

pub const INVALID_REFERENCE: Rule = Rule {
    info: RuleInfo {
        code: "PC007",
        name: "oci-invalid-reference",
        summary: "The artifact's image reference is missing or not a valid OCI reference",
        severity: Severity::Error,
        why: "The kubelet cannot pull an invalid reference and the pod stays in ContainerCreating. References are `[registry/]repository[:tag][@digest]` with a lowercase repository, a tag of word characters, dots and dashes, and a digest whose length matches its algorithm.",
        fails: "ociArtifacts:\n  image: {reference: ghcr.io/Acme/Dashboards:v1}",
        passes: "ociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1}",
    },
    check: |ctx, out| {
        if !oci_set(ctx) {
            return;
        }
        let r = reference(ctx);
        let info = &INVALID_REFERENCE.info;
        if r.is_empty() {
            out.push(ctx.at_value(
                info,
                "ociArtifacts.image",
                "ociArtifacts.image.reference is required".into(),
            ));
        } else if let Err(e) = oci_ref::parse(&r) {
            out.push(ctx.at_value(
                info,
                "ociArtifacts.image.reference",
                format!("invalid OCI reference {r:?}: {e}"),
            ));
        }
    },
};

pub const MUTABLE_TAG: Rule = Rule {
    info: RuleInfo {
        code: "PC008",
        name: "oci-mutable-tag",
        summary: "The artifact uses `:latest` or no tag",
        severity: Severity::Warning,
        why: "With `:latest` or no tag the kubelet defaults pullPolicy to Always, and which content a pod gets depends on when it started: two replicas can serve different dashboards. Pin a version tag or a digest.",
        fails: "ociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:latest}",
        passes: "ociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}",
    },
    check: |ctx, out| {
        if !oci_set(ctx) {
            return;
        }
        let r = reference(ctx);
        if let Ok(p) = oci_ref::parse(&r)
            && p.digest.is_none()
            && p.tag.as_deref().is_none_or(|t| t == "latest")
        {
            out.push(ctx.at_value(
                &MUTABLE_TAG.info,
                "ociArtifacts.image.reference",
                format!("{r:?} is {}: pods started at different times can get different content; pin a version tag or a digest", if p.tag.is_some() { "the mutable tag `latest`" } else { "untagged (implicitly `latest`)" }),
            ));
        }
    },
};

pub const TAG_WITHOUT_DIGEST: Rule = Rule {
    info: RuleInfo {
        code: "PC009",
        name: "oci-tag-without-digest",
        summary: "A tag without a digest is pulled with IfNotPresent: a re-pushed tag does not reach nodes that have it",
        severity: Severity::Note,
        why: "With pullPolicy IfNotPresent (the default for a tagged reference) a node that already has a tag uses its cached copy: new content re-pushed under the same tag does not reach pods on that node, even when they are recreated, so nodes can serve different dashboards. A different tag is a different reference and is pulled normally: moving to a new tag, or rolling back to an earlier one, works. This is the setup the Perses documentation shows, and it is safe as long as tags are never re-pushed, so the rule is a note by default. Teams that re-push tags (a moving `prod` tag, a rebuilt `v1.2.0`) opt in by raising it in `.pchart.yaml` (`rules: {PC009: warning}`, or `error`), and then pin a digest (`ref:tag@sha256:...`) or publish a new tag per change.",
        fails: "ociArtifacts:\n  image:\n    reference: ghcr.io/acme/dashboards:v1.2.0\n    pullPolicy: IfNotPresent",
        passes: "ociArtifacts:\n  image:\n    reference: ghcr.io/acme/dashboards:v1.2.0@sha256:<64 hex digits>\n    pullPolicy: IfNotPresent",
    },
    check: |ctx, out| {
        if !oci_set(ctx) {
            return;
        }
        let r = reference(ctx);
        let policy = ctx.str_value("ociArtifacts.image.pullPolicy");
        if let Ok(p) = oci_ref::parse(&r)
            && p.digest.is_none()
            && p.tag.as_deref().is_some_and(|t| t != "latest")
            && (policy.is_empty() || policy == "IfNotPresent")
        {
            let (at, how) = if policy.is_empty() {
                (
                    "ociArtifacts.image.reference",
                    "is pulled with the default pullPolicy IfNotPresent",
                )
            } else {
                (
                    "ociArtifacts.image.pullPolicy",
                    "is pulled with pullPolicy IfNotPresent",
                )
            };
            out.push(ctx.at_value(
                &TAG_WITHOUT_DIGEST.info,
                at,
                format!("{r:?} has a tag but no digest and {how}: if this tag is ever re-pushed, nodes that already pulled it keep the old content (a new tag, or a rollback to another tag, is pulled normally); pin a digest if you re-push tags"),
            ));
        }
    },
};

pub const PULL_POLICY: Rule = Rule {
    info: RuleInfo {
        code: "PC010",
        name: "oci-pull-policy",
        summary: "pullPolicy is not Always, IfNotPresent or Never",
        severity: Severity::Error,
        why: "The API accepts only the three exact, case-sensitive values; anything else fails pod creation.",
        fails: "ociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1, pullPolicy: always}",
        passes: "ociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1, pullPolicy: Always}",
    },
    check: |ctx, out| {
        if !oci_set(ctx) {
            return;
        }
        match ctx.value("ociArtifacts.image.pullPolicy") {
            None | Some(Value::Nil) => {}
            Some(Value::String(s)) if ["Always", "IfNotPresent", "Never"].contains(&&*s) => {}
            Some(v) => out.push(ctx.at_value(
                &PULL_POLICY.info,
                "ociArtifacts.image.pullPolicy",
                format!(
                    "pullPolicy {} must be one of Always, IfNotPresent, Never",
                    crate::go::fmt::sprint_one(&v)
                ),
            )),
        }
    },
};

pub const PULL_NEVER: Rule = Rule {
    info: RuleInfo {
        code: "PC017",
        name: "oci-pull-never",
        summary: "The artifact is pulled with pullPolicy Never",
        severity: Severity::Error,
        why: "With `pullPolicy: Never` the kubelet never pulls the reference: it must already be in the container runtime's store of every node the pod can land on. An OCI artifact is almost never preloaded, so the pod stays in ContainerCreating (`ErrImageNeverPull`) and Perses never starts. Use IfNotPresent (pin a digest if tags are re-pushed) or Always.",
        fails: "ociArtifacts:\n  image:\n    reference: ghcr.io/acme/dashboards:v1.2.0\n    pullPolicy: Never",
        passes: "ociArtifacts:\n  image:\n    reference: ghcr.io/acme/dashboards:v1.2.0\n    pullPolicy: IfNotPresent",
    },
    check: |ctx, out| {
        if oci_set(ctx) && ctx.str_value("ociArtifacts.image.pullPolicy") == "Never" {
            out.push(ctx.at_value(
                &PULL_NEVER.info,
                "ociArtifacts.image.pullPolicy",
                format!(
                    "pullPolicy Never: the kubelet never pulls {:?}, so unless it was preloaded on every node the pod never starts (ErrImageNeverPull); use IfNotPresent or Always",
                    reference(ctx)
                ),
            ));
        }
    },
};

/// Names of the rendered image volumes (every volume with an `image` source).
fn image_volume_names(spec: &Value) -> Vec<String> {
    list(crate::lint::context::value_at(spec, "volumes"))
        .iter()
        .filter(|v| crate::lint::context::value_at(v, "image").is_some())
        .map(|v| str_of(v, "name"))
        .collect()
}

pub const VOLUME_NAME: Rule = Rule {
    info: RuleInfo {
        code: "PC011",
        name: "oci-volume-name",
        summary: "The artifact volume's name is not a DNS-1123 label or collides with another volume",
        severity: Severity::Error,
        why: "Volume names must be DNS-1123 labels (lowercase letters, digits, `-`, at most 63) and unique in the pod; otherwise the API rejects the workload.",
        fails: "ociArtifacts:\n  name: data\n  image: {reference: ghcr.io/acme/dashboards:v1}\npersistence: {enabled: true}",
        passes: "ociArtifacts:\n  name: dashboards\n  image: {reference: ghcr.io/acme/dashboards:v1}",
    },
    check: |ctx, out| {
        if !oci_set(ctx) {
            return;
        }
        let info = &VOLUME_NAME.info;
        let name = ctx.str_value("ociArtifacts.name");
        if !name.is_empty() && !is_dns1123_label(&name) {
            out.push(ctx.at_value(info, "ociArtifacts.name", format!("volume name {name:?} is not a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)")));
            return;
        }
        for (o, _, spec) in pod_specs(ctx) {
            let images = image_volume_names(&spec);
            // volumeClaimTemplates also become pod volumes.
            let all = volume_names(o, &spec);
            for img in &images {
                if all.iter().filter(|n| *n == img).count() > 1 {
                    let at = if name.is_empty() {
                        OCI
                    } else {
                        "ociArtifacts.name"
                    };
                    out.push(ctx.at_value(info, at, format!("the artifact volume {img:?} collides with another volume of the same name in the pod")));
                }
            }
        }
    },
};

pub const MOUNT_PATH_COLLISION: Rule = Rule {
    info: RuleInfo {
        code: "PC012",
        name: "oci-mount-path-collision",
        summary: "The artifact's mountPath is also used by another mount of the container",
        severity: Severity::Error,
        why: "mountPath must be unique per container. The provisioning sidecar and provisioningPersistence mount at `config.provisioning.folders[0]`; mounting the artifact at the same path is rejected by the API. Mount it at another folder, or at a subdirectory of one.",
        fails: "config:\n  provisioning: {folders: [/etc/perses/provisioning]}\nsidecar: {enabled: true}\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1}\n  mountPath: /etc/perses/provisioning",
        passes: "config:\n  provisioning: {folders: [/etc/perses/provisioning, /etc/perses/oci]}\nsidecar: {enabled: true}\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1}\n  mountPath: /etc/perses/oci",
    },
    check: |ctx, out| {
        if !oci_set(ctx) {
            return;
        }
        let info = &MOUNT_PATH_COLLISION.info;
        let (path, explicit) = mount_path(ctx);
        let at = if explicit {
            "ociArtifacts.mountPath"
        } else {
            OCI
        };
        let first = folders(ctx).first().cloned().unwrap_or_default();
        let mut users = Vec::new();
        if ctx.is_set("sidecar.enabled") {
            users.push("the provisioning sidecar");
        }
        if ctx.is_set("provisioningPersistence.enabled") {
            users.push("provisioningPersistence");
        }
        if !path.is_empty() && clean(&path) == clean(&first) && !users.is_empty() {
            out.push(ctx.at_value(info, at, format!("mountPath {path:?} is also where {} mounts (config.provisioning.folders[0]); mountPaths must be unique per container", users.join(" and "))));
            return;
        }
        // On the rendered workload: any other mount at the same path.
        for (_, _, spec) in pod_specs(ctx) {
            let images = image_volume_names(&spec);
            for c in list(crate::lint::context::value_at(&spec, "containers")) {
                let mounts = list(crate::lint::context::value_at(&c, "volumeMounts"));
                for m in mounts
                    .iter()
                    .filter(|m| images.contains(&str_of(m, "name")))
                {
                    let p = str_of(m, "mountPath");
                    let others = mounts
                        .iter()
                        .filter(|o| str_of(o, "mountPath") == p)
                        .count();
                    if others > 1 {
                        out.push(ctx.at_value(info, at, format!("mountPath {p:?} is used by another mount of container {:?}; mountPaths must be unique per container", str_of(&c, "name"))));
                    }
                }
            }
        }
    },
};

/// Absolute or with a `..` element: the API rejects it.
fn subpath_invalid(sp: &str) -> bool {
    sp.starts_with('/') || sp.split('/').any(|p| p == "..")
}

pub const SUBPATH_INVALID: Rule = Rule {
    info: RuleInfo {
        code: "PC013",
        name: "oci-subpath-invalid",
        summary: "subPath is absolute or contains `..`",
        severity: Severity::Error,
        why: "The API requires subPath to be relative with no `..` element; a missing subPath directory in the artifact makes container creation fail.",
        fails: "ociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1}\n  subPath: ../prod",
        passes: "ociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1}\n  subPath: prod",
    },
    check: |ctx, out| {
        if !oci_set(ctx) {
            return;
        }
        let sp = ctx.str_value("ociArtifacts.subPath");
        if subpath_invalid(&sp) {
            out.push(ctx.at_value(
                &SUBPATH_INVALID.info,
                "ociArtifacts.subPath",
                format!("subPath {sp:?} must be a relative path without '..'"),
            ));
        }
    },
};

pub const NO_PROVISIONING_FOLDERS: Rule = Rule {
    info: RuleInfo {
        code: "PC014",
        name: "provisioning-folders-empty",
        summary: "config.provisioning has no folders",
        severity: Severity::Error,
        why: "Without folders Perses provisions nothing: the artifact, the sidecar and provisioningPersistence all feed folders that are never read.",
        fails: "config:\n  provisioning:\n    folders: []",
        passes: "config:\n  provisioning:\n    folders: [/etc/perses/provisioning]",
    },
    check: |ctx, out| {
        if ctx
            .value("config.provisioning")
            .is_some_and(|v| matches!(v, Value::Map(..)))
            && folders(ctx).is_empty()
        {
            out.push(ctx.at_value(
                &NO_PROVISIONING_FOLDERS.info,
                "config.provisioning.folders",
                "config.provisioning.folders is empty: Perses will not provision anything".into(),
            ));
        }
    },
};

/// Perses' duration syntax: `1y2w3d4h5m6s7ms` parts in order, or `0`.
pub fn is_perses_duration(s: &str) -> bool {
    if s == "0" {
        return true;
    }
    let units = ["y", "w", "d", "h", "m", "s", "ms"];
    let mut rest = s;
    let mut next_unit = 0;
    let mut any = false;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        let after = &rest[digits..];
        let Some((i, u)) = units
            .iter()
            .enumerate()
            .skip(next_unit)
            .filter(|(_, u)| after.starts_with(**u))
            .max_by_key(|(_, u)| u.len())
        else {
            return false;
        };
        next_unit = i + 1;
        rest = &after[u.len()..];
        any = true;
    }
    any
}

pub const PROVISIONING_INTERVAL: Rule = Rule {
    info: RuleInfo {
        code: "PC015",
        name: "provisioning-interval",
        summary: "config.provisioning.interval is not a Perses duration",
        severity: Severity::Error,
        why: "Perses parses the interval as `1y2w3d4h5m6s7ms` (parts in that order) or `0`; anything else stops the server at startup.",
        fails: "config:\n  provisioning:\n    interval: 10 minutes",
        passes: "config:\n  provisioning:\n    interval: 10m",
    },
    check: |ctx, out| match ctx.value("config.provisioning.interval") {
        None | Some(Value::Nil) => {}
        Some(Value::String(s)) if is_perses_duration(&s) => {}
        Some(v) => out.push(ctx.at_value(
            &PROVISIONING_INTERVAL.info,
            "config.provisioning.interval",
            format!(
                "interval {} is not a Perses duration (e.g. 10m, 1h30m)",
                crate::go::fmt::sprint_one(&v)
            ),
        )),
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for ok in ["10m", "1h30m", "0", "1y2w3d4h5m6s7ms", "500ms", "90s"] {
            assert!(is_perses_duration(ok), "{ok}");
        }
        for bad in ["10 minutes", "m", "30m1h", "", "1.5h", "10M"] {
            assert!(!is_perses_duration(bad), "{bad}");
        }
    }

    #[test]
    fn paths() {
        assert!(within(
            "/etc/perses/provisioning/x",
            "/etc/perses/provisioning/"
        ));
        assert!(within(
            "/etc/perses/provisioning",
            "/etc/perses/provisioning"
        ));
        assert!(!within(
            "/etc/perses/provisioning2",
            "/etc/perses/provisioning"
        ));
        assert!(!within("/data", "/etc/perses/provisioning"));
    }
}
