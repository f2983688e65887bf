//! Sprig's path and URL functions: `base` `dir` `clean` `ext` `isAbs` (and
//! `os*` variants), `urlParse` `urlJoin`, `getHostByName`.

use crate::template::funcs::FuncMap;

pub fn register(_m: &mut FuncMap) {}
