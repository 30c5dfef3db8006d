//! `pom.xml`: the text of `project/version`, found by a small XML tag scanner that understands
//! comments, CDATA, processing instructions, a DOCTYPE, attributes with quoted `>` and
//! namespace prefixes, so dependency versions of other projects and commented-out versions are
//! never taken for the project's own.
//!
//! A multi-module build moves together (as maven-release-plugin moves it): the root's
//! `project/version` (or the property a CI-friendly `${revision}` names), and in each module the
//! `<parent><version>` naming the root, the module's own `project/version`, and every dependency
//! on the project's own group written out at the project's version.

use std::ops::Range;
use std::path::Path;

use super::FileError;
use super::text::{Location, line_column, line_of};

/// A text-only element of a pom: its path from the root element and the span of its trimmed
/// text; `dependency` numbers the `<dependency>` element it sits in.
struct Element<'t> {
    path: Vec<&'t str>,
    span: Range<usize>,
    dependency: Option<usize>,
}

/// Locates the project's version in a root `pom.xml` (`module` false) or a module's (`module`
/// true, where an inherited version is the `<parent>`'s, which the release moves).
pub(super) fn locate_pom(
    path: &Path,
    text: &str,
    module: bool,
) -> Result<Vec<Location>, FileError> {
    let elements = scan(path, text)?;
    let at = |wanted: &[&str]| -> Vec<&Element<'_>> {
        elements.iter().filter(|e| e.path == wanted).collect()
    };
    let value = |element: &Element<'_>| &text[element.span.clone()];
    let own = at(&["project", "version"]);
    if own.len() > 1 {
        return Err(FileError::Ambiguous {
            path: path.to_owned(),
            looked_for: "`project/version`".to_owned(),
            lines: own.iter().map(|e| line_of(text, e.span.start)).collect(),
        });
    }
    let parent = at(&["project", "parent", "version"]);
    let mut found: Vec<Location> = Vec::new();
    let version = match (own.first(), parent.first()) {
        (Some(own), _) => {
            let location = property_definition(&elements, text, own)
                .unwrap_or_else(|| Location::new(own.span.clone(), "project/version"));
            found.push(location);
            value(own)
        }
        (None, Some(parent)) if module => value(parent),
        (None, Some(_)) => {
            return Err(FileError::VersionElsewhere {
                path: path.to_owned(),
                reason: "it has no `project/version`, so Maven inherits the version of `<parent>`"
                    .to_owned(),
                elsewhere: Some("the parent project's `pom.xml`".to_owned()),
            });
        }
        (None, None) => return Ok(found),
    };
    if version.starts_with("${") {
        // A property no `<properties>` of this file defines: the error names the property.
        return Ok(found);
    }
    // A module's `<parent>` names the root at the project's version.
    if module && let Some(parent) = parent.first().filter(|p| value(p) == version) {
        found.push(Location::new(parent.span.clone(), "project/parent/version"));
    }
    // Dependencies on the project's own modules, written out at its version: only in a build of
    // several modules (a root listing `<modules>`, or a module), where the project's group at
    // its version is the project; a single pom's dependency of its group is another project's.
    if !module && at(&["project", "modules", "module"]).is_empty() {
        return Ok(found);
    }
    let group = at(&["project", "groupId"])
        .first()
        .or(at(&["project", "parent", "groupId"]).first())
        .map(|e| value(e));
    let in_dependency = |number: usize, name: &str| {
        elements
            .iter()
            .find(|e| e.dependency == Some(number) && e.path.last() == Some(&name))
            .map(value)
    };
    for element in &elements {
        let Some(number) = element.dependency else {
            continue;
        };
        let dependency_group = in_dependency(number, "groupId");
        let own_group = dependency_group.is_some_and(|g| {
            Some(g) == group || g == "${project.groupId}" || g == "${project.parent.groupId}"
        });
        if element.path.last() == Some(&"version") && own_group && value(element) == version {
            found.push(Location::new(element.span.clone(), "dependency/version"));
        }
    }
    Ok(found)
}

/// The root's artifactId (`gson-parent`), which names its release tags.
pub fn pom_artifact_id(text: &str) -> Option<String> {
    let elements = scan(Path::new("pom.xml"), text).ok()?;
    elements
        .iter()
        .find(|e| e.path == ["project", "artifactId"])
        .map(|e| text[e.span.clone()].to_owned())
}

/// The folders `<modules>` lists, as written (`gson`, `extras`).
pub(super) fn pom_modules(text: &str) -> Vec<String> {
    let Ok(elements) = scan(Path::new("pom.xml"), text) else {
        return Vec::new();
    };
    elements
        .iter()
        .filter(|e| e.path == ["project", "modules", "module"])
        .map(|e| text[e.span.clone()].to_owned())
        .collect()
}

/// For `project/version` holding `${revision}` (Maven's CI-friendly versions), where this
/// file's `<properties>` defines `revision` as a literal version.
fn property_definition(
    elements: &[Element<'_>],
    text: &str,
    own: &Element<'_>,
) -> Option<Location> {
    let name = text[own.span.clone()]
        .strip_prefix("${")?
        .strip_suffix('}')?;
    let definitions: Vec<&Element<'_>> = elements
        .iter()
        .filter(|e| e.path == ["project", "properties", name])
        .collect();
    match definitions.as_slice() {
        [definition] if !text[definition.span.clone()].contains('$') => Some(Location::new(
            definition.span.clone(),
            format!("project/properties/{name}"),
        )),
        _ => None,
    }
}

/// Every element of the pom that holds only text (or nothing), in document order.
fn scan<'t>(path: &Path, text: &'t str) -> Result<Vec<Element<'t>>, FileError> {
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
    let mut elements: Vec<Element<'t>> = Vec::new();
    let mut dependencies = 0usize;
    let mut dependency: Vec<Option<usize>> = Vec::new();
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
            dependency.pop();
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
            let inside = if name == "dependency" {
                dependencies += 1;
                Some(dependencies)
            } else {
                dependency.last().copied().flatten()
            };
            dependency.push(inside);
            let content_end = text[at..].find('<').map_or(text.len(), |index| at + index);
            if text[content_end..].starts_with("</") {
                let content = &text[at..content_end];
                let leading = content.len() - content.trim_start().len();
                let value_start = at + leading;
                elements.push(Element {
                    path: stack.clone(),
                    span: value_start..value_start + content.trim().len(),
                    dependency: inside,
                });
            } else if stack == ["project", "version"] {
                return Err(FileError::Unsupported {
                    path: path.to_owned(),
                    line: line_of(text, at),
                    message: "`project/version` holds markup, not just text".to_owned(),
                });
            }
        }
    }
    if let Some(open) = stack.last() {
        return Err(parse_error(
            text.len(),
            &format!("`<{open}>` is never closed"),
        ));
    }
    Ok(elements)
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
        let found = locate_pom(Path::new("pom.xml"), text, false)?;
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

    fn module(text: &str) -> Vec<(&str, String)> {
        locate_pom(Path::new("core/pom.xml"), text, true)
            .unwrap()
            .into_iter()
            .map(|l| (&text[l.span.clone()], l.label))
            .collect()
    }

    #[test]
    fn a_module_moves_its_parent_its_own_version_and_its_own_group_s_dependencies() {
        let text = "<project>\n<parent><groupId>g</groupId><artifactId>p</artifactId>\
            <version>2.0-SNAPSHOT</version></parent>\n<artifactId>x</artifactId>\
            <version>2.0-SNAPSHOT</version>\n<dependencies>\
            <dependency><groupId>g</groupId><artifactId>y</artifactId><version>2.0-SNAPSHOT</version></dependency>\
            <dependency><groupId>${project.groupId}</groupId><artifactId>z</artifactId><version>2.0-SNAPSHOT</version></dependency>\
            <dependency><groupId>other</groupId><artifactId>y</artifactId><version>2.0-SNAPSHOT</version></dependency>\
            <dependency><groupId>g</groupId><artifactId>old</artifactId><version>1.0</version></dependency>\
            <dependency><groupId>g</groupId><artifactId>w</artifactId><version>${project.version}</version></dependency>\
            </dependencies></project>";
        let labels: Vec<&str> = module(text).iter().map(|(v, _)| *v).collect();
        assert_eq!(labels, ["2.0-SNAPSHOT"; 4]);
        let places: Vec<String> = module(text).into_iter().map(|(_, l)| l).collect();
        assert_eq!(
            places,
            [
                "project/version",
                "project/parent/version",
                "dependency/version",
                "dependency/version"
            ]
        );
        // Inherited: the `<parent>`'s version is the module's.
        let inherited =
            "<project><parent><artifactId>p</artifactId><version>3.1</version></parent></project>";
        assert_eq!(module(inherited)[0].0, "3.1");
        // A root never takes its parent's (another project's) version.
        assert!(matches!(
            locate_pom(Path::new("pom.xml"), inherited, false),
            Err(FileError::VersionElsewhere { .. })
        ));
    }

    #[test]
    fn a_ci_friendly_revision_is_written_where_it_is_defined() {
        let text = "<project><version>${revision}</version>\
            <properties><revision>2.27.0-SNAPSHOT</revision></properties></project>";
        let found = locate_pom(Path::new("pom.xml"), text, false).unwrap();
        assert_eq!(&text[found[0].span.clone()], "2.27.0-SNAPSHOT");
        assert_eq!(found[0].label, "project/properties/revision");
        // Defined elsewhere (a `.mvn/maven.config`): the value stays `${revision}`, unread.
        let elsewhere = "<project><version>${revision}</version></project>";
        let found = locate_pom(Path::new("pom.xml"), elsewhere, false).unwrap();
        assert_eq!(&elsewhere[found[0].span.clone()], "${revision}");
    }
}
