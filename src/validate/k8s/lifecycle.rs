//! Which apiVersion/kind pairs a Kubernetes version serves, and which are
//! deprecated: derived from the embedded per-version API lists (a pair that
//! disappears between two embedded versions), plus a hand list of
//! deprecations and removals from the Kubernetes deprecation guide
//! (<https://kubernetes.io/docs/reference/using-api/deprecation-guide/>),
//! which also covers removals before 1.31.

use super::schema::{MAX_MINOR, MIN_MINOR, api_index, group_of};

/// A known deprecation: `api_version kind` deprecated from 1.`deprecated`,
/// removed in 1.`removed` (if planned), replaced by `replacement`.
pub struct Known {
    pub api_version: &'static str,
    /// `*` for every kind of the apiVersion.
    pub kind: &'static str,
    pub deprecated: u32,
    pub removed: Option<u32>,
    pub replacement: &'static str,
}

const fn k(
    api_version: &'static str,
    kind: &'static str,
    deprecated: u32,
    removed: Option<u32>,
    replacement: &'static str,
) -> Known {
    Known {
        api_version,
        kind,
        deprecated,
        removed,
        replacement,
    }
}

pub static KNOWN: &[Known] = &[
    // 1.16
    k("extensions/v1beta1", "DaemonSet", 9, Some(16), "apps/v1"),
    k("extensions/v1beta1", "Deployment", 9, Some(16), "apps/v1"),
    k("extensions/v1beta1", "ReplicaSet", 9, Some(16), "apps/v1"),
    k(
        "extensions/v1beta1",
        "NetworkPolicy",
        9,
        Some(16),
        "networking.k8s.io/v1",
    ),
    k(
        "extensions/v1beta1",
        "PodSecurityPolicy",
        10,
        Some(16),
        "policy/v1beta1",
    ),
    k("apps/v1beta1", "*", 9, Some(16), "apps/v1"),
    k("apps/v1beta2", "*", 9, Some(16), "apps/v1"),
    // 1.20-1.22
    k("settings.k8s.io/v1alpha1", "PodPreset", 19, Some(20), ""),
    k("batch/v2alpha1", "CronJob", 8, Some(21), "batch/v1"),
    k(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        16,
        Some(22),
        "admissionregistration.k8s.io/v1",
    ),
    k(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        16,
        Some(22),
        "admissionregistration.k8s.io/v1",
    ),
    k(
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        16,
        Some(22),
        "apiextensions.k8s.io/v1",
    ),
    k(
        "apiregistration.k8s.io/v1beta1",
        "APIService",
        19,
        Some(22),
        "apiregistration.k8s.io/v1",
    ),
    k(
        "authentication.k8s.io/v1beta1",
        "TokenReview",
        19,
        Some(22),
        "authentication.k8s.io/v1",
    ),
    k(
        "authorization.k8s.io/v1beta1",
        "*",
        19,
        Some(22),
        "authorization.k8s.io/v1",
    ),
    k(
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        19,
        Some(22),
        "certificates.k8s.io/v1",
    ),
    k(
        "coordination.k8s.io/v1beta1",
        "Lease",
        19,
        Some(22),
        "coordination.k8s.io/v1",
    ),
    k(
        "extensions/v1beta1",
        "Ingress",
        14,
        Some(22),
        "networking.k8s.io/v1",
    ),
    k(
        "networking.k8s.io/v1beta1",
        "Ingress",
        19,
        Some(22),
        "networking.k8s.io/v1",
    ),
    k(
        "networking.k8s.io/v1beta1",
        "IngressClass",
        19,
        Some(22),
        "networking.k8s.io/v1",
    ),
    k(
        "rbac.authorization.k8s.io/v1beta1",
        "*",
        17,
        Some(22),
        "rbac.authorization.k8s.io/v1",
    ),
    k(
        "rbac.authorization.k8s.io/v1alpha1",
        "*",
        17,
        Some(22),
        "rbac.authorization.k8s.io/v1",
    ),
    k(
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        14,
        Some(22),
        "scheduling.k8s.io/v1",
    ),
    k(
        "scheduling.k8s.io/v1alpha1",
        "PriorityClass",
        14,
        Some(17),
        "scheduling.k8s.io/v1",
    ),
    k(
        "storage.k8s.io/v1beta1",
        "CSIDriver",
        19,
        Some(22),
        "storage.k8s.io/v1",
    ),
    k(
        "storage.k8s.io/v1beta1",
        "CSINode",
        17,
        Some(22),
        "storage.k8s.io/v1",
    ),
    k(
        "storage.k8s.io/v1beta1",
        "StorageClass",
        19,
        Some(22),
        "storage.k8s.io/v1",
    ),
    k(
        "storage.k8s.io/v1beta1",
        "VolumeAttachment",
        19,
        Some(22),
        "storage.k8s.io/v1",
    ),
    // 1.25-1.29
    k("batch/v1beta1", "CronJob", 21, Some(25), "batch/v1"),
    k(
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        21,
        Some(25),
        "discovery.k8s.io/v1",
    ),
    k(
        "events.k8s.io/v1beta1",
        "Event",
        21,
        Some(25),
        "events.k8s.io/v1",
    ),
    k(
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        22,
        Some(25),
        "autoscaling/v2",
    ),
    k(
        "policy/v1beta1",
        "PodDisruptionBudget",
        21,
        Some(25),
        "policy/v1",
    ),
    k("policy/v1beta1", "PodSecurityPolicy", 21, Some(25), ""),
    k(
        "node.k8s.io/v1beta1",
        "RuntimeClass",
        20,
        Some(25),
        "node.k8s.io/v1",
    ),
    k(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "*",
        23,
        Some(26),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    k(
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        23,
        Some(26),
        "autoscaling/v2",
    ),
    k(
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        24,
        Some(27),
        "storage.k8s.io/v1",
    ),
    k(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "*",
        26,
        Some(29),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    // 1.32
    k(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "*",
        29,
        Some(32),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    // Served, deprecated, no removal planned.
    k("v1", "ComponentStatus", 19, None, ""),
    k(
        "v1",
        "Endpoints",
        33,
        None,
        "discovery.k8s.io/v1 EndpointSlice",
    ),
];

fn known(api_version: &str, kind: &str) -> Option<&'static Known> {
    KNOWN
        .iter()
        .find(|k| k.api_version == api_version && (k.kind == kind || k.kind == "*"))
}

/// What the target version does with an apiVersion/kind.
#[derive(Debug, PartialEq, Eq)]
pub enum Status {
    Served,
    /// Served but deprecated: removal version (if known) and replacement.
    Deprecated {
        since: Option<u32>,
        removed: Option<u32>,
        replacement: String,
    },
    /// Not served: removed in that version.
    Removed {
        removed: u32,
        replacement: String,
    },
    /// Not served yet: first embedded version that serves it.
    NotYet {
        since: u32,
    },
    /// A built-in API group, but no version serves this apiVersion/kind.
    UnknownBuiltin,
    /// Not a built-in API (a custom resource).
    Custom,
}

/// Replacement for `kind` in version `minor`: the stable apiVersion that
/// serves it, else any other.
fn replacement_in(minor: u32, api_version: &str, kind: &str) -> String {
    let index = api_index();
    let gvs = index.api_versions_of(minor, kind);
    let others: Vec<&str> = gvs.into_iter().filter(|gv| *gv != api_version).collect();
    let stable = others.iter().find(|gv| {
        let v = gv.rsplit('/').next().unwrap_or(gv);
        !v.contains("alpha") && !v.contains("beta")
    });
    stable
        .or(others.first())
        .map(|s| s.to_string())
        .unwrap_or_default()
}

pub fn status(api_version: &str, kind: &str, minor: u32) -> Status {
    let index = api_index();
    let clamped = minor.clamp(MIN_MINOR, MAX_MINOR);
    let hand = known(api_version, kind);
    if index.serves(clamped, api_version, kind)
        && hand.is_none_or(|h| h.removed.is_none_or(|r| minor < r))
    {
        // Derived: the first later embedded version that no longer serves it.
        let gone = (clamped + 1..=MAX_MINOR).find(|&m| !index.serves(m, api_version, kind));
        if let Some(h) = hand.filter(|h| minor >= h.deprecated) {
            return Status::Deprecated {
                since: Some(h.deprecated),
                removed: h.removed.or(gone),
                replacement: h.replacement.to_string(),
            };
        }
        if let Some(gone) = gone {
            return Status::Deprecated {
                since: None,
                removed: Some(gone),
                replacement: replacement_in(gone, api_version, kind),
            };
        }
        return Status::Served;
    }
    if let Some(h) = hand
        && let Some(r) = h.removed
        && minor >= r
    {
        return Status::Removed {
            removed: r,
            replacement: h.replacement.to_string(),
        };
    }
    // Served by an embedded version other than the target?
    let served: Vec<u32> = index
        .versions
        .keys()
        .copied()
        .filter(|&m| index.serves(m, api_version, kind))
        .collect();
    if let (Some(&first), Some(&last)) = (served.first(), served.last()) {
        if minor < first {
            return Status::NotYet { since: first };
        }
        if minor > last {
            let removed = last + 1;
            return Status::Removed {
                removed,
                replacement: replacement_in(removed.min(MAX_MINOR), api_version, kind),
            };
        }
        // A gap inside the range (never seen in practice): not served here.
        return Status::UnknownBuiltin;
    }
    let group = group_of(api_version);
    if index.is_builtin_group(group) || is_k8s_group(group) {
        return Status::UnknownBuiltin;
    }
    Status::Custom
}

/// Groups reserved for Kubernetes itself that may no longer be served by
/// any embedded version (`settings.k8s.io`, ...).
fn is_k8s_group(group: &str) -> bool {
    KNOWN.iter().any(|k| group_of(k.api_version) == group)
}

/// An alpha API, or a beta API introduced after 1.24 (KEP-3136: new beta
/// APIs are off by default), needs `--runtime-config` to be served.
pub fn off_by_default(api_version: &str) -> Option<&'static str> {
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    if version.contains("alpha") {
        return Some("alpha");
    }
    // The one beta group-version still served by default in 1.31.
    if version.contains("beta") && api_version != "flowcontrol.apiserver.k8s.io/v1beta3" {
        return Some("beta");
    }
    None
}
