//! Validation of rendered manifests.

pub mod k8s;
