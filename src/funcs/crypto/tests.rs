//! Generated certificates must be real: parse them with an independent
//! X.509 parser and check names, SANs, validity, CA flags and signatures.

use super::*;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate};

fn der_of(pem: &str) -> Vec<u8> {
    let (typ, der) = keys::pem_decode(pem).expect("PEM");
    assert_eq!(typ, "CERTIFICATE");
    der
}

fn template(cn: &str, ips: &[&str], dns: &[&str], days: i64, is_ca: bool) -> x509::Template {
    x509::Template {
        cn: cn.into(),
        ips: ips.iter().map(|s| s.parse().unwrap()).collect(),
        dns: dns.iter().map(|s| s.to_string()).collect(),
        days,
        is_ca,
    }
}

/// Checks the signature of `cert` against the SubjectPublicKeyInfo `spki`.
fn verify(cert: &X509Certificate, issuer_spki: &[u8]) {
    use signature::Verifier;
    let tbs = cert.tbs_certificate.as_ref();
    let sig = cert.signature_value.data.as_ref();
    let (_, info) = x509_parser::x509::SubjectPublicKeyInfo::from_der(issuer_spki).unwrap();
    let key_bits = info.subject_public_key.data.as_ref();
    match info.algorithm.algorithm.to_id_string().as_str() {
        "1.2.840.113549.1.1.1" => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            let pk = rsa::RsaPublicKey::from_pkcs1_der(key_bits).unwrap();
            let vk = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(pk);
            let s = rsa::pkcs1v15::Signature::try_from(sig).unwrap();
            vk.verify(tbs, &s).expect("RSA signature verifies");
        }
        "1.2.840.10045.2.1" => {
            let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bits).unwrap();
            let s = p256::ecdsa::Signature::from_der(sig).unwrap();
            vk.verify(tbs, &s).expect("ECDSA signature verifies");
        }
        "1.3.101.112" => {
            let vk = ed25519_dalek::VerifyingKey::try_from(key_bits).unwrap();
            let s = ed25519_dalek::Signature::from_slice(sig).unwrap();
            vk.verify(tbs, &s).expect("Ed25519 signature verifies");
        }
        other => panic!("unexpected key algorithm {other}"),
    }
}

fn spki_of(cert: &X509Certificate) -> Vec<u8> {
    cert.tbs_certificate.subject_pki.raw.to_vec()
}

fn cn_of(cert: &X509Certificate) -> Option<String> {
    cert.subject()
        .iter_common_name()
        .next()
        .map(|a| a.as_str().unwrap().to_string())
}

fn days_valid(cert: &X509Certificate) -> i64 {
    let v = cert.validity();
    let secs = v.not_after.timestamp() - v.not_before.timestamp();
    assert_eq!(secs % 86_400, 0, "validity is a whole number of days");
    secs / 86_400
}

#[test]
fn ca_is_valid_rsa_2048_self_signed() {
    let key = keys::rsa_key(2048).unwrap();
    let (cert, key_pem) =
        cert_and_key(&template("my-ca", &[], &[], 365, true), &key, None).unwrap();
    assert!(key_pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    let der = der_of(&cert);
    let (rest, c) = X509Certificate::from_der(&der).unwrap();
    assert!(rest.is_empty());
    assert_eq!(c.version().0, 2);
    assert_eq!(cn_of(&c).as_deref(), Some("my-ca"));
    assert_eq!(c.subject().as_raw(), c.issuer().as_raw());
    assert_eq!(days_valid(&c), 365);
    let bc = c.basic_constraints().unwrap().unwrap();
    assert!(bc.critical && bc.value.ca);
    let ku = c.key_usage().unwrap().unwrap().value;
    assert!(ku.key_cert_sign() && ku.digital_signature() && ku.key_encipherment());
    let eku = c.extended_key_usage().unwrap().unwrap().value;
    assert!(eku.server_auth && eku.client_auth);
    assert!(c.subject_alternative_name().unwrap().is_none());
    // RSA 2048 public key, as Sprig generates for certificates.
    match c.public_key().parsed().unwrap() {
        x509_parser::public_key::PublicKey::RSA(rsa) => assert_eq!(rsa.key_size(), 2048),
        other => panic!("not RSA: {other:?}"),
    }
    assert_eq!(
        c.signature_algorithm.algorithm.to_id_string(),
        "1.2.840.113549.1.1.11"
    );
    verify(&c, &spki_of(&c));
    // The key PEM round-trips through our own parser.
    assert!(keys::parse_pem(&key_pem).is_ok());
}

#[test]
fn self_signed_has_sans_and_is_not_ca() {
    let key = keys::rsa_key(2048).unwrap();
    let t = template(
        "example.com",
        &["10.0.0.1", "::1", "::ffff:1.2.3.4"],
        &["example.com", "*.example.com"],
        30,
        false,
    );
    let (cert, _) = cert_and_key(&t, &key, None).unwrap();
    let der = der_of(&cert);
    let (_, c) = X509Certificate::from_der(&der).unwrap();
    assert_eq!(cn_of(&c).as_deref(), Some("example.com"));
    assert_eq!(days_valid(&c), 30);
    let bc = c.basic_constraints().unwrap().unwrap();
    assert!(!bc.value.ca);
    let ku = c.key_usage().unwrap().unwrap().value;
    assert!(!ku.key_cert_sign() && ku.digital_signature() && ku.key_encipherment());
    let san = c.subject_alternative_name().unwrap().unwrap();
    assert!(!san.critical);
    let mut dns = Vec::new();
    let mut ips = Vec::new();
    for n in &san.value.general_names {
        match n {
            GeneralName::DNSName(d) => dns.push(d.to_string()),
            GeneralName::IPAddress(ip) => ips.push(ip.to_vec()),
            other => panic!("unexpected SAN {other:?}"),
        }
    }
    assert_eq!(dns, ["example.com", "*.example.com"]);
    let mut v6 = [0u8; 16];
    v6[15] = 1;
    // A v4-mapped address is written as 4 bytes, like Go's To4().
    assert_eq!(ips, [vec![10, 0, 0, 1], v6.to_vec(), vec![1, 2, 3, 4]]);
    verify(&c, &spki_of(&c));
}

#[test]
fn empty_subject_makes_san_critical() {
    let key = Key::P256(p256::SecretKey::random(&mut rand_core::OsRng));
    let (cert, _) = cert_and_key(&template("", &[], &["a.example"], 1, false), &key, None).unwrap();
    let der = der_of(&cert);
    let (_, c) = X509Certificate::from_der(&der).unwrap();
    assert_eq!(c.subject().iter().count(), 0);
    assert!(c.subject_alternative_name().unwrap().unwrap().critical);
    verify(&c, &spki_of(&c));
}

#[test]
fn signed_cert_is_signed_by_ca_key() {
    let ca_key = keys::rsa_key(2048).unwrap();
    let (ca_cert, ca_key_pem) =
        cert_and_key(&template("ca", &[], &[], 10, true), &ca_key, None).unwrap();
    let leaf_key = keys::rsa_key(2048).unwrap();
    let t = || {
        Ok(template(
            "svc",
            &["192.168.1.1"],
            &["svc.ns.svc"],
            20,
            false,
        ))
    };
    let (leaf, _) = signed_by(t, &leaf_key, &ca_cert, &ca_key_pem).unwrap();

    let ca_der = der_of(&ca_cert);
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    let der = der_of(&leaf);
    let (_, c) = X509Certificate::from_der(&der).unwrap();
    assert_eq!(c.issuer().as_raw(), ca.subject().as_raw());
    assert_eq!(cn_of(&c).as_deref(), Some("svc"));
    assert_eq!(days_valid(&c), 20);
    assert_ne!(spki_of(&c), spki_of(&ca));
    verify(&c, &spki_of(&ca));
    // The leaf names the CA's subject key identifier.
    let skid = ca
        .extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0.to_vec()),
            _ => None,
        })
        .expect("CA has a subject key id");
    let akid = c
        .extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            x509_parser::extensions::ParsedExtension::AuthorityKeyIdentifier(k) => {
                k.key_identifier.as_ref().map(|k| k.0.to_vec())
            }
            _ => None,
        })
        .expect("leaf has an authority key id");
    assert_eq!(skid, akid);
}

#[test]
fn signed_with_ec_and_ed25519_keys() {
    let ed = Key::Ed25519(Box::new(ed25519_dalek::SigningKey::generate(
        &mut rand_core::OsRng,
    )));
    let (ca_cert, ca_key_pem) =
        cert_and_key(&template("ed-ca", &[], &[], 5, true), &ed, None).unwrap();
    let leaf_key = Key::P256(p256::SecretKey::random(&mut rand_core::OsRng));
    let (leaf, leaf_key_pem) = signed_by(
        || Ok(template("leaf", &[], &[], 5, false)),
        &leaf_key,
        &ca_cert,
        &ca_key_pem,
    )
    .unwrap();
    assert!(leaf_key_pem.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
    let ca_der = der_of(&ca_cert);
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    verify(&ca, &spki_of(&ca));
    let der = der_of(&leaf);
    let (_, c) = X509Certificate::from_der(&der).unwrap();
    verify(&c, &spki_of(&ca));

    // And the other way round: an EC CA signing.
    let (ec_ca, ec_ca_key) =
        cert_and_key(&template("ec-ca", &[], &[], 5, true), &leaf_key, None).unwrap();
    let (leaf2, _) = signed_by(
        || Ok(template("l2", &[], &[], 5, false)),
        &ed,
        &ec_ca,
        &ec_ca_key,
    )
    .unwrap();
    let ec_der = der_of(&ec_ca);
    let (_, eca) = X509Certificate::from_der(&ec_der).unwrap();
    let der2 = der_of(&leaf2);
    let (_, c2) = X509Certificate::from_der(&der2).unwrap();
    verify(&c2, &spki_of(&eca));
}

#[test]
fn mismatched_ca_key_is_rejected() {
    let a = keys::rsa_key(2048).unwrap();
    let b = Key::P256(p256::SecretKey::random(&mut rand_core::OsRng));
    let (ca_cert, _) = cert_and_key(&template("ca", &[], &[], 1, true), &a, None).unwrap();
    let wrong = b.to_pem();
    let e = signed_by(
        || Ok(template("x", &[], &[], 1, false)),
        &b,
        &ca_cert,
        &wrong,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey"
    );
}

#[test]
fn generated_key_pems_parse_back() {
    for typ in ["ecdsa", "ed25519"] {
        let pem = keys::generate(typ).unwrap().unwrap().to_pem();
        let again = keys::parse_pem(&pem).unwrap().to_pem();
        assert_eq!(pem, again, "{typ} PEM round-trips");
    }
    assert!(keys::generate("nope").is_none());
}

#[test]
fn derive_password_matches_sprig() {
    // Recorded from Helm (cry_derive_password_long, cry_derive_password_all_types).
    let d = |kind, site| derive_core(1, kind, "password", "user", site).unwrap();
    assert_eq!(d("long", "example.com"), "ZedaFaxcZaso9*");
    assert_eq!(derive_core(1, "pin", "pw", "user", "site").unwrap(), "8979");
    assert_eq!(d("huge", "x"), "cannot find password template huge");
}

#[test]
fn aes_round_trip_and_known_vector() {
    let known = "AAECAwQFBgcICQoLDA0OD3ekcw4lRkZoUy3H/eonFzY=";
    assert_eq!(decrypt_core("secretkey", known).unwrap(), "hello world");
    let enc = encrypt_core("k", "0123456789abcdef").unwrap();
    assert_eq!(b64_decode(&enc).unwrap().len(), 48);
    assert_eq!(decrypt_core("k", &enc).unwrap(), "0123456789abcdef");
    assert_eq!(
        decrypt_core("k", "YWJj").unwrap_err().to_string(),
        "runtime error: slice bounds out of range [:16] with capacity 3"
    );
}

#[test]
fn bcrypt_is_go_compatible() {
    let h = bcrypt("password");
    assert!(h.starts_with("$2a$10$") && h.len() == 60);
    assert!(::bcrypt::verify("password", &h).unwrap());
}
