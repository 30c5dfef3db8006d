//! `relman changelog [--unreleased | --version V | --all] [--write] [-p NAME]...`: the section
//! the next release would add, one version's section, or every release's from the whole
//! history; of the project, or of packages of the repository (only the commits that touched
//! each).
//!
//! `--all` and `--version` follow where the notes come from: a changelog built from fragments,
//! written by hand or holding GitHub's notes gives the file's own sections; one built from
//! commits is rendered from history (`--version` reads the file first when it has the section,
//! which may have been edited). Either way `--version V` prints the section `--all` prints for V,
//! heading included.

use std::io::Write;

use relman_engine::project::{NextVersion, Project};
use relman_version::changelog::markdown;
use relman_version::date::Date;

use super::{Context, print, project_error, selected};
use crate::args::ChangelogArgs;
use crate::error::{CliError, CliResult, ExitCode};
use crate::output::print_warning;

pub fn run(context: &Context, args: &ChangelogArgs) -> CliResult<ExitCode> {
    let selection = &args.selection;
    if args.write && (selection.all || selection.version.is_some()) {
        return Err(CliError::usage(
            "`--write` inserts the unreleased section; it does not go with `--all` or `--version`",
        )
        .hint("`relman changelog --write` adds the section the next release would add"));
    }
    let (_, project) = context.project()?;
    for project in selected(&project, &args.package.packages)? {
        if selection.all {
            all(context, &project)?;
        } else if let Some(version) = &selection.version {
            one_version(context, &project, version)?;
        } else {
            unreleased(context, &project, args)?;
        }
    }
    Ok(ExitCode::Done)
}

fn unreleased(context: &Context, project: &Project, args: &ChangelogArgs) -> CliResult<ExitCode> {
    let history = project
        .history(project.changelog.include_other)
        .map_err(project_error)?;
    let current = project
        .current_version(history.previous.as_ref())
        .map_err(project_error)?;
    let env = context.environment();
    let today = Date::from_unix_seconds(env.release_time());
    let level = args.next.as_deref().unwrap_or("auto");
    let known = project.known_releases(false).map_err(project_error)?;
    let next = project
        .propose(
            &current,
            &history,
            &NextVersion {
                level,
                pre_label: None,
                impact: history.impact,
                today,
                allow_downgrade: false,
            },
            &known,
        )
        .map_err(project_error)?
        .version;
    let rendered = match &next {
        Some(version) => project.render_changelog(&history, version, &today.to_string()),
        None => project.render_changelog_named(&history, "Unreleased", "HEAD", &today.to_string()),
    }
    .map_err(project_error)?;
    if !args.write {
        if context.global.json {
            print(&format!(
                "{}\n",
                serde_json::json!({
                    "version": next.as_ref().map(ToString::to_string),
                    "section": rendered.section,
                })
            ))?;
        } else {
            print(&rendered.section)?;
        }
        return Ok(ExitCode::Done);
    }
    if next.is_none() {
        return Err(
            CliError::usage("nothing to release: there is no section to write")
                .hint("use `--next LEVEL` to write one anyway"),
        );
    }
    relman_version::files::write_atomic(&rendered.file, rendered.after.as_bytes())
        .map_err(|error| CliError::failed(error.to_string()))?;
    for fragment in &rendered.fragments {
        fs_err::remove_file(fragment).map_err(|error| CliError::failed(error.to_string()))?;
    }
    let file = project.display_path(&rendered.file).display().to_string();
    if context.global.json {
        let removed: Vec<String> = rendered
            .fragments
            .iter()
            .map(|path| project.display_path(path).display().to_string())
            .collect();
        print(&format!(
            "{}\n",
            serde_json::json!({
                "version": next.as_ref().map(ToString::to_string),
                "file": file,
                "fragments_removed": removed,
            })
        ))?;
        return Ok(ExitCode::Done);
    }
    let removed = if rendered.fragments.is_empty() {
        String::new()
    } else {
        format!(
            ", {} removed",
            relman_version::words::counted(rendered.fragments.len(), "fragment", "fragments")
        )
    };
    eprintln_styled(
        context,
        &format!(
            "wrote the {} section to {file}{removed}",
            next.map(|version| version.to_string()).unwrap_or_default()
        ),
    );
    Ok(ExitCode::Done)
}

/// A section on stdout: the text, or with `--json` an object naming its version.
fn print_section(context: &Context, version: &str, section: &str) -> CliResult {
    if context.global.json {
        print(&format!(
            "{}\n",
            serde_json::json!({ "version": version, "section": section })
        ))
    } else {
        print(section)
    }
}

fn one_version(context: &Context, project: &Project, version: &str) -> CliResult<ExitCode> {
    let version = version.trim_start_matches('v');
    if project.changelog_is_the_file() {
        let section = project
            .changelog_section_whole(version)
            .map_err(project_error)?;
        print_section(context, version, &format!("{section}\n"))?;
        return Ok(ExitCode::Done);
    }
    // Built from commits: the file's section when it has one (it may have been edited).
    let in_file = project
        .changelog
        .exists
        .then(|| project.changelog_section_whole(version));
    if let Some(Ok(section)) = &in_file {
        print_section(context, version, &format!("{section}\n"))?;
        return Ok(ExitCode::Done);
    }
    // No changelog file: build that release's section from history.
    let mut found = None;
    project
        .released_sections(project.changelog.include_other, |notes| {
            if found.is_none() && notes.version == version {
                found = Some(markdown::render_section(notes, project.links.as_ref()));
            }
            Ok(())
        })
        .map_err(project_error)?;
    match (found, in_file) {
        (Some(section), _) => {
            print_section(context, version, &section)?;
            Ok(ExitCode::Done)
        }
        // The file's error lists the versions it has.
        (None, Some(Err(error))) => Err(project_error(error)),
        (None, _) => Err(CliError::usage(format!(
            "no release `{version}` in the history (no tag `{}`)",
            project.tag_of(version)
        ))
        .hint("`git tag --list` shows the release tags")),
    }
}

/// Every release's section as the changelog file has them.
fn all_from_the_file(context: &Context, project: &Project) -> CliResult<ExitCode> {
    let sections = project.changelog_sections().map_err(project_error)?;
    let mut text = String::new();
    for (version, section) in &sections {
        if context.global.json {
            text.push_str(
                &serde_json::json!({ "version": version, "section": format!("{section}\n") })
                    .to_string(),
            );
            text.push('\n');
        } else {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(section);
            text.push('\n');
        }
    }
    print(&text)?;
    if sections.is_empty() {
        print_warning(
            context.style,
            &format!(
                "{} has no release sections",
                project.changelog.file.display()
            ),
        );
    }
    Ok(ExitCode::Done)
}

fn all(context: &Context, project: &Project) -> CliResult<ExitCode> {
    if project.changelog_is_the_file() {
        return all_from_the_file(context, project);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut section = String::with_capacity(4096);
    let mut first = true;
    let json = context.global.json;
    if !json {
        out.write_all(b"# Changelog\n").map_err(write_error)?;
    }
    // With `--json`, one object per release, streamed like the text.
    let result = project.released_sections(project.changelog.include_other, |notes| {
        section.clear();
        if json {
            let _ = markdown::write_section(&mut section, notes, project.links.as_ref());
            let line = serde_json::json!({ "version": notes.version, "section": section });
            first = false;
            return writeln!(out, "{}", crate::output::clean::stdout(&line.to_string()));
        }
        section.push('\n');
        let _ = markdown::write_section(&mut section, notes, project.links.as_ref());
        first = false;
        out.write_all(crate::output::clean::stdout(&section).as_bytes())
    });
    match result {
        Ok(()) => {}
        Err(relman_engine::project::ProjectError::Write { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            return Ok(ExitCode::Done);
        }
        Err(error) => return Err(project_error(error)),
    }
    match out.flush() {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::Done),
        Err(error) => return Err(write_error(error)),
    }
    if first {
        print_warning(
            context.style,
            &format!(
                "no release tag matching `{}` in the history",
                project.tag_format
            ),
        );
    }
    Ok(ExitCode::Done)
}

fn write_error(error: std::io::Error) -> CliError {
    CliError::failed(format!("cannot write to standard output: {error}"))
}

fn eprintln_styled(context: &Context, message: &str) {
    if !context.global.quiet {
        let text = format!("{} {message}", context.style.green("✓"));
        let _ = writeln!(
            std::io::stderr().lock(),
            "{}",
            crate::output::clean::stderr(&text)
        );
    }
}
