//! The sealed world every end-to-end test runs `relman` in: a [`relman_testkit::TestRepo`] (temp
//! HOME, no global git config, fixed identity and dates, a bare `origin` over `file://`), a fixed
//! release date (`SOURCE_DATE_EPOCH`), `NO_COLOR`, and no terminal. [`Fixture`] builds the
//! project most tests release (a `package.json` at 1.2.3, released and pushed, with one feature
//! since), runs the real binary, and reads back what a user would look at.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output};

use relman_testkit::TestRepo;

/// The `relman` built by cargo for these tests.
pub const RELMAN: &str = env!("CARGO_BIN_EXE_relman");

/// 2024-01-01T00:00:00Z: the release date of every test (`{date}` is `2024-01-01`).
pub const RELEASE_EPOCH: &str = "1704067200";

/// The changelog the fixture starts with.
pub const CHANGELOG: &str = "# Changelog\n\nAll notable changes.\n";

/// A project in a sealed repository, and how to run relman on it.
#[derive(Debug)]
pub struct Fixture {
    pub repo: TestRepo,
    /// Folders put first on PATH (a `git` wrapper).
    path_prefix: Vec<PathBuf>,
    env: Vec<(OsString, OsString)>,
}

/// What one relman process did.
#[derive(Debug)]
pub struct Run {
    pub args: Vec<String>,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from_output(args: &[&str], output: Output) -> Run {
        Run {
            args: args.iter().map(|arg| (*arg).to_owned()).collect(),
            status: output.status,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The exit code (`None` when killed by a signal).
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    /// Whether the process died of SIGKILL.
    pub fn killed(&self) -> bool {
        use std::os::unix::process::ExitStatusExt;
        self.status.signal() == Some(9)
    }

    /// Panics, showing everything, unless relman exited with `code`.
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Run {
        assert_eq!(
            self.code(),
            Some(code),
            "`relman {}` should exit {code}\n{self}",
            self.args.join(" ")
        );
        self
    }

    /// Panics unless stderr contains `text`.
    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Run {
        assert!(
            self.stderr.contains(text),
            "stderr of `relman {}` lacks {text:?}\n{self}",
            self.args.join(" ")
        );
        self
    }

    /// Panics unless stdout contains `text`.
    #[track_caller]
    pub fn stdout_has(&self, text: &str) -> &Run {
        assert!(
            self.stdout.contains(text),
            "stdout of `relman {}` lacks {text:?}\n{self}",
            self.args.join(" ")
        );
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- relman {} ({})\n--- stdout:\n{}\n--- stderr:\n{}",
            self.args.join(" "),
            self.status,
            self.stdout,
            self.stderr
        )
    }
}

/// A `package.json` holding `version`.
pub fn package_json(version: &str) -> String {
    format!(
        "{{\n  \"name\": \"greeter\",\n  \"version\": \"{version}\",\n  \"private\": true\n}}\n"
    )
}

impl Fixture {
    /// An empty sealed repository (no commit yet) with `relman.toml` = `config` written (not
    /// committed).
    pub fn empty(config: &str) -> Fixture {
        let repo = TestRepo::new();
        repo.write("relman.toml", config);
        Fixture {
            repo,
            path_prefix: Vec::new(),
            env: Vec::new(),
        }
    }

    /// The usual project: `package.json` at 1.2.3, `CHANGELOG.md`, `relman.toml` = `config`,
    /// released as `v1.2.3` and pushed, then one `feat:` commit (pushed too), so `auto` and
    /// `minor` both give 1.3.0.
    pub fn new(config: &str) -> Fixture {
        let fixture = Fixture::empty(config);
        let repo = &fixture.repo;
        repo.write("package.json", package_json("1.2.3"));
        repo.write("CHANGELOG.md", CHANGELOG);
        repo.commit("chore: start the project");
        repo.tag_annotated("v1.2.3", "Release 1.2.3");
        repo.commit_file("greet.txt", "hello\n", "feat: greet people");
        repo.push(&["main", "v1.2.3"]);
        fixture
    }

    pub fn path(&self) -> &Path {
        self.repo.path()
    }

    /// Puts `dir` first on PATH for every later relman run.
    pub fn prepend_path(&mut self, dir: PathBuf) {
        self.path_prefix.insert(0, dir);
    }

    /// Sets an environment variable for every later relman run.
    pub fn set_env(&mut self, name: &str, value: impl Into<OsString>) {
        self.env.push((OsString::from(name), value.into()));
    }

    /// `relman ARGS` ready to run in the work tree, sealed.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = self.sealed(RELMAN);
        command.args(args);
        command
    }

    /// Runs `relman ARGS` to its end, killing it and failing the test if it has not ended
    /// within `limit` (for attacks that made relman read or wait forever).
    pub fn run_within(&self, args: &[&str], limit: std::time::Duration) -> Run {
        let mut child = self
            .command(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start relman");
        let started = std::time::Instant::now();
        while child.try_wait().expect("wait for relman").is_none() {
            if started.elapsed() > limit {
                let _ = child.kill();
                let output = child.wait_with_output().unwrap();
                panic!(
                    "`relman {}` still ran after {limit:?}\n{}",
                    args.join(" "),
                    Run::from_output(args, output)
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Run::from_output(args, child.wait_with_output().unwrap())
    }

    /// `program` in the work tree with the environment relman gets (a `script` that runs
    /// relman on a pseudo-terminal).
    pub fn sealed(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = self.repo.command(program);
        let mut paths = self.path_prefix.clone();
        if let Some(path) = std::env::var_os("PATH") {
            paths.extend(std::env::split_paths(&path));
        }
        command
            .env(
                "PATH",
                std::env::join_paths(paths).expect("PATH entries have no separator"),
            )
            .env("SOURCE_DATE_EPOCH", RELEASE_EPOCH)
            .env("NO_COLOR", "1")
            // As in a CI job: a run needs no `--yes` (tests of consent remove it).
            .env("CI", "true")
            .envs(self.env.iter().map(|(name, value)| (name, value)))
            .stdin(std::process::Stdio::null());
        command
    }

    /// Runs `relman ARGS` to the end.
    pub fn relman(&self, args: &[&str]) -> Run {
        let output = self
            .command(args)
            .output()
            .unwrap_or_else(|error| panic!("cannot run {RELMAN}: {error}"));
        Run::from_output(args, output)
    }

    /// Runs git in the work tree (sealed); panics when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        self.repo.git(args)
    }

    /// `refs -> target` on the remote, as `git ls-remote` prints them (peeled tags included).
    pub fn remote_refs(&self) -> BTreeMap<String, String> {
        self.repo
            .git(&["ls-remote", &self.repo.remote_url()])
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .map(|(sha, name)| (name.to_owned(), sha.to_owned()))
            .collect()
    }

    pub fn read(&self, relative: &str) -> String {
        self.repo.read(relative)
    }

    /// Subjects of the commits reachable from `rev`, newest first.
    pub fn subjects(&self, rev: &str) -> Vec<String> {
        self.git(&["log", "--format=%s", rev])
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The release journals archived in `.git/relman/history/`, parsed.
    pub fn history(&self) -> Vec<serde_json::Value> {
        let dir = self.path().join(".git/relman/history");
        let Ok(entries) = fs_err::read_dir(&dir) else {
            return Vec::new();
        };
        let mut journals: Vec<(PathBuf, serde_json::Value)> = entries
            .map(|entry| entry.expect("read the history folder").path())
            .filter(|path| {
                path.extension()
                    .is_some_and(|extension| extension == "json")
            })
            .map(|path| {
                let text = fs_err::read_to_string(&path).expect("read an archived journal");
                let value = serde_json::from_str(&text).expect("an archived journal is JSON");
                (path, value)
            })
            .collect();
        journals.sort_by(|a, b| a.0.cmp(&b.0));
        journals.into_iter().map(|(_, value)| value).collect()
    }

    /// The journal of the release in progress, if any.
    pub fn journal(&self) -> Option<serde_json::Value> {
        let path = self.path().join(".git/relman/journal.json");
        let text = fs_err::read_to_string(path).ok()?;
        Some(serde_json::from_str(&text).expect("the journal is JSON"))
    }

    /// Waits (at most a minute) until the command that step `number` started has ended, if the
    /// journal recorded it: a command outlives the relman killed while it ran, and `resume`
    /// waits for it.
    pub fn wait_for_step_command(&self, number: usize) {
        let Some(identity) = self.journal().and_then(|journal| {
            journal["steps"][number - 1]["context"]["child_process"]
                .as_str()
                .map(str::to_owned)
        }) else {
            return;
        };
        let pid = identity.split(':').next().unwrap_or_default().to_owned();
        let stat = Path::new("/proc").join(pid).join("stat");
        let started = std::time::Instant::now();
        while fs_err::read_to_string(&stat).is_ok_and(|stat| !stat.contains(") Z"))
            && started.elapsed() < std::time::Duration::from_secs(60)
        {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// `relman status --json`, parsed.
    pub fn status(&self) -> serde_json::Value {
        let run = self.relman(&["status", "--json"]);
        run.expect(0);
        serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("{error}\n{run}"))
    }
}

/// Each step's state in a journal, as `["done", "done", "paused", …]`.
pub fn step_states(journal: &serde_json::Value) -> Vec<String> {
    journal["steps"]
        .as_array()
        .expect("a journal has steps")
        .iter()
        .map(|step| step["state"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// How many times `needle` occurs in `haystack`.
pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// What must not change: the status, the refs, and the bytes of every file under the work tree
/// (`.git` included).
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub status: String,
    pub refs: String,
    pub files: BTreeMap<String, Vec<u8>>,
}

pub fn snapshot(fixture: &Fixture) -> Snapshot {
    // Files first: the git commands below must not be the ones to change them, and with
    // optional locks off `git status` does not refresh the index.
    let mut files = BTreeMap::new();
    read_tree(fixture.path(), fixture.path(), &mut files);
    let git = |args: &[&str]| {
        let output = fixture
            .repo
            .command("git")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    Snapshot {
        status: git(&[
            "status",
            "--porcelain=v2",
            "--branch",
            "--untracked-files=all",
        ]),
        refs: git(&["for-each-ref", "--format=%(refname) %(objectname)"]),
        files,
    }
}

fn read_tree(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in fs_err::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap().display().to_string();
        if entry.file_type().unwrap().is_dir() {
            files.insert(format!("{relative}/"), Vec::new());
            read_tree(root, &path, files);
        } else {
            files.insert(relative, fs_err::read(&path).unwrap());
        }
    }
}

#[track_caller]
pub fn assert_unchanged(before: &Snapshot, after: &Snapshot) {
    assert_eq!(before.status, after.status);
    assert_eq!(before.refs, after.refs);
    let changed: Vec<&String> = before
        .files
        .keys()
        .chain(after.files.keys())
        .filter(|path| before.files.get(*path) != after.files.get(*path))
        .collect();
    assert!(changed.is_empty(), "relman changed {changed:?}");
}
