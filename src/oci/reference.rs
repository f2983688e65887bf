//! OCI image references (the distribution `reference` grammar): what an
//! image volume's `reference` may be, split into its parts.
//!
//! `[registry[:port]/]repository[:tag][@algorithm:hex]`, with lowercase
//! repository components, tags of at most 128 word characters, dots and
//! dashes, and digests whose length fits the algorithm.

/// A parsed reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

fn is_alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// One path component: alphanumerics joined by `.`, `_`, `__` or dashes.
fn valid_component(s: &str) -> bool {
    let b: Vec<char> = s.chars().collect();
    if b.is_empty() || !is_alnum_lower(b[0]) || !is_alnum_lower(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_alnum_lower(b[i]) {
            i += 1;
            continue;
        }
        // A separator: `.`, `_`, `__`, or one or more `-`.
        let start = i;
        while i < b.len() && !is_alnum_lower(b[i]) {
            i += 1;
        }
        let sep: String = b[start..i].iter().collect();
        let ok = sep == "." || sep == "_" || sep == "__" || sep.chars().all(|c| c == '-');
        if !ok {
            return false;
        }
    }
    true
}

fn valid_domain(s: &str) -> bool {
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (s, None),
    };
    if let Some(p) = port
        && (p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    !host.is_empty()
        && host.split('.').all(|part| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        })
}

fn valid_tag(t: &str) -> bool {
    let mut cs = t.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphanumeric() || c == '_')
        && t.len() <= 128
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
}

fn valid_digest(d: &str) -> Result<(), String> {
    let Some((alg, hex)) = d.split_once(':') else {
        return Err(format!(
            "digest {d:?} has no algorithm (expected e.g. sha256:<64 hex>)"
        ));
    };
    let alg_ok = !alg.is_empty()
        && alg
            .split(['+', '.', '_', '-'])
            .all(|p| !p.is_empty() && p.chars().all(is_alnum_lower));
    if !alg_ok {
        return Err(format!("digest algorithm {alg:?} is not valid"));
    }
    let want = match alg {
        "sha256" => Some(64),
        "sha384" => Some(96),
        "sha512" => Some(128),
        _ => None,
    };
    if !hex
        .chars()
        .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        || hex.is_empty()
    {
        return Err(format!("digest {d:?} must be lowercase hexadecimal"));
    }
    if let Some(n) = want
        && hex.len() != n
    {
        return Err(format!(
            "{alg} digest must have {n} hex characters, {:?} has {}",
            d,
            hex.len()
        ));
    }
    Ok(())
}

/// Parse a reference; the error says everything that is wrong with it
/// (faults joined by `; `), not only the first.
pub fn parse(s: &str) -> Result<Reference, String> {
    if s.is_empty() {
        return Err("reference is empty".into());
    }
    if s.len() > 255 + 128 + 72 {
        return Err("reference is too long".into());
    }
    let mut errors = Vec::new();
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => {
            if let Err(e) = valid_digest(d) {
                errors.push(e);
            }
            (r, Some(d.to_string()))
        }
        None => (s, None),
    };
    // A `:` after the last `/` starts the tag; before it, it is a port.
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].find(':') {
        Some(i) => {
            let t = &rest[last_slash + i + 1..];
            if !valid_tag(t) {
                errors.push(format!(
                    "tag {t:?} is not valid (up to 128 letters, digits, `_`, `.`, `-`, not starting with `.` or `-`)"
                ));
            }
            (&rest[..last_slash + i], Some(t.to_string()))
        }
        None => (rest, None),
    };
    let parts: Vec<&str> = name.split('/').collect();
    let (registry, path) = if parts.len() > 1
        && (parts[0].contains(['.', ':'])
            || parts[0] == "localhost"
            || parts[0].chars().any(|c| c.is_ascii_uppercase()))
    {
        if !valid_domain(parts[0]) {
            errors.push(format!(
                "registry {:?} is not a valid host[:port]",
                parts[0]
            ));
        }
        (Some(parts[0].to_string()), &parts[1..])
    } else {
        (None, &parts[..])
    };
    if path.is_empty() {
        errors.push("reference has no repository".into());
    }
    if path
        .iter()
        .any(|c| c.chars().any(|ch| ch.is_ascii_uppercase()))
    {
        errors.push(format!("repository {:?} must be lowercase", path.join("/")));
    }
    for c in path {
        let lower = c.to_ascii_lowercase();
        if !valid_component(&lower) {
            errors.push(format!(
                "repository component {c:?} is not valid (lowercase letters and digits, separated by `.`, `_`, `__` or `-`)"
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("; "));
    }
    Ok(Reference {
        registry,
        repository: path.join("/"),
        tag,
        digest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_references() {
        let r = parse("registry.example.com:5000/org/img:v1.0.0").expect("valid");
        assert_eq!(r.registry.as_deref(), Some("registry.example.com:5000"));
        assert_eq!(r.repository, "org/img");
        assert_eq!(r.tag.as_deref(), Some("v1.0.0"));
        let d = format!("ghcr.io/perses/dashboards@sha256:{}", "a".repeat(64));
        assert_eq!(parse(&d).map(|r| r.tag), Ok(None));
        assert!(parse("nginx").is_ok());
        assert!(parse("my_org/my__img-x:1.2-rc.1").is_ok());
        assert!(parse("localhost/x:tag").is_ok());
    }

    #[test]
    fn invalid_references() {
        assert!(parse("ghcr.io/Perses/dashboards:v1").is_err());
        assert!(parse("ghcr.io/perses/dashboards:-bad").is_err());
        assert!(parse("ghcr.io/perses/dashboards@sha256:abc").is_err());
        assert!(parse(&format!("x@sha256:{}", "A".repeat(64))).is_err());
        assert!(parse("x@nothex").is_err());
        assert!(parse("").is_err());
        assert!(parse("a//b").is_err());
        assert!(parse("ghcr.io/x:").is_err());
    }

    #[test]
    fn every_fault_is_reported() {
        // Uppercase repository and a bad tag: both, not only the first.
        let e = parse("ghcr.io/Acme/dashboards:-v1").expect_err("invalid");
        assert!(e.contains("must be lowercase"), "{e}");
        assert!(e.contains("tag \"-v1\""), "{e}");
        // A bad digest and a bad repository component.
        let e = parse("ghcr.io/acme/dash--_boards@sha256:abc").expect_err("invalid");
        assert!(e.contains("64 hex"), "{e}");
        assert!(e.contains("\"dash--_boards\""), "{e}");
        // One fault, one message.
        assert_eq!(
            parse("ghcr.io/Acme/dashboards:v1").expect_err("invalid"),
            "repository \"Acme/dashboards\" must be lowercase"
        );
    }
}
