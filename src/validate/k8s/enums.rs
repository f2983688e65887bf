//! The closed sets of values the API server accepts for string fields of
//! built-in types (`field.NotSupported` in pkg/apis/*/validation; the
//! `+enum` constants of k8s.io/api). The embedded schemas keep only
//! structure, so these are listed here, keyed by the schema's type name.
//! An empty string is never reported: it means unset, and defaulting fills
//! it in.

/// (type, field, accepted values); a list field's items are checked.
pub static ENUMS: &[(&str, &str, &[&str])] = &[
    ("core.v1.Container", "imagePullPolicy", PULL),
    (
        "core.v1.Container",
        "terminationMessagePolicy",
        TERMINATION_MESSAGE,
    ),
    ("core.v1.EphemeralContainer", "imagePullPolicy", PULL),
    ("core.v1.ImageVolumeSource", "pullPolicy", PULL),
    (
        "core.v1.EphemeralContainer",
        "terminationMessagePolicy",
        TERMINATION_MESSAGE,
    ),
    (
        "core.v1.PodSpec",
        "restartPolicy",
        &["Always", "OnFailure", "Never"],
    ),
    (
        "core.v1.PodSpec",
        "dnsPolicy",
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
    ),
    (
        "core.v1.PodSpec",
        "preemptionPolicy",
        &["PreemptLowerPriority", "Never"],
    ),
    ("core.v1.PodOS", "name", &["linux", "windows"]),
    ("core.v1.Toleration", "operator", &["Equal", "Exists"]),
    (
        "core.v1.Toleration",
        "effect",
        &["NoSchedule", "PreferNoSchedule", "NoExecute"],
    ),
    ("core.v1.ContainerPort", "protocol", PROTOCOL),
    ("core.v1.ServicePort", "protocol", PROTOCOL),
    (
        "core.v1.ServiceSpec",
        "type",
        &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    ),
    (
        "core.v1.ServiceSpec",
        "sessionAffinity",
        &["None", "ClientIP"],
    ),
    (
        "core.v1.ServiceSpec",
        "externalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "core.v1.ServiceSpec",
        "internalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "core.v1.ServiceSpec",
        "ipFamilyPolicy",
        &["SingleStack", "PreferDualStack", "RequireDualStack"],
    ),
    ("core.v1.ServiceSpec", "ipFamilies", &["IPv4", "IPv6"]),
    (
        "core.v1.PersistentVolumeClaimSpec",
        "accessModes",
        ACCESS_MODES,
    ),
    (
        "core.v1.PersistentVolumeClaimSpec",
        "volumeMode",
        VOLUME_MODE,
    ),
    ("core.v1.PersistentVolumeSpec", "accessModes", ACCESS_MODES),
    ("core.v1.PersistentVolumeSpec", "volumeMode", VOLUME_MODE),
    (
        "core.v1.PersistentVolumeSpec",
        "persistentVolumeReclaimPolicy",
        &["Recycle", "Delete", "Retain"],
    ),
    (
        "core.v1.NodeSelectorRequirement",
        "operator",
        &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"],
    ),
    (
        "meta.v1.LabelSelectorRequirement",
        "operator",
        &["In", "NotIn", "Exists", "DoesNotExist"],
    ),
    ("core.v1.SeccompProfile", "type", PROFILE),
    ("core.v1.AppArmorProfile", "type", PROFILE),
    (
        "core.v1.VolumeMount",
        "mountPropagation",
        &["None", "HostToContainer", "Bidirectional"],
    ),
    (
        "core.v1.VolumeMount",
        "recursiveReadOnly",
        &["Disabled", "IfPossible", "Enabled"],
    ),
    (
        "core.v1.HostPathVolumeSource",
        "type",
        &[
            "DirectoryOrCreate",
            "Directory",
            "FileOrCreate",
            "File",
            "Socket",
            "CharDevice",
            "BlockDevice",
        ],
    ),
    (
        "core.v1.TopologySpreadConstraint",
        "whenUnsatisfiable",
        &["DoNotSchedule", "ScheduleAnyway"],
    ),
    (
        "core.v1.TopologySpreadConstraint",
        "nodeAffinityPolicy",
        HONOR,
    ),
    (
        "core.v1.TopologySpreadConstraint",
        "nodeTaintsPolicy",
        HONOR,
    ),
    (
        "core.v1.PodSecurityContext",
        "fsGroupChangePolicy",
        &["OnRootMismatch", "Always"],
    ),
    (
        "core.v1.SecurityContext",
        "procMount",
        &["Default", "Unmasked"],
    ),
    ("core.v1.HTTPGetAction", "scheme", &["HTTP", "HTTPS"]),
    (
        "core.v1.ContainerResizePolicy",
        "restartPolicy",
        &["NotRequired", "RestartContainer"],
    ),
    (
        "apps.v1.DeploymentStrategy",
        "type",
        &["Recreate", "RollingUpdate"],
    ),
    (
        "apps.v1.StatefulSetSpec",
        "podManagementPolicy",
        &["OrderedReady", "Parallel"],
    ),
    (
        "apps.v1.StatefulSetUpdateStrategy",
        "type",
        &["RollingUpdate", "OnDelete"],
    ),
    (
        "apps.v1.DaemonSetUpdateStrategy",
        "type",
        &["RollingUpdate", "OnDelete"],
    ),
    (
        "apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy",
        "whenDeleted",
        RETAIN,
    ),
    (
        "apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy",
        "whenScaled",
        RETAIN,
    ),
    (
        "batch.v1.CronJobSpec",
        "concurrencyPolicy",
        &["Allow", "Forbid", "Replace"],
    ),
    (
        "batch.v1.JobSpec",
        "completionMode",
        &["NonIndexed", "Indexed"],
    ),
    (
        "batch.v1.JobSpec",
        "podReplacementPolicy",
        &["TerminatingOrFailed", "Failed"],
    ),
    (
        "networking.v1.HTTPIngressPath",
        "pathType",
        &["Exact", "Prefix", "ImplementationSpecific"],
    ),
    (
        "networking.v1.NetworkPolicySpec",
        "policyTypes",
        &["Ingress", "Egress"],
    ),
    ("networking.v1.NetworkPolicyPort", "protocol", PROTOCOL),
    (
        "policy.v1.PodDisruptionBudgetSpec",
        "unhealthyPodEvictionPolicy",
        &["IfHealthyBudget", "AlwaysAllow"],
    ),
    (
        "autoscaling.v2.MetricSpec",
        "type",
        &[
            "Object",
            "Pods",
            "Resource",
            "ContainerResource",
            "External",
        ],
    ),
    (
        "autoscaling.v2.MetricTarget",
        "type",
        &["Utilization", "Value", "AverageValue"],
    ),
    (
        "autoscaling.v2.HPAScalingRules",
        "selectPolicy",
        &["Max", "Min", "Disabled"],
    ),
    (
        "autoscaling.v2.HPAScalingPolicy",
        "type",
        &["Pods", "Percent"],
    ),
    (
        "admissionregistration.v1.ValidatingWebhook",
        "failurePolicy",
        FAILURE,
    ),
    (
        "admissionregistration.v1.ValidatingWebhook",
        "sideEffects",
        SIDE_EFFECTS,
    ),
    (
        "admissionregistration.v1.ValidatingWebhook",
        "matchPolicy",
        MATCH,
    ),
    (
        "admissionregistration.v1.MutatingWebhook",
        "failurePolicy",
        FAILURE,
    ),
    (
        "admissionregistration.v1.MutatingWebhook",
        "sideEffects",
        SIDE_EFFECTS,
    ),
    (
        "admissionregistration.v1.MutatingWebhook",
        "matchPolicy",
        MATCH,
    ),
    (
        "admissionregistration.v1.MutatingWebhook",
        "reinvocationPolicy",
        &["Never", "IfNeeded"],
    ),
    (
        "admissionregistration.v1.RuleWithOperations",
        "operations",
        &["*", "CREATE", "UPDATE", "DELETE", "CONNECT"],
    ),
    (
        "admissionregistration.v1.RuleWithOperations",
        "scope",
        &["*", "Cluster", "Namespaced"],
    ),
    ("rbac.v1.RoleRef", "kind", &["Role", "ClusterRole"]),
    (
        "rbac.v1.RoleRef",
        "apiGroup",
        &["rbac.authorization.k8s.io"],
    ),
    (
        "rbac.v1.Subject",
        "kind",
        &["ServiceAccount", "User", "Group"],
    ),
];

const PULL: &[&str] = &["Always", "IfNotPresent", "Never"];
const TERMINATION_MESSAGE: &[&str] = &["File", "FallbackToLogsOnError"];
const PROTOCOL: &[&str] = &["TCP", "UDP", "SCTP"];
const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];
const VOLUME_MODE: &[&str] = &["Filesystem", "Block"];
const PROFILE: &[&str] = &["RuntimeDefault", "Unconfined", "Localhost"];
const HONOR: &[&str] = &["Honor", "Ignore"];
const RETAIN: &[&str] = &["Retain", "Delete"];
const FAILURE: &[&str] = &["Ignore", "Fail"];
const SIDE_EFFECTS: &[&str] = &["None", "NoneOnDryRun"];
const MATCH: &[&str] = &["Exact", "Equivalent"];

/// The enum fields of type `name`.
pub fn of_type(name: &str) -> impl Iterator<Item = (&'static str, &'static [&'static str])> + '_ {
    ENUMS
        .iter()
        .filter(move |(t, _, _)| *t == name)
        .map(|(_, f, v)| (*f, *v))
}
