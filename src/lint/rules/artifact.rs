//! Rules on the Perses resources inside an OCI artifact. Their findings
//! come from `pchart artifact validate` (`crate::artifact::validate`),
//! which reads a resource folder; a lint run over values alone has no
//! files to read, so their lint-time check adds nothing.
//!
//! Behaviour cited from perses/perses v0.54.0 and perses/spec.

use super::Rule;
use crate::lint::{Finding, LintContext, RuleInfo, Severity};

/// Findings of these rules are produced by the artifact validator, not
/// from a lint context.
fn from_artifact_validator(_: &LintContext, _: &mut Vec<Finding>) {}

pub const RESOURCE_INVALID: Rule = Rule {
    info: RuleInfo {
        code: "PC026",
        name: "perses-resource-invalid",
        summary: "A resource file Perses provisioning would skip, and why",
        severity: Severity::Error,
        why: "Perses provisioning (v0.54.0, internal/cli/file) reads every .json, .yaml and .yml file under its folders, recursively; a file is JSON when the whole text parses as JSON, else YAML (yaml.v3: only the first document). Each object needs a `kind` spelled exactly as one of Perses's kinds (modelV1.GetStruct matches case-sensitively) and is decoded with Perses's own types: metadata.name must pass perses/spec common.ValidateID (not empty, at most 75 characters, only [a-zA-Z0-9_.-]); tags at most 20, each non-empty, without surrounding spaces, at most 50 characters; a Dashboard needs a spec, its panel keys must be valid ids, its variables ListVariable or TextVariable with valid, not purely numeric, unique names, its layouts of kind Grid, and each grid item's content.$ref must be #/spec/panels/<an existing panel>; a Datasource needs a non-empty spec. When ONE object of a file fails, provisioning logs a warning and skips the WHOLE file, so a typo silently removes every dashboard in it. A project-scoped kind (Dashboard, Datasource, Folder, Role, RoleBinding, Secret, Variable) without metadata.project has no project to live in, and EphemeralDashboard is refused by the provisioning service. Names with '..' or a leading or trailing '.' are refused by newer perses/spec (reported as warnings: not confirmed for the spec version v0.54.0 pins). Files with other extensions (dash.jsonnet, README.md) are ignored by Perses and reported as notes.",
        fails: "kind: Dashbaord\nmetadata:\n  name: my dashboard\n  project: demo\nspec:\n  panels: {cpu: {kind: Panel, spec: {plugin: {kind: TimeSeriesChart, spec: {}}}}}\n  layouts:\n    - kind: Grid\n      spec:\n        items:\n          - {x: 0, y: 0, width: 12, height: 6, content: {$ref: '#/spec/panels/mem'}}",
        passes: "kind: Dashboard\nmetadata:\n  name: my-dashboard\n  project: demo\nspec:\n  panels: {cpu: {kind: Panel, spec: {plugin: {kind: TimeSeriesChart, spec: {}}}}}\n  layouts:\n    - kind: Grid\n      spec:\n        items:\n          - {x: 0, y: 0, width: 12, height: 6, content: {$ref: '#/spec/panels/cpu'}}",
    },
    check: from_artifact_validator,
};

pub const PROJECT_MISSING: Rule = Rule {
    info: RuleInfo {
        code: "PC027",
        name: "perses-project-missing",
        summary: "A project-scoped resource whose project is neither in the artifact nor given with --project",
        severity: Severity::Error,
        why: "Perses provisioning (v0.54.0, internal/api/provisioning) applies every Project first, then refuses a project-scoped resource whose project does not exist (\"unable to provision ...: project ... doesn't exist\") and moves on: the dashboard never appears. Projects come from the artifact itself (kind Project, in a file Perses does not skip) or already exist on the server (say so with --project NAME). Project names are compared lower-cased, as Perses flattens them, unless --case-sensitive.",
        fails: "# dashboards/cpu.yaml, and no Project \"demo\" anywhere\nkind: Dashboard\nmetadata: {name: cpu, project: demo}\nspec: {panels: {}, layouts: []}",
        passes: "# projects/demo.yaml\nkind: Project\nmetadata: {name: demo}\nspec: {}\n# or: pchart artifact validate DIR --project demo",
    },
    check: from_artifact_validator,
};

pub const DUPLICATE: Rule = Rule {
    info: RuleInfo {
        code: "PC028",
        name: "perses-duplicate",
        summary: "The same kind, project and name defined twice",
        severity: Severity::Error,
        why: "Perses provisioning (v0.54.0, internal/api/provisioning) creates each resource and, on a key conflict, updates it: of two files defining the same kind/project/name, the one read last silently replaces the other, and which one that is depends on file names. Names and projects are lower-cased before storing unless the database is case-sensitive (Metadata.Flatten), so `CPU` and `cpu` collide by default; --case-sensitive compares them as written.",
        fails: "# dashboards/a.yaml\nkind: Dashboard\nmetadata: {name: CPU, project: demo}\n# dashboards/b.yaml\nkind: Dashboard\nmetadata: {name: cpu, project: demo}",
        passes: "# dashboards/a.yaml\nkind: Dashboard\nmetadata: {name: cpu-overview, project: demo}\n# dashboards/b.yaml\nkind: Dashboard\nmetadata: {name: cpu-per-node, project: demo}",
    },
    check: from_artifact_validator,
};

pub const PLAINTEXT_SECRET: Rule = Rule {
    info: RuleInfo {
        code: "PC029",
        name: "perses-plaintext-secret",
        summary: "A Secret or GlobalSecret carries a credential in clear text",
        severity: Severity::Warning,
        why: "An OCI artifact is readable by anyone who can pull it, and its layers are cached on every node. Perses's SecretSpec (v0.54.0, pkg/model/api/v1/secret) accepts basicAuth.password, authorization.credentials, oauth.clientSecret and tlsConfig.key inline, but each has a *File twin (passwordFile, credentialsFile, clientSecretFile, keyFile) that reads the value from a mounted Kubernetes Secret instead.",
        fails: "kind: GlobalSecret\nmetadata: {name: prometheus}\nspec:\n  basicAuth: {username: perses, password: hunter2}",
        passes: "kind: GlobalSecret\nmetadata: {name: prometheus}\nspec:\n  basicAuth: {username: perses, passwordFile: /etc/perses/secrets/prometheus-password}",
    },
    check: from_artifact_validator,
};
