//! Bump levels and the rules that turn a current version into the next one.

/// What the commits since the last release call for, from conventional commits.
/// Ordered: a larger impact wins when commits are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Impact {
    /// Nothing releasable (docs, chores, non-conventional commits).
    #[default]
    None,
    /// `fix` or `perf`.
    Patch,
    /// `feat`.
    Minor,
    /// A breaking change (`!` or a `BREAKING CHANGE` footer).
    Major,
}
