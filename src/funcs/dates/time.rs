//! Go's `time.Time` as a template value: the instant, its location and an
//! optional monotonic clock reading, with Go's calendar arithmetic
//! (including its wrap-around for extreme int64 seconds) and the methods
//! charts call (`.Unix`, `.Year`, `.Format`, `.UTC`, ...).

use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::duration::{MAX_DURATION, MIN_DURATION, SECOND};
use super::layout;
use super::zone::Loc;
use crate::value::{Object, Sig, Ty, Value};

const SECS_PER_DAY: u64 = 86_400;
/// Go's `absoluteYears`: the absolute epoch is March 1 of this year BC.
const ABSOLUTE_YEARS: u64 = 292_277_022_400;
/// Days from March 1 through December 31.
const MARCH_THRU_DECEMBER: u64 = 306;
const fn days_to_year(y: u64) -> u64 {
    y * 365 + y / 4 - y / 100 + y / 400
}
const UNIX_TO_INTERNAL: i64 = (days_to_year(1969) * SECS_PER_DAY) as i64;
const INTERNAL_TO_ABS: i64 =
    ((days_to_year(ABSOLUTE_YEARS) + MARCH_THRU_DECEMBER) * SECS_PER_DAY) as i64;
const UNIX_TO_ABS: i64 = UNIX_TO_INTERNAL + INTERNAL_TO_ABS;
/// Start of the range where Go can keep a monotonic reading (year 1885).
const WALL_TO_INTERNAL: i64 = (days_to_year(1884) * SECS_PER_DAY) as i64;
const MAX_WALL: i64 = WALL_TO_INTERNAL + (1 << 33) - 1;

/// A Go `time.Time`.
#[derive(Clone)]
pub struct GoTime {
    /// Seconds since 1970 (Go keeps seconds since year 1; the difference
    /// is a wrapping constant, so this is lossless).
    pub unix: i64,
    pub nsec: u32,
    pub loc: Loc,
    /// Monotonic reading in nanoseconds since process start (`m=+...`).
    pub mono: Option<i64>,
}

/// Calendar fields of an absolute second.
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub yday: u32,
    pub weekday: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
}

/// Go's absolute-days calendar split (Neri–Schneider), in wrapping u64
/// arithmetic exactly as Go does it.
pub fn civil(abs: u64) -> Civil {
    let days = abs / SECS_PER_DAY;
    let d = days.wrapping_mul(4).wrapping_add(3);
    let century = d / 146_097;
    let cd = ((d % 146_097) as u32) | 3;
    let prod = 2_939_745u64 * u64::from(cd);
    let cyear = (prod >> 32) as u32;
    let ayday = (prod as u32) / 2_939_745 / 4;
    let md = 2141 * ayday + 197_913;
    let amonth = md >> 16;
    let day = 1 + (md & 0xFFFF) / 2141;
    let jan_feb = u32::from(ayday >= MARCH_THRU_DECEMBER as u32);
    let leap = u32::from(cyear.is_multiple_of(4) && (cyear != 0 || century.is_multiple_of(4)));
    let year = (century.wrapping_mul(100).wrapping_sub(ABSOLUTE_YEARS) as i64)
        .wrapping_add(i64::from(cyear))
        .wrapping_add(i64::from(jan_feb));
    let sec = (abs % SECS_PER_DAY) as u32;
    Civil {
        year,
        month: amonth - 12 * jan_feb,
        day,
        yday: ayday + 60 + (leap & (1 - jan_feb)) - 365 * jan_feb,
        weekday: (days.wrapping_add(3) % 7) as u32,
        hour: sec / 3600,
        min: sec % 3600 / 60,
        sec: sec % 60,
    }
}

/// Go's `dateToAbsDays`; `month` must be in 1..=12.
fn date_to_abs_days(year: i64, month: i64, day: i64) -> u64 {
    let jan_feb = u64::from(month < 3);
    let amonth = month as u64 + 12 * jan_feb;
    let y = (year as u64)
        .wrapping_sub(jan_feb)
        .wrapping_add(ABSOLUTE_YEARS);
    let ayday = (979 * amonth - 2919) >> 5;
    let century = y / 100;
    let cyear = y % 100;
    let cday = 1461 * cyear / 4;
    let century_days = 146_097u64.wrapping_mul(century) / 4;
    century_days.wrapping_add(((cday + ayday) as i64).wrapping_add(day).wrapping_sub(1) as u64)
}

pub use crate::go::time::{days_in, is_leap};

/// Go's `norm`: carry `lo` into `hi` so that 0 <= lo < base.
fn norm(hi: i64, lo: i64, base: i64) -> (i64, i64) {
    let (mut hi, mut lo) = (hi, lo);
    if lo < 0 {
        let n = (lo.wrapping_neg().wrapping_sub(1)) / base + 1;
        hi = hi.wrapping_sub(n);
        lo = lo.wrapping_add(n.wrapping_mul(base));
    }
    if lo >= base {
        let n = lo / base;
        hi = hi.wrapping_add(n);
        lo -= n * base;
    }
    (hi, lo)
}

/// Process start for monotonic readings, like Go's `startNano`.
static START: OnceLock<Instant> = OnceLock::new();

/// Start the monotonic clock (called when the function map is built).
pub fn start_clock() {
    START.get_or_init(Instant::now);
}

/// Nanoseconds since process start, plus one as in Go.
fn mono_now() -> i64 {
    let start = START.get_or_init(Instant::now);
    i64::try_from(start.elapsed().as_nanos())
        .unwrap_or(i64::MAX)
        .saturating_add(1)
}

impl GoTime {
    /// Go's `time.Unix(sec, nsec)` in Local, `nsec` in range.
    pub fn from_unix(unix: i64, nsec: u32) -> GoTime {
        GoTime {
            unix,
            nsec,
            loc: Loc::Local,
            mono: None,
        }
    }

    /// Go's `time.Now()`.
    pub fn now() -> GoTime {
        let mono = mono_now();
        let (unix, nsec) = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let (s, n) = (d.as_secs() as i64, d.subsec_nanos());
                if n == 0 {
                    (-s, 0)
                } else {
                    (-s - 1, 1_000_000_000 - n)
                }
            }
        };
        let mut t = GoTime::from_unix(unix, nsec);
        if (WALL_TO_INTERNAL..=MAX_WALL).contains(&t.internal()) {
            t.mono = Some(mono);
        }
        t
    }

    /// The zero `time.Time{}`: January 1, year 1, UTC.
    pub fn zero() -> GoTime {
        GoTime {
            unix: -UNIX_TO_INTERNAL,
            nsec: 0,
            loc: Loc::Utc,
            mono: None,
        }
    }

    /// Go's `time.Date` with Go's normalisation of out-of-range fields.
    #[allow(clippy::too_many_arguments)]
    pub fn date(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        min: i64,
        sec: i64,
        nsec: i64,
        loc: Loc,
    ) -> GoTime {
        let (year, m) = norm(year, month.wrapping_sub(1), 12);
        let (sec, nsec) = norm(sec, nsec, 1_000_000_000);
        let (min, sec) = norm(min, sec, 60);
        let (hour, min) = norm(hour, min, 60);
        let (day, hour) = norm(day, hour, 24);
        let days = date_to_abs_days(year, m + 1, day);
        let mut unix = (days as i64)
            .wrapping_mul(SECS_PER_DAY as i64)
            .wrapping_add(hour * 3600 + min * 60 + sec)
            .wrapping_sub(UNIX_TO_ABS);
        // The offset at the wall time taken as UTC, corrected if the
        // instant it gives falls under a different offset.
        let (_, off) = loc.lookup(unix);
        if off != 0 {
            let utc = unix.wrapping_sub(off.into());
            let (_, off2) = loc.lookup(utc);
            unix = unix.wrapping_sub(off2.into());
        }
        GoTime {
            unix,
            nsec: nsec as u32,
            loc,
            mono: None,
        }
    }

    /// Seconds since year 1 (Go's internal `sec()`).
    fn internal(&self) -> i64 {
        self.unix.wrapping_add(UNIX_TO_INTERNAL)
    }

    /// Go's `addSec`: saturating on the internal seconds.
    pub fn add_sec(&mut self, d: i64) {
        let ext = self.internal();
        let sum = ext.wrapping_add(d);
        let ext = if (sum > ext) == (d > 0) {
            sum
        } else if d > 0 {
            i64::MAX
        } else {
            -i64::MAX
        };
        self.unix = ext.wrapping_sub(UNIX_TO_INTERNAL);
        if !(WALL_TO_INTERNAL..=MAX_WALL).contains(&ext) {
            self.mono = None;
        }
    }

    /// Go's `setLoc`: also drops the monotonic reading.
    pub fn with_loc(mut self, loc: Loc) -> GoTime {
        self.loc = loc;
        self.mono = None;
        self
    }

    /// Go's `Time.Add`.
    pub fn add(&self, d: i64) -> GoTime {
        let mut t = self.clone();
        let mut dsec = d / SECOND;
        let mut nsec = i64::from(self.nsec) + d % SECOND;
        if nsec >= SECOND {
            dsec += 1;
            nsec -= SECOND;
        } else if nsec < 0 {
            dsec -= 1;
            nsec += SECOND;
        }
        t.nsec = nsec as u32;
        t.add_sec(dsec);
        if let Some(m) = t.mono {
            t.mono = m.checked_add(d);
        }
        t
    }

    /// Go's `Time.Sub`, saturating at the Duration bounds.
    pub fn sub(&self, u: &GoTime) -> i64 {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return sub_mono(a, b);
        }
        let d = self
            .internal()
            .wrapping_sub(u.internal())
            .wrapping_mul(SECOND)
            .wrapping_add(i64::from(self.nsec) - i64::from(u.nsec));
        if u.add(d).equal(self) {
            d
        } else if self.before(u) {
            MIN_DURATION
        } else {
            MAX_DURATION
        }
    }

    /// Go's `time.Since`.
    pub fn since(&self) -> i64 {
        match self.mono {
            Some(m) => sub_mono(mono_now(), m),
            None => GoTime::now().with_loc(Loc::Local).sub(self),
        }
    }

    fn cmp_key(&self, u: &GoTime) -> std::cmp::Ordering {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return a.cmp(&b);
        }
        (self.internal(), self.nsec).cmp(&(u.internal(), u.nsec))
    }

    pub fn equal(&self, u: &GoTime) -> bool {
        self.cmp_key(u).is_eq()
    }

    pub fn before(&self, u: &GoTime) -> bool {
        self.cmp_key(u).is_lt()
    }

    /// Zone name, offset and absolute seconds (Go's `locabs`).
    pub fn locabs(&self) -> (String, i32, u64) {
        let (name, off) = self.loc.lookup(self.unix);
        let abs = self.unix.wrapping_add(off.into()).wrapping_add(UNIX_TO_ABS) as u64;
        (name, off, abs)
    }

    pub fn civil(&self) -> Civil {
        civil(self.locabs().2)
    }

    pub fn format(&self, layout: &str) -> String {
        layout::format(self, layout)
    }

    /// Go's `Time.String`, with `m=±s.nnnnnnnnn` when there is a
    /// monotonic reading.
    pub fn string(&self) -> String {
        let mut s = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            let sign = if m < 0 { '-' } else { '+' };
            let u = m.unsigned_abs();
            s.push_str(&format!(
                " m={sign}{}.{:09}",
                u / 1_000_000_000,
                u % 1_000_000_000
            ));
        }
        s
    }

    /// Go's `Time.AddDate`.
    fn add_date(&self, years: i64, months: i64, days: i64) -> GoTime {
        let c = self.civil();
        GoTime::date(
            c.year.wrapping_add(years),
            i64::from(c.month).wrapping_add(months),
            i64::from(c.day).wrapping_add(days),
            c.hour.into(),
            c.min.into(),
            c.sec.into(),
            self.nsec.into(),
            self.loc.clone(),
        )
    }

    /// Take a time.Time back out of a template value.
    pub fn from_value(v: &Value) -> Option<GoTime> {
        match v {
            Value::Object(o) => {
                let any: &dyn std::any::Any = &**o;
                any.downcast_ref::<GoTime>().cloned()
            }
            _ => None,
        }
    }

    pub fn into_value(self) -> Value {
        Value::Object(std::rc::Rc::new(self))
    }
}

fn sub_mono(t: i64, u: i64) -> i64 {
    let d = t.wrapping_sub(u);
    if d < 0 && t > u {
        MAX_DURATION
    } else if d > 0 && t < u {
        MIN_DURATION
    } else {
        d
    }
}

/// Go's `time.Month` and `time.Weekday`: ints that print as names.
struct Named {
    type_name: &'static str,
    name: &'static str,
}

impl Object for Named {
    fn type_name(&self) -> &str {
        self.type_name
    }
    fn kind_name(&self) -> &'static str {
        "int"
    }
    fn format(&self) -> String {
        self.name.to_string()
    }
}

const NO_ARGS: Sig = Sig::new(&[], None);
const FORMAT: Sig = Sig::new(&[Ty::String], None);
const ADD_DATE: Sig = Sig::new(&[Ty::Int, Ty::Int, Ty::Int], None);
const TIME_ARG: Sig = Sig::new(&[Ty::Time], None);

impl Object for GoTime {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn method(&self, name: &str) -> Option<&'static Sig> {
        Some(match name {
            "Format" => &FORMAT,
            "AddDate" => &ADD_DATE,
            "After" | "Before" | "Equal" | "Compare" => &TIME_ARG,
            "Unix" | "UnixMilli" | "UnixMicro" | "UnixNano" | "UTC" | "Local" | "Year"
            | "Month" | "Day" | "Hour" | "Minute" | "Second" | "Nanosecond" | "YearDay"
            | "Weekday" | "IsZero" | "String" => &NO_ARGS,
            _ => return None,
        })
    }

    fn call(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let int = |i: i64| Value::int64(i);
        let nsec = i64::from(self.nsec);
        let c = || self.civil();
        Ok(match name {
            "Format" => {
                Value::string(self.format(args.first().and_then(Value::as_str).unwrap_or("")))
            }
            "AddDate" => {
                let n = |i: usize| match args.get(i) {
                    Some(Value::Int(n, _)) => *n,
                    _ => 0,
                };
                self.add_date(n(0), n(1), n(2)).into_value()
            }
            "After" | "Before" | "Equal" | "Compare" => {
                let u = args
                    .first()
                    .and_then(GoTime::from_value)
                    .ok_or("bad time")?;
                match name {
                    "After" => Value::Bool(u.before(self)),
                    "Before" => Value::Bool(self.before(&u)),
                    "Equal" => Value::Bool(self.equal(&u)),
                    _ => Value::int(self.cmp_key(&u) as i64),
                }
            }
            "Unix" => int(self.unix),
            "UnixMilli" => int(self.unix.wrapping_mul(1_000).wrapping_add(nsec / 1_000_000)),
            "UnixMicro" => int(self.unix.wrapping_mul(1_000_000).wrapping_add(nsec / 1_000)),
            "UnixNano" => int(self.unix.wrapping_mul(SECOND).wrapping_add(nsec)),
            "UTC" => self.clone().with_loc(Loc::Utc).into_value(),
            "Local" => self.clone().with_loc(Loc::Local).into_value(),
            "Year" => Value::int(c().year),
            "Month" => Value::Object(std::rc::Rc::new(Named {
                type_name: "time.Month",
                name: layout::month_name(c().month),
            })),
            "Weekday" => Value::Object(std::rc::Rc::new(Named {
                type_name: "time.Weekday",
                name: layout::day_name(c().weekday),
            })),
            "Day" => Value::int(c().day.into()),
            "Hour" => Value::int(c().hour.into()),
            "Minute" => Value::int(c().min.into()),
            "Second" => Value::int(c().sec.into()),
            "Nanosecond" => Value::int(nsec),
            "YearDay" => Value::int(c().yday.into()),
            "IsZero" => Value::Bool(self.internal() == 0 && self.nsec == 0),
            "String" => Value::string(self.string()),
            _ => return Err(format!("no method {name}")),
        })
    }

    fn format(&self) -> String {
        self.string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(unix: i64) -> GoTime {
        GoTime::from_unix(unix, 0).with_loc(Loc::Utc)
    }

    #[test]
    fn calendar() {
        assert_eq!(utc(0).string(), "1970-01-01 00:00:00 +0000 UTC");
        assert_eq!(GoTime::zero().string(), "0001-01-01 00:00:00 +0000 UTC");
        assert_eq!(
            utc(i64::MAX).format("2006-01-02 15:04:05"),
            "292277026596-12-04 15:30:07"
        );
        let t = GoTime::date(2024, 2, 29, 0, 0, 0, 0, Loc::Utc);
        assert_eq!(t.unix, 1_709_164_800);
        assert_eq!(t.civil().yday, 60);
    }

    #[test]
    fn sub_saturates() {
        let a = utc(i64::MAX / 2);
        let b = utc(-(i64::MAX / 2));
        assert_eq!(a.sub(&b), MAX_DURATION);
        assert_eq!(b.sub(&a), MIN_DURATION);
        assert_eq!(utc(10).sub(&utc(4)), 6 * SECOND);
    }
}
