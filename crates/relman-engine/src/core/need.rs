//! [`Need`]: a credential a step will need when it runs — a token, a login, a signing key —
//! declared by its kind (`Kind::needs`), so that `check = "credentials"` can ask each service
//! before the release changes anything.

use crate::template::Template;

/// A credential a step needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// The forge's token (`[forge] token-env`); `write` when the step changes something there.
    GitHub { write: bool },
    /// A secret in the first set of these variables, for `service` (only its presence can be
    /// checked).
    Variable {
        names: Vec<String>,
        service: &'static str,
    },
    /// An npm registry login: the token of these variables, or the user's own `npm login`.
    Npm {
        registry: Option<Template>,
        token_envs: Vec<String>,
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
    /// A key git signs with (a signed tag or commit).
    Signing,
}
