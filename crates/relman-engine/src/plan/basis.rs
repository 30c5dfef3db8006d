//! What a plan was made from, to be looked at again under the lock. `relman run` plans, asks,
//! then takes the lock: another release can finish in between (a second terminal, a CI job), and
//! a plan made before it would tag a version that now exists or commit on top of a moved branch.
//! So the executor compares the repository's HEAD, branch and tags with these, under the lock,
//! and refuses a plan that no longer describes the repository.

use relman_git::Repository;

/// The repository as a plan saw it when it was finished.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Basis {
    pub head: Option<String>,
    pub branch: Option<String>,
    /// Every tag name, sorted.
    pub tags: Vec<String>,
}

impl Basis {
    /// Reads HEAD, the current branch and the tag names (no git process for loose and packed
    /// refs). What cannot be read counts as absent, the same way both times.
    pub fn read(repo: &Repository) -> Basis {
        Basis {
            head: repo.head_sha().ok(),
            branch: repo.current_branch().ok().flatten(),
            tags: repo.tag_names().unwrap_or_default(),
        }
    }

    /// How `now` differs from this basis, in words, or `None` when it does not.
    pub fn changed(&self, now: &Basis) -> Option<String> {
        if self.branch != now.branch {
            return Some(format!(
                "the branch was `{}` and is now `{}`",
                self.branch.as_deref().unwrap_or("(detached)"),
                now.branch.as_deref().unwrap_or("(detached)")
            ));
        }
        if self.head != now.head {
            let short = |sha: &Option<String>| {
                sha.as_deref()
                    .map_or("(none)".to_owned(), |sha| sha.chars().take(7).collect())
            };
            return Some(format!(
                "HEAD was at {} and is now at {}",
                short(&self.head),
                short(&now.head)
            ));
        }
        if self.tags != now.tags {
            let added: Vec<&String> = now
                .tags
                .iter()
                .filter(|tag| self.tags.binary_search(tag).is_err())
                .take(3)
                .collect();
            return Some(match added.as_slice() {
                [] => "tags were deleted".to_owned(),
                tags => format!(
                    "tags were created ({})",
                    tags.iter()
                        .map(|tag| format!("`{tag}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_moved() {
        let before = Basis {
            head: Some("1111111aaaa".into()),
            branch: Some("main".into()),
            tags: vec!["v1.0.0".into()],
        };
        assert_eq!(before.changed(&before.clone()), None);
        let moved = Basis {
            head: Some("2222222bbbb".into()),
            ..before.clone()
        };
        assert_eq!(
            before.changed(&moved).unwrap(),
            "HEAD was at 1111111 and is now at 2222222"
        );
        let tagged = Basis {
            tags: vec!["v1.0.0".into(), "v1.1.0".into()],
            ..before.clone()
        };
        assert_eq!(
            before.changed(&tagged).unwrap(),
            "tags were created (`v1.1.0`)"
        );
    }
}
