//! Rendered objects against the Kubernetes API of a target version
//! (1.31..=1.37 embedded; other versions use the nearest one), and custom
//! resources against their CustomResourceDefinition.
//!
//! - [`schema`]: the embedded per-version schemas, loaded lazily.
//! - [`walk`]: the structural walk (fields, types, required fields).
//! - [`lifecycle`]: removed, deprecated and off-by-default APIs.
//! - [`crd`]: custom resources against `openAPIV3Schema`.

pub mod crd;
pub mod enums;
pub mod lifecycle;
pub mod names;
pub mod schema;
pub mod walk;

#[cfg(test)]
mod tests;

pub use crd::validate_custom;

use crate::value::Value;
use lifecycle::Status;

/// The kinds of finding this module reports. Each is one lint rule
/// (`lint/rules/api.rs`), which holds its name, severity and docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    UnknownField,
    WrongType,
    MissingRequired,
    RemovedApi,
    DeprecatedApi,
    UnknownKind,
    ApiNotEnabled,
    UnsupportedValue,
}

impl Code {
    pub const ALL: [Code; 8] = [
        Code::UnknownField,
        Code::WrongType,
        Code::MissingRequired,
        Code::RemovedApi,
        Code::DeprecatedApi,
        Code::UnknownKind,
        Code::ApiNotEnabled,
        Code::UnsupportedValue,
    ];

    /// Stable id (the lint rule's code).
    pub const fn id(self) -> &'static str {
        match self {
            Code::UnknownField => "K8S001",
            Code::WrongType => "K8S002",
            Code::MissingRequired => "K8S003",
            Code::RemovedApi => "K8S004",
            Code::DeprecatedApi => "K8S005",
            Code::UnknownKind => "K8S006",
            Code::ApiNotEnabled => "K8S007",
            Code::UnsupportedValue => "K8S008",
        }
    }
}

/// One problem with a rendered object.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiFinding {
    pub code: Code,
    /// Field path, `spec.template.spec.containers[0].name`; empty for the
    /// object as a whole.
    pub path: String,
    pub message: String,
}

impl ApiFinding {
    pub fn new(code: Code, path: &str, message: String) -> ApiFinding {
        ApiFinding {
            code,
            path: path.to_string(),
            message,
        }
    }
}

/// Whether an embedded schema exists for `kube`; other versions are
/// validated against the nearest one (1.31 or 1.37), while removals and
/// deprecations still use the real version.
pub fn covered(kube: (u32, u32)) -> bool {
    kube.0 == 1 && (schema::MIN_MINOR..=schema::MAX_MINOR).contains(&kube.1)
}

pub(crate) fn minor_of(kube: (u32, u32)) -> u32 {
    if kube.0 > 1 {
        schema::MAX_MINOR
    } else {
        kube.1
    }
}

/// Validates one rendered object against the built-in API of Kubernetes
/// `kube` (major, minor). Custom resources get a single K8S006 note; use
/// [`validate_custom`] with the chart's CRDs for them.
pub fn validate_object(obj: &Value, kube: (u32, u32)) -> Vec<ApiFinding> {
    let mut out = Vec::new();
    validate_into(obj, minor_of(kube), &mut String::new(), &mut out);
    out
}

/// Load (decompress and index) the schema for `kube` and the API index
/// now, e.g. on another thread while the chart renders.
pub fn prefetch(kube: (u32, u32)) {
    let _ = schema::schema(minor_of(kube));
    let _ = schema::api_index();
}

/// Whether a built-in kind is namespaced, cluster-scoped or a subresource
/// in Kubernetes `kube`; `None` when that version does not serve it.
pub fn scope_of(api_version: &str, kind: &str, kube: (u32, u32)) -> Option<schema::Scope> {
    schema::schema(minor_of(kube))
        .resource(api_version, kind)
        .map(|(_, scope)| scope)
}

fn str_field(obj: &Value, key: &str) -> Option<String> {
    obj.as_map()?.get(key)?.as_str().map(String::from)
}

fn validate_into(obj: &Value, minor: u32, path: &mut String, out: &mut Vec<ApiFinding>) {
    if !matches!(obj, Value::Map(..)) {
        walk::wrong_type(obj, "object", path, out);
        return;
    }
    let (api_version, kind) = (str_field(obj, "apiVersion"), str_field(obj, "kind"));
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        for key in ["apiVersion", "kind"] {
            if str_field(obj, key).is_none() {
                let len = path.len();
                walk::push_field(path, key);
                out.push(ApiFinding::new(
                    Code::MissingRequired,
                    path,
                    format!("missing {key}: the API cannot tell what this object is"),
                ));
                path.truncate(len);
            }
        }
        return;
    };
    // `kind: List` (v1): validate each item.
    if api_version == "v1" && kind == "List" {
        if let Some(m) = obj.as_map()
            && let Some(Value::List(items, _)) = m.get("items")
        {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                walk::push_field(path, "items");
                path.push_str(&format!("[{i}]"));
                validate_into(item, minor, path, out);
                path.truncate(len);
            }
        }
        return;
    }
    let target = format!("1.{minor}");
    match lifecycle::status(&api_version, &kind, minor) {
        Status::Served => {}
        Status::Deprecated {
            since,
            removed,
            replacement,
        } => {
            let since = since.map(|s| format!(" since 1.{s}")).unwrap_or_default();
            let removed = removed
                .map(|r| format!(", removed in 1.{r}"))
                .unwrap_or_default();
            out.push(ApiFinding::new(
                Code::DeprecatedApi,
                path,
                format!(
                    "{api_version} {kind} is deprecated{since}{removed}{}",
                    use_instead(&replacement)
                ),
            ));
        }
        Status::Removed {
            removed,
            replacement,
        } => {
            out.push(ApiFinding::new(
                Code::RemovedApi,
                path,
                format!(
                    "{api_version} {kind} was removed in Kubernetes 1.{removed} and is not served by {target}{}",
                    use_instead(&replacement)
                ),
            ));
            return;
        }
        Status::NotYet { since } => {
            out.push(ApiFinding::new(
                Code::RemovedApi,
                path,
                format!("{api_version} {kind} is not served by Kubernetes {target}: it was added in 1.{since}"),
            ));
            return;
        }
        Status::UnknownBuiltin => {
            let index = schema::api_index();
            let group = schema::group_of(&api_version);
            let clamped = minor.clamp(schema::MIN_MINOR, schema::MAX_MINOR);
            let elsewhere = index.api_versions_of(clamped, &kind);
            let hint = if !elsewhere.is_empty() {
                format!("; {kind} is served as {}", elsewhere.join(", "))
            } else {
                let kinds = index.kinds_in_group(clamped, group);
                walk::suggest(&kind, kinds.into_iter())
                    .map(|s| format!(" (did you mean {s:?}?)"))
                    .unwrap_or_default()
            };
            out.push(ApiFinding::new(
                Code::RemovedApi,
                path,
                format!("{api_version} {kind} is not served by Kubernetes {target}{hint}"),
            ));
            return;
        }
        Status::Custom => {
            out.push(ApiFinding::new(
                Code::UnknownKind,
                path,
                format!(
                    "{api_version} {kind} is not a built-in kind and no CustomResourceDefinition was found: not validated"
                ),
            ));
            return;
        }
    }
    if let Some(stage) = lifecycle::off_by_default(&api_version) {
        out.push(ApiFinding::new(
            Code::ApiNotEnabled,
            path,
            format!(
                "{api_version} is a {stage} API: served only when enabled with kube-apiserver --runtime-config={api_version}=true"
            ),
        ));
    }
    let schema = schema::schema(minor);
    if let Some((ty, _scope)) = schema.resource(&api_version, &kind) {
        walk::check(schema, obj, schema.ty(ty), path, out);
    }
}

fn use_instead(replacement: &str) -> String {
    if replacement.is_empty() {
        String::new()
    } else {
        format!("; use {replacement}")
    }
}
