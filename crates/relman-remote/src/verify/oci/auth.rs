//! Registry authentication as Docker Hub, GHCR, Quay and `docker-registry` do it: a 401 carries
//! `WWW-Authenticate: Basic realm=...` (send the user's credentials) or
//! `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"`
//! (ask the realm for a token, anonymously or with the user's credentials, then send it as a
//! bearer token to the registry alone).
//!
//! The token belongs to the registry's origin and is never sent anywhere else. The user's
//! credentials go to the registry and to the token realm the registry names, as Docker sends
//! them, but only when that realm is HTTPS (or on this machine): a plain-HTTP realm on another
//! host would expose them.

use serde::Deserialize;

use crate::http::url::{Origin, append_query};
use crate::http::{Credential, HttpClient, HttpError, RequestDescription};
use crate::secret::Secret;

/// One challenge of a `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    Basic {
        realm: Option<String>,
    },
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
}

/// Parses a `WWW-Authenticate` value (RFC 7235: schemes followed by `name=value` or
/// `name="quoted, value"` parameters; several challenges may share one header).
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut challenges = Vec::new();
    let mut scheme: Option<String> = None;
    let mut params: Vec<(String, String)> = Vec::new();
    let finish =
        |scheme: Option<String>, params: &mut Vec<(String, String)>, out: &mut Vec<Challenge>| {
            let get = |name: &str| {
                params
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(name))
                    .map(|(_, value)| value.clone())
            };
            match scheme.as_deref().map(str::to_ascii_lowercase).as_deref() {
                Some("basic") => out.push(Challenge::Basic {
                    realm: get("realm"),
                }),
                Some("bearer") => {
                    if let Some(realm) = get("realm") {
                        out.push(Challenge::Bearer {
                            realm,
                            service: get("service"),
                            scope: get("scope"),
                        });
                    }
                }
                _ => {}
            }
            params.clear();
        };
    let mut rest = header.trim();
    while !rest.is_empty() {
        rest = rest.trim_start_matches([',', ' ', '\t']);
        let token_end = rest
            .find(|c: char| c == '=' || c == ',' || c.is_whitespace())
            .unwrap_or(rest.len());
        let token = &rest[..token_end];
        let after = rest[token_end..].trim_start();
        if let Some(value_text) = after.strip_prefix('=').filter(|_| !token.is_empty()) {
            let value_text = value_text.trim_start();
            let (value, remaining) = if let Some(quoted) = value_text.strip_prefix('"') {
                let mut value = String::new();
                let mut chars = quoted.char_indices();
                let mut end = quoted.len();
                while let Some((index, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, escaped)) = chars.next() {
                                value.push(escaped);
                            }
                        }
                        '"' => {
                            end = index + 1;
                            break;
                        }
                        _ => value.push(c),
                    }
                }
                (value, &quoted[end.min(quoted.len())..])
            } else {
                let end = value_text.find(',').unwrap_or(value_text.len());
                (value_text[..end].trim().to_owned(), &value_text[end..])
            };
            params.push((token.to_owned(), value));
            rest = remaining;
        } else if token.is_empty() {
            break;
        } else {
            // A new scheme starts: close the previous challenge.
            finish(scheme.take(), &mut params, &mut challenges);
            scheme = Some(token.to_owned());
            rest = after;
        }
    }
    finish(scheme, &mut params, &mut challenges);
    challenges
}

#[derive(Deserialize)]
struct TokenResponse {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
}

/// Why no token could be had.
#[derive(Debug)]
pub(crate) enum TokenError {
    /// The realm refused (401/403): the credentials are wrong, or anonymous access is not allowed.
    Refused(HttpError),
    Http(HttpError),
    /// The realm answered something that is not a token, or cannot be trusted with credentials.
    Invalid(String),
}

/// The token request for a bearer challenge, with the pull scope of `repository` when the
/// challenge names none.
pub(crate) fn token_request(
    realm: &str,
    service: Option<&str>,
    scope: Option<&str>,
    repository: &str,
) -> RequestDescription {
    let mut url = realm.to_owned();
    if let Some(service) = service {
        url = append_query(&url, "service", service);
    }
    let pull = format!("repository:{repository}:pull");
    url = append_query(&url, "scope", scope.unwrap_or(&pull));
    RequestDescription::get(url)
}

/// Asks the realm for a token; with `login`, authenticated by basic auth.
pub(crate) fn fetch_token(
    client: &HttpClient,
    request: &RequestDescription,
    login: Option<&(String, Secret)>,
) -> Result<Secret, TokenError> {
    let mut client = client.clone();
    if let Some((user, password)) = login {
        let origin = Origin::of(&request.url).map_err(TokenError::Invalid)?;
        if !origin.to_string().starts_with("https://") && !origin.is_loopback() {
            return Err(TokenError::Invalid(format!(
                "the registry's token service {origin} is not HTTPS; refusing to send credentials to it"
            )));
        }
        let credential = Credential::basic(&request.url, user, password.clone())
            .map_err(|error| TokenError::Invalid(error.reason))?;
        client = client.with_credential(credential);
    }
    let response: TokenResponse = client.json(request).map_err(|error| match error.status() {
        Some(401 | 403) => TokenError::Refused(error),
        _ => TokenError::Http(error),
    })?;
    response
        .token
        .or(response.access_token)
        .filter(|token| !token.is_empty())
        .map(Secret::new)
        .ok_or_else(|| {
            TokenError::Invalid("the token service answered without a `token`".to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_hub_and_ghcr_challenges() {
        let hub = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#;
        assert_eq!(
            parse_challenges(hub),
            [Challenge::Bearer {
                realm: "https://auth.docker.io/token".to_owned(),
                service: Some("registry.docker.io".to_owned()),
                scope: Some("repository:library/nginx:pull".to_owned()),
            }]
        );
        let ghcr = r#"Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull""#;
        assert!(
            matches!(&parse_challenges(ghcr)[0], Challenge::Bearer { service: Some(s), .. } if s == "ghcr.io")
        );
    }

    #[test]
    fn basic_unquoted_escaped_and_several_challenges() {
        assert_eq!(
            parse_challenges(r#"Basic realm="relman-test""#),
            [Challenge::Basic {
                realm: Some("relman-test".to_owned())
            }]
        );
        let both = r#"Basic realm=plain, Bearer realm="https://t.test/token?x=1",scope="repository:a/b:pull,push", error="invalid_token""#;
        let parsed = parse_challenges(both);
        assert_eq!(parsed.len(), 2, "{parsed:?}");
        assert_eq!(
            parsed[0],
            Challenge::Basic {
                realm: Some("plain".to_owned())
            }
        );
        assert!(
            matches!(&parsed[1], Challenge::Bearer { scope: Some(s), .. } if s == "repository:a/b:pull,push")
        );
        assert_eq!(
            parse_challenges(r#"Basic realm="say \"hi\"""#),
            [Challenge::Basic {
                realm: Some("say \"hi\"".to_owned())
            }]
        );
        assert!(parse_challenges("Bearer error=\"no realm\"").is_empty());
        assert!(parse_challenges("").is_empty());
    }

    #[test]
    fn token_requests_carry_service_and_scope() {
        let request = token_request("https://auth.test/token", Some("reg.test"), None, "org/app");
        assert_eq!(
            request.url,
            "https://auth.test/token?service=reg.test&scope=repository%3Aorg%2Fapp%3Apull"
        );
    }
}
