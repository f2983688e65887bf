//! `pchart eval` with --set, --set-string, --set-json, --set-file and
//! --set-literal: values reach templates with Helm's Go types, in Helm's
//! precedence order, and bad expressions fail with exit code 2.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A scratch chart with a few default values; removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "pchart-cli-set-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(dir.join("chart/templates")).expect("mkdir");
        std::fs::write(
            dir.join("chart/Chart.yaml"),
            "apiVersion: v2\nname: t\nversion: 0.1.0\n",
        )
        .expect("Chart.yaml");
        std::fs::write(
            dir.join("chart/values.yaml"),
            "a: 0\nlist: [1, 2, 3]\nm: {x: 1, w: 2}\n",
        )
        .expect("values.yaml");
        Scratch(dir)
    }

    fn file(&self, name: &str, content: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, content).expect("write");
        p.display().to_string()
    }

    fn eval(&self, template: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_pchart"))
            .arg("eval")
            .arg(self.0.join("chart"))
            .arg("-e")
            .arg(template)
            .args(args)
            .output()
            .expect("run pchart")
    }

    fn out(&self, template: &str, args: &[&str]) -> String {
        let o = self.eval(template, args);
        assert!(
            o.status.success(),
            "pchart failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn set_values_are_typed_like_helm() {
    let s = Scratch::new();
    let t = "{{ typeOf .Values.a }}";
    assert_eq!(s.out(t, &["--set", "a=1"]), "int64");
    assert_eq!(s.out(t, &["--set", "a=1.5"]), "string");
    assert_eq!(s.out(t, &["--set", "a=true"]), "bool");
    assert_eq!(s.out(t, &["--set-string", "a=1"]), "string");
    assert_eq!(s.out(t, &["--set-json", "a=1"]), "float64");
    assert_eq!(s.out(t, &["--set-literal", "a=1"]), "string");
    assert_eq!(s.out("{{ .Values.a }}", &["--set", "a=1"]), "1");
}

#[test]
fn set_paths_lists_and_literals() {
    let s = Scratch::new();
    assert_eq!(
        s.out("{{ toJson .Values.b }}", &["--set", "b.c[1]=x,b.d={1,two}"]),
        r#"{"c":[null,"x"],"d":[1,"two"]}"#
    );
    assert_eq!(
        s.out("{{ .Values.l }}", &["--set-literal", "l=a,b=c{d}"]),
        "a,b=c{d}"
    );
    // Repeated flags accumulate.
    assert_eq!(
        s.out(
            "{{ .Values.p }}-{{ .Values.q }}",
            &["--set", "p=1", "--set", "q=2"]
        ),
        "1-2"
    );
}

#[test]
fn set_merges_with_chart_values_like_helm() {
    let s = Scratch::new();
    // Maps merge with values.yaml; a list given by --set replaces the
    // chart's list as a whole.
    assert_eq!(
        s.out("{{ toJson .Values.m }}", &["--set", "m.z=3"]),
        r#"{"w":2,"x":1,"z":3}"#
    );
    assert_eq!(
        s.out("{{ toJson .Values.list }}", &["--set", "list[1]=x"]),
        r#"[null,"x"]"#
    );
}

#[test]
fn flags_apply_in_helms_order() {
    let s = Scratch::new();
    let f = s.file("over.yaml", "a: fromfile\nb: fromfile\n");
    let t = "{{ .Values.a }} {{ typeOf .Values.a }}";
    // -f, then --set-json, --set, --set-string, --set-file, --set-literal,
    // whatever the order on the command line.
    assert_eq!(
        s.out(
            t,
            &[
                "--set-string",
                "a=3",
                "--set",
                "a=2",
                "--set-json",
                "a=1",
                "-f",
                &f
            ]
        ),
        "3 string"
    );
    assert_eq!(
        s.out(t, &["--set-literal", "a=lit", "--set", "a=2"]),
        "lit string"
    );
    assert_eq!(s.out(t, &["--set-json", "a=1", "-f", &f]), "1 float64");
    assert_eq!(
        s.out("{{ .Values.b }}", &["--set", "a=1", "-f", &f]),
        "fromfile"
    );
    let content = s.file("content.txt", "file body\n");
    assert_eq!(
        s.out(
            r#"{{ printf "%q" .Values.a }}"#,
            &["--set-file", &format!("a={content}"), "--set-string", "a=x"]
        ),
        r#""file body\n""#
    );
}

#[test]
fn set_json_takes_a_whole_object() {
    let s = Scratch::new();
    assert_eq!(
        s.out(
            "{{ toJson .Values.m }} {{ typeOf .Values.n }}",
            &["--set-json", r#" {"m":{"z":[true]},"n":2}"#]
        ),
        r#"{"w":2,"x":1,"z":[true]} float64"#
    );
}

#[test]
fn bad_expressions_fail_with_exit_code_2() {
    let s = Scratch::new();
    let cases: &[(&str, &str, &str)] = &[
        ("--set", "a..b=1", r#"key map "a" has no value"#),
        (
            "--set",
            "a[70000]=1",
            "greater than maximum supported index",
        ),
        ("--set-string", "a", r#"key "a" has no value"#),
        ("--set-json", "a=tru", "unexpected EOF"),
        ("--set-json", "{\"a\":", "unexpected end of JSON input"),
        ("--set-literal", "a..b=1", r#"key map "a" has no value"#),
        (
            "--set-file",
            "a=/nonexistent/pchart",
            "no such file or directory",
        ),
        ("--set", "a=1,a.b=2", "interface conversion"),
    ];
    for (flag, expr, want) in cases {
        let o = s.eval("x", &[flag, expr]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{flag} {expr}: {err}");
        assert!(
            err.contains(flag) && err.contains(want),
            "{flag} {expr}: {err}"
        );
        assert!(err.contains(&format!("{expr:?}")), "{flag} {expr}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{flag} {expr}: {err}");
        assert!(o.stdout.is_empty());
    }
}
