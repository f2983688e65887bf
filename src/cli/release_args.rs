//! The release flags shared by `render`, `eval`, `diff` and `lint`.

use clap::Args;

/// Helm's defaults for `helm template`.
const DEFAULT_NAME: &str = "release-name";
const DEFAULT_NAMESPACE: &str = "default";

#[derive(Args, Debug, Clone)]
pub struct ReleaseArgs {
    /// Release name.
    #[arg(long, default_value = DEFAULT_NAME)]
    pub release_name: String,
    /// Release namespace.
    #[arg(long, short = 'n', default_value = DEFAULT_NAMESPACE)]
    pub namespace: String,
}

impl Default for ReleaseArgs {
    fn default() -> Self {
        ReleaseArgs {
            release_name: DEFAULT_NAME.to_string(),
            namespace: DEFAULT_NAMESPACE.to_string(),
        }
    }
}
