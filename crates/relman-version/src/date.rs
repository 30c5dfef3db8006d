//! A civil (proleptic Gregorian) date in UTC: what calendar versions and changelog headings need,
//! and nothing more, so the crate carries no date library.
//!
//! This module never reads the clock: the caller decides what "today" is (the system clock, or
//! `SOURCE_DATE_EPOCH` for reproducible output) and passes Unix seconds to [`Date::from_unix_seconds`].

use std::fmt;
use std::str::FromStr;

/// A day of the Gregorian calendar, years 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// A date that does not exist or text that is not `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("`{text}` is not a date in the form YYYY-MM-DD")]
    Syntax { text: String },
    #[error("{year:04}-{month:02}-{day:02} is not a day of the calendar")]
    OutOfRange { year: i32, month: u32, day: u32 },
}

impl DateError {
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Syntax { .. } => Some(
                "write dates as four-digit year, month and day, for example `2024-06-30`"
                    .to_owned(),
            ),
            Self::OutOfRange { .. } => None,
        }
    }
}

impl Date {
    /// A checked date; years outside 1..=9999 are refused so that `Display` is always `YYYY-MM-DD`.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, DateError> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= u32::from(days_in_month(year, month as u8));
        if !valid {
            return Err(DateError::OutOfRange { year, month, day });
        }
        Ok(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The UTC day that contains the instant `seconds` after 1970-01-01T00:00:00Z (negative is
    /// before). Instants outside years 1..=9999 are clamped to the first or last day.
    pub fn from_unix_seconds(seconds: i64) -> Date {
        let days = seconds.div_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        if year < 1 {
            Date {
                year: 1,
                month: 1,
                day: 1,
            }
        } else if year > 9999 {
            Date {
                year: 9999,
                month: 12,
                day: 31,
            }
        } else {
            Date {
                year: year as i32,
                month,
                day,
            }
        }
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn month(&self) -> u32 {
        u32::from(self.month)
    }

    pub fn day(&self) -> u32 {
        u32::from(self.day)
    }

    /// 1 for January 1st, up to 366.
    pub fn day_of_year(&self) -> u32 {
        let before: u32 = (1..self.month)
            .map(|m| u32::from(days_in_month(self.year, m)))
            .sum();
        before + u32::from(self.day)
    }

    /// Monday = 1 … Sunday = 7, as ISO 8601 numbers them.
    pub fn iso_weekday(&self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        let days = days_from_civil(self.year, self.month, self.day);
        (days + 3).rem_euclid(7) as u32 + 1
    }

    /// The ISO 8601 week-numbering year and week (1..=53). Around New Year the year can differ
    /// from the calendar year: 2024-12-30 is in week 1 of 2025, 2021-01-03 in week 53 of 2020.
    pub fn iso_week(&self) -> (i32, u32) {
        // The week that holds a date is numbered by its Thursday.
        let ordinal = self.day_of_year() as i32;
        let weekday = self.iso_weekday() as i32;
        let week = (ordinal - weekday + 10) / 7;
        if week < 1 {
            let previous = self.year - 1;
            (previous, weeks_in_year(previous))
        } else if week as u32 > weeks_in_year(self.year) {
            (self.year + 1, 1)
        } else {
            (self.year, week as u32)
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Date, DateError> {
        let syntax = || DateError::Syntax {
            text: text.to_owned(),
        };
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(syntax());
        }
        let number = |range: std::ops::Range<usize>| -> Result<u32, DateError> {
            let part = &text[range];
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax());
            }
            part.parse().map_err(|_| syntax())
        };
        let year = number(0..4)?;
        let month = number(5..7)?;
        let day = number(8..10)?;
        Date::new(year as i32, month, day)
    }
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// 52, or 53 for years whose January 1st is a Thursday, or a Wednesday in a leap year.
fn weeks_in_year(year: i32) -> u32 {
    let january_first = Date {
        year,
        month: 1,
        day: 1,
    }
    .iso_weekday();
    if january_first == 4 || (january_first == 3 && is_leap_year(year)) {
        53
    } else {
        52
    }
}

// Howard Hinnant's `days_from_civil` and `civil_from_days`: exact over the whole range with
// integer arithmetic only, eras of 400 years starting on March 1st.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u8;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u8;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn unix_seconds_give_the_utc_day() {
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_seconds(86_399).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_seconds(-1).to_string(), "1969-12-31");
        assert_eq!(
            Date::from_unix_seconds(951_782_400).to_string(),
            "2000-02-29"
        );
        assert_eq!(
            Date::from_unix_seconds(1_719_792_000).to_string(),
            "2024-07-01"
        );
        assert_eq!(
            Date::from_unix_seconds(4_102_444_799).to_string(),
            "2099-12-31"
        );
        assert_eq!(Date::from_unix_seconds(i64::MAX).to_string(), "9999-12-31");
        assert_eq!(Date::from_unix_seconds(i64::MIN).to_string(), "0001-01-01");
    }

    #[test]
    fn every_day_round_trips_through_day_numbers() {
        let mut previous = days_from_civil(1599, 12, 31);
        for year in 1600..2500 {
            for month in 1..=12u8 {
                for day in 1..=days_in_month(year, month) {
                    let days = days_from_civil(year, month, day);
                    assert_eq!(days, previous + 1);
                    assert_eq!(civil_from_days(days), (i64::from(year), month, day));
                    previous = days;
                }
            }
        }
    }

    #[test]
    fn parse_and_display() {
        assert_eq!(date("2024-02-29"), Date::new(2024, 2, 29).unwrap());
        assert_eq!(date("0999-01-05").to_string(), "0999-01-05");
        for bad in [
            "2024-2-29",
            "2024/02/29",
            "24-02-29",
            "2024-02-29 ",
            "2024-0a-01",
            "+024-01-01",
        ] {
            let error = bad.parse::<Date>().unwrap_err();
            assert_eq!(
                error,
                DateError::Syntax {
                    text: bad.to_owned()
                },
                "{bad}"
            );
        }
        let error = "2023-02-29".parse::<Date>().unwrap_err();
        assert_eq!(error.to_string(), "2023-02-29 is not a day of the calendar");
        assert!("1900-02-29".parse::<Date>().is_err());
        assert!("2000-02-29".parse::<Date>().is_ok());
        assert!("2024-13-01".parse::<Date>().is_err());
        assert!("2024-04-31".parse::<Date>().is_err());
        assert!("0000-01-01".parse::<Date>().is_err());
    }

    #[test]
    fn day_of_year() {
        assert_eq!(date("2023-01-01").day_of_year(), 1);
        assert_eq!(date("2023-12-31").day_of_year(), 365);
        assert_eq!(date("2024-12-31").day_of_year(), 366);
        assert_eq!(date("2024-03-01").day_of_year(), 61);
    }

    #[test]
    fn iso_weeks_around_new_year() {
        // Checked against `date +%G-W%V` (GNU date).
        let cases = [
            ("2024-01-01", (2024, 1)),
            ("2024-12-29", (2024, 52)),
            ("2024-12-30", (2025, 1)),
            ("2021-01-03", (2020, 53)),
            ("2021-01-04", (2021, 1)),
            ("2020-12-31", (2020, 53)),
            ("2015-12-31", (2015, 53)),
            ("2016-01-03", (2015, 53)),
            ("2026-06-15", (2026, 25)),
            ("2008-12-29", (2009, 1)),
            ("2010-01-03", (2009, 53)),
        ];
        for (text, expected) in cases {
            assert_eq!(date(text).iso_week(), expected, "{text}");
        }
        assert_eq!(date("2024-06-30").iso_weekday(), 7);
        assert_eq!(date("1970-01-01").iso_weekday(), 4);
    }
}
