//! Ports of Go's standard library whose results templates and YAML can
//! observe. Issue 17 item 2 moves `fmt` and `strconv` here from
//! `template/`; calendar arithmetic shared by YAML timestamps, schema
//! formats and the date functions lives here already.

pub mod time;
