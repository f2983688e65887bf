//! Sprig's dates and durations with Go layouts: `now` `date` `dateInZone`
//! `toDate` `unixEpoch` `duration` `durationRound` `dateModify` `ago` `htmlDate`.

use crate::template::funcs::FuncMap;

pub fn register(_m: &mut FuncMap) {}
