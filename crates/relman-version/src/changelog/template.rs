//! A user's minijinja template for one release's section (`[changelog] template = "…"`), rendered
//! from the same [`ReleaseNotes`] as the default Markdown.
//!
//! The context a template sees:
//!
//! | name | value |
//! |---|---|
//! | `version`, `tag`, `date` | the release: `1.1.0`, `v1.1.0`, `2026-11-23` |
//! | `previous_version`, `previous_tag` | the release before, or none for the first one |
//! | `repository_url` | the forge's web page of the repository (`https://github.com/o/r`), or none |
//! | `compare_url` | `…/compare/v1.0.0...v1.1.0`; none without a forge or a previous tag |
//! | `tag_url` | the files at the tag; none without a forge |
//! | `forge` | `github`, `gitlab`, `gitea`, or none |
//! | `groups` | the groups with entries, in order: each has `key` (`breaking`, `features`, `fixes`, `performance`, `reverts`, `other`), `title` (`Breaking changes`…) and `entries` |
//! | `entries` | every entry, in group order |
//! | `breaking` | the entries of the breaking group |
//! | `is_empty` | true when nothing is notable |
//! | `lists_changes` | true when most commits are not conventional: render `changes` rather than `groups` |
//! | `changes` | every change: pull requests by title, commit subjects, dependency updates last; each has `title`, `sha`, `pr_number`, `pr_url`, `commit_url`, `dependency` |
//!
//! Each entry has `group` (the key), `sha`, `short_sha`, `type` (lower-case, none for
//! non-conventional commits), `scope`, `description`, `subject` (the first line without `(#N)`),
//! `breaking` (bool), `breaking_description`, `pr_number`, `pr_url` and `commit_url` (none without
//! a forge).
//!
//! Templates are strict, so a misspelt name is an error rather than an empty string (test with
//! `is defined` or `is none` where a value may be missing); blocks trim the newline after them and
//! the whitespace before them (`trim_blocks`, `lstrip_blocks`), which keeps loops over entries
//! readable; nothing is HTML-escaped. The rendered section ends with exactly one newline, whatever
//! the template's last lines are, so that inserting it into a file is predictable.

use std::path::Path;

use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::links::Forge;
use super::notes::{Entry, Group, ReleaseNotes};

/// The names at the top of the context, for error hints.
const CONTEXT_NAMES: &str = "version, previous_version, tag, previous_tag, date, repository_url, compare_url, tag_url, forge, groups, entries, breaking, is_empty, lists_changes, changes";
const ENTRY_NAMES: &str = "group, sha, short_sha, type, scope, description, subject, breaking, breaking_description, pr_number, pr_url, commit_url";

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read changelog template: {0}")]
    Read(#[source] std::io::Error),
    #[error("changelog template `{name}`{}: {message}", at_line(*line))]
    Invalid {
        name: String,
        line: Option<usize>,
        message: String,
    },
    #[error("changelog template `{name}`{} failed: {message}", at_line(*line))]
    Render {
        name: String,
        line: Option<usize>,
        message: String,
        undefined: bool,
    },
}

fn at_line(line: Option<usize>) -> String {
    line.map(|line| format!(" line {line}")).unwrap_or_default()
}

impl TemplateError {
    pub fn hint(&self) -> Option<String> {
        match self {
            TemplateError::Render {
                undefined: true, ..
            } => Some(format!(
                "a changelog template sees {CONTEXT_NAMES}; each entry has {ENTRY_NAMES}"
            )),
            TemplateError::Invalid { .. } => {
                Some("changelog templates use minijinja (Jinja2) syntax".to_owned())
            }
            _ => None,
        }
    }

    fn from_minijinja(name: &str, error: &minijinja::Error, rendering: bool) -> TemplateError {
        let name = error.name().unwrap_or(name).to_owned();
        let line = error.line();
        let message = match error.detail() {
            Some(detail) => format!("{}: {detail}", error.kind()),
            None => error.kind().to_string(),
        };
        if rendering {
            TemplateError::Render {
                name,
                line,
                message,
                undefined: error.kind() == minijinja::ErrorKind::UndefinedError,
            }
        } else {
            TemplateError::Invalid {
                name,
                line,
                message,
            }
        }
    }
}

/// A parsed changelog template, ready to render any number of releases.
#[derive(Debug)]
pub struct ChangelogTemplate {
    env: Environment<'static>,
    name: String,
}

impl ChangelogTemplate {
    /// Reads and parses the template at `path`; errors name it as given.
    pub fn load(path: &Path) -> Result<ChangelogTemplate, TemplateError> {
        let source =
            crate::files::bounded::read_text_bounded(path, crate::files::bounded::MAX_CONFIG_FILE)
                .map_err(TemplateError::Read)?;
        ChangelogTemplate::from_source(path.display().to_string(), source)
    }

    /// Parses `source`; `name` (the file name) is what errors show.
    pub fn from_source(
        name: impl Into<String>,
        source: impl Into<String>,
    ) -> Result<ChangelogTemplate, TemplateError> {
        let name = name.into();
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::None);
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .map_err(|error| TemplateError::from_minijinja(&name, &error, false))?;
        env.set_syntax(syntax);
        env.add_template_owned(name.clone(), source.into())
            .map_err(|error| TemplateError::from_minijinja(&name, &error, false))?;
        Ok(ChangelogTemplate { env, name })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// This release's section, ending with one newline.
    pub fn render(
        &self,
        notes: &ReleaseNotes,
        forge: Option<&Forge>,
    ) -> Result<String, TemplateError> {
        let error =
            |error: minijinja::Error| TemplateError::from_minijinja(&self.name, &error, true);
        let template = self.env.get_template(&self.name).map_err(error)?;
        let mut section = template.render(context(notes, forge)).map_err(error)?;
        let len = section.trim_end().len();
        section.truncate(len);
        section.push('\n');
        Ok(section)
    }
}

/// The context a changelog template renders from (see the module documentation), for callers that
/// render notes through templates of their own.
pub fn context(notes: &ReleaseNotes, forge: Option<&Forge>) -> Value {
    let groups: Vec<GroupContext<'_>> = notes
        .groups()
        .map(|(group, entries)| GroupContext {
            key: group.key(),
            title: group.title(),
            entries: entries
                .map(|entry| EntryContext::new(group, entry, forge))
                .collect(),
        })
        .collect();
    let entries: Vec<&EntryContext<'_>> = groups.iter().flat_map(|g| &g.entries).collect();
    let breaking: Vec<&EntryContext<'_>> = groups
        .iter()
        .filter(|g| g.key == Group::Breaking.key())
        .flat_map(|g| &g.entries)
        .collect();
    let context = Context {
        version: &notes.version,
        previous_version: notes.previous_version.as_deref(),
        tag: &notes.tag,
        previous_tag: notes.previous_tag.as_deref(),
        date: &notes.date,
        repository_url: forge.map(Forge::web_url),
        compare_url: forge
            .zip(notes.previous_tag.as_deref())
            .map(|(forge, previous)| forge.compare_url(previous, &notes.tag)),
        tag_url: forge.map(|forge| forge.tag_url(&notes.tag)),
        forge: forge.map(|forge| forge.kind().name()),
        is_empty: notes.is_empty(),
        lists_changes: notes.lists_changes(),
        changes: notes
            .changes()
            .changes()
            .map(|change| ChangeContext {
                title: change.title,
                sha: change.sha,
                pr_number: change.pr_number,
                pr_url: forge
                    .zip(change.pr_number)
                    .map(|(forge, n)| forge.pr_url(n)),
                commit_url: forge.map(|forge| forge.commit_url(change.sha)),
                dependency: change.dependency,
            })
            .collect(),
        groups: &groups,
        entries,
        breaking,
    };
    Value::from(Serde(&context))
}

#[derive(Serialize)]
struct Context<'n> {
    version: &'n str,
    previous_version: Option<&'n str>,
    tag: &'n str,
    previous_tag: Option<&'n str>,
    date: &'n str,
    repository_url: Option<&'n str>,
    compare_url: Option<String>,
    tag_url: Option<String>,
    forge: Option<&'static str>,
    is_empty: bool,
    lists_changes: bool,
    changes: Vec<ChangeContext<'n>>,
    groups: &'n [GroupContext<'n>],
    entries: Vec<&'n EntryContext<'n>>,
    breaking: Vec<&'n EntryContext<'n>>,
}

#[derive(Serialize)]
struct ChangeContext<'n> {
    title: &'n str,
    sha: &'n str,
    pr_number: Option<u64>,
    pr_url: Option<String>,
    commit_url: Option<String>,
    dependency: bool,
}

#[derive(Serialize)]
struct GroupContext<'n> {
    key: &'static str,
    title: &'static str,
    entries: Vec<EntryContext<'n>>,
}

#[derive(Serialize)]
struct EntryContext<'n> {
    group: &'static str,
    sha: &'n str,
    short_sha: &'n str,
    #[serde(rename = "type")]
    commit_type: Option<&'n str>,
    scope: Option<&'n str>,
    description: &'n str,
    subject: String,
    breaking: bool,
    breaking_description: Option<&'n str>,
    pr_number: Option<u64>,
    pr_url: Option<String>,
    commit_url: Option<String>,
}

impl<'n> EntryContext<'n> {
    fn new(group: Group, entry: Entry<'n>, forge: Option<&Forge>) -> EntryContext<'n> {
        EntryContext {
            group: group.key(),
            sha: entry.sha(),
            short_sha: entry.short_sha(),
            commit_type: entry.commit_type(),
            scope: entry.scope(),
            description: entry.description(),
            subject: entry.subject().into_owned(),
            breaking: entry.is_breaking(),
            breaking_description: entry.breaking_description(),
            pr_number: entry.pr_number(),
            pr_url: forge
                .zip(entry.pr_number())
                .map(|(forge, n)| forge.pr_url(n)),
            commit_url: forge.map(|forge| forge.commit_url(entry.sha())),
        }
    }
}
