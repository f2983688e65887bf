//! Semantic comparison of two manifest streams, like dyff: documents are
//! matched by kind, namespace and name, then compared field by field, so
//! key order, quoting, indentation and comments do not count. Lists whose
//! items all have a unique `name` (containers, volumes, env, ...) are
//! matched by name (`containers[name=perses]`), other lists by index.

use std::collections::BTreeSet;

use crate::style::{self, paint};
use crate::value::Value;
use crate::yaml::{parse_any, split_documents, to_json};
use anstyle::Style;

/// What happened to a field or object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One difference: in `object` (`Kind/name` or `Kind/namespace/name`), at
/// the dotted `path` ("" for the whole object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub object: String,
    pub path: String,
    pub kind: ChangeKind,
    /// The golden side's value (JSON), for removed and changed fields.
    pub old: Option<String>,
    /// The rendered side's value (JSON), for added and changed fields.
    pub new: Option<String>,
    /// First line of the object's document in the golden file (0: none).
    pub line: usize,
}

impl Change {
    /// A one-line description, for findings.
    pub fn describe(&self) -> String {
        let what = if self.path.is_empty() {
            "object".to_string()
        } else {
            self.path.clone()
        };
        let short = |s: &Option<String>| {
            let s = s.clone().unwrap_or_default();
            if s.chars().count() > 120 {
                format!("{}...", s.chars().take(117).collect::<String>())
            } else {
                s
            }
        };
        if self.path.is_empty() {
            let how = match self.kind {
                ChangeKind::Added => "added (only in the render)",
                ChangeKind::Removed => "removed (only in the golden file)",
                ChangeKind::Changed => "changed",
            };
            return format!("{}: object {how}", self.object);
        }
        match self.kind {
            ChangeKind::Added => format!("{}: {what} added: {}", self.object, short(&self.new)),
            ChangeKind::Removed => {
                format!("{}: {what} removed: {}", self.object, short(&self.old))
            }
            ChangeKind::Changed => format!(
                "{}: {what} changed: {} -> {}",
                self.object,
                short(&self.old),
                short(&self.new)
            ),
        }
    }
}

/// A parsed document of a manifest stream.
struct Doc {
    id: String,
    value: Value,
    line: usize,
}

fn str_at(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v.clone();
    for k in path {
        let next = cur.as_map()?.get(*k).cloned()?;
        cur = next;
    }
    cur.as_str().map(str::to_string)
}

fn object_id(v: &Value, index: usize) -> String {
    let kind = str_at(v, &["kind"]).unwrap_or_default();
    let name = str_at(v, &["metadata", "name"]).unwrap_or_default();
    let ns = str_at(v, &["metadata", "namespace"]).unwrap_or_default();
    if kind.is_empty() && name.is_empty() {
        return format!("document {}", index + 1);
    }
    if ns.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}/{ns}/{name}")
    }
}

/// Split and parse a manifest stream; documents without content (comments
/// only) are skipped. `label` names the text in errors.
fn documents(text: &str, label: &str) -> Result<Vec<Doc>, String> {
    let parts = split_documents(text).map_err(|e| format!("{label}:{}: {}", e.line, e.message))?;
    let mut docs: Vec<Doc> = Vec::new();
    for (doc, first) in parts {
        let v = parse_any(&doc).map_err(|e| {
            let line = if e.line > 0 {
                e.line + first - 1
            } else {
                first
            };
            format!("{label}:{line}: {}", e.message)
        })?;
        if matches!(v, Value::Nil) {
            continue;
        }
        let mut id = object_id(&v, docs.len());
        let base = id.clone();
        let mut n = 1;
        while docs.iter().any(|d| d.id == id) {
            n += 1;
            id = format!("{base}#{n}");
        }
        docs.push(Doc {
            id,
            value: v,
            line: first,
        });
    }
    Ok(docs)
}

fn key_segment(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && !key
            .chars()
            .any(|c| matches!(c, '.' | '[' | ']' | '"') || c.is_whitespace());
    let seg = if plain {
        key.to_string()
    } else {
        format!("[{}]", to_json(&Value::str(key)))
    };
    if parent.is_empty() {
        seg
    } else if plain {
        format!("{parent}.{seg}")
    } else {
        format!("{parent}{seg}")
    }
}

/// The `name` of every item when all items are maps with distinct string
/// names, else None.
fn names(items: &[Value]) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for it in items {
        let n = str_at(it, &["name"])?;
        if out.contains(&n) {
            return None;
        }
        out.push(n);
    }
    Some(out)
}

struct Walker<'a> {
    object: &'a str,
    line: usize,
    out: Vec<Change>,
}

impl Walker<'_> {
    fn push(&mut self, path: &str, kind: ChangeKind, old: Option<&Value>, new: Option<&Value>) {
        self.out.push(Change {
            object: self.object.to_string(),
            path: path.to_string(),
            kind,
            old: old.map(to_json),
            new: new.map(to_json),
            line: self.line,
        });
    }

    /// One key or index on either side: compared, removed or added.
    fn pair(&mut self, path: &str, old: Option<&Value>, new: Option<&Value>) {
        match (old, new) {
            (Some(x), Some(y)) => self.walk(path, x, y),
            (Some(x), None) => self.push(path, ChangeKind::Removed, Some(x), None),
            (None, Some(y)) => self.push(path, ChangeKind::Added, None, Some(y)),
            (None, None) => {}
        }
    }

    fn walk(&mut self, path: &str, old: &Value, new: &Value) {
        match (old, new) {
            (Value::Map(a, _), Value::Map(b, _)) => {
                let (a, b) = (a.borrow(), b.borrow());
                let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                for k in keys {
                    self.pair(&key_segment(path, k), a.get(k), b.get(k));
                }
            }
            (Value::List(a, _), Value::List(b, _)) => self.walk_list(path, a, b),
            _ => {
                if to_json(old) != to_json(new) {
                    self.push(path, ChangeKind::Changed, Some(old), Some(new));
                }
            }
        }
    }

    fn walk_list(&mut self, path: &str, a: &[Value], b: &[Value]) {
        if let (Some(na), Some(nb)) = (names(a), names(b))
            && !a.is_empty()
            && !b.is_empty()
        {
            for (i, n) in na.iter().enumerate() {
                let p = format!("{path}[name={n}]");
                match nb.iter().position(|m| m == n) {
                    Some(j) => self.walk(&p, &a[i], &b[j]),
                    None => self.push(&p, ChangeKind::Removed, Some(&a[i]), None),
                }
            }
            for (j, n) in nb.iter().enumerate() {
                if !na.contains(n) {
                    let p = format!("{path}[name={n}]");
                    self.push(&p, ChangeKind::Added, None, Some(&b[j]));
                }
            }
            let common_a: Vec<&String> = na.iter().filter(|n| nb.contains(n)).collect();
            let common_b: Vec<&String> = nb.iter().filter(|n| na.contains(n)).collect();
            if common_a != common_b {
                let order = |v: &[&String]| {
                    Value::list(v.iter().map(|s| Value::str(s)).collect::<Vec<_>>())
                };
                self.push(
                    &format!("{path} (order)"),
                    ChangeKind::Changed,
                    Some(&order(&common_a)),
                    Some(&order(&common_b)),
                );
            }
            return;
        }
        for i in 0..a.len().max(b.len()) {
            self.pair(&format!("{path}[{i}]"), a.get(i), b.get(i));
        }
    }
}

/// Every difference from `golden` to `rendered`, objects in golden order
/// then the new ones. Errors name the side that does not parse.
pub fn compare(
    golden: &str,
    rendered: &str,
    golden_label: &str,
    rendered_label: &str,
) -> Result<Vec<Change>, String> {
    let old = documents(golden, golden_label)?;
    let new = documents(rendered, rendered_label)?;
    let mut out = Vec::new();
    for d in &old {
        match new.iter().find(|n| n.id == d.id) {
            Some(n) => {
                let mut w = Walker {
                    object: &d.id,
                    line: d.line,
                    out: Vec::new(),
                };
                w.walk("", &d.value, &n.value);
                out.extend(w.out);
            }
            None => out.push(Change {
                object: d.id.clone(),
                path: String::new(),
                kind: ChangeKind::Removed,
                old: Some(to_json(&d.value)),
                new: None,
                line: d.line,
            }),
        }
    }
    for n in &new {
        if !old.iter().any(|d| d.id == n.id) {
            out.push(Change {
                object: n.id.clone(),
                path: String::new(),
                kind: ChangeKind::Added,
                old: None,
                new: Some(to_json(&n.value)),
                line: 0,
            });
        }
    }
    Ok(out)
}

/// Multi-line JSON strings as their text, for a line diff.
fn as_text(json: &Option<String>) -> Option<String> {
    let s = json.as_deref()?;
    let v: serde_json::Value = serde_json::from_str(s).ok()?;
    let t = v.as_str()?;
    t.contains('\n').then(|| t.to_string())
}

/// dyff-like report for people: objects with their field changes.
pub fn render_human(changes: &[Change], color: bool) -> String {
    let paint = |style: Style, s: &str| paint(color, style, s);
    let mut out = String::new();
    let mut current = "";
    for c in changes {
        if c.path.is_empty() {
            let (sign, code, what) = match c.kind {
                ChangeKind::Added => ("+", style::GREEN, "object added"),
                ChangeKind::Removed => ("-", style::RED, "object removed"),
                ChangeKind::Changed => ("~", style::YELLOW, "object changed"),
            };
            out.push_str(&paint(code, &format!("{sign} {} ({what})", c.object)));
            out.push('\n');
            current = "";
            continue;
        }
        if current != c.object {
            out.push_str(&paint(style::BOLD, &c.object));
            out.push('\n');
            current = &c.object;
        }
        let (sign, code) = match c.kind {
            ChangeKind::Added => ("+", style::GREEN),
            ChangeKind::Removed => ("-", style::RED),
            ChangeKind::Changed => ("~", style::YELLOW),
        };
        out.push_str(&format!("  {} {}\n", paint(code, sign), c.path));
        if let (ChangeKind::Changed, Some(a), Some(b)) = (c.kind, as_text(&c.old), as_text(&c.new))
        {
            let d = super::text::unified(&a, &b, "golden", "rendered", color);
            for l in d.lines().skip(2) {
                out.push_str(&format!("      {l}\n"));
            }
            continue;
        }
        if let Some(o) = &c.old {
            out.push_str(&format!("    {}\n", paint(style::RED, &format!("- {o}"))));
        }
        if let Some(n) = &c.new {
            out.push_str(&format!("    {}\n", paint(style::GREEN, &format!("+ {n}"))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "---\n# Source: x/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {x: \"1\", y: \"2\"}\ndata:\n  k: v\n";

    #[test]
    fn reordered_keys_and_quoting_are_equal() {
        let b = "apiVersion: v1\nmetadata:\n  labels:\n    y: '2'\n    x: \"1\"\n  name: a\ndata: {k: v}\nkind: ConfigMap\n";
        assert_eq!(compare(A, b, "g", "r"), Ok(vec![]));
    }

    #[test]
    fn field_change_is_reported_at_its_path() {
        let b = A.replace("k: v", "k: w");
        let c = compare(A, &b, "g", "r").expect("parses");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].object, "ConfigMap/a");
        assert_eq!(c[0].path, "data.k");
        assert_eq!(c[0].kind, ChangeKind::Changed);
        assert_eq!(c[0].line, 2);
    }

    #[test]
    fn named_lists_match_by_name() {
        let a = "kind: Pod\nmetadata: {name: p}\nspec:\n  volumes:\n  - {name: a, emptyDir: {}}\n  - {name: b, emptyDir: {}}\n";
        let b = "kind: Pod\nmetadata: {name: p}\nspec:\n  volumes:\n  - {name: a, emptyDir: {}}\n  - {name: c, emptyDir: {}}\n";
        let c = compare(a, b, "g", "r").expect("parses");
        let paths: Vec<(&str, ChangeKind)> = c.iter().map(|c| (c.path.as_str(), c.kind)).collect();
        assert_eq!(
            paths,
            vec![
                ("spec.volumes[name=b]", ChangeKind::Removed),
                ("spec.volumes[name=c]", ChangeKind::Added)
            ]
        );
    }

    #[test]
    fn objects_added_and_removed() {
        let b = "kind: Secret\nmetadata: {name: s, namespace: prod}\n";
        let c = compare(A, b, "g", "r").expect("parses");
        assert_eq!(c.len(), 2);
        assert_eq!(
            (c[0].object.as_str(), c[0].kind),
            ("ConfigMap/a", ChangeKind::Removed)
        );
        assert_eq!(
            (c[1].object.as_str(), c[1].kind),
            ("Secret/prod/s", ChangeKind::Added)
        );
    }

    #[test]
    fn odd_keys_are_quoted() {
        assert_eq!(
            key_segment("metadata.annotations", "a.io/b"),
            "metadata.annotations[\"a.io/b\"]"
        );
        assert_eq!(key_segment("", "spec"), "spec");
    }
}
