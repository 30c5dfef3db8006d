//! `find = "GET https://..."` with `found = { bug = "/bugs/0/id" }` on an `http` step: a read-only
//! request whose answer says whether the step's effect already exists (a ticket filed by an
//! earlier, interrupted run). It is what makes a request that creates something exactly-once: the
//! step looks first and creates only when nothing is found, and a resumed step is "done" when it
//! is found, with its outputs taken from the pointers.
//!
//! The effect counts as found when the answer is a success and every `found` pointer points at a
//! value that is not `null` (a search with no hit answers `{"bugs": []}`, where `/bugs/0/id` points
//! at nothing).

use super::AnnounceError;
use super::http_step::{output_text, parse_target};
use crate::http::url::Origin;
use crate::http::{HttpClient, Method, RenderedRequest, RequestDescription};

/// A resolved look-up.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpFind {
    url: String,
    headers: Vec<(String, String)>,
    found: Vec<(String, String)>,
}

impl HttpFind {
    /// `target` is `GET URL` or a bare URL; `headers` are the step's own (its credentials).
    pub fn new(
        target: &str,
        headers: &[(String, String)],
        found: &[(String, String)],
    ) -> Result<Self, AnnounceError> {
        let (method, url) = parse_target(target)?;
        if method != Method::Get {
            return Err(AnnounceError::invalid(
                "find",
                target,
                "the look-up only reads: it is a GET request",
            ));
        }
        Origin::of(&url).map_err(|reason| AnnounceError::invalid("find", &url, reason))?;
        if found.is_empty() {
            return Err(AnnounceError::invalid(
                "found",
                "{}",
                "name at least one value that shows the effect is there",
            ));
        }
        if let Some((name, pointer)) = found.iter().find(|(_, pointer)| !pointer.starts_with('/')) {
            return Err(AnnounceError::invalid(
                "found",
                format!("{name} = {pointer:?}"),
                "a JSON pointer starts with `/` (`/bugs/0/id`)",
            ));
        }
        Ok(Self {
            url,
            headers: headers.to_vec(),
            found: found.to_vec(),
        })
    }

    pub fn request(&self) -> RequestDescription {
        let mut request = RequestDescription::new(Method::Get, &self.url);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        request
    }

    /// The request as a plan shows it.
    pub fn render(&self, client: &HttpClient) -> RenderedRequest {
        client.render(&self.request())
    }

    /// Looks: `Some(outputs)` (in the order of `found`) when the effect is there, `None` when
    /// it is not. An error status or an answer that is not JSON is an error: relman cannot tell.
    pub fn look(
        &self,
        client: &HttpClient,
    ) -> Result<Option<Vec<(String, String)>>, AnnounceError> {
        let response = client.execute(&self.request())?;
        let url = response.url().to_owned();
        let document: serde_json::Value =
            serde_json::from_str(&response.text()).map_err(|error| AnnounceError::NotJson {
                url,
                name: self.found[0].0.clone(),
                reason: error.to_string(),
            })?;
        Ok(found_values(&document, &self.found))
    }
}

/// Every pointer's value, or `None` when one points at nothing (or at `null`).
fn found_values(
    document: &serde_json::Value,
    found: &[(String, String)],
) -> Option<Vec<(String, String)>> {
    found
        .iter()
        .map(|(name, pointer)| match document.pointer(pointer) {
            None | Some(serde_json::Value::Null) => None,
            Some(value) => Some((name.clone(), output_text(value))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(name, pointer)| ((*name).to_owned(), (*pointer).to_owned()))
            .collect()
    }

    #[test]
    fn found_only_when_every_pointer_has_a_value() {
        let found = pairs(&[("bug", "/bugs/0/id"), ("status", "/bugs/0/status")]);
        let hit = json!({"bugs": [{"id": 1001, "status": "NEW"}]});
        assert_eq!(
            found_values(&hit, &found),
            Some(pairs(&[("bug", "1001"), ("status", "NEW")]))
        );
        assert_eq!(found_values(&json!({"bugs": []}), &found), None);
        assert_eq!(
            found_values(&json!({"bugs": [{"id": 7, "status": null}]}), &found),
            None
        );
    }

    #[test]
    fn the_look_up_is_a_get_with_pointers() {
        let found = pairs(&[("bug", "/bugs/0/id")]);
        assert!(HttpFind::new("https://bz.test/rest/bug?summary=x", &[], &found).is_ok());
        assert!(HttpFind::new("GET https://bz.test/rest/bug", &[], &found).is_ok());
        assert!(HttpFind::new("POST https://bz.test/rest/bug", &[], &found).is_err());
        assert!(HttpFind::new("GET https://bz.test/rest/bug", &[], &[]).is_err());
        assert!(
            HttpFind::new(
                "GET https://bz.test/rest/bug",
                &[],
                &pairs(&[("bug", "bugs/0")])
            )
            .is_err()
        );
    }
}
