//! Sprig v3 functions, as Helm exposes them.

use std::rc::Rc;

use crate::template::exec::{FuncErr, State};
use crate::template::fmt as gofmt;
use crate::template::funcs::{Func, FuncMap, Imp, Sig, Ty};
use crate::template::value::{Map, Value};

const ANYV: Sig = Sig::new(&[], Some(Ty::Any));
const ANY1: Sig = Sig::new(&[Ty::Any], None);
const ANY1V: Sig = Sig::new(&[Ty::Any], Some(Ty::Any));

fn plain(sig: &'static Sig, f: fn(&mut State, &[Value]) -> Result<Value, FuncErr>) -> Func {
    Func {
        sig,
        imp: Imp::Plain(f),
    }
}

pub fn register(m: &mut FuncMap) {
    m.insert("list", plain(&ANYV, |_, a| Ok(Value::list(a.to_vec()))));
    m.insert("dict", plain(&ANYV, dict));
    m.insert(
        "typeOf",
        plain(&ANY1, |_, a| Ok(Value::string(a[0].type_name()))),
    );
    m.insert("slice", plain(&ANY1V, slice));
}

/// Sprig's `strval`: how non-string keys and values become strings.
pub fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Nil => "<nil>".into(),
        other => gofmt::sprint_one(other),
    }
}

fn dict(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let mut m = Map::new();
    let mut i = 0;
    while i < a.len() {
        let k = strval(&a[i]);
        let v = a.get(i + 1).cloned().unwrap_or_else(|| Value::str(""));
        m.insert(k, v);
        i += 2;
    }
    Ok(Value::map(m))
}

/// Sprig's `toInt` conversion used for indexes.
pub fn to_int(v: &Value) -> i64 {
    match v {
        Value::Int(i, _) => *i,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .or_else(|_| s.trim().parse::<f64>().map(|f| f as i64))
            .unwrap_or(0),
        _ => 0,
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
            let end = if a.len() < 3 { len } else { to_int(&a[2]) };
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
        Value::Nil => Err(FuncErr::msg(
            "runtime error: invalid memory address or nil pointer dereference",
        )),
        other => Err(FuncErr::msg(format!(
            "list should be type of slice or array but {}",
            other.kind_name()
        ))),
    }
}
