//! `verify = "oci"`: every tag of an image is on its registry (OCI distribution API), and, with
//! `platforms`, each tag covers every listed platform; with [`OciVerify::same_as`], every tag
//! names the same image (digest) as another tag, as after a promotion (`alpha` moved to the
//! release's image, not merely present from an earlier one).
//!
//! A tag is read with `GET /v2/<repository>/manifests/<tag>` and the OCI and Docker manifest
//! types in `Accept`. An index lists its platforms; a single image's platform is in its config
//! blob. A tag that is absent, or present without every platform (still the previous release's
//! `latest`, or an index not yet assembled), is "not yet". Authentication follows the registry's
//! 401 challenge (see [`auth`]); the credential that worked is kept for the next polls and renewed
//! when it expires. Each tag's digest is reported, for the step's outputs.

pub mod auth;
pub mod manifest;
pub mod reference;

use std::sync::{Mutex, PoisonError};

use sha2::{Digest, Sha256};

pub use auth::{Challenge, parse_challenges};
pub use manifest::{MANIFEST_ACCEPT, Manifest, Platform};
pub use reference::ImageReference;

use super::{VerifyError, pending_reason};
use crate::http::{Credential, HttpClient, HttpError, RequestDescription, Response};
use crate::secret::Secret;
use crate::wait::Poll;
use auth::TokenError;

/// A resolved `verify = "oci"` step.
#[derive(Debug)]
pub struct OciVerify {
    image: ImageReference,
    tags: Vec<String>,
    platforms: Vec<Platform>,
    login: Option<(String, Secret)>,
    /// A tag every tag must name the same image as.
    same_as: Option<String>,
    /// The credential the registry last accepted (basic, or a bearer token it issued).
    credential: Mutex<Option<Credential>>,
}

/// One verified tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFound {
    pub tag: String,
    /// `sha256:...` of the manifest or index.
    pub digest: String,
    /// The platforms the tag covers (`linux/amd64`), when known.
    pub platforms: Vec<String>,
}

/// Every tag found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OciFound {
    pub tags: Vec<TagFound>,
}

impl OciVerify {
    /// `image` is `[registry/]repository[:tag]`; a tag in it is used when `tags` is empty.
    /// `login` is a user and a password or token, for private images.
    pub fn new(
        image: &str,
        tags: &[String],
        platforms: &[String],
        login: Option<(String, Secret)>,
    ) -> Result<Self, VerifyError> {
        let invalid = |option: &'static str, value: &str, reason: String| VerifyError::Invalid {
            option,
            value: value.to_owned(),
            reason,
        };
        let image_ref =
            ImageReference::parse(image).map_err(|reason| invalid("image", image, reason))?;
        let mut tags: Vec<String> = tags.to_vec();
        if tags.is_empty() {
            tags.extend(image_ref.reference.clone());
        }
        if tags.is_empty() {
            return Err(invalid("tags", "", "give at least one tag".to_owned()));
        }
        if let Some(bad) = tags.iter().find(|tag| !is_valid_reference(tag)) {
            return Err(invalid(
                "tags",
                bad,
                "not a tag (`[A-Za-z0-9_][A-Za-z0-9_.-]*`, at most 128) or digest".to_owned(),
            ));
        }
        let platforms = platforms
            .iter()
            .map(|text| Platform::parse(text).map_err(|reason| invalid("platforms", text, reason)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            image: ImageReference {
                reference: None,
                ..image_ref
            },
            tags,
            platforms,
            login: login.filter(|(user, _)| !user.is_empty()),
            same_as: None,
            credential: Mutex::new(None),
        })
    }

    /// Also requires every tag to name the same image (manifest digest) as `reference`, a tag or
    /// a digest, which must be on the registry too.
    pub fn same_as(mut self, reference: &str) -> Result<Self, VerifyError> {
        if !is_valid_reference(reference) {
            return Err(VerifyError::Invalid {
                option: "same-as",
                value: reference.to_owned(),
                reason: "not a tag (`[A-Za-z0-9_][A-Za-z0-9_.-]*`, at most 128) or digest"
                    .to_owned(),
            });
        }
        self.same_as = Some(reference.to_owned());
        Ok(self)
    }

    pub fn image(&self) -> &ImageReference {
        &self.image
    }

    /// The manifest requests a check sends (one per tag), for the plan.
    pub fn requests(&self) -> Vec<RequestDescription> {
        self.tags
            .iter()
            .chain(&self.same_as)
            .map(|tag| self.manifest_request(tag))
            .collect()
    }

    /// The login's password or token, for a redactor.
    pub fn secrets(&self) -> Vec<Secret> {
        self.login
            .iter()
            .map(|(_, password)| password.clone())
            .collect()
    }

    pub fn describe(&self) -> String {
        let tags: Vec<String> = self.tags.iter().map(|tag| format!("`{tag}`")).collect();
        let mut line = format!("verify image {} has {}", self.image, tags.join(", "));
        if !self.platforms.is_empty() {
            let platforms: Vec<String> = self.platforms.iter().map(ToString::to_string).collect();
            line.push_str(&format!(" for {}", platforms.join(", ")));
        }
        if let Some(reference) = &self.same_as {
            line.push_str(&format!(", the same image as `{reference}`"));
        }
        if let Some((user, _)) = &self.login {
            line.push_str(&format!(" (as {user})"));
        }
        line
    }

    /// Reads every tag once (and the `same_as` one).
    pub fn check(&self, client: &HttpClient) -> Result<Poll<OciFound>, VerifyError> {
        let mut found = Vec::new();
        for tag in &self.tags {
            match self.check_tag(client, tag)? {
                Ok(tag) => found.push(tag),
                Err(reason) => return Ok(Poll::Pending(reason)),
            }
        }
        if let Some(reference) = &self.same_as {
            let wanted = match self.check_tag(client, reference)? {
                Ok(wanted) => wanted.digest,
                Err(reason) => return Ok(Poll::Pending(reason)),
            };
            if let Some(other) = found.iter().find(|tag| tag.digest != wanted) {
                return Ok(Poll::Pending(format!(
                    "{}:{} is {}, not the image of `{reference}` ({wanted})",
                    self.image, other.tag, other.digest
                )));
            }
        }
        Ok(Poll::Ready(OciFound { tags: found }))
    }

    fn manifest_request(&self, tag: &str) -> RequestDescription {
        RequestDescription::get(self.image.manifest_url(tag)).header("Accept", MANIFEST_ACCEPT)
    }

    /// `Ok(Ok(found))`, `Ok(Err(why not yet))` or `Err(failure)`.
    fn check_tag(
        &self,
        client: &HttpClient,
        tag: &str,
    ) -> Result<Result<TagFound, String>, VerifyError> {
        let response = match self.get(client, &self.manifest_request(tag))? {
            Ok(response) => response,
            Err(reason) => return Ok(Err(reason)),
        };
        let digest = response
            .header("docker-content-digest")
            .map(str::to_owned)
            .unwrap_or_else(|| sha256_digest(response.body()));
        let manifest = match Manifest::parse(response.header("content-type"), response.body()) {
            Ok(manifest) => manifest,
            Err(reason) => {
                return Err(VerifyError::UnexpectedResponse {
                    url: response.url().to_owned(),
                    reason,
                });
            }
        };
        let platforms = match manifest {
            Manifest::Index { platforms } => platforms,
            Manifest::Image { .. } if self.platforms.is_empty() => Vec::new(),
            Manifest::Image { config_digest } => {
                let request = RequestDescription::get(self.image.blob_url(&config_digest));
                let config = match self.get(client, &request)? {
                    Ok(config) => config,
                    Err(reason) => return Ok(Err(reason)),
                };
                match manifest::config_platform(config.body()) {
                    Ok(platform) => vec![platform],
                    Err(reason) => {
                        return Err(VerifyError::UnexpectedResponse {
                            url: config.url().to_owned(),
                            reason,
                        });
                    }
                }
            }
        };
        let missing: Vec<String> = self
            .platforms
            .iter()
            .filter(|wanted| !platforms.iter().any(|platform| platform.matches(wanted)))
            .map(ToString::to_string)
            .collect();
        let names: Vec<String> = platforms.iter().map(ToString::to_string).collect();
        if !missing.is_empty() {
            let has = if names.is_empty() {
                "no platform listed".to_owned()
            } else {
                format!("it has {}", names.join(", "))
            };
            return Ok(Err(format!(
                "{}:{tag} lacks {} ({has})",
                self.image,
                missing.join(", ")
            )));
        }
        Ok(Ok(TagFound {
            tag: tag.to_owned(),
            digest,
            platforms: names,
        }))
    }

    /// Sends a request with the kept credential; on a 401, logs in as the challenge asks and tries
    /// once more. A 404 or a transient failure is `Ok(Err(why not yet))`.
    fn get(
        &self,
        client: &HttpClient,
        request: &RequestDescription,
    ) -> Result<Result<Response, String>, VerifyError> {
        let mut logged_in = false;
        loop {
            let kept = self
                .credential
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            let with_auth = match kept {
                Some(credential) => client.clone().with_credential(credential),
                None => client.clone(),
            };
            let error = match with_auth.execute(request) {
                Ok(response) => return Ok(Ok(response)),
                Err(error) => error,
            };
            if error.status() != Some(401) {
                let what = format!("{} is not on {} yet", tag_of(&request.url), self.image);
                return pending_reason(error, || what).map(Err);
            }
            if logged_in {
                return self.still_unauthorized(error).map(Err);
            }
            let credential = match self.login_for(client, &error)? {
                Ok(credential) => credential,
                Err(reason) => return Ok(Err(reason)),
            };
            *self
                .credential
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(credential);
            logged_in = true;
        }
    }

    /// The credential a 401's challenge asks for.
    fn login_for(
        &self,
        client: &HttpClient,
        error: &HttpError,
    ) -> Result<Result<Credential, String>, VerifyError> {
        let challenges = error
            .www_authenticate()
            .map(parse_challenges)
            .unwrap_or_default();
        let base = self.image.api_base();
        let bearer = challenges.iter().find_map(|challenge| match challenge {
            Challenge::Bearer {
                realm,
                service,
                scope,
            } => Some((realm, service, scope)),
            Challenge::Basic { .. } => None,
        });
        if let Some((realm, service, scope)) = bearer {
            let request = auth::token_request(
                realm,
                service.as_deref(),
                scope.as_deref(),
                &self.image.repository,
            );
            let token = match auth::fetch_token(client, &request, self.login.as_ref()) {
                Ok(token) => token,
                Err(TokenError::Refused(error)) => {
                    return Err(match &self.login {
                        Some(_) => self.refused(error.to_string()),
                        None => self.needed(),
                    });
                }
                Err(TokenError::Http(error)) => {
                    let what = || "the registry's token service is not answering".to_owned();
                    return pending_reason(error, what).map(Err);
                }
                Err(TokenError::Invalid(reason)) => {
                    return Err(VerifyError::UnexpectedResponse {
                        url: client.redactor().redact(realm),
                        reason,
                    });
                }
            };
            return Credential::bearer(&base, token)
                .map(Ok)
                .map_err(|error| self.invalid_base(error.reason));
        }
        let basic = challenges
            .iter()
            .any(|challenge| matches!(challenge, Challenge::Basic { .. }));
        match (&self.login, basic) {
            (Some((user, password)), true) => Credential::basic(&base, user, password.clone())
                .map(Ok)
                .map_err(|error| self.invalid_base(error.reason)),
            (None, true) => Err(self.needed()),
            (_, false) => Err(VerifyError::UnexpectedResponse {
                url: error.url().to_owned(),
                reason: "401 without a `WWW-Authenticate` challenge relman understands".to_owned(),
            }),
        }
    }

    /// A 401 after logging in: `Ok(reason)` is "not yet".
    fn still_unauthorized(&self, error: HttpError) -> Result<String, VerifyError> {
        match &self.login {
            Some(_) => Err(self.refused(error.to_string())),
            // Docker Hub issues anonymous tokens for any name, then answers 401 for a repository
            // that does not exist: on a first release that is "not yet", not "forbidden".
            None => Ok(format!(
                "{} refuses anonymous access to `{}`: it does not exist yet, or it is private \
                 (then give the step a login)",
                self.image.registry, self.image.repository
            )),
        }
    }

    fn refused(&self, reason: String) -> VerifyError {
        VerifyError::CredentialsRefused {
            registry: self.image.registry.clone(),
            repository: self.image.repository.clone(),
            reason,
        }
    }

    fn needed(&self) -> VerifyError {
        VerifyError::CredentialsNeeded {
            registry: self.image.registry.clone(),
            repository: self.image.repository.clone(),
        }
    }

    fn invalid_base(&self, reason: String) -> VerifyError {
        VerifyError::Invalid {
            option: "image",
            value: self.image.to_string(),
            reason,
        }
    }
}

fn tag_of(url: &str) -> String {
    url.rsplit('/').next().unwrap_or(url).to_owned()
}

/// Tags per the distribution spec, or a `algorithm:hex` digest.
fn is_valid_reference(tag: &str) -> bool {
    if let Some((algorithm, hex)) = tag.split_once(':') {
        return !algorithm.is_empty()
            && !hex.is_empty()
            && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    tag.len() <= 128
        && tag
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn sha256_digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_checked_and_described() {
        let verify = OciVerify::new(
            "ghcr.io/org/app:1.0",
            &[],
            &["linux/amd64".to_owned(), "linux/arm64".to_owned()],
            Some(("bot".to_owned(), Secret::new("ghp_token"))),
        )
        .unwrap();
        assert_eq!(
            verify.describe(),
            "verify image ghcr.io/org/app has `1.0` for linux/amd64, linux/arm64 (as bot)"
        );
        assert_eq!(
            verify.requests()[0].url,
            "https://ghcr.io/v2/org/app/manifests/1.0"
        );
        assert!(!format!("{verify:?}").contains("ghp_token"));
        assert!(OciVerify::new("ghcr.io/org/app", &[], &[], None).is_err());
        assert!(OciVerify::new("app", &["bad tag".to_owned()], &[], None).is_err());
        assert!(OciVerify::new("app", &["1.0".to_owned()], &["linux".to_owned()], None).is_err());
        assert!(is_valid_reference("sha256:0123abcd"));
        assert!(!is_valid_reference(".hidden"));
    }
}
