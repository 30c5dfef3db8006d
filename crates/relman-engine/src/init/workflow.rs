//! Workflows as `relman init` writes them: steps as ordered TOML fields, each with the comments
//! that say where it came from (what was detected, or the runbook line it was drafted from).
//! The default `release` workflow and the drafts of a runbook are both built as [`DraftWorkflow`]s
//! and written by [`write_workflows`].

use super::toml_text::TomlText;

/// A workflow to write.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftWorkflow {
    pub name: String,
    pub help: Option<String>,
    pub args: Vec<DraftArg>,
    pub entries: Vec<Entry>,
}

/// A positional argument of a workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftArg {
    pub name: String,
    pub default: Option<String>,
    pub help: String,
}

/// What a workflow holds, in order: steps, and comments between them (notes, section titles).
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Comment(String),
    Step(DraftStep),
}

/// One step: its kind key first, then its options, and the comments written above it.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftStep {
    pub comments: Vec<String>,
    pub fields: Vec<(String, toml::Value)>,
}

impl DraftStep {
    /// A step of `kind` whose kind key holds `value`.
    pub fn new(kind: &str, value: impl Into<toml::Value>) -> Self {
        DraftStep {
            comments: Vec::new(),
            fields: vec![(kind.to_owned(), value.into())],
        }
    }

    /// Sets an option (replacing it when present).
    pub fn with(mut self, key: &str, value: impl Into<toml::Value>) -> Self {
        self.set(key, value);
        self
    }

    pub fn set(&mut self, key: &str, value: impl Into<toml::Value>) {
        let value = value.into();
        match self.fields.iter_mut().find(|(name, _)| name == key) {
            Some((_, existing)) => *existing = value,
            None => self.fields.push((key.to_owned(), value)),
        }
    }

    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comments.push(text.into());
        self
    }

    /// The kind key (`check`, `tag` …).
    pub fn kind(&self) -> &str {
        &self.fields[0].0
    }

    /// The value of the kind key as text (`"branch"` for `check = "branch"`).
    pub fn kind_value(&self) -> Option<&str> {
        self.fields[0].1.as_str()
    }

    pub fn get(&self, key: &str) -> Option<&toml::Value> {
        self.fields
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(toml::Value::as_str)
    }

    /// Whether two steps do the same thing (comments aside).
    pub fn same_as(&self, other: &DraftStep) -> bool {
        self.fields == other.fields
    }
}

impl DraftWorkflow {
    pub fn new(name: &str) -> Self {
        DraftWorkflow {
            name: name.to_owned(),
            help: None,
            args: Vec::new(),
            entries: Vec::new(),
        }
    }

    pub fn steps(&self) -> impl DoubleEndedIterator<Item = &DraftStep> {
        self.entries.iter().filter_map(|entry| match entry {
            Entry::Step(step) => Some(step),
            Entry::Comment(_) => None,
        })
    }

    pub fn steps_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut DraftStep> {
        self.entries.iter_mut().filter_map(|entry| match entry {
            Entry::Step(step) => Some(step),
            Entry::Comment(_) => None,
        })
    }

    pub fn push(&mut self, step: DraftStep) {
        self.entries.push(Entry::Step(step));
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.entries.push(Entry::Comment(text.into()));
    }
}

/// Writes `[workflow.NAME]` tables and their steps.
pub(crate) fn write_workflows(out: &mut TomlText, workflows: &[DraftWorkflow]) {
    for workflow in workflows {
        out.blank();
        out.table(&format!(
            "workflow.{}",
            super::toml_text::key(&workflow.name)
        ));
        if let Some(help) = &workflow.help {
            out.string("help", help);
        }
        if !workflow.args.is_empty() {
            let args = workflow
                .args
                .iter()
                .map(|arg| {
                    let mut table = toml::Table::new();
                    table.insert("name".into(), arg.name.clone().into());
                    if let Some(default) = &arg.default {
                        table.insert("default".into(), default.clone().into());
                    }
                    table.insert("help".into(), arg.help.clone().into());
                    toml::Value::Table(table)
                })
                .collect();
            out.entry("args", &toml::Value::Array(args));
        }
        let header = format!("workflow.{}.step", super::toml_text::key(&workflow.name));
        let mut pending_comments: Vec<&str> = Vec::new();
        for entry in &workflow.entries {
            match entry {
                Entry::Comment(text) => pending_comments.push(text),
                Entry::Step(step) => {
                    out.blank();
                    for comment in pending_comments.drain(..) {
                        out.comment(comment);
                    }
                    for comment in &step.comments {
                        out.comment(comment);
                    }
                    out.array_table(&header);
                    for (key, value) in &step.fields {
                        out.entry(key, value);
                    }
                }
            }
        }
        if !pending_comments.is_empty() {
            out.blank();
            for comment in pending_comments {
                out.comment(comment);
            }
        }
    }
}
