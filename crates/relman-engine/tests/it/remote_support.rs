//! Set-up shared by the tests of remote steps: a hermetic repository (version 1.2.3 in `VERSION`,
//! a tag `v1.1.0` and conventional commits after it) whose relman.toml points at the fakes, and
//! helpers to plan, run, "crash" and resume releases through the engine's own API.

use std::path::{Path, PathBuf};

use relman_engine::config::Config;
use relman_engine::environment::Environment;
use relman_engine::executor::{Finish, RunError, Runner};
use relman_engine::journal::{Journal, ReleaseState, StateDir, StepState};
use relman_engine::plan::{Effect, Plan, PlanRequest};
use relman_engine::project::Project;
use relman_engine::report::{Collect, Event, NoPrompter};
use relman_git::Repository;
use relman_testkit::TestRepo;
use relman_testkit::github::FakeGitHub;

/// 2024-05-01T12:00:00Z: the start of every command (the fake CircleCI dates its pipelines then).
pub const NOW: i64 = 1_714_564_800;

/// `[project]` and `[forge]` for a repository `octo/app` on the fake GitHub.
pub fn header(github: &FakeGitHub) -> String {
    format!(
        r#"[project]
name = "app"
tag = "v{{version}}"
scheme = "semver"
version-files = ["VERSION"]

[forge]
repo = "octo/app"
api = "{}"
"#,
        github.api_url()
    )
}

/// A fake GitHub with the repository `octo/app`.
pub fn fake_github() -> FakeGitHub {
    let github = FakeGitHub::start();
    github.add_repo("octo/app");
    github
}

/// A repository at version 1.2.3 with a relman.toml, pushed to its bare remote.
pub struct Fixture {
    pub repo: TestRepo,
    vars: Vec<(String, String)>,
}

impl Fixture {
    /// `config` is the whole relman.toml.
    pub fn new(config: &str) -> Fixture {
        let repo = TestRepo::new();
        repo.write("VERSION", "1.1.0\n");
        repo.write("CHANGELOG.md", "# Changelog\n");
        repo.commit("chore: start");
        repo.tag("v1.1.0");
        repo.write("VERSION", "1.2.3\n");
        repo.write("src/feature.txt", "a feature\n");
        repo.commit("feat: parse week dates");
        repo.write("src/fix.txt", "a fix\n");
        repo.commit("fix: reject empty input");
        repo.write("relman.toml", config);
        repo.write(".gitignore", "dist/\nwheelhouse/\n");
        repo.commit("chore: configure relman");
        repo.push(&["main", "--tags"]);
        Fixture {
            repo,
            vars: Vec::new(),
        }
    }

    /// Sets an environment variable of the commands that follow.
    pub fn set_var(&mut self, name: &str, value: &str) {
        self.vars.retain(|(known, _)| known != name);
        self.vars.push((name.to_owned(), value.to_owned()));
    }

    pub fn remove_var(&mut self, name: &str) {
        self.vars.retain(|(known, _)| known != name);
    }

    pub fn env(&self) -> Environment {
        Environment::new(self.vars.clone(), NOW)
    }

    pub fn project(&self) -> (Config, Project) {
        let git = Repository::discover(self.repo.path())
            .unwrap()
            .with_envs(self.repo.env_vars());
        let config = Config::load(&self.repo.path().join("relman.toml")).unwrap();
        let project = Project::resolve(git, &config).unwrap();
        (config, project)
    }

    pub fn plan(&self, workflow: &str) -> Plan {
        self.try_plan(workflow)
            .unwrap_or_else(|error| panic!("the plan failed: {error} ({:?})", error.hint()))
    }

    pub fn try_plan(&self, workflow: &str) -> Result<Plan, relman_engine::plan::PlanError> {
        let (config, project) = self.project();
        relman_engine::plan::plan(
            &project,
            &config,
            &self.env(),
            &PlanRequest {
                workflow: workflow.to_owned(),
                args: Vec::new(),
                pre_label: None,
            },
        )
    }

    /// Plans and runs `workflow`.
    pub fn run(&self, workflow: &str) -> Ran {
        let plan = self.plan(workflow);
        self.start(&plan)
    }

    /// Runs a plan made before.
    pub fn start(&self, plan: &Plan) -> Ran {
        let (_, project) = self.project();
        let env = self.env();
        let mut events = Collect::default();
        let finish = Runner {
            project: &project,
            env: &env,
            reporter: &mut events,
            prompter: &mut NoPrompter,
        }
        .start(plan);
        Ran {
            finish,
            events: events.0,
        }
    }

    /// `relman resume` (`--confirm` with `confirm`).
    pub fn resume(&self, confirm: bool) -> Ran {
        let (_, project) = self.project();
        let env = self.env();
        let mut events = Collect::default();
        let finish = Runner {
            project: &project,
            env: &env,
            reporter: &mut events,
            prompter: &mut NoPrompter,
        }
        .resume(confirm);
        Ran {
            finish,
            events: events.0,
        }
    }

    /// `relman abort`.
    pub fn abort(&self) -> relman_engine::executor::AbortReport {
        self.try_abort().unwrap()
    }

    /// `relman abort`, which may refuse.
    pub fn try_abort(&self) -> Result<relman_engine::executor::AbortReport, RunError> {
        let (_, project) = self.project();
        let env = self.env();
        Runner {
            project: &project,
            env: &env,
            reporter: &mut Collect::default(),
            prompter: &mut NoPrompter,
        }
        .abort()
    }

    fn state(&self) -> StateDir {
        StateDir::new(&self.repo.path().join(".git"))
    }

    /// The release in progress, else the last one.
    pub fn journal(&self) -> Journal {
        let state = self.state();
        state
            .load()
            .unwrap()
            .or_else(|| state.last_finished().unwrap())
            .expect("a release was run")
    }

    /// Puts the last release back as a crash while step `number` was running would have left it:
    /// that step `running` with only the `keep` keys of its context (what it recorded before its
    /// request; `None` keeps all), no outputs; the steps after it pending; the release running.
    pub fn crash_at(&self, number: usize, keep: Option<&[&str]>) {
        let state = self.state();
        let mut journal = self.journal();
        let index = journal
            .steps
            .iter()
            .position(|record| record.number == number)
            .expect("the step exists");
        for (position, record) in journal.steps.iter_mut().enumerate() {
            if position < index {
                continue;
            }
            if position == index {
                record.state = StepState::Running;
                if let Some(keep) = keep {
                    record.context.retain(|key, _| keep.contains(&key.as_str()));
                }
            } else {
                record.state = StepState::Pending;
                record.context.clear();
                record.attempts = 0;
            }
            record.outputs.clear();
            record.remote.clear();
            record.message = None;
            record.finished_at = None;
        }
        journal.state = ReleaseState::Running;
        state.save(&journal).unwrap();
    }

    /// Every file relman keeps under `.git/relman/`, as text.
    pub fn journal_files(&self) -> Vec<(PathBuf, String)> {
        let mut files = Vec::new();
        collect_files(&self.repo.path().join(".git/relman"), &mut files);
        files
    }
}

fn collect_files(dir: &Path, files: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = fs_err::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else if let Ok(text) = fs_err::read_to_string(&path) {
            files.push((path, text));
        }
    }
}

/// What a run or resume ended with, and every event it reported.
#[derive(Debug)]
pub struct Ran {
    pub finish: Result<Finish, RunError>,
    pub events: Vec<Event>,
}

impl Ran {
    pub fn assert_done(&self) {
        match &self.finish {
            Ok(Finish::Done { .. }) => {}
            other => panic!(
                "expected the release to finish, got {other:?}\nevents: {:#?}",
                self.events
            ),
        }
    }

    /// The pause's reason, or a panic.
    pub fn paused(&self) -> String {
        match &self.finish {
            Ok(Finish::Paused { reason, .. }) => reason.clone(),
            other => panic!(
                "expected the release to pause, got {other:?}\nevents: {:#?}",
                self.events
            ),
        }
    }

    /// The failure's message and hint, or a panic.
    pub fn failed(&self) -> (usize, String, Option<String>) {
        match &self.finish {
            Ok(Finish::Failed { step, error, .. }) => {
                (*step, error.message.clone(), error.hint.clone())
            }
            other => panic!(
                "expected a step to fail, got {other:?}\nevents: {:#?}",
                self.events
            ),
        }
    }
}

/// The HTTP requests a planned step shows: `METHOD URL`, then its body.
pub fn http_effects(plan: &Plan, number: usize) -> Vec<(String, String, Option<String>)> {
    plan.steps
        .iter()
        .find(|step| step.number == number)
        .expect("the step is planned")
        .effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Http { method, url, body } => Some((method.clone(), url.clone(), body.clone())),
            _ => None,
        })
        .collect()
}

/// Every effect of a planned step, as JSON text (for `contains` assertions).
pub fn effects_text(plan: &Plan, number: usize) -> String {
    let step = plan
        .steps
        .iter()
        .find(|step| step.number == number)
        .expect("the step is planned");
    serde_json::to_string_pretty(&step.effects).unwrap()
}

/// A step's outputs in the last release.
pub fn outputs(fixture: &Fixture, number: usize) -> std::collections::BTreeMap<String, String> {
    fixture
        .journal()
        .steps
        .into_iter()
        .find(|record| record.number == number)
        .expect("the step is recorded")
        .outputs
}
