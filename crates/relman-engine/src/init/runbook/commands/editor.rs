//! A text editor opened on a file (`vim pyproject.toml`, `$EDITOR CHANGES.md`): a person edits
//! it, and what the file is says which step that is. A version file is the `bump`, release
//! notes or a changelog the `changelog` step (edited by hand before it is committed), any other
//! file a person's edit.

use crate::init::runbook::actions::{Action, Scope, step};
use crate::init::runbook::text::{literal, templated};

/// Programs that open a file for a person to edit.
const EDITORS: &[&str] = &[
    "vi",
    "vim",
    "gvim",
    "nvim",
    "emacs",
    "nano",
    "code",
    "subl",
    "$EDITOR",
    "${EDITOR}",
];

/// Manifests that hold a project's version in every ecosystem.
const MANIFESTS: &[&str] = &[
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "cargo.toml",
    "package.json",
    "version",
    "version.txt",
    "gradle.properties",
    "pom.xml",
];

/// The step of `program args` when the program is an editor opening one file.
pub(super) fn editor(program: &str, args: &[&str], scope: &Scope<'_>) -> Option<Vec<Action>> {
    if !EDITORS.contains(&program) {
        return None;
    }
    // `gvim index.html +/'insert here'`: the file is the argument that is no option.
    let files: Vec<&str> = args
        .iter()
        .copied()
        .filter(|arg| !arg.starts_with(['-', '+']))
        .collect();
    let [file] = files.as_slice() else {
        return None;
    };
    let path = file.trim_start_matches("./");
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if scope.facts.version_files.iter().any(|known| known == path)
        || MANIFESTS.contains(&name.as_str())
    {
        return Some(vec![Action::Step(step("bump", "{args.bump}"))]);
    }
    let stem = name.split('.').next().unwrap_or_default();
    // `NEWS.md` at the top is the project's changelog; `content/en/news.md` is a site's page.
    let notes = ["changelog", "release-notes", "releasenotes"].contains(&stem)
        || ["changes", "news", "history"].contains(&stem) && !path.contains('/')
        || name.contains("-notes.")
        || name.contains("_notes.");
    if notes {
        return Some(vec![Action::Step(
            step("changelog", "update").with("edit", true),
        )]);
    }
    Some(vec![Action::Step(step(
        "manual",
        literal(&format!("Edit `{}`", templated(file))),
    ))])
}
