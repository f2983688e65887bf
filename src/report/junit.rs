//! `--format junit`: one test case per rule that ran; a rule with error
//! findings fails, listing them. GitLab and most CI systems read it.

use crate::lint::rules::ALL;
use crate::lint::{Finding, Severity};

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

pub fn render(findings: &[Finding]) -> String {
    let mut cases = String::new();
    let mut failures = 0;
    let mut codes: Vec<&str> = ALL.iter().map(|r| r.info.code).collect();
    for f in findings {
        if !codes.contains(&f.rule) {
            codes.push(f.rule);
        }
    }
    for code in &codes {
        let mine: Vec<&Finding> = findings.iter().filter(|f| f.rule == *code).collect();
        let name = ALL
            .iter()
            .find(|r| r.info.code == *code)
            .map_or(*code, |r| r.info.name);
        cases.push_str(&format!(
            "    <testcase classname=\"pchart.lint\" name=\"{code} {}\">\n",
            xml(name)
        ));
        let errors: Vec<&&Finding> = mine
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        if !errors.is_empty() {
            failures += 1;
            let body: Vec<String> = errors
                .iter()
                .map(|f| format!("{}:{}:{}: {}", f.file, f.line, f.column, f.message))
                .collect();
            cases.push_str(&format!(
                "      <failure message=\"{}\" type=\"{code}\">{}</failure>\n",
                xml(&errors[0].message),
                xml(&body.join("\n"))
            ));
        }
        let others: Vec<String> = mine
            .iter()
            .filter(|f| f.severity != Severity::Error)
            .map(|f| {
                format!(
                    "{}: {}:{}:{}: {}",
                    f.severity.as_str(),
                    f.file,
                    f.line,
                    f.column,
                    f.message
                )
            })
            .collect();
        if !others.is_empty() {
            cases.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                xml(&others.join("\n"))
            ));
        }
        cases.push_str("    </testcase>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pchart\" tests=\"{n}\" failures=\"{failures}\">\n  <testsuite name=\"pchart lint\" tests=\"{n}\" failures=\"{failures}\">\n{cases}  </testsuite>\n</testsuites>\n",
        n = codes.len()
    )
}

/// A test case of [`render_cases`]: a golden case or a `pchart diff` run.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// `(message, body)` when the case failed.
    pub failure: Option<(String, String)>,
}

/// JUnit XML with one test case per `cases` item (`pchart test`,
/// `pchart diff`), unlike [`render`]'s one per lint rule: there the unit is
/// a rule, here it is a golden case, passing ones included.
pub fn render_cases(suite: &str, classname: &str, cases: &[Case]) -> String {
    let mut body = String::new();
    let mut failures = 0;
    for c in cases {
        body.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\">\n",
            xml(classname),
            xml(&c.name)
        ));
        if let Some((message, text)) = &c.failure {
            failures += 1;
            body.push_str(&format!(
                "      <failure message=\"{}\" type=\"golden\">{}</failure>\n",
                xml(message),
                xml(text)
            ));
        }
        body.push_str("    </testcase>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pchart\" tests=\"{n}\" failures=\"{failures}\">\n  <testsuite name=\"{s}\" tests=\"{n}\" failures=\"{failures}\">\n{body}  </testsuite>\n</testsuites>\n",
        n = cases.len(),
        s = xml(suite)
    )
}
