//! Helm's choice of a version: an exact match first, else the highest
//! version satisfying the constraint (no version = `*`, the highest
//! stable one); versions that are not semver are skipped.

use std::cmp::Ordering;

use crate::semver::{Constraints, Version};

/// `versions` sorted highest first, semver-invalid ones dropped.
pub fn sorted(versions: &[String]) -> Vec<(Version, String)> {
    let mut v: Vec<(Version, String)> = versions
        .iter()
        .filter_map(|s| Version::parse(s).ok().map(|v| (v, s.clone())))
        .collect();
    v.sort_by(|a, b| b.0.compare(&a.0).then_with(|| Ordering::Equal));
    v
}

/// The version Helm picks for `want` among `versions`, or why none.
pub fn choose(what: &str, versions: &[String], want: Option<&str>) -> Result<String, String> {
    let want = want.map(str::trim).filter(|w| !w.is_empty());
    if let Some(w) = want
        && let Some(v) = versions.iter().find(|v| *v == w)
    {
        return Ok(v.clone());
    }
    let c = Constraints::parse(want.unwrap_or("*"))
        .map_err(|e| format!("{what}: --version {:?}: {e}", want.unwrap_or("")))?;
    let all = sorted(versions);
    if let Some((_, s)) = all.iter().find(|(v, _)| c.check(v)) {
        return Ok(s.clone());
    }
    let list: Vec<&str> = all.iter().map(|(_, s)| s.as_str()).collect();
    Err(match want {
        Some(w) => format!(
            "{what}: no chart version matches {w:?}; versions that exist: {}",
            if list.is_empty() {
                "none".to_string()
            } else {
                list.join(", ")
            }
        ),
        None => format!(
            "{what}: no stable chart version; versions that exist: {} (pass --version)",
            if list.is_empty() {
                "none".to_string()
            } else {
                list.join(", ")
            }
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vs(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn helm_choice() {
        let v = vs(&["0.1.0", "0.2.0", "1.0.0-rc.1", "0.10.1", "latest"]);
        assert_eq!(choose("c", &v, None), Ok("0.10.1".into()));
        assert_eq!(choose("c", &v, Some("^0.1.0")), Ok("0.1.0".into()));
        assert_eq!(choose("c", &v, Some("^0")), Ok("0.10.1".into()));
        assert_eq!(choose("c", &v, Some("~0.1")), Ok("0.1.0".into()));
        assert_eq!(choose("c", &v, Some(">=0.1.0 <0.3.0")), Ok("0.2.0".into()));
        assert_eq!(choose("c", &v, Some("1.0.0-rc.1")), Ok("1.0.0-rc.1".into()));
        assert_eq!(choose("c", &v, Some(">=1.0.0-0")), Ok("1.0.0-rc.1".into()));
        assert_eq!(choose("c", &v, Some("latest")), Ok("latest".into()));
        let e = choose("c", &v, Some("2.0.0")).unwrap_err();
        assert!(e.contains("1.0.0-rc.1, 0.10.1, 0.2.0, 0.1.0"), "{e}");
        assert!(choose("c", &v, Some(">>1")).is_err());
    }
}
