//! `pchart dependency update|build`: Helm's dependency manager, so a
//! chart with `dependencies` renders without Helm installed.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::remote_args::RemoteArgs;

#[derive(Subcommand, Debug)]
pub enum DependencyCommand {
    /// Resolve Chart.yaml's dependencies (repository index, registry tags,
    /// ranges), download them into charts/ and write Chart.lock, as `helm
    /// dependency update` does.
    #[command(
        after_help = "Exit codes: 0 done, 2 usage, input, registry or repository error (charts/ left as it was).\n\nExample:\n  pchart dependency update ./umbrella"
    )]
    Update(DependencyArgs),
    /// Download the versions Chart.lock names into charts/ (refused when
    /// Chart.lock is out of sync with Chart.yaml), as `helm dependency
    /// build` does; without Chart.lock, an update.
    #[command(
        after_help = "Exit codes: 0 done, 2 usage, input, registry or repository error (charts/ left as it was).\n\nExample:\n  pchart dependency build ./umbrella"
    )]
    Build(DependencyArgs),
}

#[derive(Args, Debug)]
pub struct DependencyArgs {
    /// Chart directory.
    #[arg(default_value = ".")]
    pub chart: PathBuf,
    #[command(flatten)]
    pub remote: RemoteArgs,
}

pub fn run(c: DependencyCommand) -> Result<u8, String> {
    let (a, build) = match c {
        DependencyCommand::Update(a) => (a, false),
        DependencyCommand::Build(a) => (a, true),
    };
    if a.remote.version.is_some() || a.remote.repo.is_some() {
        return Err("--version and --repo do not apply: versions come from Chart.yaml".into());
    }
    let opts = a.remote.options()?;
    let log = if build {
        pchart::remote::deps::build(&a.chart, &opts)?
    } else {
        pchart::remote::deps::update(&a.chart, &opts)?
    };
    super::output::write_stdout(&log)?;
    Ok(0)
}
