//! The function map Helm gives templates: Go's builtins, Sprig, and Helm's
//! own functions (`include`, `tpl`, `toYaml`, ...). One file per family, as
//! Sprig's documentation groups them.

pub mod convert;
pub mod crypto;
pub mod dates;
pub mod dicts;
pub mod encoding;
pub mod flow;
pub mod helm;
pub mod lists;
pub mod math;
pub mod paths;
pub mod reflect;
pub mod regex;
pub mod semver;
pub mod serialize;
pub mod strings;
mod unicode;
pub mod util;
mod xstrings;

use std::rc::Rc;

use crate::template::funcs::{FuncMap, builtins};

thread_local! {
    /// Built once per thread: a render needs it, and building it costs more
    /// than rendering a small template.
    static FUNCS: Rc<FuncMap> = Rc::new(build());
}

/// Every function a chart template can call, as in Helm v4.2.
pub fn helm_funcs() -> Rc<FuncMap> {
    FUNCS.with(Rc::clone)
}

fn build() -> FuncMap {
    let mut m = builtins();
    strings::register(&mut m);
    convert::register(&mut m);
    math::register(&mut m);
    flow::register(&mut m);
    reflect::register(&mut m);
    lists::register(&mut m);
    dicts::register(&mut m);
    encoding::register(&mut m);
    crypto::register(&mut m);
    regex::register(&mut m);
    dates::register(&mut m);
    semver::register(&mut m);
    paths::register(&mut m);
    serialize::register(&mut m);
    // Helm's own last: they replace Sprig's versions (`toYaml`, `fail`, ...).
    helm::register(&mut m);
    m
}
