//! Private keys as Sprig handles them: generation (`genPrivateKey`), PEM
//! encoding (`pemBlockForKey`), PEM parsing (`parsePrivateKeyPEM`), and the
//! public-key and signing pieces `x509.CreateCertificate` needs.

use super::der::{self, Reader};
use crate::funcs::encoding::{b64_decode, b64_encode};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use rand_core::OsRng;
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::{BigUint, RsaPrivateKey};
use sha2::Sha256;
use signature::hazmat::PrehashSigner;
use signature::{SignatureEncoding, Signer};

pub enum Key {
    Rsa(Box<RsaPrivateKey>),
    P224(p224::SecretKey),
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    P521(p521::SecretKey),
    Ed25519(Box<ed25519_dalek::SigningKey>),
    Dsa(Box<dsa::SigningKey>),
}

const OID_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 1];
const OID_EC: &[u64] = &[1, 2, 840, 10045, 2, 1];
const OID_ED25519: &[u64] = &[1, 3, 101, 112];
const OID_P224: &[u64] = &[1, 3, 132, 0, 33];
const OID_P256: &[u64] = &[1, 2, 840, 10045, 3, 1, 7];
const OID_P384: &[u64] = &[1, 3, 132, 0, 34];
const OID_P521: &[u64] = &[1, 3, 132, 0, 35];

/// A fresh RSA key of `bits` bits, e = 65537.
pub fn rsa_key(bits: usize) -> Result<Key, String> {
    // Two primes of half the size each (top two bits set, so n has exactly
    // `bits` bits), found by our faster Miller-Rabin (see `prime`).
    let p = super::prime::random_prime(bits / 2);
    let mut q = super::prime::random_prime(bits - bits / 2);
    while q == p {
        q = super::prime::random_prime(bits - bits / 2);
    }
    RsaPrivateKey::from_p_q(p, q, rsa::BigUint::from(65537u32))
        .map(|k| Key::Rsa(Box::new(k)))
        .map_err(|e| e.to_string())
}

/// Sprig's `genPrivateKey` key types and sizes.
pub fn generate(typ: &str) -> Option<Result<Key, String>> {
    Some(match typ {
        "" | "rsa" => rsa_key(4096),
        "dsa" => {
            let params = dsa::Components::generate(&mut OsRng, dsa::KeySize::DSA_2048_256);
            Ok(Key::Dsa(Box::new(dsa::SigningKey::generate(
                &mut OsRng, params,
            ))))
        }
        "ecdsa" => Ok(Key::P256(p256::SecretKey::random(&mut OsRng))),
        "ed25519" => Ok(Key::Ed25519(Box::new(ed25519_dalek::SigningKey::generate(
            &mut OsRng,
        )))),
        _ => return None,
    })
}

/// PEM armour with 64-column base64 lines, as Go's `pem.Encode`.
pub fn pem_encode(typ: &str, der: &[u8]) -> String {
    let b64 = b64_encode(der);
    let mut out = format!("-----BEGIN {typ}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {typ}-----\n"));
    out
}

/// Go's `pem.Decode`: the first well-formed block, or None.
pub fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let mut rest = text;
    loop {
        let start = if rest.starts_with("-----BEGIN ") {
            0
        } else {
            rest.find("\n-----BEGIN ")? + 1
        };
        let after = &rest[start + "-----BEGIN ".len()..];
        rest = after;
        let line_end = after.find('\n').unwrap_or(after.len());
        let line = after[..line_end].trim_end_matches([' ', '\t', '\r']);
        let Some(typ) = line.strip_suffix("-----") else {
            continue;
        };
        let body = &after[(line_end + 1).min(after.len())..];
        let end_marker = format!("-----END {typ}-----");
        let Some(end) = find_end(body, &end_marker) else {
            continue;
        };
        let b64: String = body[..end]
            .lines()
            .filter(|l| !l.contains(':'))
            .flat_map(|l| l.chars().filter(|c| !c.is_ascii_whitespace()))
            .collect();
        if let Ok(bytes) = b64_decode(&b64) {
            return Some((typ.to_string(), bytes));
        }
    }
}

/// Offset of the END line, which must start a line and end at a line end.
fn find_end(body: &str, marker: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = body[from..].find(marker) {
        let at = from + i;
        let line_start = at == 0 || body.as_bytes()[at - 1] == b'\n';
        let tail = &body[at + marker.len()..];
        let tail_line = tail.split('\n').next().unwrap_or("");
        if line_start && tail_line.trim_end_matches([' ', '\t', '\r']).is_empty() {
            return Some(at);
        }
        from = at + marker.len();
    }
    None
}

fn dsa_be(n: &dsa::BigUint) -> Vec<u8> {
    n.to_bytes_be()
}

/// Left-pads a big-endian scalar to `len` bytes.
fn pad(bytes: &[u8], len: usize) -> Vec<u8> {
    let mut out = vec![0; len.saturating_sub(bytes.len())];
    out.extend_from_slice(bytes);
    out
}

impl Key {
    /// Sprig's `pemBlockForKey`: PKCS#1 for RSA, SEC 1 for EC, Go's own
    /// sequence for DSA, PKCS#8 (v1, no public key) for Ed25519.
    pub fn to_pem(&self) -> String {
        match self {
            Key::Rsa(k) => match k.to_pkcs1_der() {
                Ok(d) => pem_encode("RSA PRIVATE KEY", d.as_bytes()),
                Err(_) => String::new(),
            },
            Key::Dsa(k) => {
                let vk = k.verifying_key();
                let c = vk.components();
                let body = der::seq(&[
                    der::small_int(0),
                    der::uint(&dsa_be(c.p())),
                    der::uint(&dsa_be(c.q())),
                    der::uint(&dsa_be(c.g())),
                    der::uint(&dsa_be(vk.y())),
                    der::uint(&dsa_be(k.x())),
                ]);
                pem_encode("DSA PRIVATE KEY", &body)
            }
            Key::Ed25519(k) => {
                let body = der::seq(&[
                    der::small_int(0),
                    der::seq(&[der::oid(OID_ED25519)]),
                    der::tlv(
                        der::OCTET_STRING,
                        &der::tlv(der::OCTET_STRING, k.as_bytes()),
                    ),
                ]);
                pem_encode("PRIVATE KEY", &body)
            }
            _ => {
                let (scalar, curve, point) = self.ec_parts();
                let body = der::seq(&[
                    der::small_int(1),
                    der::tlv(der::OCTET_STRING, &scalar),
                    der::tlv(0xa0, &der::oid(curve)),
                    der::tlv(0xa1, &der::bit_string(&point)),
                ]);
                pem_encode("EC PRIVATE KEY", &body)
            }
        }
    }

    /// EC private scalar (padded), curve OID and uncompressed public point.
    fn ec_parts(&self) -> (Vec<u8>, &'static [u64], Vec<u8>) {
        match self {
            Key::P224(k) => (
                k.to_bytes().to_vec(),
                OID_P224,
                k.public_key().to_encoded_point(false).as_bytes().to_vec(),
            ),
            Key::P256(k) => (
                k.to_bytes().to_vec(),
                OID_P256,
                k.public_key().to_encoded_point(false).as_bytes().to_vec(),
            ),
            Key::P384(k) => (
                k.to_bytes().to_vec(),
                OID_P384,
                k.public_key().to_encoded_point(false).as_bytes().to_vec(),
            ),
            Key::P521(k) => (
                k.to_bytes().to_vec(),
                OID_P521,
                k.public_key().to_encoded_point(false).as_bytes().to_vec(),
            ),
            _ => (Vec::new(), &[], Vec::new()),
        }
    }

    /// Go's `x509.marshalPublicKey`: the SubjectPublicKeyInfo DER and the
    /// raw public key bits (used for the subject key identifier).
    pub fn spki(&self) -> Result<(Vec<u8>, Vec<u8>), String> {
        let (alg, bits) = match self {
            Key::Rsa(k) => {
                let pk = k
                    .to_public_key()
                    .to_pkcs1_der()
                    .map_err(|e| e.to_string())?;
                (
                    der::seq(&[der::oid(OID_RSA), der::tlv(der::NULL, &[])]),
                    pk.as_bytes().to_vec(),
                )
            }
            Key::Ed25519(k) => (
                der::seq(&[der::oid(OID_ED25519)]),
                k.verifying_key().to_bytes().to_vec(),
            ),
            Key::Dsa(_) => {
                return Err("x509: unsupported public key type: *dsa.PublicKey".into());
            }
            _ => {
                let (_, curve, point) = self.ec_parts();
                (der::seq(&[der::oid(OID_EC), der::oid(curve)]), point)
            }
        };
        Ok((der::seq(&[alg, der::bit_string(&bits)]), bits))
    }

    /// The AlgorithmIdentifier Go picks for signing with this key.
    pub fn signature_algorithm(&self) -> Result<Vec<u8>, String> {
        Ok(match self {
            Key::Rsa(_) => der::seq(&[
                der::oid(&[1, 2, 840, 113549, 1, 1, 11]),
                der::tlv(der::NULL, &[]),
            ]),
            // Go signs P-224 with SHA-256 too.
            Key::P224(_) | Key::P256(_) => der::seq(&[der::oid(&[1, 2, 840, 10045, 4, 3, 2])]),
            Key::P384(_) => der::seq(&[der::oid(&[1, 2, 840, 10045, 4, 3, 3])]),
            Key::P521(_) => der::seq(&[der::oid(&[1, 2, 840, 10045, 4, 3, 4])]),
            Key::Ed25519(_) => der::seq(&[der::oid(OID_ED25519)]),
            // Go's *dsa.PrivateKey is not a crypto.Signer.
            Key::Dsa(_) => {
                return Err(
                    "x509: certificate private key does not implement crypto.Signer".into(),
                );
            }
        })
    }

    /// Signs `msg` with the algorithm from `signature_algorithm`.
    pub fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, String> {
        let err = |e: signature::Error| e.to_string();
        Ok(match self {
            Key::Rsa(k) => rsa::pkcs1v15::SigningKey::<Sha256>::new((**k).clone())
                .try_sign(msg)
                .map_err(err)?
                .to_vec(),
            Key::P224(k) => {
                let digest = <Sha256 as sha2::Digest>::digest(msg);
                let s: p224::ecdsa::Signature = p224::ecdsa::SigningKey::from(k)
                    .sign_prehash(&digest)
                    .map_err(err)?;
                s.to_der().as_bytes().to_vec()
            }
            Key::P256(k) => {
                let s: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from(k)
                    .try_sign(msg)
                    .map_err(err)?;
                s.to_der().as_bytes().to_vec()
            }
            Key::P384(k) => {
                let s: p384::ecdsa::Signature = p384::ecdsa::SigningKey::from(k)
                    .try_sign(msg)
                    .map_err(err)?;
                s.to_der().as_bytes().to_vec()
            }
            Key::P521(k) => {
                let sk = p521::ecdsa::SigningKey::from_bytes(&k.to_bytes()).map_err(err)?;
                let s: p521::ecdsa::Signature = sk.try_sign(msg).map_err(err)?;
                s.to_der().as_bytes().to_vec()
            }
            Key::Ed25519(k) => k.try_sign(msg).map_err(err)?.to_bytes().to_vec(),
            Key::Dsa(_) => {
                return Err(
                    "x509: certificate private key does not implement crypto.Signer".into(),
                );
            }
        })
    }
}

/// Sprig's `parsePrivateKeyPEM`.
pub fn parse_pem(text: &str) -> Result<Key, String> {
    let (typ, bytes) = pem_decode(text).ok_or("no PEM data in input")?;
    if typ == "PRIVATE KEY" {
        return parse_pkcs8(&bytes).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
    }
    let Some(kind) = typ.strip_suffix(" PRIVATE KEY") else {
        return Err(format!("no private key data in PEM block of type {typ}"));
    };
    match kind {
        "RSA" => parse_pkcs1(&bytes).map_err(|e| format!("parsing RSA private key from PEM: {e}")),
        "EC" => parse_ec(&bytes).map_err(|e| format!("parsing EC private key from PEM: {e}")),
        "DSA" => parse_dsa(&bytes).map_err(|e| format!("parsing DSA private key from PEM: {e}")),
        _ => Err(format!("invalid private key type {typ}")),
    }
}

fn hint(format: &str) -> String {
    format!("x509: failed to parse private key (use {format} instead for this key format)")
}

/// Go's `x509.ParsePKCS1PrivateKey`, with its hints for other formats.
fn parse_pkcs1(der: &[u8]) -> Result<Key, String> {
    pkcs1_inner(der).map_err(|e| {
        if ec_inner(der, None).is_ok() {
            hint("ParseECPrivateKey")
        } else if pkcs8_inner(der).is_ok() {
            hint("ParsePKCS8PrivateKey")
        } else {
            e
        }
    })
}

fn pkcs1_inner(data: &[u8]) -> Result<Key, String> {
    let mut r = der::outer_seq(data, "pkcs1PrivateKey")?;
    let version = r.expect(der::INT, "int")?;
    if version.len() != 1 || version[0] > 1 {
        return Err("x509: unsupported private key version".into());
    }
    let mut ints = Vec::new();
    for _ in 0..5 {
        ints.push(BigUint::from_bytes_be(r.uint("Int").map_err(|_| {
            "x509: private key contains zero or negative value".to_string()
        })?));
    }
    let [n, e, d, p, q]: [BigUint; 5] = ints.try_into().map_err(|_| "x509: malformed key")?;
    let zero = BigUint::from(0u8);
    if n == zero || d == zero || p == zero || q == zero {
        return Err("x509: private key contains zero or negative value".into());
    }
    RsaPrivateKey::from_components(n, e, d, vec![p, q])
        .map(|k| Key::Rsa(Box::new(k)))
        .map_err(|e| format!("crypto/rsa: {e}"))
}

/// Go's `x509.ParseECPrivateKey`, with its hints for other formats.
fn parse_ec(der: &[u8]) -> Result<Key, String> {
    ec_inner(der, None).map_err(|e| {
        if e.starts_with("asn1:") {
            if pkcs8_inner(der).is_ok() {
                hint("ParsePKCS8PrivateKey")
            } else if pkcs1_inner(der).is_ok() {
                hint("ParsePKCS1PrivateKey")
            } else {
                format!("x509: failed to parse EC private key: {e}")
            }
        } else {
            e
        }
    })
}

/// An SEC 1 ECPrivateKey; `curve` comes from a PKCS#8 wrapper if any.
fn ec_inner(data: &[u8], curve: Option<&[u8]>) -> Result<Key, String> {
    let mut r = der::outer_seq(data, "ecPrivateKey")?;
    let version = r.expect(der::INT, "int")?;
    let priv_bytes = r.expect(der::OCTET_STRING, "[]uint8")?;
    let params = r.optional(0xa0)?;
    if version != [1] {
        let v = version.first().copied().unwrap_or(0);
        return Err(format!("x509: unknown EC private key version {v}"));
    }
    let named = match curve {
        Some(c) => c.to_vec(),
        None => {
            let p = params.ok_or("x509: unknown elliptic curve")?;
            Reader::new(p)
                .expect(der::OID, "ObjectIdentifier")?
                .to_vec()
        }
    };
    let is = |arcs: &[u64]| der::oid(arcs)[2..] == named[..];
    if is(OID_P224) {
        ec_secret(priv_bytes, 28).map(Key::P224)
    } else if is(OID_P256) {
        ec_secret(priv_bytes, 32).map(Key::P256)
    } else if is(OID_P384) {
        ec_secret(priv_bytes, 48).map(Key::P384)
    } else if is(OID_P521) {
        ec_secret(priv_bytes, 66).map(Key::P521)
    } else {
        Err("x509: unknown elliptic curve".into())
    }
}

/// An EC private key of a curve whose scalars take `size` bytes: a
/// shorter one is left-padded, as Go's `parseECPrivateKey` does.
fn ec_secret<C: p256::elliptic_curve::Curve>(
    priv_bytes: &[u8],
    size: usize,
) -> Result<p256::elliptic_curve::SecretKey<C>, String> {
    if priv_bytes.len() > size {
        return Err("x509: invalid private key length".into());
    }
    p256::elliptic_curve::SecretKey::from_slice(&pad(priv_bytes, size))
        .map_err(|_| "x509: invalid elliptic curve private key value".to_string())
}

/// Go's `x509.ParsePKCS8PrivateKey`, with its hints for other formats.
fn parse_pkcs8(der: &[u8]) -> Result<Key, String> {
    pkcs8_inner(der).map_err(|e| {
        if e.starts_with("asn1:") {
            if pkcs1_inner(der).is_ok() {
                hint("ParsePKCS1PrivateKey")
            } else if ec_inner(der, None).is_ok() {
                hint("ParseECPrivateKey")
            } else {
                e
            }
        } else {
            e
        }
    })
}

fn pkcs8_inner(data: &[u8]) -> Result<Key, String> {
    let mut r = der::outer_seq(data, "pkcs8")?;
    r.expect(der::INT, "int")?;
    let mut alg = Reader::new(r.expect(der::SEQ, "AlgorithmIdentifier")?);
    let oid = alg.expect(der::OID, "ObjectIdentifier")?;
    let params = if alg.is_empty() {
        None
    } else {
        Some(alg.raw()?)
    };
    let key = r.expect(der::OCTET_STRING, "[]uint8")?;
    let is = |arcs: &[u64]| der::oid(arcs)[2..] == oid[..];
    if is(OID_RSA) {
        pkcs1_inner(key)
            .map_err(|e| format!("x509: failed to parse RSA private key embedded in PKCS#8: {e}"))
    } else if is(OID_EC) {
        let curve = params
            .and_then(|p| Reader::new(p).expect(der::OID, "").ok())
            .unwrap_or(&[]);
        ec_inner(key, Some(curve))
            .map_err(|e| format!("x509: failed to parse EC private key embedded in PKCS#8: {e}"))
    } else if is(OID_ED25519) {
        if params.is_some() {
            return Err("x509: invalid Ed25519 private key parameters".into());
        }
        let seed = Reader::new(key)
            .expect(der::OCTET_STRING, "[]uint8")
            .map_err(|e| format!("x509: invalid Ed25519 private key: {e}"))?;
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| format!("x509: invalid Ed25519 private key length: {}", seed.len()))?;
        Ok(Key::Ed25519(Box::new(
            ed25519_dalek::SigningKey::from_bytes(&seed),
        )))
    } else {
        Err(format!(
            "x509: PKCS#8 wrapping contained private key with unknown algorithm: {}",
            oid_text(oid)
        ))
    }
}

/// Dotted text of an OID body, as Go prints `asn1.ObjectIdentifier`.
fn oid_text(body: &[u8]) -> String {
    let mut arcs = Vec::new();
    let mut v: u64 = 0;
    for &b in body {
        v = v.wrapping_shl(7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (v / 40).min(2);
                arcs.push(first);
                arcs.push(v - first * 40);
            } else {
                arcs.push(v);
            }
            v = 0;
        }
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// Sprig's own DSA layout: SEQUENCE { version, P, Q, G, Y, X }.
fn parse_dsa(data: &[u8]) -> Result<Key, String> {
    let mut r = der::outer_seq(data, "DSAKeyFormat")?;
    r.expect(der::INT, "int")?;
    let mut n = Vec::new();
    for _ in 0..5 {
        n.push(dsa::BigUint::from_bytes_be(r.uint("Int")?));
    }
    let [p, q, g, y, x]: [dsa::BigUint; 5] = n.try_into().map_err(|_| "malformed")?;
    let bad = |_| "invalid DSA key".to_string();
    let c = dsa::Components::from_components(p, q, g).map_err(bad)?;
    let vk = dsa::VerifyingKey::from_components(c, y).map_err(bad)?;
    dsa::SigningKey::from_components(vk, x)
        .map(|k| Key::Dsa(Box::new(k)))
        .map_err(bad)
}
