//! `relman version [--next LEVEL] [--pre LABEL]`: the current version, or the one a bump gives
//! (checked against this clone's tags: never below the last release, never a version a tag has).

use relman_engine::project::NextVersion;
use relman_version::date::Date;

use super::{Context, print, project_error};
use crate::args::VersionArgs;
use crate::error::{CliResult, ExitCode};
use crate::output::{print_note, print_warning};

pub fn run(context: &Context, args: &VersionArgs) -> CliResult<ExitCode> {
    let (_, project) = context.project()?;
    // The history is read only when it matters: for a next version, or when tags hold it.
    let history = if args.next.is_some() || project.version_files.is_empty() {
        Some(project.history(false).map_err(project_error)?)
    } else {
        None
    };
    let previous = history
        .as_ref()
        .and_then(|history| history.previous.as_ref());
    let current = project.current_version(previous).map_err(project_error)?;
    let (Some(level), Some(history)) = (&args.next, &history) else {
        if current.unreleased && !context.global.quiet {
            print_note(context.style, &current.source);
        }
        return output(context, &current.version.to_string(), None);
    };
    let env = context.environment();
    let known = project.known_releases(false).map_err(project_error)?;
    let proposal = project
        .propose(
            &current,
            history,
            &NextVersion {
                level,
                pre_label: args.pre.as_deref(),
                impact: history.impact,
                today: Date::from_unix_seconds(env.release_time()),
                allow_downgrade: false,
            },
            &known,
        )
        .map_err(project_error)?;
    if !context.global.quiet {
        for note in &proposal.notes {
            print_note(context.style, note);
        }
    }
    match proposal.version {
        Some(next) => output(
            context,
            &current.version.to_string(),
            Some(&next.to_string()),
        ),
        None => {
            let since = previous.map_or_else(
                || "the first commit".to_owned(),
                |release| release.tag.clone(),
            );
            print_warning(
                context.style,
                &format!("nothing to release: no feature, fix or breaking change since {since}"),
            );
            if context.global.json {
                print(&format!(
                    "{}\n",
                    serde_json::json!({ "version": current.version.to_string(), "next": null })
                ))?;
            }
            Ok(ExitCode::Done)
        }
    }
}

fn output(context: &Context, current: &str, next: Option<&str>) -> CliResult<ExitCode> {
    if context.global.json {
        print(&format!(
            "{}\n",
            serde_json::json!({ "version": current, "next": next })
        ))?;
    } else {
        print(&format!("{}\n", next.unwrap_or(current)))?;
    }
    Ok(ExitCode::Done)
}
