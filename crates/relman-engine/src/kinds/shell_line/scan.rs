//! Reads a `shell = true` line the way `sh` would, far enough to know two things about each
//! placeholder: the quotes it stands in (so its parameter reference keeps it one word) and
//! whether the shell would read its value as an arithmetic expression or a variable name. bash
//! (which is `sh` on some systems) evaluates such a value, and a subscript in it runs command
//! substitutions: `a[$(touch pwned)]` in `$(( {x} ))` is code. Those places are `$(( ))`,
//! `(( ))`, `$[ ]`, `${…}` past the name (subscripts, offsets, indirection), the operands of a
//! `[[ ]]` that compares numbers or tests a name, and the arguments of commands that take
//! names (`let`, `read`, `declare -i` …). The reading is conservative: a placeholder nested
//! anywhere inside such a place is in it, and one elsewhere on a line whose arithmetic refers to
//! variables may reach it through one (`n={x}; echo $((n + 1))`).

/// The quotes a placeholder stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Outside quotes (at the top, or inside `$(…)`, `${…}` or `$((…))`).
    Plain,
    Double,
    Single,
}

/// Why the shell may read a placeholder's value as arithmetic (or a name, whose subscript is).
/// Each names the construct, as the user wrote it, for the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Danger {
    /// Inside `$(( ))`, `(( ))` or `$[ ]`.
    Arithmetic(&'static str),
    /// In `${…}` where a subscript, an offset or an indirection stands.
    Expansion,
    /// An operand of a `[[ ]]` with `-eq`, `-lt` … or `-v`.
    Conditional,
    /// An argument of a command that takes variable names or code (`let`, `read`, `eval` …),
    /// or that follows `-v` (`printf -v`, `test -v`).
    Command(&'static str),
    /// Elsewhere on a line whose arithmetic refers to variables (the construct named).
    Line(&'static str),
}

/// What [`Scanner::finish`] found.
#[derive(Debug)]
pub struct Found {
    /// Each placeholder (by its index on the line) the shell could read as arithmetic, and why.
    pub dangers: Vec<(usize, Danger)>,
    /// Arithmetic on the line that refers to variables, by construct.
    pub arithmetic: Option<&'static str>,
}

/// Commands whose arguments bash reads as names (with subscripts), arithmetic or code.
const NAME_COMMANDS: &[&str] = &[
    "let",
    "eval",
    "trap",
    "unset",
    "read",
    "mapfile",
    "readarray",
    "getopts",
    "wait",
    "source",
    ".",
];
/// Commands that take `NAME=VALUE`: the name is refused, the value too once an option
/// (`-i` makes assignments arithmetic, `-n` makes a reference) is given.
const DECLARE_COMMANDS: &[&str] = &["declare", "typeset", "local", "readonly", "export"];
/// Words that start a command rather than being one.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "command", "builtin",
];
/// `[[ ]]` operators that evaluate their operands as arithmetic or names.
const CONDITIONAL_OPERATORS: &[&str] = &["-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-v", "-R"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The line itself, or `$(…)`: commands, with words tracked.
    Commands,
    /// `$(( ))`, `(( ))` (close on `)`) or `$[ ]` (close on `]`).
    Arithmetic {
        close: char,
        name: &'static str,
    },
    /// `${…}`.
    Expansion,
    Double,
    Single,
}

#[derive(Debug)]
struct Frame {
    kind: Kind,
    /// Open `(`, `[` or `{` inside (of the frame's own sort).
    depth: usize,
    /// The text read inside (`Arithmetic`, `Expansion`), or the current word (`Commands`).
    text: String,
    /// `Commands`: whether the current word has quoted parts.
    quoted: bool,
    /// `Commands`: the current simple command's name, once read.
    command: Option<String>,
    /// `Commands`: an option word in the current command (`-v`, or any for `declare`).
    option: Option<String>,
    /// `Commands`: placeholders inside the current `[[ ]]`, and whether it compares numbers.
    pending: Vec<usize>,
    numeric: bool,
}

impl Frame {
    fn new(kind: Kind) -> Frame {
        Frame {
            kind,
            depth: 0,
            text: String::new(),
            quoted: false,
            command: None,
            option: None,
            pending: Vec::new(),
            numeric: false,
        }
    }
}

/// Where the text read so far leaves the next character, and what was found about each
/// placeholder announced with [`Scanner::placeholder`].
#[derive(Debug)]
pub struct Scanner {
    stack: Vec<Frame>,
    escaped: bool,
    /// The previous character was an unquoted, unescaped `$`.
    dollar: bool,
    /// The previous character was a `(` that opened `$(` (`Some(true)`) or a subshell.
    paren: Option<bool>,
    /// The next `)` is the second of a `))` that closed arithmetic.
    swallow: bool,
    placeholders: usize,
    dangers: Vec<(usize, Danger)>,
    /// Arithmetic on the line that refers to variables, by construct.
    arithmetic: Option<&'static str>,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner {
            stack: vec![Frame::new(Kind::Commands)],
            escaped: false,
            dollar: false,
            paren: None,
            swallow: false,
            placeholders: 0,
            dangers: Vec::new(),
            arithmetic: None,
        }
    }
}

impl Scanner {
    pub fn context(&self) -> Context {
        match self.stack.last().map(|frame| frame.kind) {
            Some(Kind::Double) => Context::Double,
            Some(Kind::Single) => Context::Single,
            _ => Context::Plain,
        }
    }

    /// A placeholder stands here: records whether its value could be read as arithmetic.
    pub fn placeholder(&mut self) {
        let index = self.placeholders;
        self.placeholders += 1;
        self.paren = None;
        self.dollar = false;
        let mut danger = None;
        for frame in self.stack.iter_mut().rev() {
            let found = match frame.kind {
                Kind::Arithmetic { name, .. } => Some(Danger::Arithmetic(name)),
                Kind::Expansion if !word_part(&frame.text) => Some(Danger::Expansion),
                Kind::Commands => {
                    frame.quoted = true;
                    command_danger(frame, index)
                }
                _ => None,
            };
            danger = danger.or(found);
        }
        if let Some(danger) = danger {
            self.dangers.push((index, danger));
        }
    }

    /// Every placeholder the shell could read as arithmetic, in order, with why.
    pub fn finish(mut self) -> Found {
        // An unclosed `[[` still compares: decide its placeholders as if it closed here.
        while let Some(mut frame) = self.stack.pop() {
            if frame.kind == Kind::Commands {
                self.end_word(&mut frame, true);
            } else {
                self.close(&frame);
            }
        }
        if let Some(construct) = self.arithmetic {
            for index in 0..self.placeholders {
                if !self.dangers.iter().any(|(found, _)| *found == index) {
                    self.dangers.push((index, Danger::Line(construct)));
                }
            }
        }
        self.dangers.sort_by_key(|(index, _)| *index);
        Found {
            dangers: self.dangers,
            arithmetic: self.arithmetic,
        }
    }

    pub fn feed(&mut self, text: &str) {
        for ch in text.chars() {
            self.step(ch);
        }
    }

    fn step(&mut self, ch: char) {
        let dollar = std::mem::take(&mut self.dollar);
        let paren = self.paren.take();
        if std::mem::take(&mut self.escaped) {
            self.push_text(ch);
            return;
        }
        if std::mem::take(&mut self.swallow) && ch == ')' {
            return;
        }
        let Some(kind) = self.stack.last().map(|frame| frame.kind) else {
            return;
        };
        match (kind, ch) {
            (Kind::Single, '\'') => {
                self.stack.pop();
            }
            (Kind::Single, _) => {}
            (_, '\\') => {
                self.escaped = true;
                self.push_text(ch);
            }
            (_, '$') => {
                self.dollar = true;
                self.push_text(ch);
            }
            (Kind::Double, '"') => {
                self.stack.pop();
            }
            (_, '(') if dollar => {
                self.stack.push(Frame::new(Kind::Commands));
                self.paren = Some(true);
            }
            (_, '{') if dollar => self.stack.push(Frame::new(Kind::Expansion)),
            (_, '[') if dollar => self.open_arithmetic(']', "`$[ ]`"),
            (Kind::Double, _) => {}
            (_, '(') if paren.is_some() => {
                // `((` or `$((`: arithmetic, whatever follows.
                if paren == Some(true) {
                    self.stack.pop();
                } else if let Some(frame) = self.stack.last_mut() {
                    frame.depth = frame.depth.saturating_sub(1);
                }
                let name = if paren == Some(true) {
                    "`$(( ))`"
                } else {
                    "`(( ))`"
                };
                self.open_arithmetic(')', name);
            }
            (_, '\'') => {
                self.mark_quoted();
                self.stack.push(Frame::new(Kind::Single));
            }
            (_, '"') => {
                self.mark_quoted();
                self.stack.push(Frame::new(Kind::Double));
            }
            (Kind::Commands, _) => self.command_char(ch),
            (Kind::Arithmetic { .. } | Kind::Expansion, _) => {
                let (open, close) = match kind {
                    Kind::Arithmetic { close: ']', .. } => ('[', ']'),
                    Kind::Arithmetic { .. } => ('(', ')'),
                    _ => ('{', '}'),
                };
                let Some(frame) = self.stack.last_mut() else {
                    return;
                };
                if ch == open {
                    frame.depth += 1;
                } else if ch == close && frame.depth == 0 {
                    if let Some(frame) = self.stack.pop() {
                        self.swallow = close == ')';
                        self.close(&frame);
                    }
                    return;
                } else if ch == close {
                    frame.depth -= 1;
                }
                frame.text.push(ch);
            }
        }
    }

    fn open_arithmetic(&mut self, close: char, name: &'static str) {
        self.stack
            .push(Frame::new(Kind::Arithmetic { close, name }));
    }

    /// A closed `$(( ))` or `${…}`: does the line's arithmetic now refer to variables?
    fn close(&mut self, frame: &Frame) {
        let refers = |text: &str| {
            text.chars()
                .any(|c| c.is_ascii_alphabetic() || "_$".contains(c))
        };
        match frame.kind {
            Kind::Arithmetic { name, .. } if refers(&frame.text) => {
                self.arithmetic.get_or_insert(name);
            }
            Kind::Expansion if !plain_expansion(&frame.text) => {
                self.arithmetic
                    .get_or_insert("`${…}` with a subscript or offset");
            }
            _ => {}
        }
    }

    fn push_text(&mut self, ch: char) {
        if let Some(frame) = self.stack.last_mut()
            && frame.kind != Kind::Single
            && frame.kind != Kind::Double
        {
            frame.text.push(ch);
        }
    }

    fn mark_quoted(&mut self) {
        if let Some(frame) = self.stack.last_mut() {
            frame.quoted = true;
        }
    }

    /// A character outside quotes in a list of commands: words, separators, subshells.
    fn command_char(&mut self, ch: char) {
        let Some(mut frame) = self.stack.pop() else {
            return;
        };
        let in_conditional = frame.command.as_deref() == Some("[[");
        match ch {
            ' ' | '\t' => self.end_word(&mut frame, false),
            '\n' | ';' | '&' | '|' | '(' | ')' if !in_conditional => {
                self.end_word(&mut frame, false);
                self.end_command(&mut frame);
                if ch == '(' {
                    frame.depth += 1;
                    self.paren = Some(false);
                } else if ch == ')' && frame.depth > 0 {
                    frame.depth -= 1;
                } else if ch == ')' && !self.stack.is_empty() {
                    // The `)` that closes `$(`: the frame is done.
                    self.end_word(&mut frame, true);
                    return;
                }
            }
            '(' => {
                frame.depth += 1;
                self.paren = Some(false);
            }
            ')' => frame.depth = frame.depth.saturating_sub(1),
            _ => frame.text.push(ch),
        }
        self.stack.push(frame);
    }

    /// The current word is complete: it may name the command, an option or end a `[[ ]]`.
    fn end_word(&mut self, frame: &mut Frame, last: bool) {
        let word = std::mem::take(&mut frame.text);
        let quoted = std::mem::take(&mut frame.quoted);
        if !word.is_empty() || quoted {
            match frame.command.as_deref() {
                None if KEYWORDS.contains(&word.as_str()) || is_assignment(&word) => {}
                None => frame.command = Some(word.clone()),
                Some("[[") if word == "]]" => self.end_command(frame),
                Some("[[") if CONDITIONAL_OPERATORS.contains(&word.as_str()) => {
                    frame.numeric = true;
                }
                Some(command) => {
                    if word == "-v" || word == "-R" {
                        frame.option = Some(word.clone());
                    } else if DECLARE_COMMANDS.contains(&command) && word.starts_with('-') {
                        frame.option = Some(word.clone());
                        self.arithmetic.get_or_insert("`declare -i`");
                    } else if command == "let" {
                        self.arithmetic.get_or_insert("`let`");
                    }
                }
            }
        }
        if last {
            self.end_command(frame);
        }
    }

    /// The simple command is complete: a `[[ ]]` that compares numbers refuses its placeholders.
    fn end_command(&mut self, frame: &mut Frame) {
        let pending = std::mem::take(&mut frame.pending);
        if std::mem::take(&mut frame.numeric) {
            self.arithmetic.get_or_insert("`[[ ]]` comparing numbers");
            self.dangers.extend(
                pending
                    .into_iter()
                    .map(|index| (index, Danger::Conditional)),
            );
        }
        frame.command = None;
        frame.option = None;
    }
}

/// What the command a placeholder is an argument of makes of it.
fn command_danger(frame: &mut Frame, index: usize) -> Option<Danger> {
    let command = frame.command.as_deref()?;
    if command == "[[" {
        frame.pending.push(index);
        return None;
    }
    if let Some(name) = NAME_COMMANDS.iter().find(|name| **name == command) {
        return Some(Danger::Command(name));
    }
    if let Some(name) = DECLARE_COMMANDS.iter().find(|name| **name == command)
        && (frame.option.is_some() || !frame.text.contains('='))
    {
        return Some(Danger::Command(name));
    }
    if frame.option.is_some() {
        return Some(Danger::Command("-v"));
    }
    None
}

/// `NAME=…`: an assignment before (or instead of) a command.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| is_name(name))
}

fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The parameter a `${…}` starts with and the rest: a name, digits or one special character.
fn split_parameter(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    if end > 0 {
        return text.split_at(end);
    }
    match text.chars().next() {
        Some(c) if "@*#?$!-".contains(c) => text.split_at(1),
        _ => ("", text),
    }
}

/// Whether the text read inside `${` so far ends in a word (`${NAME:-…}`, `${NAME#…}` …),
/// where a value is text, rather than in a subscript, an offset or an indirection.
fn word_part(text: &str) -> bool {
    let (parameter, rest) = split_parameter(text);
    if parameter.is_empty() || parameter == "!" {
        return false;
    }
    let rest = rest.strip_prefix(':').map_or(rest, |after| {
        if after.starts_with(['-', '=', '+', '?']) {
            after
        } else {
            "["
        }
    });
    rest.starts_with(['-', '=', '+', '?', '#', '%', '/', '^', ','])
}

/// Whether a closed `${…}` is a plain one (`${NAME}`, `${#NAME}`, or a word operator).
fn plain_expansion(text: &str) -> bool {
    let text = text
        .strip_prefix('#')
        .filter(|rest| is_name(rest))
        .unwrap_or(text);
    let (parameter, rest) = split_parameter(text);
    !parameter.is_empty() && parameter != "!" && (rest.is_empty() || word_part(text))
}
