//! The default changelog section, written straight into a `fmt::Write`.
//!
//! ```markdown
//! ## [1.1.0](https://github.com/o/r/compare/v1.0.0...v1.1.0) - 2026-11-23
//!
//! ### Breaking changes
//!
//! - **api:** drop the v1 routes ([#12](https://github.com/o/r/pull/12)) ([abc1234](https://github.com/o/r/commit/abc1234…))
//!   The /v1 routes are gone; use /v2.
//!
//! ### Features
//!
//! - **ui:** dark mode ([abc1235](https://github.com/o/r/commit/abc1235…))
//! ```
//!
//! The heading links to the compare view only when there is a forge and a previous tag: the first
//! release has nothing to compare with, and a link to the tag's files would not say what changed,
//! so its heading is plain (`## 1.0.0 - 2026-11-23`). Without a forge, pull request numbers and
//! short commit ids are shown as plain text. A breaking change shows its description and, when the
//! `BREAKING CHANGE` footer says more, the footer's text indented under it. "Other" entries show
//! the commit's subject as written. A release with nothing notable still gets a heading and a line
//! saying so. A release whose commits are mostly not conventional lists its changes instead
//! (`### Changes`, then `### Dependencies`), pull requests by title, each linked.
//!
//! No template engine runs here: the full-history changelog renders thousands of sections, and
//! this writer costs about what copying the text costs.

use std::fmt::{self, Write};

use super::changes::Change;
use super::links::{Forge, ForgeKind};
use super::notes::{Entry, Group, ReleaseNotes};

/// The line an empty release gets under its heading.
pub const NO_CHANGES: &str = "No notable changes.";

/// This release's section, ending with one newline.
pub fn render_section(notes: &ReleaseNotes, forge: Option<&Forge>) -> String {
    let mut out = String::with_capacity(256 + notes.len() * 160);
    // Writing into a String cannot fail.
    let _ = write_section(&mut out, notes, forge);
    out
}

/// Appends this release's section to `out`, ending with one newline.
pub fn write_section(
    out: &mut impl Write,
    notes: &ReleaseNotes,
    forge: Option<&Forge>,
) -> fmt::Result {
    write_heading(out, notes, forge)?;
    if notes.is_empty() {
        out.write_str("\n")?;
        out.write_str(NO_CHANGES)?;
        return out.write_str("\n");
    }
    write_groups(out, notes, forge)
}

/// The section without its heading: the groups, or the list of changes (for the body of a new
/// section in a file a person keeps); empty when nothing is notable.
pub fn render_body(notes: &ReleaseNotes, forge: Option<&Forge>) -> String {
    let mut out = String::with_capacity(notes.len() * 160);
    if !notes.is_empty() {
        let _ = write_groups(&mut out, notes, forge);
    }
    out.trim_start_matches('\n').to_owned()
}

/// The list of changes alone, one line each, dependency updates last, without headings (for
/// files whose heading levels relman does not know, reStructuredText ones).
pub fn render_change_list(notes: &ReleaseNotes, forge: Option<&Forge>) -> String {
    let mut out = String::new();
    for change in notes.changes().changes() {
        let _ = write_change(&mut out, change, forge);
    }
    out
}

fn write_groups(out: &mut impl Write, notes: &ReleaseNotes, forge: Option<&Forge>) -> fmt::Result {
    if notes.lists_changes() {
        let mut dependencies = false;
        out.write_str("\n### Changes\n\n")?;
        for change in notes.changes().changes() {
            if change.dependency && !dependencies {
                dependencies = true;
                out.write_str("\n### Dependencies\n\n")?;
            }
            write_change(out, change, forge)?;
        }
        return Ok(());
    }
    for (group, entries) in notes.groups() {
        out.write_str("\n### ")?;
        out.write_str(group.title())?;
        out.write_str("\n\n")?;
        for entry in entries {
            write_entry(out, group, entry, forge)?;
        }
    }
    Ok(())
}

/// The section's heading line alone, ending with one newline.
pub fn render_heading(notes: &ReleaseNotes, forge: Option<&Forge>) -> String {
    let mut out = String::with_capacity(128);
    let _ = write_heading(&mut out, notes, forge);
    out
}

fn write_heading(out: &mut impl Write, notes: &ReleaseNotes, forge: Option<&Forge>) -> fmt::Result {
    out.write_str("## ")?;
    match (forge, &notes.previous_tag) {
        (Some(forge), Some(previous)) => {
            out.write_str("[")?;
            out.write_str(&notes.version)?;
            out.write_str("](")?;
            forge.write_compare_url(out, previous, &notes.tag)?;
            out.write_str(")")?;
        }
        _ => out.write_str(&notes.version)?,
    }
    if !notes.date.is_empty() {
        out.write_str(" - ")?;
        out.write_str(&notes.date)?;
    }
    out.write_str("\n")
}

fn write_change(out: &mut impl Write, change: Change<'_>, forge: Option<&Forge>) -> fmt::Result {
    out.write_str("- ")?;
    out.write_str(change.title)?;
    write_pr(out, change.pr_number, forge)?;
    out.write_str("\n")
}

fn write_pr(out: &mut impl Write, number: Option<u64>, forge: Option<&Forge>) -> fmt::Result {
    let Some(number) = number else {
        return Ok(());
    };
    let sigil = match forge.map(Forge::kind) {
        Some(ForgeKind::GitLab) => "!",
        _ => "#",
    };
    match forge {
        Some(forge) => {
            write!(out, " ([{sigil}{number}](")?;
            forge.write_pr_url(out, number)?;
            out.write_str("))")
        }
        None => write!(out, " ({sigil}{number})"),
    }
}

fn write_entry(
    out: &mut impl Write,
    group: Group,
    entry: Entry<'_>,
    forge: Option<&Forge>,
) -> fmt::Result {
    out.write_str("- ")?;
    if group == Group::Other {
        out.write_str(&entry.subject())?;
    } else {
        if let Some(scope) = entry.scope() {
            out.write_str("**")?;
            out.write_str(scope)?;
            out.write_str(":** ")?;
        }
        out.write_str(entry.description())?;
    }
    write_pr(out, entry.pr_number(), forge)?;
    if !entry.short_sha().is_empty() {
        out.write_str(" (")?;
        match forge {
            Some(forge) => {
                out.write_str("[")?;
                out.write_str(entry.short_sha())?;
                out.write_str("](")?;
                forge.write_commit_url(out, entry.sha())?;
                out.write_str("))")?;
            }
            None => {
                out.write_str(entry.short_sha())?;
                out.write_str(")")?;
            }
        }
    }
    out.write_str("\n")?;
    if let Some(breaking) = entry.breaking_description()
        && breaking != entry.description()
    {
        for line in breaking.lines() {
            if !line.trim().is_empty() {
                out.write_str("  ")?;
                out.write_str(line)?;
            }
            out.write_str("\n")?;
        }
    }
    Ok(())
}
