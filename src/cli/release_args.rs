//! The release flags shared by `render`, `eval`, `diff`, `lint` and the
//! `flags` files of `pchart test` cases: what `helm template` takes for
//! `.Release` and `.Capabilities`.

use clap::Args;
use pchart::render::{DEFAULT_KUBE_VERSION, RenderOptions};

/// Helm's defaults for `helm template`.
const DEFAULT_NAME: &str = "release-name";
const DEFAULT_NAMESPACE: &str = "default";

#[derive(Args, Debug, Clone, PartialEq)]
pub struct ReleaseArgs {
    /// Release name.
    #[arg(long, default_value = DEFAULT_NAME)]
    pub release_name: String,
    /// Release namespace.
    #[arg(long, short = 'n', default_value = DEFAULT_NAMESPACE)]
    pub namespace: String,
    // None: the command's default (for `lint`, `.pchart.yaml`'s
    // `kubeVersion` first), else Helm's.
    #[arg(
        long,
        value_name = "VERSION",
        help = format!("Kubernetes version for .Capabilities and Chart.yaml kubeVersion [default: {DEFAULT_KUBE_VERSION}; lint: .pchart.yaml's kubeVersion first]")
    )]
    pub kube_version: Option<String>,
    /// Extra API versions for .Capabilities.APIVersions (repeatable).
    #[arg(long = "api-versions", short = 'a', value_name = "VERSION")]
    pub api_versions: Vec<String>,
    /// Render as an upgrade: .Release.IsUpgrade true, .Release.IsInstall false.
    #[arg(long)]
    pub is_upgrade: bool,
}

impl Default for ReleaseArgs {
    fn default() -> Self {
        ReleaseArgs {
            release_name: DEFAULT_NAME.to_string(),
            namespace: DEFAULT_NAMESPACE.to_string(),
            kube_version: None,
            api_versions: Vec::new(),
            is_upgrade: false,
        }
    }
}

impl ReleaseArgs {
    /// `--kube-version`, else `fallback`, else Helm's default.
    pub fn kube_version_or(&self, fallback: Option<&String>) -> String {
        self.kube_version
            .as_ref()
            .or(fallback)
            .cloned()
            .unwrap_or_else(|| DEFAULT_KUBE_VERSION.to_string())
    }

    /// The render options these flags set (the Kubernetes version as
    /// [`Self::kube_version_or`] with no fallback).
    pub fn render_options(&self) -> RenderOptions {
        RenderOptions {
            release_name: self.release_name.clone(),
            namespace: self.namespace.clone(),
            kube_version: self.kube_version_or(None),
            api_versions: self.api_versions.clone(),
            is_upgrade: self.is_upgrade,
            ..RenderOptions::default()
        }
    }
}
