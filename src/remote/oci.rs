//! Charts in an OCI registry, as Helm stores them: one repository per
//! chart, one tag per version (`+` written `_`), an image manifest whose
//! config is `application/vnd.cncf.helm.config.v1+json` and whose layer is
//! the chart archive, byte for byte.

use std::path::PathBuf;

use super::reference::OciRef;
use super::{Fetched, MAX_ARCHIVE_SIZE, Options, cache, select};
use crate::oci::credentials::{Credentials, lookup_in};
use crate::oci::registry::{self, Client, Method, Target};

pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.cncf.helm.config.v1+json";
pub const CHART_MEDIA_TYPE: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
/// What Helm 3.0-3.7 pushed; Helm still pulls it.
const LEGACY_CHART_MEDIA_TYPE: &str = "application/tar+gzip";

/// Helm's registry credentials file: `$HELM_REGISTRY_CONFIG`, else
/// `registry/config.json` in Helm's configuration folder.
fn helm_registry_config() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(p) = env("HELM_REGISTRY_CONFIG") {
        return Some(p);
    }
    let base = env("HELM_CONFIG_HOME")
        .or_else(|| env("XDG_CONFIG_HOME").map(|d| d.join("helm")))
        .or_else(|| env("HOME").map(|h| h.join(".config/helm")))?;
    Some(base.join("registry/config.json"))
}

/// Credentials as Helm finds them: the command line, Helm's registry
/// configuration, then (in the client) the docker configuration.
fn credentials(host: &str, opts: &Options) -> Result<Option<Credentials>, String> {
    if opts.conn.credentials.is_some() {
        return Ok(opts.conn.credentials.clone());
    }
    match helm_registry_config() {
        Some(p) => lookup_in(&p, host),
        None => Ok(None),
    }
}

fn client(o: &OciRef, opts: &Options) -> Result<Client, String> {
    let target = Target {
        registry: o.host.clone(),
        repository: o.repository.clone(),
        tag: None,
        digest: None,
    };
    let ro = registry::Options {
        credentials: credentials(&o.host, opts)?,
        ..opts.conn.clone()
    };
    Client::new(target, &ro, false)
}

/// The chart versions the registry has: tags with `_` read as `+`,
/// those that are not semver left out (as Helm does).
pub fn tags(c: &mut Client, o: &OciRef) -> Result<Vec<String>, String> {
    let url = c.url("tags/list");
    let a = c.send(Method::Get, &url, &[], None)?;
    if a.status == 404 {
        return Err(format!(
            "{}: chart not found in the registry ({})",
            o.url(),
            registry::registry_words(&a.body)
        ));
    }
    if a.status != 200 {
        return Err(c.failure("GET", "tags/list", &a));
    }
    let v: serde_json::Value = serde_json::from_slice(&a.body).map_err(|_| {
        format!(
            "{}: the registry's tag list is not JSON ({})",
            o.url(),
            registry::registry_words(&a.body)
        )
    })?;
    let list = v["tags"].as_array().cloned().unwrap_or_default();
    let tags: Vec<String> = list
        .iter()
        .filter_map(|t| t.as_str())
        .map(|t| t.replace('_', "+"))
        .filter(|t| crate::semver::Version::parse(t).is_ok())
        .collect();
    Ok(tags)
}

/// The chart versions of `o`: the registry's tags, or offline the
/// versions in the cache.
pub fn list_tags(o: &OciRef, opts: &Options) -> Result<Vec<String>, String> {
    if opts.offline {
        return Ok(cache::versions(&opts.cache, &o.url()));
    }
    let mut c = client(o, opts)?;
    tags(&mut c, o)
}

/// The version asked for: `--version`, else the reference's tag.
fn wanted<'a>(o: &'a OciRef, version: Option<&'a str>) -> Result<Option<&'a str>, String> {
    match (o.tag.as_deref(), version) {
        (Some(t), Some(v)) if t != v => Err(format!(
            "{}:{t}: the reference's tag and --version {v} disagree",
            o.url()
        )),
        (Some(t), _) => Ok(Some(t)),
        (None, v) => Ok(v),
    }
}

fn cached(
    o: &OciRef,
    version: &str,
    digest: &str,
    path: PathBuf,
    cache_dir: &std::path::Path,
) -> Fetched {
    Fetched {
        manifest_digest: cache::get_manifest(cache_dir, &o.url(), version),
        name: o.name().to_string(),
        version: version.to_string(),
        digest: digest.to_string(),
        path,
        from_network: false,
        source: format!("{}/{}:{}", o.host, o.repository, version.replace('+', "_")),
    }
}

/// From the cache only: the version `want` picks among cached ones.
fn from_cache(o: &OciRef, want: Option<&str>, opts: &Options) -> Result<Fetched, String> {
    let source = o.url();
    let known = cache::versions(&opts.cache, &source);
    let v = select::choose(&source, &known, want)
        .map_err(|e| format!("--offline: {e} (only cached versions can be used offline)"))?;
    let digest = cache::get_ref(&opts.cache, &source, &v)
        .ok_or_else(|| format!("--offline: {source} {v} is not in the cache"))?;
    let p = cache::get_blob(&opts.cache, &digest).ok_or_else(|| {
        format!("--offline: {source} {v}: the cached archive {digest} is missing or damaged")
    })?;
    Ok(cached(o, &v, &digest, p, &opts.cache))
}

pub fn fetch(o: &OciRef, version: Option<&str>, opts: &Options) -> Result<Fetched, String> {
    let want = wanted(o, version)?;
    if opts.offline {
        return from_cache(o, want, opts);
    }
    let source = o.url();
    // An exact version already fetched needs no network.
    if let Some(w) = want
        && crate::semver::Version::parse(w).is_ok()
        && let Some(d) = cache::get_ref(&opts.cache, &source, w)
        && let Some(p) = cache::get_blob(&opts.cache, &d)
    {
        return Ok(cached(o, w, &d, p, &opts.cache));
    }
    let mut c = client(o, opts)?;
    let all = tags(&mut c, o)?;
    let version = select::choose(&source, &all, want)?;
    let tag = version.replace('+', "_");
    let (manifest, _media, manifest_digest) = c.get_manifest(&tag)?;
    let layer = chart_layer(&format!("{source}:{tag}"), &manifest)?;
    let (digest, size) = layer;
    if size > MAX_ARCHIVE_SIZE {
        return Err(format!(
            "{source}:{tag}: the chart archive is {size} bytes, over the limit of {MAX_ARCHIVE_SIZE}"
        ));
    }
    let path = match cache::get_blob(&opts.cache, &digest) {
        Some(p) => p,
        None => {
            c.max_body = MAX_ARCHIVE_SIZE;
            let url = c.url(&format!("blobs/{digest}"));
            let a = c.send(Method::Get, &url, &[], None)?;
            if a.status != 200 {
                return Err(c.failure("GET", &format!("blobs/{digest}"), &a));
            }
            let got = crate::oci::sha256(&a.body);
            if got != digest {
                return Err(format!(
                    "{source}:{tag}: the chart archive hashes to {got}, the manifest says {digest}"
                ));
            }
            cache::put_blob(&opts.cache, &digest, &a.body)?
        }
    };
    cache::put_ref(&opts.cache, &source, &version, &digest)?;
    cache::put_manifest(&opts.cache, &source, &version, &manifest_digest)?;
    let mut f = cached(o, &version, &digest, path, &opts.cache);
    f.from_network = true;
    Ok(f)
}

/// The chart layer's digest and size, after checking that the manifest
/// is a Helm chart's.
pub fn chart_layer(what: &str, manifest: &[u8]) -> Result<(String, u64), String> {
    let m: serde_json::Value = serde_json::from_slice(manifest)
        .map_err(|_| format!("{what}: the manifest is not JSON"))?;
    let not_chart = |found: &str| {
        format!(
            "{what}: not a Helm chart: {found} (a chart's manifest has config {CONFIG_MEDIA_TYPE} and a layer {CHART_MEDIA_TYPE})"
        )
    };
    if m["manifests"].is_array() {
        return Err(not_chart("the tag is an image index"));
    }
    let config = m["config"]["mediaType"].as_str().unwrap_or("(none)");
    if config != CONFIG_MEDIA_TYPE {
        return Err(not_chart(&format!("its config media type is {config}")));
    }
    let layers = m["layers"].as_array().cloned().unwrap_or_default();
    let l = layers
        .iter()
        .find(|l| l["mediaType"] == CHART_MEDIA_TYPE)
        .or_else(|| {
            layers
                .iter()
                .find(|l| l["mediaType"] == LEGACY_CHART_MEDIA_TYPE)
        })
        .ok_or_else(|| not_chart("no layer has the chart media type"))?;
    let digest = l["digest"]
        .as_str()
        .filter(|d| d.starts_with("sha256:") && d.len() == 71)
        .ok_or_else(|| format!("{what}: the chart layer has no sha256 digest"))?;
    let size = l["size"]
        .as_u64()
        .ok_or_else(|| format!("{what}: the chart layer has no size"))?;
    Ok((digest.to_string(), size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        let d = format!("sha256:{}", "a".repeat(64));
        let ok = format!(
            r#"{{"schemaVersion":2,"config":{{"mediaType":"{CONFIG_MEDIA_TYPE}"}},"layers":[{{"mediaType":"{CHART_MEDIA_TYPE}","digest":"{d}","size":12}}]}}"#
        );
        assert_eq!(chart_layer("x", ok.as_bytes()), Ok((d.clone(), 12)));
        let image = r#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json"},"layers":[]}"#;
        let e = chart_layer("x", image.as_bytes()).unwrap_err();
        assert!(e.contains("not a Helm chart: its config media type is application/vnd.oci.image.config.v1+json"), "{e}");
        assert!(
            chart_layer("x", br#"{"manifests":[]}"#)
                .unwrap_err()
                .contains("image index")
        );
    }
}
