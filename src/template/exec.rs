//! The executor, like Go's `text/template/exec.go`: walks a parse tree
//! against data and writes the output. Function calls (`evalFunction`,
//! `evalCall`) are in `exec/call.rs`.

use std::collections::HashMap;
use std::rc::Rc;

use super::funcs::{Func, FuncMap, Imp, accepts};
use super::node::*;
use super::parse::Tree;
use crate::go::fmt as gofmt;
use crate::limits::Limits;
use crate::value::{ElemTy, IntTy, MapTy, Sig, Ty, Value};

mod call;

/// Go's `maxExecDepth` for nested `{{template}}` calls.
pub const MAX_EXEC_DEPTH: usize = 100_000;

/// A value as Go's `reflect.Value` sees it during execution. The static
/// type matters: an entry read from a `map[string]interface{}` is an
/// interface value, and Go's errors name `interface {}` for it.
#[derive(Clone, Debug)]
pub enum Rv {
    /// The zero `reflect.Value` (prints `<no value>`).
    Invalid,
    /// An `interface {}` holding the value (`Value::Nil` is a nil interface).
    Iface(Value),
    /// A concrete value.
    Val(Value),
}

impl Rv {
    pub fn is_valid(&self) -> bool {
        !matches!(self, Rv::Invalid)
    }
    /// The underlying value; invalid and nil interfaces are `Nil`.
    pub fn value(&self) -> Value {
        match self {
            Rv::Invalid => Value::Nil,
            Rv::Iface(v) | Rv::Val(v) => v.clone(),
        }
    }
    /// Go's `indirectInterface`, also the "dig down" of `evalPipeline`.
    pub fn indirect_iface(&self) -> Rv {
        match self {
            Rv::Iface(Value::Nil) => Rv::Invalid,
            Rv::Iface(v) => Rv::Val(v.clone()),
            other => other.clone(),
        }
    }
    pub fn type_name(&self) -> String {
        match self {
            Rv::Invalid => "<nil>".into(),
            Rv::Iface(_) => "interface {}".into(),
            Rv::Val(v) => v.type_name(),
        }
    }
    pub fn truth(&self) -> bool {
        match self.indirect_iface() {
            Rv::Invalid => false,
            other => other.value().truth(),
        }
    }
    /// A map's element as `reflect`'s `MapIndex` gives it: a
    /// `map[string]string` holds strings, other maps interfaces; a missing
    /// key is the element type's zero value.
    pub fn map_elem(t: MapTy, elem: Option<&Value>) -> Rv {
        match (t, elem) {
            (MapTy::String, Some(x)) => Rv::Val(x.clone()),
            (MapTy::String, None) => Rv::Val(Value::str("")),
            (_, Some(x)) => Rv::Iface(x.clone()),
            (_, None) => Rv::Iface(Value::Nil),
        }
    }
    fn from_result(v: Value) -> Rv {
        // Library functions returning nil are typed `interface{}` in Go.
        if v.is_nil() {
            Rv::Iface(Value::Nil)
        } else {
            Rv::Val(v)
        }
    }
}

/// An error returned by a template function.
#[derive(Clone, Debug)]
pub enum FuncErr {
    Msg(String),
    /// Helm's `fail` and `required`: shown as `execution error at (...)`.
    Helm(String),
    /// An error from a nested template execution (`include`, `tpl`).
    Nested {
        prefix: String,
        err: Box<ExecError>,
    },
}

impl FuncErr {
    pub fn msg(s: impl Into<String>) -> FuncErr {
        FuncErr::Msg(s.into())
    }
}

impl std::fmt::Display for FuncErr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FuncErr::Msg(m) => f.write_str(m),
            FuncErr::Helm(m) => write!(f, "HELM_ERR_START{m}HELM_ERR_END"),
            FuncErr::Nested { prefix, err } => write!(f, "{prefix}{err}"),
        }
    }
}

/// What went wrong during execution.
#[derive(Clone, Debug)]
pub enum ErrKind {
    Msg(String),
    /// `error calling NAME: ERR`
    Call {
        func: String,
        err: FuncErr,
    },
    /// An error with no node context: `template: NAME: MSG`.
    NoContext(String),
    /// Execution was stopped by a resource limit.
    Limit(String),
    /// A plain error not tied to a template position.
    Raw(String),
}

/// Go's `ExecError`, with its parts kept apart so Helm's reformatting can
/// be reproduced.
#[derive(Clone, Debug)]
pub struct ExecError {
    /// Template being executed.
    pub name: String,
    /// `file:line:col` of the node.
    pub location: String,
    /// The node printed as source.
    pub context: String,
    pub kind: ErrKind,
}

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let msg = match &self.kind {
            ErrKind::Msg(m) | ErrKind::Limit(m) => m.clone(),
            ErrKind::Call { func, err } => format!("error calling {func}: {err}"),
            ErrKind::NoContext(m) => return write!(f, "template: {}: {}", self.name, m),
            ErrKind::Raw(m) => return f.write_str(m),
        };
        write!(
            f,
            "template: {}: executing {} at <{}>: {}",
            self.location,
            gofmt::go_quote(&self.name),
            self.context,
            msg
        )
    }
}

type XResult<T> = Result<T, ExecError>;

/// The templates a render can reach, by name.
#[derive(Default)]
pub struct TemplateSet {
    /// foldhash (seeded per process, so names cannot be chosen to
    /// collide): template names are looked up on every `template` and
    /// `include`.
    pub trees: HashMap<String, Rc<Tree>, foldhash::fast::RandomState>,
}

impl TemplateSet {
    /// Go's `associate`: a later non-empty definition replaces an earlier
    /// one; an empty one never replaces an existing template.
    pub fn add(&mut self, tree: Tree) {
        self.add_rc(Rc::new(tree));
    }
    /// [`TemplateSet::add`] of a tree the caller keeps too.
    pub fn add_rc(&mut self, tree: Rc<Tree>) {
        if tree.root.is_empty_tree()
            && self
                .trees
                .get(&tree.name)
                .is_some_and(|old| !old.root.nodes.is_empty())
        {
            return;
        }
        self.trees.insert(tree.name.clone(), tree);
    }
    pub fn lookup(&self, name: &str) -> Option<Rc<Tree>> {
        self.trees.get(name).cloned()
    }
}

/// Everything shared by one render: templates, functions, Helm state.
pub struct Env {
    pub set: TemplateSet,
    /// Shared: `tpl` builds a new `Env` per call and must not copy the map.
    pub funcs: Rc<FuncMap>,
    /// Name of the root template (Helm: `gotpl`), used by `include` errors.
    pub root_name: String,
    /// The run's limits (`crate::limits`), read once: steps and output are
    /// checked on every action.
    limits: Limits,
    pub steps: std::cell::Cell<u64>,
    pub output: std::cell::Cell<usize>,
    /// Active `include` calls per template name (Helm's recursion guard).
    /// Shared with the `Env`s `tpl` builds, as Helm shares `includedNames`.
    pub includes: Rc<std::cell::RefCell<HashMap<String, usize>>>,
    /// Active `include` and `tpl` calls of any name, shared likewise.
    pub nested_calls: Rc<std::cell::Cell<usize>>,
    /// When set, which source position produced each piece of top-level
    /// output (for pointing lint findings at template lines).
    pub trace: std::cell::RefCell<Option<Vec<TraceEntry>>>,
}

/// Output from `offset` on was written by the node at `pos` of `src`.
#[derive(Debug, Clone)]
pub struct TraceEntry {
    pub offset: usize,
    pub src: Rc<super::parse::Source>,
    pub pos: usize,
    /// Written by a text node: output lines map one to one onto its lines.
    pub text: bool,
}

impl Env {
    pub fn new(set: TemplateSet, funcs: Rc<FuncMap>) -> Env {
        Env {
            set,
            funcs,
            root_name: "gotpl".into(),
            limits: crate::limits::current(),
            steps: Default::default(),
            output: Default::default(),
            includes: Default::default(),
            nested_calls: Default::default(),
            trace: Default::default(),
        }
    }

    pub fn has_func(&self, name: &str) -> bool {
        self.funcs.contains_key(name)
    }

    /// Execute template `name` with `data` as dot, appending to `out`.
    pub fn execute(&self, name: &str, data: Value, out: &mut String) -> XResult<()> {
        self.execute_named(name, data, out, false)
    }

    /// [`Env::execute`], recording in `trace` which node wrote each part of
    /// `out` (nested `include`/`tpl` output counts as the calling action's).
    pub fn execute_traced(&self, name: &str, data: Value, out: &mut String) -> XResult<()> {
        *self.trace.borrow_mut() = Some(Vec::new());
        self.execute_named(name, data, out, true)
    }

    fn execute_named(
        &self,
        name: &str,
        data: Value,
        out: &mut String,
        traced: bool,
    ) -> XResult<()> {
        let Some(tree) = self.set.lookup(name) else {
            return Err(ExecError {
                name: self.root_name.clone(),
                location: String::new(),
                context: String::new(),
                kind: ErrKind::Raw(format!(
                    "template: no template {} associated with template {}",
                    gofmt::go_quote(name),
                    gofmt::go_quote(&self.root_name)
                )),
            });
        };
        self.run_tree(&tree, data, out, 0, traced)
    }

    pub fn execute_tree(
        &self,
        tree: &Rc<Tree>,
        data: Value,
        out: &mut String,
        depth: usize,
    ) -> XResult<()> {
        self.run_tree(tree, data, out, depth, false)
    }

    fn run_tree(
        &self,
        tree: &Rc<Tree>,
        data: Value,
        out: &mut String,
        depth: usize,
        traced: bool,
    ) -> XResult<()> {
        // Go's reflect.ValueOf(nil) is the invalid value.
        let dot = if data.is_nil() {
            Rv::Invalid
        } else {
            Rv::Val(data)
        };
        let mut s = State {
            env: self,
            tree: tree.clone(),
            out,
            vars: vec![("$".into(), dot.clone())],
            depth,
            at: At::None,
            call_callee: String::new(),
            traced,
        };
        s.walk_list(&dot, &tree.root).map(|_| ())
    }
}

#[derive(Clone, Copy)]
enum At<'a> {
    None,
    Node(&'a Node),
    Pipe(&'a PipeNode),
    Arg(&'a Arg),
    Cmd(&'a CommandNode),
}

enum Flow {
    Normal,
    Break,
    Continue,
}

/// Execution state of one template invocation.
pub struct State<'e> {
    pub env: &'e Env,
    tree: Rc<Tree>,
    out: &'e mut String,
    vars: Vec<(String, Rv)>,
    depth: usize,
    at: At<'e>,
    /// Source text of `call`'s first argument, for its error messages.
    pub call_callee: String,
    /// Writes go to the top-level output whose origins are traced.
    traced: bool,
}

impl<'e> State<'e> {
    fn context(&self) -> (String, String) {
        let (pos, ctx) = match self.at {
            At::None => return (String::new(), String::new()),
            At::Node(n) => (n.pos(), n.to_string()),
            At::Pipe(p) => (p.pos, p.to_string()),
            At::Arg(a) => (a.pos(), a.to_string()),
            At::Cmd(c) => (c.pos, c.to_string()),
        };
        (self.tree.src.location(pos), ctx)
    }

    fn err(&self, kind: ErrKind) -> ExecError {
        let (location, context) = self.context();
        if matches!(self.at, At::None) {
            let msg = match kind {
                ErrKind::Msg(m) => m,
                other => {
                    return ExecError {
                        name: self.tree.name.clone(),
                        location,
                        context,
                        kind: other,
                    };
                }
            };
            return ExecError {
                name: self.tree.name.clone(),
                location,
                context,
                kind: ErrKind::NoContext(msg),
            };
        }
        ExecError {
            name: self.tree.name.clone(),
            location,
            context,
            kind,
        }
    }

    fn errorf(&self, msg: impl Into<String>) -> ExecError {
        self.err(ErrKind::Msg(msg.into()))
    }

    fn step(&self) -> XResult<()> {
        let n = self.env.steps.get() + 1;
        self.env.steps.set(n);
        if n > self.env.limits.max_steps {
            return Err(self.err(ErrKind::Limit(format!(
                "template execution exceeded {} steps (raise with --max-steps)",
                self.env.limits.max_steps
            ))));
        }
        Ok(())
    }

    fn write(&mut self, s: &str) -> XResult<()> {
        let n = self.env.output.get() + s.len();
        self.env.output.set(n);
        if n as u64 > self.env.limits.max_output {
            return Err(self.err(ErrKind::Limit(format!(
                "template output exceeded {} bytes (raise with --max-output)",
                self.env.limits.max_output
            ))));
        }
        self.out.push_str(s);
        Ok(())
    }

    fn mark(&self) -> usize {
        self.vars.len()
    }

    fn pop(&mut self, mark: usize) {
        self.vars.truncate(mark);
    }

    fn set_var(&mut self, name: &str, v: Rv) -> XResult<()> {
        for i in (0..self.vars.len()).rev() {
            if self.vars[i].0 == name {
                self.vars[i].1 = v;
                return Ok(());
            }
        }
        Err(self.errorf(format!("undefined variable: {name}")))
    }

    fn set_top_var(&mut self, n: usize, v: Rv) {
        let l = self.vars.len();
        if n <= l {
            self.vars[l - n].1 = v;
        }
    }

    fn var_value(&self, name: &str) -> XResult<Rv> {
        for (n, v) in self.vars.iter().rev() {
            if n == name {
                return Ok(v.clone());
            }
        }
        Err(self.errorf(format!("undefined variable: {name}")))
    }

    fn walk_list(&mut self, dot: &Rv, list: &'e ListNode) -> XResult<Flow> {
        if crate::stack::exhausted() {
            return Err(self.err(ErrKind::Limit(
                "template calls nested too deeply for the stack".into(),
            )));
        }
        for n in &list.nodes {
            match self.walk(dot, n)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn note_origin(&self, pos: usize, text: bool) {
        if self.traced
            && let Some(t) = self.env.trace.borrow_mut().as_mut()
        {
            t.push(TraceEntry {
                offset: self.out.len(),
                src: self.tree.src.clone(),
                pos,
                text,
            });
        }
    }

    fn walk(&mut self, dot: &Rv, node: &'e Node) -> XResult<Flow> {
        self.step()?;
        self.at = At::Node(node);
        if self.traced && matches!(node, Node::Action { .. } | Node::Text { .. }) {
            self.note_origin(node.pos(), matches!(node, Node::Text { .. }));
        }
        match node {
            Node::Action { pipe, .. } => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.print_value(node, &v)?;
                }
            }
            Node::Break { .. } => return Ok(Flow::Break),
            Node::Continue { .. } => return Ok(Flow::Continue),
            Node::Comment { .. } | Node::End { .. } | Node::Else { .. } => {}
            Node::If(b) => return self.walk_if_or_with(false, dot, b),
            Node::With(b) => return self.walk_if_or_with(true, dot, b),
            Node::Range(b) => return self.walk_range(dot, node, b),
            Node::Template { name, pipe, .. } => {
                self.walk_template(dot, node, name, pipe.as_ref())?
            }
            Node::Text { text, .. } => self.write(text)?,
        }
        Ok(Flow::Normal)
    }

    fn print_value(&mut self, node: &'e Node, v: &Rv) -> XResult<()> {
        self.at = At::Node(node);
        let s = match v {
            Rv::Invalid => "<no value>".to_string(),
            Rv::Val(Value::Object(o)) | Rv::Iface(Value::Object(o)) => o
                .template_text()
                .unwrap_or_else(|| gofmt::sprint_one(&v.value())),
            other => gofmt::sprint_one(&other.value()),
        };
        self.write(&s)
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &Rv, b: &'e Branch) -> XResult<Flow> {
        let mark = self.mark();
        let r = (|| {
            let val = self.eval_pipeline(dot, &b.pipe)?;
            if val.truth() {
                if with {
                    self.walk_list(&val, &b.list)
                } else {
                    self.walk_list(dot, &b.list)
                }
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e)
            } else {
                Ok(Flow::Normal)
            }
        })();
        self.pop(mark);
        r
    }

    fn range_iteration(&mut self, b: &'e Branch, index: Rv, elem: Rv) -> XResult<Flow> {
        // Every iteration is a step, even with an empty body: `range
        // 1000000000` must hit the step limit, not spin.
        self.step()?;
        let mark = self.mark();
        if !b.pipe.decl.is_empty() {
            if b.pipe.is_assign {
                if b.pipe.decl.len() > 1 {
                    self.set_var(&b.pipe.decl[0].ident[0], index.clone())?;
                } else {
                    self.set_var(&b.pipe.decl[0].ident[0], elem.clone())?;
                }
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if b.pipe.decl.len() > 1 {
            if b.pipe.is_assign {
                self.set_var(&b.pipe.decl[1].ident[0], elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        let r = self.walk_list(&elem, &b.list);
        self.pop(mark);
        r
    }

    fn walk_range(&mut self, dot: &Rv, node: &'e Node, b: &'e Branch) -> XResult<Flow> {
        self.at = At::Node(node);
        let mark = self.mark();
        let r = self.walk_range_inner(dot, b);
        self.pop(mark);
        r.map(|_| Flow::Normal)
    }

    fn walk_range_inner(&mut self, dot: &Rv, b: &'e Branch) -> XResult<()> {
        let val = self.eval_pipeline(dot, &b.pipe)?.indirect_iface();
        let mut ran = false;
        match &val {
            Rv::Val(Value::List(l, e)) => {
                for (i, it) in l.iter().enumerate() {
                    ran = true;
                    let elem = if *e == ElemTy::Iface {
                        Rv::Iface(it.clone())
                    } else {
                        Rv::Val(it.clone())
                    };
                    if let Flow::Break =
                        self.range_iteration(b, Rv::Val(Value::int(i as i64)), elem)?
                    {
                        break;
                    }
                }
            }
            Rv::Val(Value::Map(m, t)) => {
                // Go sorts the entries before the first iteration; the body
                // may change the map (`set`), so iterate over a snapshot.
                let entries: Vec<(String, Value)> = m
                    .borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                for (k, it) in entries {
                    ran = true;
                    let elem = if *t == MapTy::String {
                        Rv::Val(it)
                    } else {
                        Rv::Iface(it)
                    };
                    if let Flow::Break = self.range_iteration(b, Rv::Val(Value::string(k)), elem)? {
                        break;
                    }
                }
            }
            // Slice-kind Go types (`common.VersionSet`): index and element.
            Rv::Val(Value::Object(o)) if o.elements().is_some() => {
                for (i, it) in o.elements().unwrap_or_default().into_iter().enumerate() {
                    ran = true;
                    if let Flow::Break =
                        self.range_iteration(b, Rv::Val(Value::int(i as i64)), Rv::Val(it))?
                    {
                        break;
                    }
                }
            }
            // Map-kind Go types (`.Files`): sorted keys, concrete elements.
            Rv::Val(Value::Object(o)) if o.entries().is_some() => {
                for (k, it) in o.entries().unwrap_or_default() {
                    ran = true;
                    if let Flow::Break =
                        self.range_iteration(b, Rv::Val(Value::string(k)), Rv::Val(it))?
                    {
                        break;
                    }
                }
            }
            Rv::Val(Value::Int(n, t)) => {
                if b.pipe.decl.len() > 1 {
                    return Err(self.errorf(format!(
                        "can't use {} to iterate over more than one variable",
                        gofmt::sprint_one(&val.value())
                    )));
                }
                let mut i = 0i64;
                while i < *n {
                    ran = true;
                    if let Flow::Break =
                        self.range_iteration(b, Rv::Invalid, Rv::Val(Value::Int(i, *t)))?
                    {
                        break;
                    }
                    i += 1;
                }
            }
            Rv::Invalid => {}
            other => {
                return Err(self.errorf(format!(
                    "range can't iterate over {}",
                    gofmt::sprint_one(&other.value())
                )));
            }
        }
        if !ran && let Some(e) = &b.else_list {
            self.walk_list(dot, e)?;
        }
        Ok(())
    }

    fn walk_template(
        &mut self,
        dot: &Rv,
        node: &'e Node,
        name: &str,
        pipe: Option<&'e PipeNode>,
    ) -> XResult<()> {
        self.at = At::Node(node);
        let Some(tree) = self.env.set.lookup(name) else {
            return Err(self.errorf(format!("template {} not defined", gofmt::go_quote(name))));
        };
        if self.depth >= MAX_EXEC_DEPTH {
            return Err(self.errorf(format!(
                "exceeded maximum template depth ({MAX_EXEC_DEPTH})"
            )));
        }
        let new_dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Rv::Invalid,
        };
        // Templates inherit no variables: `$` is the new dot.
        let mut s = State {
            env: self.env,
            tree: tree.clone(),
            out: &mut *self.out,
            vars: vec![("$".into(), new_dot.clone())],
            depth: self.depth + 1,
            at: At::None,
            call_callee: String::new(),
            traced: self.traced,
        };
        s.walk_list(&new_dot, &tree.root).map(|_| ())
    }

    fn eval_pipeline(&mut self, dot: &Rv, pipe: &'e PipeNode) -> XResult<Rv> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Rv> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.as_ref())?;
            value = Some(v.indirect_iface());
        }
        let value = value.unwrap_or(Rv::Invalid);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(&var.ident[0], value.clone())?;
            } else {
                self.vars.push((var.ident[0].clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], final_: Option<&Rv>) -> XResult<()> {
        if args.len() > 1 || final_.is_some() {
            return Err(self.errorf(format!("can't give argument to non-function {}", args[0])));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Rv, cmd: &'e CommandNode, final_: Option<&Rv>) -> XResult<Rv> {
        // Commands are steps too: a range body of function calls and no
        // text must still be bounded.
        self.step()?;
        let first = &cmd.args[0];
        match first {
            Arg::Field { ident, .. } => {
                self.at = At::Arg(first);
                return self.eval_field_chain(dot, dot.clone(), first, ident, &cmd.args, final_);
            }
            Arg::Chain { .. } => return self.eval_chain_node(dot, first, &cmd.args, final_),
            Arg::Identifier { name, .. } => {
                return self.eval_function(dot, first, At::Cmd(cmd), name, &cmd.args, final_);
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, final_)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable(v) => return self.eval_variable_node(dot, first, v, &cmd.args, final_),
            _ => {}
        }
        self.at = At::Arg(first);
        self.not_a_function(&cmd.args, final_)?;
        match first {
            Arg::Bool { val, .. } => Ok(Rv::Val(Value::Bool(*val))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => Err(self.errorf("nil is not a command")),
            Arg::Number { num, .. } => self.ideal_constant(num),
            Arg::String { text, .. } => Ok(Rv::Val(Value::String(text.clone()))),
            _ => Err(self.errorf(format!(
                "can't evaluate command {}",
                gofmt::go_quote(&first.to_string())
            ))),
        }
    }

    fn ideal_constant(&self, n: &Number) -> XResult<Rv> {
        if let Some((re, im)) = n.complex {
            return Ok(Rv::Val(Value::Complex(re, im)));
        }
        let t = &n.text;
        let is_hex_int = t.len() > 2
            && t.starts_with('0')
            && matches!(t.as_bytes()[1], b'x' | b'X')
            && !t.contains(['p', 'P']);
        let is_rune = t.starts_with('\'');
        if n.float.is_some() && !is_hex_int && !is_rune && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Rv::Val(Value::Float(n.float.unwrap_or_default())));
        }
        if let Some(i) = n.int {
            return Ok(Rv::Val(Value::int(i)));
        }
        if n.uint.is_some() {
            return Err(self.errorf(format!("{t} overflows int")));
        }
        Ok(Rv::Invalid)
    }

    fn eval_chain_node(
        &mut self,
        dot: &Rv,
        node: &'e Arg,
        args: &'e [Arg],
        final_: Option<&Rv>,
    ) -> XResult<Rv> {
        self.at = At::Arg(node);
        let Arg::Chain {
            node: inner,
            fields,
            ..
        } = node
        else {
            return Err(self.errorf("internal error: not a chain"));
        };
        if let Arg::Nil { .. } = inner.as_ref() {
            return Err(self.errorf(format!("indirection through explicit nil in {node}")));
        }
        let recv = self.eval_arg(dot, None, inner)?;
        self.eval_field_chain(dot, recv, node, fields, args, final_)
    }

    fn eval_variable_node(
        &mut self,
        dot: &Rv,
        node: &'e Arg,
        v: &'e Variable,
        args: &'e [Arg],
        final_: Option<&Rv>,
    ) -> XResult<Rv> {
        self.at = At::Arg(node);
        let value = self.var_value(&v.ident[0])?;
        if v.ident.len() == 1 {
            self.not_a_function(args, final_)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, node, &v.ident[1..], args, final_)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Rv,
        mut recv: Rv,
        node: &'e Arg,
        ident: &'e [String],
        args: &'e [Arg],
        final_: Option<&Rv>,
    ) -> XResult<Rv> {
        let n = ident.len();
        for name in &ident[..n - 1] {
            recv = self.eval_field(dot, name, node, &[], None, recv)?;
        }
        self.eval_field(dot, &ident[n - 1], node, args, final_, recv)
    }

    fn eval_field(
        &mut self,
        dot: &Rv,
        name: &str,
        node: &'e Arg,
        args: &'e [Arg],
        final_: Option<&Rv>,
        recv: Rv,
    ) -> XResult<Rv> {
        if !recv.is_valid() {
            return Ok(Rv::Invalid);
        }
        let typ = recv.type_name();
        let v = match &recv {
            Rv::Iface(Value::Nil) => {
                return Err(self.errorf(format!("nil pointer evaluating {typ}.{name}")));
            }
            other => other.value(),
        };
        if let Value::Object(o) = &v
            && let Some(sig) = o.method(name)
        {
            let o = o.clone();
            let argv = self.eval_args(dot, sig, name, args, final_)?;
            let vals: Vec<Value> = argv.iter().map(Rv::value).collect();
            return o
                .call(name, &vals)
                .map(Rv::from_result)
                .map_err(|e| self.call_error(At::Arg(node), name, FuncErr::Msg(e)));
        }
        let has_args = args.len() > 1 || final_.is_some();
        match &v {
            Value::Map(m, t) => {
                if has_args {
                    return Err(self.errorf(format!("{name} is not a method but has arguments")));
                }
                return Ok(Rv::map_elem(*t, m.borrow().get(name)));
            }
            Value::Object(o) => {
                if let Some(f) = o.field(name) {
                    if has_args {
                        return Err(self.errorf(format!(
                            "{name} has arguments but cannot be invoked as function"
                        )));
                    }
                    return Ok(Rv::Val(f));
                }
                if o.struct_fields()
                    .is_some_and(|fs| fs.iter().any(|(n, _)| *n == name))
                {
                    return Err(self.errorf(format!(
                        "{name} is an unexported field of struct type {typ}"
                    )));
                }
            }
            _ => {}
        }
        Err(self.errorf(format!("can't evaluate field {name} in type {typ}")))
    }

    /// Go's `validateType`.
    fn validate_type(&self, v: Rv, typ: Option<Ty>) -> XResult<Rv> {
        let Some(t) = typ else {
            return Ok(v);
        };
        // A function that reads a Go string's bytes takes one held as bytes.
        if let Ty::Raw(_) = t
            && let Rv::Val(x) | Rv::Iface(x) = &v
            && crate::template::bytestr::is_byte_string(x)
        {
            return Ok(Rv::Val(x.clone()));
        }
        let t = t.base();
        // File bytes held compactly take their ordinary form here, where
        // every function argument passes.
        let v = match &v {
            Rv::Val(Value::Object(o)) => o.materialize().map_or(v, Rv::Val),
            Rv::Iface(Value::Object(o)) => o.materialize().map_or(v, Rv::Iface),
            _ => v,
        };
        match &v {
            Rv::Invalid => {
                if t.can_be_nil() {
                    return Ok(if t == Ty::Reflect {
                        Rv::Invalid
                    } else {
                        Rv::Val(Value::Nil)
                    });
                }
                Err(self.errorf(format!("invalid value; expected {}", t.name())))
            }
            _ if t == Ty::Reflect || t == Ty::Any => Ok(v),
            Rv::Iface(Value::Nil) => Err(self.errorf(format!(
                "wrong type for value; expected {}; got interface {{}}",
                t.name()
            ))),
            Rv::Iface(x) | Rv::Val(x) => {
                if accepts(t, x) {
                    Ok(Rv::Val(x.clone()))
                } else {
                    Err(self.errorf(format!(
                        "wrong type for value; expected {}; got {}",
                        t.name(),
                        x.type_name()
                    )))
                }
            }
        }
    }

    /// Go's `evalArg`: evaluate one argument for a parameter of type `typ`.
    fn eval_arg(&mut self, dot: &Rv, typ: Option<Ty>, n: &'e Arg) -> XResult<Rv> {
        self.at = At::Arg(n);
        match n {
            Arg::Dot { .. } => return self.validate_type(dot.clone(), typ),
            Arg::Nil { .. } => {
                let t = typ.unwrap_or(Ty::Any).base();
                if t.can_be_nil() {
                    return Ok(if t == Ty::Reflect {
                        Rv::Invalid
                    } else {
                        Rv::Iface(Value::Nil)
                    });
                }
                return Err(self.errorf(format!("cannot assign nil to {}", t.name())));
            }
            Arg::Field { ident, .. } => {
                let v = self.eval_field_chain(
                    dot,
                    dot.clone(),
                    n,
                    ident,
                    std::slice::from_ref(n),
                    None,
                )?;
                return self.validate_type(v, typ);
            }
            Arg::Variable(var) => {
                let v = self.eval_variable_node(dot, n, var, &[], None)?;
                return self.validate_type(v, typ);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, p)?;
                return self.validate_type(v, typ);
            }
            Arg::Identifier { name, .. } => {
                let v =
                    self.eval_function(dot, n, At::Arg(n), name, std::slice::from_ref(n), None)?;
                return self.validate_type(v, typ);
            }
            Arg::Chain { .. } => {
                let v = self.eval_chain_node(dot, n, &[], None)?;
                return self.validate_type(v, typ);
            }
            _ => {}
        }
        let t = typ.unwrap_or(Ty::Any).base();
        match t {
            Ty::Bool => match n {
                Arg::Bool { val, .. } => Ok(Rv::Val(Value::Bool(*val))),
                _ => Err(self.errorf(format!("expected bool; found {n}"))),
            },
            Ty::Float64 => match n {
                Arg::Number { num, .. } if num.float.is_some() && num.complex.is_none() => {
                    Ok(Rv::Val(Value::Float(num.float.unwrap_or_default())))
                }
                _ => Err(self.errorf(format!("expected float; found {n}"))),
            },
            Ty::Int | Ty::Int64 => match n {
                Arg::Number { num, .. } if num.int.is_some() => {
                    let ty = if t == Ty::Int {
                        IntTy::Int
                    } else {
                        IntTy::Int64
                    };
                    Ok(Rv::Val(Value::Int(num.int.unwrap_or_default(), ty)))
                }
                _ => Err(self.errorf(format!("expected integer; found {n}"))),
            },
            // reflect's SetUint truncates to the parameter's width.
            Ty::Uint32 => match n {
                Arg::Number { num, .. } if num.uint.is_some() => Ok(Rv::Val(Value::Int(
                    i64::from(num.uint.unwrap_or_default() as u32),
                    IntTy::Uint32,
                ))),
                _ => Err(self.errorf(format!("expected unsigned integer; found {n}"))),
            },
            Ty::String => match n {
                Arg::String { text, .. } => Ok(Rv::Val(Value::String(text.clone()))),
                _ => Err(self.errorf(format!("expected string; found {n}"))),
            },
            Ty::Any | Ty::Reflect => match n {
                Arg::Bool { val, .. } => Ok(Rv::Val(Value::Bool(*val))),
                Arg::Number { num, .. } => self.ideal_constant(num),
                Arg::String { text, .. } => Ok(Rv::Val(Value::String(text.clone()))),
                _ => Err(self.errorf(format!(
                    "can't handle assignment of {n} to empty interface argument"
                ))),
            },
            _ => Err(self.errorf(format!("can't handle {n} for arg of type {}", t.name()))),
        }
    }
}
