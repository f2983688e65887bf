//! pchart: render and validate Helm charts, byte for byte like Helm.

pub mod chart;
pub mod funcs;
pub mod render;
pub mod yaml;
pub mod template;
