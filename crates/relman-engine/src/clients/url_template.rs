//! A URL template's placeholders become data of the URL component they stand in, never its
//! structure: a value is percent-encoded for that component, so `{args.x}` = `../../admin?x=1`
//! in a path stays one segment (`..%2F..%2Fadmin%3Fx%3D1`) and `a&b=c` in a query stays one
//! value. A placeholder that starts the URL is the URL's base (`{env.HOOK_URL}`,
//! `{steps.ID.url}`) and is taken as it is.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::core::StepError;
use crate::template::{Piece, Template, Variables};

/// Everything but RFC 3986's unreserved characters: safe in a path segment, a query value or
/// a fragment.
const DATA: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// In the authority a value may hold a port (`host:8443`) or an IPv6 literal.
const AUTHORITY: &AsciiSet = &DATA.remove(b':').remove(b'[').remove(b']');

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Component {
    /// Before `://`: the scheme, or the base a leading placeholder gives.
    Start,
    Authority,
    Path,
    Query,
}

/// The component the end of `url` is in.
fn component(url: &str) -> Component {
    let Some(start) = url.find("://") else {
        return Component::Start;
    };
    let rest = &url[start + 3..];
    if rest.contains(['?', '#']) {
        Component::Query
    } else if rest.contains('/') {
        Component::Path
    } else {
        Component::Authority
    }
}

/// `template` rendered with `render` (which gives a placeholder's value, or the placeholder as
/// written when the plan does not know it yet), each value encoded for where it stands.
pub fn render_url(
    template: &Template,
    render: &mut dyn FnMut(&Template) -> Result<String, StepError>,
) -> Result<String, StepError> {
    let mut pieces: Vec<(bool, String)> = Vec::new();
    template
        .each_part(&Variables::new(), true, |piece| match piece {
            Piece::Text(text) => pieces.push((false, text.to_owned())),
            Piece::Value(placeholder, _) => pieces.push((true, placeholder.to_string())),
        })
        .map_err(|unresolved| StepError::new(unresolved.to_string()))?;
    let mut url = String::new();
    for (is_value, text) in pieces {
        if !is_value {
            url.push_str(&text);
            continue;
        }
        let single =
            Template::parse(&text).map_err(|error| StepError::new(format!("`{text}`: {error}")))?;
        let value = render(&single)?;
        // Not known yet (the plan shows it as written), or the URL's base.
        if value == text || url.is_empty() {
            url.push_str(&value);
            continue;
        }
        match component(&url) {
            Component::Start => url.push_str(&value),
            Component::Authority => url.extend(utf8_percent_encode(&value, AUTHORITY)),
            // `{repo}` is `owner/name`: two segments by design.
            Component::Path if text == "{repo}" => {
                let segments: Vec<String> = value.split('/').map(segment).collect();
                url.push_str(&segments.join("/"));
            }
            Component::Path => url.push_str(&segment(&value)),
            Component::Query => url.extend(utf8_percent_encode(&value, DATA)),
        }
    }
    Ok(url)
}

/// One path segment: `/` encoded, and `.` or `..` alone too (they would climb).
fn segment(value: &str) -> String {
    if value == "." || value == ".." {
        value.replace('.', "%2E")
    } else {
        utf8_percent_encode(value, DATA).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(source: &str, values: &[(&str, &str)]) -> String {
        let mut variables = Variables::new();
        for (name, value) in values {
            variables.set(*name, *value);
        }
        let template = Template::parse(source).unwrap();
        render_url(&template, &mut |template| {
            Ok(template.render_partial(&variables))
        })
        .unwrap()
    }

    #[test]
    fn values_stay_in_their_component() {
        assert_eq!(
            url(
                "https://api.example/v1/{args.x}/items",
                &[("args.x", "../../admin?x=1")]
            ),
            "https://api.example/v1/..%2F..%2Fadmin%3Fx%3D1/items"
        );
        assert_eq!(
            url("https://api.example/v1/{args.x}", &[("args.x", "..")]),
            "https://api.example/v1/%2E%2E"
        );
        assert_eq!(
            url(
                "https://api.example/s?q={args.q}&v={version}",
                &[("args.q", "a&b=c#d"), ("version", "1.0.0+b")]
            ),
            "https://api.example/s?q=a%26b%3Dc%23d&v=1.0.0%2Bb"
        );
        assert_eq!(
            url(
                "https://api.example/repos/{repo}/releases",
                &[("repo", "o/r")]
            ),
            "https://api.example/repos/o/r/releases"
        );
        assert_eq!(
            url("https://{env.HOST}/x", &[("env.HOST", "h.example:8443")]),
            "https://h.example:8443/x"
        );
        assert_eq!(
            url(
                "https://{env.HOST}/x",
                &[("env.HOST", "evil.example/a?b@c")]
            ),
            "https://evil.example%2Fa%3Fb%40c/x"
        );
    }

    #[test]
    fn a_leading_placeholder_is_the_base_and_unknown_ones_stay_as_written() {
        assert_eq!(
            url(
                "{env.HOOK}/v1/{args.x}",
                &[("env.HOOK", "https://h.example/a?b=1"), ("args.x", "y z")]
            ),
            "https://h.example/a?b=1/v1/y%20z"
        );
        assert_eq!(
            url("https://h.example/{steps.a.id}/x", &[]),
            "https://h.example/{steps.a.id}/x"
        );
    }
}
