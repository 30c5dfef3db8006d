//! Calendar versions (calver.org): the `FORMAT` of `calver:FORMAT`, versions read with it, and the
//! next version from today's date.
//!
//! A format is tokens from the largest period to the smallest, then an optional `MICRO` counter,
//! joined by `.`, `-` or `_`: `YYYY.0M.MICRO`, `YY.0W`, `YYYY-0M-0D`. Anything else is refused when
//! the scheme is read, so every version a format writes sorts in time order. When the format has a
//! week, its year is the ISO 8601 week-numbering year, so that 2024-12-30 (week 1 of 2025) gives
//! `2025.1` and not the `2024.1` that would sort before the releases of that December.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::date::Date;
use crate::scheme::VersionError;

/// One token of a calver format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Token {
    FullYear,
    ShortYear,
    PaddedYear,
    Month,
    PaddedMonth,
    Week,
    PaddedWeek,
    Day,
    PaddedDay,
    Micro,
}

const TOKENS: [(&str, Token); 10] = [
    ("YYYY", Token::FullYear),
    ("YY", Token::ShortYear),
    ("0Y", Token::PaddedYear),
    ("MM", Token::Month),
    ("0M", Token::PaddedMonth),
    ("WW", Token::Week),
    ("0W", Token::PaddedWeek),
    ("DD", Token::Day),
    ("0D", Token::PaddedDay),
    ("MICRO", Token::Micro),
];

const VALID_TOKENS: &str = "YYYY, YY, 0Y, MM, 0M, WW, 0W, DD, 0D and MICRO";

impl Token {
    fn text(self) -> &'static str {
        TOKENS
            .iter()
            .find(|(_, token)| *token == self)
            .map_or("?", |(text, _)| text)
    }

    /// Position in a format: year, then month or week, then day, then the counter.
    fn rank(self) -> u8 {
        match self {
            Token::FullYear | Token::ShortYear | Token::PaddedYear => 0,
            Token::Month | Token::PaddedMonth | Token::Week | Token::PaddedWeek => 1,
            Token::Day | Token::PaddedDay => 2,
            Token::Micro => 3,
        }
    }

    fn is_week(self) -> bool {
        matches!(self, Token::Week | Token::PaddedWeek)
    }

    /// The smallest and largest value; years of `YY`/`0Y` count from 2000.
    fn range(self) -> (u64, u64) {
        match self {
            Token::FullYear => (1, 9999),
            Token::ShortYear | Token::PaddedYear => (0, 7999),
            Token::Month | Token::PaddedMonth => (1, 12),
            Token::Week | Token::PaddedWeek => (1, 53),
            Token::Day | Token::PaddedDay => (1, 31),
            Token::Micro => (0, u64::MAX),
        }
    }
}

/// A validated calver format, small enough to copy into every version read with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CalverFormat {
    tokens: [Token; 4],
    /// `separators[i]` joins `tokens[i]` and `tokens[i + 1]`.
    separators: [u8; 3],
    len: u8,
}

/// A `calver:FORMAT` that cannot order versions in time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalverFormatError {
    #[error("unknown token `{token}` in calver format `{format}`")]
    UnknownToken { format: String, token: String },
    #[error("calver format `{format}` has an empty token: a separator at an end or two in a row")]
    EmptyToken { format: String },
    #[error("calver format `{format}` must start with a year (`YYYY`, `YY` or `0Y`)")]
    MissingYear { format: String },
    #[error("`{token}` cannot follow `{previous}` in calver format `{format}`")]
    Misplaced {
        format: String,
        token: String,
        previous: String,
    },
    #[error("`{token}` in calver format `{format}` needs a month before it (`MM` or `0M`)")]
    DayWithoutMonth { format: String, token: String },
}

impl CalverFormatError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Self::UnknownToken { .. } | Self::EmptyToken { .. } => format!(
                "valid tokens are {VALID_TOKENS}, separated by `.`, `-` or `_`, as in \
                 `calver:YYYY.0M.MICRO`"
            ),
            Self::MissingYear { .. } | Self::Misplaced { .. } | Self::DayWithoutMonth { .. } => {
                "write the year first, then the month or the week, then the day, then MICRO; \
                 each at most once, as in `calver:YYYY.0M.0D` or `calver:YY.0W.MICRO`"
                    .to_owned()
            }
        })
    }
}

impl FromStr for CalverFormat {
    type Err = CalverFormatError;

    fn from_str(text: &str) -> Result<CalverFormat, CalverFormatError> {
        let mut format = CalverFormat {
            tokens: [Token::Micro; 4],
            separators: [b'.'; 3],
            len: 0,
        };
        let mut rest = text;
        let mut separator = None;
        loop {
            let end = rest.find(['.', '-', '_']).unwrap_or(rest.len());
            let piece = &rest[..end];
            if piece.is_empty() {
                return Err(CalverFormatError::EmptyToken {
                    format: text.to_owned(),
                });
            }
            let token = TOKENS
                .iter()
                .find(|(name, _)| *name == piece)
                .map(|(_, t)| *t)
                .ok_or_else(|| CalverFormatError::UnknownToken {
                    format: text.to_owned(),
                    token: piece.to_owned(),
                })?;
            format.push(token, text)?;
            if let Some(separator) = separator {
                format.separators[usize::from(format.len) - 2] = separator;
            }
            if end == rest.len() {
                break;
            }
            separator = Some(rest.as_bytes()[end]);
            rest = &rest[end + 1..];
        }
        Ok(format)
    }
}

impl CalverFormat {
    fn push(&mut self, token: Token, text: &str) -> Result<(), CalverFormatError> {
        let previous = self.tokens().last().copied();
        match previous {
            None if token.rank() != 0 => {
                return Err(CalverFormatError::MissingYear {
                    format: text.to_owned(),
                });
            }
            Some(previous) if token.rank() <= previous.rank() => {
                return Err(CalverFormatError::Misplaced {
                    format: text.to_owned(),
                    token: token.text().to_owned(),
                    previous: previous.text().to_owned(),
                });
            }
            Some(previous) if token.rank() == 2 && (previous.rank() != 1 || previous.is_week()) => {
                return Err(CalverFormatError::DayWithoutMonth {
                    format: text.to_owned(),
                    token: token.text().to_owned(),
                });
            }
            _ => {}
        }
        // Ranks strictly increase from 0 to at most 3, so there are at most four tokens.
        self.tokens[usize::from(self.len)] = token;
        self.len += 1;
        Ok(())
    }

    fn tokens(&self) -> &[Token] {
        &self.tokens[..usize::from(self.len)]
    }

    /// Whether a second release in the same period can be counted.
    pub fn has_micro(&self) -> bool {
        self.tokens().contains(&Token::Micro)
    }

    fn has_week(&self) -> bool {
        self.tokens().iter().any(|token| token.is_week())
    }

    /// Reads a version written in this format. Like the other schemes, white space around it and
    /// a leading `v` are dropped.
    pub fn parse(&self, text: &str) -> Result<CalverVersion, VersionError> {
        let error = |reason: String| VersionError::Calver {
            text: text.to_owned(),
            format: *self,
            reason,
        };
        let trimmed = text.trim();
        let mut rest = trimmed.strip_prefix('v').unwrap_or(trimmed).as_bytes();
        let mut values = [0u64; 4];
        for (i, &token) in self.tokens().iter().enumerate() {
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            let (number, after) = rest.split_at(digits);
            let number = std::str::from_utf8(number).unwrap_or_default();
            values[i] = read_value(token, number).map_err(error)?;
            rest = after;
            if i + 1 < self.tokens().len() {
                let separator = self.separators[i];
                match rest.split_first() {
                    Some((&b, after)) if b == separator => rest = after,
                    _ => {
                        return Err(error(format!(
                            "expected `{}` after the {} part",
                            char::from(separator),
                            token.text()
                        )));
                    }
                }
            }
        }
        if !rest.is_empty() {
            return Err(error(format!(
                "unexpected `{}` after the last part",
                String::from_utf8_lossy(rest)
            )));
        }
        Ok(CalverVersion {
            format: *self,
            values,
        })
    }

    /// The version this format gives on `today` for a first release of the period.
    pub fn first_of(&self, today: Date) -> Result<CalverVersion, CalverYearError> {
        let (year, week) = if self.has_week() {
            today.iso_week()
        } else {
            (today.year(), 0)
        };
        let mut values = [0u64; 4];
        for (value, &token) in values.iter_mut().zip(self.tokens()) {
            *value = match token {
                Token::FullYear => year as u64,
                Token::ShortYear | Token::PaddedYear => {
                    u64::try_from(year - 2000).map_err(|_| CalverYearError { year })?
                }
                Token::Month | Token::PaddedMonth => u64::from(today.month()),
                Token::Week | Token::PaddedWeek => u64::from(week),
                Token::Day | Token::PaddedDay => u64::from(today.day()),
                Token::Micro => 0,
            };
        }
        Ok(CalverVersion {
            format: *self,
            values,
        })
    }

    /// What a version of this format looks like, for hints.
    pub fn example(&self) -> String {
        let june_fifth = Date::new(2024, 6, 5).map(|date| self.first_of(date));
        match june_fifth {
            Ok(Ok(version)) => version.to_string(),
            _ => self.to_string(),
        }
    }
}

/// `YY` and `0Y` count years from 2000 and cannot write earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalverYearError {
    pub year: i32,
}

fn read_value(token: Token, digits: &str) -> Result<u64, String> {
    let name = token.text();
    if digits.is_empty() {
        return Err(format!("expected digits for `{name}`"));
    }
    let padded = matches!(
        token,
        Token::PaddedMonth | Token::PaddedWeek | Token::PaddedDay
    );
    if padded && digits.len() != 2 {
        return Err(format!("`{name}` is two digits, not `{digits}`"));
    }
    if token == Token::FullYear && digits.len() != 4 {
        return Err(format!("`{name}` is a four-digit year, not `{digits}`"));
    }
    if token == Token::PaddedYear && digits.len() < 2 {
        return Err(format!("`{name}` is at least two digits, not `{digits}`"));
    }
    let leading_zero_allowed = padded || (token == Token::PaddedYear && digits.len() == 2);
    if !leading_zero_allowed && digits.len() > 1 && digits.starts_with('0') {
        return Err(format!(
            "`{digits}` has a leading zero, which `{name}` does not write"
        ));
    }
    let value: u64 = digits
        .parse()
        .map_err(|_| format!("`{digits}` is too large"))?;
    let (low, high) = token.range();
    if value < low || value > high {
        return Err(format!(
            "`{digits}` is not a valid `{name}` ({low} to {high})"
        ));
    }
    Ok(value)
}

impl fmt::Display for CalverFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, token) in self.tokens().iter().enumerate() {
            if i > 0 {
                write!(f, "{}", char::from(self.separators[i - 1]))?;
            }
            f.write_str(token.text())?;
        }
        Ok(())
    }
}

/// A version read with, or made from, a calver format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CalverVersion {
    format: CalverFormat,
    /// One number per token, as written (`YY` 24 for 2024).
    values: [u64; 4],
}

/// Why there is no next calendar version today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CalverNextError {
    /// Today's period is the current version's and the format has no MICRO.
    SamePeriod,
    /// Today's period sorts before the current version's.
    Behind(CalverVersion),
    Year(CalverYearError),
    Overflow,
}

impl CalverVersion {
    pub fn format(&self) -> CalverFormat {
        self.format
    }

    /// The numbers of the version in format order (`[2024, 6, 0]` for `2024.06.0`).
    pub fn values(&self) -> &[u64] {
        &self.values[..usize::from(self.format.len)]
    }

    fn period(&self) -> &[u64] {
        let values = self.values();
        if self.format.has_micro() {
            &values[..values.len() - 1]
        } else {
            values
        }
    }

    /// The next version on `today`: the date part from today, MICRO counted up when that is the
    /// current period and reset to 0 when the period is new.
    pub(crate) fn next(&self, today: Date) -> Result<CalverVersion, CalverNextError> {
        let mut next = self.format.first_of(today).map_err(CalverNextError::Year)?;
        match next.period().cmp(self.period()) {
            Ordering::Greater => Ok(next),
            Ordering::Less => Err(CalverNextError::Behind(next)),
            Ordering::Equal if !self.format.has_micro() => Err(CalverNextError::SamePeriod),
            Ordering::Equal => {
                let last = usize::from(self.format.len) - 1;
                next.values[last] = self.values[last]
                    .checked_add(1)
                    .ok_or(CalverNextError::Overflow)?;
                Ok(next)
            }
        }
    }
}

impl fmt::Display for CalverVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (token, value)) in self.format.tokens().iter().zip(self.values()).enumerate() {
            if i > 0 {
                write!(f, "{}", char::from(self.format.separators[i - 1]))?;
            }
            match token {
                Token::PaddedMonth | Token::PaddedWeek | Token::PaddedDay | Token::PaddedYear => {
                    write!(f, "{value:02}")?;
                }
                _ => write!(f, "{value}")?,
            }
        }
        Ok(())
    }
}

impl Ord for CalverVersion {
    /// Versions of one format compare by their numbers; different formats by the format's text
    /// first, which is arbitrary but total (a project has one format).
    fn cmp(&self, other: &CalverVersion) -> Ordering {
        if self.format != other.format {
            return self.format.to_string().cmp(&other.format.to_string());
        }
        self.values().cmp(other.values())
    }
}

impl PartialOrd for CalverVersion {
    fn partial_cmp(&self, other: &CalverVersion) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(text: &str) -> CalverFormat {
        text.parse().unwrap()
    }

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn every_token_writes_and_reads() {
        let day = date("2006-03-05");
        let cases = [
            ("YYYY", "2006"),
            ("YY", "6"),
            ("0Y", "06"),
            ("YYYY.MM", "2006.3"),
            ("YYYY.0M", "2006.03"),
            ("YYYY.WW", "2006.9"),
            ("YYYY.0W", "2006.09"),
            ("YYYY.MM.DD", "2006.3.5"),
            ("YYYY.0M.0D", "2006.03.05"),
            ("YY.0M.MICRO", "6.03.0"),
            ("YYYY-0M-0D_MICRO", "2006-03-05_0"),
        ];
        for (text, expected) in cases {
            let format = format(text);
            let version = format.first_of(day).unwrap();
            assert_eq!(version.to_string(), expected, "{text}");
            assert_eq!(format.parse(expected).unwrap(), version, "{text}");
            assert_eq!(format.to_string(), text);
        }
        assert_eq!(
            format("0Y.MM")
                .first_of(date("2106-01-01"))
                .unwrap()
                .to_string(),
            "106.1"
        );
        assert_eq!(format("0Y.MM").parse("106.1").unwrap().to_string(), "106.1");
        assert!(format("YY.MM").first_of(date("1999-12-31")).is_err());
    }

    #[test]
    fn week_formats_use_the_iso_week_year() {
        assert_eq!(
            format("YYYY.0W")
                .first_of(date("2024-12-30"))
                .unwrap()
                .to_string(),
            "2025.01"
        );
        assert_eq!(
            format("YY.WW")
                .first_of(date("2021-01-03"))
                .unwrap()
                .to_string(),
            "20.53"
        );
        assert_eq!(
            format("YYYY.MM")
                .first_of(date("2024-12-30"))
                .unwrap()
                .to_string(),
            "2024.12"
        );
    }

    #[test]
    fn bad_formats_name_the_token() {
        let error = "YYYY.MMM".parse::<CalverFormat>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown token `MMM` in calver format `YYYY.MMM`"
        );
        assert!(error.hint().unwrap().contains(VALID_TOKENS));
        let cases = [
            ("", "has an empty token"),
            ("YYYY..MM", "has an empty token"),
            ("YYYY.", "has an empty token"),
            ("MM.YYYY", "must start with a year"),
            ("MICRO", "must start with a year"),
            ("YYYY.MICRO.MM", "`MM` cannot follow `MICRO`"),
            ("YYYY.YY", "`YY` cannot follow `YYYY`"),
            ("YYYY.MM.0M", "`0M` cannot follow `MM`"),
            ("YYYY.0M.WW", "`WW` cannot follow `0M`"),
            ("YYYY.DD", "`DD` in calver format `YYYY.DD` needs a month"),
            ("YYYY.WW.DD", "needs a month"),
            ("YYYY.MM.DD.MICRO.MICRO", "`MICRO` cannot follow `MICRO`"),
            ("yyyy", "unknown token `yyyy`"),
            ("YYYY/MM", "unknown token `YYYY/MM`"),
        ];
        for (text, message) in cases {
            let error = text.parse::<CalverFormat>().unwrap_err();
            assert!(error.to_string().contains(message), "{text}: {error}");
            assert!(error.hint().is_some());
        }
    }

    #[test]
    fn strict_reading() {
        let f = format("YYYY.0M.MICRO");
        assert_eq!(f.parse(" v2024.06.3 ").unwrap().to_string(), "2024.06.3");
        let cases = [
            ("2024.6.0", "`0M` is two digits, not `6`"),
            ("2024.13.0", "`13` is not a valid `0M` (1 to 12)"),
            ("2024.00.0", "`00` is not a valid `0M` (1 to 12)"),
            ("24.06.0", "`YYYY` is a four-digit year"),
            ("2024.06.01", "leading zero"),
            ("2024.06", "expected `.` after the 0M part"),
            ("2024.06.0.1", "unexpected `.1` after the last part"),
            ("2024-06-0", "expected `.` after the YYYY part"),
            ("2024.06.x", "expected digits for `MICRO`"),
            ("2024.06.99999999999999999999", "too large"),
        ];
        for (text, reason) in cases {
            let error = f.parse(text).unwrap_err();
            assert!(error.to_string().contains(reason), "{text}: {error}");
            assert!(
                error
                    .to_string()
                    .starts_with(&format!("`{text}` is not a `calver:YYYY.0M.MICRO` version"))
            );
        }
        assert!(format("YY.MM").parse("24.06").is_err());
        assert!(format("YY.MM").parse("24.6").is_ok());
        assert!(format("YYYY.WW").parse("2024.54").is_err());
    }

    #[test]
    fn next_counts_micro_within_a_period_and_resets_it_after() {
        let f = format("YYYY.0M.MICRO");
        let current = f.parse("2024.06.3").unwrap();
        assert_eq!(
            current.next(date("2024-06-30")).unwrap().to_string(),
            "2024.06.4"
        );
        assert_eq!(
            current.next(date("2024-07-01")).unwrap().to_string(),
            "2024.07.0"
        );
        assert_eq!(
            current.next(date("2025-01-01")).unwrap().to_string(),
            "2025.01.0"
        );
        match current.next(date("2024-05-31")) {
            Err(CalverNextError::Behind(today)) => assert_eq!(today.to_string(), "2024.05.0"),
            other => panic!("{other:?}"),
        }
        let no_micro = format("YYYY.0M.0D").parse("2024.06.30").unwrap();
        assert_eq!(
            no_micro.next(date("2024-06-30")),
            Err(CalverNextError::SamePeriod)
        );
        assert_eq!(
            no_micro.next(date("2024-07-01")).unwrap().to_string(),
            "2024.07.01"
        );
    }

    #[test]
    fn order_follows_the_numbers() {
        let f = format("YY.MM.MICRO");
        let mut versions: Vec<_> = ["24.10.0", "24.9.12", "24.9.2", "23.12.0"]
            .iter()
            .map(|t| f.parse(t).unwrap())
            .collect();
        versions.sort();
        let sorted: Vec<String> = versions.iter().map(ToString::to_string).collect();
        assert_eq!(sorted, ["23.12.0", "24.9.2", "24.9.12", "24.10.0"]);
    }
}
