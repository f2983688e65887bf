//! User values: `--set` style expressions ([`strvals`]) and Helm's value
//! coalescing.

pub mod coalesce;
pub mod strvals;
