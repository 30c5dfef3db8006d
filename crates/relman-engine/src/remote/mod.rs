//! Steps that reach outside the repository: the forge (releases, pull requests, Actions runs,
//! checks, milestones), CircleCI, package indexes and registries, and people (Slack, webhooks,
//! any HTTP API, email).
//!
//! Each kind is planned as the requests it will send (`Effect::Http`, rendered through
//! `RequestDescription::render` with every secret masked; nothing is sent, except by the remote
//! checks, which only read) and executed through `relman-remote`, following the journal
//! discipline of `docs/engine.md`: what the probe needs to recognise the step's effect is recorded
//! before the request that creates it, and every create looks before it creates.
//!
//! One file per family: [`release`], [`pull_request`] (open, merge, wait until merged),
//! [`checks`] (`ci-green`, `milestone-closed`, `no-open-issues` and `wait = "checks"`),
//! [`dispatch`], [`circleci`], [`verify`] (`verify = ...` and `wait = "url"`), [`announce`]
//! (`http`, `slack`, `webhook`) and [`email`]; [`client`] builds the clients from the project and
//! the environment, [`polling`] is the wait loop every waiting step shares.

pub(crate) mod checks;
pub(crate) mod pull_request;
pub(crate) mod verify;
