//! Chart references: `oci://HOST[:PORT]/PATH/NAME[:TAG]`, a repository
//! URL with a chart name (`--repo URL NAME`), or `URL/NAME`.

/// A registry repository that holds one chart's versions as tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OciRef {
    /// `host[:port]`.
    pub host: String,
    /// `path/name`, without the tag.
    pub repository: String,
    /// A tag written in the reference itself.
    pub tag: Option<String>,
}

impl OciRef {
    /// The chart name: the last path segment.
    pub fn name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }

    /// `oci://host/path/name`, without the tag.
    pub fn url(&self) -> String {
        format!("oci://{}/{}", self.host, self.repository)
    }
}

/// Where a chart comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartRef {
    Oci(OciRef),
    /// A chart repository (`URL/index.yaml`) and a chart name in it.
    Repo {
        url: String,
        name: String,
    },
}

/// Whether `arg` names a remote chart rather than a local path.
pub fn is_remote(arg: &str) -> bool {
    arg.starts_with("oci://") || arg.starts_with("https://") || arg.starts_with("http://")
}

impl ChartRef {
    /// Parse a chart argument; `repo` is `--repo URL`.
    pub fn parse(arg: &str, repo: Option<&str>) -> Result<ChartRef, String> {
        if let Some(rest) = arg.strip_prefix("oci://") {
            if repo.is_some() {
                return Err(format!(
                    "{arg}: --repo cannot be used with an oci:// reference"
                ));
            }
            return parse_oci(arg, rest).map(ChartRef::Oci);
        }
        if let Some(url) = repo {
            check_url(url)?;
            check_name(arg)?;
            return Ok(ChartRef::Repo {
                url: url.trim_end_matches('/').to_string(),
                name: arg.to_string(),
            });
        }
        if arg.starts_with("https://") || arg.starts_with("http://") {
            let trimmed = arg.trim_end_matches('/');
            let (url, name) = trimmed
                .rsplit_once('/')
                .filter(|(u, _)| !u.ends_with('/'))
                .ok_or_else(|| format!("{arg}: expected REPOSITORY_URL/CHART_NAME"))?;
            check_name(name)?;
            return Ok(ChartRef::Repo {
                url: url.to_string(),
                name: name.to_string(),
            });
        }
        Err(format!(
            "{arg}: not a remote chart: use oci://HOST/PATH/NAME, --repo URL NAME or URL/NAME"
        ))
    }
}

fn parse_oci(arg: &str, rest: &str) -> Result<OciRef, String> {
    let bad = |why: &str| format!("{arg}: not a valid oci:// chart reference: {why}");
    let (host, path) = rest
        .split_once('/')
        .ok_or_else(|| bad("expected oci://HOST/PATH/NAME"))?;
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    {
        return Err(bad("bad registry host"));
    }
    if path.contains('@') {
        return Err(bad("digests are not supported; use --version"));
    }
    // A tag is a ':' after the last '/'.
    let last = path.rsplit('/').next().unwrap_or(path);
    let (repository, tag) = match last.split_once(':') {
        Some((_, t)) => (&path[..path.len() - t.len() - 1], Some(t.to_string())),
        None => (path, None),
    };
    let ok_seg = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
            && s != "."
            && s != ".."
    };
    if !repository.split('/').all(ok_seg) {
        return Err(bad(
            "the path must be lower-case letters, digits, '.', '_', '-' and '/'",
        ));
    }
    if let Some(t) = &tag
        && (t.is_empty()
            || t.len() > 128
            || !t
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b)))
    {
        return Err(bad("bad tag"));
    }
    Ok(OciRef {
        host: host.to_string(),
        repository: repository.to_string(),
        tag,
    })
}

fn check_url(url: &str) -> Result<(), String> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err(format!(
            "{url}: a chart repository URL starts with https:// or http://"
        ))
    }
}

fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        Err(format!("{name:?}: not a chart name"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        let r = ChartRef::parse("oci://127.0.0.1:5000/charts/demo", None);
        assert_eq!(
            r,
            Ok(ChartRef::Oci(OciRef {
                host: "127.0.0.1:5000".into(),
                repository: "charts/demo".into(),
                tag: None
            }))
        );
        let r = ChartRef::parse("oci://ghcr.io/a/demo:1.2.3", None);
        assert!(
            matches!(&r, Ok(ChartRef::Oci(o)) if o.tag.as_deref() == Some("1.2.3") && o.name() == "demo")
        );
        assert!(ChartRef::parse("oci://ghcr.io", None).is_err());
        assert!(ChartRef::parse("oci://ghcr.io/A/b", None).is_err());
        assert!(ChartRef::parse("oci://ghcr.io/a/../b", None).is_err());
        assert_eq!(
            ChartRef::parse("demo", Some("http://127.0.0.1:8/charts/")),
            Ok(ChartRef::Repo {
                url: "http://127.0.0.1:8/charts".into(),
                name: "demo".into()
            })
        );
        assert_eq!(
            ChartRef::parse("https://h/charts/demo", None),
            Ok(ChartRef::Repo {
                url: "https://h/charts".into(),
                name: "demo".into()
            })
        );
        assert!(ChartRef::parse("./demo", None).is_err());
        assert!(ChartRef::parse("a/b", Some("ftp://x")).is_err());
    }
}
