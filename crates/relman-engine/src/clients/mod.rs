//! The clients of the outside world that step kinds talk through, on `relman-remote`: building
//! them from the project's settings and the environment the binary handed over (the engine never
//! reads the process environment itself), the wait loop every waiting step shares ([`polling`]),
//! and the plan's rendering of requests. The clients:
//!
//! - GitHub from `[forge]`: the API root (`api`, default `https://api.github.com`; a local fake in
//!   tests), the repository, and the token from the first set variable of `token-env` (default
//!   `GITHUB_TOKEN`, then `GH_TOKEN`), bound to the API's origin;
//! - CircleCI for a project slug, its token from the step's `token-env` (default `CIRCLE_TOKEN`)
//!   and its API root from `RELMAN_CIRCLECI_API` (default `https://circleci.com/api/v2`; a
//!   CircleCI server install, or a local fake);
//! - a plain HTTP client for checks of indexes, registries and URLs, and for messages;
//! - SMTP settings from `RELMAN_SMTP_URL`, trusting the CA certificates of the PEM file named by
//!   `RELMAN_SMTP_CA_FILE` on top of the usual roots (a company relay with a private CA).
//!
//! Every client masks every secret environment value in what it renders and in its errors. The
//! errors of each client become [`StepError`]s that say what the step was doing, then the
//! service's own words (method, URL, status, message), with the client's hint.

use std::fmt::Display;

use relman_remote::circleci::{CircleCi, CircleCiConfig, CircleCiError};
use relman_remote::email::{EmailError, SmtpSettings};
use relman_remote::github::{GitHub, GitHubConfig, GitHubError, Repo};
use relman_remote::verify::VerifyError;
use relman_remote::{HttpClient, HttpError, HttpOptions, Redactor, Secret};

use crate::core::StepError;
use crate::environment::Environment;
use crate::project::{ForgeSettings, Project};

/// Overrides CircleCI's API root (a server install, or a fake in tests).
pub const CIRCLECI_API_ENV: &str = "RELMAN_CIRCLECI_API";
/// `smtp://user:password@host:port` of the server `email` steps send through.
pub const SMTP_URL_ENV: &str = "RELMAN_SMTP_URL";
/// A PEM file of CA certificates the SMTP server's certificate may chain to.
pub const SMTP_CA_ENV: &str = "RELMAN_SMTP_CA_FILE";

pub mod notes;
pub mod polling;
pub(crate) mod signing;
pub(crate) mod url_template;

use std::path::{Path, PathBuf};

use relman_remote::RenderedRequest;
use relman_remote::announce::AnnounceError;
use relman_remote::http::{ErrorKind, Method};

use crate::core::{Effect, Outcome, RunCx};
use crate::template::Template;

/// The masker of every secret environment value and URL password.
pub(crate) fn redactor(project: &Project, env: &Environment) -> Redactor {
    crate::core::redactor(project, env)
}

/// A client for indexes, registries, URLs and messages.
pub(crate) fn http(project: &Project, env: &Environment) -> HttpClient {
    HttpClient::new(HttpOptions::default()).with_redactor(&redactor(project, env))
}

/// The options of a client whose answers may take at most `timeout` (a message step's own
/// `timeout`), else the default.
pub(crate) fn http_options(timeout: Option<std::time::Duration>) -> HttpOptions {
    let mut options = HttpOptions::default();
    if let Some(timeout) = timeout {
        options.timeout = timeout;
    }
    options
}

/// [`http`] with a message step's `timeout` for each answer.
pub(crate) fn http_with_timeout(
    project: &Project,
    env: &Environment,
    timeout: Option<std::time::Duration>,
) -> HttpClient {
    HttpClient::new(http_options(timeout)).with_redactor(&redactor(project, env))
}

fn forge_settings(project: &Project) -> Result<&ForgeSettings, StepError> {
    project.forge.as_ref().ok_or_else(|| {
        StepError::new("this step talks to GitHub, but the project has no forge").with_hint(
            "add `[forge]` with `repo = \"owner/name\"` to relman.toml (relman found no GitHub \
             remote to take it from)",
        )
    })
}

/// The GitHub client of the project's forge. Without a token it still renders requests (for the
/// plan); sending one fails, naming the variable to set.
pub(crate) fn github(project: &Project, env: &Environment) -> Result<GitHub, StepError> {
    let forge = forge_settings(project)?;
    let (token_variable, token) = match forge.token(env) {
        Some((name, value)) => (name.to_owned(), Some(Secret::new(value))),
        None => (
            forge
                .token_env
                .first()
                .cloned()
                .unwrap_or_else(|| "GITHUB_TOKEN".to_owned()),
            None,
        ),
    };
    GitHub::new(GitHubConfig {
        api: forge.api.clone(),
        token,
        token_variable,
        ..GitHubConfig::default()
    })
    .map_err(|error| failed("cannot use the forge", error))
}

/// The variable the GitHub token is read from, when none is set (for plan notes).
pub(crate) fn missing_github_token(project: &Project, env: &Environment) -> Option<String> {
    let forge = project.forge.as_ref()?;
    forge
        .token(env)
        .is_none()
        .then(|| forge.token_env.join("` or `"))
}

/// The repository a step acts on: its `repo` option, else the forge's.
pub(crate) fn repo(project: &Project, given: Option<String>) -> Result<Repo, StepError> {
    let name = match given {
        Some(name) => name,
        None => forge_settings(project)?.repo.clone(),
    };
    name.parse::<Repo>()
        .map_err(|error| failed("cannot use the repository", error))
}

/// The CircleCI client of a project slug (`gh/owner/name`).
pub(crate) fn circleci(
    env: &Environment,
    slug: &str,
    token_env: &str,
) -> Result<CircleCi, StepError> {
    let api = env
        .var(CIRCLECI_API_ENV)
        .unwrap_or(relman_remote::circleci::DEFAULT_API)
        .to_owned();
    CircleCi::new(
        CircleCiConfig {
            api,
            token: env.var(token_env).map(Secret::new),
            token_variable: token_env.to_owned(),
            ..CircleCiConfig::default()
        },
        slug,
    )
    .map_err(|error| failed("cannot use CircleCI", error))
}

/// The SMTP server of `RELMAN_SMTP_URL`, or `None` when it is not set.
pub(crate) fn smtp(env: &Environment) -> Result<Option<SmtpSettings>, StepError> {
    let Some(url) = env.var(SMTP_URL_ENV) else {
        return Ok(None);
    };
    let mut settings =
        SmtpSettings::parse(url).map_err(|error| failed("cannot use `RELMAN_SMTP_URL`", error))?;
    if let Some(ca) = env.var(SMTP_CA_ENV) {
        settings = settings.trust_ca_file(ca);
    }
    Ok(Some(settings))
}

/// An error a client explains, with what the user can do about it.
pub(crate) trait Explained: Display {
    fn hint(&self) -> Option<String>;
}

impl Explained for GitHubError {
    fn hint(&self) -> Option<String> {
        GitHubError::hint(self)
    }
}

impl Explained for CircleCiError {
    fn hint(&self) -> Option<String> {
        CircleCiError::hint(self)
    }
}

impl Explained for VerifyError {
    fn hint(&self) -> Option<String> {
        VerifyError::hint(self)
    }
}

impl Explained for AnnounceError {
    fn hint(&self) -> Option<String> {
        AnnounceError::hint(self)
    }
}

impl Explained for EmailError {
    fn hint(&self) -> Option<String> {
        EmailError::hint(self)
    }
}

impl Explained for HttpError {
    fn hint(&self) -> Option<String> {
        HttpError::hint(self)
    }
}

/// `doing: what the service said`, with the client's hint.
pub(crate) fn failed(doing: &str, error: impl Explained) -> StepError {
    let hint = error.hint();
    let mut step_error = StepError::new(format!("{doing}: {error}"));
    step_error.hint = hint;
    step_error
}

/// A rendered request as a plan effect, masked once more with the engine's redactor (every secret
/// environment value, not only the client's own credentials).
pub(crate) fn http_effect(rendered: &RenderedRequest, redactor: &Redactor) -> Effect {
    Effect::Http {
        method: rendered.method.to_string(),
        url: redactor.redact(&rendered.url),
        body: rendered.body.as_deref().map(|body| redactor.redact(body)),
    }
}

/// A note in the plan, masked.
pub(crate) fn note(text: impl AsRef<str>, redactor: &Redactor) -> Effect {
    Effect::Note {
        text: redactor.redact(text.as_ref()),
    }
}

/// A JSON value whose strings are templates (`json`, `payload`, `parameters`), rendered string
/// by string, so a value can never break the JSON around it.
pub(crate) fn render_json(
    value: &serde_json::Value,
    render: &mut dyn FnMut(&Template) -> Result<String, StepError>,
) -> Result<serde_json::Value, StepError> {
    Ok(match value {
        serde_json::Value::String(source) => {
            let template = Template::parse(source).map_err(|error| {
                StepError::new(format!(
                    "invariant: `{source}` was validated as a template: {error}"
                ))
            })?;
            serde_json::Value::String(render(&template)?)
        }
        serde_json::Value::Array(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|item| render_json(item, render))
                .collect::<Result<_, _>>()?,
        ),
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.iter()
                .map(|(key, item)| Ok((key.clone(), render_json(item, render)?)))
                .collect::<Result<_, StepError>>()?,
        ),
        other => other.clone(),
    })
}

/// The first seven characters of a commit id, as git shows it; any other ref as it is.
pub(crate) fn short(git_ref: &str) -> &str {
    if git_ref.len() == 40 && git_ref.chars().all(|c| c.is_ascii_hexdigit()) {
        &git_ref[..7]
    } else {
        git_ref
    }
}

/// The context key a step that downloads a run's artifacts sets once they are all in: a resume
/// neither downloads them again nor calls the step done before they are.
pub(crate) const ARTIFACTS_DONE: &str = "artifacts_done";

/// Downloads a run's artifacts into `dir` (under the work tree) through `download`, unless an
/// earlier run of the step did; names each file, then records in the journal that they are in.
pub(crate) fn download_artifacts_once(
    cx: &mut RunCx<'_>,
    dir: &str,
    download: impl FnOnce(&Path) -> Result<Vec<PathBuf>, StepError>,
) -> Result<(), StepError> {
    if cx.context_value(ARTIFACTS_DONE) == Some("yes") {
        return Ok(());
    }
    let files = download(&cx.root().join(dir))?;
    for file in &files {
        cx.output(&format!(
            "downloaded {}",
            cx.project.display_path(file).display()
        ));
    }
    cx.set_context(ARTIFACTS_DONE, "yes");
    cx.save()
}

/// Whether a request failed in a way that leaves unknown whether the service carried it out:
/// a `POST` or `PATCH` that may have left, then no answer (the client does not send those
/// again). One that never left (the name did not resolve, the connection was refused) failed.
pub(crate) fn maybe_received(error: &AnnounceError) -> bool {
    matches!(error, AnnounceError::Http(http)
    if matches!(http.method(), Method::Post | Method::Patch)
        && matches!(http.kind(), ErrorKind::Transport { .. })
        && http.may_have_been_received())
}

/// The pause of a message that may have been received.
pub(crate) fn ask_a_person(what: &str, error: &AnnounceError) -> Outcome {
    Outcome::Paused(format!(
        "{what} was sent, but no answer came ({error}): it may have been received. Check, then `relman resume --confirm` if it was; on a terminal, `relman resume` offers to send it again"
    ))
}

/// The secret in the environment variable `name` (a token, an app password), or an error that
/// says which variable to set for what.
pub(crate) fn secret_env(env: &Environment, name: &str, what: &str) -> Result<Secret, StepError> {
    match env.var(name).filter(|value| !value.trim().is_empty()) {
        Some(value) => Ok(Secret::new(value.trim())),
        None => Err(
            StepError::new(format!("`{name}` is not set: it holds {what}"))
                .with_hint(format!("export `{name}` before running the release")),
        ),
    }
}

/// A pull request number as written (`12`, `#12`).
pub(crate) fn pull_number(text: &str) -> Result<u64, StepError> {
    text.trim().trim_start_matches('#').parse().map_err(|_| {
        StepError::new(format!("`{text}` is not a pull request number"))
            .with_hint("give the number, or `{pr_number}` after a `pull-request` step")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Variables;

    #[test]
    fn json_templates_render_inside_strings_only() {
        let value =
            serde_json::json!({"summary": "Deploy {version}", "count": 2, "tags": ["{tag}", true]});
        let mut variables = Variables::new();
        variables.set("version", "1.2.3");
        variables.set("tag", "v1.2.3\"}");
        let rendered = render_json(&value, &mut |template| {
            Ok(template.render_partial(&variables))
        })
        .unwrap();
        assert_eq!(
            rendered,
            serde_json::json!({"summary": "Deploy 1.2.3", "count": 2, "tags": ["v1.2.3\"}", true]})
        );
    }

    #[test]
    fn commit_ids_are_shortened() {
        assert_eq!(short("0123456789abcdef0123456789abcdef01234567"), "0123456");
        assert_eq!(short("main"), "main");
    }
}
