//! `helm dependency update` and `helm dependency build`: Chart.yaml's
//! dependencies resolved against chart repositories (`index.yaml`) and
//! OCI registries, archives saved as `charts/NAME-VERSION.tgz`, and
//! Chart.lock written as Helm writes it. Everything is downloaded into a
//! temporary folder inside the chart first and moved into `charts/` only
//! when all of it arrived, so a failure leaves `charts/` as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::reference::OciRef;
use super::{Options, oci, repo};
use crate::semver::{Constraints, Version};
use crate::value::Value;

/// One `dependencies` entry of Chart.yaml, its fields as Helm's
/// `chart.Dependency` holds them.
#[derive(Debug, Clone, Default)]
pub struct Dep {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    pub import_values: Vec<serde_json::Value>,
    pub alias: String,
}

fn to_json(text: &str, where_: &str) -> Result<serde_json::Value, String> {
    let v = crate::yaml::parse_values(text).map_err(|e| format!("{where_}: {e}"))?;
    serde_json::from_str(&crate::yaml::to_json(&v)).map_err(|e| format!("{where_}: {e}"))
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn deps_of(v: &serde_json::Value) -> Vec<Dep> {
    v["dependencies"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|d| Dep {
                    name: scalar(&d["name"]),
                    version: scalar(&d["version"]),
                    repository: scalar(&d["repository"]),
                    condition: scalar(&d["condition"]),
                    tags: d["tags"]
                        .as_array()
                        .map(|t| t.iter().map(scalar).collect())
                        .unwrap_or_default(),
                    enabled: d["enabled"].as_bool().unwrap_or(false),
                    import_values: d["import-values"].as_array().cloned().unwrap_or_default(),
                    alias: scalar(&d["alias"]),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Go's `json.Marshal` of one dependency: struct field order, empty
/// fields left out where the tag says omitempty.
fn dep_json(d: &Dep) -> String {
    let s = |x: &str| serde_json::Value::String(x.to_string()).to_string();
    let mut out = format!("{{\"name\":{}", s(&d.name));
    if !d.version.is_empty() {
        out.push_str(&format!(",\"version\":{}", s(&d.version)));
    }
    out.push_str(&format!(",\"repository\":{}", s(&d.repository)));
    if !d.condition.is_empty() {
        out.push_str(&format!(",\"condition\":{}", s(&d.condition)));
    }
    if !d.tags.is_empty() {
        out.push_str(&format!(
            ",\"tags\":{}",
            serde_json::Value::from(d.tags.clone())
        ));
    }
    if d.enabled {
        out.push_str(",\"enabled\":true");
    }
    if !d.import_values.is_empty() {
        out.push_str(&format!(
            ",\"import-values\":{}",
            serde_json::Value::Array(d.import_values.clone())
        ));
    }
    if !d.alias.is_empty() {
        out.push_str(&format!(",\"alias\":{}", s(&d.alias)));
    }
    out.push('}');
    out
}

/// Helm's `HashReq`: sha256 of the JSON of `[dependencies, locked]`, with
/// Go's HTML escaping of `<`, `>` and `&`.
pub fn hash_req(req: &[Dep], lock: &[Dep]) -> String {
    let list = |l: &[Dep]| format!("[{}]", l.iter().map(dep_json).collect::<Vec<_>>().join(","));
    let json = format!("[{},{}]", list(req), list(lock))
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    crate::oci::sha256(json.as_bytes())
}

/// Chart.lock as Helm's `yaml.Marshal(lock)` writes it: keys sorted, the
/// time in RFC 3339 with nanoseconds, quoted.
pub fn lock_yaml(locked: &[Dep], digest: &str, generated: &str) -> Result<String, String> {
    let mut deps = Vec::new();
    for d in locked {
        let mut m = BTreeMap::new();
        m.insert("name".to_string(), Value::str(&d.name));
        m.insert("repository".to_string(), Value::str(&d.repository));
        if !d.version.is_empty() {
            m.insert("version".to_string(), Value::str(&d.version));
        }
        deps.push(Value::map(m));
    }
    let mut top = BTreeMap::new();
    top.insert("dependencies".to_string(), Value::list(deps));
    top.insert("digest".to_string(), Value::str(digest));
    top.insert("generated".to_string(), Value::str(generated));
    Ok(format!("{}\n", crate::yaml::to_yaml(&Value::map(top))?))
}

/// Go's `time.Now()` as RFC 3339 with trailing zeros of the fraction cut
/// (UTC).
fn now_rfc3339() -> String {
    let ts = jiff::Timestamp::now();
    let secs = ts.as_second();
    let nanos = ts.subsec_nanosecond();
    let base = jiff::Timestamp::from_second(secs)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_default();
    if nanos == 0 {
        format!("{base}Z")
    } else {
        let frac = format!("{nanos:09}");
        format!("{base}.{}Z", frac.trim_end_matches('0'))
    }
}

/// The chart's Chart.yaml dependencies and its Chart.lock, if any.
/// Chart.lock's dependencies and digest.
type Lock = (Vec<Dep>, String);

fn read_chart(dir: &Path) -> Result<(Vec<Dep>, Option<Lock>), String> {
    if !dir.is_dir() {
        return Err(if dir.exists() {
            "only unpacked charts can be updated".into()
        } else {
            format!("could not find {}: no such directory", dir.display())
        });
    }
    let cy = dir.join("Chart.yaml");
    let text = std::fs::read_to_string(&cy)
        .map_err(|e| format!("{}: {}", cy.display(), crate::input::io_reason(&e)))?;
    let meta = to_json(&text, &cy.display().to_string())?;
    let req = deps_of(&meta);
    let lf = dir.join("Chart.lock");
    let lock = match std::fs::read_to_string(&lf) {
        Ok(t) => {
            let v = to_json(&t, &lf.display().to_string())?;
            Some((deps_of(&v), scalar(&v["digest"])))
        }
        Err(_) => None,
    };
    Ok((req, lock))
}

/// Helm's repositories.yaml (`@name` and `alias:name` repositories).
fn repositories() -> Vec<(String, String)> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let path = env("HELM_REPOSITORY_CONFIG").or_else(|| {
        env("HELM_CONFIG_HOME")
            .or_else(|| env("XDG_CONFIG_HOME").map(|d| d.join("helm")))
            .or_else(|| env("HOME").map(|h| h.join(".config/helm")))
            .map(|d| d.join("repositories.yaml"))
    });
    let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
        return Vec::new();
    };
    let Ok(v) = to_json(&text, "repositories.yaml") else {
        return Vec::new();
    };
    v["repositories"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|r| (scalar(&r["name"]), scalar(&r["url"])))
                .collect()
        })
        .unwrap_or_default()
}

/// `@name` / `alias:name` replaced by the repository's URL (as Helm
/// does before hashing), or Helm's error for an unknown one.
fn resolve_aliases(req: &mut [Dep]) -> Result<(), String> {
    let repos = repositories();
    let mut missing = Vec::new();
    for d in req.iter_mut() {
        let alias = d
            .repository
            .strip_prefix('@')
            .or_else(|| d.repository.strip_prefix("alias:"));
        if let Some(a) = alias {
            match repos.iter().find(|(n, _)| n == a) {
                Some((_, url)) => d.repository = url.clone(),
                None => missing.push(d.repository.clone()),
            }
        } else if !d.repository.is_empty() && !d.repository.contains("://") {
            missing.push(d.repository.clone());
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let mut msg = format!(
        "no repository definition for {}. Please add them via 'helm repo add'",
        missing.join(", ")
    );
    if missing
        .iter()
        .any(|r| !r.contains("//") && !r.starts_with('@') && !r.starts_with("alias:"))
    {
        msg.push_str("\nNote that repositories must be URLs or aliases. For example, to refer to the \"example\"\nrepository, use \"https://charts.example.com/\" or \"@example\" instead of\n\"example\". Don't forget to add the repo, too ('helm repo add').");
    }
    Err(msg)
}

fn oci_ref(d: &Dep) -> Result<OciRef, String> {
    let full = format!("{}/{}", d.repository.trim_end_matches('/'), d.name);
    match super::ChartRef::parse(&full, None)? {
        super::ChartRef::Oci(o) => Ok(o),
        super::ChartRef::Repo { .. } => Err(format!("{full}: not an oci:// reference")),
    }
}

fn local_path(chart: &Path, repository: &str) -> PathBuf {
    let p = repository.strip_prefix("file://").unwrap_or(repository);
    if p.starts_with('/') {
        PathBuf::from(p)
    } else {
        chart.join(p)
    }
}

fn chart_version(dir: &Path) -> Result<String, String> {
    let cy = dir.join("Chart.yaml");
    let text = std::fs::read_to_string(&cy).map_err(|e| {
        format!(
            "directory {} not found ({})",
            dir.display(),
            crate::input::io_reason(&e)
        )
    })?;
    Ok(scalar(
        &to_json(&text, &cy.display().to_string())?["version"],
    ))
}

fn chart_name(dir: &Path) -> Result<String, String> {
    let cy = dir.join("Chart.yaml");
    let text = std::fs::read_to_string(&cy)
        .map_err(|e| format!("{}: {}", cy.display(), crate::input::io_reason(&e)))?;
    let name = scalar(&to_json(&text, &cy.display().to_string())?["name"]);
    // The name becomes a file name in charts/.
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(format!(
            "{}: chart name {name:?} is not a valid file name",
            cy.display()
        ));
    }
    Ok(name)
}

/// Helm's resolver: the locked version of each dependency.
fn resolve(chart: &Path, req: &[Dep], opts: &Options) -> Result<Vec<Dep>, String> {
    let mut locked = Vec::new();
    let mut missing = Vec::new();
    for d in req {
        let c = Constraints::parse(&d.version).map_err(|e| {
            format!(
                "dependency {:?} has an invalid version/constraint format: {e}",
                d.name
            )
        })?;
        let lock = |v: &str| Dep {
            name: d.name.clone(),
            repository: d.repository.clone(),
            version: v.to_string(),
            ..Dep::default()
        };
        let miss = format!(
            "{:?} (repository {:?}, version {:?})",
            d.name, d.repository, d.version
        );
        if d.repository.is_empty() {
            let p = chart.join("charts").join(&d.name);
            if !p.exists() {
                return Err(format!("directory {} not found", p.display()));
            }
            locked.push(lock(&d.version));
            continue;
        }
        if d.repository.starts_with("file://") {
            let p = local_path(chart, &d.repository);
            let v = chart_version(&p)?;
            match Version::parse(&v) {
                Ok(parsed) if c.check(&parsed) => locked.push(lock(&v)),
                _ => missing.push(miss),
            }
            continue;
        }
        let candidates: Vec<String> = if d.repository.starts_with("oci://") {
            if Version::parse(&d.version).is_ok() {
                vec![d.version.clone()]
            } else {
                let o = oci_ref(d)?;
                oci::list_tags(&o, opts).map_err(|e| {
                    format!(
                        "could not retrieve list of tags for repository {}: {e}",
                        d.repository
                    )
                })?
            }
        } else {
            let entries = repo::entries(&d.repository, &d.name, opts)?;
            entries
                .into_iter()
                .filter(|e| !e.urls.is_empty())
                .map(|e| e.version)
                .collect()
        };
        let sorted = super::select::sorted(&candidates);
        match sorted.iter().find(|(v, _)| c.check(v)) {
            Some((_, s)) => locked.push(lock(s)),
            None => {
                missing.push(miss);
                locked.push(lock(""));
            }
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "can't get a valid version for {} subchart(s): {}. Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml",
            missing.len(),
            missing.join(", ")
        ));
    }
    Ok(locked)
}

/// Download every locked dependency into a temporary folder of the
/// chart, then move them into charts/ and delete outdated archives.
fn download_all(
    chart: &Path,
    locked: &[Dep],
    opts: &Options,
    log: &mut String,
) -> Result<(), String> {
    let dest = chart.join("charts");
    if dest.exists() && !dest.is_dir() {
        return Err(format!(
            "{:?} is not a directory",
            dest.display().to_string()
        ));
    }
    std::fs::create_dir_all(&dest)
        .map_err(|e| format!("{}: {}", dest.display(), crate::input::io_reason(&e)))?;
    let tmp = tempfile::Builder::new()
        .prefix("tmpcharts-")
        .tempdir_in(chart)
        .map_err(|e| format!("{}: {}", chart.display(), crate::input::io_reason(&e)))?;
    log.push_str(&format!("Saving {} charts\n", locked.len()));
    let mut local_names = Vec::new();
    for d in locked {
        if d.repository.is_empty() {
            log.push_str(&format!(
                "Dependency {} did not declare a repository. Assuming it exists in the charts directory\n",
                d.name
            ));
            local_names.push(d.name.clone());
            continue;
        }
        if d.repository.starts_with("file://") {
            // Helm re-checks the folder's version against the lock.
            let p = local_path(chart, &d.repository);
            let v = chart_version(&p)?;
            let c = Constraints::parse(&d.version).map_err(|e| {
                format!(
                    "dependency {} has an invalid version/constraint format: {e}",
                    d.name
                )
            })?;
            if !Version::parse(&v).is_ok_and(|parsed| c.check(&parsed)) {
                return Err(format!(
                    "can't get a valid version for dependency {}",
                    d.name
                ));
            }
            let name = super::package::package(&p, &chart_name(&p)?)?;
            let file = tmp.path().join(format!("{}-{v}.tgz", chart_name(&p)?));
            std::fs::write(&file, name)
                .map_err(|e| format!("{}: {}", file.display(), crate::input::io_reason(&e)))?;
            continue;
        }
        log.push_str(&format!(
            "Downloading {} from repo {}\n",
            d.name, d.repository
        ));
        let f = if d.repository.starts_with("oci://") {
            oci::fetch(&oci_ref(d)?, Some(&d.version), opts)
        } else {
            repo::fetch(&d.repository, &d.name, Some(&d.version), opts)
        }
        .map_err(|e| format!("could not download {} {}: {e}", d.name, d.version))?;
        // The archive must be a chart (Helm loads it before moving it).
        crate::chart::Chart::load(&f.path)
            .map_err(|e| format!("could not download {} {}: {e}", d.name, d.version))?;
        let name = format!("{}-{}.tgz", d.name, d.version);
        std::fs::copy(&f.path, tmp.path().join(&name))
            .map_err(|e| format!("{name}: {}", crate::input::io_reason(&e)))?;
    }
    // All arrived: move them in, then delete archives no longer wanted.
    let mut moved = Vec::new();
    for e in std::fs::read_dir(tmp.path()).map_err(|e| crate::input::io_reason(&e))? {
        let e = e.map_err(|e| crate::input::io_reason(&e))?;
        let target = dest.join(e.file_name());
        std::fs::rename(e.path(), &target)
            .map_err(|err| format!("{}: {}", target.display(), crate::input::io_reason(&err)))?;
        moved.push(e.file_name());
    }
    log.push_str("Deleting outdated charts\n");
    for e in std::fs::read_dir(&dest)
        .map_err(|e| crate::input::io_reason(&e))?
        .flatten()
    {
        let p = e.path();
        if p.is_dir() || moved.contains(&e.file_name()) {
            continue;
        }
        let Ok(c) = crate::chart::Chart::load(&p) else {
            continue;
        };
        if local_names.contains(&c.name) {
            continue;
        }
        let _ = std::fs::remove_file(&p);
    }
    Ok(())
}

/// `helm dependency update`: resolve, download, write Chart.lock (unless
/// its digest is unchanged). Returns what Helm prints.
pub fn update(chart: &Path, opts: &Options) -> Result<String, String> {
    let (mut req, old) = read_chart(chart)?;
    if req.is_empty() {
        return Ok(String::new());
    }
    resolve_aliases(&mut req)?;
    let locked = resolve(chart, &req, opts)?;
    let mut log = String::new();
    download_all(chart, &locked, opts, &mut log)?;
    let digest = hash_req(&req, &locked);
    if old.as_ref().is_some_and(|(_, d)| *d == digest) {
        return Ok(log);
    }
    let lf = chart.join("Chart.lock");
    if lf
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(format!(
            "the Chart.lock file is a symlink to {:?}",
            std::fs::read_link(&lf)
                .unwrap_or_default()
                .display()
                .to_string()
        ));
    }
    crate::atomic::write_atomic(&lf, lock_yaml(&locked, &digest, &now_rfc3339())?.as_bytes())?;
    Ok(log)
}

/// `helm dependency build`: from Chart.lock, refused when it is out of
/// sync with Chart.yaml; without a lock, an update.
pub fn build(chart: &Path, opts: &Options) -> Result<String, String> {
    let (mut req, lock) = read_chart(chart)?;
    let Some((locked, digest)) = lock else {
        return update(chart, opts);
    };
    resolve_aliases(&mut req)?;
    if hash_req(&req, &locked) != digest {
        return Err("the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies with 'helm dependency update'".into());
    }
    let mut log = String::new();
    download_all(chart, &locked, opts, &mut log)?;
    Ok(log)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dep(name: &str, version: &str, repo: &str) -> Dep {
        Dep {
            name: name.into(),
            version: version.into(),
            repository: repo.into(),
            ..Dep::default()
        }
    }

    /// Digests recorded from real Helm (helm-python-sdk 4.2,
    /// dependency_update) for the same Chart.yaml.
    #[test]
    fn helm_digests() {
        let u = "http://127.0.0.1:18924";
        let d = dep("demo", "0.1.0", u);
        assert_eq!(
            hash_req(std::slice::from_ref(&d), std::slice::from_ref(&d)),
            "sha256:450a140a5e04ab214a89bd9bb9d406b7894fc069abcd62c4b98a62630d8f372c"
        );
        assert_eq!(
            hash_req(
                &[dep("demo", ">=0.1.0 <0.2.0", u)],
                std::slice::from_ref(&d)
            ),
            "sha256:e960b837c1614a9fc5a287abaf6199da2accac3832ba093ae2a4799aa6c6f075"
        );
        let mut full = d.clone();
        full.condition = "demo2.enabled".into();
        assert_eq!(
            hash_req(&[full], std::slice::from_ref(&d)),
            "sha256:1b26b4871c6b1374406a1f82c8d516f15d91e2e85095b35f5ba99c5375430ec4"
        );
        let mut t = d.clone();
        t.tags = vec!["a".into()];
        assert_eq!(
            hash_req(&[t], std::slice::from_ref(&d)),
            "sha256:8761e32d5132d6126ea08375724fb9bdc99def1aa5a8dd8fb6cb9c73a69ad745"
        );
        let mut a = d.clone();
        a.alias = "demo2".into();
        assert_eq!(
            hash_req(&[a], std::slice::from_ref(&d)),
            "sha256:59273af6763afa47f42fb65180b25e7962c9ff51f3ae2c721a6c94e5e384f81b"
        );
        let mut iv = d.clone();
        iv.import_values = vec![serde_json::Value::String("z".into())];
        assert_eq!(
            hash_req(&[iv], &[d]),
            "sha256:eb791b06e3f43d0d0b02a77f1fa3d3d8d07ef9e9e64d8297f6cae6ea59ee2b9a"
        );
    }

    #[test]
    fn lock_file() {
        let y = lock_yaml(
            &[dep("demo", "0.1.0", "http://h"), dep("x", "", "")],
            "sha256:ab",
            "2026-12-07T11:10:51.804349081Z",
        );
        assert_eq!(
            y.as_deref(),
            Ok(
                "dependencies:\n- name: demo\n  repository: http://h\n  version: 0.1.0\n- name: x\n  repository: \"\"\ndigest: sha256:ab\ngenerated: \"2026-12-07T11:10:51.804349081Z\"\n"
            )
        );
        let n = now_rfc3339();
        assert!(n.ends_with('Z') && n.len() >= 20, "{n}");
    }
}
