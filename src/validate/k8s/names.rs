//! Each kind's `metadata.name` rule, as the API server's `ValidateXName`
//! functions define it (pkg/apis/*/validation, apimachinery's
//! `NameIsDNSSubdomain`/`NameIsDNSLabel`/`NameIsDNS1035Label`,
//! `path.IsValidPathSegmentName`; custom resources: apiextensions'
//! `customResourceValidator.Validate`, a DNS subdomain).

/// Which name syntax a kind takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// Lowercase alphanumerics, `-` and `.`, at most 253 (most kinds).
    Dns1123Subdomain,
    /// Lowercase alphanumerics and `-`, at most 63 (Namespace).
    Dns1123Label,
    /// A DNS-1123 label that starts with a letter (Service).
    Dns1035Label,
    /// Anything but `.`, `..` and names with `/` or `%` (RBAC kinds).
    PathSegment,
}

impl NameRule {
    pub fn describe(self) -> &'static str {
        match self {
            NameRule::Dns1123Subdomain => {
                "a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters, starting and ending with a letter or digit)"
            }
            NameRule::Dns1123Label => {
                "a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit)"
            }
            NameRule::Dns1035Label => {
                "a DNS-1035 label (lowercase letters, digits and '-', at most 63 characters, starting with a letter and ending with a letter or digit)"
            }
            NameRule::PathSegment => "a path segment (not '.' or '..', no '/' or '%')",
        }
    }

    pub fn accepts(self, name: &str) -> bool {
        match self {
            NameRule::Dns1123Subdomain => is_dns1123_subdomain(name),
            NameRule::Dns1123Label => is_dns1123_label(name),
            NameRule::Dns1035Label => {
                is_dns1123_label(name) && name.starts_with(|c: char| c.is_ascii_lowercase())
            }
            NameRule::PathSegment => {
                !name.is_empty()
                    && name != "."
                    && name != ".."
                    && !name.contains('/')
                    && !name.contains('%')
            }
        }
    }
}

/// The name rule of `kind` in `api_version`'s group.
pub fn name_rule(api_version: &str, kind: &str) -> NameRule {
    let group = super::schema::group_of(api_version);
    match (group, kind) {
        ("", "Service") => NameRule::Dns1035Label,
        ("", "Namespace") => NameRule::Dns1123Label,
        (
            "rbac.authorization.k8s.io",
            "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding",
        ) => NameRule::PathSegment,
        _ => NameRule::Dns1123Subdomain,
    }
}

/// Why `name` is not a valid name for `kind`, or `None` when it is. Adds
/// the per-kind limits beyond the syntax: a CronJob name is at most 52
/// characters (`ValidateCronJob`: the Jobs it creates append 11), a Job
/// name at most 63 (its pods get a `job-name` label), a
/// CustomResourceDefinition is named `<spec.names.plural>.<spec.group>`.
pub fn name_problem(
    obj: &crate::value::Value,
    api_version: &str,
    kind: &str,
    name: &str,
) -> Option<String> {
    let rule = name_rule(api_version, kind);
    if name.is_empty() {
        return Some("metadata.name is missing".into());
    }
    if !rule.accepts(name) {
        return Some(format!(
            "metadata.name {name:?} is not a valid {kind} name: it must be {}",
            rule.describe()
        ));
    }
    let group = super::schema::group_of(api_version);
    if group == "batch" && kind == "CronJob" && name.len() > 52 {
        return Some(format!(
            "metadata.name {name:?} has {} characters; a CronJob name may have at most 52 (its Jobs are named <name>-<11 characters>)",
            name.len()
        ));
    }
    // The API server labels a Job's pod template `job-name: <name>` (the
    // Job strategy's generateSelector) and then validates the labels: a
    // label value has at most 63 characters. Not with manualSelector.
    let manual = matches!(
        crate::value::value_at(obj, "spec.manualSelector"),
        Some(crate::value::Value::Bool(true))
    );
    if group == "batch" && kind == "Job" && name.len() > 63 && !manual {
        return Some(format!(
            "metadata.name {name:?} has {} characters: the API labels the Job's pods job-name: <name>, and a label value has at most 63",
            name.len()
        ));
    }
    if group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition" {
        let get = |p: &str| {
            crate::value::value_at(obj, p)
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        };
        let want = format!("{}.{}", get("spec.names.plural"), get("spec.group"));
        if name != want {
            return Some(format!(
                "metadata.name {name:?} must be spec.names.plural + \".\" + spec.group ({want:?})"
            ));
        }
    }
    None
}

pub fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

pub fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253
        && !s.is_empty()
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn problem(api: &str, kind: &str, name: &str) -> Option<String> {
        name_problem(&Value::empty_map(), api, kind, name)
    }

    #[test]
    fn rbac_names_are_path_segments() {
        for kind in ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"] {
            let api = "rbac.authorization.k8s.io/v1";
            assert_eq!(problem(api, kind, "x-ta-clusterRole"), None, "{kind}");
            assert_eq!(problem(api, kind, "system:controller:Foo_bar"), None);
            assert!(problem(api, kind, "a/b").is_some());
            assert!(problem(api, kind, "..").is_some());
            assert!(problem(api, kind, "50%").is_some());
        }
    }

    #[test]
    fn kinds_have_their_own_rule() {
        // Service: DNS-1035 (a letter first); Namespace: DNS-1123 label.
        assert!(problem("v1", "Service", "1web").is_some());
        assert!(problem("v1", "Service", "web.a").is_some());
        assert_eq!(problem("v1", "Namespace", "team-a"), None);
        assert!(problem("v1", "Namespace", "team.a").is_some());
        // Deployments, ConfigMaps, custom resources: DNS-1123 subdomains.
        assert_eq!(problem("apps/v1", "Deployment", "web.v2"), None);
        assert_eq!(problem("v1", "ConfigMap", "1.config"), None);
        assert_eq!(problem("example.com/v1", "Widget", "a.b"), None);
        assert!(problem("apps/v1", "Deployment", "Web").is_some());
        assert!(problem("v1", "ConfigMap", "a_b").is_some());
        // CronJob: at most 52.
        assert_eq!(problem("batch/v1", "CronJob", &"a".repeat(52)), None);
        assert!(problem("batch/v1", "CronJob", &"a".repeat(53)).is_some());
        assert_eq!(problem("batch/v1", "Job", &"a".repeat(63)), None);
        assert!(problem("batch/v1", "Job", &"a".repeat(64)).is_some());
    }

    #[test]
    fn crd_name_is_plural_dot_group() {
        let crd = crate::yaml::parse_document(
            "spec: {group: example.com, names: {plural: widgets, kind: Widget}}",
        )
        .expect("yaml");
        let api = "apiextensions.k8s.io/v1";
        let kind = "CustomResourceDefinition";
        assert_eq!(name_problem(&crd, api, kind, "widgets.example.com"), None);
        assert!(name_problem(&crd, api, kind, "widget.example.com").is_some());
    }
}

/// `IsQualifiedName`: a label or annotation key, `[prefix/]name` with a
/// DNS-1123 subdomain prefix and a name of at most 63 alphanumerics, `-`,
/// `_`, `.`, starting and ending with an alphanumeric.
pub fn is_qualified_name(key: &str) -> bool {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix
        && (p.is_empty() || !is_dns1123_subdomain(p))
    {
        return false;
    }
    !name.is_empty() && name.len() <= 63 && is_label_text(name)
}

/// `IsValidLabelValue`: empty, or at most 63 alphanumerics, `-`, `_`, `.`,
/// starting and ending with an alphanumeric.
pub fn is_label_value(v: &str) -> bool {
    v.is_empty() || (v.len() <= 63 && is_label_text(v))
}

fn is_label_text(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod label_tests {
    use super::*;

    #[test]
    fn labels() {
        assert!(is_qualified_name("app.kubernetes.io/name"));
        assert!(is_qualified_name("checksum/config"));
        assert!(is_qualified_name("App_Name.x"));
        assert!(!is_qualified_name("a/b/c"));
        assert!(!is_qualified_name("Example.com/x"));
        assert!(!is_qualified_name("-x"));
        assert!(!is_qualified_name(&"a".repeat(64)));
        assert!(is_label_value(""));
        assert!(is_label_value("mychart-1.0.0_build"));
        assert!(!is_label_value("mychart-1.0.0+build"));
        assert!(!is_label_value(&"a".repeat(64)));
        assert!(!is_label_value("x-"));
    }
}
