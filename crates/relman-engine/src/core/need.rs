//! What a step needs from the machine it runs on ([`Need`]): a forge, its token, an
//! environment variable, a key git can sign with. A kind declares its own (`Kind::needs`); the
//! `{env.NAME}` among a step's templates are needs too. `plan` proves every need of the steps it
//! will run before any effect, and `relman check` says the same of every workflow, so a release
//! never stops half-way for a token that was never there.

/// One thing a step needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// The project's forge: `[forge]`, or a GitHub remote relman recognises.
    Forge,
    /// The forge's token (`[forge] token-env`, by default `GITHUB_TOKEN`, then `GH_TOKEN`).
    ForgeToken,
    /// An environment variable, and what it holds ("the CircleCI token").
    Env { name: String, holds: &'static str },
    /// A key git can sign with: always when `forced`, else when git's config `config`
    /// (`commit.gpgSign`, `tag.gpgSign`) asks for a signature.
    Signing { forced: bool, config: &'static str },
}
