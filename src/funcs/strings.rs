//! Sprig's string functions: trimming, case conversion, quoting, indenting,
//! splitting and joining, `substr`, `trunc`, `abbrev`, `wrap`, `plural`,
//! random strings.

use crate::template::funcs::FuncMap;

pub fn register(_m: &mut FuncMap) {}
