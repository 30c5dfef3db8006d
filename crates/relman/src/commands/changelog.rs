//! `relman changelog [--unreleased | --version V | --all] [--write]`: the section the next
//! release would add, one version's section, or every release's from the whole history.

use std::io::Write;

use relman_engine::project::{NextVersion, Project};
use relman_version::changelog::markdown;
use relman_version::date::Date;

use super::{Context, print, project_error};
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
    if selection.all {
        return all(context, &project);
    }
    if let Some(version) = &selection.version {
        return one_version(&project, version);
    }
    unreleased(context, &project, args)
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
    let next = project
        .next_version(
            &current.version,
            &NextVersion {
                level,
                pre_label: None,
                impact: history.impact,
                today,
                allow_downgrade: false,
            },
        )
        .map_err(project_error)?;
    let rendered = match &next {
        Some(version) => project.render_changelog(&history, version, &today.to_string()),
        None => project.render_changelog_named(&history, "Unreleased", "HEAD", &today.to_string()),
    }
    .map_err(project_error)?;
    if !args.write {
        print(&rendered.section)?;
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
    let removed = if rendered.fragments.is_empty() {
        String::new()
    } else {
        format!(", {} fragment(s) removed", rendered.fragments.len())
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

fn one_version(project: &Project, version: &str) -> CliResult<ExitCode> {
    let version = version.trim_start_matches('v');
    if project.changelog.exists {
        let section = project.changelog_section(version).map_err(project_error)?;
        print(&format!("{}\n", section.trim_end()))?;
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
    match found {
        Some(section) => {
            print(&section)?;
            Ok(ExitCode::Done)
        }
        None => Err(CliError::usage(format!(
            "no release `{version}` in the history (no tag `{}`)",
            project.tag_of(version)
        ))
        .hint("`git tag --list` shows the release tags")),
    }
}

fn all(context: &Context, project: &Project) -> CliResult<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut section = String::with_capacity(4096);
    let mut first = true;
    out.write_all(b"# Changelog\n").map_err(write_error)?;
    let result = project.released_sections(project.changelog.include_other, |notes| {
        section.clear();
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
