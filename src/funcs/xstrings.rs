//! huandu/xstrings v1.5 (`convert.go`): `ToSnakeCase`, `ToKebabCase` and
//! `ToPascalCase`, which Sprig calls `snakecase`, `kebabcase` and
//! `camelcase`. Word splitting follows xstrings rune by rune, with Go's
//! unicode predicates (`super::unicode`).

use super::unicode::{
    go_is_letter, go_is_number, go_is_punct, go_is_space, go_is_upper, go_to_lower, go_to_upper,
};

const RUNE_ERROR: char = '\u{FFFD}';

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || go_is_space(c)
}

/// xstrings' `isAlphabet`: a letter that is not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !go_is_letter(c) {
        return false;
    }
    !matches!(c,
        '\u{4E00}'..='\u{9FCC}' | '\u{3400}'..='\u{4D85}' | '\u{20000}'..='\u{2B81D}')
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alpha,
    Connector,
    Punct,
    Other,
}

/// xstrings' `nextValidRune`: the next rune that is not U+FFFD (Go's
/// RuneError) and the bytes consumed to reach it; `prev` if there is none.
fn next_valid_rune(s: &str, prev: char) -> (char, usize) {
    let mut size = 0;
    for c in s.chars() {
        size += c.len_utf8();
        if c != RUNE_ERROR {
            return (c, size);
        }
    }
    (prev, size)
}

/// Consume runes while `pred` holds, as xstrings' word loops do. Returns the
/// last rune looked at and its size.
fn take_while(
    rem: &mut &str,
    offset: &mut usize,
    mut r: char,
    pred: impl Fn(char) -> bool,
) -> (char, usize) {
    let mut size = 0;
    while !rem.is_empty() {
        (r, size) = next_valid_rune(rem, r);
        if !pred(r) {
            break;
        }
        *offset += size;
        *rem = rem.get(size..).unwrap_or_default();
    }
    (r, size)
}

/// xstrings' `nextWord`: split off the next word and classify it.
fn next_word(s: &str) -> (Word, &str, &str) {
    if s.is_empty() {
        return (Word::Invalid, "", "");
    }
    let (r, size) = next_valid_rune(s, RUNE_ERROR);
    let mut offset = size;
    if r == RUNE_ERROR {
        return (Word::Invalid, s, "");
    }
    let mut rem = s.get(size..).unwrap_or_default();
    let wt = if is_connector(r) {
        take_while(&mut rem, &mut offset, r, is_connector);
        Word::Connector
    } else if go_is_punct(r) {
        take_while(&mut rem, &mut offset, r, go_is_punct);
        Word::Punct
    } else if go_is_upper(r) {
        upper_word(s, &mut rem, &mut offset, r);
        Word::Upper
    } else if is_alphabet(r) {
        take_while(&mut rem, &mut offset, r, |c| {
            is_alphabet(c) && !go_is_upper(c)
        });
        Word::Alpha
    } else if go_is_number(r) {
        take_while(&mut rem, &mut offset, r, go_is_number);
        Word::Number
    } else {
        take_while(&mut rem, &mut offset, r, |c| {
            !(is_connector(c) || is_alphabet(c) || go_is_number(c) || go_is_punct(c))
        });
        Word::Other
    };
    (wt, s.get(..offset).unwrap_or(s), rem)
}

/// The rest of a word starting with an upper-case letter: either a run of
/// capitals (leaving the last one to the next word when a lower-case letter
/// follows, so `HTTPServer` is `HTTP` + `Server`) or a capitalised word.
fn upper_word<'a>(s: &'a str, rem: &mut &'a str, offset: &mut usize, r: char) {
    if rem.is_empty() {
        return;
    }
    let (r, size) = next_valid_rune(rem, r);
    if go_is_upper(r) {
        *offset += size;
        *rem = rem.get(size..).unwrap_or_default();
        let mut prev_size = size;
        let mut r = r;
        while !rem.is_empty() {
            let (nr, sz) = next_valid_rune(rem, r);
            r = nr;
            if !go_is_upper(r) {
                break;
            }
            prev_size = sz;
            *offset += sz;
            *rem = rem.get(sz..).unwrap_or_default();
        }
        if !rem.is_empty() && is_alphabet(r) {
            *offset -= prev_size;
            *rem = s.get(*offset..).unwrap_or_default();
        }
    } else if is_alphabet(r) {
        *offset += size;
        *rem = rem.get(size..).unwrap_or_default();
        take_while(rem, offset, r, |c| is_alphabet(c) && !go_is_upper(c));
    }
}

/// xstrings' `toLower` for one word: upper-case words are lowered and
/// connector runs become the connector; other words are copied.
fn push_lower(out: &mut String, wt: Word, word: &str, conn: char) {
    if wt != Word::Upper && wt != Word::Connector {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        out.push(if is_connector(c) {
            conn
        } else if go_is_upper(c) {
            go_to_lower(c)
        } else {
            c
        });
    }
}

/// xstrings' `camelCaseToLowerCase` (`ToSnakeCase`, `ToKebabCase`).
pub(super) fn to_lower_words(s: &str, conn: char) -> String {
    let mut out = String::new();
    if s.is_empty() {
        return out;
    }
    let (mut wt, mut word, mut rem) = next_word(s);
    while !rem.is_empty() {
        if wt != Word::Connector {
            push_lower(&mut out, wt, word, conn);
        }
        let (prev, last) = (wt, word);
        (wt, word, rem) = next_word(rem);
        match prev {
            Word::Number => {
                while wt == Word::Alpha || wt == Word::Number {
                    push_lower(&mut out, wt, word, conn);
                    (wt, word, rem) = next_word(rem);
                }
                if !matches!(wt, Word::Invalid | Word::Punct | Word::Connector) {
                    out.push(conn);
                }
            }
            Word::Connector => push_lower(&mut out, prev, last, conn),
            Word::Punct => {}
            _ => (wt, word, rem) = after_word(&mut out, conn, (wt, word, rem)),
        }
    }
    push_lower(&mut out, wt, word, conn);
    out
}

/// The default branch of `camelCaseToLowerCase`: what follows a letter word.
/// A number is glued to the word before it unless letters follow the number
/// (`Bld4Floor` -> `bld4_floor`, `HTTP2xx` -> `http_2xx`).
fn after_word<'a>(
    out: &mut String,
    conn: char,
    cur: (Word, &'a str, &'a str),
) -> (Word, &'a str, &'a str) {
    let (wt, word, rem) = cur;
    if wt != Word::Number {
        if wt != Word::Connector && wt != Word::Punct {
            out.push(conn);
        }
        return cur;
    }
    if rem.is_empty() {
        return cur;
    }
    let last = word;
    let (mut wt, mut word, mut rem) = next_word(rem);
    if wt != Word::Alpha {
        push_lower(out, Word::Number, last, conn);
        if wt != Word::Connector && wt != Word::Punct {
            out.push(conn);
        }
        return (wt, word, rem);
    }
    out.push(conn);
    push_lower(out, Word::Number, last, conn);
    while wt == Word::Alpha || wt == Word::Number {
        push_lower(out, wt, word, conn);
        (wt, word, rem) = next_word(rem);
    }
    if !matches!(wt, Word::Invalid | Word::Connector | Word::Punct) {
        out.push(conn);
    }
    (wt, word, rem)
}

/// xstrings' `ToPascalCase` (Sprig's `camelcase`): drop single connectors and
/// capitalise what follows them; an all-capitals word keeps only its first
/// capital. Quirk kept: a string of only connectors gains one more.
pub(super) fn to_pascal_case(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    let mut first_upper = false;
    let mut r0 = '\0';
    for c in chars.by_ref() {
        r0 = c;
        if !is_connector(c) {
            first_upper = go_is_upper(c);
            r0 = go_to_upper(c);
            break;
        }
        out.push(c);
    }
    if chars.as_str().is_empty() {
        if !s.is_empty() {
            out.push(r0);
        }
        return out;
    }
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = go_is_upper(r0);
            r0 = go_to_upper(r0);
        } else {
            if first_upper {
                if go_is_upper(r0) {
                    r0 = go_to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xstrings_words() {
        assert_eq!(to_lower_words("HTTPServer", '_'), "http_server");
        assert_eq!(to_lower_words("Bld4Floor3rd", '_'), "bld4_floor_3rd");
        assert_eq!(to_pascal_case("GOLANG_IS_GREAT"), "GolangIsGreat");
        assert_eq!(to_pascal_case("__"), "___");
    }
}
