//! The parts of Go's `unicode` package that Sprig's string functions can
//! observe: the category predicates (`unicode.IsUpper`, `IsLetter`, ...)
//! and the simple one-rune case mappings (`unicode.ToUpper`, ...), as Helm's Go
//! (Unicode 15) has them.

use unicode_general_category::{GeneralCategory as Gc, get_general_category};

/// Cased letters that Unicode 16 added. Helm's Go knows Unicode 15, so for
/// it they are unassigned and map to nothing; Rust and our category table
/// already know them.
pub(super) fn newer_than_go(c: char) -> bool {
    matches!(c,
        '\u{A7CB}' | '\u{A7CC}' | '\u{A7CD}' | '\u{A7D2}' | '\u{A7D4}'
        | '\u{A7DA}'..='\u{A7DC}' | '\u{1C89}' | '\u{1C8A}'
        | '\u{10D50}'..='\u{10D65}' | '\u{10D70}'..='\u{10D85}')
}

pub(super) fn category(c: char) -> Gc {
    if newer_than_go(c) {
        return Gc::Unassigned;
    }
    get_general_category(c)
}

pub(super) fn go_is_upper(c: char) -> bool {
    category(c) == Gc::UppercaseLetter
}

pub(super) fn go_is_lower(c: char) -> bool {
    category(c) == Gc::LowercaseLetter
}

pub(super) fn go_is_title(c: char) -> bool {
    category(c) == Gc::TitlecaseLetter
}

pub(super) fn go_is_letter(c: char) -> bool {
    matches!(
        category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
    )
}

pub(super) fn go_is_digit(c: char) -> bool {
    category(c) == Gc::DecimalNumber
}

pub(super) fn go_is_number(c: char) -> bool {
    matches!(
        category(c),
        Gc::DecimalNumber | Gc::LetterNumber | Gc::OtherNumber
    )
}

pub(super) fn go_is_punct(c: char) -> bool {
    matches!(
        category(c),
        Gc::ConnectorPunctuation
            | Gc::DashPunctuation
            | Gc::OpenPunctuation
            | Gc::ClosePunctuation
            | Gc::InitialPunctuation
            | Gc::FinalPunctuation
            | Gc::OtherPunctuation
    )
}

/// `unicode.IsSpace`: the White_Space property, which Rust also uses.
pub(super) fn go_is_space(c: char) -> bool {
    c.is_whitespace()
}

/// The single char a case mapping gives, if it gives exactly one and Go
/// knows both ends of the mapping.
pub(super) fn single(c: char, mut it: impl Iterator<Item = char>) -> Option<char> {
    let m = it.next()?;
    (it.next().is_none() && !newer_than_go(c) && !newer_than_go(m)).then_some(m)
}

/// `unicode.ToUpper`: the simple mapping. Rust gives the full mapping; the
/// two differ only where the full one has several chars (`ß` -> `SS`), and
/// of those only the Greek letters with ypogegrammeni have a simple one.
pub(super) fn go_to_upper(c: char) -> char {
    if let Some(u) = single(c, c.to_uppercase()) {
        return u;
    }
    match c {
        '\u{1F80}'..='\u{1F87}' | '\u{1F90}'..='\u{1F97}' | '\u{1FA0}'..='\u{1FA7}' => {
            char::from_u32(c as u32 + 8).unwrap_or(c)
        }
        '\u{1FB3}' => '\u{1FBC}',
        '\u{1FC3}' => '\u{1FCC}',
        '\u{1FF3}' => '\u{1FFC}',
        _ => c,
    }
}

/// `unicode.ToLower`: only `İ` has a multi-char full lowercase.
pub(super) fn go_to_lower(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    single(c, c.to_lowercase()).unwrap_or(c)
}

/// `unicode.ToTitle`: the upper mapping except for the digraphs with a
/// titlecase form and Georgian, whose letters are their own titlecase.
pub(super) fn go_to_title(c: char) -> char {
    match c {
        '\u{1C4}'..='\u{1C6}' => '\u{1C5}',
        '\u{1C7}'..='\u{1C9}' => '\u{1C8}',
        '\u{1CA}'..='\u{1CC}' => '\u{1CB}',
        '\u{1F1}'..='\u{1F3}' => '\u{1F2}',
        '\u{10D0}'..='\u{10FA}' | '\u{10FD}'..='\u{10FF}' => c,
        _ => go_to_upper(c),
    }
}

/// Go's `unicode.IsSpace` applied to a byte taken as a Latin-1 rune, as the
/// byte-walking goutils functions do (so 0x85 and 0xA0 count as spaces).
pub(super) fn latin1_is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0x85 | 0xA0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_mappings_follow_go() {
        assert_eq!(go_to_upper('ß'), 'ß');
        assert_eq!(go_to_upper('ᾳ'), 'ᾼ');
        assert_eq!(go_to_lower('İ'), 'i');
        assert_eq!(go_to_title('ǆ'), 'ǅ');
        assert_eq!(go_to_title('ა'), 'ა');
    }
}
