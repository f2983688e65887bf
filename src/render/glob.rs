//! Glob patterns for `.Files.Glob`, with the semantics of gobwas/glob
//! compiled with `/` as separator (what Helm uses): `*` stays within one
//! path segment, `**` crosses segments, `?` is one non-separator character,
//! `[abc]`, `[!a-z]` classes, `{a,b}` alternatives and `\` escapes.

#[derive(Debug, Clone)]
enum Tok {
    Lit(char),
    Any,
    Super,
    One,
    Class(bool, Vec<(char, char)>),
    Alt(Vec<Vec<Tok>>),
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Glob(Vec<Tok>);

impl Glob {
    pub fn compile(pattern: &str) -> Result<Glob, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        let toks = parse_seq(&chars, &mut i, false)?;
        if i != chars.len() {
            return Err(format!("unexpected {:?} in glob", chars[i]));
        }
        Ok(Glob(toks))
    }

    pub fn matches(&self, name: &str) -> bool {
        let n: Vec<char> = name.chars().collect();
        match_seq(&self.0, &n)
    }
}

fn parse_seq(p: &[char], i: &mut usize, in_alt: bool) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    while *i < p.len() {
        let c = p[*i];
        match c {
            ',' | '}' if in_alt => break,
            '*' => {
                if p.get(*i + 1) == Some(&'*') {
                    *i += 2;
                    out.push(Tok::Super);
                } else {
                    *i += 1;
                    out.push(Tok::Any);
                }
            }
            '?' => {
                *i += 1;
                out.push(Tok::One);
            }
            '\\' => {
                let e = *p.get(*i + 1).ok_or("unexpected end of glob after \\")?;
                *i += 2;
                out.push(Tok::Lit(e));
            }
            '[' => {
                *i += 1;
                let neg = p.get(*i) == Some(&'!');
                if neg {
                    *i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    let lo = *p.get(*i).ok_or("unclosed [ in glob")?;
                    if lo == ']' {
                        *i += 1;
                        break;
                    }
                    *i += 1;
                    if p.get(*i) == Some(&'-') && p.get(*i + 1).is_some_and(|c| *c != ']') {
                        let hi = p[*i + 1];
                        *i += 2;
                        ranges.push((lo, hi));
                    } else {
                        ranges.push((lo, lo));
                    }
                }
                out.push(Tok::Class(neg, ranges));
            }
            '{' => {
                *i += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(parse_seq(p, i, true)?);
                    match p.get(*i) {
                        Some(',') => *i += 1,
                        Some('}') => {
                            *i += 1;
                            break;
                        }
                        _ => return Err("unclosed { in glob".into()),
                    }
                }
                out.push(Tok::Alt(alts));
            }
            c => {
                *i += 1;
                out.push(Tok::Lit(c));
            }
        }
    }
    Ok(out)
}

fn match_seq(toks: &[Tok], n: &[char]) -> bool {
    let Some((first, rest)) = toks.split_first() else {
        return n.is_empty();
    };
    match first {
        Tok::Lit(c) => n.first() == Some(c) && match_seq(rest, &n[1..]),
        Tok::One => n.first().is_some_and(|c| *c != '/') && match_seq(rest, &n[1..]),
        Tok::Class(neg, ranges) => {
            n.first().is_some_and(|c| {
                let hit = ranges.iter().any(|(lo, hi)| lo <= c && c <= hi);
                hit != *neg && *c != '/'
            }) && match_seq(rest, &n[1..])
        }
        Tok::Any => {
            for k in 0..=n.len() {
                if match_seq(rest, &n[k..]) {
                    return true;
                }
                if k < n.len() && n[k] == '/' {
                    return false;
                }
            }
            false
        }
        Tok::Super => (0..=n.len()).any(|k| match_seq(rest, &n[k..])),
        Tok::Alt(alts) => alts.iter().any(|a| {
            let mut seq = a.clone();
            seq.extend_from_slice(rest);
            match_seq(&seq, n)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, n: &str) -> bool {
        Glob::compile(p).map(|g| g.matches(n)).unwrap_or(false)
    }

    #[test]
    fn globs() {
        assert!(m("conf/*", "conf/a.yaml"));
        assert!(!m("conf/*", "conf/sub/a.yaml"));
        assert!(m("conf/**", "conf/sub/a.yaml"));
        assert!(m("**.yaml", "a/b/c.yaml"));
        assert!(m("*.{yaml,json}", "x.json"));
        assert!(m("file?.txt", "file1.txt"));
        assert!(!m("[!a-c]x", "bx"));
        assert!(Glob::compile("[ab").is_err());
    }
}
