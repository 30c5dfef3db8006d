//! `changelog = "update"`: render this release's section (from commits or fragments), insert it
//! into the changelog file, and remove the fragments it used; or, in a changelog written by hand,
//! promote its unreleased notes to the release; or insert the notes GitHub generates for it.
//!
//! Exactly once: a file that has the release's section already is left as it is (a resumed step
//! does not insert it twice), and GitHub's notes are asked once and kept in the journal.

use std::path::PathBuf;

use relman_version::changelog::document::Document;
use serde::{Deserialize, Serialize};

use crate::clients::notes;
use crate::core::explain::{ExplainCx, Explained};
use crate::core::options::{OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, Undo,
};
use crate::project::ChangelogSource;
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangelogStep {
    /// Open the section in `$EDITOR` first (on a terminal).
    pub edit: bool,
}

impl Kind for ChangelogStep {
    const SPEC: KindSpec = KindSpec {
        per_package: true,
        plans_its_files: true,
        values: &["update"],
        // `edit` is also a kind key (`edit = "PATH"`): the key is one, a string or a boolean.
        options: &[OptionSpec::new("edit", OptionType::StringOrBool)],
        in_checkout: true,
        writes_changelog: true,
        outputs: &["changelog", "file"],
        ..KindSpec::new(
            "changelog",
            "render this release's section and insert it into the changelog",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("changelog").ok_or(Reported)?;
        options.one_of(&value, "changelog", &["update"])?;
        Ok(ChangelogStep {
            edit: options.flag("edit").unwrap_or(false),
        })
    }

    fn needs_changelog(&self) -> bool {
        true
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        Vec::new()
    }

    fn describe(&self, _variables: &Variables) -> String {
        "update the changelog".to_owned()
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(
            "Add this release's section to the changelog (and remove the news fragments it used).",
        )
        .detail_if(
            self.edit,
            "On a terminal, the section opens in `$EDITOR` first, for you to edit.",
        )
        .detail("Later steps can use it as `{changelog}`.")
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let Some(rendered) = &cx.inputs.changelog else {
            return Ok(vec![Effect::Note {
                text: "no section: there is nothing to release".to_owned(),
            }]);
        };
        let path = cx.project.display_path(&rendered.file).to_owned();
        let mut effects = vec![Effect::File {
            diff: crate::core::unified_diff(
                &path.to_string_lossy(),
                rendered.before.as_deref(),
                &rendered.after,
            ),
            path: path.clone(),
        }];
        cx.sim.touch(path);
        for fragment in &rendered.fragments {
            let fragment = cx.project.display_path(fragment).to_owned();
            effects.push(Effect::Remove {
                path: fragment.clone(),
            });
            cx.sim.touch(fragment);
        }
        if matches!(cx.project.changelog.source, ChangelogSource::Github) {
            let variables = cx.variables;
            let request = notes::request(
                variables.get_key("tag").unwrap_or_default(),
                variables.get_key("previous_tag"),
                None,
            );
            effects.push(notes::preview(cx, &request)?);
            effects.push(Effect::Note {
                text: "the section's notes are GitHub's, asked for when the step runs".to_owned(),
            });
        }
        if self.edit {
            effects.push(Effect::Note {
                text: "the section opens in $EDITOR first (on a terminal)".to_owned(),
            });
        }
        Ok(effects)
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        if let Some(used) = cx.plan.changeset.clone() {
            return changesets::write(cx, &used);
        }
        let version = cx.plan.version.clone();
        let date = cx
            .plan
            .variables
            .get_key("date")
            .unwrap_or_default()
            .to_owned();
        let project = cx.project;
        let history = project.history(project.changelog.include_other)?;
        let parsed = project
            .scheme
            .parse(&version)
            .map_err(|error| StepError::new(error.to_string()))?;
        let rendered = match &project.changelog.source {
            ChangelogSource::Github => {
                let tag = cx.plan.tag.clone();
                let previous = history.previous.as_ref().map(|release| release.tag.clone());
                let target = cx.variables().get_key("sha").map(str::to_owned);
                let request = notes::request(&tag, previous.as_deref(), target.as_deref());
                let body = notes::generated(cx, &request)?;
                project.section_with_body(&history, &version, &tag, &date, &body)?
            }
            _ => project.render_changelog(&history, &parsed, &date)?,
        };
        let file = project.display_path(&rendered.file).to_owned();
        let before = rendered.before.clone();
        let already = match &project.changelog.source {
            // A file written by hand that has the release already comes back unchanged.
            ChangelogSource::File => before.as_deref() == Some(rendered.after.as_str()),
            _ => before.as_deref().is_some_and(|text| {
                Document::for_path(&rendered.file, text)
                    .find_section(&version)
                    .is_some()
            }),
        };
        let mut section = rendered.section.clone();
        let mut after = rendered.after.clone();
        if self.edit
            && cx.env.interactive
            && !already
            && let Some(edited) = cx.prompter.edit(&section)
        {
            after = after.replacen(&section, &edited, 1);
            section = edited;
        }
        // Record how to put everything back before touching anything.
        let written = if already {
            before.clone().unwrap_or_default()
        } else {
            after.clone()
        };
        cx.push_undo(Undo::restore_file(
            file.clone(),
            before.clone(),
            Some(written.as_bytes()),
        ));
        let mut removed: Vec<PathBuf> = Vec::new();
        for fragment in &rendered.fragments {
            let content = relman_version::files::bounded::read_text_bounded(
                fragment,
                relman_version::files::bounded::MAX_FRAGMENT,
            )
            .ok();
            let display = project.display_path(fragment).to_owned();
            cx.push_undo(Undo::restore_file(display.clone(), content, None));
            removed.push(display);
        }
        let mut changed = vec![file.clone()];
        changed.extend(removed.iter().cloned());
        cx.record_changed(&changed);
        cx.save()?;
        // A crash after writing the file but before removing the fragments leaves the section in
        // place: it is not inserted twice.
        if !already {
            relman_version::files::write_atomic(&rendered.file, after.as_bytes())?;
            cx.output(&format!("{}: section {version} added", file.display()));
        }
        for fragment in &rendered.fragments {
            match fs_err::remove_file(fragment) {
                Ok(()) => cx.output(&format!(
                    "removed {}",
                    project.display_path(fragment).display()
                )),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(StepError::new(error.to_string())),
            }
        }
        // The section as inserted: heading included, as the plan showed `{changelog}`.
        let section = if already {
            project.changelog_section_whole(&version).unwrap_or(section)
        } else {
            section
        };
        cx.set_runtime("changelog", section.trim_end());
        cx.set_output("changelog", section.trim_end());
        cx.set_output("file", file.display().to_string());
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        if let Some(used) = cx.plan.changeset.clone() {
            return changesets::probe(cx, &used);
        }
        let version = cx.plan.version.clone();
        if matches!(cx.project.changelog.source, ChangelogSource::File) {
            let path = cx.project.root.join(&cx.project.changelog.file);
            let released = relman_version::files::read_text_bounded(
                &path,
                relman_version::files::bounded::MAX_CHANGELOG,
            )
            .is_ok_and(|text| {
                relman_version::changelog::handwritten::is_released(&path, &text, &version)
            });
            if !released {
                return Ok(Probe::NotDone);
            }
        }
        match cx.project.changelog_section_whole(&version) {
            Ok(section) => {
                let fragments_left = match cx.project.towncrier() {
                    Some(config) => relman_version::changelog::towncrier::collect_fragments(config)
                        .map(|fragments| !fragments.is_empty())
                        .unwrap_or(false),
                    None => false,
                };
                if fragments_left {
                    return Ok(Probe::NotDone);
                }
                cx.set_runtime("changelog", section.trim_end());
                cx.set_output("changelog", section.trim_end());
                Ok(Probe::Done)
            }
            Err(_) => Ok(Probe::NotDone),
        }
    }
}

/// The changelog step of a package that changesets release: the entry `changeset version`
/// writes, and the changesets it used removed (moved to `.changeset/pre/` in pre mode; leaving
/// pre mode removes `.changeset/pre.json` too).
mod changesets {
    use std::path::{Path, PathBuf};

    use relman_version::changelog::document::Document;

    use crate::core::{Outcome, Probe, RunCx, StepError, Undo};
    use crate::project::packages::changesets::ChangesetUse;

    /// Where a used changeset goes: `.changeset/pre/NAME.md` in pre mode, nowhere otherwise.
    fn moved_to(used: &ChangesetUse, file: &Path) -> Option<PathBuf> {
        let name = file.file_name()?;
        let in_pre = file.parent().is_some_and(|dir| dir.ends_with("pre"));
        (used.pre && !in_pre).then(|| Path::new(".changeset/pre").join(name))
    }

    fn has_entry(cx: &RunCx<'_>, file: &Path) -> bool {
        let version = &cx.plan.version;
        relman_version::files::read_text_bounded(
            file,
            relman_version::files::bounded::MAX_CHANGELOG,
        )
        .is_ok_and(|text| {
            Document::for_path(file, &text)
                .find_section(version)
                .is_some()
        })
    }

    pub(super) fn write(cx: &mut RunCx<'_>, used: &ChangesetUse) -> Result<Outcome, StepError> {
        let project = cx.project;
        // Only changesets are removed (a journal edited by hand could name anything else).
        for path in &used.files {
            let inside = path.starts_with(".changeset")
                && path
                    .components()
                    .all(|component| matches!(component, std::path::Component::Normal(_)))
                && path.extension().is_some_and(|extension| extension == "md");
            if !inside {
                return Err(StepError::new(format!(
                    "`{}` is no changeset: only files of `.changeset/` are removed",
                    path.display()
                )));
            }
        }
        let file = project.root.join(&project.changelog.file);
        let display = project.changelog.file.clone();
        let before = relman_version::files::read_text_bounded(
            &file,
            relman_version::files::bounded::MAX_CHANGELOG,
        )
        .ok();
        let already = has_entry(cx, &file);
        // What relman leaves in each file, so `abort` takes back only its own bytes.
        let after = (!already).then(|| {
            relman_version::changesets::entry::insert(before.as_deref(), &used.entry, &project.name)
        });
        let written = after.as_deref().or(before.as_deref());
        cx.push_undo(Undo::restore_file(
            display.clone(),
            before.clone(),
            written.map(str::as_bytes),
        ));
        let mut changed = vec![display.clone()];
        for path in &used.files {
            let content = relman_version::files::read_text_bounded(
                &project.root.join(path),
                relman_version::files::bounded::MAX_FRAGMENT,
            )
            .ok();
            cx.push_undo(Undo::restore_file(path.clone(), content.clone(), None));
            changed.push(path.clone());
            if let Some(target) = moved_to(used, path) {
                cx.push_undo(Undo::restore_file(
                    target.clone(),
                    None,
                    content.as_deref().map(str::as_bytes),
                ));
                changed.push(target);
            }
        }
        let pre_json = PathBuf::from(".changeset/pre.json");
        if used.exit {
            cx.push_undo(Undo::restore_file(
                pre_json.clone(),
                relman_version::files::read_text_bounded(
                    &project.root.join(&pre_json),
                    relman_version::files::bounded::MAX_CONFIG_FILE,
                )
                .ok(),
                None,
            ));
            changed.push(pre_json.clone());
        }
        cx.record_changed(&changed);
        cx.save()?;
        if let Some(after) = &after {
            relman_version::files::write_atomic(&file, after.as_bytes())?;
            cx.output(&format!(
                "{}: entry {} added",
                display.display(),
                cx.plan.version
            ));
        }
        for path in &used.files {
            let full = project.root.join(path);
            if !full.exists() {
                continue;
            }
            match moved_to(used, path) {
                Some(target) => {
                    let target = project.root.join(target);
                    if let Some(parent) = target.parent() {
                        fs_err::create_dir_all(parent)
                            .map_err(|error| StepError::new(error.to_string()))?;
                    }
                    fs_err::rename(&full, &target)
                        .map_err(|error| StepError::new(error.to_string()))?;
                    cx.output(&format!("moved {} to .changeset/pre/", path.display()));
                }
                None => {
                    fs_err::remove_file(&full)
                        .map_err(|error| StepError::new(error.to_string()))?;
                    cx.output(&format!("removed {}", path.display()));
                }
            }
        }
        if used.exit && project.root.join(&pre_json).exists() {
            fs_err::remove_file(project.root.join(&pre_json))
                .map_err(|error| StepError::new(error.to_string()))?;
        }
        let entry = used.entry.trim_end().to_owned();
        cx.set_runtime("changelog", entry.clone());
        cx.set_output("changelog", entry);
        cx.set_output("file", display.display().to_string());
        Ok(Outcome::Done)
    }

    pub(super) fn probe(cx: &mut RunCx<'_>, used: &ChangesetUse) -> Result<Probe, StepError> {
        let project = cx.project;
        let file = project.root.join(&project.changelog.file);
        let left = used
            .files
            .iter()
            .any(|path| project.root.join(path).exists());
        if !has_entry(cx, &file) || left {
            return Ok(Probe::NotDone);
        }
        let entry = used.entry.trim_end().to_owned();
        cx.set_runtime("changelog", entry.clone());
        cx.set_output("changelog", entry);
        Ok(Probe::Done)
    }
}
