//! `pchart artifact validate` through the binary: one table row per
//! behaviour of Perses v0.54.0's provisioning (see `pchart explain PC026`).

use super::common::{pchart, write};

const PROJECT: &str = "kind: Project\nmetadata: {name: demo}\nspec: {}\n";
const DASH: &str = "kind: Dashboard\nmetadata:\n  name: cpu\n  project: demo\nspec:\n  panels:\n    cpu: {kind: Panel, spec: {plugin: {kind: TimeSeriesChart, spec: {}}}}\n  layouts:\n    - kind: Grid\n      spec:\n        items:\n          - {x: 0, y: 0, width: 12, height: 6, content: {$ref: '#/spec/panels/cpu'}}\n";

struct Case {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
    exit: i32,
    /// (rule, severity, file, line, message fragment); exactly these.
    expect: &'static [(&'static str, &'static str, &'static str, u64, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        name: "clean",
        files: &[
            ("projects/demo.yaml", PROJECT),
            ("dashboards/cpu.yaml", DASH),
        ],
        args: &[],
        exit: 0,
        expect: &[],
    },
    Case {
        name: "kind typo and wrong case",
        files: &[
            (
                "a.json",
                "{\"kind\": \"Dashbaord\", \"metadata\": {\"name\": \"x\", \"project\": \"p\"}}",
            ),
            (
                "b.yaml",
                "kind: dashboard\nmetadata: {name: x, project: p}\n",
            ),
        ],
        args: &["--project", "p"],
        exit: 1,
        expect: &[
            (
                "PC026",
                "error",
                "a.json",
                1,
                "unknown kind \"Dashbaord\" (did you mean \"Dashboard\"?)",
            ),
            (
                "PC026",
                "error",
                "b.yaml",
                1,
                "kinds are case-sensitive here: write \"Dashboard\"",
            ),
        ],
    },
    Case {
        name: "bad names, tags, ephemeral, missing project",
        files: &[(
            "x.yaml",
            "- kind: GlobalDatasource\n  metadata: {name: 'my ds'}\n  spec: {plugin: {kind: PrometheusDatasource, spec: {}}}\n- kind: EphemeralDashboard\n  metadata: {name: e, project: p}\n  spec: {}\n- kind: Datasource\n  metadata: {name: d}\n  spec: {default: true}\n- kind: Folder\n  metadata: {name: f, project: p, tags: ['', ' a']}\n",
        )],
        args: &["--project", "p"],
        exit: 1,
        expect: &[
            ("PC026", "error", "x.yaml", 2, "is not a correct name"),
            (
                "PC026",
                "error",
                "x.yaml",
                4,
                "EphemeralDashboard is not provisioned",
            ),
            ("PC026", "error", "x.yaml", 8, "metadata.project is empty"),
            ("PC026", "error", "x.yaml", 11, "tag cannot be empty"),
            (
                "PC026",
                "error",
                "x.yaml",
                11,
                "cannot start or end with whitespace",
            ),
        ],
    },
    Case {
        name: "dashboard spec: refs, variables, layouts, panel keys, absent spec",
        files: &[(
            "d.yaml",
            "- kind: Dashboard\n  metadata: {name: a, project: p}\n  spec:\n    panels: {'bad key': {kind: Panel}}\n    variables:\n      - {kind: TextVariable, spec: {name: '123'}}\n      - {kind: ListVariable, spec: {name: v}}\n      - {kind: ListVariable, spec: {name: v}}\n      - {kind: Other, spec: {name: w}}\n    layouts:\n      - kind: Flex\n      - kind: Grid\n        spec:\n          items:\n            - {content: {$ref: '#/spec/panels/nope'}}\n            - {content: {$ref: '#/spec/other/x'}}\n            - {content: {$ref: 'spec/panels'}}\n- kind: Dashboard\n  metadata: {name: b, project: p}\n",
        )],
        args: &["--project", "p"],
        exit: 1,
        expect: &[
            ("PC026", "error", "d.yaml", 4, "panel key"),
            ("PC026", "error", "d.yaml", 6, "cannot contain only digits"),
            (
                "PC026",
                "error",
                "d.yaml",
                8,
                "variable \"v\" (index 2) already exists",
            ),
            (
                "PC026",
                "error",
                "d.yaml",
                9,
                "unknown variable.kind \"Other\"",
            ),
            (
                "PC026",
                "error",
                "d.yaml",
                11,
                "unknown layout.kind \"Flex\"",
            ),
            (
                "PC026",
                "error",
                "d.yaml",
                15,
                "no panel found for ref \"nope\"",
            ),
            (
                "PC026",
                "error",
                "d.yaml",
                16,
                "does not point into spec.panels",
            ),
            ("PC026", "error", "d.yaml", 17, "is not accepted"),
            ("PC026", "error", "d.yaml", 18, "spec cannot be empty"),
        ],
    },
    Case {
        name: "unreadable files: not YAML, empty, scalar, several documents",
        files: &[
            ("a.yaml", "kind: [\n"),
            ("b.yml", ""),
            ("c.yaml", "just text\n"),
            (
                "d.yaml",
                "kind: Project\nmetadata: {name: one}\n---\nkind: Project\nmetadata: {name: two}\n",
            ),
        ],
        args: &[],
        exit: 1,
        expect: &[
            ("PC026", "error", "a.yaml", 0, "neither JSON nor YAML"),
            ("PC026", "error", "b.yml", 0, "no data"),
            ("PC026", "error", "c.yaml", 1, "holds a string"),
            ("PC026", "error", "d.yaml", 0, "2 YAML documents"),
        ],
    },
    Case {
        name: "a file with one bad object loses its project too",
        files: &[
            (
                "projects.yaml",
                "- kind: Project\n  metadata: {name: demo}\n- kind: Project\n  metadata: {name: 'b@d'}\n",
            ),
            ("dash.yaml", DASH),
        ],
        args: &[],
        exit: 1,
        expect: &[
            (
                "PC027",
                "error",
                "dash.yaml",
                3,
                "project \"demo\", which is neither in the artifact",
            ),
            (
                "PC026",
                "error",
                "projects.yaml",
                4,
                "is not a correct name",
            ),
        ],
    },
    Case {
        name: "duplicates compare lower-cased; ignored files are notes; secrets warn",
        files: &[
            (
                "a.yaml",
                "kind: GlobalVariable\nmetadata: {name: Env}\nspec: {kind: TextVariable, spec: {value: x}}\n",
            ),
            (
                "b.json",
                "[{\"kind\": \"GlobalVariable\", \"metadata\": {\"name\": \"env\"}, \"spec\": {\"kind\": \"TextVariable\", \"spec\": {}}}]",
            ),
            ("c.jsonnet", "{}"),
            (
                "s.yaml",
                "kind: GlobalSecret\nmetadata: {name: s}\nspec:\n  oauth: {clientID: a, clientSecret: b}\n  tlsConfig: {keyFile: /k}\n",
            ),
        ],
        args: &[],
        exit: 1,
        expect: &[
            ("PC028", "error", "b.json", 1, "also defined at"),
            ("PC026", "note", "c.jsonnet", 0, "ignored"),
            (
                "PC029",
                "warning",
                "s.yaml",
                4,
                "spec.oauth.clientSecret is in clear text",
            ),
        ],
    },
    Case {
        name: "case-sensitive database keeps Env and env apart",
        files: &[
            (
                "a.yaml",
                "kind: GlobalVariable\nmetadata: {name: Env}\nspec: {kind: TextVariable, spec: {}}\n",
            ),
            (
                "b.yaml",
                "kind: GlobalVariable\nmetadata: {name: env}\nspec: {kind: TextVariable, spec: {}}\n",
            ),
        ],
        args: &["--case-sensitive"],
        exit: 0,
        expect: &[],
    },
    Case {
        name: "names refused by newer perses/spec warn; --strict fails on them",
        files: &[("a.yaml", "kind: Project\nmetadata: {name: a..b}\n")],
        args: &["--strict"],
        exit: 1,
        expect: &[("PC026", "warning", "a.yaml", 2, "contains '..'")],
    },
    Case {
        name: "--subpath validates only the mounted folder",
        files: &[
            ("prod/p.yaml", PROJECT),
            ("prod/d.yaml", DASH),
            ("staging/bad.yaml", "kind: Nope\n"),
        ],
        args: &["--subpath", "prod"],
        exit: 0,
        expect: &[],
    },
];

#[test]
fn table() {
    let mut failures = Vec::new();
    for c in CASES {
        let dir = tempfile::tempdir().expect("tmp");
        for (name, text) in c.files {
            write(dir.path(), name, text);
        }
        let d = dir.path().to_string_lossy().into_owned();
        let mut args = vec!["artifact", "validate", &d, "--format", "json"];
        args.extend(c.args);
        let o = pchart(&args);
        let stdout = String::from_utf8_lossy(&o.stdout);
        if o.status.code() != Some(c.exit) {
            failures.push(format!(
                "{}: exit {:?}\n{stdout}{}",
                c.name,
                o.status.code(),
                String::from_utf8_lossy(&o.stderr)
            ));
            continue;
        }
        let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
        let got = doc["findings"].as_array().cloned().unwrap_or_default();
        if got.len() != c.expect.len() {
            failures.push(format!(
                "{}: {} findings, want {}\n{stdout}",
                c.name,
                got.len(),
                c.expect.len()
            ));
            continue;
        }
        for (rule, sev, file, line, msg) in c.expect {
            let found = got.iter().any(|f| {
                f["rule"] == *rule
                    && f["severity"] == *sev
                    && f["file"]
                        .as_str()
                        .is_some_and(|p| p.ends_with(&format!("/{file}")))
                    && f["line"] == *line
                    && f["message"].as_str().is_some_and(|m| m.contains(msg))
            });
            if !found {
                failures.push(format!(
                    "{}: no {rule} {sev} {file}:{line} {msg:?}\n{stdout}",
                    c.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn input_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().to_string_lossy().into_owned();
    let missing = format!("{d}/missing");
    for args in [
        vec!["artifact", "validate", missing.as_str()],
        vec!["artifact", "validate", &d, "--subpath", "prod"],
        vec!["artifact", "validate", &d, "--subpath", "../x"],
    ] {
        let o = pchart(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).starts_with("Error: "));
    }
}

#[test]
fn human_output_and_explain() {
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "d.yaml",
        "kind: Dashbaord\nmetadata: {name: x}\n",
    );
    let d = dir.path().to_string_lossy().into_owned();
    let o = pchart(&["artifact", "validate", &d]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("error[PC026]: unknown kind \"Dashbaord\""),
        "{text}"
    );
    assert!(text.contains("d.yaml:1:7"), "{text}");
    assert!(
        text.contains("0 resource(s) in 1 file(s) Perses would load"),
        "{text}"
    );
    for code in ["PC026", "PC027", "PC028", "PC029"] {
        let o = pchart(&["explain", code]);
        assert_eq!(o.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("v0.54.0"),
            "{code}"
        );
    }
}
