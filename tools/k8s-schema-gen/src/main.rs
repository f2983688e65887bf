//! Writes a compact structural schema of every top-level Kubernetes
//! resource type for the Kubernetes version this binary was built for (one
//! `v1_*` feature per build; see generate.sh).
//!
//! Output (JSON on stdout):
//! ```text
//! { "kubernetes": "1.33", "k8sOpenapi": "0.29.0",
//!   "resources": { "apps/v1": { "Deployment": ["apps.v1.Deployment", "n"] } },
//!   "types": { "apps.v1.Deployment": {"o": {...}, "r": [...]} } }
//! ```
//! Scopes: `n` namespaced, `c` cluster, `s` subresource. A type is one of
//! the primitive names `string`, `integer`, `number`, `boolean`,
//! `int-or-string`, `quantity`, `date-time`, `base64`, `json` (any JSON:
//! RawExtension, JSON, FieldsV1, free-form objects), the name of a shared
//! definition in `types` (names contain dots), `{"a": T}` (array of T),
//! `{"m": T}` (map of string to T) or `{"o": {field: T}, "r": [required]}`
//! (object; `r` omitted when empty) or `{"u": [T, ...]}` (any one of;
//! the JSONSchemaPropsOr* types of CustomResourceDefinition). Descriptions, formats other than
//! date-time/byte and other annotations are dropped.

#[cfg(any(feature = "v1_31", feature = "v1_32"))]
extern crate k8s027 as k8s_openapi;
#[cfg(any(
    feature = "v1_33",
    feature = "v1_34",
    feature = "v1_35",
    feature = "v1_36",
    feature = "v1_37"
))]
extern crate k8s029 as k8s_openapi;

use std::collections::BTreeMap;

use schemars::SchemaGenerator;
use serde_json::{Map, Value, json};

struct Res {
    api_version: &'static str,
    kind: &'static str,
    scope: &'static str,
    def: String,
}

trait ScopeLetter {
    const LETTER: &'static str;
}
impl ScopeLetter for k8s_openapi::NamespaceResourceScope {
    const LETTER: &'static str = "n";
}
impl ScopeLetter for k8s_openapi::ClusterResourceScope {
    const LETTER: &'static str = "c";
}
impl ScopeLetter for k8s_openapi::SubResourceScope {
    const LETTER: &'static str = "s";
}

fn add<T>(generator: &mut SchemaGenerator, out: &mut Vec<Res>)
where
    T: k8s_openapi::Resource + schemars::JsonSchema,
    T::Scope: ScopeLetter,
{
    let _ = generator.subschema_for::<T>();
    out.push(Res {
        api_version: T::API_VERSION,
        kind: T::KIND,
        scope: <T::Scope as ScopeLetter>::LETTER,
        def: T::schema_name().into_owned(),
    });
}

macro_rules! resources {
    ($($t:ty),* $(,)?) => {
        fn all_resources(generator: &mut SchemaGenerator) -> Vec<Res> {
            let mut out = Vec::new();
            $( add::<$t>(generator, &mut out); )*
            out
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/resources.rs"));

/// Definitions with a fixed primitive meaning, whatever their schema says.
fn special(name: &str) -> Option<&'static str> {
    Some(match name {
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => "int-or-string",
        "io.k8s.apimachinery.pkg.api.resource.Quantity" => "quantity",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
        | "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" => "date-time",
        "io.k8s.apimachinery.pkg.runtime.RawExtension"
        | "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON"
        | "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1" => "json",
        _ => return None,
    })
}

/// `io.k8s.api.apps.v1.Deployment` -> `apps.v1.Deployment`.
fn short(name: &str) -> String {
    let parts: Vec<&str> = name.split('.').collect();
    parts[parts.len().saturating_sub(3)..].join(".")
}

fn ref_name(r: &str) -> &str {
    r.rsplit('/').next().unwrap_or(r)
}

fn conv(s: &Value, at: &str) -> Value {
    let Some(o) = s.as_object() else {
        // `true` schema: anything.
        return json!("json");
    };
    if let Some(r) = o.get("$ref").and_then(Value::as_str) {
        let name = ref_name(r);
        return match special(name) {
            Some(p) => json!(p),
            None => json!(short(name)),
        };
    }
    if let Some(alts) = o
        .get("oneOf")
        .or_else(|| o.get("anyOf"))
        .and_then(Value::as_array)
    {
        let alts: Vec<Value> = alts.iter().map(|a| conv(a, at)).collect();
        return json!({ "u": alts });
    }
    if o.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
        return json!("int-or-string");
    }
    let ty = o.get("type").and_then(Value::as_str);
    match ty {
        Some("string") => match o.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("date-time"),
            Some("byte") => json!("base64"),
            _ => json!("string"),
        },
        Some("integer") => json!("integer"),
        Some("number") => json!("number"),
        Some("boolean") => json!("boolean"),
        Some("array") => {
            let items = o.get("items").map(|i| conv(i, at)).unwrap_or(json!("json"));
            json!({ "a": items })
        }
        Some("object") | None => {
            if let Some(props) = o.get("properties").and_then(Value::as_object) {
                let mut m = Map::new();
                for (k, v) in props {
                    m.insert(k.clone(), conv(v, &format!("{at}.{k}")));
                }
                let mut obj = Map::new();
                obj.insert("o".into(), Value::Object(m));
                if let Some(req) = o.get("required").and_then(Value::as_array)
                    && !req.is_empty()
                {
                    obj.insert("r".into(), Value::Array(req.clone()));
                }
                Value::Object(obj)
            } else if let Some(ap) = o.get("additionalProperties") {
                if ap.is_object() {
                    json!({ "m": conv(ap, at) })
                } else {
                    json!("json")
                }
            } else {
                if ty.is_none() {
                    eprintln!("note: {at}: no type, treated as json: {}", shorten(s));
                }
                json!("json")
            }
        }
        Some(other) => {
            eprintln!("note: {at}: unexpected type {other}, treated as json");
            json!("json")
        }
    }
}

fn shorten(v: &Value) -> String {
    let mut s = v.to_string();
    s.truncate(200);
    s
}

fn main() {
    let mut generator = SchemaGenerator::default();
    let mut resources = all_resources(&mut generator);
    resources.sort_by(|a, b| (a.api_version, a.kind).cmp(&(b.api_version, b.kind)));
    let defs = generator.take_definitions(true);

    let mut types = BTreeMap::new();
    let mut long_of_short: BTreeMap<String, String> = BTreeMap::new();
    for (name, schema) in &defs {
        if special(name).is_some() {
            continue;
        }
        let s = short(name);
        if let Some(prev) = long_of_short.insert(s.clone(), name.clone()) {
            panic!("short name {s} for both {prev} and {name}");
        }
        types.insert(s, conv(schema, name));
    }

    let mut by_gv: BTreeMap<&str, BTreeMap<&str, Value>> = BTreeMap::new();
    for r in &resources {
        let prev = by_gv
            .entry(r.api_version)
            .or_default()
            .insert(r.kind, json!([short(&r.def), r.scope]));
        assert!(prev.is_none(), "duplicate {} {}", r.api_version, r.kind);
    }

    let out = json!({
        "kubernetes": format!("1.{MINOR}"),
        "k8sOpenapi": K8S_OPENAPI,
        "resources": by_gv,
        "types": types,
    });
    println!("{}", serde_json::to_string(&out).unwrap());
    eprintln!(
        "1.{MINOR}: {} resources, {} types",
        resources.len(),
        types.len()
    );
}
