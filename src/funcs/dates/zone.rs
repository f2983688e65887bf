//! Go's `*time.Location`: UTC, Local, fixed zones and IANA zones.
//!
//! Like Go, zones load from the system zoneinfo directories first (so the
//! same machine gives the same abbreviations, including backzone data);
//! when a zone is not there we use jiff's bundled copy of the tz database,
//! so no system files are required.

use std::rc::Rc;
use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Where Go looks for zoneinfo files on Unix (`platformZoneSources`).
const ZONE_DIRS: &[&str] = &[
    "/usr/share/zoneinfo/",
    "/usr/share/lib/zoneinfo/",
    "/usr/lib/locale/TZ/",
    "/etc/zoneinfo/",
];

#[derive(Clone)]
pub enum Loc {
    Utc,
    /// `time.Local`, resolved once per process like Go's `initLocal`.
    Local,
    /// `time.FixedZone(name, offset)`; an empty name prints as `+hhmm`.
    Fixed(Rc<str>, i32),
    Zone(TimeZone),
}

impl Loc {
    /// Go's `Location.lookup`: zone abbreviation and UTC offset in seconds
    /// in effect at a Unix second.
    pub fn lookup(&self, unix: i64) -> (String, i32) {
        match self {
            Loc::Utc => ("UTC".into(), 0),
            Loc::Local => match local() {
                Some(tz) => tz_lookup(tz, unix),
                None => ("UTC".into(), 0),
            },
            Loc::Fixed(name, off) => (name.to_string(), *off),
            Loc::Zone(tz) => tz_lookup(tz, unix),
        }
    }

    /// Go's `Location.lookupName`: the offset of a zone abbreviation used by
    /// this location near `unix`, preferring one in effect at that time.
    pub fn lookup_name(&self, name: &str, unix: i64) -> Option<i32> {
        let tz = match (self, local()) {
            (Loc::Fixed(n, off), _) => return (&**n == name).then_some(*off),
            (Loc::Zone(tz), _) | (Loc::Local, Some(tz)) => tz,
            (Loc::Utc | Loc::Local, _) => return (name == "UTC").then_some(0),
        };
        let zones = zone_types(tz, unix);
        for &(ref zname, off) in &zones {
            if zname == name && tz_lookup(tz, unix - i64::from(off)).0 == *zname {
                return Some(tz_lookup(tz, unix - i64::from(off)).1);
            }
        }
        zones.into_iter().find(|(n, _)| n == name).map(|(_, o)| o)
    }
}

/// Abbreviation and offset of a jiff zone; instants beyond jiff's range use
/// the nearest representable one.
fn tz_lookup(tz: &TimeZone, unix: i64) -> (String, i32) {
    let ts = timestamp(unix);
    let info = tz.to_offset_info(ts);
    (info.abbreviation().to_string(), info.offset().seconds())
}

fn timestamp(unix: i64) -> Timestamp {
    let min = Timestamp::MIN.as_second();
    let max = Timestamp::MAX.as_second();
    Timestamp::from_second(unix.clamp(min, max)).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The zone types (abbreviation, offset) of a location, as Go's zone table:
/// the one before any transition (LMT), every earlier transition and a
/// bounded number of later ones (a POSIX rule repeats forever).
fn zone_types(tz: &TimeZone, unix: i64) -> Vec<(String, i32)> {
    let ts = timestamp(unix);
    let mut v = vec![
        tz_lookup(tz, unix),
        tz_lookup(tz, Timestamp::MIN.as_second()),
    ];
    let transitions = tz.preceding(ts).take(4096).chain(tz.following(ts).take(64));
    for t in transitions {
        v.push((t.abbreviation().to_string(), t.offset().seconds()));
    }
    v
}

/// Go's `time.LoadLocation`; `None` where Go returns an error.
pub fn load_location(name: &str) -> Option<Loc> {
    match name {
        "" | "UTC" => return Some(Loc::Utc),
        "Local" => return Some(Loc::Local),
        _ => {}
    }
    if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
        return None;
    }
    load_zone(name).map(Loc::Zone)
}

/// A named zone from `$ZONEINFO`, the system directories, then the bundle.
fn load_zone(name: &str) -> Option<TimeZone> {
    if let Ok(dir) = std::env::var("ZONEINFO")
        && !dir.is_empty()
        && let Some(tz) = read_tzif(&format!("{dir}/{name}"), name)
    {
        return Some(tz);
    }
    for dir in ZONE_DIRS {
        if let Some(tz) = read_tzif(&format!("{dir}{name}"), name) {
            return Some(tz);
        }
    }
    // jiff matches names case-insensitively; zone files are case-sensitive.
    let tz = TimeZone::get(name).ok()?;
    (tz.iana_name() == Some(name)).then_some(tz)
}

fn read_tzif(path: &str, name: &str) -> Option<TimeZone> {
    let data = std::fs::read(path).ok()?;
    TimeZone::tzif(name, &data).ok()
}

/// Go's `initLocal`: `$TZ` unset means /etc/localtime, empty means UTC,
/// `:` is ignored, a path is read as a file, a name is loaded; UTC when
/// anything fails. `None` stands for UTC.
fn local() -> Option<&'static TimeZone> {
    static LOCAL: OnceLock<Option<TimeZone>> = OnceLock::new();
    LOCAL
        .get_or_init(|| match std::env::var("TZ") {
            Err(_) => read_tzif("/etc/localtime", "Local"),
            Ok(tz) => {
                let tz = tz.strip_prefix(':').unwrap_or(&tz);
                if tz.starts_with('/') {
                    read_tzif(tz, tz)
                } else if !tz.is_empty() && tz != "UTC" {
                    load_zone(tz)
                } else {
                    None
                }
            }
        })
        .as_ref()
}
