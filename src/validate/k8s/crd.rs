//! Custom resources against the `openAPIV3Schema` of a matching
//! CustomResourceDefinition (apiextensions.k8s.io/v1), the way the
//! apiextensions API server sees them: `metadata` at the root and in
//! `x-kubernetes-embedded-resource` objects is ObjectMeta whatever the CRD
//! says (`objectmeta.Validate`), structural defaults are applied before
//! `required` is checked, embedded resources need `apiVersion` and `kind`.

use super::walk::{describe, is_integer, push_field, suggest, wrong_type};
use super::{ApiFinding, Code};
use crate::value::{Map, Value};

fn get<'a>(m: &'a Map, key: &str) -> Option<&'a Value> {
    m.get(key).filter(|v| !matches!(v, Value::Nil))
}

fn get_str(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v.clone();
    for key in path {
        let next = cur.as_map()?.get(*key)?.clone();
        cur = next;
    }
    cur.as_str().map(String::from)
}

fn flag(m: &Map, key: &str) -> bool {
    matches!(m.get(key), Some(Value::Bool(true)))
}

/// Validates a custom resource against the CRD among `crds` that defines
/// its group, kind and version. Without one: a single K8S006 note.
pub fn validate_custom(obj: &Value, crds: &[Value], kube: (u32, u32)) -> Vec<ApiFinding> {
    let mut out = Vec::new();
    let api_version = get_str(obj, &["apiVersion"]).unwrap_or_default();
    let kind = get_str(obj, &["kind"]).unwrap_or_default();
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", &api_version));
    let crd = crds.iter().find(|c| {
        get_str(c, &["kind"]).as_deref() == Some("CustomResourceDefinition")
            && get_str(c, &["spec", "group"]).as_deref() == Some(group)
            && get_str(c, &["spec", "names", "kind"]).as_deref() == Some(kind.as_str())
    });
    let Some(crd) = crd else {
        out.push(ApiFinding::new(
            Code::UnknownKind,
            "",
            format!(
                "{api_version} {kind} is not a built-in kind and no CustomResourceDefinition was found: not validated"
            ),
        ));
        return out;
    };
    let crd_name = get_str(crd, &["metadata", "name"]).unwrap_or_else(|| kind.clone());
    let versions: Vec<Value> = crd
        .as_map()
        .and_then(|m| get(&m, "spec").cloned())
        .and_then(|s| s.as_map().and_then(|m| get(&m, "versions").cloned()))
        .and_then(|v| match v {
            Value::List(l, _) => Some(l.to_vec()),
            _ => None,
        })
        .unwrap_or_default();
    let Some(ver) = versions
        .iter()
        .find(|v| get_str(v, &["name"]).as_deref() == Some(version))
    else {
        let names: Vec<String> = versions
            .iter()
            .filter_map(|v| get_str(v, &["name"]))
            .collect();
        out.push(ApiFinding::new(
            Code::RemovedApi,
            "apiVersion",
            format!(
                "CustomResourceDefinition {crd_name} does not define version {version:?} (it defines {})",
                names.join(", ")
            ),
        ));
        return out;
    };
    let ver = ver.as_map().map(|m| m.clone()).unwrap_or_default();
    if matches!(ver.get("served"), Some(Value::Bool(false))) {
        out.push(ApiFinding::new(
            Code::RemovedApi,
            "apiVersion",
            format!("version {version} of CustomResourceDefinition {crd_name} is not served"),
        ));
        return out;
    }
    if flag(&ver, "deprecated") {
        let warning = ver
            .get("deprecationWarning")
            .and_then(Value::as_str)
            .map(|w| format!(": {w}"))
            .unwrap_or_default();
        out.push(ApiFinding::new(
            Code::DeprecatedApi,
            "",
            format!("{api_version} {kind} is deprecated{warning}"),
        ));
    }
    let schema = ver
        .get("schema")
        .and_then(|s| s.as_map().and_then(|m| m.get("openAPIV3Schema").cloned()));
    if let Some(schema) = schema
        && let Some(node) = schema.as_map()
    {
        let schema = super::schema::schema(super::minor_of(kube));
        let cx = Cx { schema };
        cx.check(obj, &node, &mut String::new(), true, &mut out);
    }
    out
}

/// What the walk needs besides the CRD: the built-in API of the target
/// version, for ObjectMeta.
struct Cx {
    schema: &'static super::schema::Schema,
}

impl Cx {
    /// `metadata` of a custom resource or embedded resource: the built-in
    /// ObjectMeta, which a CRD's `metadata: {type: object}` does not close.
    fn object_meta(&self, v: &Value, path: &mut String, out: &mut Vec<ApiFinding>) {
        match self.schema.type_index("meta.v1.ObjectMeta") {
            Some(i) => super::walk::check(self.schema, v, &super::schema::Ty::Ref(i), path, out),
            None => {
                if !matches!(v, Value::Map(..) | Value::Nil) {
                    wrong_type(v, "object", path, out);
                }
            }
        }
    }

    fn check(
        &self,
        v: &Value,
        node: &Map,
        path: &mut String,
        root: bool,
        out: &mut Vec<ApiFinding>,
    ) {
        if matches!(v, Value::Nil) {
            // The API prunes nulls of non-nullable fields; nullable accepts them.
            return;
        }
        if flag(node, "x-kubernetes-int-or-string") {
            if !(is_integer(v) || matches!(v, Value::String(_))) {
                wrong_type(v, "integer or string", path, out);
            }
            return;
        }
        let ty = node.get("type").and_then(Value::as_str).unwrap_or("");
        let ok = match ty {
            "object" => matches!(v, Value::Map(..)),
            "array" => matches!(v, Value::List(..)),
            "string" => matches!(v, Value::String(_)),
            "integer" => is_integer(v),
            "number" => matches!(v, Value::Int(..) | Value::Float(_)),
            "boolean" => matches!(v, Value::Bool(_)),
            _ => true,
        };
        if !ok {
            wrong_type(v, ty, path, out);
            return;
        }
        if let Some(Value::List(options, _)) = node.get("enum")
            && !options.iter().any(|o| same(o, v))
        {
            let list: Vec<String> = options.iter().map(describe).collect();
            out.push(ApiFinding::new(
                Code::UnsupportedValue,
                path,
                format!("{} is not one of: {}", describe(v), list.join(", ")),
            ));
        }
        match v {
            Value::Map(m, _) => {
                let m = m.borrow();
                let props = node
                    .get("properties")
                    .and_then(|p| p.as_map().map(|m| m.clone()));
                let additional = node.get("additionalProperties");
                let preserve = flag(node, "x-kubernetes-preserve-unknown-fields");
                let embedded = root || flag(node, "x-kubernetes-embedded-resource");
                for (k, val) in m.iter() {
                    let len = path.len();
                    push_field(path, k);
                    let sub = props.as_ref().and_then(|p| p.get(k).cloned());
                    if embedded && k == "metadata" {
                        self.object_meta(val, path, out);
                    } else if embedded && matches!(k.as_str(), "apiVersion" | "kind") {
                        if !matches!(val, Value::String(_)) {
                            wrong_type(val, "string", path, out);
                        }
                    } else if let Some(sub) = sub {
                        if let Some(sub) = sub.as_map() {
                            self.check(val, &sub, path, false, out);
                        }
                    } else if let Some(Value::Map(ap, _)) = additional {
                        let ap = ap.borrow();
                        self.check(val, &ap, path, false, out);
                    } else if preserve || matches!(additional, Some(Value::Bool(true))) {
                    } else if ty == "object" || props.is_some() {
                        let hint = props
                            .as_ref()
                            .and_then(|p| suggest(k, p.keys().map(String::as_str)))
                            .map(|s| format!(" (did you mean {s:?}?)"))
                            .unwrap_or_default();
                        out.push(ApiFinding::new(
                        Code::UnknownField,
                        path,
                        format!(
                            "unknown field {k:?}{hint}: the CustomResourceDefinition's schema does not declare it, so the API server prunes it"
                        ),
                    ));
                    }
                    path.truncate(len);
                }
                // An embedded resource must say what it is (the root's own
                // apiVersion and kind were checked to find the CRD).
                if embedded && !root {
                    for r in ["apiVersion", "kind"] {
                        if get(&m, r).is_none() {
                            let len = path.len();
                            push_field(path, r);
                            out.push(ApiFinding::new(
                                Code::MissingRequired,
                                path,
                                format!("missing required field {r:?} of an embedded resource"),
                            ));
                            path.truncate(len);
                        }
                    }
                }
                if let Some(Value::List(required, _)) = node.get("required") {
                    for r in required.iter().filter_map(Value::as_str) {
                        // The API server applies structural defaults before it
                        // validates: a required field with a default is set.
                        let defaulted = props
                            .as_ref()
                            .and_then(|p| p.get(r).cloned())
                            .and_then(|p| p.as_map().map(|m| m.contains_key("default")))
                            .unwrap_or(false);
                        if get(&m, r).is_none() && !defaulted {
                            super::walk::missing_required(path, r, out);
                        }
                    }
                }
            }
            Value::List(items, _) => {
                if let Some(item_node) = node
                    .get("items")
                    .and_then(|i| i.as_map().map(|m| m.clone()))
                {
                    for (i, item) in items.iter().enumerate() {
                        let len = path.len();
                        path.push_str(&format!("[{i}]"));
                        self.check(item, &item_node, path, false, out);
                        path.truncate(len);
                    }
                }
            }
            _ => {}
        }
    }
}

/// JSON equality for enum values (numbers compare by value).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Nil, Value::Nil) => true,
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i, _) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}
