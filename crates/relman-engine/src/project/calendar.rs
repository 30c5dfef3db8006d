//! Whether the project's releases are named by the calendar (see `relman_version::calendar`):
//! read once when the project is resolved, from its release tags' versions and, only when the
//! newest one's major looks like a year, the dates of its newest few final releases (one git
//! process). A project that configures `calver:FORMAT`, or whose scheme is RubyGems, or one
//! package of several, is left as it is.

use relman_version::calendar::{self, Calendar, Sample};
use relman_version::date::Date;
use relman_version::scheme::Scheme;

use relman_git::TagKind;

use super::{Project, ProjectError, ReleaseTag};

impl Project {
    /// The calendar the project's newest final release tags follow, if any.
    pub(super) fn detect_calendar(&self) -> Result<Option<Calendar>, ProjectError> {
        if !matches!(self.scheme, Scheme::Semver | Scheme::Pep440) || self.scope.is_some() {
            return Ok(None);
        }
        let today = system_today();
        // Numbers read from the tags' text first: a project whose highest leading number is no
        // year (bench's `v0.0.N`, setuptools' `v80.9.0`) has no tag parsed or dated here.
        let tags = self.repo.tag_names()?;
        let leading = |tag: &str| {
            let text = self.tag_format.extract(tag)?;
            let text = text.strip_prefix('v').unwrap_or(text);
            let end = text.find(|c: char| !c.is_ascii_digit())?;
            text[..end].parse::<u64>().ok()
        };
        let highest = tags.iter().filter_map(|tag| leading(tag)).max();
        if !highest.is_some_and(|major| calendar::is_a_year(major, today)) {
            return Ok(None);
        }
        let mut releases: Vec<ReleaseTag> = tags
            .into_iter()
            .filter(|tag| leading(tag).is_some_and(|major| calendar::is_a_year(major, today)))
            .filter_map(|tag| match self.classify(&tag) {
                TagKind::Release(version) => Some(ReleaseTag { tag, version }),
                _ => None,
            })
            .collect();
        releases.sort_by(|a, b| b.version.cmp(&a.version));
        releases.truncate(calendar::SAMPLE);
        let names: Vec<&str> = releases
            .iter()
            .map(|release| release.tag.as_str())
            .collect();
        // A tag git cannot date leaves the project's ordinary bumps, as detection never must fail.
        let Ok(dates) = self.repo.tag_dates(&names) else {
            return Ok(None);
        };
        let samples: Vec<Sample<'_>> = releases
            .iter()
            .filter_map(|release| {
                let (_, seconds) = dates.iter().find(|(name, _)| *name == release.tag)?;
                Some(Sample {
                    text: self.tag_format.extract(&release.tag)?,
                    version: &release.version,
                    date: Date::from_unix_seconds(*seconds),
                })
            })
            .collect();
        if samples.len() != releases.len() {
            return Ok(None);
        }
        Ok(calendar::detect(&samples, today))
    }
}

/// Today by the system clock: only bounds which majors can be years (a tag is not made in the
/// future), so `SOURCE_DATE_EPOCH` plays no part.
fn system_today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        });
    Date::from_unix_seconds(seconds)
}
