//! Shell commands found in a runbook (code blocks, inline code) and the typed steps they become:
//! git's checkout, pull, commit, tag and push; version bumps by poetry, npm or bumpversion;
//! changelog tools; a CircleCI pipeline triggered with curl; `docker push`; and, for anything
//! else that looks like a command, a `run` step. GitHub's CLI (`gh`) and `curl` are read in their
//! own modules.

mod curl;
mod gh;
mod sed;

pub(crate) use sed::holds_once;

use std::sync::LazyLock;

use regex::Regex;

use super::actions::{Action, Checkout, Hint, Scope, step, strings};
use super::text::{literal, names_version, templated, versioned};

/// Programs whose presence makes a code span a command rather than a name.
const PROGRAMS: &[&str] = &[
    "git",
    "make",
    "poetry",
    "towncrier",
    "clog",
    "git-cliff",
    "npm",
    "npx",
    "yarn",
    "pnpm",
    "cargo",
    "python",
    "python3",
    "pip",
    "twine",
    "docker",
    "helm",
    "curl",
    "wget",
    "bash",
    "sh",
    "tox",
    "nox",
    "go",
    "gh",
    "hatch",
    "flit",
    "pdm",
    "uv",
    "bumpversion",
    "bump2version",
    "bump-my-version",
    "standard-version",
    "conventional-changelog",
    "export",
    "mvn",
    "gradle",
    "./gradlew",
    "just",
    "rake",
    "bundle",
    "gem",
    "skopeo",
    "sed",
];

/// Whether `text` (a code span) reads as a command line.
pub(crate) fn looks_like_command(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default();
    let first = first.strip_prefix("$ ").unwrap_or(first);
    // A path is a command only when it says so (`./scripts/x.sh`); `pkg/__init__.py` is a file.
    PROGRAMS.contains(&first) || first.starts_with("./") || first.ends_with(".sh")
}

/// Splits a command line like a shell would, forgiving a quote the runbook never closed.
pub(crate) fn split(line: &str) -> Vec<String> {
    if let Ok(words) = shell_words::split(line) {
        return words;
    }
    for closing in ["\"", "'"] {
        if let Ok(words) = shell_words::split(&format!("{line}{closing}")) {
            return words;
        }
    }
    line.split_whitespace().map(str::to_owned).collect()
}

/// Whether the line needs a shell (pipes, redirections, variables, several commands).
fn needs_shell(line: &str) -> bool {
    static SHELL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[|><;]|&&|\$\(|\$\{?[A-Za-z_]").expect("the shell expression is valid")
    });
    SHELL.is_match(line)
}

/// The steps one command line becomes.
pub(crate) fn command(line: &str, scope: &Scope<'_>) -> Vec<Action> {
    let line = line.trim().trim_start_matches("$ ").trim();
    if line.is_empty() || line.starts_with('#') {
        return Vec::new();
    }
    let line = &known_values(line);
    // `git push && git push --tags`: each command for itself, unless none is more than a `run`
    // (then the line stays one shell command, as written).
    let parts = and_list(line);
    if parts.len() > 1 {
        let actions: Vec<Action> = parts
            .iter()
            .flat_map(|part| {
                // Each command is read for itself: `git push`'s words are not `--tags`'.
                let lower = part.to_lowercase();
                single(
                    part,
                    &Scope {
                        item: &lower,
                        ..scope.clone()
                    },
                )
            })
            .collect();
        let typed = actions.iter().any(|action| match action {
            Action::Step(step) => step.kind() != "run",
            _ => true,
        });
        return if typed { actions } else { vec![run(line)] };
    }
    single(line, scope)
}

/// `$(< VERSION)`, `$(cat VERSION)`: what the project's version file holds, relman's `{version}`.
fn known_values(line: &str) -> String {
    static READ_VERSION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\$\((?:<\s*|cat\s+)(?:\./)?VERSION(?:\.txt)?\s*\)")
            .expect("the version file expression is valid")
    });
    READ_VERSION.replace_all(line, "{version}").into_owned()
}

/// The commands of an `&&` list (or a `;` sequence), cut where the shell would (outside quotes
/// and `$( )`).
fn and_list(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut quote, mut depth, mut start) = (None, 0usize, 0);
    let bytes = line.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        match (quote, byte) {
            (Some(open), _) if byte == open => quote = None,
            (Some(b'"'), b'\\') => index += 1,
            (Some(_), _) => {}
            (None, b'\'' | b'"' | b'`') => quote = Some(byte),
            (None, b'\\') => index += 1,
            (None, b'(') => depth += 1,
            (None, b')') => depth = depth.saturating_sub(1),
            (None, b'&') if depth == 0 && bytes.get(index + 1) == Some(&b'&') => {
                parts.push(line[start..index].trim());
                index += 1;
                start = index + 1;
            }
            // `git tag v1.2.3; git push origin v1.2.3`: one command after the other.
            (None, b';') if depth == 0 => {
                parts.push(line[start..index].trim());
                start = index + 1;
            }
            (None, _) => {}
        }
        index += 1;
    }
    parts.push(line[start..].trim());
    parts.retain(|part| !part.is_empty());
    parts
}

/// The steps of one command (no `&&` in it).
fn single(line: &str, scope: &Scope<'_>) -> Vec<Action> {
    // `GITHUB_TOKEN=<token> scripts/notes.sh`: the secret is the environment's, which every step
    // inherits; the placeholder would be passed as written.
    static SECRET_PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^(?:[A-Z][A-Z0-9_]*=(?:<[^>\s]*>|"<[^>"]*>"|'<[^>']*>')\s+)+"#)
            .expect("the assignment expression is valid")
    });
    if let Some(found) = SECRET_PLACEHOLDER.find(line)
        && found.end() < line.len()
    {
        let names: Vec<&str> = found
            .as_str()
            .split_whitespace()
            .filter_map(|assignment| assignment.split_once('=').map(|(name, _)| name))
            .collect();
        let mut actions = single(&line[found.end()..], scope);
        actions.push(Action::Covered(format!(
            "the command reads {} from the environment relman runs in: set it there, not in the command",
            names
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
        return actions;
    }
    let words = split(line);
    let Some(program) = words.first().map(String::as_str) else {
        return Vec::new();
    };
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    // `tag="v$(< VERSION)"` names what relman already knows; a `run` step's variable would
    // not outlive its shell anyway.
    if let [assignment] = words.as_slice()
        && let Some((name, _)) = assignment.split_once('=')
    {
        let known = match name.to_ascii_lowercase().as_str() {
            "tag" | "new_tag" | "release_tag" => Some("{tag}"),
            "version" | "new_version" | "release_version" => Some("{version}"),
            _ => None,
        };
        if let Some(known) = known {
            return vec![Action::Covered(format!(
                "relman's `{known}` is what `${name}` holds in the lines below"
            ))];
        }
    }
    match program {
        "git" => git(&args, line, scope),
        "export" => {
            let name = args
                .first()
                .and_then(|assignment| assignment.split_once('='))
                .map_or("the variable", |(name, _)| name);
            vec![Action::Covered(format!(
                "relman reads `{name}` from the environment: set it there (its value is masked in every output)"
            ))]
        }
        "towncrier" => changelog_tool("towncrier", true),
        "clog" | "git-cliff" | "conventional-changelog" | "standard-version" => {
            changelog_tool(program, false)
        }
        "poetry" if args.first() == Some(&"version") => bump_level(args.get(1).copied()),
        "npm" | "yarn" | "pnpm" if args.first() == Some(&"version") => {
            bump_level(args.get(1).copied())
        }
        "bumpversion" | "bump2version" | "bump-my-version" => {
            let level = args
                .iter()
                .find(|arg| !arg.starts_with('-') && **arg != "bump")
                .copied();
            bump_level(level)
        }
        "curl" => curl::curl(&words, line, scope),
        "sed" => sed::sed(&args, line, scope),
        // A listing shows a person what is there; it changes nothing.
        "ls" | "cat" | "echo" if !needs_shell(line) => vec![Action::Covered(SHOWS.to_owned())],
        "go" if args.starts_with(&["mod", "edit"]) && requires_own_module(&args, scope) => {
            vec![Action::Covered(
                "relman's `bump` rewrites a sibling module's `require` line to the version it releases that module at (each `go.mod` below the root is a package with tags of its own): `relman plan` names those versions"
                    .to_owned(),
            )]
        }
        "docker" if args.first() == Some(&"push") => {
            let mut actions = vec![run(line)];
            if let Some(reference) = args.iter().skip(1).find(|arg| !arg.starts_with('-')) {
                actions.push(Action::Step(oci(reference)));
            }
            actions
        }
        "gh" => gh::gh(&args, line, scope),
        "npm" | "yarn" | "pnpm" if args.first() == Some(&"publish") && !dry_run(&args) => {
            let mut publish = step("publish", "npm");
            if let Some(tag) = option_value(&args, &["--tag"]) {
                publish.set("tag", literal(&tag));
            }
            if let Some(access) = option_value(&args, &["--access"]) {
                publish.set("access", literal(&access));
            }
            vec![Action::Step(publish)]
        }
        "cargo" if args.first() == Some(&"publish") && !dry_run(&args) => {
            let mut publish = step("publish", "cargo");
            if let Some(registry) = option_value(&args, &["--registry"]) {
                publish.set("registry", literal(&registry));
            }
            if let Some(package) = option_value(&args, &["-p", "--package"]) {
                publish.set(
                    "packages",
                    toml::Value::Array(vec![literal(&package).into()]),
                );
            }
            vec![Action::Step(publish)]
        }
        "twine" if args.first() == Some(&"upload") => {
            let files: Vec<toml::Value> = args[1..]
                .iter()
                .filter(|arg| !arg.starts_with('-'))
                .map(|file| templated(file).into())
                .collect();
            let files = if files.is_empty() {
                vec!["dist/*".into()]
            } else {
                files
            };
            vec![Action::Step(
                step("publish", "pypi").with("files", toml::Value::Array(files)),
            )]
        }
        "poetry" | "hatch" | "flit" | "uv" | "pdm"
            if args.first() == Some(&"publish") && !dry_run(&args) =>
        {
            vec![Action::Step(
                step("publish", "pypi").with("files", toml::Value::Array(vec!["dist/*".into()])),
            )]
        }
        _ => vec![run(line)],
    }
}

/// Why a command that only shows something is no step.
const SHOWS: &str = "this only shows something to a person: no release step (`relman plan` shows what the release does)";

/// `go mod edit -require MOD@vX` where every module required is one of this repository's
/// (`github.com/OWNER/NAME/…`), and nothing else is edited.
fn requires_own_module(args: &[&str], scope: &Scope<'_>) -> bool {
    let Some(repo) = &scope.facts.repo else {
        return false;
    };
    let own = format!("github.com/{repo}/");
    let mut required = 0;
    let mut iter = args[2..].iter();
    while let Some(arg) = iter.next() {
        let module = match *arg {
            "-require" => iter.next().copied(),
            other if other.starts_with("-require=") => other.strip_prefix("-require="),
            other if other.starts_with('-') => return false,
            // The go.mod to edit.
            other if other.ends_with("go.mod") => continue,
            _ => return false,
        };
        match module {
            Some(module) if module.starts_with(&own) && module.contains('@') => required += 1,
            _ => return false,
        }
    }
    required > 0
}

/// Whether a publishing command only tries (`--dry-run`).
fn dry_run(args: &[&str]) -> bool {
    args.iter().any(|arg| *arg == "--dry-run" || *arg == "-n")
}

pub(super) fn run(line: &str) -> Action {
    if needs_shell(line) {
        return Action::Step(step("run", templated(line)).with("shell", true));
    }
    // A line relman's own splitting would reject (an unclosed quote) is written as its words.
    if shell_words::split(line).is_err() {
        let words: Vec<toml::Value> = split(line)
            .iter()
            .map(|word| templated(word).into())
            .collect();
        return Action::Step(step("run", toml::Value::Array(words)));
    }
    Action::Step(step("run", templated(line)))
}

fn changelog_tool(tool: &str, fragments: bool) -> Vec<Action> {
    vec![
        Action::Step(step("changelog", "update")),
        Action::Hint(Hint::Changelog {
            tool: format!("`{tool}`"),
            fragments,
            folder: None,
        }),
    ]
}

/// `poetry version prerelease`, `npm version minor`: the level as relman names it.
fn bump_level(level: Option<&str>) -> Vec<Action> {
    const LEVELS: &[&str] = &[
        "major",
        "minor",
        "patch",
        "premajor",
        "preminor",
        "prepatch",
        "prerelease",
    ];
    let level = match level {
        Some(level) if LEVELS.contains(&level) => level.to_owned(),
        _ => "{args.bump}".to_owned(),
    };
    vec![Action::Step(step("bump", level))]
}

fn oci(reference: &str) -> super::super::workflow::DraftStep {
    let (image, tag) = match reference.rsplit_once(':') {
        Some((image, tag)) if !tag.contains('/') => (image, Some(tag)),
        _ => (reference, None),
    };
    let mut verify = step("verify", "oci").with("image", versioned(image));
    if let Some(tag) = tag {
        verify.set("tags", toml::Value::Array(vec![versioned(tag).into()]));
    }
    verify
}

fn git(args: &[&str], line: &str, scope: &Scope<'_>) -> Vec<Action> {
    let Some(subcommand) = args.first().copied() else {
        return Vec::new();
    };
    // The alias many set up for checkout.
    let subcommand = if subcommand == "co" {
        "checkout"
    } else {
        subcommand
    };
    let rest = &args[1..];
    let positional: Vec<&str> = rest
        .iter()
        .copied()
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    // A name the shell fills in (`${BASE_TAG}-stable`) or a person works out
    // (`MAJOR.{MINOR+1}.0.dev0`) is no name relman knows: the shell keeps it.
    if matches!(
        subcommand,
        "checkout" | "switch" | "branch" | "push" | "tag" | "merge"
    ) && positional.iter().any(|arg| unresolved(&versioned(arg)))
    {
        return vec![run(line)];
    }
    match subcommand {
        // `git checkout v1.2 docs/changes.md` restores a file: no branch changes.
        "checkout" if !creates_branch(rest) && (positional.len() > 1 || rest.contains(&"--")) => {
            vec![run(line)]
        }
        "checkout" | "switch" if creates_branch(rest) => new_branch(rest, line, scope),
        "checkout" | "switch" => {
            match positional.first() {
                Some(name) => vec![Action::Step(switch_or_check(name, scope))],
                None => Vec::new(),
            }
        }
        "branch" if positional.len() == 1 && rest.len() == 1 => vec![Action::Step(
            step("branch", versioned(positional[0])).with("switch", false),
        )],
        // `git branch 2.1.x upstream/main`: a branch from a start point, not switched to.
        "branch" if positional.len() == 2 && rest.len() == 2 => vec![Action::Step(
            step("branch", versioned(positional[0]))
                .with("from", start_point(positional[1], scope))
                .with("switch", false),
        )],
        // At the start a pull is making sure the clone is current; later (a release pull request
        // was merged) it brings the merged commit here.
        "pull" if !scope.changed && !scope.forge_moved => {
            vec![Action::Step(step("check", "up-to-date"))]
        }
        "pull" => vec![Action::Step(step(
            "pull",
            literal(positional.get(1).copied().unwrap_or(&scope.facts.branch)),
        ))],
        "fetch" => vec![Action::Covered(
            "the `up-to-date` check fetches before it compares".to_owned(),
        )],
        "diff" if rest.iter().any(|arg| arg.contains('/')) || rest.is_empty() => {
            vec![Action::Step(step("check", "clean"))]
        }
        // What shows history or a tag to a person changes nothing: no release step.
        "show" | "describe" | "log" | "shortlog" | "rev-parse" | "ls-remote" => {
            vec![Action::Covered(SHOWS.to_owned())]
        }
        "status" => vec![Action::Covered(
            "a `commit` step stages exactly what the steps before it changed, and `relman plan` lists those files"
                .to_owned(),
        )],
        "add" => vec![Action::Covered(
            "a `commit` step stages what the steps before it changed (add others with `add = [\"glob\"]`)"
                .to_owned(),
        )],
        // Amending rewrites the last commit: no `commit` step does that.
        "commit" if rest.contains(&"--amend") => vec![run(line)],
        "commit" => {
            // `-am "…"`: short flags together, the message after the last.
            let message = option_value(rest, &["-m", "--message"]).or_else(|| {
                let at = rest
                    .iter()
                    .position(|arg| short_cluster(arg).is_some_and(|flags| flags.ends_with('m')))?;
                rest.get(at + 1).map(|value| (*value).to_owned())
            });
            let mut commit = step(
                "commit",
                message.map_or_else(|| "Release {version}".to_owned(), |text| versioned(&text)),
            );
            if rest.iter().any(|arg| {
                *arg == "-S"
                    || arg.starts_with("--gpg-sign")
                    || short_cluster(arg).is_some_and(|flags| flags.contains('S'))
            }) {
                commit.set("sign", true);
            }
            vec![Action::Step(commit)]
        }
        "tag" => tag(rest, scope),
        "push" if rest.iter().any(|arg| *arg == "--delete" || *arg == "-d") && positional.len() >= 2 => {
            vec![Action::Step(step("delete-branch", versioned(positional[1])))]
        }
        "branch" if rest.iter().any(|arg| matches!(*arg, "-d" | "-D" | "--delete")) && !positional.is_empty() => {
            vec![Action::Step(step("delete-branch", versioned(positional[0])))]
        }
        "push" => vec![Action::Step(push(rest, scope))],
        "cherry-pick" => vec![Action::Step(cherry_pick())],
        "merge" => merge(rest, line, scope),
        _ => vec![run(line)],
    }
}

/// `git merge [--ff-only] [-m MSG] BRANCH` on the current branch: relman merges the current
/// branch into another, so BRANCH is switched to and merged into the one that was current (which
/// stays checked out, as with git). Anything else (a signed merge, a remote's branch, a current
/// branch the steps do not name) stays a `run` step.
fn merge(args: &[&str], line: &str, scope: &Scope<'_>) -> Vec<Action> {
    let mut ff_only = false;
    let mut message = None;
    let mut branches = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match *arg {
            "--ff-only" => ff_only = true,
            "--no-ff" | "--no-edit" | "-q" | "--quiet" => {}
            "-m" | "--message" => message = iter.next().map(|text| versioned(text)),
            other if other.starts_with('-') => return vec![run(line)],
            other => branches.push(other),
        }
    }
    let (Some(current), [branch]) = (&scope.current_branch, branches.as_slice()) else {
        return vec![run(line)];
    };
    let branch = versioned(branch);
    if branch.contains(['/', '$']) || branch == *current {
        return vec![run(line)];
    }
    let mut merge = step("merge", current.clone());
    if ff_only {
        merge.set("ff-only", true);
    } else if let Some(message) = message {
        merge.set("message", message);
    }
    vec![Action::Step(step("switch", branch)), Action::Step(merge)]
}

/// A branch's start point as relman names it: `upstream/main` (the runbook's name for the
/// project's remote) is the project's branch, which the `up-to-date` check compares with the
/// remote's.
fn start_point(start: &str, scope: &Scope<'_>) -> String {
    match start.split_once('/') {
        Some(("upstream" | "origin", branch)) if branch == scope.facts.branch => literal(branch),
        _ => versioned(start),
    }
}

/// `git checkout -b NAME [START]` (or `git checkout START -b NAME`): a branch, from a start point
/// relman can name (the project's branch, as `upstream/main` too, or another local branch). A
/// start point that is a release (`v1.2.0`, `vM.N.0`) has no template: the shell keeps it.
fn new_branch(args: &[&str], line: &str, scope: &Scope<'_>) -> Vec<Action> {
    let mut name = None;
    let mut start = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match *arg {
            "-b" | "-B" | "-c" | "-C" | "--create" => name = iter.next().copied(),
            other if other.starts_with('-') => {}
            other if start.is_none() => start = Some(other),
            _ => return vec![run(line)],
        }
    }
    let Some(name) = name else {
        return vec![run(line)];
    };
    let mut branch = step("branch", versioned(name));
    if let Some(start) = start {
        let from = start_point(start, scope);
        let plain_branch = start
            .chars()
            .all(|c| c.is_ascii_lowercase() || matches!(c, '-' | '_'));
        if from != scope.facts.branch && !plain_branch {
            return vec![run(line)];
        }
        branch.set("from", from);
    }
    vec![Action::Step(branch)]
}

/// Whether a name, templated, still holds what only the shell or a person can fill in.
fn unresolved(name: &str) -> bool {
    name.contains(['$', '<', '>'])
        || name.contains("{{")
        || ["MAJOR", "MINOR", "PATCH", "x.x", "X.X"]
            .iter()
            .any(|word| name.contains(word))
}

/// Whether a refspec `git push` names is a tag: `refs/tags/…`, the project's tag (its format, or
/// a version when the project has none yet), never a release branch (`release-1.2.3`).
fn is_tag(refspec: &str, scope: &Scope<'_>) -> bool {
    if refspec.starts_with("refs/tags/") {
        return true;
    }
    let name = versioned(refspec);
    if let Some(format) = &scope.facts.tag_format
        && (name == *format || name == "{tag}")
    {
        return true;
    }
    let lower = name.to_lowercase();
    (name.contains("{version}") || name.contains("{tag}"))
        && !lower.starts_with("release")
        && !lower.contains("branch")
}

/// Whether `git checkout`'s arguments create a branch (`-b`).
fn creates_branch(args: &[&str]) -> bool {
    args.iter()
        .any(|arg| matches!(*arg, "-b" | "-B" | "-c" | "-C" | "--create"))
}

/// `git checkout master` at the start of a release is a check that the release starts there;
/// later it is a switch.
pub(crate) fn switch_or_check(name: &str, scope: &Scope<'_>) -> super::super::workflow::DraftStep {
    let name = name.trim_matches('`');
    if !scope.changed {
        let mut check = step("check", "branch");
        if name != scope.facts.branch {
            check.set("branch", literal(name));
        }
        return check;
    }
    step("switch", versioned(name))
}

pub(crate) fn cherry_pick() -> super::super::workflow::DraftStep {
    step("cherry-pick", "{args.commits}").with("if", "args.commits != ''")
}

/// The letters of several short flags written together (`-am`), `None` for anything else.
fn short_cluster(arg: &str) -> Option<&str> {
    let flags = arg.strip_prefix('-')?;
    (flags.len() > 1 && !flags.starts_with('-') && flags.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(flags)
}

pub(super) fn option_value(args: &[&str], names: &[&str]) -> Option<String> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if names.contains(arg) {
            return iter.next().map(|value| (*value).to_owned());
        }
        for name in names {
            if let Some(value) = arg.strip_prefix(&format!("{name}=")) {
                return Some(value.to_owned());
            }
        }
    }
    None
}

fn tag(args: &[&str], scope: &Scope<'_>) -> Vec<Action> {
    let mut values = Vec::new();
    let mut iter = args.iter();
    let mut message = None;
    let mut annotated = false;
    let mut sign = false;
    while let Some(arg) = iter.next() {
        match *arg {
            "-m" | "--message" => {
                message = iter.next().map(|value| (*value).to_owned());
                annotated = true;
            }
            "-u" | "--local-user" => {
                iter.next();
                sign = true;
            }
            "-a" | "--annotate" => annotated = true,
            "-s" | "--sign" => sign = true,
            "-d" | "-l" | "--list" | "--delete" => return Vec::new(),
            // `-am "Version 1.2"`, `-sm …`: short flags together.
            other if short_cluster(other).is_some() => {
                let flags = short_cluster(other).unwrap_or_default();
                if flags.contains(['d', 'l']) {
                    return Vec::new();
                }
                annotated |= flags.contains('a');
                sign |= flags.contains('s');
                if flags.ends_with('m') {
                    message = iter.next().map(|value| (*value).to_owned());
                    annotated = true;
                } else if flags.ends_with('u') {
                    iter.next();
                    sign = true;
                }
            }
            other if other.starts_with('-') => {}
            other => values.push(other),
        }
    }
    let Some(name) = values.first() else {
        return Vec::new();
    };
    let format = versioned(name);
    let mut actions = Vec::new();
    if format.contains("{version}") {
        actions.push(Action::Hint(Hint::TagFormat(format.clone())));
    }
    let name = match &scope.facts.tag_format {
        Some(known) if *known == format => "{tag}".to_owned(),
        // The runbook's form becomes the tag format when the project has no tags yet.
        None if format.contains("{version}") => "{tag}".to_owned(),
        _ => format,
    };
    let mut tag = step("tag", name);
    match message {
        Some(message) => tag.set("message", versioned(&message)),
        None if annotated || sign => tag.set("message", "Release {version}"),
        None => {}
    }
    if sign {
        tag.set("sign", true);
    }
    actions.push(Action::Step(tag));
    actions
}

fn push(args: &[&str], scope: &Scope<'_>) -> super::super::workflow::DraftStep {
    let mut branch = false;
    let mut tag = false;
    let positional: Vec<&str> = args
        .iter()
        .copied()
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    if args
        .iter()
        .any(|arg| matches!(*arg, "--tags" | "--follow-tags"))
    {
        tag = true;
    }
    // `git push origin v1.2.3` pushes a tag; `git push origin master` a branch; `git push origin
    // tag v1.2.3` is git's way to say the next is a tag.
    let mut refspecs = positional.iter().skip(1).peekable();
    while let Some(refspec) = refspecs.next() {
        if *refspec == "tag" && refspecs.peek().is_some() {
            tag = true;
            refspecs.next();
            continue;
        }
        if is_tag(refspec, scope) {
            tag = true;
        } else {
            branch = true;
        }
    }
    if positional.len() <= 1 && !tag {
        branch = true;
    }
    // "to push the tags to the release branch": the words say what the command forgot.
    if branch && !tag && scope.item.contains("tag") {
        tag = true;
    }
    // `git push upstream 2.1.x` after `git branch 2.1.x …` (not switched to): only that branch.
    if let [_, refspec] = positional.as_slice()
        && !tag
        && scope.last_branch.as_deref() == Some(versioned(refspec).as_str())
        && scope.last_branch_aside
    {
        let branch = versioned(refspec);
        let mut push = step("push", "refspec").with("refspec", format!("{branch}:{branch}"));
        if *positional[0] != scope.facts.remote {
            push.set("remote", literal(positional[0]));
        }
        return push;
    }
    let targets = match (branch, tag) {
        (true, true) => strings(&["branch", "tag"]),
        (false, true) => "tag".into(),
        _ => "branch".into(),
    };
    let mut push = step("push", targets);
    if let Some(remote) = positional.first()
        && *remote != scope.facts.remote
        && !names_version(remote)
    {
        push.set("remote", literal(remote));
    }
    push
}

/// `You need a clone of https://github.com/o/n …`: the steps that follow act there.
pub(crate) fn checkout_from_url(url: &str) -> Option<Checkout> {
    static GITHUB: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"github\.com[/:]([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")
            .expect("the GitHub expression is valid")
    });
    let url = url.trim_end_matches(['.', ',', ')']);
    let name = url.trim_end_matches('/').rsplit('/').next()?;
    let name = name.trim_end_matches(".git");
    if name.is_empty() {
        return None;
    }
    let repo = GITHUB
        .captures(url)
        .map(|captures| format!("{}/{}", &captures[1], &captures[2]));
    Some(Checkout {
        dir: format!("../{name}"),
        clone: url.to_owned(),
        repo,
    })
}
