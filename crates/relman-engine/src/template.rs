//! `{placeholder}` templates in step options, and the variables they resolve against.
//!
//! A template is parsed once, when the config is validated, so an unknown placeholder is reported
//! with its position before anything runs. Resolution never yields an empty string for a missing
//! value: it is an error at plan time, or, for values that only exist once an earlier step has run
//! (`{release_url}`, `{steps.ID.NAME}`), a *deferred* placeholder the plan shows as such.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Variables every template may use, besides `env.*`, `args.*` and `steps.*`.
pub const VARIABLES: &[&str] = &[
    "version",
    "previous_version",
    "major",
    "minor",
    "patch",
    "pre",
    "tag",
    "previous_tag",
    "branch",
    "remote",
    "sha",
    "short_sha",
    "date",
    "describe",
    "changelog",
    "release_url",
    "pr_number",
    "pr_url",
    "dev_version",
    "project",
    "repo",
    "package",
    "packages",
    "released",
];

/// A parsed template. Serialises as its source text.
#[derive(Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

/// One piece of a template as [`Template::each_part`] walks it.
#[derive(Debug, Clone, Copy)]
pub enum Piece<'a> {
    /// Text as written.
    Text(&'a str),
    /// A placeholder and its value, when known.
    Value(&'a Placeholder, Option<&'a str>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Placeholder(Placeholder),
}

/// What a `{…}` names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Placeholder {
    /// One of [`VARIABLES`].
    Variable(String),
    /// `{env.NAME}`.
    Env(String),
    /// `{args.NAME}`.
    Arg(String),
    /// `{steps.ID.NAME}`.
    StepOutput { id: String, output: String },
    /// `{file:PATH}`: the contents of a file of the repository when the step runs.
    File(String),
}

impl Placeholder {
    /// The key under which [`Variables`] stores this placeholder's value.
    pub fn key(&self) -> String {
        match self {
            Placeholder::Variable(name) => name.clone(),
            Placeholder::Env(name) => format!("env.{name}"),
            Placeholder::Arg(name) => format!("args.{name}"),
            Placeholder::StepOutput { id, output } => format!("steps.{id}.{output}"),
            Placeholder::File(path) => format!("{FILE_PREFIX}{path}"),
        }
    }
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{}}}", self.key())
    }
}

/// Why a template could not be parsed. Offsets are byte offsets into the template's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("`{{` at offset {offset} is never closed (write `{{{{` for a literal brace)")]
    Unclosed { offset: usize },
    #[error("`}}` at offset {offset} has no opening `{{` (write `}}}}` for a literal brace)")]
    StrayClose { offset: usize },
    #[error("empty placeholder `{{}}` at offset {offset}")]
    Empty { offset: usize },
    #[error("unknown placeholder `{{{name}}}`{suggestion}")]
    Unknown {
        name: String,
        offset: usize,
        suggestion: Suggestion,
    },
}

impl TemplateError {
    /// Byte offset of the problem within the template text.
    pub fn offset(&self) -> usize {
        match self {
            TemplateError::Unclosed { offset }
            | TemplateError::StrayClose { offset }
            | TemplateError::Empty { offset }
            | TemplateError::Unknown { offset, .. } => *offset,
        }
    }
}

/// A "did you mean" suffix, empty when nothing is close.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suggestion(pub Option<String>);

impl Suggestion {
    /// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
    pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let best = candidates
            .into_iter()
            .map(|candidate| (strsim::damerau_levenshtein(word, candidate), candidate))
            .filter(|(distance, candidate)| {
                *distance <= 2.max(candidate.len() / 3) && *distance < candidate.len()
            })
            .min_by_key(|(distance, _)| *distance);
        Suggestion(best.map(|(_, candidate)| candidate.to_owned()))
    }
}

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(candidate) => write!(f, " (did you mean `{candidate}`?)"),
            None => Ok(()),
        }
    }
}

impl Template {
    /// Parses `source`. Placeholder names are checked for shape only; which names exist in a
    /// given workflow is checked by the config validation.
    pub fn parse(source: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let bytes = source.as_bytes();
        let mut index = 0;
        while index < bytes.len() {
            match bytes[index] {
                b'{' if bytes.get(index + 1) == Some(&b'{') => {
                    literal.push('{');
                    index += 2;
                }
                b'}' if bytes.get(index + 1) == Some(&b'}') => {
                    literal.push('}');
                    index += 2;
                }
                b'}' => return Err(TemplateError::StrayClose { offset: index }),
                b'{' => {
                    let close = source[index..]
                        .find('}')
                        .map(|relative| index + relative)
                        .ok_or(TemplateError::Unclosed { offset: index })?;
                    let name = source[index + 1..close].trim();
                    if name.is_empty() {
                        return Err(TemplateError::Empty { offset: index });
                    }
                    let placeholder = classify(name, index)?;
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Placeholder(placeholder));
                    index = close + 1;
                }
                _ => {
                    // Copy the whole run up to the next brace in one go (keeps UTF-8 intact).
                    let next = source[index..]
                        .find(['{', '}'])
                        .map_or(source.len(), |relative| index + relative);
                    literal.push_str(&source[index..next]);
                    index = next;
                }
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Template {
            source: source.to_owned(),
            parts,
        })
    }

    /// A template with no placeholders.
    pub fn literal(text: &str) -> Template {
        Template {
            source: text.replace('{', "{{").replace('}', "}}"),
            parts: vec![Part::Literal(text.to_owned())],
        }
    }

    /// The text as written in the config.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every placeholder, in order of appearance.
    pub fn placeholders(&self) -> impl Iterator<Item = &Placeholder> {
        self.parts.iter().filter_map(|part| match part {
            Part::Placeholder(placeholder) => Some(placeholder),
            Part::Literal(_) => None,
        })
    }

    /// Whether the template is exactly one placeholder (so its value can stand as one argument).
    pub fn is_single_placeholder(&self) -> bool {
        matches!(self.parts.as_slice(), [Part::Placeholder(_)])
    }

    /// Resolves every placeholder. A missing value is an error naming it.
    pub fn render(&self, variables: &Variables) -> Result<String, Unresolved> {
        let mut out = String::with_capacity(self.source.len());
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Placeholder(placeholder) => match variables.get(placeholder) {
                    Some(value) => out.push_str(value),
                    None => return Err(Unresolved(placeholder.clone())),
                },
            }
        }
        Ok(out)
    }

    /// Resolves what is known and leaves the rest as `{name}`, for showing a plan before the
    /// steps that produce those values have run.
    pub fn render_partial(&self, variables: &Variables) -> String {
        let mut out = String::with_capacity(self.source.len());
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Placeholder(placeholder) => match variables.get(placeholder) {
                    Some(value) => out.push_str(value),
                    None => out.push_str(&placeholder.to_string()),
                },
            }
        }
        out
    }

    /// Walks the template in order: the text as written, and each placeholder with its value
    /// (unresolved ones as `None` when `partial`, else an error).
    pub fn each_part(
        &self,
        variables: &Variables,
        partial: bool,
        mut piece: impl FnMut(Piece<'_>),
    ) -> Result<(), Unresolved> {
        for part in &self.parts {
            match part {
                Part::Literal(text) => piece(Piece::Text(text)),
                Part::Placeholder(placeholder) => match variables.get(placeholder) {
                    Some(found) => piece(Piece::Value(placeholder, Some(found))),
                    None if partial => piece(Piece::Value(placeholder, None)),
                    None => return Err(Unresolved(placeholder.clone())),
                },
            }
        }
        Ok(())
    }

    /// Resolves with `quote` applied to each value (shell quoting for `shell = true`).
    pub fn render_with(
        &self,
        variables: &Variables,
        quote: impl Fn(&str) -> String,
    ) -> Result<String, Unresolved> {
        let mut out = String::with_capacity(self.source.len());
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Placeholder(placeholder) => match variables.get(placeholder) {
                    Some(value) => out.push_str(&quote(value)),
                    None => return Err(Unresolved(placeholder.clone())),
                },
            }
        }
        Ok(out)
    }
}

/// How a `{file:PATH}` placeholder begins.
pub const FILE_PREFIX: &str = "file:";

fn classify(name: &str, offset: usize) -> Result<Placeholder, TemplateError> {
    let unknown = |suggestion| TemplateError::Unknown {
        name: name.to_owned(),
        offset,
        suggestion,
    };
    if let Some(path) = name.strip_prefix(FILE_PREFIX) {
        let path = path.trim();
        return (!path.is_empty())
            .then(|| Placeholder::File(path.to_owned()))
            .ok_or_else(|| unknown(Suggestion(Some("file:PATH".to_owned()))));
    }
    if let Some(rest) = name.strip_prefix("env.") {
        return valid_identifier(rest, true)
            .then(|| Placeholder::Env(rest.to_owned()))
            .ok_or_else(|| unknown(Suggestion::default()));
    }
    if let Some(rest) = name.strip_prefix("args.") {
        return valid_identifier(rest, false)
            .then(|| Placeholder::Arg(rest.to_owned()))
            .ok_or_else(|| unknown(Suggestion::default()));
    }
    if let Some(rest) = name.strip_prefix("steps.") {
        return match rest.split_once('.') {
            Some((id, output))
                if valid_identifier(id, false) && valid_identifier(output, false) =>
            {
                Ok(Placeholder::StepOutput {
                    id: id.to_owned(),
                    output: output.to_owned(),
                })
            }
            _ => Err(unknown(Suggestion(Some("steps.ID.NAME".to_owned())))),
        };
    }
    if VARIABLES.contains(&name) {
        return Ok(Placeholder::Variable(name.to_owned()));
    }
    let namespaces = ["env.", "args.", "steps."];
    Err(unknown(Suggestion::closest(
        name,
        VARIABLES.iter().copied().chain(namespaces),
    )))
}

fn valid_identifier(text: &str, allow_any_case: bool) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && (allow_any_case || !text.starts_with(|c: char| c.is_ascii_digit()))
}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Template({:?})", self.source)
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Serialize for Template {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for Template {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = String::deserialize(deserializer)?;
        Template::parse(&source).map_err(serde::de::Error::custom)
    }
}

/// A placeholder with no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` has no value")]
pub struct Unresolved(pub Placeholder);

/// The values templates resolve against, keyed as [`Placeholder::key`] spells them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variables {
    values: BTreeMap<String, String>,
}

impl Variables {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.values.insert(key.into(), value.into());
    }

    pub fn remove(&mut self, key: &str) {
        self.values.remove(key);
    }

    pub fn get(&self, placeholder: &Placeholder) -> Option<&str> {
        self.get_key(&placeholder.key())
    }

    pub fn get_key(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
    }

    /// The values as a nested structure for minijinja (`args.docker`, `steps.bug.id`).
    pub fn to_context(&self) -> serde_json::Value {
        let mut root = serde_json::Map::new();
        for (key, value) in &self.values {
            let mut segments: Vec<&str> = key.split('.').collect();
            // `env.A.B` is not nested further: environment names may contain dots.
            if segments.first() == Some(&"env") && segments.len() > 2 {
                segments = vec!["env", &key[4..]];
            }
            insert_nested(&mut root, &segments, value);
        }
        serde_json::Value::Object(root)
    }
}

fn insert_nested(map: &mut serde_json::Map<String, serde_json::Value>, path: &[&str], value: &str) {
    match path {
        [] => {}
        [last] => {
            map.insert(
                (*last).to_owned(),
                serde_json::Value::String(value.to_owned()),
            );
        }
        [first, rest @ ..] => {
            let entry = map
                .entry((*first).to_owned())
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            if !entry.is_object() {
                *entry = serde_json::Value::Object(serde_json::Map::new());
            }
            if let serde_json::Value::Object(inner) = entry {
                insert_nested(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Variables {
        let mut variables = Variables::new();
        for (key, value) in pairs {
            variables.set(*key, *value);
        }
        variables
    }

    #[test]
    fn renders_placeholders_and_literal_braces() {
        let template =
            Template::parse("Release {version} {{x}} for {env.USER}/{args.bump}").unwrap();
        let variables = vars(&[
            ("version", "1.2.3"),
            ("env.USER", "ann"),
            ("args.bump", "minor"),
        ]);
        assert_eq!(
            template.render(&variables).unwrap(),
            "Release 1.2.3 {x} for ann/minor"
        );
    }

    #[test]
    fn step_outputs_parse_into_id_and_name() {
        let template = Template::parse("bug {steps.bug.id}").unwrap();
        assert_eq!(
            template.placeholders().next(),
            Some(&Placeholder::StepOutput {
                id: "bug".into(),
                output: "id".into()
            })
        );
    }

    #[test]
    fn a_missing_value_is_an_error_never_an_empty_string() {
        let template = Template::parse("{release_url}").unwrap();
        let error = template.render(&Variables::new()).unwrap_err();
        assert_eq!(error.to_string(), "`{release_url}` has no value");
        assert_eq!(template.render_partial(&Variables::new()), "{release_url}");
    }

    #[test]
    fn unknown_names_suggest_the_closest_variable() {
        let error = Template::parse("v{verison}").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown placeholder `{verison}` (did you mean `version`?)"
        );
        assert_eq!(error.offset(), 1);
    }

    #[test]
    fn malformed_braces_are_errors_with_offsets() {
        assert_eq!(
            Template::parse("a {version").unwrap_err(),
            TemplateError::Unclosed { offset: 2 }
        );
        assert_eq!(
            Template::parse("a } b").unwrap_err(),
            TemplateError::StrayClose { offset: 2 }
        );
        assert_eq!(
            Template::parse("{ }").unwrap_err(),
            TemplateError::Empty { offset: 0 }
        );
    }

    #[test]
    fn shell_quoting_applies_to_values_only() {
        let template = Template::parse("echo {changelog} > out").unwrap();
        let variables = vars(&[("changelog", "it's $HOME")]);
        let rendered = template
            .render_with(&variables, |value| shell_words::quote(value).into())
            .unwrap();
        assert_eq!(rendered, r#"echo 'it'\''s $HOME' > out"#);
    }

    #[test]
    fn context_nests_dotted_keys() {
        let variables = vars(&[
            ("args.docker", "true"),
            ("steps.bug.id", "7"),
            ("version", "1"),
        ]);
        let context = variables.to_context();
        assert_eq!(context["args"]["docker"], "true");
        assert_eq!(context["steps"]["bug"]["id"], "7");
        assert_eq!(context["version"], "1");
    }

    #[test]
    fn templates_round_trip_through_serde() {
        let template = Template::parse("v{version}").unwrap();
        let json = serde_json::to_string(&template).unwrap();
        assert_eq!(json, r#""v{version}""#);
        let back: Template = serde_json::from_str(&json).unwrap();
        assert_eq!(back, template);
    }
}
