//! Dates as hand-written changelogs spell them in release headings (`2024-12-06`, `2024/12/06`,
//! `06.12.2024`, `6th December, 2024`, `December 6, 2024`, `6 Dec 2024`), found in a heading and
//! written again in the same spelling for a new release, so a promoted heading reads like the
//! ones a person wrote before it.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::date::Date;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How a date is spelt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateFormat {
    /// `2024-12-06`
    Iso,
    /// `2024/12/06`
    Slashes,
    /// `2024 12 06` (thanos' headings)
    Spaced,
    /// `06.12.2024` (`padded`: `06`, else `6`)
    Dotted { padded: bool },
    /// `6th December, 2024`, `6 Dec 2024`, `06 December 2024`
    DayMonth(Words),
    /// `December 6, 2024`, `Dec 6th 2024`
    MonthDay(Words),
}

/// The parts of a date written with the month's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Words {
    /// `Dec` rather than `December`.
    abbreviated: bool,
    /// `6th` rather than `6`.
    ordinal: bool,
    /// A comma before the year.
    comma: bool,
    /// `06` rather than `6`.
    padded: bool,
}

/// A date found in a text: where, and how it was spelt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundDate {
    pub range: Range<usize>,
    pub format: DateFormat,
}

const MONTH_PATTERN: &str = "(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{4})([-/ ])(\d{2})([-/ ])(\d{2})\b|\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
        .expect("the numeric date pattern is valid")
});

static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(\d{{1,2}})(st|nd|rd|th)? {MONTH_PATTERN}(,)? (\d{{4}})\b"
    ))
    .expect("the day-month date pattern is valid")
});

static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b{MONTH_PATTERN} (\d{{1,2}})(st|nd|rd|th)?(,)? (\d{{4}})\b"
    ))
    .expect("the month-day date pattern is valid")
});

/// The first date in `text`, if any.
pub(crate) fn find_date(text: &str) -> Option<FoundDate> {
    let mut found: Vec<FoundDate> = Vec::new();
    // Not the tail of a longer number (`1.2.3.2024` holds no date).
    let numeric = NUMERIC.captures_iter(text).find(|captures| {
        let start = captures.get(0).map_or(0, |whole| whole.start());
        !text[..start].ends_with(|c: char| c == '.' || c == '-' || c == '/' || c.is_alphanumeric())
    });
    if let Some(captures) = numeric {
        let whole = captures.get(0).expect("a match has a whole");
        let format = if captures.get(1).is_some() {
            let separator = &captures[2];
            let month: u32 = captures[3].parse().unwrap_or(0);
            let day: u32 = captures[5].parse().unwrap_or(0);
            if separator != &captures[4] || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
                None
            } else if separator == "-" {
                Some(DateFormat::Iso)
            } else if separator == " " {
                Some(DateFormat::Spaced)
            } else {
                Some(DateFormat::Slashes)
            }
        } else {
            // `21.11.2024` says nothing either way: such dates are mostly written padded.
            Some(DateFormat::Dotted {
                padded: captures[6].len() == 2 && captures[7].len() == 2,
            })
        };
        if let Some(format) = format {
            found.push(FoundDate {
                range: whole.range(),
                format,
            });
        }
    }
    if let Some(captures) = DAY_MONTH.captures(text) {
        found.push(FoundDate {
            range: captures.get(0).expect("a match has a whole").range(),
            format: DateFormat::DayMonth(Words {
                abbreviated: captures[3].trim_end_matches('.').len() == 3 && &captures[3] != "May",
                ordinal: captures.get(2).is_some(),
                comma: captures.get(4).is_some(),
                padded: captures[1].starts_with('0'),
            }),
        });
    }
    if let Some(captures) = MONTH_DAY.captures(text) {
        found.push(FoundDate {
            range: captures.get(0).expect("a match has a whole").range(),
            format: DateFormat::MonthDay(Words {
                abbreviated: captures[1].trim_end_matches('.').len() == 3 && &captures[1] != "May",
                ordinal: captures.get(3).is_some(),
                comma: captures.get(4).is_some(),
                padded: captures[2].starts_with('0'),
            }),
        });
    }
    found.into_iter().min_by_key(|date| date.range.start)
}

impl DateFormat {
    /// `date` spelt this way.
    pub(crate) fn render(self, date: Date) -> String {
        let (year, month, day) = (date.year(), date.month(), date.day());
        match self {
            DateFormat::Iso => date.to_string(),
            DateFormat::Slashes => format!("{year:04}/{month:02}/{day:02}"),
            DateFormat::Spaced => format!("{year:04} {month:02} {day:02}"),
            DateFormat::Dotted { padded: true } => format!("{day:02}.{month:02}.{year:04}"),
            DateFormat::Dotted { padded: false } => format!("{day}.{month}.{year:04}"),
            DateFormat::DayMonth(words) => format!(
                "{} {}{} {year:04}",
                words.day(day),
                words.month(month),
                if words.comma { "," } else { "" }
            ),
            DateFormat::MonthDay(words) => format!(
                "{} {}{} {year:04}",
                words.month(month),
                words.day(day),
                if words.comma { "," } else { "" }
            ),
        }
    }
}

impl Words {
    fn day(self, day: u32) -> String {
        let number = if self.padded {
            format!("{day:02}")
        } else {
            day.to_string()
        };
        if !self.ordinal {
            return number;
        }
        let suffix = match (day % 10, day % 100) {
            (_, 11..=13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        };
        format!("{number}{suffix}")
    }

    fn month(self, month: u32) -> &'static str {
        let name = MONTHS[(month.clamp(1, 12) - 1) as usize];
        if self.abbreviated { &name[..3] } else { name }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn respell(text: &str) -> (String, String) {
        let found = find_date(text).unwrap_or_else(|| panic!("no date in {text:?}"));
        let date = Date::new(2026, 12, 3).unwrap();
        (
            text[found.range.clone()].to_owned(),
            found.format.render(date),
        )
    }

    #[test]
    fn dates_are_found_and_written_again_the_same_way() {
        let cases = [
            ("## 1.2.0 - 2024-12-06", "2024-12-06", "2026-12-03"),
            ("1.2.0 (2024/12/06)", "2024/12/06", "2026/12/03"),
            ("v1.2.0 06.12.2024", "06.12.2024", "03.12.2026"),
            ("v1.2.0 6.12.2024", "6.12.2024", "3.12.2026"),
            (
                "0.28.1 (6th December, 2024)",
                "6th December, 2024",
                "3rd December, 2026",
            ),
            ("1.0 - 21 Nov 2024", "21 Nov 2024", "3 Dec 2026"),
            (
                "1.0 (December 6, 2024)",
                "December 6, 2024",
                "December 3, 2026",
            ),
            ("1.0 — Sep 11th 2024", "Sep 11th 2024", "Dec 3rd 2026"),
            ("1.0 (May 1, 2024)", "May 1, 2024", "December 3, 2026"),
        ];
        for (text, found, written) in cases {
            assert_eq!(
                respell(text),
                (found.to_owned(), written.to_owned()),
                "{text}"
            );
        }
    }

    #[test]
    fn versions_and_words_are_not_dates() {
        for text in [
            "1.2.0",
            "Version 2024.12",
            "v2.1.3 (unreleased)",
            "1.2.3.2024",
        ] {
            assert_eq!(find_date(text), None, "{text}");
        }
    }

    #[test]
    fn ordinals_follow_english() {
        let words = Words {
            abbreviated: false,
            ordinal: true,
            comma: false,
            padded: false,
        };
        let days: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31]
            .into_iter()
            .map(|day| words.day(day))
            .collect();
        assert_eq!(
            days,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"
            ]
        );
    }
}
