//! Go's `text/template`, as Helm runs it.
//!
//! The pipeline is visible in the module names: `lex` turns text into
//! items, `parse` builds `node` trees, `exec` walks them over `value`s,
//! calling `funcs`; `fmt` and `strconv` reproduce the Go library behaviour
//! that templates can observe.

pub mod bytestr;
pub mod exec;
pub mod fmt;
pub mod funcs;
pub mod lex;
pub mod node;
pub mod parse;
pub mod strconv;
pub mod value;

pub use exec::{Env, ExecError, Rv, TemplateSet};
pub use parse::{ParseError, Tree};
pub use value::{Map, Value};
