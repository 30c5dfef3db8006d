//! Launchers for the real services relman's tests talk to: `pypiserver`, Debian's
//! `docker-registry` and an `aiosmtpd` mail sink. Each starts on a free port of 127.0.0.1, waits
//! until it answers, and is killed and reaped when its handle is dropped.
//!
//! The tools come from `scripts/install-test-services.sh`: Python ones from the venv at
//! `$RELMAN_TEST_VENV` (default `$HOME/.cache/relman/test-services-venv`), others from `PATH`.
//! A launcher whose tool is missing returns [`ServiceError::NotInstalled`]; tests pass the result
//! through [`or_skip`], which skips unless `RELMAN_TEST_REQUIRE_TOOLS=1`.

mod docker_registry;
mod process;
mod pypiserver;
mod registry_client;
mod smtp_sink;
mod tls;
mod verdaccio;

use std::path::PathBuf;

pub use docker_registry::DockerRegistry;
pub use pypiserver::{
    PypiServer, build_sdist, build_wheel, build_wheel_tagged, dist_builder, twine_upload,
};
pub use registry_client::{PushedImage, RegistryClient};
pub use smtp_sink::{ReceivedMail, SmtpSink, SmtpSinkOptions};
pub use tls::{TestCertificate, generate_test_certificate};
pub use verdaccio::{NPM_USER, Verdaccio, npm_tools_dir};

/// Why a service could not be started.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("`{tool}` is not installed (run scripts/install-test-services.sh)")]
    NotInstalled { tool: String },
    #[error("{service} did not start: {detail}")]
    Start {
        service: &'static str,
        detail: String,
    },
    #[error("{service}: {detail}")]
    Failed {
        service: &'static str,
        detail: String,
    },
    #[error("{service}: {source}")]
    Io {
        service: &'static str,
        source: std::io::Error,
    },
}

impl ServiceError {
    pub(crate) fn io(service: &'static str, source: std::io::Error) -> Self {
        Self::Io { service, source }
    }
}

/// The venv `install-test-services.sh` fills.
pub fn venv_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("RELMAN_TEST_VENV") {
        return Some(PathBuf::from(dir));
    }
    std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cache/relman/test-services-venv"))
}

/// Finds an executable in the test venv's `bin`, then on `PATH`.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let in_venv = venv_dir().map(|dir| dir.join("bin").join(name));
    in_venv
        .filter(|path| path.is_file())
        .or_else(|| crate::find_tool(name))
}

pub(crate) fn require_tool(name: &str) -> Result<PathBuf, ServiceError> {
    find_tool(name).ok_or_else(|| ServiceError::NotInstalled {
        tool: name.to_owned(),
    })
}

/// The venv's Python when it can import `module` (checked by running it).
pub(crate) fn venv_python_with(module: &str) -> Result<PathBuf, ServiceError> {
    let python = venv_dir()
        .map(|dir| dir.join("bin/python"))
        .filter(|path| path.is_file())
        .ok_or_else(|| ServiceError::NotInstalled {
            tool: format!("python venv with {module}"),
        })?;
    let imports = std::process::Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false);
    if imports {
        Ok(python)
    } else {
        Err(ServiceError::NotInstalled {
            tool: module.to_owned(),
        })
    }
}

/// Turns a launcher's result into `Some(service)`, or `None` after printing
/// `skipped: <tool> not installed` when the tool is missing. With `RELMAN_TEST_REQUIRE_TOOLS=1`
/// a missing tool panics instead, and any other error always panics.
pub fn or_skip<T>(result: Result<T, ServiceError>) -> Option<T> {
    match result {
        Ok(service) => Some(service),
        Err(ServiceError::NotInstalled { tool }) => {
            if std::env::var_os("RELMAN_TEST_REQUIRE_TOOLS").is_some_and(|value| value == "1") {
                panic!("`{tool}` is not installed and RELMAN_TEST_REQUIRE_TOOLS=1");
            }
            #[allow(
                clippy::print_stdout,
                reason = "test support reports skips to the test log"
            )]
            {
                println!("skipped: {tool} not installed");
            }
            None
        }
        Err(error) => panic!("{error}"),
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::time::Duration;

    use super::*;

    fn get(url: &str, accept: &str, auth: Option<&str>) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut request = agent.get(url).header("Accept", accept);
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        let mut response = request.call().unwrap();
        let mut body = String::new();
        response
            .body_mut()
            .as_reader()
            .read_to_string(&mut body)
            .unwrap();
        (response.status().as_u16(), body)
    }

    #[test]
    fn pypiserver_lists_what_twine_uploaded() {
        let Some(server) = or_skip(PypiServer::start()) else {
            return;
        };
        let out = tempfile::tempdir().unwrap();
        let wheel = build_wheel(out.path(), "Relman.Demo", "1.3.0a1").unwrap();
        let sdist = build_sdist(out.path(), "Relman.Demo", "1.3.0a1").unwrap();
        let binary = build_wheel_tagged(
            out.path(),
            "Relman.Demo",
            "1.3.0a1",
            "cp312-cp312-manylinux_2_17_x86_64",
        )
        .unwrap();
        server.upload(&[wheel, sdist, binary]).unwrap();
        let (status, page) = get(
            &format!("{}relman-demo/", server.simple_url()),
            "text/html",
            None,
        );
        assert_eq!(status, 200, "{page}");
        assert!(
            page.contains("relman_demo-1.3.0a1-py3-none-any.whl"),
            "{page}"
        );
        assert!(page.contains("relman_demo-1.3.0a1.tar.gz"), "{page}");
        assert!(
            page.contains("relman_demo-1.3.0a1-cp312-cp312-manylinux_2_17_x86_64.whl"),
            "{page}"
        );
    }

    #[test]
    fn registry_serves_pushed_index_behind_basic_auth() {
        let Some(registry) = or_skip(DockerRegistry::start_with_basic_auth("ci", "s3cret")) else {
            return;
        };
        let pushed = registry
            .push_index("team/app", "1.0.0", &["linux/amd64", "linux/arm64/v8"])
            .unwrap();
        let url = format!("{}/v2/team/app/manifests/1.0.0", registry.url());
        let (status, _) = get(&url, OCI_INDEX_ACCEPT, None);
        assert_eq!(status, 401);
        let (status, body) = get(&url, OCI_INDEX_ACCEPT, Some("Basic Y2k6czNjcmV0"));
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("arm64"), "{body}");
        assert!(pushed.digest.starts_with("sha256:"));
    }

    #[test]
    fn registry_lists_tags_and_digests_and_copies_a_tag() {
        let Some(registry) = or_skip(DockerRegistry::start_with_basic_auth("ci", "s3cret")) else {
            return;
        };
        assert_eq!(registry.tags("team/app").unwrap(), Vec::<String>::new());
        assert_eq!(registry.manifest_digest("team/app", "1.0.0").unwrap(), None);
        let first = registry
            .push_image("team/app", "1.0.0", "linux/amd64")
            .unwrap();
        registry
            .push_index("team/app", "0.9.0", &["linux/amd64"])
            .unwrap();
        assert_eq!(registry.tags("team/app").unwrap(), ["0.9.0", "1.0.0"]);
        assert_eq!(
            registry.manifest_digest("team/app", "1.0.0").unwrap(),
            Some(first.digest.clone())
        );
        // Another thread's client promotes the image: `stable` names what `1.0.0` names.
        let client = registry.client();
        std::thread::spawn(move || client.retag("team/app", "1.0.0", "stable").unwrap())
            .join()
            .unwrap();
        assert_eq!(
            registry.manifest_digest("team/app", "stable").unwrap(),
            Some(first.digest)
        );
        assert_ne!(
            registry.manifest_digest("team/app", "0.9.0").unwrap(),
            registry.manifest_digest("team/app", "1.0.0").unwrap(),
            "two tags pushed are two images"
        );
    }

    const OCI_INDEX_ACCEPT: &str = "application/vnd.oci.image.index.v1+json";

    #[test]
    fn smtp_sink_stores_a_plain_message() {
        let Some(sink) = or_skip(SmtpSink::start()) else {
            return;
        };
        let stream = std::net::TcpStream::connect(sink.address()).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let mut line = String::new();
        let mut say = |text: &str| {
            if !text.is_empty() {
                writer.write_all(text.as_bytes()).unwrap();
            }
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                if line.as_bytes().get(3) != Some(&b'-') {
                    break;
                }
            }
            line.clone()
        };
        assert!(say("").starts_with("220"));
        assert!(say("EHLO test\r\n").starts_with("250"));
        assert!(say("MAIL FROM:<a@example.org>\r\n").starts_with("250"));
        assert!(say("RCPT TO:<b@example.org>\r\n").starts_with("250"));
        assert!(say("DATA\r\n").starts_with("354"));
        assert!(say("Subject: hi\r\n\r\nbody\r\n.\r\n").starts_with("250"));
        let mail = sink.wait_for_messages(1, Duration::from_secs(5)).remove(0);
        assert_eq!(mail.mail_from, "a@example.org");
        assert_eq!(mail.rcpt_to, ["b@example.org"]);
        assert_eq!(mail.header("subject").as_deref(), Some("hi"));
        assert_eq!(mail.body(), "body\r\n");
        assert!(!mail.tls);
    }
}
