//! `relman check`: the config validates, the version files agree and parse, the tag format reads
//! back what it writes, the changelog settings point at what exists (in a repository of several
//! packages, for each package, every package's history from one walk), and every workflow could
//! be planned here: what `plan` rejects before running a step (a forge step without a forge,
//! a missing token, variable or signing key, an `if` that is not a boolean expression,
//! `{dev_version}` without a later bump), `check` rejects too.

use relman_engine::project::{ChangelogSource, History, Project};

use super::{Context, print, project_error};
use crate::error::{CliError, CliResult, ExitCode};

pub fn run(context: &Context) -> CliResult<ExitCode> {
    let (config, project) = context.project()?;
    // Each line is one thing found right; the first wrong one is an error (exit 2).
    let mut report: Vec<String> = Vec::new();
    let source = config.path.as_ref().map_or_else(
        || "no relman.toml: detected settings".to_owned(),
        |path| format!("{} is valid", project.display_path(path).display()),
    );
    report.push(source);
    if project.has_packages() {
        let indices: Vec<usize> = (0..project.packages.len()).collect();
        let histories = project.package_histories(&indices).map_err(project_error)?;
        for (index, history) in indices.into_iter().zip(&histories) {
            let view = project.package_at(index);
            let lines = project_lines(&view, history).map_err(|mut error| {
                error.message = format!("package `{}`: {}", view.name, error.message);
                error
            })?;
            report.extend(
                lines
                    .into_iter()
                    .map(|line| format!("{}: {line}", view.name)),
            );
        }
        for retired in &project.retired {
            report.push(format!(
                "{} tags of `{}`, a package that no longer exists, are old releases",
                retired.releases, retired.name
            ));
        }
    } else {
        let history = project.history(false).map_err(project_error)?;
        report.extend(project_lines(&project, &history)?);
    }
    // What `plan` would reject without running a step, in every workflow.
    let problems = relman_engine::plan::verify(&project, &config, &context.environment());
    if !problems.is_empty() {
        let message = problems
            .iter()
            .map(|(workflow, problems)| {
                let lines: String = problems
                    .iter()
                    .map(|problem| format!("\n  - {problem}"))
                    .collect();
                format!("workflow `{workflow}` cannot run here:{lines}")
            })
            .collect::<Vec<_>>()
            .join("\n");
        return Err(CliError::usage(message)
            .hint("`relman plan WORKFLOW` stops at the same, before any step runs"));
    }
    let workflows = config.workflow_names();
    report.push(format!("workflows: {}", workflows.join(", ")));
    if context.global.json {
        print(&format!(
            "{}\n",
            serde_json::json!({ "valid": true, "checks": report })
        ))?;
    } else if !context.global.quiet {
        let mark = context.out_style.green("✓");
        let text: String = report
            .iter()
            .map(|line| format!("{mark} {line}\n"))
            .collect();
        print(&text)?;
    }
    Ok(ExitCode::Done)
}

/// The lines of one project (or package): its version and where it is, files left out, the
/// tag format, the last release, tags ignored, the changelog.
fn project_lines(project: &Project, history: &History) -> CliResult<Vec<String>> {
    let mut report: Vec<String> = Vec::new();
    let current = project
        .checked_current_version(history)
        .map_err(project_error)?;
    if current.unreleased {
        report.push(current.source.clone());
    } else if current.files.is_empty() {
        report.push(format!(
            "version {} (from {})",
            current.version, current.source
        ));
    } else {
        let mut files: Vec<String> = Vec::new();
        for found in &current.files {
            let path = found.path.display().to_string();
            if !files.contains(&path) {
                files.push(path);
            }
        }
        report.push(format!(
            "version {} in {} ({})",
            current.version,
            files.join(", "),
            project.scheme
        ));
    }
    for left_out in &project.left_out {
        report.push(format!(
            "`{}` is not a version file: {}",
            left_out.path, left_out.reason
        ));
    }
    let version = current.version.to_string();
    let tag = project.tag_of(&version);
    // Read back as a version: a calendar's tags spell the month padded (`25.07.1` for 25.7.1).
    if project
        .tag_format
        .version_of(&tag, &project.scheme)
        .as_ref()
        != Some(&current.version)
    {
        return Err(CliError::usage(format!(
            "the tag format `{}` does not read back its own tag `{tag}`",
            project.tag_format
        ))
        .hint("put `{version}` between a prefix and a suffix that a version cannot contain"));
    }
    report.push(format!(
        "tag format `{}` ({version} ⇄ {tag})",
        project.tag_format
    ));
    if let Some(calendar) = project.calendar() {
        report.push(format!(
            "releases are named by the calendar, {calendar}, as the dates of the release tags \
             show: auto, minor and major give today's version"
        ));
    }
    match &history.previous {
        Some(release) => {
            let mut line = format!(
                "last release {} at {}, {} since",
                release.tag,
                &release.commit[..7.min(release.commit.len())],
                relman_version::words::counted(history.commits, "commit", "commits")
            );
            // Releases made on a release branch since: the next release here follows them.
            if let Some((tag, _)) = &history.branch_release {
                line.push_str(&format!(
                    "; the newest release, {tag}, was tagged on a branch this one does not reach, and a release above it follows it"
                ));
            }
            report.push(line);
        }
        None => {
            report.push("no release tag yet".to_owned());
        }
    }
    if let Some(note) = project.ignored_tags_note(&history.ignored_tags) {
        report.push(note);
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
            "changelog {} from commits",
            project.changelog.file.display()
        ),
        ChangelogSource::File => format!(
            "changelog {} written by hand (a release promotes its unreleased notes)",
            project.changelog.file.display()
        ),
        ChangelogSource::Github => format!(
            "changelog {} from GitHub's generated notes",
            project.changelog.file.display()
        ),
        ChangelogSource::Changesets => format!(
            "changelog {} from changesets",
            project.changelog.file.display()
        ),
    };
    report.push(changelog);
    Ok(report)
}
