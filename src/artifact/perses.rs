//! Perses's own checks on one resource, as its provisioning applies them
//! (perses/perses v0.54.0: `internal/cli/file`, `pkg/model/api/v1`; names
//! by perses/spec `go/common.ValidateID`). Written from reading that code;
//! each check names the Go function whose behaviour it reproduces.

use super::tree::{Kind, Node};

/// Every kind Perses knows (`modelV1.GetStruct`), matched with exact case:
/// the file reader converts `kind` with `%v` and switches on these
/// constants, so `dashboard` is as unknown as `Dashbaord`.
pub const KINDS: &[&str] = &[
    "Dashboard",
    "Datasource",
    "EphemeralDashboard",
    "Folder",
    "GlobalDatasource",
    "GlobalRole",
    "GlobalRoleBinding",
    "GlobalSecret",
    "GlobalVariable",
    "Project",
    "Role",
    "RoleBinding",
    "Secret",
    "User",
    "Variable",
];

/// `modelV1.IsGlobal`: kinds with no project.
pub fn is_global(kind: &str) -> bool {
    matches!(
        kind,
        "GlobalDatasource"
            | "GlobalRole"
            | "GlobalRoleBinding"
            | "GlobalSecret"
            | "GlobalVariable"
            | "Project"
            | "User"
    )
}

/// What is wrong, where.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub what: What,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// Perses refuses the object, so the whole file is skipped (PC026).
    Invalid,
    /// Refused only by newer perses/spec name rules (PC026, as a warning).
    NewerNameRule,
    /// A credential in clear text (PC029).
    Secret,
}

/// The identity of a valid object: kind, project ("" for global kinds),
/// name, and where its name is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub kind: String,
    pub project: String,
    pub name: String,
    pub line: usize,
    pub column: usize,
}

/// `common.ValidateID` as in perses/spec `go/common/validate.go`: not
/// empty, at most 75 bytes, only `[a-zA-Z0-9_.-]`.
pub fn validate_id(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("name cannot be empty".into());
    }
    if name.len() > 75 {
        return Err(format!("{name:?} cannot contain more than 75 characters"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
    {
        return Err(format!(
            "{name:?} is not a correct name. It should match the regexp: ^[a-zA-Z0-9_.-]+$"
        ));
    }
    Ok(())
}

/// The stricter rule of later perses/spec (`..` and a leading or trailing
/// `.` refused). Not confirmed for the spec version v0.54.0 pins
/// (v0.2.0-rc.0), hence a warning of its own.
pub fn newer_id_rule(name: &str) -> Option<String> {
    if name.contains("..") {
        Some(format!(
            "{name:?} contains '..', which newer Perses versions refuse"
        ))
    } else if name.starts_with('.') || name.ends_with('.') {
        Some(format!(
            "{name:?} starts or ends with '.', which newer Perses versions refuse"
        ))
    } else {
        None
    }
}

/// The closest known kind, for "did you mean".
pub fn suggest_kind(kind: &str) -> Option<&'static str> {
    let lower = kind.to_ascii_lowercase();
    KINDS
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

struct Out {
    issues: Vec<Issue>,
}

impl Out {
    fn at(&mut self, n: &Node, what: What, message: String) {
        self.issues.push(Issue {
            line: n.line,
            column: n.column,
            message,
            what,
        });
    }
    fn bad(&mut self, n: &Node, message: String) {
        self.at(n, What::Invalid, message);
    }
}

/// A string field as Go's decoders fill it: JSON needs a string (`null`
/// leaves it empty), YAML takes any scalar's text.
fn string_field(n: &Node, json: bool) -> Result<String, String> {
    match &n.kind {
        Kind::Str(s) => Ok(s.clone()),
        Kind::Null => Ok(String::new()),
        Kind::List(_) | Kind::Map(_) => Err(format!("cannot read {} as a string", n.type_name())),
        _ if json => Err(format!("cannot read {} as a string", n.type_name())),
        _ => Ok(n.text.clone()),
    }
}

/// Check one object of a file. `index` is its position in the file's list.
/// Returns the issues and, when nothing refuses it, its identity.
pub fn check_object(obj: &Node, index: usize, json: bool) -> (Vec<Issue>, Option<Identity>) {
    let mut out = Out { issues: Vec::new() };
    let id = check(obj, index, json, &mut out);
    let refused = out.issues.iter().any(|i| i.what == What::Invalid);
    (out.issues, if refused { None } else { id })
}

fn check(obj: &Node, index: usize, json: bool, out: &mut Out) -> Option<Identity> {
    if !matches!(obj.kind, Kind::Map(_)) {
        out.bad(
            obj,
            format!(
                "objects[{index}] is {}, not a resource object",
                obj.type_name()
            ),
        );
        return None;
    }
    let Some(kind_node) = obj.get("kind") else {
        out.bad(obj, format!("objects[{index}] has no 'kind' field"));
        return None;
    };
    // `fmt.Sprintf("%v", object["kind"])`: any scalar's text.
    let kind = match &kind_node.kind {
        Kind::Str(s) => s.clone(),
        Kind::Null => "<nil>".to_string(),
        Kind::List(_) | Kind::Map(_) => format!("{} value", kind_node.type_name()),
        _ => kind_node.text.clone(),
    };
    if !KINDS.contains(&kind.as_str()) {
        let hint = match suggest_kind(&kind) {
            Some(k) if k.eq_ignore_ascii_case(&kind) => {
                format!(" (kinds are case-sensitive here: write {k:?})")
            }
            Some(k) => format!(" (did you mean {k:?}?)"),
            None => String::new(),
        };
        out.bad(kind_node, format!("unknown kind {kind:?}{hint}"));
        return None;
    }
    if kind == "EphemeralDashboard" {
        out.bad(
            kind_node,
            "EphemeralDashboard is not provisioned (Perses's provisioning refuses the kind)".into(),
        );
    }
    let name = check_metadata(obj, &kind, json, out);
    let spec = obj.get("spec");
    if let Some(s) = spec
        && !matches!(s.kind, Kind::Map(_) | Kind::Null)
    {
        out.bad(
            s,
            format!("spec: cannot read {} as a {kind} spec", s.type_name()),
        );
        return None;
    }
    let empty = |s: Option<&Node>| match s.map(|n| &n.kind) {
        None | Some(Kind::Null) => true,
        Some(Kind::Map(m)) => m.is_empty(),
        _ => false,
    };
    match kind.as_str() {
        // `Dashboard.validate`: an absent spec is refused; `{}` passes
        // because the spec's own validation defaults its duration first.
        "Dashboard" | "EphemeralDashboard" => match spec {
            None
            | Some(Node {
                kind: Kind::Null, ..
            }) => {
                out.bad(obj, "spec cannot be empty".into());
            }
            Some(s) => check_dashboard(s, json, out),
        },
        // `Datasource.validate` / `GlobalDatasource.validate`.
        "Datasource" | "GlobalDatasource" if empty(spec) => {
            out.bad(spec.unwrap_or(obj), "spec cannot be empty".into());
        }
        "Variable" | "GlobalVariable" => {
            let k = spec.and_then(|s| s.get("kind"));
            let k_str = k
                .and_then(|k| string_field(k, json).ok())
                .unwrap_or_default();
            if !matches!(k_str.as_str(), "ListVariable" | "TextVariable") {
                out.bad(
                    k.or(spec).unwrap_or(obj),
                    format!("unknown variable.kind {k_str:?} used (ListVariable or TextVariable)"),
                );
            }
        }
        "Secret" | "GlobalSecret" => {
            if let Some(s) = spec {
                check_secret(s, out);
            }
        }
        _ => {}
    }
    let (name, line, column) = name?;
    let project = if is_global(&kind) {
        String::new()
    } else {
        obj.get("metadata")
            .and_then(|m| m.get("project"))
            .and_then(|p| string_field(p, json).ok())
            .unwrap_or_default()
    };
    Some(Identity {
        kind,
        project,
        name,
        line,
        column,
    })
}

/// `Metadata.validate` (name, tags) and the project of project-scoped
/// kinds. Returns the name and where it is.
fn check_metadata(
    obj: &Node,
    kind: &str,
    json: bool,
    out: &mut Out,
) -> Option<(String, usize, usize)> {
    let meta = match obj.get("metadata") {
        None
        | Some(Node {
            kind: Kind::Null, ..
        }) => {
            out.bad(obj, "metadata.name: name cannot be empty".into());
            return None;
        }
        Some(
            m @ Node {
                kind: Kind::Map(_), ..
            },
        ) => m,
        Some(m) => {
            out.bad(
                m,
                format!("metadata: cannot read {} as metadata", m.type_name()),
            );
            return None;
        }
    };
    let name_node = meta.get("name");
    let name = match name_node.map(|n| string_field(n, json)) {
        None => Ok(String::new()),
        Some(r) => r,
    };
    let at = name_node.unwrap_or(meta);
    let name = match name {
        Err(e) => {
            out.bad(at, format!("metadata.name: {e}"));
            None
        }
        Ok(name) => match validate_id(&name) {
            Err(e) => {
                out.bad(at, format!("metadata.name: {e}"));
                None
            }
            Ok(()) => {
                if let Some(w) = newer_id_rule(&name) {
                    out.at(at, What::NewerNameRule, format!("metadata.name: {w}"));
                }
                Some((name, at.line, at.column))
            }
        },
    };
    if let Some(tags) = meta.get("tags") {
        check_tags(tags, out);
    }
    if !is_global(kind) {
        let project = meta.get("project");
        match project.map(|p| string_field(p, json)) {
            Some(Err(e)) => out.bad(project.unwrap_or(meta), format!("metadata.project: {e}")),
            None | Some(Ok(_)) if project_text(project, json).is_empty() => out.bad(
                meta,
                format!(
                    "a {kind} belongs to a project, and metadata.project is empty: provisioning has no project to put it in"
                ),
            ),
            _ => {}
        }
    }
    name
}

fn project_text(p: Option<&Node>, json: bool) -> String {
    p.and_then(|p| string_field(p, json).ok())
        .unwrap_or_default()
}

/// `Metadata.validateTags`.
fn check_tags(tags: &Node, out: &mut Out) {
    let items = match &tags.kind {
        Kind::List(l) => l,
        Kind::Null => return,
        _ => {
            out.bad(
                tags,
                format!("metadata.tags: cannot read {} as a list", tags.type_name()),
            );
            return;
        }
    };
    let mut distinct: Vec<&str> = Vec::new();
    for t in items {
        let s = t.text.as_str();
        if t.as_str().is_none() && !matches!(t.kind, Kind::Int(_) | Kind::Float(_) | Kind::Bool(_))
        {
            out.bad(
                t,
                format!("metadata.tags: cannot read {} as a tag", t.type_name()),
            );
            continue;
        }
        if s.trim().is_empty() {
            out.bad(t, "metadata.tags: tag cannot be empty".into());
        } else if s.trim() != s {
            out.bad(
                t,
                format!("metadata.tags: tag {s:?} cannot start or end with whitespace"),
            );
        } else if s.chars().count() > 50 {
            out.bad(
                t,
                format!("metadata.tags: tag {s:?} cannot contain more than 50 characters"),
            );
        }
        if !distinct.contains(&s) {
            distinct.push(s);
        }
    }
    // A set: duplicates count once.
    if distinct.len() > 20 {
        out.bad(
            tags,
            "metadata.tags: cannot contain more than 20 tags".into(),
        );
    }
}

/// The dashboard spec's checks: variables (`Spec.validate`, the variable
/// unmarshallers), panel keys, layouts (`LayoutKind.validate`) and grid
/// item references (`verifyAndSetJSONReferences`, `JSONRef.validate`).
fn check_dashboard(spec: &Node, json: bool, out: &mut Out) {
    let panels: Vec<String> = match spec.get("panels").map(|p| &p.kind) {
        Some(Kind::Map(m)) => m.iter().map(|(k, _)| k.clone()).collect(),
        _ => Vec::new(),
    };
    if let Some(p) = spec.get("panels") {
        match &p.kind {
            Kind::Map(m) => {
                for (k, v) in m {
                    if let Err(e) = validate_id(k) {
                        out.bad(v, format!("spec.panels: panel key {e}"));
                    }
                }
            }
            Kind::Null => {}
            _ => out.bad(
                p,
                format!(
                    "spec.panels: cannot read {} as a map of panels",
                    p.type_name()
                ),
            ),
        }
    }
    if let Some(vars) = spec.get("variables") {
        check_variables(vars, json, out);
    }
    if let Some(layouts) = spec.get("layouts") {
        let items = match &layouts.kind {
            Kind::List(l) => l.as_slice(),
            Kind::Null => &[],
            _ => {
                out.bad(
                    layouts,
                    format!(
                        "spec.layouts: cannot read {} as a list",
                        layouts.type_name()
                    ),
                );
                &[]
            }
        };
        for (i, layout) in items.iter().enumerate() {
            check_layout(layout, i, &panels, out);
        }
    }
}

fn check_variables(vars: &Node, json: bool, out: &mut Out) {
    let items = match &vars.kind {
        Kind::List(l) => l,
        Kind::Null => return,
        _ => {
            out.bad(
                vars,
                format!("spec.variables: cannot read {} as a list", vars.type_name()),
            );
            return;
        }
    };
    let mut seen: Vec<String> = Vec::new();
    for (i, v) in items.iter().enumerate() {
        let kind = v
            .get("kind")
            .and_then(|k| string_field(k, json).ok())
            .unwrap_or_default();
        if !matches!(kind.as_str(), "ListVariable" | "TextVariable") {
            out.bad(
                v.get("kind").unwrap_or(v),
                format!("spec.variables[{i}]: unknown variable.kind {kind:?} used (ListVariable or TextVariable)"),
            );
            continue;
        }
        let name_node = v.get("spec").and_then(|s| s.get("name"));
        let name = name_node
            .and_then(|n| string_field(n, json).ok())
            .unwrap_or_default();
        let at = name_node.unwrap_or(v);
        if let Err(e) = validate_id(&name) {
            out.bad(at, format!("spec.variables[{i}].spec.name: {e}"));
        } else if go_atoi_ok(&name) {
            out.bad(
                at,
                format!("spec.variables[{i}].spec.name: {name:?}: variable name cannot contain only digits"),
            );
        }
        if seen.contains(&name) {
            out.bad(at, format!("variable {name:?} (index {i}) already exists"));
        } else {
            seen.push(name);
        }
    }
}

/// Go's `strconv.Atoi` succeeds: an optional sign, then decimal digits
/// that fit in an int64.
fn go_atoi_ok(s: &str) -> bool {
    let d = s.strip_prefix(['+', '-']).unwrap_or(s);
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) && s.parse::<i64>().is_ok()
}

fn check_layout(layout: &Node, i: usize, panels: &[String], out: &mut Out) {
    let kind = layout
        .get("kind")
        .and_then(Node::as_str)
        .unwrap_or_default();
    if kind.is_empty() {
        out.bad(
            layout,
            format!("spec.layouts[{i}]: layout.kind cannot be empty"),
        );
        return;
    }
    if kind != "Grid" {
        out.bad(
            layout.get("kind").unwrap_or(layout),
            format!("spec.layouts[{i}]: unknown layout.kind {kind:?} used (Grid)"),
        );
        return;
    }
    let Some(Kind::List(items)) = layout
        .get("spec")
        .and_then(|s| s.get("items"))
        .map(|n| &n.kind)
    else {
        return;
    };
    for (j, item) in items.iter().enumerate() {
        let where_ = format!("spec.layouts[{i}].spec.items[{j}]");
        let Some(content) = item.get("content").filter(|c| !c.is_null()) else {
            out.bad(item, format!("{where_}: no content (a $ref to a panel)"));
            continue;
        };
        let r = content
            .get("$ref")
            .and_then(Node::as_str)
            .unwrap_or_default();
        let at = content.get("$ref").unwrap_or(content);
        match ref_path(r) {
            None => out.bad(at, format!("{where_}: ref {r:?} is not accepted")),
            Some(p) if p.len() != 3 => out.bad(
                at,
                format!("{where_}: reference {r:?} is pointing to the void"),
            ),
            Some(p) if p[0] != "spec" || p[1] != "panels" => out.bad(
                at,
                format!("{where_}: reference {r:?} does not point into spec.panels"),
            ),
            Some(p) if !panels.contains(&p[2]) => {
                out.bad(at, format!("{where_}: no panel found for ref {:?}", p[2]))
            }
            Some(_) => {}
        }
    }
}

/// `JSONRef.validate`: `^#?/seg(/seg)*$` with segments of
/// `[a-zA-Z0-9_-]+`; the path is the list of segments.
fn ref_path(r: &str) -> Option<Vec<String>> {
    let rest = r.strip_prefix('#').unwrap_or(r).strip_prefix('/')?;
    let segs: Vec<String> = rest.split('/').map(str::to_string).collect();
    let ok = segs.iter().all(|s| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    });
    ok.then_some(segs)
}

/// `SecretSpec.validate` (it refuses only all three of basicAuth,
/// authorization and oauth together) and credentials in clear text.
fn check_secret(spec: &Node, out: &mut Out) {
    let has = |k: &str| spec.get(k).is_some_and(|n| !n.is_null());
    if has("basicAuth") && has("authorization") && has("oauth") {
        out.bad(
            spec,
            "basicAuth, authorization and oauth are mutually exclusive, use one of them".into(),
        );
    }
    for (block, field, file_field) in [
        ("basicAuth", "password", "passwordFile"),
        ("authorization", "credentials", "credentialsFile"),
        ("oauth", "clientSecret", "clientSecretFile"),
        ("tlsConfig", "key", "keyFile"),
    ] {
        if let Some(v) = spec.get(block).and_then(|b| b.get(field))
            && !v.text.is_empty()
        {
            out.at(
                v,
                What::Secret,
                format!(
                    "spec.{block}.{field} is in clear text in the artifact: anyone who can pull the image reads it (use {file_field} and mount the secret)"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(validate_id("my-dash_1.2").is_ok());
        assert!(validate_id("").is_err());
        assert!(validate_id("a b").is_err());
        assert!(validate_id(&"a".repeat(75)).is_ok());
        assert!(validate_id(&"a".repeat(76)).is_err());
        assert!(newer_id_rule("a..b").is_some());
        assert!(newer_id_rule(".a").is_some());
        assert!(newer_id_rule("a.b").is_none());
    }

    #[test]
    fn kinds_and_refs() {
        assert_eq!(suggest_kind("Dashbaord"), Some("Dashboard"));
        assert_eq!(suggest_kind("dashboard"), Some("Dashboard"));
        assert_eq!(suggest_kind("Zebra"), None);
        assert_eq!(
            ref_path("#/spec/panels/a_1"),
            Some(vec!["spec".into(), "panels".into(), "a_1".into()])
        );
        assert_eq!(ref_path("#/spec/panels/a.b"), None);
        assert!(go_atoi_ok("-12") && !go_atoi_ok("1a") && !go_atoi_ok("-"));
    }
}
