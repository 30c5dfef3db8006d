//! A journal written by an earlier relman still resumes. `journal-before-kinds.json` was written
//! by the relman of before step kinds became one module each (commit 16f3cc9), paused on the
//! first step of a workflow naming every step kind with most of its options: the local kinds
//! run on resume, the others are skipped (`if = "false"`) but frozen in the plan all the same.
//! It is data from the field: never rewrite it; when the journal's format changes on purpose,
//! add a fixture beside it.

use crate::support::*;

/// The journal, as that relman wrote it.
const JOURNAL: &str = include_str!("../../../relman-engine/tests/data/journal/before-kinds.json");

/// The config the journal was frozen from (kept so the fixture can be written again by hand
/// with that relman: `relman release` on [`Fixture::new`] with this config, exit 3).
pub const CONFIG: &str = r##"
[project]
version-files = ["package.json"]

[changelog]
file = "CHANGELOG.md"

[workflow.release]
help = "Every step kind"
args = [{ name = "level", default = "minor" }]

[[workflow.release.step]]
manual = "Look at the plan"
checklist = ["it is right", "for {version}"]

[[workflow.release.step]]
check = "branch"
branch = "main"

[[workflow.release.step]]
check = "clean"
allow-untracked = true

[[workflow.release.step]]
check = "up-to-date"

[[workflow.release.step]]
check = "tag-available"
tag = "{tag}"

[[workflow.release.step]]
name = "Release branch {major}.{minor}"
id = "branch"
branch = "release/{major}.{minor}"
from = "main"

[[workflow.release.step]]
id = "bump"
bump = "{args.level}"
timeout = "10m"
retries = 1

[[workflow.release.step]]
check = "version-bumped"

[[workflow.release.step]]
changelog = "update"

[[workflow.release.step]]
check = "changelog-entry"

[[workflow.release.step]]
id = "build"
run = ["sh", "-c", "mkdir -p dist && printf 'greeter %s\\n' \"$0\" > \"dist/greeter-$0.tar\"", "{version}"]
env = { GREETING = "hello {version}" }
idempotent = true
undo = "rm -rf dist"

[[workflow.release.step]]
checksums = "dist/*"

[[workflow.release.step]]
id = "commit"
commit = "Release {version}"
add = ["dist/SHA256SUMS"]

[[workflow.release.step]]
tag = "{tag}"
message = "Release {version}"

[[workflow.release.step]]
switch = "main"

[[workflow.release.step]]
merge = "main"
message = "Merge {tag}"
if = "false"

[[workflow.release.step]]
cherry-pick = ["{steps.commit.sha}"]
if = "false"

[[workflow.release.step]]
merge = "release/{major}.{minor}"
if = "false"

[[workflow.release.step]]
push = ["branch", "tag"]
remote = "origin"

[[workflow.release.step]]
run = "echo in another checkout"
dir = "../other"
clone = "https://example.org/other.git"
shell = true
if = "false"

[[workflow.release.step]]
release = "publish"
name = "Greeter {version}"
notes = "{changelog}"
keep-notes = true
assets = ["dist/*"]
prerelease = false
repo = "owner/greeter"
if = "false"

[[workflow.release.step]]
id = "pr"
pull-request = "open"
head = "release/{version}"
base = "main"
title = "Release {version}"
body = "Body"
reviewers = ["alice"]
assignees = ["bob"]
labels = ["release"]
draft = true
if = "false"

[[workflow.release.step]]
merge-pull-request = "{steps.pr.number}"
method = "squash"
if = "false"

[[workflow.release.step]]
dispatch = "release.yml"
ref = "{tag}"
inputs = { version = "{version}" }
artifacts = "dist"
interval = "10s"
if = "false"

[[workflow.release.step]]
circleci = "pipeline"
tag = "{tag}"
parameters = { deploy = true, version = "{version}", count = 2 }
project = "gh/owner/greeter"
token-env = "CIRCLE"
if = "false"

[[workflow.release.step]]
wait = "checks"
ref = "{tag}"
rerun-failed = 2
interval = "500ms"
if = "false"

[[workflow.release.step]]
wait = "pr-merged"
pr = 7
if = "false"

[[workflow.release.step]]
wait = "url"
url = "https://example.org/{version}"
status = 200
contains = "{version}"
if = "false"

[[workflow.release.step]]
verify = "pypi"
package = "greeter"
index = "https://test.pypi.org/simple"
files = ["*.whl"]
if = "false"

[[workflow.release.step]]
verify = "oci"
image = "ghcr.io/owner/greeter"
tags = ["{version}", "latest"]
platforms = ["linux/amd64"]
same-as = "{version}"
username-env = "U"
password-env = "P"
if = "false"

[[workflow.release.step]]
verify = "helm"
repo = "https://charts.example.org"
chart = "greeter"
if = "false"

[[workflow.release.step]]
verify = "url"
url = "https://example.org/"
if = "false"

[[workflow.release.step]]
id = "bug"
http = "POST https://bugs.example.org/rest/bug"
headers = { Accept = "application/json" }
json = { summary = "Release {version}", list = ["{tag}", 1] }
expect = 201
save = { id = "/id" }
find = "GET https://bugs.example.org/rest/bug?summary={version}"
found = { id = "/bugs/0/id" }
idempotent = true
if = "false"

[[workflow.release.step]]
slack = "#releases"
message = "Released {version}"
if = "false"

[[workflow.release.step]]
webhook = "https://hooks.example.org/x"
payload = { text = "{version}" }
if = "false"

[[workflow.release.step]]
email = ["team@example.org"]
cc = "boss@example.org"
subject = "greeter {version}"
body = "{changelog}"
from = "release@example.org"
if = "false"
"##;

#[test]
fn a_journal_written_before_the_kinds_refactor_resumes_to_the_end() {
    let fixture = Fixture::new(CONFIG);
    let state = fixture.path().join(".git/relman");
    fs_err::create_dir_all(&state).unwrap();
    fs_err::write(state.join("journal.json"), JOURNAL).unwrap();

    let status = fixture.status();
    assert_eq!(status["state"], "paused", "{status}");

    fixture.relman(&["resume", "--confirm"]).expect(0);

    let journal = fixture.history().pop().expect("the release is archived");
    assert_eq!(journal["state"], "done");
    let states = step_states(&journal);
    assert_eq!(states.iter().filter(|state| *state == "done").count(), 16);
    assert_eq!(
        states.iter().filter(|state| *state == "skipped").count(),
        20
    );
    let remote = fixture.remote_refs();
    let tag = fixture.git(&["rev-parse", "v1.3.0^{commit}"]);
    assert_eq!(
        remote["refs/heads/main"],
        fixture.git(&["rev-parse", "main"])
    );
    assert_eq!(remote["refs/tags/v1.3.0^{}"], tag);
    assert_eq!(fixture.subjects("v1.3.0")[0], "Release 1.3.0");
    assert_eq!(
        fixture.git(&["show", "v1.3.0:package.json"]),
        package_json("1.3.0").trim_end()
    );
    assert!(
        fixture
            .git(&["show", "v1.3.0:CHANGELOG.md"])
            .contains("## 1.3.0")
    );
    assert!(
        fixture
            .git(&["show", "v1.3.0:dist/SHA256SUMS"])
            .contains("greeter-1.3.0.tar")
    );
}
