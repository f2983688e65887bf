//! Semantic versions and constraints with Masterminds/semver v3 semantics, as
//! Helm uses them for `semverCompare`, Chart.yaml `kubeVersion` and
//! dependency versions.
