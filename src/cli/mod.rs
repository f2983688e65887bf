//! Command-line interface: argument definitions and dispatch.
//!
//! Exit codes: 0 success, 1 findings (lint/diff), 2 usage or input error.

mod eval;
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
}

pub fn run(cli: Cli) -> ExitCode {
    let r = match cli.command {
        Command::Eval(a) => eval::run(a),
        Command::Render(a) => render::run(a),
    };
    match r {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprintln!("Error: {msg}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}
