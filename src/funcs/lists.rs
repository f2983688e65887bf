//! Sprig's list functions (`list`, `append`, `first`, `uniq`, `slice`, ...).

use std::rc::Rc;

use super::convert::to_int;
use super::util::plain;
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::{FuncMap, Sig, Ty};
use crate::template::value::Value;

const ANYV: Sig = Sig::new(&[], Some(Ty::Any));
const ANY1V: Sig = Sig::new(&[Ty::Any], Some(Ty::Any));

pub fn register(m: &mut FuncMap) {
    m.insert("list", plain(&ANYV, |_, a| Ok(Value::list(a.to_vec()))));
    m.insert("slice", plain(&ANY1V, slice));
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
