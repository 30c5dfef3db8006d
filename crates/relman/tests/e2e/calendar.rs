//! Projects whose releases are named by the calendar under their ecosystem's scheme: black's
//! `26.5.1` (YY.MM.MICRO, PEP 440, version from tags) and helix's `25.07.1` (YY.0M with a patch
//! release `.1`, `Cargo.toml` at `25.7.1`). Tags are made on the days they name; "today" is
//! `SOURCE_DATE_EPOCH`.

use std::process::Output;

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, relman_path, stdout};

/// 2026-12-07 and 2026-12-20, noon UTC.
const DECEMBER_7: &str = "1796644800";
const DECEMBER_20: &str = "1797768000";

#[track_caller]
fn run_on(repo: &TestRepo, today: &str, args: &[&str], code: i32) -> String {
    let output: Output = repo
        .command(relman_path())
        .current_dir(repo.path())
        .args(args)
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .env("SOURCE_DATE_EPOCH", today)
        .output()
        .expect("run relman");
    assert_exit(&output, code);
    stdout(&output)
}

/// Commits and tags each `(tag, day)` in order, on the day it names.
fn release_on_days(repo: &TestRepo, releases: &[(&str, &str)]) {
    for (tag, day) in releases {
        repo.set_date(day);
        repo.commit(&format!("Prepare release {tag}"));
        repo.tag(tag);
    }
}

/// black's shape: monthly releases with a MICRO, the version from tags, and a fix since.
fn black_shape() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"fmt\"\ndynamic = [\"version\"]\n\n[tool.hatch.version]\nsource = \"vcs\"\n",
    );
    release_on_days(
        &repo,
        &[
            ("25.9.0", "2025-09-18"),
            ("25.11.0", "2025-11-09"),
            ("25.12.0", "2025-12-07"),
            ("26.1.0", "2026-01-17"),
            ("26.3.0", "2026-03-06"),
            ("26.3.1", "2026-03-11"),
            ("26.5.0", "2026-05-16"),
            ("26.5.1", "2026-05-18"),
        ],
    );
    repo.set_date("2026-11-30");
    repo.commit_file("fmt.py", "", "fix: a crash on empty input");
    repo.push(&["main", "--tags"]);
    repo
}

#[test]
fn black_shape_releases_in_a_new_month_as_that_month_and_counts_micro_within_it() {
    let repo = black_shape();

    let check = run_on(&repo, DECEMBER_7, &["check"], 0);
    assert!(
        check.contains("releases are named by the calendar, YY.MM.MICRO"),
        "{check}"
    );
    for level in ["auto", "minor", "major"] {
        assert_eq!(
            run_on(&repo, DECEMBER_7, &["version", "--next", level], 0),
            "26.12.0\n",
            "{level}"
        );
    }
    assert_eq!(
        run_on(&repo, DECEMBER_7, &["version", "--next", "patch"], 0),
        "26.5.2\n"
    );
    assert_eq!(
        run_on(
            &repo,
            DECEMBER_7,
            &["version", "--next", "auto", "--pre", "b"],
            0
        ),
        "26.12.0b0\n"
    );
    assert_eq!(
        run_on(&repo, DECEMBER_7, &["version", "--next", "preminor"], 0),
        "26.12.0a0\n"
    );

    repo.set_date("2026-12-07");
    run_on(&repo, DECEMBER_7, &["release", "--yes"], 0);
    let remote = repo.git(&["ls-remote", "--tags", &repo.remote_url(), "26.12.0"]);
    assert!(remote.ends_with("refs/tags/26.12.0"), "{remote}");
    // A second release in the same month counts MICRO up.
    repo.set_date("2026-12-10");
    repo.commit_file("fmt.py", "1", "fix: another crash");
    repo.push(&["main"]);
    assert_eq!(
        run_on(&repo, DECEMBER_20, &["version", "--next", "auto"], 0),
        "26.12.1\n"
    );
}

/// `init` on a calendar project with free-form commits drafts `auto` (today's release), not the
/// `patch` of other free-form projects, which would plan a `26.5.2` of May in December.
#[test]
fn init_on_a_calendar_project_releases_today_s_version_by_default() {
    let repo = black_shape();
    run_on(&repo, DECEMBER_7, &["init"], 0);
    let config = repo.read("relman.toml");
    assert!(config.contains("default = \"auto\""), "{config}");
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    let plan = run_on(&repo, DECEMBER_7, &["plan", "release"], 0);
    assert!(plan.contains("release 26.5.1 → 26.12.0"), "{plan}");
}

/// `calendar = false`: tags that look dated are bumped as the scheme says, and `check` names no
/// calendar.
#[test]
fn calendar_false_keeps_the_scheme_s_own_bumps() {
    let repo = black_shape();
    repo.write("relman.toml", "[project]\ncalendar = false\n");
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    assert_eq!(
        run_on(&repo, DECEMBER_7, &["version", "--next", "auto"], 0),
        "26.5.2\n"
    );
    assert_eq!(
        run_on(&repo, DECEMBER_7, &["version", "--next", "minor"], 0),
        "26.6.0\n"
    );
    let check = run_on(&repo, DECEMBER_7, &["check"], 0);
    assert!(!check.contains("named by the calendar"), "{check}");
}

#[test]
fn helix_shape_tags_a_release_now_as_its_month_padded_and_keeps_cargo_semver() {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"editor\"\nversion = \"25.7.1\"\n",
    );
    release_on_days(
        &repo,
        &[
            ("24.03", "2024-03-30"),
            ("24.07", "2024-07-15"),
            ("25.01", "2025-01-03"),
            ("25.01.1", "2025-01-19"),
            ("25.07", "2025-07-15"),
            ("25.07.1", "2025-07-18"),
        ],
    );
    repo.set_date("2026-11-02");
    repo.commit_file("src.rs", "", "fix: cursor");
    repo.push(&["main", "--tags"]);

    let check = run_on(&repo, DECEMBER_7, &["check"], 0);
    assert!(check.contains("(25.7.1 ⇄ 25.07.1)"), "{check}");
    assert!(
        check.contains("releases are named by the calendar, YY.0M[.MICRO]"),
        "{check}"
    );
    assert_eq!(
        run_on(&repo, DECEMBER_7, &["version", "--next", "auto"], 0),
        "26.12.0\n"
    );
    let plan = run_on(&repo, DECEMBER_7, &["plan", "release"], 0);
    assert!(
        plan.starts_with("Plan: release 25.7.1 → 26.12.0 (tag 26.12)"),
        "{plan}"
    );
    // The release's commit and tag are made on the day it names, as a maintainer's would be.
    repo.set_date("2026-12-07");
    run_on(&repo, DECEMBER_7, &["release", "--yes"], 0);
    assert!(
        repo.read("Cargo.toml").contains("version = \"26.12.0\""),
        "cargo's spelling stays semver"
    );
    let remote = repo.git(&["ls-remote", "--tags", &repo.remote_url(), "26.12"]);
    assert!(remote.ends_with("refs/tags/26.12"), "{remote}");

    // init writes why, and its relman.toml gives the same answer.
    repo.set_date("2026-12-08");
    repo.commit_file("src.rs", "1", "fix: cursor again");
    run_on(&repo, DECEMBER_20, &["init"], 0);
    let config = repo.read("relman.toml");
    assert!(
        config.contains("# Releases are named by the calendar, YY.0M[.MICRO]"),
        "{config}"
    );
    assert_eq!(
        run_on(&repo, DECEMBER_20, &["version", "--next", "auto"], 0),
        "26.12.1\n"
    );
}

/// A semver project whose majors are no years that tags were made in: bumps as before.
#[test]
fn majors_like_years_without_their_dates_bump_as_semver() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"name\": \"x\",\n  \"version\": \"25.3.0\"\n}\n",
    );
    release_on_days(
        &repo,
        &[
            ("v25.1.0", "2026-01-10"),
            ("v25.2.0", "2026-02-10"),
            ("v25.3.0", "2026-03-10"),
        ],
    );
    repo.commit_file("a.js", "", "feat!: new API");
    repo.push(&["main", "--tags"]);
    assert_eq!(
        run_on(&repo, DECEMBER_7, &["version", "--next", "auto"], 0),
        "26.0.0\n"
    );
    assert!(!run_on(&repo, DECEMBER_7, &["check"], 0).contains("calendar"));
}

/// pip: `YY.N`, N counting the year's releases from 0, and a development version in the file:
/// the next release is what the file says, and a new year starts the count again.
#[test]
fn pip_shape_releases_what_its_file_says_and_a_new_year_starts_at_zero() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"installer\"\nversion = \"26.3.dev0\"\n",
    );
    release_on_days(
        &repo,
        &[
            ("25.2", "2025-07-30"),
            ("25.3", "2025-10-24"),
            ("26.0", "2026-01-30"),
            ("26.0.1", "2026-02-04"),
            ("26.1", "2026-04-26"),
            ("26.2", "2026-07-29"),
            ("26.2.1", "2026-08-04"),
        ],
    );
    repo.set_date("2026-11-02");
    repo.commit_file("a.py", "", "feat!: drop an option");
    repo.push(&["main", "--tags"]);
    let check = run_on(&repo, DECEMBER_7, &["check"], 0);
    assert!(
        check.contains("releases are named by the calendar, YY.N[.MICRO]"),
        "{check}"
    );
    for level in ["auto", "minor", "major"] {
        assert_eq!(
            run_on(&repo, DECEMBER_7, &["version", "--next", level], 0),
            "26.3\n",
            "{level}"
        );
    }
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"installer\"\nversion = \"26.3\"\n",
    );
    repo.commit("Release 26.3");
    repo.tag("26.3");
    repo.set_date("2027-01-05");
    repo.commit_file("a.py", "1", "fix: a crash");
    repo.push(&["main", "--tags"]);
    // 2027-01-10.
    let january = "1799582400";
    assert_eq!(
        run_on(&repo, january, &["version", "--next", "minor"], 0),
        "27.0\n"
    );
    assert_eq!(
        run_on(&repo, january, &["version", "--next", "auto"], 0),
        "26.3.1\n",
        "a fix alone is a bug-fix release of the last one"
    );
}

/// certifi's shape: `YYYY.0M.0D` tags and `__version__ = "2025.11.12"`, whose text cannot show
/// the padding the tags have. The release of December 7th writes `2026.12.07` into the module,
/// as certifi does, not PEP 440's normal form `2026.12.7`, and tags `2026.12.07`.
#[test]
fn certifi_shape_writes_its_day_zero_padded_in_the_module_and_the_tag() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"bundle\"\ndynamic = [\"version\"]\n\n[tool.setuptools.dynamic]\nversion = { attr = \"bundle.__version__\" }\n",
    );
    repo.write("bundle/__init__.py", "__version__ = \"2025.11.12\"\n");
    release_on_days(
        &repo,
        &[
            ("2025.01.31", "2025-01-31"),
            ("2025.04.26", "2025-04-26"),
            ("2025.06.15", "2025-06-15"),
            ("2025.07.09", "2025-07-09"),
            ("2025.07.14", "2025-07-14"),
            ("2025.08.03", "2025-08-03"),
            ("2025.10.05", "2025-10-05"),
            ("2025.11.12", "2025-11-12"),
        ],
    );
    repo.set_date("2026-12-06");
    repo.commit_file("bundle/cacert.pem", "", "Update the bundle");
    repo.push(&["main", "--tags"]);

    let plan = run_on(&repo, DECEMBER_7, &["plan", "release", "minor"], 0);
    assert!(
        plan.contains("+__version__ = \"2026.12.07\""),
        "the module keeps the tags' padding: {plan}"
    );
    repo.set_date("2026-12-07");
    run_on(&repo, DECEMBER_7, &["release", "--yes", "minor"], 0);
    assert_eq!(
        repo.git(&["show", "2026.12.07:bundle/__init__.py"]),
        "__version__ = \"2026.12.07\""
    );
    // The file read back is the same version: nothing is behind, nothing disagrees.
    assert_eq!(run_on(&repo, DECEMBER_7, &["version"], 0), "2026.12.7\n");
    run_on(&repo, DECEMBER_7, &["check"], 0);
}
