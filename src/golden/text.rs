//! Unified line diffs (the `similar` crate). On a terminal, changed lines
//! are red/green and the words that changed inside them are highlighted.

use similar::udiff::UnifiedHunkHeader;
use similar::{ChangeTag, TextDiff};

/// Lines of context around each change.
pub const CONTEXT: usize = 3;

/// A hunk of a unified diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// 1-based line of the hunk's first change in the old (golden) text.
    pub old_start: usize,
    pub removed: usize,
    pub added: usize,
    /// The hunk in unified format, header included.
    pub text: String,
}

/// The hunks of the diff from `old` to `new` (empty when equal).
pub fn hunks(old: &str, new: &str) -> Vec<Hunk> {
    let diff = TextDiff::from_lines(old, new);
    let mut u = diff.unified_diff();
    u.context_radius(CONTEXT);
    u.iter_hunks()
        .map(|h| {
            // The first changed line (0-based), not the hunk's context.
            let mut at = h.ops().first().map_or(0, |o| o.old_range().start);
            let mut first = None;
            let mut removed = 0;
            let mut added = 0;
            for c in h.iter_changes() {
                match c.tag() {
                    ChangeTag::Delete => {
                        removed += 1;
                        first = first.or(c.old_index());
                    }
                    ChangeTag::Insert => {
                        added += 1;
                        first = first.or(Some(at));
                    }
                    ChangeTag::Equal => at = c.old_index().map_or(at, |i| i + 1),
                }
            }
            let first = first.unwrap_or(at);
            Hunk {
                old_start: first + 1,
                removed,
                added,
                text: h.to_string(),
            }
        })
        .collect()
}

/// A unified diff from `old` to `new` with `---`/`+++` headers, or "" when
/// they are equal. With `color`, ANSI colours and inline (word-level)
/// emphasis; without, plain text that `patch` reads.
pub fn unified(old: &str, new: &str, old_label: &str, new_label: &str, color: bool) -> String {
    let diff = TextDiff::from_lines(old, new);
    if diff
        .ops()
        .iter()
        .all(|o| o.as_tag_tuple().0 == similar::DiffTag::Equal)
    {
        return String::new();
    }
    if !color {
        return diff
            .unified_diff()
            .context_radius(CONTEXT)
            .header(old_label, new_label)
            .to_string();
    }
    let mut out = format!("\x1b[1m--- {old_label}\n+++ {new_label}\x1b[0m\n");
    for group in diff.grouped_ops(CONTEXT) {
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\x1b[36m{}\x1b[0m\n",
            UnifiedHunkHeader::new(&group)
        ));
        for op in &group {
            for change in diff.iter_inline_changes(op) {
                let (sign, base, emph) = match change.tag() {
                    ChangeTag::Delete => ("-", "31", "1;4;31"),
                    ChangeTag::Insert => ("+", "32", "1;4;32"),
                    ChangeTag::Equal => (" ", "0", "0"),
                };
                let mut line = String::new();
                for (emphasized, s) in change.iter_strings_lossy() {
                    let s = s.trim_end_matches('\n');
                    if s.is_empty() {
                        continue;
                    }
                    if emphasized && change.tag() != ChangeTag::Equal {
                        line.push_str(&format!("\x1b[{emph}m{s}\x1b[0m\x1b[{base}m"));
                    } else {
                        line.push_str(s);
                    }
                }
                if change.tag() == ChangeTag::Equal {
                    out.push_str(&format!("{sign}{line}\n"));
                } else {
                    out.push_str(&format!("\x1b[{base}m{sign}{line}\x1b[0m\n"));
                }
                if change.missing_newline() {
                    out.push_str("\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_is_empty() {
        assert_eq!(unified("a\n", "a\n", "x", "y", false), "");
        assert_eq!(unified("a\n", "a\n", "x", "y", true), "");
        assert!(hunks("a\n", "a\n").is_empty());
    }

    #[test]
    fn plain_unified() {
        let d = unified("a\nb\nc\n", "a\nB\nc\n", "golden", "rendered", false);
        assert_eq!(
            d,
            "--- golden\n+++ rendered\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        let h = hunks("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(h.len(), 1);
        assert_eq!((h[0].old_start, h[0].removed, h[0].added), (2, 1, 1));
    }

    #[test]
    fn colour_highlights_changed_words() {
        let d = unified(
            "mountPath: /etc/perses\n",
            "mountPath: /data\n",
            "g",
            "r",
            true,
        );
        assert!(d.contains("\x1b[31m-mountPath: "), "{d:?}");
        assert!(d.contains("\x1b[1;4;32m"), "{d:?}");
    }
}
