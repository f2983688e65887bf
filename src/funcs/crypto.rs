//! Sprig's cryptographic functions: `bcrypt` `htpasswd` `derivePassword`
//! `genPrivateKey` `genCA` `genSelfSignedCert` `genSignedCert` (and `WithKey`
//! variants) `buildCustomCert` `encryptAES` `decryptAES` `randBytes`.

mod der;
mod keys;
mod prime;
mod x509;

use super::encoding::{b64_decode, b64_encode};
use super::util::plain;
use crate::go::fmt as gofmt;
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::FuncMap;
use crate::value::{Object, Sig, Ty, Value};
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit, generic_array::GenericArray};
use hmac::{Hmac, Mac};
use keys::Key;
use sha2::Sha256;
use std::net::IpAddr;
use std::rc::Rc;

/// Go type name of Sprig's certificate struct.
const CERT_TY: &str = "sprig.certificate";

const S1: Sig = Sig::new(&[Ty::String], None);
const S2: Sig = Sig::new(&[Ty::String, Ty::String], None);
const INT1: Sig = Sig::new(&[Ty::Int], None);
const DERIVE: Sig = Sig::new(
    &[Ty::Uint32, Ty::String, Ty::String, Ty::String, Ty::String],
    None,
);
const CA: Sig = Sig::new(&[Ty::String, Ty::Int], None);
const CA_KEY: Sig = Sig::new(&[Ty::String, Ty::Int, Ty::String], None);
const SELF: Sig = Sig::new(&[Ty::String, Ty::List, Ty::List, Ty::Int], None);
const SELF_KEY: Sig = Sig::new(&[Ty::String, Ty::List, Ty::List, Ty::Int, Ty::String], None);
const SIGNED: Sig = Sig::new(
    &[Ty::String, Ty::List, Ty::List, Ty::Int, Ty::Struct(CERT_TY)],
    None,
);
const SIGNED_KEY: Sig = Sig::new(
    &[
        Ty::String,
        Ty::List,
        Ty::List,
        Ty::Int,
        Ty::Struct(CERT_TY),
        Ty::String,
    ],
    None,
);

pub fn register(m: &mut FuncMap) {
    m.insert(
        "bcrypt",
        plain(&S1, |_, a| Ok(Value::string(bcrypt(str_at(a, 0))))),
    );
    m.insert("htpasswd", plain(&S2, htpasswd));
    m.insert("derivePassword", plain(&DERIVE, derive_password));
    m.insert("genPrivateKey", plain(&S1, gen_private_key));
    m.insert("buildCustomCert", plain(&S2, build_custom_cert));
    m.insert("genCA", plain(&CA, gen_ca));
    m.insert("genCAWithKey", plain(&CA_KEY, gen_ca));
    m.insert("genSelfSignedCert", plain(&SELF, gen_self_signed));
    m.insert(
        "genSelfSignedCertWithKey",
        plain(&SELF_KEY, gen_self_signed),
    );
    m.insert("genSignedCert", plain(&SIGNED, gen_signed));
    m.insert("genSignedCertWithKey", plain(&SIGNED_KEY, gen_signed));
    m.insert("encryptAES", plain(&S2, encrypt_aes));
    m.insert("decryptAES", plain(&S2, decrypt_aes));
    m.insert("randBytes", plain(&INT1, rand_bytes));
}

/// Argument `i`, already checked by the executor to be a string.
fn str_at(a: &[Value], i: usize) -> &str {
    a.get(i).and_then(Value::as_str).unwrap_or("")
}

fn int_at(a: &[Value], i: usize) -> i64 {
    match a.get(i) {
        Some(Value::Int(n, _)) => *n,
        _ => 0,
    }
}

fn err(s: impl Into<String>) -> FuncErr {
    FuncErr::msg(s)
}

// ---- bcrypt / htpasswd -------------------------------------------------

/// Go's bcrypt at the default cost (10), `$2a$` prefix; failures are
/// returned as text, as Sprig does.
fn bcrypt(input: &str) -> String {
    if input.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .into();
    }
    match ::bcrypt::hash_with_result(input, 10) {
        Ok(h) => h.format_for_version(::bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

fn htpasswd(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let user = str_at(a, 0);
    if user.contains(':') {
        return Ok(Value::string(format!("invalid username: {user}")));
    }
    Ok(Value::string(format!("{user}:{}", bcrypt(str_at(a, 1)))))
}

// ---- derivePassword (Master Password algorithm) -----------------------

const MP_SEED: &[u8] = b"com.lyndir.masterpassword";

fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// Seed + big-endian u32 length + text, the Master Password message layout.
fn mp_scope(text: &str) -> Vec<u8> {
    let mut v = MP_SEED.to_vec();
    v.extend_from_slice(&(text.len() as u32).to_be_bytes());
    v.extend_from_slice(text.as_bytes());
    v
}

fn derive_password(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let counter = int_at(a, 0) as u32;
    derive_core(
        counter,
        str_at(a, 1),
        str_at(a, 2),
        str_at(a, 3),
        str_at(a, 4),
    )
    .map(Value::string)
}

fn derive_core(
    counter: u32,
    kind: &str,
    password: &str,
    user: &str,
    site: &str,
) -> Result<String, FuncErr> {
    let Some(templates) = password_templates(kind) else {
        return Ok(format!("cannot find password template {kind}"));
    };
    let mut key = [0u8; 64];
    let params = scrypt::Params::new(15, 8, 2, 64).map_err(|e| err(e.to_string()))?;
    scrypt::scrypt(password.as_bytes(), &mp_scope(user), &params, &mut key)
        .map_err(|e| err(format!("failed to derive password: {e}")))?;
    let mut msg = mp_scope(site);
    msg.extend_from_slice(&counter.to_be_bytes());
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).map_err(|e| err(e.to_string()))?;
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let tpl = templates[usize::from(seed[0]) % templates.len()];
    let out: String = tpl
        .bytes()
        .enumerate()
        .map(|(i, class)| {
            let chars = template_chars(class);
            chars[usize::from(seed[i + 1]) % chars.len()] as char
        })
        .collect();
    Ok(out)
}

// ---- keys and certificates --------------------------------------------

fn gen_private_key(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let typ = str_at(a, 0);
    Ok(Value::string(match keys::generate(typ) {
        None => format!("Unknown type {typ}"),
        Some(Ok(k)) => k.to_pem(),
        Some(Err(e)) => format!("failed to generate private key: {e}"),
    }))
}

/// Sprig's `certificate{Cert, Key string}`.
#[derive(Debug)]
struct Certificate {
    cert: Rc<str>,
    key: Rc<str>,
}

impl Object for Certificate {
    fn type_name(&self) -> &str {
        CERT_TY
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::String(self.cert.clone())),
            "Key" => Some(Value::String(self.key.clone())),
            _ => None,
        }
    }
    fn format(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }
}

fn cert_value(cert: String, key: String) -> Value {
    Value::Object(Rc::new(Certificate {
        cert: Rc::from(cert),
        key: Rc::from(key),
    }))
}

/// The certificate and key PEM strings of a `sprig.certificate` argument.
fn cert_fields(v: Option<&Value>) -> (String, String) {
    let get = |name| match v {
        Some(Value::Object(o)) => o
            .field(name)
            .and_then(|f| f.as_str().map(str::to_string))
            .unwrap_or_default(),
        _ => String::new(),
    };
    (get("Cert"), get("Key"))
}

/// Sprig's `getNetIPs`; nil gives an empty list.
fn net_ips(v: Option<&Value>) -> Result<Vec<IpAddr>, FuncErr> {
    let mut out = Vec::new();
    if let Some(Value::List(items, _)) = v {
        for ip in items.iter() {
            let Value::String(s) = ip else {
                let shown = gofmt::sprint_one(ip);
                return Err(err(format!("error parsing ip: {shown} is not a string")));
            };
            out.push(parse_ip(s).ok_or_else(|| err(format!("error parsing ip: {s}")))?);
        }
    }
    Ok(out)
}

/// Go's `net.ParseIP`: dotted IPv4 or IPv6 text, no zone.
fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse().ok()
}

/// Sprig's `getAlternateDNSStrs`.
fn dns_names(v: Option<&Value>) -> Result<Vec<String>, FuncErr> {
    let mut out = Vec::new();
    if let Some(Value::List(items, _)) = v {
        for d in items.iter() {
            let Value::String(s) = d else {
                let shown = gofmt::sprint_one(d);
                return Err(err(format!(
                    "error processing alternate dns name: {shown} is not a string"
                )));
            };
            out.push(s.to_string());
        }
    }
    Ok(out)
}

/// A new RSA 2048 key, or the PEM key argument at `at` for `WithKey` forms.
fn signee_key(a: &[Value], at: usize) -> Result<Key, FuncErr> {
    match a.get(at).and_then(Value::as_str) {
        Some(pem) => keys::parse_pem(pem).map_err(|e| err(format!("parsing private key: {e}"))),
        None => keys::rsa_key(2048).map_err(|e| err(format!("error generating rsa key: {e}"))),
    }
}

/// Sprig's `getCertAndKey`: the signed certificate and the key, both PEM.
fn cert_and_key(
    t: &x509::Template,
    key: &Key,
    issuer: Option<&x509::Issuer>,
) -> Result<(String, String), FuncErr> {
    let der = x509::create(t, key, issuer)
        .map_err(|e| err(format!("error creating certificate: {e}")))?;
    Ok((keys::pem_encode("CERTIFICATE", &der), key.to_pem()))
}

fn to_value(r: Result<(String, String), FuncErr>) -> Result<Value, FuncErr> {
    r.map(|(cert, key)| cert_value(cert, key))
}

fn gen_ca(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let key = signee_key(a, 2)?;
    let t = x509::Template {
        cn: str_at(a, 0).to_string(),
        ips: Vec::new(),
        dns: Vec::new(),
        days: int_at(a, 1),
        is_ca: true,
    };
    to_value(cert_and_key(&t, &key, None))
}

fn leaf_template(a: &[Value]) -> Result<x509::Template, FuncErr> {
    Ok(x509::Template {
        cn: str_at(a, 0).to_string(),
        ips: net_ips(a.get(1))?,
        dns: dns_names(a.get(2))?,
        days: int_at(a, 3),
        is_ca: false,
    })
}

fn gen_self_signed(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let key = signee_key(a, 4)?;
    let t = leaf_template(a)?;
    to_value(cert_and_key(&t, &key, None))
}

fn gen_signed(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let key = signee_key(a, 5)?;
    let (ca_cert, ca_key) = cert_fields(a.get(4));
    to_value(signed_by(|| leaf_template(a), &key, &ca_cert, &ca_key))
}

/// Sprig's `generateSignedCertificateWithKeyInternal`.
/// The template is built after the CA parses, so errors come in Go's order.
fn signed_by(
    template: impl FnOnce() -> Result<x509::Template, FuncErr>,
    key: &Key,
    ca_cert: &str,
    ca_key: &str,
) -> Result<(String, String), FuncErr> {
    let (_, der) = keys::pem_decode(ca_cert).ok_or_else(|| err("unable to decode certificate"))?;
    let parsed = x509::parse(&der).map_err(|e| {
        err(format!(
            "error parsing certificate: decodedSignerCert.Bytes: {e}"
        ))
    })?;
    let signer =
        keys::parse_pem(ca_key).map_err(|e| err(format!("error parsing private key: {e}")))?;
    let issuer = x509::Issuer {
        subject: parsed.subject,
        key_id: parsed.key_id,
        spki: Some(parsed.spki),
        key: &signer,
    };
    cert_and_key(&template()?, key, Some(&issuer))
}

fn build_custom_cert(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let cert = b64_decode(str_at(a, 0)).map_err(|_| err("unable to decode base64 certificate"))?;
    let key = b64_decode(str_at(a, 1)).map_err(|_| err("unable to decode base64 private key"))?;
    let cert = String::from_utf8_lossy(&cert).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let (_, der) = keys::pem_decode(&cert).ok_or_else(|| err("unable to decode certificate"))?;
    x509::parse(&der)
        .map_err(|e| err(format!("error parsing certificate: decodedCert.Bytes: {e}")))?;
    keys::parse_pem(&key).map_err(|e| err(format!("error parsing private key: {e}")))?;
    Ok(cert_value(cert, key))
}

// ---- AES-256-CBC -------------------------------------------------------

/// The password copied into a zeroed 32-byte key (longer ones truncated).
fn aes_key(password: &str) -> aes::Aes256 {
    let mut key = [0u8; 32];
    let n = password.len().min(32);
    key[..n].copy_from_slice(&password.as_bytes()[..n]);
    aes::Aes256::new(&GenericArray::from(key))
}

fn encrypt_aes(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    encrypt_core(str_at(a, 0), str_at(a, 1)).map(Value::string)
}

fn encrypt_core(password: &str, plaintext: &str) -> Result<String, FuncErr> {
    let plaintext = plaintext.as_bytes();
    if plaintext.is_empty() {
        return Ok(String::new());
    }
    let cipher = aes_key(password);
    let pad = 16 - plaintext.len() % 16;
    let mut data = plaintext.to_vec();
    data.extend(std::iter::repeat_n(pad as u8, pad));
    let mut out = vec![0u8; 16];
    getrandom::fill(&mut out).map_err(|e| err(e.to_string()))?;
    let mut prev: [u8; 16] = [0; 16];
    prev.copy_from_slice(&out);
    for chunk in data.chunks(16) {
        let mut block = GenericArray::from(prev);
        for (b, p) in block.iter_mut().zip(chunk) {
            *b ^= p;
        }
        cipher.encrypt_block(&mut block);
        prev.copy_from_slice(&block);
        out.extend_from_slice(&block);
    }
    Ok(b64_encode(&out))
}

/// Sprig's decryptAES, including the Go panics its unchecked slicing hits.
fn decrypt_aes(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    decrypt_core(str_at(a, 0), str_at(a, 1)).map(Value::string)
}

fn decrypt_core(password: &str, crypt64: &str) -> Result<String, FuncErr> {
    if crypt64.is_empty() {
        return Ok(String::new());
    }
    let cipher = aes_key(password);
    let crypt = b64_decode(crypt64).map_err(err)?;
    if crypt.len() < 16 {
        return Err(err(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            crypt.len()
        )));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err(err("crypto/cipher: input not full blocks"));
    }
    let mut prev = aes::Block::clone_from_slice(iv);
    let mut plain = Vec::with_capacity(body.len());
    for chunk in body.chunks(16) {
        let mut block = aes::Block::clone_from_slice(chunk);
        cipher.decrypt_block(&mut block);
        for (b, p) in block.iter_mut().zip(prev.iter()) {
            *b ^= p;
        }
        plain.extend_from_slice(&block);
        prev = aes::Block::clone_from_slice(chunk);
    }
    let Some(&last) = plain.last() else {
        return Err(err("runtime error: index out of range [-1]"));
    };
    let keep = plain.len() as i64 - i64::from(last);
    if keep < 0 {
        return Err(err(format!(
            "runtime error: slice bounds out of range [:{keep}]"
        )));
    }
    plain.truncate(keep as usize);
    Ok(String::from_utf8_lossy(&plain).into_owned())
}

// ---- randBytes ---------------------------------------------------------

/// Largest count we allocate; Go would try (and likely die) far beyond it.
const MAX_RAND_BYTES: i64 = 1 << 30;

fn rand_bytes(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let count = int_at(a, 0);
    if count < 0 {
        return Err(err("runtime error: makeslice: len out of range"));
    }
    if count > MAX_RAND_BYTES {
        return Err(err(format!(
            "randBytes: count {count} exceeds the limit of {MAX_RAND_BYTES} bytes"
        )));
    }
    let mut buf = vec![0u8; count as usize];
    getrandom::fill(&mut buf).map_err(|e| err(e.to_string()))?;
    Ok(Value::string(b64_encode(&buf)))
}

#[cfg(test)]
mod tests;
