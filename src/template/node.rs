//! Parse tree nodes, like Go's `text/template/parse/node.go`.
//!
//! Every node carries its byte position in the template text, so execution
//! errors can report `file:line:col` exactly as Go does. `Display` prints a
//! node back as template source; Go uses that text in error messages
//! (`executing "x" at <.Values.a.b>`), so it must match Go's spelling.

use std::fmt::{self, Display, Write};
use std::rc::Rc;

use super::lex::ItemType;
use crate::go::fmt as gofmt;
use crate::go::strconv;

pub type Pos = usize;

#[derive(Debug, Clone)]
pub struct ListNode {
    pub pos: Pos,
    pub nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
pub enum Node {
    Text {
        pos: Pos,
        text: Rc<str>,
    },
    Comment {
        pos: Pos,
        text: String,
    },
    Action {
        pos: Pos,
        pipe: PipeNode,
    },
    If(Box<Branch>),
    Range(Box<Branch>),
    With(Box<Branch>),
    Template {
        pos: Pos,
        name: String,
        pipe: Option<PipeNode>,
    },
    Break {
        pos: Pos,
    },
    Continue {
        pos: Pos,
    },
    /// Only produced transiently while parsing (`{{end}}`, `{{else}}`).
    End {
        pos: Pos,
    },
    Else {
        pos: Pos,
    },
}

/// Shared shape of `if`, `range` and `with`.
#[derive(Debug, Clone)]
pub struct Branch {
    pub pos: Pos,
    pub pipe: PipeNode,
    pub list: ListNode,
    pub else_list: Option<ListNode>,
}

#[derive(Debug, Clone)]
pub struct PipeNode {
    pub pos: Pos,
    pub is_assign: bool,
    pub decl: Vec<Variable>,
    pub cmds: Vec<CommandNode>,
}

#[derive(Debug, Clone)]
pub struct Variable {
    pub pos: Pos,
    /// `$x.a.b` is `["$x", "a", "b"]`.
    pub ident: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CommandNode {
    pub pos: Pos,
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone)]
pub struct Number {
    pub text: String,
    pub int: Option<i64>,
    pub uint: Option<u64>,
    pub float: Option<f64>,
    pub complex: Option<(f64, f64)>,
    pub is_char: bool,
}

/// Go's `parse.newNumber`: classify a numeric literal as int, uint, float
/// and/or complex.
pub fn parse_number(text: &str, typ: ItemType) -> Result<Number, String> {
    let mut n = Number {
        text: text.to_string(),
        int: None,
        uint: None,
        float: None,
        complex: None,
        is_char: false,
    };
    match typ {
        ItemType::CharConstant => {
            let inner = &text[1..];
            let (c, tail) = strconv::unquote_char(inner, '\'')?;
            if tail != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            let r = c as i64;
            n.int = Some(r);
            n.uint = Some(r as u64);
            n.float = Some(r as f64);
            n.is_char = true;
            return Ok(n);
        }
        ItemType::Complex => {
            // `1+2i`: real part, then signed imaginary part.
            let split = text[1..]
                .rfind(['+', '-'])
                .map(|i| i + 1)
                .ok_or_else(|| format!("expected integer; found {text}"))?;
            let re = strconv::parse_float(&text[..split]).ok_or(strconv::SYNTAX)?;
            let im = strconv::parse_float(&text[split..text.len() - 1]).ok_or(strconv::SYNTAX)?;
            n.complex = Some((re, im));
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    if let Some(body) = text.strip_suffix('i')
        && let Some(f) = strconv::parse_float(body)
    {
        n.complex = Some((0.0, f));
        simplify_complex(&mut n);
        return Ok(n);
    }
    if let Some(u) = strconv::parse_uint_base0(text) {
        n.uint = Some(u);
    }
    if let Some(i) = strconv::parse_int_base0(text) {
        n.int = Some(i);
        if i == 0 {
            n.uint = Some(0);
        }
    }
    if let Some(i) = n.int {
        n.float = Some(i as f64);
    } else if let Some(u) = n.uint {
        n.float = Some(u as f64);
    } else if let Some(f) = strconv::parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", gofmt::go_quote(text)));
        }
        n.float = Some(f);
        if n.int.is_none() && (f as i64) as f64 == f && f.abs() < 9.3e18 {
            n.int = Some(f as i64);
        }
        if n.uint.is_none() && f >= 0.0 && (f as u64) as f64 == f && f < 1.8e19 {
            n.uint = Some(f as u64);
        }
    }
    if n.int.is_none() && n.uint.is_none() && n.float.is_none() {
        return Err(format!("illegal number syntax: {}", gofmt::go_quote(text)));
    }
    Ok(n)
}

fn simplify_complex(n: &mut Number) {
    if let Some((re, im)) = n.complex
        && im == 0.0
    {
        n.float = Some(re);
        if (re as i64) as f64 == re {
            n.int = Some(re as i64);
        }
        if re >= 0.0 && (re as u64) as f64 == re {
            n.uint = Some(re as u64);
        }
    }
}

/// An operand of a command.
#[derive(Debug, Clone)]
pub enum Arg {
    Identifier {
        pos: Pos,
        name: String,
    },
    Dot {
        pos: Pos,
    },
    Nil {
        pos: Pos,
    },
    Variable(Variable),
    /// `.a.b` is `["a", "b"]`.
    Field {
        pos: Pos,
        ident: Vec<String>,
    },
    /// `(pipe).a.b` or `func.a` style chains.
    Chain {
        pos: Pos,
        node: Box<Arg>,
        fields: Vec<String>,
    },
    Bool {
        pos: Pos,
        val: bool,
    },
    Number {
        pos: Pos,
        num: Rc<Number>,
    },
    String {
        pos: Pos,
        quoted: String,
        text: Rc<str>,
    },
    Pipe(Box<PipeNode>),
}

impl Arg {
    pub fn pos(&self) -> Pos {
        match self {
            Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Field { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Bool { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::String { pos, .. } => *pos,
            Arg::Variable(v) => v.pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Text { pos, .. }
            | Node::Comment { pos, .. }
            | Node::Action { pos, .. }
            | Node::Template { pos, .. }
            | Node::Break { pos }
            | Node::Continue { pos }
            | Node::End { pos }
            | Node::Else { pos } => *pos,
            Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
        }
    }
}

impl ListNode {
    /// Go's `IsEmptyTree`: only whitespace text (and comments).
    pub fn is_empty_tree(&self) -> bool {
        self.nodes.iter().all(|n| match n {
            Node::Text { text, .. } => text
                .trim_matches([' ', '\t', '\n', '\r', '\u{b}', '\u{c}'])
                .is_empty(),
            Node::Comment { .. } => true,
            _ => false,
        })
    }
}

impl Display for ListNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

impl Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text { text, .. } => f.write_str(text),
            Node::Comment { text, .. } => write!(f, "{{{{{text}}}}}"),
            Node::Action { pipe, .. } => write!(f, "{{{{{pipe}}}}}"),
            Node::If(b) => write_branch(f, "if", b),
            Node::Range(b) => write_branch(f, "range", b),
            Node::With(b) => write_branch(f, "with", b),
            Node::Template { name, pipe, .. } => {
                write!(f, "{{{{template {}", crate::go::fmt::go_quote(name))?;
                if let Some(p) = pipe {
                    write!(f, " {p}")?;
                }
                f.write_str("}}")
            }
            Node::Break { .. } => f.write_str("{{break}}"),
            Node::Continue { .. } => f.write_str("{{continue}}"),
            Node::End { .. } => f.write_str("{{end}}"),
            Node::Else { .. } => f.write_str("{{else}}"),
        }
    }
}

fn write_branch(f: &mut fmt::Formatter<'_>, name: &str, b: &Branch) -> fmt::Result {
    write!(f, "{{{{{name} {}}}}}{}", b.pipe, b.list)?;
    if let Some(e) = &b.else_list {
        write!(f, "{{{{else}}}}{e}")?;
    }
    f.write_str("{{end}}")
}

impl Display for PipeNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl Display for Variable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ident.join("."))
    }
}

impl Display for CommandNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Dot { .. } => f.write_char('.'),
            Arg::Nil { .. } => f.write_str("nil"),
            Arg::Variable(v) => write!(f, "{v}"),
            Arg::Field { ident, .. } => {
                for i in ident {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Chain { node, fields, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for i in fields {
                    write!(f, ".{i}")?;
                }
                Ok(())
            }
            Arg::Bool { val, .. } => write!(f, "{val}"),
            Arg::Number { num, .. } => f.write_str(&num.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}
