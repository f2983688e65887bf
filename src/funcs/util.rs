//! Small pieces every function group uses.

use crate::template::exec::{FuncErr, State};
use crate::template::funcs::{Func, Imp};
use crate::value::{Sig, Value};

/// A library function that receives converted argument values.
pub fn plain(sig: &'static Sig, f: fn(&mut State, &[Value]) -> Result<Value, FuncErr>) -> Func {
    Func {
        sig,
        imp: Imp::Plain(f),
    }
}
