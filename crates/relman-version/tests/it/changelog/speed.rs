//! Measurements of the history fast path (architecture.md). Ignored by default; run them in
//! release mode:
//! `cargo test -p relman-version --release --test it -- --ignored --nocapture speed`.

use std::hint::black_box;
use std::time::Instant;

use relman_version::bump::Impact;
use relman_version::changelog::links::Forge;
use relman_version::changelog::markdown;
use relman_version::changelog::notes::{NotesOptions, ReleaseNotes};
use relman_version::conventional::parse;

const COMMITS: usize = 1_000_000;
const RELEASES: usize = 10_000;

/// A history's worth of messages in the shapes real repositories have: mostly one-line conventional
/// subjects, some with bodies and trailers, squash merges, merges, reverts, free-form messages.
fn messages() -> Vec<String> {
    let types = [
        "feat", "fix", "chore", "docs", "perf", "refactor", "test", "ci",
    ];
    let scopes = ["", "(api)", "(parser)", "(deps)", "(ui)"];
    (0..COMMITS)
        .map(|i| match i % 20 {
            0 => format!("Merge pull request #{i} from octo/feature-{i}\n\nfeat: feature {i}\n"),
            1 => format!("Update the README for release {i}\n"),
            2 => format!(
                "fix(core): handle the empty input case {i}\n\nThe parser used to panic when the input\nwas empty. Return an error instead.\n\nSigned-off-by: A U Thor <author@example.com>\n"
            ),
            3 => format!(
                "feat(api)!: remove the v1 endpoints {i}\n\nBREAKING CHANGE: the /v1 routes are gone; use /v2.\n"
            ),
            4 => format!("Revert \"feat: thing {i}\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n"),
            _ => format!(
                "{}{}: change number {i} to the thing (#{})\n",
                types[i % types.len()],
                scopes[i % scopes.len()],
                i / 3
            ),
        })
        .collect()
}

#[test]
#[ignore = "measurement: run in release with --ignored --nocapture"]
fn speed_parse_one_million_messages() {
    let messages = messages();
    let bytes: usize = messages.iter().map(String::len).sum();
    for _ in 0..2 {
        let start = Instant::now();
        let mut impact = Impact::None;
        let mut described = 0usize;
        for message in &messages {
            let commit = parse(black_box(message.as_bytes()));
            impact = impact.max(commit.impact());
            described += commit.description().len() + commit.scope().map_or(0, str::len);
        }
        let elapsed = start.elapsed();
        black_box((impact, described));
        println!(
            "parse: {COMMITS} messages ({} MB) in {elapsed:?}: {:.1} ns per message",
            bytes / 1_000_000,
            elapsed.as_nanos() as f64 / COMMITS as f64
        );
    }
}

#[test]
#[ignore = "measurement: run in release with --ignored --nocapture"]
fn speed_notes_and_markdown_for_ten_thousand_releases() {
    let messages = messages();
    let shas: Vec<String> = (0..COMMITS).map(|i| format!("{i:040x}")).collect();
    let forge = Forge::from_remote_url("git@github.com:octo/project.git", &[]).unwrap();
    let per_release = COMMITS / RELEASES;
    let options = NotesOptions {
        include_other: true,
        ..NotesOptions::default()
    };

    let start = Instant::now();
    let mut all_notes = Vec::with_capacity(RELEASES);
    for (release, chunk) in messages.chunks(per_release).enumerate() {
        let version = format!("1.{}.0", RELEASES - release);
        let mut notes = ReleaseNotes::new(&version, format!("v{version}"), "2026-11-23", options);
        notes.previous_tag = Some(format!("v1.{}.0", RELEASES - release - 1));
        for (offset, message) in chunk.iter().enumerate() {
            notes.push(
                &shas[release * per_release + offset],
                &parse(message.as_bytes()),
            );
        }
        all_notes.push(notes);
    }
    let collected = start.elapsed();

    let start = Instant::now();
    let mut out = String::new();
    for notes in &all_notes {
        markdown::write_section(&mut out, notes, Some(&forge)).unwrap();
        out.push('\n');
    }
    let rendered = start.elapsed();
    black_box(&out);
    println!(
        "notes: {COMMITS} commits into {RELEASES} releases in {collected:?}; markdown: {} MB in {rendered:?}",
        out.len() / 1_000_000
    );
}
