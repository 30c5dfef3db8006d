//! git's commands in a runbook and the steps they are: checkout and switch (a check of the
//! branch at the start, a switch later, a branch with its start point), pull, commit, tag, push
//! (branch or tag, told apart), merge (a switch and a merge back), cherry-pick and branch
//! deletion. What only shows something is no step; a name the shell or a person fills in, an
//! amend or a signed merge stays a `run` step.

use super::{SHOWS, option_value, run};
use crate::init::runbook::actions::{Action, Hint, Scope, step, strings};
use crate::init::runbook::text::{literal, names_version, templated, versioned};
use crate::init::workflow::DraftStep;

pub(super) fn git(args: &[&str], line: &str, scope: &Scope<'_>) -> Vec<Action> {
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
    // `git push origin $BRANCH`, `git push upstream <branch>`: the branch the steps are on,
    // named by a placeholder, is the one relman's `push = "branch"` pushes.
    if subcommand == "push"
        && positional.len() == 2
        && branch_placeholder(positional[1])
        && !rest.iter().any(|arg| arg.starts_with('-'))
    {
        return vec![Action::Step(push(&rest[..1], scope))];
    }
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
        // Before anything changed, an empty diff is a clean work tree; after the steps changed
        // files, it shows a person what they did: a review.
        "diff" if scope.changed => vec![Action::Step(step(
            "manual",
            format!("Review the changes: `{}`", templated(line)),
        ))],
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

/// A placeholder that stands for the branch being worked on, whatever its name: `$BRANCH`,
/// `${BRANCH}`, `<branch>`, `<branch-name>`, `$RELEASE_BRANCH` (never a base branch's:
/// `$BASE_BRANCH`, `<target-branch>`).
fn branch_placeholder(arg: &str) -> bool {
    let name = arg
        .trim_start_matches('$')
        .trim_start_matches(['{', '<'])
        .trim_end_matches(['}', '>'])
        .to_ascii_lowercase()
        .replace('_', "-");
    let placeholder = arg.starts_with('$') || (arg.starts_with('<') && arg.ends_with('>'));
    placeholder
        && matches!(
            name.as_str(),
            "branch" | "branch-name" | "release-branch" | "new-branch" | "your-branch"
        )
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
/// later it is a switch, and so it is at the start for a branch other than the project's
/// (`git checkout develop` in a clone of `master` moves there: a check would stop the release).
pub(crate) fn switch_or_check(name: &str, scope: &Scope<'_>) -> DraftStep {
    let name = name.trim_matches('`');
    let plain_name = !name.contains(['*', '{', '$', '<']);
    if !scope.changed && (name == scope.facts.branch || !plain_name) {
        let mut check = step("check", "branch");
        if name != scope.facts.branch {
            check.set("branch", literal(name));
        }
        return check;
    }
    step("switch", versioned(name))
}

pub(crate) fn cherry_pick() -> DraftStep {
    step("cherry-pick", "{args.commits}").with("if", "args.commits != ''")
}

/// The letters of several short flags written together (`-am`), `None` for anything else.
fn short_cluster(arg: &str) -> Option<&str> {
    let flags = arg.strip_prefix('-')?;
    (flags.len() > 1 && !flags.starts_with('-') && flags.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(flags)
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

fn push(args: &[&str], scope: &Scope<'_>) -> DraftStep {
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
