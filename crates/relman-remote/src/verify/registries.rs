//! `verify = "npm"`, `verify = "crates"` and `verify = "gem"`: a version of a package is on an
//! npm registry (its packument lists it), in a Cargo sparse index (a line of the package's index
//! file has it, yanked or not said) or on a RubyGems host (`GET /api/v1/versions/NAME.json`
//! lists it; a yanked version is left out). Each answers "is version V of package P visible on
//! the registry?", which the `publish` step's probe and a multi-package release waiting on a
//! dependency ask too.

use serde::Deserialize;

use super::{VerifyError, check_http_error, join_url};
use crate::http::{Credential, HttpClient, RequestDescription};
use crate::secret::Secret;
use crate::wait::Poll;

/// The public npm registry.
pub const NPM_REGISTRY: &str = "https://registry.npmjs.org/";
/// The crates.io sparse index.
pub const CRATES_INDEX: &str = "https://index.crates.io/";
/// RubyGems.org, where `gem push` pushes unless told.
pub const RUBYGEMS_HOST: &str = "https://rubygems.org";

/// Where a version of a package is looked for.
#[derive(Debug, Clone)]
pub struct RegistryVersion {
    kind: RegistryKind,
    /// The registry (npm) or index (crates) root.
    root: String,
    package: String,
    version: String,
    /// A gem's platform (`ruby`, `x86_64-linux`): only that build of the version counts.
    platform: Option<String>,
    credential: Option<Credential>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RegistryKind {
    Npm,
    Crates,
    Gem,
}

/// What was found: the version, and for a crate whether it is yanked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub version: String,
    pub yanked: bool,
}

impl RegistryVersion {
    /// Version `version` of the npm package `package` (`@scope/name` too) on `registry`; a
    /// token is sent as a Bearer credential to the registry's origin only.
    pub fn npm(
        registry: &str,
        package: &str,
        version: &str,
        token: Option<Secret>,
    ) -> Result<Self, VerifyError> {
        Self::new(RegistryKind::Npm, registry, package, version, token)
    }

    /// Version `version` of the crate `package` in the sparse index at `index`
    /// (`sparse+` prefix allowed); a token is sent as `Authorization` (Cargo's private
    /// registries) to the index's origin only.
    pub fn crates(
        index: &str,
        package: &str,
        version: &str,
        token: Option<Secret>,
    ) -> Result<Self, VerifyError> {
        let index = index.trim_start_matches("sparse+");
        Self::new(RegistryKind::Crates, index, package, version, token)
    }

    /// Version `version` (RubyGems' form: `1.3.0.pre.rc.1`) of the gem `package` on the RubyGems
    /// host `host` (`https://rubygems.org`); a key is sent as `Authorization`, as `gem` sends
    /// it, to the host's origin only (a private gem server may want it for reads).
    pub fn gem(
        host: &str,
        package: &str,
        version: &str,
        token: Option<Secret>,
    ) -> Result<Self, VerifyError> {
        // RubyGems' own rule for a name; it also keeps the name one segment of the URL.
        let named = package.starts_with(|first: char| first.is_ascii_alphanumeric())
            && package
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || "-_.".contains(character));
        if !named {
            return Err(VerifyError::Invalid {
                option: "package",
                value: package.to_owned(),
                reason: "not a gem name (letters, digits, `-`, `_` and `.`)".to_owned(),
            });
        }
        Self::new(RegistryKind::Gem, host, package, version, token)
    }

    /// Only the build of `platform` counts (`ruby` for a gem without one).
    #[must_use]
    pub fn platform(mut self, platform: &str) -> Self {
        self.platform = Some(platform.to_owned());
        self
    }

    fn new(
        kind: RegistryKind,
        root: &str,
        package: &str,
        version: &str,
        token: Option<Secret>,
    ) -> Result<Self, VerifyError> {
        let invalid = |option: &'static str, value: &str, reason: &str| VerifyError::Invalid {
            option,
            value: value.to_owned(),
            reason: reason.to_owned(),
        };
        if package.trim().is_empty() || package.contains(char::is_whitespace) {
            return Err(invalid("package", package, "not a package name"));
        }
        let credential = match token {
            Some(token) => Some(
                match kind {
                    RegistryKind::Npm => Credential::bearer(root, token),
                    RegistryKind::Crates | RegistryKind::Gem => {
                        Credential::header(root, "Authorization", token)
                    }
                }
                .map_err(|error| invalid("registry", root, &error.reason))?,
            ),
            None => {
                crate::http::url::Origin::of(root)
                    .map_err(|reason| invalid("registry", root, &reason))?;
                None
            }
        };
        Ok(Self {
            kind,
            root: root.to_owned(),
            package: package.to_owned(),
            version: version.trim_start_matches('v').to_owned(),
            platform: None,
            credential,
        })
    }

    /// The document that lists the package's versions.
    pub fn url(&self) -> String {
        match self.kind {
            // A scoped name keeps its `@` and escapes its `/`, as npm's clients do.
            RegistryKind::Npm => join_url(&self.root, &self.package.replace('/', "%2f")),
            RegistryKind::Crates => join_url(&self.root, &index_path(&self.package)),
            RegistryKind::Gem => join_url(
                &self.root,
                &format!("api/v1/versions/{}.json", self.package),
            ),
        }
    }

    pub fn request(&self) -> RequestDescription {
        let request = RequestDescription::get(self.url());
        match self.kind {
            // The abbreviated packument: versions without their READMEs.
            RegistryKind::Npm => request.header(
                "Accept",
                "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8",
            ),
            RegistryKind::Crates | RegistryKind::Gem => request,
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "verify {} {} on {}",
            self.package,
            self.version,
            self.root.trim_end_matches('/')
        )
    }

    /// Looks once.
    pub fn check(&self, client: &HttpClient) -> Result<Poll<Found>, VerifyError> {
        let client = match &self.credential {
            Some(credential) => client.clone().with_credential(credential.clone()),
            None => client.clone(),
        };
        let missing = || format!("{} is not on {} yet", self.package, self.root);
        let response = match client.execute(&self.request()) {
            Ok(response) => response,
            Err(error) => return check_http_error(error, missing),
        };
        let text = response.text();
        let versions = match self.kind {
            RegistryKind::Npm => npm_versions(&text),
            RegistryKind::Crates => Ok(crate_versions(&text)),
            RegistryKind::Gem => gem_versions(&text, self.platform.as_deref()),
        }
        .map_err(|reason| VerifyError::UnexpectedResponse {
            url: response.url().to_owned(),
            reason,
        })?;
        match versions
            .iter()
            .find(|(version, _)| *version == self.version)
        {
            Some((version, yanked)) => Ok(Poll::Ready(Found {
                version: version.clone(),
                yanked: *yanked,
            })),
            None => Ok(Poll::Pending(format!(
                "{} is on {} at {} versions, not {} yet",
                self.package,
                self.root.trim_end_matches('/'),
                versions.len(),
                self.version
            ))),
        }
    }

    /// Whether the version is visible now (a probe, or a dependency awaited).
    pub fn visible(&self, client: &HttpClient) -> Result<bool, VerifyError> {
        Ok(matches!(self.check(client)?, Poll::Ready(_)))
    }
}

/// The path of a crate's file in a sparse index: `1/a`, `2/ab`, `3/a/abc`, `se/rd/serde`.
pub fn index_path(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.len() {
        1 => format!("1/{lower}"),
        2 => format!("2/{lower}"),
        3 => format!("3/{}/{lower}", &lower[..1]),
        _ => format!("{}/{}/{lower}", &lower[..2], &lower[2..4]),
    }
}

fn npm_versions(text: &str) -> Result<Vec<(String, bool)>, String> {
    #[derive(Deserialize)]
    struct Packument {
        #[serde(default)]
        versions: serde_json::Map<String, serde_json::Value>,
    }
    let packument: Packument =
        serde_json::from_str(text).map_err(|error| format!("not an npm packument: {error}"))?;
    Ok(packument
        .versions
        .into_iter()
        .map(|(version, _)| (version, false))
        .collect())
}

/// The versions a RubyGems host lists (`[{"number": "1.0.0", "platform": "ruby", …}]`), of
/// `platform` only when one is given.
fn gem_versions(text: &str, platform: Option<&str>) -> Result<Vec<(String, bool)>, String> {
    #[derive(Deserialize)]
    struct Listed {
        number: String,
        #[serde(default)]
        platform: Option<String>,
    }
    let listed: Vec<Listed> = serde_json::from_str(text)
        .map_err(|error| format!("not a RubyGems version list: {error}"))?;
    Ok(listed
        .into_iter()
        .filter(|listed| {
            platform.is_none_or(|wanted| listed.platform.as_deref().unwrap_or("ruby") == wanted)
        })
        .map(|listed| (listed.number, false))
        .collect())
}

fn crate_versions(text: &str) -> Vec<(String, bool)> {
    #[derive(Deserialize)]
    struct Line {
        vers: String,
        #[serde(default)]
        yanked: bool,
    }
    text.lines()
        .filter_map(|line| serde_json::from_str::<Line>(line).ok())
        .map(|line| (line.vers, line.yanked))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_index_paths() {
        assert_eq!(index_path("a"), "1/a");
        assert_eq!(index_path("ab"), "2/ab");
        assert_eq!(index_path("Abc"), "3/a/abc");
        assert_eq!(index_path("serde_json"), "se/rd/serde_json");
    }

    #[test]
    fn scoped_npm_names_escape_their_slash() {
        let check =
            RegistryVersion::npm("http://127.0.0.1:1/", "@org/pkg", "v1.0.0", None).unwrap();
        assert_eq!(check.url(), "http://127.0.0.1:1/@org%2fpkg");
        assert_eq!(check.version, "1.0.0");
    }

    #[test]
    fn gem_versions_are_listed_by_platform() {
        let text = r#"[{"number":"1.3.0","platform":"x86_64-linux","prerelease":false},{"number":"1.3.0.pre.rc.1","platform":"ruby"}]"#;
        assert_eq!(gem_versions(text, None).unwrap().len(), 2);
        let ruby = gem_versions(text, Some("ruby")).unwrap();
        assert_eq!(ruby, [("1.3.0.pre.rc.1".to_owned(), false)]);
        assert!(gem_versions("{\"error\": 1}", None).is_err());
        let check = RegistryVersion::gem("http://127.0.0.1:1/", "my-gem", "1.0.0", None).unwrap();
        assert_eq!(
            check.url(),
            "http://127.0.0.1:1/api/v1/versions/my-gem.json"
        );
        assert!(RegistryVersion::gem("http://127.0.0.1:1/", "../x", "1.0.0", None).is_err());
    }

    #[test]
    fn versions_are_read_from_both_formats() {
        let npm = npm_versions(r#"{"name":"x","versions":{"1.0.0":{},"1.1.0":{}}}"#).unwrap();
        assert_eq!(npm.len(), 2);
        let crates = crate_versions(
            "{\"name\":\"x\",\"vers\":\"0.1.0\",\"deps\":[],\"cksum\":\"a\",\"features\":{},\"yanked\":false}\n{\"name\":\"x\",\"vers\":\"0.2.0\",\"yanked\":true}\n",
        );
        assert_eq!(
            crates,
            [("0.1.0".to_owned(), false), ("0.2.0".to_owned(), true)]
        );
    }
}
