//! AFL++ wrapper: the YAML reader and writer (see `pchart_fuzz::yaml_read`).
fn main() {
    afl::fuzz!(|data: &[u8]| pchart_fuzz::yaml_read(data));
}
