//! From fragments to the release's notes: fragments of one type with the same text become one
//! entry listing all their issues, and entries and issues are sorted exactly as towncrier's
//! `split_fragments` and `render_fragments` sort them (issues "human" order: names without
//! digits first, then grouped by their non-digit part and ordered by number, bare numbers last;
//! entries by their issues, orphans last by text).

use std::cmp::Ordering;

use super::config::TowncrierConfig;
use super::error::TowncrierError;
use super::fragments::Fragments;
use super::pytext;

/// One bullet: a text and the issues it closes, already formatted with `issue_format`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The text as the template gets it (empty for a type whose content is hidden).
    pub text: String,
    pub issues: Vec<String>,
}

/// The entries of one fragment type in one section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryNotes {
    /// The type's key (`feature`).
    pub kind: String,
    pub entries: Vec<Entry>,
    /// Every issue of the type, formatted, sorted, each once.
    pub issues: Vec<String>,
}

/// One section's notes; categories in the order their first fragment was met (the default
/// templates render them in configuration order instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionNotes {
    pub name: String,
    pub categories: Vec<CategoryNotes>,
}

/// Everything one release says, ready for a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseNotes {
    pub sections: Vec<SectionNotes>,
}

impl ReleaseNotes {
    pub fn is_empty(&self) -> bool {
        self.sections
            .iter()
            .all(|section| section.categories.is_empty())
    }
}

/// Entries of one type while they are gathered: each distinct text with its raw issues.
type TextIssues = Vec<(String, Vec<String>)>;

/// towncrier's `issue_key`: how issues sort.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct IssueKey {
    is_digit: bool,
    has_digit: bool,
    non_digit_part: String,
    /// The first run of digits as a number: compared by length, then digits, once normalised.
    number: Option<(usize, String)>,
}

fn issue_key(issue: &str) -> IssueKey {
    if pytext::is_digits(issue) {
        let digits = pytext::normalise_digits(issue);
        return IssueKey {
            is_digit: true,
            has_digit: true,
            non_digit_part: String::new(),
            number: Some((digits.len(), digits)),
        };
    }
    let Some(start) = issue.find(|c: char| c.is_ascii_digit()) else {
        return IssueKey {
            is_digit: false,
            has_digit: false,
            non_digit_part: issue.to_owned(),
            number: None,
        };
    };
    let end = issue[start..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(issue.len(), |offset| start + offset);
    let digits = pytext::normalise_digits(&issue[start..end]);
    IssueKey {
        is_digit: false,
        has_digit: true,
        non_digit_part: format!("{}{}", &issue[..start], &issue[end..]),
        number: Some((digits.len(), digits)),
    }
}

/// towncrier's `entry_key`: orphans (no issues) after every entry with issues, by text.
fn entry_order(a: &(String, Vec<String>), b: &(String, Vec<String>)) -> Ordering {
    let first = |(text, issues): &(String, Vec<String>)| {
        if issues.is_empty() {
            text.clone()
        } else {
            String::new()
        }
    };
    first(a).cmp(&first(b)).then_with(|| {
        let keys = |issues: &[String]| {
            issues
                .iter()
                .map(|issue| issue_key(issue))
                .collect::<Vec<_>>()
        };
        keys(&a.1).cmp(&keys(&b.1))
    })
}

/// towncrier's `bullet_key`, used when `all_bullets = false`: hidden texts, then `- `, `* `, `#. `
/// items, then everything else.
fn bullet_rank(text: &str) -> u8 {
    if text.is_empty() {
        0
    } else if text.starts_with("- ") {
        1
    } else if text.starts_with("* ") {
        2
    } else if text.starts_with("#. ") {
        3
    } else {
        4
    }
}

/// `indent(text, "  ")` of towncrier: prefix every line that is not blank.
fn indent(text: &str, prefix: &str) -> String {
    pytext::split_lines_keep_ends(text)
        .into_iter()
        .map(|line| {
            if pytext::strip(line).is_empty() {
                line.to_owned()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect()
}

/// towncrier's `append_newlines_if_trailing_code_block`: a text ending in an indented
/// reStructuredText literal block gets `"\n\n "`, so the issue links land outside the block.
fn append_newlines_if_trailing_code_block(text: String) -> String {
    static TRAILING_BLOCK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"::\n\n((  [ \t]+[^\n]*)?\n)*  [ \t]+[^\n]*\n?\z")
            .expect("invariant: the trailing code block pattern is a valid regex")
    });
    if TRAILING_BLOCK.is_match(&text) {
        text + "\n\n "
    } else {
        text
    }
}

/// `issue_format.format(issue=issue)`, or towncrier's default: `#N` for a number, the name as is.
pub(crate) fn render_issue(
    config: &TowncrierConfig,
    issue: &str,
) -> Result<String, TowncrierError> {
    match &config.issue_format {
        None if pytext::int_parses(issue) => Ok(format!("#{issue}")),
        None => Ok(issue.to_owned()),
        Some(format) => {
            pytext::format(format, &[("issue", issue)]).map_err(|error| TowncrierError::Format {
                location: config.location(),
                key: "issue_format",
                format: format.clone(),
                message: error.to_string(),
            })
        }
    }
}

/// Groups and sorts the fragments of a release.
pub fn arrange(
    config: &TowncrierConfig,
    fragments: &Fragments,
) -> Result<ReleaseNotes, TowncrierError> {
    let mut sections = Vec::with_capacity(fragments.sections.len());
    for section in &fragments.sections {
        // Per type, in the order met: text -> issues, as towncrier's nested dicts.
        let mut grouped: Vec<(String, TextIssues)> = Vec::new();
        for fragment in &section.fragments {
            let mut text = if config.all_bullets {
                let indented = indent(pytext::strip(&fragment.content), "  ");
                indented.get(2..).unwrap_or_default().to_owned()
            } else {
                pytext::rstrip(&fragment.content).to_owned()
            };
            let shows_content = config
                .fragment_type(&fragment.kind)
                .is_none_or(|kind| kind.showcontent);
            if !shows_content && !fragment.issue.is_empty() {
                text = String::new();
            }
            let texts = match grouped.iter().position(|(kind, _)| *kind == fragment.kind) {
                Some(index) => &mut grouped[index].1,
                None => {
                    grouped.push((fragment.kind.clone(), Vec::new()));
                    &mut grouped
                        .last_mut()
                        .expect("invariant: an element was just pushed")
                        .1
                }
            };
            let issues = match texts.iter().position(|(existing, _)| *existing == text) {
                Some(index) => &mut texts[index].1,
                None => {
                    texts.push((text, Vec::new()));
                    &mut texts
                        .last_mut()
                        .expect("invariant: an element was just pushed")
                        .1
                }
            };
            if !fragment.issue.is_empty() {
                issues.push(fragment.issue.clone());
                issues.sort();
            }
        }

        let mut categories = Vec::with_capacity(grouped.len());
        for (kind, texts) in grouped {
            let mut all_issues: Vec<String> = texts
                .iter()
                .flat_map(|(_, issues)| issues.iter().cloned())
                .collect();
            all_issues.sort();
            all_issues.dedup();
            all_issues.sort_by_cached_key(|issue| issue_key(issue));

            let mut entries: Vec<(String, Vec<String>)> = texts
                .into_iter()
                .map(|(text, mut issues)| {
                    issues.sort_by_cached_key(|issue| issue_key(issue));
                    (text, issues)
                })
                .collect();
            entries.sort_by(entry_order);
            if !config.all_bullets {
                entries.sort_by_key(|(text, _)| bullet_rank(text));
            }
            let entries = entries
                .into_iter()
                .map(|(text, issues)| {
                    Ok(Entry {
                        text: append_newlines_if_trailing_code_block(text),
                        issues: issues
                            .iter()
                            .map(|issue| render_issue(config, issue))
                            .collect::<Result<_, _>>()?,
                    })
                })
                .collect::<Result<Vec<_>, TowncrierError>>()?;
            let issues = all_issues
                .iter()
                .map(|issue| render_issue(config, issue))
                .collect::<Result<_, _>>()?;
            categories.push(CategoryNotes {
                kind,
                entries,
                issues,
            });
        }
        sections.push(SectionNotes {
            name: section.section.name.clone(),
            categories,
        });
    }
    Ok(ReleaseNotes { sections })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issues_sort_like_towncrier_doc_example() {
        let mut issues = ["2", "#11", "#3", "gh-10", "gh-4", "omega", "alpha"]
            .map(String::from)
            .to_vec();
        issues.sort_by_cached_key(|issue| issue_key(issue));
        assert_eq!(
            issues,
            ["alpha", "omega", "#3", "#11", "gh-4", "gh-10", "2"]
        );
    }

    #[test]
    fn big_numbers_sort_numerically() {
        let mut issues = ["100000000000000000000000", "99", "007"]
            .map(String::from)
            .to_vec();
        issues.sort_by_cached_key(|issue| issue_key(issue));
        assert_eq!(issues, ["007", "99", "100000000000000000000000"]);
    }

    #[test]
    fn trailing_code_block_gets_room_for_issues() {
        let text = "Example::\n\n      code here\n      more".to_owned();
        assert_eq!(
            append_newlines_if_trailing_code_block(text.clone()),
            text + "\n\n "
        );
        let plain = "No block here".to_owned();
        assert_eq!(append_newlines_if_trailing_code_block(plain.clone()), plain);
    }

    #[test]
    fn indent_skips_blank_lines() {
        assert_eq!(indent("a\n\nb\n  \nc", "  "), "  a\n\n  b\n  \n  c");
    }
}
