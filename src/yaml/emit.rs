//! YAML output exactly as Helm prints it.
//!
//! * `toYaml` is `sigs.k8s.io/yaml.Marshal`: the value goes through Go's
//!   `json.Marshal`, the JSON is read back by go-yaml v2 (so `1e6` becomes
//!   the integer `1000000`), and go-yaml v2 prints it.
//! * `toYamlPretty` is a yaml.v3 `Encoder` with indent 2 on the raw value
//!   (floats print with `%g`: `1e+06`; sequences are indented under keys).
//!
//! The printer is a port of the parts of libyaml's emitter (as carried by
//! go-yaml) that these encoders reach: block mappings and sequences, empty
//! flow collections and the five scalar styles with their line folding.
//! Column/indent bookkeeping follows the C code closely because the exact
//! output (folding points, `|2-` hints, quoting) depends on it.

use super::json::{base64_encode, go_format_float, json_float};
use super::resolve::{Resolved, is_base60_float, resolve_plain};
use crate::value::{ElemTy, Value};

/// Which Go encoder to imitate.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flavor {
    /// go-yaml v2 via sigs.k8s.io/yaml (Helm `toYaml`).
    V2Json,
    /// yaml.v3 Encoder, indent 2 (Helm `toYamlPretty`).
    V3,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// An event tree: what the Go encoder hands to the emitter.
enum Node {
    Scalar(String, Style),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// Helm's `toYaml`: sigs.k8s.io/yaml Marshal with the final newline removed.
pub fn to_yaml(v: &Value) -> Result<String, String> {
    let node = build(v, Flavor::V2Json, 0)?;
    let out = emit_document(&node, Flavor::V2Json);
    Ok(out.strip_suffix('\n').map(str::to_owned).unwrap_or(out))
}

/// Helm's `toYamlPretty`: yaml.v3 Encoder (indent 2), final newline removed.
pub fn to_yaml_pretty(v: &Value) -> Result<String, String> {
    let node = build(v, Flavor::V3, 0)?;
    let out = emit_document(&node, Flavor::V3);
    Ok(out.strip_suffix('\n').map(str::to_owned).unwrap_or(out))
}

/// The style go-yaml's `stringv` picks for a string before the emitter's
/// own checks: strings that would read back as something else are quoted.
fn string_node(s: &str) -> Node {
    let can_plain = matches!(resolve_plain(s), Resolved::Str) && !is_base60_float(s);
    let style = if s.contains('\n') {
        Style::Literal
    } else if can_plain {
        Style::Plain
    } else {
        Style::Double
    };
    Node::Scalar(s.to_owned(), style)
}

/// What a string looks like after Go's JSON encoding is read back by
/// go-yaml v2 (the `toYaml` round trip). Go writes NEL raw, and libyaml
/// reads a raw NEL inside a double-quoted scalar as a line break and folds
/// it (with the spaces before it) into a space; characters outside
/// libyaml's input set make the whole read fail.
fn json_roundtrip_string(s: &str) -> Result<String, String> {
    let reader_ok = |c: char| {
        (c as u32) < 0x20
            || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
            || (' '..='~').contains(&c)
            || ('\u{A0}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    if !s.chars().all(reader_ok) {
        return Err("yaml: control characters are not allowed".into());
    }
    if !s.contains('\u{85}') {
        return Ok(s.to_owned());
    }
    // libyaml's double-quoted scanner: raw blanks are only spaces (Go
    // escapes tabs) and raw breaks only NEL (read as '\n').
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i] != ' ' && chars[i] != '\u{85}' {
            out.push(chars[i]);
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let (mut whitespaces, mut leading_blanks, mut trailing_breaks) =
            (String::new(), false, 0usize);
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{85}') {
            if chars[i] == ' ' {
                if !leading_blanks {
                    whitespaces.push(' ');
                }
            } else if !leading_blanks {
                whitespaces.clear();
                leading_blanks = true;
            } else {
                trailing_breaks += 1;
            }
            i += 1;
        }
        if leading_blanks {
            if trailing_breaks == 0 {
                out.push(' ');
            } else {
                out.extend(std::iter::repeat_n('\n', trailing_breaks));
            }
        } else {
            out.push_str(&whitespaces);
        }
    }
    Ok(out)
}

fn plain(s: String) -> Node {
    Node::Scalar(s, Style::Plain)
}

fn yaml_float(f: f64) -> String {
    match go_format_float(f, b'g', 64).as_str() {
        "+Inf" => ".inf".into(),
        "-Inf" => "-.inf".into(),
        "NaN" => ".nan".into(),
        s => s.into(),
    }
}

fn build(v: &Value, flavor: Flavor, depth: usize) -> Result<Node, String> {
    if depth > super::MAX_DEPTH {
        return Err("yaml: exceeded max depth".into());
    }
    Ok(match v {
        Value::Nil => plain("null".into()),
        Value::Bool(b) => plain(b.to_string()),
        Value::Int(i, _) => plain(i.to_string()),
        Value::Float(f) => match flavor {
            // The JSON text of the number is re-read by go-yaml v2, so an
            // integral float comes back as an int (or uint64) and prints
            // without exponent; anything else prints with %g.
            Flavor::V2Json => {
                let text =
                    json_float(*f).map_err(|e| format!("error marshaling into JSON: {e}"))?;
                match resolve_plain(&text) {
                    Resolved::Int(i) => plain(i.to_string()),
                    Resolved::Uint(u) => plain(u.to_string()),
                    Resolved::Float(g) => plain(yaml_float(g)),
                    _ => plain(text),
                }
            }
            Flavor::V3 => plain(yaml_float(*f)),
        },
        Value::Complex(..) => {
            return Err(match flavor {
                Flavor::V2Json => {
                    "error marshaling into JSON: json: unsupported type: complex128".into()
                }
                Flavor::V3 => "cannot marshal type: complex128".into(),
            });
        }
        Value::String(s) if flavor == Flavor::V2Json => string_node(&json_roundtrip_string(s)?),
        Value::String(s) => string_node(s),
        Value::List(l, ElemTy::Byte) if flavor == Flavor::V2Json => {
            string_node(&base64_encode(&Value::byte_list(l)))
        }
        Value::List(l, _) => Node::Seq(
            l.iter()
                .map(|x| build(x, flavor, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m, _) => {
            let m = m.borrow();
            let mut keys: Vec<&String> = m.keys().collect();
            sort_keys(&mut keys);
            let mut entries = Vec::with_capacity(keys.len());
            for k in keys {
                let val = m.get(k).map(|x| build(x, flavor, depth + 1)).transpose()?;
                let key = if flavor == Flavor::V2Json {
                    json_roundtrip_string(k)?
                } else {
                    k.to_string()
                };
                entries.push((
                    string_node(&key),
                    val.unwrap_or_else(|| plain("null".into())),
                ));
            }
            Node::Map(entries)
        }
        Value::Object(o) => build_object(o.as_ref(), flavor, depth)?,
    })
}

/// Go types held as objects: a named slice type (`common.VersionSet`) as its
/// list of elements, anything else as its `%v` text. Kept out of `build`
/// so the recursive function's frame stays small.
#[inline(never)]
fn build_object(
    o: &dyn crate::value::Object,
    flavor: Flavor,
    depth: usize,
) -> Result<Node, String> {
    // sigs.k8s.io/yaml goes through JSON: a struct becomes a map of its
    // json fields.
    if let Some(f) = o.json_fields() {
        let m = f.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        return build(&Value::map(m), flavor, depth);
    }
    if let Some(e) = o.elements() {
        let list = Value::List(std::rc::Rc::new(e), ElemTy::String);
        return build(&list, flavor, depth);
    }
    Ok(if flavor == Flavor::V2Json {
        string_node(&json_roundtrip_string(&o.format())?)
    } else {
        string_node(&o.format())
    })
}

/// go-yaml's map key order (`keyList.Less`) for string keys: runs of digits
/// compare numerically, letters sort after non-letters unless they follow a
/// digit.
pub fn key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let is_digit = |c: char| c.is_ascii_digit();
    let mut digits = false;
    let n = ar.len().min(br.len());
    for i in 0..n {
        if ar[i] == br[i] {
            digits = is_digit(ar[i]);
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return if digits { al } else { bl };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai].to_digit(10).unwrap_or(0)));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi].to_digit(10).unwrap_or(0)));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Merge sort driven by `key_less`: total even if the order is not (Rust's
/// `sort_by` may panic on inconsistent comparators).
fn sort_keys(keys: &mut Vec<&String>) {
    if keys.len() < 2 {
        return;
    }
    let mut right = keys.split_off(keys.len() / 2);
    sort_keys(keys);
    sort_keys(&mut right);
    let left = std::mem::take(keys);
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if key_less(right[j], left[i]) {
            keys.push(right[j]);
            j += 1;
        } else {
            keys.push(left[i]);
            i += 1;
        }
    }
    keys.extend_from_slice(&left[i..]);
    keys.extend_from_slice(&right[j..]);
}

// ---- character classes (libyaml yaml_private.h, on chars) ------------------

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}
fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}
/// libyaml's is_printable works on UTF-8 bytes; this is its code point
/// equivalent. Note that everything outside the BMP counts as unprintable.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// `yaml_emitter_analyze_scalar`.
fn analyze(v: &[char], flavor: Flavor) -> Analysis {
    if v.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let (mut block_ind, mut flow_ind) = (false, false);
    if v.len() >= 3 && (v[..3] == ['-', '-', '-'] || v[..3] == ['.', '.', '.']) {
        block_ind = true;
        flow_ind = true;
    }
    let (mut line_breaks, mut special, mut tabs) = (false, false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut prev_space, mut prev_break) = (false, false);
    let mut preceded_by_ws = true;
    for i in 0..v.len() {
        let c = v[i];
        let followed_by_ws = i + 1 >= v.len() || is_blank(v[i + 1]);
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_ind = true;
                    block_ind = true;
                }
                '?' | ':' => {
                    flow_ind = true;
                    if followed_by_ws {
                        block_ind = true;
                    }
                }
                '-' if followed_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_ind = true,
                ':' => {
                    flow_ind = true;
                    if followed_by_ws {
                        block_ind = true;
                    }
                }
                '#' if preceded_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        }
        if c == '\t' && flavor == Flavor::V3 {
            tabs = true;
        } else if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == v.len() {
                trailing_space = true;
            }
            if prev_break {
                break_space = true;
            }
            prev_space = true;
            prev_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == v.len() {
                trailing_break = true;
            }
            if prev_space {
                space_break = true;
            }
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_by_ws = is_blank(c) || is_break(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || tabs || special {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_ind {
        a.flow_plain_allowed = false;
    }
    if block_ind {
        a.block_plain_allowed = false;
    }
    a
}

struct Emitter {
    out: String,
    column: usize,
    indent: i32,
    indents: Vec<i32>,
    whitespace: bool,
    indention: bool,
    flow_level: usize,
    best_indent: i32,
    best_width: usize,
    flavor: Flavor,
    mapping_context: bool,
    simple_key_context: bool,
}

fn emit_document(node: &Node, flavor: Flavor) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        indent: -1,
        indents: Vec::new(),
        whitespace: true,
        indention: true,
        flow_level: 0,
        best_indent: 2,
        // yaml.v3 encoders do not fold (width -1 means unlimited).
        best_width: if flavor == Flavor::V3 { usize::MAX } else { 80 },
        flavor,
        mapping_context: false,
        simple_key_context: false,
    };
    e.node(node, false, false);
    // DOCUMENT-END: finish the last line.
    e.write_indent();
    e.out
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    fn write(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
            self.indention = true;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
    }

    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.write(c);
        }
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { self.best_indent } else { 0 };
        } else if !indentless {
            self.indent += self.best_indent;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn node(&mut self, n: &Node, mapping: bool, simple_key: bool) {
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match n {
            Node::Scalar(s, style) => self.scalar(s, *style),
            Node::Seq(items) if items.is_empty() || self.flow_level > 0 => {
                self.write_indicator("[", true, true, false);
                // An empty flow collection: the indent push/pop is kept for
                // parity with libyaml although nothing is written inside.
                self.increase_indent(true, false);
                self.pop_indent();
                self.write_indicator("]", false, false, false);
            }
            Node::Map(entries) if entries.is_empty() || self.flow_level > 0 => {
                self.write_indicator("{", true, true, false);
                // An empty flow collection: the indent push/pop is kept for
                // parity with libyaml although nothing is written inside.
                self.increase_indent(true, false);
                self.pop_indent();
                self.write_indicator("}", false, false, false);
            }
            Node::Seq(items) => {
                // go-yaml v2 (like libyaml) does not indent a sequence that is
                // a mapping value; yaml.v3 does.
                let indentless =
                    self.flavor == Flavor::V2Json && self.mapping_context && !self.indention;
                self.increase_indent(false, indentless);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(item, false, false);
                }
                self.pop_indent();
            }
            Node::Map(entries) => {
                self.increase_indent(false, false);
                for (k, v) in entries {
                    self.write_indent();
                    if Self::simple_key(k) {
                        self.node(k, true, true);
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.node(k, true, false);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(v, true, false);
                }
                self.pop_indent();
            }
        }
    }

    /// `yaml_emitter_check_simple_key` for the nodes we produce.
    fn simple_key(k: &Node) -> bool {
        match k {
            Node::Scalar(s, _) => !s.chars().any(is_break) && s.len() <= 128,
            Node::Seq(items) => items.is_empty(),
            Node::Map(entries) => entries.is_empty(),
        }
    }

    fn scalar(&mut self, s: &str, requested: Style) {
        let v: Vec<char> = s.chars().collect();
        let a = analyze(&v, self.flavor);
        // yaml_emitter_select_scalar_style
        let mut style = requested;
        if self.simple_key_context && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if (self.flow_level > 0 && !a.flow_plain_allowed)
                || (self.flow_level == 0 && !a.block_plain_allowed)
            {
                style = Style::Single;
            }
            if v.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal
            && (!a.block_allowed || self.flow_level > 0 || self.simple_key_context)
        {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        match style {
            Style::Plain => self.write_plain(&v, allow_breaks),
            Style::Single => self.write_single(&v, allow_breaks),
            Style::Double => self.write_double(&v, allow_breaks),
            Style::Literal => self.write_literal(&v),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, v: &[char], allow_breaks: bool) {
        if !v.is_empty() && !self.whitespace {
            self.put(' ');
        }
        self.write_folded(v, allow_breaks, false);
        if !v.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn write_single(&mut self, v: &[char], allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        self.write_folded(v, allow_breaks, true);
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// The loop libyaml's plain and single-quoted writers share: a space
    /// past the best width may fold (in quotes, never the first or last
    /// character), a break is written doubled, and in quotes `'` is
    /// doubled.
    fn write_folded(&mut self, v: &[char], allow_breaks: bool, quoted: bool) {
        let (mut spaces, mut breaks) = (false, false);
        for (i, &c) in v.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && (!quoted || (i != 0 && i != v.len() - 1))
                    && v.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.write(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if quoted && c == '\'' {
                    self.put('\'');
                }
                self.write(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
    }

    fn write_double(&mut self, v: &[char], allow_breaks: bool) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut spaces = false;
        // go-yaml's is_bom() ignores its index and tests the start of the
        // value, so a leading BOM makes every character escaped.
        let bom = v.first() == Some(&'\u{FEFF}');
        self.write_indicator("\"", true, false, false);
        for (i, &c) in v.iter().enumerate() {
            if !is_printable(c) || bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let esc = match c {
                    '\0' => Some('0'),
                    '\u{7}' => Some('a'),
                    '\u{8}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{b}' => Some('v'),
                    '\u{c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                if let Some(e) = esc {
                    self.put(e);
                } else {
                    let u = c as u32;
                    let (letter, width) = if u <= 0xFF {
                        ('x', 2)
                    } else if u <= 0xFFFF {
                        ('u', 4)
                    } else {
                        ('U', 8)
                    };
                    self.put(letter);
                    for k in (0..width).rev() {
                        self.put(HEX[((u >> (k * 4)) & 0xF) as usize] as char);
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i != 0
                    && i != v.len() - 1
                {
                    self.write_indent();
                    if v.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.write(c);
                }
                spaces = true;
            } else {
                self.write(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_block_hints(&mut self, v: &[char]) {
        if v.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            let hint = char::from(b'0' + self.best_indent as u8);
            self.write_indicator(&hint.to_string(), false, false, false);
        }
        let chomp = match v {
            [] => Some('-'),
            [.., last] if !is_break(*last) => Some('-'),
            [_] => Some('+'),
            [.., prev, _] if is_break(*prev) => Some('+'),
            _ => None,
        };
        if let Some(c) = chomp {
            self.write_indicator(&c.to_string(), false, false, false);
        }
    }

    fn write_literal(&mut self, v: &[char]) {
        self.write_indicator("|", true, false, false);
        self.write_block_hints(v);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in v {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;

    fn m(pairs: &[(&str, Value)]) -> Value {
        let mut map = Map::new();
        for (k, v) in pairs {
            map.insert((*k).into(), v.clone());
        }
        Value::map(map)
    }

    #[test]
    fn natural_key_order() {
        let mut keys: Vec<String> = [
            "a10", "aB", "_x", "a2", "10", "B", "a", "9", "a_b", "1", "a-b",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut refs: Vec<&String> = keys.iter().collect();
        sort_keys(&mut refs);
        let got: Vec<&str> = refs.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            got,
            [
                "_x", "1", "9", "10", "B", "a", "a-b", "a_b", "a2", "a10", "aB"
            ]
        );
        keys.clear();
    }

    #[test]
    fn basic_shapes() {
        let v = m(&[
            (
                "l",
                Value::list(vec![Value::str("a"), Value::list(vec![Value::int(1)])]),
            ),
            ("e", Value::empty_map()),
            ("n", Value::Nil),
            ("f", Value::Float(1e6)),
            ("s", Value::str("yes")),
            ("t", Value::str("a\nb\n")),
        ]);
        assert_eq!(
            to_yaml(&v).unwrap(),
            "e: {}\nf: 1000000\nl:\n- a\n- - 1\n\"n\": null\ns: \"yes\"\nt: |\n  a\n  b"
        );
        assert_eq!(
            to_yaml_pretty(&v).unwrap(),
            "e: {}\nf: 1e+06\nl:\n  - a\n  - - 1\n\"n\": null\ns: \"yes\"\nt: |\n  a\n  b"
        );
    }

    #[test]
    fn quoting() {
        let y = |s: &str| to_yaml(&Value::str(s)).unwrap();
        assert_eq!(y("a: b"), "'a: b'");
        assert_eq!(y("*x"), "'*x'");
        assert_eq!(y("1:20"), "\"1:20\"");
        assert_eq!(y(""), "\"\"");
        assert_eq!(y("2024-01-01"), "\"2024-01-01\"");
        assert_eq!(y("x😀"), "\"x\\U0001F600\"");
        assert_eq!(y("it's"), "it's");
    }

    #[test]
    fn deep_values_do_not_overflow() {
        let mut v = Value::str("x");
        for _ in 0..(crate::yaml::MAX_DEPTH - 5) {
            v = Value::list(vec![v]);
        }
        assert!(to_yaml(&v).is_ok());
        assert!(to_yaml_pretty(&v).is_ok());
        assert!(!crate::yaml::to_json(&v).is_empty());
        for _ in 0..10 {
            v = Value::list(vec![v]);
        }
        assert!(to_yaml(&v).is_err());
    }

    #[test]
    fn totality() {
        assert!(to_yaml(&Value::Complex(1.0, 2.0)).is_err());
        assert!(to_yaml(&Value::Float(f64::NAN)).is_err());
        assert_eq!(to_yaml_pretty(&Value::Float(f64::NAN)).unwrap(), ".nan");
    }
}
