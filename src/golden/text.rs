//! Unified line diffs (the `similar` crate). On a terminal, changed lines
//! are red/green and the words that changed inside them are highlighted.

use crate::style::{self, paint};
use anstyle::Style;
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
    let mut out = paint(
        true,
        style::BOLD,
        &format!("--- {old_label}\n+++ {new_label}"),
    );
    out.push('\n');
    for group in diff.grouped_ops(CONTEXT) {
        if group.is_empty() {
            continue;
        }
        out.push_str(&paint(
            true,
            style::CYAN,
            &UnifiedHunkHeader::new(&group).to_string(),
        ));
        out.push('\n');
        for op in &group {
            for change in diff.iter_inline_changes(op) {
                let (sign, base, emph) = match change.tag() {
                    ChangeTag::Delete => ("-", style::RED, style::EMPH_RED),
                    ChangeTag::Insert => ("+", style::GREEN, style::EMPH_GREEN),
                    ChangeTag::Equal => (" ", Style::new(), Style::new()),
                };
                let mut line = String::new();
                for (emphasized, s) in change.iter_strings_lossy() {
                    let s = s.trim_end_matches('\n');
                    if s.is_empty() {
                        continue;
                    }
                    if emphasized && change.tag() != ChangeTag::Equal {
                        // Back to the line's colour after the word.
                        line.push_str(&format!("{emph}{s}{emph:#}{base}"));
                    } else {
                        line.push_str(s);
                    }
                }
                if change.tag() == ChangeTag::Equal {
                    out.push_str(&format!("{sign}{line}\n"));
                } else {
                    out.push_str(&paint(true, base, &format!("{sign}{line}")));
                    out.push('\n');
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
        // Bold, underlined, green: the changed word of the added line.
        assert!(d.contains("\x1b[1m\x1b[4m\x1b[32m/data"), "{d:?}");
    }
}
