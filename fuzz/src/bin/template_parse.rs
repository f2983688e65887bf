//! The template lexer and parser on arbitrary text.
fn main() {
    let funcs = pchart::funcs::helm_funcs();
    let names: Vec<String> = funcs.keys().map(|k| k.to_string()).collect();
    afl::fuzz!(|data: &[u8]| {
        let (text, _) = pchart_fuzz::split(data);
        let text = text.to_string();
        let names = names.clone();
        pchart_fuzz::big_stack(move || {
            let has = |n: &str| names.iter().any(|k| k == n);
            let _ = pchart::template::parse::parse("t", &text, &has);
        });
    });
}
