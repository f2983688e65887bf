//! Go's `text/template`, as Helm runs it.
//!
//! The pipeline is visible in the module names: `lex` turns text into
//! items, `parse` builds `node` trees, `exec` walks them over values
//! (`crate::value`), calling `funcs`. The Go library behaviour templates
//! can observe (`fmt`, `strconv`) is ported in `crate::go`.

pub mod bytestr;
pub mod exec;
pub mod funcs;
pub mod lex;
pub mod node;
pub mod parse;

pub use exec::{Env, ExecError, Rv, TemplateSet};
pub use parse::{ParseError, Tree};
