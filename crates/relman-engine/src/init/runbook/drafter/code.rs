//! Code blocks: one command per line (continuations and open quotes joined, prompts and output
//! told apart), each read for the steps it does.

use super::Drafter;
use super::words::EXPLAINING;
use crate::init::runbook::actions::Action;
use crate::init::runbook::commands;

impl Drafter {
    /// A code block: one command per line, `\` continuations and open quotes joined.
    pub(super) fn code(&mut self, lines: &[(usize, String)]) {
        let mut commands: Vec<(usize, String)> = Vec::new();
        let mut pending: Option<(usize, String)> = None;
        for (number, line) in lines {
            let (start, mut joined) = match pending.take() {
                Some((start, text)) => (start, format!("{text}\n{line}")),
                None => (*number, line.clone()),
            };
            if joined.trim_end().ends_with('\\') {
                joined = joined.trim_end().trim_end_matches('\\').to_owned();
                pending = Some((start, joined));
                continue;
            }
            if shell_words::split(&joined).is_err() && !joined.trim().starts_with('#') {
                pending = Some((start, joined));
                continue;
            }
            commands.push((start, joined));
        }
        commands.extend(pending);
        // With prompts (`$ make dist`), only the prompted lines are commands: the rest is their
        // output. Rules (`===`) and sentences of prose are never commands.
        if commands
            .iter()
            .any(|(_, command)| command.trim_start().starts_with("$ "))
        {
            commands.retain(|(_, command)| command.trim_start().starts_with("$ "));
        }
        commands.retain(|(_, command)| !is_output(command));
        // Prose that introduced a block with no step in it reads best before the block's notes.
        let any_step = commands.iter().any(|(_, command)| {
            let flat = command.split_whitespace().collect::<Vec<_>>().join(" ");
            let lower = flat.to_lowercase();
            commands::command(&flat, &self.scope(&lower))
                .iter()
                .any(|action| matches!(action, Action::Step(_)))
        });
        if !any_step {
            self.flush_intro();
        }
        let mut produced = false;
        for (line, command) in commands {
            let flat = command.split_whitespace().collect::<Vec<_>>().join(" ");
            if flat.is_empty() || flat.starts_with('#') {
                continue;
            }
            let lower = flat.to_lowercase();
            let actions = commands::command(&flat, &self.scope(&lower));
            let quote = shorten(&flat);
            if actions
                .iter()
                .any(|action| matches!(action, Action::Step(_)))
                && !produced
            {
                produced = true;
                let intro = std::mem::take(&mut self.intro);
                self.apply(line, &quote, actions, &intro);
            } else {
                self.apply(line, &quote, actions, &[]);
            }
        }
        self.flush_intro();
    }
}

/// A line of a code block that is not a command: a rule (`===`, `---`), or a sentence (output
/// or prose: "The output is …").
fn is_output(line: &str) -> bool {
    let line = line.trim();
    if !line.is_empty() && line.chars().all(|c| c.is_ascii_punctuation()) && !line.starts_with("./")
    {
        return true;
    }
    if is_data(line) {
        return true;
    }
    let first = line.split_whitespace().next().unwrap_or_default();
    let sentence = first.chars().next().is_some_and(char::is_uppercase)
        && first.chars().skip(1).all(char::is_lowercase)
        && EXPLAINING.contains(&first.to_lowercase().as_str());
    sentence && !commands::looks_like_command(line)
}

/// A line of file content or output shown in a block: a marker (`TBD`), an armoured block's
/// rule (`-----BEGIN PGP SIGNATURE-----`), markup (`<div …>`), a YAML entry (`key: value`,
/// `- uses: …`), a sentence ("Unreleased changes. Notes have not been written."), or a mail's
/// greeting and exclamations ("Hello,", "v1.2.3 is now out!").
fn is_data(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let first = words.first().copied().unwrap_or_default();
    // `go 1.22.0` in a go.mod, a documentation file's path: what a file holds or is called.
    let directive = matches!(words.as_slice(), ["go" | "toolchain", version]
        if version.chars().all(|c| c.is_ascii_digit() || c == '.') && version.contains('.'));
    // A URL or an SCM address alone on its line is a value to write somewhere.
    let address = words.len() == 1 && first.contains("://");
    let document = words.len() == 1
        && first.contains('/')
        && [".rst", ".md", ".txt", ".html", ".yml", ".yaml", ".json"]
            .iter()
            .any(|extension| first.ends_with(extension));
    if directive || document || address {
        return true;
    }
    if commands::looks_like_command(line) {
        return false;
    }
    let marker =
        first == line && line.len() > 1 && line.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    let armour = line.starts_with("-----");
    let markup = line.starts_with('<') && !line.starts_with("<<");
    let yaml_key = first.len() > 1
        && first.ends_with(':')
        && first[..first.len() - 1]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let yaml_item = line.starts_with("- ") || line == "-";
    let sentence = words.len() >= 4
        && line.ends_with('.')
        && first.chars().next().is_some_and(char::is_uppercase)
        && first.chars().skip(1).all(char::is_lowercase);
    // A mail's lines: "Hello,", "v1.2.3 is now out!".
    let greeting = words.len() == 1 && line.ends_with(',') && first.len() > 1;
    let exclaims = words.len() >= 3 && line.ends_with('!');
    marker || armour || markup || yaml_key || yaml_item || sentence || greeting || exclaims
}

/// A command line for a comment: one line, at most 120 characters, a Slack webhook's secret
/// path left out.
fn shorten(command: &str) -> String {
    static WEBHOOK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(hooks\.slack\.com/services/)[^\s'\x22]+")
            .expect("the webhook expression is valid")
    });
    let command = WEBHOOK.replace_all(command, "${1}…");
    let line = command.lines().next().unwrap_or_default();
    let mut out: String = line.chars().take(120).collect();
    if line.chars().count() > 120 || command.lines().count() > 1 {
        out.push_str(" …");
    }
    out
}
