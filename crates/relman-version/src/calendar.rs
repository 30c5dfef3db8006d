//! Calendar releases under semver or PEP 440: a project whose release tags name the year they
//! were made in (black's `26.5.1`, helix's `25.07.1`, pip's `26.2`) keeps its scheme's grammar,
//! order and pre-releases, and gets today's version from `auto`, `minor` and `major`.
//!
//! Detection reads only numbers and dates ([`detect`]); the caller first asks
//! [`is_a_year`] of the newest release so that a project whose major is no recent year
//! (setuptools' 80, Chrome's 143) never has its tags dated. The second number is a month when
//! every first release of a period (MICRO 0) was tagged in that month, as black and helix do;
//! otherwise, when the releases span years and each major is its release's year, it counts the
//! releases of the year (pip's `26.0`, `26.1`, attrs' `25.1.0`), and a new year starts again at
//! the lowest count the tags show. A third number that is the day as well (certifi's
//! `2026.07.22`) makes the day part of the name, with no counter.

use std::fmt;

use crate::date::Date;
use crate::version::Version;

/// What the second number of a calendar version is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// The month of the release (`26.12.0`).
    Month,
    /// The month and the day, no counter (certifi's `2026.07.22`).
    Day,
    /// The release's count within the year, starting at `first` (`26.0`, `26.1`, …).
    Counter { first: u64 },
}

/// How a project's releases follow the calendar, as its tags show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Calendar {
    /// `YYYY` (`2026.3.0`) rather than `YY` (`26.3.0`).
    pub full_year: bool,
    pub period: Period,
    /// Tags write the month with two digits (`25.07`), whatever the version files say.
    pub padded: bool,
    /// Tags leave out a MICRO of 0 (`25.07`, `26.2`, then `26.2.1`).
    pub short_first: bool,
}

/// One release tag as detection reads it.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    /// The tag's version part as written (`25.07.1`).
    pub text: &'a str,
    pub version: &'a Version,
    /// The day the tag (or, for a lightweight tag, its commit) was made.
    pub date: Date,
}

/// How many of the newest final releases detection dates.
pub const SAMPLE: usize = 8;

/// Whether a major could be the year of a release made up to `today`: 2010 to this year as
/// `YY`, 2000 to this year as `YYYY`. Only then are tags worth dating.
pub fn is_a_year(major: u64, today: Date) -> bool {
    year_of(major, today).is_some()
}

fn year_of(major: u64, today: Date) -> Option<(i32, bool)> {
    let this = u64::try_from(today.year()).ok()?;
    match major {
        10..=99 if 2000 + major <= this => Some((2000 + major as i32, false)),
        2000..=9999 if major <= this => Some((major as i32, true)),
        _ => None,
    }
}

/// The calendar the newest final releases `samples` follow, if any (see the module's rules).
/// Needs three releases at least; every one's major must be the year it was made in.
pub fn detect(samples: &[Sample<'_>], today: Date) -> Option<Calendar> {
    if samples.len() < 3 {
        return None;
    }
    let mut full_year = None;
    for sample in samples {
        let (year, full) = year_of(sample.version.major(), today)?;
        // December's release tagged in early January, or January's cut at the end of December,
        // still names its year.
        let made = sample.date;
        let its_year = made.year() == year
            || (made.year() == year + 1 && made.month() == 1)
            || (made.year() + 1 == year && made.month() == 12 && made.day() >= 25);
        if !its_year || *full_year.get_or_insert(full) != full {
            return None;
        }
    }
    // Dates as release names, with the slack real releases show: black cuts `26.2.0` on the last
    // days of January, twisted tags `24.7.0` in August after July's release candidates, certifi
    // tags `2026.02.25` on the 24th.
    let names_month = |sample: &&Sample<'_>| {
        // Months counted from year 0, so that December's `25.12.0` tagged on 2026-01-08 is one
        // month late, not eleven early.
        let named = year_of(sample.version.major(), today)
            .map(|(year, _)| i64::from(year) * 12 + sample.version.minor() as i64 - 1);
        let made = i64::from(sample.date.year()) * 12 + i64::from(sample.date.month()) - 1;
        match named.map(|named| made - named) {
            Some(0 | 1) => true,
            Some(-1) => sample.date.day() >= 25,
            _ => false,
        }
    };
    let names_day = |sample: &&Sample<'_>| {
        sample.version.minor() == u64::from(sample.date.month())
            && sample
                .version
                .patch()
                .abs_diff(u64::from(sample.date.day()))
                <= 1
    };
    // One tag made late (a lightweight tag on an old commit, a tag pushed after the holidays)
    // among four or more does not undo the rest.
    let most = |count: usize, of: usize| count >= 2 && count * 4 >= of * 3;
    let firsts: Vec<&Sample<'_>> = samples
        .iter()
        .filter(|sample| sample.version.patch() == 0)
        .collect();
    let by_day = most(samples.iter().filter(names_day).count(), samples.len());
    let by_month = most(
        firsts.iter().copied().filter(names_month).count(),
        firsts.len(),
    );
    let years: std::collections::BTreeSet<u64> = samples
        .iter()
        .map(|sample| sample.version.major())
        .collect();
    let period = if by_day {
        Period::Day
    } else if by_month {
        Period::Month
    } else if years.len() >= 2 {
        // The oldest year in the sample may have begun before it; the newer ones are whole.
        let oldest = years.first().copied()?;
        let first = samples
            .iter()
            .filter(|sample| sample.version.major() > oldest)
            .map(|sample| sample.version.minor())
            .min()?;
        // A count goes up by one: each whole year's numbers are `first`, `first + 1`, … with no gap.
        let whole = years.iter().skip(1).all(|&year| {
            let counts: std::collections::BTreeSet<u64> = samples
                .iter()
                .filter(|sample| sample.version.major() == year)
                .map(|sample| sample.version.minor())
                .collect();
            counts
                .iter()
                .copied()
                .eq(first..first + counts.len() as u64)
        });
        if first > 1 || !whole {
            return None;
        }
        Period::Counter { first }
    } else {
        return None;
    };
    let second = |text: &str| text.split('.').nth(1).map(str::to_owned);
    Some(Calendar {
        full_year: full_year.unwrap_or(false),
        period,
        padded: samples.iter().any(|sample| {
            second(sample.text).is_some_and(|part| part.len() == 2 && part.starts_with('0'))
        }),
        short_first: samples.iter().any(|sample| {
            sample.text.split('.').count() == 2
                && sample.text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        }),
    })
}

impl Calendar {
    /// The final version a new release gets on `today` after the final `current`, as its core
    /// numbers `(year, second, micro)`: a new period starts at MICRO 0, the same period counts
    /// MICRO up (month) or the count up (counter).
    pub fn next_numbers(&self, current: &Version, today: Date) -> (u64, u64, u64) {
        let year = if self.full_year {
            u64::try_from(today.year()).unwrap_or(0)
        } else {
            u64::try_from(today.year() - 2000).unwrap_or(0)
        };
        let (major, minor, patch) = (current.major(), current.minor(), current.patch());
        match self.period {
            Period::Month => {
                let month = u64::from(today.month());
                if (year, month) > (major, minor) {
                    (year, month, 0)
                } else {
                    (major, minor, patch + 1)
                }
            }
            // A second release on the same day has no name: the explicit version refuses it.
            Period::Day => (year, u64::from(today.month()), u64::from(today.day())),
            Period::Counter { first } if year > major => (year, first, 0),
            Period::Counter { .. } => (major, minor + 1, 0),
        }
    }

    /// A version's text as the project's tags spell it: the month padded (`26.07.0`) and a
    /// MICRO of 0 left out of a final version (`26.07`) when its tags do so.
    pub fn tag_text(&self, version: &str) -> String {
        let core_end = version
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(version.len());
        let (core, rest) = version.split_at(core_end);
        let mut parts: Vec<String> = core.split('.').map(str::to_owned).collect();
        if parts.len() < 2 || parts.iter().any(String::is_empty) {
            return version.to_owned();
        }
        let dated = match self.period {
            Period::Month => 2,
            Period::Day => 3,
            Period::Counter { .. } => 1,
        };
        for part in parts.iter_mut().take(dated).skip(1) {
            if self.padded && part.len() == 1 {
                part.insert(0, '0');
            }
        }
        if self.short_first && rest.is_empty() && parts.len() == 3 && parts[2] == "0" {
            parts.pop();
        }
        format!("{}{rest}", parts.join("."))
    }
}

impl fmt::Display for Calendar {
    /// The shape in calver.org's words: `YY.MM.MICRO`, `YY.0M` with an optional MICRO, `YY.N`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let year = if self.full_year { "YYYY" } else { "YY" };
        let second = match (self.period, self.padded) {
            (Period::Day, true) => "0M.0D",
            (Period::Day, false) => "MM.DD",
            (Period::Month, true) => "0M",
            (Period::Month, false) => "MM",
            (Period::Counter { .. }, _) => "N",
        };
        let micro = match self.period {
            Period::Day => "",
            _ if self.short_first => "[.MICRO]",
            _ => ".MICRO",
        };
        write!(f, "{year}.{second}{micro}")
    }
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
