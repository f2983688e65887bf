//! The integration tests that need nothing but the pchart binary, Python
//! and the recorded fixtures, as one test binary: each former
//! `tests/<name>.rs` is a module here, so the crate is linked once instead
//! of once per file. Run one group by its module name:
//! `cargo test --test integration hostile::`.

mod artifact_validate;
mod ci_docs;
mod cli_golden;
mod cli_lint;
mod cli_render;
mod cli_set;
mod cli_usage;
mod common;
mod conformance;
mod determinism;
mod funcs_property;
mod fuzz_regressions;
mod hostile;
mod lint_rules;
mod malformed;
mod perses_golden;
mod perses_upstream;
mod render;
mod schema;
mod strvals;
#[path = "../support/mod.rs"]
mod support;
