//! A real npm registry for tests: verdaccio 6.8.0 (installed by `scripts/install-test-tools.sh`
//! into `$HOME/.cache/relman/npm-tools`, or `$RELMAN_NPM_TOOLS`), listening on 127.0.0.1 only,
//! storing into a temp folder, with no uplink (it never asks npmjs.org for anything), anyone
//! allowed to publish, and one user whose token `npm` publishes and `npm whoami`s with.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::ServiceError;
use super::process::{ServiceProcess, accepts_connections, free_port};

/// A running verdaccio. Dropping it stops the server.
#[derive(Debug)]
pub struct Verdaccio {
    _process: ServiceProcess,
    port: u16,
    token: String,
    dir: tempfile::TempDir,
}

/// The user verdaccio is started with.
pub const NPM_USER: &str = "relman-bot";

/// The folder the npm test tools are installed into.
pub fn npm_tools_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("RELMAN_NPM_TOOLS") {
        return Some(PathBuf::from(dir));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache/relman/npm-tools"))
}

impl Verdaccio {
    /// Starts verdaccio on a free port, waits until it answers, and creates the user.
    pub fn start() -> Result<Self, ServiceError> {
        let program = npm_tools_dir()
            .map(|dir| dir.join("node_modules/.bin/verdaccio"))
            .filter(|path| path.is_file())
            .ok_or_else(|| ServiceError::NotInstalled {
                tool: "verdaccio".to_owned(),
            })?;
        if crate::find_tool("npm").is_none() {
            return Err(ServiceError::NotInstalled {
                tool: "npm".to_owned(),
            });
        }
        let dir = tempfile::tempdir().map_err(|error| ServiceError::io("verdaccio", error))?;
        let mut last_error = None;
        for attempt in 0..3 {
            let port = free_port()?;
            let config = dir.path().join("config.yaml");
            fs_err::write(&config, config_yaml(dir.path(), port))
                .map_err(|error| ServiceError::io("verdaccio", error))?;
            let mut command = Command::new(&program);
            command.arg("--config").arg(&config);
            let log = dir.path().join(format!("log{attempt}"));
            let mut process = ServiceProcess::spawn("verdaccio", command, &log)?;
            match process.wait_until(Duration::from_secs(60), |_| {
                accepts_connections(port).then_some(())
            }) {
                Ok(()) => {
                    let token = add_user(port)?;
                    return Ok(Self {
                        _process: process,
                        port,
                        token,
                        dir,
                    });
                }
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.unwrap_or_else(|| ServiceError::Start {
            service: "verdaccio",
            detail: "no attempt made".to_owned(),
        }))
    }

    /// `http://127.0.0.1:PORT/`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The token of [`NPM_USER`].
    pub fn token(&self) -> &str {
        &self.token
    }

    /// A user config for `npm` that authenticates to this registry with `$NPM_TOKEN`.
    pub fn npmrc(&self) -> PathBuf {
        let path = self.dir.path().join("npmrc");
        let _ = fs_err::write(
            &path,
            format!("//127.0.0.1:{}/:_authToken=${{NPM_TOKEN}}\n", self.port),
        );
        path
    }

    /// The versions of `package` the registry has, from its packument.
    pub fn versions(&self, package: &str) -> Vec<String> {
        let url = format!("{}{}", self.url(), package.replace('/', "%2f"));
        let Ok(mut response) = ureq::get(&url).call() else {
            return Vec::new();
        };
        let text = response.body_mut().read_to_string().unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        value["versions"]
            .as_object()
            .map(|versions| versions.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The storage folder (a published tarball lands under it).
    pub fn storage(&self) -> PathBuf {
        self.dir.path().join("storage")
    }
}

fn config_yaml(dir: &Path, port: u16) -> String {
    format!(
        r#"storage: {storage}
auth:
  htpasswd:
    file: {htpasswd}
uplinks: {{}}
packages:
  '@*/*':
    access: $all
    publish: $all
    unpublish: $all
  '**':
    access: $all
    publish: $all
    unpublish: $all
listen: 127.0.0.1:{port}
log: {{ type: stdout, format: pretty, level: warn }}
"#,
        storage = dir.join("storage").display(),
        htpasswd = dir.join("htpasswd").display(),
    )
}

/// Creates [`NPM_USER`] as `npm adduser` would, returning its token.
fn add_user(port: u16) -> Result<String, ServiceError> {
    let url = format!("http://127.0.0.1:{port}/-/user/org.couchdb.user:{NPM_USER}");
    let body = serde_json::json!({"name": NPM_USER, "password": "relman-test-password"});
    let failed = |detail: String| ServiceError::Failed {
        service: "verdaccio",
        detail,
    };
    let mut response = ureq::put(&url)
        .header("content-type", "application/json")
        .send(body.to_string())
        .map_err(|error| failed(format!("cannot add the user: {error}")))?;
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|error| failed(error.to_string()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| failed(error.to_string()))?;
    value["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| failed(format!("no token in {text}")))
}
