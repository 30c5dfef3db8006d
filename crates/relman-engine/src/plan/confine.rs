//! The paths a step's options name stay where the step acts: the options its kind declares as
//! paths (`KindSpec::paths`: `checksums` patterns and `output`, release `assets`, a command's
//! `cwd`, downloaded `artifacts`, `add` globs, the file `edit` and `homebrew` change, what
//! `publish` takes) inside the work tree (or, for a step with `dir`, inside that checkout), and
//! `dir` itself (where `clone` writes) inside the repository or a sibling folder beside it.
//! relman.toml arrives with every clone: a path that is absolute, climbs out with `..` or passes
//! through a symbolic link that leads outside is a configuration problem `check` and `plan`
//! report before any step runs.
//!
//! A path is checked as far as it is known: placeholders the plan cannot render yet and glob
//! characters end the part whose links are resolved; `..` and a leading `/` are refused anywhere.

use std::path::{Component, Path, PathBuf};

use super::needs::Problem;
use crate::core::{StepError, paths};
use crate::kinds::StepDef;
use crate::project::Project;
use crate::template::Template;

const HINT: &str = "name a path relative to the repository (or to the step's `dir`), without `..`, that no symbolic link leads out of";

/// Where each path option of `step` leads, with `render` giving a template's text as far as it
/// is known; one problem per path outside.
pub(crate) fn step_problems(
    project: &Project,
    step: &StepDef,
    title: &str,
    render: &dyn Fn(&Template) -> String,
) -> Vec<Problem> {
    let problem = |message: String| Problem {
        number: step.number,
        title: title.to_owned(),
        message,
        hint: Some(HINT.to_owned()),
        machine: false,
    };
    let mut problems = Vec::new();
    let mut root = Some(project.root.clone());
    if let Some(dir) = &step.dir {
        let text = render(dir);
        match checkout_root(&project.root, &text) {
            Ok(checkout) => root = checkout,
            Err(message) => {
                problems.push(problem(message));
                return problems;
            }
        }
    }
    let paths = step.kind.spec().paths;
    for (option, template) in step.kind.templates() {
        if !paths.contains(&option) {
            continue;
        }
        let text = render(template);
        if let Err(message) = within(root.as_deref(), &text, &format!("`{option}`")) {
            problems.push(problem(message));
        }
    }
    problems
}

/// The same check when the step runs, on its paths as they render then (a placeholder's value
/// known only at run time cannot lead outside either); `root` is where the step acts.
pub(crate) fn at_run_time(
    step: &StepDef,
    root: &Path,
    render: &mut dyn FnMut(&Template) -> Result<String, StepError>,
) -> Result<(), StepError> {
    let paths = step.kind.spec().paths;
    for (option, template) in step.kind.templates() {
        if !paths.contains(&option) {
            continue;
        }
        let text = render(template)?;
        within(Some(root), &text, &format!("`{option}`"))
            .map_err(|message| StepError::new(message).with_hint(HINT))?;
    }
    Ok(())
}

/// Whether a path component is not known yet: a placeholder or a glob.
fn unknown(part: &str) -> bool {
    part.contains(['{', '*', '?', '['])
}

/// `text` under `root`: refused when absolute or with `..`; the known part's links resolved
/// against `root` (when `root` exists yet: a checkout still to be cloned has no links).
fn within(root: Option<&Path>, text: &str, what: &str) -> Result<(), String> {
    let path = Path::new(text);
    if path
        .components()
        .any(|part| !matches!(part, Component::Normal(_) | Component::CurDir))
    {
        return Err(format!("{what} `{text}` is outside the work tree"));
    }
    let known: PathBuf = path
        .components()
        .take_while(|part| !unknown(&part.as_os_str().to_string_lossy()))
        .collect();
    let known = known.to_string_lossy();
    match root {
        Some(root) if root.exists() && !known.is_empty() => paths::inside(root, &known, what)
            .map(drop)
            .map_err(|error| error.message),
        _ => Ok(()),
    }
}

/// The checkout a `dir` names: inside the repository, or beside it (in the folder that holds
/// it), never that folder itself nor above it. `None` when it cannot be resolved yet.
pub(crate) fn checkout_root(project_root: &Path, dir: &str) -> Result<Option<PathBuf>, String> {
    let outside = || {
        format!(
            "`dir = \"{dir}\"` is neither inside the repository nor a checkout beside it (in `{}`)",
            project_root.parent().unwrap_or(project_root).display()
        )
    };
    let Some(parent) = project_root.parent() else {
        return Err(outside());
    };
    let Some(name) = project_root.file_name() else {
        return Err(outside());
    };
    // Relative to the folder holding the repository, `..` taken lexically (as the executor
    // joins it); climbing above that folder is refused.
    let mut parts: Vec<String> = vec![name.to_string_lossy().into_owned()];
    let mut pending = false;
    for part in Path::new(dir).components() {
        match part {
            Component::Normal(part) => {
                let part = part.to_string_lossy().into_owned();
                pending |= unknown(&part);
                parts.push(part);
            }
            Component::CurDir => {}
            Component::ParentDir if !pending => {
                if parts.pop().is_none() {
                    return Err(outside());
                }
            }
            _ => return Err(outside()),
        }
    }
    if parts.is_empty() {
        return Err(outside());
    }
    let known: Vec<&str> = parts
        .iter()
        .map(String::as_str)
        .take_while(|part| !unknown(part))
        .collect();
    if known.is_empty() {
        return Ok(None);
    }
    if parent.exists() {
        paths::inside(parent, &known.join("/"), "`dir`").map_err(|_| outside())?;
    }
    Ok((known.len() == parts.len()).then(|| project_root.join(dir)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkout_is_inside_or_beside_the_repository() {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("repo");
        fs_err::create_dir_all(root.join("site")).unwrap();
        fs_err::create_dir_all(outer.path().join("tap")).unwrap();
        std::os::unix::fs::symlink("/etc", root.join("etc")).unwrap();
        for good in [
            "site",
            "../tap",
            "../new-clone",
            "./site/sub",
            "../{args.tap}",
        ] {
            assert!(checkout_root(&root, good).is_ok(), "{good} was refused");
        }
        for bad in [
            "..",
            "../..",
            "../../x",
            "/tmp/x",
            "etc",
            "etc/ssh",
            "../repo/etc",
        ] {
            assert!(checkout_root(&root, bad).is_err(), "{bad} was let through");
        }
    }

    #[test]
    fn paths_with_globs_and_placeholders_are_checked_as_far_as_known() {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("repo");
        fs_err::create_dir_all(root.join("dist")).unwrap();
        std::os::unix::fs::symlink(outer.path(), root.join("out")).unwrap();
        for good in ["dist/*", "dist/{version}/SUMS", "SHA256SUMS", "{args.x}"] {
            assert!(within(Some(&root), good, "x").is_ok(), "{good} was refused");
        }
        for bad in [
            "../x",
            "/etc/passwd",
            "out/*",
            "out/{version}",
            "dist/../../x",
            "dist/{v}/../..",
        ] {
            assert!(
                within(Some(&root), bad, "x").is_err(),
                "{bad} was let through"
            );
        }
    }
}
