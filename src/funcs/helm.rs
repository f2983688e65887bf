//! Helm's own template functions: `include`, `tpl`, `required`, `fail`,
//! `lookup`.

use super::util::plain;
use crate::go::fmt as gofmt;
use crate::template::exec::{Env, ErrKind, FuncErr, State, TemplateSet};
use crate::template::funcs::FuncMap;
use crate::template::parse::parse;
use crate::value::{Sig, Ty, Value};

/// Helm's limit on nested `include`s of one template name.
pub const MAX_INCLUDE_DEPTH: usize = 1000;

/// pchart's limit on nested `include` and `tpl` calls of any names. Helm
/// has none (a `tpl` that renders itself, or a cycle through many names,
/// runs until Go's 1 GB stack limit kills it).
pub const MAX_NESTED_CALLS: usize = 10_000;

/// Enter one nested `include`/`tpl` call; `leave_call` undoes it.
fn enter_call(env: &Env) -> Result<(), FuncErr> {
    let n = env.nested_calls.get();
    if n >= MAX_NESTED_CALLS {
        return Err(FuncErr::msg(format!(
            "include and tpl calls nested more than {MAX_NESTED_CALLS} deep"
        )));
    }
    env.nested_calls.set(n + 1);
    Ok(())
}

fn leave_call(env: &Env) {
    env.nested_calls
        .set(env.nested_calls.get().saturating_sub(1));
}

const INCLUDE: Sig = Sig::new(&[Ty::String, Ty::Any], None);
const TPL: Sig = Sig::new(&[Ty::String, Ty::Any], None);
const REQUIRED: Sig = Sig::new(&[Ty::String, Ty::Any], None);
const FAIL: Sig = Sig::new(&[Ty::String], None);
const LOOKUP: Sig = Sig::new(&[Ty::String, Ty::String, Ty::String, Ty::String], None);

pub fn register(m: &mut FuncMap) {
    m.insert("include", plain(&INCLUDE, include));
    m.insert("tpl", plain(&TPL, tpl));
    m.insert("required", plain(&REQUIRED, required));
    // `helm template` has no cluster: lookup always finds nothing.
    m.insert("lookup", plain(&LOOKUP, |_, _| Ok(Value::empty_map())));
    m.insert(
        "fail",
        plain(&FAIL, |_, a| {
            Err(FuncErr::Helm(a[0].as_str().unwrap_or_default().to_string()))
        }),
    );
}

fn required(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    match &a[1] {
        Value::Nil => Err(FuncErr::Helm(a[0].as_str().unwrap_or_default().to_string())),
        Value::String(s) if s.is_empty() => {
            Err(FuncErr::Helm(a[0].as_str().unwrap_or_default().to_string()))
        }
        v => Ok(v.clone()),
    }
}

fn include(s: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let name = a[0].as_str().unwrap_or_default().to_string();
    let env = s.env;
    {
        let mut inc = env.includes.borrow_mut();
        let n = inc.entry(name.clone()).or_insert(0);
        if *n > MAX_INCLUDE_DEPTH {
            return Err(FuncErr::msg(format!(
                "rendering template has a nested reference name: {name}: unable to execute template"
            )));
        }
        *n += 1;
    }
    if let Err(e) = enter_call(env) {
        if let Some(n) = env.includes.borrow_mut().get_mut(&name) {
            *n -= 1;
        }
        return Err(e);
    }
    let mut out = String::new();
    let r = env.execute(&name, a[1].clone(), &mut out);
    leave_call(env);
    if let Some(n) = env.includes.borrow_mut().get_mut(&name) {
        *n -= 1;
    }
    match r {
        Ok(()) => Ok(Value::string(out)),
        Err(e) => Err(FuncErr::Nested {
            prefix: String::new(),
            err: Box::new(e),
        }),
    }
}

fn tpl(s: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let text = a[0].as_str().unwrap_or_default();
    let env = s.env;
    let has = |n: &str| env.has_func(n);
    let trees = parse("gotpl", text, &has).map_err(|e| {
        FuncErr::msg(format!(
            "cannot parse template {}: {e}",
            gofmt::go_quote(text)
        ))
    })?;
    let mut set = TemplateSet {
        trees: env.set.trees.clone(),
    };
    // Helm runs `parent.New("gotpl").Parse(text)` and executes that new
    // template. Go's AddParseTree gives the new template its own parsed tree
    // even when `associate` keeps an older, non-empty "gotpl" in the set
    // (an empty text under an outer `tpl`): so the root tree is executed
    // directly, never looked up by name.
    let mut root = None;
    for t in trees {
        let t = std::rc::Rc::new(t);
        if t.name == "gotpl" {
            root = Some(t.clone());
        }
        set.add_rc(t);
    }
    let mut sub = Env::new(set, env.funcs.clone());
    sub.steps.set(env.steps.get());
    sub.includes = env.includes.clone();
    sub.nested_calls = env.nested_calls.clone();
    enter_call(env)?;
    let mut out = String::new();
    let r = match &root {
        Some(tree) => sub.execute_tree(tree, a[1].clone(), &mut out, 0),
        None => sub.execute("gotpl", a[1].clone(), &mut out),
    };
    leave_call(env);
    env.steps.set(sub.steps.get());
    match r {
        Ok(()) => Ok(Value::string(out.replace("<no value>", ""))),
        Err(e) if matches!(e.kind, ErrKind::Limit(_)) => Err(FuncErr::Nested {
            prefix: String::new(),
            err: Box::new(e),
        }),
        Err(e) => Err(FuncErr::msg(format!(
            "error during tpl function execution for {}: {e}",
            gofmt::go_quote(text)
        ))),
    }
}
