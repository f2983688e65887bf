//! AFL++ wrapper: `--set` parsing in every flavour (see `pchart_fuzz::strvals_set`).
fn main() {
    afl::fuzz!(|data: &[u8]| pchart_fuzz::strvals_set(data));
}
