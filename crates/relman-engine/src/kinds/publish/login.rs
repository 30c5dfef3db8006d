//! The npm login `publish = "npm"` needs, as a `core::Credential`: a token in the step's
//! variables, or a login in an npm config (the user's `npm login`, a project's `.npmrc`).
//! `plan` says which one npm will use, or refuses when there is none; `check = "credentials"`
//! asks the registry (`npm whoami`).

use std::path::PathBuf;

use relman_remote::verify::registries::NPM_REGISTRY;

use super::npm::nerf_dart;
use super::tokens::{OIDC, read_config};
use crate::core::{Credential, CredentialCx, Missing, run_command};
use crate::template::Template;

/// An npm registry login: the token of these variables, or the user's own `npm login`.
#[derive(Debug, PartialEq)]
pub(super) struct NpmLogin {
    pub registry: Option<Template>,
    pub token_envs: Vec<String>,
    /// The package's folder (its `.npmrc` counts), relative to the repository.
    pub path: Option<Template>,
}

impl NpmLogin {
    fn registry(&self, cx: &CredentialCx<'_>) -> String {
        self.registry
            .as_ref()
            .map_or_else(|| NPM_REGISTRY.to_owned(), |registry| cx.render(registry))
    }

    fn names(&self) -> Vec<String> {
        if self.token_envs.is_empty() {
            vec!["NPM_TOKEN".to_owned(), "NODE_AUTH_TOKEN".to_owned()]
        } else {
            self.token_envs.clone()
        }
    }

    /// The npm configs that may hold a login, as people name them, in npm's order: the
    /// package's, the project's, the user's.
    fn configs(&self, cx: &CredentialCx<'_>) -> Vec<(String, PathBuf)> {
        let root = &cx.project.root;
        let mut configs = Vec::new();
        // The package's own config, only inside the work tree (the plan refuses a folder
        // outside it anyway).
        if let Some(path) = &self.path {
            let folder = cx.render(path);
            if let Ok(inside) = crate::core::paths::inside(root, &folder, "the package") {
                configs.push((format!("{folder}/.npmrc"), inside.join(".npmrc")));
            }
        }
        configs.push((".npmrc".to_owned(), root.join(".npmrc")));
        let user = ["NPM_CONFIG_USERCONFIG", "npm_config_userconfig"]
            .into_iter()
            .find_map(|name| cx.env.var(name));
        match (user, cx.env.var("HOME")) {
            (Some(user), _) => configs.push((user.to_owned(), PathBuf::from(user))),
            (None, Some(home)) => {
                configs.push(("~/.npmrc".to_owned(), PathBuf::from(home).join(".npmrc")));
            }
            (None, None) => {}
        }
        configs
    }
}

impl Credential for NpmLogin {
    /// As npm looks: a token variable the step hands over, else a login in an npm config
    /// for the registry (a `${VAR}` in it counts when the variable is set), else the CI's
    /// OIDC token (trusted publishing).
    fn locate(&self, cx: &CredentialCx<'_>) -> Option<Result<String, Missing>> {
        let names = self.names();
        if let Some(name) = names.iter().find(|name| cx.env.var(name).is_some()) {
            return Some(Ok(format!("npm: the token in `{name}`")));
        }
        let registry = self.registry(cx);
        let dart = nerf_dart(&registry);
        let configs = self.configs(cx);
        for (shown, path) in &configs {
            if let Some(text) = read_config(path)
                && let Some(how) = npmrc_login(&text, &dart, &|name| cx.env.var(name).is_some())
            {
                return Some(Ok(format!("npm: {how} in `{shown}` for {dart}")));
            }
        }
        if cx.env.var(OIDC).is_some() {
            return Some(Ok(
                "npm: trusted publishing, with the CI's OIDC token".to_owned()
            ));
        }
        let shown: Vec<&str> = configs.iter().map(|(shown, _)| shown.as_str()).collect();
        Some(Err(Missing::new(
            format!(
                "no npm login for {registry}: `{}` is not set, and no npm config ({}) has a login for {dart}",
                names.join("` or `"),
                shown.join(", ")
            ),
            format!(
                "export `{}`, or `npm login --registry {registry}`",
                names.join("` or `")
            ),
        )))
    }

    fn ask(&self, cx: &CredentialCx<'_>) -> Result<String, Missing> {
        let registry = self.registry(cx);
        let names = self.names();
        let plain = |error: std::io::Error| Missing::new(error.to_string(), String::new());
        let config = tempfile::tempdir().map_err(plain)?;
        let mut env = Vec::new();
        if let Some(variable) = names.iter().find(|name| cx.env.var(name).is_some()) {
            let npmrc = config.path().join("npmrc");
            let dart = format!(
                "//{}",
                registry
                    .split_once("://")
                    .map_or(registry.as_str(), |(_, rest)| rest)
                    .trim_end_matches('/')
            );
            fs_err::write(&npmrc, format!("{dart}/:_authToken=${{{variable}}}\n"))
                .map_err(plain)?;
            env.push((
                "NPM_CONFIG_USERCONFIG".to_owned(),
                npmrc.display().to_string(),
            ));
            // npm reads the token from its own environment: handed over, never written.
            if let Some(value) = cx.env.var(variable) {
                env.push((variable.clone(), value.to_owned()));
            }
        }
        let argv: Vec<String> = vec![
            "npm".to_owned(),
            "whoami".to_owned(),
            format!("--registry={registry}"),
        ];
        let mut lines = Vec::new();
        match run_command(
            &argv,
            config.path(),
            &env,
            Some(std::time::Duration::from_secs(60)),
            |line| lines.push(line.to_owned()),
        ) {
            Ok(finished) => Ok(format!("npm: {} on {registry}", finished.stdout.trim())),
            Err(_) => Err(Missing::new(
                format!("npm whoami on {registry} failed: {}", npm_error(&lines)),
                format!(
                    "export `{}`, or `npm login --registry {registry}`",
                    names.join("` or `")
                ),
            )),
        }
    }
}

/// What in an npm config logs in to the registry whose settings key is `dart`: a token or a
/// password under a key that `dart` starts with (`//host/:_authToken`), or an unscoped one.
/// A value naming a variable (`${NPM_TOKEN}`) counts when `is_set` says it is.
fn npmrc_login(text: &str, dart: &str, is_set: &dyn Fn(&str) -> bool) -> Option<String> {
    const FIELDS: &[&str] = &["_authToken", "_auth", "_password"];
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with(['#', ';']) {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim().trim_matches('"'));
        let (scope, field) = key.rsplit_once(':').unwrap_or(("", key));
        if !FIELDS.contains(&field) || value.is_empty() {
            continue;
        }
        let scope = scope.trim_end_matches('/');
        if !scope.is_empty() && !dart.starts_with(&format!("{scope}/")) {
            continue;
        }
        match value
            .strip_prefix("${")
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(name) if is_set(name) => return Some(format!("the token in `{name}`, named")),
            Some(_) => {}
            None => return Some("the login".to_owned()),
        }
    }
    None
}

/// The line of npm's output that says what went wrong.
fn npm_error(lines: &[String]) -> String {
    lines
        .iter()
        .find(|line| {
            line.starts_with("npm error") && !line.contains("complete log") && line.len() > 12
        })
        .or_else(|| lines.last())
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::npmrc_login;

    #[test]
    fn a_login_counts_for_its_registry_or_for_every_one() {
        let none = |_: &str| false;
        let dart = "//127.0.0.1:4873/";
        let scoped = "registry=http://127.0.0.1:4873/\n//127.0.0.1:4873/:_authToken=abc\n";
        assert_eq!(
            npmrc_login(scoped, dart, &none).as_deref(),
            Some("the login")
        );
        assert_eq!(npmrc_login(scoped, "//registry.npmjs.org/", &none), None);
        assert!(npmrc_login("_authToken = abc\n", dart, &none).is_some());
        assert!(npmrc_login("; //127.0.0.1:4873/:_authToken=abc\n", dart, &none).is_none());
        assert!(npmrc_login("//127.0.0.1:4873/:always-auth=true\n", dart, &none).is_none());
    }

    #[test]
    fn a_variable_in_a_login_counts_only_when_it_is_set() {
        let text = "//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}\n";
        let dart = "//npm.pkg.github.com/org/";
        assert_eq!(npmrc_login(text, dart, &|_| false), None);
        assert_eq!(
            npmrc_login(text, dart, &|name| name == "NODE_AUTH_TOKEN").as_deref(),
            Some("the token in `NODE_AUTH_TOKEN`, named")
        );
    }
}
