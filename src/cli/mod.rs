//! Command-line interface: argument definitions and dispatch.
//!
//! Exit codes: 0 success, 1 findings (lint/diff), 2 usage or input error.

mod eval;
mod limits_args;
mod lint;
mod render;
mod values_args;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit code for bad input: unreadable files, template errors, bad flags.
pub const EXIT_INPUT: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "pchart",
    version,
    about = "Render and validate Helm charts exactly as Helm does",
    after_help = "Exit codes: 0 success, 1 findings, 2 usage or input error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Render one template file of a chart (or an inline template) and print
    /// its raw text, exactly as Helm's engine produces it.
    #[command(
        after_help = "Examples:\n  pchart eval ./mychart --template templates/deployment.yaml -f prod.yaml\n  pchart eval ./mychart -e '{{ include \"mychart.fullname\" . }}'"
    )]
    Eval(eval::EvalArgs),
    /// Render a chart exactly as `helm template` does.
    #[command(
        after_help = "Examples:\n  pchart render ./mychart -f prod.yaml\n  pchart render ./mychart-1.2.0.tgz --kube-version 1.33.0 --no-hooks"
    )]
    Render(render::RenderArgs),
    /// Find every way the chart and values will fail: OCI-artifact rules,
    /// version gates, values schema, Kubernetes API checks.
    #[command(
        after_help = "Exit codes: 0 no errors (warnings allowed unless --strict), 1 findings, 2 usage or input error.\n\nExamples:\n  pchart lint -f examples/oci-production.yaml --kube-version 1.33 --feature-gates ImageVolume=true\n  pchart lint ./mychart -f prod.yaml --format sarif > pchart.sarif"
    )]
    Lint(lint::LintArgs),
    /// List every lint rule.
    Rules,
    /// Print a lint rule's documentation.
    Explain {
        /// Rule code or name, e.g. PC001.
        code: String,
    },
}

pub fn run(cli: Cli) -> ExitCode {
    let r = match cli.command {
        Command::Eval(a) => eval::run(a),
        Command::Render(a) => render::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Rules => lint::rules(),
        Command::Explain { code } => lint::explain(&code),
    };
    match r {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprintln!("Error: {msg}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}
