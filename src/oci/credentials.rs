//! Registry credentials as every registry tool finds them: the docker
//! configuration (`$DOCKER_CONFIG/config.json`, else
//! `~/.docker/config.json`): `credHelpers` for the host, else
//! `credsStore`, through `docker-credential-<name> get`; else `auths`
//! (`auth` = base64 `user:password`, or `username`/`password`).
//! Secrets stay in memory: no message ever contains one.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use base64::Engine;

/// A user name and password (or token).
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({:?}, <hidden>)", self.username)
    }
}

fn config_path() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("config.json"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker/config.json"))
}

/// The keys a host may be stored under (Docker Hub's historical URL).
fn keys(host: &str) -> Vec<String> {
    let mut k = vec![
        host.to_string(),
        format!("https://{host}"),
        format!("http://{host}"),
        format!("https://{host}/v1/"),
        format!("https://{host}/v2/"),
    ];
    if host == "docker.io" || host == "registry-1.docker.io" || host == "index.docker.io" {
        k.push("https://index.docker.io/v1/".into());
    }
    k
}

/// Credentials for `host` from the docker configuration, if any.
pub fn lookup(host: &str) -> Result<Option<Credentials>, String> {
    match config_path() {
        Some(path) => lookup_in(&path, host),
        None => Ok(None),
    }
}

/// Credentials for `host` from a file in the docker configuration's
/// format (Helm's `registry/config.json` is one).
pub fn lookup_in(path: &std::path::Path, host: &str) -> Result<Option<Credentials>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "{}: {}",
                path.display(),
                crate::input::io_reason(&e)
            ));
        }
    };
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not valid JSON ({e})", path.display()))?;
    let keys = keys(host);
    if let Some(helper) = keys.iter().find_map(|k| v["credHelpers"][k].as_str()) {
        return helper_get(helper, host);
    }
    for k in &keys {
        let entry = &v["auths"][k];
        if let Some(a) = entry["auth"].as_str().filter(|a| !a.is_empty()) {
            let raw = base64::engine::general_purpose::STANDARD
                .decode(a.trim())
                .map_err(|_| format!("{}: auths.{k}.auth is not base64", path.display()))?;
            let s = String::from_utf8(raw)
                .map_err(|_| format!("{}: auths.{k}.auth is not UTF-8", path.display()))?;
            let (u, p) = s.split_once(':').ok_or_else(|| {
                format!("{}: auths.{k}.auth is not user:password", path.display())
            })?;
            return Ok(Some(Credentials {
                username: u.into(),
                secret: p.into(),
            }));
        }
        if let (Some(u), Some(p)) = (entry["username"].as_str(), entry["password"].as_str()) {
            return Ok(Some(Credentials {
                username: u.into(),
                secret: p.into(),
            }));
        }
    }
    if let Some(store) = v["credsStore"].as_str().filter(|s| !s.is_empty()) {
        return helper_get(store, host);
    }
    Ok(None)
}

/// `docker-credential-NAME get` with the host on standard input.
fn helper_get(name: &str, host: &str) -> Result<Option<Credentials>, String> {
    let prog = format!("docker-credential-{name}");
    let mut child = Command::new(&prog)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{prog}: cannot run it ({})", crate::input::io_reason(&e)))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(host.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{prog}: {}", crate::input::io_reason(&e)))?;
    if !out.status.success() {
        // "credentials not found in native keychain": anonymous access.
        return Ok(None);
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|_| format!("{prog} get: its answer is not the JSON credential helpers give"))?;
    match (v["Username"].as_str(), v["Secret"].as_str()) {
        (Some(u), Some(s)) if !s.is_empty() => Ok(Some(Credentials {
            username: u.into(),
            secret: s.into(),
        })),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let c = Credentials {
            username: "u".into(),
            secret: "hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
