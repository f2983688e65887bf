//! pchart: render and validate Helm charts, byte for byte like Helm.

// Template errors carry Go's full context (location, node text, cause); they
// are rare, so their size does not matter on the hot path.
#![allow(clippy::result_large_err)]

pub mod artifact;
pub mod atomic;
pub mod chart;
pub mod funcs;
pub mod go;
pub mod golden;
pub mod input;
pub mod limits;
pub mod lint;
pub mod oci;
pub mod remote;
pub mod render;
pub mod report;
pub mod schema;
pub mod semver;
pub mod stack;
pub mod style;
pub mod template;
pub mod validate;
pub mod value;
pub mod values;
pub mod yaml;

#[cfg(test)]
mod layers;
#[cfg(test)]
mod sizes;
