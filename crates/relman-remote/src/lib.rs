//! HTTP clients for the outside world, with retries, rate limits and redaction.
//!
//! [`http`] is the one HTTP layer (see its module docs for how a service client is built on it);
//! [`secret`] holds the [`Secret`] type and the [`Redactor`]; [`clock`] is the injectable time
//! source of every wait; [`wait`] is the polling loop of `wait = ...` steps; [`github`] is the
//! GitHub (and GitHub Enterprise) client; [`circleci`] triggers pipelines, waits for their
//! workflows and downloads artifacts; [`verify`] checks that PyPI files, image tags, Helm charts
//! and URLs are really there (one look each, repeated by [`wait`]); [`announce`] posts to Slack,
//! webhooks and any HTTP API (saving JSON-pointer values); [`email`] sends mail over SMTP.

pub mod announce;
pub mod circleci;
pub mod clock;
pub mod email;
pub mod github;
pub mod http;
pub mod sealed;
pub mod secret;
pub mod timestamp;
pub mod verify;
pub mod wait;

pub use clock::Clock;
pub use http::{
    Body, Credential, HttpClient, HttpError, HttpOptions, Method, RenderedRequest,
    RequestDescription, Response, RetryPolicy,
};
pub use secret::{Redactor, Secret, SecretForm};
