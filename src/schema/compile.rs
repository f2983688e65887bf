//! Compiling a schema document: drafts, `$id`/anchors, `$ref` resolution
//! (local only: pchart never fetches), and the keyword set of every
//! subschema. Embedded metaschemas of drafts 4, 6, 7, 2019-09 and 2020-12
//! serve `$schema` and metaschema validation.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use super::json::{J, parse_schema_json};
use super::node::{Additional, Compiled, Dep, Items, Node, Resource, compile_regex};
use crate::go::fmt::go_quote;

/// The URL Helm registers the chart's schema under.
pub const ROOT_URL: &str = "file:///values.schema.json";

const META: &[(&str, &str)] = &[
    (
        "http://json-schema.org/draft-04/schema",
        include_str!("meta/draft4.json"),
    ),
    (
        "http://json-schema.org/draft-06/schema",
        include_str!("meta/draft6.json"),
    ),
    (
        "http://json-schema.org/draft-07/schema",
        include_str!("meta/draft7.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/schema",
        include_str!("meta/draft2019.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/core",
        include_str!("meta/draft2019-core.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/applicator",
        include_str!("meta/draft2019-applicator.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/validation",
        include_str!("meta/draft2019-validation.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/meta-data",
        include_str!("meta/draft2019-meta-data.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/format",
        include_str!("meta/draft2019-format.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/content",
        include_str!("meta/draft2019-content.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/schema",
        include_str!("meta/draft2020.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/core",
        include_str!("meta/draft2020-core.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/applicator",
        include_str!("meta/draft2020-applicator.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/unevaluated",
        include_str!("meta/draft2020-unevaluated.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/validation",
        include_str!("meta/draft2020-validation.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/meta-data",
        include_str!("meta/draft2020-meta-data.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/format-annotation",
        include_str!("meta/draft2020-format-annotation.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/content",
        include_str!("meta/draft2020-content.json"),
    ),
];

/// The draft a `$schema` URL names.
pub fn draft_of(url: &str) -> Option<u32> {
    let u = url.strip_suffix('#').unwrap_or(url);
    let u = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))?;
    match u {
        "json-schema.org/draft-04/schema" => Some(4),
        "json-schema.org/draft-06/schema" => Some(6),
        "json-schema.org/draft-07/schema" => Some(7),
        "json-schema.org/draft/2019-09/schema" => Some(2019),
        "json-schema.org/draft/2020-12/schema" => Some(2020),
        // The version-less URL: Helm's library takes it for the latest draft
        // (the upstream Perses chart's schema uses it).
        "json-schema.org/schema" => Some(2020),
        _ => None,
    }
}

/// The metaschema URL (as it appears in errors) of a draft.
pub fn meta_url(draft: u32) -> &'static str {
    match draft {
        4 => "http://json-schema.org/draft-04/schema",
        6 => "http://json-schema.org/draft-06/schema",
        7 => "http://json-schema.org/draft-07/schema",
        2019 => "https://json-schema.org/draft/2019-09/schema",
        _ => "https://json-schema.org/draft/2020-12/schema",
    }
}

struct Doc {
    json: J,
}

#[derive(Clone)]
struct Pos {
    base: String,
    draft: u32,
    res_ptr: String,
    res: usize,
}

struct Compiler {
    docs: Vec<Doc>,
    /// Resource URL (no fragment) -> (doc, pointer).
    res_by_url: HashMap<String, (usize, String)>,
    /// Anchor URL (`base#name`) -> (doc, pointer).
    anchors: HashMap<String, (usize, String)>,
    /// Every schema position seen, per doc: pointer -> its resource info.
    pos: Vec<HashMap<String, Pos>>,
    /// Dynamic anchors per resource: name -> pointer.
    dyn_anchors: HashMap<usize, Vec<(String, String)>>,
    resources: Vec<Resource>,
    nodes: Vec<Node>,
    /// Compiled node per doc and pointer.
    memo: Vec<HashMap<String, usize>>,
    loaded_meta: HashMap<String, usize>,
}

fn escape_tok(t: &str) -> Cow<'_, str> {
    if t.contains(['~', '/']) {
        Cow::Owned(t.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(t)
    }
}

fn unescape_tok(t: &str) -> Cow<'_, str> {
    if t.contains('~') {
        Cow::Owned(t.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(t)
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 3 <= b.len()
            && s.is_char_boundary(i + 3)
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn split_frag(url: &str) -> (&str, &str) {
    match url.find('#') {
        Some(i) => (&url[..i], &url[i + 1..]),
        None => (url, ""),
    }
}

/// RFC 3986 reference resolution (enough for schema `$id`/`$ref`).
pub fn resolve_url(base: &str, r: &str) -> String {
    let (base, _) = split_frag(base);
    if r.is_empty() {
        return base.to_string();
    }
    if r.starts_with('#') {
        return format!("{base}{r}");
    }
    let has_scheme = r.find(':').is_some_and(|i| {
        let s = &r[..i];
        !s.is_empty()
            && s.as_bytes()[0].is_ascii_alphabetic()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
    });
    if has_scheme {
        return r.to_string();
    }
    let (scheme, rest) = match base.find("://") {
        Some(i) => (&base[..i + 3], &base[i + 3..]),
        None => match base.find(':') {
            Some(i) => (&base[..i + 1], &base[i + 1..]),
            None => ("", base),
        },
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if let Some(r2) = r.strip_prefix("//") {
        return format!("{}{r2}", &scheme);
    }
    let merged = if r.starts_with('/') {
        r.to_string()
    } else {
        let (rpath, tail) = match r.find(['?', '#']) {
            Some(i) => (&r[..i], &r[i..]),
            None => (r, ""),
        };
        let dir = match path.rfind('/') {
            Some(i) => &path[..=i],
            None => "/",
        };
        format!("{dir}{rpath}{tail}")
    };
    // remove dot segments
    let (p, tail) = match merged.find(['?', '#']) {
        Some(i) => (merged[..i].to_string(), merged[i..].to_string()),
        None => (merged.clone(), String::new()),
    };
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = p.split('/').collect();
    for (i, seg) in segs.iter().enumerate() {
        match *seg {
            "." => {
                if i == segs.len() - 1 {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == segs.len() - 1 {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("{scheme}{authority}{}{tail}", out.join("/"))
}

/// Compiles a chart's schema text.
pub fn compile(text: &str) -> Result<Compiled, String> {
    let json = parse_schema_json(text)?;
    let draft = match json.get("$schema").and_then(J::as_str) {
        Some(s) => match draft_of(s) {
            Some(d) => d,
            None if s.is_empty() => {
                return Err("failing loading \"\": no URLLoader registered for \"\"".into());
            }
            None => {
                return Err(format!(
                    "failing loading {}: pchart does not fetch remote schemas",
                    go_quote(&resolve_url(ROOT_URL, s))
                ));
            }
        },
        None => 2020,
    };
    // The schema must be valid against its draft's metaschema. The embedded
    // Perses chart's schema is checked by a test instead of on every run:
    // the check costs more than rendering the chart.
    if !is_embedded_schema(text) {
        let marker = meta_ok_marker(text, draft);
        if !marker.as_ref().is_some_and(|m| m.exists()) {
            check_meta(&json, draft)?;
            if let Some(m) = marker {
                remember(&m);
            }
        }
    }
    let mut c = Compiler::new();
    let doc = c.add_doc(ROOT_URL, json, draft)?;
    // One node per schema position, about: a node is large, growing the
    // vector by doubling copied it over and over.
    c.nodes.reserve(c.pos[doc].len());
    let root = c.compile(doc, String::new(), 0)?;
    Ok(Compiled {
        nodes: c.nodes,
        resources: c.resources,
        root,
    })
}

/// Where schemas found valid against their draft's metaschema in earlier
/// runs are remembered (see [`remember_valid_schemas_in`]); unset, every
/// schema is checked.
static META_OK_DIR: OnceLock<std::path::PathBuf> = OnceLock::new();

/// Remember schemas that pass the metaschema check in `dir`, across runs:
/// an empty file per (pchart version, draft, schema text), named by their
/// SHA-256. The check costs more than rendering a small chart (2.7 of 11.4
/// million instructions for a render of alertmanager-snmp-notifier) and a
/// chart's schema seldom changes. Only success is remembered: an invalid
/// schema is checked, and refused, every time. The command line sets this
/// once at start (its cache folder); a library user that never calls it
/// gets no cache.
pub fn remember_valid_schemas_in(dir: std::path::PathBuf) {
    let _ = META_OK_DIR.set(dir);
}

fn meta_ok_marker(text: &str, draft: u32) -> Option<std::path::PathBuf> {
    let dir = META_OK_DIR.get()?;
    let key = format!("{}\0{draft}\0{text}", env!("CARGO_PKG_VERSION"));
    let digest = crate::oci::sha256(key.as_bytes());
    Some(dir.join(digest.trim_start_matches("sha256:")))
}

/// Writes an empty marker; a cache that cannot be written is no cache.
fn remember(marker: &std::path::Path) {
    if let Some(dir) = marker.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        let _ = std::fs::write(marker, b"");
    }
}

fn check_meta(json: &J, draft: u32) -> Result<(), String> {
    let meta = compile_meta(draft)?;
    if let Some(e) = super::validate::validate_j(&meta, json) {
        return Err(format!(
            "{} is not valid against metaschema: {}",
            go_quote(&format!("{ROOT_URL}#")),
            e.to_text()
        ));
    }
    Ok(())
}

/// Is `text` the values.schema.json of the chart built into pchart?
pub fn is_embedded_schema(text: &str) -> bool {
    crate::chart::embedded::FILES
        .iter()
        .any(|(n, b)| *n == "values.schema.json" && *b == text.as_bytes())
}

/// The draft a schema document's `$schema` names; 2020-12 when it names
/// none pchart knows.
fn declared_draft(json: &J) -> u32 {
    json.get("$schema")
        .and_then(J::as_str)
        .and_then(draft_of)
        .unwrap_or(2020)
}

/// Validate a schema against its draft's metaschema, always.
pub fn check_against_metaschema(text: &str) -> Result<(), String> {
    let json = parse_schema_json(text)?;
    let draft = declared_draft(&json);
    check_meta(&json, draft)
}

static SCHEMA_CACHE: OnceLock<Mutex<HashMap<String, Arc<Compiled>>>> = OnceLock::new();

/// [`compile`], once per distinct schema text per process (`lint` checks
/// the same schemas while rendering and again for its own findings).
pub fn compile_cached(text: &str) -> Result<Arc<Compiled>, String> {
    let cache = SCHEMA_CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(c) = cache.lock().ok().and_then(|m| m.get(text).cloned()) {
        return Ok(c);
    }
    let c = Arc::new(compile(text)?);
    if let Ok(mut m) = cache.lock() {
        m.insert(text.to_string(), c.clone());
    }
    Ok(c)
}

static META_CACHE: OnceLock<Mutex<HashMap<u32, Arc<Compiled>>>> = OnceLock::new();

/// The compiled metaschema of a draft (compiled once per process).
pub fn compile_meta(draft: u32) -> Result<Arc<Compiled>, String> {
    let cache = META_CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(c) = cache.lock().ok().and_then(|m| m.get(&draft).cloned()) {
        return Ok(c);
    }
    let mut c = Compiler::new();
    let doc = c.load_meta(meta_url(draft))?;
    let root = c.compile(doc, String::new(), 0)?;
    let compiled = Arc::new(Compiled {
        nodes: c.nodes,
        resources: c.resources,
        root,
    });
    if let Ok(mut m) = cache.lock() {
        m.insert(draft, compiled.clone());
    }
    Ok(compiled)
}

fn get_ptr<'a>(root: &'a J, ptr: &str) -> Option<&'a J> {
    let mut cur = root;
    if ptr.is_empty() {
        return Some(cur);
    }
    for tok in ptr.split('/').skip(1) {
        let tok = unescape_tok(tok);
        cur = match cur {
            J::Obj(m) => m.get(&*tok)?,
            J::Arr(a) => {
                if tok.starts_with('+') || (tok.len() > 1 && tok.starts_with('0')) {
                    return None;
                }
                a.get(tok.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(cur)
}

/// Subschema positions of a schema object: (keyword path suffix, value).
fn subschemas(obj: &std::collections::BTreeMap<String, J>, draft: u32) -> Vec<(String, J)> {
    let mut out = Vec::new();
    let single: &[&str] = &[
        "additionalProperties",
        "additionalItems",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contentSchema",
    ];
    for k in single {
        if let Some(v) = obj.get(*k) {
            out.push((format!("/{k}"), v.clone()));
        }
    }
    let maps: &[&str] = &[
        "properties",
        "patternProperties",
        "definitions",
        "$defs",
        "dependentSchemas",
        "dependencies",
    ];
    for k in maps {
        if let Some(J::Obj(m)) = obj.get(*k) {
            for (name, v) in m.iter() {
                if matches!(v, J::Obj(_) | J::Bool(_)) {
                    out.push((format!("/{k}/{}", escape_tok(name)), v.clone()));
                }
            }
        }
    }
    let arrays: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
    for k in arrays {
        if let Some(J::Arr(a)) = obj.get(*k) {
            for (i, v) in a.iter().enumerate() {
                out.push((format!("/{k}/{i}"), v.clone()));
            }
        }
    }
    match obj.get("items") {
        Some(J::Arr(a)) if draft < 2020 => {
            for (i, v) in a.iter().enumerate() {
                out.push((format!("/items/{i}"), v.clone()));
            }
        }
        Some(v) => out.push(("/items".into(), v.clone())),
        None => {}
    }
    out
}

fn as_count(v: Option<&J>) -> Option<usize> {
    match v {
        Some(J::Num(n)) if n.f >= 0.0 => Some(n.f.min(usize::MAX as f64) as usize),
        _ => None,
    }
}

fn str_list(v: Option<&J>) -> Vec<String> {
    match v {
        Some(J::Arr(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

const TYPE_ORDER: [&str; 7] = [
    "null", "boolean", "number", "integer", "string", "array", "object",
];

impl Compiler {
    fn new() -> Compiler {
        Compiler {
            docs: Vec::new(),
            res_by_url: HashMap::new(),
            anchors: HashMap::new(),
            pos: Vec::new(),
            dyn_anchors: HashMap::new(),
            resources: Vec::new(),
            nodes: Vec::new(),
            memo: Vec::new(),
            loaded_meta: HashMap::new(),
        }
    }

    fn load_meta(&mut self, url: &str) -> Result<usize, String> {
        let key = url.strip_suffix('#').unwrap_or(url).to_string();
        if let Some(d) = self.loaded_meta.get(&key) {
            return Ok(*d);
        }
        let Some((_, text)) = META.iter().find(|(u, _)| *u == key) else {
            return Err(format!(
                "failing loading {}: pchart does not fetch remote schemas",
                go_quote(url)
            ));
        };
        let json = parse_schema_json(text)?;
        let draft = declared_draft(&json);
        let d = self.add_doc(&key, json, draft)?;
        self.loaded_meta.insert(key, d);
        Ok(d)
    }

    fn add_doc(&mut self, url: &str, json: J, draft: u32) -> Result<usize, String> {
        let d = self.docs.len();
        self.docs.push(Doc { json: json.clone() });
        self.pos.push(HashMap::new());
        self.memo.push(HashMap::new());
        let res = self.new_resource(url);
        self.res_by_url.insert(url.to_string(), (d, String::new()));
        self.collect(
            d,
            &json,
            String::new(),
            url.to_string(),
            draft,
            String::new(),
            res,
            0,
        );
        Ok(d)
    }

    fn new_resource(&mut self, url: &str) -> usize {
        self.resources.push(Resource {
            url: url.to_string(),
            ..Resource::default()
        });
        self.resources.len() - 1
    }

    #[allow(clippy::too_many_arguments)]
    fn collect(
        &mut self,
        d: usize,
        v: &J,
        ptr: String,
        mut base: String,
        mut draft: u32,
        mut res_ptr: String,
        mut res: usize,
        depth: usize,
    ) {
        if depth > 5000 {
            return;
        }
        let Some(obj) = v.as_obj() else {
            self.pos[d].insert(
                ptr,
                Pos {
                    base,
                    draft,
                    res_ptr,
                    res,
                },
            );
            return;
        };
        if !ptr.is_empty()
            && let Some(s) = obj.get("$schema").and_then(J::as_str).and_then(draft_of)
        {
            draft = s;
        }
        let id_kw = if draft == 4 { "id" } else { "$id" };
        if let Some(id) = obj.get(id_kw).and_then(J::as_str) {
            if id.starts_with('#') && draft < 2019 {
                self.anchors.insert(format!("{base}{id}"), (d, ptr.clone()));
            } else if !ptr.is_empty() {
                let url = resolve_url(&base, id);
                let (u, _) = split_frag(&url);
                base = u.to_string();
                res = self.new_resource(&base);
                res_ptr = ptr.clone();
                self.res_by_url.insert(base.clone(), (d, ptr.clone()));
            } else {
                // The root keeps the URL Helm gives it; its `$id` is an alias.
                let url = resolve_url(&base, id);
                let (u, _) = split_frag(&url);
                self.res_by_url.insert(u.to_string(), (d, ptr.clone()));
            }
        }
        if draft >= 2019 {
            if let Some(a) = obj.get("$anchor").and_then(J::as_str) {
                self.anchors.insert(format!("{base}#{a}"), (d, ptr.clone()));
            }
            if let Some(a) = obj.get("$dynamicAnchor").and_then(J::as_str) {
                self.anchors.insert(format!("{base}#{a}"), (d, ptr.clone()));
                self.dyn_anchors
                    .entry(res)
                    .or_default()
                    .push((a.to_string(), ptr.clone()));
            }
        }
        self.pos[d].insert(
            ptr.clone(),
            Pos {
                base: base.clone(),
                draft,
                res_ptr: res_ptr.clone(),
                res,
            },
        );
        for (suffix, sub) in subschemas(obj, draft) {
            self.collect(
                d,
                &sub,
                format!("{ptr}{suffix}"),
                base.clone(),
                draft,
                res_ptr.clone(),
                res,
                depth + 1,
            );
        }
    }

    fn pos_of(&self, d: usize, ptr: &str) -> Pos {
        let mut p = ptr;
        loop {
            if let Some(pos) = self.pos[d].get(p) {
                return pos.clone();
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => {
                    return self.pos[d].get("").cloned().unwrap_or(Pos {
                        base: ROOT_URL.into(),
                        draft: 2020,
                        res_ptr: String::new(),
                        res: 0,
                    });
                }
            }
        }
    }

    /// Resolves a reference to (doc, pointer).
    fn resolve(&mut self, base: &str, r: &str) -> Result<(usize, String), String> {
        let url = resolve_url(base, r);
        let (u, frag) = split_frag(&url);
        let (u, frag) = (u.to_string(), frag.to_string());
        let (d, rptr) = match self.res_by_url.get(&u) {
            Some(x) => x.clone(),
            None => {
                let key = u.clone();
                if META.iter().any(|(m, _)| *m == key) {
                    let d = self.load_meta(&key)?;
                    (d, String::new())
                } else {
                    return Err(format!(
                        "failing loading {}: pchart does not fetch remote schemas",
                        go_quote(&u)
                    ));
                }
            }
        };
        let frag = percent_decode(&frag);
        if frag.is_empty() {
            return Ok((d, rptr));
        }
        if frag.starts_with('/') {
            let full = format!("{rptr}{frag}");
            if get_ptr(&self.docs[d].json, &full).is_none() {
                return Err(format!("json-pointer in {} not found", go_quote(&url)));
            }
            return Ok((d, full));
        }
        match self.anchors.get(&format!("{u}#{frag}")) {
            Some(x) => Ok(x.clone()),
            None => Err(format!("anchor in {} not found", go_quote(&url))),
        }
    }

    fn compile(&mut self, d: usize, ptr: String, depth: usize) -> Result<usize, String> {
        if let Some(id) = self.memo[d].get(&ptr) {
            return Ok(*id);
        }
        if depth > 5000 {
            return Err("schema nested too deeply to compile".into());
        }
        let pos = self.pos_of(d, &ptr);
        let json = get_ptr(&self.docs[d].json, &ptr)
            .cloned()
            .unwrap_or(J::Bool(true));
        let id = self.nodes.len();
        let rel = ptr.get(pos.res_ptr.len()..).unwrap_or("");
        self.nodes.push(Node {
            loc: format!("{}#{}", pos.base, rel),
            draft: pos.draft,
            resource: pos.res,
            ..Node::default()
        });
        self.memo[d].insert(ptr.clone(), id);
        if ptr == pos.res_ptr && self.resources[pos.res].root.is_none() {
            self.resources[pos.res].root = Some(id);
            let anchors = self.dyn_anchors.get(&pos.res).cloned().unwrap_or_default();
            for (name, aptr) in anchors {
                let n = if aptr == ptr {
                    id
                } else {
                    self.compile(d, aptr, depth + 1)?
                };
                self.resources[pos.res].dynamic_anchors.insert(name, n);
            }
        }
        let node = self.build(d, &ptr, &json, &pos, depth)?;
        let keep = (self.nodes[id].loc.clone(), self.nodes[id].resource);
        self.nodes[id] = node;
        self.nodes[id].loc = keep.0;
        self.nodes[id].resource = keep.1;
        Ok(id)
    }

    fn sub(&mut self, d: usize, ptr: &str, suffix: &str, depth: usize) -> Result<usize, String> {
        self.compile(d, format!("{ptr}{suffix}"), depth + 1)
    }

    /// The keywords of the (sub)schema `json` at `ptr`, one family of
    /// keywords at a time.
    fn build(
        &mut self,
        d: usize,
        ptr: &str,
        json: &J,
        pos: &Pos,
        depth: usize,
    ) -> Result<Node, String> {
        let mut n = Node {
            draft: pos.draft,
            ..Node::default()
        };
        let obj = match json {
            J::Bool(b) => {
                n.boolean = Some(*b);
                return Ok(n);
            }
            J::Obj(m) => m.clone(),
            _ => return Ok(n),
        };
        let at = At {
            d,
            ptr,
            pos,
            depth,
            obj: &obj,
        };
        if self.build_refs(&at, &mut n)? {
            return Ok(n);
        }
        build_generic(&at, &mut n);
        self.build_objects(&at, &mut n)?;
        self.build_arrays(&at, &mut n)?;
        build_strings(&at, &mut n)?;
        build_numbers(&at, &mut n);
        self.build_applicators(&at, &mut n)?;
        n.all_props_evaluated = n.additional_properties.is_some();
        Ok(n)
    }

    /// The subschema at `suffix` below the one being built.
    fn sub_at(&mut self, at: &At, suffix: &str) -> Result<usize, String> {
        self.sub(at.d, at.ptr, suffix, at.depth)
    }

    /// The subschema at a pointer `url` resolves to.
    fn compile_ref(&mut self, at: &At, url: &str) -> Result<usize, String> {
        let (rd, rp) = self.resolve(&at.pos.base, url)?;
        self.compile(rd, rp, at.depth + 1)
    }

    /// `$ref`, `$recursiveRef`/`$recursiveAnchor` (2019-09),
    /// `$dynamicRef`/`$dynamicAnchor` (2020-12). True when, as before
    /// 2019-09, `$ref` makes every sibling keyword ignored.
    fn build_refs(&mut self, at: &At, n: &mut Node) -> Result<bool, String> {
        let (obj, draft) = (at.obj, at.pos.draft);
        if let Some(r) = obj.get("$ref").and_then(J::as_str) {
            n.ref_ = Some(self.compile_ref(at, r)?);
            if draft < 2019 {
                return Ok(true);
            }
        }
        if draft == 2019 {
            if let Some(r) = obj.get("$recursiveRef").and_then(J::as_str) {
                n.recursive_ref = Some(self.compile_ref(at, r)?);
            }
            n.recursive_anchor = obj
                .get("$recursiveAnchor")
                .is_some_and(|v| matches!(v, J::Bool(true)));
        }
        if draft >= 2020 {
            if let Some(r) = obj.get("$dynamicRef").and_then(J::as_str) {
                let target = self.compile_ref(at, r)?;
                let url = resolve_url(&at.pos.base, r);
                let (_, frag) = split_frag(&url);
                let anchor = if frag.starts_with('/') {
                    String::new()
                } else {
                    frag.to_string()
                };
                n.dynamic_ref = Some((target, anchor));
            }
            n.dynamic_anchor = obj
                .get("$dynamicAnchor")
                .and_then(J::as_str)
                .map(String::from);
        }
        Ok(false)
    }

    /// Object keywords.
    fn build_objects(&mut self, at: &At, n: &mut Node) -> Result<(), String> {
        let (obj, draft) = (at.obj, at.pos.draft);
        n.min_properties = as_count(obj.get("minProperties"));
        n.max_properties = as_count(obj.get("maxProperties"));
        n.required = str_list(obj.get("required"));
        if let Some(J::Obj(m)) = obj.get("properties") {
            for k in m.keys() {
                let id = self.sub_at(at, &format!("/properties/{}", escape_tok(k)))?;
                n.properties.push((k.clone(), id));
            }
        }
        if let Some(J::Obj(m)) = obj.get("patternProperties") {
            for k in m.keys() {
                let re = compile_regex(k, &at.loc("patternProperties"))?;
                let id = self.sub_at(at, &format!("/patternProperties/{}", escape_tok(k)))?;
                n.pattern_properties.push((re, id));
            }
        }
        n.additional_properties = match obj.get("additionalProperties") {
            Some(J::Bool(b)) => Some(Additional::Bool(*b)),
            Some(J::Obj(_)) => Some(Additional::Schema(
                self.sub_at(at, "/additionalProperties")?,
            )),
            _ => None,
        };
        if let Some(J::Obj(m)) = obj.get("dependencies") {
            for (k, v) in m.iter() {
                match v {
                    J::Arr(_) => n
                        .dependencies
                        .push((k.clone(), Dep::Props(str_list(Some(v))))),
                    J::Obj(_) | J::Bool(_) => {
                        let id = self.sub_at(at, &format!("/dependencies/{}", escape_tok(k)))?;
                        n.dependencies.push((k.clone(), Dep::Schema(id)));
                    }
                    _ => {}
                }
            }
        }
        if draft >= 6 && obj.contains_key("propertyNames") {
            n.property_names = Some(self.sub_at(at, "/propertyNames")?);
        }
        if draft >= 2019 {
            if let Some(J::Obj(m)) = obj.get("dependentSchemas") {
                for k in m.keys() {
                    let id = self.sub_at(at, &format!("/dependentSchemas/{}", escape_tok(k)))?;
                    n.dependent_schemas.push((k.clone(), id));
                }
            }
            if let Some(J::Obj(m)) = obj.get("dependentRequired") {
                for (k, v) in m.iter() {
                    n.dependent_required.push((k.clone(), str_list(Some(v))));
                }
            }
            if obj.contains_key("unevaluatedProperties") {
                n.unevaluated_properties = Some(self.sub_at(at, "/unevaluatedProperties")?);
            }
            if obj.contains_key("unevaluatedItems") {
                n.unevaluated_items = Some(self.sub_at(at, "/unevaluatedItems")?);
            }
        }
        Ok(())
    }

    /// Array keywords: `items` as a list or a schema before 2020-12,
    /// `prefixItems` and `items` from 2020-12.
    fn build_arrays(&mut self, at: &At, n: &mut Node) -> Result<(), String> {
        let (obj, draft) = (at.obj, at.pos.draft);
        n.min_items = as_count(obj.get("minItems"));
        n.max_items = as_count(obj.get("maxItems"));
        n.unique_items = matches!(obj.get("uniqueItems"), Some(J::Bool(true)));
        if draft < 2020 {
            match obj.get("items") {
                Some(J::Arr(a)) => {
                    let mut v = Vec::new();
                    for i in 0..a.len() {
                        v.push(self.sub_at(at, &format!("/items/{i}"))?);
                    }
                    n.num_items_evaluated = v.len();
                    n.items = Some(Items::Many(v));
                }
                Some(_) => n.items = Some(Items::One(self.sub_at(at, "/items")?)),
                None => {}
            }
            n.additional_items = match obj.get("additionalItems") {
                Some(J::Bool(b)) => Some(Additional::Bool(*b)),
                Some(J::Obj(_)) => Some(Additional::Schema(self.sub_at(at, "/additionalItems")?)),
                _ => None,
            };
            if matches!(n.items, Some(Items::Many(_))) {
                n.all_items_evaluated = n.additional_items.is_some();
            } else {
                n.all_items_evaluated = n.items.is_some();
            }
        } else {
            if let Some(J::Arr(a)) = obj.get("prefixItems") {
                for i in 0..a.len() {
                    let id = self.sub_at(at, &format!("/prefixItems/{i}"))?;
                    n.prefix_items.push(id);
                }
            }
            n.num_items_evaluated = n.prefix_items.len();
            if obj.contains_key("items") {
                n.items2020 = Some(self.sub_at(at, "/items")?);
            }
            n.all_items_evaluated = n.items2020.is_some();
        }
        if draft >= 6 && obj.contains_key("contains") {
            n.contains = Some(self.sub_at(at, "/contains")?);
        }
        if draft >= 2019 {
            n.min_contains = as_count(obj.get("minContains"));
            n.max_contains = as_count(obj.get("maxContains"));
        }
        Ok(())
    }

    /// `not`, `allOf`/`anyOf`/`oneOf`, `if`/`then`/`else` (draft 7 on).
    fn build_applicators(&mut self, at: &At, n: &mut Node) -> Result<(), String> {
        let obj = at.obj;
        if obj.contains_key("not") {
            n.not = Some(self.sub_at(at, "/not")?);
        }
        for kw in ["allOf", "anyOf", "oneOf"] {
            if let Some(J::Arr(a)) = obj.get(kw) {
                let mut v = Vec::new();
                for i in 0..a.len() {
                    v.push(self.sub_at(at, &format!("/{kw}/{i}"))?);
                }
                match kw {
                    "allOf" => n.all_of = v,
                    "anyOf" => n.any_of = v,
                    _ => n.one_of = v,
                }
            }
        }
        if at.pos.draft >= 7 && obj.contains_key("if") {
            n.if_ = Some(self.sub_at(at, "/if")?);
            if obj.contains_key("then") {
                n.then_ = Some(self.sub_at(at, "/then")?);
            }
            if obj.contains_key("else") {
                n.else_ = Some(self.sub_at(at, "/else")?);
            }
        }
        Ok(())
    }
}

/// The (sub)schema whose keywords are being compiled: its document,
/// pointer, resource position, nesting depth and keyword object.
struct At<'a> {
    d: usize,
    ptr: &'a str,
    pos: &'a Pos,
    depth: usize,
    obj: &'a BTreeMap<String, J>,
}

impl At<'_> {
    /// The keyword location error messages name (`base#/ptr/kw`).
    fn loc(&self, kw: &str) -> String {
        format!(
            "{}#{}/{}",
            self.pos.base,
            self.ptr.get(self.pos.res_ptr.len()..).unwrap_or(""),
            kw
        )
    }
}

/// `type`, `const` (draft 6 on), `enum`, `format` (asserted before 2019-09).
fn build_generic(at: &At, n: &mut Node) {
    let (obj, draft) = (at.obj, at.pos.draft);
    let mut types: Vec<&'static str> = Vec::new();
    match obj.get("type") {
        Some(J::Str(s)) => types.extend(TYPE_ORDER.iter().filter(|t| **t == &**s)),
        Some(J::Arr(a)) => {
            for t in TYPE_ORDER {
                if a.iter().any(|x| x.as_str() == Some(t)) {
                    types.push(t);
                }
            }
        }
        _ => {}
    }
    n.types = types;
    if draft >= 6 {
        n.const_ = obj.get("const").cloned();
    }
    if let Some(J::Arr(a)) = obj.get("enum") {
        n.enum_ = Some(a.to_vec());
    }
    if draft < 2019
        && let Some(f) = obj.get("format").and_then(J::as_str)
        && super::formats::known(f)
    {
        n.format = Some(f.to_string());
    }
}

/// String keywords.
fn build_strings(at: &At, n: &mut Node) -> Result<(), String> {
    n.min_length = as_count(at.obj.get("minLength"));
    n.max_length = as_count(at.obj.get("maxLength"));
    if let Some(p) = at.obj.get("pattern").and_then(J::as_str) {
        n.pattern = Some((compile_regex(p, &at.loc("pattern"))?, p.to_string()));
    }
    Ok(())
}

/// Number keywords; draft 4's boolean `exclusiveMinimum`/`Maximum` turn
/// `minimum`/`maximum` exclusive.
fn build_numbers(at: &At, n: &mut Node) {
    let num = |k: &str| match at.obj.get(k) {
        Some(J::Num(x)) => Some(x.clone()),
        _ => None,
    };
    n.minimum = num("minimum");
    n.maximum = num("maximum");
    if at.pos.draft == 4 {
        if matches!(at.obj.get("exclusiveMinimum"), Some(J::Bool(true))) {
            n.exclusive_minimum = n.minimum.take();
        }
        if matches!(at.obj.get("exclusiveMaximum"), Some(J::Bool(true))) {
            n.exclusive_maximum = n.maximum.take();
        }
    } else {
        n.exclusive_minimum = num("exclusiveMinimum");
        n.exclusive_maximum = num("exclusiveMaximum");
    }
    n.multiple_of = num("multipleOf");
}
