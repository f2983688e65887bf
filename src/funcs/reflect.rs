//! Sprig's reflection functions: `typeOf`, `typeIs`, `typeIsLike`, `kindOf`,
//! `kindIs`, `deepEqual`.

use super::util::plain;
use crate::template::funcs::{FuncMap, Sig, Ty};
use crate::template::value::Value;

const ANY1: Sig = Sig::new(&[Ty::Any], None);

pub fn register(m: &mut FuncMap) {
    m.insert(
        "typeOf",
        plain(&ANY1, |_, a| Ok(Value::string(a[0].type_name()))),
    );
}
