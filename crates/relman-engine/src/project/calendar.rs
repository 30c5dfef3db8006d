//! Whether the project's releases are named by the calendar (see `relman_version::calendar`):
//! read once when the project is resolved, from its release tags' versions and, only when the
//! newest one's major looks like a year, the dates of its newest few final releases (one git
//! process). A project that configures `calver:FORMAT`, or whose scheme is RubyGems, or one
//! package of several, is left as it is.

use relman_version::calendar::{self, Calendar, Sample};
use relman_version::date::Date;
use relman_version::scheme::Scheme;

use super::{Project, ProjectError};

impl Project {
    /// The calendar the project's newest final release tags follow, if any.
    pub(super) fn detect_calendar(&self) -> Result<Option<Calendar>, ProjectError> {
        if !matches!(self.scheme, Scheme::Semver | Scheme::Pep440) || self.scope.is_some() {
            return Ok(None);
        }
        let today = system_today();
        let (mut releases, _) = self.release_tags()?;
        releases.retain(|release| !release.version.is_prerelease());
        releases.sort_by(|a, b| b.version.cmp(&a.version));
        releases.truncate(calendar::SAMPLE);
        match releases.first() {
            Some(newest) if calendar::looks_like_a_year(&newest.version, today) => {}
            _ => return Ok(None),
        }
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
