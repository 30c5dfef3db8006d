//! Finding news fragments: the files `ISSUE.TYPE[.N][.ext]` in the fragment folder of each
//! section, parsed and read exactly as towncrier's `find_fragments` does.
//!
//! What towncrier does with a file that is not a fragment (an unknown type, a stray note) is
//! kept: it is skipped silently, unless the configuration sets `ignore`, in which case it is an
//! error naming the file and listing the valid types. Files are taken in directory order, as
//! towncrier's `os.listdir` takes them, because that order decides ties when two fragments of one
//! issue are sorted; relman and towncrier therefore agree on the same checkout.

use std::path::{Path, PathBuf};

use super::config::{Section, TowncrierConfig};
use super::error::TowncrierError;
use super::pytext;

/// One news fragment file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub path: PathBuf,
    /// The issue name; empty for an orphan fragment (`+anything.TYPE`).
    pub issue: String,
    /// The fragment type's key.
    pub kind: String,
    /// The `N` of `ISSUE.TYPE.N` (or the orphan's running number) as towncrier's `int` would
    /// print it; it only tells fragments of one issue apart.
    pub counter: String,
    /// The text, read as towncrier reads it: UTF-8 with bad bytes replaced, universal newlines.
    pub content: String,
}

/// The fragments of one section, in directory order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionFragments {
    pub section: Section,
    pub fragments: Vec<Fragment>,
}

/// Every fragment of the next release, by section in configuration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragments {
    pub sections: Vec<SectionFragments>,
}

impl Fragments {
    /// The files a build uses, which it removes afterwards; in towncrier's order.
    pub fn files(&self) -> Vec<PathBuf> {
        self.sections
            .iter()
            .flat_map(|section| {
                section
                    .fragments
                    .iter()
                    .map(|fragment| fragment.path.clone())
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.sections
            .iter()
            .all(|section| section.fragments.is_empty())
    }
}

/// A fragment file name taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentName {
    pub issue: String,
    pub kind: String,
    pub counter: String,
}

/// towncrier's `parse_newfragment_basename`: the last dot-separated part (after the first) that is
/// a known type is the type; everything before it is the issue (leading zeros of a numeric issue
/// dropped), and a number right after it is the counter. `None` when no part is a known type.
pub fn parse_fragment_name<'a>(
    basename: &str,
    types: impl Iterator<Item = &'a str> + Clone,
) -> Option<FragmentName> {
    let parts: Vec<&str> = basename.split('.').collect();
    let position = (1..parts.len())
        .rev()
        .find(|&index| types.clone().any(|kind| kind == parts[index]))?;
    let issue = pytext::strip(&parts[..position].join(".")).to_owned();
    let issue = if pytext::is_digits(&issue) {
        pytext::normalise_digits(&issue)
    } else {
        issue
    };
    let counter = match parts.get(position + 1) {
        Some(next) if pytext::is_digits(next) => pytext::normalise_digits(next),
        _ => "0".to_owned(),
    };
    Some(FragmentName {
        issue,
        kind: parts[position].to_owned(),
        counter,
    })
}

/// The names skipped in every fragment folder, lower-cased patterns as towncrier matches them.
fn ignored_patterns(config: &TowncrierConfig) -> Vec<String> {
    let mut patterns: Vec<String> = [
        ".gitignore",
        ".gitkeep",
        ".keep",
        "readme",
        "readme.md",
        "readme.rst",
    ]
    .map(String::from)
    .to_vec();
    if let super::config::TemplateSource::File { path, .. } = &config.template
        && let Some(name) = path.file_name()
    {
        // towncrier skips a template kept among the fragments (its basename, case-sensitively).
        patterns.push(name.to_string_lossy().into_owned());
    }
    if let Some(ignore) = &config.ignore {
        patterns.extend(ignore.iter().map(|pattern| pattern.to_lowercase()));
    }
    patterns
}

/// Reads every fragment of every section. A fragment folder that does not exist at all is an
/// error (towncrier would quietly render an empty release); a missing section sub-folder is an
/// empty section, as in towncrier.
pub fn collect_fragments(config: &TowncrierConfig) -> Result<Fragments, TowncrierError> {
    let folders: Vec<PathBuf> = config
        .sections
        .iter()
        .map(|section| config.section_dir(section))
        .collect();
    if !folders.iter().any(|folder| folder.is_dir()) {
        return Err(TowncrierError::MissingFragmentFolder {
            folder: config.fragment_root(),
            config: config
                .config_file
                .clone()
                .unwrap_or_else(|| config.base_dir.clone()),
        });
    }
    let patterns = ignored_patterns(config);
    let strict = config.ignore.is_some();
    let type_keys = config.types.iter().map(|kind| kind.key.as_str());
    // Orphans are numbered per type, across sections, in the order they are met.
    let mut orphan_counters: Vec<(String, usize)> = Vec::new();

    let mut sections = Vec::with_capacity(config.sections.len());
    for (section, folder) in config.sections.iter().zip(&folders) {
        let mut fragments: Vec<Fragment> = Vec::new();
        for name in list_folder(folder)? {
            let lower = name.to_lowercase();
            if patterns
                .iter()
                .any(|pattern| pytext::fnmatch(&lower, pattern))
            {
                continue;
            }
            let path = folder.join(&name);
            let Some(FragmentName {
                mut issue,
                kind,
                mut counter,
            }) = parse_fragment_name(&name, type_keys.clone())
            else {
                if strict {
                    return Err(TowncrierError::InvalidFragmentName {
                        path,
                        types: config.type_keys(),
                    });
                }
                continue;
            };
            if !config.orphan_prefix.is_empty() && issue.starts_with(&config.orphan_prefix) {
                issue = String::new();
                counter = next_orphan_number(&mut orphan_counters, &kind).to_string();
            }
            if !config.issue_pattern.is_empty()
                && !issue.is_empty()
                && !full_match(&config.issue_pattern, &issue)
            {
                return Err(TowncrierError::IssuePatternMismatch {
                    path,
                    issue,
                    pattern: config.issue_pattern.clone(),
                });
            }
            if path.is_dir() {
                return Err(TowncrierError::FragmentIsFolder { path });
            }
            if let Some(first) = fragments.iter().find(|fragment| {
                fragment.issue == issue && fragment.kind == kind && fragment.counter == counter
            }) {
                return Err(TowncrierError::DuplicateFragment {
                    first: first.path.clone(),
                    second: path,
                    issue,
                    kind,
                    counter,
                });
            }
            let content = pytext::universal_newlines(&String::from_utf8_lossy(
                &crate::files::bounded::read_bounded(&path, crate::files::bounded::MAX_FRAGMENT)?,
            ));
            fragments.push(Fragment {
                path,
                issue,
                kind,
                counter,
                content,
            });
        }
        sections.push(SectionFragments {
            section: section.clone(),
            fragments,
        });
    }
    Ok(Fragments { sections })
}

fn next_orphan_number(counters: &mut Vec<(String, usize)>, kind: &str) -> usize {
    match counters.iter_mut().find(|(existing, _)| existing == kind) {
        Some((_, count)) => {
            *count += 1;
            *count - 1
        }
        None => {
            counters.push((kind.to_owned(), 1));
            0
        }
    }
}

fn full_match(pattern: &str, issue: &str) -> bool {
    // The pattern was compiled once when the configuration was read, so it is valid here.
    regex::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|re| re.is_match(issue))
}

/// The entry names of a folder in directory order; nothing for a folder that does not exist.
fn list_folder(folder: &Path) -> Result<Vec<String>, TowncrierError> {
    let entries = match fs_err::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error.into()),
    };
    entries
        .map(|entry| Ok(entry?.file_name().to_string_lossy().into_owned()))
        .collect::<Result<Vec<_>, std::io::Error>>()
        .map_err(TowncrierError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str) -> Option<(String, String, String)> {
        let types = ["feature", "bugfix", "misc"];
        parse_fragment_name(name, types.iter().copied())
            .map(|name| (name.issue, name.kind, name.counter))
    }

    fn owned(issue: &str, kind: &str, counter: &str) -> Option<(String, String, String)> {
        Some((issue.to_owned(), kind.to_owned(), counter.to_owned()))
    }

    #[test]
    fn names_parse_as_towncrier_parses_them() {
        assert_eq!(parse("123.feature"), owned("123", "feature", "0"));
        assert_eq!(parse("0123.feature.2"), owned("123", "feature", "2"));
        assert_eq!(parse("12.bugfix.md"), owned("12", "bugfix", "0"));
        assert_eq!(parse("12.bugfix.3.md"), owned("12", "bugfix", "3"));
        assert_eq!(
            parse("fix-1.2.3.feature"),
            owned("fix-1.2.3", "feature", "0")
        );
        assert_eq!(parse("+orphan.misc"), owned("+orphan", "misc", "0"));
        assert_eq!(parse("feature.bugfix"), owned("feature", "bugfix", "0"));
        assert_eq!(parse("feature"), None);
        assert_eq!(parse("12.unknown"), None);
        assert_eq!(parse("README.md"), None);
    }
}
