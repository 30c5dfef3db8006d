//! Measurements of the history fast path (architecture.md), on a million synthetic messages held
//! in memory: parsing, the streaming full-history changelog, and rendering alone. Run:
//! `cargo bench -p relman-version --bench history [parse|stream|render]`.
//! The end-to-end comparison with `git log`, git-cliff and cog is `bench/run.sh`.
#![allow(
    clippy::print_stdout,
    reason = "a measurement program: its report is its output"
)]

use std::hint::black_box;
use std::ops::Range;
use std::time::{Duration, Instant};

use relman_version::bump::Impact;
use relman_version::changelog::links::Forge;
use relman_version::changelog::markdown;
use relman_version::changelog::notes::{NotesOptions, ReleaseNotes};
use relman_version::conventional::parse;

const COMMITS: usize = 1_000_000;

/// This thread's time on a CPU (Linux's `/proc/thread-self/schedstat`), so that a machine shared
/// with other builds does not inflate the numbers; wall time elsewhere.
fn cpu_time() -> Option<Duration> {
    let stat = fs_err::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Runs `work` and returns (wall, cpu) durations; cpu falls back to wall.
fn measure<T>(work: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let cpu_start = cpu_time();
    let start = Instant::now();
    let result = work();
    let wall = start.elapsed();
    let cpu = cpu_start
        .zip(cpu_time())
        .map_or(wall, |(start, end)| end - start);
    (result, wall, cpu)
}

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

/// The messages in one buffer, NUL-separated as `git log -z` streams them, and where each is.
fn buffer() -> (Vec<u8>, Vec<Range<usize>>) {
    let mut buffer = Vec::new();
    let mut ranges = Vec::with_capacity(COMMITS);
    for message in messages() {
        let start = buffer.len();
        buffer.extend_from_slice(message.as_bytes());
        ranges.push(start..buffer.len());
        buffer.push(0);
    }
    (buffer, ranges)
}

fn parse_one_million_messages() {
    let (buffer, ranges) = buffer();
    // The typical message: a one-line conventional subject (three in four of the mix).
    let typical: Vec<Range<usize>> = ranges
        .iter()
        .enumerate()
        .filter(|(index, _)| index % 20 >= 5)
        .map(|(_, range)| range.clone())
        .collect();
    for (name, ranges) in [("mixed", &ranges), ("one-line", &typical)] {
        let mut best = Duration::MAX;
        for _ in 0..5 {
            let (result, _, cpu) = measure(|| {
                let mut impact = Impact::None;
                let mut described = 0usize;
                for range in ranges {
                    let commit = parse(black_box(&buffer[range.clone()]));
                    impact = impact.max(commit.impact());
                    described += commit.description().len() + commit.scope().map_or(0, str::len);
                }
                (impact, described)
            });
            black_box(result);
            best = best.min(cpu);
        }
        println!(
            "parse: {} {name} messages: {:.1} ns per message on cpu (best of 5)",
            ranges.len(),
            best.as_nanos() as f64 / ranges.len() as f64
        );
    }
}

/// The full-history changelog as architecture.md has it: one `ReleaseNotes` reused, each
/// release's section rendered as soon as its commits are in.
fn streaming_changelog_of_ten_thousand_releases() {
    let (buffer, ranges) = buffer();
    let shas: Vec<String> = (0..COMMITS).map(|i| format!("{i:040x}")).collect();
    let forge = Forge::from_remote_url("git@github.com:octo/project.git", &[]).unwrap();
    let per_release = COMMITS / RELEASES;
    let options = NotesOptions {
        include_other: true,
        ..NotesOptions::default()
    };
    for _ in 0..3 {
        let (written, wall, cpu) = measure(|| {
            let mut notes = ReleaseNotes::new("", "", "2026-11-23", options.clone());
            let mut section = String::new();
            let mut written = 0usize;
            for (release, chunk) in ranges.chunks(per_release).enumerate() {
                let version = format!("1.{}.0", RELEASES - release);
                notes.reset(&version, &format!("v{version}"), "2026-11-23");
                for (offset, range) in chunk.iter().enumerate() {
                    let commit = parse(&buffer[range.clone()]);
                    notes.push(&shas[release * per_release + offset], &commit);
                }
                notes.previous_tag = Some(format!("v1.{}.0", RELEASES - release - 1));
                section.clear();
                markdown::write_section(&mut section, &notes, Some(&forge)).unwrap();
                written += black_box(&section).len();
            }
            written
        });
        println!(
            "stream: {COMMITS} commits, {RELEASES} sections, {} MB of Markdown: {cpu:?} on cpu ({wall:?} wall)",
            written / 1_000_000
        );
    }
}

fn render_ten_thousand_sections() {
    let (buffer, ranges) = buffer();
    let shas: Vec<String> = (0..COMMITS).map(|i| format!("{i:040x}")).collect();
    let forge = Forge::from_remote_url("git@github.com:octo/project.git", &[]).unwrap();
    let per_release = COMMITS / RELEASES;
    let options = NotesOptions {
        include_other: true,
        ..NotesOptions::default()
    };
    let all_notes: Vec<ReleaseNotes> = ranges
        .chunks(per_release)
        .enumerate()
        .map(|(release, chunk)| {
            let version = format!("1.{}.0", RELEASES - release);
            let mut notes = ReleaseNotes::new(
                &version,
                format!("v{version}"),
                "2026-11-23",
                options.clone(),
            )
            .with_previous("", format!("v1.{}.0", RELEASES - release - 1));
            for (offset, range) in chunk.iter().enumerate() {
                notes.push(
                    &shas[release * per_release + offset],
                    &parse(&buffer[range.clone()]),
                );
            }
            notes
        })
        .collect();
    for _ in 0..3 {
        let (out, wall, cpu) = measure(|| {
            let mut out = String::with_capacity(200_000_000);
            for notes in &all_notes {
                markdown::write_section(&mut out, notes, Some(&forge)).unwrap();
                out.push('\n');
            }
            out
        });
        println!(
            "render: {RELEASES} sections, {} MB of Markdown: {cpu:?} on cpu ({wall:?} wall)",
            out.len() / 1_000_000
        );
        black_box(out);
    }
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument picks measurements by name.
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let measurements: [(&str, fn()); 3] = [
        ("parse", parse_one_million_messages),
        ("stream", streaming_changelog_of_ten_thousand_releases),
        ("render", render_ten_thousand_sections),
    ];
    for (name, measurement) in measurements {
        if wanted.is_empty() || wanted.iter().any(|want| name.contains(want.as_str())) {
            measurement();
        }
    }
}
