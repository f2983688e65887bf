//! The function map Helm gives templates: Go's builtins, Sprig, and Helm's
//! own functions (`include`, `tpl`, `required`, ...).

pub mod helm;
pub mod sprig;

use crate::template::funcs::{FuncMap, builtins};

/// Every function a chart template can call, as in Helm v4.2.
pub fn helm_funcs() -> FuncMap {
    let mut m = builtins();
    sprig::register(&mut m);
    helm::register(&mut m);
    m
}
