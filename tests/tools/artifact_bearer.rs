//! The Bearer token flow against a real `docker-registry` configured for
//! token auth, with a small token server here: it checks Basic
//! credentials and issues RS256 JWTs signed with a key whose self-signed
//! certificate (made by openssl) the registry trusts. skopeo, going through
//! the same flow, must agree on the digest.

use crate::support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Output};
use std::time::SystemTime;

use base64::Engine;
use support::{artifact_build, docker_registry, pchart_io, push_as, skopeo_digest, tool};

const SERVICE: &str = "pchart-test-registry";
const ISSUER: &str = "pchart-test-issuer";

fn b64url(b: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// A token server answering `GET /token?scope=…&service=…` for user:password.
fn token_server(
    key_pem: String,
    cert_der: Vec<u8>,
    user: &'static str,
    password: &'static str,
) -> u16 {
    use rsa::pkcs8::DecodePrivateKey;
    use signature::{SignatureEncoding, Signer};
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&key_pem).expect("key");
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key);
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let mut r = BufReader::new(&s);
            let mut line = String::new();
            let _ = r.read_line(&mut line);
            let mut auth = String::new();
            loop {
                let mut h = String::new();
                if r.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                if h.to_ascii_lowercase().starts_with("authorization:") {
                    auth = h[14..].trim().to_string();
                }
            }
            let expected = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            );
            let mut w = &s;
            if auth != expected {
                let _ = w.write_all(
                    b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
                continue;
            }
            // scope=repository:NAME:ACTIONS (percent-encoded)
            let query = line.split_whitespace().nth(1).unwrap_or_default();
            let scope = query
                .split(['?', '&'])
                .find_map(|kv| kv.strip_prefix("scope="))
                .unwrap_or_default()
                .replace("%3A", ":")
                .replace("%2F", "/")
                .replace("%2C", ",");
            let mut parts = scope.splitn(3, ':');
            let (_, name, actions) = (
                parts.next(),
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            );
            let now = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            let header = serde_json::json!({"typ": "JWT", "alg": "RS256", "x5c": [base64::engine::general_purpose::STANDARD.encode(&cert_der)]});
            let claims = serde_json::json!({
                "iss": ISSUER, "sub": user, "aud": SERVICE, "exp": now + 300, "nbf": now - 10, "iat": now - 10,
                "jti": format!("{now}-{name}"),
                "access": [{"type": "repository", "name": name, "actions": actions.split(',').collect::<Vec<_>>()}],
            });
            let signing_input = format!(
                "{}.{}",
                b64url(header.to_string().as_bytes()),
                b64url(claims.to_string().as_bytes())
            );
            let sig = signer.sign(signing_input.as_bytes()).to_vec();
            let body = serde_json::json!({"token": format!("{signing_input}.{}", b64url(&sig))})
                .to_string();
            let _ = write!(
                w,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

fn pchart(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    pchart_io(args, Some(stdin), env)
}

fn pem_der(pem: &str) -> Vec<u8> {
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("pem")
}

#[test]
fn bearer_token_flow_with_a_real_registry() {
    if !tool("docker-registry") || !tool("openssl") || !tool("skopeo") {
        return;
    }
    let t = tempfile::tempdir().expect("tmp");
    let (key, cert) = (t.path().join("key.pem"), t.path().join("cert.pem"));
    let o = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=pchart-token",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cert_pem = std::fs::read_to_string(&cert).expect("cert");
    let token_port = token_server(
        std::fs::read_to_string(&key).expect("key"),
        pem_der(&cert_pem),
        "ci",
        "tok3n-pass",
    );
    let (_reg, port) = docker_registry(
        t.path(),
        "",
        &format!(
            "auth:\n  token:\n    realm: http://127.0.0.1:{token_port}/token\n    service: {SERVICE}\n    issuer: {ISSUER}\n    rootcertbundle: {}\n",
            cert.display()
        ),
    );
    let src = t.path().join("src");
    std::fs::create_dir_all(src.join("projects")).expect("mkdir");
    std::fs::write(
        src.join("projects/demo.yaml"),
        "kind: Project\nmetadata: {name: demo}\n",
    )
    .expect("w");
    let lay = t.path().join("lay");
    let o = artifact_build(&src, &lay, &["--tag", "v1"]);
    let digest = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let r = format!("127.0.0.1:{port}/acme/dash:v1");
    let l = lay.to_string_lossy().into_owned();
    // Anonymous: the token server refuses; a clear error, exit 2.
    let o = pchart(&["artifact", "push", &l, &r, "--plain-http"], "", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("token request"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // With credentials: Basic to the token server, Bearer to the registry.
    let o = push_as(&l, &r, "ci", "tok3n-pass\n");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !all.contains("tok3n") && !all.contains("eyJ"),
        "no secret or token printed: {all}"
    );
    // Resolve with the docker configuration's credentials.
    let dc = t.path().join("docker");
    std::fs::create_dir_all(&dc).expect("mkdir");
    let auth = base64::engine::general_purpose::STANDARD.encode("ci:tok3n-pass");
    std::fs::write(
        dc.join("config.json"),
        format!("{{\"auths\":{{\"127.0.0.1:{port}\":{{\"auth\":\"{auth}\"}}}}}}"),
    )
    .expect("w");
    let o = pchart(
        &["artifact", "resolve", &r, "--plain-http"],
        "",
        &[("DOCKER_CONFIG", &dc.to_string_lossy())],
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        digest,
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // skopeo through the same token flow sees the same manifest.
    assert_eq!(
        skopeo_digest(&format!("docker://{r}"), Some("ci:tok3n-pass")),
        digest
    );
}
