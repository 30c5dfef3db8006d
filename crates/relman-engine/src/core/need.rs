//! What a step needs from the machine it runs on ([`Need`]): a forge, its token, an
//! environment variable, a key git can sign with, a login to a service. A kind declares its own
//! (`Kind::needs`); the `{env.NAME}` among a step's templates are needs too. `plan` proves every
//! need of the steps it will run before any effect, as far as this machine can tell without
//! asking a service (the variable is set, the key signs), and `relman check` says the same of
//! every workflow, so a release never stops half-way for a token that was never there.
//! `check = "credentials"` goes further with the same declarations: it asks each service whether
//! the credential works (GitHub `GET /user` and push permission, `npm whoami`, a Mastodon,
//! Discourse or Bluesky login).

use crate::template::Template;

/// One thing a step needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// The project's forge: `[forge]`, or a GitHub remote relman recognises.
    Forge,
    /// The forge's token (`[forge] token-env`, by default `GITHUB_TOKEN`, then `GH_TOKEN`);
    /// `write` when the step changes something there (`check = "credentials"` then asks for
    /// push permission on the repository).
    ForgeToken { write: bool },
    /// An environment variable, and what it holds ("the CircleCI token").
    Env { name: String, holds: &'static str },
    /// A key git can sign with: always when `forced`, else when git's config `config`
    /// (`commit.gpgSign`, `tag.gpgSign`) asks for a signature.
    Signing { forced: bool, config: &'static str },
    /// A login only its service can judge: `plan` proves the variables it cannot do without
    /// ([`Login::required`]); `check = "credentials"` asks the service.
    Login(Login),
}

/// A login to a service, as `check = "credentials"` asks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// An npm registry login: the token of these variables, or the user's own `npm login`.
    Npm {
        registry: Option<Template>,
        token_envs: Vec<String>,
    },
    /// A token in the first set of these variables, for `service` (a Cargo registry, PyPI): only
    /// its presence can be checked. The tool's own login (`cargo login`, `.pypirc`) may stand in
    /// for it when the step runs, so `plan` does not require it.
    Token {
        names: Vec<String>,
        service: &'static str,
    },
    /// A Mastodon access token.
    Mastodon {
        instance: Template,
        token_env: String,
    },
    /// A Discourse API key and the user it acts as.
    Discourse {
        forum: Template,
        key_env: String,
        username_env: String,
    },
    /// A Bluesky app password.
    Bluesky {
        pds: Option<Template>,
        handle: Template,
        password_env: String,
    },
}

impl Login {
    /// The variables that must be set wherever the step runs, with what each holds: nothing
    /// else can stand in for them.
    pub fn required(&self) -> Vec<(&str, &'static str)> {
        match self {
            Login::Npm { .. } | Login::Token { .. } => Vec::new(),
            Login::Mastodon { token_env, .. } => vec![(token_env, "the Mastodon access token")],
            Login::Discourse {
                key_env,
                username_env,
                ..
            } => vec![
                (key_env, "the Discourse API key"),
                (username_env, "the Discourse user the key acts as"),
            ],
            Login::Bluesky { password_env, .. } => {
                vec![(password_env, "the Bluesky app password")]
            }
        }
    }
}
