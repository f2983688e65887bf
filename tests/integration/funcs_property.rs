//! No function can panic the process, whatever the argument types: every
//! function of Helm's function map is called with 0 to 3 arguments drawn
//! from a pool of Go types (nil, ints at the edges, floats, strings, bools,
//! lists, maps, Helm's objects). Each call must give output or an error.

use pchart::chart::Chart;
use pchart::chart::coalesce::coalesce_values;
use pchart::render::{RenderOptions, Renderer, with_big_stack};
use pchart::value::Value;

const ARGS: &[&str] = &[
    "nil",
    "0",
    "-1",
    "3",
    "9223372036854775807",
    "-9223372036854775808",
    "1.5",
    "-0.0",
    "\"\"",
    "\"x\"",
    "\"2024-01-02\"",
    "\"a,b\"",
    "true",
    ".Values.f",
    ".Values.big",
    ".Values.s",
    ".Values.list",
    ".Values.map",
    ".Values.nested",
    ".Values.missing",
    ".Files",
    ".Capabilities",
    ".Release",
    "(list 1 \"a\" nil)",
    "(dict \"k\" (list 1))",
    "(until 3)",
    "(splitList \",\" \"a,b\")",
    "(now)",
    "(semver \"1.2.3\")",
];

/// Functions that do seconds of work per call on any valid input (key
/// generation, password hashing); called with fewer combinations.
const SLOW: &[&str] = &[
    "genPrivateKey",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "bcrypt",
    "htpasswd",
    "derivePassword",
];

fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

fn chart(templates: Vec<(String, Vec<u8>)>) -> Chart {
    let mut list = vec![
        ("Chart.yaml".to_string(), b"apiVersion: v2\nname: p\nversion: 0.1.0\n".to_vec()),
        (
            "values.yaml".to_string(),
            b"f: 2.5\nbig: 1e300\ns: str\nlist: [1, x, null, {a: 1}]\nmap: {a: 1, b: [2]}\nnested: {x: {y: {z: 1}}}\n"
                .to_vec(),
        ),
        ("files/a.txt".to_string(), b"hello\n".to_vec()),
    ];
    list.extend(templates);
    Chart::from_memory(list, "p").expect("chart")
}

#[test]
fn every_function_survives_mixed_arguments() {
    let calls = with_big_stack(|| {
        let funcs = pchart::funcs::helm_funcs();
        let mut names: Vec<&str> = funcs.keys().copied().collect();
        names.sort_unstable();
        // `and`/`or` are evaluated lazily, `break`-like keywords are not functions.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut calls = 0usize;
        for name in names {
            let budget = if SLOW.contains(&name) { 6 } else { 90 };
            let mut bodies = vec![format!("{{{{ {name} }}}}")];
            for a in ARGS
                .iter()
                .take(if SLOW.contains(&name) { 4 } else { ARGS.len() })
            {
                bodies.push(format!("{{{{ {name} {a} }}}}"));
            }
            for _ in 0..budget {
                let n = 2 + (xorshift(&mut seed) % 2) as usize;
                let args: Vec<&str> = (0..n)
                    .map(|_| ARGS[(xorshift(&mut seed) % ARGS.len() as u64) as usize])
                    .collect();
                bodies.push(format!("{{{{ {name} {} }}}}", args.join(" ")));
            }
            for body in bodies {
                let c = chart(vec![("templates/t.yaml".to_string(), body.into_bytes())]);
                let values = coalesce_values(&c, &Value::empty_map()).expect("values");
                if let Ok(r) = Renderer::new(&c, &values, &RenderOptions::default(), &[]) {
                    let _ = r.render_one("p/templates/t.yaml");
                }
                calls += 1;
            }
        }
        calls
    })
    .expect("no panic in any function");
    assert!(calls > 20_000, "only {calls} calls");
}
