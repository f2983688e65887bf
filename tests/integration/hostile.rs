//! Hostile input against the real binary: every case must end within a
//! deadline, under a memory limit, with exit 0 or with exit 2 and an
//! `Error:` naming the file, never a panic (101) or a signal.
//!
//! Memory is bounded with `ulimit -v` (virtual memory). pchart reserves a
//! 4 GiB stack for deep templates and falls back to smaller stacks when
//! that is refused, so the limit below also checks that fallback.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Virtual memory limit in KiB for every run.
const ULIMIT_KB: u64 = 3_000_000;
/// Per-case deadline (debug build, shared 2-core machine).
const DEADLINE: Duration = Duration::from_secs(60);

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_pchart")
}

/// Run pchart with `args` in `dir`, optional stdin, under the limits.
fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Out {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {ULIMIT_KB}; exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    if let Some(data) = stdin {
        let mut w = child.stdin.take().unwrap();
        let data = data.to_vec();
        std::thread::spawn(move || {
            let _ = w.write_all(&data);
        });
    }
    // Drain the pipes on threads so a big output cannot block the child.
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let to = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut so, &mut v);
        v
    });
    let te = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut se, &mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pchart {args:?} did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&to.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&te.join().unwrap()).into_owned();
    let code = match status.code() {
        Some(c) => c,
        None => panic!(
            "pchart {args:?} was killed by a signal ({status:?}); stderr: {}",
            head(&stderr)
        ),
    };
    assert_ne!(code, 101, "pchart {args:?} panicked: {}", head(&stderr));
    assert!(
        !stderr.contains("panicked at"),
        "pchart {args:?} panicked: {}",
        head(&stderr)
    );
    Out {
        code,
        stdout,
        stderr,
    }
}

fn head(s: &str) -> String {
    s.chars().take(600).collect()
}

/// Exit 2 with an `Error:` containing every `needles`.
/// Execution errors keep Helm v4's multi-line trace, whose first line
/// names the file and position; every other error is one line.
fn assert_error(o: &Out, needles: &[&str]) {
    assert_eq!(o.code, 2, "want exit 2, stderr: {}", head(&o.stderr));
    let first = o.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("Error: "), "stderr: {}", head(&o.stderr));
    for n in needles {
        assert!(
            o.stderr.contains(n),
            "error lacks {n:?}: {}",
            head(&o.stderr)
        );
    }
    let trace = o.stderr.lines().nth(1).is_some_and(|l| l.starts_with("  "));
    assert!(
        o.stderr.lines().count() == 1 || trace,
        "error is not one line: {}",
        head(&o.stderr)
    );
}

/// Exit 0, or a clean exit-2 error mentioning `needle`.
fn assert_ok_or_error(o: &Out, needle: &str) {
    if o.code != 0 {
        assert_error(o, &[needle]);
    }
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// A minimal chart `c` in `root`, with the given templates.
fn chart(root: &Path, templates: &[(&str, &[u8])]) -> PathBuf {
    let c = root.join("c");
    std::fs::create_dir_all(c.join("templates")).unwrap();
    std::fs::write(
        c.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(c.join("values.yaml"), "a: 1\n").unwrap();
    for (name, text) in templates {
        std::fs::write(c.join("templates").join(name), text).unwrap();
    }
    c
}

fn render(dir: &Path, extra: &[&str]) -> Out {
    let mut args = vec!["render", "c"];
    args.extend_from_slice(extra);
    run_in(dir, &args, None)
}

/// Deterministic pseudo-random bytes (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "{{",
    "}}",
    "{{-",
    "-}}",
    "(",
    ")",
    "|",
    ".",
    ".Values",
    ".Values.a",
    "$",
    "$x",
    ":=",
    "=",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "include",
    "tpl",
    "\"a\"",
    "`raw`",
    "1",
    "1e9",
    "0x",
    "'c'",
    "nil",
    "true",
    " ",
    "\n",
    "toYaml",
    "fromYaml",
    "printf",
    "\"%s\"",
    "until",
    "repeat",
    "break",
    "continue",
    "/*",
    "*/",
    "\"\\",
    "a:",
    "- ",
    "&a",
    "*a",
    "{",
    "}",
    "[",
    "]",
    "\t",
    "---",
];

fn soup(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..n {
        match rng.below(10) {
            0 => out.push(rng.next() as u8),
            _ => out.extend_from_slice(TOKENS[rng.below(TOKENS.len())].as_bytes()),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Truncated and random templates, values files and Chart.yaml
// ---------------------------------------------------------------------------

#[test]
fn truncated_templates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read(root.join("charts/perses/templates/deployment.yaml")).unwrap();
    let helpers = std::fs::read(root.join("charts/perses/templates/_helpers.tpl")).unwrap();
    for i in 1..8 {
        let cut = text.len() * i / 8;
        let d = tmp();
        chart(
            d.path(),
            &[("_helpers.tpl", &helpers), ("x.yaml", &text[..cut])],
        );
        let o = render(d.path(), &[]);
        assert_ok_or_error(&o, "c/templates/");
    }
}

#[test]
fn random_templates() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for _ in 0..12 {
        let d = tmp();
        let t = soup(&mut rng, 200);
        chart(d.path(), &[("x.yaml", &t)]);
        let o = render(d.path(), &[]);
        assert_ok_or_error(&o, "c");
    }
}

#[test]
fn truncated_and_random_values_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read(root.join("examples/oci-production.yaml")).unwrap();
    let mut rng = Rng(0x5eed_0000_0000_0002);
    for i in 0..12 {
        let d = tmp();
        chart(d.path(), &[("x.yaml", b"{{ toYaml .Values }}\n")]);
        let v = if i < 6 {
            text[..text.len() * (i + 1) / 7].to_vec()
        } else {
            soup(&mut rng, 100)
        };
        std::fs::write(d.path().join("v.yaml"), &v).unwrap();
        let o = render(d.path(), &["-f", "v.yaml"]);
        assert_ok_or_error(&o, "v.yaml");
    }
}

#[test]
fn truncated_and_random_chart_yaml() {
    let full = b"apiVersion: v2\nname: c\nversion: 0.1.0\ndescription: \"a chart\"\nkubeVersion: \">=1.20\"\n";
    let mut rng = Rng(0x5eed_0000_0000_0003);
    for i in 0..10 {
        let d = tmp();
        let c = chart(d.path(), &[("x.yaml", b"x: 1\n")]);
        let v = if i < 5 {
            full[..full.len() * i / 5].to_vec()
        } else {
            soup(&mut rng, 60)
        };
        std::fs::write(c.join("Chart.yaml"), &v).unwrap();
        let o = render(d.path(), &[]);
        assert_ok_or_error(&o, "c");
        if o.code == 2 {
            assert!(o.stderr.contains("Chart.yaml"), "{}", head(&o.stderr));
        }
    }
}

// ---------------------------------------------------------------------------
// YAML bombs and nesting
// ---------------------------------------------------------------------------

fn billion_laughs() -> String {
    let mut s = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        s.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    s
}

#[test]
fn alias_bomb_values_file() {
    let d = tmp();
    chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    std::fs::write(d.path().join("bomb.yaml"), billion_laughs()).unwrap();
    let o = render(d.path(), &["-f", "bomb.yaml"]);
    assert_error(&o, &["bomb.yaml", "alias"]);
}

#[test]
fn alias_bomb_chart_values_and_from_yaml() {
    let d = tmp();
    let c = chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    std::fs::write(c.join("values.yaml"), billion_laughs()).unwrap();
    let o = render(d.path(), &[]);
    assert_error(&o, &["values.yaml", "alias"]);

    let d = tmp();
    let c = chart(
        d.path(),
        &[(
            "x.yaml",
            b"{{ $v := .Files.Get \"bomb.yaml\" | fromYaml }}n: {{ len $v }}\n",
        )],
    );
    std::fs::write(c.join("bomb.yaml"), billion_laughs()).unwrap();
    let o = render(d.path(), &[]);
    // fromYaml reports errors inside the value, as Helm does: no crash, bounded.
    assert_eq!(o.code, 0, "{}", head(&o.stderr));
    assert!(o.stdout.contains("n: 1"), "{}", o.stdout);
}

#[test]
fn alias_limit_flag() {
    // 9 * 9 = 81 expanded nodes: fine by default, refused under 50.
    let d = tmp();
    chart(d.path(), &[("x.yaml", b"n: {{ len .Values.b }}\n")]);
    let v = "a: &a [1,2,3,4,5,6,7,8,9]\nb: [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n";
    std::fs::write(d.path().join("v.yaml"), v).unwrap();
    let o = render(d.path(), &["-f", "v.yaml"]);
    assert_eq!(o.code, 0, "{}", head(&o.stderr));
    let o = render(d.path(), &["-f", "v.yaml", "--max-alias-nodes", "50"]);
    assert_error(&o, &["v.yaml", "--max-alias-nodes"]);
}

#[test]
fn deeply_nested_yaml() {
    let d = tmp();
    chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    let flow = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(d.path().join("flow.yaml"), flow).unwrap();
    let o = render(d.path(), &["-f", "flow.yaml"]);
    assert_error(&o, &["flow.yaml", "depth"]);
    let mut block = String::new();
    for i in 0..5_000 {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    std::fs::write(d.path().join("block.yaml"), block).unwrap();
    let o = render(d.path(), &["-f", "block.yaml"]);
    assert_error(&o, &["block.yaml", "depth"]);
    let o = render(
        d.path(),
        &[
            "--set-json",
            &format!("a={}{}", "[".repeat(50_000), "]".repeat(50_000)),
        ],
    );
    assert_error(&o, &["--set-json"]);
}

#[test]
fn deeply_nested_templates() {
    // Go has no limit on nested actions: 50000 nested ifs render.
    let d = tmp();
    let t = format!("{}x{}", "{{if 1}}".repeat(50_000), "{{end}}".repeat(50_000));
    chart(d.path(), &[("x.yaml", t.as_bytes())]);
    let o = render(d.path(), &[]);
    assert_ok_or_error(&o, "c/templates/x.yaml");
    // Go's parser caps parenthesized pipelines at 10000.
    let d = tmp();
    let t = format!("{{{{ {}1{} }}}}", "(".repeat(10_001), ")".repeat(10_001));
    chart(d.path(), &[("x.yaml", t.as_bytes())]);
    let o = render(d.path(), &[]);
    assert_error(&o, &["c/templates/x.yaml", "max expression depth exceeded"]);
    // Go's 100000 nested template calls.
    let d = tmp();
    chart(
        d.path(),
        &[(
            "x.yaml",
            b"{{ define \"a\" }}{{ template \"a\" . }}{{ end }}{{ template \"a\" . }}",
        )],
    );
    let o = render(d.path(), &[]);
    assert_error(&o, &["c/templates/x.yaml"]);
    assert!(
        o.stderr.contains("exceeded maximum template depth")
            || o.stderr.contains("nested too deeply")
    );
}

// ---------------------------------------------------------------------------
// Input size
// ---------------------------------------------------------------------------

#[test]
fn fifty_megabyte_values_file_is_refused() {
    let d = tmp();
    chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    let line = "key: \"some value that repeats over and over to fill the file\"\n";
    let mut f = std::fs::File::create(d.path().join("big.yaml")).unwrap();
    let mut written = 0;
    let mut i = 0;
    while written < 50 << 20 {
        let l = format!("k{i}{line}");
        f.write_all(l.as_bytes()).unwrap();
        written += l.len();
        i += 1;
    }
    drop(f);
    let start = Instant::now();
    let o = render(d.path(), &["-f", "big.yaml"]);
    assert_error(&o, &["big.yaml", "--max-input-size"]);
    assert!(start.elapsed() < Duration::from_secs(10));
    // The same through standard input and --set-file.
    let big = std::fs::read(d.path().join("big.yaml")).unwrap();
    let o = run_in(d.path(), &["render", "c", "-f", "-"], Some(&big));
    assert_error(&o, &["<stdin>", "--max-input-size"]);
    let o = render(d.path(), &["--set-file", "x=big.yaml"]);
    assert_error(&o, &["big.yaml", "--max-input-size"]);
}

#[test]
fn input_size_flag() {
    let d = tmp();
    chart(d.path(), &[("x.yaml", b"a: {{ .Values.a }}\n")]);
    std::fs::write(
        d.path().join("v.yaml"),
        format!("a: {}\n", "x".repeat(3000)),
    )
    .unwrap();
    let o = render(d.path(), &["-f", "v.yaml", "--max-input-size", "2K"]);
    assert_error(&o, &["v.yaml", "2048"]);
    let o = render(d.path(), &["-f", "v.yaml", "--max-input-size", "4K"]);
    assert_eq!(o.code, 0, "{}", head(&o.stderr));
    let o = render(d.path(), &["--max-input-size", "lots"]);
    assert_eq!(o.code, 2, "{}", head(&o.stderr));
}

// ---------------------------------------------------------------------------
// Execution limits
// ---------------------------------------------------------------------------

#[test]
fn recursive_include_and_tpl() {
    let d = tmp();
    chart(
        d.path(),
        &[(
            "x.yaml",
            b"{{ define \"a\" }}{{ include \"a\" . }}{{ end }}{{ include \"a\" . }}",
        )],
    );
    let o = render(d.path(), &[]);
    assert_error(&o, &["c/templates/x.yaml", "nested reference name: a"]);

    let d = tmp();
    let c = chart(d.path(), &[("x.yaml", b"{{ tpl .Values.x . }}")]);
    std::fs::write(c.join("values.yaml"), "x: '{{ tpl .Values.x . }}'\n").unwrap();
    let o = render(d.path(), &[]);
    assert_error(&o, &["c/templates/x.yaml", "nested more than"]);

    // tpl shares include's recursion guard, as in Helm.
    let d = tmp();
    let c = chart(
        d.path(),
        &[(
            "x.yaml",
            b"{{ define \"a\" }}{{ tpl .Values.x . }}{{ end }}{{ include \"a\" . }}",
        )],
    );
    std::fs::write(c.join("values.yaml"), "x: '{{ include \"a\" . }}'\n").unwrap();
    let o = render(d.path(), &[]);
    assert_error(&o, &["c/templates/x.yaml"]);

    // A cycle through many names.
    let mut t = String::new();
    for i in 0..2000 {
        t.push_str(&format!(
            "{{{{ define \"a{i}\" }}}}{{{{ include \"a{}\" . }}}}{{{{ end }}}}\n",
            (i + 1) % 2000
        ));
    }
    t.push_str("{{ include \"a0\" . }}");
    let d = tmp();
    chart(d.path(), &[("x.yaml", t.as_bytes())]);
    let o = render(d.path(), &[]);
    assert_error(&o, &["c/templates/x.yaml"]);
}

#[test]
fn huge_loops_and_strings() {
    let cases: &[(&[u8], &str)] = &[
        (b"{{ range 1000000000 }}{{ end }}", "--max-steps"),
        (b"{{ range 1000000000 }}x{{ end }}", "--max-"),
        (
            b"{{ range $i := until 3 }}{{ range until 3 }}{{ range until 3 }}{{ range until 1000000 }}{{ len (list 1 2) }}{{ end }}{{ end }}{{ end }}{{ end }}",
            "--max-",
        ),
        (b"{{ until 1000000000 }}", "sequence longer than"),
        (b"{{ untilStep 0 1000000000 1 }}", "sequence longer than"),
        (b"{{ repeat 1000000000 \"x\" }}", "limit"),
        (b"{{ \"x\" | repeat 100000 | repeat 100000 }}", "limit"),
        (
            b"{{ range 100000 }}{{ \"x\" | repeat 10000 }}{{ end }}",
            "--max-output",
        ),
    ];
    for (t, needle) in cases {
        let d = tmp();
        chart(d.path(), &[("x.yaml", t)]);
        let o = render(d.path(), &[]);
        assert_error(&o, &["c/templates/x.yaml"]);
        assert!(
            o.stderr.contains(needle),
            "{}: {}",
            String::from_utf8_lossy(t),
            head(&o.stderr)
        );
    }
}

#[test]
fn limit_flags_are_wired() {
    let d = tmp();
    chart(d.path(), &[("x.yaml", b"x: {{ range 5000 }}x{{ end }}")]);
    assert_eq!(render(d.path(), &[]).code, 0);
    let o = render(d.path(), &["--max-steps", "1000"]);
    assert_error(&o, &["c/templates/x.yaml", "--max-steps"]);
    let o = render(d.path(), &["--max-output", "1K"]);
    assert_error(&o, &["c/templates/x.yaml", "--max-output"]);
    let o = run_in(
        d.path(),
        &[
            "eval",
            "c",
            "-e",
            "{{ range 5000 }}x{{ end }}",
            "--max-steps",
            "10",
        ],
        None,
    );
    assert_error(&o, &["_pchart_eval.tpl", "--max-steps"]);
    let o = run_in(d.path(), &["lint", "c", "--max-steps", "10"], None);
    assert!(o.code == 1 || o.code == 2, "{}", head(&o.stderr));
    assert!(o.stdout.contains("--max-steps") || o.stderr.contains("--max-steps"));
}

// ---------------------------------------------------------------------------
// Reading outside the chart
// ---------------------------------------------------------------------------

#[test]
fn files_get_cannot_escape() {
    let d = tmp();
    std::fs::write(d.path().join("secret.txt"), "TOP SECRET").unwrap();
    chart(
        d.path(),
        &[(
            "x.yaml",
            b"a: {{ .Files.Get \"../secret.txt\" | quote }}\nb: {{ .Files.Get \"/etc/passwd\" | quote }}\nc: {{ .Files.Get \"../../../../../etc/passwd\" | quote }}\nd: {{ range $p, $_ := .Files.Glob \"../**\" }}{{ $p }}{{ end }}\n",
        )],
    );
    let o = render(d.path(), &[]);
    assert_eq!(o.code, 0, "{}", head(&o.stderr));
    assert!(
        o.stdout.contains("a: \"\"\nb: \"\"\nc: \"\"\nd:\n"),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("SECRET") && !o.stdout.contains("root:"));
}

#[test]
fn symlinks_out_of_the_chart() {
    let d = tmp();
    std::fs::write(d.path().join("secret.txt"), "TOP SECRET").unwrap();
    let c = chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    std::os::unix::fs::symlink(d.path().join("secret.txt"), c.join("leak.txt")).unwrap();
    let o = render(d.path(), &[]);
    assert_error(&o, &["leak.txt", "outside the chart"]);

    let d = tmp();
    let c = chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    std::os::unix::fs::symlink("/etc", c.join("etc")).unwrap();
    let o = render(d.path(), &[]);
    assert_error(&o, &["etc", "outside the chart"]);

    // A dangling link inside the chart.
    let d = tmp();
    let c = chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    std::os::unix::fs::symlink(c.join("nowhere"), c.join("templates/y.yaml")).unwrap();
    let o = render(d.path(), &[]);
    assert_error(&o, &["y.yaml"]);

    // A link loop inside the chart.
    let d = tmp();
    let c = chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    std::os::unix::fs::symlink(&c, c.join("loop")).unwrap();
    let o = render(d.path(), &[]);
    assert_error(&o, &["loop"]);
}

// ---------------------------------------------------------------------------
// Archives
// ---------------------------------------------------------------------------

/// A .tgz from raw entries (name, data, entry type); names are written
/// into the header as is, so `../` and absolute names survive.
fn tgz(path: &Path, entries: &[(&str, &[u8], tar::EntryType)]) {
    let f = std::fs::File::create(path).unwrap();
    let gz = flate2::write::GzEncoder::new(f, flate2::Compression::best());
    let mut b = tar::Builder::new(gz);
    for (name, data, kind) in entries {
        let mut h = tar::Header::new_gnu();
        let raw = name.as_bytes();
        h.as_old_mut().name[..raw.len()].copy_from_slice(raw);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(*kind);
        if kind.is_symlink() {
            h.set_link_name("/etc/passwd").unwrap();
        }
        h.set_cksum();
        b.append(&h, *data).unwrap();
    }
    b.into_inner().unwrap().finish().unwrap();
}

const CHART_YAML: &[u8] = b"apiVersion: v2\nname: c\nversion: 0.1.0\n";
const REG: tar::EntryType = tar::EntryType::Regular;

#[test]
fn archive_path_traversal() {
    let cases: &[(&str, &str)] = &[
        ("c/../../evil.yaml", "parent directory"),
        ("c/templates/../../../x", "parent directory"),
        ("c//etc/evil", "absolute"),
    ];
    for (name, needle) in cases {
        let d = tmp();
        let p = d.path().join("c.tgz");
        tgz(
            &p,
            &[("c/Chart.yaml", CHART_YAML, REG), (name, b"x: 1\n", REG)],
        );
        let o = run_in(d.path(), &["render", "c.tgz"], None);
        assert_error(&o, &["c.tgz", needle]);
    }
    // Like Helm, the first component is the chart's directory whatever it
    // is: `/etc/evil` is the chart file `etc/evil`, read into memory only.
    let d = tmp();
    let p = d.path().join("c.tgz");
    tgz(
        &p,
        &[
            ("c/Chart.yaml", CHART_YAML, REG),
            ("/etc/evil", b"EVIL", REG),
            (
                "c/templates/x.yaml",
                b"x: {{ .Files.Get \"etc/evil\" }}\n",
                REG,
            ),
        ],
    );
    let o = run_in(d.path(), &["render", "c.tgz"], None);
    assert_eq!(o.code, 0, "{}", head(&o.stderr));
    assert!(o.stdout.contains("x: EVIL"), "{}", o.stdout);
    assert!(!d.path().join("etc").exists());

    let d = tmp();
    let p = d.path().join("c.tgz");
    tgz(
        &p,
        &[
            ("c/Chart.yaml", CHART_YAML, REG),
            ("c/templates/x.yaml", b"", tar::EntryType::Symlink),
        ],
    );
    let o = run_in(d.path(), &["render", "c.tgz"], None);
    assert_error(&o, &["c.tgz", "links"]);
}

#[test]
fn archive_decompression_bombs() {
    // One 200 MB file of zeros (about 200 KB compressed).
    let d = tmp();
    let p = d.path().join("c.tgz");
    let zeros = vec![0u8; 200 << 20];
    tgz(
        &p,
        &[
            ("c/Chart.yaml", CHART_YAML, REG),
            ("c/big.bin", &zeros, REG),
        ],
    );
    drop(zeros);
    let start = Instant::now();
    let o = run_in(d.path(), &["render", "c.tgz"], None);
    assert_error(&o, &["c.tgz", "larger than the maximum"]);
    assert!(start.elapsed() < Duration::from_secs(30));
    // Many files each under the file limit, over the chart limit.
    let d = tmp();
    let p = d.path().join("c.tgz");
    let four = vec![b'a'; 4 << 20];
    let names: Vec<String> = (0..30).map(|i| format!("c/f{i}.txt")).collect();
    let mut entries: Vec<(&str, &[u8], tar::EntryType)> = vec![("c/Chart.yaml", CHART_YAML, REG)];
    for n in &names {
        entries.push((n, &four, REG));
    }
    tgz(&p, &entries);
    let o = run_in(d.path(), &["render", "c.tgz"], None);
    assert_error(&o, &["c.tgz", "larger than the maximum"]);
    // Not an archive at all, and a truncated one.
    let d = tmp();
    std::fs::write(d.path().join("c.tgz"), b"not a tarball").unwrap();
    let o = run_in(d.path(), &["render", "c.tgz"], None);
    assert_error(&o, &["c.tgz"]);
    let p = d.path().join("t.tgz");
    tgz(
        &p,
        &[
            ("c/Chart.yaml", CHART_YAML, REG),
            ("c/templates/x.yaml", &[b'x'; 5000], REG),
        ],
    );
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    let o = run_in(d.path(), &["render", "t.tgz"], None);
    assert_error(&o, &["t.tgz"]);
}

// ---------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------

#[test]
fn non_utf8_files() {
    let bad: &[u8] = b"a: \xff\xfe\x00 latin1 caf\xe9\n";
    let d = tmp();
    chart(d.path(), &[("x.yaml", bad)]);
    let o = render(d.path(), &[]);
    assert_error(&o, &["x.yaml", "UTF-8"]);

    let d = tmp();
    chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    std::fs::write(d.path().join("v.yaml"), bad).unwrap();
    let o = render(d.path(), &["-f", "v.yaml"]);
    assert_error(&o, &["v.yaml", "UTF-8"]);

    let d = tmp();
    let c = chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    std::fs::write(c.join("values.yaml"), bad).unwrap();
    let o = render(d.path(), &[]);
    assert_error(&o, &["values.yaml", "UTF-8"]);

    let d = tmp();
    let c = chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    std::fs::write(
        c.join("Chart.yaml"),
        b"apiVersion: v2\nname: c\xff\nversion: 0.1.0\n",
    )
    .unwrap();
    let o = render(d.path(), &[]);
    assert_error(&o, &["Chart.yaml", "UTF-8"]);

    // Non-UTF-8 data files are fine: .Files gives bytes.
    let d = tmp();
    let c = chart(
        d.path(),
        &[("x.yaml", b"n: {{ len (.Files.GetBytes \"b.bin\") }}\n")],
    );
    std::fs::write(c.join("b.bin"), bad).unwrap();
    let o = render(d.path(), &[]);
    assert_eq!(o.code, 0, "{}", head(&o.stderr));
}

// ---------------------------------------------------------------------------
// Every path argument: missing, a directory, a FIFO, a dangling symlink
// ---------------------------------------------------------------------------

fn mkfifo(p: &Path) {
    let st = Command::new("mkfifo").arg(p).status().expect("mkfifo");
    assert!(st.success());
}

/// Paths of each bad kind in `dir`: (label, path relative to dir).
fn bad_paths(dir: &Path) -> Vec<(&'static str, &'static str)> {
    std::fs::create_dir_all(dir.join("adir")).unwrap();
    mkfifo(&dir.join("fifo"));
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling")).unwrap();
    vec![
        ("missing", "missing.yaml"),
        ("directory", "adir"),
        ("fifo", "fifo"),
        ("dangling", "dangling"),
    ]
}

#[test]
fn bad_chart_argument() {
    let d = tmp();
    for (label, p) in bad_paths(d.path()) {
        for cmd in ["render", "lint"] {
            let o = run_in(d.path(), &[cmd, p], None);
            match label {
                // An empty directory is a chart without Chart.yaml.
                "directory" => assert_error(&o, &[p, "Chart.yaml"]),
                _ => assert_error(&o, &[p]),
            }
        }
        let o = run_in(d.path(), &["eval", p, "-e", "x"], None);
        assert_ok_or_error(&o, p);
        assert_eq!(o.code, 2);
    }
    // A regular file that is not an archive.
    std::fs::write(d.path().join("plain.txt"), "hello").unwrap();
    let o = run_in(d.path(), &["render", "plain.txt"], None);
    assert_error(&o, &["plain.txt"]);
}

#[test]
fn bad_values_file_argument() {
    let d = tmp();
    chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    for (label, p) in bad_paths(d.path()) {
        let o = render(d.path(), &["-f", p]);
        if label == "fifo" {
            // A FIFO nobody writes to reads as empty: no hang.
            assert_eq!(o.code, 0, "{}", head(&o.stderr));
        } else {
            assert_error(&o, &[p]);
        }
        let o = render(d.path(), &["--set-file", &format!("k={p}")]);
        if label == "fifo" {
            assert_eq!(o.code, 0, "{}", head(&o.stderr));
        } else {
            assert_error(&o, &["--set-file", p]);
        }
        let o = run_in(d.path(), &["lint", "c", "-f", p], None);
        if label != "fifo" {
            assert_error(&o, &[p]);
        }
    }
    // -f <(...) style: a FIFO with a writer.
    let fifo = d.path().join("fifo2");
    mkfifo(&fifo);
    let f2 = fifo.clone();
    let w = std::thread::spawn(move || std::fs::write(f2, "x: from-fifo\n"));
    std::thread::sleep(Duration::from_millis(200));
    let o = run_in(
        d.path(),
        &["eval", "c", "-e", "{{ .Values.x }}", "-f", "fifo2"],
        None,
    );
    let _ = w.join();
    assert_eq!(o.code, 0, "{}", head(&o.stderr));
    assert_eq!(o.stdout, "from-fifo");
}

#[test]
fn bad_config_argument() {
    let d = tmp();
    chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    for (_, p) in bad_paths(d.path()) {
        let o = run_in(d.path(), &["lint", "c", "--config", p], None);
        assert_error(&o, &[p]);
    }
}

#[test]
fn bad_output_dir_argument() {
    let d = tmp();
    chart(d.path(), &[("x.yaml", b"x: 1\n")]);
    std::fs::write(d.path().join("afile"), "x").unwrap();
    let o = render(d.path(), &["--output-dir", "afile"]);
    assert_error(&o, &["afile"]);
    let o = render(d.path(), &["--output-dir", "afile/sub"]);
    assert_error(&o, &["afile"]);
    mkfifo(&d.path().join("fifo"));
    let o = render(d.path(), &["--output-dir", "fifo"]);
    assert_error(&o, &["fifo"]);
    // The output file's place taken by a directory.
    std::fs::create_dir_all(d.path().join("out/c/templates/x.yaml")).unwrap();
    let o = render(d.path(), &["--output-dir", "out"]);
    assert_error(&o, &["x.yaml"]);
}
