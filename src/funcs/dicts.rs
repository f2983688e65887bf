//! Sprig's dict functions (`dict`, `get`, `set`, `merge`, `dig`, ...).

use super::convert::strval;
use super::util::plain;
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::{FuncMap, Sig, Ty};
use crate::template::value::{Map, Value};

const ANYV: Sig = Sig::new(&[], Some(Ty::Any));

pub fn register(m: &mut FuncMap) {
    m.insert("dict", plain(&ANYV, dict));
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
