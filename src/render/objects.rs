//! Helm's built-in objects: `.Files`, `.Capabilities`, `.Chart`, `.Release`.

use std::rc::Rc;
use std::sync::Arc;

use crate::chart::Chart;
use crate::value::{ElemTy, IntTy, Map, MapTy, Object, Sig, Ty, Value};

const STR1: Sig = Sig::new(&[Ty::String], None);
const NONE: Sig = Sig::new(&[], None);

/// `.Files` (Go type `engine.files`).
pub struct Files {
    pub files: Vec<(String, Arc<Vec<u8>>)>,
}

impl Files {
    fn get(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }
}

fn bytes_value(b: &[u8]) -> Value {
    Value::List(
        Rc::new(
            b.iter()
                .map(|&x| Value::Int(x as i64, IntTy::Uint8))
                .collect(),
        ),
        ElemTy::Byte,
    )
}

/// Go's `%v` of a `[]byte`: `[104 105]`. Written digit by digit: a chart's
/// whole `.Files` is printed when `$` is turned into a string (`dict $ ...`).
fn push_byte_list(s: &mut String, b: &[u8]) {
    s.reserve(b.len() * 4 + 2);
    s.push('[');
    for (i, &x) in b.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        if x >= 100 {
            s.push(char::from(b'0' + x / 100));
        }
        if x >= 10 {
            s.push(char::from(b'0' + x / 10 % 10));
        }
        s.push(char::from(b'0' + x % 10));
    }
    s.push(']');
}

/// A file's contents as `.Files` holds them (Go `[]byte`), kept as bytes:
/// `range .Files.Glob ...` binds them without building one value per byte;
/// they become a byte list only when passed to a function or printed.
pub struct Bytes(pub Arc<Vec<u8>>);

impl Object for Bytes {
    fn type_name(&self) -> &str {
        "[]uint8"
    }
    fn kind_name(&self) -> &'static str {
        "slice"
    }
    fn format(&self) -> String {
        let mut s = String::with_capacity(self.0.len() * 4 + 2);
        push_byte_list(&mut s, &self.0);
        s
    }
    fn elements(&self) -> Option<Vec<Value>> {
        Some(
            self.0
                .iter()
                .map(|&x| Value::Int(x as i64, IntTy::Uint8))
                .collect(),
        )
    }
    fn truth(&self) -> bool {
        !self.0.is_empty()
    }
    fn materialize(&self) -> Option<Value> {
        Some(bytes_value(&self.0))
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }
    fn kind_name(&self) -> &'static str {
        "map"
    }
    /// A map is true (and not `empty`) when it has entries.
    fn truth(&self) -> bool {
        !self.files.is_empty()
    }
    fn method(&self, name: &str) -> Option<&'static Sig> {
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Some(&STR1),
            "AsConfig" | "AsSecrets" => Some(&NONE),
            _ => None,
        }
    }
    fn call(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let arg = args.first().and_then(Value::as_str).unwrap_or_default();
        match name {
            // Go's string(bytes): kept as bytes when not UTF-8.
            "Get" => Ok(crate::template::bytestr::string_from_bytes(
                self.get(arg).unwrap_or_default(),
            )),
            "GetBytes" => Ok(bytes_value(self.get(arg).unwrap_or_default())),
            "Lines" => {
                // Helm drops one trailing newline, then splits.
                let lines: Vec<Value> = match self.get(arg) {
                    None => Vec::new(),
                    Some(b) => {
                        let s = String::from_utf8_lossy(b);
                        let s = s.strip_suffix('\n').unwrap_or(&s);
                        s.split('\n').map(Value::str).collect()
                    }
                };
                Ok(Value::List(Rc::new(lines), ElemTy::String))
            }
            "Glob" => {
                // Helm falls back to `**` when the pattern does not compile.
                let g = super::glob::Glob::compile(arg)
                    .or_else(|_| super::glob::Glob::compile("**"))
                    .map_err(|e| e.to_string())?;
                let files = self
                    .files
                    .iter()
                    .filter(|(n, _)| g.matches(n))
                    .cloned()
                    .collect();
                Ok(Value::Object(Rc::new(Files { files })))
            }
            "AsConfig" | "AsSecrets" => {
                let mut m = Map::new();
                for (n, b) in &self.files {
                    let base = n.rsplit('/').next().unwrap_or(n);
                    let text = if name == "AsConfig" {
                        String::from_utf8_lossy(b).into_owned()
                    } else {
                        crate::yaml::json::base64_encode(b)
                    };
                    m.insert(base.to_string(), Value::string(text));
                }
                let v = Value::typed_map(m, MapTy::String);
                Ok(Value::string(crate::yaml::to_yaml(&v).unwrap_or_default()))
            }
            _ => Err(format!("{name} is not supported yet")),
        }
    }
    fn entries(&self) -> Option<Vec<(String, Value)>> {
        let mut e: Vec<(String, Value)> = self
            .files
            .iter()
            .map(|(n, b)| (n.clone(), Value::Object(Rc::new(Bytes(b.clone())))))
            .collect();
        e.sort_by(|a, b| a.0.cmp(&b.0));
        Some(e)
    }
    fn format(&self) -> String {
        let mut s = String::from("map[");
        for (i, (n, b)) in self.files.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(n);
            s.push(':');
            push_byte_list(&mut s, b);
        }
        s.push(']');
        s
    }
}

/// `.Capabilities.KubeVersion` (`common.KubeVersion`, a struct whose
/// `String` method has a pointer receiver).
pub struct KubeVersion {
    pub version: String,
    pub major: String,
    pub minor: String,
    /// Reached as a field of `.Capabilities`: text/template prints such a
    /// value through its pointer's `String` (`v1.36.0`). A copy passed to a
    /// function is not addressable and prints as the struct.
    pub addressable: bool,
}

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        "common.KubeVersion"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(Value::str(&self.version)),
            "Major" => Some(Value::str(&self.major)),
            "Minor" => Some(Value::str(&self.minor)),
            _ => None,
        }
    }
    fn method(&self, name: &str) -> Option<&'static Sig> {
        matches!(name, "String" | "GitVersion").then_some(&NONE)
    }
    fn call(&self, _name: &str, _args: &[Value]) -> Result<Value, String> {
        Ok(Value::str(&self.version))
    }
    fn format(&self) -> String {
        crate::go::fmt::sprint_object(self)
    }
    fn struct_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        // normalizedVersion: Helm keeps the "v"-prefixed version there too.
        Some(vec![
            ("Version", Value::str(&self.version)),
            ("normalizedVersion", Value::str(&self.version)),
            ("Major", Value::str(&self.major)),
            ("Minor", Value::str(&self.minor)),
        ])
    }
    fn json_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        Some(vec![
            ("Version", Value::str(&self.version)),
            ("Major", Value::str(&self.major)),
            ("Minor", Value::str(&self.minor)),
        ])
    }
    fn template_text(&self) -> Option<String> {
        self.addressable.then(|| self.version.clone())
    }
    fn materialize(&self) -> Option<Value> {
        self.addressable.then(|| {
            Value::Object(Rc::new(KubeVersion {
                version: self.version.clone(),
                major: self.major.clone(),
                minor: self.minor.clone(),
                addressable: false,
            }))
        })
    }
}

/// `.Capabilities.APIVersions` (`common.VersionSet`).
pub struct VersionSet(pub Vec<String>);

impl Object for VersionSet {
    fn type_name(&self) -> &str {
        "common.VersionSet"
    }
    fn kind_name(&self) -> &'static str {
        "slice"
    }
    fn method(&self, name: &str) -> Option<&'static Sig> {
        (name == "Has").then_some(&STR1)
    }
    fn call(&self, _name: &str, args: &[Value]) -> Result<Value, String> {
        let a = args.first().and_then(Value::as_str).unwrap_or_default();
        Ok(Value::Bool(self.0.iter().any(|v| v == a)))
    }
    fn format(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn elements(&self) -> Option<Vec<Value>> {
        Some(self.0.iter().map(|v| Value::str(v)).collect())
    }
}

/// `.Capabilities.HelmVersion` (`version.BuildInfo`). Its values come from
/// the Helm build; pchart claims what the helm-python-sdk build of Helm
/// v4.2 (the oracle its conformance cases are recorded from) reports.
pub struct HelmVersion;

pub const HELM_VERSION: &str = "v4.2";
const HELM_GO_VERSION: &str = "go1.26.6";
const HELM_KUBE_CLIENT_VERSION: &str = "v1.36";

impl Object for HelmVersion {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(Value::str(HELM_VERSION)),
            "GitCommit" | "GitTreeState" => Some(Value::str("")),
            "GoVersion" => Some(Value::str(HELM_GO_VERSION)),
            "KubeClientVersion" => Some(Value::str(HELM_KUBE_CLIENT_VERSION)),
            _ => None,
        }
    }
    fn format(&self) -> String {
        crate::go::fmt::sprint_object(self)
    }
    fn struct_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        Some(vec![
            ("Version", Value::str(HELM_VERSION)),
            ("GitCommit", Value::str("")),
            ("GitTreeState", Value::str("")),
            ("GoVersion", Value::str(HELM_GO_VERSION)),
            ("KubeClientVersion", Value::str(HELM_KUBE_CLIENT_VERSION)),
        ])
    }
    fn json_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        // git_commit and git_tree_state are `omitempty` and empty.
        Some(vec![
            ("version", Value::str(HELM_VERSION)),
            ("go_version", Value::str(HELM_GO_VERSION)),
            ("kube_client_version", Value::str(HELM_KUBE_CLIENT_VERSION)),
        ])
    }
}

/// `.Capabilities` (`*common.Capabilities`).
pub struct Capabilities {
    pub kube: Rc<KubeVersion>,
    pub api: Rc<VersionSet>,
}

impl Capabilities {
    fn fields(&self, kube: Value) -> Vec<(&'static str, Value)> {
        vec![
            ("KubeVersion", kube),
            ("APIVersions", Value::Object(self.api.clone())),
            ("HelmVersion", Value::Object(Rc::new(HelmVersion))),
        ]
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }
    fn kind_name(&self) -> &'static str {
        "ptr"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(Value::Object(self.kube.clone())),
            "APIVersions" => Some(Value::Object(self.api.clone())),
            "HelmVersion" => Some(Value::Object(Rc::new(HelmVersion))),
            _ => None,
        }
    }
    fn format(&self) -> String {
        crate::go::fmt::sprint_object(self)
    }
    fn struct_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        let kube = self
            .kube
            .materialize()
            .unwrap_or_else(|| Value::Object(self.kube.clone()));
        Some(self.fields(kube))
    }
    fn json_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        Some(self.fields(Value::Object(self.kube.clone())))
    }
    /// text/template follows the pointer: the struct without `&`.
    fn template_text(&self) -> Option<String> {
        Some(self.format().split_off(1))
    }
}

/// Helm v4.2's default API versions (`common.DefaultVersionSet`), in its
/// order: the prioritized group/versions of client-go's scheme plus
/// apiextensions. Not every group a cluster serves: without a cluster,
/// `apiregistration.k8s.io/v1` is absent. The whole list is a recorded
/// conformance case (`capabilities_api_versions_all`).
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// Parse `1.36.0` / `v1.36.0` into `.Capabilities.KubeVersion`.
pub fn kube_version(v: &str) -> Result<KubeVersion, String> {
    let t = v.strip_prefix('v').unwrap_or(v);
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() < 2 || parts.iter().take(2).any(|p| p.parse::<u64>().is_err()) {
        return Err(format!(
            "invalid kube version {v:?}: expected MAJOR.MINOR[.PATCH]"
        ));
    }
    let full = if parts.len() == 2 {
        format!("v{t}.0")
    } else {
        format!("v{t}")
    };
    Ok(KubeVersion {
        version: full,
        major: parts[0].into(),
        minor: parts[1].into(),
        addressable: true,
    })
}

fn str_list(v: Option<&Value>) -> Value {
    match v {
        Some(Value::List(l, _)) => Value::List(
            Rc::new(
                l.iter()
                    .map(|x| Value::string(crate::funcs::convert::strval(x)))
                    .collect(),
            ),
            ElemTy::String,
        ),
        _ => Value::List(Rc::new(Vec::new()), ElemTy::String),
    }
}

/// A pointer to a Go struct of Chart.yaml metadata (`*chart.Maintainer`,
/// `*chart.Dependency`): exported fields in declaration order.
pub struct GoStruct {
    type_name: &'static str,
    fields: Vec<(&'static str, Value)>,
}

impl Object for GoStruct {
    fn type_name(&self) -> &str {
        self.type_name
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }
    fn format(&self) -> String {
        let parts: Vec<String> = self
            .fields
            .iter()
            .map(|(_, v)| crate::go::fmt::sprint_one(v))
            .collect();
        format!("&{{{}}}", parts.join(" "))
    }
}

/// A metadata list of maps as Go structs: each `(GoField, yaml key, kind)`.
fn struct_list(
    v: Option<&Value>,
    type_name: &'static str,
    fields: &[(&'static str, &str)],
) -> Value {
    let Some(Value::List(l, _)) = v else {
        return Value::list(Vec::new());
    };
    let get = |m: &Value, k: &str| match m {
        Value::Map(m, _) => m.borrow().get(k).cloned(),
        _ => None,
    };
    Value::list(
        l.iter()
            .map(|m| {
                let fields = fields
                    .iter()
                    .map(|&(go, key)| {
                        let raw = get(m, key);
                        let v = match go {
                            "Tags" => str_list(raw.as_ref()),
                            "Enabled" => Value::Bool(!matches!(raw, Some(Value::Bool(false)))),
                            "ImportValues" => raw
                                .filter(|v| !v.is_nil())
                                .unwrap_or_else(|| Value::list(Vec::new())),
                            _ => match raw {
                                Some(Value::Nil) | None => Value::str(""),
                                Some(x) => Value::string(crate::funcs::convert::strval(&x)),
                            },
                        };
                        (go, v)
                    })
                    .collect();
                Value::Object(Rc::new(GoStruct { type_name, fields }))
            })
            .collect(),
    )
}

/// `.Chart`: Chart.yaml metadata under Go field names.
pub fn chart_object(chart: &Chart, is_root: bool) -> Value {
    let md = &chart.metadata;
    let s = |k: &str| match md.get(k) {
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Nil) | None => Value::str(""),
        Some(other) => Value::string(crate::funcs::convert::strval(other)),
    };
    let mut m = Map::new();
    m.insert("APIVersion".into(), s("apiVersion"));
    let ann = match md.get("annotations") {
        Some(Value::Map(a, _)) => a
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), Value::string(crate::funcs::convert::strval(v))))
            .collect(),
        _ => Map::new(),
    };
    m.insert("Annotations".into(), Value::typed_map(ann, MapTy::String));
    m.insert("AppVersion".into(), s("appVersion"));
    m.insert("Condition".into(), s("condition"));
    // Dependencies left after processing are the enabled ones.
    m.insert(
        "Dependencies".into(),
        struct_list(
            md.get("dependencies"),
            "*chart.Dependency",
            &[
                ("Name", "name"),
                ("Version", "version"),
                ("Repository", "repository"),
                ("Condition", "condition"),
                ("Tags", "tags"),
                ("Enabled", "enabled"),
                ("ImportValues", "import-values"),
                ("Alias", "alias"),
            ],
        ),
    );
    m.insert(
        "Deprecated".into(),
        Value::Bool(matches!(md.get("deprecated"), Some(Value::Bool(true)))),
    );
    m.insert("Description".into(), s("description"));
    m.insert("Home".into(), s("home"));
    m.insert("Icon".into(), s("icon"));
    m.insert("IsRoot".into(), Value::Bool(is_root));
    m.insert("Keywords".into(), str_list(md.get("keywords")));
    m.insert("KubeVersion".into(), s("kubeVersion"));
    m.insert(
        "Maintainers".into(),
        struct_list(
            md.get("maintainers"),
            "*chart.Maintainer",
            &[("Name", "name"), ("Email", "email"), ("URL", "url")],
        ),
    );
    m.insert("Name".into(), s("name"));
    m.insert("Sources".into(), str_list(md.get("sources")));
    m.insert("Tags".into(), s("tags"));
    m.insert("Type".into(), s("type"));
    m.insert("Version".into(), s("version"));
    Value::map(m)
}

/// `.Release`.
pub fn release_object(name: &str, namespace: &str, revision: i64, is_upgrade: bool) -> Value {
    let mut m = Map::new();
    m.insert("IsInstall".into(), Value::Bool(!is_upgrade));
    m.insert("IsUpgrade".into(), Value::Bool(is_upgrade));
    m.insert("Name".into(), Value::str(name));
    m.insert("Namespace".into(), Value::str(namespace));
    m.insert("Revision".into(), Value::int(revision));
    m.insert("Service".into(), Value::str("Helm"));
    Value::map(m)
}
