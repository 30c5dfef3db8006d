//! Shell commands found in a runbook (code blocks, inline code) and the typed steps they become:
//! version bumps by poetry, npm or bumpversion; changelog tools; `docker push`; publishing to
//! npm, crates.io, PyPI and RubyGems; what only shows something (a comment); and, for anything else that
//! looks like a command, a `run` step. git, GitHub's CLI (`gh`), `curl`, `sed` and
//! text editors are read in their own modules; `a && b` and `a; b` command by command (`shell`).

mod curl;
mod editor;
mod gh;
mod git;
mod sed;
mod shell;

pub(crate) use git::{cherry_pick, switch_or_check};
pub(crate) use sed::holds_once;
use shell::and_list;

use std::sync::LazyLock;

use regex::Regex;

use super::actions::{Action, Checkout, Hint, Scope, step};
use super::text::{literal, templated, versioned};

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
    "pyproject-build",
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
    // `<new tag>`: one placeholder of several words, one word for the shell.
    static SPACED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"<([A-Za-z]+(?: [A-Za-z]+)+)>").expect("the placeholder expression is valid")
    });
    let line = READ_VERSION.replace_all(line, "{version}");
    SPACED
        .replace_all(&line, |captures: &regex::Captures<'_>| {
            format!("<{}>", captures[1].replace(' ', "-"))
        })
        .into_owned()
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
    if let Some(level) = version_script(program, &args) {
        return vec![Action::Step(step("bump", level))];
    }
    if let Some(actions) = editor::editor(program, &args, scope) {
        return actions;
    }
    match program {
        "git" => git::git(&args, line, scope),
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
        // Pulling the release's image, or asking it for its version, checks it is there.
        "docker" if pulls_release_image(&args) => {
            let reference = args
                .iter()
                .skip(1)
                .find(|arg| !arg.starts_with('-'))
                .copied()
                .unwrap_or_default();
            vec![Action::Step(oci(reference))]
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
        "gem" if args.first() == Some(&"push") => vec![Action::Step(gem_push(&args[1..]))],
        // The artifacts, built by the ecosystem's tool: `build` checks they carry `{version}`.
        "python" | "python3"
            if args.starts_with(&["-m", "build"]) && at_top(scope, "pyproject.toml") =>
        {
            build_python(&args[2..])
        }
        "pyproject-build" if at_top(scope, "pyproject.toml") => build_python(&args),
        "npm"
            if args.first() == Some(&"pack")
                && !dry_run(&args)
                && at_top(scope, "package.json") =>
        {
            let mut build = step("build", "npm");
            if let Some(out) = option_value(&args, &["--pack-destination"]) {
                build.set("out", templated(&out));
            }
            vec![Action::Step(build)]
        }
        "gem" if args.first() == Some(&"build") && at_top(scope, ".gemspec") => {
            vec![Action::Step(step("build", "gem"))]
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

/// `gem push [--host URL] FILE`: the gem `build = "gem"` writes beside the gemspec
/// (`NAME-X.Y.Z.gem`) is the step's own default; one elsewhere (`pkg/`, where `rake build`
/// puts it) is named in `files`.
fn gem_push(args: &[&str]) -> super::super::workflow::DraftStep {
    let mut publish = step("publish", "gem");
    if let Some(host) = option_value(args, &["--host"]) {
        publish.set("registry", literal(&host));
    }
    let mut words = args.iter();
    let mut file = None;
    while let Some(word) = words.next() {
        match *word {
            // Options whose value is the next word.
            "--host" | "--key" | "-k" | "--otp" => {
                words.next();
            }
            other if other.starts_with('-') => {}
            other => {
                file = Some(templated(other));
                break;
            }
        }
    }
    if let Some(file) = file
        && (file.contains('/') || !file.ends_with("-{version}.gem"))
    {
        publish.set("files", toml::Value::Array(vec![file.into()]));
    }
    publish
}

/// A script named for setting the version (`bump_version.py`, `scripts/set-version.sh`,
/// `update_version`), run directly or by an interpreter, with the version as its argument: the
/// `bump` (its level "dev" when the version is the next development one). A script with
/// another name (`release.sh X.Y.Z` tags and publishes too) stays a `run`.
fn version_script(program: &str, args: &[&str]) -> Option<&'static str> {
    let (script, args) = match program {
        "python" | "python3" | "sh" | "bash" | "ruby" | "node" | "perl" => {
            let (script, rest) = args.split_first()?;
            (*script, rest)
        }
        _ => (program, args),
    };
    let name = script.rsplit('/').next().unwrap_or(script);
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    let stem: String = stem.chars().filter(char::is_ascii_alphanumeric).collect();
    let sets_version = ["bump", "set", "update", "change"]
        .iter()
        .any(|verb| stem == format!("{verb}version") || stem == format!("version{verb}"));
    if !sets_version {
        return None;
    }
    let version = args
        .iter()
        .find(|arg| !arg.starts_with('-'))
        .filter(|arg| super::text::names_version(arg))?;
    let next = version.contains("+1")
        || args.iter().any(|arg| {
            let arg = arg.to_ascii_lowercase();
            ["dev", "develop", "snapshot", "next"]
                .iter()
                .any(|word| arg.contains(word))
        });
    Some(if next { "dev" } else { "{args.bump}" })
}

/// `docker pull IMAGE:TAG` or `docker run [--rm] IMAGE:TAG --version` where the tag names the
/// release's version: a check that the image is in the registry, nothing more.
fn pulls_release_image(args: &[&str]) -> bool {
    let Some((command, rest)) = args.split_first() else {
        return false;
    };
    let mut words = rest
        .iter()
        .skip_while(|arg| matches!(**arg, "--rm" | "-it" | "-t" | "-i"));
    let Some(image) = words.next() else {
        return false;
    };
    let versioned_tag = image
        .rsplit_once(':')
        .is_some_and(|(_, tag)| !tag.contains('/') && super::text::names_version(tag));
    let after: Vec<&&str> = words.collect();
    versioned_tag
        && match *command {
            "pull" => after.is_empty(),
            "run" => {
                matches!(after.as_slice(), [flag] if matches!(**flag, "--version" | "version" | "-v"))
            }
            _ => false,
        }
}

/// Whether the repository's top holds `file` (`.gemspec`: a gem's), so that a `build` step there
/// can read the package's name (its plan fails otherwise); with no work tree, the runbook is
/// trusted.
fn at_top(scope: &Scope<'_>, file: &str) -> bool {
    let Some(root) = &scope.facts.root else {
        return true;
    };
    match file {
        ".gemspec" => !relman_version::files::gemspecs(root).is_empty(),
        _ => root.join(file).is_file(),
    }
}

/// `python -m build [--outdir OUT] [--no-isolation] [FOLDER]`.
fn build_python(args: &[&str]) -> Vec<Action> {
    let mut build = step("build", "python");
    if let Some(out) = option_value(args, &["--outdir", "-o"]) {
        build.set("out", templated(&out));
    }
    if args
        .iter()
        .any(|arg| matches!(*arg, "--no-isolation" | "-n"))
    {
        build.set("isolation", false);
    }
    vec![Action::Step(build)]
}

/// Why a command that only shows something is no step.
pub(super) const SHOWS: &str = "this only shows something to a person: no release step (`relman plan` shows what the release does)";

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
