//! The OCI artifact of Perses resources: validate the resources as Perses
//! provisioning reads them ([`validate`]), build a reproducible OCI image
//! layout that mounts as a Kubernetes image volume, push it, resolve and
//! pin its digest.

pub mod build;
pub mod inspect;
pub mod layout;
pub mod perses;
pub mod pin;
pub mod push;
pub mod tree;
pub mod validate;
