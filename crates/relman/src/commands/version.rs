//! `relman version [--next LEVEL] [--pre LABEL] [-p NAME]...`: the current version, or the one a
//! bump gives (checked against this clone's tags: never below the last release, never a version
//! a tag has); of one package of the repository, or of several (one `NAME VERSION` line each).

use relman_engine::project::{NextVersion, Project};
use relman_version::date::Date;

use super::{Context, print, project_error, selected};
use crate::args::VersionArgs;
use crate::error::{CliResult, ExitCode};
use crate::output::{print_note, print_warning};

/// What was found for one project.
struct Answer {
    current: String,
    /// `Some(None)`: a next version was asked for and `auto` found nothing to release.
    next: Option<Option<String>>,
}

pub fn run(context: &Context, args: &VersionArgs) -> CliResult<ExitCode> {
    let (_, project) = context.project()?;
    let projects = selected(&project, &args.package.packages)?;
    // One line per package when several were asked for, or none at the root was.
    let every = args.package.packages.is_empty()
        && project.has_packages()
        && project.root_package().is_none();
    if let [only] = projects.as_slice()
        && args.package.packages.len() <= 1
        && !every
    {
        let answer = answer(context, only, args)?;
        return output(context, &answer);
    }
    let mut lines = String::new();
    let mut objects = Vec::new();
    for project in &projects {
        let answer = answer(context, project, args)?;
        let shown = match &answer.next {
            Some(Some(next)) => next.clone(),
            Some(None) => "-".to_owned(),
            None => answer.current.clone(),
        };
        lines.push_str(&format!("{} {shown}\n", project.name));
        objects.push(serde_json::json!({
            "package": project.name,
            "version": answer.current,
            "next": answer.next.flatten(),
        }));
    }
    if context.global.json {
        print(&format!("{}\n", serde_json::Value::Array(objects)))?;
    } else {
        print(&lines)?;
    }
    Ok(ExitCode::Done)
}

fn answer(context: &Context, project: &Project, args: &VersionArgs) -> CliResult<Answer> {
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
        return Ok(Answer {
            current: current.version.to_string(),
            next: None,
        });
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
    if proposal.version.is_none() {
        let since = previous.map_or_else(
            || "the first commit".to_owned(),
            |release| release.tag.clone(),
        );
        let whose = if project.scope.is_some() && project.has_packages() {
            format!("{}: ", project.name)
        } else {
            String::new()
        };
        print_warning(
            context.style,
            &format!("{whose}nothing to release: no feature, fix or breaking change since {since}"),
        );
    }
    Ok(Answer {
        current: current.version.to_string(),
        next: Some(proposal.version.map(|version| version.to_string())),
    })
}

fn output(context: &Context, answer: &Answer) -> CliResult<ExitCode> {
    let next = answer.next.clone().flatten();
    if context.global.json {
        print(&format!(
            "{}\n",
            serde_json::json!({ "version": answer.current, "next": next })
        ))?;
    } else if answer.next != Some(None) {
        print(&format!("{}\n", next.as_deref().unwrap_or(&answer.current)))?;
    }
    Ok(ExitCode::Done)
}
