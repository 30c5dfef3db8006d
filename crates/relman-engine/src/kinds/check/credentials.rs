//! `check = "credentials"`: every token, login and signing key the workflow's steps will need
//! (each kind declares them: `Kind::needs`) exists and works, asked of each service before the
//! release changes anything: GitHub `GET /user` and the token's permissions on the repository
//! (push, for steps that write), a test signature with the key git signs with, and whatever each
//! kind's own `core::Credential` asks its service (`npm whoami` against the step's registry,
//! Mastodon's `verify_credentials`, Discourse's current user, a Bluesky login); a secret only a
//! service can judge (a webhook, an SMTP URL) must be set.
//!
//! Nothing is written and nothing is sent but these reads. Secrets never reach the output.

use super::CheckResult;
use crate::clients::{self, signing};
use crate::core::{CredentialCx, Missing, Need};

/// What the check sees: the project, the environment, and how to render a template.
pub(super) type Scope<'a> = CredentialCx<'a>;

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
        Need::Env { name, holds } => scope
            .secret(name)
            .map(|_| format!("`{name}` is set ({holds})"))
            .ok_or_else(|| problem(Missing::unset(std::slice::from_ref(name), holds)))
            .map(Some),
        Need::Signing { forced, config } => {
            if !forced && !signing::config_true(&scope.project.repo, config) {
                return Ok(None);
            }
            signing_works(scope).map(Some)
        }
        // What the service says is the kind's to ask: its own file knows the service.
        Need::Credential(login) => login.ask(scope).map(Some).map_err(problem),
    }
}

fn problem(missing: Missing) -> Problem {
    (missing.problem, missing.hint)
}

fn refused(service: &str, at: &str, error: &dyn std::fmt::Display) -> Problem {
    problem(Missing::refused(service, at, error))
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
        .map_err(|error| refused("GitHub", &forge.api, &error))?;
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
