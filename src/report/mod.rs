//! Reporting findings, shared by `lint`, `diff` and `test`: a human form
//! with source snippets, JSON, GitHub workflow annotations, SARIF 2.1.0 and
//! JUnit XML.

pub mod codes;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod location;
pub mod sarif;

use crate::lint::{Finding, Severity};

/// Output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
    Junit,
}

/// Counts by severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let mut s = Summary::default();
        for f in findings {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Note => s.notes += 1,
            }
        }
        s
    }
}

/// Source text of the files findings point into, for snippets.
pub trait Sources {
    fn text(&self, file: &str) -> Option<String>;
}

/// Render findings in a format.
pub fn render(format: Format, findings: &[Finding], sources: &dyn Sources, color: bool) -> String {
    match format {
        Format::Human => human::render(findings, sources, color),
        Format::Json => json::render(findings),
        Format::Github => github::render(findings),
        Format::Sarif => sarif::render(findings),
        Format::Junit => junit::render(findings),
    }
}
