//! Sprig's list functions (`list`, `append`, `first`, `uniq`, `slice`, ...).
//!
//! Sprig reads its list argument through reflection, so every Go slice kind
//! works (`[]interface {}`, `[]string` from `keys`, `[]int` from `until`,
//! `[]uint8` from `.Files.GetBytes`); results are `[]interface {}`. Anything
//! else fails with `Cannot <op> on type <kind>`, and a nil list makes Go's
//! `reflect.TypeOf(nil).Kind()` dereference nil. The plain and `must` forms
//! report the same text (one as a recovered panic, one as an error).

use std::borrow::Cow;
use std::rc::Rc;

use super::convert::to_int;
use super::util::plain;
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::FuncMap;
use crate::value::{ElemTy, Sig, Ty, Value};

const ANYV: Sig = Sig::new(&[], Some(Ty::Any));
const ANY1: Sig = Sig::new(&[Ty::Any], None);
const ANY2: Sig = Sig::new(&[Ty::Any, Ty::Any], None);
const ANY1V: Sig = Sig::new(&[Ty::Any], Some(Ty::Any));
const CHUNK: Sig = Sig::new(&[Ty::Int, Ty::Any], None);

/// Nesting deeper than this is treated as unequal: only a cyclic map (built
/// with `set`) gets there, and Go would overflow its stack on it.
const MAX_DEPTH: usize = 1000;

const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

type ListFn = fn(&mut State, &[Value]) -> Result<Value, FuncErr>;

pub fn register(m: &mut FuncMap) {
    m.insert("list", plain(&ANYV, |_, a| Ok(Value::list(a.to_vec()))));
    m.insert("tuple", plain(&ANYV, |_, a| Ok(Value::list(a.to_vec()))));
    let pairs: [(&'static str, &'static str, &'static Sig, ListFn); 14] = [
        ("append", "mustAppend", &ANY2, push),
        ("push", "mustPush", &ANY2, push),
        ("prepend", "mustPrepend", &ANY2, prepend),
        ("first", "mustFirst", &ANY1, first),
        ("rest", "mustRest", &ANY1, rest),
        ("last", "mustLast", &ANY1, last),
        ("initial", "mustInitial", &ANY1, initial),
        ("reverse", "mustReverse", &ANY1, reverse),
        ("uniq", "mustUniq", &ANY1, uniq),
        ("without", "mustWithout", &ANY1V, without),
        ("has", "mustHas", &ANY2, has),
        ("slice", "mustSlice", &ANY1V, slice),
        ("compact", "mustCompact", &ANY1, compact),
        ("chunk", "mustChunk", &CHUNK, chunk),
    ];
    for (name, must, sig, f) in pairs {
        m.insert(name, plain(sig, f));
        m.insert(must, plain(sig, f));
    }
    m.insert("concat", plain(&ANYV, concat));
}

/// The elements of a Go slice argument, or Sprig's error for `op`. A named
/// slice type held as an object (`common.VersionSet`) is a slice too.
fn elems<'a>(v: &'a Value, op: &str) -> Result<Cow<'a, [Value]>, FuncErr> {
    match v {
        Value::List(l, _) => Ok(Cow::Borrowed(l)),
        Value::Object(o)
            if o.kind_name() == "slice"
                && let Some(e) = o.elements() =>
        {
            Ok(Cow::Owned(e))
        }
        Value::Nil => Err(FuncErr::msg(NIL_DEREF)),
        other => Err(FuncErr::msg(format!(
            "Cannot {op} on type {}",
            other.kind_name()
        ))),
    }
}

fn push(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let mut out = elems(&a[0], "push")?.to_vec();
    out.push(a[1].clone());
    Ok(Value::list(out))
}

fn prepend(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let l = elems(&a[0], "prepend")?;
    let mut out = Vec::with_capacity(l.len() + 1);
    out.push(a[1].clone());
    out.extend_from_slice(&l);
    Ok(Value::list(out))
}

fn first(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let l = elems(&a[0], "find first")?;
    Ok(l.first().cloned().unwrap_or(Value::Nil))
}

fn last(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let l = elems(&a[0], "find last")?;
    Ok(l.last().cloned().unwrap_or(Value::Nil))
}

fn rest(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let l = elems(&a[0], "find rest")?;
    Ok(Value::list(l.get(1..).unwrap_or_default().to_vec()))
}

fn initial(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let l = elems(&a[0], "find initial")?;
    let end = l.len().saturating_sub(1);
    Ok(Value::list(l[..end].to_vec()))
}

fn reverse(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let l = elems(&a[0], "find reverse")?;
    Ok(Value::list(l.iter().rev().cloned().collect()))
}

fn uniq(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let l = elems(&a[0], "find uniq")?;
    let mut out: Vec<Value> = Vec::new();
    for it in l.iter() {
        if !out.iter().any(|o| deep_equal(it, o, 0)) {
            out.push(it.clone());
        }
    }
    Ok(Value::list(out))
}

fn without(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let l = elems(&a[0], "find without")?;
    let omit = &a[1..];
    let out = l
        .iter()
        .filter(|it| !omit.iter().any(|o| deep_equal(it, o, 0)))
        .cloned()
        .collect();
    Ok(Value::list(out))
}

/// `has NEEDLE HAYSTACK`; a nil haystack simply holds nothing.
fn has(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    if a[1].is_nil() {
        return Ok(Value::Bool(false));
    }
    let l = elems(&a[1], "find has")?;
    Ok(Value::Bool(l.iter().any(|it| deep_equal(&a[0], it, 0))))
}

/// Sprig's `empty`, used by `compact`: Go's zero values and empty
/// containers. Structs are never empty.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Object(_) => false,
        other => !other.truth(),
    }
}

fn compact(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let l = elems(&a[0], "compact")?;
    Ok(Value::list(
        l.iter().filter(|it| !is_empty(it)).cloned().collect(),
    ))
}

fn concat(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let mut out = Vec::new();
    for v in a {
        match v {
            Value::List(l, _) => out.extend_from_slice(l),
            Value::Nil => return Err(FuncErr::msg(NIL_DEREF)),
            other => {
                return Err(FuncErr::msg(format!(
                    "Cannot concat type {} as list",
                    other.kind_name()
                )));
            }
        }
    }
    Ok(Value::list(out))
}

/// `chunk SIZE LIST` computes its chunk count and the last chunk's length
/// in float64 like Sprig, so a zero or negative size fails exactly where Go's
/// `make` fails (and `chunk -1` of two items is an empty list).
fn chunk(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    const BAD_LEN: &str = "runtime error: makeslice: len out of range";
    let size = to_int(&a[0]);
    let Value::List(l, _) = &a[1] else {
        return match &a[1] {
            Value::Nil => Err(FuncErr::msg(NIL_DEREF)),
            other => Err(FuncErr::msg(format!(
                "Cannot chunk type {}",
                other.kind_name()
            ))),
        };
    };
    let n = l.len() as i64;
    let count = go_float_to_int(((n - 1) as f64 / size as f64).floor() + 1.0);
    if count < 0 {
        return Err(FuncErr::msg(BAD_LEN));
    }
    let mut out = Vec::new();
    for i in 0..count {
        let mut clen = size;
        if i == count - 1 {
            clen = go_float_to_int((n as f64 % size as f64).floor());
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err(FuncErr::msg(BAD_LEN));
        }
        let start = i.wrapping_mul(size);
        let mut part = Vec::new();
        for j in 0..clen {
            let Some(v) = usize::try_from(start.wrapping_add(j))
                .ok()
                .and_then(|ix| l.get(ix))
            else {
                return Err(FuncErr::msg("reflect: slice index out of range"));
            };
            part.push(v.clone());
        }
        out.push(Value::list(part));
    }
    Ok(Value::List(Rc::new(out), ElemTy::IfaceList))
}

/// Go's float64-to-int conversion on amd64: NaN and out-of-range values
/// become the minimum int64.
fn go_float_to_int(f: f64) -> i64 {
    // The range is [-2^63, 2^63); NaN is outside it.
    if (i64::MIN as f64..i64::MAX as f64).contains(&f) {
        f as i64
    } else {
        i64::MIN
    }
}

fn slice(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    match &a[0] {
        Value::List(l, e) => {
            if l.is_empty() {
                return Ok(Value::Nil);
            }
            let len = l.len() as i64;
            let start = a.get(1).map_or(0, to_int);
            let end = a.get(2).map_or(len, to_int);
            if start < 0 || end < start || end > len {
                return Err(FuncErr::msg(
                    "reflect.Value.Slice: slice index out of bounds",
                ));
            }
            Ok(Value::List(
                Rc::new(l[start as usize..end as usize].to_vec()),
                *e,
            ))
        }
        Value::Nil => Err(FuncErr::msg(NIL_DEREF)),
        other => Err(FuncErr::msg(format!(
            "list should be type of slice or array but {}",
            other.kind_name()
        ))),
    }
}

/// Go's `reflect.DeepEqual` on template values: the dynamic types must match
/// (`1` and `1.0`, `int` and `int64`, `[]string` and `[]interface {}` all
/// differ), then the contents, recursively.
pub fn deep_equal(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x, t), Value::Int(y, u)) => t == u && x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Complex(xr, xi), Value::Complex(yr, yi)) => xr == yr && xi == yi,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x, t), Value::List(y, u)) => {
            t == u
                && x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| deep_equal(p, q, depth + 1))
        }
        (Value::Map(x, t), Value::Map(y, u)) => {
            if t != u {
                return false;
            }
            if Rc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter()
                    .all(|(k, p)| y.get(k).is_some_and(|q| deep_equal(p, q, depth + 1)))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.type_name() == y.type_name() && x.format() == y.format()
        }
        _ => false,
    }
}
