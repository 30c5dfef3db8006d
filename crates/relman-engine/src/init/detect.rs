//! What `relman init` finds in a repository: the ecosystem, the version files and the version in
//! them, the scheme, the tag format the existing tags use, the changelog (towncrier config, an
//! existing file's format, how conventional recent history is) and the forge of the remote.
//!
//! Most of it is what [`Project::resolve`] detects anyway; this module keeps the evidence
//! (how many tags, which share of commits) so the written file can say why it chose what it did.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use relman_git::{LogOptions, Repository, Revisions};
use relman_version::changelog::changes;
use relman_version::changelog::document::{Document, Format};
use relman_version::changelog::links::ForgeKind;
use relman_version::conventional::{self, Kind};
use relman_version::files::{VersionFileSpec, VersionFiles};
use relman_version::scheme::Scheme;

use crate::config::Config;
use crate::project::{ChangelogSource, Project, ProjectError};

/// How many recent commits are read to tell whether the project writes conventional commits.
pub const SAMPLE: u64 = 100;

/// From this share of conventional commits on, the changelog is built from commits.
pub const CONVENTIONAL_THRESHOLD: f64 = 0.5;

/// A kind of project, from the files at its root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ecosystem {
    Python {
        poetry: bool,
    },
    Rust,
    Node,
    Helm,
    Go,
    Maven,
    Gradle,
    /// Nothing but a `VERSION` (or `version.txt`) file.
    Plain,
}

impl Ecosystem {
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Python { poetry: true } => "Python (Poetry)",
            Ecosystem::Python { poetry: false } => "Python",
            Ecosystem::Rust => "Rust",
            Ecosystem::Node => "Node",
            Ecosystem::Helm => "Helm chart",
            Ecosystem::Go => "Go",
            Ecosystem::Maven => "Java (Maven)",
            Ecosystem::Gradle => "Java (Gradle)",
            Ecosystem::Plain => "a plain VERSION file",
        }
    }
}

/// Where the release notes will come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangelogStyle {
    /// A towncrier config exists: news fragments.
    Fragments,
    /// Notes from commits: grouped by type when they are conventional, else the list of changes.
    Commits,
    /// The file is written by hand: a release promotes its unreleased notes.
    File,
}

/// The changelog as found.
#[derive(Debug, Clone)]
pub struct ChangelogFound {
    pub style: ChangelogStyle,
    /// The changelog file, relative to the root (existing, or where it will be created).
    pub file: String,
    pub exists: bool,
    /// The existing file's format and its release sections.
    pub format: Option<Format>,
    pub versions: Vec<String>,
    /// The towncrier config file and its fragment folder, relative to the root.
    pub towncrier: Option<(String, String)>,
}

/// Recent history, for the changelog decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommitSample {
    /// Commits read (merges and git's own reverts aside).
    pub total: usize,
    pub conventional: usize,
}

impl CommitSample {
    /// Rounded percentage of conventional commits.
    pub fn percent(&self) -> usize {
        (self.conventional * 100 + self.total / 2)
            .checked_div(self.total)
            .unwrap_or(0)
    }

    pub fn mostly_conventional(&self) -> bool {
        self.total > 0 && self.conventional as f64 / self.total as f64 >= CONVENTIONAL_THRESHOLD
    }
}

/// The forge, from the remote URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForgeFound {
    /// GitHub (github.com or an Enterprise host named `github.*`).
    GitHub { repo: String, web_url: String },
    /// A forge relman links to but does not drive yet.
    Other { kind: &'static str, web_url: String },
    /// The remote is not on a forge relman knows (or there is no remote).
    None,
}

/// Everything `relman init` detected.
#[derive(Debug, Clone)]
pub struct Detection {
    pub root: PathBuf,
    pub name: String,
    pub ecosystems: Vec<Ecosystem>,
    /// The version files, the source of truth first; empty when tags hold the version.
    pub version_files: Vec<VersionFileSpec>,
    /// Files found that are no version files (behind the last release), and why.
    pub left_out: Vec<crate::project::LeftOut>,
    /// The tool that computes the version from tags (setuptools-scm …), when declared.
    pub version_from_tags: Option<String>,
    /// The module the build configuration takes the version from when it builds it in code.
    pub version_in_code: Option<String>,
    /// The version the files hold, or why it could not be read.
    pub current_version: Result<Option<String>, String>,
    pub scheme: Scheme,
    /// The calendar the release tags follow, when their dates show one.
    pub calendar: Option<relman_version::calendar::Calendar>,
    pub tag_format: String,
    /// Tags that parse with the tag format, and the newest of them by version.
    pub release_tags: usize,
    pub newest_tag: Option<String>,
    /// Tags in the tag format that are no releases (`v1`, `vnext`, `globset-0.4.20` under a bare
    /// format): `ignore-tags` names them with globs.
    pub not_release_tags: Vec<String>,
    /// The release tags' names, so no `ignore-tags` glob names one.
    pub release_tag_names: Vec<String>,
    pub changelog: ChangelogFound,
    pub commits: CommitSample,
    pub remote: String,
    pub remote_url: Option<String>,
    pub forge: ForgeFound,
    /// The release branch, and how it was found.
    pub branch: String,
    pub branch_source: &'static str,
    /// The packages of a repository that holds several (the root package aside): name, folder
    /// and tag format.
    pub packages: Vec<(String, String, String)>,
}

impl Detection {
    /// Detects the project of `repo`.
    pub fn detect(repo: Repository) -> Result<Detection, ProjectError> {
        let project = Project::resolve(repo, &Config::detected())?;
        let root = project.root.clone();
        let files = relman_version::files::detect(&root);
        let ecosystems = ecosystems(&root);
        let current_version = current_version(&root, &project.version_files);
        let tag_format = project.tag_format.clone();
        // One pass over the tag names: releases, and the tags in the format that are none.
        let (releases, not_release_tags) = project.release_tags()?;
        let mut release_tags: Vec<(relman_version::version::Version, String)> = releases
            .into_iter()
            .map(|release| (release.version, release.tag))
            .collect();
        release_tags.sort_by(|a, b| a.0.cmp(&b.0));
        let commits = sample_commits(&project.repo, &project.changelog.types)?;
        let changelog = changelog(&project);
        let remote_url = project.repo.remote_url(&project.remote)?;
        let forge = match &project.links {
            Some(links) if links.kind() == ForgeKind::GitHub => ForgeFound::GitHub {
                repo: links.repo().to_owned(),
                web_url: links.web_url().to_owned(),
            },
            Some(links) => ForgeFound::Other {
                kind: links.kind().name(),
                web_url: links.web_url().to_owned(),
            },
            None => ForgeFound::None,
        };
        let (branch, branch_source) = branch(&project);
        Ok(Detection {
            name: project.name.clone(),
            ecosystems,
            version_files: project.version_files.clone(),
            left_out: project.left_out.clone(),
            version_from_tags: files.version_from_tags,
            version_in_code: files.version_in_code,
            current_version,
            scheme: project.scheme,
            calendar: project.calendar().copied(),
            tag_format: tag_format.to_string(),
            release_tags: release_tags.len(),
            newest_tag: release_tags.last().map(|(_, tag)| tag.clone()),
            not_release_tags,
            release_tag_names: release_tags.iter().map(|(_, tag)| tag.clone()).collect(),
            changelog,
            commits,
            remote: project.remote.clone(),
            remote_url,
            forge,
            branch,
            branch_source,
            root,
            packages: project
                .packages
                .iter()
                .filter(|package| !package.root)
                .map(|package| {
                    (
                        package.name.clone(),
                        package.path.display().to_string(),
                        package.settings.tag_format.to_string(),
                    )
                })
                .collect(),
        })
    }

    /// Whether the project is a Python one (pep440, PyPI).
    pub fn is_python(&self) -> bool {
        self.ecosystems
            .iter()
            .any(|ecosystem| matches!(ecosystem, Ecosystem::Python { .. }))
    }

    /// The GitHub `owner/name`, when the remote is on GitHub.
    pub fn github_repo(&self) -> Option<&str> {
        match &self.forge {
            ForgeFound::GitHub { repo, .. } => Some(repo),
            _ => None,
        }
    }

    /// What was found, as `label: value` lines for the terminal.
    pub fn summary(&self) -> Vec<(&'static str, String)> {
        let mut lines = Vec::new();
        let ecosystem = if self.ecosystems.is_empty() {
            "unknown (no package manifest at the root)".to_owned()
        } else {
            self.ecosystems
                .iter()
                .map(|ecosystem| ecosystem.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        lines.push(("project", format!("{} — {ecosystem}", self.name)));
        let files = if self.version_files.is_empty() {
            match (&self.version_from_tags, &self.version_in_code) {
                (Some(tool), _) => format!("none: {tool} computes the version from git tags"),
                (None, Some(module)) => format!(
                    "none: the version comes from git tags, but the build takes it from `{module}`, which builds it in code and which relman does not write"
                ),
                (None, None) => "none: the version comes from git tags".to_owned(),
            }
        } else {
            let paths: Vec<String> = self
                .version_files
                .iter()
                .map(|spec| spec.path().display().to_string())
                .collect();
            match &self.current_version {
                Ok(Some(version)) => format!("{} (at {version})", paths.join(", ")),
                Ok(None) => paths.join(", "),
                Err(problem) => format!("{} ({problem})", paths.join(", ")),
            }
        };
        lines.push(("version files", files));
        lines.push((
            "scheme",
            match &self.calendar {
                Some(calendar) => format!(
                    "{}, releases named by the calendar ({calendar})",
                    self.scheme
                ),
                None => self.scheme.to_string(),
            },
        ));
        lines.push(("tags", self.tag_evidence()));
        lines.push(("changelog", self.changelog_evidence()));
        lines.push(("commits", self.commit_evidence()));
        lines.push((
            "forge",
            match &self.forge {
                ForgeFound::GitHub { repo, .. } => format!("GitHub, {repo}"),
                ForgeFound::Other { kind, web_url } => {
                    format!("{kind} ({web_url}): links only, forge steps speak GitHub")
                }
                ForgeFound::None => match &self.remote_url {
                    Some(url) => format!("none known for `{url}`"),
                    None => format!("none: no remote `{}`", self.remote),
                },
            },
        ));
        lines.push((
            "branch",
            format!("{} ({})", self.branch, self.branch_source),
        ));
        lines
    }

    pub(crate) fn tag_evidence(&self) -> String {
        match (&self.newest_tag, self.release_tags) {
            (Some(newest), count) => format!(
                "`{}`, from {count} release tag{} (newest {newest})",
                self.tag_format,
                if count == 1 { "" } else { "s" }
            ),
            (None, _) => format!("`{}`: no release tags yet, the usual form", self.tag_format),
        }
    }

    pub(crate) fn commit_evidence(&self) -> String {
        let sample = &self.commits;
        if sample.total == 0 {
            return "no commits yet".to_owned();
        }
        format!(
            "{}% of the last {} commits are conventional",
            sample.percent(),
            sample.total
        )
    }

    pub(crate) fn changelog_evidence(&self) -> String {
        let changelog = &self.changelog;
        let file = if changelog.exists {
            let format = match changelog.format {
                Some(Format::Rst) => "reStructuredText",
                _ => "Markdown",
            };
            match changelog.versions.first() {
                Some(newest) => format!(
                    "{} ({format}, {} release section{}, newest {newest})",
                    changelog.file,
                    changelog.versions.len(),
                    if changelog.versions.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                ),
                None => format!("{} ({format}, no release sections yet)", changelog.file),
            }
        } else {
            format!("{} (to be created)", changelog.file)
        };
        match changelog.style {
            ChangelogStyle::Fragments => {
                let (config, folder) = changelog.towncrier.clone().unwrap_or_default();
                format!("{file}, from towncrier fragments in {folder} ({config})")
            }
            ChangelogStyle::Commits if self.commits.mostly_conventional() => {
                format!("{file}, from conventional commits")
            }
            ChangelogStyle::Commits => format!("{file}, listing the commits"),
            ChangelogStyle::File => format!("{file}, written by hand"),
        }
    }
}

fn ecosystems(root: &Path) -> Vec<Ecosystem> {
    let mut found = Vec::new();
    let has = |name: &str| root.join(name).is_file();
    if has("pyproject.toml") || has("setup.py") || has("setup.cfg") {
        let poetry = relman_version::files::bounded::read_text_bounded(
            &root.join("pyproject.toml"),
            relman_version::files::bounded::MAX_CONFIG_FILE,
        )
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .is_some_and(|table| {
            table
                .get("tool")
                .and_then(|tool| tool.get("poetry"))
                .is_some()
        });
        // A pyproject.toml that only configures tools (black, towncrier) is no Python package.
        if poetry || has("setup.py") || has("setup.cfg") || python_pyproject(root) {
            found.push(Ecosystem::Python { poetry });
        }
    }
    for (name, ecosystem) in [
        ("Cargo.toml", Ecosystem::Rust),
        ("package.json", Ecosystem::Node),
        ("Chart.yaml", Ecosystem::Helm),
        ("go.mod", Ecosystem::Go),
        ("pom.xml", Ecosystem::Maven),
        ("build.gradle", Ecosystem::Gradle),
        ("build.gradle.kts", Ecosystem::Gradle),
    ] {
        if has(name) && !found.contains(&ecosystem) {
            found.push(ecosystem);
        }
    }
    if found.is_empty() && (has("VERSION") || has("version.txt")) {
        found.push(Ecosystem::Plain);
    }
    found
}

fn python_pyproject(root: &Path) -> bool {
    relman_version::files::bounded::read_text_bounded(
        &root.join("pyproject.toml"),
        relman_version::files::bounded::MAX_CONFIG_FILE,
    )
    .ok()
    .and_then(|text| text.parse::<toml::Table>().ok())
    .is_some_and(|table| table.contains_key("project") || table.contains_key("build-system"))
}

fn current_version(root: &Path, specs: &[VersionFileSpec]) -> Result<Option<String>, String> {
    if specs.is_empty() {
        return Ok(None);
    }
    let files = VersionFiles::read(root, specs).map_err(|error| error.to_string())?;
    files
        .agreed()
        .map(|agreed| agreed.map(str::to_owned))
        .map_err(|error| error.to_string())
}

/// The last [`SAMPLE`] commits from HEAD, merges and git's reverts aside (no person wrote them).
/// Conventional means a real type: `feat`, `fix` … or one of the project's `types` (`doc: …` and
/// `ignore: …` are free-form subjects).
fn sample_commits(repo: &Repository, types: &[String]) -> Result<CommitSample, ProjectError> {
    if repo.head_sha().is_err() {
        return Ok(CommitSample::default());
    }
    let mut sample = CommitSample::default();
    let options = LogOptions {
        max_count: Some(SAMPLE),
        ..LogOptions::default()
    };
    repo.walk(Revisions::Head, &options, |commit| {
        let parsed = conventional::parse(commit.message_bytes());
        match parsed.kind() {
            Kind::Merge | Kind::Revert => {}
            _ if changes::is_conventional(&parsed, types) => {
                sample.total += 1;
                sample.conventional += 1;
            }
            _ => sample.total += 1,
        }
        ControlFlow::<()>::Continue(())
    })?;
    Ok(sample)
}

fn changelog(project: &Project) -> ChangelogFound {
    let root = &project.root;
    let file = project.changelog.file.display().to_string();
    let (style, towncrier) = match &project.changelog.source {
        ChangelogSource::Fragments(config) => {
            let relative = |path: &Path| {
                path.strip_prefix(root)
                    .unwrap_or(path)
                    .display()
                    .to_string()
            };
            let config_file = config
                .config_file
                .as_deref()
                .map_or_else(|| "towncrier.toml".to_owned(), relative);
            (
                ChangelogStyle::Fragments,
                Some((config_file, relative(&config.fragment_root()))),
            )
        }
        ChangelogSource::File => (ChangelogStyle::File, None),
        ChangelogSource::Commits | ChangelogSource::Github | ChangelogSource::Changesets => {
            (ChangelogStyle::Commits, None)
        }
    };
    let text = relman_version::files::bounded::read_text_bounded(
        &root.join(&file),
        relman_version::files::bounded::MAX_CHANGELOG,
    )
    .ok();
    let (format, versions) = match &text {
        Some(text) => {
            let document = Document::for_path(Path::new(&file), text);
            (Some(document.format()), document.versions())
        }
        None => (None, Vec::new()),
    };
    // Sections relman writes from commits are Markdown: an rst file is kept by hand.
    let style = match style {
        ChangelogStyle::Commits if format == Some(Format::Rst) => ChangelogStyle::File,
        other => other,
    };
    ChangelogFound {
        style,
        exists: text.is_some(),
        file,
        format,
        versions,
        towncrier,
    }
}

/// The release branch: the remote's default branch as the clone knows it, else `main`/`master`,
/// else the current branch (what [`Project::release_branch`] decides), with the reason.
fn branch(project: &Project) -> (String, &'static str) {
    let branch = project.release_branch();
    let remote_head = project
        .repo
        .common_dir()
        .join("refs/remotes")
        .join(&project.remote)
        .join("HEAD");
    let source = if remote_head.is_file() {
        "the remote's default branch"
    } else if project.repo.current_branch().ok().flatten().as_deref() == Some(branch.as_str()) {
        "the current branch"
    } else {
        "the usual name; the clone does not know the remote's default branch"
    };
    (branch, source)
}
