//! Crash at every point: a workflow that uses every local step kind is run with relman killed by
//! SIGKILL right after each git write it makes (the write happened, relman never learnt of it),
//! right before the first git call after each step finished, and in the middle of its `run`
//! step; then `relman resume` (and `resume --confirm` at the manual step) must finish the release
//! with every effect exactly once: one release commit, one cherry-pick, one tag, one merge, each
//! remote ref pushed once, the changelog section once, and a journal that says done.
//!
//! relman has no test-only code path for this. The kills come from a `git` wrapper first on
//! PATH (relman runs plain `git` from PATH, as users' wrappers expect) that runs the real git
//! and then `kill -9 $PPID` when its call number is armed, and from the workflow's own `run`
//! step. Pushes are counted by a `post-receive` hook on the bare remote.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use relman_testkit::write_executable;
use sha2::{Digest, Sha256};

use crate::support::*;

pub const WORKFLOW: &str = r#"
[project]
version-files = ["package.json"]

[changelog]
file = "CHANGELOG.md"

[workflow.release]
help = "Cut 1.3.0 on a release branch with a fix picked from `hotfix`, merge it back"
args = [{ name = "fix" }]

[[workflow.release.step]]
check = "branch"

[[workflow.release.step]]
check = "clean"

[[workflow.release.step]]
check = "up-to-date"

[[workflow.release.step]]
check = "tag-available"

[[workflow.release.step]]
branch = "release/{major}.{minor}"

[[workflow.release.step]]
cherry-pick = "{args.fix}"

[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
changelog = "update"

[[workflow.release.step]]
name = "build"
# The version is one whole argument ($0). When the test arms it, the step kills relman (its
# parent) once, after building: a crash in the middle of an idempotent command.
run = ["sh", "-c", """
mkdir -p dist && printf 'greeter %s\\n' "$0" > "dist/greeter-$0.tar"
echo "built dist/greeter-$0.tar"
if [ -e "$RELMAN_CRASH_STATE/kill-run" ]; then rm "$RELMAN_CRASH_STATE/kill-run"; kill -9 $PPID; sleep 5; fi
""", "{version}"]
idempotent = true

[[workflow.release.step]]
checksums = "dist/*"

[[workflow.release.step]]
commit = "Release {version}"
add = ["dist/SHA256SUMS"]

[[workflow.release.step]]
tag = "{tag}"
message = "Release {version}"

[[workflow.release.step]]
manual = "Install dist/greeter-{version}.tar on a clean machine"
checklist = ["it installs", "it greets"]

[[workflow.release.step]]
push = ["branch", "tag"]

[[workflow.release.step]]
merge = "main"

[[workflow.release.step]]
push = "branch"

[[workflow.release.step]]
switch = "release/{major}.{minor}"
"#;

/// git subcommands that change the repository or the remote.
const WRITES: &[&str] = &[
    "add",
    "commit",
    "tag",
    "push",
    "branch",
    "switch",
    "checkout",
    "cherry-pick",
    "merge",
    "reset",
    "rm",
    "update-ref",
];

/// The `git` wrapper. It counts the calls whose parent is relman (git's own sub-processes and
/// hooks call git too), logs `NUMBER SUBCOMMAND STEPS-DONE [not-run]`, and kills relman instead
/// of the armed call or right after it, or right after the next subcommand of a chain.
fn wrapper(real_git: &Path, state: &Path, journal: &Path) -> String {
    format!(
        r#"#!/bin/sh
real='{real}'
state='{state}'
if [ "$(cat /proc/$PPID/comm 2>/dev/null)" != relman ]; then exec "$real" "$@"; fi
sub=
skip=
for word in "$@"; do
  if [ -n "$skip" ]; then skip=; continue; fi
  case $word in
    -c|-C) skip=1 ;;
    -*) ;;
    *) sub=$word; break ;;
  esac
done
n=$(( $(cat "$state/count" 2>/dev/null || echo 0) + 1 ))
echo $n > "$state/count"
steps=$(grep -c '"state": "done"' '{journal}' 2>/dev/null)
if [ "$(cat "$state/kill-before" 2>/dev/null)" = "$n" ]; then
  echo "$n $sub ${{steps:-0}} not-run" >> "$state/log"
  rm "$state/kill-before"; kill -9 $PPID; exit 137
fi
echo "$n $sub ${{steps:-0}}" >> "$state/log"
"$real" "$@"
status=$?
if [ "$(cat "$state/kill-after" 2>/dev/null)" = "$n" ]; then
  rm "$state/kill-after"; kill -9 $PPID
fi
if [ "$(head -n 1 "$state/kill-chain" 2>/dev/null)" = "$sub" ]; then
  sed -i 1d "$state/kill-chain"; kill -9 $PPID
fi
exit $status
"#,
        real = real_git.display(),
        state = state.display(),
        journal = journal.display(),
    )
}

/// One git call of relman's, as the wrapper logged it.
#[derive(Debug)]
struct Call {
    number: usize,
    subcommand: String,
    /// Steps recorded done in the journal when it was made.
    steps_done: usize,
    /// False when the wrapper killed relman instead of running it.
    performed: bool,
}

/// Where relman is killed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Point {
    /// Right after git call N finished.
    After(usize, String),
    /// Instead of git call N (the first after a step was recorded done).
    Before(usize, String),
    /// Inside the `run` step, after its command did its work.
    InRun,
    /// After each of these subcommands in turn: a resume killed again, and again.
    Chain(Vec<&'static str>),
}

struct Crashable {
    fixture: Fixture,
    state: PathBuf,
    fix: String,
    /// `main` before the release.
    main_before: String,
}

fn crashable() -> Crashable {
    let real_git = relman_testkit::find_tool("git").expect("git is on PATH");
    let mut fixture = Fixture::new(WORKFLOW);
    let repo = &fixture.repo;
    let main_before = repo.head();
    repo.git(&["switch", "--quiet", "--create", "hotfix"]);
    let fix = repo.commit_file("fix.txt", "fixed\n", "fix: repair the greeting");
    repo.git(&["switch", "--quiet", "main"]);
    // Every ref update the remote accepts, one line each.
    write_executable(
        &repo.remote_path().join("hooks/post-receive"),
        "#!/bin/sh\ncat >> \"$GIT_DIR/pushes.log\"\n",
    );
    let bin = repo.root().join("bin");
    let state = repo.root().join("crash");
    fs_err::create_dir_all(&state).unwrap();
    let journal = fixture.path().join(".git/relman/journal.json");
    write_executable(&bin.join("git"), &wrapper(&real_git, &state, &journal));
    fixture.prepend_path(bin);
    fixture.set_env("RELMAN_CRASH_STATE", state.as_os_str());
    Crashable {
        fixture,
        state,
        fix,
        main_before,
    }
}

impl Crashable {
    fn arm(&self, point: &Point) {
        let (file, text) = match point {
            Point::After(n, _) => ("kill-after", n.to_string()),
            Point::Before(n, _) => ("kill-before", n.to_string()),
            Point::InRun => ("kill-run", String::new()),
            Point::Chain(subcommands) => ("kill-chain", subcommands.join("\n") + "\n"),
        };
        fs_err::write(self.state.join(file), text).unwrap();
    }

    /// The git calls relman made, in order.
    fn log(&self) -> Vec<Call> {
        fs_err::read_to_string(self.state.join("log"))
            .unwrap_or_default()
            .lines()
            .map(|line| {
                let words: Vec<&str> = line.split(' ').collect();
                Call {
                    number: words[0].parse().unwrap(),
                    subcommand: words.get(1).copied().unwrap_or_default().to_owned(),
                    steps_done: words.get(2).and_then(|done| done.parse().ok()).unwrap_or(0),
                    performed: words.get(3).is_none(),
                }
            })
            .collect()
    }

    /// Runs the release, then resumes after every kill (confirming the manual step when it
    /// pauses there) until it is done. Returns every run, and how many times relman was killed.
    fn drive(&self) -> (Vec<Run>, usize) {
        let mut runs: Vec<Run> = Vec::new();
        let mut killed = 0;
        let mut next: Vec<&str> = vec!["release", &self.fix];
        for _ in 0..40 {
            let run = self.fixture.relman(&next);
            let code = run.code();
            if run.killed() {
                killed += 1;
                next = vec!["resume"];
            } else if code == Some(3) && run.stderr.contains("Install dist/greeter-1.3.0.tar") {
                next = vec!["resume", "--confirm"];
            } else if code == Some(3) && run.stderr.contains("is still running: wait for it to end")
            {
                // The killed relman's command outlives it: resume waits for it, as a person
                // would (it is not started a second time beside it).
                std::thread::sleep(std::time::Duration::from_millis(500));
                next = vec!["resume"];
            } else if code == Some(0) {
                runs.push(run);
                return (runs, killed);
            } else {
                panic!(
                    "relman ended unexpectedly\n{run}\n(earlier runs:)\n{}",
                    runs.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
            runs.push(run);
        }
        panic!("the release did not finish after 40 runs");
    }

    /// Every effect exactly once, and a journal that says done.
    fn assert_released(&self, runs: &[Run]) {
        let fixture = &self.fixture;
        let all = || {
            runs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        };
        let release = fixture.git(&["rev-parse", "release/1.3"]);
        let main = fixture.git(&["rev-parse", "main"]);
        let subjects = fixture.git(&["log", "--all", "--format=%s"]);
        assert_eq!(
            subjects
                .lines()
                .filter(|subject| *subject == "Release 1.3.0")
                .count(),
            1,
            "one release commit in the whole repository:\n{subjects}\n{}",
            all()
        );
        assert_eq!(
            fixture.git(&["log", "-1", "--format=%s", &release]),
            "Release 1.3.0"
        );
        // The fix was picked once, with -x, onto the release branch.
        let picked = fixture.git(&["log", "--format=%B", "v1.2.3..release/1.3"]);
        assert_eq!(
            count(
                &picked,
                &format!("(cherry picked from commit {})", self.fix)
            ),
            1,
            "{picked}\n{}",
            all()
        );
        assert_eq!(
            fixture.subjects("v1.2.3..release/1.3"),
            [
                "Release 1.3.0",
                "fix: repair the greeting",
                "feat: greet people"
            ]
        );
        // One annotated tag at the release commit.
        assert_eq!(fixture.git(&["tag", "--list", "v1.3*"]), "v1.3.0");
        assert_eq!(fixture.git(&["cat-file", "-t", "v1.3.0"]), "tag");
        assert_eq!(fixture.git(&["rev-parse", "v1.3.0^{commit}"]), release);
        // main got one merge commit of the release branch.
        assert_eq!(
            fixture.git(&["rev-list", "--parents", "-1", "main"]),
            format!("{main} {} {release}", self.main_before)
        );
        assert_eq!(
            fixture.git(&["rev-list", "--merges", "--count", "v1.2.3..main"]),
            "1"
        );
        // The files of the release commit.
        assert_eq!(
            fixture.git(&["show", "release/1.3:package.json"]) + "\n",
            package_json("1.3.0")
        );
        for rev in ["release/1.3", "main"] {
            let changelog = fixture.git(&["show", &format!("{rev}:CHANGELOG.md")]);
            assert_eq!(
                count(&changelog, "## 1.3.0"),
                1,
                "{rev}:CHANGELOG.md\n{changelog}"
            );
            assert_eq!(count(&changelog, "repair the greeting"), 1, "{changelog}");
        }
        let tarball = b"greeter 1.3.0\n";
        assert_eq!(fixture.read("dist/greeter-1.3.0.tar").as_bytes(), tarball);
        assert_eq!(
            fixture.git(&["show", "release/1.3:dist/SHA256SUMS"]),
            format!("{}  greeter-1.3.0.tar", hex(&Sha256::digest(tarball)))
        );
        // The remote has each ref once, at the right commit, each pushed exactly once.
        let remote = fixture.remote_refs();
        assert_eq!(remote["refs/heads/release/1.3"], release);
        assert_eq!(remote["refs/tags/v1.3.0^{}"], release);
        assert_eq!(remote["refs/heads/main"], main);
        let pushes = fs_err::read_to_string(fixture.repo.remote_path().join("pushes.log")).unwrap();
        for name in [
            "refs/heads/release/1.3",
            "refs/tags/v1.3.0",
            "refs/heads/main",
        ] {
            assert_eq!(
                pushes
                    .lines()
                    .filter(|line| line.ends_with(&format!(" {name}")))
                    .count(),
                1,
                "`{name}` pushed once:\n{pushes}\n{}",
                all()
            );
        }
        assert_eq!(pushes.lines().count(), 3, "{pushes}");
        // Each effect was made by exactly one git call, whatever was killed when: a resume
        // recognised what was done instead of doing it again.
        let log = self.log();
        for (subcommand, times) in [
            ("commit", 1),
            ("tag", 1),
            ("cherry-pick", 1),
            ("merge", 1),
            ("push", 2),
        ] {
            let made = log
                .iter()
                .filter(|call| call.performed && call.subcommand == subcommand)
                .count();
            assert_eq!(
                made,
                times,
                "`git {subcommand}` calls made: {}\n{}",
                render(&log),
                all()
            );
        }
        // Where the workflow leaves the clone.
        assert_eq!(fixture.git(&["branch", "--show-current"]), "release/1.3");
        assert_eq!(
            fixture.git(&["status", "--porcelain"]),
            "?? dist/greeter-1.3.0.tar"
        );
        assert!(!fixture.path().join(".git/CHERRY_PICK_HEAD").exists());
        assert!(!fixture.path().join(".git/MERGE_HEAD").exists());
        // The journal: archived, done, every step done.
        assert!(fixture.journal().is_none(), "no release left in progress");
        let history = fixture.history();
        assert_eq!(history.len(), 1, "one archived release");
        assert_eq!(history[0]["state"], "done");
        assert_eq!(step_states(&history[0]), vec!["done"; 17], "{}", all());
        assert_eq!(fixture.status()["state"], "done");
    }
}

/// `1 log, 2 describe, … 21 push (killed before)`.
fn render(log: &[Call]) -> String {
    log.iter()
        .map(|call| {
            let killed = if call.performed {
                ""
            } else {
                " (killed before)"
            };
            format!("{} {}{killed}", call.number, call.subcommand)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The crash points of a release: after every git write, before the first git call after each
/// step is recorded done, and inside the `run` step.
fn crash_points(log: &[Call]) -> Vec<Point> {
    // Killed after every effect in turn, each resume dying at the next one.
    let chain = vec![
        "branch",
        "cherry-pick",
        "commit",
        "tag",
        "push",
        "merge",
        "push",
        "switch",
    ];
    let mut points = vec![Point::InRun, Point::Chain(chain)];
    let mut seen_done = None;
    for call in log {
        // Calls with no step done yet belong to the plan: no release has started.
        if call.steps_done > 0 && seen_done != Some(call.steps_done) {
            seen_done = Some(call.steps_done);
            points.push(Point::Before(
                call.number,
                format!("{} after {} steps done", call.subcommand, call.steps_done),
            ));
        }
        if WRITES.contains(&call.subcommand.as_str()) {
            points.push(Point::After(call.number, call.subcommand.clone()));
        }
    }
    points
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "the git wrapper finds relman through /proc"
)]
fn a_release_killed_at_any_point_finishes_on_resume_with_every_effect_once() {
    // A run without crashes: the reference sequence of git calls, and proof that the end-state
    // assertions hold.
    let reference = crashable();
    let (runs, killed) = reference.drive();
    assert_eq!(killed, 0);
    reference.assert_released(&runs);
    let log = reference.log();
    let points = crash_points(&log);
    assert!(
        points
            .iter()
            .filter(|point| matches!(point, Point::After(..)))
            .count()
            >= 11,
        "the reference run makes a git write per effect: {}",
        render(&log)
    );

    let failures = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(point) = points.get(index) else {
                        break;
                    };
                    let result = std::panic::catch_unwind(|| {
                        let crash = crashable();
                        crash.arm(point);
                        let (runs, killed) = crash.drive();
                        let expected = match point {
                            Point::Chain(subcommands) => subcommands.len(),
                            _ => 1,
                        };
                        assert_eq!(
                            killed, expected,
                            "relman was killed {killed} times at {point:?}"
                        );
                        let resumed = runs
                            .windows(2)
                            .find(|pair| pair[0].killed())
                            .map(|pair| &pair[1])
                            .expect("relman ran again after it was killed");
                        resumed.stderr_has("took over the release lock of relman pid");
                        crash.assert_released(&runs);
                    });
                    if let Err(panic) = result {
                        let message = panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
                            .unwrap_or_default();
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("killed at {point:?}:\n{message}"));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} crash points went wrong:\n\n{}",
        failures.len(),
        points.len(),
        failures.join("\n\n")
    );
}

/// relman killed between writing "done" into the journal and moving it into the history (no git
/// call in between, so the journal is put in that state by hand): the next release archives
/// the finished one instead of writing over it.
#[test]
fn a_finished_journal_left_in_place_is_archived_by_the_next_release() {
    let fixture = Fixture::new(
        r#"
[workflow.note]
[[workflow.note.step]]
run = ["sh", "-c", "echo noted >> ../notes"]
"#,
    );
    fixture.relman(&["note"]).expect(0);
    let history = fixture.path().join(".git/relman/history");
    let archived: Vec<PathBuf> = fs_err::read_dir(&history)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(archived.len(), 1);
    fs_err::rename(
        &archived[0],
        fixture.path().join(".git/relman/journal.json"),
    )
    .unwrap();
    fixture
        .relman(&["resume"])
        .expect(2)
        .stderr_has("there is no release in progress");
    assert_eq!(fixture.status()["state"], "done");

    fixture.relman(&["note"]).expect(0);
    let history = fixture.history();
    assert_eq!(history.len(), 2, "{history:#?}");
    assert!(history.iter().all(|journal| journal["state"] == "done"));
    assert_eq!(fixture.repo.read("../notes"), "noted\nnoted\n");
}
