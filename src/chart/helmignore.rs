//! `.helmignore` rules, as Helm's pkg/ignore reads them: one glob per line,
//! `#` comments, `!` negation, a trailing `/` for directories only, a
//! leading `/` or an inner `/` to match the whole relative path, otherwise
//! the base name. `templates/.?*` (hidden files in templates) is always
//! ignored.

#[derive(Debug, Clone)]
struct Rule {
    pattern: String,
    negate: bool,
    must_dir: bool,
    /// Match against the whole relative path instead of the base name.
    full_path: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
}

impl Rules {
    /// Parse a `.helmignore` file; the error names the offending line.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut r = Rules::default();
        for line in text.lines() {
            r.add(line)?;
        }
        r.add("templates/.?*")?;
        Ok(r)
    }

    /// Only the default rule.
    pub fn defaults() -> Rules {
        Rules::parse("").unwrap_or_default()
    }

    fn add(&mut self, line: &str) -> Result<(), String> {
        let mut p = line.trim();
        if p.is_empty() || p == "!" || p.starts_with('#') {
            return Ok(());
        }
        if p.contains("**") {
            return Err(format!(
                "double-star (**) syntax is not supported: {line:?}"
            ));
        }
        // Validate the glob the way filepath.Match would.
        glob_match(p.trim_start_matches('!'), "").map_err(|e| format!("{e}: {line:?}"))?;
        let negate = p.starts_with('!');
        if negate {
            p = &p[1..];
        }
        let must_dir = p.ends_with('/');
        let p = p.trim_end_matches('/');
        let full_path = p.starts_with('/') || p.contains('/');
        self.rules.push(Rule {
            pattern: p.trim_start_matches('/').to_string(),
            negate,
            must_dir,
            full_path,
        });
        Ok(())
    }

    /// Whether `path` (relative, `/`-separated) is ignored.
    pub fn ignored(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        let base = path.rsplit('/').next().unwrap_or(path);
        for r in &self.rules {
            let subject = if r.full_path { path } else { base };
            let hit = glob_match(&r.pattern, subject).unwrap_or(false);
            if r.negate {
                if r.must_dir && !is_dir {
                    return true;
                }
                if !hit {
                    return true;
                }
                continue;
            }
            if r.must_dir && !is_dir {
                continue;
            }
            if hit {
                return true;
            }
        }
        false
    }
}

/// Go's `filepath.Match` on `/`-separated paths: `*` and `?` never match
/// `/`, `[...]` classes with ranges and `^`/`!` negation, `\` escapes.
pub fn glob_match(pattern: &str, name: &str) -> Result<bool, String> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n)
}

fn match_from(p: &[char], n: &[char]) -> Result<bool, String> {
    let (mut pi, mut ni) = (0, 0);
    // Backtracking point for the last `*`.
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' if ni < n.len() && n[ni] != '/' => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' => {
                    let (hit, next) = class(p, pi, n.get(ni).copied())?;
                    if hit {
                        pi = next;
                        ni += 1;
                        continue;
                    }
                }
                '\\' => {
                    let c = *p.get(pi + 1).ok_or("syntax error in pattern")?;
                    if ni < n.len() && n[ni] == c {
                        pi += 2;
                        ni += 1;
                        continue;
                    }
                }
                c if c != '?' && ni < n.len() && n[ni] == c => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        } else if ni == n.len() {
            return Ok(true);
        }
        // Mismatch: let the last `*` swallow one more non-separator char.
        match star {
            Some((sp, sn)) if sn < n.len() && n[sn] != '/' => {
                star = Some((sp, sn + 1));
                pi = sp + 1;
                ni = sn + 1;
            }
            _ => {
                // Finish validating the rest of the pattern for syntax errors.
                check_syntax(&p[pi.min(p.len())..])?;
                return Ok(false);
            }
        }
    }
}

fn check_syntax(p: &[char]) -> Result<(), String> {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '[' => {
                let (_, next) = class(p, i, None)?;
                i = next;
            }
            '\\' => {
                if i + 1 >= p.len() {
                    return Err("syntax error in pattern".into());
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

/// Match one character against the class starting at `p[start] == '['`;
/// returns whether it matched and the index after `]`.
fn class(p: &[char], start: usize, c: Option<char>) -> Result<(bool, usize), String> {
    let bad = || "syntax error in pattern".to_string();
    let mut i = start + 1;
    let negated = matches!(p.get(i), Some('^' | '!'));
    if negated {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let ch = *p.get(i).ok_or_else(bad)?;
        if ch == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let lo = if ch == '\\' {
            i += 1;
            *p.get(i).ok_or_else(bad)?
        } else {
            ch
        };
        i += 1;
        let mut hi = lo;
        if p.get(i) == Some(&'-') && p.get(i + 1) != Some(&']') {
            i += 1;
            hi = *p.get(i).ok_or_else(bad)?;
            if hi == '\\' {
                i += 1;
                hi = *p.get(i).ok_or_else(bad)?;
            }
            i += 1;
        }
        if c.is_some_and(|c| lo <= c && c <= hi) {
            hit = true;
        }
    }
    let ok = match c {
        Some(c) => c != '/' && hit != negated,
        None => false,
    };
    Ok((ok, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert_eq!(glob_match("*.txt", "a.txt"), Ok(true));
        assert_eq!(glob_match("*.txt", "d/a.txt"), Ok(false));
        assert_eq!(glob_match("a?c", "abc"), Ok(true));
        assert_eq!(glob_match("[a-c]x", "bx"), Ok(true));
        assert_eq!(glob_match("[^a-c]x", "bx"), Ok(false));
        assert!(glob_match("[a", "a").is_err());
    }

    #[test]
    fn rules() {
        let r = Rules::parse("# c\n*.bak\n/top.txt\nsecret/\n!keep.bak\n").unwrap_or_default();
        assert!(r.ignored("x.bak", false));
        assert!(r.ignored("top.txt", false));
        assert!(r.ignored("secret", true));
        assert!(r.ignored("templates/.hidden", false));
        // The first matching rule decides: `*.bak` comes before `!keep.bak`.
        assert!(r.ignored("keep.bak", false));
        let plain = Rules::parse("*.bak\n").unwrap_or_default();
        assert!(!plain.ignored("values.yaml", false));
        assert!(plain.ignored("d/x.bak", false));
    }
}
