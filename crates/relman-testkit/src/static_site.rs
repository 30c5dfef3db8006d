//! A static website for tests, on [`FakeServer`]: files put at paths (a Helm repository's
//! `index.yaml`, the objects of an S3 bucket, the pages of a docs site) are served to `GET` and
//! `HEAD`; any other path is 404, any other method 405. [`StaticSite::files`] hands out a handle
//! that can move to another thread, so a fake CI job publishes while relman waits for it.
//!
//! ```no_run
//! use relman_testkit::static_site::StaticSite;
//! let site = StaticSite::start();
//! site.files().put("/charts/index.yaml", "application/x-yaml", b"apiVersion: v1\n".to_vec());
//! // GET {site.url()}/charts/index.yaml answers those bytes
//! ```

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::http_server::{FakeResponse, FakeServer, RecordedRequest};

/// A file: its content type and bytes.
type File = (String, Vec<u8>);

/// The files of a site, by path (`/a/b.txt`). Clones share the files.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    files: Arc<Mutex<BTreeMap<String, File>>>,
}

impl SiteFiles {
    /// Puts (or replaces) the file at `path`, which starts with `/`.
    pub fn put(&self, path: &str, content_type: &str, bytes: Vec<u8>) {
        assert!(path.starts_with('/'), "a site path starts with `/`: {path}");
        self.lock()
            .insert(path.to_owned(), (content_type.to_owned(), bytes));
    }

    /// The bytes at `path`, if any.
    pub fn get(&self, path: &str) -> Option<Vec<u8>> {
        self.lock().get(path).map(|(_, bytes)| bytes.clone())
    }

    /// Every path, sorted.
    pub fn paths(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, File>> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn answer(&self, request: &RecordedRequest) -> FakeResponse {
        if request.method != "GET" && request.method != "HEAD" {
            return FakeResponse::text(405, "Method Not Allowed");
        }
        match self.lock().get(&request.path) {
            Some((content_type, bytes)) => FakeResponse::bytes(200, content_type, bytes.clone()),
            None => FakeResponse::text(404, "Not Found"),
        }
    }
}

/// The site's server on 127.0.0.1; stopped on drop.
#[derive(Debug)]
pub struct StaticSite {
    server: FakeServer,
    files: SiteFiles,
}

impl StaticSite {
    /// An empty site.
    pub fn start() -> Self {
        let files = SiteFiles::default();
        let served = files.clone();
        let server = FakeServer::start(move |request| served.answer(request));
        Self { server, files }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> &str {
        self.server.url()
    }

    /// The files, to put more (from any thread) or read them back.
    pub fn files(&self) -> SiteFiles {
        self.files.clone()
    }

    /// Every request received, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(url: &str) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut response = agent.get(url).call().unwrap();
        let status = response.status().as_u16();
        (status, response.body_mut().read_to_string().unwrap())
    }

    #[test]
    fn files_put_from_another_thread_are_served() {
        let site = StaticSite::start();
        let url = format!("{}/bucket/0.4.0/cli", site.url());
        assert_eq!(get(&url).0, 404);
        let files = site.files();
        std::thread::spawn(move || files.put("/bucket/0.4.0/cli", "text/plain", b"cli".to_vec()))
            .join()
            .unwrap();
        assert_eq!(get(&url), (200, "cli".to_owned()));
        assert_eq!(site.files().paths(), ["/bucket/0.4.0/cli"]);
        assert_eq!(site.requests().len(), 2);
    }
}
