//! Terminal styles for the human output of `lint`, `diff` and `test`
//! (anstyle), and the one way text is painted with them. Whether to paint
//! is decided once, by the command line (`cli/output.rs`: human format,
//! stdout a terminal, `NO_COLOR` unset); here it is a flag.

use anstyle::{AnsiColor, Style};

pub const BOLD: Style = Style::new().bold();
pub const RED: Style = AnsiColor::Red.on_default();
pub const GREEN: Style = AnsiColor::Green.on_default();
pub const YELLOW: Style = AnsiColor::Yellow.on_default();
pub const CYAN: Style = AnsiColor::Cyan.on_default();
pub const BOLD_RED: Style = RED.bold();
pub const BOLD_YELLOW: Style = YELLOW.bold();
pub const BOLD_CYAN: Style = CYAN.bold();
pub const BOLD_BLUE: Style = AnsiColor::Blue.on_default().bold();
/// Changed words inside a removed or added diff line.
pub const EMPH_RED: Style = RED.bold().underline();
pub const EMPH_GREEN: Style = GREEN.bold().underline();

/// `text` in `style` when `on`, else as it is.
pub fn paint(on: bool, style: Style, text: &str) -> String {
    if on {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paints_only_when_on() {
        assert_eq!(paint(false, BOLD_RED, "x"), "x");
        assert_eq!(paint(true, BOLD_RED, "x"), "\x1b[1m\x1b[31mx\x1b[0m");
        assert_eq!(paint(true, GREEN, "ok"), "\x1b[32mok\x1b[0m");
    }
}
