//! `format` checks (asserted for drafts 4, 6 and 7, as the validator Helm
//! uses does), with the validator's error texts.

use super::output::int_en;
use crate::go::fmt::{go_quote, go_quote_rune};

/// Whether `name` is a format this module checks. Unknown formats are
/// annotations only.
pub fn known(name: &str) -> bool {
    matches!(
        name,
        "json-pointer"
            | "relative-json-pointer"
            | "uuid"
            | "duration"
            | "period"
            | "ipv4"
            | "ipv6"
            | "hostname"
            | "email"
            | "date"
            | "time"
            | "date-time"
            | "uri"
            | "iri"
            | "uri-reference"
            | "iri-reference"
            | "regex"
    )
}

/// Checks a string against a format; `Err` carries the reason.
pub fn check(name: &str, s: &str) -> Result<(), String> {
    match name {
        "json-pointer" => json_pointer(s),
        "relative-json-pointer" => relative_json_pointer(s),
        "uuid" => uuid(s),
        "duration" => duration(s),
        "period" => period(s),
        "ipv4" => ipv4(s),
        "ipv6" => ipv6(s),
        "hostname" => hostname(s),
        "email" => email(s),
        "date" => date(s),
        "time" => time(s),
        "date-time" => date_time(s),
        "uri" => uri(s, false, false),
        "iri" => uri(s, true, false),
        "uri-reference" => uri(s, false, true),
        "iri-reference" => uri(s, true, true),
        // Syntax only: building the matcher costs far more and is not needed.
        "regex" => regex_syntax::Parser::new()
            .parse(s)
            .map(|_| ())
            .map_err(|_| format!("error parsing regexp: invalid regex {}", go_quote(s))),
        _ => Ok(()),
    }
}

fn json_pointer(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    if !s.starts_with('/') {
        return Err("not starting with /".into());
    }
    for tok in s.split('/').skip(1) {
        let mut escape = false;
        for ch in tok.chars() {
            if escape {
                escape = false;
                if ch != '0' && ch != '1' {
                    return Err("~ must be followed by 0 or 1".into());
                }
                continue;
            }
            if ch == '~' {
                escape = true;
                continue;
            }
            if !(ch <= '\x2E' || ('\x30'..='\x7D').contains(&ch) || ch >= '\x7F') {
                return Err(format!("invalid character {}", go_quote_rune(ch)));
            }
        }
        if escape {
            return Err("~ must be followed by 0 or 1".into());
        }
    }
    Ok(())
}

fn relative_json_pointer(s: &str) -> Result<(), String> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return Err("must start with non-negative integer".into());
    }
    if n > 1 && s.starts_with('0') {
        return Err("starts with zero".into());
    }
    let rest = &s[n..];
    if rest == "#" {
        return Ok(());
    }
    json_pointer(rest)
}

fn uuid(s: &str) -> Result<(), String> {
    let lens = [8, 4, 4, 4, 12];
    let groups: Vec<&str> = s.split('-').collect();
    if groups.len() != lens.len() {
        return Err(format!("must have {} elements", int_en(lens.len())));
    }
    for (i, g) in groups.iter().enumerate() {
        if g.len() != lens[i] {
            return Err(format!(
                "element {} must be {} characters long",
                int_en(i + 1),
                int_en(lens[i])
            ));
        }
        for ch in g.chars() {
            if !ch.is_ascii_hexdigit() {
                return Err(format!("non-hex character {}", go_quote_rune(ch)));
            }
        }
    }
    Ok(())
}

fn duration(s: &str) -> Result<(), String> {
    let Some(s) = s.strip_prefix('P') else {
        return Err("must start with P".into());
    };
    if s.is_empty() {
        return Err("nothing after P".into());
    }
    if let Some(w) = s.strip_suffix('W') {
        if w.is_empty() {
            return Err("no number in week".into());
        }
        if !w.bytes().all(|b| b.is_ascii_digit()) {
            return Err("invalid week".into());
        }
        return Ok(());
    }
    let all = ["YMD", "HMS"];
    for (i, part) in s.split('T').enumerate() {
        if i != 0 && part.is_empty() {
            return Err("no time elements".into());
        }
        if i >= all.len() {
            return Err("more than one T".into());
        }
        let mut units = all[i];
        let mut p = part;
        while !p.is_empty() {
            let n = p.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return Err("missing number".into());
            }
            p = &p[n..];
            let Some(unit) = p.chars().next() else {
                return Err("missing unit".into());
            };
            match units.find(unit) {
                Some(j) => units = &units[j + 1..],
                None => {
                    let q = go_quote_rune(unit);
                    if all[i].contains(unit) {
                        return Err(format!("unit {q} out of order"));
                    }
                    return Err(format!("invalid unit {q}"));
                }
            }
            p = &p[unit.len_utf8()..];
        }
    }
    Ok(())
}

fn period(s: &str) -> Result<(), String> {
    let Some(slash) = s.find('/') else {
        return Err("missing slash".into());
    };
    let (start, end) = (&s[..slash], &s[slash + 1..]);
    if start.starts_with('P') {
        duration(start).map_err(|e| format!("invalid start duration: {e}"))?;
        date_time(end).map_err(|e| format!("invalid end date-time: {e}"))?;
    } else {
        date_time(start).map_err(|e| format!("invalid start date-time: {e}"))?;
        if end.starts_with('P') {
            duration(end).map_err(|e| format!("invalid end duration: {e}"))?;
        } else {
            date_time(end).map_err(|e| format!("invalid end date-time: {e}"))?;
        }
    }
    Ok(())
}

/// Go's `strconv.Atoi` error for a non-number.
fn atoi(s: &str) -> Result<i64, String> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            go_quote(s)
        ));
    }
    s.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing {}: value out of range", go_quote(s)))
}

fn ipv4(s: &str) -> Result<(), String> {
    let groups: Vec<&str> = s.split('.').collect();
    if groups.len() != 4 {
        return Err("expected four decimals".into());
    }
    for g in groups {
        if g.len() > 1 && g.starts_with('0') {
            return Err("leading zeros".into());
        }
        let n = atoi(g)?;
        if !(0..=255).contains(&n) {
            return Err("decimal must be between 0 and 255".into());
        }
    }
    Ok(())
}

fn ipv6(s: &str) -> Result<(), String> {
    if !s.contains(':') {
        return Err("missing colon".into());
    }
    if s.contains('%') {
        let (a, _) = s.split_once('%').unwrap_or((s, ""));
        if a.parse::<std::net::Ipv6Addr>().is_ok() {
            return Err("zone id is not a part of ipv6 address".into());
        }
    }
    match s.parse::<std::net::Ipv6Addr>() {
        Ok(_) => Ok(()),
        Err(_) => Err(format!("ParseAddr({}): unable to parse IP", go_quote(s))),
    }
}

fn hostname(s: &str) -> Result<(), String> {
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.len() > 253 {
        return Err("more than 253 characters long".into());
    }
    for label in s.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("label must be 1 to 63 characters long".into());
        }
        if label.starts_with('-') {
            return Err("label starts with hyphen".into());
        }
        if label.ends_with('-') {
            return Err("label ends with hyphen".into());
        }
        for ch in label.chars() {
            if !(ch.is_ascii_alphanumeric() || ch == '-') {
                return Err(format!("invalid character {}", go_quote_rune(ch)));
            }
        }
    }
    Ok(())
}

fn email(s: &str) -> Result<(), String> {
    if s.len() > 254 {
        return Err("more than 255 characters long".into());
    }
    let Some(at) = s.rfind('@') else {
        return Err("missing @".into());
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.len() > 64 {
        return Err("local part more than 64 characters long".into());
    }
    if local.len() > 1 && local.starts_with('"') && local.ends_with('"') {
        let inner = &local[1..local.len() - 1];
        if inner.contains('\\') || inner.contains('"') {
            return Err("backslash and quote are not allowed within quoted local part".into());
        }
    } else {
        if local.starts_with('.') {
            return Err("starts with dot".into());
        }
        if local.ends_with('.') {
            return Err("ends with dot".into());
        }
        if local.contains("..") {
            return Err("consecutive dots".into());
        }
        for ch in local.chars() {
            if !(ch.is_ascii_alphanumeric() || ".!#$%&'*+-/=?^_`{|}~".contains(ch)) {
                return Err(format!("invalid character {}", go_quote_rune(ch)));
            }
        }
    }
    if domain.len() >= 2 && domain.starts_with('[') && domain.ends_with(']') {
        let d = &domain[1..domain.len() - 1];
        if let Some(rem) = d.strip_prefix("IPv6:") {
            return ipv6(rem).map_err(|e| format!("invalid ipv6 address: {e}"));
        }
        return ipv4(d).map_err(|e| format!("invalid ipv4 address: {e}"));
    }
    hostname(domain).map_err(|e| format!("invalid domain: {e}"))
}

/// `time.Parse("2006-01-02", s)`.
fn date(s: &str) -> Result<(), String> {
    let q = go_quote(s);
    let layout_err = |rest: &str, elem: &str| {
        format!(
            "parsing time {q} as \"2006-01-02\": cannot parse {} as {}",
            go_quote(rest),
            go_quote(elem)
        )
    };
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> bool {
        b.len() >= from + n && b[from..from + n].iter().all(u8::is_ascii_digit)
    };
    if !digits(0, 4) {
        return Err(layout_err(s, "2006"));
    }
    let year: i64 = s[..4].parse().unwrap_or(0);
    if b.get(4) != Some(&b'-') {
        return Err(layout_err(&s[4..], "-"));
    }
    if !digits(5, 2) {
        return Err(layout_err(&s[5..], "01"));
    }
    let month: u32 = s[5..7].parse().unwrap_or(0);
    if !(1..=12).contains(&month) {
        return Err(format!("parsing time {q}: month out of range"));
    }
    if b.get(7) != Some(&b'-') {
        return Err(layout_err(&s[7..], "-"));
    }
    if !digits(8, 2) {
        return Err(layout_err(&s[8..], "02"));
    }
    let day: u32 = s[8..10].parse().unwrap_or(0);
    if s.len() > 10 {
        return Err(format!(
            "parsing time {q}: extra text: {}",
            go_quote(&s[10..])
        ));
    }
    if day < 1 || i64::from(day) > crate::go::time::days_in(i64::from(month), year) {
        return Err(format!("parsing time {q}: day out of range"));
    }
    Ok(())
}

fn time(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    if b.len() < 9 {
        return Err("less than 9 characters long".into());
    }
    if b[2] != b':' || b[5] != b':' {
        return Err("missing colon in correct place".into());
    }
    let mut hms = Vec::new();
    for tok in s.get(..8).unwrap_or("").splitn(3, ':') {
        let Ok(i) = atoi(tok) else {
            return Err("invalid hour/min/sec".into());
        };
        if i < 0 {
            return Err("non-positive hour/min/sec".into());
        }
        hms.push(i);
    }
    if hms.len() != 3 {
        return Err("missing hour/min/sec".into());
    }
    let (mut h, mut m, sec) = (hms[0], hms[1], hms[2]);
    if h > 23 || m > 59 || sec > 60 {
        return Err("hour/min/sec out of range".into());
    }
    let mut rest = &s[8..];
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return Err("no digits in second fraction".into());
        }
        rest = &r[n..];
    }
    if rest != "z" && rest != "Z" {
        if rest.len() != 6 {
            return Err("offset must be 6 characters long".into());
        }
        let sign = match rest.as_bytes()[0] {
            b'+' => -1,
            b'-' => 1,
            _ => return Err("offset must begin with plus/minus".into()),
        };
        let r = &rest[1..];
        if r.as_bytes()[2] != b':' {
            return Err("missing colon in offset in correct place".into());
        }
        let mut zhm = Vec::new();
        for tok in r.splitn(2, ':') {
            let Ok(i) = atoi(tok) else {
                return Err("invalid hour/min in offset".into());
            };
            if i < 0 {
                return Err("non-positive hour/min in offset".into());
            }
            zhm.push(i);
        }
        let (zh, zm) = (zhm[0], zhm.get(1).copied().unwrap_or(0));
        if zh > 23 || zm > 59 {
            return Err("hour/min in offset out of range".into());
        }
        let mut hm = (h * 60 + m) + sign * (zh * 60 + zm);
        if hm < 0 {
            hm += 24 * 60;
        }
        h = hm / 60;
        m = hm % 60;
    }
    if sec >= 60 && (h != 23 || m != 59) {
        return Err("invalid leap second".into());
    }
    Ok(())
}

fn date_time(s: &str) -> Result<(), String> {
    if s.len() < 20 {
        return Err("less than 20 characters long".into());
    }
    let b = s.as_bytes();
    if b[10] != b't' && b[10] != b'T' {
        return Err("11th character must be t or T".into());
    }
    let (Some(d), Some(t)) = (s.get(..10), s.get(11..)) else {
        return Err("11th character must be t or T".into());
    };
    date(d).map_err(|e| format!("invalid date element: {e}"))?;
    time(t).map_err(|e| format!("invalid time element: {e}"))?;
    Ok(())
}

fn uri(s: &str, international: bool, reference: bool) -> Result<(), String> {
    if !international {
        if !s.is_ascii() {
            return Err("has unescaped non-ASCII characters".into());
        }
        if s.contains(['<', '>', '"', ' ', '{', '}', '|', '\\', '^', '`']) {
            return Err("has illegal ASCII characters".into());
        }
    }
    // Go's url.Parse: a scheme is letters/digits/+-. starting with a letter.
    let scheme_end = s.find(':');
    let is_abs = match scheme_end {
        Some(i) if i > 0 => {
            let sch = &s[..i];
            let first = sch.as_bytes()[0];
            if first.is_ascii_alphabetic()
                && sch
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
            {
                true
            } else if sch.contains('/') || sch.contains('?') || sch.contains('#') {
                false
            } else if first.is_ascii_digit() || !first.is_ascii_alphabetic() {
                return Err(format!(
                    "parse {}: first path segment in URL cannot contain colon",
                    go_quote(s)
                ));
            } else {
                false
            }
        }
        Some(0) => return Err(format!("parse {}: missing protocol scheme", go_quote(s))),
        _ => false,
    };
    if !reference && !is_abs {
        return Err("relative url".into());
    }
    Ok(())
}
