//! Sprig's integer and float math: `add` `sub` `mul` `div` `mod` `max` `min`
//! `biggest`, the `*f` float variants, `ceil` `floor` `round`, `seq` `until`
//! `untilStep`, `randInt`.

use crate::template::funcs::FuncMap;

pub fn register(_m: &mut FuncMap) {}
