//! The rubygems scheme against its oracle, the real `Gem::Version` of the machine's Ruby: which
//! texts are versions, how each is written back, which are pre-releases, the order of every pair,
//! and that every bump gives a version Ruby writes the same way and orders above the current one.

use std::io::Write;
use std::process::{Command, Stdio};

use relman_testkit::require_tool;
use relman_version::bump::{BumpOptions, Level, bump, default_pre_label};
use relman_version::scheme::Scheme;

/// For each line of stdin: `ok TO_S PRERELEASE` or `bad`; then one row per valid version of
/// `<`, `=`, `>` against every valid version.
const ORACLE: &str = r#"
texts = STDIN.read.split("\n", -1)[0...-1]
valid = texts.map { |t| Gem::Version.correct?(t) && !t.strip.empty? ? Gem::Version.new(t) : nil }
valid.each { |v| puts(v ? "ok #{v} #{v.prerelease?}" : "bad") }
versions = valid.compact
versions.each { |a| puts versions.map { |b| "<=>"[(a <=> b) + 1] }.join }
"#;

fn ruby(texts: &[String]) -> Vec<String> {
    let mut child = Command::new("ruby")
        .args(["-e", ORACLE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("ruby starts");
    let mut input = texts.join("\n");
    input.push('\n');
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "ruby failed");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Hand-picked versions (Rails' and other gems' spellings, trailing zeros, case, dashes, glued
/// words, bad grammar), and random ones built from the same pieces.
fn versions() -> Vec<String> {
    let mut texts: Vec<String> = [
        "8.1.3.1",
        "8.1.3",
        "8.1.0",
        "8.1.0.beta1",
        "8.1.0.rc1",
        "8.1.0.rc2",
        "8.2.0.alpha",
        "8.0.0.1",
        "3.0.0.beta.2",
        "5.0.0.beta1.1",
        "1.0",
        "1.0.0",
        "1.0.0.0",
        "1",
        "1.0.a",
        "1.0.b",
        "1.0.B",
        "1.0.a.0",
        "1.0.a.1",
        "1.0.0-rc1",
        "1.0.0.pre.rc1",
        "1.0.0-beta-2",
        "1.0b1",
        "1.0.b1",
        "2.0.0.pre.1",
        "4.4.0.beta1",
        "1.01",
        "1.1",
        " 2.3.4 ",
        "0.0.0.1",
        "10.0",
        "9.99.999",
        "1.0.0.alpha.beta",
        "1.a.2.b",
        "1..0",
        "1.0.",
        "1.0_RC1",
        "x1.0",
        "1.0+build",
        "1.0-",
    ]
    .map(str::to_owned)
    .to_vec();
    let pieces = ["0", "1", "2", "10", "a", "b", "rc", "pre", "alpha", "beta2"];
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..80 {
        let mut text = rng.u8(0..12).to_string();
        for _ in 0..rng.usize(1..5) {
            text.push(if rng.u8(0..6) == 0 { '-' } else { '.' });
            text.push_str(pieces[rng.usize(0..pieces.len())]);
        }
        texts.push(text);
    }
    texts
}

#[test]
fn gem_version_reads_writes_and_orders_as_ruby() {
    if !require_tool("ruby") {
        return;
    }
    let texts = versions();
    let answers = ruby(&texts);
    let mut parsed = Vec::new();
    for (text, answer) in texts.iter().zip(&answers) {
        let ours = Scheme::Rubygems.parse(text);
        match answer.split(' ').collect::<Vec<_>>().as_slice() {
            ["bad"] => assert!(ours.is_err(), "{text:?}: Ruby refuses it, relman reads it"),
            ["ok", to_s, prerelease] => {
                let ours = ours.unwrap_or_else(|error| panic!("{text:?}: {error}"));
                assert_eq!(ours.to_string(), *to_s, "{text:?} is written as Ruby does");
                assert_eq!(ours.is_prerelease().to_string(), *prerelease, "{text:?}");
                parsed.push(ours);
            }
            other => panic!("unexpected oracle answer {other:?}"),
        }
    }
    let rows = &answers[texts.len()..];
    assert_eq!(rows.len(), parsed.len());
    let mut compared = 0;
    for (a, row) in parsed.iter().zip(rows) {
        for (b, sign) in parsed.iter().zip(row.chars()) {
            let ours = match a.cmp(b) {
                std::cmp::Ordering::Less => '<',
                std::cmp::Ordering::Equal => '=',
                std::cmp::Ordering::Greater => '>',
            };
            assert_eq!(ours, sign, "{a} <=> {b}");
            compared += 1;
        }
    }
    assert!(compared > 10_000, "{compared} pairs");
}

#[test]
fn every_bump_is_spelled_and_ordered_as_ruby_says() {
    if !require_tool("ruby") {
        return;
    }
    let currents = [
        "8.1.3",
        "8.1.3.1",
        "8.1.0.beta1",
        "8.1.0.rc2",
        "8.2.0.alpha",
        "1.0",
        "1.0b1",
        "1.0.0.pre.rc1",
        "2.0.0.pre.1",
        "0.9.9",
    ];
    let levels = [
        "major",
        "minor",
        "patch",
        "premajor",
        "preminor",
        "prepatch",
        "prerelease",
        "alpha",
        "beta",
        "rc",
        "release",
        "dev",
        "post",
    ];
    let today = "2024-06-15".parse().unwrap();
    let mut texts = Vec::new();
    let mut names = Vec::new();
    for current in currents {
        let version = Scheme::Rubygems.parse(current).unwrap();
        for level in levels {
            let level: Level = level.parse().unwrap();
            let mut options = BumpOptions::new(today);
            options.pre_label = default_pre_label(&level, &version).map(str::to_owned);
            if let Ok(Some(next)) = bump(&version, &level, &options) {
                texts.push(current.to_owned());
                texts.push(next.to_string());
                names.push(level);
            }
        }
    }
    assert!(texts.len() > 2 * 90, "{} bumps", texts.len() / 2);
    let answers = ruby(&texts);
    let rows = &answers[texts.len()..];
    for (i, pair) in texts.chunks(2).enumerate() {
        let written = &answers[2 * i + 1];
        assert!(
            written.starts_with(&format!("ok {} ", pair[1])),
            "{} → {}: Ruby writes {written}",
            pair[0],
            pair[1]
        );
        let sign = rows[2 * i].chars().nth(2 * i + 1).unwrap();
        assert_eq!(
            sign, '<',
            "{} → {} ({}) goes forward",
            pair[0], pair[1], names[i]
        );
    }
}

#[test]
fn auto_releases_a_development_version_and_counts_a_cycle() {
    let today = "2024-06-15".parse().unwrap();
    let next = |current: &str, impact, label: Option<&str>| {
        let version = Scheme::Rubygems.parse(current).unwrap();
        let mut options = BumpOptions::new(today);
        options.impact = impact;
        options.pre_label = label.map(str::to_owned);
        bump(&version, &Level::Auto, &options)
            .unwrap()
            .map(|next| next.to_string())
    };
    use relman_version::bump::Impact::{Major, Minor, None, Patch};
    assert_eq!(next("8.2.0.alpha", Minor, Option::None).unwrap(), "8.2.0");
    assert_eq!(next("8.2.0.alpha", Patch, Option::None).unwrap(), "8.2.0");
    assert_eq!(next("8.2.0.alpha", Major, Option::None).unwrap(), "9.0.0");
    assert_eq!(next("8.2.0.alpha", Minor, Some("rc")).unwrap(), "8.2.0.rc1");
    assert_eq!(
        next("8.1.0.beta1", Patch, Option::None).unwrap(),
        "8.1.0.beta2"
    );
    assert_eq!(next("8.1.0.rc1", Major, Option::None).unwrap(), "9.0.0.rc1");
    assert_eq!(next("8.1.3.1", Patch, Option::None).unwrap(), "8.1.4");
    assert_eq!(next("8.1.3.1", None, Option::None), Option::None);
}
