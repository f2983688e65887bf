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

/// A compiled pattern: a small NFA, matched by following every state at
/// once (time patterns x name, no backtracking: `a/***...*.conf` or
/// `*a*a*a*a*b` took exponential time with a backtracking matcher).
#[derive(Debug, Clone)]
pub struct Glob(Vec<Inst>);

/// NFA instructions. `Any` and `Super` loop on themselves; `Split` and
/// `Jmp` (alternatives) consume nothing.
#[derive(Debug, Clone)]
enum Inst {
    Lit(char),
    One,
    Class(bool, Vec<(char, char)>),
    Any,
    Super,
    Split(Vec<usize>),
    Jmp(usize),
    Match,
}

impl Glob {
    pub fn compile(pattern: &str) -> Result<Glob, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        let toks = parse_seq(&chars, &mut i, false)?;
        if i != chars.len() {
            return Err(format!("unexpected {:?} in glob", chars[i]));
        }
        let mut prog = Vec::new();
        emit(&toks, &mut prog);
        prog.push(Inst::Match);
        Ok(Glob(prog))
    }

    pub fn matches(&self, name: &str) -> bool {
        let prog = &self.0;
        let mut seen = vec![false; prog.len()];
        let mut states = Vec::new();
        add_state(prog, 0, &mut seen, &mut states);
        for c in name.chars() {
            seen.iter_mut().for_each(|s| *s = false);
            let mut next = Vec::new();
            for &pc in &states {
                let to = match &prog[pc] {
                    Inst::Lit(l) => (*l == c).then_some(pc + 1),
                    Inst::One => (c != '/').then_some(pc + 1),
                    Inst::Class(neg, ranges) => {
                        let hit = ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi);
                        (hit != *neg && c != '/').then_some(pc + 1)
                    }
                    Inst::Any => (c != '/').then_some(pc),
                    Inst::Super => Some(pc),
                    Inst::Split(_) | Inst::Jmp(_) | Inst::Match => None,
                };
                if let Some(to) = to {
                    add_state(prog, to, &mut seen, &mut next);
                }
            }
            if next.is_empty() {
                return false;
            }
            states = next;
        }
        states.iter().any(|&pc| matches!(prog[pc], Inst::Match))
    }
}

/// Append the program for `toks` to `prog`.
fn emit(toks: &[Tok], prog: &mut Vec<Inst>) {
    for t in toks {
        match t {
            Tok::Lit(c) => prog.push(Inst::Lit(*c)),
            Tok::Any => prog.push(Inst::Any),
            Tok::Super => prog.push(Inst::Super),
            Tok::One => prog.push(Inst::One),
            Tok::Class(neg, ranges) => prog.push(Inst::Class(*neg, ranges.clone())),
            Tok::Alt(alts) => {
                let split = prog.len();
                prog.push(Inst::Split(Vec::new()));
                let mut starts = Vec::new();
                let mut jumps = Vec::new();
                for a in alts {
                    starts.push(prog.len());
                    emit(a, prog);
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                }
                let end = prog.len();
                for j in jumps {
                    prog[j] = Inst::Jmp(end);
                }
                prog[split] = Inst::Split(starts);
            }
        }
    }
}

/// Add state `pc` and every state reachable from it without consuming a
/// character (through alternatives, and past `*`/`**` matching nothing).
fn add_state(prog: &[Inst], pc: usize, seen: &mut [bool], out: &mut Vec<usize>) {
    let mut stack = vec![pc];
    while let Some(pc) = stack.pop() {
        if seen[pc] {
            continue;
        }
        seen[pc] = true;
        match &prog[pc] {
            Inst::Split(targets) => stack.extend(targets.iter().rev()),
            Inst::Jmp(t) => stack.push(*t),
            Inst::Any | Inst::Super => {
                out.push(pc);
                stack.push(pc + 1);
            }
            _ => out.push(pc),
        }
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
        assert!(m("{a,b/**}/x*", "b/c/d/xy"));
        assert!(!m("{a,b/*}/x*", "b/c/d/xy"));
        assert!(m("a{,b}c", "ac") && m("a{,b}c", "abc") && !m("a{,b}c", "abbc"));
        assert!(m("*", "") && m("**", "a/b") && !m("*", "a/b") && !m("?", ""));
        assert!(m("a/*/\\*", "a/b/*") && !m("a/*/\\*", "a/b/c"));
    }

    /// Found by the chart_load fuzz target: many stars took exponential
    /// time (15 s for one `.Files.Glob`); now linear in the name.
    #[test]
    fn many_stars_are_fast() {
        let start = std::time::Instant::now();
        let stars = format!("config/{}.conf", "*".repeat(200));
        assert!(!m(
            &stars,
            "config/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.yaml"
        ));
        assert!(m(&stars, "config/a/b/c.conf"));
        let alternating = format!("{}b", "*a".repeat(100));
        assert!(!m(&alternating, &"a".repeat(200)));
        assert!(m(&alternating, &format!("{}b", "a".repeat(200))));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }
}
