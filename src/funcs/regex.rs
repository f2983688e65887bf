//! Sprig's regular expressions with Go RE2 semantics (ASCII `\\d \\w \\s \\b`).

use crate::template::funcs::FuncMap;

pub fn register(_m: &mut FuncMap) {}
