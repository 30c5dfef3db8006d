//! PEP 440: parsing (through `pep440_rs`, which normalises and orders correctly) and bump
//! arithmetic.
//!
//! The levels `poetry version` has follow Poetry exactly, including its less obvious choices: the
//! number of release segments is kept (`1.0` → patch → `1.0.1`), a pre-release or development
//! version of `x.y.0` becomes `x.y.0` on `minor`, and every bump drops the local part. The vectors
//! in `tests/data/poetry-version.json` were written by the real `poetry version` command.
//! Where Poetry has no answer (labels, `dev`, `post`, `prerelease` on a development version, which
//! trips an assertion inside Poetry) the rules here are relman's, written down next to each function.

use pep440_rs::{Prerelease, PrereleaseKind, Version};

use crate::bump::BumpError;
use crate::scheme::VersionError;

pub(crate) fn parse(text: &str) -> Result<Version, VersionError> {
    text.trim()
        .parse::<Version>()
        .map_err(|error| VersionError::Pep440 {
            text: text.to_owned(),
            reason: error.to_string(),
        })
}

/// `a`, `b` or `rc`, in any spelling PEP 440 normalises (`alpha`, `beta`, `c`, `pre`, `preview`).
pub(crate) fn parse_label(label: &str) -> Result<PrereleaseKind, BumpError> {
    match label.to_ascii_lowercase().as_str() {
        "a" | "alpha" => Ok(PrereleaseKind::Alpha),
        "b" | "beta" => Ok(PrereleaseKind::Beta),
        "rc" | "c" | "pre" | "preview" => Ok(PrereleaseKind::Rc),
        _ => Err(BumpError::Label {
            label: label.to_owned(),
            scheme: super::Scheme::Pep440,
            reason: "PEP 440 pre-releases are `a`, `b` or `rc`".to_owned(),
        }),
    }
}

fn overflow(current: &Version) -> BumpError {
    BumpError::Overflow {
        current: current.to_string(),
    }
}

fn plus_one(n: u64, current: &Version) -> Result<u64, BumpError> {
    n.checked_add(1).ok_or_else(|| overflow(current))
}

/// Poetry's `_is_increment_required`: a final or post-release moves on; a pre-release or
/// development version may become its own release.
fn increment_required(current: &Version) -> bool {
    current.pre().is_none() && (current.dev().is_none() || current.post().is_some())
}

fn with_release(current: &Version, release: Vec<u64>) -> Version {
    Version::new(release).with_epoch(current.epoch())
}

/// The release segments from `from` on are not all zero.
fn nonzero_from(release: &[u64], from: usize) -> bool {
    release.iter().skip(from).any(|&n| n != 0)
}

/// Poetry's `next_major`: `1.2.3` → `2.0.0`, `2.0.0rc1` → `2.0.0`, `1.0` → `2.0`.
pub(crate) fn next_major(current: &Version) -> Result<Version, BumpError> {
    let release = current.release();
    if !increment_required(current) && !nonzero_from(release, 1) {
        return Ok(with_release(current, release.to_vec()));
    }
    let mut next = vec![0; release.len()];
    next[0] = plus_one(release[0], current)?;
    Ok(with_release(current, next))
}

/// Poetry's `next_minor`: `1.2.3` → `1.3.0`, `1.3.0a1` → `1.3.0`, `1` → `1.1`.
pub(crate) fn next_minor(current: &Version) -> Result<Version, BumpError> {
    let release = current.release();
    if !increment_required(current) && !nonzero_from(release, 2) {
        return Ok(with_release(current, release.to_vec()));
    }
    let minor = release.get(1).copied().unwrap_or(0);
    let mut next = vec![0; release.len().max(2)];
    next[0] = release[0];
    next[1] = plus_one(minor, current)?;
    Ok(with_release(current, next))
}

/// Poetry's `next_patch`: `1.2.3` → `1.2.4`, `1.2.4.dev0` → `1.2.4`, `1.0` → `1.0.1`.
pub(crate) fn next_patch(current: &Version) -> Result<Version, BumpError> {
    let release = current.release();
    if !increment_required(current) && !nonzero_from(release, 3) {
        return Ok(with_release(current, release.to_vec()));
    }
    let patch = release.get(2).copied().unwrap_or(0);
    let mut next = vec![0; release.len().max(3)];
    next[0] = release[0];
    next[1] = release.get(1).copied().unwrap_or(0);
    next[2] = plus_one(patch, current)?;
    Ok(with_release(current, next))
}

/// The first pre-release of a release: `a0` as Poetry writes it, or `b0`/`rc0` with a label.
pub(crate) fn first_prerelease(release: Version, kind: Option<PrereleaseKind>) -> Version {
    release.with_pre(Some(Prerelease {
        kind: kind.unwrap_or(PrereleaseKind::Alpha),
        number: 0,
    }))
}

/// `prerelease`. Without a label, Poetry's rule: a pre-release counts up (`1.2.3a1` → `1.2.3a2`,
/// dropping post and dev parts), a final or post-release starts the next patch at `a0`.
/// With a label of the same phase it counts up, with another phase it moves there at 0 (`b1` and
/// `rc` → `rc0`; a label of an earlier phase gives a lower version, which `bump` refuses).
/// A development version without pre-release (where Poetry fails) becomes the first pre-release
/// of its own release (`1.2.4.dev3` → `1.2.4a0`), or of the next patch after a post-release's.
pub(crate) fn prerelease(
    current: &Version,
    label: Option<PrereleaseKind>,
) -> Result<Version, BumpError> {
    let base = with_release(current, current.release().to_vec());
    match current.pre() {
        Some(pre) if label.is_none_or(|kind| kind == pre.kind) => {
            let number = plus_one(pre.number, current)?;
            Ok(base.with_pre(Some(Prerelease {
                kind: pre.kind,
                number,
            })))
        }
        Some(_) => Ok(first_prerelease(base, label)),
        None if current.dev().is_some() && current.post().is_none() => {
            Ok(first_prerelease(base, label))
        }
        None => Ok(first_prerelease(next_patch(current)?, label)),
    }
}

/// `release`: a pre-release becomes its final release (`1.2.3rc1.dev0` → `1.2.3`), a development
/// version drops its dev part (`1.2.4.dev0` → `1.2.4`, `1.2.3.post1.dev0` → `1.2.3.post1`).
/// `None` for a version that is already final.
pub(crate) fn release(current: &Version) -> Option<Version> {
    if current.pre().is_some() {
        Some(with_release(current, current.release().to_vec()))
    } else if current.dev().is_some() {
        Some(current.clone().without_local().with_dev(None))
    } else {
        None
    }
}

/// `dev`, the next development version: count up a dev part (`1.2.4.dev0` → `1.2.4.dev1`);
/// after a pre-release, the next pre-release's (`1.2.4a1` → `1.2.4a2.dev0`); after a final or
/// post-release, the next patch's (`1.2.3` → `1.2.4.dev0`).
pub(crate) fn dev(current: &Version) -> Result<Version, BumpError> {
    if let Some(dev) = current.dev() {
        return Ok(current
            .clone()
            .without_local()
            .with_dev(Some(plus_one(dev, current)?)));
    }
    let next = match current.pre() {
        Some(_) => prerelease(current, None)?,
        None => next_patch(current)?,
    };
    Ok(next.with_dev(Some(0)))
}

/// `post`: a post-release counts up (`1.2.3.post1` → `1.2.3.post2`), a final or pre-release gets
/// its first (`1.2.3` → `1.2.3.post1`, the number people expect; PEP 440 allows `post0` but it
/// reads as a typo), a development version of a post-release becomes it. `None` for a development
/// version of something unreleased (`1.2.4.dev0`), which has nothing to follow.
pub(crate) fn post(current: &Version) -> Result<Option<Version>, BumpError> {
    let base = current.clone().without_local().with_dev(None);
    match (current.post(), current.dev()) {
        (Some(_), Some(_)) => Ok(Some(base)),
        (Some(post), None) => Ok(Some(base.with_post(Some(plus_one(post, current)?)))),
        (None, Some(_)) => Ok(None),
        (None, None) => Ok(Some(base.with_post(Some(1)))),
    }
}

/// The pre-release phase of a version, if any.
pub(crate) fn current_label(current: &Version) -> Option<PrereleaseKind> {
    current.pre().map(|pre| pre.kind)
}

/// The text between the release segments and the local part, when the version is a pre-release
/// or development version: `a1`, `rc2.dev0`, `dev3`.
pub(crate) fn pre_text(current: &Version) -> Option<String> {
    if current.pre().is_none() && current.dev().is_none() {
        return None;
    }
    let mut text = current.pre().map(|pre| pre.to_string()).unwrap_or_default();
    for (name, part) in [("post", current.post()), ("dev", current.dev())] {
        if let Some(n) = part {
            if !text.is_empty() {
                text.push('.');
            }
            text.push_str(&format!("{name}{n}"));
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        parse(text).unwrap()
    }

    fn s(result: Result<Version, BumpError>) -> String {
        result.unwrap().to_string()
    }

    #[test]
    fn normalised_on_write() {
        let cases = [
            ("1.3.0-alpha.0", "1.3.0a0"),
            ("v1.0", "1.0"),
            (" V1.0RC1 ", "1.0rc1"),
            ("1.2.3-1", "1.2.3.post1"),
            ("1.2.3.DEV", "1.2.3.dev0"),
            ("1.2.3c1", "1.2.3rc1"),
            ("1.2.3-preview.2", "1.2.3rc2"),
            ("1!2.0+Ubuntu-1", "1!2.0+ubuntu.1"),
            ("01.002.0003", "1.2.3"),
        ];
        for (text, normal) in cases {
            assert_eq!(v(text).to_string(), normal, "{text}");
        }
    }

    #[test]
    fn release_dev_and_post() {
        assert_eq!(release(&v("1.2.3rc1.dev0+x")).unwrap().to_string(), "1.2.3");
        assert_eq!(release(&v("1!1.2.4.dev0")).unwrap().to_string(), "1!1.2.4");
        assert_eq!(
            release(&v("1.2.3.post1.dev0")).unwrap().to_string(),
            "1.2.3.post1"
        );
        assert!(release(&v("1.2.3.post1")).is_none());
        assert_eq!(s(dev(&v("1.2.3"))), "1.2.4.dev0");
        assert_eq!(s(dev(&v("1.2.4.dev0"))), "1.2.4.dev1");
        assert_eq!(s(dev(&v("1.2.4a1"))), "1.2.4a2.dev0");
        assert_eq!(s(dev(&v("1.2.3.post1"))), "1.2.4.dev0");
        assert_eq!(s(dev(&v("1.2"))), "1.2.1.dev0");
        assert_eq!(
            post(&v("1.2.3")).unwrap().unwrap().to_string(),
            "1.2.3.post1"
        );
        assert_eq!(
            post(&v("1.2.3.post1+x")).unwrap().unwrap().to_string(),
            "1.2.3.post2"
        );
        assert_eq!(
            post(&v("1.2.3.post2.dev1")).unwrap().unwrap().to_string(),
            "1.2.3.post2"
        );
        assert_eq!(
            post(&v("1.2.3rc1")).unwrap().unwrap().to_string(),
            "1.2.3rc1.post1"
        );
        assert!(post(&v("1.2.4.dev0")).unwrap().is_none());
    }

    #[test]
    fn prerelease_with_labels() {
        let kind = |label: &str| Some(parse_label(label).unwrap());
        assert_eq!(s(prerelease(&v("1.2.3"), kind("rc"))), "1.2.4rc0");
        assert_eq!(s(prerelease(&v("1.2.3b1"), kind("beta"))), "1.2.3b2");
        assert_eq!(s(prerelease(&v("1.2.3b1"), kind("c"))), "1.2.3rc0");
        assert_eq!(s(prerelease(&v("1.2.3b1"), kind("a"))), "1.2.3a0");
        assert_eq!(s(prerelease(&v("1.2.4.dev3"), None)), "1.2.4a0");
        assert_eq!(s(prerelease(&v("1.2.3.post1.dev0"), kind("b"))), "1.2.4b0");
        let error = parse_label("gamma").unwrap_err();
        assert_eq!(
            error.to_string(),
            "`gamma` is not a valid pep440 pre-release label: PEP 440 pre-releases are `a`, `b` or `rc`"
        );
    }

    #[test]
    fn pre_text_is_everything_between_release_and_local() {
        assert_eq!(pre_text(&v("1.2.3a1")).as_deref(), Some("a1"));
        assert_eq!(pre_text(&v("1.2.3rc2.dev0+x")).as_deref(), Some("rc2.dev0"));
        assert_eq!(pre_text(&v("1.2.3.dev3")).as_deref(), Some("dev3"));
        assert_eq!(pre_text(&v("1.2.3a1.post1")).as_deref(), Some("a1.post1"));
        assert_eq!(pre_text(&v("1.2.3.post1")), None);
        assert_eq!(pre_text(&v("1.2.3")), None);
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let max = u64::MAX;
        assert!(matches!(
            next_major(&v(&format!("{max}.0"))),
            Err(BumpError::Overflow { .. })
        ));
        assert!(matches!(
            dev(&v(&format!("1.0.dev{max}"))),
            Err(BumpError::Overflow { .. })
        ));
    }
}
