//! Name resolution that says so when it fails. ureq's resolver returns the system's error
//! ("failed to lookup address information") as a bare I/O error, which cannot be told from a
//! connection that broke after the request was written; so a `POST` to a misspelt or unresolvable
//! host was reported as "sent, but no answer came" and paused for a person. Wrapped, a failed
//! lookup is [`NameNotResolved`], which the client classifies as a request that never left: safe
//! to retry, and to report as not sent.
//!
//! `Resolver` is in ureq's `unversioned` API (the version is pinned in Cargo.lock); this file is
//! the one place that depends on it.

use std::fmt;

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// The system resolver, with failures marked as such.
#[derive(Debug, Default)]
pub(super) struct MarkingResolver(DefaultResolver);

impl Resolver for MarkingResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        self.0
            .resolve(uri, config, timeout)
            .map_err(|error| match error {
                ureq::Error::Io(source) => ureq::Error::Other(Box::new(NameNotResolved {
                    host: uri.host().unwrap_or_default().to_owned(),
                    source,
                })),
                other => other,
            })
    }
}

/// A host name the system could not resolve.
#[derive(Debug)]
pub(super) struct NameNotResolved {
    pub host: String,
    pub source: std::io::Error,
}

impl fmt::Display for NameNotResolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot resolve `{}`: {}", self.host, self.source)
    }
}

impl std::error::Error for NameNotResolved {}
