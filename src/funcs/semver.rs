//! Sprig's `semver` and `semverCompare` over [`crate::semver`].

use crate::template::funcs::FuncMap;

pub fn register(_m: &mut FuncMap) {}
