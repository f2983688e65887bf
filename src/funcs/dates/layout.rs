//! Go reference-time layouts (`2006-01-02T15:04:05Z07:00`): `Time.Format`
//! and `time.ParseInLocation`, with Go's parse error texts.

use super::duration::{leading_int, quote};
use super::time::{GoTime, days_in, is_leap};
use super::zone::Loc;

/// One element of a layout (Go's `std*` constants).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TZ,
    Iso8601TZ,
    Iso8601SecondsTZ,
    Iso8601ShortTZ,
    Iso8601ColonTZ,
    Iso8601ColonSecondsTZ,
    NumTZ,
    NumSecondsTz,
    NumShortTZ,
    NumColonTZ,
    NumColonSecondsTZ,
    /// `.000` (`trim` false) or `.999` (`trim` true); `comma` for `,`.
    Frac {
        trim: bool,
        digits: usize,
        comma: bool,
    },
}

const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn month_name(m: u32) -> &'static str {
    LONG_MONTHS
        .get((m as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("")
}

pub fn day_name(d: u32) -> &'static str {
    LONG_DAYS.get(d as usize).copied().unwrap_or("")
}

/// The three-letter form of a month or day name.
fn abbrev(name: &str) -> &[u8] {
    name.as_bytes().get(..3).unwrap_or_default()
}

/// Go's `nextStdChunk`: (prefix, element, suffix) of the first element.
fn next_chunk(l: &[u8]) -> (&[u8], Option<Std>, &[u8]) {
    let at = |i: usize, s: &[u8]| l.len() >= i + s.len() && &l[i..i + s.len()] == s;
    let lower_at = |i: usize| l.get(i).is_some_and(u8::is_ascii_lowercase);
    for i in 0..l.len() {
        let found = |std: Std, n: usize| (&l[..i], Some(std), &l[i + n..]);
        match l[i] {
            b'J' if at(i, b"Jan") => {
                if at(i, b"January") {
                    return found(Std::LongMonth, 7);
                }
                if !lower_at(i + 3) {
                    return found(Std::Month, 3);
                }
            }
            b'M' => {
                if at(i, b"Mon") {
                    if at(i, b"Monday") {
                        return found(Std::LongWeekDay, 6);
                    }
                    if !lower_at(i + 3) {
                        return found(Std::WeekDay, 3);
                    }
                }
                if at(i, b"MST") {
                    return found(Std::TZ, 3);
                }
            }
            b'0' => {
                if let Some(&c) = l.get(i + 1)
                    && (b'1'..=b'6').contains(&c)
                {
                    let std = [
                        Std::ZeroMonth,
                        Std::ZeroDay,
                        Std::ZeroHour12,
                        Std::ZeroMinute,
                        Std::ZeroSecond,
                        Std::Year,
                    ][usize::from(c - b'1')];
                    return found(std, 2);
                }
                if at(i, b"002") {
                    return found(Std::ZeroYearDay, 3);
                }
            }
            b'1' => {
                if at(i, b"15") {
                    return found(Std::Hour, 2);
                }
                return found(Std::NumMonth, 1);
            }
            b'2' => {
                if at(i, b"2006") {
                    return found(Std::LongYear, 4);
                }
                return found(Std::Day, 1);
            }
            b'_' => {
                if at(i, b"_2") {
                    // `_2006` is a literal `_` and a long year.
                    if at(i + 1, b"2006") {
                        return (&l[..i + 1], Some(Std::LongYear), &l[i + 5..]);
                    }
                    return found(Std::UnderDay, 2);
                }
                if at(i, b"__2") {
                    return found(Std::UnderYearDay, 3);
                }
            }
            b'3' => return found(Std::Hour12, 1),
            b'4' => return found(Std::Minute, 1),
            b'5' => return found(Std::Second, 1),
            b'P' if at(i, b"PM") => return found(Std::PM, 2),
            b'p' if at(i, b"pm") => return found(Std::Pm, 2),
            b'-' => {
                for (s, std) in [
                    (&b"-070000"[..], Std::NumSecondsTz),
                    (b"-07:00:00", Std::NumColonSecondsTZ),
                    (b"-0700", Std::NumTZ),
                    (b"-07:00", Std::NumColonTZ),
                    (b"-07", Std::NumShortTZ),
                ] {
                    if at(i, s) {
                        return found(std, s.len());
                    }
                }
            }
            b'Z' => {
                for (s, std) in [
                    (&b"Z070000"[..], Std::Iso8601SecondsTZ),
                    (b"Z07:00:00", Std::Iso8601ColonSecondsTZ),
                    (b"Z0700", Std::Iso8601TZ),
                    (b"Z07:00", Std::Iso8601ColonTZ),
                    (b"Z07", Std::Iso8601ShortTZ),
                ] {
                    if at(i, s) {
                        return found(std, s.len());
                    }
                }
            }
            c @ (b'.' | b',') => {
                if let Some(&ch) = l.get(i + 1)
                    && (ch == b'0' || ch == b'9')
                {
                    let mut j = i + 1;
                    while j < l.len() && l[j] == ch {
                        j += 1;
                    }
                    // Only a fractional second is all digits up to here.
                    if !l.get(j).is_some_and(u8::is_ascii_digit) {
                        let std = Std::Frac {
                            trim: ch == b'9',
                            // Go packs the count into 12 bits.
                            digits: (j - (i + 1)) & 0xfff,
                            comma: c == b',',
                        };
                        return (&l[..i], Some(std), &l[j..]);
                    }
                }
            }
            _ => {}
        }
    }
    (l, None, &[])
}

/// Go's `appendInt`: decimal, zero-padded to `width` digits after the sign.
fn push_int(b: &mut Vec<u8>, x: i64, width: usize) {
    if x < 0 {
        b.push(b'-');
    }
    let digits = x.unsigned_abs().to_string();
    for _ in digits.len()..width {
        b.push(b'0');
    }
    b.extend_from_slice(digits.as_bytes());
}

/// Go's `Time.Format`.
pub fn format(t: &GoTime, layout: &str) -> String {
    let (name, offset, abs) = t.locabs();
    let c = super::time::civil(abs);
    let mut b: Vec<u8> = Vec::with_capacity(layout.len() + 10);
    let mut l = layout.as_bytes();
    while !l.is_empty() {
        let (prefix, std, suffix) = next_chunk(l);
        b.extend_from_slice(prefix);
        let Some(std) = std else { break };
        l = suffix;
        let hr12 = match c.hour % 12 {
            0 => 12,
            h => h,
        };
        match std {
            Std::Year => push_int(&mut b, c.year.wrapping_abs() % 100, 2),
            Std::LongYear => push_int(&mut b, c.year, 4),
            Std::Month => b.extend_from_slice(abbrev(month_name(c.month))),
            Std::LongMonth => b.extend_from_slice(month_name(c.month).as_bytes()),
            Std::NumMonth => push_int(&mut b, c.month.into(), 0),
            Std::ZeroMonth => push_int(&mut b, c.month.into(), 2),
            Std::WeekDay => b.extend_from_slice(abbrev(day_name(c.weekday))),
            Std::LongWeekDay => b.extend_from_slice(day_name(c.weekday).as_bytes()),
            Std::Day => push_int(&mut b, c.day.into(), 0),
            Std::UnderDay => {
                if c.day < 10 {
                    b.push(b' ');
                }
                push_int(&mut b, c.day.into(), 0);
            }
            Std::ZeroDay => push_int(&mut b, c.day.into(), 2),
            Std::UnderYearDay => {
                if c.yday < 100 {
                    b.push(b' ');
                    if c.yday < 10 {
                        b.push(b' ');
                    }
                }
                push_int(&mut b, c.yday.into(), 0);
            }
            Std::ZeroYearDay => push_int(&mut b, c.yday.into(), 3),
            Std::Hour => push_int(&mut b, c.hour.into(), 2),
            Std::Hour12 => push_int(&mut b, hr12.into(), 0),
            Std::ZeroHour12 => push_int(&mut b, hr12.into(), 2),
            Std::Minute => push_int(&mut b, c.min.into(), 0),
            Std::ZeroMinute => push_int(&mut b, c.min.into(), 2),
            Std::Second => push_int(&mut b, c.sec.into(), 0),
            Std::ZeroSecond => push_int(&mut b, c.sec.into(), 2),
            Std::PM => b.extend_from_slice(if c.hour >= 12 { b"PM" } else { b"AM" }),
            Std::Pm => b.extend_from_slice(if c.hour >= 12 { b"pm" } else { b"am" }),
            Std::TZ => {
                if name.is_empty() {
                    // No name known: print the offset as -0700.
                    let zone = offset / 60;
                    b.push(if zone < 0 { b'-' } else { b'+' });
                    let zone = i64::from(zone.abs());
                    push_int(&mut b, zone / 60, 2);
                    push_int(&mut b, zone % 60, 2);
                } else {
                    b.extend_from_slice(name.as_bytes());
                }
            }
            Std::Frac {
                trim,
                digits,
                comma,
            } => push_nano(&mut b, t.nsec, trim, digits, comma),
            _ => push_offset(&mut b, std, offset),
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// The numeric zone elements (`-0700`, `Z07:00`, ...).
fn push_offset(b: &mut Vec<u8>, std: Std, offset: i32) {
    use Std::*;
    let iso = matches!(
        std,
        Iso8601TZ | Iso8601ColonTZ | Iso8601SecondsTZ | Iso8601ShortTZ | Iso8601ColonSecondsTZ
    );
    if offset == 0 && iso {
        b.push(b'Z');
        return;
    }
    let mut zone = i64::from(offset / 60);
    let mut absoffset = i64::from(offset);
    if zone < 0 {
        b.push(b'-');
        zone = -zone;
        absoffset = -absoffset;
    } else {
        b.push(b'+');
    }
    push_int(b, zone / 60, 2);
    if matches!(
        std,
        Iso8601ColonTZ | NumColonTZ | Iso8601ColonSecondsTZ | NumColonSecondsTZ
    ) {
        b.push(b':');
    }
    if !matches!(std, NumShortTZ | Iso8601ShortTZ) {
        push_int(b, zone % 60, 2);
    }
    if matches!(
        std,
        Iso8601SecondsTZ | NumSecondsTz | NumColonSecondsTZ | Iso8601ColonSecondsTZ
    ) {
        if matches!(std, NumColonSecondsTZ | Iso8601ColonSecondsTZ) {
            b.push(b':');
        }
        push_int(b, absoffset % 60, 2);
    }
}

/// Go's `appendNano`: `digits` places of the fraction, trailing zeros (and
/// a bare dot) dropped for the `.999` form.
fn push_nano(b: &mut Vec<u8>, nsec: u32, trim: bool, digits: usize, comma: bool) {
    if trim && (digits == 0 || nsec == 0) {
        return;
    }
    let dot = if comma { b',' } else { b'.' };
    let start = b.len();
    b.push(dot);
    push_int(b, nsec.into(), 9);
    if digits < 9 {
        b.truncate(b.len() - 9 + digits);
    }
    if trim {
        while b.len() > start && b.last() == Some(&b'0') {
            b.pop();
        }
        if b.last() == Some(&dot) {
            b.pop();
        }
    }
}

/// A parse failure: Go's `ParseError` fields that its message uses.
enum Fail {
    /// `cannot parse VALUE as ELEM`.
    Elem(Vec<u8>, Vec<u8>),
    /// A fixed message such as `: day out of range`.
    Msg(String),
}

/// Go's `atoi` on bytes: optional sign, digits, nothing else.
fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (q, rem) = leading_int(s)?;
    if !rem.is_empty() {
        return None;
    }
    let x = q as i64;
    Some(if neg { x.wrapping_neg() } else { x })
}

/// Go's `getnum`: one or two digits (`fixed` demands two).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let d = |i: usize| {
        s.get(i)
            .filter(|c| c.is_ascii_digit())
            .map(|c| i64::from(c - b'0'))
    };
    let a = d(0)?;
    match d(1) {
        Some(b2) => Some((a * 10 + b2, &s[2..])),
        None if fixed => None,
        None => Some((a, &s[1..])),
    }
}

/// Go's `getnum3`: one to three digits (`fixed` demands three).
fn getnum3(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let mut n = 0;
    let mut i = 0;
    while i < 3 && s.get(i).is_some_and(u8::is_ascii_digit) {
        n = n * 10 + i64::from(s[i] - b'0');
        i += 1;
    }
    if i == 0 || (fixed && i != 3) {
        return None;
    }
    Some((n, &s[i..]))
}

/// Go's `skip`: match literal layout text, runs of spaces counting as one.
/// On a mismatch, the value from where matching stopped (for the error).
fn skip<'v>(mut value: &'v [u8], mut prefix: &[u8]) -> Result<&'v [u8], &'v [u8]> {
    let cut = |s: &[u8]| s.iter().position(|&c| c != b' ').unwrap_or(s.len());
    while let Some(&p) = prefix.first() {
        if p == b' ' {
            if value.first().is_some_and(|&c| c != b' ') {
                return Err(value);
            }
            prefix = &prefix[cut(prefix)..];
            value = &value[cut(value)..];
            continue;
        }
        if value.first() != Some(&p) {
            return Err(value);
        }
        prefix = &prefix[1..];
        value = &value[1..];
    }
    Ok(value)
}

/// Go's `lookup`: a case-insensitive name prefix from a table.
fn lookup<'v>(tab: &[&str], val: &'v [u8]) -> Option<(usize, &'v [u8])> {
    tab.iter().enumerate().find_map(|(i, name)| {
        let n = name.len();
        (val.len() >= n && val[..n].eq_ignore_ascii_case(name.as_bytes())).then(|| (i, &val[n..]))
    })
}

fn short(tab: &[&'static str]) -> Vec<&'static str> {
    tab.iter().map(|s| &s[..3]).collect()
}

/// Go's `parseNanoseconds`: `value[0]` is the separator.
fn parse_nanos(value: &[u8], nbytes: usize) -> Result<i64, Option<&'static str>> {
    if !matches!(value.first(), Some(b'.' | b',')) {
        return Err(None);
    }
    let nbytes = nbytes.min(10);
    let ns = atoi(value.get(1..nbytes).unwrap_or_default()).ok_or(None)?;
    if ns < 0 {
        return Err(Some("fractional second"));
    }
    Ok(ns * 10i64.pow((10 - nbytes) as u32))
}

/// Go's `parseTimeZone`: the length of a zone abbreviation at the start.
fn parse_time_zone(v: &[u8]) -> Option<usize> {
    if v.len() < 3 {
        return None;
    }
    if v.starts_with(b"ChST") || v.starts_with(b"MeST") {
        return Some(4);
    }
    if v.starts_with(b"GMT") {
        if v.len() == 3 {
            return Some(3);
        }
        return Some(3 + parse_signed_offset(&v[3..]));
    }
    if v[0] == b'+' || v[0] == b'-' {
        let n = parse_signed_offset(v);
        return (n > 0).then_some(n);
    }
    let upper = v
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        5 if v[4] == b'T' => Some(5),
        4 if v[3] == b'T' || v.starts_with(b"WITA") => Some(4),
        3 => Some(3),
        _ => None,
    }
}

/// Go's `parseSignedOffset`: `+hh`/`-hh` up to 23, else 0.
fn parse_signed_offset(v: &[u8]) -> usize {
    if !matches!(v.first(), Some(b'+' | b'-')) {
        return 0;
    }
    match leading_int(&v[1..]) {
        Some((x, rem)) if rem.len() != v.len() - 1 && x <= 23 => v.len() - rem.len(),
        _ => 0,
    }
}

/// Parsed fields before they become a time.
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    yday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    nsec: i64,
    utc: bool,
    zone_offset: Option<i64>,
    zone_name: Vec<u8>,
    am: bool,
    pm: bool,
}

/// Go's `time.ParseInLocation(layout, value, loc)`.
pub fn parse(layout: &str, value: &str, loc: &Loc) -> Result<GoTime, String> {
    let err = |f: Fail| match f {
        Fail::Elem(elem, val) => format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(value.as_bytes()),
            quote(layout.as_bytes()),
            quote(&val),
            quote(&elem)
        ),
        Fail::Msg(m) => format!("parsing time {}{m}", quote(value.as_bytes())),
    };
    let f = parse_fields(layout.as_bytes(), value.as_bytes()).map_err(err)?;
    build(f, loc).map_err(|m| err(Fail::Msg(m.into())))
}

fn parse_fields(mut layout: &[u8], mut value: &[u8]) -> Result<Fields, Fail> {
    let mut f = Fields {
        year: 0,
        month: -1,
        day: -1,
        yday: -1,
        hour: 0,
        min: 0,
        sec: 0,
        nsec: 0,
        utc: false,
        zone_offset: None,
        zone_name: Vec::new(),
        am: false,
        pm: false,
    };
    loop {
        let (prefix, std, suffix) = next_chunk(layout);
        let stdstr = &layout[prefix.len()..layout.len() - suffix.len()];
        value = skip(value, prefix).map_err(|v| Fail::Elem(prefix.to_vec(), v.to_vec()))?;
        let Some(std) = std else {
            if !value.is_empty() {
                return Err(Fail::Msg(format!(": extra text: {}", quote(value))));
            }
            return Ok(f);
        };
        layout = suffix;
        let hold = value;
        let mut range_err: Option<&'static str> = None;
        let ok = parse_elem(std, layout, &mut value, &mut f, &mut range_err);
        if let Some(what) = range_err {
            return Err(Fail::Msg(format!(": {what} out of range")));
        }
        if !ok {
            return Err(Fail::Elem(stdstr.to_vec(), hold.to_vec()));
        }
    }
}

/// One element of Go's parse loop; false where Go sets `err = errBad`.
fn parse_elem(
    std: Std,
    layout: &[u8],
    value: &mut &[u8],
    f: &mut Fields,
    range_err: &mut Option<&'static str>,
) -> bool {
    let v = *value;
    macro_rules! num {
        ($get:expr, $field:ident, $ok:expr, $what:expr) => {{
            match $get {
                Some((n, rest)) => {
                    f.$field = n;
                    *value = rest;
                    if !$ok(n) {
                        *range_err = Some($what);
                    }
                    true
                }
                None => {
                    f.$field = 0;
                    if !$ok(0) {
                        *range_err = Some($what);
                    }
                    false
                }
            }
        }};
    }
    match std {
        Std::Year => {
            if v.len() < 2 {
                return false;
            }
            let Some(y) = atoi(&v[..2]) else {
                *value = &v[2..];
                return false;
            };
            *value = &v[2..];
            f.year = if y >= 69 { y + 1900 } else { y + 2000 };
            true
        }
        Std::LongYear => {
            if v.len() < 4 || !v[0].is_ascii_digit() {
                return false;
            }
            *value = &v[4..];
            match atoi(&v[..4]) {
                Some(y) => {
                    f.year = y;
                    true
                }
                None => false,
            }
        }
        Std::Month | Std::LongMonth => {
            let tab = if std == Std::Month {
                short(&LONG_MONTHS)
            } else {
                LONG_MONTHS.to_vec()
            };
            match lookup(&tab, v) {
                Some((i, rest)) => {
                    f.month = i as i64 + 1;
                    *value = rest;
                    true
                }
                None => false,
            }
        }
        Std::NumMonth | Std::ZeroMonth => match getnum(v, std == Std::ZeroMonth) {
            Some((m, rest)) => {
                f.month = m;
                *value = rest;
                if !(1..=12).contains(&m) {
                    *range_err = Some("month");
                }
                true
            }
            None => false,
        },
        Std::WeekDay | Std::LongWeekDay => {
            let tab = if std == Std::WeekDay {
                short(&LONG_DAYS)
            } else {
                LONG_DAYS.to_vec()
            };
            match lookup(&tab, v) {
                Some((_, rest)) => {
                    *value = rest;
                    true
                }
                None => false,
            }
        }
        Std::Day | Std::UnderDay | Std::ZeroDay => {
            let v = if std == Std::UnderDay && v.first() == Some(&b' ') {
                &v[1..]
            } else {
                v
            };
            *value = v;
            num!(getnum(v, std == Std::ZeroDay), day, |_| true, "day")
        }
        Std::UnderYearDay | Std::ZeroYearDay => {
            let mut v = v;
            for _ in 0..2 {
                if std == Std::UnderYearDay && v.first() == Some(&b' ') {
                    v = &v[1..];
                }
            }
            *value = v;
            num!(getnum3(v, std == Std::ZeroYearDay), yday, |_| true, "")
        }
        Std::Hour => num!(getnum(v, false), hour, |h| (0..24).contains(&h), "hour"),
        Std::Hour12 | Std::ZeroHour12 => num!(
            getnum(v, std == Std::ZeroHour12),
            hour,
            |h| (0..=12).contains(&h),
            "hour"
        ),
        Std::Minute | Std::ZeroMinute => num!(
            getnum(v, std == Std::ZeroMinute),
            min,
            |m| (0..60).contains(&m),
            "minute"
        ),
        Std::Second | Std::ZeroSecond => {
            let Some((s, rest)) = getnum(v, std == Std::ZeroSecond) else {
                return false;
            };
            f.sec = s;
            *value = rest;
            if !(0..60).contains(&s) {
                *range_err = Some("second");
                return true;
            }
            // A fraction in the value that the layout does not ask for.
            if rest.len() >= 2
                && matches!(rest[0], b'.' | b',')
                && rest[1].is_ascii_digit()
                && !matches!(next_chunk(layout).1, Some(Std::Frac { .. }))
            {
                let n = 2 + rest[2..].iter().take_while(|c| c.is_ascii_digit()).count();
                let r = parse_nanos(rest, n);
                *value = &rest[n..];
                return nanos_result(r, f, range_err);
            }
            true
        }
        Std::PM | Std::Pm => {
            if v.len() < 2 {
                return false;
            }
            *value = &v[2..];
            let (pm, am): (&[u8], &[u8]) = if std == Std::PM {
                (b"PM", b"AM")
            } else {
                (b"pm", b"am")
            };
            if &v[..2] == pm {
                f.pm = true;
            } else if &v[..2] == am {
                f.am = true;
            } else {
                return false;
            }
            true
        }
        Std::TZ => {
            if v.starts_with(b"UTC") {
                f.utc = true;
                *value = &v[3..];
                return true;
            }
            match parse_time_zone(v) {
                Some(n) => {
                    f.zone_name = v[..n].to_vec();
                    *value = &v[n..];
                    true
                }
                None => false,
            }
        }
        Std::Frac {
            trim: false,
            digits,
            ..
        } => {
            let ndigit = 1 + digits;
            if v.len() < ndigit {
                return false;
            }
            let r = parse_nanos(v, ndigit);
            *value = &v[ndigit..];
            nanos_result(r, f, range_err)
        }
        Std::Frac { trim: true, .. } => {
            if v.len() < 2 || !matches!(v[0], b'.' | b',') || !v[1].is_ascii_digit() {
                return true; // fraction omitted
            }
            // Take every digit, even more than asked for, as seconds do.
            let n = 1 + v[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            let r = parse_nanos(v, n);
            *value = &v[n..];
            nanos_result(r, f, range_err)
        }
        _ => parse_offset(std, value, f, range_err),
    }
}

fn nanos_result(
    r: Result<i64, Option<&'static str>>,
    f: &mut Fields,
    range_err: &mut Option<&'static str>,
) -> bool {
    match r {
        Ok(ns) => {
            f.nsec = ns;
            true
        }
        Err(Some(what)) => {
            *range_err = Some(what);
            true
        }
        Err(None) => false,
    }
}

/// Sign, hour, minute and second text of a numeric offset, and its length.
type OffsetParts<'a> = (u8, &'a [u8], &'a [u8], &'a [u8], usize);

/// The numeric zone elements; `Z` means UTC for the ISO 8601 forms.
fn parse_offset(
    std: Std,
    value: &mut &[u8],
    f: &mut Fields,
    range_err: &mut Option<&'static str>,
) -> bool {
    use Std::*;
    let v = *value;
    if matches!(
        std,
        Iso8601TZ | Iso8601ShortTZ | Iso8601ColonTZ | Iso8601SecondsTZ | Iso8601ColonSecondsTZ
    ) && v.first() == Some(&b'Z')
    {
        *value = &v[1..];
        f.utc = true;
        return true;
    }
    let parts: Option<OffsetParts> = match std {
        Iso8601ColonTZ | NumColonTZ => {
            (v.len() >= 6 && v[3] == b':').then(|| (v[0], &v[1..3], &v[4..6], &b"00"[..], 6))
        }
        NumShortTZ | Iso8601ShortTZ => {
            (v.len() >= 3).then(|| (v[0], &v[1..3], &b"00"[..], &b"00"[..], 3))
        }
        Iso8601ColonSecondsTZ | NumColonSecondsTZ => (v.len() >= 9 && v[3] == b':' && v[6] == b':')
            .then(|| (v[0], &v[1..3], &v[4..6], &v[7..9], 9)),
        Iso8601SecondsTZ | NumSecondsTz => {
            (v.len() >= 7).then(|| (v[0], &v[1..3], &v[3..5], &v[5..7], 7))
        }
        _ => (v.len() >= 5).then(|| (v[0], &v[1..3], &v[3..5], &b"00"[..], 5)),
    };
    let Some((sign, h, m, s, n)) = parts else {
        return false;
    };
    *value = &v[n..];
    // Go parses the fields in order, stopping at the first bad one, and
    // range-checks what it has even then (a bad field reads as 0).
    let num = |x: &[u8]| getnum(x, true).map(|(n, _)| n);
    let hr = num(h);
    let mm = hr.and_then(|_| num(m));
    let ss = mm.and_then(|_| num(s));
    let parsed = ss.is_some();
    let (hr, mm, ss) = (hr.unwrap_or(0), mm.unwrap_or(0), ss.unwrap_or(0));
    // `>` rather than `>=`: offsets of 24h or 60m are seen in the wild.
    if hr > 24 {
        *range_err = Some("time zone offset hour");
    }
    if mm > 60 {
        *range_err = Some("time zone offset minute");
    }
    if ss > 60 {
        *range_err = Some("time zone offset second");
    }
    if !parsed {
        return false;
    }
    let off = (hr * 60 + mm) * 60 + ss;
    f.zone_offset = Some(off);
    match sign {
        b'+' => true,
        b'-' => {
            f.zone_offset = Some(-off);
            true
        }
        _ => false,
    }
}

const DAYS_BEFORE: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/// The end of Go's `parse`: validate the date and pick the location.
fn build(mut f: Fields, local: &Loc) -> Result<GoTime, &'static str> {
    if f.pm && f.hour < 12 {
        f.hour += 12;
    } else if f.am && f.hour == 12 {
        f.hour = 0;
    }
    if f.yday >= 0 {
        let (mut m, mut d) = (0, 0);
        if is_leap(f.year) {
            if f.yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if f.yday > 31 + 29 {
                f.yday -= 1;
            }
        }
        if f.yday < 1 || f.yday > 365 {
            return Err(": day-of-year out of range");
        }
        if m == 0 {
            m = (f.yday - 1) / 31 + 1;
            if DAYS_BEFORE[m as usize] < f.yday {
                m += 1;
            }
            d = f.yday - DAYS_BEFORE[(m - 1) as usize];
        }
        if f.month >= 0 && f.month != m {
            return Err(": day-of-year does not match month");
        }
        f.month = m;
        if f.day >= 0 && f.day != d {
            return Err(": day-of-year does not match day");
        }
        f.day = d;
    } else {
        if f.month < 0 {
            f.month = 1;
        }
        if f.day < 0 {
            f.day = 1;
        }
    }
    if f.day < 1 || f.day > days_in(f.month, f.year) {
        return Err(": day out of range");
    }
    let date = |loc: Loc| GoTime::date(f.year, f.month, f.day, f.hour, f.min, f.sec, f.nsec, loc);
    if f.utc {
        return Ok(date(Loc::Utc));
    }
    let name = String::from_utf8_lossy(&f.zone_name).into_owned();
    if let Some(off) = f.zone_offset {
        let mut t = date(Loc::Utc);
        t.add_sec(-off);
        // The local zone when it has that offset then, else a fixed zone.
        let (lname, loff) = local.lookup(t.unix);
        if i64::from(loff) == off && (name.is_empty() || lname == name) {
            return Ok(t.with_loc(local.clone()));
        }
        return Ok(t.with_loc(Loc::Fixed(name.into(), off as i32)));
    }
    if !name.is_empty() {
        let mut t = date(Loc::Utc);
        if let Some(off) = local.lookup_name(&name, t.unix) {
            t.add_sec(-i64::from(off));
            return Ok(t.with_loc(local.clone()));
        }
        // Unknown abbreviation: zero offset, except GMT+h.
        let mut off = 0;
        if name.len() > 3 && name.starts_with("GMT") {
            off = atoi(&name.as_bytes()[3..]).unwrap_or(0) * 3600;
        }
        return Ok(t.with_loc(Loc::Fixed(name.into(), off as i32)));
    }
    Ok(date(local.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt_unix(layout: &str, unix: i64) -> String {
        format(&GoTime::from_unix(unix, 0).with_loc(Loc::Utc), layout)
    }

    #[test]
    fn formats_reference_time() {
        assert_eq!(
            fmt_unix("Mon Jan _2 15:04:05 MST 2006", 1136239445),
            "Mon Jan  2 22:04:05 UTC 2006"
        );
        assert_eq!(
            fmt_unix("2006-01-02T15:04:05Z07:00", 0),
            "1970-01-01T00:00:00Z"
        );
    }

    #[test]
    fn parse_errors() {
        let e = parse("2006-01-02", "x", &Loc::Utc)
            .err()
            .unwrap_or_default();
        assert_eq!(
            e,
            r#"parsing time "x" as "2006-01-02": cannot parse "x" as "2006""#
        );
        let e = parse("2006-01-02", "2024-13-01", &Loc::Utc)
            .err()
            .unwrap_or_default();
        assert_eq!(e, r#"parsing time "2024-13-01": month out of range"#);
    }
}
