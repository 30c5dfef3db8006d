//! The logins `publish` needs, as `core::Credential`s: an npm registry login (a token in the
//! step's variables, or the user's own `npm login`), asked with `npm whoami`; and a Cargo
//! registry or PyPI token, of which only the presence can be told.

use relman_remote::verify::registries::NPM_REGISTRY;

use crate::core::{Credential, CredentialCx, Missing, run_command};
use crate::template::Template;

/// An npm registry login: the token of these variables, or the user's own `npm login`.
#[derive(Debug, PartialEq)]
pub(super) struct NpmLogin {
    pub registry: Option<Template>,
    pub token_envs: Vec<String>,
}

/// A token in the first set of these variables, for `service` (a Cargo registry, PyPI): only
/// its presence can be checked. The tool's own login (`cargo login`, `.pypirc`) may stand in
/// for it when the step runs, so `plan` does not require it.
#[derive(Debug, PartialEq)]
pub(super) struct TokenLogin {
    pub names: Vec<String>,
    pub service: &'static str,
}

impl Credential for TokenLogin {
    fn ask(&self, cx: &CredentialCx<'_>) -> Result<String, Missing> {
        let service = self.service;
        self.names
            .iter()
            .find(|name| cx.secret(name).is_some())
            .map(|name| format!("{service}: `{name}` is set"))
            .ok_or_else(|| Missing::unset(&self.names, &format!("the {service} credential")))
    }
}

impl Credential for NpmLogin {
    fn ask(&self, cx: &CredentialCx<'_>) -> Result<String, Missing> {
        let registry = self
            .registry
            .as_ref()
            .map_or_else(|| NPM_REGISTRY.to_owned(), |registry| cx.render(registry));
        let names: Vec<String> = if self.token_envs.is_empty() {
            vec!["NPM_TOKEN".to_owned(), "NODE_AUTH_TOKEN".to_owned()]
        } else {
            self.token_envs.clone()
        };
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
