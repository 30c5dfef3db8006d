//! Conventional Commits 1.0: one parser for every commit message relman reads, and the bump impact
//! it implies.
//!
//! The parser runs on every commit of a history walk, so it borrows: [`parse`] finds the parts of a
//! message by byte offsets and hands back a [`Commit`] whose text points into the message. Text is
//! copied only when it has to change: bytes that are not UTF-8 (lossy-decoded) and multi-line values
//! written with CRLF (normalised to `\n`). The body and the footers are located lazily, when asked
//! for; only the `BREAKING CHANGE` footer is looked for up front, because it decides the impact.
//!
//! A message that is not conventional is not an error: it is a commit of kind [`Kind::Other`], and
//! merge commits and git's `Revert "…"` messages have their own kinds so changelogs can treat them
//! apart.
//!
//! Where the specification leaves room, these are the choices (all tested below):
//! - the subject is the first non-blank line, trimmed; the line right after it may start the body
//!   even without the blank line the spec asks for;
//! - types are `[A-Za-z0-9_-]+`, compared without regard to ASCII case; `: ` needs the space; an
//!   empty scope `()` is no scope;
//! - a trailing `(#123)` on the subject is the pull request number, and is not part of the
//!   description;
//! - the footers start at the first paragraph whose first line is a footer (`Token: value` or
//!   `Token #value`), or at the first line that starts with `BREAKING CHANGE:` or
//!   `BREAKING-CHANGE:` wherever it is, because missing a breaking change costs more than
//!   misreading a body paragraph; from there every line that is a footer starts the next one, and
//!   other lines (blank ones included) continue the current value;
//! - `BREAKING CHANGE` only counts in upper case, as the spec says, and only on conventional
//!   commits.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;

use crate::bump::Impact;

/// What a commit message is, before any changelog decides what to do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `type(scope)!: description`. A `revert:` type is conventional too.
    Conventional,
    /// git's own `Revert "subject"` message.
    Revert,
    /// A merge: `Merge pull request #12 from …`, `Merge branch …`, `Merge tag …`…
    Merge,
    /// Anything else.
    Other,
}

/// The separator between a footer's token and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Separator {
    /// `Token: value`
    Colon,
    /// `Token #value`
    Hash,
}

/// One parsed commit message, borrowing from the message bytes.
///
/// The subject's parts are kept as offsets into the subject rather than as strings of their own:
/// one `Cow` instead of four keeps the struct small and cheap to build, which the history walk
/// measures.
#[derive(Debug, Clone)]
pub struct Commit<'a> {
    kind: Kind,
    /// The subject line, trimmed, with the pull request suffix still on.
    subject: Cow<'a, str>,
    /// Conventional: where the type ends (it starts the subject). 0 for the other kinds.
    type_end: usize,
    scope: Option<Range<usize>>,
    /// Conventional: after `: `; revert: the reverted subject; others: the subject. Never with the
    /// pull request suffix.
    description: Range<usize>,
    bang: bool,
    /// The value of the first `BREAKING CHANGE` footer.
    breaking_note: Option<Cow<'a, str>>,
    pr_number: Option<u64>,
    /// Everything after the subject line.
    rest: &'a [u8],
}

/// One footer: `Token: value` or `Token #value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footer<'a> {
    pub token: &'a str,
    pub separator: Separator,
    /// The value, trimmed, with its lines joined by `\n`.
    pub value: Cow<'a, str>,
}

impl Footer<'_> {
    /// `BREAKING CHANGE` or its synonym `BREAKING-CHANGE`.
    pub fn is_breaking_change(&self) -> bool {
        is_breaking_token(self.token.as_bytes())
    }
}

/// Parses one commit message. Never fails: what is not conventional is [`Kind::Other`].
pub fn parse(message: &[u8]) -> Commit<'_> {
    let start = message
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(message.len());
    let message = &message[start..];
    let (line, rest) = match memchr::memchr(b'\n', message) {
        Some(end) => (&message[..end], &message[end + 1..]),
        None => (message, &message[message.len()..]),
    };
    // Borrowed when the line is UTF-8. When it is not, the offsets below are taken on the decoded
    // text, whose ASCII delimiters are where they were: replacement characters are not ASCII.
    let subject = lossy(trim_end(line));
    let line = subject.as_bytes();

    let (core_end, mut pr_number) = split_pr_suffix(line);
    let core = &line[..core_end];
    let mut kind = Kind::Other;
    let mut type_end = 0;
    let mut scope = None;
    let mut bang = false;
    let mut description = 0..core_end;
    if let Some(pr) = merge_pull_request(line) {
        kind = Kind::Merge;
        pr_number = pr_number.or(pr);
    } else if let Some(inner) = revert_subject(core) {
        kind = Kind::Revert;
        description = inner;
    } else if let Some(header) = conventional_header(core) {
        kind = Kind::Conventional;
        type_end = header.type_end;
        scope = header.scope;
        bang = header.bang;
        description = header.description;
    }
    let breaking_note = if kind == Kind::Conventional && BREAKING.find(rest).is_some() {
        footers_of(rest)
            .find(Footer::is_breaking_change)
            .map(|footer| footer.value)
    } else {
        None
    };
    Commit {
        kind,
        subject,
        type_end,
        scope,
        description,
        bang,
        breaking_note,
        pr_number,
        rest,
    }
}

/// The largest impact among `commits`: what they call for together.
pub fn fold_impact<'c, 'a: 'c>(commits: impl IntoIterator<Item = &'c Commit<'a>>) -> Impact {
    let mut impact = Impact::None;
    for commit in commits {
        impact = impact.max(commit.impact());
        if impact == Impact::Major {
            break;
        }
    }
    impact
}

impl<'a> Commit<'a> {
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The subject line as written (trimmed), pull request suffix included.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The type as written (`feat`, `Fix`…), for conventional commits only.
    pub fn commit_type(&self) -> Option<&str> {
        (self.kind == Kind::Conventional).then(|| &self.subject[..self.type_end])
    }

    /// Whether this is a conventional commit of type `name`, ignoring ASCII case.
    pub fn is_type(&self, name: &str) -> bool {
        self.kind == Kind::Conventional
            && self.subject.as_bytes()[..self.type_end].eq_ignore_ascii_case(name.as_bytes())
    }

    pub fn scope(&self) -> Option<&str> {
        self.scope.clone().map(|range| &self.subject[range])
    }

    /// The description after `type(scope): ` for conventional commits, the reverted subject for
    /// git reverts, the subject otherwise; never with a trailing `(#123)`.
    pub fn description(&self) -> &str {
        &self.subject[self.description.clone()]
    }

    /// The number in a trailing `(#123)`, or the pull request a merge commit merged.
    pub fn pr_number(&self) -> Option<u64> {
        self.pr_number
    }

    /// A conventional commit with `!` or a `BREAKING CHANGE` footer.
    pub fn is_breaking(&self) -> bool {
        self.bang || self.breaking_note.is_some()
    }

    /// What breaks: the `BREAKING CHANGE` footer, else the description of a `!` commit.
    pub fn breaking_description(&self) -> Option<&str> {
        match &self.breaking_note {
            Some(note) => Some(note),
            None if self.bang => Some(self.description()),
            None => None,
        }
    }

    pub fn is_merge(&self) -> bool {
        self.kind == Kind::Merge
    }

    /// git's `Revert "…"` or a conventional `revert:` commit.
    pub fn is_revert(&self) -> bool {
        self.kind == Kind::Revert || self.is_type("revert")
    }

    /// The release this commit calls for on its own.
    pub fn impact(&self) -> Impact {
        if self.kind != Kind::Conventional {
            Impact::None
        } else if self.is_breaking() {
            Impact::Major
        } else if self.is_type("feat") {
            Impact::Minor
        } else if self.is_type("fix") || self.is_type("perf") {
            Impact::Patch
        } else {
            Impact::None
        }
    }

    /// The paragraphs between the subject and the footers, trimmed; `None` when there are none.
    pub fn body(&self) -> Option<Cow<'a, str>> {
        let body = &self.rest[..footer_start(self.rest)];
        let body = trim_end(skip_blank_lines(body));
        (!body.is_empty()).then(|| multi_line_text(body))
    }

    /// The footers, in order.
    pub fn footers(&self) -> Footers<'a> {
        footers_of(self.rest)
    }

    /// The commit a git revert names in its `This reverts commit <sha>.` line.
    pub fn reverted_commit(&self) -> Option<&'a str> {
        const LEAD: &[u8] = b"This reverts commit ";
        let at = memmem::find(self.rest, LEAD)? + LEAD.len();
        let hex = &self.rest[at..];
        let len = hex.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        (len >= 4).then(|| std::str::from_utf8(&hex[..len]).unwrap_or_default())
    }
}

static BREAKING: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"BREAKING"));

/// Iterator over the footers of a message; see [`Commit::footers`].
#[derive(Debug, Clone)]
pub struct Footers<'a> {
    block: &'a [u8],
}

fn footers_of(rest: &[u8]) -> Footers<'_> {
    Footers {
        block: &rest[footer_start(rest)..],
    }
}

impl<'a> Iterator for Footers<'a> {
    type Item = Footer<'a>;

    fn next(&mut self) -> Option<Footer<'a>> {
        let (first, mut offset) = next_line(self.block, 0)?;
        // The block starts at a footer line by construction (see `footer_start`).
        let Some(head) = footer_line(trim_end(first)) else {
            self.block = &[];
            return None;
        };
        let value_start = head.value_start;
        while let Some((line, next)) = next_line(self.block, offset) {
            if footer_line(trim_end(line)).is_some() {
                break;
            }
            offset = next;
        }
        let value = trim(&self.block[value_start..offset]);
        let token = std::str::from_utf8(&self.block[..head.token_end]).unwrap_or_default();
        let footer = Footer {
            token,
            separator: head.separator,
            value: multi_line_text(value),
        };
        self.block = &self.block[offset..];
        Some(footer)
    }
}

/// The line starting at `offset` (without its `\n`) and the offset of the next one.
fn next_line(text: &[u8], offset: usize) -> Option<(&[u8], usize)> {
    if offset >= text.len() {
        return None;
    }
    let rest = &text[offset..];
    Some(match memchr::memchr(b'\n', rest) {
        Some(end) => (&rest[..end], offset + end + 1),
        None => (rest, text.len()),
    })
}

/// Where the footers start in the text after the subject (its length when there are none).
fn footer_start(rest: &[u8]) -> usize {
    let mut offset = 0;
    let mut paragraph_start = true;
    while let Some((line, next)) = next_line(rest, offset) {
        let line = trim_end(line);
        if line.is_empty() {
            paragraph_start = true;
        } else {
            if let Some(head) = footer_line(line)
                && (paragraph_start || is_breaking_token(&line[..head.token_end]))
            {
                return offset;
            }
            paragraph_start = false;
        }
        offset = next;
    }
    rest.len()
}

struct FooterHead {
    token_end: usize,
    separator: Separator,
    value_start: usize,
}

/// Whether `line` opens a footer: a token (`[A-Za-z0-9][A-Za-z0-9-]*` or `BREAKING CHANGE`) then
/// `: ` (or a colon ending the line, the value on the next lines) or ` #`.
fn footer_line(line: &[u8]) -> Option<FooterHead> {
    let token_end = if line.starts_with(b"BREAKING CHANGE") {
        b"BREAKING CHANGE".len()
    } else {
        if !line.first()?.is_ascii_alphanumeric() {
            return None;
        }
        line.iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'))
            .unwrap_or(line.len())
    };
    match line.get(token_end..)? {
        [b':'] => Some((Separator::Colon, token_end + 1)),
        [b':', b' ' | b'\t', ..] => Some((Separator::Colon, token_end + 2)),
        [b' ', b'#', ..] => Some((Separator::Hash, token_end + 2)),
        _ => None,
    }
    .map(|(separator, value_start)| FooterHead {
        token_end,
        separator,
        value_start,
    })
}

fn is_breaking_token(token: &[u8]) -> bool {
    token == b"BREAKING CHANGE" || token == b"BREAKING-CHANGE"
}

struct Header {
    type_end: usize,
    scope: Option<Range<usize>>,
    bang: bool,
    description: Range<usize>,
}

/// `type(scope)!: description` on a subject without its pull request suffix.
fn conventional_header(core: &[u8]) -> Option<Header> {
    let type_end = core
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
    if type_end == 0 {
        return None;
    }
    let mut at = type_end;
    let mut scope = None;
    if core[at] == b'(' {
        // Scopes are short: a plain loop beats memchr's set-up.
        let close = at + 1 + core[at + 1..].iter().position(|&b| b == b')')?;
        let inner = trim_range(core, at + 1..close);
        scope = (!inner.is_empty()).then_some(inner);
        at = close + 1;
    }
    let bang = core.get(at) == Some(&b'!');
    at += usize::from(bang);
    if core.get(at) != Some(&b':') || !matches!(core.get(at + 1), Some(b' ' | b'\t')) {
        return None;
    }
    let description = trim_range(core, at + 2..core.len());
    if description.is_empty() {
        return None;
    }
    Some(Header {
        type_end,
        scope,
        bang,
        description,
    })
}

/// The end of the subject without a trailing ` (#123)`, and the number.
fn split_pr_suffix(line: &[u8]) -> (usize, Option<u64>) {
    let none = (line.len(), None);
    let Some(inner) = line.strip_suffix(b")") else {
        return none;
    };
    let digits = inner
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let open = inner.len() - digits;
    if digits == 0 || digits > 18 || !inner[..open].ends_with(b"(#") {
        return none;
    }
    let number = inner[open..]
        .iter()
        .fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'));
    let end = trim_end(&inner[..open - 2]).len();
    if end == 0 {
        return none;
    }
    (end, Some(number))
}

/// `Some(pr)` for a merge commit's subject (`pr` when it merged a pull request), else `None`.
fn merge_pull_request(line: &[u8]) -> Option<Option<u64>> {
    const MERGES: [&[u8]; 8] = [
        b"Merge branch ",
        b"Merge branches ",
        b"Merge remote-tracking branch ",
        b"Merge tag ",
        b"Merge tags ",
        b"Merge commit ",
        b"Merge pull request #",
        b"Merged in ",
    ];
    if !line.starts_with(b"Merge") {
        return None;
    }
    let merge = MERGES.iter().find(|prefix| line.starts_with(prefix))?;
    if *merge != b"Merge pull request #" {
        return Some(None);
    }
    let digits = &line[merge.len()..];
    let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    let number = std::str::from_utf8(&digits[..len]).ok()?.parse().ok();
    Some(number)
}

/// The quoted subject of git's `Revert "subject"`.
fn revert_subject(core: &[u8]) -> Option<Range<usize>> {
    const LEAD: &[u8] = b"Revert \"";
    (core.starts_with(LEAD) && core.len() > LEAD.len() + 1 && core.ends_with(b"\""))
        .then(|| LEAD.len()..core.len() - 1)
}

/// Text from bytes, borrowed when they are UTF-8. `String::from_utf8_lossy` would do, but it
/// checks byte by byte where `str::from_utf8` takes the fast path: twice the parse time.
fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Lines joined by `\n` whatever the message used, decoded lossily; borrowed when nothing changes.
fn multi_line_text(bytes: &[u8]) -> Cow<'_, str> {
    if memchr::memchr(b'\r', bytes).is_none() {
        return lossy(bytes);
    }
    let mut text = String::with_capacity(bytes.len());
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if index > 0 {
            text.push('\n');
        }
        text.push_str(&String::from_utf8_lossy(
            line.strip_suffix(b"\r").unwrap_or(line),
        ));
    }
    Cow::Owned(text)
}

fn skip_blank_lines(mut text: &[u8]) -> &[u8] {
    while let Some((line, next)) = next_line(text, 0) {
        if !trim_end(line).is_empty() {
            break;
        }
        text = &text[next..];
    }
    text
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let len = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |last| last + 1);
    &bytes[..len]
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    trim_end(&bytes[start..])
}

fn trim_range(bytes: &[u8], range: Range<usize>) -> Range<usize> {
    let inner = &bytes[range.clone()];
    let start = range.start
        + inner
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(inner.len());
    let end = start + trim_end(&bytes[start..range.end]).len();
    start..end
}
