//! A project page of the simple repository API, in either form: PEP 691 JSON
//! (`application/vnd.pypi.simple.v1+json`, what pypi.org and TestPyPI prefer) or PEP 503 HTML
//! (what pypiserver, devpi and most mirrors serve), read into one list of files.

use serde::Deserialize;

/// The media types relman asks for, JSON first.
pub const ACCEPT: &str = "application/vnd.pypi.simple.v1+json, \
     application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

/// One file listed on a project page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    pub filename: String,
    /// As given (may be relative to the page).
    pub url: String,
    /// `Some(reason)` (possibly empty) when the file is yanked (PEP 592).
    pub yanked: Option<String>,
}

/// The files of a project page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProjectPage {
    pub files: Vec<IndexFile>,
}

/// Why a page could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PageError(pub String);

#[derive(Deserialize)]
struct JsonPage {
    meta: Option<JsonMeta>,
    files: Vec<JsonFile>,
}

#[derive(Deserialize)]
struct JsonMeta {
    #[serde(rename = "api-version")]
    api_version: Option<String>,
}

#[derive(Deserialize)]
struct JsonFile {
    filename: String,
    url: String,
    #[serde(default)]
    yanked: Option<serde_json::Value>,
}

impl ProjectPage {
    /// Reads a page by its `Content-Type`, or by its first character when that says nothing
    /// useful (`application/octet-stream` from a static file server).
    pub fn parse(content_type: Option<&str>, body: &str) -> Result<Self, PageError> {
        let content_type = content_type.unwrap_or_default().to_ascii_lowercase();
        let is_json = content_type.contains("json")
            || (!content_type.contains("html") && body.trim_start().starts_with('{'));
        if is_json {
            Self::parse_json(body)
        } else {
            Ok(Self::parse_html(body))
        }
    }

    /// PEP 691 JSON; a major API version other than 1 is refused, as the PEP asks of clients.
    pub fn parse_json(body: &str) -> Result<Self, PageError> {
        let page: JsonPage = serde_json::from_str(body)
            .map_err(|error| PageError(format!("not a PEP 691 project page: {error}")))?;
        if let Some(version) = page.meta.and_then(|meta| meta.api_version)
            && !version.starts_with("1.")
            && version != "1"
        {
            return Err(PageError(format!(
                "the index speaks simple API version {version}; relman knows version 1"
            )));
        }
        let files = page
            .files
            .into_iter()
            .map(|file| IndexFile {
                filename: file.filename,
                url: file.url,
                yanked: match file.yanked {
                    Some(serde_json::Value::Bool(true)) => Some(String::new()),
                    Some(serde_json::Value::String(reason)) => Some(reason),
                    _ => None,
                },
            })
            .collect();
        Ok(Self { files })
    }

    /// PEP 503 HTML: every `<a href=...>filename</a>`, with `data-yanked`.
    pub fn parse_html(body: &str) -> Self {
        let mut files = Vec::new();
        let mut rest = body;
        while let Some(start) = find_ascii_case_insensitive(rest, "<a") {
            let after = &rest[start + 2..];
            if !after.starts_with(|c: char| c.is_ascii_whitespace()) {
                rest = after;
                continue;
            }
            let Some(tag_end) = after.find('>') else {
                break;
            };
            let attributes = parse_attributes(&after[..tag_end]);
            let content = &after[tag_end + 1..];
            let text_end = find_ascii_case_insensitive(content, "</a").unwrap_or(content.len());
            let text = decode_entities(content[..text_end].trim());
            rest = &content[text_end..];
            let Some(href) = attribute(&attributes, "href") else {
                continue;
            };
            // PEP 503: the text is the file name; fall back to the URL's last segment.
            let filename = if text.is_empty() {
                let path = href.split(['#', '?']).next().unwrap_or_default();
                path.rsplit('/').next().unwrap_or_default().to_owned()
            } else {
                text
            };
            files.push(IndexFile {
                filename,
                url: href.to_owned(),
                yanked: attribute(&attributes, "data-yanked").map(str::to_owned),
            });
        }
        Self { files }
    }
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// `name="value"`, `name='value'`, `name=value` and bare `name` (value ""), names lower-cased,
/// values entity-decoded.
fn parse_attributes(text: &str) -> Vec<(String, String)> {
    let mut attributes = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() || c == '/' {
            chars.next();
            continue;
        }
        let mut name_end = start;
        while let Some(&(index, c)) = chars.peek() {
            if c.is_whitespace() || c == '=' {
                break;
            }
            name_end = index + c.len_utf8();
            chars.next();
        }
        let name = text[start..name_end].to_ascii_lowercase();
        while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek().is_some_and(|&(_, c)| c == '=') {
            chars.next();
            while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
                chars.next();
            }
            let quote = chars
                .peek()
                .map(|&(_, c)| c)
                .filter(|c| *c == '"' || *c == '\'');
            if quote.is_some() {
                chars.next();
            }
            while let Some(&(_, c)) = chars.peek() {
                if Some(c) == quote || (quote.is_none() && c.is_whitespace()) {
                    chars.next();
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        if !name.is_empty() {
            attributes.push((name, decode_entities(&value)));
        }
    }
    attributes
}

/// The entities that appear in index pages (`&amp;` in URLs, `&gt;=` in `data-requires-python`).
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semicolon) = after.find(';').filter(|&end| end <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let entity = &after[..semicolon];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semicolon + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503_html_with_attributes_and_entities() {
        let html = r#"<!DOCTYPE html>
<html><body><h1>Links for relman-demo</h1>
<a href="../../packages/relman_demo-1.3.0a1.tar.gz#sha256=ab12">relman_demo-1.3.0a1.tar.gz</a><br>
<A HREF='https://files.test/x/relman_demo-1.2.0-py3-none-any.whl?a=1&amp;b=2' data-requires-python="&gt;=3.8" data-yanked="broken build">relman_demo-1.2.0-py3-none-any.whl</A>
<a href="/p/relman_demo-1.1.0.zip" data-yanked>  </a>
<abbr>not a link</abbr>
</body></html>"#;
        let page = ProjectPage::parse(Some("text/html; charset=utf-8"), html).unwrap();
        assert_eq!(page.files.len(), 3);
        assert_eq!(page.files[0].filename, "relman_demo-1.3.0a1.tar.gz");
        assert_eq!(
            page.files[0].url,
            "../../packages/relman_demo-1.3.0a1.tar.gz#sha256=ab12"
        );
        assert_eq!(page.files[0].yanked, None);
        assert_eq!(
            page.files[1].url,
            "https://files.test/x/relman_demo-1.2.0-py3-none-any.whl?a=1&b=2"
        );
        assert_eq!(page.files[1].yanked.as_deref(), Some("broken build"));
        assert_eq!(page.files[2].filename, "relman_demo-1.1.0.zip");
        assert_eq!(page.files[2].yanked.as_deref(), Some(""));
    }

    #[test]
    fn pep691_json_is_chosen_by_content_type_or_shape() {
        let json = r#"{"meta":{"api-version":"1.1"},"name":"x","files":[
            {"filename":"x-1.0.tar.gz","url":"https://f/x-1.0.tar.gz","hashes":{},"yanked":false},
            {"filename":"x-0.9.tar.gz","url":"https://f/x-0.9.tar.gz","hashes":{},"yanked":"CVE"}],"versions":["0.9","1.0"]}"#;
        for content_type in [Some("application/vnd.pypi.simple.v1+json"), None] {
            let page = ProjectPage::parse(content_type, json).unwrap();
            assert_eq!(page.files.len(), 2);
            assert_eq!(page.files[1].yanked.as_deref(), Some("CVE"));
        }
        let future = r#"{"meta":{"api-version":"2.0"},"files":[]}"#;
        assert!(
            ProjectPage::parse_json(future)
                .unwrap_err()
                .0
                .contains("2.0")
        );
        assert!(ProjectPage::parse(Some("application/json"), "{oops").is_err());
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a&amp;b&#39;c&#x3E;&unknown; & d"),
            "a&b'c>&unknown; & d"
        );
    }
}
