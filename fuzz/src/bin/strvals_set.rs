//! `--set` parsing, every flavour; `--set-file` reads a fake file.
use pchart::template::value::Value;
use pchart::values::strvals::{SetKind, parse_set_with};

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(s) = std::str::from_utf8(data) else {
            return;
        };
        let s = s.to_string();
        pchart_fuzz::big_stack(move || {
            let mut dest = Value::empty_map();
            for kind in [
                SetKind::Typed,
                SetKind::String,
                SetKind::Json,
                SetKind::Literal,
                SetKind::File,
            ] {
                let mut read = |p: &str| Ok(format!("content of {p}"));
                let _ = parse_set_with(&s, &mut dest, kind, &mut read);
            }
        });
    });
}
