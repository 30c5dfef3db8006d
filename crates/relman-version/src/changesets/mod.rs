//! Changesets (`.changeset/*.md`, as `@changesets/cli` 3 reads them): news fragments that name
//! the packages they release and at which level (`"@acme/core": minor`) above a summary. They
//! decide what `auto` releases in an npm workspace that has `.changeset/config.json`, and this
//! module gives what `changeset version` would: the release plan ([`plan::assemble`]: each
//! changeset's level, dependents out of range, `fixed` and `linked` groups, pre mode from
//! `.changeset/pre.json`), and each package's `CHANGELOG.md` entry byte for byte
//! ([`entry`]) with the default generator, which names the commit that added each changeset.
//!
//! Reading touches only `.changeset/`; which commit added each file is the caller's to find.

pub mod entry;
pub mod plan;

use std::path::{Path, PathBuf};

/// A changeset's level for one package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReleaseType {
    None,
    Patch,
    Minor,
    Major,
}

impl ReleaseType {
    fn parse(text: &str) -> Option<ReleaseType> {
        Some(match text {
            "none" => ReleaseType::None,
            "patch" => ReleaseType::Patch,
            "minor" => ReleaseType::Minor,
            "major" => ReleaseType::Major,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseType::None => "none",
            ReleaseType::Patch => "patch",
            ReleaseType::Minor => "minor",
            ReleaseType::Major => "major",
        }
    }
}

/// One changeset file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changeset {
    /// The file's name without `.md`; `pre/NAME` for one a pre-release already used.
    pub id: String,
    pub releases: Vec<(String, ReleaseType)>,
    pub summary: String,
}

impl Changeset {
    /// The file, relative to the repository's root.
    pub fn path(&self) -> PathBuf {
        Path::new(".changeset").join(format!("{}.md", self.id))
    }
}

/// `.changeset/pre.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreState {
    /// `pre`, or `exit` (the next release leaves pre mode).
    pub exit: bool,
    pub tag: String,
}

/// `.changeset/config.json`, as far as versioning goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Groups of package names (globs) released at one version.
    pub fixed: Vec<Vec<String>>,
    /// Groups of package names (globs) whose versions move together when released.
    pub linked: Vec<Vec<String>>,
    pub ignore: Vec<String>,
    /// `updateInternalDependencies`: `patch` (the default) or `minor`.
    pub update_internal_minor: bool,
    /// `privatePackages.version`.
    pub version_private: bool,
    pub bump_workspace_protocol_only: bool,
    pub only_update_peer_dependents_when_out_of_range: bool,
    pub always_update_dependents: bool,
    /// The changelog generator: `Some("@changesets/cli/changelog")` (the default), `None` when
    /// changelogs are off (`false`).
    pub changelog: Option<String>,
}

/// Everything `.changeset/` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changesets {
    pub config: Config,
    /// Root changesets in file-name order, then those in `pre/`, as `changeset version` reads.
    pub changesets: Vec<Changeset>,
    pub pre: Option<PreState>,
}

/// What is wrong with `.changeset/`.
#[derive(Debug, thiserror::Error)]
pub enum ChangesetError {
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{path}` is not a changeset: {reason}")]
    Parse { path: PathBuf, reason: String },
    #[error("`{path}` is not valid: {reason}")]
    Config { path: PathBuf, reason: String },
    #[error("changeset `{id}` names `{name}`, which is no package of the workspace")]
    UnknownPackage { id: String, name: String },
}

impl ChangesetError {
    pub fn hint(&self) -> Option<String> {
        match self {
            ChangesetError::Parse { .. } => Some(
                "a changeset starts with front matter between `---` lines, one `\"package\": patch|minor|major` each, then its summary".to_owned(),
            ),
            ChangesetError::UnknownPackage { .. } => Some(
                "fix the name in the changeset, or remove the changeset".to_owned(),
            ),
            _ => None,
        }
    }
}

/// Files in `.changeset/` that are never changesets.
const NOT_CHANGESETS: &[&str] = &[
    "README.md",
    "readme.md",
    "AGENTS.md",
    "CLAUDE.md",
    "GEMINI.md",
];

/// Reads `.changeset/` under `root`; `Ok(None)` when there is no `.changeset/config.json`.
pub fn read(root: &Path) -> Result<Option<Changesets>, ChangesetError> {
    let dir = root.join(".changeset");
    let config_path = dir.join("config.json");
    let Ok(text) =
        crate::files::read_text_bounded(&config_path, crate::files::bounded::MAX_CONFIG_FILE)
    else {
        return Ok(None);
    };
    let config = parse_config(&text).map_err(|reason| ChangesetError::Config {
        path: PathBuf::from(".changeset/config.json"),
        reason,
    })?;
    let mut changesets = Vec::new();
    for (folder, prefix) in [(dir.clone(), ""), (dir.join("pre"), "pre/")] {
        let Ok(entries) = fs_err::read_dir(&folder) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| {
                !name.starts_with('.')
                    && name.ends_with(".md")
                    && !NOT_CHANGESETS
                        .iter()
                        .any(|skip| skip.eq_ignore_ascii_case(name))
            })
            .collect();
        // Node reads a folder in byte order (libuv sorts it).
        names.sort();
        for name in names {
            let path = folder.join(&name);
            let text = crate::files::read_text_bounded(&path, crate::files::bounded::MAX_FRAGMENT)
                .map_err(|source| ChangesetError::Read {
                    path: path.clone(),
                    source,
                })?;
            let id = format!("{prefix}{}", name.trim_end_matches(".md"));
            let relative = Path::new(".changeset").join(format!("{id}.md"));
            let (releases, summary) =
                parse_changeset(&text).map_err(|reason| ChangesetError::Parse {
                    path: relative,
                    reason,
                })?;
            changesets.push(Changeset {
                id,
                releases,
                summary,
            });
        }
    }
    let pre = match crate::files::read_text_bounded(
        &dir.join("pre.json"),
        crate::files::bounded::MAX_CONFIG_FILE,
    ) {
        Ok(text) => Some(parse_pre(&text).map_err(|reason| ChangesetError::Config {
            path: PathBuf::from(".changeset/pre.json"),
            reason,
        })?),
        Err(_) => None,
    };
    Ok(Some(Changesets {
        config,
        changesets,
        pre,
    }))
}

fn parse_config(text: &str) -> Result<Config, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
    let groups = |key: &str| -> Result<Vec<Vec<String>>, String> {
        match json.get(key) {
            None => Ok(Vec::new()),
            Some(serde_json::Value::Array(groups)) => groups
                .iter()
                .map(|group| {
                    group
                        .as_array()
                        .map(|names| {
                            names
                                .iter()
                                .filter_map(|name| name.as_str().map(str::to_owned))
                                .collect()
                        })
                        .ok_or_else(|| format!("`{key}` must be a list of lists of package names"))
                })
                .collect(),
            Some(_) => Err(format!("`{key}` must be a list of lists of package names")),
        }
    };
    let changelog = match json.get("changelog") {
        None => Some("@changesets/cli/changelog".to_owned()),
        Some(serde_json::Value::Bool(false)) => None,
        Some(serde_json::Value::String(name)) => Some(name.clone()),
        Some(serde_json::Value::Array(tuple)) => tuple
            .first()
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
        Some(_) => {
            return Err("`changelog` must be false, a module or [module, options]".to_owned());
        }
    };
    let private = match json.get("privatePackages") {
        Some(serde_json::Value::Bool(value)) => *value,
        Some(serde_json::Value::Object(object)) => object
            .get("version")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        _ => false,
    };
    let unsafe_options = json.get("___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH");
    Ok(Config {
        fixed: groups("fixed")?,
        linked: groups("linked")?,
        ignore: json
            .get("ignore")
            .and_then(serde_json::Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(|name| name.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        update_internal_minor: json
            .get("updateInternalDependencies")
            .and_then(serde_json::Value::as_str)
            == Some("minor"),
        version_private: private,
        bump_workspace_protocol_only: json
            .get("bumpVersionsWithWorkspaceProtocolOnly")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        only_update_peer_dependents_when_out_of_range: unsafe_options
            .and_then(|options| options.get("onlyUpdatePeerDependentsWhenOutOfRange"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        always_update_dependents: unsafe_options
            .and_then(|options| options.get("updateInternalDependents"))
            .and_then(serde_json::Value::as_str)
            == Some("always"),
        changelog,
    })
}

fn parse_pre(text: &str) -> Result<PreState, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
    let mode = json.get("mode").and_then(serde_json::Value::as_str);
    let tag = json
        .get("tag")
        .and_then(serde_json::Value::as_str)
        .ok_or("`tag` is missing")?;
    Ok(PreState {
        exit: match mode {
            Some("pre") => false,
            Some("exit") => true,
            _ => return Err("`mode` must be `pre` or `exit`".to_owned()),
        },
        tag: tag.to_owned(),
    })
}

/// Front matter and summary, as `@changesets/parse` reads them: `---`, one `name: level` line
/// per package (the name quoted or not), `---`, then the summary (trimmed).
fn parse_changeset(text: &str) -> Result<(Vec<(String, ReleaseType)>, String), String> {
    if text.trim().is_empty() {
        return Err("the file is empty".to_owned());
    }
    let start = text.trim_start();
    let Some(rest) = start.strip_prefix("---") else {
        return Err("it does not start with `---`".to_owned());
    };
    // The front matter ends at the first line that is (white space and) `---`.
    let mut front = String::new();
    let mut summary = None;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if offset > 0 && line.trim() == "---" {
            summary = Some(&rest[offset + line.len()..]);
            break;
        }
        if offset == 0 && line.trim() == "---" && rest.starts_with('\n') {
            summary = Some(&rest[offset + line.len()..]);
            break;
        }
        front.push_str(line);
        offset += line.len();
    }
    let Some(summary) = summary else {
        return Err("its front matter has no closing `---`".to_owned());
    };
    let mut releases = Vec::new();
    for line in front.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, level) =
            split_key(line).ok_or_else(|| format!("`{line}` is not `\"package\": level`"))?;
        let level = level.split('#').next().unwrap_or("").trim();
        let level = unquote(level);
        let release_type = ReleaseType::parse(level).ok_or_else(|| {
            format!("`{level}` is no release type of `{name}` (major, minor, patch or none)")
        })?;
        releases.push((name, release_type));
    }
    Ok((releases, summary.trim().to_owned()))
}

fn unquote(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .or_else(|| {
            text.strip_prefix('\'')
                .and_then(|rest| rest.strip_suffix('\''))
        })
        .unwrap_or(text)
}

/// `"name": value` or `name: value`.
fn split_key(line: &str) -> Option<(String, &str)> {
    if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let close = line[1..].find(quote)? + 1;
        let name = line[1..close].to_owned();
        let rest = line[close + 1..].trim_start().strip_prefix(':')?;
        return Some((name, rest.trim()));
    }
    let (name, rest) = line.split_once(": ").or_else(|| line.split_once(':'))?;
    Some((name.trim().to_owned(), rest.trim()))
}

/// Whether a package name matches a name or glob of the config (`@acme/*`).
pub(crate) fn name_matches(pattern: &str, name: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return pattern == name;
    }
    crate::workspace::wildcard(pattern, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changeset_files() {
        let (releases, summary) = parse_changeset(
            "---\n\"@acme/core\": minor\n'@acme/ui': patch\ncli: major # breaking\n---\n\nAdd the thing.\n\nMore words.\n",
        )
        .unwrap();
        assert_eq!(
            releases,
            [
                ("@acme/core".to_owned(), ReleaseType::Minor),
                ("@acme/ui".to_owned(), ReleaseType::Patch),
                ("cli".to_owned(), ReleaseType::Major),
            ]
        );
        assert_eq!(summary, "Add the thing.\n\nMore words.");
        assert!(parse_changeset("no front matter").is_err());
        assert!(parse_changeset("---\na: huge\n---\nx").is_err());
        let (releases, summary) = parse_changeset("---\n---\n\nNothing released.\n").unwrap();
        assert!(releases.is_empty());
        assert_eq!(summary, "Nothing released.");
    }
}
