//! Sprig's defaults and flow functions: `default` `empty` `coalesce` `all`
//! `any` `ternary`.

use super::util::plain;
use crate::template::funcs::FuncMap;
use crate::value::{Sig, Ty, Value};

const ANY1: Sig = Sig::new(&[Ty::Any], None);
const ANYV: Sig = Sig::new(&[], Some(Ty::Any));
const ANY1V: Sig = Sig::new(&[Ty::Any], Some(Ty::Any));
const TERNARY: Sig = Sig::new(&[Ty::Any, Ty::Any, Ty::Bool], None);

pub fn register(m: &mut FuncMap) {
    // `default d given...`: only the first given value counts.
    m.insert(
        "default",
        plain(&ANY1V, |_, a| {
            Ok(match a.get(1) {
                Some(v) if !empty(v) => v.clone(),
                _ => a[0].clone(),
            })
        }),
    );
    m.insert("empty", plain(&ANY1, |_, a| Ok(Value::Bool(empty(&a[0])))));
    m.insert(
        "coalesce",
        plain(&ANYV, |_, a| {
            Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
        }),
    );
    m.insert(
        "all",
        plain(&ANYV, |_, a| Ok(Value::Bool(a.iter().all(|v| !empty(v))))),
    );
    m.insert(
        "any",
        plain(&ANYV, |_, a| Ok(Value::Bool(a.iter().any(|v| !empty(v))))),
    );
    m.insert(
        "ternary",
        plain(&TERNARY, |_, a| {
            Ok(if a[2].truth() {
                a[0].clone()
            } else {
                a[1].clone()
            })
        }),
    );
}

/// Sprig's `empty`: the zero value of the value's kind (nil, false, 0,
/// empty string/list/map). Structs and non-nil pointers are never empty.
pub fn empty(v: &Value) -> bool {
    match v {
        Value::Object(o) => match o.kind_name() {
            "struct" | "ptr" => false,
            _ => !o.truth(),
        },
        other => !other.truth(),
    }
}
