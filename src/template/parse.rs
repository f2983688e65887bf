//! Recursive-descent parser, like Go's `text/template/parse/parse.go`.
//!
//! One call parses one file into its main tree plus the trees of every
//! `define`/`block` in it. Errors carry Go's exact wording and line.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::lex::{Item, ItemType, lex, line_of};
use super::node::*;
use crate::go::strconv;

/// The text a tree was parsed from, shared by all trees of one file.
#[derive(Debug)]
pub struct Source {
    /// Name of the file's top-level template (Go's `ParseName`).
    pub parse_name: String,
    pub text: String,
    pub line_starts: Vec<usize>,
}

impl Source {
    /// Go's `ErrorContext` location: `name:line:col` with a 0-based byte column.
    pub fn location(&self, pos: Pos) -> String {
        let line = line_of(&self.line_starts, pos);
        let col = pos - self.line_starts[line - 1];
        let col = if line == 1 { pos } else { col };
        format!("{}:{}:{}", self.parse_name, line, col)
    }
}

#[derive(Debug)]
pub struct Tree {
    pub name: String,
    pub root: ListNode,
    pub src: Rc<Source>,
}

/// A parse failure: Go formats it as `template: NAME:LINE: MSG`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub name: String,
    pub line: usize,
    pub msg: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "template: {}:{}: {}", self.name, self.line, self.msg)
    }
}

type PResult<T> = Result<T, ParseError>;

/// Go's `maxStackDepth`: nested parenthesized pipelines.
const MAX_PAREN_DEPTH: usize = 10000;

struct Parser<'a> {
    items: Vec<Item<'a>>,
    i: usize,
    furthest: usize,
    src: Rc<Source>,
    has_func: &'a dyn Fn(&str) -> bool,
    vars: Vec<String>,
    range_depth: usize,
    /// Nested parenthesized pipelines.
    paren_depth: usize,
    action_line: usize,
    trees: BTreeMap<String, Tree>,
    /// Order in which trees were added, so results are deterministic.
    order: Vec<String>,
}

/// Parse `text` as the template `name`. Returns every tree it defines, the
/// file's own tree last (the order Go adds them in does not matter: names
/// are unique within one file).
pub fn parse(name: &str, text: &str, has_func: &dyn Fn(&str) -> bool) -> PResult<Vec<Tree>> {
    let mut line_starts = vec![0];
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            line_starts.push(i + 1);
        }
    }
    let src = Rc::new(Source {
        parse_name: name.to_string(),
        text: text.to_string(),
        line_starts,
    });
    let mut p = Parser {
        items: lex(text),
        i: 0,
        furthest: 0,
        src,
        has_func,
        vars: vec!["$".into()],
        range_depth: 0,
        paren_depth: 0,
        action_line: 0,
        trees: BTreeMap::new(),
        order: Vec::new(),
    };
    let root = p.parse_top()?;
    p.add(name.to_string(), root)?;
    let mut out = Vec::new();
    for n in std::mem::take(&mut p.order) {
        if let Some(t) = p.trees.remove(&n) {
            out.push(t);
        }
    }
    Ok(out)
}

impl<'a> Parser<'a> {
    fn item(&mut self, i: usize) -> Item<'a> {
        let i = i.min(self.items.len() - 1);
        if i > self.furthest {
            self.furthest = i;
        }
        self.items[i].clone()
    }

    fn next(&mut self) -> Item<'a> {
        let it = self.item(self.i);
        // Past the end the lexer keeps returning its last item (EOF); `i`
        // still advances so `backup` arithmetic stays consistent.
        self.i += 1;
        it
    }

    fn backup(&mut self) {
        self.i -= 1;
    }

    fn peek(&mut self) -> Item<'a> {
        self.item(self.i)
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let t = self.next();
            if t.typ != ItemType::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn errorf(&mut self, msg: String) -> ParseError {
        let line = self.items[self.furthest.min(self.items.len() - 1)].line;
        ParseError {
            name: self.src.parse_name.clone(),
            line,
            msg,
        }
    }

    fn unexpected(&mut self, tok: &Item, context: &str) -> ParseError {
        if tok.typ == ItemType::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != tok.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.src.parse_name, self.action_line
                );
                if tok.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{tok}{extra}"));
        }
        self.errorf(format!("unexpected {tok} in {context}"))
    }

    fn expect(&mut self, typ: ItemType, context: &str) -> PResult<Item<'a>> {
        let t = self.next_non_space();
        if t.typ != typ {
            return Err(self.unexpected(&t, context));
        }
        Ok(t)
    }

    fn add(&mut self, name: String, root: ListNode) -> PResult<()> {
        if let Some(old) = self.trees.get(&name)
            && !old.root.is_empty_tree()
        {
            if !root.is_empty_tree() {
                return Err(self.errorf(format!(
                    "template: multiple definition of template {}",
                    crate::go::fmt::go_quote(&name)
                )));
            }
            return Ok(());
        }
        if !self.order.contains(&name) {
            self.order.push(name.clone());
        }
        self.trees.insert(
            name.clone(),
            Tree {
                name,
                root,
                src: self.src.clone(),
            },
        );
        Ok(())
    }

    fn parse_top(&mut self) -> PResult<ListNode> {
        let pos = self.peek().pos;
        let mut root = ListNode {
            pos,
            nodes: Vec::new(),
        };
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let save = self.i;
                self.next();
                if self.next_non_space().typ == ItemType::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.i = save;
            }
            let n = self.text_or_action()?;
            match n {
                Node::End { .. } | Node::Else { .. } => {
                    return Err(self.errorf(format!("unexpected {n}")));
                }
                n => root.nodes.push(n),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let tok = self.next_non_space();
        if tok.typ != ItemType::String && tok.typ != ItemType::RawString {
            return Err(self.unexpected(&tok, context));
        }
        let name = match strconv::unquote(&tok.val) {
            Ok(s) => s,
            Err(e) => return Err(self.errorf(e)),
        };
        self.expect(ItemType::RightDelim, context)?;
        let (list, end) = self.item_list()?;
        if !matches!(end, Node::End { .. }) {
            return Err(self.errorf(format!("unexpected {end} in {context}")));
        }
        self.add(name, list)?;
        self.vars = saved_vars;
        Ok(())
    }

    fn item_list(&mut self) -> PResult<(ListNode, Node)> {
        // Go has no limit on nested actions (its stacks grow); ours is the
        // thread's stack.
        if crate::stack::exhausted() {
            return Err(self.errorf("template nesting too deep".into()));
        }
        let pos = self.peek_non_space().pos;
        let mut list = ListNode {
            pos,
            nodes: Vec::new(),
        };
        while self.peek_non_space().typ != ItemType::Eof {
            let n = self.text_or_action()?;
            match n {
                Node::End { .. } | Node::Else { .. } => return Ok((list, n)),
                n => list.nodes.push(n),
            }
        }
        Err(self.errorf("unexpected EOF".into()))
    }

    fn text_or_action(&mut self) -> PResult<Node> {
        let tok = self.next_non_space();
        match tok.typ {
            ItemType::Text => Ok(Node::Text {
                pos: tok.pos,
                text: Rc::from(&*tok.val),
            }),
            ItemType::LeftDelim => {
                self.action_line = tok.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            ItemType::Comment => Ok(Node::Comment {
                pos: tok.pos,
                text: tok.val.to_string(),
            }),
            _ => Err(self.unexpected(&tok, "input")),
        }
    }

    fn action(&mut self) -> PResult<Node> {
        let tok = self.next_non_space();
        match tok.typ {
            ItemType::Block => return self.block_control(),
            ItemType::Break => return self.break_control(tok.pos, "{{break}}", true),
            ItemType::Continue => return self.break_control(tok.pos, "{{continue}}", false),
            ItemType::Else => return self.else_control(),
            ItemType::End => {
                let t = self.expect(ItemType::RightDelim, "end")?;
                return Ok(Node::End { pos: t.pos });
            }
            ItemType::If => return self.branch_control("if").map(Node::If),
            ItemType::Range => return self.branch_control("range").map(Node::Range),
            ItemType::Template => return self.template_control(),
            ItemType::With => return self.branch_control("with").map(Node::With),
            _ => {}
        }
        self.backup();
        let tok = self.peek();
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Node::Action { pos: tok.pos, pipe })
    }

    fn break_control(&mut self, pos: Pos, what: &str, is_break: bool) -> PResult<Node> {
        let tok = self.next_non_space();
        if tok.typ != ItemType::RightDelim {
            return Err(self.unexpected(&tok, what));
        }
        if self.range_depth == 0 {
            return Err(self.errorf(format!("{what} outside {{{{range}}}}")));
        }
        Ok(if is_break {
            Node::Break { pos }
        } else {
            Node::Continue { pos }
        })
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<PipeNode> {
        let tok = self.peek_non_space();
        let mut pipe = PipeNode {
            pos: tok.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        // Declarations: `$x :=`, `$x =`, `$i, $v :=`.
        loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            let save = self.i;
            self.next_non_space();
            let next = self.peek_non_space();
            if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                pipe.is_assign = next.typ == ItemType::Assign;
                self.next_non_space();
                pipe.decl.push(Variable {
                    pos: v.pos,
                    ident: vec![v.val.to_string()],
                });
                self.vars.push(v.val.to_string());
            } else if next.typ == ItemType::Char && &*next.val == "," {
                self.next_non_space();
                pipe.decl.push(Variable {
                    pos: v.pos,
                    ident: vec![v.val.to_string()],
                });
                self.vars.push(v.val.to_string());
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().typ {
                        ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                            continue;
                        }
                        _ => return Err(self.errorf("range can only initialize variables".into())),
                    }
                }
                return Err(self.errorf(format!("too many declarations in {context}")));
            } else {
                self.i = save;
            }
            break;
        }
        loop {
            let tok = self.next_non_space();
            match tok.typ {
                t if t == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return Err(self.unexpected(&tok, context)),
            }
        }
    }

    fn check_pipeline(&mut self, pipe: &PipeNode, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(
                    Arg::Bool { .. }
                        | Arg::Dot { .. }
                        | Arg::Nil { .. }
                        | Arg::Number { .. }
                        | Arg::String { .. }
                )
            ) {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    fn branch_control(&mut self, context: &str) -> PResult<Box<Branch>> {
        let mark = self.vars.len();
        let r = self.branch_control_inner(context);
        self.vars.truncate(mark);
        r
    }

    fn branch_control_inner(&mut self, context: &str) -> PResult<Box<Branch>> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let r = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = r?;
        let mut else_list = None;
        if let Node::Else { pos } = next {
            let pk = self.peek();
            if context == "if" && pk.typ == ItemType::If {
                self.next();
                let b = self.branch_control("if")?;
                else_list = Some(ListNode {
                    pos,
                    nodes: vec![Node::If(b)],
                });
            } else if context == "with" && pk.typ == ItemType::With {
                self.next();
                let b = self.branch_control("with")?;
                else_list = Some(ListNode {
                    pos,
                    nodes: vec![Node::With(b)],
                });
            } else {
                let (l, next) = self.item_list()?;
                if !matches!(next, Node::End { .. }) {
                    return Err(self.errorf(format!("expected end; found {next}")));
                }
                else_list = Some(l);
            }
        }
        Ok(Box::new(Branch {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        }))
    }

    fn else_control(&mut self) -> PResult<Node> {
        let pk = self.peek_non_space();
        if pk.typ == ItemType::If || pk.typ == ItemType::With {
            return Ok(Node::Else { pos: pk.pos });
        }
        let t = self.expect(ItemType::RightDelim, "else")?;
        Ok(Node::Else { pos: t.pos })
    }

    fn template_name(&mut self, tok: &Item, context: &str) -> PResult<String> {
        match tok.typ {
            ItemType::String | ItemType::RawString => {
                strconv::unquote(&tok.val).map_err(|e| self.errorf(e))
            }
            _ => Err(self.unexpected(tok, context)),
        }
    }

    fn block_control(&mut self) -> PResult<Node> {
        let context = "block clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, context)?;
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_depth = std::mem::replace(&mut self.range_depth, 0);
        let r = self.item_list();
        self.vars = saved_vars;
        self.range_depth = saved_depth;
        let (list, end) = r?;
        if !matches!(end, Node::End { .. }) {
            return Err(self.errorf(format!("unexpected {end} in {context}")));
        }
        self.add(name.clone(), list)?;
        Ok(Node::Template {
            pos: tok.pos,
            name,
            pipe: Some(pipe),
        })
    }

    fn template_control(&mut self) -> PResult<Node> {
        let context = "template clause";
        let tok = self.next_non_space();
        let name = self.template_name(&tok, context)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(context, ItemType::RightDelim)?);
        }
        Ok(Node::Template {
            pos: tok.pos,
            name,
            pipe,
        })
    }

    fn command(&mut self) -> PResult<CommandNode> {
        let pos = self.peek_non_space().pos;
        let mut cmd = CommandNode {
            pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let tok = self.next();
            match tok.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return Err(self.unexpected(&tok, "operand")),
            }
            break;
        }
        if cmd.args.is_empty() {
            return Err(self.errorf("empty command".into()));
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != ItemType::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().typ == ItemType::Field {
            let t = self.next();
            fields.push(t.val[1..].to_string());
        }
        Ok(Some(match node {
            Arg::Field { ident, .. } => {
                let mut ident = ident;
                ident.extend(fields);
                Arg::Field {
                    pos: chain_pos,
                    ident,
                }
            }
            Arg::Variable(v) => {
                let mut ident = v.ident;
                ident.extend(fields);
                Arg::Variable(Variable {
                    pos: chain_pos,
                    ident,
                })
            }
            Arg::Bool { .. }
            | Arg::String { .. }
            | Arg::Number { .. }
            | Arg::Nil { .. }
            | Arg::Dot { .. } => {
                let s = node.to_string();
                return Err(self.errorf(format!(
                    "unexpected . after term {}",
                    crate::go::fmt::go_quote(&s)
                )));
            }
            other => Arg::Chain {
                pos: chain_pos,
                node: Box::new(other),
                fields,
            },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let tok = self.next_non_space();
        Ok(Some(match tok.typ {
            ItemType::Identifier => {
                if !(self.has_func)(&tok.val) {
                    return Err(self.errorf(format!(
                        "function {} not defined",
                        crate::go::fmt::go_quote(&tok.val)
                    )));
                }
                Arg::Identifier {
                    pos: tok.pos,
                    name: tok.val.to_string(),
                }
            }
            ItemType::Dot => Arg::Dot { pos: tok.pos },
            ItemType::Nil => Arg::Nil { pos: tok.pos },
            ItemType::Variable => {
                let name = tok.val.to_string();
                if !self.vars.contains(&name) {
                    return Err(self.errorf(format!(
                        "undefined variable {}",
                        crate::go::fmt::go_quote(&name)
                    )));
                }
                Arg::Variable(Variable {
                    pos: tok.pos,
                    ident: vec![name],
                })
            }
            ItemType::Field => Arg::Field {
                pos: tok.pos,
                ident: tok.val[1..].split('.').map(str::to_string).collect(),
            },
            ItemType::Bool => Arg::Bool {
                pos: tok.pos,
                val: &*tok.val == "true",
            },
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                let num =
                    super::node::parse_number(&tok.val, tok.typ).map_err(|e| self.errorf(e))?;
                Arg::Number {
                    pos: tok.pos,
                    num: Rc::new(num),
                }
            }
            ItemType::LeftParen => {
                // Go's `maxStackDepth`.
                if self.paren_depth >= MAX_PAREN_DEPTH {
                    return Err(self.errorf("max expression depth exceeded".into()));
                }
                self.paren_depth += 1;
                let p = self.pipeline("parenthesized pipeline", ItemType::RightParen);
                self.paren_depth -= 1;
                Arg::Pipe(Box::new(p?))
            }
            ItemType::String | ItemType::RawString => {
                let s = strconv::unquote(&tok.val).map_err(|e| self.errorf(e))?;
                Arg::String {
                    pos: tok.pos,
                    quoted: tok.val.to_string(),
                    text: Rc::from(s),
                }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}
