//! AFL++ wrapper: template + values through the renderer (see `pchart_fuzz::template_exec`).
fn main() {
    afl::fuzz!(|data: &[u8]| pchart_fuzz::template_exec(data));
}
