//! The Cargo registry, PyPI and RubyGems logins `publish = "cargo"`, `"pypi"` and `"gem"` need,
//! as `core::Credential`s. `check = "credentials"` can only tell whether the token variable is
//! set (and has the shape the public registry gives its tokens); `plan` also finds what the tool
//! itself would use (cargo's `credentials.toml` or credential provider; twine's
//! `TWINE_USERNAME`/`TWINE_PASSWORD`, a login in the upload URL, its keyring, trusted
//! publishing; gem's `~/.gem/credentials`), says which, and refuses when there is none.

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

/// `check = "credentials"`: the first of `names` that is set, for `service`, and its value
/// when it has the shape `shape` asks for (checked here, sent nowhere).
fn token_set(
    cx: &CredentialCx<'_>,
    names: &[String],
    service: &str,
    shape: Option<Shape>,
) -> Result<String, Missing> {
    let (name, secret) = names
        .iter()
        .find_map(|name| cx.secret(name).map(|secret| (name, secret)))
        .ok_or_else(|| Missing::unset(names, &format!("the {service} credential")))?;
    if let Some(problem) = shape.and_then(|shape| shape.problem(secret.expose())) {
        return Err(Missing::new(
            format!("`{name}` {problem}"),
            format!("set `{name}` to the whole token, as the registry showed it when it made it"),
        ));
    }
    Ok(format!("{service}: `{name}` is set"))
}

/// The shape a public registry gives its API tokens: a value of another shape is a token of
/// another service, a label or a quote copied with it, or a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// crates.io: `cio` and 32 letters and digits (older tokens: the 32 alone).
    CratesIo,
    /// PyPI and TestPyPI API tokens: `pypi-` and a macaroon.
    Pypi,
    /// RubyGems.org API keys: `rubygems_` and 48 hexadecimal digits.
    RubyGems,
}

impl Shape {
    /// What is wrong with `value`, never quoting it.
    fn problem(self, value: &str) -> Option<String> {
        if value.chars().any(char::is_whitespace) || value.contains(['"', '\'']) {
            return Some(
                "holds white space or quotes: a token is one word (was a label, a line break or quotes copied with it?)"
                    .to_owned(),
            );
        }
        let alphanumeric = |text: &str| {
            text.len() == 32
                && text
                    .chars()
                    .all(|character| character.is_ascii_alphanumeric())
        };
        match self {
            Shape::CratesIo => (!(value.strip_prefix("cio").is_some_and(alphanumeric)
                || alphanumeric(value)))
            .then(|| {
                "does not look like a crates.io API token (`cio` and 32 letters and digits)"
                    .to_owned()
            }),
            Shape::Pypi => (!value.starts_with("pypi-") || value.len() < 40).then(|| {
                "does not look like a PyPI API token (they start with `pypi-`; a password is no longer accepted for uploads)"
                    .to_owned()
            }),
            Shape::RubyGems => (!value.strip_prefix("rubygems_").is_some_and(|hex| {
                hex.len() == 48 && hex.chars().all(|character| character.is_ascii_hexdigit())
            }))
            .then(|| {
                "does not look like a RubyGems.org API key (`rubygems_` and 48 hexadecimal digits)"
                    .to_owned()
            }),
        }
    }
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
        // Only crates.io's tokens have a known shape; a private registry's are its own.
        let shape = self.registry.is_none().then_some(Shape::CratesIo);
        token_set(
            cx,
            std::slice::from_ref(&self.name),
            "the Cargo registry",
            shape,
        )
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
        // PyPI and TestPyPI take API tokens only; another index (devpi, a private one) may
        // take a password.
        let url = self.registry.as_ref().map(|registry| cx.render(registry));
        let public = url.as_deref().is_none_or(|url| {
            url.starts_with("https://upload.pypi.org/") || url.starts_with("https://test.pypi.org/")
        });
        token_set(cx, &self.names, "PyPI", public.then_some(Shape::Pypi))
    }
}

/// A RubyGems host's API key: in `names` (the step's variable, then `GEM_HOST_API_KEY`, which
/// `gem` reads itself), else what `gem signin` keeps in its credentials file for the host.
#[derive(Debug, PartialEq)]
pub(super) struct GemLogin {
    pub names: Vec<String>,
    /// The host; RubyGems.org when `None`.
    pub registry: Option<Template>,
}

impl GemLogin {
    fn host(&self, cx: &CredentialCx<'_>) -> String {
        self.registry.as_ref().map_or_else(
            || relman_remote::verify::registries::RUBYGEMS_HOST.to_owned(),
            |registry| cx.render(registry),
        )
    }
}

/// gem's credentials file as people name it, and where it is: `~/.gem/credentials` when it
/// exists, else `$XDG_DATA_HOME/gem/credentials` (`~/.local/share`), as gem looks.
fn gem_credentials(cx: &CredentialCx<'_>) -> Option<(String, PathBuf)> {
    let home = PathBuf::from(cx.env.var("HOME")?);
    let classic = home.join(".gem/credentials");
    if classic.is_file() {
        return Some(("~/.gem/credentials".to_owned(), classic));
    }
    Some(match cx.env.var("XDG_DATA_HOME") {
        Some(data) => (
            format!("{data}/gem/credentials"),
            PathBuf::from(data).join("gem/credentials"),
        ),
        None => (
            "~/.local/share/gem/credentials".to_owned(),
            home.join(".local/share/gem/credentials"),
        ),
    })
}

/// The hosts gem's credentials file (YAML, one `HOST: KEY` a line) has a key for; RubyGems.org's
/// is written `:rubygems_api_key`. The keys are not kept.
fn gem_hosts(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.starts_with(['#', ' ', '-']))
        .filter_map(|line| line.split_once(": "))
        .filter(|(_, key)| !key.trim().is_empty())
        .map(|(host, _)| host.trim().trim_matches(['"', '\'']).to_owned())
        .collect()
}

impl Credential for GemLogin {
    /// As `gem push --host HOST` looks: `GEM_HOST_API_KEY`, else the key for HOST in its
    /// credentials file, else (gem's fallback) RubyGems.org's key there. That fallback counts for
    /// RubyGems.org only: another host named in relman.toml never gets RubyGems.org's key.
    fn locate(&self, cx: &CredentialCx<'_>) -> Option<Result<String, Missing>> {
        if let Some(name) = self.names.iter().find(|name| cx.env.var(name).is_some()) {
            return Some(Ok(format!("RubyGems: the key in `{name}`")));
        }
        let host = self.host(cx);
        let public = host.trim_end_matches('/') == relman_remote::verify::registries::RUBYGEMS_HOST;
        let hint = format!(
            "export `{}` (an API key with the push scope), or `gem signin --host {host}`",
            self.names[0]
        );
        let (shown, path) = gem_credentials(cx).unwrap_or_default();
        let hosts = read_config(&path)
            .map(|text| gem_hosts(&text))
            .unwrap_or_default();
        let own = hosts.contains(&host);
        let fallback = hosts.iter().any(|known| known == ":rubygems_api_key");
        if own || (public && fallback) {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = path
                    .metadata()
                    .map(|meta| meta.permissions().mode() & 0o777);
                if mode.is_ok_and(|mode| mode != 0o600) {
                    return Some(Err(Missing::new(
                        format!("gem refuses `{shown}`: others may read it (its mode is not 0600)"),
                        format!("`chmod 0600 {shown}`"),
                    )));
                }
            }
            return Some(Ok(format!("RubyGems: the key for {host} in `{shown}`")));
        }
        let problem = if fallback {
            format!(
                "no RubyGems key for {host}: `{}` is not set, and `{shown}` has a key for RubyGems.org only, which gem would send to {host}",
                self.names.join("` or `")
            )
        } else {
            format!(
                "no RubyGems key for {host}: `{}` is not set, and gem's credentials (`{shown}`) have none for it",
                self.names.join("` or `")
            )
        };
        Some(Err(Missing::new(problem, hint)))
    }

    fn ask(&self, cx: &CredentialCx<'_>) -> Result<String, Missing> {
        let public = self.registry.as_ref().is_none_or(|registry| {
            cx.render(registry).trim_end_matches('/')
                == relman_remote::verify::registries::RUBYGEMS_HOST
        });
        if self.names.iter().any(|name| cx.secret(name).is_some()) {
            return token_set(
                cx,
                &self.names,
                "RubyGems",
                public.then_some(Shape::RubyGems),
            );
        }
        // The key of gem's own credentials file: there, not read.
        match self.locate(cx) {
            Some(Ok(found)) => Ok(found),
            Some(Err(missing)) => Err(missing),
            None => Err(Missing::unset(&self.names, "a RubyGems API key")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_another_shape_are_named_without_their_value() {
        let crates = format!("cio{}", "a1".repeat(16));
        assert_eq!(Shape::CratesIo.problem(&crates), None);
        assert_eq!(Shape::CratesIo.problem(&"f".repeat(32)), None);
        let wrong = Shape::CratesIo.problem("pypi-AgEIcHlwaS5vcmc").unwrap();
        assert!(wrong.contains("crates.io"), "{wrong}");
        assert!(!wrong.contains("AgEI"), "{wrong}");
        let pypi = format!("pypi-{}", "AgEIcHlwaS5vcmcC".repeat(4));
        assert_eq!(Shape::Pypi.problem(&pypi), None);
        assert!(Shape::Pypi.problem("hunter2").is_some());
        let spaced = Shape::Pypi.problem(&format!("token: {pypi}")).unwrap();
        assert!(spaced.contains("white space"), "{spaced}");
        assert!(Shape::CratesIo.problem(&format!("\"{crates}\"")).is_some());
        let gem = format!("rubygems_{}", "0a1b2c3d".repeat(6));
        assert_eq!(Shape::RubyGems.problem(&gem), None);
        let short = Shape::RubyGems.problem(&gem[..50]).unwrap();
        assert!(short.contains("RubyGems.org API key"), "{short}");
        assert!(!short.contains("0a1b"), "{short}");
        assert!(
            Shape::RubyGems
                .problem(&format!("rubygems_{}", "g".repeat(48)))
                .is_some()
        );
        assert!(
            Shape::RubyGems
                .problem(&gem.replace("rubygems_", "rubygem_"))
                .is_some()
        );
    }

    #[test]
    fn gem_credentials_name_their_hosts_not_their_keys() {
        let text = "---\n:rubygems_api_key: rubygems_0123\nhttp://127.0.0.1:9292: abc\n\"https://gems.example\": def\n";
        assert_eq!(
            gem_hosts(text),
            [
                ":rubygems_api_key",
                "http://127.0.0.1:9292",
                "https://gems.example"
            ]
        );
    }
}
