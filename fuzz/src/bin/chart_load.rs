//! AFL++ wrapper: a whole chart, archive or file list, through `helm template` (see `pchart_fuzz::chart_load`).
fn main() {
    afl::fuzz!(|data: &[u8]| pchart_fuzz::chart_load(data));
}
