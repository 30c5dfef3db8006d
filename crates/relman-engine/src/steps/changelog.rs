//! `changelog = "update"`: render this release's section (from commits or fragments), insert it
//! into the changelog file, and remove the fragments it used.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangelogStep {
    /// Open the section in `$EDITOR` first (on a terminal).
    pub edit: bool,
}

use std::path::PathBuf;

use relman_version::changelog::document::Document;

use super::{Outcome, PlanCx, Probe, RunCx, StepError};
use crate::journal::Undo;
use crate::plan::Effect;

impl ChangelogStep {
    pub(crate) fn preview(&self, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let Some(rendered) = &cx.inputs.changelog else {
            return Ok(vec![Effect::Note {
                text: "no section: there is nothing to release".to_owned(),
            }]);
        };
        let path = cx.project.display_path(&rendered.file).to_owned();
        let mut effects = vec![Effect::File {
            diff: crate::plan::unified_diff(
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
        if self.edit {
            effects.push(Effect::Note {
                text: "the section opens in $EDITOR first (on a terminal)".to_owned(),
            });
        }
        Ok(effects)
    }

    pub(crate) fn execute(&self, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
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
        let rendered = project.render_changelog(&history, &parsed, &date)?;
        let file = project.display_path(&rendered.file).to_owned();
        let before = rendered.before.clone();
        let already = before.as_deref().is_some_and(|text| {
            Document::for_path(&rendered.file, text)
                .find_section(&version)
                .is_some()
        });
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
        cx.push_undo(Undo::RestoreFile {
            path: file.clone(),
            content: before.clone(),
        });
        let mut removed: Vec<PathBuf> = Vec::new();
        for fragment in &rendered.fragments {
            let content = relman_version::files::bounded::read_text_bounded(
                fragment,
                relman_version::files::bounded::MAX_FRAGMENT,
            )
            .ok();
            let display = project.display_path(fragment).to_owned();
            cx.push_undo(Undo::RestoreFile {
                path: display.clone(),
                content,
            });
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

    pub(crate) fn probe(&self, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let version = cx.plan.version.clone();
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
