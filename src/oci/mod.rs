//! The OCI distribution client both the artifact commands and remote
//! charts use: registry requests with credentials and timeouts, and
//! content digests.

pub mod credentials;
pub mod reference;
pub mod registry;

use sha2::{Digest, Sha256};

/// `sha256:<hex>` of `bytes`: a blob's content digest.
pub fn sha256(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}
