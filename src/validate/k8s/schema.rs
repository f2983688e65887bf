//! The embedded per-version API schemas (`schemas/k8s/v1.<minor>.json.gz`,
//! written by `tools/k8s-schema-gen`), decompressed and indexed lazily:
//! only the target version, once per process.
//!
//! The file format is documented in `tools/k8s-schema-gen/src/main.rs`.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::sync::OnceLock;

use serde_json::Value as Json;

/// Oldest and newest Kubernetes minor version with an embedded schema.
pub const MIN_MINOR: u32 = 31;
pub const MAX_MINOR: u32 = 37;

static FILES: [&[u8]; 7] = [
    include_bytes!("../../../schemas/k8s/v1.31.json.gz"),
    include_bytes!("../../../schemas/k8s/v1.32.json.gz"),
    include_bytes!("../../../schemas/k8s/v1.33.json.gz"),
    include_bytes!("../../../schemas/k8s/v1.34.json.gz"),
    include_bytes!("../../../schemas/k8s/v1.35.json.gz"),
    include_bytes!("../../../schemas/k8s/v1.36.json.gz"),
    include_bytes!("../../../schemas/k8s/v1.37.json.gz"),
];

/// Which (apiVersion, kind) pairs each version serves, for removals and
/// deprecations across versions (`schemas/k8s/apis.json`, written by
/// generate.sh from the same outputs).
static APIS: &str = include_str!("../../../schemas/k8s/apis.json");

/// The structural type of a field.
#[derive(Debug)]
pub enum Ty {
    String,
    Integer,
    Number,
    Boolean,
    /// `IntOrString`: an integer or a string.
    IntOrString,
    /// `resource.Quantity`: a number or a quantity string (`500m`, `1Gi`).
    Quantity,
    /// `metav1.Time`/`MicroTime`: an RFC 3339 string.
    DateTime,
    /// `[]byte`: a base64 string.
    Base64,
    /// Any JSON (RawExtension, JSON, FieldsV1, free-form objects).
    Json,
    /// A shared definition, by index in [`Schema::types`].
    Ref(u32),
    Array(Box<Ty>),
    Map(Box<Ty>),
    Object(Obj),
    /// Any one of (CRD's JSONSchemaPropsOr* types).
    Union(Vec<Ty>),
}

#[derive(Debug, Default)]
pub struct Obj {
    pub props: HashMap<Box<str>, Ty>,
    pub required: Vec<Box<str>>,
}

/// Scope of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Namespaced,
    Cluster,
    Subresource,
}

/// apiVersion -> kind -> (type index, scope).
pub type ResourceMap = HashMap<Box<str>, HashMap<Box<str>, (u32, Scope)>>;

/// One Kubernetes version's API.
#[derive(Debug)]
pub struct Schema {
    pub minor: u32,
    /// Shared definitions; `names[i]` is `types[i]`'s name (`core.v1.PodSpec`).
    pub types: Vec<Ty>,
    pub names: Vec<Box<str>>,
    /// apiVersion -> kind -> (type index, scope).
    pub resources: ResourceMap,
}

impl Schema {
    pub fn resource(&self, api_version: &str, kind: &str) -> Option<(u32, Scope)> {
        self.resources.get(api_version)?.get(kind).copied()
    }
}

/// The schema for a Kubernetes minor version, clamped to the embedded
/// range (1.31..=1.37): decompressed and indexed on first use.
pub fn schema(minor: u32) -> &'static Schema {
    static CACHE: [OnceLock<Schema>; 7] = [const { OnceLock::new() }; 7];
    let minor = minor.clamp(MIN_MINOR, MAX_MINOR);
    let i = (minor - MIN_MINOR) as usize;
    CACHE[i].get_or_init(|| load(minor, FILES[i]))
}

fn load(minor: u32, gz: &[u8]) -> Schema {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_end(&mut text)
        .expect("embedded Kubernetes schema is valid gzip");
    let doc: Json = serde_json::from_slice(&text).expect("embedded Kubernetes schema is JSON");
    let types = doc["types"].as_object().expect("types");
    let names: Vec<Box<str>> = types.keys().map(|k| Box::from(k.as_str())).collect();
    let index: HashMap<&str, u32> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (&**n, i as u32))
        .collect();
    let types = types.values().map(|t| convert(t, &index)).collect();
    let mut resources = ResourceMap::new();
    for (gv, kinds) in doc["resources"].as_object().expect("resources") {
        for (kind, entry) in kinds.as_object().expect("kinds") {
            let name = entry[0].as_str().unwrap_or_default();
            let scope = match entry[1].as_str() {
                Some("c") => Scope::Cluster,
                Some("s") => Scope::Subresource,
                _ => Scope::Namespaced,
            };
            if let Some(&t) = index.get(name) {
                resources
                    .entry(Box::from(gv.as_str()))
                    .or_default()
                    .insert(Box::from(kind.as_str()), (t, scope));
            }
        }
    }
    Schema {
        minor,
        types,
        names,
        resources,
    }
}

fn convert(t: &Json, index: &HashMap<&str, u32>) -> Ty {
    match t {
        Json::String(s) => match s.as_str() {
            "string" => Ty::String,
            "integer" => Ty::Integer,
            "number" => Ty::Number,
            "boolean" => Ty::Boolean,
            "int-or-string" => Ty::IntOrString,
            "quantity" => Ty::Quantity,
            "date-time" => Ty::DateTime,
            "base64" => Ty::Base64,
            "json" => Ty::Json,
            name => index.get(name).map_or(Ty::Json, |&i| Ty::Ref(i)),
        },
        Json::Object(o) => {
            if let Some(a) = o.get("a") {
                Ty::Array(Box::new(convert(a, index)))
            } else if let Some(m) = o.get("m") {
                Ty::Map(Box::new(convert(m, index)))
            } else if let Some(Json::Array(alts)) = o.get("u") {
                Ty::Union(alts.iter().map(|a| convert(a, index)).collect())
            } else if let Some(Json::Object(props)) = o.get("o") {
                let props = props
                    .iter()
                    .map(|(k, v)| (Box::from(k.as_str()), convert(v, index)))
                    .collect();
                let required = o
                    .get("r")
                    .and_then(Json::as_array)
                    .map(|r| r.iter().filter_map(Json::as_str).map(Box::from).collect())
                    .unwrap_or_default();
                Ty::Object(Obj { props, required })
            } else {
                Ty::Json
            }
        }
        _ => Ty::Json,
    }
}

/// For every embedded version, the kinds each apiVersion serves.
pub struct ApiIndex {
    /// minor -> apiVersion -> kinds.
    pub versions: BTreeMap<u32, HashMap<String, Vec<String>>>,
}

impl ApiIndex {
    pub fn serves(&self, minor: u32, api_version: &str, kind: &str) -> bool {
        self.versions
            .get(&minor)
            .and_then(|gvs| gvs.get(api_version))
            .is_some_and(|kinds| kinds.iter().any(|k| k == kind))
    }

    /// Every group (the part of apiVersion before `/`, "" for core) any
    /// embedded version serves.
    pub fn is_builtin_group(&self, group: &str) -> bool {
        self.versions
            .values()
            .any(|gvs| gvs.keys().any(|gv| group_of(gv) == group))
    }

    /// apiVersions that serve `kind` in `minor`.
    pub fn api_versions_of(&self, minor: u32, kind: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .versions
            .get(&minor)
            .into_iter()
            .flat_map(|gvs| gvs.iter())
            .filter(|(_, kinds)| kinds.iter().any(|k| k == kind))
            .map(|(gv, _)| gv.as_str())
            .collect();
        out.sort();
        out
    }

    /// Every kind any version of `group` serves in `minor`.
    pub fn kinds_in_group(&self, minor: u32, group: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .versions
            .get(&minor)
            .into_iter()
            .flat_map(|gvs| gvs.iter())
            .filter(|(gv, _)| group_of(gv) == group)
            .flat_map(|(_, kinds)| kinds.iter().map(String::as_str))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// `apps/v1` -> `apps`; `v1` -> `` (core).
pub fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

pub fn api_index() -> &'static ApiIndex {
    static INDEX: OnceLock<ApiIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let doc: Json = serde_json::from_str(APIS).expect("embedded apis.json");
        let mut versions = BTreeMap::new();
        for (v, gvs) in doc.as_object().expect("apis.json object") {
            let Some(minor) = v.strip_prefix("1.").and_then(|m| m.parse().ok()) else {
                continue;
            };
            let mut map = HashMap::new();
            for (gv, kinds) in gvs.as_object().expect("apiVersions") {
                let kinds = kinds
                    .as_array()
                    .map(|k| {
                        k.iter()
                            .filter_map(|s| s.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                map.insert(gv.clone(), kinds);
            }
            versions.insert(minor, map);
        }
        ApiIndex { versions }
    })
}
