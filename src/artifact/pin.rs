//! Rewrite one scalar of a YAML values file in place, keeping everything
//! else byte for byte: comments, quoting style, key order.

use saphyr_parser::{Event, Parser, ScalarStyle};

/// Where a scalar is: byte range of its content (inside quotes, if any)
/// and its style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub value: String,
    pub start: usize,
    pub end: usize,
    pub style: ScalarStyle,
}

/// Find the scalar at the dotted `path` of the first document.
pub fn find_scalar(text: &str, path: &[&str]) -> Result<Option<Scalar>, String> {
    let mut parser = Parser::new_from_str(text);
    // For each open collection: is it a map, the pending key, the key path.
    let mut stack: Vec<(bool, Option<String>)> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    // Char index -> byte index.
    let byte_at = |ci: usize| {
        text.char_indices()
            .nth(ci)
            .map(|(b, _)| b)
            .unwrap_or(text.len())
    };
    loop {
        let Some((ev, span)) = super::tree::next_event(&mut parser)? else {
            return Ok(None);
        };
        match ev {
            Event::StreamEnd | Event::DocumentEnd => return Ok(None),
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let map = matches!(ev, Event::MappingStart(..));
                if let Some((true, Some(k))) = stack.last() {
                    keys.push(k.clone());
                } else if !stack.is_empty() {
                    keys.push("[]".into());
                }
                stack.push((map, None));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                if !stack.is_empty() {
                    keys.pop();
                }
                if let Some((true, k)) = stack.last_mut() {
                    *k = None;
                }
            }
            Event::Scalar(v, style, _, _) => match stack.last_mut() {
                Some((true, k @ None)) => *k = Some(v.into_owned()),
                Some((true, k @ Some(_))) => {
                    let key = k.take().unwrap_or_default();
                    let at_path = keys.len() + 1 == path.len()
                        && keys.iter().zip(path).all(|(a, b)| a == b)
                        && path.last() == Some(&key.as_str());
                    if at_path {
                        // The scanner's end mark runs past quotes and
                        // comments: the content is the value's length from
                        // the start, checked by `replace`.
                        let mut s = byte_at(span.start.index());
                        if matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) {
                            s += 1;
                        }
                        return Ok(Some(Scalar {
                            end: s + v.len(),
                            value: v.into_owned(),
                            start: s,
                            style,
                        }));
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
}

/// `text` with the scalar replaced by `new` in the same style. Only plain
/// and quoted scalars are rewritten; `new` must need no escaping.
pub fn replace(text: &str, s: &Scalar, new: &str) -> Result<String, String> {
    if !matches!(
        s.style,
        ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
    ) {
        return Err(
            "the value is a block scalar (| or >); write it as a plain or quoted string".into(),
        );
    }
    if new.contains(['"', '\'', '\\', '#', '\n']) || new.contains(": ") {
        return Err(format!("{new:?} cannot be written without escaping"));
    }
    let raw = text
        .get(s.start..s.end)
        .ok_or("the value's position is outside the file")?;
    // Plain scalars were read raw; quoted ones must read back as the value.
    if raw != s.value {
        return Err("the value spans several lines or uses escapes; write it on one line".into());
    }
    Ok(format!("{}{new}{}", &text[..s.start], &text[s.end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_comments_and_quotes() {
        let text = "# top\nociArtifacts:\n  image:\n    # the artifact\n    reference: \"r.io/a/b:v1\" # pinned below\n    pullPolicy: IfNotPresent\nother: {reference: x}\n";
        let s = find_scalar(text, &["ociArtifacts", "image", "reference"]);
        let Ok(Some(s)) = s else { panic!("{s:?}") };
        assert_eq!(s.value, "r.io/a/b:v1");
        let out = replace(text, &s, "r.io/a/b:v1@sha256:00");
        assert_eq!(
            out.as_deref(),
            Ok(
                "# top\nociArtifacts:\n  image:\n    # the artifact\n    reference: \"r.io/a/b:v1@sha256:00\" # pinned below\n    pullPolicy: IfNotPresent\nother: {reference: x}\n"
            )
        );
        let plain = "ociArtifacts: {image: {reference: a:b}}\n";
        let Ok(Some(s)) = find_scalar(plain, &["ociArtifacts", "image", "reference"]) else {
            panic!()
        };
        assert_eq!(
            replace(plain, &s, "a:b@sha256:1").as_deref(),
            Ok("ociArtifacts: {image: {reference: a:b@sha256:1}}\n")
        );
        assert_eq!(
            find_scalar("a: 1\n", &["ociArtifacts", "image", "reference"]),
            Ok(None)
        );
    }
}
