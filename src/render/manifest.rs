//! From rendered template files to `helm template` output, as Helm's
//! `SortManifests` and `renderResources` do it: split each file into YAML
//! documents, read each document's kind and annotations, set hooks apart,
//! sort stably by kind in Helm's install order, then print each document
//! under a `# Source:` line.

use std::collections::BTreeMap;

use crate::value::Value;
use crate::yaml;

/// Kinds in the order Helm installs them; unknown kinds go last, sorted by
/// name.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

/// One YAML document of a rendered template.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Template path (`chart/templates/x.yaml`).
    pub source: String,
    pub content: String,
    pub kind: String,
    pub api_version: String,
    pub name: String,
    /// `helm.sh/hook` events, empty for ordinary manifests.
    pub hook_events: Vec<String>,
    /// Byte offset of `content` in the template's rendered text.
    pub offset: usize,
    /// The document as parsed while sorting, when `RenderOptions::keep_objects`
    /// (lint reads objects from it); else `Value::Nil`.
    pub value: Value,
}

impl Manifest {
    pub fn is_test_hook(&self) -> bool {
        self.hook_events
            .iter()
            .any(|e| e == "test" || e == "test-success")
    }
}

/// Helm's `SplitManifests`: documents in file order.
pub fn split_manifests(text: &str) -> Vec<String> {
    split_manifests_at(text)
        .into_iter()
        .map(|(_, d)| d)
        .collect()
}

/// [`split_manifests`] with each document's byte offset in `text`.
pub fn split_manifests_at(text: &str) -> Vec<(usize, String)> {
    let trimmed = text.trim_start();
    let base = text.len() - trimmed.len();
    let mut out = Vec::new();
    let mut start = 0;
    let mut push = |piece: &str, at: usize| {
        if !piece.is_empty() {
            let d = piece.trim_start();
            out.push((base + at + piece.len() - d.len(), d.to_string()));
        }
    };
    while let Some((m_start, m_end)) = next_separator(trimmed, start) {
        push(&trimmed[start..m_start], start);
        start = m_end;
    }
    push(&trimmed[start..], start);
    out
}

/// Go's `\s`: ASCII only.
fn is_go_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The next match at or after `from` of Helm's separator regex
/// `(?:^|\s*\n)---\s*`, leftmost-first as Go's regexp finds it, without a
/// regex engine (it was a fifth of a whole render). The leftmost match of
/// `\s*\n---` starts where the whitespace run before the first `\n---`
/// begins: any earlier start would need an earlier `\n---`.
fn next_separator(s: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let (begin, mut end) = if from == 0 && s.starts_with("---") {
        (0, 3)
    } else {
        let nl = from + s.get(from..)?.find("\n---")?;
        let mut begin = nl;
        while begin > from && is_go_space(bytes[begin - 1]) {
            begin -= 1;
        }
        (begin, nl + 4)
    };
    while end < bytes.len() && is_go_space(bytes[end]) {
        end += 1;
    }
    Some((begin, end))
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Map(..) => "object",
        Value::List(..) => "array",
        Value::Bool(_) => "bool",
        Value::String(_) => "string",
        _ => "number",
    }
}

/// A string field of the document head (`field` as Go's JSON decoder
/// names it: `SimpleHead.kind`, `.metadata.name`). Numbers and bools were
/// read as text already (see [`SIMPLE_HEAD`]); a list or a map is the
/// decoder's error.
fn head_str(v: Option<&Value>, field: &str) -> Result<String, String> {
    match v {
        None | Some(Value::Nil) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.to_string()),
        Some(other) => Err(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field {field} of type string",
            json_kind(other)
        )),
    }
}

#[derive(Debug, PartialEq)]
struct Head {
    api_version: String,
    kind: String,
    name: String,
    annotations: BTreeMap<String, String>,
}

/// Helm's `SimpleHead`, as sigs.k8s.io/yaml fills it.
const SIMPLE_HEAD: yaml::Struct = yaml::Struct {
    keys: &["apiVersion", "kind", "metadata"],
    strings: &[
        "apiVersion",
        "kind",
        "metadata.name",
        "metadata.annotations.*",
    ],
};

/// Read a document's `apiVersion`, `kind`, `metadata.name` and
/// `metadata.annotations` like Helm's `SimpleHead` (the rest of the
/// document only checked, with the same errors), and the whole document
/// when `keep` (else, or when only the struct can read it, `Value::Nil`).
fn read_head(doc: &str, keep: bool) -> Result<(Head, Value), String> {
    let (fields, whole) = yaml::parse_struct(doc, &SIMPLE_HEAD, keep).map_err(|e| e.message)?;
    Ok((head_of(&fields)?, whole.unwrap_or(Value::Nil)))
}

fn head_of(v: &Value) -> Result<Head, String> {
    let mut head = Head {
        api_version: String::new(),
        kind: String::new(),
        name: String::new(),
        annotations: BTreeMap::new(),
    };
    let m = match v {
        Value::Nil => return Ok(head),
        Value::Map(m, _) => m.borrow(),
        other => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type util.SimpleHead",
                json_kind(other)
            ));
        }
    };
    head.api_version = head_str(m.get("apiVersion"), "SimpleHead.apiVersion")?;
    head.kind = head_str(m.get("kind"), "SimpleHead.kind")?;
    match m.get("metadata") {
        None | Some(Value::Nil) => {}
        Some(Value::Map(md, _)) => {
            let md = md.borrow();
            head.name = head_str(md.get("name"), ".metadata.name")?;
            match md.get("annotations") {
                None | Some(Value::Nil) => {}
                Some(Value::Map(a, _)) => {
                    for (k, v) in a.borrow().iter() {
                        let s = head_str(Some(v), ".metadata.annotations")?;
                        head.annotations.insert(k.clone(), s);
                    }
                }
                Some(other) => {
                    return Err(format!(
                        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field .metadata.annotations of type map[string]string",
                        json_kind(other)
                    ));
                }
            }
        }
        Some(other) => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field SimpleHead.metadata of type struct {{ Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }}",
                json_kind(other)
            ));
        }
    }
    Ok(head)
}

fn kind_rank(kind: &str) -> Option<usize> {
    INSTALL_ORDER.iter().position(|k| *k == kind)
}

/// Helm's `lessByKind` as a total order for a stable sort.
fn by_kind(a: &Manifest, b: &Manifest) -> std::cmp::Ordering {
    match (kind_rank(&a.kind), kind_rank(&b.kind)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.kind.cmp(&b.kind),
    }
}

/// The rendered chart split into ordinary manifests and hooks, each sorted
/// in Helm's install order.
#[derive(Debug, Default)]
pub struct Sorted {
    pub manifests: Vec<Manifest>,
    pub hooks: Vec<Manifest>,
}

/// Helm's `SortManifests` over rendered files (path -> text). NOTES.txt
/// files and partials must already be removed.
/// Each manifest's parsed object is kept when `keep_objects`, else
/// `Value::Nil`.
pub fn sort_manifests(
    files: &BTreeMap<String, String>,
    keep_objects: bool,
) -> Result<Sorted, String> {
    let mut out = Sorted::default();
    // BTreeMap iterates in byte order, like Go's sort.Strings.
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        for (offset, doc) in split_manifests_at(content) {
            let (head, value) = read_head(&doc, keep_objects)
                .map_err(|e| format!("YAML parse error on {path}: {e}"))?;
            let mut m = Manifest {
                source: path.clone(),
                content: doc,
                kind: head.kind,
                api_version: head.api_version,
                name: head.name,
                hook_events: Vec::new(),
                offset,
                value,
            };
            let Some(hook) = head.annotations.get("helm.sh/hook") else {
                out.manifests.push(m);
                continue;
            };
            let events: Vec<String> = hook.split(',').map(|e| e.trim().to_lowercase()).collect();
            // A manifest with an unknown hook event is dropped, as Helm does.
            if events.iter().any(|e| !HOOK_EVENTS.contains(&e.as_str())) {
                continue;
            }
            m.hook_events = events;
            out.hooks.push(m);
        }
    }
    out.manifests.sort_by(by_kind);
    out.hooks.sort_by(by_kind);
    Ok(out)
}

/// One document as Helm prints it: `---\n# Source: <path>\n<content>\n`.
pub fn write_document(out: &mut String, source: &str, content: &str) {
    out.push_str("---\n# Source: ");
    out.push_str(source);
    out.push('\n');
    out.push_str(content);
    out.push('\n');
}

/// [`write_document`] per document.
pub fn write_documents(out: &mut String, docs: &[Manifest]) {
    for m in docs {
        write_document(out, &m.source, &m.content);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_only_read_gives_the_same_head_and_errors() {
        // Errors of the JSON round trip anywhere in the document (a
        // non-finite float, a key JSON cannot take), before and after the
        // head, and the head's own type errors.
        let docs = [
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: pre-install\ndata:\n  x: '1'\n",
            "kind: A\nspec:\n  x: .inf\nmetadata: {name: a}\n",
            "spec: [1, 2, {a: -.inf}]\nkind: A\n",
            "spec:\n  ? [1, 2]\n  : x\nkind: A\n",
            "spec:\n  18446744073709551615: x\nkind: A\n",
            "spec:\n  ~: x\n",
            "kind: 1\nspec: {a: .nan}\n",
            "metadata: {name: [1]}\nspec: {a: .nan}\n",
            "metadata:\n  annotations: {a: [1]}\n",
            "kind: A\nkind: B\n",
            "- a\n- b\n",
            "just text\n",
            "~\n",
            "a: b: c\n",
            "x: &a [*a]\n",
            "1: a\n1.5: b\ntrue: c\nkind: K\n",
        ];
        for d in docs {
            let full = read_head(d, true).map(|(h, _)| h);
            let top = read_head(d, false).map(|(h, v)| {
                assert!(matches!(v, Value::Nil));
                h
            });
            assert_eq!(full, top, "{d}");
        }
        assert!(
            read_head(docs[1], false)
                .unwrap_err()
                .contains("unsupported value: +Inf")
        );
    }

    #[test]
    fn split_like_helm() {
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), vec!["a: 1", "b: 2\n"]);
        assert_eq!(split_manifests("---\na: 1"), vec!["a: 1"]);
        assert_eq!(
            split_manifests("  \n---apiVersion: v1"),
            vec!["apiVersion: v1"]
        );
        // The second marker is not preceded by an unconsumed newline.
        assert_eq!(split_manifests("---\n---\n"), vec!["---\n"]);
    }

    /// The hand-written separator search finds exactly what Helm's regex
    /// finds, on every string over an alphabet made of its special bytes.
    #[test]
    fn separator_search_matches_helm_regex() {
        let re = regex_lite::Regex::new(r"(?:^|[\t\n\x0c\r ]*\n)---[\t\n\x0c\r ]*").unwrap();
        let alphabet = [b'-', b'\n', b' ', b'\t', b'a', b'\r'];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 14) as usize;
            let mut x = seed;
            let text: String = (0..len)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(x >> 33) as usize % alphabet.len()] as char
                })
                .collect();
            let want: Vec<(usize, usize)> =
                re.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            let mut got = Vec::new();
            let mut from = 0;
            while let Some(m) = next_separator(&text, from) {
                got.push(m);
                from = m.1;
            }
            assert_eq!(got, want, "{text:?}");
        }
    }
}
