//! Detected version files checked against history: a file whose version is behind the last
//! release (a `setup.cfg` left years behind while the tags moved on, a tooling `pyproject.toml`
//! at `0.1.0` beside the `Cargo.toml` that is released) is no version file, and the project
//! keeps why it left it out for `check` and `init` to say.
//!
//! Reading the files costs no git process; the last release is looked up only when the files
//! disagree or one is behind the highest release tag in the repository (which may be on another
//! branch, so only then is reachability worth a walk).

use relman_version::files::VersionFiles;
use relman_version::version::Version;

use super::{Project, ProjectError};

/// A detected file that is not a version file, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Relative to the work tree.
    pub path: String,
    /// The version it holds.
    pub value: String,
    pub reason: String,
}

impl Project {
    /// Drops the detected version files that are behind the last release (see the module
    /// documentation); called by [`Project::resolve`] when `version-files` is not configured.
    pub(super) fn settle_detected_files(&mut self) -> Result<(), ProjectError> {
        if self.version_files.is_empty() {
            return Ok(());
        }
        // Each file on its own: one that cannot be read stays, so its error is shown later.
        let mut read: Vec<Option<(Version, String)>> = Vec::with_capacity(self.version_files.len());
        for spec in &self.version_files {
            let value = VersionFiles::read(&self.root, std::slice::from_ref(spec))
                .ok()
                .and_then(|files| files.found().first().map(|found| found.value.clone()));
            read.push(value.and_then(|value| {
                self.scheme
                    .parse(&value)
                    .ok()
                    .map(|version| (version, value))
            }));
        }
        let versions: Vec<&Version> = read.iter().flatten().map(|(version, _)| version).collect();
        let agree = versions.windows(2).all(|pair| pair[0] == pair[1]);
        let (releases, _) = self.release_tags()?;
        let highest = releases.iter().map(|release| &release.version).max();
        let behind_highest =
            highest.is_some_and(|highest| versions.iter().any(|v| behind(v, highest)));
        if agree && !behind_highest {
            return Ok(());
        }
        if releases.is_empty() {
            return Ok(());
        }
        // Without a readable history (a shallow clone, no commit yet) the files stay as found:
        // the commands that read history say what is wrong.
        let Ok(Some(last)) = self
            .repo
            .previous_release("HEAD", |tag| self.classify(tag), |_| {})
        else {
            return Ok(());
        };
        let mut kept = Vec::new();
        for (spec, value) in std::mem::take(&mut self.version_files)
            .into_iter()
            .zip(read)
        {
            match value {
                Some((version, value)) if behind(&version, &last.version) => {
                    self.left_out.push(LeftOut {
                        path: spec.path().display().to_string(),
                        reason: format!(
                            "it holds {value}, behind the last release {} (tag `{}`)",
                            last.version, last.tag
                        ),
                        value,
                    });
                }
                _ => kept.push(spec),
            }
        }
        self.version_files = kept;
        Ok(())
    }
}

/// Whether a file's version is behind a release. Maven's and Gradle's `2.0.0-SNAPSHOT` is the
/// development of 2.0.0, which its pre-releases (`2.0.0-alpha.1`, moshi's last tag) come out of,
/// though semver sorts `SNAPSHOT` before `alpha`: it is behind none of them.
pub(super) fn behind(version: &Version, release: &Version) -> bool {
    let snapshot_of_release = version.to_string().ends_with("-SNAPSHOT")
        && release.is_prerelease()
        && (version.major(), version.minor(), version.patch())
            == (release.major(), release.minor(), release.patch());
    version < release && !snapshot_of_release
}
