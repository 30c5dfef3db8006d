//! The Cargo registry and PyPI logins `publish = "cargo"` and `publish = "pypi"` need, as
//! `core::Credential`s. `check = "credentials"` can only tell whether the token variable is set;
//! `plan` also finds what the tool itself would use (cargo's `credentials.toml` or credential
//! provider; twine's `TWINE_USERNAME`/`TWINE_PASSWORD`, a login in the upload URL, its keyring,
//! trusted publishing), says which, and refuses when there is none.

use std::path::{Path, PathBuf};

use crate::core::{Credential, CredentialCx, Missing};
use crate::template::Template;

/// Set in a GitHub Actions job allowed to ask for an OIDC token: npm and twine then publish
/// without a stored secret (trusted publishing).
pub(super) const OIDC: &str = "ACTIONS_ID_TOKEN_REQUEST_URL";

/// A small config file's text, when it can be read.
pub(super) fn read_config(path: &Path) -> Option<String> {
    relman_version::files::read_text_bounded(path, relman_version::files::bounded::MAX_CONFIG_FILE)
        .ok()
}

/// `check = "credentials"`: the first of `names` that is set, for `service`.
fn token_set(cx: &CredentialCx<'_>, names: &[String], service: &str) -> Result<String, Missing> {
    names
        .iter()
        .find(|name| cx.secret(name).is_some())
        .map(|name| format!("{service}: `{name}` is set"))
        .ok_or_else(|| Missing::unset(names, &format!("the {service} credential")))
}

/// A Cargo registry's token: in `name`, else cargo's own login.
#[derive(Debug, PartialEq)]
pub(super) struct CargoLogin {
    pub name: String,
    /// The registry's name in cargo's config; crates.io when `None`.
    pub registry: Option<Template>,
}

impl Credential for CargoLogin {
    /// As cargo looks: the variable, else a token in `$CARGO_HOME/credentials.toml` (or
    /// `config.toml`) for the registry, else a credential provider its config names.
    fn locate(&self, cx: &CredentialCx<'_>) -> Option<Result<String, Missing>> {
        let service = "the Cargo registry";
        if cx.env.var(&self.name).is_some() {
            return Some(Ok(format!("{service}: the token in `{}`", self.name)));
        }
        let registry = self.registry.as_ref().map(|registry| cx.render(registry));
        let (shown_home, home) = match (cx.env.var("CARGO_HOME"), cx.env.var("HOME")) {
            (Some(home), _) => (home.to_owned(), PathBuf::from(home)),
            (None, Some(home)) => ("~/.cargo".to_owned(), PathBuf::from(home).join(".cargo")),
            (None, None) => ("$CARGO_HOME".to_owned(), PathBuf::new()),
        };
        let mut files: Vec<(String, PathBuf)> = ["credentials.toml", "credentials", "config.toml"]
            .iter()
            .map(|file| (format!("{shown_home}/{file}"), home.join(file)))
            .collect();
        files.push((
            ".cargo/config.toml".to_owned(),
            cx.project.root.join(".cargo/config.toml"),
        ));
        for (shown, path) in &files {
            let Some(table) = read_config(path).and_then(|text| text.parse::<toml::Table>().ok())
            else {
                continue;
            };
            let entry = match &registry {
                Some(name) => table
                    .get("registries")
                    .and_then(|all| all.get(name.as_str())),
                None => table.get("registry"),
            };
            if entry.and_then(|entry| entry.get("token")).is_some() {
                return Some(Ok(format!("{service}: the token in `{shown}`")));
            }
            let provider = entry
                .and_then(|entry| entry.get("credential-provider"))
                .or_else(|| {
                    table
                        .get("registry")
                        .and_then(|registry| registry.get("global-credential-providers"))
                });
            if provider.is_some() {
                return Some(Ok(format!(
                    "{service}: the credential provider `{shown}` names"
                )));
            }
        }
        let which = registry.as_ref().map_or_else(
            || "crates.io".to_owned(),
            |name| format!("the registry `{name}`"),
        );
        let login = registry.as_ref().map_or_else(
            || "cargo login".to_owned(),
            |name| format!("cargo login --registry {name}"),
        );
        Some(Err(Missing::new(
            format!(
                "no token for {which}: `{}` is not set, and cargo's config ({shown_home}/credentials.toml, .cargo/config.toml) has none",
                self.name
            ),
            format!("export `{}`, or `{login}`", self.name),
        )))
    }

    fn ask(&self, cx: &CredentialCx<'_>) -> Result<String, Missing> {
        token_set(cx, std::slice::from_ref(&self.name), "the Cargo registry")
    }
}

/// A PyPI upload login: a token in `names` (the step's variable, then `TWINE_PASSWORD`).
#[derive(Debug, PartialEq)]
pub(super) struct PypiLogin {
    pub names: Vec<String>,
    /// The upload URL (a login may be written in it).
    pub registry: Option<Template>,
}

impl Credential for PypiLogin {
    /// As twine looks when relman gives it the upload URL (`--repository-url`, so `.pypirc` is
    /// not read): a token variable, a login in the URL, the password of `TWINE_USERNAME` in its
    /// keyring, trusted publishing.
    fn locate(&self, cx: &CredentialCx<'_>) -> Option<Result<String, Missing>> {
        if let Some(name) = self.names.iter().find(|name| cx.env.var(name).is_some()) {
            return Some(Ok(format!("PyPI: the token in `{name}`")));
        }
        let url = self.registry.as_ref().map(|registry| cx.render(registry));
        let authority = url
            .as_deref()
            .and_then(|url| url.split_once("://"))
            .map(|(_, rest)| rest.split('/').next().unwrap_or_default());
        if authority.is_some_and(|authority| authority.contains('@')) {
            return Some(Ok("PyPI: the login in the upload URL".to_owned()));
        }
        if cx.env.var("TWINE_USERNAME").is_some() {
            return Some(Ok(
                "PyPI: the password of `TWINE_USERNAME` in twine's keyring".to_owned(),
            ));
        }
        if cx.env.var(OIDC).is_some() {
            return Some(Ok(
                "PyPI: trusted publishing, with the CI's OIDC token".to_owned()
            ));
        }
        Some(Err(Missing::new(
            format!(
                "no PyPI login: `{}` is not set, and twine has no `TWINE_USERNAME` to look up in its keyring",
                self.names.join("` or `")
            ),
            format!(
                "export `{}` (an API token); twine does not read `.pypirc` when given the upload URL",
                self.names[0]
            ),
        )))
    }

    fn ask(&self, cx: &CredentialCx<'_>) -> Result<String, Missing> {
        token_set(cx, &self.names, "PyPI")
    }
}
