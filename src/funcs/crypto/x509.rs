//! Certificates as Sprig's `getBaseCertTemplate` + Go's
//! `x509.CreateCertificate` produce them, and the parts of
//! `x509.ParseCertificate` that signing with a CA needs.

use super::der::{self, Reader};
use super::keys::Key;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

/// What Sprig's template sets; the rest is fixed by Sprig.
pub struct Template {
    pub cn: String,
    pub ips: Vec<IpAddr>,
    pub dns: Vec<String>,
    pub days: i64,
    pub is_ca: bool,
}

/// The issuing side: its subject, key identifier and public key.
pub struct Issuer<'a> {
    pub subject: Vec<u8>,
    pub key_id: Option<Vec<u8>>,
    /// The parent certificate's SubjectPublicKeyInfo (None when self-signed).
    pub spki: Option<Vec<u8>>,
    pub key: &'a Key,
}

/// Go's asn1 choice of string type for a name attribute.
fn directory_string(s: &str) -> Vec<u8> {
    let printable = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b));
    der::tlv(
        if printable {
            der::PRINTABLE_STRING
        } else {
            der::UTF8_STRING
        },
        s.as_bytes(),
    )
}

/// `pkix.Name{CommonName: cn}` as an RDNSequence; empty CN gives no RDN.
pub fn subject_name(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return der::seq(&[]);
    }
    der::seq(&[der::cons(
        der::SET,
        &[der::seq(&[der::oid(&[2, 5, 4, 3]), directory_string(cn)])],
    )])
}

/// Days since 1970-01-01 to (year, month, day) (proleptic Gregorian).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// UTCTime for 1950..2049, GeneralizedTime otherwise, as Go's asn1.
pub fn time(unix: i64) -> Result<Vec<u8>, String> {
    let (y, mo, d) = civil(unix.div_euclid(86_400));
    let s = unix.rem_euclid(86_400);
    let hms = format!("{:02}{:02}{:02}Z", s / 3600, s / 60 % 60, s % 60);
    if (1950..2050).contains(&y) {
        Ok(der::tlv(
            der::UTC_TIME,
            format!("{:02}{mo:02}{d:02}{hms}", y % 100).as_bytes(),
        ))
    } else if (0..=9999).contains(&y) {
        Ok(der::tlv(
            der::GENERALIZED_TIME,
            format!("{y:04}{mo:02}{d:02}{hms}").as_bytes(),
        ))
    } else {
        Err("asn1: structure error: cannot represent time as GeneralizedTime".into())
    }
}

/// Now and now + `days` days, in Unix seconds. Go computes the offset as a
/// `time.Duration` (int64 nanoseconds), which wraps for huge day counts.
pub fn validity(days: i64) -> (i64, i64) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0);
    let offset = days.wrapping_mul(24 * 3_600_000_000_000);
    let end = now + i128::from(offset);
    (
        (now / 1_000_000_000) as i64,
        end.div_euclid(1_000_000_000) as i64,
    )
}

fn extension(oid: &[u64], critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![der::oid(oid)];
    if critical {
        parts.push(der::tlv(der::BOOL, &[0xff]));
    }
    parts.push(der::tlv(der::OCTET_STRING, &value));
    der::seq(&parts)
}

/// Go's `x509.KeyUsage` bits as a DER BIT STRING (bit 0 first, trailing
/// zero bits dropped).
fn key_usage(bits: u8) -> Vec<u8> {
    let b = bits.reverse_bits();
    let unused = b.trailing_zeros().min(7) as u8;
    der::tlv(der::BIT_STRING, &[unused, b])
}

fn ia5(name: &str) -> Result<&str, String> {
    if name.is_ascii() {
        Ok(name)
    } else {
        Err(format!("x509: {name:?} cannot be encoded as an IA5String"))
    }
}

/// Builds and signs a certificate the way `x509.CreateCertificate` does for
/// Sprig's template. Errors are Go's texts (without Sprig's prefix).
pub fn create(t: &Template, subject_key: &Key, issuer: Option<&Issuer>) -> Result<Vec<u8>, String> {
    let signer = issuer.map_or(subject_key, |i| i.key);
    let sig_alg = signer.signature_algorithm()?;
    let (spki, pub_bits) = subject_key.spki()?;
    let subject = subject_name(&t.cn);
    let issuer_name = issuer.map_or_else(|| subject.clone(), |i| i.subject.clone());
    let (signer_spki, _) = signer.spki()?;
    if let Some(parent) = issuer.and_then(|i| i.spki.as_ref())
        && !same_public_key(parent, &signer_spki)
    {
        return Err("x509: provided PrivateKey doesn't match parent's PublicKey".into());
    }

    let mut serial = [0u8; 16];
    getrandom::fill(&mut serial).map_err(|e| e.to_string())?;
    let (not_before, not_after) = validity(t.days);

    // Extensions in Go's order.
    let mut exts = Vec::new();
    let usage = if t.is_ca { 0b10_0101 } else { 0b101 };
    exts.push(extension(&[2, 5, 29, 15], true, key_usage(usage)));
    exts.push(extension(
        &[2, 5, 29, 37],
        false,
        der::seq(&[
            der::oid(&[1, 3, 6, 1, 5, 5, 7, 3, 1]),
            der::oid(&[1, 3, 6, 1, 5, 5, 7, 3, 2]),
        ]),
    ));
    let bc = if t.is_ca {
        der::seq(&[der::tlv(der::BOOL, &[0xff])])
    } else {
        der::seq(&[])
    };
    exts.push(extension(&[2, 5, 29, 19], true, bc));
    if t.is_ca {
        // Go 1.25+: SubjectKeyId is truncated SHA-256 of the public key bits.
        let skid = Sha256::digest(&pub_bits)[..20].to_vec();
        exts.push(extension(
            &[2, 5, 29, 14],
            false,
            der::tlv(der::OCTET_STRING, &skid),
        ));
    }
    // Go copies the parent's key id unless the certificate is self-issued.
    if let Some(kid) = issuer
        .and_then(|i| i.key_id.as_ref())
        .filter(|k| !k.is_empty())
        && issuer_name != subject
    {
        exts.push(extension(
            &[2, 5, 29, 35],
            false,
            der::seq(&[der::tlv(0x80, kid)]),
        ));
    }
    if !t.dns.is_empty() || !t.ips.is_empty() {
        let mut names = Vec::new();
        for n in &t.dns {
            names.push(der::tlv(0x82, ia5(n)?.as_bytes()));
        }
        for ip in &t.ips {
            let bytes = match ip {
                IpAddr::V4(v4) => v4.octets().to_vec(),
                IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                    Some(v4) => v4.octets().to_vec(),
                    None => v6.octets().to_vec(),
                },
            };
            names.push(der::tlv(0x87, &bytes));
        }
        // The SAN is critical when the subject is empty (RFC 5280 4.2.1.6).
        exts.push(extension(
            &[2, 5, 29, 17],
            t.cn.is_empty(),
            der::seq(&names),
        ));
    }

    let tbs = der::seq(&[
        der::tlv(0xa0, &der::small_int(2)),
        der::uint(&serial),
        sig_alg.clone(),
        issuer_name,
        der::seq(&[time(not_before)?, time(not_after)?]),
        subject,
        spki,
        der::tlv(0xa3, &der::seq(&exts)),
    ]);
    let sig = signer.sign(&tbs)?;
    Ok(der::seq(&[tbs, sig_alg, der::bit_string(&sig)]))
}

/// Compares two SubjectPublicKeyInfos by algorithm OID and key bits, which
/// is what Go's `PublicKey.Equal` amounts to for these key types.
fn same_public_key(a: &[u8], b: &[u8]) -> bool {
    fn parts(spki: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        let mut r = der::outer_seq(spki, "").ok()?;
        let mut alg = Reader::new(r.expect(der::SEQ, "").ok()?);
        let oid = alg.expect(der::OID, "").ok()?.to_vec();
        let bits = r.expect(der::BIT_STRING, "").ok()?.to_vec();
        Some((oid, bits))
    }
    match (parts(a), parts(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The fields of a parsed certificate that signing with it needs.
pub struct Parsed {
    pub subject: Vec<u8>,
    pub spki: Vec<u8>,
    pub key_id: Option<Vec<u8>>,
}

/// A structural subset of Go's `x509.ParseCertificate`.
pub fn parse(data: &[u8]) -> Result<Parsed, String> {
    let malformed = |what: &str| format!("x509: malformed {what}");
    let mut cert = der::outer_seq(data, "").map_err(|_| malformed("certificate"))?;
    let mut tbs = Reader::new(
        cert.expect(der::SEQ, "")
            .map_err(|_| malformed("certificate"))?,
    );
    cert.expect(der::SEQ, "")
        .map_err(|_| malformed("signature algorithm identifier"))?;
    cert.expect(der::BIT_STRING, "")
        .map_err(|_| malformed("signature"))?;
    tbs.optional(0xa0).map_err(|_| malformed("version"))?;
    tbs.expect(der::INT, "")
        .map_err(|_| malformed("serial number"))?;
    tbs.expect(der::SEQ, "")
        .map_err(|_| malformed("signature algorithm identifier"))?;
    tbs.expect(der::SEQ, "").map_err(|_| malformed("issuer"))?;
    tbs.expect(der::SEQ, "")
        .map_err(|_| malformed("validity"))?;
    let start = tbs.pos;
    tbs.expect(der::SEQ, "").map_err(|_| malformed("subject"))?;
    let subject = tbs.data[start..tbs.pos].to_vec();
    let start = tbs.pos;
    tbs.expect(der::SEQ, "").map_err(|_| malformed("spki"))?;
    let spki = tbs.data[start..tbs.pos].to_vec();
    let mut key_id = None;
    while !tbs.is_empty() {
        let (h, body) = tbs.any().map_err(|_| malformed("extensions"))?;
        if h.class != 2 || h.tag != 3 {
            continue;
        }
        let mut list = Reader::new(body);
        let mut list = Reader::new(
            list.expect(der::SEQ, "")
                .map_err(|_| malformed("extensions"))?,
        );
        while !list.is_empty() {
            let mut ext = Reader::new(
                list.expect(der::SEQ, "")
                    .map_err(|_| malformed("extension"))?,
            );
            let oid = ext
                .expect(der::OID, "")
                .map_err(|_| malformed("extension OID field"))?;
            ext.optional(der::BOOL)
                .map_err(|_| malformed("extension critical field"))?;
            let value = ext
                .expect(der::OCTET_STRING, "")
                .map_err(|_| malformed("extension value field"))?;
            if oid == [0x55, 0x1d, 0x0e] {
                let id = Reader::new(value)
                    .expect(der::OCTET_STRING, "")
                    .map_err(|_| "x509: invalid subject key identifier".to_string())?;
                key_id = Some(id.to_vec());
            }
        }
    }
    Ok(Parsed {
        subject,
        spki,
        key_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_like_go() {
        assert_eq!(time(0).unwrap(), der::tlv(der::UTC_TIME, b"700101000000Z"));
        assert_eq!(
            time(2_524_608_000).unwrap(),
            der::tlv(der::GENERALIZED_TIME, b"20500101000000Z")
        );
        assert_eq!(civil(19_723), (2024, 1, 1));
    }

    #[test]
    fn days_wrap_like_go_duration() {
        let (a, b) = validity(3_000_000);
        // 3e6 days of nanoseconds wraps int64 to about 30 years.
        let wrapped = 3_000_000i64.wrapping_mul(86_400_000_000_000) / 1_000_000_000;
        assert!((b - a - wrapped).abs() <= 1);
    }

    #[test]
    fn key_usage_bits() {
        assert_eq!(key_usage(0b101), [3, 2, 5, 0xa0]);
        assert_eq!(key_usage(0b10_0101), [3, 2, 2, 0xa4]);
    }
}
