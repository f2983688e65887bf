//! Ports of Go's standard library whose results templates and YAML can
//! observe: `fmt` (the `%v` text of every value, `printf`), `strconv`
//! (literal syntax, number parsing) and `time` (calendar arithmetic shared
//! by YAML timestamps, schema formats and the date functions).

pub mod fmt;
pub mod strconv;
pub mod time;
