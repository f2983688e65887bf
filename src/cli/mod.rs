//! Command-line interface: argument definitions and dispatch.
//!
//! Exit codes: 0 success, 1 findings (lint/diff), 2 usage or input error.

mod artifact;
mod cases;
mod chart_arg;
mod chart_cmd;
mod config;
mod dependency;
mod diff;
mod eval;
mod glob;
mod hook;
mod limits_args;
mod lint;
mod lint_units;
mod output;
mod pull;
mod registry_args;
mod release_args;
mod remote_args;
mod render;
mod suggest;
mod test;
mod test_report;
mod values_args;

use std::process::ExitCode;

pub(crate) use chart_arg::load_chart;

use clap::{CommandFactory, Parser, Subcommand};

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
    /// Render, then compare with a golden file: exit 0 when equal, 1 with
    /// a unified diff (or, with --semantic, the changed fields) when not.
    #[command(
        after_help = "Exit codes: 0 equal, 1 different, 2 usage or input error.\n\nExamples:\n  pchart diff -f examples/sql-mode.yaml --release-name perses --golden golden/sql-mode.yaml\n  pchart diff ./mychart -f prod.yaml --golden golden/prod.yaml --semantic"
    )]
    Diff(diff::DiffArgs),
    /// Run every golden case (.pchart.yaml `tests:`, golden/<case>/) and
    /// compare each render with its expected manifests.
    #[command(
        after_help = "Exit codes: 0 all cases pass (or were updated), 1 failing cases, 2 usage or input error (including a golden file that cannot be written).\n\nWith --update, failing golden files are rewritten atomically, unless the CI environment variable is set: CI never writes.\n\nExamples:\n  pchart test\n  pchart test --update\n  pchart test --format junit > golden-report.xml"
    )]
    Test(test::TestArgs),
    /// pre-commit entry points: map changed files to charts and golden
    /// cases, then lint or test each once.
    #[command(subcommand)]
    Hook(hook::HookCommand),
    /// The embedded Perses chart: `pchart chart export DIR` writes it out.
    #[command(subcommand)]
    Chart(chart_cmd::ChartCommand),
    /// The OCI artifact of Perses resources: validate, build, push,
    /// resolve, pin.
    #[command(subcommand)]
    Artifact(artifact::ArtifactCommand),
    /// Download a chart from an OCI registry or a chart repository, byte
    /// for byte, as `helm pull` does (kept in the chart cache too).
    #[command(
        after_help = "Exit codes: 0 pulled, 2 usage, input, registry or repository error.\n\nExamples:\n  pchart pull oci://ghcr.io/acme/charts/demo --version '^1.2.0'\n  pchart pull demo --repo https://charts.example.com --version 1.2.3 --untar -d vendor"
    )]
    Pull(pull::PullArgs),
    /// Chart dependencies, as Helm manages them: update, build.
    #[command(subcommand)]
    Dependency(dependency::DependencyCommand),
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  pchart completions bash > /etc/bash_completion.d/pchart")]
    Completions {
        /// Shell to generate for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from the command definitions:
    /// pchart(1), or pchart-COMMAND(1) for a subcommand.
    #[command(
        after_help = "Examples:\n  pchart man > pchart.1 && man ./pchart.1\n  pchart man diff > pchart-diff.1"
    )]
    Man {
        /// Subcommand whose page to print (e.g. diff, test, lint).
        command: Option<String>,
    },
    /// List every lint rule.
    Rules,
    /// Print a lint rule's documentation.
    Explain {
        /// Rule code or name, e.g. PC001 or GOLD001.
        #[arg(value_parser = RuleCode, hide_possible_values = true)]
        code: String,
    },
}

/// `explain`'s argument: any text (a wrong one gets a did-you-mean from
/// `explain`), with every code offered to shell completion.
#[derive(Clone)]
struct RuleCode;

impl clap::builder::TypedValueParser for RuleCode {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let codes = pchart::report::codes::all_codes();
        Some(Box::new(codes.map(|i| {
            clap::builder::PossibleValue::new(i.code).help(i.summary)
        })))
    }
}

pub fn run(cli: Cli) -> ExitCode {
    // Schemas that passed their metaschema check are remembered in the
    // cache folder, unless PCHART_NO_CACHE is set (any value).
    if std::env::var_os("PCHART_NO_CACHE").is_none()
        && let Ok(dir) = pchart::remote::default_cache_dir()
    {
        pchart::schema::compile::remember_valid_schemas_in(dir.join("schema-ok"));
    }
    let r = match cli.command {
        Command::Eval(a) => eval::run(a),
        Command::Render(a) => render::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Test(a) => test::run(a),
        Command::Hook(c) => hook::run(c),
        Command::Chart(c) => chart_cmd::run(c),
        Command::Artifact(c) => artifact::run(c),
        Command::Pull(a) => pull::run(a),
        Command::Dependency(c) => dependency::run(c),
        Command::Completions { shell } => completions(shell),
        Command::Man { command } => man(command.as_deref()),
        Command::Rules => lint::rules(),
        Command::Explain { code } => lint::explain(&code),
    };
    match r {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            output::eprint_line(&format!("Error: {msg}"));
            ExitCode::from(EXIT_INPUT)
        }
    }
}

fn completions(shell: clap_complete::Shell) -> Result<u8, String> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pchart", &mut out);
    output::write_stdout(&String::from_utf8_lossy(&out))?;
    Ok(0)
}

fn man(sub: Option<&str>) -> Result<u8, String> {
    let root = Cli::command();
    let cmd = match sub {
        None => root,
        Some(name) => {
            let c = root.find_subcommand(name).ok_or_else(|| {
                let names = root.get_subcommands().map(|c| c.get_name());
                format!(
                    "no subcommand {name:?}{} (see `pchart --help`)",
                    suggest::hint(name, names)
                )
            })?;
            let full = format!("pchart-{}", c.get_name());
            c.clone()
                .name(full.clone())
                .display_name(full)
                .version(env!("CARGO_PKG_VERSION"))
                // For the page header only: `render` and others have a
                // `--version` flag of their own (the remote chart's version).
                .disable_version_flag(true)
                .bin_name(format!("pchart {}", c.get_name()))
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| format!("cannot render the man page: {e}"))?;
    output::write_stdout(&String::from_utf8_lossy(&out))?;
    Ok(0)
}
