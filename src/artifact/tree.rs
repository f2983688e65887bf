//! A located document tree of one resource file, read as Perses reads it:
//! JSON when the whole text is valid JSON (Go's `json.Unmarshal` into a
//! `RawMessage`), else YAML with yaml.v3's core schema, first document only
//! (yaml.v3's `Unmarshal` reads one document and ignores the rest).

use saphyr_parser::{Event, Parser, ScalarStyle};

/// A node and the 1-based line and column it starts at.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: usize,
    pub column: usize,
    pub kind: Kind,
    /// A scalar's source text (Go's decoders read a plain `name: 123`
    /// into a string field as its text in YAML); empty for collections.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Node>),
    /// Keys in source order; a later duplicate wins on lookup, as in Go's
    /// decoders into a map.
    Map(Vec<(String, Node)>),
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    /// The type name in Go's decoder words, for "cannot unmarshal" messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "bool",
            Kind::Int(_) => "number",
            Kind::Float(_) => "number",
            Kind::Str(_) => "string",
            Kind::List(_) => "array",
            Kind::Map(_) => "object",
        }
    }
}

/// A parsed file: its first document, whether it was JSON, and how many
/// documents the YAML stream held.
#[derive(Debug)]
pub struct Parsed {
    pub root: Option<Node>,
    pub json: bool,
    pub documents: usize,
}

/// Parse a resource file; `Err` is the reason Perses cannot read it.
pub fn parse(text: &str) -> Result<Parsed, String> {
    let json = serde_json::from_str::<&serde_json::value::RawValue>(text).is_ok();
    // JSON is YAML 1.2 flow syntax, so one located reader serves both.
    let (root, documents) = read_yaml(text)?;
    Ok(Parsed {
        root,
        json,
        documents,
    })
}

enum Open {
    List(Node, Vec<Node>),
    Map(Node, Vec<(String, Node)>, Option<String>),
}

fn read_yaml(text: &str) -> Result<(Option<Node>, usize), String> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    // Anchored nodes and their node counts: aliases expand by copying, so
    // the copies are counted against a budget (no billion laughs), and
    // nesting is bounded (no deep recursion when the tree is dropped).
    let mut anchors: std::collections::HashMap<usize, (Node, usize)> = Default::default();
    let mut sizes: Vec<usize> = Vec::new();
    let mut expanded = 0usize;
    let mut anchor_stack: Vec<usize> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    while let Some((ev, span)) = next_event(&mut parser)? {
        let (line, column) = (span.start.line(), span.start.col() + 1);
        let done = match ev {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => continue,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                continue;
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some((n, size)) => {
                    expanded += size;
                    if expanded > MAX_ALIAS_NODES {
                        return Err(format!(
                            "line {line} column {column}: aliases expand to more than {MAX_ALIAS_NODES} nodes"
                        ));
                    }
                    if let Some(parent) = sizes.last_mut() {
                        *parent += size;
                    }
                    let n = n.clone();
                    attach(&mut stack, &mut root, documents, n);
                    continue;
                }
                None => return Err(format!("line {line} column {column}: unknown anchor")),
            },
            Event::Scalar(v, style, anchor, tag) => {
                let plain = style == ScalarStyle::Plain && tag.is_none();
                let n = Node {
                    line,
                    column,
                    kind: if plain {
                        resolve(&v)
                    } else {
                        Kind::Str(v.to_string())
                    },
                    text: v.into_owned(),
                };
                if anchor > 0 {
                    anchors.insert(anchor, (n.clone(), 1));
                }
                if let Some(parent) = sizes.last_mut() {
                    *parent += 1;
                }
                n
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "line {line} column {column}: nested deeper than {MAX_DEPTH} levels"
                    ));
                }
                sizes.push(1);
                anchor_stack.push(anchor);
                stack.push(Open::List(node(line, column), Vec::new()));
                continue;
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "line {line} column {column}: nested deeper than {MAX_DEPTH} levels"
                    ));
                }
                sizes.push(1);
                anchor_stack.push(anchor);
                stack.push(Open::Map(node(line, column), Vec::new(), None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let anchor = anchor_stack.pop().unwrap_or(0);
                let n = match stack.pop() {
                    Some(Open::List(mut n, items)) => {
                        n.kind = Kind::List(items);
                        n
                    }
                    Some(Open::Map(mut n, items, _)) => {
                        n.kind = Kind::Map(items);
                        n
                    }
                    None => return Err("unbalanced document".into()),
                };
                let size = sizes.pop().unwrap_or(1);
                if let Some(parent) = sizes.last_mut() {
                    *parent += size;
                }
                if anchor > 0 {
                    anchors.insert(anchor, (n.clone(), size));
                }
                n
            }
        };
        attach(&mut stack, &mut root, documents, done);
    }
    Ok((root, documents))
}

const MAX_DEPTH: usize = 256;
const MAX_ALIAS_NODES: usize = 1_000_000;

/// Put a finished node in its parent (or make it the root). Only the
/// first document counts; later ones are counted, not kept.
fn attach(stack: &mut [Open], root: &mut Option<Node>, documents: usize, done: Node) {
    if documents > 1 {
        return;
    }
    match stack.last_mut() {
        None => *root = Some(done),
        Some(Open::List(_, items)) => items.push(done),
        Some(Open::Map(_, items, key)) => match key.take() {
            None => *key = Some(key_text(&done)),
            Some(k) => items.push((k, done)),
        },
    }
}

fn node(line: usize, column: usize) -> Node {
    Node {
        line,
        column,
        kind: Kind::Null,
        text: String::new(),
    }
}

fn key_text(n: &Node) -> String {
    match &n.kind {
        Kind::Str(s) => s.clone(),
        Kind::Null => String::new(),
        Kind::Bool(b) => b.to_string(),
        Kind::Int(i) => i.to_string(),
        Kind::Float(f) => f.to_string(),
        Kind::List(_) | Kind::Map(_) => "?".into(),
    }
}

/// yaml.v3's resolution of a plain scalar (YAML 1.2 core schema).
fn resolve(s: &str) -> Kind {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        "true" | "True" | "TRUE" => return Kind::Bool(true),
        "false" | "False" | "FALSE" => return Kind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Kind::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Kind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Kind::Float(f64::NAN),
        _ => {}
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(i) = s.parse::<i64>()
    {
        return Kind::Int(i);
    }
    if let Some(h) = s.strip_prefix("0x")
        && let Ok(i) = i64::from_str_radix(h, 16)
    {
        return Kind::Int(i);
    }
    if let Some(o) = s.strip_prefix("0o")
        && let Ok(i) = i64::from_str_radix(o, 8)
    {
        return Kind::Int(i);
    }
    let float_like = s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    if float_like && let Ok(f) = s.parse::<f64>() {
        return Kind::Float(f);
    }
    Kind::Str(s.to_string())
}

/// The parser's next event, `None` after the last; a syntax error as
/// `line L column C: what`.
pub(super) fn next_event<'a, T: saphyr_parser::Input>(
    parser: &mut Parser<'a, T>,
) -> Result<Option<(Event<'a>, saphyr_parser::Span)>, String> {
    match parser.next_event() {
        None => Ok(None),
        Some(Ok(x)) => Ok(Some(x)),
        Some(Err(e)) => Err(format!(
            "line {} column {}: {}",
            e.marker().line(),
            e.marker().col() + 1,
            e.info()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_with_lines() {
        let p = parse("{\"kind\": \"Dashboard\",\n \"n\": 1}").map_err(|e| e.to_string());
        let Ok(p) = p else { panic!("parse") };
        assert!(p.json);
        let root = p.root.as_ref().map(|r| r.get("n").map(|n| n.line));
        assert_eq!(root, Some(Some(2)));
        let Ok(p) = parse("a: yes\nb: 10\nc: ~\n---\nd: 1\n") else {
            panic!("parse")
        };
        assert!(!p.json);
        assert_eq!(p.documents, 2);
        let r = p.root.unwrap_or(node(0, 0));
        assert_eq!(
            r.get("a").map(|n| n.kind.clone()),
            Some(Kind::Str("yes".into()))
        );
        assert_eq!(r.get("b").map(|n| n.kind.clone()), Some(Kind::Int(10)));
        assert!(r.get("c").is_some_and(Node::is_null));
        assert!(r.get("d").is_none());
    }

    #[test]
    fn bad_yaml_is_an_error() {
        assert!(parse("a: [1, 2\n").is_err());
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='j' {
            bomb.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        assert!(parse(&bomb).is_err_and(|e| e.contains("aliases expand")));
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let r = parse(&deep).map(|_| ());
        assert!(
            r.as_ref()
                .is_err_and(|e| e.contains("nested deeper") || e.contains("recursion")),
            "{r:?}"
        );
        assert!(parse("a: &x {b: 1}\nc: *x\n").is_ok());
    }
}
