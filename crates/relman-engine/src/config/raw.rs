//! The raw shape of `relman.toml`, exactly as written: serde types with every unknown key denied and
//! byte spans kept on the values that later checks must point at.
//!
//! These types are the single source of the JSON Schema (`relman schema`) and are never used past
//! validation: `config::validate` turns them into resolved types that the rest of the engine uses.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// The whole `relman.toml` file.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "relman.toml", description = "Release workflows for relman")]
pub struct ConfigFile {
    /// What is released: name, branch, tag format, version scheme and the files holding the version.
    pub project: Option<ProjectConfig>,
    /// Where and how the changelog is written.
    pub changelog: Option<ChangelogConfig>,
    /// The forge (GitHub) the project lives on.
    pub forge: Option<ForgeConfig>,
    /// Named workflows: `relman run NAME` or `relman NAME`.
    #[serde(default)]
    pub workflow: IndexMap<String, WorkflowConfig>,
    /// The packages of a repository that holds several, one table each (`[package.globset]`);
    /// detected when absent.
    #[serde(default)]
    pub package: IndexMap<String, PackageConfig>,
}

/// One package of a repository that holds several.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackageConfig {
    /// The package's folder: commits touching it belong to the package. Default: the folder of
    /// the manifest that names the package.
    #[schemars(with = "Option<String>")]
    pub path: Option<Spanned<String>>,
    /// Files that hold the package's version; default: its manifest.
    #[schemars(with = "Option<Vec<VersionFileConfig>>")]
    pub version_files: Option<Vec<Spanned<VersionFileConfig>>>,
    /// Tag format with `{version}` once (`{package}` is the name): default from existing tags,
    /// else by ecosystem (`{package}-v{version}`, npm `{package}@{version}`, Go `PATH/v{version}`).
    #[schemars(with = "Option<String>")]
    pub tag: Option<Spanned<String>>,
    /// The package's changelog; default `PATH/CHANGELOG.md`.
    #[schemars(with = "Option<String>")]
    pub changelog: Option<Spanned<String>>,
    /// `semver`, `pep440`, `rubygems` or `calver:FORMAT`; default by ecosystem.
    #[schemars(with = "Option<String>")]
    pub scheme: Option<Spanned<String>>,
    /// Default pre-release label for this package.
    #[schemars(with = "Option<String>")]
    pub pre_label: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectConfig {
    /// Project name; default: from package metadata, else the folder name.
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// The branch releases are cut from; default: the remote's HEAD branch.
    #[schemars(with = "Option<String>")]
    pub branch: Option<Spanned<String>>,
    /// The remote to push to and compare with; default `origin`.
    #[schemars(with = "Option<String>")]
    pub remote: Option<Spanned<String>>,
    /// Tag format; must contain `{version}` exactly once. Default `v{version}`.
    #[schemars(with = "Option<String>")]
    pub tag: Option<Spanned<String>>,
    /// `semver`, `pep440`, `rubygems` or `calver:FORMAT`; default pep440 for Python projects,
    /// rubygems for a gem whose versions semver cannot read, else semver.
    #[schemars(with = "Option<String>")]
    pub scheme: Option<Spanned<String>>,
    /// Files that hold the version; the first is the source of truth. `[]` means tags only.
    #[schemars(with = "Option<Vec<VersionFileConfig>>")]
    pub version_files: Option<Vec<Spanned<VersionFileConfig>>>,
    /// Names of environment variables whose values are always masked.
    #[serde(default)]
    pub secrets: Vec<String>,
    /// Default pre-release label (`rc`, `beta`, `a` …).
    #[schemars(with = "Option<String>")]
    pub pre_label: Option<Spanned<String>>,
    /// Globs of tags that match the tag format but are not releases (`v1` moved along a major
    /// version, `vnext`, another package's `globset-*`): skipped without a note.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub ignore_tags: Vec<Spanned<String>>,
    /// The version of the first release, when there is no release tag and no version file.
    /// Default `0.1.0`.
    #[schemars(with = "Option<String>")]
    pub initial_version: Option<Spanned<String>>,
    /// `false`: never name releases by the calendar, even when the tags look dated (detected
    /// by default, see the configuration reference).
    pub calendar: Option<bool>,
}

/// A version file: a path whose format relman knows, or a table with a `pattern` or a `key`.
#[derive(Debug, Clone, JsonSchema)]
#[schemars(untagged)]
pub enum VersionFileConfig {
    /// A file relman knows by its name (`Cargo.toml`, `setup.py`, `package.json` …).
    Path(String),
    /// A file edited through a pattern or a key.
    Table(VersionFileTable),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VersionFileTable {
    pub path: String,
    /// A pattern containing `{version}` once, e.g. `__version__ = "{version}"`.
    pub pattern: Option<String>,
    /// A dotted key of a TOML, JSON or YAML file, e.g. `appVersion`.
    pub key: Option<String>,
}

impl<'de> Deserialize<'de> for VersionFileConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Hand-written instead of `untagged` so that a bad table reports its own error
        // (an unknown key, say) rather than "did not match any variant".
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = VersionFileConfig;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a path, or a table with `path` and `pattern` or `key`")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(VersionFileConfig::Path(value.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                VersionFileTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(VersionFileConfig::Table)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChangelogConfig {
    /// The changelog file; default `CHANGELOG.md` (or towncrier's `filename`).
    #[schemars(with = "Option<String>")]
    pub file: Option<Spanned<String>>,
    /// Where release notes come from: `commits`, `fragments` (towncrier news fragments), `file`
    /// (written by hand in the file's unreleased section) or `github` (GitHub's generated notes).
    #[schemars(with = "Option<String>")]
    pub from: Option<Spanned<String>>,
    /// The news fragments folder (towncrier's `directory`).
    #[schemars(with = "Option<String>")]
    pub fragments: Option<Spanned<String>>,
    /// A minijinja template for one release's section.
    #[schemars(with = "Option<String>")]
    pub template: Option<Spanned<String>>,
    /// Include commits that are not features, fixes or performance work.
    pub include_other: Option<bool>,
    /// Conventional Commits types the project uses besides `feat`, `fix`, `docs`, `style`,
    /// `refactor`, `perf`, `test`, `build`, `ci`, `chore` and `revert`.
    #[schemars(with = "Option<Vec<String>>")]
    pub types: Option<Spanned<Vec<String>>>,
    /// The bump each news fragment type calls for with `auto`: `major`, `minor`, `patch` or
    /// `none` (default: `removal`/`breaking` major, `feature` minor, `bugfix`, `security`,
    /// `deprecation` and other types patch, `doc`/`misc` none).
    #[schemars(with = "Option<std::collections::BTreeMap<String, String>>")]
    pub levels: Option<IndexMap<String, Spanned<String>>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ForgeConfig {
    /// `github`.
    #[serde(rename = "type")]
    #[schemars(with = "Option<String>")]
    pub kind: Option<Spanned<String>>,
    /// `owner/name`; default: parsed from the remote URL.
    #[schemars(with = "Option<String>")]
    pub repo: Option<Spanned<String>>,
    /// API base URL (GitHub Enterprise: `https://HOST/api/v3`).
    #[schemars(with = "Option<String>")]
    pub api: Option<Spanned<String>>,
    /// The environment variable holding the token; `GITHUB_TOKEN` and `GH_TOKEN` are read by default.
    #[schemars(with = "Option<String>")]
    pub token_env: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WorkflowConfig {
    /// One line shown by `relman --help` and in `relman docs`.
    pub help: Option<String>,
    /// Positional arguments: `relman release minor`.
    #[serde(default)]
    pub args: Vec<ArgConfig>,
    /// The steps, in order.
    #[serde(default)]
    #[schemars(with = "Vec<super::step_raw::StepConfig>")]
    pub step: Vec<Spanned<super::step_raw::StepConfig>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ArgConfig {
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Without a default, the argument is required.
    pub default: Option<String>,
    pub help: Option<String>,
}
