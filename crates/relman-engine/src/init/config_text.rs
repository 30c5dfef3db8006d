//! The text of the `relman.toml` that `relman init` writes: `[project]`, `[changelog]` and
//! `[forge]` with a comment on each choice saying what was detected, then the workflows (the
//! default `release` workflow, or those drafted from a runbook).

use relman_version::changelog::document::Format;
use relman_version::files::VersionFileKind;
use relman_version::scheme::Scheme;

use super::detect::{ChangelogStyle, Detection, Ecosystem, ForgeFound};
use super::runbook::Draft;
use super::toml_text::TomlText;
use super::workflow::{DraftArg, DraftStep, DraftWorkflow, write_workflows};

/// The whole file.
pub fn render(detection: &Detection, draft: Option<&Draft>) -> String {
    let mut out = TomlText::new();
    out.comment(&format!(
        "relman.toml: how {} is released, written by `relman init`. Edit it freely.",
        detection.name
    ));
    out.comment(
        "`relman check` validates it, `relman plan release` shows what a release would do without \
         changing anything, and `relman docs` renders the workflows as a runbook.",
    );
    if let Some(draft) = draft {
        out.comment(&format!(
            "The workflows below were drafted from {}: each step cites the line it came from. \
             Read them through before the first release: a draft is a starting point.",
            draft.source
        ));
    }
    let tag_format = match draft.and_then(|draft| draft.tag_format.as_deref()) {
        Some(format) if detection.release_tags == 0 => Some(format),
        _ => None,
    };
    project(&mut out, detection, tag_format);
    changelog(&mut out, detection, draft);
    forge(&mut out, detection);
    packages(&mut out, detection);
    match draft {
        Some(draft) => write_workflows(&mut out, &draft.workflows),
        None => write_workflows(&mut out, &[release_workflow(detection)]),
    }
    if draft.is_none() {
        suggestions(&mut out, detection);
    }
    out.finish()
}

/// One `[package.NAME]` table per package of a repository that holds several.
fn packages(out: &mut TomlText, detection: &Detection) {
    for (index, (name, path, tag)) in detection.packages.iter().enumerate() {
        out.blank();
        if index == 0 {
            out.comment(
                "The packages of this repository, each released with its own version, tags and                  changelog (found in the workspace manifests and the tags; `relman packages` lists                  them). These tables are the list: add one for a new package. Without any table,                  relman finds them again.",
            );
        }
        out.table(&format!("package.{}", super::toml_text::key(name)));
        out.string("path", path);
        out.string("tag", tag);
    }
}

fn project(out: &mut TomlText, detection: &Detection, runbook_tag: Option<&str>) {
    out.blank();
    out.table("project");
    out.comment("Used in messages, release titles and `{project}`: from the package metadata, else the folder name.");
    out.string("name", &detection.name);
    out.comment(&format!(
        "The branch releases are cut from: {}.",
        detection.branch_source
    ));
    out.string("branch", &detection.branch);
    if detection.remote_url.is_some() && detection.remote != "origin" {
        out.string("remote", &detection.remote);
    }
    let why = match detection.scheme {
        Scheme::Pep440 => "PEP 440, as a Python project's versions are (`1.3.0a0`, `1.2.4rc1`)",
        Scheme::Rubygems => {
            "RubyGems' rules, as this gem's versions are (`8.1.0.beta1`, `8.1.3.1`, `8.2.0.alpha`)"
        }
        _ => {
            "SemVer (`1.3.0-alpha.0`); `pep440`, `rubygems` and `calver:YYYY.0M.MICRO` are the \
             others"
        }
    };
    out.comment(&format!("Versions follow {why}."));
    if let Some(calendar) = &detection.calendar {
        out.comment(&format!(
            "Releases are named by the calendar, {calendar}: the newest release tags' first \
             numbers are the {} they were made in. relman reads this from the tags' dates on \
             every run; `auto`, `minor` and `major` give today's version.",
            match calendar.period {
                relman_version::calendar::Period::Day => "year, month and day",
                relman_version::calendar::Period::Month => "year and month",
                relman_version::calendar::Period::Counter { .. } => "year",
            }
        ));
    }
    out.string("scheme", &detection.scheme.to_string());
    match runbook_tag {
        Some(format) => {
            out.comment(&format!(
                "Tags look like this: no release tags yet, so this is the form the runbook's `git tag` uses \
                 (the usual one would be `{}`).",
                detection.tag_format
            ));
            out.string("tag", format);
        }
        None => {
            out.comment(&format!(
                "Tags look like this: {}.",
                detection.tag_evidence()
            ));
            out.string("tag", &detection.tag_format);
        }
    }
    if !detection.not_release_tags.is_empty() {
        out.comment(
            "Tags in the tag format that are no releases of this project (other packages', \
             maintenance lines, junk): relman ignores them, and this line says so. Globs.",
        );
        let releases: Vec<&str> = detection
            .release_tag_names
            .iter()
            .map(String::as_str)
            .collect();
        let globs = crate::project::ignore_globs(&detection.not_release_tags, &releases)
            .into_iter()
            .map(toml::Value::String)
            .collect();
        out.entry("ignore-tags", &toml::Value::Array(globs));
    }
    for left_out in &detection.left_out {
        out.comment(&format!(
            "`{}` is not a version file: {}; a release would go back from it.",
            left_out.path, left_out.reason
        ));
    }
    if detection.version_files.is_empty() {
        let why = match (
            &detection.version_from_tags,
            detection.ecosystems.as_slice(),
        ) {
            (Some(tool), _) => format!("{tool} computes the version from git tags"),
            (None, _) if detection.version_in_code.is_some() => format!(
                "the build takes the version from `{}`, which builds it in code (a release leaves it as it is: edit it in a `run` or `edit` step)",
                detection.version_in_code.as_deref().unwrap_or_default()
            ),
            (None, [Ecosystem::Go, ..]) => "Go modules are versioned by their tags".to_owned(),
            _ => "no version file found".to_owned(),
        };
        out.comment(&format!(
            "No version files: {why}, so the current version is the newest release tag and a bump only \
             names the next tag. List files here to have them written."
        ));
        out.entry("version-files", &toml::Value::Array(Vec::new()));
    } else {
        let at = match &detection.current_version {
            Ok(Some(version)) => format!(" They hold {version} now."),
            Ok(None) => String::new(),
            Err(problem) => format!(" Reading them failed: {problem}."),
        };
        out.comment(&format!(
            "The files holding the version, the source of truth first; a `bump` step writes them all, \
             keeping their formatting.{at}"
        ));
        let files = detection
            .version_files
            .iter()
            .map(|spec| {
                let path = spec.path().to_string_lossy().replace('\\', "/");
                match spec.kind() {
                    VersionFileKind::Known(_) => toml::Value::String(path),
                    VersionFileKind::Pattern(pattern) => {
                        let mut table = toml::Table::new();
                        table.insert("path".into(), path.into());
                        table.insert("pattern".into(), pattern.as_str().into());
                        toml::Value::Table(table)
                    }
                    VersionFileKind::Key(key) => {
                        let mut table = toml::Table::new();
                        table.insert("path".into(), path.into());
                        table.insert("key".into(), key.as_str().into());
                        toml::Value::Table(table)
                    }
                }
            })
            .collect();
        out.entry("version-files", &toml::Value::Array(files));
    }
}

fn changelog(out: &mut TomlText, detection: &Detection, draft: Option<&Draft>) {
    let found = &detection.changelog;
    out.blank();
    out.table("changelog");
    let existing = if found.exists {
        let format = match found.format {
            Some(Format::Rst) => "reStructuredText",
            _ => "Markdown",
        };
        match found.versions.first() {
            Some(newest) => format!(
                "{} exists ({format}, {}, newest {newest}); ",
                found.file,
                relman_version::words::counted(
                    found.versions.len(),
                    "release section",
                    "release sections"
                )
            ),
            None => format!(
                "{} exists ({format}, no release sections yet); ",
                found.file
            ),
        }
    } else {
        format!("{} will be created; ", found.file)
    };
    let runbook = draft.and_then(|draft| draft.changelog.as_ref());
    if keeps_no_changelog(detection) && runbook.is_none() {
        out.comment(&format!(
            "No changelog file found: the project keeps none, so a release writes none. To start \
             one, set `file = \"{}\"` and add a `changelog = \"update\"` step.",
            found.file
        ));
        return;
    }
    match (found.style, runbook) {
        (ChangelogStyle::Fragments, _) => {
            let (config, folder) = found.towncrier.clone().unwrap_or_default();
            out.comment(&format!(
                "{existing}its notes come from news fragments: {config} configures towncrier, fragments \
                 live in {folder}. `relman fragment new feature 12 -m \"…\"` adds one; a release turns \
                 them into the new section exactly as `towncrier build` would."
            ));
            out.string("from", "fragments");
        }
        (_, Some(hint)) if hint.fragments => {
            let folder = hint.folder.as_deref().unwrap_or("changelog.d");
            let missing = if detection.root.join(folder).is_dir() {
                String::new()
            } else {
                format!(
                    " The folder `{folder}` does not exist yet: create it, or point `fragments` at the \
                     one you use."
                )
            };
            out.comment(&format!(
                "{existing}the runbook builds it with {}, so its notes come from news fragments \
                 (no towncrier config found: towncrier's defaults apply).{missing}",
                hint.tool
            ));
            out.string("file", &found.file);
            out.string("from", "fragments");
            out.string("fragments", folder);
        }
        (ChangelogStyle::Commits, _) | (_, Some(_)) => {
            let why = match runbook {
                Some(hint) if found.style != ChangelogStyle::Commits => format!(
                    "the runbook generates it from commits with {} ({})",
                    hint.tool,
                    detection.commit_evidence()
                ),
                _ => detection.commit_evidence(),
            };
            let what = if detection.commits.mostly_conventional() || runbook.is_some() {
                "breaking changes, features, fixes and performance work since the last release"
            } else {
                "the list of changes since the last release (pull request titles, commit subjects, \
                 dependency updates last)"
            };
            out.comment(&format!(
                "{existing}{why}, so its notes come from them: {what}."
            ));
            out.string("file", &found.file);
            out.string("from", "commits");
        }
        (ChangelogStyle::File, None) => {
            out.comment(&format!(
                "{existing}it is written by hand, so a release promotes its unreleased section \
                 (`## [Unreleased]`, `TBD` …) to the version, in the file's own heading style; with \
                 none, the release gets a new section listing the changes since the last release \
                 ({}). To collect notes as the work lands instead, keep news fragments: set \
                 `from = \"fragments\"` and add them with `relman fragment new`.",
                detection.commit_evidence()
            ));
            out.string("file", &found.file);
            out.string("from", "file");
        }
    }
}

fn forge(out: &mut TomlText, detection: &Detection) {
    out.blank();
    match &detection.forge {
        ForgeFound::GitHub { repo, web_url } => {
            out.table("forge");
            out.comment(&format!(
                "From the remote `{}`. Forge steps (releases, pull requests, checks) read a token from \
                 GITHUB_TOKEN or GH_TOKEN.",
                detection.remote
            ));
            out.string("type", "github");
            out.string("repo", repo);
            if let Some(host) = enterprise_host(web_url) {
                out.string("api", &format!("https://{host}/api/v3"));
            }
        }
        ForgeFound::Other { kind, web_url } => {
            out.comment(&format!(
                "The remote is on {kind} ({web_url}). Changelog links point there; relman's forge steps \
                 speak GitHub only for now, so there is no [forge] table."
            ));
        }
        ForgeFound::None => {
            let why = match &detection.remote_url {
                Some(url) => format!(
                    "the remote `{}` ({url}) is on no forge relman knows",
                    detection.remote
                ),
                None => format!("there is no remote `{}`", detection.remote),
            };
            out.comment(&format!(
                "No [forge]: {why}. Add `[forge]` with `repo = \"owner/name\"` for GitHub releases and \
                 pull requests."
            ));
        }
    }
}

/// `ghe.example.com` for a GitHub Enterprise web URL, `None` for github.com.
fn enterprise_host(web_url: &str) -> Option<&str> {
    let rest = web_url.split_once("://").map_or(web_url, |(_, rest)| rest);
    let host = rest.split('/').next()?;
    (host != "github.com").then_some(host)
}

/// The built-in release's flow, written out so it can be edited: checks, bump, changelog, commit, tag, push,
/// GitHub release.
pub(crate) fn release_workflow(detection: &Detection) -> DraftWorkflow {
    let has_remote = detection.remote_url.is_some();
    let github = detection.github_repo().is_some();
    let mut workflow = DraftWorkflow::new("release");
    let tags_only = detection.version_files.is_empty() && keeps_no_changelog(detection);
    workflow.help = Some(
        match (tags_only, github) {
            (true, true) => "Cut a release: tag HEAD, push, GitHub release",
            (true, false) => "Cut a release: tag HEAD, push",
            (false, true) => "Cut a release: bump, changelog, commit, tag, push, GitHub release",
            (false, false) => "Cut a release: bump, changelog, commit, tag, push",
        }
        .to_owned(),
    );
    workflow.args.push(DraftArg {
        name: "bump".to_owned(),
        default: Some(detection.bump_default().to_owned()),
        help: "a bump level (major, minor, patch, auto, rc …) or a version".to_owned(),
    });
    let mut checks = vec![
        DraftStep::new("check", "branch").comment(format!(
            "Checks change nothing and also run during `relman plan`: on `{}`, nothing uncommitted{}.",
            detection.branch,
            if has_remote {
                format!(", level with `{}`, and the tag not taken yet", detection.remote)
            } else {
                String::new()
            }
        )),
        DraftStep::new("check", "clean"),
    ];
    if has_remote {
        checks.push(DraftStep::new("check", "up-to-date"));
        checks.push(DraftStep::new("check", "tag-available"));
    }
    for check in checks {
        workflow.push(check);
    }
    let from_history = detection.changelog.style == ChangelogStyle::Fragments
        || detection.commits.mostly_conventional();
    let bump_comment = if !from_history && detection.calendar.is_some() {
        "`auto` releases under today's name when anything changed (a second release in the same \
         period counts up the last number); `relman release patch` for a fix of an older one."
    } else if !from_history && detection.bump_default() == "auto" {
        "`auto` releases the version the files hold, which no tag has yet (`patch` would skip \
         it); once released, `auto` is a patch unless told: `relman release minor`, \
         `relman release 2.0.0`."
    } else if from_history {
        "`auto` bumps from the conventional commits since the last release: a breaking change \
         → major, `feat` → minor, `fix`/`perf` → patch, nothing releasable → nothing to do. \
         `relman release minor` or `relman release 2.0.0` chooses."
    } else {
        "`patch` unless told: `relman release minor`, `relman release 2.0.0`, `relman release rc`."
    };
    workflow.push(DraftStep::new("bump", "{args.bump}").comment(bump_comment));
    let commit = DraftStep::new("commit", "Release {version}")
        .comment("Commits what the steps above changed: version files, changelog, used fragments.");
    match detection.changelog.style {
        _ if keeps_no_changelog(detection) => {
            workflow.note(format!(
                "No changelog is kept, so none is written; a `changelog = \"update\"` step here would start {}.",
                detection.changelog.file
            ));
        }
        ChangelogStyle::Fragments | ChangelogStyle::Commits => {
            workflow.push(DraftStep::new("changelog", "update").comment(format!(
                "Inserts this release's section into {} and exposes it as `{{changelog}}`.",
                detection.changelog.file
            )));
        }
        ChangelogStyle::File => {
            workflow.push(
                DraftStep::new("changelog", "update")
                    .with("edit", true)
                    .comment(format!(
                        "Promotes the unreleased notes of {} to {{version}} and exposes the section as \
                         `{{changelog}}`; on a terminal it opens in $EDITOR first.",
                        detection.changelog.file
                    )),
            );
        }
    }
    if detection.version_files.is_empty() && keeps_no_changelog(detection) {
        workflow
            .note("No version file and no changelog: nothing to commit, so the tag goes on HEAD.");
    } else {
        workflow.push(commit);
    }
    workflow.push(
        DraftStep::new("tag", "{tag}")
            .with("message", "Release {version}")
            .comment("An annotated tag; add `sign = true` to sign it."),
    );
    // Maven's and Gradle's way: the files hold the version being developed (`2.14.1-SNAPSHOT`),
    // so after the release tag they move on to the next one (`2.14.2-SNAPSHOT`).
    if matches!(&detection.current_version, Ok(Some(version)) if version.ends_with("-SNAPSHOT")) {
        workflow.push(DraftStep::new("bump", "dev").comment(
            "The files held a -SNAPSHOT version: after the tag they go on to the next one \
             (2.14.1 → 2.14.2-SNAPSHOT), as maven-release-plugin does.",
        ));
        workflow.push(DraftStep::new("commit", "Prepare next development version"));
    }
    if has_remote {
        workflow.push(
            DraftStep::new(
                "push",
                toml::Value::Array(vec!["branch".into(), "tag".into()]),
            )
            .comment("Both at once, atomically: the branch never lands without its tag."),
        );
    } else {
        workflow.note(format!(
            "No remote `{}`: add `push = [\"branch\", \"tag\"]` here once there is one.",
            detection.remote
        ));
    }
    if github {
        workflow.push(
            DraftStep::new("release", "publish")
                .with("if", "has_forge_token")
                .comment(
                    "The GitHub release for the tag, with this release's changelog section as its notes; \
                     skipped when no GITHUB_TOKEN or GH_TOKEN is set.",
                ),
        );
    }
    workflow
}

/// No changelog file and no towncrier configuration: the project keeps no changelog.
fn keeps_no_changelog(detection: &Detection) -> bool {
    !detection.changelog.exists && detection.changelog.style != ChangelogStyle::Fragments
}

/// Commented-out steps a project of this kind often adds.
fn suggestions(out: &mut TomlText, detection: &Detection) {
    let mut lines: Vec<String> = Vec::new();
    if detection.is_python() {
        lines.push(
            "When CI publishes the tag to PyPI, this waits until the release's files are there:"
                .to_owned(),
        );
        lines.push("[[workflow.release.step]]".to_owned());
        lines.push("verify = \"pypi\"".to_owned());
        lines.push(format!(
            "package = {}",
            super::toml_text::quote(&detection.name)
        ));
        lines.push("timeout = \"1h\"".to_owned());
    }
    if detection.ecosystems.contains(&Ecosystem::Helm) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(
            "When CI publishes the chart, this waits until the Helm repository lists it:"
                .to_owned(),
        );
        lines.push("[[workflow.release.step]]".to_owned());
        lines.push("verify = \"helm\"".to_owned());
        lines.push("repo = \"https://charts.example.org\"".to_owned());
        lines.push(format!(
            "chart = {}",
            super::toml_text::quote(&detection.name)
        ));
    }
    if lines.is_empty() {
        return;
    }
    out.blank();
    for line in lines {
        if line.is_empty() {
            out.comment("");
        } else if line.starts_with('[') || line.contains(" = ") {
            out.commented_out(&line);
        } else {
            out.comment(&line);
        }
    }
}
