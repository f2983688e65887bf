//! Sprig's encodings and hashes: `b64enc` `b64dec` `b32enc` `b32dec`,
//! `sha1sum` `sha256sum` `sha512sum` `adler32sum`, `uuidv4`.
//!
//! The base64/base32 codecs are written here rather than taken from a crate
//! because Sprig's decoders return Go's error text as their result, so the
//! exact rules (newlines skipped, lenient trailing bits, error offsets) must
//! be Go's `encoding/base64` and `encoding/base32` with padding.

use super::util::plain;
use crate::template::bytestr::{string_bytes, string_from_vec};
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::FuncMap;
use crate::value::{Sig, Ty, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

const STR1: Sig = Sig::new(&[Ty::String], None);
/// A string read as bytes: Go strings may hold any bytes (`bytestr`).
const BYTES1: Sig = Sig::new(&[Ty::Raw(&Ty::String)], None);
const NONE: Sig = Sig::new(&[], None);

pub fn register(m: &mut FuncMap) {
    m.insert(
        "b64enc",
        plain(&BYTES1, |_, a| Ok(Value::string(b64_encode(&arg_bytes(a))))),
    );
    m.insert(
        "b64dec",
        plain(&STR1, |_, a| Ok(decoded(b64_decode(arg(a))))),
    );
    m.insert(
        "b32enc",
        plain(&BYTES1, |_, a| Ok(Value::string(b32_encode(&arg_bytes(a))))),
    );
    m.insert(
        "b32dec",
        plain(&STR1, |_, a| Ok(decoded(b32_decode(arg(a))))),
    );
    m.insert(
        "sha1sum",
        plain(&BYTES1, |_, a| Ok(hex_digest::<Sha1>(&arg_bytes(a)))),
    );
    m.insert(
        "sha256sum",
        plain(&BYTES1, |_, a| Ok(hex_digest::<Sha256>(&arg_bytes(a)))),
    );
    m.insert(
        "sha512sum",
        plain(&BYTES1, |_, a| Ok(hex_digest::<Sha512>(&arg_bytes(a)))),
    );
    m.insert(
        "adler32sum",
        plain(&BYTES1, |_, a| {
            Ok(Value::string(adler32(&arg_bytes(a)).to_string()))
        }),
    );
    m.insert("uuidv4", plain(&NONE, uuidv4));
}

/// The first argument; the executor has already checked it is a string.
fn arg(a: &[Value]) -> &str {
    a.first().and_then(Value::as_str).unwrap_or("")
}

/// The first argument's bytes, also of a string held as bytes.
fn arg_bytes(a: &[Value]) -> std::borrow::Cow<'_, [u8]> {
    a.first()
        .and_then(string_bytes)
        .unwrap_or(std::borrow::Cow::Borrowed(&[]))
}

/// Sprig returns the decoder's error message in place of the data.
fn decoded(r: Result<Vec<u8>, String>) -> Value {
    match r {
        Ok(bytes) => string_from_vec(bytes),
        Err(e) => Value::string(e),
    }
}

fn hex_digest<D: Digest>(b: &[u8]) -> Value {
    Value::string(hex(&D::digest(b)))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// zlib's Adler-32, as Go's `hash/adler32`.
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes is the most that can be summed before b could overflow u32.
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

fn uuidv4(_: &mut State, _: &[Value]) -> Result<Value, FuncErr> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| FuncErr::msg(e.to_string()))?;
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let h = hex(&b);
    Ok(Value::string(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Standard padded base64 (Go's `base64.StdEncoding.EncodeToString`).
pub(crate) fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let mut buf = [0u8; 3];
        buf[..chunk.len()].copy_from_slice(chunk);
        let v = u32::from(buf[0]) << 16 | u32::from(buf[1]) << 8 | u32::from(buf[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b64_value(c: u8) -> Option<u8> {
    B64.iter().position(|&x| x == c).map(|p| p as u8)
}

fn illegal64(at: usize) -> String {
    format!("illegal base64 data at input byte {at}")
}

fn is_nl(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// Go's `base64.StdEncoding.DecodeString`: quanta of four symbols, `\r`
/// and `\n` skipped anywhere, `=` padding required, non-zero trailing bits
/// tolerated. Errors carry the offset Go reports.
pub(crate) fn b64_decode(s: &str) -> Result<Vec<u8>, String> {
    let src = s.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    loop {
        let mut quad = [0u8; 4];
        let mut got = 0;
        let mut end = false;
        while got < 4 {
            if si == src.len() {
                if got == 0 {
                    return Ok(out);
                }
                return Err(illegal64(si - got));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = b64_value(c) {
                quad[got] = v;
                got += 1;
                continue;
            }
            if is_nl(c) {
                continue;
            }
            if c != b'=' || got < 2 {
                return Err(illegal64(si - 1));
            }
            // Padding: "==" after two symbols, "=" after three, then only newlines.
            if got == 2 {
                while si < src.len() && is_nl(src[si]) {
                    si += 1;
                }
                if si == src.len() {
                    return Err(illegal64(src.len()));
                }
                if src[si] != b'=' {
                    return Err(illegal64(si - 1));
                }
                si += 1;
            }
            while si < src.len() && is_nl(src[si]) {
                si += 1;
            }
            if si < src.len() {
                return Err(illegal64(si));
            }
            end = true;
            break;
        }
        let v = u32::from(quad[0]) << 18
            | u32::from(quad[1]) << 12
            | u32::from(quad[2]) << 6
            | u32::from(quad[3]);
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..got - 1]);
        if end {
            return Ok(out);
        }
    }
}

/// Standard padded base32 (Go's `base32.StdEncoding.EncodeToString`).
fn b32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let v = buf.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        // Symbols carrying at least one input bit; the rest is padding.
        let used = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < used {
                out.push(B32[(v >> (35 - 5 * i) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn illegal32(at: usize) -> String {
    format!("illegal base32 data at input byte {at}")
}

/// Go's `base32.StdEncoding.DecodeString`: newlines are removed first, then
/// quanta of eight symbols are decoded; offsets refer to the stripped input.
fn b32_decode(s: &str) -> Result<Vec<u8>, String> {
    let src: Vec<u8> = s.bytes().filter(|&c| !is_nl(c)).collect();
    let olen = src.len();
    let mut rest: &[u8] = &src;
    let mut out = Vec::with_capacity(olen / 8 * 5);
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut q = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            let Some((&c, tail)) = rest.split_first() else {
                return Err(illegal32(olen - j));
            };
            rest = tail;
            if c == b'=' && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 7 {
                    return Err(illegal32(olen));
                }
                for k in 0..7 - j {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(illegal32(olen - rest.len() + k - 1));
                    }
                }
                dlen = j;
                end = true;
                // 1, 3 and 6 symbols cannot end a quantum (RFC 4648 section 6).
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(illegal32(olen - rest.len() - 1));
                }
                break;
            }
            match B32.iter().position(|&x| x == c) {
                Some(v) => q[j] = v as u8,
                None => return Err(illegal32(olen - rest.len() - 1)),
            }
            j += 1;
        }
        let v = q.iter().fold(0u64, |acc, &b| acc << 5 | u64::from(b));
        let bytes = v.to_be_bytes();
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            _ => 1,
        };
        out.extend_from_slice(&bytes[3..3 + n]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_go() {
        assert_eq!(b64_encode(b"hello world"), "aGVsbG8gd29ybGQ=");
        assert_eq!(b64_decode("aGVs\nbG8=").unwrap(), b"hello");
        assert_eq!(b64_decode("YR==").unwrap(), b"a");
        assert_eq!(b64_decode("aGVsbG8gd29ybGQ").unwrap_err(), illegal64(12));
        assert_eq!(b64_decode("YQ=").unwrap_err(), illegal64(3));
        assert_eq!(b64_decode("YQ==YQ==").unwrap_err(), illegal64(4));
        assert_eq!(b64_decode("Y===").unwrap_err(), illegal64(1));
    }

    #[test]
    fn base32_matches_go() {
        for s in ["", "a", "ab", "abc", "abcd", "abcde", "abcdef", "✓ é"] {
            assert_eq!(b32_decode(&b32_encode(s.as_bytes())).unwrap(), s.as_bytes());
        }
        assert_eq!(b32_encode(b"hello world"), "NBSWY3DPEB3W64TMMQ======");
        assert_eq!(b32_decode("ME=====").unwrap_err(), illegal32(7));
        assert_eq!(b32_decode("M=======").unwrap_err(), illegal32(1));
        assert_eq!(b32_decode("MEZ=====").unwrap_err(), illegal32(3));
        assert_eq!(b32_decode("NBSWY3D").unwrap_err(), illegal32(0));
    }

    #[test]
    fn adler32_known() {
        assert_eq!(adler32(b"Wikipedia"), 300286872);
        assert_eq!(adler32(&vec![0xff; 100_000]), {
            // Reference: the same sum without chunked reduction, in u64.
            let (mut a, mut b) = (1u64, 0u64);
            for _ in 0..100_000 {
                a = (a + 0xff) % 65521;
                b = (b + a) % 65521;
            }
            ((b << 16) | a) as u32
        });
    }
}
