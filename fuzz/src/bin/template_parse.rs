//! AFL++ wrapper: the template lexer and parser (see `pchart_fuzz::template_parse`).
fn main() {
    afl::fuzz!(|data: &[u8]| pchart_fuzz::template_parse(data));
}
