//! Throwaway TLS certificates for test servers, made with the `openssl` CLI: a CA and a server
//! certificate it signs for `localhost` and `127.0.0.1`. A separate CA is needed because rustls
//! (webpki) refuses a certificate that is its own CA as a server's end-entity certificate.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{ServiceError, require_tool};

/// Files of a generated test certificate, all PEM.
#[derive(Debug, Clone)]
pub struct TestCertificate {
    /// The CA certificate clients must trust.
    pub ca_cert: PathBuf,
    /// The server certificate (for `localhost` and `127.0.0.1`).
    pub server_cert: PathBuf,
    /// The server's private key.
    pub server_key: PathBuf,
}

/// Writes a CA and a server certificate into `dir`.
pub fn generate_test_certificate(dir: &Path) -> Result<TestCertificate, ServiceError> {
    let openssl = require_tool("openssl")?;
    let path = |name: &str| dir.join(name);
    let extensions = path("server.ext");
    fs_err::write(
        &extensions,
        "basicConstraints=critical,CA:FALSE\n\
         keyUsage=critical,digitalSignature\n\
         extendedKeyUsage=serverAuth\n\
         subjectAltName=DNS:localhost,IP:127.0.0.1\n",
    )
    .map_err(|error| ServiceError::io("openssl", error))?;
    let steps: [Vec<&str>; 3] = [
        vec![
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=relman test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ],
        vec![
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ],
        vec![
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.pem",
        ],
    ];
    for args in steps {
        let output = Command::new(&openssl)
            .args(&args)
            .current_dir(dir)
            .output()
            .map_err(|error| ServiceError::io("openssl", error))?;
        if !output.status.success() {
            return Err(ServiceError::Failed {
                service: "openssl",
                detail: format!(
                    "`openssl {}` failed: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&output.stderr)
                ),
            });
        }
    }
    Ok(TestCertificate {
        ca_cert: path("ca.pem"),
        server_cert: path("server.pem"),
        server_key: path("server.key"),
    })
}
