//! How a step kind says what it does in plain English, for `relman docs`: [`Explained`] (a
//! sentence, then details), what it is told ([`ExplainCx`]), and the wording helpers every kind
//! shares (templates as written, code spans, lists).

use super::StepInfo;
use crate::template::{Template, Variables};

/// What a kind is told while it explains itself.
#[derive(Debug)]
pub struct ExplainCx<'a> {
    pub step: StepInfo<'a>,
    /// How many `bump` steps of the workflow were explained before (the first one decides the
    /// version; a later one writes the next development version).
    pub bumps: &'a mut usize,
    /// Whether the version lives in tags only (`version-files = []`).
    pub tags_only: bool,
}

/// One step in words: a sentence, then details.
#[derive(Debug)]
pub struct Explained {
    pub sentence: String,
    pub details: Vec<String>,
}

impl Explained {
    pub fn new(sentence: impl Into<String>) -> Self {
        Explained {
            sentence: sentence.into(),
            details: Vec::new(),
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.details.push(detail.into());
        self
    }

    pub fn detail_if(self, condition: bool, detail: impl Into<String>) -> Self {
        if condition { self.detail(detail) } else { self }
    }
}

/// A template as written, placeholders and all, in backticks.
pub fn show_code(template: &Template) -> String {
    code(&template.render_partial(&Variables::new()))
}

pub fn show(template: &Template) -> String {
    template.render_partial(&Variables::new())
}

/// `LABEL: `text`.` for a one-line template; for a longer text, `LABEL:` and the text as a fenced
/// block, where its blank lines and indentation survive Markdown (in backticks they would not).
pub fn labelled_text(label: &str, template: &Template) -> String {
    let text = show(template);
    let text = text.trim_end_matches('\n');
    if text.contains('\n') {
        let fence = if text.contains("```") { "````" } else { "```" };
        format!("{label}:\n\n{fence}text\n{text}\n{fence}")
    } else {
        format!("{label}: {}.", code(text))
    }
}

pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

pub fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

pub fn codes(templates: &[Template]) -> String {
    join(&templates.iter().map(show_code).collect::<Vec<_>>())
}

/// What a waiting step says of its timeout; `relman docs` puts the step's own timeout in.
pub const PAUSES: &str = "If that takes longer than the timeout (30 min unless set), the release pauses; `relman resume` looks again.";

/// "`URL` answers 200 with `text`": what a URL wait or verify looks for.
pub fn answers(url: &Template, status: Option<u16>, contains: Option<&Template>) -> String {
    format!(
        "{} answers{}{}",
        show_code(url),
        status
            .map(|status| format!(" {status}"))
            .unwrap_or_default(),
        contains
            .map(|text| format!(" with {}", show_code(text)))
            .unwrap_or_default()
    )
}
