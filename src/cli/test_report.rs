//! The report of `pchart test`: a line per case and the differences for
//! people, JUnit XML, or the golden findings (`GOLD00x`) in lint's machine
//! formats.

use super::cases::Case;
use super::diff::NoSources;
use super::test::Outcome;
use pchart::golden::{self, semantic, text};
use pchart::lint::Finding;
use pchart::report::{self, Format, junit};
use pchart::style::{self, paint};

/// How many cases passed, failed, or had their golden file written.
pub(super) struct Tally {
    pub(super) passed: usize,
    pub(super) failed: usize,
    pub(super) created: usize,
    pub(super) updated: usize,
}

impl Tally {
    pub(super) fn of(results: &[(&Case, Outcome)]) -> Tally {
        let count = |f: &dyn Fn(&Outcome) -> bool| results.iter().filter(|(_, o)| f(o)).count();
        let passed = count(&|o| matches!(o, Outcome::Pass));
        let created = count(&|o| matches!(o, Outcome::Written { created: true }));
        let updated = count(&|o| matches!(o, Outcome::Written { created: false }));
        Tally {
            passed,
            failed: results.len() - passed - created - updated,
            created,
            updated,
        }
    }

    /// `3 passed, 1 failed, 1 created`
    fn line(&self) -> String {
        let mut s = format!("{} passed, {} failed", self.passed, self.failed);
        if self.created > 0 {
            s.push_str(&format!(", {} created", self.created));
        }
        if self.updated > 0 {
            s.push_str(&format!(", {} updated", self.updated));
        }
        s
    }
}

/// The report in `format` (`color`: paint the human one).
pub(super) fn report(
    results: &[(&Case, Outcome)],
    tally: &Tally,
    format: Format,
    color: bool,
) -> Result<String, String> {
    Ok(match format {
        Format::Human => human(results, tally, color),
        Format::Junit => junit::render_cases("pchart test", "pchart.test", &junit_cases(results)),
        f => {
            let mut findings = findings(results);
            super::lint::for_tools(f, &mut findings)?;
            report::render(f, &findings, &NoSources, false)
        }
    })
}

fn missing_message(g: &str) -> String {
    format!("{g} does not exist (create it with `pchart test --update`)")
}

/// A line per case, then the differences and render errors of the failing
/// ones, then the tally.
fn human(results: &[(&Case, Outcome)], tally: &Tally, color: bool) -> String {
    let mut out = String::new();
    let mut details = String::new();
    let failed = paint(color, style::BOLD_RED, "FAILED");
    let case = paint(color, style::BOLD, "case");
    for (c, o) in results {
        let g = c.golden.display().to_string();
        let line = match o {
            Outcome::Pass => format!("{} {}", paint(color, style::GREEN, "ok    "), c.name),
            Outcome::Written { created } => {
                let verb = if *created { "created" } else { "updated" };
                let verb = paint(color, style::YELLOW, &format!("{verb:<6}"));
                format!("{verb} {} ({g})", c.name)
            }
            Outcome::Differs {
                golden,
                rendered,
                changes,
            } => {
                let d = match changes {
                    Some(ch) => semantic::render_human(ch, color),
                    None => text::unified(golden, rendered, &g, "rendered", color),
                };
                details.push_str(&format!("{case} {}:\n{d}\n", c.name));
                format!("{failed} {} ({g} differs)", c.name)
            }
            Outcome::Missing { .. } => format!("{failed} {} ({g} missing)", c.name),
            Outcome::RenderFailed(e) => {
                details.push_str(&format!("{case} {}:\nError: {e}\n\n", c.name));
                format!("{failed} {} (render failed)", c.name)
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    if !details.is_empty() {
        out.push('\n');
        out.push_str(&details);
    }
    out.push_str(&tally.line());
    out.push('\n');
    out
}

/// One JUnit test case per golden case; failures carry a message and the
/// plain diff or error.
fn junit_cases(results: &[(&Case, Outcome)]) -> Vec<junit::Case> {
    let mut out = Vec::new();
    for (c, o) in results {
        let g = c.golden.display().to_string();
        let failure = match o {
            Outcome::Pass | Outcome::Written { .. } => None,
            Outcome::Differs {
                golden, rendered, ..
            } => Some(golden::junit_failure(&g, golden, rendered)),
            Outcome::Missing { .. } => Some((missing_message(&g), missing_message(&g))),
            Outcome::RenderFailed(e) => Some((format!("render failed: {e}"), e.clone())),
        };
        out.push(junit::Case {
            name: c.name.clone(),
            failure,
        });
    }
    out
}

/// The golden findings of the failing cases, for lint's machine formats.
fn findings(results: &[(&Case, Outcome)]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (c, o) in results {
        let g = c.golden.display().to_string();
        match o {
            Outcome::Pass | Outcome::Written { .. } => {}
            Outcome::Differs {
                changes: Some(ch), ..
            } => out.extend(golden::semantic_findings(&g, ch)),
            Outcome::Differs {
                golden,
                rendered,
                changes: None,
            } => out.extend(golden::text_findings(&g, golden, rendered)),
            Outcome::Missing { .. } => out.push(golden::finding(
                golden::MISSING,
                &g,
                0,
                format!("case {}: {}", c.name, missing_message(&g)),
            )),
            Outcome::RenderFailed(e) => out.push(golden::finding(
                golden::RENDER_FAILED,
                &g,
                0,
                format!("case {}: render failed: {e}", c.name),
            )),
        }
    }
    out
}
