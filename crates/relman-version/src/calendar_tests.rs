//! Detection of calendar releases from made-up tags and dates, and the versions they give.

use super::*;
use crate::scheme::Scheme;

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

/// `(tag text, day made)` newest first, read with `scheme`, detected on `today`.
fn detected(scheme: Scheme, tags: &[(&str, &str)], today: &str) -> Option<Calendar> {
    let versions: Vec<Version> = tags
        .iter()
        .map(|(text, _)| crate::tag_format::read_tag_version(&scheme, text).unwrap())
        .collect();
    let samples: Vec<Sample<'_>> = tags
        .iter()
        .zip(&versions)
        .map(|((text, day), version)| Sample {
            text,
            version,
            date: date(day),
        })
        .collect();
    detect(&samples, date(today))
}

const BLACK: [(&str, &str); 8] = [
    ("26.5.1", "2026-05-18"),
    ("26.5.0", "2026-05-16"),
    ("26.3.1", "2026-03-11"),
    ("26.3.0", "2026-03-06"),
    ("26.1.0", "2026-01-17"),
    ("25.12.0", "2025-12-07"),
    ("25.11.0", "2025-11-09"),
    ("25.9.0", "2025-09-18"),
];

const HELIX: [(&str, &str); 6] = [
    ("25.07.1", "2025-07-18"),
    ("25.07", "2025-07-15"),
    ("25.01.1", "2025-01-19"),
    ("25.01", "2025-01-03"),
    ("24.07", "2024-07-15"),
    ("24.03", "2024-03-30"),
];

const PIP: [(&str, &str); 8] = [
    ("26.2.1", "2026-08-04"),
    ("26.2", "2026-07-29"),
    ("26.1.2", "2026-05-31"),
    ("26.1.1", "2026-05-04"),
    ("26.1", "2026-04-26"),
    ("26.0.1", "2026-02-04"),
    ("26.0", "2026-01-30"),
    ("25.3", "2025-10-24"),
];

#[test]
fn black_releases_by_month_and_counts_micro_within_one() {
    let calendar = detected(Scheme::Pep440, &BLACK, "2026-12-07").unwrap();
    assert_eq!(calendar.period, Period::Month);
    assert_eq!(calendar.to_string(), "YY.MM.MICRO");
    let current = Scheme::Pep440.parse("26.5.1").unwrap();
    assert_eq!(
        calendar.next_numbers(&current, date("2026-12-07")),
        (26, 12, 0)
    );
    let december = Scheme::Pep440.parse("26.12.0").unwrap();
    assert_eq!(
        calendar.next_numbers(&december, date("2026-12-20")),
        (26, 12, 1)
    );
    assert_eq!(
        calendar.next_numbers(&december, date("2027-01-02")),
        (27, 1, 0)
    );
    assert_eq!(calendar.tag_text("26.12.0"), "26.12.0");
}

#[test]
fn helix_pads_the_month_and_leaves_out_a_first_micro_in_tags() {
    let calendar = detected(Scheme::Semver, &HELIX, "2026-12-07").unwrap();
    assert_eq!(calendar.to_string(), "YY.0M[.MICRO]");
    let current = Scheme::Semver.parse("25.7.1").unwrap();
    assert_eq!(
        calendar.next_numbers(&current, date("2026-12-07")),
        (26, 12, 0)
    );
    assert_eq!(calendar.tag_text("26.12.0"), "26.12");
    assert_eq!(calendar.tag_text("27.7.0"), "27.07");
    assert_eq!(calendar.tag_text("27.7.1"), "27.07.1");
    assert_eq!(calendar.tag_text("27.7.0-rc.0"), "27.07.0-rc.0");
}

#[test]
fn pip_counts_releases_within_the_year() {
    let calendar = detected(Scheme::Pep440, &PIP, "2026-12-07").unwrap();
    assert_eq!(calendar.period, Period::Counter { first: 0 });
    let current = Scheme::Pep440.parse("26.2.1").unwrap();
    assert_eq!(
        calendar.next_numbers(&current, date("2026-12-07")),
        (26, 3, 0)
    );
    assert_eq!(
        calendar.next_numbers(&current, date("2027-01-10")),
        (27, 0, 0)
    );
    assert_eq!(calendar.tag_text("26.3"), "26.3");
}

#[test]
fn attrs_counter_starts_a_year_at_one() {
    let tags = [
        ("25.4.0", "2025-10-06"),
        ("25.3.0", "2025-05-10"),
        ("25.2.0", "2025-03-13"),
        ("25.1.0", "2025-01-25"),
        ("24.3.0", "2024-12-16"),
    ];
    let calendar = detected(Scheme::Pep440, &tags, "2026-12-07").unwrap();
    assert_eq!(calendar.period, Period::Counter { first: 1 });
    let current = Scheme::Pep440.parse("25.4.0").unwrap();
    assert_eq!(
        calendar.next_numbers(&current, date("2026-12-07")),
        (26, 1, 0)
    );
}

#[test]
fn full_years_are_kept_full() {
    let tags = [
        ("2026.11.1", "2026-11-20"),
        ("2026.11.0", "2026-11-04"),
        ("2026.10.0", "2026-10-01"),
    ];
    let calendar = detected(Scheme::Semver, &tags, "2026-12-07").unwrap();
    assert_eq!(calendar.to_string(), "YYYY.MM.MICRO");
    let current = Scheme::Semver.parse("2026.11.1").unwrap();
    assert_eq!(
        calendar.next_numbers(&current, date("2026-12-07")),
        (2026, 12, 0)
    );
}

#[test]
fn large_majors_that_are_no_year_are_not_dated() {
    let today = date("2026-12-07");
    for major in [80, 143, 27, 1999, 3, 2027, 0] {
        assert!(!is_a_year(major, today), "{major}");
    }
    for major in [26, 10, 2026, 2000] {
        assert!(is_a_year(major, today), "{major}");
    }
}

#[test]
fn majors_that_look_like_years_without_matching_dates_are_semver() {
    // A semver project at 24.x still releasing 24.x in 2025.
    let stale = [
        ("24.6.0", "2025-03-01"),
        ("24.5.0", "2025-01-10"),
        ("24.4.0", "2024-11-02"),
    ];
    assert_eq!(detected(Scheme::Semver, &stale, "2026-12-07"), None);
    // Majors that are their years, minors that are no months, all in one year: no way to tell
    // a yearly counter from a coincidence.
    let one_year = [
        ("26.3.0", "2026-11-01"),
        ("26.2.0", "2026-08-01"),
        ("26.1.0", "2026-02-01"),
    ];
    assert_eq!(detected(Scheme::Semver, &one_year, "2026-12-07"), None);
    // Too few releases to tell.
    assert_eq!(detected(Scheme::Pep440, &BLACK[..2], "2026-12-07"), None);
    // Minors counted from 5 in a new year are no counter a year starts.
    let counted = [
        ("26.7.0", "2026-11-01"),
        ("26.6.0", "2026-02-01"),
        ("25.5.0", "2025-02-01"),
    ];
    assert_eq!(detected(Scheme::Semver, &counted, "2026-12-07"), None);
    // Mixed spellings of the year are no one calendar.
    let mixed = [
        ("2026.5.0", "2026-05-01"),
        ("26.3.0", "2026-03-01"),
        ("26.1.0", "2026-01-01"),
    ];
    assert_eq!(detected(Scheme::Semver, &mixed, "2026-12-07"), None);
}

#[test]
fn a_release_cut_just_before_its_month_still_names_it() {
    let tags = [
        ("26.2.0", "2026-01-30"),
        ("26.1.0", "2026-01-05"),
        ("25.12.0", "2025-12-01"),
    ];
    let calendar = detected(Scheme::Pep440, &tags, "2026-12-07").unwrap();
    assert_eq!(calendar.period, Period::Month);
}

#[test]
fn one_late_tag_among_many_keeps_the_months() {
    let mut tags = BLACK;
    tags[1] = ("26.5.0", "2026-06-20");
    let calendar = detected(Scheme::Pep440, &tags, "2026-12-07").unwrap();
    assert_eq!(calendar.period, Period::Month);
    // Half of them in other months: no month calendar, and minors that are no count either.
    tags[3] = ("26.3.0", "2026-08-06");
    tags[4] = ("26.1.0", "2026-04-17");
    tags[5] = ("25.12.0", "2025-05-07");
    assert_eq!(detected(Scheme::Pep440, &tags, "2026-12-07"), None);
}

#[test]
fn twisted_names_a_release_for_the_month_its_candidates_began() {
    let tags = [
        ("24.7.0", "2024-08-08"),
        ("24.3.0", "2024-03-01"),
        ("23.10.0", "2023-10-31"),
        ("23.8.0", "2023-08-28"),
        ("22.10.0", "2022-10-30"),
        ("22.8.0", "2022-09-06"),
        ("22.4.0", "2022-04-11"),
        ("22.2.0", "2022-03-01"),
    ];
    let calendar = detected(Scheme::Pep440, &tags, "2026-12-07").unwrap();
    assert_eq!(calendar.to_string(), "YY.MM.MICRO");
}

#[test]
fn certifi_names_the_day() {
    let tags = [
        ("2026.07.22", "2026-07-21"),
        ("2026.06.17", "2026-06-17"),
        ("2026.05.20", "2026-05-20"),
        ("2026.04.22", "2026-04-22"),
        ("2026.02.25", "2026-02-24"),
        ("2026.01.04", "2026-01-03"),
        ("2025.11.12", "2025-11-12"),
        ("2025.10.05", "2025-10-05"),
    ];
    let calendar = detected(Scheme::Pep440, &tags, "2026-12-07").unwrap();
    assert_eq!(calendar.to_string(), "YYYY.0M.0D");
    let current = Scheme::Pep440.parse("2026.07.22").unwrap();
    assert_eq!(
        calendar.next_numbers(&current, date("2026-12-07")),
        (2026, 12, 7)
    );
    assert_eq!(calendar.tag_text("2026.12.7"), "2026.12.07");
}

#[test]
fn a_year_s_edges_keep_their_year() {
    let tags = [
        ("26.1.0", "2025-12-29"),
        ("25.12.0", "2026-01-08"),
        ("25.10.0", "2025-10-02"),
        ("25.7.0", "2025-07-15"),
    ];
    let calendar = detected(Scheme::Pep440, &tags, "2026-12-07").unwrap();
    assert_eq!(calendar.period, Period::Month);
    // A tag made in February of the next year is no longer its year's.
    let mut late = tags;
    late[1] = ("25.12.0", "2026-02-08");
    assert_eq!(detected(Scheme::Pep440, &late, "2026-12-07"), None);
}
