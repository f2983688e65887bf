//! `pchart chart export DIR`: the embedded Perses chart as files, for a
//! repository that wants its own reviewed copy (`chart: charts/perses` in
//! `.pchart.yaml`) or for `helm install`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use pchart::atomic::write_atomic;
use pchart::chart::embedded::FILES;

#[derive(Subcommand, Debug)]
pub enum ChartCommand {
    /// Write the embedded Perses chart to DIR (Chart.yaml, values.yaml,
    /// values.schema.json, templates/...).
    #[command(
        after_help = "Examples:\n  pchart chart export charts/perses\n  helm install perses charts/perses -f values/prod.yaml"
    )]
    Export(ExportArgs),
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Directory to write the chart into; created if missing, and it must
    /// be empty unless --force.
    pub dir: PathBuf,
    /// Overwrite the chart's files in a non-empty DIR (other files stay).
    #[arg(long)]
    pub force: bool,
}

pub fn run(c: ChartCommand) -> Result<u8, String> {
    match c {
        ChartCommand::Export(a) => export(&a.dir, a.force),
    }
}

fn export(dir: &Path, force: bool) -> Result<u8, String> {
    if FILES.is_empty() {
        return Err("this build has no embedded chart".into());
    }
    if dir.exists() {
        if !dir.is_dir() {
            return Err(format!("{}: exists and is not a directory", dir.display()));
        }
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {}", dir.display(), pchart::input::io_reason(&e)))?;
        if !force && entries.next().is_some() {
            return Err(format!(
                "{}: not empty (use --force to overwrite the chart's files there)",
                dir.display()
            ));
        }
    }
    for (name, bytes) in FILES {
        write_atomic(&dir.join(name), bytes)?;
    }
    super::output::write_stdout(&format!(
        "wrote the Perses chart ({} files) to {}\n",
        FILES.len(),
        dir.display()
    ))?;
    Ok(0)
}
