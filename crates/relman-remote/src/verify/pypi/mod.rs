//! `verify = "pypi"`: every expected file of a version is on a package index.
//!
//! The index is a pip-style URL (`https://pypi.org/simple/`, TestPyPI, devpi, pypiserver, a
//! private index with `https://user:pass@host/simple/`). The project page
//! `<index>/<normalised name>/` is read as PEP 691 JSON or PEP 503 HTML. The files of the version
//! are those whose names (wheel or sdist, parsed) state the project and a version PEP 440-equal
//! to the one released, so `1.3.0-alpha.1` finds `pkg-1.3.0a1.tar.gz`. Each glob of `files` must
//! match at least one of them, case-insensitively, by file name; a glob that spells the version
//! un-normalised also tries the normalised spelling. With no globs, one file is enough.
//! A file that is there but yanked fails the check: waiting will not make it installable.

mod filename;
mod page;

pub use filename::{
    DistributionKind, DistributionName, normalize_project_name, normalize_version, same_version,
};
pub use page::{ACCEPT, IndexFile, PageError, ProjectPage};

use globset::{Glob, GlobMatcher};

use super::{VerifyError, check_http_error, join_url, split_userinfo};
use crate::http::{Credential, HttpClient, RequestDescription};
use crate::wait::Poll;

/// pip's default index.
pub const DEFAULT_INDEX: &str = "https://pypi.org/simple/";

/// A resolved `verify = "pypi"` step.
#[derive(Debug, Clone)]
pub struct PypiVerify {
    index: String,
    credential: Option<Credential>,
    package: String,
    version: String,
    globs: Vec<(String, Vec<GlobMatcher>)>,
}

/// What a successful check found: the matching files of the version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PypiFound {
    pub files: Vec<String>,
}

impl PypiVerify {
    /// Validates the options; `index` may carry `user:password@` (kept out of every rendering).
    pub fn new(
        index: &str,
        package: &str,
        version: &str,
        files: &[String],
    ) -> Result<Self, VerifyError> {
        let (index, credential) = split_userinfo(index)?;
        if normalize_project_name(package).is_empty() {
            return Err(VerifyError::Invalid {
                option: "package",
                value: package.to_owned(),
                reason: "empty project name".to_owned(),
            });
        }
        let normalized = normalize_version(version);
        let globs = files
            .iter()
            .map(|pattern| {
                let mut spellings = vec![pattern.clone()];
                if normalized != version && pattern.contains(version) {
                    spellings.push(pattern.replace(version, &normalized));
                }
                let matchers = spellings
                    .iter()
                    .map(|spelling| {
                        Glob::new(&spelling.to_ascii_lowercase())
                            .map(|glob| glob.compile_matcher())
                            .map_err(|error| VerifyError::Invalid {
                                option: "files",
                                value: pattern.clone(),
                                reason: error.kind().to_string(),
                            })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((pattern.clone(), matchers))
            })
            .collect::<Result<Vec<_>, VerifyError>>()?;
        Ok(Self {
            index,
            credential,
            package: package.to_owned(),
            version: version.to_owned(),
            globs,
        })
    }

    /// `<index>/<normalised name>/`, the page pip reads.
    pub fn project_url(&self) -> String {
        join_url(
            &self.index,
            &format!("{}/", normalize_project_name(&self.package)),
        )
    }

    /// The request a check sends.
    pub fn request(&self) -> RequestDescription {
        RequestDescription::get(self.project_url()).header("Accept", ACCEPT)
    }

    /// The plan line.
    pub fn describe(&self) -> String {
        let what = if self.globs.is_empty() {
            "any file".to_owned()
        } else {
            self.globs
                .iter()
                .map(|(pattern, _)| format!("`{pattern}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "verify {} {} on {}: {what}",
            self.package,
            self.version,
            self.project_url()
        )
    }

    /// Reads the project page once.
    pub fn check(&self, client: &HttpClient) -> Result<Poll<PypiFound>, VerifyError> {
        let client = match &self.credential {
            Some(credential) => client.clone().with_credential(credential.clone()),
            None => client.clone(),
        };
        let response = match client.execute(&self.request()) {
            Ok(response) => response,
            Err(error) => {
                return check_http_error(error, || {
                    format!("{} is not on {} yet", self.package, self.index)
                });
            }
        };
        match ProjectPage::parse(response.header("content-type"), &response.text()) {
            Ok(page) => self.evaluate(&page),
            Err(error) => Err(VerifyError::UnexpectedResponse {
                url: response.url().to_owned(),
                reason: error.0,
            }),
        }
    }

    /// Judges a project page (pure, for tests and for a page fetched elsewhere).
    pub fn evaluate(&self, page: &ProjectPage) -> Result<Poll<PypiFound>, VerifyError> {
        let release: Vec<&IndexFile> = page
            .files
            .iter()
            .filter(|file| {
                DistributionName::parse(&file.filename, &self.package)
                    .is_some_and(|name| name.is_release(&self.package, &self.version))
            })
            .collect();
        let live: Vec<&IndexFile> = release
            .iter()
            .copied()
            .filter(|file| file.yanked.is_none())
            .collect();
        if self.globs.is_empty() {
            return match (live.first(), release.first()) {
                (Some(_), _) => Ok(Poll::Ready(PypiFound {
                    files: live.iter().map(|file| file.filename.clone()).collect(),
                })),
                (None, Some(_)) => Err(self.yanked(&release)),
                (None, None) => Ok(Poll::Pending(format!(
                    "no file of {} {} on {} yet",
                    self.package, self.version, self.index
                ))),
            };
        }
        let matches = |matchers: &[GlobMatcher], file: &IndexFile| {
            let name = file.filename.to_ascii_lowercase();
            matchers.iter().any(|matcher| matcher.is_match(&name))
        };
        let mut found = Vec::new();
        let mut missing = Vec::new();
        let mut yanked = Vec::new();
        for (pattern, matchers) in &self.globs {
            let live_matches: Vec<&IndexFile> = live
                .iter()
                .copied()
                .filter(|file| matches(matchers, file))
                .collect();
            if live_matches.is_empty() {
                let yanked_matches: Vec<&IndexFile> = release
                    .iter()
                    .copied()
                    .filter(|file| file.yanked.is_some() && matches(matchers, file))
                    .collect();
                if yanked_matches.is_empty() {
                    missing.push(format!("`{pattern}`"));
                } else {
                    yanked.extend(yanked_matches);
                }
            }
            for file in live_matches {
                if !found.contains(&file.filename) {
                    found.push(file.filename.clone());
                }
            }
        }
        if !yanked.is_empty() {
            return Err(self.yanked(&yanked));
        }
        if missing.is_empty() {
            return Ok(Poll::Ready(PypiFound { files: found }));
        }
        let present = if release.is_empty() {
            format!("no file of {} yet", self.version)
        } else {
            let names: Vec<&str> = live
                .iter()
                .map(|file| file.filename.as_str())
                .take(10)
                .collect();
            format!("files of {}: {}", self.version, names.join(", "))
        };
        Ok(Poll::Pending(format!(
            "missing on {}: {} ({present})",
            self.project_url(),
            missing.join(", ")
        )))
    }

    fn yanked(&self, files: &[&IndexFile]) -> VerifyError {
        let files: Vec<String> = files
            .iter()
            .map(|file| match file.yanked.as_deref() {
                Some(reason) if !reason.is_empty() => format!("{} ({reason})", file.filename),
                _ => file.filename.clone(),
            })
            .collect();
        VerifyError::Yanked {
            what: format!("{} {}", self.package, self.version),
            index: self.index.clone(),
            files: files.join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(filename: &str, yanked: Option<&str>) -> IndexFile {
        IndexFile {
            filename: filename.to_owned(),
            url: format!("https://files.test/{filename}"),
            yanked: yanked.map(str::to_owned),
        }
    }

    fn page(files: &[(&str, Option<&str>)]) -> ProjectPage {
        ProjectPage {
            files: files
                .iter()
                .map(|(name, yanked)| file(name, *yanked))
                .collect(),
        }
    }

    fn verify(version: &str, globs: &[&str]) -> PypiVerify {
        let globs: Vec<String> = globs.iter().map(|glob| (*glob).to_owned()).collect();
        PypiVerify::new("https://pypi.test/simple", "ciso8601", version, &globs).unwrap()
    }

    #[test]
    fn every_glob_must_match_a_file_of_the_version() {
        let page = page(&[
            ("ciso8601-2.1.3.tar.gz", None),
            ("ciso8601-2.1.3-cp311-cp311-manylinux_2_17_x86_64.whl", None),
            ("ciso8601-2.1.2-cp311-cp311-macosx_11_0_arm64.whl", None),
        ]);
        let check = verify("2.1.3", &["ciso8601-2.1.3.tar.gz", "*-manylinux*.whl"]).evaluate(&page);
        let Ok(Poll::Ready(found)) = check else {
            panic!("{check:?}")
        };
        assert_eq!(found.files.len(), 2);
        // The macOS wheel exists only for the previous version.
        let check = verify("2.1.3", &["*.tar.gz", "*macosx*.whl"]).evaluate(&page);
        let Ok(Poll::Pending(reason)) = check else {
            panic!("{check:?}")
        };
        assert!(
            reason.starts_with("missing on https://pypi.test/simple/ciso8601/: `*macosx*.whl`"),
            "{reason}"
        );
        assert!(reason.contains("ciso8601-2.1.3.tar.gz"), "{reason}");
    }

    #[test]
    fn no_globs_means_any_file_of_the_version() {
        let page = page(&[("ciso8601-2.1.2.tar.gz", None)]);
        assert!(matches!(
            verify("2.1.3", &[]).evaluate(&page),
            Ok(Poll::Pending(_))
        ));
        assert!(matches!(
            verify("2.1.2", &[]).evaluate(&page),
            Ok(Poll::Ready(_))
        ));
    }

    #[test]
    fn pre_release_globs_match_the_normalised_spelling() {
        let page = page(&[("ciso8601-1.3.0a1.tar.gz", None)]);
        let check = verify("1.3.0-alpha.1", &["ciso8601-1.3.0-alpha.1.tar.gz"]).evaluate(&page);
        assert!(matches!(check, Ok(Poll::Ready(_))), "{check:?}");
        assert!(matches!(
            verify("1.3.0a1", &[]).evaluate(&page),
            Ok(Poll::Ready(_))
        ));
        assert!(matches!(
            verify("1.3.0", &[]).evaluate(&page),
            Ok(Poll::Pending(_))
        ));
    }

    #[test]
    fn yanked_files_fail() {
        let page = page(&[("ciso8601-2.1.3.tar.gz", Some("broken"))]);
        let check = verify("2.1.3", &["*.tar.gz"]).evaluate(&page);
        let Err(error) = check else {
            panic!("{check:?}")
        };
        assert!(
            error.to_string().contains("ciso8601-2.1.3.tar.gz (broken)"),
            "{error}"
        );
        assert!(error.hint().is_some());
    }

    #[test]
    fn plan_and_request() {
        let verify = PypiVerify::new(
            "https://bot:hunter22@pypi.corp.test/simple/",
            "Relman.Demo",
            "1.0",
            &["*.whl".to_owned()],
        )
        .unwrap();
        assert_eq!(
            verify.project_url(),
            "https://pypi.corp.test/simple/relman-demo/"
        );
        assert_eq!(
            verify.describe(),
            "verify Relman.Demo 1.0 on https://pypi.corp.test/simple/relman-demo/: `*.whl`"
        );
        assert!(!format!("{verify:?}").contains("hunter22"));
        let request = verify.request();
        assert_eq!(request.headers[0].1, ACCEPT);
        assert!(PypiVerify::new(DEFAULT_INDEX, "x", "1", &["[".to_owned()]).is_err());
    }
}
