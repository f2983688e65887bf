//! Registry connection flags, defined once: `artifact push/resolve/pin`,
//! `pull`, and the commands that fetch an oci:// chart or (`lint --pull`)
//! look inside an artifact.

use std::io::Read;
use std::sync::OnceLock;

use clap::Args;

/// Registry connection flags.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Registry")]
pub struct RegistryArgs {
    /// Talk HTTP, not HTTPS (a local registry).
    #[arg(long)]
    pub plain_http: bool,
    /// Accept any TLS certificate (a registry with a self-signed one).
    #[arg(long)]
    pub insecure_skip_tls_verify: bool,
    /// User name for the registry (with --password-stdin).
    #[arg(long, short = 'u', requires = "password_stdin")]
    pub username: Option<String>,
    /// Read the password or token from standard input.
    #[arg(long, requires = "username")]
    pub password_stdin: bool,
    /// Seconds to wait for a connection, an answer or more of a body.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
}

impl Default for RegistryArgs {
    /// The flags' defaults, as clap gives them.
    fn default() -> Self {
        RegistryArgs {
            plain_http: false,
            insecure_skip_tls_verify: false,
            username: None,
            password_stdin: false,
            timeout: 30,
        }
    }
}

impl RegistryArgs {
    /// The connection options; the password is read from standard input
    /// once per process, however many registries a command talks to.
    pub fn options(&self) -> Result<pchart::oci::registry::Options, String> {
        let r = self;
        let credentials = match &r.username {
            Some(u) => Some(pchart::oci::credentials::Credentials {
                username: u.clone(),
                secret: password_from_stdin()?,
            }),
            None => None,
        };
        if r.timeout == 0 {
            return Err("--timeout must be at least 1 second".into());
        }
        Ok(pchart::oci::registry::Options {
            plain_http: r.plain_http,
            insecure_skip_tls_verify: r.insecure_skip_tls_verify,
            credentials,
            timeout: std::time::Duration::from_secs(r.timeout),
        })
    }
}

/// `--password-stdin`: standard input is read once; a second registry of
/// the same command gets the same secret.
fn password_from_stdin() -> Result<String, String> {
    static SECRET: OnceLock<Result<String, String>> = OnceLock::new();
    SECRET
        .get_or_init(|| {
            let mut secret = String::new();
            std::io::stdin()
                .take(64 << 10)
                .read_to_string(&mut secret)
                .map_err(|e| format!("--password-stdin: cannot read standard input ({e})"))?;
            let secret = secret.trim_end_matches(['\n', '\r']).to_string();
            if secret.is_empty() {
                return Err("--password-stdin: standard input is empty".into());
            }
            Ok(secret)
        })
        .clone()
}
