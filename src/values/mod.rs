//! User values: `--set` style expressions ([`strvals`]). Coalescing them
//! with a chart's defaults is part of preparing the chart (`chart::coalesce`).

pub mod strvals;
