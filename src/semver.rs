//! Semantic versions and constraints with Masterminds/semver v3 semantics, as
//! Helm uses them for `semverCompare`, Chart.yaml `kubeVersion` and
//! dependency versions.
//!
//! Parsing is the loose `semver.NewVersion`: a leading `v`, one to three
//! numeric segments (`1.31` is `1.31.0`, leading zeros allowed), then
//! prerelease and metadata identifiers. Constraints follow Masterminds v3:
//! `||` between groups; comma or whitespace between the ANDed constraints of a
//! group; hyphen ranges; `x`/`X`/`*` wildcards; the operators
//! `= != > < >= => <= =< ~ ~> ^`. A prerelease version only satisfies a group
//! when some constraint of that group names a prerelease itself (so
//! `>=1.31.0-0` admits `1.32.1-eks-5678` while `>=1.31.0` does not).
//! Error texts are Masterminds' own.

use std::cmp::Ordering;
use std::fmt;
use std::sync::LazyLock;

/// Longest version string `NewVersion` accepts.
pub const MAX_VERSION_LEN: usize = 256;
/// Longest constraint string `NewConstraint` accepts.
pub const MAX_CONSTRAINT_LEN: usize = 512;
/// Most `||` groups a constraint may have.
pub const MAX_CONSTRAINT_GROUPS: usize = 32;

/// A parse error, displayed with Masterminds' wording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    fn new(s: impl Into<String>) -> Error {
        Error(s.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

const INVALID: &str = "invalid semantic version";
const STARTS_ZERO: &str = "version segment starts with 0";

/// A parsed version (`*semver.Version`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

impl Version {
    /// `semver.NewVersion`: the loose, coercing parser.
    pub fn parse(v: &str) -> Result<Version, Error> {
        if v.len() > MAX_VERSION_LEN {
            return Err(Error::new(format!(
                "version string is too long (max {MAX_VERSION_LEN} bytes)"
            )));
        }
        let (segs, pre, metadata) = split_parts(v).ok_or_else(|| Error::new(INVALID))?;
        let mut nums = [0u64; 3];
        for (n, s) in nums.iter_mut().zip(&segs) {
            *n = parse_segment(s)?;
        }
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        Ok(Version {
            major: nums[0],
            minor: nums[1],
            patch: nums[2],
            pre: pre.to_string(),
            metadata: metadata.to_string(),
            original: v.to_string(),
        })
    }

    pub fn major(&self) -> u64 {
        self.major
    }
    pub fn minor(&self) -> u64 {
        self.minor
    }
    pub fn patch(&self) -> u64 {
        self.patch
    }
    pub fn prerelease(&self) -> &str {
        &self.pre
    }
    pub fn metadata(&self) -> &str {
        &self.metadata
    }
    /// The string the version was parsed from.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// Semver precedence: metadata is ignored, a prerelease sorts before
    /// its release, prerelease identifiers compare numerically when both
    /// are numbers.
    pub fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }
}

/// `String()`: no leading `v`, always three segments.
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

/// Split a loose version into its numeric segments (missing ones are "0"),
/// prerelease and metadata; `None` when it does not have that shape.
fn split_parts(v: &str) -> Option<([&str; 3], &str, &str)> {
    let mut s = v.strip_prefix('v').unwrap_or(v);
    let mut metadata = "";
    if let Some((head, meta)) = s.split_once('+') {
        if !valid_identifiers(meta) {
            return None;
        }
        (s, metadata) = (head, meta);
    }
    let mut pre = "";
    if let Some((head, p)) = s.split_once('-') {
        if !valid_identifiers(p) {
            return None;
        }
        (s, pre) = (head, p);
    }
    let mut segs = ["0"; 3];
    for (n, seg) in s.split('.').enumerate() {
        if n > 2 || seg.is_empty() || !seg.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        segs[n] = seg;
    }
    Some((segs, pre, metadata))
}

/// Dot-separated, non-empty identifiers of `[0-9A-Za-z-]`.
fn valid_identifiers(s: &str) -> bool {
    s.split('.')
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

fn parse_segment(s: &str) -> Result<u64, Error> {
    s.parse::<u64>().map_err(|_| {
        // The segment is all digits, so overflow is the only failure.
        Error::new(format!(
            "error parsing version segment: strconv.ParseUint: parsing {}: value out of range",
            crate::go::fmt::go_quote(s)
        ))
    })
}

fn validate_prerelease(p: &str) -> Result<(), Error> {
    if !valid_identifiers(p) {
        return Err(Error::new("invalid prerelease string"));
    }
    let leading_zero =
        |s: &str| s.len() > 1 && s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit());
    if p.split('.').any(leading_zero) {
        return Err(Error::new(STARTS_ZERO));
    }
    Ok(())
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let mut x = a.split('.');
    let mut y = b.split('.');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (p, q) => {
                let d = compare_pre_part(p.unwrap_or(""), q.unwrap_or(""));
                if d != Ordering::Equal {
                    return d;
                }
            }
        }
    }
}

/// One identifier: a missing one sorts first, numbers before words,
/// numbers numerically, words bytewise.
fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    let num = |t: &str| {
        if t.bytes().all(|b| b.is_ascii_digit()) {
            t.parse::<u64>().ok()
        } else {
            None
        }
    };
    match (num(s), num(o)) {
        (None, None) => s.cmp(o),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        // Equal numbers with different spellings ("01" vs "1") count as
        // greater, as in Masterminds.
        (Some(p), Some(q)) if p > q => Ordering::Greater,
        (Some(_), Some(_)) => Ordering::Less,
    }
}

/// The operator of one constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// `""` and `=`: equality, or tilde when a wildcard is present.
    TildeOrEqual,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

/// Operator spellings in the order Masterminds' regex alternation tries
/// them; the first that leaves a valid version wins.
const OPS: [(&str, Op); 12] = [
    ("=", Op::TildeOrEqual),
    ("", Op::TildeOrEqual),
    ("!=", Op::NotEqual),
    (">", Op::Greater),
    ("<", Op::Less),
    (">=", Op::GreaterEqual),
    ("=>", Op::GreaterEqual),
    ("<=", Op::LessEqual),
    ("=<", Op::LessEqual),
    ("~", Op::Tilde),
    ("~>", Op::Tilde),
    ("^", Op::Caret),
];

/// One comparison such as `>=1.2.x`.
#[derive(Clone, Debug)]
struct Constraint {
    con: Version,
    /// The version text as written (`1.x`), for messages.
    orig: String,
    /// The operator as written, for `Display`.
    op_text: &'static str,
    op: Op,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

/// Why a constraint rejected a version (Masterminds' messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fail {
    Pre,
    Equal,
    Lte,
    Gte,
    Lt,
    Gt,
    SameMajor,
    SameMajorMinor,
    NotEqual,
    MinorMatch,
    Minor,
    ZeroZero,
}

/// A set of `||` groups of ANDed constraints (`*semver.Constraints`).
#[derive(Clone, Debug)]
pub struct Constraints {
    groups: Vec<Vec<Constraint>>,
    contains_pre: Vec<bool>,
    /// Admit prereleases even when no constraint of a group names one.
    pub include_prerelease: bool,
}

impl Constraints {
    /// `semver.NewConstraint`.
    pub fn parse(c: &str) -> Result<Constraints, Error> {
        if c.len() > MAX_CONSTRAINT_LEN {
            return Err(Error::new(format!(
                "constraint string is too long (max {MAX_CONSTRAINT_LEN} bytes)"
            )));
        }
        let c = rewrite_ranges(c);
        let ors: Vec<&str> = c.split("||").collect();
        if ors.len() > MAX_CONSTRAINT_GROUPS {
            return Err(Error::new(format!(
                "too many constraint groups (max {MAX_CONSTRAINT_GROUPS})"
            )));
        }
        let mut groups = Vec::with_capacity(ors.len());
        let mut contains_pre = Vec::with_capacity(ors.len());
        for g in ors {
            let atoms = split_group(g).ok_or_else(|| improper(g))?;
            let group = atoms
                .into_iter()
                .map(parse_constraint)
                .collect::<Result<Vec<_>, _>>()?;
            contains_pre.push(group.iter().any(|c| !c.con.pre.is_empty()));
            groups.push(group);
        }
        Ok(Constraints {
            groups,
            contains_pre,
            include_prerelease: false,
        })
    }

    /// Whether `v` satisfies some group.
    pub fn check(&self, v: &Version) -> bool {
        self.groups.iter().zip(&self.contains_pre).any(|(g, &pre)| {
            let pre = pre || self.include_prerelease;
            g.iter().all(|c| c.test(v, pre).is_ok())
        })
    }

    /// `Validate`: whether `v` satisfies some group and, when not, the
    /// reasons each constraint gave.
    pub fn validate(&self, v: &Version) -> (bool, Vec<String>) {
        let mut errs = Vec::new();
        let mut told_pre = false;
        for (g, &pre) in self.groups.iter().zip(&self.contains_pre) {
            let pre = pre || self.include_prerelease;
            let mut ok = true;
            for c in g {
                if !pre && !v.pre.is_empty() {
                    if !told_pre {
                        errs.push(c.message(Fail::Pre, v));
                        told_pre = true;
                    }
                    ok = false;
                } else if let Err(f) = c.test(v, pre) {
                    errs.push(c.message(f, v));
                    ok = false;
                }
            }
            if ok {
                return (true, Vec::new());
            }
        }
        (false, errs)
    }
}

/// `String()`: constraints space-separated, groups joined by ` || `.
impl fmt::Display for Constraints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, g) in self.groups.iter().enumerate() {
            if i > 0 {
                f.write_str(" || ")?;
            }
            for (j, c) in g.iter().enumerate() {
                if j > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{}{}", c.op_text, c.orig)?;
            }
        }
        Ok(())
    }
}

fn improper(s: &str) -> Error {
    Error::new(format!(
        "improper constraint: {}",
        crate::go::fmt::go_quote(s)
    ))
}

/// Whitespace as Go's regexp `\s` knows it.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

/// Bytes of a version segment in constraints: digits, wildcards, and `|`
/// (Masterminds' character class `[0-9|x|X|\*]` admits it).
fn is_seg(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'x' | b'X' | b'*' | b'|')
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_ws(s[i]) {
        i += 1;
    }
    i
}

/// Rewrite hyphen ranges `A - B` into `>= A, <= B `, as Masterminds does
/// with a regular expression before anything else is parsed.
fn rewrite_ranges(c: &str) -> String {
    // regex-lite: this runs once per process, where the full engine's
    // compile time dominated a small chart's render.
    static RANGE: LazyLock<regex_lite::Regex> = LazyLock::new(|| {
        let cv = r"v?[0-9|xX*]+(?:\.[0-9|xX*]+)?(?:\.[0-9|xX*]+)?(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?";
        let ws = r"[\t\n\x0c\r ]";
        regex_lite::Regex::new(&format!("{ws}*({cv}){ws}+-{ws}+({cv}){ws}*"))
            .unwrap_or_else(|e| unreachable!("static range regex: {e}"))
    });
    if !c.contains('-') {
        return c.to_string();
    }
    let mut out = c.to_string();
    for m in RANGE.captures_iter(c) {
        let (Some(all), Some(a), Some(b)) = (m.get(0), m.get(1), m.get(2)) else {
            continue;
        };
        let with = format!(">= {}, <= {} ", a.as_str(), b.as_str());
        out = out.replacen(all.as_str(), &with, 1);
    }
    out
}

/// End of the version text starting at `i` (after an optional `v`): up to
/// three segments, then prerelease and metadata.
fn scan_version_end(s: &[u8], mut i: usize) -> Option<usize> {
    if s.get(i) == Some(&b'v') {
        i += 1;
    }
    if !s.get(i).is_some_and(|&b| is_seg(b)) {
        return None;
    }
    while i < s.len() && is_seg(s[i]) {
        i += 1;
    }
    for _ in 0..2 {
        if s.get(i) == Some(&b'.') {
            if !s.get(i + 1).is_some_and(|&b| is_seg(b)) {
                return None;
            }
            i += 1;
            while i < s.len() && is_seg(s[i]) {
                i += 1;
            }
        }
    }
    for sep in [b'-', b'+'] {
        if s.get(i) == Some(&sep) {
            let j = scan_idents(s, i + 1);
            if j == i + 1 {
                return None;
            }
            i = j;
        }
    }
    Some(i)
}

/// End of dot-separated identifiers starting at `start`; `start` when the
/// first is empty. A trailing `.` is not consumed.
fn scan_idents(s: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < s.len() && is_ident(s[i]) {
        i += 1;
    }
    if i == start {
        return start;
    }
    while s.get(i) == Some(&b'.') {
        let mut k = i + 1;
        while k < s.len() && is_ident(s[k]) {
            k += 1;
        }
        if k == i + 1 {
            break;
        }
        i = k;
    }
    i
}

/// End of the operator-and-version atom at `start` (leading whitespace
/// skipped), trying operators in regex alternation order.
fn atom_end(s: &[u8], start: usize) -> Option<usize> {
    let i = skip_ws(s, start);
    OPS.iter().find_map(|(op, _)| {
        let op = op.as_bytes();
        if !s[i..].starts_with(op) {
            return None;
        }
        scan_version_end(s, skip_ws(s, i + op.len()))
    })
}

/// Split one `||` group into its atoms; `None` when it is malformed.
/// Atoms are separated by whitespace or by one comma.
fn split_group(g: &str) -> Option<Vec<&str>> {
    let s = g.as_bytes();
    let first = atom_end(s, 0)?;
    let mut atoms = vec![&g[..first]];
    let mut rest = first;
    while rest < s.len() {
        let q = skip_ws(s, rest);
        if q == s.len() {
            break;
        }
        let begin = if s[q] == b',' {
            q + 1
        } else if q == rest {
            // Two atoms with nothing between them.
            return None;
        } else {
            q
        };
        let end = atom_end(s, begin)?;
        atoms.push(&g[begin..end]);
        rest = end;
    }
    Some(atoms)
}

/// The pieces of one atom, like Masterminds' constraint regex groups.
struct AtomParts<'a> {
    op_text: &'static str,
    op: Op,
    /// The whole version text.
    whole: &'a str,
    major: &'a str,
    /// `.minor` with its dot, or empty.
    minor: &'a str,
    /// `.patch` with its dot, or empty.
    patch: &'a str,
    /// `-pre` with its dash, or empty.
    pre: &'a str,
}

fn atom_parts(c: &str) -> Option<AtomParts<'_>> {
    let s = &c[skip_ws(c.as_bytes(), 0)..];
    OPS.iter().find_map(|&(op_text, op)| {
        let rest = s.strip_prefix(op_text)?;
        let rest = &rest[skip_ws(rest.as_bytes(), 0)..];
        version_parts(rest).map(|(whole, major, minor, patch, pre)| AtomParts {
            op_text,
            op,
            whole,
            major,
            minor,
            patch,
            pre,
        })
    })
}

type VersionText<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

/// Split the version text of an atom; only whitespace may follow it.
fn version_parts(r: &str) -> Option<VersionText<'_>> {
    let b = r.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'v'));
    let seg_end = |mut j: usize| {
        while j < b.len() && is_seg(b[j]) {
            j += 1;
        }
        j
    };
    if !b.get(i).is_some_and(|&x| is_seg(x)) {
        return None;
    }
    let j = seg_end(i);
    let major = &r[i..j];
    i = j;
    let mut dotted = ["", ""];
    for d in &mut dotted {
        if b.get(i) == Some(&b'.') {
            if !b.get(i + 1).is_some_and(|&x| is_seg(x)) {
                return None;
            }
            let j = seg_end(i + 1);
            *d = &r[i..j];
            i = j;
        }
    }
    let mut pre = "";
    if b.get(i) == Some(&b'-') {
        let k = scan_idents(b, i + 1);
        if k == i + 1 {
            return None;
        }
        pre = &r[i..k];
        i = k;
    }
    if b.get(i) == Some(&b'+') {
        let k = scan_idents(b, i + 1);
        if k == i + 1 {
            return None;
        }
        i = k;
    }
    if !b[i..].iter().all(|&x| is_ws(x)) {
        return None;
    }
    Some((r, major, dotted[0], dotted[1], pre))
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

fn parse_constraint(c: &str) -> Result<Constraint, Error> {
    let p = atom_parts(c).ok_or_else(|| improper(c))?;
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    let ver = if is_x(p.major) {
        dirty = true;
        format!("0.0.0{}", p.pre)
    } else if p.minor.is_empty() || is_x(&p.minor[1..]) {
        (dirty, minor_dirty) = (true, true);
        format!("{}.0.0{}", p.major, p.pre)
    } else if p.patch.is_empty() || is_x(&p.patch[1..]) {
        (dirty, patch_dirty) = (true, true);
        format!("{}{}.0{}", p.major, p.minor, p.pre)
    } else {
        p.whole.to_string()
    };
    let con = Version::parse(&ver).map_err(|_| Error::new("constraint parser error"))?;
    Ok(Constraint {
        con,
        orig: p.whole.to_string(),
        op_text: p.op_text,
        op: p.op,
        dirty,
        minor_dirty,
        patch_dirty,
    })
}

impl Constraint {
    /// Test `v`; `pre` says whether prereleases are admitted.
    fn test(&self, v: &Version, pre: bool) -> Result<(), Fail> {
        if !v.pre.is_empty() && !pre {
            return Err(Fail::Pre);
        }
        match self.op {
            Op::TildeOrEqual if self.dirty => self.tilde(v),
            Op::TildeOrEqual => ok_or(v.compare(&self.con).is_eq(), Fail::NotEqual),
            Op::NotEqual => self.not_equal(v),
            Op::Greater => self.greater(v),
            Op::Less => ok_or(v.compare(&self.con).is_lt(), Fail::Gte),
            Op::GreaterEqual => ok_or(v.compare(&self.con).is_ge(), Fail::Lt),
            Op::LessEqual => self.less_equal(v),
            Op::Tilde => self.tilde(v),
            Op::Caret => self.caret(v),
        }
    }

    fn not_equal(&self, v: &Version) -> Result<(), Fail> {
        let c = &self.con;
        if self.dirty {
            if c.major != v.major {
                return Ok(());
            }
            if c.minor != v.minor && !self.minor_dirty {
                return Ok(());
            }
            if self.minor_dirty {
                return Err(Fail::Equal);
            }
            if c.patch != v.patch && !self.patch_dirty {
                return Ok(());
            }
            if self.patch_dirty {
                let pre_differs = (!v.pre.is_empty() || !c.pre.is_empty())
                    && compare_prerelease(&v.pre, &c.pre).is_ne();
                return ok_or(pre_differs, Fail::Equal);
            }
        }
        ok_or(v.compare(c).is_ne(), Fail::Equal)
    }

    fn greater(&self, v: &Version) -> Result<(), Fail> {
        let c = &self.con;
        if !self.dirty || (v.major == c.major && !self.minor_dirty && !self.patch_dirty) {
            return ok_or(v.compare(c).is_gt(), Fail::Lte);
        }
        if v.major != c.major {
            return ok_or(v.major > c.major, Fail::Lte);
        }
        // `>11` needs 12 or more; `>11.1` needs 11.2 or more.
        ok_or(!self.minor_dirty && v.minor > c.minor, Fail::Lte)
    }

    fn less_equal(&self, v: &Version) -> Result<(), Fail> {
        let c = &self.con;
        if !self.dirty {
            return ok_or(v.compare(c).is_le(), Fail::Gt);
        }
        let over_minor = v.major == c.major && v.minor > c.minor && !self.minor_dirty;
        ok_or(v.major <= c.major && !over_minor, Fail::Gt)
    }

    fn tilde(&self, v: &Version) -> Result<(), Fail> {
        let c = &self.con;
        if v.compare(c).is_lt() {
            return Err(Fail::Lt);
        }
        // `~0.0.0` admits everything.
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return Ok(());
        }
        if v.major != c.major {
            return Err(Fail::SameMajor);
        }
        ok_or(v.minor == c.minor || self.minor_dirty, Fail::SameMajorMinor)
    }

    fn caret(&self, v: &Version) -> Result<(), Fail> {
        let c = &self.con;
        if v.compare(c).is_lt() {
            return Err(Fail::Lt);
        }
        if c.major > 0 || self.minor_dirty {
            return ok_or(v.major == c.major, Fail::SameMajor);
        }
        if v.major > 0 {
            return Err(Fail::SameMajor);
        }
        if c.minor > 0 || self.patch_dirty {
            return ok_or(v.minor == c.minor, Fail::MinorMatch);
        }
        if v.minor > 0 {
            return Err(Fail::Minor);
        }
        ok_or(v.patch == c.patch, Fail::ZeroZero)
    }

    fn message(&self, f: Fail, v: &Version) -> String {
        let q = crate::go::fmt::go_quote;
        let (v, c) = (q(&v.to_string()), q(&self.orig));
        match f {
            Fail::Pre => format!(
                "{v} is a prerelease version and the constraint is only looking for release versions"
            ),
            Fail::Equal => format!("{v} is equal to {c}"),
            Fail::Lte => format!("{v} is less than or equal to {c}"),
            Fail::Gte => format!("{v} is greater than or equal to {c}"),
            Fail::Lt => format!("{v} is less than {c}"),
            Fail::Gt => format!("{v} is greater than {c}"),
            Fail::SameMajor => format!("{v} does not have same major version as {c}"),
            Fail::SameMajorMinor => {
                format!("{v} does not have same major and minor version as {c}")
            }
            Fail::NotEqual => format!("{v} is not equal to {c}"),
            Fail::MinorMatch => format!(
                "{v} does not have same minor version as {c}. Expected minor versions to match when constraint major version is 0"
            ),
            Fail::Minor => format!("{v} does not have same minor version as {c}"),
            Fail::ZeroZero => format!(
                "{v} does not equal {c}. Expect version and constraint to equal when major and minor versions are 0"
            ),
        }
    }
}

fn ok_or(ok: bool, f: Fail) -> Result<(), Fail> {
    if ok { Ok(()) } else { Err(f) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &str, v: &str) -> bool {
        let c = Constraints::parse(c).unwrap_or_else(|e| panic!("{c}: {e}"));
        let v = Version::parse(v).unwrap_or_else(|e| panic!("{v}: {e}"));
        c.check(&v)
    }

    #[test]
    fn versions() {
        let ok = [
            ("1.2.3", "1.2.3"),
            ("v1.2.3", "1.2.3"),
            ("1.2", "1.2.0"),
            ("1", "1.0.0"),
            ("v1.31", "1.31.0"),
            ("01.02.03", "1.2.3"),
            ("1.2.3-alpha.1+build.5", "1.2.3-alpha.1+build.5"),
            ("1.2-beta", "1.2.0-beta"),
            ("1.2.3+meta-data", "1.2.3+meta-data"),
            ("1.2.3-rc-1", "1.2.3-rc-1"),
            ("1.32.1-eks-5678", "1.32.1-eks-5678"),
            ("18446744073709551615", "18446744073709551615.0.0"),
        ];
        for (i, want) in ok {
            let v = Version::parse(i).unwrap_or_else(|e| panic!("{i}: {e}"));
            assert_eq!(v.to_string(), want, "{i}");
            assert_eq!(v.original(), i);
        }
        let bad = [
            ("", INVALID),
            ("foo", INVALID),
            ("1.2.3.4", INVALID),
            ("V1.2.3", INVALID),
            ("1.2.3-", INVALID),
            ("1.2.3+", INVALID),
            ("1.2.3-a..b", INVALID),
            ("1..3", INVALID),
            (" 1.2.3", INVALID),
            ("1.2.3-01", STARTS_ZERO),
            ("1.2.3-a.00", STARTS_ZERO),
            (
                "18446744073709551616",
                "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range",
            ),
        ];
        for (i, want) in bad {
            assert_eq!(
                Version::parse(i).map(|v| v.to_string()),
                Err(Error::new(want)),
                "{i}"
            );
        }
        let long = format!("1.{}", "1".repeat(300));
        assert_eq!(
            Version::parse(&long).unwrap_err().to_string(),
            "version string is too long (max 256 bytes)"
        );
    }

    #[test]
    fn ordering() {
        let order = [
            "1.0.0-0",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.2.0",
            "2.0.0",
        ];
        for w in order.windows(2) {
            let (a, b) = (Version::parse(w[0]).unwrap(), Version::parse(w[1]).unwrap());
            assert_eq!(a.compare(&b), Ordering::Less, "{} < {}", w[0], w[1]);
            assert_eq!(b.compare(&a), Ordering::Greater, "{} > {}", w[1], w[0]);
        }
        let a = Version::parse("1.2.3+a").unwrap();
        let b = Version::parse("v1.2.3+b").unwrap();
        assert_eq!(a.compare(&b), Ordering::Equal);
    }

    #[test]
    fn constraint_table() {
        let table: &[(&str, &str, bool)] = &[
            // Plain operators.
            ("1.2.3", "1.2.3", true),
            ("=1.2.3", "1.2.4", false),
            ("!=1.2.3", "1.2.4", true),
            ("!=1.2.3", "1.2.3", false),
            (">1.2.3", "1.2.4", true),
            (">1.2.3", "1.2.3", false),
            ("<1.2.3", "1.2.2", true),
            ("<1.2.3", "1.2.3", false),
            (">=1.2.3", "1.2.3", true),
            ("=>1.2.3", "1.2.3", true),
            ("<=1.2.3", "1.2.3", true),
            ("=<1.2.3", "1.2.4", false),
            ("v1.2.3", "1.2.3", true),
            // Partial versions and wildcards.
            (">1", "1.9.9", false),
            (">1", "2.0.0", true),
            (">1.1", "1.1.9", false),
            (">1.1", "1.2.0", true),
            ("<=1.1", "1.1.9", true),
            ("<=1.1", "1.2.0", false),
            ("<=1", "1.9.0", true),
            ("1.x", "1.9.0", true),
            ("1.x", "2.0.0", false),
            ("1.2.x", "1.2.9", true),
            ("1.2.x", "1.3.0", false),
            ("*", "9.9.9", true),
            ("x", "0.0.1", true),
            ("!=1.x", "1.5.0", false),
            ("!=1.x", "2.0.0", true),
            ("!=1.2.x", "1.2.5", false),
            ("!=1.2.x", "1.3.0", true),
            // Tilde and caret.
            ("~1.2.3", "1.2.9", true),
            ("~1.2.3", "1.3.0", false),
            ("~1", "1.9.0", true),
            ("~1", "2.0.0", false),
            ("~>1.2", "1.2.5", true),
            ("~0.0.0", "5.0.0", true),
            ("^1.2.3", "1.9.0", true),
            ("^1.2.3", "2.0.0", false),
            ("^1.2.3", "1.2.2", false),
            ("^0.2.3", "0.2.9", true),
            ("^0.2.3", "0.3.0", false),
            ("^0.0.3", "0.0.3", true),
            ("^0.0.3", "0.0.4", false),
            ("^0", "0.9.0", true),
            ("^0.0", "0.0.9", true),
            ("^0.0", "0.1.0", false),
            ("^1.2", "1.9.9", true),
            ("~1.2", "1.9.9", false),
            // Groups, separators and ranges.
            (">=1.2, <2", "1.5.0", true),
            (">=1.2 <2", "2.0.0", false),
            (">= 2.1.x , < 3.1.0", "3.0.0", true),
            ("1.2 - 1.4", "1.4.9", true),
            ("1.2 - 1.4", "1.5.0", false),
            ("1.2.3 - 2", "1.5.0", true),
            ("<1 || >=3", "2.0.0", false),
            ("<1 || >=3", "3.1.0", true),
            ("~1.2, !=1.2.5", "1.2.5", false),
            // Prerelease handling.
            (">=1.31.0-0", "1.32.1-eks-5678", true),
            (">=1.31.0", "1.32.1-eks-5678", false),
            (">=1.31.0-0 <2", "1.32.1-eks-5678", true),
            (">=1.31.0 || >=1.0.0-0", "1.32.1-eks-5678", true),
            ("1.2.3-beta", "1.2.3-beta", true),
            (">1.2.3-alpha", "1.2.3-beta", true),
            (">1.2.3-alpha", "1.2.3", true),
            ("<1.2.3", "1.2.3-beta", false),
            ("^1.2.3-0", "1.2.4-rc.1", true),
            (">=1.0.0-beta.2", "1.0.0-beta.11", true),
        ];
        for &(c, v, want) in table {
            assert_eq!(check(c, v), want, "{c} vs {v}");
        }
    }

    #[test]
    fn constraint_errors() {
        let table: &[(&str, &str)] = &[
            ("", "improper constraint: \"\""),
            ("foo", "improper constraint: \"foo\""),
            ("1 || || 2", "improper constraint: \" \""),
            (">=1.0.0 <2,", "improper constraint: \">=1.0.0 <2,\""),
            ("1.0<2.0", "improper constraint: \"1.0<2.0\""),
            ("> = 1.2", "improper constraint: \"> = 1.2\""),
            ("1.2.3-", "improper constraint: \"1.2.3-\""),
            ("1|2", "constraint parser error"),
            ("xx", "constraint parser error"),
        ];
        for &(c, want) in table {
            assert_eq!(
                Constraints::parse(c).map(|c| c.to_string()),
                Err(Error::new(want)),
                "{c:?}"
            );
        }
        let many = vec!["1"; 33].join("||");
        assert_eq!(
            Constraints::parse(&many).unwrap_err().to_string(),
            "too many constraint groups (max 32)"
        );
        let long = ">=1.0.0 ".repeat(70);
        assert_eq!(
            Constraints::parse(&long).unwrap_err().to_string(),
            "constraint string is too long (max 512 bytes)"
        );
    }

    #[test]
    fn display_and_validate() {
        let c = Constraints::parse(">= 1.2, <2 || ~3.x").unwrap();
        assert_eq!(c.to_string(), ">=1.2 <2 || ~3.x");
        let c = Constraints::parse("1.0 - 2.0").unwrap();
        assert_eq!(c.to_string(), ">=1.0 <=2.0");
        let (ok, errs) = Constraints::parse("<1.2")
            .unwrap()
            .validate(&Version::parse("1.3").unwrap());
        assert!(!ok);
        assert_eq!(errs, ["\"1.3.0\" is greater than or equal to \"1.2\""]);
        let (ok, errs) = Constraints::parse(">1")
            .unwrap()
            .validate(&Version::parse("2.0.0-rc1").unwrap());
        assert!(!ok);
        assert_eq!(
            errs,
            [
                "\"2.0.0-rc1\" is a prerelease version and the constraint is only looking for release versions"
            ]
        );
    }
}
