//! `check = "credentials"`: every token, login and signing key the workflow's steps will need
//! (each kind declares them: `Kind::needs`) exists and works, asked of each service before the
//! release changes anything: GitHub `GET /user` and the token's permissions on the repository
//! (push, for steps that write), `npm whoami` against the step's registry, Mastodon's
//! `verify_credentials`, Discourse's current user, a Bluesky login, a test signature with the key
//! git signs with; a secret only a service can judge (a webhook, an SMTP URL) must be set.
//!
//! Nothing is written and nothing is sent but these reads. Secrets never reach the output.

use relman_remote::Secret;
use relman_remote::announce::bluesky::Bluesky;
use relman_remote::announce::discourse::Discourse;
use relman_remote::announce::mastodon::Mastodon;
use relman_remote::verify::registries::NPM_REGISTRY;

use super::CheckResult;
use crate::clients::{self, signing};
use crate::core::{Login, Need, run_command};
use crate::environment::Environment;
use crate::project::Project;
use crate::template::Template;

/// What the check sees: the project, the environment, and how to render a template.
pub(super) struct Scope<'a> {
    pub project: &'a Project,
    pub env: &'a Environment,
    pub render: &'a dyn Fn(&Template) -> String,
}

/// Checks every need (once each); passes with one line per credential, or fails listing every
/// problem.
pub(super) fn check(scope: &Scope<'_>, needs: &[(usize, Need)]) -> CheckResult {
    let mut seen: Vec<Need> = Vec::new();
    let mut good = Vec::new();
    let mut bad = Vec::new();
    // One GitHub question covers every forge need: with push permission when a step writes,
    // with the token when a step needs one or one is there to ask with.
    let github_write = needs
        .iter()
        .any(|(_, need)| matches!(need, Need::ForgeToken { write: true }));
    for (number, need) in needs {
        let need = match need {
            Need::Forge | Need::ForgeToken { .. } => Need::ForgeToken {
                write: github_write,
            },
            other => other.clone(),
        };
        if seen.contains(&need) {
            continue;
        }
        seen.push(need.clone());
        match one(scope, &need, needs) {
            Ok(Some(line)) => good.push(line),
            Ok(None) => {}
            Err((problem, hint)) => bad.push(format!("step {number}: {problem} ({hint})")),
        }
    }
    let redactor = clients::redactor(scope.project, scope.env);
    if bad.is_empty() {
        let detail = if good.is_empty() {
            "the workflow needs no credential".to_owned()
        } else {
            good.join("; ")
        };
        CheckResult::pass(redactor.redact(&detail))
    } else {
        CheckResult::fail(
            redactor.redact(&bad.join("\n")),
            "set or renew these credentials before the release starts: nothing has changed yet",
        )
    }
}

type Problem = (String, String);

/// One need: a line saying what works, nothing when there is nothing to ask (a signature git's
/// config does not ask for), or the problem.
fn one(scope: &Scope<'_>, need: &Need, all: &[(usize, Need)]) -> Result<Option<String>, Problem> {
    let env = scope.env;
    let missing = |names: &[String], what: &str| -> Problem {
        (
            format!("`{}` is not set", names.join("` or `")),
            format!("export it with {what}"),
        )
    };
    let secret = |name: &str| {
        env.var(name)
            .filter(|value| !value.trim().is_empty())
            .map(|value| Secret::new(value.trim()))
    };
    match need {
        Need::Forge | Need::ForgeToken { .. } => {
            let token_needed = all
                .iter()
                .any(|(_, need)| matches!(need, Need::ForgeToken { .. }));
            github(
                scope,
                matches!(need, Need::ForgeToken { write: true }),
                token_needed,
            )
        }
        Need::Env { name, holds } => secret(name)
            .map(|_| format!("`{name}` is set ({holds})"))
            .ok_or_else(|| missing(std::slice::from_ref(name), holds))
            .map(Some),
        Need::Signing { forced, config } => {
            if !forced && !signing::config_true(&scope.project.repo, config) {
                return Ok(None);
            }
            signing_works(scope).map(Some)
        }
        Need::Login(login) => login_works(scope, login, &secret, &missing).map(Some),
    }
}

fn login_works(
    scope: &Scope<'_>,
    login: &Login,
    secret: &dyn Fn(&str) -> Option<Secret>,
    missing: &dyn Fn(&[String], &str) -> Problem,
) -> Result<String, Problem> {
    let env = scope.env;
    match login {
        Login::Token { names, service } => names
            .iter()
            .find(|name| secret(name).is_some())
            .map(|name| format!("{service}: `{name}` is set"))
            .ok_or_else(|| missing(names, &format!("the {service} credential"))),
        Login::Npm {
            registry,
            token_envs,
        } => npm(scope, registry.as_ref(), token_envs),
        Login::Mastodon {
            instance,
            token_env,
        } => {
            let token = secret(token_env)
                .ok_or_else(|| missing(std::slice::from_ref(token_env), "a Mastodon token"))?;
            let instance = (scope.render)(instance);
            let account = Mastodon::new(&clients::http(scope.project, env), &instance, token)
                .and_then(|client| client.account())
                .map_err(|error| refused("Mastodon", &instance, &error.to_string()))?;
            Ok(format!("Mastodon: @{account} on {instance}"))
        }
        Login::Discourse {
            forum,
            key_env,
            username_env,
        } => {
            let key = secret(key_env)
                .ok_or_else(|| missing(std::slice::from_ref(key_env), "a Discourse API key"))?;
            let user = env.var(username_env).ok_or_else(|| {
                missing(
                    std::slice::from_ref(username_env),
                    "the user the key acts as",
                )
            })?;
            let forum = (scope.render)(forum);
            let name = Discourse::new(&clients::http(scope.project, env), &forum, key, user)
                .and_then(|client| client.current_user())
                .map_err(|error| refused("Discourse", &forum, &error.to_string()))?;
            Ok(format!("Discourse: {name} on {forum}"))
        }
        Login::Bluesky {
            pds,
            handle,
            password_env,
        } => {
            let password = secret(password_env).ok_or_else(|| {
                missing(std::slice::from_ref(password_env), "a Bluesky app password")
            })?;
            let pds = pds.as_ref().map_or_else(
                || "https://bsky.social".to_owned(),
                |pds| (scope.render)(pds),
            );
            let handle = (scope.render)(handle);
            Bluesky::new(&clients::http(scope.project, env), &pds)
                .login(&handle, &password)
                .map_err(|error| refused("Bluesky", &pds, &error.to_string()))?;
            Ok(format!("Bluesky: logged in as {handle}"))
        }
    }
}

fn refused(service: &str, at: &str, error: &str) -> Problem {
    (
        format!("{service} at {at} refused the credential: {error}"),
        "check that it is valid and has not expired".to_owned(),
    )
}

/// GitHub: the token's user and its permission on the repository. Without a token, steps that
/// only read (a public repository's checks) pass with a line saying so.
fn github(scope: &Scope<'_>, write: bool, token_needed: bool) -> Result<Option<String>, Problem> {
    let project = scope.project;
    let Some(forge) = &project.forge else {
        return Err((
            "a step talks to GitHub, but the project has no forge".to_owned(),
            "add `[forge]` with `repo = \"owner/name\"` to relman.toml".to_owned(),
        ));
    };
    if forge.token(scope.env).is_none() {
        if !token_needed {
            return Ok(Some(format!(
                "GitHub: no token (`{}`), reads what is public",
                forge.token_env.join("` or `")
            )));
        }
        return Err((
            format!("`{}` is not set", forge.token_env.join("` or `")),
            "export a GitHub token".to_owned(),
        ));
    }
    let client =
        clients::github(project, scope.env).map_err(|error| (error.message, String::new()))?;
    let login = client
        .authenticated_user()
        .map_err(|error| refused("GitHub", &forge.api, &error.to_string()))?;
    let repo = clients::repo(project, None).map_err(|error| (error.message, String::new()))?;
    let permissions = client
        .permissions(&repo)
        .map_err(|error| {
            (
                format!("GitHub: {login} cannot read `{repo}`: {error}"),
                "give the token access to the repository".to_owned(),
            )
        })?
        .unwrap_or_default();
    if write && !permissions.push {
        return Err((
            format!("GitHub: {login} may not write to `{repo}` (no push permission)"),
            "use a token with write access (`contents: write` for a fine-grained token)".to_owned(),
        ));
    }
    Ok(Some(format!(
        "GitHub: {login}, {} on `{repo}`",
        if permissions.push { "write" } else { "read" }
    )))
}

fn npm(
    scope: &Scope<'_>,
    registry: Option<&Template>,
    token_envs: &[String],
) -> Result<String, Problem> {
    let registry = registry.map_or_else(
        || NPM_REGISTRY.to_owned(),
        |registry| (scope.render)(registry),
    );
    let names: Vec<String> = if token_envs.is_empty() {
        vec!["NPM_TOKEN".to_owned(), "NODE_AUTH_TOKEN".to_owned()]
    } else {
        token_envs.to_vec()
    };
    let config = tempfile::tempdir().map_err(|error| (error.to_string(), String::new()))?;
    let mut env = Vec::new();
    if let Some(variable) = names.iter().find(|name| scope.env.var(name).is_some()) {
        let npmrc = config.path().join("npmrc");
        let dart = format!(
            "//{}",
            registry
                .split_once("://")
                .map_or(registry.as_str(), |(_, rest)| rest)
                .trim_end_matches('/')
        );
        fs_err::write(&npmrc, format!("{dart}/:_authToken=${{{variable}}}\n"))
            .map_err(|error| (error.to_string(), String::new()))?;
        env.push((
            "NPM_CONFIG_USERCONFIG".to_owned(),
            npmrc.display().to_string(),
        ));
        // npm reads the token from its own environment: handed over, never written.
        if let Some(value) = scope.env.var(variable) {
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
        Err(_) => Err((
            format!("npm whoami on {registry} failed: {}", npm_error(&lines)),
            format!(
                "export `{}`, or `npm login --registry {registry}`",
                names.join("` or `")
            ),
        )),
    }
}

/// Whether git's signing key signs here (the probe `plan` uses too: test data signed the way
/// git would, without a prompt).
fn signing_works(scope: &Scope<'_>) -> Result<String, Problem> {
    let repo = &scope.project.repo;
    let format = repo
        .config_get("gpg.format")
        .ok()
        .flatten()
        .unwrap_or_else(|| "openpgp".to_owned());
    let key = repo.config_get("user.signingkey").ok().flatten();
    match signing::signing_problem(repo, scope.env) {
        None => Ok(format!(
            "signing: {format} key {} signs",
            key.as_deref().unwrap_or("(the default)")
        )),
        Some(problem) => Err((
            format!("git cannot sign here: {problem}"),
            "set `user.signingkey` (and `gpg.format` for SSH keys) to a key that signs without a prompt (unlock it in its agent first)".to_owned(),
        )),
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
