//! Charts in an HTTP chart repository: `URL/index.yaml` lists each chart's
//! versions with their archive URLs and, usually, a sha256 `digest` of the
//! archive, which is checked before anything is kept.

use std::io::Read;
use std::time::Duration;

use base64::Engine;

use super::{Fetched, MAX_ARCHIVE_SIZE, Options, cache, select};

/// Largest `index.yaml` read (public indexes reach tens of megabytes).
const MAX_INDEX_SIZE: u64 = 64 << 20;

/// One chart version of an index.
#[derive(Debug, Clone)]
pub struct Entry {
    pub version: String,
    pub urls: Vec<String>,
    /// Hex sha256 of the archive, when the index gives one.
    pub digest: Option<String>,
}

fn agent(opts: &Options) -> ureq::Agent {
    let tls = ureq::tls::TlsConfig::builder()
        .disable_verification(opts.conn.insecure_skip_tls_verify)
        .build();
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(opts.conn.timeout))
        .timeout_recv_response(Some(opts.conn.timeout))
        .timeout_recv_body(Some(opts.conn.timeout.max(Duration::from_secs(1))))
        .max_redirects(5)
        .tls_config(tls)
        .user_agent(format!("pchart/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// GET `url` (Basic credentials only to the repository's own host, as
/// Helm without --pass-credentials), bounded in size.
fn get(
    agent: &ureq::Agent,
    url: &str,
    repo: &str,
    opts: &Options,
    limit: u64,
) -> Result<Vec<u8>, String> {
    let mut req = agent.get(url);
    if let Some(c) = &opts.conn.credentials
        && host_of(url) == host_of(repo)
    {
        let v = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", c.username, c.secret));
        req = req.header("Authorization", format!("Basic {v}"));
    }
    let mut resp = req
        .call()
        .map_err(|e| format!("GET {url}: {}", reason(&e)))?;
    let status = resp.status().as_u16();
    if status != 200 {
        let why = match status {
            401 => " (the repository needs credentials: --username with --password-stdin)",
            403 => " (forbidden: the credentials do not give access)",
            404 => " (not found)",
            _ => "",
        };
        return Err(format!("GET {url}: {status}{why}"));
    }
    let mut body = Vec::new();
    resp.body_mut()
        .as_reader()
        .take(limit + 1)
        .read_to_end(&mut body)
        .map_err(|e| {
            format!(
                "GET {url}: reading the answer: {}",
                crate::input::io_reason(&e)
            )
        })?;
    if body.len() as u64 > limit {
        return Err(format!(
            "GET {url}: the answer is larger than the limit of {limit} bytes"
        ));
    }
    Ok(body)
}

fn reason(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        ureq::Error::Io(io) => crate::input::io_reason(io),
        other => other.to_string(),
    }
}

/// Parse an `index.yaml`: the entries of `name`, or `None` when the
/// index has no such chart. Every chart's names come back for messages.
pub fn parse_index(
    url: &str,
    text: &[u8],
    name: &str,
) -> Result<(Option<Vec<Entry>>, Vec<String>), String> {
    let where_ = format!("{url}/index.yaml");
    let text = std::str::from_utf8(text).map_err(|_| format!("{where_}: not UTF-8 text"))?;
    let v =
        crate::yaml::parse_values(text).map_err(|e| format!("{where_}: not a valid index: {e}"))?;
    let j: serde_json::Value = serde_json::from_str(&crate::yaml::to_json(&v))
        .map_err(|_| format!("{where_}: not a valid index"))?;
    if j["apiVersion"].as_str().is_none_or(str::is_empty) {
        return Err(format!(
            "{where_}: not a valid index: no API version specified"
        ));
    }
    let entries = j["entries"].as_object().cloned().unwrap_or_default();
    let names: Vec<String> = entries.keys().cloned().collect();
    let Some(list) = entries.get(name).and_then(|l| l.as_array()) else {
        return Ok((None, names));
    };
    let out = list
        .iter()
        .filter_map(|e| {
            let version = e["version"].as_str()?.to_string();
            let urls = e["urls"]
                .as_array()
                .map(|u| {
                    u.iter()
                        .filter_map(|s| s.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            // A digest of only digits reads as a number; it is still a
            // digest to check (and no sha256 hex matches it).
            let digest = match &e["digest"] {
                serde_json::Value::Null => None,
                serde_json::Value::String(d) if d.is_empty() => None,
                serde_json::Value::String(d) => Some(d.clone()),
                other => Some(other.to_string()),
            };
            Some(Entry {
                version,
                urls,
                digest,
            })
        })
        .collect();
    Ok((Some(out), names))
}

/// Helm's `ResolveReferenceURL`: a relative chart URL is relative to the
/// repository URL taken as a folder.
pub fn resolve_url(repo: &str, u: &str) -> String {
    if u.contains("://") {
        return u.to_string();
    }
    let (base, query) = repo
        .split_once('?')
        .map_or((repo, None), |(b, q)| (b, Some(q)));
    let base = base.trim_end_matches('/');
    let joined = if let Some(abs) = u.strip_prefix('/') {
        let scheme_host_end = base
            .find("://")
            .map(|i| i + 3 + base[i + 3..].find('/').unwrap_or(base.len() - i - 3))
            .unwrap_or(base.len());
        format!("{}/{abs}", &base[..scheme_host_end])
    } else {
        format!("{base}/{u}")
    };
    match query {
        Some(q) if !joined.contains('?') => format!("{joined}?{q}"),
        _ => joined,
    }
}

fn source_key(url: &str, name: &str) -> String {
    format!("repo:{url}#{name}")
}

/// The versions of chart `name` in the repository at `url` (offline: the
/// cached ones).
pub fn entries(url: &str, name: &str, opts: &Options) -> Result<Vec<Entry>, String> {
    let url = url.trim_end_matches('/');
    if opts.offline {
        return Ok(cache::versions(&opts.cache, &source_key(url, name))
            .into_iter()
            .map(|version| Entry {
                version,
                urls: vec!["(cached)".into()],
                digest: None,
            })
            .collect());
    }
    let index = get(
        &agent(opts),
        &format!("{url}/index.yaml"),
        url,
        opts,
        MAX_INDEX_SIZE,
    )?;
    let (entries, _) = parse_index(url, &index, name)?;
    entries.ok_or_else(|| format!("{name} chart not found in repo {url}"))
}

pub fn fetch(
    url: &str,
    name: &str,
    version: Option<&str>,
    opts: &Options,
) -> Result<Fetched, String> {
    let url = url.trim_end_matches('/');
    let key = source_key(url, name);
    let what = format!("chart {name:?} in {url}");
    let done = |v: &str, d: &str, p, net, src: String| Fetched {
        name: name.to_string(),
        version: v.to_string(),
        digest: d.to_string(),
        path: p,
        from_network: net,
        source: src,
        manifest_digest: None,
    };
    if opts.offline {
        let known = cache::versions(&opts.cache, &key);
        let v = select::choose(&what, &known, version)
            .map_err(|e| format!("--offline: {e} (only cached versions can be used offline)"))?;
        let d = cache::get_ref(&opts.cache, &key, &v)
            .ok_or_else(|| format!("--offline: {what} {v} is not in the cache"))?;
        let p = cache::get_blob(&opts.cache, &d).ok_or_else(|| {
            format!("--offline: {what} {v}: the cached archive is missing or damaged")
        })?;
        return Ok(done(&v, &d, p, false, format!("{url}/{name}-{v}.tgz")));
    }
    if let Some(w) = version
        && crate::semver::Version::parse(w).is_ok()
        && let Some(d) = cache::get_ref(&opts.cache, &key, w)
        && let Some(p) = cache::get_blob(&opts.cache, &d)
    {
        return Ok(done(w, &d, p, false, format!("{url}/{name}-{w}.tgz")));
    }
    let agent = agent(opts);
    let index = get(
        &agent,
        &format!("{url}/index.yaml"),
        url,
        opts,
        MAX_INDEX_SIZE,
    )?;
    let (entries, names) = parse_index(url, &index, name)?;
    let entries = entries.ok_or_else(|| {
        format!(
            "chart {name:?} not found in {url} repository; charts it has: {}",
            if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            }
        )
    })?;
    let versions: Vec<String> = entries.iter().map(|e| e.version.clone()).collect();
    let v = select::choose(&what, &versions, version)?;
    let e = entries
        .iter()
        .find(|e| e.version == v)
        .ok_or_else(|| format!("{what}: version {v} vanished from the index"))?;
    let first = e
        .urls
        .first()
        .ok_or_else(|| format!("{what} {v}: the index gives no URL for the archive"))?;
    let chart_url = resolve_url(url, first);
    let data = get(&agent, &chart_url, url, opts, MAX_ARCHIVE_SIZE)?;
    let digest = crate::oci::sha256(&data);
    if let Some(want) = &e.digest {
        let want = want.strip_prefix("sha256:").unwrap_or(want);
        if !digest.ends_with(&want.to_ascii_lowercase()) || want.len() != 64 {
            return Err(format!(
                "{chart_url}: the archive hashes to {digest}, but the index says sha256:{want}; nothing was kept"
            ));
        }
    }
    let p = cache::put_blob(&opts.cache, &digest, &data)?;
    cache::put_ref(&opts.cache, &key, &v, &digest)?;
    Ok(done(&v, &digest, p, true, chart_url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(resolve_url("http://h/r", "a-1.tgz"), "http://h/r/a-1.tgz");
        assert_eq!(
            resolve_url("http://h/r/", "c/a-1.tgz"),
            "http://h/r/c/a-1.tgz"
        );
        assert_eq!(
            resolve_url("http://h/r", "/x/a-1.tgz"),
            "http://h/x/a-1.tgz"
        );
        assert_eq!(resolve_url("http://h", "/a.tgz"), "http://h/a.tgz");
        assert_eq!(
            resolve_url("http://h/r", "https://o/a.tgz"),
            "https://o/a.tgz"
        );
    }

    #[test]
    fn index() {
        let y = b"apiVersion: v1\nentries:\n  demo:\n  - version: 0.1.0\n    urls: [demo-0.1.0.tgz]\n    digest: abc\n  - version: 0.2.0\n    urls: [demo-0.2.0.tgz]\n";
        let (e, names) = parse_index("u", y, "demo").unwrap_or_default();
        assert_eq!(names, vec!["demo".to_string()]);
        let e = e.unwrap_or_default();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].digest.as_deref(), Some("abc"));
        assert!(parse_index("u", y, "other").is_ok_and(|(e, _)| e.is_none()));
        assert!(
            parse_index("u", b"entries: {}\n", "x")
                .unwrap_err()
                .contains("no API version")
        );
        assert!(
            parse_index("u", b"{ [", "x")
                .unwrap_err()
                .contains("not a valid index")
        );
    }
}
