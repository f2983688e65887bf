//! A small client of the OCI distribution API (sync, with timeouts):
//! blob existence checks, monolithic and chunked uploads, manifest puts
//! and gets, and authentication: anonymous, Basic, and the Bearer token
//! flow announced by `WWW-Authenticate`. Credentials are never printed.

use std::time::Duration;

use base64::Engine;

use super::credentials::Credentials;
use super::reference as oci_ref;

/// Manifest media types a resolve accepts.
pub const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";

/// Largest manifest or error body read.
const MAX_DOC: u64 = 4 << 20;

/// Where to push or resolve: registry host, repository, tag, digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// As written (`docker.io` for Docker Hub).
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl Target {
    pub fn parse(s: &str) -> Result<Target, String> {
        let r = oci_ref::parse(s).map_err(|e| format!("{s:?}: {e}"))?;
        let registry = r.registry.unwrap_or_else(|| "docker.io".into());
        let repository = if registry == "docker.io" && !r.repository.contains('/') {
            format!("library/{}", r.repository)
        } else {
            r.repository
        };
        Ok(Target {
            registry,
            repository,
            tag: r.tag,
            digest: r.digest,
        })
    }

    /// The host the API is served from.
    pub fn api_host(&self) -> &str {
        if self.registry == "docker.io" {
            "registry-1.docker.io"
        } else {
            &self.registry
        }
    }

    /// `registry/repository[:tag]`, without the digest.
    pub fn name(&self) -> String {
        match &self.tag {
            Some(t) => format!("{}/{}:{t}", self.registry, self.repository),
            None => format!("{}/{}", self.registry, self.repository),
        }
    }
}

/// Connection settings.
#[derive(Debug, Clone)]
pub struct Options {
    pub plain_http: bool,
    pub insecure_skip_tls_verify: bool,
    pub credentials: Option<Credentials>,
    /// Connect, answer and body-read timeout, each.
    pub timeout: Duration,
}

/// An answer: status, the headers we use, body.
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub digest: Option<String>,
    pub www_authenticate: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

enum Auth {
    None,
    Basic(String),
    Bearer(String),
}

pub struct Client {
    agent: ureq::Agent,
    base: String,
    pub target: Target,
    creds: Option<Credentials>,
    auth: Auth,
    scope: String,
    /// Largest answer body read (chart pulls raise it for archives).
    pub max_body: u64,
}

#[derive(Clone, Copy)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Patch,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
        }
    }
}

impl Client {
    /// A client for `target`; `push` asks for push rights with tokens.
    pub fn new(target: Target, opts: &Options, push: bool) -> Result<Client, String> {
        let tls = ureq::tls::TlsConfig::builder()
            .disable_verification(opts.insecure_skip_tls_verify)
            .build();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(opts.timeout))
            .timeout_recv_response(Some(opts.timeout))
            .timeout_recv_body(Some(opts.timeout))
            .timeout_send_body(Some(opts.timeout.max(Duration::from_secs(60))))
            .max_redirects(5)
            .tls_config(tls)
            .user_agent(format!("pchart/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let scheme = if opts.plain_http { "http" } else { "https" };
        let creds = match &opts.credentials {
            Some(c) => Some(c.clone()),
            None => super::credentials::lookup(&target.registry)?,
        };
        Ok(Client {
            agent,
            base: format!("{scheme}://{}", target.api_host()),
            scope: format!(
                "repository:{}:{}",
                target.repository,
                if push { "pull,push" } else { "pull" }
            ),
            target,
            creds,
            auth: Auth::None,
            max_body: MAX_DOC,
        })
    }

    /// `/v2/<repository>/<rest>` as a full URL.
    pub fn url(&self, rest: &str) -> String {
        format!("{}/v2/{}/{rest}", self.base, self.target.repository)
    }

    /// Resolve a `Location` header against the registry.
    pub fn absolute(&self, location: &str) -> String {
        if location.starts_with("http://") || location.starts_with("https://") {
            location.to_string()
        } else {
            format!("{}{location}", self.base)
        }
    }

    /// One request, authenticating once on a 401.
    pub fn send(
        &mut self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Answer, String> {
        let first = self.raw(method, url, headers, body, true)?;
        if first.status != 401 {
            return Ok(first);
        }
        self.authenticate(first.www_authenticate.as_deref())?;
        let again = self.raw(method, url, headers, body, true)?;
        if again.status == 401 {
            return Err(format!(
                "{} {}: 401 unauthorized: {}",
                method.as_str(),
                self.target.registry,
                if self.creds.is_some() {
                    "the registry refused the credentials"
                } else {
                    "the registry needs credentials (docker login, or --username with --password-stdin)"
                }
            ));
        }
        Ok(again)
    }

    fn raw(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
        auth: bool,
    ) -> Result<Answer, String> {
        let auth_value = match (&self.auth, auth) {
            (Auth::Basic(v), true) => Some(format!("Basic {v}")),
            (Auth::Bearer(t), true) => Some(format!("Bearer {t}")),
            _ => None,
        };
        macro_rules! with_headers {
            ($req:expr) => {{
                let mut r = $req;
                for (k, v) in headers {
                    r = r.header(*k, *v);
                }
                if let Some(a) = &auth_value {
                    r = r.header("Authorization", a);
                }
                r
            }};
        }
        let result = match method {
            Method::Get => with_headers!(self.agent.get(url)).call(),
            Method::Head => with_headers!(self.agent.head(url)).call(),
            Method::Post => with_headers!(self.agent.post(url)).send(body.unwrap_or_default()),
            Method::Put => with_headers!(self.agent.put(url)).send(body.unwrap_or_default()),
            Method::Patch => with_headers!(self.agent.patch(url)).send(body.unwrap_or_default()),
        };
        let mut resp = result.map_err(|e| {
            format!(
                "{} {}: {}",
                method.as_str(),
                strip_query(url),
                transport_reason(&e)
            )
        })?;
        let h = |k: &str| {
            resp.headers()
                .get(k)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (location, digest, www, ct) = (
            h("location"),
            h("docker-content-digest"),
            h("www-authenticate"),
            h("content-type"),
        );
        let status = resp.status().as_u16();
        let body = if matches!(method, Method::Head) {
            Vec::new()
        } else {
            resp.body_mut()
                .with_config()
                .limit(self.max_body)
                .read_to_vec()
                .map_err(|e| {
                    format!(
                        "{} {}: reading the answer: {}",
                        method.as_str(),
                        strip_query(url),
                        transport_reason(&e)
                    )
                })?
        };
        Ok(Answer {
            status,
            location,
            digest,
            www_authenticate: www,
            content_type: ct,
            body,
        })
    }

    /// Answer a 401 challenge: Basic with the credentials, or a Bearer
    /// token from the realm (with the credentials if any).
    fn authenticate(&mut self, challenge: Option<&str>) -> Result<(), String> {
        let challenge = challenge.unwrap_or_default();
        let (scheme, params) = parse_challenge(challenge);
        match scheme.to_ascii_lowercase().as_str() {
            "basic" => {
                let c = self.creds.as_ref().ok_or_else(|| {
                    format!(
                        "{}: 401 unauthorized: the registry needs credentials (docker login, or --username with --password-stdin)",
                        self.target.registry
                    )
                })?;
                self.auth = Auth::Basic(basic(c));
                Ok(())
            }
            "bearer" => {
                let realm = params
                    .iter()
                    .find(|(k, _)| k == "realm")
                    .map(|(_, v)| v.clone())
                    .ok_or("the registry's Bearer challenge has no realm")?;
                let mut url = format!("{realm}?scope={}", encode(&self.scope));
                if let Some((_, s)) = params.iter().find(|(k, _)| k == "service") {
                    url.push_str(&format!("&service={}", encode(s)));
                }
                let basic_value = self.creds.as_ref().map(|c| format!("Basic {}", basic(c)));
                let mut req = self.agent.get(&url);
                if let Some(b) = &basic_value {
                    req = req.header("Authorization", b);
                }
                let mut resp = req.call().map_err(|e| {
                    format!(
                        "token request to {}: {}",
                        strip_query(&realm),
                        transport_reason(&e)
                    )
                })?;
                let status = resp.status().as_u16();
                let body = resp
                    .body_mut()
                    .with_config()
                    .limit(MAX_DOC)
                    .read_to_vec()
                    .map_err(|e| format!("token request: {}", transport_reason(&e)))?;
                if status != 200 {
                    return Err(format!(
                        "token request to {}: {status}: {}",
                        strip_query(&realm),
                        registry_words(&body)
                    ));
                }
                let v: serde_json::Value = serde_json::from_slice(&body).map_err(|_| {
                    format!(
                        "token request to {}: the answer is not JSON",
                        strip_query(&realm)
                    )
                })?;
                let token = v["token"]
                    .as_str()
                    .or(v["access_token"].as_str())
                    .filter(|t| !t.is_empty())
                    .ok_or("the token server's answer has no token")?;
                self.auth = Auth::Bearer(token.to_string());
                Ok(())
            }
            _ => Err(format!(
                "{}: 401 unauthorized with no usable challenge ({:?})",
                self.target.registry, scheme
            )),
        }
    }

    /// The manifest `reference` (tag or digest) names: its bytes, media
    /// type and digest, the digest checked against `Docker-Content-Digest`.
    pub fn get_manifest(&mut self, reference: &str) -> Result<(Vec<u8>, String, String), String> {
        let url = self.url(&format!("manifests/{reference}"));
        let a = self.send(Method::Get, &url, &[("Accept", ACCEPT)], None)?;
        if a.status != 200 {
            return Err(self.failure("GET", &format!("manifests/{reference}"), &a));
        }
        let doc: Option<serde_json::Value> = serde_json::from_slice(&a.body).ok();
        if doc.as_ref().is_none_or(|v| v["schemaVersion"] != 2) {
            return Err(format!(
                "{}: the registry's answer is not an image manifest or index ({})",
                self.target.name(),
                registry_words(&a.body)
            ));
        }
        let digest = super::sha256(&a.body);
        if let Some(d) = &a.digest
            && d != &digest
        {
            return Err(format!(
                "{}: the manifest hashes to {digest} but the registry says {d}",
                self.target.name()
            ));
        }
        if reference.starts_with("sha256:") && reference != digest {
            return Err(format!(
                "{}: asked for {reference}, the registry answered content hashing to {digest}",
                self.target.name()
            ));
        }
        let media = a
            .content_type
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        Ok((a.body, media, digest))
    }

    /// A blob's bytes, at most `max`, checked against its digest.
    pub fn get_blob(&mut self, digest: &str, max: u64) -> Result<Vec<u8>, String> {
        let url = self.url(&format!("blobs/{digest}"));
        let auth_retry = self.send(Method::Head, &url, &[], None)?;
        if auth_retry.status != 200 {
            return Err(self.failure("HEAD", &format!("blobs/{digest}"), &auth_retry));
        }
        let auth_value = match &self.auth {
            Auth::Basic(v) => Some(format!("Basic {v}")),
            Auth::Bearer(t) => Some(format!("Bearer {t}")),
            Auth::None => None,
        };
        let mut req = self.agent.get(&url);
        if let Some(a) = &auth_value {
            req = req.header("Authorization", a);
        }
        let mut resp = req
            .call()
            .map_err(|e| format!("GET {}: {}", strip_query(&url), transport_reason(&e)))?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(max)
            .read_to_vec()
            .map_err(|e| format!("GET blobs/{digest}: {}", transport_reason(&e)))?;
        if status != 200 {
            return Err(format!(
                "GET {}/{}/blobs/{digest}: {status}: {}",
                self.target.registry,
                self.target.repository,
                registry_words(&body)
            ));
        }
        if super::sha256(&body) != digest {
            return Err(format!(
                "blob {digest}: the registry sent content with another hash"
            ));
        }
        Ok(body)
    }

    /// A failed answer in the registry's own words.
    pub fn failure(&self, method: &str, what: &str, a: &Answer) -> String {
        format!(
            "{method} {}/{}/{what}: {}: {}",
            self.target.registry,
            self.target.repository,
            a.status,
            registry_words(&a.body)
        )
    }
}

fn basic(c: &Credentials) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", c.username, c.secret))
}

/// The query of an upload URL carries state, not secrets, but long; errors
/// show the path only.
fn strip_query(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

fn transport_reason(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        ureq::Error::Io(io) => crate::input::io_reason(io),
        other => other.to_string(),
    }
}

/// `errors[].code: message` of a distribution error body, else a short,
/// printable cut of the body.
pub fn registry_words(body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body)
        && let Some(errs) = v["errors"].as_array()
    {
        let parts: Vec<String> = errs
            .iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    e["code"].as_str().unwrap_or("ERROR"),
                    e["message"].as_str().unwrap_or("")
                )
            })
            .collect();
        if !parts.is_empty() {
            return parts.join("; ");
        }
    }
    let text: String = String::from_utf8_lossy(body)
        .chars()
        .filter(|c| !c.is_control() || *c == ' ')
        .take(200)
        .collect();
    if text.trim().is_empty() {
        "(no explanation in the answer)".into()
    } else {
        text.trim().to_string()
    }
}

/// `Scheme k="v", k2=v2`.
pub fn parse_challenge(s: &str) -> (String, Vec<(String, String)>) {
    let s = s.trim();
    let (scheme, rest) = s.split_once(' ').unwrap_or((s, ""));
    let mut params = Vec::new();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        let Some((k, after)) = rest.split_once('=') else {
            break;
        };
        let k = k.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (v, tail) = if let Some(q) = after.strip_prefix('"') {
            match q.find('"') {
                Some(end) => (q[..end].to_string(), &q[end + 1..]),
                None => (q.to_string(), ""),
            }
        } else {
            match after.find(',') {
                Some(end) => (after[..end].trim().to_string(), &after[end..]),
                None => (after.trim().to_string(), ""),
            }
        };
        params.push((k, v));
        rest = tail.trim_start().trim_start_matches(',').trim_start();
    }
    (scheme.to_string(), params)
}

/// Percent-encoding of a query value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges() {
        let (s, p) = parse_challenge(
            r#"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push""#,
        );
        assert_eq!(s, "Bearer");
        assert_eq!(
            p[0],
            ("realm".into(), "https://auth.example.com/token".into())
        );
        assert_eq!(p[1], ("service".into(), "registry.example.com".into()));
        assert_eq!(p[2], ("scope".into(), "repository:a/b:pull,push".into()));
        assert_eq!(
            parse_challenge("Basic realm=x").1,
            vec![("realm".into(), "x".into())]
        );
    }

    #[test]
    fn targets() {
        let t = Target::parse("nginx:1").map_err(|e| e.to_string());
        assert_eq!(
            t.as_ref().map(|t| t.repository.as_str()),
            Ok("library/nginx")
        );
        assert_eq!(t.as_ref().map(Target::api_host), Ok("registry-1.docker.io"));
        let t = Target::parse("127.0.0.1:5000/a/b:v1").map_err(|e| e.to_string());
        assert_eq!(t.map(|t| t.name()), Ok("127.0.0.1:5000/a/b:v1".into()));
        assert_eq!(
            encode("repository:a/b:pull,push"),
            "repository%3Aa%2Fb%3Apull%2Cpush"
        );
    }

    #[test]
    fn words() {
        assert_eq!(
            registry_words(
                br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#
            ),
            "MANIFEST_UNKNOWN: manifest unknown"
        );
        assert_eq!(registry_words(b"\x01oops\n"), "oops");
    }
}
