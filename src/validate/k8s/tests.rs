//! Passing and failing fixtures for every code, across versions.

use super::*;
use crate::yaml::parse_document;

fn obj(yaml: &str) -> Value {
    parse_document(yaml).expect("fixture is YAML")
}

fn run(yaml: &str, minor: u32) -> Vec<ApiFinding> {
    validate_object(&obj(yaml), (1, minor))
}

/// (code, path) of every finding.
fn codes(found: &[ApiFinding]) -> Vec<(&'static str, String)> {
    found
        .iter()
        .map(|f| (f.code.id(), f.path.clone()))
        .collect()
}

fn assert_clean(yaml: &str, minor: u32) {
    let found = run(yaml, minor);
    assert!(
        found.is_empty(),
        "1.{minor}: expected no findings, got {found:#?}"
    );
}

fn assert_one(yaml: &str, minor: u32, code: &str, path: &str) -> ApiFinding {
    let found = run(yaml, minor);
    assert_eq!(
        codes(&found),
        vec![(code_static(code), path.to_string())],
        "1.{minor}: {found:#?}"
    );
    found.into_iter().next().unwrap()
}

/// `message` says `text`.
fn assert_says(message: &str, text: &str) {
    assert!(message.contains(text), "{message}");
}

fn code_static(code: &str) -> &'static str {
    Code::ALL
        .iter()
        .map(|c| c.id())
        .find(|c| *c == code)
        .expect("known code")
}

const ALL: std::ops::RangeInclusive<u32> = 31..=37;

/// A namespaced CRD of group example.com: `versions` (YAML list items
/// indented by 4) come first, then the served storage version `v1` whose
/// `openAPIV3Schema` is `v1_schema` (indented by 10).
fn crd(kind: &str, plural: &str, versions: &str, v1_schema: &str) -> String {
    let versions = versions.trim_start_matches('\n');
    let v1_schema = v1_schema.trim_start_matches('\n');
    format!(
        "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {{name: {plural}.example.com}}
spec:
  group: example.com
  names: {{kind: {kind}, plural: {plural}}}
  scope: Namespaced
  versions:
{versions}    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
{v1_schema}"
    )
}

const DEPLOYMENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
  annotations: {checksum/config: abc}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{name: http, containerPort: 8080}]
          resources:
            requests: {cpu: "500m", memory: 1Gi}
            limits: {cpu: 2, memory: 1.5Gi}
          readinessProbe: {httpGet: {path: /, port: http}}
          livenessProbe: {tcpSocket: {port: 8080}}
          env: [{name: A, value: "1"}]
"#;

#[test]
fn valid_deployment_every_version() {
    for minor in ALL {
        assert_clean(DEPLOYMENT, minor);
    }
}

#[test]
fn valid_service_int_or_string_target_ports() {
    let svc = r#"
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: ClusterIP
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http}
    - {name: alt, port: 8080, targetPort: 8080}
"#;
    for minor in ALL {
        assert_clean(svc, minor);
    }
}

#[test]
fn int_or_string_rejects_fraction_and_bool() {
    let svc = r#"
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports:
    - {port: 80, targetPort: 80.5}
    - {port: 81, targetPort: true}
"#;
    let found = run(svc, 33);
    assert_eq!(
        codes(&found),
        vec![
            ("K8S002", "spec.ports[0].targetPort".into()),
            ("K8S002", "spec.ports[1].targetPort".into())
        ]
    );
}

#[test]
fn quantities_accept_numbers_and_strings() {
    for q in [
        "2", "0.5", "\"500m\"", "1Gi", "128Mi", "1e3", "\"1.5\"", "+1k", "100n",
    ] {
        let pod = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - name: c\n    resources: {{limits: {{cpu: {q}}}}}\n"
        );
        assert_clean(&pod, 33);
    }
}

#[test]
fn quantities_reject_garbage() {
    for q in ["500 m", "1GB", "abc", "1.2.3", "m", "1Gi "] {
        let pod = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - name: c\n    resources: {{limits: {{memory: {q:?}}}}}\n"
        );
        let f = assert_one(
            &pod,
            33,
            "K8S002",
            "spec.containers[0].resources.limits.memory",
        );
        assert_says(&f.message, "not a quantity");
    }
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    resources: {limits: {memory: true}}\n";
    assert_one(
        pod,
        33,
        "K8S002",
        "spec.containers[0].resources.limits.memory",
    );
}

#[test]
fn unknown_field_typo_is_an_error_with_suggestion() {
    let bad = DEPLOYMENT.replace("      containers:", "      contianers:");
    let found = run(&bad, 34);
    assert_eq!(
        codes(&found),
        vec![
            ("K8S001", "spec.template.spec.contianers".into()),
            ("K8S003", "spec.template.spec.containers".into()),
        ]
    );
    assert_says(&found[0].message, "did you mean \"containers\"");
}

#[test]
fn unknown_field_at_top_level_and_in_metadata() {
    let bad = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, label: {a: b}}\ndata: {a: b}\nspce: {}\n";
    let found = run(bad, 33);
    assert_eq!(
        codes(&found),
        vec![
            ("K8S001", "metadata.label".into()),
            ("K8S001", "spce".into())
        ]
    );
    assert!(found[0].message.contains("\"labels\""));
}

#[test]
fn missing_required_container_name() {
    let bad = DEPLOYMENT.replace("        - name: web\n          image", "        - image");
    assert_one(&bad, 35, "K8S003", "spec.template.spec.containers[0].name");
}

#[test]
fn null_optional_is_accepted_null_required_is_missing() {
    let ok = DEPLOYMENT.replace("  replicas: 3", "  replicas: null\n  paused: ~");
    assert_clean(&ok, 33);
    let bad = DEPLOYMENT.replace("  selector: {matchLabels: {app: web}}", "  selector: null");
    assert_one(&bad, 33, "K8S003", "spec.selector");
}

#[test]
fn replicas_string_is_wrong_type() {
    let bad = DEPLOYMENT.replace("replicas: 3", "replicas: \"3\"");
    let f = assert_one(&bad, 33, "K8S002", "spec.replicas");
    assert_eq!(f.message, "expected integer, got string \"3\"");
    let frac = DEPLOYMENT.replace("replicas: 3", "replicas: 2.5");
    assert_one(&frac, 33, "K8S002", "spec.replicas");
    // A float64 with no fraction is what YAML integers decode to.
    let float = DEPLOYMENT.replace("replicas: 3", "replicas: 3.0");
    assert_clean(&float, 33);
}

#[test]
fn wrong_types_for_strings_booleans_maps_arrays() {
    let bad = r#"
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {version: 1.0}
spec:
  hostNetwork: "true"
  containers:
    name: c
  volumes:
    - name: v
      emptyDir: []
"#;
    let found = run(bad, 33);
    assert_eq!(
        codes(&found),
        vec![
            ("K8S002", "metadata.labels.version".into()),
            ("K8S002", "spec.containers".into()),
            ("K8S002", "spec.hostNetwork".into()),
            ("K8S002", "spec.volumes[0].emptyDir".into()),
        ],
        "{found:#?}"
    );
    let env = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    env: [{name: PORT, value: 8080}]\n";
    let f = assert_one(env, 33, "K8S002", "spec.containers[0].env[0].value");
    assert_eq!(f.message, "expected string, got number 8080");
}

#[test]
fn secret_data_must_be_base64() {
    let ok = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: aGVsbG8=, b: \"\"}\nstringData: {c: plain text}\n";
    assert_clean(ok, 33);
    let bad = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: hunter2!}\n";
    assert_one(bad, 33, "K8S002", "data.password");
}

#[test]
fn annotation_keys_with_slashes_are_quoted_in_paths() {
    let bad =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {helm.sh/hook: 5}\n";
    assert_one(bad, 33, "K8S002", "metadata.annotations[\"helm.sh/hook\"]");
}

#[test]
fn image_volume_in_every_covered_version() {
    // k8s-openapi's 1.31 and 1.32 schemas already have ImageVolumeSource
    // (alpha); the API accepts the field, the feature gate decides.
    let pod = r#"
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: busybox
      volumeMounts: [{name: art, mountPath: /etc/perses/provisioning, subPath: dashboards}]
  volumes:
    - name: art
      image: {reference: "ghcr.io/acme/dashboards:1.0", pullPolicy: IfNotPresent}
"#;
    for minor in ALL {
        assert_clean(pod, minor);
    }
    let typo = pod.replace("reference:", "refrence:");
    let found = run(&typo, 33);
    assert_eq!(
        codes(&found),
        vec![("K8S001", "spec.volumes[0].image.refrence".into())]
    );
    // Versions before 1.31 are validated with the 1.31 schema.
    assert!(!covered((1, 30)));
    assert_clean(pod, 30);
}

#[test]
fn fields_added_in_later_versions() {
    // Pod-level resources (spec.resources) arrived in 1.32's API.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  resources: {limits: {cpu: 1}}\n  containers: [{name: c}]\n";
    let a = schema::schema(31);
    let b = schema::schema(32);
    let has = |s: &schema::Schema| {
        let i = s.type_index("core.v1.PodSpec").unwrap();
        match s.ty(i) {
            schema::Ty::Object(o) => o.props.contains_key("resources"),
            _ => false,
        }
    };
    assert_eq!((has(a), has(b)), (false, true));
    assert_one(pod, 31, "K8S001", "spec.resources");
    assert_clean(pod, 32);
}

#[test]
fn removed_apis() {
    let pdb = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {minAvailable: 1}\n";
    for minor in ALL {
        let f = assert_one(pdb, minor, "K8S004", "");
        assert_says(&f.message, "removed in Kubernetes 1.25");
        assert_says(&f.message, "use policy/v1");
    }
    let hpa =
        "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n";
    let f = assert_one(hpa, 33, "K8S004", "");
    assert!(
        f.message.contains("1.26") && f.message.contains("autoscaling/v2"),
        "{}",
        f.message
    );
    let ing = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\n";
    assert_one(ing, 31, "K8S004", "");
}

#[test]
fn flowcontrol_v1beta3_deprecated_in_131_removed_in_132() {
    let fs = r#"
apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata: {name: f}
spec:
  priorityLevelConfiguration: {name: global-default}
"#;
    let f = assert_one(fs, 31, "K8S005", "");
    assert_says(&f.message, "removed in 1.32");
    assert_says(&f.message, "flowcontrol.apiserver.k8s.io/v1");
    for minor in 32..=37 {
        let f = assert_one(fs, minor, "K8S004", "");
        assert_says(&f.message, "removed in Kubernetes 1.32");
    }
    let v1 = fs.replace("v1beta3", "v1");
    for minor in ALL {
        assert_clean(&v1, minor);
    }
}

#[test]
fn deprecation_derived_from_schemas() {
    // Served by 1.33-1.36 (beta), gone in 1.37 (GA as storage.k8s.io/v1).
    let vac = "apiVersion: storage.k8s.io/v1beta1\nkind: VolumeAttributesClass\nmetadata: {name: v}\ndriverName: d\n";
    let found = run(vac, 35);
    assert_eq!(
        codes(&found),
        vec![("K8S005", "".into()), ("K8S007", "".into())]
    );
    assert_says(&found[0].message, "removed in 1.37");
    assert_says(&found[0].message, "use storage.k8s.io/v1");
    let f = assert_one(vac, 37, "K8S004", "");
    assert_says(&f.message, "removed in Kubernetes 1.37");
}

#[test]
fn hand_listed_deprecation_without_removal() {
    let ep = "apiVersion: v1\nkind: Endpoints\nmetadata: {name: e}\n";
    assert_clean(ep, 32);
    let f = assert_one(ep, 33, "K8S005", "");
    assert_says(&f.message, "EndpointSlice");
}

#[test]
fn api_not_yet_served() {
    // MutatingAdmissionPolicy went GA (admissionregistration.k8s.io/v1) in 1.36.
    let map = "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingAdmissionPolicy\nmetadata: {name: m}\n";
    let f = assert_one(map, 35, "K8S004", "");
    assert_says(&f.message, "added in 1.36");
    assert_clean(map, 36);
}

#[test]
fn alpha_api_is_a_note() {
    let vap = "apiVersion: admissionregistration.k8s.io/v1alpha1\nkind: MutatingAdmissionPolicy\nmetadata: {name: m}\n";
    assert_one(vap, 34, "K8S007", "");
}

#[test]
fn unknown_kind_in_builtin_group_is_removed_api_with_hint() {
    let bad = "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: d}\n";
    let f = assert_one(bad, 33, "K8S004", "");
    assert_says(&f.message, "did you mean \"Deployment\"");
    let wrong_group = "apiVersion: v1\nkind: Deployment\nmetadata: {name: d}\n";
    let f = assert_one(wrong_group, 33, "K8S004", "");
    assert_says(&f.message, "served as apps/v1");
}

#[test]
fn custom_resource_without_crd_is_a_note() {
    let sm = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: s}\nspec: {}\n";
    assert_one(sm, 33, "K8S006", "");
    // Gateway API lives under *.k8s.io but is not built in.
    let route = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n";
    assert_one(route, 33, "K8S006", "");
    assert_eq!(validate_custom(&obj(sm), &[], (1, 36)).len(), 1);
}

#[test]
fn missing_api_version_or_kind() {
    let found = run("metadata: {name: x}\n", 33);
    assert_eq!(
        codes(&found),
        vec![("K8S003", "apiVersion".into()), ("K8S003", "kind".into())]
    );
}

#[test]
fn list_items_are_validated() {
    let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  dat: {}\n";
    assert_one(list, 33, "K8S001", "items[0].dat");
}

#[test]
fn crd_union_types_and_raw_json() {
    let crd = &crd(
        "Widget",
        "widgets",
        "",
        r#"
          type: object
          properties:
            spec:
              type: object
              additionalProperties: false
              properties:
                size: {type: integer, default: 1}
                tags: {type: array, items: {type: string}}
                any: {x-kubernetes-preserve-unknown-fields: true}
"#,
    );
    for minor in ALL {
        assert_clean(crd, minor);
    }
    let bad = crd.replace("additionalProperties: false", "additionalProperties: maybe");
    assert_eq!(
        codes(&run(&bad, 33)),
        vec![(
            "K8S002",
            "spec.versions[0].schema.openAPIV3Schema.properties.spec.additionalProperties".into()
        )]
    );
}

#[test]
fn every_embedded_version_loads() {
    for minor in ALL {
        let s = schema::schema(minor);
        assert_eq!(s.minor, minor);
        assert!(s.resource("apps/v1", "Deployment").is_some());
        assert!(s.resource("v1", "Pod").is_some());
        // Types are converted lazily; every one must be valid JSON.
        assert_eq!(s.unparsable_types(), Vec::<&str>::new(), "1.{minor}");
    }
    // Clamped outside the range.
    assert_eq!(schema::schema(20).minor, 31);
    assert_eq!(schema::schema(99).minor, 37);
}

#[test]
fn helpers() {
    use walk::{is_base64, is_quantity, is_rfc3339};
    assert!(is_quantity("1.5Gi") && is_quantity("-1") && is_quantity(".5") && is_quantity("1E-3"));
    assert!(!is_quantity("") && !is_quantity("Gi") && !is_quantity("1e") && !is_quantity("1ki"));
    assert!(is_base64("") && is_base64("YQ==") && is_base64("YWJj\nZGVm"));
    assert!(!is_base64("YQ=") && !is_base64("Y===") && !is_base64("a b="));
    assert!(is_rfc3339("2024-01-02T03:04:05Z") && is_rfc3339("2024-01-02T03:04:05.5+02:00"));
    assert!(!is_rfc3339("2024-01-02") && !is_rfc3339("yesterday"));
}

// ---- Custom resources against a CRD ----

/// Widget: a deprecated version, one not served, and v1 with a schema of
/// every kind of field.
fn widget_crd() -> Value {
    obj(&crd(
        "Widget",
        "widgets",
        r#"
    - name: v1beta1
      served: true
      storage: false
      deprecated: true
      deprecationWarning: "example.com/v1beta1 Widget is deprecated; use example.com/v1"
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
    - name: v1alpha1
      served: false
      storage: false
"#,
        r#"
          type: object
          required: [spec]
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1}
                mode: {type: string, enum: [fast, slow]}
                port: {x-kubernetes-int-or-string: true}
                labels: {type: object, additionalProperties: {type: string}}
                items:
                  type: array
                  items:
                    type: object
                    properties:
                      name: {type: string}
                extra:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                  properties:
                    known: {type: boolean}
                template:
                  type: object
                  x-kubernetes-embedded-resource: true
                  properties:
                    spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
"#,
    ))
}

fn custom(yaml: &str) -> Vec<(&'static str, String)> {
    codes(&validate_custom(&obj(yaml), &[widget_crd()], (1, 36)))
}

#[test]
fn custom_resource_valid() {
    let ok = r#"
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, labels: {a: b}}
spec:
  size: 3
  mode: fast
  port: http
  labels: {team: x}
  items: [{name: a}]
  extra: {known: true, anything: [1, 2]}
  template: {apiVersion: v1, kind: Pod, metadata: {name: x}, spec: {whatever: 1}}
"#;
    assert_eq!(custom(ok), vec![]);
}

#[test]
fn custom_resource_failures() {
    let bad = r#"
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  sise: 3
  mode: medium
  port: 1.5
  labels: {team: 7}
  items: [{name: a, nmae: b}]
  extra: {known: "yes"}
"#;
    assert_eq!(
        custom(bad),
        vec![
            ("K8S002", "spec.extra.known".into()),
            ("K8S001", "spec.items[0].nmae".into()),
            ("K8S002", "spec.labels.team".into()),
            ("K8S008", "spec.mode".into()),
            ("K8S002", "spec.port".into()),
            ("K8S001", "spec.sise".into()),
            ("K8S003", "spec.size".into()),
        ]
    );
    let f = validate_custom(&obj(bad), &[widget_crd()], (1, 36));
    assert_says(&f[5].message, "did you mean \"size\"");
    assert_eq!(
        custom("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"),
        vec![("K8S003", "spec".into())]
    );
}

#[test]
fn custom_resource_versions() {
    // Deprecated version: a warning; its schema preserves unknown fields.
    let dep =
        "apiVersion: example.com/v1beta1\nkind: Widget\nmetadata: {name: w}\nspec: {anything: 1}\n";
    let f = validate_custom(&obj(dep), &[widget_crd()], (1, 36));
    assert_eq!(codes(&f), vec![("K8S005", "".into())]);
    assert!(f[0].message.contains("use example.com/v1"));
    let off = "apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata: {name: w}\n";
    assert_eq!(custom(off), vec![("K8S004", "apiVersion".into())]);
    let missing = "apiVersion: example.com/v2\nkind: Widget\nmetadata: {name: w}\n";
    assert_eq!(custom(missing), vec![("K8S004", "apiVersion".into())]);
    let other_kind = "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: w}\n";
    assert_eq!(custom(other_kind), vec![("K8S006", "".into())]);
}

#[test]
fn codes_are_stable() {
    let ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
    assert_eq!(
        ids,
        [
            "K8S001", "K8S002", "K8S003", "K8S004", "K8S005", "K8S006", "K8S007", "K8S008"
        ]
    );
}

#[test]
fn scopes() {
    use schema::Scope;
    assert_eq!(
        scope_of("apps/v1", "Deployment", (1, 33)),
        Some(Scope::Namespaced)
    );
    assert_eq!(
        scope_of("rbac.authorization.k8s.io/v1", "ClusterRole", (1, 33)),
        Some(Scope::Cluster)
    );
    assert_eq!(scope_of("example.com/v1", "Widget", (1, 33)), None);
}

/// A CRD as published charts write them: `metadata: {type: object}`, a
/// required field with a structural default (RayCluster's `maxReplicas`),
/// an embedded resource.
fn pool_crd() -> Value {
    obj(&crd(
        "Pool",
        "pools",
        "",
        r#"
          type: object
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              type: object
              required: [maxReplicas, size]
              properties:
                maxReplicas: {type: integer, default: 2147483647}
                size: {type: integer}
                template:
                  type: object
                  x-kubernetes-embedded-resource: true
                  x-kubernetes-preserve-unknown-fields: true
"#,
    ))
}

fn pool(yaml: &str) -> Vec<(&'static str, String)> {
    codes(&validate_custom(&obj(yaml), &[pool_crd()], (1, 36)))
}

#[test]
fn custom_resource_metadata_is_object_meta() {
    // ObjectMeta's fields are accepted although the CRD lists none...
    let ok = "apiVersion: example.com/v1\nkind: Pool\nmetadata: {name: p, namespace: team-a, labels: {a: b}, annotations: {c: d}}\nspec: {size: 1}\n";
    assert_eq!(pool(ok), vec![]);
    // ...and what ObjectMeta does not have, or has with another type, is not.
    let bad = "apiVersion: example.com/v1\nkind: Pool\nmetadata: {name: p, lables: {a: b}, annotations: {c: 1}}\nspec: {size: 1}\n";
    assert_eq!(
        pool(bad),
        vec![
            ("K8S002", "metadata.annotations.c".into()),
            ("K8S001", "metadata.lables".into()),
        ]
    );
}

#[test]
fn structural_defaults_apply_before_required() {
    // maxReplicas has a default: not missing. size has none: missing.
    let yaml = "apiVersion: example.com/v1\nkind: Pool\nmetadata: {name: p}\nspec: {}\n";
    assert_eq!(pool(yaml), vec![("K8S003", "spec.size".into())]);
}

#[test]
fn embedded_resources_need_api_version_and_kind() {
    let ok = "apiVersion: example.com/v1\nkind: Pool\nmetadata: {name: p}\nspec:\n  size: 1\n  template: {apiVersion: v1, kind: Pod, metadata: {name: x, labels: {a: b}}, spec: {any: 1}}\n";
    assert_eq!(pool(ok), vec![]);
    let bad = "apiVersion: example.com/v1\nkind: Pool\nmetadata: {name: p}\nspec:\n  size: 1\n  template: {metadata: {nmae: x}, spec: {any: 1}}\n";
    assert_eq!(
        pool(bad),
        vec![
            ("K8S001", "spec.template.metadata.nmae".into()),
            ("K8S003", "spec.template.apiVersion".into()),
            ("K8S003", "spec.template.kind".into()),
        ]
    );
}

#[test]
fn enum_fields_take_only_their_values() {
    let pod = |extra: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: c, image: i, imagePullPolicy: IfNotPresent}}]\n{extra}"
        )
    };
    for minor in ALL {
        assert_clean(
            &pod(
                "  tolerations: [{key: k, operator: Equal, value: v, effect: NoSchedule}, {operator: Exists}]\n",
            ),
            minor,
        );
        assert_clean(&pod("  tolerations: [{key: k, operator: \"\"}]\n"), minor);
        let f = assert_one(
            &pod("  tolerations: [{key: k, operator: Equals, value: v}]\n"),
            minor,
            "K8S008",
            "spec.tolerations[0].operator",
        );
        assert_says(&f.message, "did you mean \"Equal\"?");
        assert_says(&f.message, "Equal, Exists");
        assert_one(
            &pod("  restartPolicy: always\n"),
            minor,
            "K8S008",
            "spec.restartPolicy",
        );
    }
    let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: Loadbalancer\n  ipFamilies: [IPv4, IPv5]\n  ports: [{port: 80, protocol: tcp}]\n";
    assert_eq!(
        codes(&run(svc, 36)),
        vec![
            ("K8S008", "spec.ports[0].protocol".into()),
            ("K8S008", "spec.type".into()),
            ("K8S008", "spec.ipFamilies[1]".into()),
        ]
    );
}
