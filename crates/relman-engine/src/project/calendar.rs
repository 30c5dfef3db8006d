//! Whether the project's releases are named by the calendar (see `relman_version::calendar`):
//! read once when the project is resolved, from its release tags' versions and, only when the
//! newest one's major looks like a year, the dates of its newest few final releases (one git
//! process). A project that configures `calver:FORMAT`, or whose scheme is RubyGems, or one
//! package of several, is left as it is.

use relman_version::calendar::{self, Calendar, Sample};
use relman_version::date::Date;
use relman_version::scheme::Scheme;

use relman_git::TagKind;

use super::{Project, ReleaseTag};

impl Project {
    /// The calendar the release tags follow under a semver or PEP 440 scheme (black's `26.5.1`,
    /// helix's `25.07`), detected from their dates on first use: `auto`, `minor` and `major`
    /// give today's version, and tags are spelt as the earlier ones.
    pub fn calendar(&self) -> Option<&Calendar> {
        self.calendar
            .get_or_init(|| self.detect_calendar())
            .as_ref()
    }

    fn detect_calendar(&self) -> Option<Calendar> {
        if !matches!(self.scheme, Scheme::Semver | Scheme::Pep440) || self.scope.is_some() {
            return None;
        }
        let today = system_today();
        // Numbers read from the tags' text first: a project whose highest leading number is no
        // year (bench's `v0.0.N`, setuptools' `v80.9.0`) has no tag parsed or dated here.
        // Tags git cannot list or date leave the project's ordinary bumps: detection never fails
        // a command.
        let leading = |tag: &str| {
            let text = self.tag_format.extract(tag)?;
            let text = text.strip_prefix('v').unwrap_or(text);
            let end = text.find(|c: char| !c.is_ascii_digit())?;
            text[..end].parse::<u64>().ok()
        };
        // One scan keeps the names led by a year, so the tags are listed once.
        let mut highest = None;
        let mut led_by_a_year = Vec::new();
        let scan = self.repo.visit_tag_names(|tag| {
            let major = leading(tag);
            highest = highest.max(major);
            if major.is_some_and(|major| calendar::is_a_year(major, today)) {
                led_by_a_year.push(tag.to_owned());
            }
        });
        if scan.is_err() || !highest.is_some_and(|major| calendar::is_a_year(major, today)) {
            return None;
        }
        // The scan may visit a tag twice (packed and loose) and in no order.
        led_by_a_year.sort_unstable();
        led_by_a_year.dedup();
        let mut releases: Vec<ReleaseTag> = led_by_a_year
            .into_iter()
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
        let Ok(dates) = self.repo.tag_dates(&names) else {
            return None;
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
            return None;
        }
        calendar::detect(&samples, today)
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
