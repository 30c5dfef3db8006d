//! `relman check`: the config validates, the version files agree and parse, the tag format reads
//! back what it writes, and the changelog settings point at what exists.

use std::fmt::Write as _;

use relman_engine::project::ChangelogSource;

use super::{Context, print, project_error};
use crate::error::{CliError, CliResult, ExitCode};

pub fn run(context: &Context) -> CliResult<ExitCode> {
    let (config, project) = context.project()?;
    let mut report = String::new();
    let mark = context.out_style.green("✓");
    let source = config.path.as_ref().map_or_else(
        || "no relman.toml: detected settings".to_owned(),
        |path| format!("{} is valid", project.display_path(path).display()),
    );
    let _ = writeln!(report, "{mark} {source}");
    let history = project.history(false).map_err(project_error)?;
    let current = project
        .checked_current_version(&history)
        .map_err(project_error)?;
    if current.unreleased {
        let _ = writeln!(report, "{mark} {}", current.source);
    } else if current.files.is_empty() {
        let _ = writeln!(
            report,
            "{mark} version {} (from {})",
            current.version, current.source
        );
    } else {
        let mut files: Vec<String> = Vec::new();
        for found in &current.files {
            let path = found.path.display().to_string();
            if !files.contains(&path) {
                files.push(path);
            }
        }
        let _ = writeln!(
            report,
            "{mark} version {} in {} ({})",
            current.version,
            files.join(", "),
            project.scheme
        );
    }
    for left_out in &project.left_out {
        let _ = writeln!(
            report,
            "{mark} `{}` is not a version file: {}",
            left_out.path, left_out.reason
        );
    }
    let version = current.version.to_string();
    let tag = project.tag_of(&version);
    if project.tag_format.extract(&tag) != Some(version.as_str()) {
        return Err(CliError::usage(format!(
            "the tag format `{}` does not read back its own tag `{tag}`",
            project.tag_format
        ))
        .hint("put `{version}` between a prefix and a suffix that a version cannot contain"));
    }
    let _ = writeln!(
        report,
        "{mark} tag format `{}` ({version} ⇄ {tag})",
        project.tag_format
    );
    match &history.previous {
        Some(release) => {
            let _ = writeln!(
                report,
                "{mark} last release {} at {}, {} commit(s) since",
                release.tag,
                &release.commit[..7.min(release.commit.len())],
                history.commits
            );
        }
        None => {
            let _ = writeln!(report, "{mark} no release tag yet");
        }
    }
    if let Some(note) = project.ignored_tags_note(&history.ignored_tags) {
        let _ = writeln!(report, "{mark} {note}");
    }
    let changelog = match &project.changelog.source {
        ChangelogSource::Fragments(towncrier) => {
            relman_version::changelog::towncrier::collect_fragments(towncrier)
                .map_err(|error| CliError::usage(error.to_string()).hint_opt(error.hint()))?;
            format!(
                "changelog {} from news fragments in {}",
                project.changelog.file.display(),
                project.display_path(&towncrier.fragment_root()).display()
            )
        }
        ChangelogSource::Commits => format!(
            "changelog {} from conventional commits",
            project.changelog.file.display()
        ),
    };
    let _ = writeln!(report, "{mark} {changelog}");
    let workflows = config.workflow_names();
    let _ = writeln!(report, "{mark} workflows: {}", workflows.join(", "));
    if !context.global.quiet {
        print(&report)?;
    }
    Ok(ExitCode::Done)
}
