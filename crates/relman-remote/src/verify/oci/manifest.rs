//! What a registry returns for a tag: a single-platform image manifest or an index (manifest
//! list) over several, in the OCI or Docker v2 media types, and the platforms they cover.
//! Platforms compare as containerd normalises them: `aarch64` is `arm64`, whose variant defaults
//! to `v8`; `arm` defaults to `v7`; `x86_64` is `amd64`.

use std::fmt;

use serde::Deserialize;

pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";

/// The `Accept` header of a manifest request: without these a registry may answer 404 or convert.
pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
     application/vnd.docker.distribution.manifest.list.v2+json, \
     application/vnd.oci.image.manifest.v1+json, \
     application/vnd.docker.distribution.manifest.v2+json";

/// An operating system, architecture and optional variant.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    #[serde(default)]
    pub variant: Option<String>,
}

impl Platform {
    /// Parses `os/arch[/variant]` (`linux/arm64/v8`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.trim().split('/').collect();
        match parts.as_slice() {
            [os, architecture] | [os, architecture, _]
                if !os.is_empty() && !architecture.is_empty() =>
            {
                Ok(Self {
                    os: (*os).to_owned(),
                    architecture: (*architecture).to_owned(),
                    variant: parts.get(2).map(|variant| (*variant).to_owned()),
                })
            }
            _ => Err(format!(
                "`{text}` is not a platform like `linux/amd64` or `linux/arm64/v8`"
            )),
        }
    }

    /// The containerd-normalised form.
    pub fn normalized(&self) -> Self {
        let os = self.os.to_ascii_lowercase();
        let (architecture, default_variant) = match self.architecture.to_ascii_lowercase().as_str()
        {
            "x86_64" | "x86-64" | "amd64" => ("amd64".to_owned(), None),
            "aarch64" | "arm64" => ("arm64".to_owned(), Some("v8")),
            "armhf" | "arm" => ("arm".to_owned(), Some("v7")),
            "armel" => ("arm".to_owned(), Some("v6")),
            "i386" | "386" => ("386".to_owned(), None),
            other => (other.to_owned(), None),
        };
        let variant = self
            .variant
            .as_deref()
            .map(str::to_ascii_lowercase)
            .filter(|variant| !variant.is_empty())
            .or_else(|| default_variant.map(str::to_owned));
        let variant = match (architecture.as_str(), variant.as_deref()) {
            ("amd64", Some("v1")) => None,
            _ => variant,
        };
        Self {
            os,
            architecture,
            variant,
        }
    }

    /// Whether two platforms are the same once normalised.
    pub fn matches(&self, other: &Platform) -> bool {
        self.normalized() == other.normalized()
    }

    /// buildx lists attestation manifests with platform `unknown/unknown`.
    fn is_real(&self) -> bool {
        self.os != "unknown" && self.architecture != "unknown"
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

/// A manifest document, as far as verification needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Manifest {
    /// An index: the platforms of its entries (attestations left out).
    Index { platforms: Vec<Platform> },
    /// One image: the digest of its config blob, which holds the platform.
    Image { config_digest: String },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawManifest {
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    manifests: Option<Vec<RawEntry>>,
    #[serde(default)]
    config: Option<RawDescriptor>,
}

#[derive(Deserialize)]
struct RawEntry {
    #[serde(default)]
    platform: Option<Platform>,
}

#[derive(Deserialize)]
struct RawDescriptor {
    digest: String,
}

impl Manifest {
    /// Parses a manifest by its `Content-Type` or, failing that, its own `mediaType` and shape.
    pub fn parse(content_type: Option<&str>, body: &[u8]) -> Result<Self, String> {
        let raw: RawManifest =
            serde_json::from_slice(body).map_err(|error| format!("not a manifest: {error}"))?;
        let media_type = content_type
            .map(|value| {
                value
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            })
            .filter(|value| value.contains("manifest") || value.contains("image.index"))
            .or(raw.media_type)
            .unwrap_or_default();
        let is_index =
            media_type == OCI_INDEX || media_type == DOCKER_LIST || raw.manifests.is_some();
        if is_index {
            let platforms = raw
                .manifests
                .unwrap_or_default()
                .into_iter()
                .filter_map(|entry| entry.platform)
                .filter(Platform::is_real)
                .collect();
            return Ok(Manifest::Index { platforms });
        }
        match raw.config {
            Some(config) => Ok(Manifest::Image {
                config_digest: config.digest,
            }),
            None => Err(format!("a `{media_type}` manifest without `config`")),
        }
    }
}

/// The platform an image config blob states.
pub fn config_platform(body: &[u8]) -> Result<Platform, String> {
    serde_json::from_slice(body).map_err(|error| format!("not an image config: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_parse_and_normalise() {
        let arm64 = Platform::parse("linux/arm64").unwrap();
        assert!(arm64.matches(&Platform::parse("linux/aarch64/v8").unwrap()));
        assert!(!arm64.matches(&Platform::parse("linux/arm/v7").unwrap()));
        assert!(
            Platform::parse("linux/arm")
                .unwrap()
                .matches(&Platform::parse("linux/armhf").unwrap())
        );
        assert!(
            Platform::parse("linux/amd64/v1")
                .unwrap()
                .matches(&Platform::parse("linux/x86_64").unwrap())
        );
        assert_eq!(
            Platform::parse("linux/arm/v7").unwrap().to_string(),
            "linux/arm/v7"
        );
        assert!(Platform::parse("linux").is_err());
        assert!(Platform::parse("a/b/c/d").is_err());
    }

    #[test]
    fn indexes_list_platforms_without_attestations() {
        let index = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
            {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:a","size":1,"platform":{"architecture":"amd64","os":"linux"}},
            {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:b","size":1,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
            {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:c","size":1,"platform":{"architecture":"unknown","os":"unknown"},"annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}"#;
        let Manifest::Index { platforms } = Manifest::parse(Some(OCI_INDEX), index).unwrap() else {
            panic!()
        };
        let names: Vec<String> = platforms.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["linux/amd64", "linux/arm64/v8"]);
    }

    #[test]
    fn docker_manifests_point_at_their_config() {
        let manifest = br#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
            "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:cfg","size":7},"layers":[]}"#;
        assert_eq!(
            Manifest::parse(
                Some("application/vnd.docker.distribution.manifest.v2+json"),
                manifest
            )
            .unwrap(),
            Manifest::Image {
                config_digest: "sha256:cfg".to_owned()
            }
        );
        let config = br#"{"architecture":"arm64","os":"linux","variant":"v8","rootfs":{}}"#;
        assert_eq!(
            config_platform(config).unwrap().to_string(),
            "linux/arm64/v8"
        );
        assert!(Manifest::parse(None, b"<html>").is_err());
    }
}
