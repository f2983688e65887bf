//! Parse and execute a template (before the first NUL byte) with values
//! (YAML, after it), through Helm's rendering engine and function map.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let (t, v) = pchart_fuzz::split(data);
        let (t, v) = (t.to_string(), v.to_string());
        pchart_fuzz::big_stack(move || pchart_fuzz::render(&t, &v));
    });
}
