//! Image references as Docker reads them: `nginx` is `docker.io/library/nginx`, `org/app` is on
//! Docker Hub, `ghcr.io/org/app` and `127.0.0.1:5000/team/app` name their registry (a first
//! component with a `.` or `:`, or `localhost`). Docker Hub's API lives at
//! `registry-1.docker.io`; registries on loopback addresses are spoken to over plain HTTP, as
//! Docker does, every other one over HTTPS.

use std::fmt;

/// Where an image lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageReference {
    /// As the user would write it (`docker.io`, `ghcr.io`, `127.0.0.1:5000`).
    pub registry: String,
    /// `library/nginx`, `org/app`.
    pub repository: String,
    /// A tag or `sha256:...` digest given with the image (`app:1.0`, `app@sha256:...`).
    pub reference: Option<String>,
}

const DOCKER_HUB: &str = "docker.io";

impl ImageReference {
    /// Parses `[registry/]repository[:tag|@digest]`.
    pub fn parse(image: &str) -> Result<Self, String> {
        let image = image.trim();
        if image.is_empty() {
            return Err("empty image name".to_owned());
        }
        if image.contains("://") {
            return Err("an image is `registry/repository`, without `https://`".to_owned());
        }
        let (name, reference) = match image.split_once('@') {
            Some((name, digest)) => (name, Some(digest.to_owned())),
            None => {
                // A `:` after the last `/` is a tag; before it, a registry port.
                let slash = image.rfind('/').map_or(0, |index| index + 1);
                match image[slash..].rfind(':') {
                    Some(colon) => (
                        &image[..slash + colon],
                        Some(image[slash + colon + 1..].to_owned()),
                    ),
                    None => (image, None),
                }
            }
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_owned(), rest.to_owned())
            }
            _ => (DOCKER_HUB.to_owned(), name.to_owned()),
        };
        let registry = match registry.as_str() {
            "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB.to_owned(),
            _ => registry,
        };
        let repository = if registry == DOCKER_HUB && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository
        };
        let valid = !repository.is_empty()
            && repository.split('/').all(|part| {
                !part.is_empty()
                    && part.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
                    })
            });
        if !valid {
            return Err(format!(
                "`{repository}` is not a repository name (lower-case letters, digits, `._-`, `/`)"
            ));
        }
        if reference.as_deref().is_some_and(str::is_empty) {
            return Err("empty tag or digest".to_owned());
        }
        Ok(Self {
            registry,
            repository,
            reference,
        })
    }

    /// The registry's API base, `https://ghcr.io` or `http://127.0.0.1:5000`.
    pub fn api_base(&self) -> String {
        let host = if self.registry == DOCKER_HUB {
            "registry-1.docker.io"
        } else {
            &self.registry
        };
        let scheme = if is_loopback(host) { "http" } else { "https" };
        format!("{scheme}://{host}")
    }

    /// `<api>/v2/<repository>/manifests/<reference>`
    pub fn manifest_url(&self, reference: &str) -> String {
        format!(
            "{}/v2/{}/manifests/{reference}",
            self.api_base(),
            self.repository
        )
    }

    /// `<api>/v2/<repository>/blobs/<digest>`
    pub fn blob_url(&self, digest: &str) -> String {
        format!("{}/v2/{}/blobs/{digest}", self.api_base(), self.repository)
    }
}

impl fmt::Display for ImageReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)
    }
}

fn is_loopback(host: &str) -> bool {
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            name
        } else {
            host
        }
    });
    name == "localhost" || name.starts_with("127.") || name == "[::1]"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(image: &str) -> (String, String, Option<String>) {
        let reference = ImageReference::parse(image).unwrap();
        (
            reference.registry,
            reference.repository,
            reference.reference,
        )
    }

    #[test]
    fn docker_hub_short_names() {
        assert_eq!(
            parse("nginx"),
            ("docker.io".into(), "library/nginx".into(), None)
        );
        assert_eq!(
            parse("nginx:1.25"),
            (
                "docker.io".into(),
                "library/nginx".into(),
                Some("1.25".into())
            )
        );
        assert_eq!(
            parse("closeio/ciso8601"),
            ("docker.io".into(), "closeio/ciso8601".into(), None)
        );
        assert_eq!(parse("index.docker.io/library/redis").1, "library/redis");
        let hub = ImageReference::parse("nginx").unwrap();
        assert_eq!(hub.api_base(), "https://registry-1.docker.io");
        assert_eq!(
            hub.manifest_url("latest"),
            "https://registry-1.docker.io/v2/library/nginx/manifests/latest"
        );
    }

    #[test]
    fn explicit_registries_and_ports() {
        assert_eq!(
            parse("ghcr.io/org/app:v1"),
            ("ghcr.io".into(), "org/app".into(), Some("v1".into()))
        );
        let local = ImageReference::parse("127.0.0.1:5000/team/app").unwrap();
        assert_eq!(local.reference, None);
        assert_eq!(local.api_base(), "http://127.0.0.1:5000");
        assert_eq!(
            ImageReference::parse("localhost/app").unwrap().api_base(),
            "http://localhost"
        );
        assert_eq!(
            parse("quay.io/org/app@sha256:ab").2.as_deref(),
            Some("sha256:ab")
        );
        assert_eq!(local.to_string(), "127.0.0.1:5000/team/app");
    }

    #[test]
    fn bad_names() {
        for bad in [
            "",
            "https://ghcr.io/x",
            "ghcr.io/Org/App",
            "ghcr.io//x",
            "app:",
        ] {
            assert!(ImageReference::parse(bad).is_err(), "{bad}");
        }
    }
}
