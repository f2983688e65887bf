//! Charts that live elsewhere: `oci://` references in a registry and
//! charts in an HTTP chart repository (`index.yaml`), fetched the way
//! Helm fetches them, checked, and kept in a cache keyed by digest.

pub mod cache;
pub mod deps;
pub mod oci;
pub mod package;
pub mod reference;
pub mod repo;
pub mod select;
pub mod untar;

use std::path::PathBuf;

pub use reference::ChartRef;

/// Largest chart archive downloaded (Helm's limit on a chart's size).
pub const MAX_ARCHIVE_SIZE: u64 = crate::chart::MAX_CHART_SIZE;

/// How to reach registries and repositories.
#[derive(Debug, Clone)]
pub struct Options {
    /// The connection, as for any registry; its credentials are those
    /// given on the command line, else found as Helm finds them.
    pub conn: crate::oci::registry::Options,
    /// Use only the cache; never the network.
    pub offline: bool,
    /// Where archives are cached.
    pub cache: PathBuf,
}

/// A chart archive fetched (or found in the cache).
#[derive(Debug, Clone)]
pub struct Fetched {
    pub name: String,
    pub version: String,
    /// `sha256:<hex>` of the archive bytes.
    pub digest: String,
    /// The archive in the cache.
    pub path: PathBuf,
    /// Whether the network was used.
    pub from_network: bool,
    /// What Helm prints as `Pulled:` (`host/path/name:tag`, or the URL).
    pub source: String,
    /// An OCI chart's manifest digest (Helm's `Digest:`), when known.
    pub manifest_digest: Option<String>,
}

/// Fetch `r` at `version` (exact or a range; none = highest stable).
pub fn fetch(r: &ChartRef, version: Option<&str>, opts: &Options) -> Result<Fetched, String> {
    match r {
        ChartRef::Oci(o) => oci::fetch(o, version, opts),
        ChartRef::Repo { url, name } => repo::fetch(url, name, version, opts),
    }
}

/// The cache folder: `$XDG_CACHE_HOME/pchart`, else `~/.cache/pchart`.
pub fn default_cache_dir() -> Result<PathBuf, String> {
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d).join("pchart"));
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(h) => Ok(PathBuf::from(h).join(".cache/pchart")),
        None => Err("no cache folder: set XDG_CACHE_HOME or HOME".into()),
    }
}
