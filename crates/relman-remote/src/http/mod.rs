//! HTTP for every remote service relman talks to: one concrete blocking client, [`HttpClient`].
//!
//! How to use it (GitHub, CircleCI, PyPI, Slack and webhook clients are all built this way):
//!
//! 1. Describe the request as a [`RequestDescription`] (method, URL, plain headers, [`Body`]). A
//!    step's plan shows [`HttpClient::render`] of it: secrets masked, credential headers as `****`.
//! 2. Give the client the secrets as [`Credential`]s bound to an origin
//!    (`Credential::bearer("https://api.github.com", token)`, `Credential::header(url, "Circle-Token",
//!    token)`, `Credential::basic(url, user, password)`); a credential is added only to requests
//!    whose URL, after any redirect, has that scheme, host and port. Secrets that are not headers
//!    (a Slack webhook URL) are registered with [`HttpClient::with_secret`] so errors mask them.
//! 3. [`HttpClient::execute`] (or [`HttpClient::json`], [`HttpClient::get_all`] for `Link`-paginated
//!    lists, [`HttpClient::download`] to stream to a file). A status of 400 or more comes back as an
//!    [`HttpError`] whose `Display` names method, masked URL and status and quotes the service's
//!    own message; `status()`, `body()` and `is_transient()` let callers branch on it.
//!
//! A `POST` or `PATCH` that timed out after connecting is not re-sent (it may have been carried
//! out): callers with a probe retry it themselves. A request that never left (the name did not
//! resolve, the connection was refused, TLS failed) is retried, and
//! [`HttpError::may_have_been_received`] says which is which. Requests made inside
//! [`deadline::with_deadline`] get only the time left before it. Retries (connection errors, timeouts, 5xx, 429,
//! GitHub's rate limits, `Retry-After`) follow the
//! client's [`RetryPolicy`] and sleep through its [`crate::Clock`]: tests pass
//! `Clock::simulated(..)` and assert `clock.sleeps()` instead of sleeping.

mod client;
pub mod deadline;
mod error;
mod request;
mod resolve;
mod response;
mod retry;
pub mod url;

pub use client::{HttpClient, HttpOptions, RetryNotice};
pub use error::{ErrorKind, HttpError, TransportKind, reason_phrase, service_message, truncate};
pub use request::{Body, Credential, InvalidOrigin, Method, RenderedRequest, RequestDescription};
pub use response::{Response, next_link};
pub use retry::RetryPolicy;
