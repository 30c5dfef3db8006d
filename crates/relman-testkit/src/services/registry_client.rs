//! The HTTP side of a test registry: pushes tiny images (a config blob and one layer per
//! platform, optionally an index over them) through the OCI distribution API, copies a tag, and
//! reads back tags and digests. Cheap to clone and `Send`, so a fake CI job on another thread can
//! publish while relman waits.

use std::io::Read;
use std::time::Duration;

use base64::Engine;
use sha2::{Digest, Sha256};

use super::ServiceError;

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
const OCI_LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// What a push stored: the manifest's (or index's) digest, media type and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedImage {
    pub digest: String,
    pub media_type: String,
    pub size: usize,
}

/// A client of one registry (`127.0.0.1:PORT`), with its basic login if it has one.
#[derive(Debug, Clone)]
pub struct RegistryClient {
    address: String,
    credentials: Option<(String, String)>,
}

impl RegistryClient {
    pub(super) fn new(address: String, credentials: Option<(String, String)>) -> Self {
        Self {
            address,
            credentials,
        }
    }

    /// `127.0.0.1:PORT`, the registry part of an image reference.
    pub fn host(&self) -> &str {
        &self.address
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Pushes a single-platform image (`os/arch[/variant]`) as an OCI manifest under `tag`.
    pub fn push_image(
        &self,
        repository: &str,
        tag: &str,
        platform: &str,
    ) -> Result<PushedImage, ServiceError> {
        let manifest = self.push_platform_manifest(repository, tag, platform)?;
        self.put_manifest(repository, tag, OCI_MANIFEST, &manifest)
    }

    /// Pushes one image per platform and an OCI index over them under `tag`.
    pub fn push_index(
        &self,
        repository: &str,
        tag: &str,
        platforms: &[&str],
    ) -> Result<PushedImage, ServiceError> {
        let mut entries = Vec::new();
        for platform in platforms {
            let manifest = self.push_platform_manifest(repository, tag, platform)?;
            let pushed =
                self.put_manifest(repository, &digest(&manifest), OCI_MANIFEST, &manifest)?;
            entries.push(serde_json::json!({
                "mediaType": OCI_MANIFEST,
                "digest": pushed.digest,
                "size": pushed.size,
                "platform": platform_json(platform),
            }));
        }
        let index = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": entries,
        }))
        .map_err(|error| self.failed(format!("index json: {error}")))?;
        self.put_manifest(repository, tag, OCI_INDEX, &index)
    }

    /// Uploads a config blob and a layer for `platform`, and returns the manifest bytes over them.
    /// The layer names the tag, so two tags pushed this way are two images (two digests).
    fn push_platform_manifest(
        &self,
        repository: &str,
        tag: &str,
        platform: &str,
    ) -> Result<Vec<u8>, ServiceError> {
        let layer = format!("relman test layer for {repository}:{tag} {platform}").into_bytes();
        let mut config = platform_json(platform);
        config["rootfs"] = serde_json::json!({"type": "layers", "diff_ids": [digest(&layer)]});
        let config = serde_json::to_vec(&config)
            .map_err(|error| self.failed(format!("config json: {error}")))?;
        self.push_blob(repository, &config)?;
        self.push_blob(repository, &layer)?;
        serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": digest(&config), "size": config.len()},
            "layers": [{"mediaType": OCI_LAYER, "digest": digest(&layer), "size": layer.len()}],
        }))
        .map_err(|error| self.failed(format!("manifest json: {error}")))
    }

    fn push_blob(&self, repository: &str, blob: &[u8]) -> Result<(), ServiceError> {
        let agent = agent();
        let url = format!("{}/v2/{repository}/blobs/uploads/", self.url());
        let response = self
            .authorize(agent.post(&url))
            .send_empty()
            .map_err(|error| self.failed(format!("POST {url}: {error}")))?;
        let location = expect(response, 202, &url)?
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
            .ok_or_else(|| self.failed(format!("POST {url}: no Location")))?;
        let location = if location.starts_with('/') {
            format!("{}{location}", self.url())
        } else {
            location
        };
        let separator = if location.contains('?') { '&' } else { '?' };
        let put_url = format!("{location}{separator}digest={}", digest(blob));
        let response = self
            .authorize(agent.put(&put_url))
            .header("Content-Type", "application/octet-stream")
            .send(blob)
            .map_err(|error| self.failed(format!("PUT blob: {error}")))?;
        expect(response, 201, &put_url).map(drop)
    }

    fn put_manifest(
        &self,
        repository: &str,
        reference: &str,
        media_type: &str,
        body: &[u8],
    ) -> Result<PushedImage, ServiceError> {
        let url = format!("{}/v2/{repository}/manifests/{reference}", self.url());
        let response = self
            .authorize(agent().put(&url))
            .header("Content-Type", media_type)
            .send(body)
            .map_err(|error| self.failed(format!("PUT {url}: {error}")))?;
        expect(response, 201, &url)?;
        Ok(PushedImage {
            digest: digest(body),
            media_type: media_type.to_owned(),
            size: body.len(),
        })
    }

    /// The tags of `repository`, sorted (none when the registry does not know it): what a
    /// release's pushes left, asked through the registry API as any client would.
    pub fn tags(&self, repository: &str) -> Result<Vec<String>, ServiceError> {
        let url = format!("{}/v2/{repository}/tags/list", self.url());
        let response = self
            .authorize(agent().get(&url))
            .call()
            .map_err(|error| self.failed(format!("GET {url}: {error}")))?;
        if response.status().as_u16() == 404 {
            return Ok(Vec::new());
        }
        let mut response = expect(response, 200, &url)?;
        let mut body = String::new();
        response
            .body_mut()
            .as_reader()
            .read_to_string(&mut body)
            .map_err(|error| self.failed(format!("GET {url}: {error}")))?;
        let listed: serde_json::Value = serde_json::from_str(&body)
            .map_err(|error| self.failed(format!("GET {url}: {error}: {body}")))?;
        let mut tags: Vec<String> = listed["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|tag| tag.as_str().map(str::to_owned))
            .collect();
        tags.sort();
        Ok(tags)
    }

    /// The digest of the manifest (or index) `repository:tag` names, `None` when there is none.
    pub fn manifest_digest(
        &self,
        repository: &str,
        tag: &str,
    ) -> Result<Option<String>, ServiceError> {
        let url = format!("{}/v2/{repository}/manifests/{tag}", self.url());
        let response = self
            .authorize(agent().head(&url))
            .header("Accept", format!("{OCI_MANIFEST}, {OCI_INDEX}"))
            .call()
            .map_err(|error| self.failed(format!("HEAD {url}: {error}")))?;
        if response.status().as_u16() == 404 {
            return Ok(None);
        }
        let response = expect(response, 200, &url)?;
        Ok(response
            .headers()
            .get("docker-content-digest")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned))
    }

    /// Points `to` at the image `from` names, as `docker tag` then `docker push` (or a promotion
    /// job) does: the manifest is read and put again under the new tag.
    pub fn retag(
        &self,
        repository: &str,
        from: &str,
        to: &str,
    ) -> Result<PushedImage, ServiceError> {
        let url = format!("{}/v2/{repository}/manifests/{from}", self.url());
        let response = self
            .authorize(agent().get(&url))
            .header("Accept", format!("{OCI_MANIFEST}, {OCI_INDEX}"))
            .call()
            .map_err(|error| self.failed(format!("GET {url}: {error}")))?;
        let mut response = expect(response, 200, &url)?;
        let media_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or(OCI_MANIFEST)
            .to_owned();
        let mut manifest = Vec::new();
        response
            .body_mut()
            .as_reader()
            .read_to_end(&mut manifest)
            .map_err(|error| self.failed(format!("GET {url}: {error}")))?;
        self.put_manifest(repository, to, &media_type, &manifest)
    }

    fn authorize<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        match &self.credentials {
            Some((user, password)) => {
                let token =
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                request.header("Authorization", format!("Basic {token}"))
            }
            None => request,
        }
    }

    fn failed(&self, detail: String) -> ServiceError {
        ServiceError::Failed {
            service: "registry push",
            detail,
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn expect(
    mut response: ureq::http::Response<ureq::Body>,
    status: u16,
    url: &str,
) -> Result<ureq::http::Response<ureq::Body>, ServiceError> {
    if response.status().as_u16() == status {
        return Ok(response);
    }
    let mut body = String::new();
    let _ = response.body_mut().as_reader().read_to_string(&mut body);
    Err(ServiceError::Failed {
        service: "registry push",
        detail: format!("{url} answered {}: {body}", response.status()),
    })
}

/// `sha256:<hex>` of `bytes`, the OCI content digest.
fn digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("sha256:{hex}")
}

fn platform_json(platform: &str) -> serde_json::Value {
    let mut parts = platform.split('/');
    let os = parts.next().unwrap_or("linux");
    let architecture = parts.next().unwrap_or("amd64");
    let mut value = serde_json::json!({"os": os, "architecture": architecture});
    if let Some(variant) = parts.next() {
        value["variant"] = serde_json::Value::from(variant);
    }
    value
}
