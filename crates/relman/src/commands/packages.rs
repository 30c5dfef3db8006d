//! `relman packages [--json]`: each package of the repository with its folder, its current
//! version, its last release tag, how many commits touched it since, and the version `auto`
//! would release; packages that no longer exist are named by the tags they left. Every
//! package's history comes from one walk of the repository.

use relman_engine::project::{NextVersion, Project};
use relman_version::bump::Impact;
use relman_version::date::Date;

use super::{Context, print, project_error};
use crate::error::{CliResult, ExitCode};
use crate::output::print_warning;

/// One line of the listing.
struct Row {
    name: String,
    path: String,
    version: Option<String>,
    last: Option<(String, String)>,
    commits: usize,
    next: Option<String>,
    /// Why the version or the next one could not be told.
    problem: Option<String>,
    root: bool,
    ecosystem: Option<&'static str>,
    tag_format: String,
    dependencies: Vec<String>,
}

pub fn run(context: &Context) -> CliResult<ExitCode> {
    let (_, project) = context.project()?;
    let rows = rows(context, &project)?;
    if context.global.json {
        let packages: Vec<serde_json::Value> = rows
            .iter()
            .map(|row| {
                serde_json::json!({
                    "name": row.name,
                    "path": row.path,
                    "root": row.root,
                    "ecosystem": row.ecosystem,
                    "version": row.version,
                    "tag_format": row.tag_format,
                    "last_release": row.last.as_ref().map(|(tag, version)| {
                        serde_json::json!({ "tag": tag, "version": version })
                    }),
                    "commits_since": row.commits,
                    "next": row.next,
                    "dependencies": row.dependencies,
                    "problem": row.problem,
                })
            })
            .collect();
        let retired: Vec<serde_json::Value> = project
            .retired
            .iter()
            .map(|retired| {
                serde_json::json!({
                    "name": retired.name,
                    "releases": retired.releases,
                    "last_release": retired.last,
                })
            })
            .collect();
        print(&format!(
            "{}\n",
            serde_json::json!({ "packages": packages, "retired": retired })
        ))?;
        return Ok(ExitCode::Done);
    }
    let header = [
        "package",
        "path",
        "version",
        "last release",
        "since",
        "next",
    ];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|row| {
            [
                row.name.clone(),
                if row.path.is_empty() {
                    ".".to_owned()
                } else {
                    row.path.clone()
                },
                row.version.clone().unwrap_or_else(|| "?".to_owned()),
                row.last
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), |(tag, _)| tag.clone()),
                row.commits.to_string(),
                row.next.clone().unwrap_or_else(|| "-".to_owned()),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for line in &cells {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut push_line = |cells: &[String]| {
        let mut line = String::new();
        for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if index + 1 == cells.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    push_line(&header.map(str::to_owned));
    for line in &cells {
        push_line(line);
    }
    for retired in &project.retired {
        out.push_str(&format!(
            "retired: {} ({}, last {})\n",
            retired.name,
            relman_version::words::counted(retired.releases, "release", "releases"),
            retired.last
        ));
    }
    print(&out)?;
    if !context.global.quiet {
        for row in &rows {
            if let Some(problem) = &row.problem {
                print_warning(context.style, &format!("{}: {problem}", row.name));
            }
        }
    }
    Ok(ExitCode::Done)
}

fn rows(context: &Context, project: &Project) -> CliResult<Vec<Row>> {
    let env = context.environment();
    let today = Date::from_unix_seconds(env.release_time());
    if !project.has_packages() {
        let history = project.history(false).map_err(project_error)?;
        let known = project.known_releases(false).map_err(project_error)?;
        let row = row(project, &history, &known, today, true, None);
        return Ok(vec![Row {
            tag_format: project.tag_format.to_string(),
            ..row
        }]);
    }
    let indices: Vec<usize> = (0..project.packages.len()).collect();
    let histories = project.package_histories(&indices).map_err(project_error)?;
    let known = project
        .package_known_releases(&indices, false)
        .map_err(project_error)?;
    // In an npm workspace with changesets, the changesets say what `auto` releases.
    let changesets = project.changeset_run().map_err(project_error)?;
    Ok(indices
        .iter()
        .zip(histories.iter().zip(&known))
        .map(|(index, (history, known))| {
            let package = &project.packages[*index];
            let view = project.package_at(*index);
            let mut row = row(&view, history, known, today, package.root, Some(package));
            row.tag_format = view.tag_format.to_string();
            if let Some(run) = &changesets
                && package.ecosystem == Some(relman_version::workspace::Ecosystem::Npm)
            {
                row.next = run
                    .release(&package.name)
                    .map(|release| release.new_version.clone());
            }
            row
        })
        .collect())
}

fn row(
    view: &Project,
    history: &relman_engine::project::History,
    known: &relman_engine::project::KnownReleases,
    today: Date,
    root: bool,
    package: Option<&relman_engine::project::Package>,
) -> Row {
    let mut row = Row {
        name: view.name.clone(),
        path: package
            .map(|package| package.path.display().to_string())
            .unwrap_or_default(),
        version: None,
        last: history
            .previous
            .as_ref()
            .map(|release| (release.tag.clone(), release.version.to_string())),
        commits: history.commits,
        next: None,
        problem: None,
        root,
        ecosystem: package
            .and_then(|package| package.ecosystem)
            .map(relman_version::workspace::Ecosystem::as_str),
        tag_format: String::new(),
        dependencies: package
            .map(|package| {
                let mut names: Vec<String> = package
                    .dependencies
                    .iter()
                    .map(|dependency| dependency.name.clone())
                    .collect();
                names.dedup();
                names
            })
            .unwrap_or_default(),
    };
    let current = match view.current_version(history.previous.as_ref()) {
        Ok(current) => current,
        Err(error) => {
            row.problem = Some(error.to_string());
            return row;
        }
    };
    row.version = Some(current.version.to_string());
    let proposal = view.propose(
        &current,
        history,
        &NextVersion {
            level: "auto",
            pre_label: None,
            impact: history.impact.max(Impact::None),
            today,
            allow_downgrade: false,
        },
        known,
    );
    match proposal {
        Ok(proposal) => row.next = proposal.version.map(|version| version.to_string()),
        Err(error) => row.problem = Some(error.to_string()),
    }
    row
}
