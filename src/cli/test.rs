//! `pchart test`: every golden case of the repository ([`super::cases`]),
//! rendered and compared with its expected manifests; `--update` rewrites
//! the failing ones (atomically), except in CI. The report is built by
//! [`super::test_report`].
use clap::Args;

use super::cases::{Case, all_cases};
use super::config::ConfigArg;
use super::diff::{read_golden, render_spec};
use super::output::{FormatArg, eprint_line, use_color, write_stdout};
use super::test_report::{Tally, report};
use pchart::atomic::write_atomic;
use pchart::golden::semantic;
use pchart::report::Format;

#[derive(Args, Debug)]
pub struct TestArgs {
    /// Only run these cases (by name); all of them by default.
    pub cases: Vec<String>,
    /// Rewrite the golden files of failing cases with the new render
    /// (atomically). Never writes when the CI environment variable is set.
    #[arg(long)]
    pub update: bool,
    /// Compare objects by kind/namespace/name and report changed fields,
    /// ignoring key order, quoting and formatting (as `pchart diff
    /// --semantic`).
    #[arg(long)]
    pub semantic: bool,
    #[command(flatten)]
    pub output: FormatArg,
    #[command(flatten)]
    pub config: ConfigArg,
}

/// Whether the CI environment variable is set (to anything but "", "0" or
/// "false").
pub(super) fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

pub(super) enum Outcome {
    Pass,
    /// `changes`: with `--semantic`, the changed fields (never empty).
    Differs {
        golden: String,
        rendered: String,
        changes: Option<Vec<semantic::Change>>,
    },
    Missing {
        rendered: String,
    },
    RenderFailed(String),
    /// `--update` wrote the golden file: `created` when it did not exist.
    Written {
        created: bool,
    },
}

pub fn run(a: TestArgs) -> Result<u8, String> {
    let mut cases = all_cases(&a.config.load()?)?;
    if !a.cases.is_empty() {
        for n in &a.cases {
            if !cases.iter().any(|c| &c.name == n) {
                return Err(format!(
                    "no golden case named {n:?}{}",
                    super::suggest::hint(n, cases.iter().map(|c| c.name.as_str()))
                ));
            }
        }
        cases.retain(|c| a.cases.contains(&c.name));
    }
    if cases.is_empty() {
        return Err(
            "no golden cases: add a `tests:` list to .pchart.yaml or golden/<case>/expected.yaml files"
                .into(),
        );
    }
    run_cases(&cases, a.output.format, a.update, a.semantic)
}

/// Run `cases`, update failing golden files when asked (and not in CI),
/// print the report. Exit code 0 when everything passes (or was written),
/// 1 when cases fail; write errors are input errors (exit 2).
pub(super) fn run_cases(
    cases: &[Case],
    format: Format,
    update: bool,
    semantic_compare: bool,
) -> Result<u8, String> {
    let mut results = Vec::new();
    for c in cases {
        results.push((c, run_case(c, semantic_compare)?));
    }
    let writable = results
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Differs { .. } | Outcome::Missing { .. }))
        .count();
    let ci = in_ci();
    // Write before reporting, so that the report says what happened.
    let write_errors = if update && !ci {
        write_golden_files(&mut results)
    } else {
        Vec::new()
    };
    let tally = Tally::of(&results);
    write_stdout(&report(&results, &tally, format, use_color(format))?)?;
    if !write_errors.is_empty() {
        return Err(write_errors.join("\nError: "));
    }
    if tally.failed == 0 {
        return Ok(0);
    }
    if update && ci && writable > 0 {
        eprint_line(&format!(
            "pchart test: not updating: the CI environment variable is set, and golden files are never rewritten in CI ({writable} would have been); run `pchart test --update` locally and commit the result"
        ));
    } else if !update && writable > 0 && format == Format::Human {
        write_stdout("run `pchart test --update` to accept the new output\n")?;
    }
    // Render failures cannot be fixed by an update.
    Ok(1)
}

/// Render one case and compare it with its golden file (text, or objects
/// with `--semantic`). An unreadable golden file is an input error.
fn run_case(c: &Case, semantic_compare: bool) -> Result<Outcome, String> {
    let rendered = match render_spec(&c.spec) {
        Err(e) => return Ok(Outcome::RenderFailed(e)),
        Ok(r) => r,
    };
    Ok(match read_golden(&c.golden)? {
        None => Outcome::Missing { rendered },
        Some(g) if g == rendered => Outcome::Pass,
        Some(golden) if semantic_compare => {
            let label = c.golden.display().to_string();
            let changes = semantic::compare(&golden, &rendered, &label, "rendered")?;
            if changes.is_empty() {
                Outcome::Pass
            } else {
                Outcome::Differs {
                    golden,
                    rendered,
                    changes: Some(changes),
                }
            }
        }
        Some(golden) => Outcome::Differs {
            golden,
            rendered,
            changes: None,
        },
    })
}

/// `--update`: write the render of every differing or missing case to its
/// golden file (atomically), saying so on stderr; the outcome becomes
/// `Written`. Returns the write errors.
fn write_golden_files(results: &mut [(&Case, Outcome)]) -> Vec<String> {
    let mut errors = Vec::new();
    for (c, o) in results.iter_mut() {
        let (rendered, created) = match o {
            Outcome::Differs { rendered, .. } => (rendered, false),
            Outcome::Missing { rendered } => (rendered, true),
            _ => continue,
        };
        match write_atomic(&c.golden, rendered.as_bytes()) {
            Ok(()) => {
                let verb = if created { "created" } else { "updated" };
                eprint_line(&format!("{verb} {}", c.golden.display()));
                *o = Outcome::Written { created };
            }
            Err(e) => errors.push(format!("cannot update {}: {e}", c.golden.display())),
        }
    }
    errors
}
