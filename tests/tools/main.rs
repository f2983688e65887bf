//! The integration tests that run real tools (a docker-registry, skopeo,
//! containerd, pre-commit, Python's http.server), as one test binary: each
//! former `tests/<name>.rs` is a module here. `scripts/test.sh` installs
//! the tools; run one group by its module name:
//! `cargo test --test tools artifact_containerd::`.

#[path = "../support/mod.rs"]
mod support;

mod artifact_bearer;
mod artifact_build;
mod artifact_containerd;
mod artifact_lint;
mod artifact_registry;
mod precommit;
mod remote_deps;
mod remote_oci;
mod remote_repo;
