//! Sprig's reflection functions: `typeOf`, `typeIs`, `typeIsLike`, `kindOf`,
//! `kindIs`, `deepEqual`.

use std::rc::Rc;

use super::util::plain;
use crate::template::funcs::FuncMap;
use crate::value::{Sig, Ty, Value};

const ANY1: Sig = Sig::new(&[Ty::Any], None);
const ANY2: Sig = Sig::new(&[Ty::Any, Ty::Any], None);
const STR_ANY: Sig = Sig::new(&[Ty::String, Ty::Any], None);

pub fn register(m: &mut FuncMap) {
    m.insert(
        "typeOf",
        plain(&ANY1, |_, a| Ok(Value::string(a[0].type_name()))),
    );
    m.insert(
        "typeIs",
        plain(&STR_ANY, |_, a| {
            Ok(Value::Bool(target(a) == a[1].type_name()))
        }),
    );
    // `typeIsLike "T" x` also accepts x of type `*T`.
    m.insert(
        "typeIsLike",
        plain(&STR_ANY, |_, a| {
            let t = a[1].type_name();
            let want = target(a);
            Ok(Value::Bool(t == want || t.strip_prefix('*') == Some(want)))
        }),
    );
    m.insert(
        "kindOf",
        plain(&ANY1, |_, a| Ok(Value::str(a[0].kind_name()))),
    );
    m.insert(
        "kindIs",
        plain(&STR_ANY, |_, a| {
            Ok(Value::Bool(target(a) == a[1].kind_name()))
        }),
    );
    m.insert(
        "deepEqual",
        plain(&ANY2, |_, a| Ok(Value::Bool(deep_equal(&a[0], &a[1])))),
    );
}

fn target(a: &[Value]) -> &str {
    a[0].as_str().unwrap_or_default()
}

/// Go's `reflect.DeepEqual` on template values: identical Go types and
/// equal contents; floats compare with `==` (NaN unequal, -0 == 0).
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    if a.type_name() != b.type_name() {
        return false;
    }
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x, _), Value::Int(y, _)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Complex(xr, xi), Value::Complex(yr, yi)) => xr == yr && xi == yi,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x, _), Value::List(y, _)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q))
        }
        (Value::Map(x, _), Value::Map(y, _)) => {
            if Rc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        // Helm's objects are pointers or plain data: the same object, or
        // one that prints the same, is deeply equal.
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y) || x.format() == y.format(),
        _ => false,
    }
}
