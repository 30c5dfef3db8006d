//! Releases and their assets: create, update, publish a draft, delete; upload, list and replace
//! assets; and the probe that finds a tag's release even when it is a draft (which
//! `GET /releases/tags/{tag}` does not return).

use std::path::Path;

use super::{Call, GitHub, GitHubError, Repo, decode_json, decode_nothing};
use crate::http::url::encode_component;
use crate::http::{ErrorKind, Method, TransportKind};

use super::model::{Asset, GeneratedNotes, NewRelease, NotesRequest, Release, ReleaseUpdate};

/// The content type GitHub should serve an asset with, from its file name.
pub fn content_type_for(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    let table: &[(&str, &str)] = &[
        (".tar.gz", "application/gzip"),
        (".tgz", "application/gzip"),
        (".gz", "application/gzip"),
        (".whl", "application/zip"),
        (".zip", "application/zip"),
        (".jar", "application/java-archive"),
        (".tar", "application/x-tar"),
        (".bz2", "application/x-bzip2"),
        (".xz", "application/x-xz"),
        (".zst", "application/zstd"),
        (".asc", "application/pgp-signature"),
        (".sig", "application/pgp-signature"),
        (".json", "application/json"),
        (".txt", "text/plain"),
        (".md", "text/markdown"),
        ("sha256sums", "text/plain"),
        (".deb", "application/vnd.debian.binary-package"),
        (".rpm", "application/x-rpm"),
        (".dmg", "application/x-apple-diskimage"),
        (".exe", "application/vnd.microsoft.portable-executable"),
        (".msi", "application/x-msi"),
    ];
    table
        .iter()
        .find(|(suffix, _)| lower.ends_with(suffix))
        .map_or("application/octet-stream", |(_, content_type)| content_type)
}

/// Whether a write failed in a way that leaves unknown whether GitHub carried it out (the answer
/// timed out or the connection broke after the request was sent); the HTTP layer does not re-send
/// such writes, so the caller probes and decides.
pub(super) fn outcome_unknown(error: &GitHubError) -> bool {
    error.http().is_some_and(|http| {
        matches!(
            http.kind(),
            ErrorKind::Transport {
                kind: TransportKind::Timeout | TransportKind::Io,
                ..
            }
        )
    })
}

/// Whether a 422 says the thing to create exists already.
pub(super) fn is_already_exists(error: &GitHubError) -> bool {
    error.status() == Some(422)
        && error
            .http()
            .and_then(|http| http.body())
            .is_some_and(|body| body.contains("already_exists") || body.contains("already exists"))
}

impl GitHub {
    /// The release of a tag, published or draft, or `None`: the probe of release steps.
    pub fn release_by_tag(&self, repo: &Repo, tag: &str) -> Result<Option<Release>, GitHubError> {
        let by_tag = self.repo_request(
            Method::Get,
            repo,
            &format!("releases/tags/{}", encode_component(tag)),
        );
        if let Some(release) = self.get_optional::<Release>(&by_tag)? {
            return Ok(Some(release));
        }
        // Drafts have no tag yet as far as that endpoint is concerned: look through the list.
        self.find_in_pages(
            self.repo_request(Method::Get, repo, "releases"),
            None,
            |release: &Release| release.tag_name == tag,
        )
    }

    /// A release by id.
    pub fn release(&self, repo: &Repo, id: u64) -> Result<Release, GitHubError> {
        self.get_json(&self.repo_request(Method::Get, repo, &format!("releases/{id}")))
    }

    /// Every release, drafts included (newest first).
    pub fn releases(&self, repo: &Repo) -> Result<Vec<Release>, GitHubError> {
        self.get_all(self.repo_request(Method::Get, repo, "releases"), None)
    }

    /// Creates a release (the tag is created from `target_commitish` if missing).
    pub fn create_release(&self, repo: &Repo, release: &NewRelease) -> Call<'_, Release> {
        let request = self
            .repo_request(Method::Post, repo, "releases")
            .json_of(release);
        self.call(request, decode_json)
    }

    /// GitHub's generated notes for a release (`POST /releases/generate-notes`, which honours
    /// `.github/release.yml`); nothing is created.
    pub fn generate_release_notes(
        &self,
        repo: &Repo,
        request: &NotesRequest,
    ) -> Call<'_, GeneratedNotes> {
        let request = self
            .repo_request(Method::Post, repo, "releases/generate-notes")
            .json_of(request);
        self.call(request, decode_json)
    }

    /// Changes the fields of `update` that are set.
    pub fn update_release(
        &self,
        repo: &Repo,
        id: u64,
        update: &ReleaseUpdate,
    ) -> Call<'_, Release> {
        let request = self
            .repo_request(Method::Patch, repo, &format!("releases/{id}"))
            .json_of(update);
        self.call(request, decode_json)
    }

    /// Publishes a draft.
    pub fn publish_release(&self, repo: &Repo, id: u64) -> Call<'_, Release> {
        self.update_release(
            repo,
            id,
            &ReleaseUpdate {
                draft: Some(false),
                ..ReleaseUpdate::default()
            },
        )
    }

    /// Deletes a release (the tag stays): the undo of a release step.
    pub fn delete_release(&self, repo: &Repo, id: u64) -> Call<'_, ()> {
        self.call(
            self.repo_request(Method::Delete, repo, &format!("releases/{id}")),
            decode_nothing,
        )
    }

    /// Creates the release of `wanted.tag_name`, or updates the one that exists (draft or not) to
    /// carry `wanted`'s name, notes and pre-release flag. A published release is never turned back
    /// into a draft. Returns the release and whether it was created.
    pub fn ensure_release(
        &self,
        repo: &Repo,
        wanted: &NewRelease,
    ) -> Result<(Release, bool), GitHubError> {
        self.ensure(repo, wanted, false)
    }

    /// Like [`ensure_release`](Self::ensure_release), except that a release that exists keeps
    /// its notes: `wanted.body` is only the notes of a release this call creates. For a draft
    /// whose notes people edited on GitHub before it is published.
    pub fn ensure_release_keeping_notes(
        &self,
        repo: &Repo,
        wanted: &NewRelease,
    ) -> Result<(Release, bool), GitHubError> {
        self.ensure(repo, wanted, true)
    }

    fn ensure(
        &self,
        repo: &Repo,
        wanted: &NewRelease,
        keep_notes: bool,
    ) -> Result<(Release, bool), GitHubError> {
        let align = |existing: Release| self.align_release(repo, existing, wanted, keep_notes);
        if let Some(existing) = self.release_by_tag(repo, &wanted.tag_name)? {
            return Ok((align(existing)?, false));
        }
        match self.create_release(repo, wanted).send() {
            Ok(release) => Ok((release, true)),
            // A retried POST whose first attempt went through, or a concurrent run.
            Err(error) if is_already_exists(&error) => {
                let existing = self.release_by_tag(repo, &wanted.tag_name)?.ok_or(error)?;
                Ok((align(existing)?, false))
            }
            // The answer was lost: look before creating again (drafts may share a tag).
            Err(error) if outcome_unknown(&error) => {
                match self.release_by_tag(repo, &wanted.tag_name)? {
                    Some(existing) => Ok((align(existing)?, true)),
                    None => Ok((self.create_release(repo, wanted).send()?, true)),
                }
            }
            Err(error) => Err(error),
        }
    }

    fn align_release(
        &self,
        repo: &Repo,
        existing: Release,
        wanted: &NewRelease,
        keep_notes: bool,
    ) -> Result<Release, GitHubError> {
        let update = ReleaseUpdate {
            tag_name: None,
            name: wanted
                .name
                .clone()
                .filter(|name| existing.name.as_ref() != Some(name)),
            body: wanted
                .body
                .clone()
                .filter(|body| !keep_notes && existing.body.as_ref() != Some(body)),
            draft: (existing.draft && !wanted.draft).then_some(false),
            prerelease: (existing.prerelease != wanted.prerelease).then_some(wanted.prerelease),
        };
        if update == ReleaseUpdate::default() {
            return Ok(existing);
        }
        self.update_release(repo, existing.id, &update).send()
    }

    /// The assets of a release.
    pub fn release_assets(&self, repo: &Repo, release_id: u64) -> Result<Vec<Asset>, GitHubError> {
        self.get_all(
            self.repo_request(Method::Get, repo, &format!("releases/{release_id}/assets")),
            None,
        )
    }

    /// Uploads a file as an asset named `name` to the release's `upload_url`.
    pub fn upload_asset(
        &self,
        release: &Release,
        path: &Path,
        name: &str,
        content_type: &str,
    ) -> Result<Call<'_, Asset>, GitHubError> {
        let template = release.upload_url.as_str();
        let base = template.split('{').next().unwrap_or(template);
        if base.is_empty() {
            return Err(GitHubError::Invalid(format!(
                "release `{}` has no upload URL",
                release.tag_name
            )));
        }
        let request = self
            .request_url(Method::Post, base.to_owned())
            .query("name", name)
            .file(content_type, path);
        Ok(self.call(request, decode_json))
    }

    /// Deletes an asset.
    pub fn delete_asset(&self, repo: &Repo, asset_id: u64) -> Call<'_, ()> {
        self.call(
            self.repo_request(Method::Delete, repo, &format!("releases/assets/{asset_id}")),
            decode_nothing,
        )
    }

    /// Uploads `path` as `name` (default: its file name), first deleting an asset of that name
    /// (left by an interrupted run, or an older build): the asset step's execute and resume.
    pub fn replace_asset(
        &self,
        repo: &Repo,
        release: &Release,
        path: &Path,
        name: Option<&str>,
    ) -> Result<Asset, GitHubError> {
        let name = match name {
            Some(name) => name.to_owned(),
            None => path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .ok_or_else(|| {
                    GitHubError::Invalid(format!("`{}` has no file name", path.display()))
                })?,
        };
        let content_type = content_type_for(&name);
        for asset in self.release_assets(repo, release.id)? {
            if asset.name == name {
                self.delete_asset(repo, asset.id).send()?;
            }
        }
        match self
            .upload_asset(release, path, &name, content_type)?
            .send()
        {
            Ok(asset) => Ok(asset),
            // An attempt that failed after GitHub created the asset leaves it behind: replace it.
            Err(error) if is_already_exists(&error) || outcome_unknown(&error) => {
                for asset in self.release_assets(repo, release.id)? {
                    if asset.name == name {
                        self.delete_asset(repo, asset.id).send()?;
                    }
                }
                self.upload_asset(release, path, &name, content_type)?
                    .send()
            }
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_by_name() {
        assert_eq!(content_type_for("pkg-1.0.tar.gz"), "application/gzip");
        assert_eq!(
            content_type_for("pkg-1.0-py3-none-any.whl"),
            "application/zip"
        );
        assert_eq!(content_type_for("SHA256SUMS"), "text/plain");
        assert_eq!(
            content_type_for("SHA256SUMS.asc"),
            "application/pgp-signature"
        );
        assert_eq!(content_type_for("relman"), "application/octet-stream");
    }
}
