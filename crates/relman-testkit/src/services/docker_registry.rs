//! A real OCI registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 with
//! filesystem storage in a temp folder, optionally behind basic auth (an `htpasswd` file). Its
//! [`RegistryClient`] pushes tiny images through the registry's HTTP API, so no Docker engine is
//! needed, and reads back tags and digests.

use std::process::Command;
use std::time::Duration;

use super::process::ServiceProcess;
use super::registry_client::{PushedImage, RegistryClient};
use super::{ServiceError, require_tool};

/// A running registry. Dropping it stops the server.
#[derive(Debug)]
pub struct DockerRegistry {
    _process: ServiceProcess,
    address: String,
    credentials: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl DockerRegistry {
    /// A registry open to anyone.
    pub fn start() -> Result<Self, ServiceError> {
        Self::launch(None)
    }

    /// A registry that requires basic auth with this user and password.
    pub fn start_with_basic_auth(user: &str, password: &str) -> Result<Self, ServiceError> {
        Self::launch(Some((user.to_owned(), password.to_owned())))
    }

    fn launch(credentials: Option<(String, String)>) -> Result<Self, ServiceError> {
        let program = require_tool("docker-registry")?;
        let dir = tempfile::tempdir().map_err(|error| ServiceError::io("registry", error))?;
        let storage = dir.path().join("storage");
        let mut config = format!(
            "version: 0.1\n\
             log:\n  level: info\n  accesslog:\n    disabled: true\n\
             storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
             http:\n  addr: 127.0.0.1:0\n  secret: relman-test\n",
            storage.display()
        );
        if let Some((user, password)) = &credentials {
            let htpasswd = require_tool("htpasswd")?;
            let output = Command::new(htpasswd)
                .args(["-Bbn", user, password])
                .output()
                .map_err(|error| ServiceError::io("htpasswd", error))?;
            if !output.status.success() {
                return Err(ServiceError::Failed {
                    service: "htpasswd",
                    detail: String::from_utf8_lossy(&output.stderr).into_owned(),
                });
            }
            let file = dir.path().join("htpasswd");
            fs_err::write(&file, &output.stdout)
                .map_err(|error| ServiceError::io("registry", error))?;
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: relman-test\n    path: {}\n",
                file.display()
            ));
        }
        let config_path = dir.path().join("config.yml");
        fs_err::write(&config_path, config).map_err(|error| ServiceError::io("registry", error))?;

        let mut command = Command::new(program);
        command.arg("serve").arg(&config_path);
        let mut process = ServiceProcess::spawn("registry", command, &dir.path().join("log"))?;
        // Bound to port 0, the registry logs the address it got: no race for a free port.
        let address = process.wait_until(Duration::from_secs(20), |process| {
            let log = process.log();
            let start = log.find("listening on ")? + "listening on ".len();
            let address: String = log[start..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
                .collect();
            address.contains(':').then_some(address)
        })?;
        Ok(Self {
            _process: process,
            address,
            credentials,
            _dir: dir,
        })
    }

    /// `127.0.0.1:PORT`, the registry part of an image reference.
    pub fn host(&self) -> &str {
        &self.address
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A client of this registry (with its login), which can move to another thread: a fake CI
    /// job that publishes images while relman waits for them, for example.
    pub fn client(&self) -> RegistryClient {
        RegistryClient::new(self.address.clone(), self.credentials.clone())
    }

    /// Pushes a single-platform image (`os/arch[/variant]`) as an OCI manifest under `tag`.
    pub fn push_image(
        &self,
        repository: &str,
        tag: &str,
        platform: &str,
    ) -> Result<PushedImage, ServiceError> {
        self.client().push_image(repository, tag, platform)
    }

    /// Pushes one image per platform and an OCI index over them under `tag`.
    pub fn push_index(
        &self,
        repository: &str,
        tag: &str,
        platforms: &[&str],
    ) -> Result<PushedImage, ServiceError> {
        self.client().push_index(repository, tag, platforms)
    }

    /// The tags of `repository`, sorted (see [`RegistryClient::tags`]).
    pub fn tags(&self, repository: &str) -> Result<Vec<String>, ServiceError> {
        self.client().tags(repository)
    }

    /// The digest `repository:tag` names (see [`RegistryClient::manifest_digest`]).
    pub fn manifest_digest(
        &self,
        repository: &str,
        tag: &str,
    ) -> Result<Option<String>, ServiceError> {
        self.client().manifest_digest(repository, tag)
    }
}
