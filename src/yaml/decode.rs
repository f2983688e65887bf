//! Decoding the node tree into `interface{}`, after go-yaml v2 `decode.go`
//! (`decoder`): scalar resolution with tags, merge keys, alias-expansion
//! accounting, last duplicate key wins.

use crate::go::fmt::go_quote;
use std::collections::HashMap;

use super::json::go_format_float;
use saphyr_parser::ScalarStyle;

use super::MAX_DEPTH;
use super::resolve::{Resolved, TAG_PREFIX, resolve_hinted, resolve_plain};
use super::tree::{Kind, Tree};

/// A decoded Go value before the JSON round trip; map keys keep their type.
#[derive(Clone, Debug)]
pub(crate) enum GoVal {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<(GoVal, (usize, usize))>),
    /// Entries with the position of each key.
    Map(Vec<(GoVal, GoVal, (usize, usize))>),
}

impl GoVal {
    fn same_key(&self, other: &GoVal) -> bool {
        match (self, other) {
            (GoVal::Nil, GoVal::Nil) => true,
            (GoVal::Bool(a), GoVal::Bool(b)) => a == b,
            (GoVal::Int(a), GoVal::Int(b)) => a == b,
            (GoVal::Uint(a), GoVal::Uint(b)) => a == b,
            (GoVal::Float(a), GoVal::Float(b)) => a == b,
            (GoVal::Str(a), GoVal::Str(b)) => a == b,
            _ => false,
        }
    }

    /// Go's `%#v`, used in "invalid map key" messages.
    pub(super) fn go_sharp_v(&self, top: bool) -> String {
        match self {
            GoVal::Nil if top => "<nil>".into(),
            GoVal::Nil => "interface {}(nil)".into(),
            GoVal::Bool(b) => b.to_string(),
            GoVal::Int(i) => i.to_string(),
            GoVal::Uint(u) => format!("0x{u:x}"),
            GoVal::Float(f) => go_format_float(*f, b'g', 64),
            GoVal::Str(s) => go_quote(s),
            GoVal::Seq(items) => format!(
                "[]interface {{}}{{{}}}",
                items
                    .iter()
                    .map(|(v, _)| v.go_sharp_v(false))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            GoVal::Map(entries) => format!(
                "map[interface {{}}]interface {{}}{{{}}}",
                entries
                    .iter()
                    .map(|(k, v, _)| format!("{}:{}", k.go_sharp_v(false), v.go_sharp_v(false)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

struct Decoder<'t> {
    tree: &'t Tree,
    decode_count: usize,
    alias_count: usize,
    alias_depth: usize,
    /// Most nodes aliases may expand to (`--max-alias-nodes`).
    max_alias_nodes: u64,
    /// Alias nodes being expanded (recursion check).
    active: Vec<usize>,
}

fn allowed_alias_ratio(decode_count: usize) -> f64 {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

/// Decode the document rooted at `root` (go-yaml's `decoder.unmarshal` of
/// the document node): the value and, on failure, the message and position.
pub(super) fn decode_document(tree: &Tree, root: usize) -> DResult<GoVal> {
    let mut d = Decoder {
        tree,
        // The document node counts as one decode in go-yaml.
        decode_count: 1,
        alias_count: 0,
        alias_depth: 0,
        max_alias_nodes: crate::limits::current().max_alias_nodes,
        active: Vec::new(),
    };
    d.unmarshal(root, 0)
}

pub(super) type DResult<T> = Result<T, (String, (usize, usize))>;

impl Decoder<'_> {
    fn fail<T>(&self, msg: String, pos: (usize, usize)) -> DResult<T> {
        Err((msg, pos))
    }

    /// go-yaml v2 `decoder.unmarshal`, with its billion-laughs guard.
    fn unmarshal(&mut self, idx: usize, depth: usize) -> DResult<GoVal> {
        let node = &self.tree.nodes[idx];
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count as u64 > self.max_alias_nodes {
            return self.fail(
                format!(
                    "document expands aliases into more than {} nodes (raise with --max-alias-nodes)",
                    self.max_alias_nodes
                ),
                node.pos,
            );
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return self.fail("document contains excessive aliasing".into(), node.pos);
        }
        if depth > MAX_DEPTH {
            return self.fail(format!("exceeded max depth of {MAX_DEPTH}"), node.pos);
        }
        match &node.kind {
            Kind::Alias(target, name) => {
                if self.active.contains(&idx) {
                    return self.fail(format!("anchor '{name}' value contains itself"), node.pos);
                }
                self.active.push(idx);
                self.alias_depth += 1;
                let r = self.unmarshal(*target, depth + 1);
                self.alias_depth -= 1;
                self.active.pop();
                r
            }
            Kind::Scalar { value, style, tag } => {
                self.scalar(value, *style, tag.as_deref(), node.pos)
            }
            Kind::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for &i in items {
                    let pos = self.tree.nodes[i].pos;
                    out.push((self.unmarshal(i, depth + 1)?, pos));
                }
                Ok(GoVal::Seq(out))
            }
            Kind::Map(entries) => {
                let mut out = MapBuilder::default();
                for &(k, v) in entries {
                    if self.is_merge(k) {
                        self.merge(v, &mut out, depth + 1)?;
                        continue;
                    }
                    let key = self.unmarshal(k, depth + 1)?;
                    if matches!(key, GoVal::Seq(_) | GoVal::Map(_)) {
                        return self.fail(
                            format!("invalid map key: {}", key.go_sharp_v(true)),
                            self.tree.nodes[k].pos,
                        );
                    }
                    let val = self.unmarshal(v, depth + 1)?;
                    out.set(key, val, self.tree.nodes[k].pos);
                }
                Ok(GoVal::Map(out.entries))
            }
        }
    }

    fn is_merge(&self, idx: usize) -> bool {
        match &self.tree.nodes[idx].kind {
            Kind::Scalar { value, style, tag } => {
                value == "<<"
                    && match tag {
                        None => *style == ScalarStyle::Plain,
                        Some(t) => t == "!" || t == "tag:yaml.org,2002:merge",
                    }
            }
            _ => false,
        }
    }

    fn resolved_kind(&self, idx: usize) -> Option<&Kind> {
        match &self.tree.nodes[idx].kind {
            Kind::Alias(t, _) => Some(&self.tree.nodes[*t].kind),
            k => Some(k),
        }
    }

    /// `decoder.merge`: later sources in a list lose to earlier ones, and
    /// merged keys overwrite what the mapping already holds.
    fn merge(&mut self, idx: usize, out: &mut MapBuilder, depth: usize) -> DResult<()> {
        const WANT_MAP: &str = "map merge requires map or sequence of maps as the value";
        let pos = self.tree.nodes[idx].pos;
        let is_map = |d: &Self, i: usize| matches!(d.resolved_kind(i), Some(Kind::Map(_)));
        let sources: Vec<usize> = match &self.tree.nodes[idx].kind {
            Kind::Map(_) => vec![idx],
            Kind::Alias(..) if is_map(self, idx) => vec![idx],
            Kind::Seq(items) => {
                let items = items.clone();
                for &i in items.iter().rev() {
                    if !is_map(self, i) {
                        return self.fail(WANT_MAP.into(), pos);
                    }
                }
                items.into_iter().rev().collect()
            }
            _ => return self.fail(WANT_MAP.into(), pos),
        };
        for s in sources {
            if let GoVal::Map(entries) = self.unmarshal(s, depth)? {
                for (k, v, p) in entries {
                    out.set(k, v, p);
                }
            }
        }
        Ok(())
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        tag: Option<&str>,
        pos: (usize, usize),
    ) -> DResult<GoVal> {
        let resolved = match tag {
            None if style != ScalarStyle::Plain => return Ok(GoVal::Str(value.to_owned())),
            None => resolve_plain(value),
            Some(t) => match resolve_tagged(t, value) {
                Ok(Some(r)) => r,
                Ok(None) => return Ok(GoVal::Str(value.to_owned())),
                Err(msg) => return self.fail(msg, pos),
            },
        };
        if tag == Some("tag:yaml.org,2002:binary") {
            return match base64_decode(value) {
                Some(bytes) => Ok(GoVal::Str(String::from_utf8_lossy(&bytes).into_owned())),
                None => self.fail("!!binary value contains invalid base64 data".into(), pos),
            };
        }
        Ok(match resolved {
            Resolved::Null => GoVal::Nil,
            Resolved::Bool(b) => GoVal::Bool(b),
            Resolved::Int(i) => GoVal::Int(i),
            Resolved::Uint(u) => GoVal::Uint(u),
            Resolved::Float(f) => GoVal::Float(f),
            Resolved::Timestamp | Resolved::Merge | Resolved::Str => GoVal::Str(value.to_owned()),
        })
    }
}

/// A decoded mapping's entries in document order, with Go map assignment:
/// a repeated key keeps the last value. Past a few entries the keys are
/// indexed, so a mapping of n keys is read in O(n), not O(n^2).
#[derive(Default)]
struct MapBuilder {
    entries: Vec<(GoVal, GoVal, (usize, usize))>,
    index: HashMap<KeyId, usize, foldhash::fast::RandomState>,
}

/// A scalar key's identity as Go's map compares it (`same_key`): -0.0 is
/// 0.0, and NaN never equals itself (so it is not indexed).
#[derive(PartialEq, Eq, Hash)]
enum KeyId {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64),
    Str(String),
}

impl KeyId {
    fn of(k: &GoVal) -> Option<KeyId> {
        Some(match k {
            GoVal::Nil => KeyId::Nil,
            GoVal::Bool(b) => KeyId::Bool(*b),
            GoVal::Int(i) => KeyId::Int(*i),
            GoVal::Uint(u) => KeyId::Uint(*u),
            GoVal::Float(f) if f.is_nan() => return None,
            GoVal::Float(f) => KeyId::Float(if *f == 0.0 { 0 } else { f.to_bits() }),
            GoVal::Str(s) => KeyId::Str(s.clone()),
            GoVal::Seq(_) | GoVal::Map(_) => return None,
        })
    }
}

/// Below this many entries a linear scan is cheaper than an index.
const INDEX_FROM: usize = 16;

impl MapBuilder {
    fn set(&mut self, key: GoVal, val: GoVal, pos: (usize, usize)) {
        if self.entries.len() < INDEX_FROM {
            if let Some(e) = self.entries.iter_mut().find(|(k, _, _)| k.same_key(&key)) {
                e.1 = val;
                e.2 = pos;
                return;
            }
            self.entries.push((key, val, pos));
            if self.entries.len() == INDEX_FROM {
                for (i, (k, _, _)) in self.entries.iter().enumerate() {
                    if let Some(id) = KeyId::of(k) {
                        self.index.insert(id, i);
                    }
                }
            }
            return;
        }
        match KeyId::of(&key) {
            Some(id) => match self.index.get(&id) {
                Some(&i) => {
                    self.entries[i].1 = val;
                    self.entries[i].2 = pos;
                }
                None => {
                    self.index.insert(id, self.entries.len());
                    self.entries.push((key, val, pos));
                }
            },
            None => self.entries.push((key, val, pos)),
        }
    }
}

fn short_tag(t: &str) -> String {
    match t.strip_prefix(TAG_PREFIX) {
        Some(s) => format!("!!{s}"),
        None => t.to_owned(),
    }
}

/// go-yaml v2 `resolve(tag, s)` for an explicitly tagged scalar: `Ok(None)`
/// means "keep the text as a string" (unknown or `!!str`/`!!binary` tags).
fn resolve_tagged(tag: &str, s: &str) -> Result<Option<Resolved>, String> {
    let short = tag.strip_prefix(TAG_PREFIX).unwrap_or("");
    if !tag.starts_with(TAG_PREFIX)
        || !matches!(
            short,
            "str" | "bool" | "int" | "float" | "null" | "timestamp"
        )
    {
        return Ok(if short == "binary" {
            Some(Resolved::Str)
        } else {
            None
        });
    }
    if short == "str" {
        return Ok(None);
    }
    let r = resolve_hinted(s, short == "timestamp");
    let rtag = match &r {
        Resolved::Null => "null",
        Resolved::Bool(_) => "bool",
        Resolved::Int(_) | Resolved::Uint(_) => "int",
        Resolved::Float(_) => "float",
        Resolved::Timestamp => "timestamp",
        Resolved::Merge => "merge",
        Resolved::Str => "str",
    };
    if rtag == short {
        return Ok(Some(r));
    }
    if short == "float"
        && let Resolved::Int(i) = r
    {
        return Ok(Some(Resolved::Float(i as f64)));
    }
    Err(format!(
        "cannot decode {} `{}` as a {}",
        short_tag(&format!("{TAG_PREFIX}{rtag}")),
        s,
        short_tag(tag)
    ))
}

/// Go `base64.StdEncoding.DecodeString`, which skips `\r` and `\n`.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut vals = Vec::new();
    let mut pad = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                continue;
            }
            b'\r' | b'\n' => continue,
            _ => return None,
        };
        if pad > 0 {
            return None;
        }
        vals.push(v);
    }
    if (vals.len() + pad) % 4 != 0 || pad > 2 || vals.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::new();
    for chunk in vals.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &v)| acc | (u32::from(v) << (18 - 6 * i)));
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    Some(out)
}
