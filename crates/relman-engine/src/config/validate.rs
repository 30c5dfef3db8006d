//! Turns the raw file into a [`Config`]: parse errors with positions and suggestions, then the
//! sections, then each workflow's steps (in `steps`). Problems are collected, not stopped at, so
//! one run of `relman check` shows them all.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use indexmap::IndexMap;
use toml::Spanned;

use super::raw::{self, ConfigFile, VersionFileConfig};
use super::{
    ChangelogOptions, ChangelogSource, Config, ConfigError, ConfigErrors, ForgeOptions,
    ProjectOptions, VersionFileOption, Workflow, WorkflowArg,
};
use crate::core::options::OptionValue;
use crate::template::{Placeholder, Suggestion, Template};

/// The most problems shown with their place in the file; past it they are only counted.
const MAX_SHOWN_ERRORS: usize = 50;
/// Shared state of one validation: where messages point, and what went wrong so far.
pub(crate) struct Cx<'a> {
    pub path: &'a Path,
    pub source: &'a str,
    pub lines: super::LineIndex,
    pub errors: Vec<ConfigError>,
}

impl Cx<'_> {
    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        let error = self.locate(span, message.into());
        self.errors.push(error);
    }

    pub fn error_hint(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let error = self.locate(span, message.into()).with_hint(hint);
        self.errors.push(error);
    }

    /// An error at `span`; past [`MAX_SHOWN_ERRORS`] it is only counted, so that a file with an
    /// error on each of its lines costs no more than one pass to report.
    fn locate(&self, span: Range<usize>, message: String) -> ConfigError {
        if self.errors.len() >= MAX_SHOWN_ERRORS {
            return ConfigError::new(self.path, message);
        }
        let location = super::Location::of_span_indexed(self.source, &self.lines, span);
        ConfigError::located(self.path, location, message)
    }

    /// The 1-based line of byte `offset` of the file.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }

    /// The errors as reported: the first [`MAX_SHOWN_ERRORS`], then how many more there are.
    fn into_errors(mut self) -> ConfigErrors {
        if self.errors.len() > MAX_SHOWN_ERRORS {
            let more = self.errors.len() - MAX_SHOWN_ERRORS;
            self.errors.truncate(MAX_SHOWN_ERRORS);
            self.errors.push(
                ConfigError::new(self.path, format!("and {more} more problems not shown"))
                    .with_hint("fix these, then `relman check` again"),
            );
        }
        ConfigErrors(self.errors)
    }

    /// Parses a template and checks its placeholders against what the workflow provides.
    pub fn template(&mut self, value: &Spanned<String>, scope: &Scope) -> Option<Template> {
        self.template_text(value.get_ref(), value.span(), scope)
    }

    pub fn template_text(
        &mut self,
        text: &str,
        span: Range<usize>,
        scope: &Scope,
    ) -> Option<Template> {
        // The span covers the quotes; point inside the string where we can.
        let quote = self.source.get(span.clone()).map_or(0, |raw| {
            if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
                3
            } else {
                usize::from(raw.starts_with('"') || raw.starts_with('\''))
            }
        });
        let at = |offset: usize| {
            let start = (span.start + quote + offset).min(span.end);
            start..span.end.min(start + 1).max(start)
        };
        match Template::parse(text) {
            Ok(template) => {
                let mut ok = true;
                for placeholder in template.placeholders() {
                    let offset = text
                        .find(&placeholder.key())
                        .map_or(0, |index| index.saturating_sub(1));
                    if let Err((message, hint)) = scope.check(placeholder) {
                        ok = false;
                        let location = at(offset);
                        match hint {
                            Some(hint) => self.error_hint(location, message, hint),
                            None => self.error(location, message),
                        }
                    }
                }
                ok.then_some(template)
            }
            Err(error) => {
                self.error(at(error.offset()), error.to_string());
                None
            }
        }
    }
}

/// What templates of one step may refer to: the workflow's arguments and the outputs of the
/// steps before it that have an `id`.
#[derive(Debug, Default)]
pub(super) struct Scope {
    pub workflow: String,
    pub args: Vec<String>,
    /// Step id → (step number, its outputs).
    pub outputs: HashMap<String, (usize, Vec<String>)>,
    /// Ids of steps that come later, for a clearer message on forward references.
    pub later_ids: HashSet<String>,
}

impl Scope {
    fn check(&self, placeholder: &Placeholder) -> Result<(), (String, Option<String>)> {
        match placeholder {
            Placeholder::Variable(_) | Placeholder::Env(_) => Ok(()),
            Placeholder::File(path) => {
                let leaves = Path::new(path).components().any(|part| {
                    !matches!(
                        part,
                        std::path::Component::Normal(_) | std::path::Component::CurDir
                    )
                });
                if leaves {
                    Err((
                        format!("`{placeholder}` names a file outside the repository"),
                        Some(
                            "name a file relative to the repository's top, without `..`".to_owned(),
                        ),
                    ))
                } else {
                    Ok(())
                }
            }
            Placeholder::Arg(name) => {
                if self.args.iter().any(|arg| arg == name) {
                    return Ok(());
                }
                let suggestion = Suggestion::closest(name, self.args.iter().map(String::as_str));
                let declared = if self.args.is_empty() {
                    "it declares none".to_owned()
                } else {
                    format!("it declares {}", backticked(&self.args))
                };
                Err((
                    format!(
                        "`{placeholder}`: workflow `{}` has no argument `{name}`{suggestion}",
                        self.workflow
                    ),
                    Some(format!(
                        "{declared}; add it with `args = [{{ name = \"{name}\" }}]` under `[workflow.{}]`",
                        self.workflow
                    )),
                ))
            }
            Placeholder::StepOutput { id, output } => match self.outputs.get(id) {
                Some((_, outputs)) if outputs.iter().any(|name| name == output) => Ok(()),
                Some((number, outputs)) => Err((
                    format!(
                        "`{placeholder}`: step {number} (`{id}`) has no output `{output}`{}",
                        Suggestion::closest(output, outputs.iter().map(String::as_str))
                    ),
                    Some(if outputs.is_empty() {
                        "that step exposes no outputs".to_owned()
                    } else {
                        format!("its outputs are {}", backticked(outputs))
                    }),
                )),
                None if self.later_ids.contains(id) => Err((
                    format!("`{placeholder}` refers to step `{id}`, which runs later"),
                    Some("a step can only use the outputs of steps before it".to_owned()),
                )),
                None => {
                    let known: Vec<&str> = self.outputs.keys().map(String::as_str).collect();
                    Err((
                        format!(
                            "`{placeholder}`: no step before this one has `id = \"{id}\"`{}",
                            Suggestion::closest(id, known)
                        ),
                        None,
                    ))
                }
            },
        }
    }
}

pub(super) fn backticked(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn validate(path: &Path, source: &str) -> Result<Config, ConfigErrors> {
    let file: ConfigFile =
        toml::from_str(source).map_err(|error| parse_error(path, source, &error))?;
    let mut cx = Cx {
        path,
        source,
        lines: super::LineIndex::new(source),
        errors: Vec::new(),
    };
    let ConfigFile {
        project,
        changelog,
        forge,
        workflow,
        package,
    } = file;
    let project = validate_project(&mut cx, project.unwrap_or_default());
    let changelog = validate_changelog(&mut cx, changelog.unwrap_or_default());
    let forge = forge.map(|forge| validate_forge(&mut cx, forge));
    super::limits::check_sizes(&mut cx, &workflow)?;
    let packages = package
        .into_iter()
        .map(|(name, raw)| {
            let options = super::packages::validate_package(&mut cx, &name, raw);
            (name, options)
        })
        .collect();
    let mut workflows = IndexMap::new();
    for (name, raw) in workflow {
        if !super::limits::check_workflow_name(&mut cx, &name) {
            continue;
        }
        let workflow = validate_workflow(&mut cx, &name, raw);
        workflows.insert(name, workflow);
    }
    if cx.errors.is_empty() {
        Ok(Config {
            path: Some(path.to_owned()),
            project,
            changelog,
            forge,
            packages,
            workflows,
        })
    } else {
        Err(cx.into_errors())
    }
}

/// A TOML syntax or shape error, with "did you mean" for unknown keys.
fn parse_error(path: &Path, source: &str, error: &toml::de::Error) -> ConfigErrors {
    let message = error.message().trim().to_owned();
    let span = error.span().unwrap_or(0..0);
    let mut config_error = ConfigError::at(path, source, span, message.clone());
    if let Some((unknown, expected)) = unknown_field(&message) {
        let suggestion = Suggestion::closest(&unknown, expected.iter().map(String::as_str));
        config_error.message = format!("unknown key `{unknown}`{suggestion}");
        config_error.hint = Some(format!("valid keys here: {}", backticked(&expected)));
        if expected.iter().any(|key| key == "check") {
            config_error.hint = Some(
                "a step is a table with one kind key (`check`, `bump`, `run`, `tag` …) and that kind's options; `relman schema` lists them".to_owned(),
            );
        }
    }
    ConfigErrors(vec![config_error])
}

/// Picks apart serde's "unknown field `x`, expected one of `a`, `b`" message.
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect::<Vec<_>>();
    Some((name.to_owned(), expected))
}

fn validate_project(cx: &mut Cx<'_>, raw: raw::ProjectConfig) -> ProjectOptions {
    let raw::ProjectConfig {
        name,
        branch,
        remote,
        tag,
        scheme,
        version_files,
        secrets,
        pre_label,
        ignore_tags,
        initial_version,
        calendar,
    } = raw;
    for glob in &ignore_tags {
        if let Err(error) = globset::Glob::new(glob.get_ref()) {
            cx.error_hint(
                glob.span(),
                format!("`{}` is not a glob: {}", glob.get_ref(), error.kind()),
                "write a tag name, or a glob like `v[0-9]`",
            );
        }
    }
    if let Some(tag) = &tag
        && let Err(error) = relman_version::tag_format::TagFormat::parse(
            &tag.get_ref().replace("{project}", "project"),
        )
    {
        cx.error_hint(tag.span(), error.to_string(), "write it like `v{version}`");
    }
    // Not templates: a placeholder there would be used as written (`branch` is a glob, whose
    // `{a,b}` alternatives are fine).
    for (key, value) in [("remote", &remote), ("branch", &branch)] {
        if let Some(value) = value
            && value
                .get_ref()
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}'))
                .any(|(inside, _)| !inside.contains(','))
        {
            cx.error_hint(
                value.span(),
                format!(
                    "`[project] {key}` is not a template: `{}` would be used as written",
                    value.get_ref()
                ),
                format!(
                    "write the {key}'s name; a step's `remote` and `branch` options take templates"
                ),
            );
        }
    }
    if let Some(scheme) = &scheme
        && let Err(error) = scheme.get_ref().parse::<relman_version::scheme::Scheme>()
    {
        cx.error(scheme.span(), error.to_string());
    }
    if let Some(initial) = &initial_version {
        // Checked against the scheme when the project is resolved (the scheme may be detected);
        // here only that it could be a version at all.
        let text = initial.get_ref();
        if !text.starts_with(|c: char| c.is_ascii_digit()) || text.contains(char::is_whitespace) {
            cx.error_hint(
                initial.span(),
                format!("`{text}` is not a version"),
                "write the first release's version, like `initial-version = \"0.1.0\"`",
            );
        }
    }
    let version_files = version_files.map(|files| version_file_options(cx, files));
    ProjectOptions {
        name: name.map(Spanned::into_inner),
        branch: branch.map(Spanned::into_inner),
        remote: remote.map(Spanned::into_inner),
        tag: tag.map(Spanned::into_inner),
        scheme: scheme.map(Spanned::into_inner),
        version_files,
        secrets,
        pre_label: pre_label.map(Spanned::into_inner),
        ignore_tags: ignore_tags.into_iter().map(Spanned::into_inner).collect(),
        initial_version: initial_version.map(Spanned::into_inner),
        calendar,
    }
}

/// The entries of a `version-files` list, each checked; bad ones are reported and left out.
pub(super) fn version_file_options(
    cx: &mut Cx<'_>,
    files: Vec<Spanned<VersionFileConfig>>,
) -> Vec<VersionFileOption> {
    files
        .into_iter()
        .filter_map(|entry| {
            let span = entry.span();
            match entry.into_inner() {
                VersionFileConfig::Path(path) => Some(VersionFileOption::Known { path }),
                VersionFileConfig::Table(raw::VersionFileTable { path, pattern, key }) => {
                    match (pattern, key) {
                        (Some(pattern), None) => {
                            if pattern.matches("{version}").count() != 1 {
                                cx.error(span, format!("pattern `{pattern}` must contain `{{version}}` exactly once"));
                                return None;
                            }
                            Some(VersionFileOption::Pattern { path, pattern })
                        }
                        (None, Some(key)) => Some(VersionFileOption::Key { path, key }),
                        (None, None) => {
                            if relman_version::files::KnownFormat::from_path(Path::new(&path)).is_none() {
                                cx.error_hint(span, format!("relman does not know the format of `{path}`"), "add `pattern = '…{version}…'` or `key = \"dotted.key\"`");
                                return None;
                            }
                            Some(VersionFileOption::Known { path })
                        }
                        (Some(_), Some(_)) => {
                            cx.error(span, format!("version file `{path}` has both `pattern` and `key`; keep one"));
                            None
                        }
                    }
                }
            }
        })
        .collect()
}

fn validate_changelog(cx: &mut Cx<'_>, raw: raw::ChangelogConfig) -> ChangelogOptions {
    let raw::ChangelogConfig {
        file,
        from,
        fragments,
        template,
        include_other,
        types,
        levels,
    } = raw;
    const SOURCES: [&str; 4] = ["commits", "fragments", "file", "github"];
    let source = from.and_then(|from| match from.get_ref().as_str() {
        "commits" => Some(ChangelogSource::Commits),
        "fragments" => Some(ChangelogSource::Fragments),
        "file" => Some(ChangelogSource::File),
        "github" => Some(ChangelogSource::Github),
        other => {
            let suggestion = Suggestion::closest(other, SOURCES);
            cx.error(
                from.span(),
                format!(
                    "`from = \"{other}\"`: expected `commits`, `fragments`, `file` or `github`{suggestion}"
                ),
            );
            None
        }
    });
    const LEVELS: [&str; 4] = ["major", "minor", "patch", "none"];
    let mut level_map = std::collections::BTreeMap::new();
    for (fragment_type, level) in levels.unwrap_or_default() {
        if LEVELS.contains(&level.get_ref().as_str()) {
            level_map.insert(fragment_type, level.get_ref().clone());
        } else {
            let suggestion = Suggestion::closest(level.get_ref(), LEVELS);
            cx.error_hint(
                level.span(),
                format!(
                    "`{fragment_type} = \"{}\"`: expected `major`, `minor`, `patch` or `none`{suggestion}",
                    level.get_ref()
                ),
                "`[changelog.levels]` says which bump each news fragment type calls for with `auto`",
            );
        }
    }
    ChangelogOptions {
        file: file.map(Spanned::into_inner),
        source,
        fragments: fragments.map(Spanned::into_inner),
        template: template.map(Spanned::into_inner),
        include_other: include_other.unwrap_or(false),
        types: types.map(Spanned::into_inner).unwrap_or_default(),
        levels: level_map,
    }
}

fn validate_forge(cx: &mut Cx<'_>, raw: raw::ForgeConfig) -> ForgeOptions {
    let raw::ForgeConfig {
        kind,
        repo,
        api,
        token_env,
    } = raw;
    if let Some(kind) = &kind
        && kind.get_ref() != "github"
    {
        cx.error_hint(
            kind.span(),
            format!("forge type `{}` is not supported", kind.get_ref()),
            "relman speaks to `github` (and GitHub Enterprise through `api`)",
        );
    }
    if let Some(repo) = &repo {
        let valid = repo
            .get_ref()
            .split('/')
            .filter(|part| !part.is_empty())
            .count()
            == 2;
        if !valid {
            cx.error(
                repo.span(),
                format!("`repo = \"{}\"`: expected `owner/name`", repo.get_ref()),
            );
        }
    }
    ForgeOptions {
        repo: repo.map(Spanned::into_inner),
        api: api.map(Spanned::into_inner),
        token_env: token_env.map(Spanned::into_inner),
    }
}

fn validate_workflow(cx: &mut Cx<'_>, name: &str, raw: raw::WorkflowConfig) -> Workflow {
    let raw::WorkflowConfig { help, args, step } = raw;
    let mut seen = Vec::new();
    let args: Vec<WorkflowArg> = args
        .into_iter()
        .filter_map(|arg| {
            let raw::ArgConfig {
                name: arg_name,
                default,
                help,
            } = arg;
            if seen.contains(arg_name.get_ref()) {
                cx.error(
                    arg_name.span(),
                    format!("argument `{}` is declared twice", arg_name.get_ref()),
                );
                return None;
            }
            seen.push(arg_name.get_ref().clone());
            Some(WorkflowArg {
                name: arg_name.into_inner(),
                default,
                help,
            })
        })
        .collect();
    let mut scope = Scope {
        workflow: name.to_owned(),
        args: args.iter().map(|arg| arg.name.clone()).collect(),
        outputs: HashMap::new(),
        later_ids: step
            .iter()
            .filter_map(|step| {
                step.get_ref()
                    .values
                    .iter()
                    .find_map(|(key, value)| match (*key, value) {
                        ("id", OptionValue::String(id)) => Some(id.get_ref().clone()),
                        _ => None,
                    })
            })
            .collect(),
    };
    let mut steps = Vec::new();
    for (index, raw_step) in step.into_iter().enumerate() {
        if let Some(step) = super::steps::validate_step(cx, index + 1, raw_step, &mut scope) {
            steps.push(step);
        }
    }
    Workflow {
        name: name.to_owned(),
        help,
        args,
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_apart_unknown_field_messages() {
        let (name, expected) =
            unknown_field("unknown field `projet`, expected one of `project`, `changelog`")
                .unwrap();
        assert_eq!(name, "projet");
        assert_eq!(expected, ["project", "changelog"]);
    }
}
