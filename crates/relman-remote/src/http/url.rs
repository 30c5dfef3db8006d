//! The little URL handling HTTP needs here: the origin a credential is bound to, resolving a
//! redirect's `Location`, and appending percent-encoded query parameters and path segments.
//!
//! Parsing goes through `http::Uri` (already a ureq dependency) rather than the `url` crate: the
//! URLs are built by relman itself or handed back by services, and only their parts are needed.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use ureq::http::Uri;

/// Everything but the RFC 3986 unreserved characters is encoded, in queries and path segments.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Scheme, host and port: what a credential belongs to. `https://api.github.com` and
/// `https://api.github.com:443/x` are the same origin; `http://` on the same host is not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of an absolute `http` or `https` URL.
    pub fn of(url: &str) -> Result<Self, String> {
        let uri: Uri = url
            .parse()
            .map_err(|error| format!("not a valid URL: {error}"))?;
        let scheme = uri
            .scheme_str()
            .ok_or("not an absolute URL (no scheme)")?
            .to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            other => return Err(format!("unsupported scheme `{other}` (use http or https)")),
        };
        let host = uri.host().ok_or("no host")?.to_ascii_lowercase();
        if host.is_empty() {
            return Err("no host".to_owned());
        }
        Ok(Self {
            scheme,
            host,
            port: uri.port_u16().unwrap_or(default_port),
        })
    }

    /// The host name (or IP address) alone.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether this is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost" || self.host.starts_with("127.") || self.host == "[::1]"
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let default = if self.scheme == "https" { 443 } else { 80 };
        if self.port == default {
            write!(f, "{}://{}", self.scheme, self.host)
        } else {
            write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
        }
    }
}

/// Percent-encodes one query value or path segment (a tag name with `/`, a branch with `#`).
pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Appends `name=value` to a URL's query, encoded.
pub fn append_query(url: &str, name: &str, value: &str) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (url, None),
    };
    let separator = if !base.contains('?') {
        "?"
    } else if base.ends_with(['?', '&']) {
        ""
    } else {
        "&"
    };
    let mut out = format!(
        "{base}{separator}{}={}",
        encode_component(name),
        encode_component(value)
    );
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// The value of a query parameter of a URL, decoded.
pub fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then(|| {
            percent_encoding::percent_decode_str(&value.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// Resolves a redirect's `Location` against the URL that answered with it.
pub fn resolve(base: &str, location: &str) -> Result<String, String> {
    let location = location.trim();
    if location.contains("://") {
        return Ok(location.to_owned());
    }
    let uri: Uri = base
        .parse()
        .map_err(|error| format!("not a valid URL: {error}"))?;
    let scheme = uri.scheme_str().ok_or("not an absolute URL")?;
    let authority = uri.authority().ok_or("no host")?.as_str();
    if let Some(rest) = location.strip_prefix("//") {
        return Ok(format!("{scheme}://{rest}"));
    }
    if location.starts_with('/') {
        return Ok(format!("{scheme}://{authority}{location}"));
    }
    let path = uri.path();
    let directory = &path[..path.rfind('/').map_or(0, |slash| slash + 1)];
    Ok(format!("{scheme}://{authority}{directory}{location}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let api = Origin::of("https://API.github.com/repos/x").unwrap();
        assert_eq!(api, Origin::of("https://api.github.com:443").unwrap());
        assert_ne!(api, Origin::of("http://api.github.com").unwrap());
        assert_ne!(api, Origin::of("https://uploads.github.com").unwrap());
        let local = Origin::of("http://127.0.0.1:8080/api/v3").unwrap();
        assert_ne!(local, Origin::of("http://127.0.0.1:8081/").unwrap());
        assert!(local.is_loopback());
        assert_eq!(local.to_string(), "http://127.0.0.1:8080");
        assert!(Origin::of("ftp://x/").is_err());
        assert!(Origin::of("/relative").is_err());
    }

    #[test]
    fn queries_are_encoded() {
        assert_eq!(
            append_query("https://h/p", "head", "me:feature/x y"),
            "https://h/p?head=me%3Afeature%2Fx%20y"
        );
        assert_eq!(
            append_query("https://h/p?a=1", "b", "2"),
            "https://h/p?a=1&b=2"
        );
        assert_eq!(
            query_value("https://h/p?a=1&name=x%2By&c", "name").as_deref(),
            Some("x+y")
        );
    }

    #[test]
    fn locations_resolve() {
        let base = "https://api.test/repos/o/r/zip?x=1";
        assert_eq!(
            resolve(base, "https://blob.test/a").unwrap(),
            "https://blob.test/a"
        );
        assert_eq!(
            resolve(base, "//blob.test/a").unwrap(),
            "https://blob.test/a"
        );
        assert_eq!(resolve(base, "/b").unwrap(), "https://api.test/b");
        assert_eq!(resolve(base, "c").unwrap(), "https://api.test/repos/o/r/c");
    }
}
