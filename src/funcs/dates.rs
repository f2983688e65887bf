//! Sprig's dates and durations with Go layouts: `now` `date` `dateInZone`
//! `toDate` `unixEpoch` `duration` `durationRound` `dateModify` `ago` `htmlDate`.
//!
//! Sprig switches on the Go type of its `interface{}` arguments, and what
//! falls through is telling: `date` on a float64 from .Values or a string
//! formats the current time, `duration 60` (an int, not int64) is `0s`.

mod duration;
mod layout;
mod time;
mod zone;

use self::time::GoTime;
use self::zone::Loc;
use super::util::plain;
use crate::template::exec::{FuncErr, State};
use crate::template::funcs::FuncMap;
use crate::value::{IntTy, Sig, Ty, Value};

const NOW: Sig = Sig::new(&[], None);
const ANY: Sig = Sig::new(&[Ty::Any], None);
const STR_ANY: Sig = Sig::new(&[Ty::String, Ty::Any], None);
const STR_ANY_STR: Sig = Sig::new(&[Ty::String, Ty::Any, Ty::String], None);
const ANY_STR: Sig = Sig::new(&[Ty::Any, Ty::String], None);
const STR_TIME: Sig = Sig::new(&[Ty::String, Ty::Time], None);
const STR_STR: Sig = Sig::new(&[Ty::String, Ty::String], None);
const TIME: Sig = Sig::new(&[Ty::Time], None);

pub fn register(m: &mut FuncMap) {
    self::time::start_clock();
    m.insert("now", plain(&NOW, |_, _| Ok(GoTime::now().into_value())));
    m.insert("ago", plain(&ANY, ago));
    m.insert("date", plain(&STR_ANY, date));
    m.insert("htmlDate", plain(&ANY, html_date));
    m.insert("dateInZone", plain(&STR_ANY_STR, date_in_zone));
    m.insert("date_in_zone", plain(&STR_ANY_STR, date_in_zone));
    m.insert("htmlDateInZone", plain(&ANY_STR, html_date_in_zone));
    m.insert("dateModify", plain(&STR_TIME, date_modify));
    m.insert("date_modify", plain(&STR_TIME, date_modify));
    m.insert("mustDateModify", plain(&STR_TIME, must_date_modify));
    m.insert("must_date_modify", plain(&STR_TIME, must_date_modify));
    m.insert("duration", plain(&ANY, duration));
    m.insert("durationRound", plain(&ANY, duration_round));
    m.insert("toDate", plain(&STR_STR, to_date));
    m.insert("mustToDate", plain(&STR_STR, must_to_date));
    m.insert("unixEpoch", plain(&TIME, unix_epoch));
}

fn str_arg(a: &[Value], i: usize) -> &str {
    a.get(i).and_then(Value::as_str).unwrap_or_default()
}

fn time_arg(a: &[Value], i: usize) -> GoTime {
    a.get(i)
        .and_then(GoTime::from_value)
        .unwrap_or_else(GoTime::zero)
}

/// Sprig's `dateInZone` conversion: a time, or int/int64/int32 Unix
/// seconds; anything else means now.
fn to_time(v: Option<&Value>) -> GoTime {
    match v {
        Some(Value::Int(n, IntTy::Int | IntTy::Int64 | IntTy::Int32)) => GoTime::from_unix(*n, 0),
        Some(v) => GoTime::from_value(v).unwrap_or_else(GoTime::now),
        None => GoTime::now(),
    }
}

/// Sprig's `dateInZone(fmt, date, zone)`; an unknown zone means UTC.
fn format_in_zone(layout: &str, date: Option<&Value>, zone: &str) -> Value {
    let loc = zone::load_location(zone).unwrap_or(Loc::Utc);
    Value::string(to_time(date).with_loc(loc).format(layout))
}

fn date(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    Ok(format_in_zone(str_arg(a, 0), a.get(1), "Local"))
}

fn html_date(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    Ok(format_in_zone("2006-01-02", a.first(), "Local"))
}

fn date_in_zone(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    Ok(format_in_zone(str_arg(a, 0), a.get(1), str_arg(a, 2)))
}

fn html_date_in_zone(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    Ok(format_in_zone("2006-01-02", a.first(), str_arg(a, 1)))
}

/// `dateModify`: a bad duration leaves the date as it was.
fn date_modify(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let t = time_arg(a, 1);
    Ok(match duration::parse(str_arg(a, 0)) {
        Ok(d) => t.add(d),
        Err(_) => t,
    }
    .into_value())
}

fn must_date_modify(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let d = duration::parse(str_arg(a, 0)).map_err(FuncErr::msg)?;
    Ok(time_arg(a, 1).add(d).into_value())
}

/// `ago`: time since a time or int/int64 Unix seconds (else now), rounded
/// to the second.
fn ago(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let t = match a.first() {
        Some(Value::Int(n, IntTy::Int | IntTy::Int64)) => GoTime::from_unix(*n, 0),
        Some(v) => GoTime::from_value(v).unwrap_or_else(GoTime::now),
        None => GoTime::now(),
    };
    let d = duration::round(t.since(), duration::SECOND);
    Ok(Value::string(duration::format(d)))
}

/// `duration`: seconds as a string or int64 (anything else is 0), printed
/// as a Go Duration; the multiplication wraps like Go's.
fn duration(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let n = match a.first() {
        Some(Value::String(s)) => parse_int64(s).unwrap_or(0),
        Some(Value::Int(n, IntTy::Int64)) => *n,
        _ => 0,
    };
    Ok(Value::string(duration::format(
        n.wrapping_mul(duration::SECOND),
    )))
}

/// Go's `strconv.ParseInt(s, 10, 64)` success cases (Sprig ignores the
/// error, and Go returns 0 for syntax errors but ±max on range errors).
fn parse_int64(s: &str) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(match s.parse::<i64>() {
        Ok(n) => n,
        Err(_) if neg => i64::MIN,
        Err(_) => i64::MAX,
    })
}

/// `durationRound`: a coarse "2h"/"3mo"/"1y" of a duration string, int64
/// nanoseconds or the time since a time.Time (anything else is 0s).
fn duration_round(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let d: i64 = match a.first() {
        Some(Value::String(s)) => duration::parse(s).unwrap_or(0),
        Some(Value::Int(n, IntTy::Int64)) => *n,
        Some(v) => GoTime::from_value(v).map_or(0, |t| t.since()),
        None => 0,
    };
    let u = d.unsigned_abs();
    const HOUR: u64 = 3_600_000_000_000;
    let units: [(u64, &str); 6] = [
        (HOUR * 24 * 365, "y"),
        (HOUR * 24 * 30, "mo"),
        (HOUR * 24, "d"),
        (HOUR, "h"),
        (60_000_000_000, "m"),
        (1_000_000_000, "s"),
    ];
    let text = units
        .iter()
        .find(|(unit, _)| u > *unit)
        .map_or_else(|| "0s".to_string(), |(unit, s)| format!("{}{s}", u / unit));
    Ok(Value::string(text))
}

/// `toDate`: the zero time when the value does not parse.
fn to_date(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    let t =
        layout::parse(str_arg(a, 0), str_arg(a, 1), &Loc::Local).unwrap_or_else(|_| GoTime::zero());
    Ok(t.into_value())
}

fn must_to_date(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    layout::parse(str_arg(a, 0), str_arg(a, 1), &Loc::Local)
        .map(GoTime::into_value)
        .map_err(FuncErr::msg)
}

fn unix_epoch(_: &mut State, a: &[Value]) -> Result<Value, FuncErr> {
    Ok(Value::string(time_arg(a, 0).unix.to_string()))
}
