//! `pchart pull`: download a chart from an OCI registry or a chart
//! repository, byte for byte, as `helm pull` does.

use std::path::PathBuf;

use clap::Args;

use super::remote_args::RemoteArgs;
use pchart::atomic::write_atomic;

#[derive(Args, Debug)]
pub struct PullArgs {
    /// oci://HOST/PATH/NAME, a chart name with --repo, or REPO_URL/NAME.
    pub chart: String,
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// Folder the archive is written to.
    #[arg(long, short = 'd', value_name = "DIR", default_value = ".")]
    pub destination: PathBuf,
    /// Unpack the chart instead of keeping the archive.
    #[arg(long)]
    pub untar: bool,
    /// With --untar: folder (under the destination) the chart is unpacked in.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub untardir: PathBuf,
}

pub fn run(a: PullArgs) -> Result<u8, String> {
    if !a.remote.is_remote(&a.chart) {
        return Err(format!(
            "{}: not a remote chart: use oci://HOST/PATH/NAME, --repo URL NAME or URL/NAME",
            a.chart
        ));
    }
    let f = a.remote.fetch(&a.chart)?;
    if a.untar {
        // "." components are dropped: create_dir_all refuses `dir/.`.
        let dir: PathBuf = a
            .destination
            .join(&a.untardir)
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect();
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let label = format!("{} {}", a.chart, f.version);
        pchart::remote::untar::untar(&f.path, &dir, &f.name, &label)?;
    } else {
        let data = std::fs::read(&f.path)
            .map_err(|e| format!("{}: {}", f.path.display(), pchart::input::io_reason(&e)))?;
        let out = a.destination.join(format!("{}-{}.tgz", f.name, f.version));
        write_atomic(&out, &data)?;
    }
    if a.chart.starts_with("oci://") {
        // Helm prints the manifest's digest; the archive's when unknown.
        let digest = f.manifest_digest.as_deref().unwrap_or(&f.digest);
        super::output::write_stdout(&format!("Pulled: {}\nDigest: {digest}\n", f.source))?;
    }
    Ok(0)
}
