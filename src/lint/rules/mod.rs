//! Every lint rule, one unit each: a stable code, docs, and a check.
//!
//! Codes: `PC0xx` the OCI-artifact and Perses rules, `PC1xx` checks for any
//! chart, `K8Sxxx` Kubernetes API validation of rendered objects.

pub mod api;
pub mod artifact;
pub mod chart;
pub mod oci;
pub mod pod;
pub mod render;
pub mod schema;
pub mod workload;

use super::{Finding, LintContext, RuleInfo};

/// A rule: its documentation and its check.
pub struct Rule {
    pub info: RuleInfo,
    pub check: fn(&LintContext, &mut Vec<Finding>),
}

/// All rules, in code order.
pub static ALL: &[Rule] = &[
    render::RENDER_FAILED,
    oci::MOUNT_OUTSIDE_PROVISIONING,
    oci::NEEDS_FILE_STORAGE,
    oci::FILE_AND_SQL,
    oci::UNSUPPORTED_VERSION,
    oci::FEATURE_GATE_OFF,
    oci::SUBPATH_VERSION,
    oci::INVALID_REFERENCE,
    oci::MUTABLE_TAG,
    oci::TAG_WITHOUT_DIGEST,
    oci::PULL_POLICY,
    oci::VOLUME_NAME,
    oci::MOUNT_PATH_COLLISION,
    oci::SUBPATH_INVALID,
    oci::NO_PROVISIONING_FOLDERS,
    oci::PROVISIONING_INTERVAL,
    oci::SUBPATH_RUNTIME,
    oci::PULL_NEVER,
    schema::VALUES_SCHEMA,
    workload::DUPLICATE_VOLUME,
    workload::UNDECLARED_VOLUME,
    workload::DUPLICATE_MOUNT_PATH,
    workload::OBJECT_NAME,
    workload::SELECTOR_MISMATCH,
    chart::CHART_METADATA,
    workload::STATEFULSET_NAME,
    workload::DATA_TOO_LARGE,
    workload::DUPLICATE_ENV,
    workload::INVALID_METADATA,
    api::UNKNOWN_FIELD,
    api::WRONG_TYPE,
    api::MISSING_REQUIRED,
    api::REMOVED_API,
    api::DEPRECATED_API,
    api::UNKNOWN_KIND,
    api::API_NOT_ENABLED,
    api::UNSUPPORTED_VALUE,
    artifact::UNREACHABLE,
    artifact::DIGEST_MOVED,
    artifact::NOT_MOUNTABLE,
    artifact::PLATFORM_MISSING,
    artifact::SUBPATH_MISSING,
    artifact::NO_RESOURCES,
    artifact::RESOURCE_INVALID,
    artifact::PROJECT_MISSING,
    artifact::DUPLICATE,
    artifact::PLAINTEXT_SECRET,
];

/// Look a rule up by code (`PC001`) or name (`oci-mount-outside-provisioning`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .find(|r| r.info.code.eq_ignore_ascii_case(code_or_name) || r.info.name == code_or_name)
}
