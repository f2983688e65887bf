//! Rules on the OCI artifact and the Perses resources inside it. Their
//! findings come from `pchart artifact validate` (`crate::artifact::validate`)
//! and `pchart lint --artifact/--pull` (`crate::artifact::inspect`), which
//! read the artifact; a lint run over values alone has no artifact to
//! read, so their lint-time check adds nothing.
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

// The rules below look inside the artifact the values reference, with
// `pchart lint --artifact DIR|LAYOUT` or `--pull` (`crate::artifact::inspect`).

pub const UNREACHABLE: Rule = Rule {
    info: RuleInfo {
        code: "PC020",
        name: "artifact-unreachable",
        summary: "The referenced artifact cannot be fetched from its registry",
        severity: Severity::Error,
        why: "The kubelet pulls the image volume's reference before the container starts; a reference that is not found, or that the node may not read, leaves the pod in ImagePullBackOff and Perses never starts. Checked with `pchart lint --pull`, which reports the registry's own words (credentials as for `pchart artifact push`, never printed).",
        fails: "# pchart lint --pull\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashbaords:v1.2.0}",
        passes: "# pchart lint --pull\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}",
    },
    check: from_artifact_validator,
};

pub const DIGEST_MOVED: Rule = Rule {
    info: RuleInfo {
        code: "PC021",
        name: "artifact-digest-moved",
        summary: "The tag no longer points at the pinned digest (or, unpinned, which digest it points at now)",
        severity: Severity::Warning,
        why: "A reference `repo:tag@sha256:…` runs the pinned digest; when the tag has since moved, what was reviewed under that tag is not what runs, or the new dashboards are not deployed. An unpinned tag is reported as a note with the digest it resolves to now, ready to pin (`pchart artifact pin`): with pullPolicy IfNotPresent, nodes that already have the tag never pull the new content.",
        fails: "# the tag v1.2.0 was re-pushed since\nociArtifacts:\n  image: {reference: 'ghcr.io/acme/dashboards:v1.2.0@sha256:1111111111111111111111111111111111111111111111111111111111111111'}",
        passes: "# pinned to what v1.2.0 points at now (pchart artifact pin -f values.yaml --write)\nociArtifacts:\n  image: {reference: 'ghcr.io/acme/dashboards:v1.2.0@sha256:2222222222222222222222222222222222222222222222222222222222222222'}",
    },
    check: from_artifact_validator,
};

pub const NOT_MOUNTABLE: Rule = Rule {
    info: RuleInfo {
        code: "PC022",
        name: "artifact-not-mountable",
        summary: "The artifact is not image-shaped, so an image volume cannot mount it",
        severity: Severity::Error,
        why: "containerd unpacks (and so mounts) only an image: an image config (application/vnd.oci.image.config.v1+json) with one rootfs.diff_ids entry per layer and layers of image layer media types; anything else is only fetched, and a Flux-style artifact fails with \"mismatched image rootfs and manifest layers\" (measured with containerd 1.6 in this project's tests; containerd#11907 for an empty config). CRI-O takes a manifest with artifactType down its artifact path. `pchart artifact build` writes image-shaped artifacts.",
        fails: "# pushed with `flux push artifact` (application/vnd.cncf.flux.config.v1+json)\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:flux-v1}",
        passes: "# built with pchart artifact build, pushed with pchart artifact push\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}",
    },
    check: from_artifact_validator,
};

pub const PLATFORM_MISSING: Rule = Rule {
    info: RuleInfo {
        code: "PC023",
        name: "artifact-platform-missing",
        summary: "The artifact has no image for a platform of the nodes (--platform)",
        severity: Severity::Error,
        why: "The runtime picks the image of the node's platform from the index; a single-platform artifact fails on nodes of another architecture (cri-o#8781). Files do not depend on the CPU, so build one index over every node platform sharing one layer: `pchart artifact build --platform linux/amd64,linux/arm64` (the default).",
        fails: "# pchart lint --pull --platform linux/amd64,linux/arm64; the artifact is amd64 only\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}",
        passes: "# rebuilt with --platform linux/amd64,linux/arm64\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.1}",
    },
    check: from_artifact_validator,
};

pub const SUBPATH_MISSING: Rule = Rule {
    info: RuleInfo {
        code: "PC024",
        name: "artifact-subpath-missing",
        summary: "ociArtifacts.subPath is not a folder in the artifact",
        severity: Severity::Error,
        why: "A subPath that does not exist in the image makes container creation fail (cri-tools validates exactly this for image volumes). The Perses documentation's own Dockerfile copies dashboards/, datasources/ and projects/ to the image root yet mounts `subPath: prod`: there is no prod/ folder.",
        fails: "# the artifact holds dashboards/, datasources/, projects/\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}\n  subPath: prod",
        passes: "# the artifact holds prod/dashboards/, prod/projects/, staging/...\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}\n  subPath: prod",
    },
    check: from_artifact_validator,
};

pub const NO_RESOURCES: Rule = Rule {
    info: RuleInfo {
        code: "PC025",
        name: "artifact-no-resources",
        summary: "Nothing Perses would load under the mounted folder",
        severity: Severity::Error,
        why: "Perses provisioning reads only .json, .yaml and .yml files under its folders. An artifact (or the subPath of it) with none mounts fine and loads nothing, which looks exactly like a working deployment with no dashboards.",
        fails: "# the artifact's prod/ holds only dashboards written as .jsonnet\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.0}\n  subPath: prod",
        passes: "# prod/ holds the generated .json files\nociArtifacts:\n  image: {reference: ghcr.io/acme/dashboards:v1.2.1}\n  subPath: prod",
    },
    check: from_artifact_validator,
};
