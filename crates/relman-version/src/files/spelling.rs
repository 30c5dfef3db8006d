//! One version, several spellings: the text a file holds is the project's version written the
//! way that file's ecosystem (or the project's habit) writes it, and a new version is written
//! back in the same way.
//!
//! - **npm's spelling of a RubyGems version** ([`Spelling::NpmOfGem`]): npm reads only semver,
//!   so a package moving with a gem (Rails' `@rails/actioncable` beside `RAILS_VERSION`) writes
//!   `8.2.0.alpha` as `8.2.0-alpha`, `8.0.0.beta1.1` as `8.0.0-beta1-1`; a final version keeps
//!   its fourth number in the third, as Rails' release task does (`8.1.1` → `8.1.100`,
//!   `8.1.3.1` → `8.1.301`), since semver has no fourth number. A file that shows the plain form
//!   (`1.2.3` for the gem's `1.2.3`) keeps it.
//! - **Zero-padded numbers** (certifi's `2026.07.22`): a number after the first that the file
//!   writes with a leading zero keeps two digits; where the file's text cannot tell (`2025.11.12`)
//!   the caller says whether the project's tags pad ([`WriteOptions::padded`]). A file that
//!   writes a single digit (helix's `Cargo.toml` at `25.7.1`) is never padded.
//! - **Flutter's build number** ([`Spelling::BuildNumber`], `pubspec.yaml`): `1.2.3+4` is the
//!   version `1.2.3` with build number 4, which every release counts up: `1.2.4+5`.
//!
//! Reading gives each place the version in the project's spelling (what the other files hold);
//! writing turns the new version into the place's spelling. A place already holding the new
//! version is left alone, so a release resumed after a crash counts no build number twice.

/// How a file spells the project's version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Spelling {
    /// As the project writes it (numbers after the first keep the file's zero padding).
    #[default]
    AsIs,
    /// npm's spelling of a RubyGems version (see the module documentation).
    NpmOfGem,
    /// A Flutter `pubspec.yaml` version: the build number after `+` counts up on each release.
    BuildNumber,
}

impl Spelling {
    /// The spelling a file's name implies: a `pubspec.yaml` counts its build number.
    pub(super) fn of_path(path: &std::path::Path) -> Self {
        match path.file_name().and_then(|name| name.to_str()) {
            Some("pubspec.yaml") => Self::BuildNumber,
            _ => Self::AsIs,
        }
    }
}

/// What the caller knows of the project that a file's own text may not show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// How many numbers after the first the project's tags pad to two digits (certifi's month
    /// and day: 2; helix's month: 1; none: 0), for a file whose text does not show its own
    /// habit.
    pub padded: usize,
}

/// How one place was found spelt, decided when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Written {
    AsIs,
    /// npm's spelling; `hundreds` when the fourth number goes into the third (`8.1.301`).
    Npm {
        hundreds: bool,
    },
    BuildNumber,
}

/// npm's spellings of a RubyGems version: Rails' (the fourth number in the third, `8.1.301`)
/// and the plain one (`8.1.3`, `8.2.0-alpha`), the latter `None` when it cannot hold the
/// version (`8.1.3.1`). `None` for a version of fewer than three numbers, or a fourth of 100
/// or more.
pub fn npm_spellings(gem: &str) -> Option<(String, Option<String>)> {
    let mut pieces = gem.trim().split('.');
    let mut number = || {
        pieces
            .next()
            .filter(|piece| !piece.is_empty() && piece.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|piece| piece.parse::<u64>().ok())
    };
    let (major, minor, tiny) = (number()?, number()?, number()?);
    let rest: Vec<&str> = pieces.collect();
    if rest.iter().any(|piece| piece.is_empty()) {
        return None;
    }
    let prerelease = rest
        .iter()
        .any(|piece| piece.bytes().any(|b| b.is_ascii_alphabetic()));
    if prerelease {
        let pre = rest.join("-");
        if !pre.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return None;
        }
        let hundreds = format!("{major}.{minor}.{}-{pre}", tiny.checked_mul(100)?);
        return Some((hundreds, Some(format!("{major}.{minor}.{tiny}-{pre}"))));
    }
    let (fourth, plain) = match rest.as_slice() {
        [] => (0, Some(format!("{major}.{minor}.{tiny}"))),
        [fourth] => (fourth.parse::<u64>().ok().filter(|n| *n < 100)?, None),
        _ => return None,
    };
    let third = tiny.checked_mul(100)?.checked_add(fourth)?;
    Some((format!("{major}.{minor}.{third}"), plain))
}

/// How a place holding `written` spells the project's version `truth` (the source of truth's),
/// and the version it holds in the project's spelling: `truth` when the place holds one of its
/// spellings, else the text itself (the files then disagree, and the caller says so).
pub(super) fn read(spelling: Spelling, written: &str, truth: Option<&str>) -> (Written, String) {
    match spelling {
        Spelling::AsIs => (Written::AsIs, written.to_owned()),
        Spelling::BuildNumber => {
            let core = match written.rsplit_once('+') {
                Some((core, build))
                    if !build.is_empty() && build.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    core
                }
                _ => written,
            };
            (Written::BuildNumber, core.to_owned())
        }
        Spelling::NpmOfGem => {
            let Some((truth, (hundreds, plain))) =
                truth.and_then(|truth| Some((truth, npm_spellings(truth)?)))
            else {
                return (Written::Npm { hundreds: true }, written.to_owned());
            };
            if written == hundreds {
                (Written::Npm { hundreds: true }, truth.to_owned())
            } else if plain.as_deref() == Some(written) {
                (Written::Npm { hundreds: false }, truth.to_owned())
            } else {
                (Written::Npm { hundreds: true }, written.to_owned())
            }
        }
    }
}

/// Why a version cannot be written in npm's spelling, for [`super::FileError::InvalidNewVersion`].
pub(super) const NOT_NPM: &str = "npm's spelling of a RubyGems version needs three numbers, then \
     a fourth below 100 or a pre-release (`8.1.3.1` is `8.1.301`, `8.2.0.alpha` is `8.2.0-alpha`)";

/// `version` (in the project's spelling) as the place whose current text is `old` writes it;
/// `None` when npm's spelling cannot hold it.
pub(super) fn write(
    written: Written,
    version: &str,
    old: &str,
    options: &WriteOptions,
) -> Option<String> {
    match written {
        Written::AsIs => Some(pad_like(version, old, options.padded)),
        Written::Npm { hundreds } => {
            let (rails, plain) = npm_spellings(version)?;
            Some(if hundreds { rails } else { plain? })
        }
        Written::BuildNumber => {
            let build = old
                .rsplit_once('+')
                .and_then(|(_, build)| build.parse::<u64>().ok());
            Some(match build {
                Some(build) if !version.contains('+') => format!("{version}+{}", build + 1),
                _ => version.to_owned(),
            })
        }
    }
}

/// `version` with its second and third numbers padded as `old` pads them: two digits where
/// `old` writes a leading zero there, one where `old` writes a single digit, and where `old`
/// cannot tell (`11`, or no such number), two for the first `padded` numbers after the first.
fn pad_like(version: &str, old: &str, padded: usize) -> String {
    let core = |text: &str| -> usize {
        text.find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len())
    };
    let (new_core, rest) = version.split_at(core(version));
    let old = old.strip_prefix(['v', 'V']).unwrap_or(old);
    let old_parts: Vec<&str> = old[..core(old)].split('.').collect();
    let mut parts: Vec<String> = new_core.split('.').map(str::to_owned).collect();
    if parts.iter().any(String::is_empty) {
        return version.to_owned();
    }
    for (index, part) in parts.iter_mut().enumerate().take(3).skip(1) {
        let pad = match old_parts.get(index) {
            Some(old) if old.len() >= 2 && old.starts_with('0') => true,
            Some(old) if old.len() == 1 => false,
            _ => index <= padded,
        };
        if pad && part.len() == 1 {
            part.insert(0, '0');
        }
    }
    format!("{}{rest}", parts.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_spells_a_gem_as_rails_does() {
        let rails = |gem: &str| npm_spellings(gem).map(|(rails, _)| rails);
        assert_eq!(rails("8.2.0.alpha").as_deref(), Some("8.2.0-alpha"));
        assert_eq!(rails("8.1.0.beta1").as_deref(), Some("8.1.0-beta1"));
        assert_eq!(rails("5.0.0.beta1.1").as_deref(), Some("5.0.0-beta1-1"));
        assert_eq!(rails("8.1.0").as_deref(), Some("8.1.0"));
        assert_eq!(rails("8.1.1").as_deref(), Some("8.1.100"));
        assert_eq!(rails("8.1.3.1").as_deref(), Some("8.1.301"));
        assert_eq!(rails("7.1.5.2").as_deref(), Some("7.1.502"));
        for none in ["8.1", "8.1.3.100", "8.1.3.1.2", "8..1", "x.1.2"] {
            assert_eq!(npm_spellings(none), None, "{none}");
        }
        assert_eq!(npm_spellings("8.1.3.1").unwrap().1, None);
        assert_eq!(npm_spellings("1.2.3").unwrap().1.as_deref(), Some("1.2.3"));
    }

    #[test]
    fn a_place_reads_as_the_truth_it_spells() {
        let npm = |written: &str, truth: &str| read(Spelling::NpmOfGem, written, Some(truth));
        assert_eq!(
            npm("8.2.0-alpha", "8.2.0.alpha"),
            (Written::Npm { hundreds: true }, "8.2.0.alpha".to_owned())
        );
        assert_eq!(
            npm("8.1.301", "8.1.3.1"),
            (Written::Npm { hundreds: true }, "8.1.3.1".to_owned())
        );
        assert_eq!(
            npm("1.2.3", "1.2.3"),
            (Written::Npm { hundreds: false }, "1.2.3".to_owned())
        );
        assert_eq!(npm("8.1.2", "8.1.3.1").1, "8.1.2");
        assert_eq!(read(Spelling::BuildNumber, "1.2.3+4", None).1, "1.2.3");
        assert_eq!(read(Spelling::BuildNumber, "1.2.3", None).1, "1.2.3");
    }

    #[test]
    fn writing_keeps_the_place_s_spelling() {
        let none = WriteOptions::default();
        let write = |written, version, old| write(written, version, old, &none).unwrap();
        assert_eq!(
            write(Written::Npm { hundreds: true }, "8.1.1", "8.1.0"),
            "8.1.100"
        );
        assert_eq!(
            write(Written::Npm { hundreds: false }, "1.2.4", "1.2.3"),
            "1.2.4"
        );
        assert_eq!(write(Written::BuildNumber, "1.2.4", "1.2.3+4"), "1.2.4+5");
        assert_eq!(write(Written::BuildNumber, "1.2.4", "1.2.3"), "1.2.4");
        assert_eq!(write(Written::BuildNumber, "1.2.4+9", "1.2.3+4"), "1.2.4+9");
        assert_eq!(write(Written::AsIs, "2026.12.7", "2026.07.22"), "2026.12.7");
        let dated = WriteOptions { padded: 2 };
        assert_eq!(
            super::write(Written::AsIs, "2026.12.7", "2026.07.22", &dated).unwrap(),
            "2026.12.07"
        );
        assert_eq!(write(Written::AsIs, "26.12.0", "25.7.1"), "26.12.0");
        assert_eq!(write(Written::AsIs, "27.1.0", "25.7.1"), "27.1.0");
        assert_eq!(write(Written::AsIs, "1.2.3", "1.0.0"), "1.2.3");
        assert!(super::write(Written::Npm { hundreds: false }, "8.1.3.1", "", &none).is_none());
    }

    #[test]
    fn the_tags_pad_what_the_file_does_not_show() {
        let tags = WriteOptions { padded: 2 };
        assert_eq!(pad_like("2026.12.7", "2025.11.12", 2), "2026.12.07");
        assert_eq!(pad_like("2027.1.3", "2025.11.12", 2), "2027.01.03");
        assert_eq!(pad_like("2027.1.3", "2025.11.12", 0), "2027.1.3");
        assert_eq!(pad_like("26.1.0", "25.10.0", 1), "26.01.0");
        assert_eq!(pad_like("26.1.0", "25.7.0", 1), "26.1.0");
        assert_eq!(pad_like("2026.1.5rc1", "2025.07.22", 2), "2026.01.05rc1");
        assert_eq!(
            write(Written::AsIs, "2026.1.5", "v2025.11.12", &tags).unwrap(),
            "2026.01.05"
        );
    }
}
