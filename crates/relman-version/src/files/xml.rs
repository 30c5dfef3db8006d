//! `pom.xml`: the text of `project/version`, found by a small XML tag scanner that understands
//! comments, CDATA, processing instructions, a DOCTYPE, attributes with quoted `>` and
//! namespace prefixes, so `<parent><version>`, dependency versions and commented-out versions
//! are never taken for the project's own.

use std::path::Path;

use super::FileError;
use super::text::{Location, line_column, line_of};

pub(super) fn locate_pom(path: &Path, text: &str) -> Result<Vec<Location>, FileError> {
    let parse_error = |at: usize, message: &str| {
        let (line, column) = line_column(text, at);
        FileError::Parse {
            path: path.to_owned(),
            format: "XML",
            line,
            column,
            message: message.to_owned(),
        }
    };
    let bytes = text.as_bytes();
    let mut stack: Vec<&str> = Vec::new();
    let mut found: Vec<Location> = Vec::new();
    let mut parent_version = false;
    let mut at = 0;
    while let Some(found_at) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found_at;
        let rest = &text[start..];
        let skip_to = |terminator: &str, what: &str| {
            rest.find(terminator)
                .map(|end| start + end + terminator.len())
                .ok_or_else(|| parse_error(start, &format!("unclosed {what}")))
        };
        if rest.starts_with("<!--") {
            at = skip_to("-->", "comment")?;
        } else if rest.starts_with("<![CDATA[") {
            at = skip_to("]]>", "CDATA section")?;
        } else if rest.starts_with("<?") {
            at = skip_to("?>", "processing instruction")?;
        } else if rest.starts_with("<!") {
            at = declaration_end(rest)
                .map(|end| start + end)
                .ok_or_else(|| parse_error(start, "unclosed declaration"))?;
        } else if let Some(close) = rest.strip_prefix("</") {
            let end = close
                .find('>')
                .ok_or_else(|| parse_error(start, "unclosed end tag"))?;
            let name = local_name(close[..end].trim());
            match stack.pop() {
                Some(open) if open == name => {}
                _ => return Err(parse_error(start, &format!("unexpected `</{name}>`"))),
            }
            at = start + 2 + end + 1;
        } else {
            let end = tag_end(rest).ok_or_else(|| parse_error(start, "unclosed tag"))?;
            let tag = &rest[1..end];
            let self_closing = tag.ends_with('/');
            let name_end = tag
                .find(|c: char| c.is_whitespace() || c == '/')
                .unwrap_or(tag.len());
            let name = local_name(&tag[..name_end]);
            at = start + end + 1;
            if self_closing {
                continue;
            }
            stack.push(name);
            match stack.as_slice() {
                ["project", "version"] => {
                    let content_end = text[at..].find('<').map_or(text.len(), |index| at + index);
                    if !text[content_end..].starts_with("</") {
                        return Err(FileError::Unsupported {
                            path: path.to_owned(),
                            line: line_of(text, at),
                            message: "`project/version` holds markup, not just text".to_owned(),
                        });
                    }
                    let content = &text[at..content_end];
                    let leading = content.len() - content.trim_start().len();
                    let value = content.trim();
                    let value_start = at + leading;
                    found.push(Location::new(
                        value_start..value_start + value.len(),
                        "project/version",
                    ));
                }
                ["project", "parent", "version"] => parent_version = true,
                _ => {}
            }
        }
    }
    if let Some(open) = stack.last() {
        return Err(parse_error(
            text.len(),
            &format!("`<{open}>` is never closed"),
        ));
    }
    if found.len() > 1 {
        return Err(FileError::Ambiguous {
            path: path.to_owned(),
            looked_for: "`project/version`".to_owned(),
            lines: found
                .iter()
                .map(|location| line_of(text, location.span.start))
                .collect(),
        });
    }
    if found.is_empty() && parent_version {
        return Err(FileError::VersionElsewhere {
            path: path.to_owned(),
            reason: "it has no `project/version`, so Maven inherits the version of `<parent>`"
                .to_owned(),
            elsewhere: Some("the parent project's `pom.xml`".to_owned()),
        });
    }
    Ok(found)
}

fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// The index of the `>` that ends a start tag, skipping `>` inside quoted attribute values.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (index, byte) in tag.bytes().enumerate() {
        match (quote, byte) {
            (None, b'"' | b'\'') => quote = Some(byte),
            (Some(open), _) if open == byte => quote = None,
            (None, b'>') => return Some(index),
            _ => {}
        }
    }
    None
}

/// The index just after a `<!DOCTYPE ...>` (with any `[...]` internal subset).
fn declaration_end(declaration: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    for (index, byte) in declaration.bytes().enumerate() {
        match (quote, byte) {
            (None, b'"' | b'\'') => quote = Some(byte),
            (Some(open), _) if open == byte => quote = None,
            (None, b'[') => depth += 1,
            (None, b']') => depth = depth.saturating_sub(1),
            (None, b'>') if depth == 0 => return Some(index + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> Result<Vec<&str>, FileError> {
        let found = locate_pom(Path::new("pom.xml"), text)?;
        Ok(found.into_iter().map(|l| &text[l.span]).collect())
    }

    #[test]
    fn project_version_only() {
        let text = r#"<?xml version="1.0"?>
<!DOCTYPE project [ <!ENTITY x "y"> ]>
<project xmlns="http://maven.apache.org/POM/4.0.0" a="x>y">
  <!-- <version>0.0.1</version> -->
  <parent><groupId>g</groupId><version>9.9.9</version></parent>
  <version>
    1.2.3
  </version>
  <dependencies><dependency><version>8.8.8</version></dependency></dependencies>
  <build><plugins/></build>
  <description><![CDATA[<version>7.7.7</version>]]></description>
</project>
"#;
        assert_eq!(version(text).unwrap(), ["1.2.3"]);
    }

    #[test]
    fn inherited_from_parent() {
        let text = "<project><parent><version>1.0</version></parent></project>";
        let error = version(text).unwrap_err();
        assert!(
            matches!(error, FileError::VersionElsewhere { .. }),
            "{error}"
        );
        assert!(
            version("<project><name>x</name></project>")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn malformed() {
        let error = version("<project>\n<version>1.0</versio></project>").unwrap_err();
        assert!(matches!(error, FileError::Parse { line: 2, .. }), "{error}");
        let error = version("<project>\n<version>1.0</version>").unwrap_err();
        assert!(error.to_string().contains("never closed"), "{error}");
        let error = version("<project><version>1<!-- x -->.0</version></project>").unwrap_err();
        assert!(matches!(error, FileError::Unsupported { .. }), "{error}");
    }
}
