//! The release flags shared by `render`, `eval`, `diff` and `lint`.

use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct ReleaseArgs {
    /// Release name.
    #[arg(long, default_value = "release-name")]
    pub release_name: String,
    /// Release namespace.
    #[arg(long, short = 'n', default_value = "default")]
    pub namespace: String,
}
