//! The Perses chart compiled into the binary (see `build.rs`), used when
//! `pchart render` is given no chart.

use super::{Chart, LoadError};

include!(concat!(env!("OUT_DIR"), "/embedded_chart.rs"));

/// The chart's values.yaml, parsed (see [`super::snapshot`]).
const VALUES_SNAPSHOT: &[u8] = include_bytes!("../../charts/perses-values.snapshot");

/// Name shown in errors for the embedded chart.
pub const EMBEDDED_NAME: &str = "<embedded perses chart>";

/// Load the embedded Perses chart.
pub fn embedded_chart() -> Result<Chart, LoadError> {
    if FILES.is_empty() {
        return Err(LoadError(format!(
            "{EMBEDDED_NAME}: this build has no embedded chart; give a chart path"
        )));
    }
    let list = FILES
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    super::files::from_files_with(list, EMBEDDED_NAME, Some(VALUES_SNAPSHOT))
}
