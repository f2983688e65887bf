//! The embedded Perses chart's default values, parsed ahead of time.
//!
//! Reading the chart's 7.6 KB values.yaml with Helm's YAML rules is the
//! largest single step of loading it (about a sixth of a whole `pchart
//! render`). Its result never changes between runs, so a compact binary
//! copy, `charts/perses-values.snapshot`, is embedded beside the chart and
//! decoded instead. The copy records the length and hash of the values.yaml
//! text it was made from: if the chart changed and the copy was not remade,
//! the copy is ignored and the YAML parsed as before, so a stale copy costs
//! time, never a wrong value. A test checks the copy is current and decodes
//! to exactly what parsing gives; `PCHART_BLESS=1 cargo test --lib snapshot`
//! rewrites it.

use std::rc::Rc;

use crate::value::{ElemTy, Map, MapTy, Value};

const MAGIC: &[u8] = b"pchart-values-1\n";

/// FNV-1a, 64 bits: enough to notice that values.yaml changed.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Encode the values parsed from `text`; `None` for a value kind a YAML
/// file cannot produce (then there is no snapshot).
pub fn encode(text: &str, v: &Value) -> Option<Vec<u8>> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(&fnv(text).to_le_bytes());
    put(&mut out, v)?;
    Some(out)
}

/// The values in `snap` if it was made from exactly `text`.
pub fn decode(snap: &[u8], text: &str) -> Option<Value> {
    let mut r = Reader { b: snap };
    if r.take(MAGIC.len())? != MAGIC || r.u64()? != text.len() as u64 || r.u64()? != fnv(text) {
        return None;
    }
    let v = r.value(0)?;
    r.b.is_empty().then_some(v)
}

fn put_len(out: &mut Vec<u8>, n: usize) -> Option<()> {
    out.extend_from_slice(&u32::try_from(n).ok()?.to_le_bytes());
    Some(())
}

fn put_str(out: &mut Vec<u8>, s: &str) -> Option<()> {
    put_len(out, s.len())?;
    out.extend_from_slice(s.as_bytes());
    Some(())
}

fn put(out: &mut Vec<u8>, v: &Value) -> Option<()> {
    match v {
        Value::Nil => out.push(0),
        Value::Bool(b) => out.push(1 + u8::from(*b)),
        Value::Float(f) => {
            out.push(3);
            out.extend_from_slice(&f.to_bits().to_le_bytes());
        }
        Value::String(s) => {
            out.push(4);
            put_str(out, s)?;
        }
        Value::List(items, ElemTy::Iface) => {
            out.push(5);
            put_len(out, items.len())?;
            for i in items.iter() {
                put(out, i)?;
            }
        }
        Value::Map(m, t) => {
            out.push(match t {
                MapTy::Iface => 6,
                MapTy::Values => 7,
                MapTy::String => 8,
            });
            let m = m.borrow();
            put_len(out, m.len())?;
            for (k, v) in m.iter() {
                put_str(out, k)?;
                put(out, v)?;
            }
        }
        _ => return None,
    }
    Some(())
}

/// Nesting a YAML document can reach here is far less; a corrupt snapshot
/// must not recurse without bound.
const MAX_DEPTH: usize = 1000;

struct Reader<'a> {
    b: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.b.len() < n {
            return None;
        }
        let (head, rest) = self.b.split_at(n);
        self.b = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn len(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let tag = *self.take(1)?.first()?;
        Some(match tag {
            0 => Value::Nil,
            1 | 2 => Value::Bool(tag == 2),
            3 => Value::Float(f64::from_bits(self.u64()?)),
            4 => Value::str(self.str()?),
            5 => {
                let n = self.len()?;
                let mut items = Vec::with_capacity(n.min(self.b.len()));
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                Value::List(Rc::new(items), ElemTy::Iface)
            }
            6..=8 => {
                let n = self.len()?;
                let mut m = Map::new();
                for _ in 0..n {
                    let k = self.str()?.to_string();
                    let v = self.value(depth + 1)?;
                    m.insert(k, v);
                }
                let t = match tag {
                    6 => MapTy::Iface,
                    7 => MapTy::Values,
                    _ => MapTy::String,
                };
                Value::typed_map(m, t)
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUES: &str = include_str!("../../charts/perses/values.yaml");
    const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/charts/perses-values.snapshot");

    /// Same value, same Go types, same float bits.
    fn same(a: &Value, b: &Value) -> bool {
        let mut x = Vec::new();
        let mut y = Vec::new();
        put(&mut x, a).is_some() && put(&mut y, b).is_some() && x == y
    }

    #[test]
    fn snapshot_is_current_and_exact() {
        let parsed = crate::yaml::parse_values(VALUES);
        let parsed = match parsed {
            Ok(v) => v,
            Err(e) => panic!("values.yaml: {e:?}"),
        };
        let fresh = encode(VALUES, &parsed).expect("YAML values encode");
        if std::env::var_os("PCHART_BLESS").is_some() {
            std::fs::write(SNAPSHOT, &fresh).expect("write snapshot");
        }
        let stored = std::fs::read(SNAPSHOT).unwrap_or_default();
        assert!(
            stored == fresh,
            "charts/perses-values.snapshot is stale: PCHART_BLESS=1 cargo test --lib snapshot"
        );
        let decoded = decode(&stored, VALUES).expect("snapshot decodes");
        assert!(same(&decoded, &parsed));
    }

    #[test]
    fn a_changed_text_or_corrupt_bytes_are_ignored() {
        let v = Value::str("x");
        let snap = encode("a: x\n", &v).expect("encodes");
        assert!(decode(&snap, "a: x\n").is_some());
        assert!(decode(&snap, "a: y\n").is_none());
        for n in 0..snap.len() {
            assert!(decode(&snap[..n], "a: x\n").is_none());
        }
        let mut deep = MAGIC.to_vec();
        deep.extend_from_slice(&5u64.to_le_bytes());
        deep.extend_from_slice(&fnv("a: x\n").to_le_bytes());
        for _ in 0..5000 {
            deep.extend_from_slice(&[5, 1, 0, 0, 0]);
        }
        assert!(decode(&deep, "a: x\n").is_none());
    }
}
