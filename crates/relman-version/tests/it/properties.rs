//! Properties over many generated inputs (a fixed seed per test, so a failure repeats): a version
//! parsed, rendered and parsed again is the same version in every scheme; every bump gives a
//! greater version; a version file read, edited and read again holds the new version, with every
//! other byte as it was.

use std::path::Path;

use relman_version::bump::{BumpError, BumpOptions, Impact, Level, bump};
use relman_version::date::Date;
use relman_version::files::{self, VersionFileSpec};
use relman_version::scheme::Scheme;
use relman_version::version::Version;

const CASES: usize = 3000;

const SCHEMES: [&str; 7] = [
    "semver",
    "pep440",
    "calver:YYYY.0M.MICRO",
    "calver:YY.MM",
    "calver:YYYY.0W",
    "calver:0Y.0M.0D",
    "calver:YYYY-0M-0D.MICRO",
];

fn number(rng: &mut fastrand::Rng) -> u64 {
    match rng.u8(0..10) {
        0 => rng.u64(..),
        1 => rng.u64(0..100_000),
        _ => rng.u64(0..12),
    }
}

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(0..items.len())]
}

fn semver(rng: &mut fastrand::Rng) -> String {
    let mut text = format!("{}.{}.{}", number(rng), number(rng), number(rng));
    if rng.bool() {
        let pre = pick(
            rng,
            &[
                "alpha", "beta", "rc", "alpha.1", "rc.12", "0", "x-y.3", "a.b.c",
            ],
        );
        text.push_str(&format!("-{pre}"));
    }
    if rng.u8(0..4) == 0 {
        text.push_str(&format!("+{}", pick(rng, &["build.5", "sha.abc", "001"])));
    }
    text
}

fn pep440(rng: &mut fastrand::Rng) -> String {
    let mut text = String::new();
    if rng.u8(0..8) == 0 {
        text.push_str(&format!("{}!", rng.u8(0..3)));
    }
    let parts = rng.usize(1..5);
    let release: Vec<String> = (0..parts).map(|_| number(rng).to_string()).collect();
    text.push_str(&release.join("."));
    if rng.bool() {
        let label = pick(
            rng,
            &["a", "b", "rc", "alpha", "beta", "c", "pre", "preview"],
        );
        let separator = pick(rng, &["", ".", "-", "_"]);
        text.push_str(&format!("{separator}{label}{}", rng.u8(0..20)));
    }
    if rng.u8(0..4) == 0 {
        text.push_str(&format!(".post{}", rng.u8(0..5)));
    }
    if rng.u8(0..4) == 0 {
        text.push_str(&format!(".dev{}", rng.u8(0..5)));
    }
    if rng.u8(0..6) == 0 {
        text.push_str(&format!("+{}", pick(rng, &["ubuntu.1", "abc", "1.2"])));
    }
    if rng.u8(0..10) == 0 {
        text = format!("v{}", text.to_uppercase());
    }
    text
}

/// A version in a calver format: each token replaced by a value in its range.
fn calver(rng: &mut fastrand::Rng, format: &str) -> String {
    let mut text = format.to_owned();
    for (token, value) in [
        ("YYYY", format!("{}", rng.u32(1990..2100))),
        ("0Y", format!("{:02}", rng.u32(0..100))),
        ("YY", format!("{}", rng.u32(0..100))),
        ("0M", format!("{:02}", rng.u32(1..13))),
        ("MM", format!("{}", rng.u32(1..13))),
        ("0W", format!("{:02}", rng.u32(1..53))),
        ("WW", format!("{}", rng.u32(1..53))),
        ("0D", format!("{:02}", rng.u32(1..29))),
        ("DD", format!("{}", rng.u32(1..29))),
        ("MICRO", format!("{}", rng.u64(0..1000))),
    ] {
        text = text.replace(token, &value);
    }
    text
}

fn generate(rng: &mut fastrand::Rng, scheme: &str) -> String {
    match scheme.strip_prefix("calver:") {
        Some(format) => calver(rng, format),
        None if scheme == "semver" => semver(rng),
        None => pep440(rng),
    }
}

#[test]
fn a_version_parsed_rendered_and_parsed_again_is_the_same_in_every_scheme() {
    let mut rng = fastrand::Rng::with_seed(14);
    for name in SCHEMES {
        let scheme: Scheme = name.parse().unwrap();
        let mut parsed = 0;
        for _ in 0..CASES {
            let text = generate(&mut rng, name);
            let Ok(version) = scheme.parse(&text) else {
                continue;
            };
            parsed += 1;
            let rendered = version.to_string();
            let again = scheme.parse(&rendered).unwrap_or_else(|error| {
                panic!("{name}: `{text}` renders as `{rendered}`, which does not parse: {error}")
            });
            assert_eq!(again, version, "{name}: `{text}` → `{rendered}`");
            assert_eq!(
                again.to_string(),
                rendered,
                "{name}: rendering is a fixpoint"
            );
        }
        assert!(
            parsed > CASES / 2,
            "{name}: only {parsed} of the generated versions parsed"
        );
    }
}

const LEVELS: [Level; 13] = [
    Level::Major,
    Level::Minor,
    Level::Patch,
    Level::Premajor,
    Level::Preminor,
    Level::Prepatch,
    Level::Prerelease,
    Level::Alpha,
    Level::Beta,
    Level::Rc,
    Level::Release,
    Level::Dev,
    Level::Post,
];

/// The one way the oracles go down: a new pre-release cycle of the same release, with a label
/// that sorts lower (npm's `prerelease` with `alpha` on `1.2.3-rc.1` gives `1.2.3-alpha.0`;
/// Poetry's `preminor` on `1.1rc1` gives `1.1a0`). relman gives their answer; the plan refuses
/// it when a release of the higher version exists.
fn restarts_the_prerelease(current: &Version, next: &Version) -> bool {
    let release = |version: &Version| (version.major(), version.minor(), version.patch());
    current.is_prerelease() && next.is_prerelease() && release(current) == release(next)
}

#[test]
fn every_bump_gives_a_greater_version_in_every_scheme() {
    let mut rng = fastrand::Rng::with_seed(9);
    let labels = [
        None,
        Some("alpha"),
        Some("beta"),
        Some("rc"),
        Some("a"),
        Some("b"),
    ];
    for name in SCHEMES {
        let scheme: Scheme = name.parse().unwrap();
        for _ in 0..CASES / 3 {
            let text = generate(&mut rng, name);
            let Ok(current) = scheme.parse(&text) else {
                continue;
            };
            let today = Date::new(rng.i32(1990..2100), rng.u32(1..13), rng.u32(1..29)).unwrap();
            let mut options = BumpOptions::new(today);
            options.pre_label = labels[rng.usize(0..labels.len())].map(str::to_owned);
            options.impact =
                [Impact::None, Impact::Patch, Impact::Minor, Impact::Major][rng.usize(0..4)];
            for level in LEVELS.iter().chain([&Level::Auto]) {
                match bump(&current, level, &options) {
                    Ok(Some(next)) => assert!(
                        next > current || restarts_the_prerelease(&current, &next),
                        "{name}: `{level}` on {current} gave {next} (today {today}, label {:?})",
                        options.pre_label
                    ),
                    Ok(None) | Err(BumpError::Overflow { .. }) => {}
                    // Refusing is fine; going backwards or standing still is not.
                    Err(_) => {}
                }
            }
        }
    }
}

/// A version file of each known format holding `{version}`.
const FILES: [(&str, &str); 10] = [
    (
        "Cargo.toml",
        "[package]\nname = \"x\" # the crate\nversion = \"{version}\" # keep\nedition = \"2021\"\n",
    ),
    (
        "pyproject.toml",
        "[project]\nname = 'x'\nversion = '{version}'\n\n[tool.other]\nversion = '0.0.0'\n",
    ),
    (
        "package.json",
        "{\n  \"name\": \"x\",\n  \"version\": \"{version}\",\n  \"dependencies\": { \"y\": \"1.0.0\" }\n}\n",
    ),
    (
        "setup.py",
        "from setuptools import setup\n\nsetup(\n    name='x',\n    version=\"{version}\",\n)\n",
    ),
    (
        "x/__init__.py",
        "\"\"\"X.\"\"\"\n\n__version__ = \"{version}\"\n",
    ),
    (
        "Chart.yaml",
        "apiVersion: v2\nname: x\nversion: {version}\nappVersion: \"1.0\"\n",
    ),
    (
        "pom.xml",
        "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <version>{version}</version>\n  <dependencies><dependency><version>9.9</version></dependency></dependencies>\n</project>\n",
    ),
    ("gradle.properties", "group=x\nversion={version}\n"),
    ("VERSION", "{version}\n"),
    ("setup.cfg", "[metadata]\nname = x\nversion = {version}\n"),
];

#[test]
fn a_version_file_read_edited_and_read_again_changes_only_the_version() {
    let mut rng = fastrand::Rng::with_seed(5);
    let scheme: Scheme = "pep440".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..40 {
        for (path, template) in FILES {
            let old = scheme.parse(&pep440(&mut rng)).unwrap().to_string();
            let new = loop {
                let candidate = scheme.parse(&pep440(&mut rng)).unwrap().to_string();
                if candidate != old {
                    break candidate;
                }
            };
            let full = dir.path().join(path);
            fs_err::create_dir_all(full.parent().unwrap()).unwrap();
            fs_err::write(&full, template.replace("{version}", &old)).unwrap();
            let specs = [VersionFileSpec::known(path).unwrap()];
            let read = files::VersionFiles::read(dir.path(), &specs).unwrap();
            assert_eq!(read.agreed().unwrap(), Some(old.as_str()), "{path}");
            let edits = read.plan(&new).unwrap();
            files::apply(&edits).unwrap();
            assert_eq!(
                fs_err::read_to_string(&full).unwrap(),
                template.replace("{version}", &new),
                "{path}: {old} → {new}"
            );
            let again = files::VersionFiles::read(Path::new(dir.path()), &specs).unwrap();
            assert_eq!(again.agreed().unwrap(), Some(new.as_str()), "{path}");
        }
    }
}
