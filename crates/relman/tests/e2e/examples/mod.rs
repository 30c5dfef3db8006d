//! The shipped examples (`examples/NAME/`), each run end to end as its runbook would be: the
//! checked-in `relman.toml` installed in a fixture project that resembles the real one, against
//! the bare remote, the fakes and the real services of the [`World`]. Each module also checks
//! that the example's `RUNBOOK.md` is what `relman docs` renders from its config
//! (`RELMAN_BLESS=1` rewrites it).

mod python_circleci_wheels;

use std::process::Output;
use std::time::{Duration, Instant};

use relman_testkit::TestRepo;

use crate::support::{assert_exit, relman, stdout};
use crate::world::{World, example_dir};

/// Each step's state in the journal, in order (`done`, `paused` …).
pub fn step_states(journal: &serde_json::Value) -> Vec<String> {
    journal["steps"]
        .as_array()
        .expect("the journal lists its steps")
        .iter()
        .map(|step| step["state"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Asserts that relman exited 0 with every step of the release done.
#[track_caller]
pub fn assert_all_done(world: &World, output: &Output) {
    assert_exit(output, 0);
    let journal = world
        .journal()
        .expect("a finished release keeps its journal");
    assert_eq!(journal["state"], "done", "{journal:#}");
    let states = step_states(&journal);
    assert!(states.iter().all(|state| state == "done"), "{states:?}");
}

/// Waits until `ready` gives a value, polling; panics with `what` after `timeout`.
pub fn wait_until<T>(what: &str, timeout: Duration, mut ready: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(Instant::now() < deadline, "{what}: not within {timeout:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `examples/NAME/RUNBOOK.md` is what `relman docs` renders from the checked-in config, run in
/// a repository holding it; `RELMAN_BLESS=1` writes it instead.
pub fn assert_runbook_current(name: &str) {
    let repo = TestRepo::new();
    let config = fs_err::read_to_string(example_dir(name).join("relman.toml"))
        .expect("read the example's relman.toml");
    repo.write("relman.toml", config);
    repo.commit("chore: configure relman");
    let output = relman(&repo, &["docs"]);
    assert_exit(&output, 0);
    let rendered = stdout(&output);
    let path = example_dir(name).join("RUNBOOK.md");
    if std::env::var_os("RELMAN_BLESS").is_some_and(|value| value == "1") {
        fs_err::write(&path, &rendered).expect("write RUNBOOK.md");
        return;
    }
    let checked_in = fs_err::read_to_string(&path).unwrap_or_default();
    assert!(
        rendered == checked_in,
        "examples/{name}/RUNBOOK.md is not what `relman docs` renders from its relman.toml; \
         refresh it with `RELMAN_BLESS=1 cargo test -p relman --test e2e examples::`\n\
         rendered:\n{rendered}"
    );
}

/// The text of a mail's body with CRLF line ends made `\n` (bodies relman sends are 7bit).
pub fn mail_text(body: &str) -> String {
    body.replace("\r\n", "\n")
}
