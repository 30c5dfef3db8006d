//! Questions asked on the terminal: confirmations, manual steps, and editing release notes in
//! `$VISUAL`/`$EDITOR`.

use std::io::{BufRead, Write};

use relman_engine::report::{ManualAnswer, Prompter};

use super::Style;
use super::progress::Spinner;

#[derive(Debug)]
pub struct TerminalPrompter {
    pub style: Style,
    /// The running step's spinner, cleared before a question or an editor takes the terminal.
    pub spinner: Spinner,
}

fn ask(question: &str) -> Option<String> {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{} ", super::clean::stderr(question));
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).ok()?;
    Some(answer.trim().to_ascii_lowercase())
}

impl Prompter for TerminalPrompter {
    fn confirm(&mut self, question: &str) -> bool {
        self.spinner.clear();
        matches!(
            ask(&format!("{question} [y/N]")).as_deref(),
            Some("y" | "yes")
        )
    }

    fn manual(&mut self, text: &str, checklist: &[String]) -> ManualAnswer {
        self.spinner.clear();
        {
            let mut shown = format!("\n  {} {}\n", self.style.yellow("⏸ Your turn:"), text);
            for item in checklist {
                shown.push_str(&format!("    [ ] {item}\n"));
            }
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(super::clean::stderr(&shown).as_bytes());
        }
        match ask("  Done? [y = done / N = later, the release pauses]").as_deref() {
            Some("y" | "yes" | "done") => ManualAnswer::Done,
            _ => ManualAnswer::Later,
        }
    }

    fn edit(&mut self, text: &str) -> Option<String> {
        self.spinner.clear();
        let editor = std::env::var("VISUAL")
            .or_else(|_| std::env::var("EDITOR"))
            .unwrap_or_else(|_| "vi".to_owned());
        let file = tempfile::Builder::new()
            .prefix("relman-notes-")
            .suffix(".md")
            .tempfile()
            .ok()?;
        fs_err::write(file.path(), text).ok()?;
        let words = shell_words::split(&editor).ok()?;
        let (program, args) = words.split_first()?;
        let status = std::process::Command::new(program)
            .args(args)
            .arg(file.path())
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
        fs_err::read_to_string(file.path()).ok()
    }
}
