//! The function map, argument type checks and Go's built-in template
//! functions, like the builtins half of Go's `text/template/funcs.go`.
//!
//! Go checks every argument against the function's parameter types before
//! calling it, and those checks produce user-visible errors (`wrong type for
//! value; expected string; got float64`). Each function therefore declares a
//! signature in Go terms (`crate::value::Sig`).

use std::collections::HashMap;

use super::exec::{FuncErr, Rv, State};
use crate::go::fmt as gofmt;
use crate::value::{ElemTy, IntTy, MapTy, Sig, Ty, Value};

/// Go's `AssignableTo` of a parameter type for a concrete value (a string
/// held as bytes passes a `Raw` parameter).
pub fn accepts(t: Ty, v: &Value) -> bool {
    match t {
        Ty::Any | Ty::Reflect => true,
        Ty::String => matches!(v, Value::String(_)),
        Ty::Int => matches!(v, Value::Int(_, IntTy::Int)),
        Ty::Int64 => matches!(v, Value::Int(_, IntTy::Int64)),
        Ty::Float64 => matches!(v, Value::Float(_)),
        Ty::Bool => matches!(v, Value::Bool(_)),
        Ty::List => matches!(v, Value::List(_, ElemTy::Iface)),
        Ty::StrList => matches!(v, Value::List(_, ElemTy::String)),
        // A named map type and its unnamed underlying type are mutually assignable.
        Ty::Map | Ty::Values => matches!(v, Value::Map(_, MapTy::Iface | MapTy::Values)),
        Ty::Time => matches!(v, Value::Object(o) if o.type_name() == "time.Time"),
        Ty::Uint32 => matches!(v, Value::Int(_, IntTy::Uint32)),
        Ty::Struct(name) => matches!(v, Value::Object(o) if o.type_name() == name),
        Ty::Raw(t) => accepts(*t, v) || super::bytestr::is_byte_string(v),
    }
}

/// How a function receives its arguments.
#[derive(Clone, Copy)]
pub enum Imp {
    /// Go builtins see `reflect.Value`s, including invalid ones.
    Reflect(fn(&mut State, &[Rv]) -> Result<Rv, FuncErr>),
    /// Library functions see converted values.
    Plain(fn(&mut State, &[Value]) -> Result<Value, FuncErr>),
}

#[derive(Clone, Copy)]
pub struct Func {
    pub sig: &'static Sig,
    pub imp: Imp,
}

/// Keys are the fixed function names, so no caller can choose colliding
/// ones: a fast hash instead of SipHash (lookups are per parsed identifier
/// and per call).
pub type FuncMap = HashMap<&'static str, Func, foldhash::fast::RandomState>;

const R1: Sig = Sig::new(&[Ty::Reflect], None);
/// `len` counts a Go string's bytes.
const R1_RAW: Sig = Sig::new(&[Ty::Raw(&Ty::Reflect)], None);
const R1V: Sig = Sig::new(&[Ty::Reflect], Some(Ty::Reflect));
const R2: Sig = Sig::new(&[Ty::Reflect, Ty::Reflect], None);
const ANYV: Sig = Sig::new(&[], Some(Ty::Any));
const PRINTF: Sig = Sig::new(&[Ty::String], Some(Ty::Any));

/// Go's builtin functions. `and` and `or` are evaluated lazily by the
/// executor; their entries only carry the signature.
pub fn builtins() -> FuncMap {
    // Room for every Sprig and Helm function: growing rehashed it 5 times.
    let mut m = FuncMap::with_capacity_and_hasher(256, Default::default());
    let r = |sig: &'static Sig, f: fn(&mut State, &[Rv]) -> Result<Rv, FuncErr>| Func {
        sig,
        imp: Imp::Reflect(f),
    };
    let p = |sig: &'static Sig, f: fn(&mut State, &[Value]) -> Result<Value, FuncErr>| Func {
        sig,
        imp: Imp::Plain(f),
    };
    m.insert("and", r(&R1V, |_, a| Ok(a[0].clone())));
    m.insert("or", r(&R1V, |_, a| Ok(a[0].clone())));
    m.insert(
        "not",
        r(&R1, |_, a| Ok(Rv::Val(Value::Bool(!a[0].truth())))),
    );
    m.insert("call", r(&R1V, call));
    m.insert(
        "html",
        p(&ANYV, |_, a| Ok(Value::string(html_escape(&eval_args(a))))),
    );
    m.insert(
        "js",
        p(&ANYV, |_, a| Ok(Value::string(js_escape(&eval_args(a))))),
    );
    m.insert(
        "urlquery",
        p(&ANYV, |_, a| Ok(Value::string(query_escape(&eval_args(a))))),
    );
    m.insert("index", r(&R1V, index));
    m.insert("slice", r(&R1V, slice));
    m.insert("len", r(&R1_RAW, len));
    m.insert(
        "print",
        p(&ANYV, |_, a| Ok(Value::string(gofmt::sprint(a)))),
    );
    m.insert(
        "println",
        p(&ANYV, |_, a| Ok(Value::string(gofmt::sprintln(a)))),
    );
    m.insert(
        "printf",
        p(&PRINTF, |_, a| {
            let f = a[0].as_str().unwrap_or_default();
            Ok(Value::string(gofmt::sprintf(f, &a[1..])))
        }),
    );
    m.insert(
        "eq",
        r(&R1V, |_, a| {
            eq(&a[0], &a[1..]).map(|b| Rv::Val(Value::Bool(b)))
        }),
    );
    m.insert(
        "ne",
        r(&R2, |_, a| {
            eq(&a[0], &a[1..2]).map(|b| Rv::Val(Value::Bool(!b)))
        }),
    );
    m.insert(
        "lt",
        r(&R2, |_, a| {
            lt(&a[0], &a[1]).map(|b| Rv::Val(Value::Bool(b)))
        }),
    );
    m.insert(
        "le",
        r(&R2, |_, a| {
            let l = lt(&a[0], &a[1])?;
            Ok(Rv::Val(Value::Bool(l || eq(&a[0], &a[1..2])?)))
        }),
    );
    m.insert(
        "gt",
        r(&R2, |_, a| {
            let l = lt(&a[0], &a[1])?;
            Ok(Rv::Val(Value::Bool(!(l || eq(&a[0], &a[1..2])?))))
        }),
    );
    m.insert(
        "ge",
        r(&R2, |_, a| {
            lt(&a[0], &a[1]).map(|b| Rv::Val(Value::Bool(!b)))
        }),
    );
    m
}

fn call(s: &mut State, a: &[Rv]) -> Result<Rv, FuncErr> {
    // Helm data never holds Go functions, so `call` can only fail.
    let f = a[0].indirect_iface();
    match f {
        Rv::Invalid => Err(FuncErr::msg("call of nil")),
        other => Err(FuncErr::msg(format!(
            "non-function {} of type {}",
            s.call_callee,
            other.type_name()
        ))),
    }
}

/// `evalArgs` of Go's funcs.go: a lone string as is, else `fmt.Sprint`
/// where nil prints as `<no value>`.
fn eval_args(a: &[Value]) -> String {
    if let [Value::String(s)] = a {
        return s.to_string();
    }
    let mapped: Vec<Value> = a
        .iter()
        .map(|v| {
            if v.is_nil() {
                Value::str("<no value>")
            } else {
                v.clone()
            }
        })
        .collect();
    gofmt::sprint(&mapped)
}

pub fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => o.push('\u{FFFD}'),
            '"' => o.push_str("&#34;"),
            '\'' => o.push_str("&#39;"),
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            c => o.push(c),
        }
    }
    o
}

pub fn js_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '\'' => o.push_str("\\'"),
            '"' => o.push_str("\\\""),
            '<' => o.push_str("\\u003C"),
            '>' => o.push_str("\\u003E"),
            '&' => o.push_str("\\u0026"),
            '=' => o.push_str("\\u003D"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u00{:02X}", c as u32)),
            c if c.is_ascii() => o.push(c),
            c if gofmt::is_go_printable(c) => o.push(c),
            c => o.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    o
}

pub fn query_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                o.push(b as char)
            }
            b' ' => o.push('+'),
            b => o.push_str(&format!("%{b:02X}")),
        }
    }
    o
}

/// Go's basic kinds for comparisons.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Complex,
    Int,
    Float,
    String,
}

fn basic_kind(v: &Rv) -> Kind {
    match v {
        Rv::Val(x) | Rv::Iface(x) => match x {
            Value::Bool(_) => Kind::Bool,
            Value::Int(..) => Kind::Int,
            Value::Float(_) => Kind::Float,
            Value::Complex(..) => Kind::Complex,
            Value::String(_) => Kind::String,
            _ => Kind::Invalid,
        },
        Rv::Invalid => Kind::Invalid,
    }
}

fn bad_comparison(a: &Rv, b: &Rv) -> FuncErr {
    FuncErr::msg(format!(
        "incompatible types for comparison: {} and {}",
        a.type_name(),
        b.type_name()
    ))
}

/// Go's `eq`: true if `a` equals any of `rest`.
pub fn eq(a: &Rv, rest: &[Rv]) -> Result<bool, FuncErr> {
    let a = a.indirect_iface();
    if rest.is_empty() {
        return Err(FuncErr::msg("missing argument for comparison"));
    }
    let k1 = basic_kind(&a);
    for b in rest {
        let b = b.indirect_iface();
        let k2 = basic_kind(&b);
        let truth = if k1 != k2 {
            if a.is_valid() && b.is_valid() {
                return Err(bad_comparison(&a, &b));
            }
            false
        } else {
            let (x, y) = (a.value(), b.value());
            match (k1, &x, &y) {
                (Kind::Bool, Value::Bool(p), Value::Bool(q)) => p == q,
                (Kind::Int, Value::Int(p, _), Value::Int(q, _)) => p == q,
                (Kind::Float, Value::Float(p), Value::Float(q)) => p == q,
                (Kind::Complex, Value::Complex(p, pi), Value::Complex(q, qi)) => p == q && pi == qi,
                (Kind::String, Value::String(p), Value::String(q)) => p == q,
                _ => eq_non_basic(&a, &b)?,
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `eq` on kinds that are not basic (maps, lists, nil): only nil-ness can
/// be compared; anything else is Go's "non-comparable" error.
fn eq_non_basic(a: &Rv, b: &Rv) -> Result<bool, FuncErr> {
    let (x, y) = (a.value(), b.value());
    if a.is_valid() && b.is_valid() && a.type_name() != b.type_name() {
        return Err(FuncErr::msg(format!(
            "non-comparable types {}: {}, {}: {}",
            gofmt::sprintf("%s", std::slice::from_ref(&x)),
            a.type_name(),
            b.type_name(),
            gofmt::sprint_one(&y)
        )));
    }
    let (an, bn) = (is_nil_like(a), is_nil_like(b));
    if !a.is_valid() || !b.is_valid() || an || bn {
        return Ok(an == bn);
    }
    Err(FuncErr::msg(format!(
        "non-comparable type {}: {}",
        gofmt::sprintf("%s", std::slice::from_ref(&y)),
        b.type_name()
    )))
}

fn is_nil_like(v: &Rv) -> bool {
    matches!(v, Rv::Invalid | Rv::Val(Value::Nil) | Rv::Iface(Value::Nil))
}

/// Go's `lt`.
pub fn lt(a: &Rv, b: &Rv) -> Result<bool, FuncErr> {
    let a = a.indirect_iface();
    let b = b.indirect_iface();
    let k1 = basic_kind(&a);
    if k1 == Kind::Invalid {
        return Err(FuncErr::msg("invalid type for comparison"));
    }
    let k2 = basic_kind(&b);
    if k2 == Kind::Invalid {
        return Err(FuncErr::msg("invalid type for comparison"));
    }
    if k1 != k2 {
        return Err(bad_comparison(&a, &b));
    }
    Ok(match (a.value(), b.value()) {
        (Value::Int(p, _), Value::Int(q, _)) => p < q,
        (Value::Float(p), Value::Float(q)) => p < q,
        (Value::String(p), Value::String(q)) => p < q,
        _ => return Err(FuncErr::msg("invalid type for comparison")),
    })
}

fn index_arg(i: &Rv, cap: usize) -> Result<usize, FuncErr> {
    let x = match i {
        Rv::Val(Value::Int(n, _)) | Rv::Iface(Value::Int(n, _)) => *n,
        Rv::Invalid | Rv::Iface(Value::Nil) => {
            return Err(FuncErr::msg("cannot index slice/array with nil"));
        }
        other => {
            return Err(FuncErr::msg(format!(
                "cannot index slice/array with type {}",
                other.indirect_iface().type_name()
            )));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(FuncErr::msg(format!("index out of range: {x}")));
    }
    Ok(x as usize)
}

fn index(_: &mut State, a: &[Rv]) -> Result<Rv, FuncErr> {
    let mut item = a[0].indirect_iface();
    if !item.is_valid() {
        return Err(FuncErr::msg("index of untyped nil"));
    }
    for idx in &a[1..] {
        let idx = idx.indirect_iface();
        let mut cur = item.value();
        if let Value::Object(o) = &cur
            && let Some(full) = o.materialize()
        {
            cur = full;
        }
        if let Rv::Iface(Value::Nil) = item {
            return Err(FuncErr::msg("index of nil pointer"));
        }
        item = match &cur {
            Value::List(l, e) => {
                let x = index_arg(&idx, l.len())?;
                let Some(v) = l.get(x) else {
                    return Err(FuncErr::msg("reflect: slice index out of range"));
                };
                if *e == ElemTy::Iface {
                    Rv::Iface(v.clone())
                } else {
                    Rv::Val(v.clone())
                }
            }
            Value::String(s) => {
                let x = index_arg(&idx, s.len())?;
                let Some(b) = s.as_bytes().get(x) else {
                    return Err(FuncErr::msg("reflect: string index out of range"));
                };
                Rv::Val(Value::Int(*b as i64, crate::value::IntTy::Uint8))
            }
            Value::Map(m, t) => {
                let key = map_key(&idx)?;
                Rv::map_elem(*t, m.borrow().get(&*key))
            }
            // Map-kind Go types (`.Files`: map[string][]byte).
            Value::Object(o) if o.kind_name() == "map" => {
                let Some(entries) = o.entries() else {
                    return Err(FuncErr::msg(format!(
                        "can't index item of type {}",
                        cur.type_name()
                    )));
                };
                let key = map_key(&idx)?;
                match entries.into_iter().find(|(k, _)| **k == *key) {
                    Some((_, v)) => Rv::Val(v),
                    // The zero value of the element type: a nil []byte.
                    None => Rv::Val(Value::List(std::rc::Rc::new(Vec::new()), ElemTy::Byte)),
                }
            }
            _ => {
                return Err(FuncErr::msg(format!(
                    "can't index item of type {}",
                    cur.type_name()
                )));
            }
        };
    }
    Ok(item)
}

/// A map index must be a string, as reflect's MapIndex of map[string]T.
fn map_key(idx: &Rv) -> Result<std::rc::Rc<str>, FuncErr> {
    match idx {
        Rv::Val(Value::String(k)) | Rv::Iface(Value::String(k)) => Ok(k.clone()),
        Rv::Invalid => Err(FuncErr::msg("value is nil; should be of type string")),
        other => Err(FuncErr::msg(format!(
            "value has type {}; should be string",
            other.type_name()
        ))),
    }
}

fn slice(_: &mut State, a: &[Rv]) -> Result<Rv, FuncErr> {
    let item = a[0].indirect_iface();
    if !item.is_valid() {
        return Err(FuncErr::msg("slice of untyped nil"));
    }
    let idxs = &a[1..];
    if idxs.len() > 3 {
        return Err(FuncErr::msg(format!(
            "too many slice indexes: {}",
            idxs.len()
        )));
    }
    let v = item.value();
    let len = match &v {
        Value::String(s) => {
            if idxs.len() == 3 {
                return Err(FuncErr::msg("cannot 3-index slice a string"));
            }
            s.len()
        }
        Value::List(l, _) => l.len(),
        _ => {
            return Err(FuncErr::msg(format!(
                "can't slice item of type {}",
                item.type_name()
            )));
        }
    };
    let mut idx = [0, len, len];
    for (i, x) in idxs.iter().enumerate() {
        idx[i] = index_arg(x, len)?;
    }
    if idx[0] > idx[1] {
        return Err(FuncErr::msg(format!(
            "invalid slice index: {} > {}",
            idx[0], idx[1]
        )));
    }
    if idxs.len() == 3 && idx[1] > idx[2] {
        return Err(FuncErr::msg(format!(
            "invalid slice index: {} > {}",
            idx[1], idx[2]
        )));
    }
    Ok(Rv::Val(match v {
        Value::String(s) => {
            let b = &s.as_bytes()[idx[0]..idx[1]];
            Value::string(String::from_utf8_lossy(b).into_owned())
        }
        Value::List(l, e) => Value::List(std::rc::Rc::new(l[idx[0]..idx[1]].to_vec()), e),
        _ => Value::Nil,
    }))
}

fn len(_: &mut State, a: &[Rv]) -> Result<Rv, FuncErr> {
    let n = match &a[0] {
        Rv::Invalid => {
            return Err(FuncErr::msg(
                "reflect: call of reflect.Value.Type on zero Value",
            ));
        }
        Rv::Iface(Value::Nil) => return Err(FuncErr::msg("len of nil pointer")),
        Rv::Val(v) | Rv::Iface(v) => match v {
            Value::String(s) => s.len(),
            Value::Object(o) if super::bytestr::is_byte_string(v) => {
                super::bytestr::string_bytes(v).map_or(o.format().len(), |b| b.len())
            }
            Value::List(l, _) => l.len(),
            Value::Map(m, _) => m.borrow().len(),
            Value::Nil => return Err(FuncErr::msg("len of nil pointer")),
            // Map-kind Go types such as `.Files`.
            Value::Object(o) if o.entries().is_some() => o.entries().map_or(0, |e| e.len()),
            Value::Object(o) if o.elements().is_some() => o.elements().map_or(0, |e| e.len()),
            other => return Err(FuncErr::msg(format!("len of type {}", other.type_name()))),
        },
    };
    Ok(Rv::Val(Value::int(n as i64)))
}
