//! The project a release acts on: the config's `[project]`, `[changelog]` and `[forge]` settings
//! completed by detection (scheme, tag format, version files, changelog style, forge), resolved
//! once per command. Everything downstream reads a [`Project`], never the raw config.

mod calendar;
mod changelog;
mod confine;
mod error;
mod files;
mod fragment_history;
mod history;
mod name;
pub mod packages;
mod propose;
pub mod settings;
mod tags;
mod version;

use std::path::{Path, PathBuf};

use relman_git::Repository;
use relman_version::changelog::links::{Forge, ForgeKind};
use relman_version::changelog::towncrier::TowncrierConfig;
use relman_version::files::{VersionFileSpec, detect};
use relman_version::scheme::Scheme;
use relman_version::tag_format::TagFormat;

pub use changelog::{
    CHANGELOG_NAMES, ChangelogSettings, ChangelogSource, GENERATED_PLACEHOLDER, RenderedSection,
    fragment_level,
};
pub use error::ProjectError;
pub use files::LeftOut;
pub use history::History;
pub use packages::{Package, PackageSettings, Retired, Scope};
pub use propose::{KnownReleases, Proposal};
pub use tags::{ReleaseTag, ignore_globs};
pub use version::{CurrentVersion, NextVersion, spell_dev_like};

use crate::environment::Environment;
use settings::{ChangelogOptions, ForgeOptions, ProjectOptions, VersionFileOption};

/// Whether a gem's versions need RubyGems' rules (`8.1.3.1`, `8.1.0.beta1` in its tags or
/// version files); a gem whose versions are all semver keeps semver.
fn needs_rubygems(
    repo: &Repository,
    root: &Path,
    files: &[VersionFileSpec],
    options: &ProjectOptions,
    name: &str,
) -> Result<bool, ProjectError> {
    let found = relman_version::files::read(root, files).unwrap_or_default();
    let format = options
        .tag
        .as_deref()
        .and_then(|format| TagFormat::parse(&format.replace("{project}", name)).ok());
    Ok(relman_version::scheme::rubygems::needed_by(
        found.iter().map(|found| found.value.trim()),
        &repo.tag_names()?,
        format.as_ref(),
        name,
    ))
}

/// Default API of github.com.
pub const GITHUB_API: &str = "https://api.github.com";

/// A project, resolved.
#[derive(Debug, Clone)]
pub struct Project {
    /// The top of the work tree.
    pub root: PathBuf,
    pub repo: Repository,
    pub name: String,
    pub remote: String,
    /// The branch releases are cut from, when configured (see [`Project::release_branch`]).
    pub branch: Option<String>,
    pub scheme: Scheme,
    /// The calendar the release tags follow (see [`Project::calendar`]), detected when first
    /// asked: a command that needs no next version and writes no tag never lists the tags for it.
    pub(crate) calendar: std::sync::OnceLock<Option<relman_version::calendar::Calendar>>,
    pub tag_format: TagFormat,
    /// Files holding the version, the source of truth first; empty when tags hold it.
    pub version_files: Vec<VersionFileSpec>,
    /// Detected files that were left out of `version_files`, and why.
    pub left_out: Vec<LeftOut>,
    /// The first release's version (`initial-version`, default `0.1.0`), for a project with no
    /// release tag and no version file; `None` for a calendar scheme without the setting.
    pub initial_version: Option<relman_version::version::Version>,
    pub changelog: ChangelogSettings,
    pub forge: Option<ForgeSettings>,
    /// Links for changelog entries, from the forge or the remote URL.
    pub links: Option<Forge>,
    pub pre_label: Option<String>,
    /// Names of environment variables to mask besides the ones that look secret.
    pub secrets: Vec<String>,
    /// `ignore-tags`: tags that are not releases whatever their name says; `None` when empty.
    pub ignore_tags: Option<globset::GlobSet>,
    /// The packages of a repository that holds several (the root package first, when there is
    /// one); empty for a single-package project.
    pub packages: Vec<Package>,
    /// Packages that no longer exist, known by the tags they left.
    pub retired: Vec<Retired>,
    /// Set when this project is one package of several (see [`Project::package`]).
    pub scope: Option<Scope>,
    /// Who owns each path and tag among [`packages`](Self::packages), built once when they are
    /// settled (every package's view shares it).
    pub(crate) owners: Option<std::sync::Arc<packages::Owners>>,
}

/// Where the project lives on its forge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgeSettings {
    /// `owner/name`.
    pub repo: String,
    /// API base URL.
    pub api: String,
    /// Environment variables a token is read from, in order.
    pub token_env: Vec<String>,
}

impl ForgeSettings {
    /// The first token variable that is set.
    pub fn token<'e>(&self, env: &'e Environment) -> Option<(&str, &'e str)> {
        self.token_env
            .iter()
            .find_map(|name| env.var(name).map(|value| (name.as_str(), value)))
    }
}

impl Project {
    /// Resolves the project of `repo` from the config's settings and detection
    /// (`Project::resolve` takes them from a whole config).
    pub fn from_settings(
        repo: Repository,
        options: &ProjectOptions,
        changelog: &ChangelogOptions,
        forge: Option<&ForgeOptions>,
    ) -> Result<Project, ProjectError> {
        let root = repo.work_tree().ok_or(ProjectError::Bare)?.to_owned();
        let detection = detect(&root);
        let name = match &options.name {
            Some(name) => name.clone(),
            None => name::from_metadata(&root).unwrap_or_else(|| {
                root.file_name().map_or_else(
                    || "project".to_owned(),
                    |name| name.to_string_lossy().into_owned(),
                )
            }),
        };
        let remote = options
            .remote
            .clone()
            .unwrap_or_else(|| "origin".to_owned());
        let detected_files = options.version_files.is_none();
        let version_files = match &options.version_files {
            Some(files) => files
                .iter()
                .map(VersionFileOption::spec)
                .collect::<Result<Vec<_>, _>>()?,
            None => detection.files,
        };
        let scheme = match &options.scheme {
            Some(text) => text
                .parse::<Scheme>()
                .map_err(|error| ProjectError::Config(error.to_string()))?,
            // A tooling `pyproject.toml` (pyo3's, for nox and towncrier, its version dynamic)
            // beside the crate or package whose manifest holds the version: that manifest's
            // scheme, as Cargo and npm refuse a PEP 440 pre-release (`0.30.0rc0`).
            None if detection.python && !semver_manifest_first(&version_files) => Scheme::Pep440,
            None if detection.ruby
                && needs_rubygems(&repo, &root, &version_files, options, &name)? =>
            {
                Scheme::Rubygems
            }
            None => Scheme::Semver,
        };
        let version_files = version_files
            .into_iter()
            .map(|spec| packages::detect::spelt_for(scheme, spec))
            .collect();
        let tag_format = match &options.tag {
            Some(format) => TagFormat::parse(&format.replace("{project}", &name))
                .map_err(|error| ProjectError::Config(format!("tag format `{format}`: {error}")))?,
            None => {
                let tags = repo.tag_names()?;
                TagFormat::guess(tags.iter().map(String::as_str), &scheme, Some(&name))
                    .unwrap_or_else(|| {
                        TagFormat::parse("v{version}").expect("a literal tag format parses")
                    })
            }
        };
        let initial_version = match &options.initial_version {
            Some(text) => Some(scheme.parse(text).map_err(|error| {
                ProjectError::Config(format!("initial-version `{text}`: {error}"))
            })?),
            // A calendar version has no natural first one: it needs a tag or a setting.
            None => scheme.parse("0.1.0").ok(),
        };
        let branch = options.branch.clone();
        let changelog = changelog::settings(&root, changelog)?;
        let remote_url = remote_url(&repo, &remote);
        let configured_forge = forge;
        let links = match configured_forge.and_then(|forge| forge.repo.as_ref()) {
            Some(repo_name) => Some(Forge::new(
                ForgeKind::GitHub,
                &format!(
                    "{}/{repo_name}",
                    web_base(configured_forge.and_then(|f| f.api.as_deref()))
                ),
            )),
            None => remote_url
                .as_deref()
                .and_then(|url| Forge::from_remote_url(url, &[]).ok()),
        };
        let forge = match configured_forge {
            Some(forge) => {
                let repo_name = forge
                    .repo
                    .clone()
                    .or_else(|| {
                        links
                            .as_ref()
                            .filter(|links| links.kind() == ForgeKind::GitHub)
                            .map(|links| links.repo().to_owned())
                    })
                    .ok_or(ProjectError::ForgeRepo)?;
                Some(ForgeSettings {
                    repo: repo_name,
                    api: forge.api.clone().unwrap_or_else(|| GITHUB_API.to_owned()),
                    token_env: token_env(forge.token_env.as_deref()),
                })
            }
            None => links
                .as_ref()
                .filter(|links| {
                    links.kind() == ForgeKind::GitHub
                        && links.web_url().starts_with("https://github.com/")
                })
                .map(|links| ForgeSettings {
                    repo: links.repo().to_owned(),
                    api: GITHUB_API.to_owned(),
                    token_env: token_env(None),
                }),
        };
        // `calendar = false`: decided now, never detected.
        let calendar = std::sync::OnceLock::new();
        if options.calendar == Some(false) {
            let _ = calendar.set(None);
        }
        let mut project = Project {
            root,
            repo,
            name,
            remote,
            branch,
            scheme,
            calendar,
            tag_format,
            version_files,
            left_out: Vec::new(),
            initial_version,
            changelog,
            forge,
            links,
            pre_label: options.pre_label.clone(),
            secrets: options.secrets.clone(),
            ignore_tags: ignore_tags(&options.ignore_tags)?,
            packages: Vec::new(),
            retired: Vec::new(),
            scope: None,
            owners: None,
        };
        project.confine_paths()?;
        if detected_files {
            project.settle_detected_files()?;
        }
        Ok(project)
    }

    /// The branch releases are cut from: `project.branch`, else the remote's default branch as
    /// this clone knows it (`refs/remotes/REMOTE/HEAD`), else `main` or `master` if the clone has
    /// it, else the current branch. Never asks the network.
    pub fn release_branch(&self) -> String {
        if let Some(branch) = &self.branch {
            return branch.clone();
        }
        let symbolic = self
            .repo
            .common_dir()
            .join("refs/remotes")
            .join(&self.remote)
            .join("HEAD");
        if let Ok(text) = fs_err::read_to_string(&symbolic)
            && let Some(target) = text.trim().strip_prefix("ref: refs/remotes/")
            && let Some((_, branch)) = target.split_once('/')
        {
            return branch.to_owned();
        }
        let branches = self.repo.branch_names().unwrap_or_default();
        for candidate in ["main", "master"] {
            if branches.iter().any(|branch| branch == candidate) {
                return candidate.to_owned();
            }
        }
        self.repo
            .current_branch()
            .ok()
            .flatten()
            .unwrap_or_else(|| "main".to_owned())
    }

    /// A path relative to the work tree, for messages.
    pub fn display_path<'p>(&self, path: &'p Path) -> &'p Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }

    /// The tag of a version.
    pub fn tag_of(&self, version: &str) -> String {
        match self.calendar() {
            Some(calendar) => self.tag_format.render(&calendar.tag_text(version)),
            None => self.tag_format.render(version),
        }
    }

    /// Whether `[changelog]` is configured or a changelog exists.
    pub fn has_changelog(&self) -> bool {
        // Changesets always write the package's changelog, as `changeset version` does.
        self.changelog.exists
            || self.changelog.configured
            || matches!(self.changelog.source, ChangelogSource::Changesets)
    }

    /// The towncrier config, when the changelog is built from fragments.
    pub fn towncrier(&self) -> Option<&TowncrierConfig> {
        match &self.changelog.source {
            ChangelogSource::Fragments(config) => Some(config),
            ChangelogSource::Commits
            | ChangelogSource::File
            | ChangelogSource::Github
            | ChangelogSource::Changesets => None,
        }
    }
}

/// The URL of `remote`, read from the repository's config file without spawning git (the
/// changelog commands run on every release and are measured against `git log`); git itself is
/// asked only when the file does not say (includes, `insteadOf`).
fn remote_url(repo: &Repository, remote: &str) -> Option<String> {
    let text = fs_err::read_to_string(repo.common_dir().join("config")).ok()?;
    let header = format!("[remote \"{remote}\"]");
    let mut in_section = false;
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == header;
            continue;
        }
        if in_section
            && let Some((key, value)) = line.split_once('=')
            && key.trim().eq_ignore_ascii_case("url")
        {
            found = Some(value.trim().trim_matches('"').to_owned());
        }
    }
    let simple =
        !text.contains("insteadOf") && !text.contains("insteadof") && !text.contains("[include");
    if simple {
        // The file says everything: a remote it does not name does not exist.
        found
    } else {
        repo.remote_url(remote).ok().flatten()
    }
}

fn token_env(configured: Option<&str>) -> Vec<String> {
    match configured {
        Some(name) => vec![name.to_owned()],
        None => vec!["GITHUB_TOKEN".to_owned(), "GH_TOKEN".to_owned()],
    }
}

/// The web base for a configured API: `https://github.com` for the public API, the host of a
/// GitHub Enterprise API (`https://HOST/api/v3` → `https://HOST`), else the API URL itself.
fn web_base(api: Option<&str>) -> String {
    match api {
        None => "https://github.com".to_owned(),
        Some(api) if api.trim_end_matches('/') == GITHUB_API => "https://github.com".to_owned(),
        Some(api) => api
            .trim_end_matches('/')
            .trim_end_matches("/api/v3")
            .to_owned(),
    }
}

/// The `ignore-tags` globs as one set (validated with the config; checked again here for
/// configs built in code).
fn ignore_tags(globs: &[String]) -> Result<Option<globset::GlobSet>, ProjectError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut set = globset::GlobSetBuilder::new();
    for glob in globs {
        let glob = globset::Glob::new(glob).map_err(|error| {
            ProjectError::Config(format!(
                "ignore-tags: `{glob}` is not a glob: {}",
                error.kind()
            ))
        })?;
        set.add(glob);
    }
    set.build()
        .map(Some)
        .map_err(|error| ProjectError::Config(format!("ignore-tags: {error}")))
}

/// Whether the first version file, the source of truth, is a `Cargo.toml` or `package.json`.
fn semver_manifest_first(files: &[VersionFileSpec]) -> bool {
    files.first().is_some_and(|spec| {
        matches!(
            spec.kind(),
            relman_version::files::VersionFileKind::Known(
                relman_version::files::KnownFormat::Cargo
                    | relman_version::files::KnownFormat::PackageJson
            )
        )
    })
}
