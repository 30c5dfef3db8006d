//! A real package index for tests: `pypiserver` from the test venv, serving a temp folder without
//! authentication, with uploads through the real `twine`. Also builds the tiny wheels and sdists
//! the tests upload.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::process::{ServiceProcess, accepts_connections, free_port};
use super::{ServiceError, require_tool, venv_python_with};

const MAKE_DIST: &str = include_str!("make_dist.py");

/// A running pypiserver. Dropping it stops the server.
#[derive(Debug)]
pub struct PypiServer {
    _process: ServiceProcess,
    port: u16,
    packages: PathBuf,
    _dir: tempfile::TempDir,
}

impl PypiServer {
    /// Starts pypiserver on a free port and waits until it accepts connections.
    pub fn start() -> Result<Self, ServiceError> {
        let program = require_tool("pypi-server")?;
        let dir = tempfile::tempdir().map_err(|error| ServiceError::io("pypiserver", error))?;
        let packages = dir.path().join("packages");
        fs_err::create_dir_all(&packages).map_err(|error| ServiceError::io("pypiserver", error))?;
        // pypiserver cannot report a port it was given as 0, so take a free one and retry if
        // something else grabbed it in between.
        let mut last_error = None;
        for attempt in 0..3 {
            let port = free_port()?;
            let mut command = Command::new(&program);
            command
                .args(["run", "-i", "127.0.0.1", "-p", &port.to_string()])
                .args(["-a", ".", "-P", ".", "--disable-fallback"])
                .arg(&packages);
            let log = dir.path().join(format!("log{attempt}"));
            let mut process = ServiceProcess::spawn("pypiserver", command, &log)?;
            match process.wait_until(Duration::from_secs(30), |process| {
                (process.log().contains("Listening on") && accepts_connections(port)).then_some(())
            }) {
                Ok(()) => {
                    return Ok(Self {
                        _process: process,
                        port,
                        packages,
                        _dir: dir,
                    });
                }
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.unwrap_or_else(|| ServiceError::Start {
            service: "pypiserver",
            detail: "no attempt made".to_owned(),
        }))
    }

    /// `http://127.0.0.1:PORT/`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The pip-style index URL, `http://127.0.0.1:PORT/simple/`.
    pub fn simple_url(&self) -> String {
        format!("{}simple/", self.url())
    }

    /// The folder pypiserver serves; a test may also drop files in it directly.
    pub fn packages_dir(&self) -> &Path {
        &self.packages
    }

    /// Uploads files with `twine upload` (the way a release pipeline would).
    pub fn upload(&self, files: &[PathBuf]) -> Result<(), ServiceError> {
        twine_upload(&self.url(), files)
    }
}

/// `twine upload --repository-url URL FILES` (any login: the test index has no authentication),
/// for code that knows the index's URL but not the server (a fake CI's deploy job).
pub fn twine_upload(repository_url: &str, files: &[PathBuf]) -> Result<(), ServiceError> {
    let twine = require_tool("twine")?;
    let output = Command::new(twine)
        .args(["upload", "--non-interactive", "--disable-progress-bar"])
        .args(["--repository-url", repository_url, "-u", "x", "-p", "x"])
        .args(files)
        .output()
        .map_err(|error| ServiceError::io("twine", error))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(ServiceError::Failed {
            service: "twine",
            detail: format!(
                "upload of {files:?} failed: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        })
    }
}

/// Builds `NAME-VERSION-py3-none-any.whl` (name normalised) in `out_dir`.
pub fn build_wheel(out_dir: &Path, name: &str, version: &str) -> Result<PathBuf, ServiceError> {
    make_dist("wheel", out_dir, name, version, &[])
}

/// Builds a binary wheel `NAME-VERSION-TAG.whl` whose `WHEEL` file carries `tag` (e.g.
/// `cp312-cp312-manylinux_2_17_x86_64`), as a CI matrix of platforms produces them.
pub fn build_wheel_tagged(
    out_dir: &Path,
    name: &str,
    version: &str,
    tag: &str,
) -> Result<PathBuf, ServiceError> {
    make_dist("wheel", out_dir, name, version, &[tag])
}

/// Builds `NAME-VERSION.tar.gz` (name normalised) in `out_dir`.
pub fn build_sdist(out_dir: &Path, name: &str, version: &str) -> Result<PathBuf, ServiceError> {
    make_dist("sdist", out_dir, name, version, &[])
}

/// The venv's Python and the dist builder written into `dir`: a workflow's `run` step builds
/// a package's distributions with `PYTHON SCRIPT sdist|wheel OUT_DIR NAME VERSION`.
pub fn dist_builder(dir: &Path) -> Result<(PathBuf, PathBuf), ServiceError> {
    let python = venv_python_with("zipfile")?;
    let script = dir.join("make_dist.py");
    fs_err::write(&script, MAKE_DIST).map_err(|error| ServiceError::io("make_dist", error))?;
    Ok((python, script))
}

fn make_dist(
    kind: &str,
    out_dir: &Path,
    name: &str,
    version: &str,
    extra: &[&str],
) -> Result<PathBuf, ServiceError> {
    let python = venv_python_with("zipfile")?;
    let script = out_dir.join(".make_dist.py");
    fs_err::write(&script, MAKE_DIST).map_err(|error| ServiceError::io("make_dist", error))?;
    let output = Command::new(python)
        .arg(&script)
        .args([kind, &out_dir.to_string_lossy(), name, version])
        .args(extra)
        .output()
        .map_err(|error| ServiceError::io("make_dist", error))?;
    if !output.status.success() {
        return Err(ServiceError::Failed {
            service: "make_dist",
            detail: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim().to_owned(),
    ))
}
