//! Just enough DER to write X.509 certificates and private keys the way Go's
//! `crypto/x509` lays them out, and to read back keys and certificates.

pub const SEQ: u8 = 0x30;
pub const SET: u8 = 0x31;
pub const INT: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const NULL: u8 = 0x05;
pub const OID: u8 = 0x06;
pub const UTF8_STRING: u8 = 0x0c;
pub const PRINTABLE_STRING: u8 = 0x13;
pub const UTC_TIME: u8 = 0x17;
pub const GENERALIZED_TIME: u8 = 0x18;
pub const BOOL: u8 = 0x01;

/// One tag-length-value.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = n.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A constructed value from already encoded parts.
pub fn cons(tag: u8, parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(tag, &parts.concat())
}

pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    cons(SEQ, parts)
}

/// A non-negative INTEGER from big-endian magnitude bytes.
pub fn uint(be: &[u8]) -> Vec<u8> {
    let skip = be.iter().take_while(|&&b| b == 0).count();
    let mut body = be[skip..].to_vec();
    if body.first().is_none_or(|&b| b & 0x80 != 0) {
        body.insert(0, 0);
    }
    tlv(INT, &body)
}

pub fn small_int(v: u8) -> Vec<u8> {
    uint(&[v])
}

pub fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut body = vec![0];
    body.extend_from_slice(bytes);
    tlv(BIT_STRING, &body)
}

/// An OBJECT IDENTIFIER from its dotted components.
pub fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut body = Vec::new();
    let first = arcs.first().copied().unwrap_or(0) * 40 + arcs.get(1).copied().unwrap_or(0);
    for &arc in std::iter::once(&first).chain(arcs.iter().skip(2)) {
        let mut chunk = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            chunk.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        chunk.reverse();
        body.extend_from_slice(&chunk);
    }
    tlv(OID, &body)
}

/// A parsed tag header, shaped like Go's `asn1.tagAndLength` for errors.
#[derive(Clone, Copy, Debug)]
pub struct Header {
    pub class: u8,
    pub tag: u32,
    pub length: usize,
    pub compound: bool,
}

/// A DER reader over a byte slice.
pub struct Reader<'a> {
    pub data: &'a [u8],
    pub pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn byte(&mut self) -> Result<u8, String> {
        let b = *self
            .data
            .get(self.pos)
            .ok_or("asn1: syntax error: truncated tag or length")?;
        self.pos += 1;
        Ok(b)
    }

    /// Go's `parseTagAndLength`.
    pub fn header(&mut self) -> Result<Header, String> {
        let b = self.byte()?;
        let class = b >> 6;
        let compound = b & 0x20 != 0;
        let mut tag = u32::from(b & 0x1f);
        if tag == 0x1f {
            tag = 0;
            loop {
                let c = self.byte()?;
                if tag > 0x00ff_ffff {
                    return Err("asn1: structure error: base 128 integer too large".into());
                }
                tag = tag << 7 | u32::from(c & 0x7f);
                if c & 0x80 == 0 {
                    break;
                }
            }
        }
        let l = self.byte()?;
        let length = if l & 0x80 == 0 {
            usize::from(l)
        } else {
            let n = l & 0x7f;
            if n == 0 {
                return Err("asn1: syntax error: indefinite length found (not DER)".into());
            }
            let mut len = 0usize;
            for i in 0..n {
                let c = self.byte()?;
                if len >= 1 << 23 {
                    return Err("asn1: structure error: length too large".into());
                }
                if i == 0 && c == 0 {
                    return Err("asn1: structure error: superfluous leading zeros in length".into());
                }
                len = len << 8 | usize::from(c);
            }
            if len < 0x80 {
                return Err("asn1: structure error: non-minimal length".into());
            }
            len
        };
        Ok(Header {
            class,
            tag,
            length,
            compound,
        })
    }

    /// The next element, which must have the given identifier byte.
    /// `what` names the Go struct in the tag-mismatch message.
    pub fn expect(&mut self, ident: u8, what: &str) -> Result<&'a [u8], String> {
        if self.is_empty() {
            return Err("asn1: syntax error: sequence truncated".into());
        }
        let h = self.header()?;
        let want_class = ident >> 6;
        let want_tag = u32::from(ident & 0x1f);
        if h.class != want_class || h.tag != want_tag || h.compound != (ident & 0x20 != 0) {
            return Err(format!(
                "asn1: structure error: tags don't match ({want_tag} vs {{class:{} tag:{} length:{} isCompound:{}}}) {{optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}} {what} @{}",
                h.class, h.tag, h.length, h.compound, self.pos
            ));
        }
        self.take(h.length)
    }

    /// The next element of any kind: its header and contents.
    pub fn any(&mut self) -> Result<(Header, &'a [u8]), String> {
        let h = self.header()?;
        let body = self.take(h.length)?;
        Ok((h, body))
    }

    /// The next element with its header bytes included.
    pub fn raw(&mut self) -> Result<&'a [u8], String> {
        let start = self.pos;
        self.any()?;
        Ok(&self.data[start..self.pos])
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or("asn1: syntax error: data truncated")?;
        let out = &self.data[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    /// The next element if it has this identifier byte.
    pub fn optional(&mut self, ident: u8) -> Result<Option<&'a [u8]>, String> {
        if self.data.get(self.pos) == Some(&ident) {
            self.expect(ident, "").map(Some)
        } else {
            Ok(None)
        }
    }

    /// An INTEGER's magnitude bytes (negative numbers are rejected).
    pub fn uint(&mut self, what: &str) -> Result<&'a [u8], String> {
        let b = self.expect(INT, what)?;
        if b.is_empty() {
            return Err("asn1: syntax error: empty integer".into());
        }
        if b[0] & 0x80 != 0 {
            return Err(format!("x509: {what} has a negative value"));
        }
        Ok(b)
    }
}

/// The contents of a DER SEQUENCE that must fill `data` exactly, checked
/// the way Go's `asn1.Unmarshal` plus x509's trailing-data test do.
pub fn outer_seq<'a>(data: &'a [u8], what: &str) -> Result<Reader<'a>, String> {
    let mut r = Reader::new(data);
    let body = r.expect(SEQ, what)?;
    if !r.is_empty() {
        return Err("asn1: syntax error: trailing data".into());
    }
    Ok(Reader::new(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_go() {
        assert_eq!(
            oid(&[1, 2, 840, 113549, 1, 1, 11])[2..],
            [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11]
        );
        assert_eq!(uint(&[0x80]), [2, 2, 0, 0x80]);
        assert_eq!(uint(&[0, 0, 5]), [2, 1, 5]);
        assert_eq!(uint(&[]), [2, 1, 0]);
        assert_eq!(tlv(4, &[0; 200])[..3], [4, 0x81, 200]);
    }

    #[test]
    fn go_error_texts() {
        assert_eq!(
            outer_seq(&[0, 0, 0], "pkcs1PrivateKey").err().unwrap(),
            "asn1: structure error: tags don't match (16 vs {class:0 tag:0 length:0 isCompound:false}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} pkcs1PrivateKey @2"
        );
        assert_eq!(
            outer_seq(&[], "x").err().unwrap(),
            "asn1: syntax error: sequence truncated"
        );
    }
}
