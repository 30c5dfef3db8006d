//! [`Response`]: a successful answer, read whole, with JSON decoding whose errors name the request,
//! and the `Link: <...>; rel="next"` header that paginated lists (GitHub's) carry.

use serde::de::DeserializeOwned;

use super::error::HttpError;
use super::request::Method;

/// A response with a status below 400 (errors come back as [`HttpError`]).
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) method: Method,
    /// Masked.
    pub(crate) url: String,
    /// Unmasked: needed to follow `Link` pages, never shown.
    pub(crate) raw_url: String,
    pub(crate) status: u16,
    /// Names lower-cased.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The URL that answered (after redirects), secrets masked.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A header's value (names compare case-insensitively; the first of repeated headers).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every header, names lower-cased.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The raw body (empty for a download streamed to a file).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body decoded from JSON; the error names the request and what did not fit.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        serde_json::from_slice(&self.body).map_err(|error| {
            HttpError::decode(self.method, &self.url, self.status, error.to_string())
        })
    }

    /// The URL of the next page from the `Link` header, if any.
    pub fn next_page(&self) -> Option<String> {
        self.header("link").and_then(next_link)
    }

    pub(crate) fn method(&self) -> Method {
        self.method
    }
}

/// The `rel="next"` target of a `Link` header value.
pub fn next_link(header: &str) -> Option<String> {
    let mut rest = header;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        let params_end = rest[end..].find('<').map_or(rest.len(), |next| end + next);
        let params = &rest[end + 1..params_end];
        let is_next = params.split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_end_matches(',')
                    .trim_end()
                    .trim_matches('"')
                    .split_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target.to_owned());
        }
        rest = &rest[params_end..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_is_found_among_others() {
        let header = r#"<https://api.github.com/repositories/1/releases?per_page=2&page=1>; rel="prev", <https://api.github.com/repositories/1/releases?per_page=2&page=3>; rel="next", <https://api.github.com/repositories/1/releases?per_page=2&page=9>; rel="last""#;
        assert_eq!(
            next_link(header).as_deref(),
            Some("https://api.github.com/repositories/1/releases?per_page=2&page=3")
        );
        assert_eq!(next_link(r#"<https://x/?page=1>; rel="first""#), None);
        assert_eq!(
            next_link(r#"<https://x/?a=1,2>; rel=next"#).as_deref(),
            Some("https://x/?a=1,2")
        );
        assert_eq!(next_link(""), None);
    }
}
