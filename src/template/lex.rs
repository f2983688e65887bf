//! Lexer: turns template text into items, like Go's `text/template/parse/lex.go`.
//!
//! Items are produced up front into a vector. Lexing stops at the first error,
//! which becomes an `Error` item; the parser reports it when it reaches it, so
//! errors keep Go's order (an earlier parse error wins over a later lex error).

use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemType {
    Error,
    Bool,
    Char,
    CharConstant,
    Comment,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Range,
    Nil,
    Template,
    With,
}

impl ItemType {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            ItemType::Block
                | ItemType::Break
                | ItemType::Continue
                | ItemType::Dot
                | ItemType::Define
                | ItemType::Else
                | ItemType::End
                | ItemType::If
                | ItemType::Range
                | ItemType::Nil
                | ItemType::Template
                | ItemType::With
        )
    }
}

#[derive(Clone, Debug)]
pub struct Item<'a> {
    pub typ: ItemType,
    /// Byte offset of the item in the input.
    pub pos: usize,
    /// The item's text, borrowed from the input (owned only for an error
    /// message), so neither lexing nor the parser's lookahead allocates.
    pub val: Cow<'a, str>,
    /// 1-based line of the item's start.
    pub line: usize,
}

impl std::fmt::Display for Item<'_> {
    /// Go's `item.String()`, used in "unexpected X in Y" messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.typ {
            ItemType::Eof => write!(f, "EOF"),
            ItemType::Error => write!(f, "{}", self.val),
            t if t.is_keyword() => write!(f, "<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let head: String = self.val.chars().take(10).collect();
                    write!(f, "{}...", crate::go::fmt::go_quote(&head))
                } else {
                    write!(f, "{}", crate::go::fmt::go_quote(&self.val))
                }
            }
        }
    }
}

const LEFT_DELIM: &str = "{{";
const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
const TRIM_MARKER_LEN: usize = 2;

/// `hay.find(pat)` for a short ASCII `pat`: a byte search (memchr) for its
/// first character, then a compare. `str::find` with a string pattern sets
/// up a two-way searcher per call, which costs more than the search itself
/// for the many short texts between actions.
fn find(hay: &str, pat: &str) -> Option<usize> {
    let first = pat.chars().next()?;
    let mut from = 0;
    while let Some(i) = hay[from..].find(first) {
        let at = from + i;
        if hay[at..].starts_with(pat) {
            return Some(at);
        }
        from = at + first.len_utf8();
    }
    None
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Go's `isAlphaNumeric`: `_`, `unicode.IsLetter` or `unicode.IsDigit`.
fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphabetic() || is_nd(c)
}

/// Non-ASCII decimal digits (Unicode Nd) of the common scripts; Rust has no
/// category API and `char::is_numeric` also accepts Nl/No (Roman numerals,
/// fractions) that Go rejects.
fn is_nd(c: char) -> bool {
    let u = c as u32;
    // Common Nd blocks; enough for identifiers in templates.
    const RANGES: &[(u32, u32)] = &[
        (0x0660, 0x0669),
        (0x06F0, 0x06F9),
        (0x07C0, 0x07C9),
        (0x0966, 0x096F),
        (0x09E6, 0x09EF),
        (0x0A66, 0x0A6F),
        (0x0AE6, 0x0AEF),
        (0x0B66, 0x0B6F),
        (0x0BE6, 0x0BEF),
        (0x0C66, 0x0C6F),
        (0x0CE6, 0x0CEF),
        (0x0D66, 0x0D6F),
        (0x0E50, 0x0E59),
        (0x0ED0, 0x0ED9),
        (0x0F20, 0x0F29),
        (0x1040, 0x1049),
        (0x17E0, 0x17E9),
        (0x1810, 0x1819),
        (0xFF10, 0xFF19),
    ];
    RANGES.iter().any(|&(a, b)| u >= a && u <= b)
}

fn has_left_trim_marker(s: &[u8]) -> bool {
    s.len() >= 2 && s[0] == b'-' && is_space(s[1])
}

fn has_right_trim_marker(s: &[u8]) -> bool {
    s.len() >= 2 && is_space(s[0]) && s[1] == b'-'
}

fn right_trim_length(s: &[u8]) -> usize {
    s.len() - s.iter().rposition(|&c| !is_space(c)).map_or(0, |i| i + 1)
}

fn left_trim_length(s: &[u8]) -> usize {
    s.iter().position(|&c| !is_space(c)).unwrap_or(s.len())
}

struct Lexer<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
    start: usize,
    paren_depth: i32,
    items: Vec<Item<'a>>,
    /// Line counting resumes from the last position asked about: items
    /// come in order, so the input is scanned for newlines once.
    line_pos: usize,
    line_no: usize,
}

enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Quote,
    RawQuote,
    Variable,
    Field,
    Char,
    Number,
    Identifier,
    Done,
}

/// Lex the whole input. The last item is always `Eof` or `Error`.
pub fn lex(input: &str) -> Vec<Item<'_>> {
    let mut l = Lexer {
        input,
        bytes: input.as_bytes(),
        pos: 0,
        start: 0,
        paren_depth: 0,
        // Chart templates have one item per 5 to 9 bytes: reserve that up
        // front rather than grow (and copy) the vector; unused capacity
        // costs nothing.
        items: Vec::with_capacity(input.len() / 4 + 16),
        line_pos: 0,
        line_no: 1,
    };
    let mut state = State::Text;
    loop {
        state = match state {
            State::Text => l.lex_text(),
            State::LeftDelim => l.lex_left_delim(),
            State::Comment => l.lex_comment(),
            State::RightDelim => l.lex_right_delim(),
            State::InsideAction => l.lex_inside_action(),
            State::Space => l.lex_space(),
            State::Quote => l.lex_quote(),
            State::RawQuote => l.lex_raw_quote(),
            State::Variable => l.lex_field_or_variable(ItemType::Variable),
            State::Field => l.lex_field_or_variable(ItemType::Field),
            State::Char => l.lex_char(),
            State::Number => l.lex_number(),
            State::Identifier => l.lex_identifier(),
            State::Done => break,
        };
    }
    l.items
}

/// 1-based line of byte offset `pos`.
pub fn line_of(line_starts: &[usize], pos: usize) -> usize {
    match line_starts.binary_search(&pos) {
        Ok(i) => i + 1,
        Err(i) => i,
    }
}

impl<'a> Lexer<'a> {
    fn line(&mut self, pos: usize) -> usize {
        let count = |b: &[u8]| b.iter().filter(|&&c| c == b'\n').count();
        if pos >= self.line_pos {
            self.line_no += count(&self.bytes[self.line_pos..pos]);
        } else {
            self.line_no -= count(&self.bytes[pos..self.line_pos]);
        }
        self.line_pos = pos;
        self.line_no
    }

    fn emit_range(&mut self, typ: ItemType, start: usize, end: usize) {
        let line = self.line(start);
        self.items.push(Item {
            typ,
            pos: start,
            val: Cow::Borrowed(self.input.get(start..end).unwrap_or_default()),
            line,
        });
    }

    fn emit(&mut self, typ: ItemType) -> State {
        self.emit_range(typ, self.start, self.pos);
        self.start = self.pos;
        State::InsideAction
    }

    fn error(&mut self, msg: String) -> State {
        let line = self.line(self.start);
        self.items.push(Item {
            typ: ItemType::Error,
            pos: self.start,
            val: Cow::Owned(msg),
            line,
        });
        State::Done
    }

    fn peek_char(&self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn accept(&mut self, valid: &str) -> bool {
        if let Some(c) = self.peek_char()
            && valid.contains(c)
        {
            self.pos += c.len_utf8();
            return true;
        }
        false
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.bytes[self.pos..];
        if has_right_trim_marker(rest)
            && rest[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM.as_bytes())
        {
            return (true, true);
        }
        (rest.starts_with(RIGHT_DELIM.as_bytes()), false)
    }

    fn lex_text(&mut self) -> State {
        let rest = &self.input[self.pos..];
        if let Some(x) = find(rest, LEFT_DELIM) {
            if x > 0 {
                self.pos += x;
                let delim_end = self.pos + LEFT_DELIM.len();
                let trim = if has_left_trim_marker(&self.bytes[delim_end..]) {
                    right_trim_length(&self.bytes[self.start..self.pos])
                } else {
                    0
                };
                let end = self.pos - trim;
                if end > self.start {
                    self.emit_range(ItemType::Text, self.start, end);
                }
                self.start = self.pos;
            }
            return State::LeftDelim;
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.emit_range(ItemType::Text, self.start, self.pos);
            self.start = self.pos;
        }
        let line = self.line(self.pos);
        self.items.push(Item {
            typ: ItemType::Eof,
            pos: self.pos,
            val: Cow::Borrowed(""),
            line,
        });
        State::Done
    }

    fn lex_left_delim(&mut self) -> State {
        self.pos += LEFT_DELIM.len();
        let trim = has_left_trim_marker(&self.bytes[self.pos..]);
        let after_marker = if trim { TRIM_MARKER_LEN } else { 0 };
        if self.bytes[self.pos + after_marker..].starts_with(LEFT_COMMENT.as_bytes()) {
            self.pos += after_marker;
            self.start = self.pos;
            return State::Comment;
        }
        self.emit_range(ItemType::LeftDelim, self.start, self.pos);
        self.pos += after_marker;
        self.start = self.pos;
        self.paren_depth = 0;
        State::InsideAction
    }

    fn lex_comment(&mut self) -> State {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = find(&self.input[self.pos..], RIGHT_COMMENT) else {
            return self.error("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += RIGHT_DELIM.len();
        if trim {
            self.pos += left_trim_length(&self.bytes[self.pos..]);
        }
        self.start = self.pos;
        State::Text
    }

    fn lex_right_delim(&mut self) -> State {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += TRIM_MARKER_LEN;
            self.start = self.pos;
        }
        self.pos += RIGHT_DELIM.len();
        self.emit_range(ItemType::RightDelim, self.start, self.pos);
        if trim {
            self.pos += left_trim_length(&self.bytes[self.pos..]);
        }
        self.start = self.pos;
        State::Text
    }

    fn lex_inside_action(&mut self) -> State {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return State::RightDelim;
            }
            return self.error("unclosed left paren".into());
        }
        let Some(r) = self.next_char() else {
            return self.error("unclosed action".into());
        };
        match r {
            ' ' | '\t' | '\r' | '\n' => {
                self.pos -= 1;
                State::Space
            }
            '=' => self.emit(ItemType::Assign),
            ':' => {
                if self.next_char() != Some('=') {
                    return self.error("expected :=".into());
                }
                self.emit(ItemType::Declare)
            }
            '|' => self.emit(ItemType::Pipe),
            '"' => State::Quote,
            '`' => State::RawQuote,
            '$' => State::Variable,
            '\'' => State::Char,
            '.' => {
                if let Some(&c) = self.bytes.get(self.pos)
                    && !c.is_ascii_digit()
                {
                    return State::Field;
                }
                self.pos -= 1;
                State::Number
            }
            '+' | '-' | '0'..='9' => {
                self.pos -= 1;
                State::Number
            }
            c if is_alnum(c) => {
                self.pos -= c.len_utf8();
                State::Identifier
            }
            '(' => {
                self.paren_depth += 1;
                self.emit(ItemType::LeftParen)
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.error("unexpected right paren".into());
                }
                self.emit(ItemType::RightParen)
            }
            c if c.is_ascii() && !c.is_ascii_control() => self.emit(ItemType::Char),
            c => self.error(format!(
                "unrecognized character in action: {}",
                go_unicode(c)
            )),
        }
    }

    fn lex_space(&mut self) -> State {
        let mut num = 0;
        while self.pos < self.bytes.len() && is_space(self.bytes[self.pos]) {
            self.pos += 1;
            num += 1;
        }
        let back = &self.bytes[self.pos - 1..];
        if has_right_trim_marker(back)
            && back[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM.as_bytes())
        {
            self.pos -= 1;
            if num == 1 {
                return State::RightDelim;
            }
        }
        self.emit(ItemType::Space)
    }

    fn lex_quote(&mut self) -> State {
        loop {
            match self.next_char() {
                Some('\\') => match self.next_char() {
                    Some('\n') | None => return self.error("unterminated quoted string".into()),
                    Some(_) => {}
                },
                Some('\n') | None => return self.error("unterminated quoted string".into()),
                Some('"') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemType::String)
    }

    fn lex_raw_quote(&mut self) -> State {
        loop {
            match self.next_char() {
                None => return self.error("unterminated raw quoted string".into()),
                Some('`') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemType::RawString)
    }

    fn lex_char(&mut self) -> State {
        loop {
            match self.next_char() {
                Some('\\') => match self.next_char() {
                    Some('\n') | None => {
                        return self.error("unterminated character constant".into());
                    }
                    Some(_) => {}
                },
                Some('\n') | None => return self.error("unterminated character constant".into()),
                Some('\'') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemType::CharConstant)
    }

    fn at_terminator(&self) -> bool {
        match self.peek_char() {
            None => true,
            Some(c) if c.is_ascii() && is_space(c as u8) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => self.input[self.pos..].starts_with(RIGHT_DELIM),
        }
    }

    fn lex_field_or_variable(&mut self, typ: ItemType) -> State {
        if self.at_terminator() {
            return if typ == ItemType::Variable {
                self.emit(ItemType::Variable)
            } else {
                self.emit(ItemType::Dot)
            };
        }
        let last;
        loop {
            match self.peek_char() {
                Some(c) if is_alnum(c) => {
                    self.pos += c.len_utf8();
                }
                other => {
                    last = other;
                    break;
                }
            }
        }
        if !self.at_terminator() {
            return self.error(format!("bad character {}", go_unicode_opt(last)));
        }
        self.emit(typ)
    }

    fn lex_identifier(&mut self) -> State {
        loop {
            match self.peek_char() {
                Some(c) if is_alnum(c) => self.pos += c.len_utf8(),
                other => {
                    if !self.at_terminator() {
                        return self.error(format!("bad character {}", go_unicode_opt(other)));
                    }
                    let word = &self.input[self.start..self.pos];
                    let typ = match word {
                        "block" => ItemType::Block,
                        "break" => ItemType::Break,
                        "continue" => ItemType::Continue,
                        "define" => ItemType::Define,
                        "else" => ItemType::Else,
                        "end" => ItemType::End,
                        "if" => ItemType::If,
                        "range" => ItemType::Range,
                        "nil" => ItemType::Nil,
                        "template" => ItemType::Template,
                        "with" => ItemType::With,
                        "true" | "false" => ItemType::Bool,
                        _ => ItemType::Identifier,
                    };
                    return self.emit(typ);
                }
            }
        }
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if let Some(c) = self.peek_char()
            && is_alnum(c)
        {
            self.pos += c.len_utf8();
            return false;
        }
        true
    }

    fn lex_number(&mut self) -> State {
        if !self.scan_number() {
            let text = self.input[self.start..self.pos].to_string();
            return self.error(format!(
                "bad number syntax: {}",
                crate::go::fmt::go_quote(&text)
            ));
        }
        if let Some('+' | '-') = self.peek_char() {
            if !self.scan_number() || self.bytes[self.pos - 1] != b'i' {
                let text = self.input[self.start..self.pos].to_string();
                return self.error(format!(
                    "bad number syntax: {}",
                    crate::go::fmt::go_quote(&text)
                ));
            }
            return self.emit(ItemType::Complex);
        }
        self.emit(ItemType::Number)
    }
}

/// Go's `%#U`: `U+0041 'A'`.
pub fn go_unicode(c: char) -> String {
    if crate::go::fmt::is_go_printable(c) {
        format!("U+{:04X} '{}'", c as u32, c)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

fn go_unicode_opt(c: Option<char>) -> String {
    match c {
        Some(c) => go_unicode(c),
        // Go's eof rune is -1.
        None => "U+FFFFFFFFFFFFFFFF".into(),
    }
}
