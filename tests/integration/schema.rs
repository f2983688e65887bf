//! values.schema.json validation: every case in tests/schema/fixtures.json
//! was run through real Helm (helm-python-sdk, Helm v4.2, client dry-run
//! install); pchart must accept the same values, or refuse with the same
//! message.
//!
//! Helm's validator walks Go maps, so sibling errors come out in a random
//! order, and subcharts in an unstable order; messages are compared in a
//! canonical form (sibling lines and per-chart blocks sorted, as
//! tests/schema/record.py does). Re-record with
//! `python3 tests/schema/record.py`; CI re-checks with `--check`.

use std::path::{Path, PathBuf};

use pchart::chart::Chart;
use pchart::value::Value;
use serde_json::Value as Json;

struct Sub {
    name: String,
    schema: Option<String>,
    values: String,
}

struct Case {
    name: String,
    schema: Option<String>,
    values: String,
    subs: Vec<Sub>,
    expected: Option<String>,
}

fn load_cases() -> Vec<Case> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema/fixtures.json");
    let text = std::fs::read_to_string(p).expect("read fixtures");
    let all: Vec<Json> = serde_json::from_str(&text).expect("parse fixtures");
    let s = |c: &Json, k: &str| c.get(k).and_then(Json::as_str).map(String::from);
    all.iter()
        .map(|c| Case {
            name: s(c, "name").unwrap_or_default(),
            schema: s(c, "schema"),
            values: s(c, "values").unwrap_or_default(),
            subs: c
                .get("subcharts")
                .and_then(Json::as_array)
                .map(|a| {
                    a.iter()
                        .map(|x| Sub {
                            name: s(x, "name").unwrap_or_default(),
                            schema: s(x, "schema"),
                            values: s(x, "values").unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            expected: s(c, "error"),
        })
        .collect()
}

fn write_chart(dir: &Path, name: &str, schema: &Option<String>, values: &str) {
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    std::fs::write(
        dir.join("Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n"),
    )
    .expect("write");
    std::fs::write(dir.join("values.yaml"), values).expect("write");
    std::fs::write(dir.join("templates/cm.yaml"), "x: 1\n").expect("write");
    if let Some(s) = schema {
        std::fs::write(dir.join("values.schema.json"), s).expect("write");
    }
}

fn run(case: &Case, tmp: &Path) -> Result<(), String> {
    let root: PathBuf = tmp.join(&case.name).join("sch");
    let _ = std::fs::remove_dir_all(&root);
    write_chart(&root, "sch", &case.schema, &case.values);
    for s in &case.subs {
        write_chart(
            &root.join("charts").join(&s.name),
            &s.name,
            &s.schema,
            &s.values,
        );
    }
    let chart = Chart::load_dir(&root).map_err(|e| format!("load: {}", e.0))?;
    // As the render pipeline does: process dependencies, then coalesce.
    let user = Value::empty_map();
    let (chart, values) =
        pchart::chart::dependencies::prepare(chart, &user).map_err(|e| e.reason().to_string())?;
    pchart::schema::validate_chart_values(&chart, &values)
}

/// Same canonical form as tests/schema/record.py.
fn canonical(msg: &str) -> String {
    let lines: Vec<String> = msg
        .split('\n')
        .map(|l| {
            if let (Some(i), true) = (
                l.find(": additional properties "),
                l.ends_with(" not allowed"),
            ) {
                let head = &l[..i + ": additional properties ".len()];
                let list = &l[head.len()..l.len() - " not allowed".len()];
                let mut names: Vec<&str> = list.split(", ").collect();
                names.sort();
                format!("{head}{} not allowed", names.join(", "))
            } else {
                l.to_string()
            }
        })
        .collect();
    fn depth_of(l: &str) -> Option<usize> {
        let sp = l.len() - l.trim_start_matches(' ').len();
        l[sp..].starts_with("- ").then_some(sp)
    }
    struct Node {
        text: String,
        kids: Vec<Node>,
    }
    fn parse(lines: &[String], i: &mut usize, depth: usize) -> Vec<Node> {
        let mut out = Vec::new();
        while *i < lines.len() && depth_of(&lines[*i]) == Some(2 * depth) {
            let text = lines[*i].clone();
            *i += 1;
            let kids = parse(lines, i, depth + 1);
            out.push(Node { text, kids });
        }
        out
    }
    fn render(nodes: &[Node]) -> Vec<String> {
        let mut v: Vec<(String, Vec<String>)> = nodes
            .iter()
            .map(|n| (n.text.clone(), render(&n.kids)))
            .collect();
        v.sort();
        v.into_iter()
            .flat_map(|(t, k)| std::iter::once(t).chain(k))
            .collect()
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if depth_of(&lines[i]) == Some(0) {
            let nodes = parse(&lines, &mut i, 0);
            out.extend(render(&nodes));
        } else {
            out.push(lines[i].clone());
            i += 1;
        }
    }
    // Helm's subchart order is not stable either: sort the per-chart
    // blocks (after the first line).
    let is_header = |l: &str| {
        l.len() > 1
            && l.ends_with(':')
            && l[..l.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
    };
    let mut tail = 0;
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
        tail += 1;
    }
    let mut blocks: Vec<Vec<String>> = Vec::new();
    for l in out.iter().skip(1) {
        match blocks.last_mut() {
            Some(b) if !is_header(l) => b.push(l.clone()),
            _ => blocks.push(vec![l.clone()]),
        }
    }
    blocks.sort();
    out.truncate(1);
    out.extend(blocks.into_iter().flatten());
    out.extend(std::iter::repeat_n(String::new(), tail));
    out.join("\n")
}

/// Cases where pchart knowingly differs from Helm, with the reason. The
/// test fails if one starts to agree, so the list stays true.
const KNOWN_DIVERGENCES: &[(&str, &str)] = &[];

#[test]
fn schema_validation_against_recorded_helm() {
    let cases = load_cases();
    assert!(cases.len() >= 120, "only {} cases", cases.len());
    let filter = std::env::var("SCHEMA_FILTER").unwrap_or_default();
    let tmp = std::env::temp_dir().join(format!("pchart-schema-test-{}", std::process::id()));
    let mut failures = Vec::new();
    let mut exact = 0;
    let mut total = 0;
    for c in &cases {
        if !filter.is_empty() && !c.name.contains(&filter) {
            continue;
        }
        total += 1;
        let got = run(c, &tmp).err();
        if got == c.expected {
            exact += 1;
        }
        let agree = got.as_deref().map(canonical) == c.expected.as_deref().map(canonical);
        let known = KNOWN_DIVERGENCES.iter().any(|(n, _)| *n == c.name);
        if agree == known {
            failures.push(format!(
                "{}{}\n  expected: {:?}\n  got:      {:?}",
                c.name,
                if known {
                    " (listed as divergent, now agrees)"
                } else {
                    ""
                },
                c.expected,
                got
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    eprintln!(
        "schema: {total} cases, {exact} byte-identical, {} failing",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn canonical_form_sorts_siblings() {
    let a = "x:\n- at '/b': q\n  - at '/b/2': z\n  - at '/b/1': y\n- at '/a': p\n- at '': additional properties 'z', 'a' not allowed\n";
    let b = "x:\n- at '': additional properties 'a', 'z' not allowed\n- at '/a': p\n- at '/b': q\n  - at '/b/1': y\n  - at '/b/2': z\n";
    assert_eq!(canonical(a), canonical(b));
    let c = "head:\nsch:\n- at '': x\nbeta:\n- at '/b': y\nalpha:\n- at '/a': z\n";
    let d = "head:\nsch:\n- at '': x\nalpha:\n- at '/a': z\nbeta:\n- at '/b': y\n";
    assert_eq!(canonical(c), canonical(d));
}

fn yaml(text: &str) -> Value {
    pchart::yaml::parse_values(text).expect("yaml")
}

#[test]
fn remote_refs_are_never_fetched() {
    let v = yaml("a: 1\n");
    let e = pchart::schema::validate(
        r##"{"properties":{"a":{"$ref":"https://example.com/port.json"}}}"##,
        &v,
    )
    .expect_err("remote $ref must fail");
    assert_eq!(
        e,
        r##"failing loading "https://example.com/port.json": pchart does not fetch remote schemas"##
    );
    let e = pchart::schema::validate(r##"{"$schema":"http://example.com/s"}"##, &v)
        .expect_err("unknown $schema must fail");
    assert!(e.contains("does not fetch remote schemas"), "{e}");
    let e = pchart::schema::validate(r##"{"$ref":"other.json"}"##, &v).expect_err("file $ref");
    assert!(e.contains("file:///other.json"), "{e}");
}

#[test]
fn report_lines_carry_paths_and_depths() {
    let v = yaml("image:\n  tag: \"1\"\n  pullPolicy: x\nreplicas: 0\n");
    let schema = r##"{"properties":{"replicas":{"minimum":1},"image":{"properties":{"tag":{"pattern":"^v"},"pullPolicy":{"enum":["Always","Never"]}}}}}"##;
    let lines = pchart::schema::validate(schema, &v).expect("compiles");
    let shown: Vec<(String, usize, String)> = lines
        .iter()
        .map(|l| (l.path.clone(), l.depth, l.line()))
        .collect();
    assert_eq!(
        shown,
        vec![
            (
                "/image".to_string(),
                0,
                "- at '/image': validation failed".to_string()
            ),
            (
                "/image/pullPolicy".to_string(),
                1,
                "  - at '/image/pullPolicy': value must be one of 'Always', 'Never'".to_string()
            ),
            (
                "/image/tag".to_string(),
                1,
                "  - at '/image/tag': '1' does not match pattern '^v'".to_string()
            ),
            (
                "/replicas".to_string(),
                0,
                "- at '/replicas': minimum: got 0, want 1".to_string()
            ),
        ]
    );
    assert!(pchart::schema::validate("{}", &v).expect("ok").is_empty());
}

#[test]
fn set_integers_are_numbers() {
    let mut m = pchart::value::Map::new();
    m.insert("a".into(), Value::int64(1));
    m.insert("b".into(), Value::int64(2));
    let v = Value::map(m);
    let schema = r##"{"properties":{"a":{"type":"integer"},"b":{"type":"string"}}}"##;
    let lines = pchart::schema::validate(schema, &v).expect("compiles");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].line(), "- at '/b': got number, want string");
}

#[test]
fn no_panic_on_hostile_schemas_and_values() {
    // Deep values through a recursive schema.
    let mut text = String::new();
    for i in 0..400 {
        text.push_str(&"  ".repeat(i));
        text.push_str("c:\n");
    }
    text.push_str(&"  ".repeat(400));
    text.push_str("v: x\n");
    let deep = pchart::yaml::parse_values(&text).unwrap_or_else(|_| Value::empty_map());
    let rec = r##"{"$defs":{"n":{"properties":{"v":{"type":"integer"},"c":{"$ref":"#/$defs/n"}}}},"$ref":"#/$defs/n"}"##;
    let _ = pchart::schema::validate(rec, &deep);
    // Reference cycles without progress.
    let cyc =
        r##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}"##;
    let _ = pchart::schema::validate(cyc, &yaml("a: 1\n"));
    // Deeply nested schema text.
    let nested = format!(
        "{}{}",
        r##"{"not":"##.repeat(500),
        "{}".to_string() + &"}".repeat(500)
    );
    let _ = pchart::schema::validate(&nested, &yaml("a: 1\n"));
    let items = format!(
        "{}{}",
        r##"{"items":"##.repeat(500),
        "{}".to_string() + &"}".repeat(500)
    );
    let _ = pchart::schema::validate(&items, &yaml("a: [[[1]]]\n"));
    // Odd keywords and values.
    for s in [
        r##"{"minimum":1e999999}"##,
        r##"{"properties":{"a":{"multipleOf":1e-999999}}}"##,
        r##"{"properties":{"a":{"maxLength":1e30}}}"##,
        r##"{"pattern":"("}"##,
        r##"{"properties":{"a":{"pattern":"(["}}}"##,
        r##"{"$ref":"#/%zz"}"##,
        r##"{"$ref":"#nope"}"##,
        r##"{"$id":"%%%","$ref":"#"}"##,
        r##"{"$schema":"https://json-schema.org/draft/2019-09/schema","$recursiveRef":"#"}"##,
        r##"{"$dynamicRef":"#meta"}"##,
        "\u{feff}{}",
        "[",
        "\"\\ud800\"",
    ] {
        let _ = pchart::schema::validate(s, &yaml("a: 1.5\nb: [1, 2]\n"));
    }
}

/// The metaschema check is remembered across runs only when it passes:
/// one marker per valid schema in `$XDG_CACHE_HOME/pchart/schema-ok`, none
/// for a schema its metaschema refuses (refused on every run), none at all
/// with PCHART_NO_CACHE.
#[test]
fn metaschema_check_is_remembered_only_when_it_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = |name: &str, schema: &str| {
        let d = tmp.path().join(name);
        std::fs::create_dir_all(d.join("templates")).unwrap();
        std::fs::write(
            d.join("Chart.yaml"),
            format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n"),
        )
        .unwrap();
        std::fs::write(d.join("values.yaml"), "a: x\n").unwrap();
        std::fs::write(d.join("values.schema.json"), schema).unwrap();
        std::fs::write(d.join("templates/cm.yaml"), "a: {{ .Values.a }}\n").unwrap();
        d
    };
    let good = chart(
        "good",
        r#"{"type": "object", "properties": {"a": {"type": "string"}}}"#,
    );
    let bad = chart("bad", r#"{"type": 12}"#);
    let render = |chart: &Path, cache: &Path, no_cache: bool| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_pchart"));
        c.arg("render").arg(chart).env("XDG_CACHE_HOME", cache);
        if no_cache {
            c.env("PCHART_NO_CACHE", "1");
        } else {
            c.env_remove("PCHART_NO_CACHE");
        }
        c.output().unwrap()
    };
    let markers = |cache: &Path| {
        std::fs::read_dir(cache.join("pchart/schema-ok"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let cache = tmp.path().join("cache");
    let first = render(&good, &cache, false);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    assert_eq!(markers(&cache), 1);
    let second = render(&good, &cache, false);
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(markers(&cache), 1);
    for _ in 0..2 {
        let o = render(&bad, &cache, false);
        assert_eq!(o.status.code(), Some(2), "{o:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("is not valid against metaschema"), "{err}");
    }
    assert_eq!(markers(&cache), 1);
    let off = tmp.path().join("off");
    assert_eq!(render(&good, &off, true).status.code(), Some(0));
    assert!(!off.exists());
}
