//! Glob patterns for `.pchart.yaml`'s `valuesFiles:`: `*` (any characters
//! but `/`), `**/` (any directories, none included), `?` (one character
//! but `/`); anything else matches itself.

/// Whether `path` (with `/` separators) matches `pattern` as a whole.
pub fn matches(pattern: &str, path: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = path.chars().collect();
    go(&p, &s)
}

fn go(p: &[char], s: &[char]) -> bool {
    match p {
        [] => s.is_empty(),
        ['*', '*', '/', rest @ ..] => {
            // Zero directories, or one more and try again.
            go(rest, s)
                || s.iter()
                    .position(|c| *c == '/')
                    .is_some_and(|i| go(p, &s[i + 1..]))
        }
        ['*', '*', rest @ ..] => (0..=s.len()).any(|i| go(rest, &s[i..])),
        ['*', rest @ ..] => (0..=s.len())
            .take_while(|i| *i == 0 || s[i - 1] != '/')
            .any(|i| go(rest, &s[i..])),
        ['?', rest @ ..] => s.first().is_some_and(|c| *c != '/') && go(rest, &s[1..]),
        [c, rest @ ..] => s.first() == Some(c) && go(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn patterns() {
        assert!(matches("values/*.yaml", "values/staging.yaml"));
        assert!(!matches("values/*.yaml", "values/eu/staging.yaml"));
        assert!(matches("values/**/*.yaml", "values/staging.yaml"));
        assert!(matches("values/**/*.yaml", "values/eu/west/staging.yaml"));
        assert!(matches("**/values-*.y?ml", "deploy/values-prod.yaml"));
        assert!(matches("**/values-*.y?ml", "values-prod.yaml"));
        assert!(!matches("*.yaml", "a/b.yaml"));
        assert!(!matches("values/*.yaml", "values/staging.yaml.bak"));
    }
}
