//! "Did you mean": the closest known name to a mistyped one.

/// Levenshtein distance, ASCII case folded (a wrong case is a typo too).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The known name closest to `word`, if it is close enough to be a typo
/// (at most a third of its length, and at least 1, apart).
pub fn closest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    known
        .into_iter()
        .map(|k| (distance(word, k), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// `: did you mean "X"?` or "".
pub fn hint<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, known).map_or(String::new(), |k| format!(": did you mean {k:?}?"))
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn typos() {
        let known = ["kubeVersion", "featureGates", "tests", "values"];
        assert_eq!(closest("kubeversion", known), Some("kubeVersion"));
        assert_eq!(closest("featuregates", known), Some("featureGates"));
        assert_eq!(closest("test", known), Some("tests"));
        assert_eq!(closest("zzz", known), None);
        assert_eq!(
            closest("ImageVolumes", ["ImageVolume"]),
            Some("ImageVolume")
        );
    }
}
