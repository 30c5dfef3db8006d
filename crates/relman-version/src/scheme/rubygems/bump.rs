//! Bump arithmetic of RubyGems versions, in the spelling Ruby projects use (Rails among them):
//! `major`, `minor` and `patch` move the first three numbers and drop a fourth (`8.1.3.1` →
//! `8.1.4`); `post` counts the fourth, the follow-up of a release (`8.1.3` → `8.1.3.1` →
//! `8.1.3.2`); a pre-release is the release and a numbered word (`8.1.0.beta1` → `8.1.0.beta2`
//! → `8.1.0.rc1` → `8.1.0`); the development version is the release and a bare `alpha`
//! (`8.2.0.alpha`), which `auto` releases rather than counting up. As with Poetry and npm, a
//! pre-release of `x.y.0` becomes `x.y.0` on `minor`. Counting up keeps the way a pre-release is
//! written (`1.0.0.pre.rc1` → `1.0.0.pre.rc2`, `2.0.0.pre.1` → `2.0.0.pre.2`).

use super::{GemVersion, parse};
use crate::bump::{BumpError, Level};

/// The label a pre-release cycle starts with when none is given: `beta`, since a bare `alpha` is
/// the development version.
pub(crate) const DEFAULT_LABEL: &str = "beta";

/// The word of a development version: `8.2.0.alpha`, not yet any pre-release.
pub(crate) const DEV_LABEL: &str = "alpha";

/// A pre-release label is a word of letters (`beta`, `rc`, `pre`).
pub(crate) fn check_label(label: &str) -> Result<(), BumpError> {
    if !label.is_empty() && label.chars().all(|c| c.is_ascii_alphabetic()) {
        return Ok(());
    }
    Err(BumpError::Label {
        label: label.to_owned(),
        scheme: crate::scheme::Scheme::Rubygems,
        reason: "a RubyGems pre-release label is a word of letters".to_owned(),
    })
}

/// Whether this is a development version (`8.2.0.alpha`).
pub(crate) fn is_dev(current: &GemVersion) -> bool {
    current.pre() == Some(DEV_LABEL)
}

/// The last word of the pre-release part: `beta` of `8.1.0.beta1`, `rc` of `1.0.0.pre.rc1`.
pub(crate) fn current_label(current: &GemVersion) -> Option<String> {
    let pre = current.pre()?;
    let (start, end) = last_word(pre)?;
    Some(pre[start..end].to_owned())
}

fn last_word(text: &str) -> Option<(usize, usize)> {
    let end = text.rfind(|c: char| c.is_ascii_alphabetic())? + 1;
    let start = text[..end]
        .rfind(|c: char| !c.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    Some((start, end))
}

fn build(numbers: &[u64], pre: Option<&str>) -> GemVersion {
    let mut text = numbers
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".");
    if let Some(pre) = pre {
        text.push('.');
        text.push_str(pre);
    }
    parse(&text).expect("numbers and a word of letters make a gem version")
}

fn plus_one(n: u64, current: &GemVersion) -> Result<u64, BumpError> {
    n.checked_add(1).ok_or_else(|| BumpError::Overflow {
        current: current.to_string(),
    })
}

/// Move number `index` (0 major, 1 minor, 2 patch) up, zero the ones after it, keep at most
/// three; a pre-release whose numbers after `index` are zero is that release already.
fn next_at(current: &GemVersion, index: usize) -> Result<GemVersion, BumpError> {
    let release = current.release();
    if current.is_prerelease() && release.iter().skip(index + 1).all(|&n| n == 0) {
        return Ok(build(&release, None));
    }
    let mut next: Vec<u64> = (0..release.len().min(3).max(index + 1))
        .map(|i| {
            if i < index {
                release.get(i).copied().unwrap_or(0)
            } else {
                0
            }
        })
        .collect();
    next[index] = plus_one(release.get(index).copied().unwrap_or(0), current)?;
    Ok(build(&next, None))
}

pub(crate) fn next_major(current: &GemVersion) -> Result<GemVersion, BumpError> {
    next_at(current, 0)
}

pub(crate) fn next_minor(current: &GemVersion) -> Result<GemVersion, BumpError> {
    next_at(current, 1)
}

pub(crate) fn next_patch(current: &GemVersion) -> Result<GemVersion, BumpError> {
    next_at(current, 2)
}

/// The first pre-release of a release: `8.1.0` and `beta` → `8.1.0.beta1`.
pub(crate) fn first_prerelease(release: &GemVersion, label: &str) -> GemVersion {
    build(&release.release(), Some(&format!("{label}1")))
}

/// `prerelease`: the same label counts up (`beta1` → `beta2`, `alpha` → `alpha1`), another
/// label starts at 1 in its place (`beta2` and `rc` → `rc1`, `pre.beta1` → `pre.rc1`), a final
/// version starts the next patch's (`8.1.3` → `8.1.4.beta1`).
pub(crate) fn prerelease(current: &GemVersion, label: &str) -> Result<GemVersion, BumpError> {
    check_label(label)?;
    let Some(pre) = current.pre() else {
        return Ok(first_prerelease(&next_patch(current)?, label));
    };
    let release = current.release();
    let Some((start, end)) = last_word(pre) else {
        return Ok(first_prerelease(current, label));
    };
    let same_release = |pre: String| {
        current
            .with_pre(&pre)
            .unwrap_or_else(|| build(&release, Some(&pre)))
    };
    if &pre[start..end] != label {
        return Ok(same_release(format!("{}{label}1", &pre[..start])));
    }
    let digits = pre.len() - pre.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let counted = if digits == 0 {
        format!("{pre}1")
    } else {
        let (head, number) = pre.split_at(pre.len() - digits);
        let number: u64 = number.parse().map_err(|_| BumpError::Overflow {
            current: current.to_string(),
        })?;
        format!("{head}{}", plus_one(number, current)?)
    };
    Ok(same_release(counted))
}

/// `release`: a pre-release or development version becomes its release; `None` for a final one.
pub(crate) fn release(current: &GemVersion) -> Option<GemVersion> {
    current
        .is_prerelease()
        .then(|| build(&current.release(), None))
}

/// `dev`: the next patch's development version (`8.1.3` → `8.1.4.alpha`); `None` for a pre-
/// release or development version, which has one already.
pub(crate) fn dev(current: &GemVersion) -> Result<Option<GemVersion>, BumpError> {
    if current.is_prerelease() {
        return Ok(None);
    }
    Ok(Some(build(
        &next_patch(current)?.release(),
        Some(DEV_LABEL),
    )))
}

/// `post`: the follow-up of a release in the fourth number (`8.1.3` → `8.1.3.1`, `8.1.3.1` →
/// `8.1.3.2`, `1.0` → `1.0.0.1`); `None` for a pre-release, which has no release to follow.
pub(crate) fn post(current: &GemVersion) -> Result<Option<GemVersion>, BumpError> {
    if current.is_prerelease() {
        return Ok(None);
    }
    let mut release = current.release();
    release.resize(release.len().max(3), 0);
    release.truncate(4);
    match release.get_mut(3) {
        Some(tiny) => *tiny = plus_one(*tiny, current)?,
        None => release.push(1),
    }
    Ok(Some(build(&release, None)))
}

/// What `level` means for a RubyGems version; `label` is the label given or the scheme's
/// default (`auto` and explicit versions are the caller's).
pub(crate) fn step(
    current: &GemVersion,
    level: &Level,
    label: Option<&str>,
) -> Result<GemVersion, BumpError> {
    let label_or_default = || -> Result<&str, BumpError> {
        let label = label.unwrap_or(DEFAULT_LABEL);
        check_label(label)?;
        Ok(label)
    };
    // A pre-release carries on with its label; a development version starts a cycle.
    let carry_on = || match (label, current_label(current)) {
        (Some(label), _) => Ok(label.to_owned()),
        (None, Some(current_label)) if !is_dev(current) => Ok(current_label),
        _ => label_or_default().map(str::to_owned),
    };
    let final_ = build(&current.release(), None);
    let not_applicable = |reason, hint| BumpError::NotApplicable {
        level: level.clone(),
        current: current.to_string(),
        reason,
        hint,
    };
    let forward = |next: GemVersion| {
        if next <= *current {
            return Err(BumpError::Backwards {
                current: current.to_string(),
                level: level.clone(),
                target: next.to_string(),
            });
        }
        Ok(next)
    };
    match level {
        Level::Major => next_major(current),
        Level::Minor => next_minor(current),
        Level::Patch => next_patch(current),
        // As npm's: a new cycle of the next release even from a pre-release, which would
        // otherwise start where it is (`8.1.0.beta1` preminor → `8.2.0.beta1`).
        Level::Premajor => Ok(first_prerelease(&next_major(&final_)?, label_or_default()?)),
        Level::Preminor => Ok(first_prerelease(&next_minor(&final_)?, label_or_default()?)),
        Level::Prepatch => Ok(first_prerelease(&next_patch(&final_)?, label_or_default()?)),
        Level::Prerelease => forward(prerelease(current, &carry_on()?)?),
        Level::Alpha => forward(prerelease(current, "alpha")?),
        Level::Beta => forward(prerelease(current, "beta")?),
        Level::Rc => forward(prerelease(current, "rc")?),
        Level::Release => release(current).ok_or_else(|| BumpError::NotPrerelease {
            current: current.to_string(),
            level: Level::Release,
        }),
        Level::Dev => dev(current)?.ok_or_else(|| {
            not_applicable(
                "this is a pre-release or development version already",
                "use `prerelease` for the next pre-release, or `release` to finish this one",
            )
        }),
        Level::Post => post(current)?.ok_or_else(|| {
            not_applicable(
                "a follow-up (`8.1.3.1`) follows a release, and this one is unreleased",
                "use `release` to release it first, or `prerelease` for the next pre-release",
            )
        }),
        Level::Auto | Level::Explicit(_) => Err(not_applicable(
            "internal error: this level has no arithmetic of its own",
            "please report this as a bug in relman",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> GemVersion {
        parse(text).unwrap()
    }

    fn at(current: &str, level: Level, label: Option<&str>) -> String {
        step(&v(current), &level, label).unwrap().to_string()
    }

    #[test]
    fn release_levels_move_three_numbers() {
        assert_eq!(at("8.1.3.1", Level::Patch, None), "8.1.4");
        assert_eq!(at("8.1.3.1", Level::Minor, None), "8.2.0");
        assert_eq!(at("8.1.3.1", Level::Major, None), "9.0.0");
        assert_eq!(at("8.2.0.alpha", Level::Minor, None), "8.2.0");
        assert_eq!(at("8.2.0.alpha", Level::Patch, None), "8.2.0");
        assert_eq!(at("8.2.0.alpha", Level::Major, None), "9.0.0");
        assert_eq!(at("2.0.0.rc1", Level::Major, None), "2.0.0");
        assert_eq!(at("1.0", Level::Patch, None), "1.0.1");
        assert_eq!(at("1.0", Level::Minor, None), "1.1");
        assert_eq!(at("8.1.0.rc2", Level::Release, None), "8.1.0");
        assert!(matches!(
            step(&v("8.1.0"), &Level::Release, None),
            Err(BumpError::NotPrerelease { .. })
        ));
    }

    #[test]
    fn follow_ups_count_the_fourth_number() {
        assert_eq!(at("8.1.3", Level::Post, None), "8.1.3.1");
        assert_eq!(at("8.1.3.1", Level::Post, None), "8.1.3.2");
        assert_eq!(at("1.0", Level::Post, None), "1.0.0.1");
        let error = step(&v("8.1.0.beta1"), &Level::Post, None).unwrap_err();
        assert!(error.to_string().contains("unreleased"), "{error}");
    }

    #[test]
    fn pre_releases_keep_the_projects_spelling() {
        assert_eq!(at("8.1.0.beta1", Level::Prerelease, None), "8.1.0.beta2");
        assert_eq!(at("8.1.0.beta9", Level::Prerelease, None), "8.1.0.beta10");
        assert_eq!(at("8.1.0.beta2", Level::Rc, None), "8.1.0.rc1");
        assert_eq!(at("8.1.0.rc1", Level::Rc, None), "8.1.0.rc2");
        assert_eq!(at("8.2.0.alpha", Level::Prerelease, None), "8.2.0.beta1");
        assert_eq!(at("8.2.0.alpha", Level::Alpha, None), "8.2.0.alpha1");
        assert_eq!(
            at("1.0.0.pre.rc1", Level::Prerelease, None),
            "1.0.0.pre.rc2"
        );
        assert_eq!(at("1.0.0.pre.beta1", Level::Rc, None), "1.0.0.pre.rc1");
        assert_eq!(at("2.0.0.pre.1", Level::Prerelease, None), "2.0.0.pre.2");
        assert_eq!(at("1.0b1", Level::Prerelease, None), "1.0b2");
        assert_eq!(at("8.1.3", Level::Prerelease, None), "8.1.4.beta1");
        assert_eq!(at("8.1.3", Level::Preminor, Some("rc")), "8.2.0.rc1");
        assert_eq!(at("8.1.3", Level::Premajor, None), "9.0.0.beta1");
        assert_eq!(at("8.1.0.beta1", Level::Preminor, None), "8.2.0.beta1");
        assert!(matches!(
            step(&v("8.1.0.rc1"), &Level::Beta, None),
            Err(BumpError::Backwards { .. })
        ));
        let error = step(&v("8.1.3"), &Level::Prepatch, Some("rc.1")).unwrap_err();
        assert!(error.to_string().contains("word of letters"), "{error}");
    }

    #[test]
    fn development_versions() {
        assert_eq!(at("8.1.3", Level::Dev, None), "8.1.4.alpha");
        assert!(is_dev(&v("8.2.0.alpha")));
        assert!(!is_dev(&v("8.2.0.alpha1")));
        assert!(step(&v("8.2.0.alpha"), &Level::Dev, None).is_err());
        assert_eq!(current_label(&v("1.0.0.pre.rc1")).as_deref(), Some("rc"));
        assert_eq!(current_label(&v("1.0.0")), None);
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let max = u64::MAX;
        for (text, level) in [
            (format!("{max}.0.0"), Level::Major),
            (format!("1.0.0.beta{max}"), Level::Prerelease),
            (format!("1.0.0.{max}"), Level::Post),
        ] {
            assert!(matches!(
                step(&v(&text), &level, None),
                Err(BumpError::Overflow { .. })
            ));
        }
    }
}
