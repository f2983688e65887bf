//! Sprig's defaults and flow functions: `default` `empty` `coalesce` `all`
//! `any` `ternary`.

use crate::template::funcs::FuncMap;

pub fn register(_m: &mut FuncMap) {}
