//! The world an example release runs in: a hermetic repository with a bare `origin`, the fake
//! GitHub and CircleCI, a recorder for Slack, webhooks and ticket APIs, and, when asked, the real
//! pypiserver, docker-registry and SMTP sink, all on 127.0.0.1 and stopped on drop.
//!
//! An example's `relman.toml` is the real one, as checked in under `examples/`; the world installs
//! it with its public endpoints (api.github.com, pypi.org, the registry host, the ticket API)
//! rewritten to the local services, and passes the rest (tokens, webhook URL, SMTP URL, CircleCI
//! API) through the environment as a user's CI would.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use relman_testkit::TestRepo;
use relman_testkit::circleci::FakeCircleCi;
use relman_testkit::github::FakeGitHub;
use relman_testkit::recorder::Recorder;
use relman_testkit::services::{DockerRegistry, PypiServer, SmtpSink, or_skip};

use crate::plain::relman_path;

/// Everything an example release talks to.
#[derive(Debug)]
pub struct World {
    pub repo: TestRepo,
    pub github: FakeGitHub,
    pub circleci: FakeCircleCi,
    pub recorder: Recorder,
    pub pypi: Option<PypiServer>,
    pub registry: Option<DockerRegistry>,
    pub smtp: Option<SmtpSink>,
    /// `owner/name` of the project on the fake GitHub.
    pub slug: String,
    extra_env: Vec<(String, String)>,
    extra_rewrites: Vec<(String, String)>,
}

/// The journal of the release in progress in the clone at `dir`, else of the newest finished
/// one (archived under `history/`), as JSON; `None` while there is none.
pub fn read_journal(dir: &Path) -> Option<serde_json::Value> {
    let state = dir.join(".git/relman");
    let read = |path: &Path| -> Option<serde_json::Value> {
        serde_json::from_str(&fs_err::read_to_string(path).ok()?).ok()
    };
    if let Some(journal) = read(&state.join("journal.json")) {
        return Some(journal);
    }
    fs_err::read_dir(state.join("history"))
        .ok()?
        .filter_map(|entry| read(&entry.ok()?.path()))
        .max_by_key(|journal| journal["updated_at"].as_i64())
}

/// The longest a relman run of an example test may take: the examples wait for real (an hour for
/// CircleCI), so a fake that never answers would otherwise hang the test for that long.
const RELMAN_DEADLINE: Duration = Duration::from_secs(300);

/// Runs `command` to the end, or kills it after `deadline` and fails the test with its output.
fn run_with_deadline(mut command: Command, deadline: Duration) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run relman");
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = read(
        child
            .stdout
            .take()
            .map(|pipe| Box::new(pipe) as Box<dyn Read + Send>),
    );
    let stderr = read(
        child
            .stderr
            .take()
            .map(|pipe| Box::new(pipe) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll relman") {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "relman ran longer than {deadline:?}: killed\nstdout:\n{}\nstderr:\n{}",
                String::from_utf8_lossy(&stdout.join().unwrap_or_default()),
                String::from_utf8_lossy(&stderr.join().unwrap_or_default())
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// The folder of a checked-in example.
pub fn example_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

impl World {
    /// A repository for `slug` (`owner/name`) and the always-available fakes.
    pub fn new(slug: &str) -> World {
        let github = FakeGitHub::start();
        github.add_repo(slug);
        let repo = TestRepo::new();
        // GitHub has the branches that were pushed.
        github.mirror_git(slug, repo.remote_path());
        World {
            repo,
            github,
            circleci: FakeCircleCi::start(),
            recorder: Recorder::start(),
            pypi: None,
            registry: None,
            smtp: None,
            slug: slug.to_owned(),
            extra_env: Vec::new(),
            extra_rewrites: Vec::new(),
        }
    }

    /// Starts a real pypiserver; `None` (the test should return) when it is not installed and
    /// tools are not required.
    pub fn with_pypi(mut self) -> Option<World> {
        self.pypi = Some(or_skip(PypiServer::start())?);
        Some(self)
    }

    /// Starts a real docker-registry (see [`World::with_pypi`] for `None`).
    pub fn with_registry(mut self) -> Option<World> {
        self.registry = Some(or_skip(DockerRegistry::start())?);
        Some(self)
    }

    /// Starts a real SMTP sink (see [`World::with_pypi`] for `None`).
    pub fn with_smtp(mut self) -> Option<World> {
        self.smtp = Some(or_skip(SmtpSink::start())?);
        Some(self)
    }

    /// Makes the fake CircleCI the project's CI, as CircleCI's GitHub integration does: every push
    /// to the bare remote reaches it (a `post-receive` hook posts GitHub's push webhook, before
    /// the push returns) and it reports its jobs to the fake GitHub as commit statuses. What it
    /// builds is set with `circleci.run_on_push`.
    pub fn build_pushes_on_circleci(&self) {
        self.circleci.report_to(
            self.github.status_reporter(&self.slug),
            &format!("gh/{}", self.slug),
        );
        // GitHub's push webhook names the commit a pushed tag points at (`head_commit`), which
        // is what CircleCI builds and reports on.
        let hook = format!(
            "#!/usr/bin/env python3\n\
             # GitHub's push webhook to CircleCI.\n\
             import subprocess, sys, urllib.request\n\
             lines = []\n\
             for line in sys.stdin:\n\
             \x20   old, new, ref = line.split()\n\
             \x20   if set(new) != {{'0'}}:\n\
             \x20       new = subprocess.run(['git', 'rev-parse', new + '^{{commit}}'], capture_output=True, text=True, check=True).stdout.strip()\n\
             \x20   lines.append(' '.join((old, new, ref)))\n\
             body = ('\\n'.join(lines) + '\\n').encode()\n\
             urllib.request.urlopen(urllib.request.Request({:?}, data=body, method='POST')).read()\n",
            self.circleci.push_webhook_url()
        );
        relman_testkit::write_executable(
            &self.repo.remote_path().join("hooks/post-receive"),
            &hook,
        );
    }

    /// Sets an extra environment variable for every relman run.
    pub fn set_env(&mut self, name: &str, value: &str) {
        self.extra_env.retain(|(key, _)| key != name);
        self.extra_env.push((name.to_owned(), value.to_owned()));
    }

    /// Takes back what [`World::set_env`] set: the variable is as the world gives it.
    pub fn unset_env(&mut self, name: &str) {
        self.extra_env.retain(|(key, _)| key != name);
    }

    /// Points one more public endpoint of the example's config at a local stand-in (a Helm
    /// repository, a bucket or a docs site a test serves), after the built-in ones.
    pub fn add_rewrite(&mut self, public: &str, local: &str) {
        self.extra_rewrites
            .push((public.to_owned(), local.to_owned()));
    }

    /// The public endpoints of a checked-in config and the local service that stands in for
    /// each, in the order they are replaced.
    pub fn rewrites(&self) -> Vec<(String, String)> {
        let mut rewrites = vec![
            ("https://api.github.com".to_owned(), self.github.api_url()),
            (
                "https://bugzilla.mozilla.org".to_owned(),
                self.recorder.url().trim_end_matches('/').to_owned(),
            ),
        ];
        if let Some(pypi) = &self.pypi {
            rewrites.push(("https://pypi.org/simple/".to_owned(), pypi.simple_url()));
            rewrites.push((
                "https://test.pypi.org/simple/".to_owned(),
                pypi.simple_url(),
            ));
        }
        if let Some(registry) = &self.registry {
            for public in ["registry-1.docker.io", "docker.io", "ghcr.io"] {
                rewrites.push((format!("\"{public}/"), format!("\"{}/", registry.host())));
            }
        }
        rewrites.extend(self.extra_rewrites.iter().cloned());
        rewrites
    }

    /// Copies `examples/NAME/relman.toml` into the repository with the public endpoints pointed
    /// at the local services, and returns the text written.
    pub fn install_example(&self, name: &str) -> String {
        let path = example_dir(name).join("relman.toml");
        let mut text = fs_err::read_to_string(&path).expect("read the example's relman.toml");
        for (public, local) in self.rewrites() {
            text = text.replace(&public, &local);
        }
        self.repo.write("relman.toml", &text);
        text
    }

    /// The environment a user's CI would give relman: tokens, the webhook URL, the SMTP URL, the
    /// CircleCI API root.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("GITHUB_TOKEN".to_owned(), FakeGitHub::TOKEN.to_owned()),
            ("CIRCLE_TOKEN".to_owned(), FakeCircleCi::TOKEN.to_owned()),
            ("RELMAN_CIRCLECI_API".to_owned(), self.circleci.api_url()),
            (
                "SLACK_WEBHOOK_URL".to_owned(),
                self.recorder.slack_webhook_url(),
            ),
            (
                "BUGZILLA_API_KEY".to_owned(),
                Recorder::BUGZILLA_KEY.to_owned(),
            ),
            ("NO_COLOR".to_owned(), "1".to_owned()),
            ("CI".to_owned(), "true".to_owned()),
            ("SOURCE_DATE_EPOCH".to_owned(), "1767225600".to_owned()),
        ];
        if let Some(smtp) = &self.smtp {
            env.push((
                "RELMAN_SMTP_URL".to_owned(),
                format!("smtp://{}?from=releases@example.org", smtp.address()),
            ));
        }
        env.extend(self.extra_env.iter().cloned());
        env
    }

    /// Runs `relman ARGS` in the work tree with the world's environment and no terminal.
    pub fn relman(&self, args: &[&str]) -> Output {
        self.relman_in(self.repo.path(), args)
    }

    pub fn relman_in(&self, dir: &Path, args: &[&str]) -> Output {
        run_with_deadline(self.relman_command(dir, args), RELMAN_DEADLINE)
    }

    /// `relman ARGS` in `dir`, ready to spawn (a test that acts while relman waits, or kills it).
    pub fn relman_command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut command = self.repo.command(relman_path());
        command.current_dir(dir).args(args).envs(self.env());
        command
    }

    /// The journal of the release in the work tree, as JSON (`None` before the first run).
    pub fn journal(&self) -> Option<serde_json::Value> {
        read_journal(self.repo.path())
    }
}

#[test]
fn a_plan_in_the_world_reaches_no_service() {
    let world = World::new("acme/demo");
    world.repo.write("VERSION", "1.0.0\n");
    world.repo.write(
        "relman.toml",
        "[forge]\nrepo = \"acme/demo\"\napi = \"https://api.github.com\"\n\n[[workflow.ship.step]]\nrelease = \"draft\"\n\n[[workflow.ship.step]]\nslack = \"#releases\"\nmessage = \"{version} is out\"\n",
    );
    let text = fs_err::read_to_string(world.repo.path().join("relman.toml")).unwrap();
    let mut rewritten = text.clone();
    for (public, local) in world.rewrites() {
        rewritten = rewritten.replace(&public, &local);
    }
    world.repo.write("relman.toml", &rewritten);
    world.repo.commit("chore: start");
    let output = world.relman(&["plan", "ship"]);
    crate::plain::assert_exit(&output, 0);
    let plan = crate::plain::stdout(&output);
    assert!(
        plan.contains(&format!(
            "POST {}/repos/acme/demo/releases",
            world.github.api_url()
        )),
        "{plan}"
    );
    assert!(!plan.contains(FakeGitHub::TOKEN), "{plan}");
    // A plan looks up nothing that it would create, and sends nothing.
    assert!(world.github.releases("acme/demo").is_empty());
    assert!(world.recorder.requests().is_empty());
}
