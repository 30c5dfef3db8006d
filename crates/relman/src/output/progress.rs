//! The live view of a release: a list of steps with state marks and durations, command output
//! indented under its step, a spinner with elapsed time while waiting (on a terminal only), or,
//! with `--json`, one JSON event per line on stdout.

use std::collections::VecDeque;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use relman_engine::journal::StepState;
use relman_engine::report::{Event, Reporter};

use super::Style;

/// How much to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Quiet,
    Normal,
    Verbose,
}

/// The spinner of the running step, shared with the prompter: a question or an editor must not
/// have a spinner redrawn over it.
#[derive(Debug, Clone, Default)]
pub struct Spinner(Arc<Mutex<Option<ProgressBar>>>);

impl Spinner {
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<ProgressBar>> {
        // A panic while holding it leaves a spinner or none: either is fine to go on with.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn start(&self, bar: ProgressBar) {
        if let Some(old) = self.slot().replace(bar) {
            old.finish_and_clear();
        }
    }

    /// Removes the spinner from the screen (it does not come back for this step).
    pub fn clear(&self) {
        if let Some(bar) = self.slot().take() {
            bar.finish_and_clear();
        }
    }

    fn set_message(&self, message: String) -> bool {
        match self.slot().as_ref() {
            Some(bar) => {
                bar.set_message(super::clean::stderr(&message).into_owned());
                true
            }
            None => false,
        }
    }

    /// Runs `write` with the spinner out of the way.
    fn suspend(&self, write: impl FnOnce()) {
        let bar = self.slot().clone();
        match bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }
}

/// Renders engine events for people (stderr) or machines (stdout, JSON lines).
#[derive(Debug)]
pub struct Progress {
    style: Style,
    json: bool,
    detail: Detail,
    spinner: Spinner,
    terminal: bool,
    /// Output lines of the current step so far (those past [`LIVE_LINES`] are in the journal).
    shown_lines: usize,
    /// The current step's first output line, held back: a step with one line of output shows it
    /// on its finish line; a step with more streams them under a header.
    held: Option<(usize, String, String)>,
    /// Whether the current step's header was printed (it is streaming output).
    streaming: bool,
    /// The current step's number and title.
    current: Option<(usize, String)>,
    /// Digits of the highest step number, so `9.` and `10.` line up.
    width: usize,
    /// The current step's last output lines, shown again when it fails.
    recent: VecDeque<String>,
    /// Output lines of the current step, shown or not.
    seen_lines: usize,
}

/// Lines of a failed step's output shown when they were not all on screen.
const FAILURE_LINES: usize = 10;

/// Lines of a step's output shown live without `-v`.
const LIVE_LINES: usize = 20;

impl Progress {
    /// `spinner` is shared with the prompter, which clears it before asking.
    pub fn new(style: Style, json: bool, detail: Detail, spinner: Spinner) -> Self {
        Progress {
            style,
            json,
            detail,
            spinner,
            terminal: std::io::stderr().is_terminal(),
            shown_lines: 0,
            held: None,
            streaming: false,
            current: None,
            width: 1,
            recent: VecDeque::new(),
            seen_lines: 0,
        }
    }

    fn clear_spinner(&mut self) {
        self.spinner.clear();
    }

    fn line(&mut self, text: &str) {
        let text = super::clean::stderr(text);
        self.spinner.suspend(|| {
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        });
    }

    fn mark(&self, state: StepState) -> String {
        let mark = state.mark();
        match state {
            StepState::Done => self.style.green(mark),
            StepState::Failed => self.style.red(mark),
            StepState::Paused => self.style.yellow(mark),
            _ => self.style.dim(mark),
        }
    }
}

impl Progress {
    /// A failed step's output must be on screen, whatever was shown while it ran: the line held
    /// back for the finish line, or (quiet, or past [`LIVE_LINES`]) the last lines it printed.
    fn show_failure_output(&mut self, held_back: bool) {
        let everything_shown = !held_back
            && self.detail != Detail::Quiet
            && (self.detail == Detail::Verbose || self.shown_lines <= LIVE_LINES);
        if everything_shown || self.recent.is_empty() {
            return;
        }
        if self.seen_lines > self.recent.len() {
            let text = format!("      {}", self.style.dim("… its last lines:"));
            self.line(&text);
        }
        for line in self.recent.clone() {
            let text = format!("      {}", self.style.dim(&line));
            self.line(&text);
        }
    }
}

/// `12ms`, `3.4s`, `2m05s`.
pub fn millis(millis: u64) -> String {
    match millis {
        0..1000 => format!("{millis}ms"),
        1000..60_000 => format!("{:.1}s", millis as f64 / 1000.0),
        _ => format!("{}m{:02}s", millis / 60_000, (millis / 1000) % 60),
    }
}

fn seconds(duration: Duration) -> String {
    millis(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}

impl Reporter for Progress {
    #[allow(clippy::print_stdout)] // JSON events are the data of `--json`
    fn event(&mut self, event: Event) {
        if self.json {
            let text = serde_json::to_string(&event).expect("an event serialises");
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", super::clean::stdout(&text));
            let _ = out.flush();
            return;
        }
        match event {
            Event::Release {
                workflow,
                version,
                tag,
                resumed,
                steps,
            } => {
                self.width = steps.to_string().len();
                if self.detail != Detail::Quiet {
                    let verb = if resumed { "Resuming" } else { "Running" };
                    let what = if version.is_empty() {
                        String::new()
                    } else {
                        format!(" {version} ({tag})")
                    };
                    self.line(&format!(
                        "{} {}{what}",
                        self.style.bold(verb),
                        self.style.bold(&workflow)
                    ));
                }
            }
            Event::StepStarted { number, title } => {
                self.shown_lines = 0;
                self.seen_lines = 0;
                self.recent.clear();
                self.held = None;
                self.streaming = false;
                self.current = Some((number, title.clone()));
                if self.detail == Detail::Quiet {
                    return;
                }
                if self.terminal {
                    let spinner = ProgressBar::new_spinner();
                    spinner.set_style(
                        ProgressStyle::with_template("  {spinner} {msg} {elapsed}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    );
                    let message = format!("{number:>width$}. {title}", width = self.width);
                    spinner.set_message(super::clean::stderr(&message).into_owned());
                    spinner.enable_steady_tick(Duration::from_millis(120));
                    self.spinner.start(spinner);
                }
            }
            Event::StepOutput { line, .. } => {
                if self.recent.len() == FAILURE_LINES {
                    self.recent.pop_front();
                }
                self.recent.push_back(line.clone());
                self.seen_lines += 1;
                if self.detail == Detail::Quiet {
                    return;
                }
                self.shown_lines += 1;
                if self.shown_lines == 1 {
                    let (number, title) = self.current.clone().unwrap_or_default();
                    self.held = Some((number, title, line));
                    return;
                }
                if !self.streaming {
                    self.streaming = true;
                    if let Some((number, title, first)) = self.held.take() {
                        let header = format!(
                            "  {} {number:>width$}. {title}",
                            self.style.dim("›"),
                            width = self.width
                        );
                        self.line(&header);
                        let text = format!("      {}", self.style.dim(&first));
                        self.line(&text);
                    }
                }
                if self.detail == Detail::Verbose || self.shown_lines <= LIVE_LINES {
                    let text = format!("      {}", self.style.dim(&line));
                    self.line(&text);
                } else if self.shown_lines == LIVE_LINES + 1 {
                    let text = format!(
                        "      {}",
                        self.style
                            .dim("… (more in `relman status`, or run with -v)")
                    );
                    self.line(&text);
                }
            }
            Event::Waiting {
                number,
                what,
                elapsed_secs,
            } => {
                let on_spinner = self.spinner.set_message(format!(
                    "{number:>width$}. waiting: {what}",
                    width = self.width
                ));
                if !on_spinner && self.detail != Detail::Quiet && elapsed_secs % 60 == 0 {
                    self.line(&format!("      waiting ({elapsed_secs}s): {what}"));
                }
            }
            Event::StepFinished {
                number,
                title,
                state,
                duration,
                summary,
            } => {
                self.clear_spinner();
                let show = match self.detail {
                    Detail::Quiet => matches!(state, StepState::Failed | StepState::Paused),
                    _ => true,
                };
                if !show {
                    return;
                }
                let time = if matches!(state, StepState::Skipped) {
                    String::new()
                } else {
                    format!(" {}", self.style.dim(&seconds(duration)))
                };
                let held = self.held.take();
                let result = match (&held, state) {
                    (Some((_, _, line)), StepState::Done) => {
                        format!(" {}", self.style.dim(&format!("— {line}")))
                    }
                    _ => String::new(),
                };
                self.line(&format!(
                    "  {} {number:>width$}. {title}{result}{time}",
                    self.mark(state),
                    width = self.width
                ));
                if state == StepState::Failed {
                    self.show_failure_output(held.is_some());
                }
                if let (StepState::Skipped | StepState::Failed | StepState::Paused, Some(summary)) =
                    (state, summary)
                {
                    for line in summary.lines() {
                        let text = format!("      {line}");
                        self.line(&text);
                    }
                }
            }
            Event::Warning { message } => {
                self.line(&format!("{} {message}", self.style.yellow("warning:")));
            }
            // The result ("Released: …", "Paused at …") is the command's output, on stdout.
            Event::Finished { .. } => self.clear_spinner(),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear_spinner();
    }
}
