//! What a step needs from the machine it runs on ([`Need`]): a forge, its token, an
//! environment variable, a key git can sign with, a login to a service. A kind declares its own
//! (`Kind::needs`); the `{env.NAME}` among a step's templates are needs too. `plan` proves every
//! need of the steps it will run before any effect, as far as this machine can tell without
//! asking a service (the variable is set, the key signs), and `relman check` says the same of
//! every workflow, so a release never stops half-way for a token that was never there.
//! `check = "credentials"` goes further with the same declarations: it asks each service whether
//! the credential works (GitHub `GET /user` and push permission, a test signature, and what each
//! kind's own [`super::Credential`] asks: `npm whoami`, a Mastodon, Discourse or Bluesky login).

use super::credential::Login;

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
    /// A login only its service can judge, declared by the kind that needs it: `plan` proves
    /// the variables it cannot do without ([`super::Credential::required`]) and where this machine
    /// keeps it ([`super::Credential::locate`]); `check = "credentials"` asks the service.
    Credential(Login),
}
