//! `bump = LEVEL`: write a new version to every version file. The first bump of a workflow
//! decides `{version}`; a later one (`bump = "dev"`) writes the next development version.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BumpStep {
    /// A level (`minor`, `auto`, `{args.bump}` …) or an explicit version.
    pub level: Template,
    /// The pre-release label for pre-release levels.
    pub pre: Option<Template>,
    pub allow_downgrade: bool,
}

use relman_version::files::{FileEdit, VersionFiles, apply};

use super::{Outcome, PlanCx, Probe, RunCx, StepError};
use crate::journal::Undo;
use crate::plan::Effect;

impl BumpStep {
    pub(crate) fn preview(
        &self,
        number: usize,
        cx: &mut PlanCx<'_>,
    ) -> Result<Vec<Effect>, StepError> {
        let Some((from, to)) = cx.inputs.bumps.get(&number) else {
            return Ok(vec![Effect::Note {
                text: "no version is written: there is nothing to release".to_owned(),
            }]);
        };
        if cx.project.version_files.is_empty() {
            return Ok(vec![Effect::Note {
                text: format!("{from} → {to}: the version lives in tags only; the tag carries it"),
            }]);
        }
        let root = cx.sim.overlay_root(cx.project)?;
        let edits = VersionFiles::read(&root, &cx.project.version_files)?.plan(&to.to_string())?;
        let mut effects = vec![Effect::Note {
            text: format!("{from} → {to}"),
        }];
        for edit in &edits {
            let path = edit.display_path.clone();
            effects.push(Effect::File {
                diff: crate::plan::unified_diff(
                    &path.to_string_lossy(),
                    Some(&String::from_utf8_lossy(&edit.before)),
                    &String::from_utf8_lossy(&edit.after),
                ),
                path: path.clone(),
            });
            cx.sim.overlay_write(cx.project, &path, &edit.after)?;
            cx.sim.touch(path);
        }
        Ok(effects)
    }

    /// The version this step writes, as frozen in the plan.
    fn target(cx: &RunCx<'_>) -> Result<String, StepError> {
        cx.plan.bumps.get(&cx.number()).cloned().ok_or_else(|| {
            StepError::new(
                "the plan has no version for this bump step (it was skipped at plan time)",
            )
        })
    }

    pub(crate) fn execute(&self, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let target = Self::target(cx)?;
        cx.set_output("version", target.clone());
        if let Some(previous) = cx.plan.variables.get_key("previous_version") {
            let previous = previous.to_owned();
            cx.set_output("previous_version", previous);
        }
        if cx.project.version_files.is_empty() {
            return Ok(Outcome::Done);
        }
        // Planned from the files as they are now: after a crash part-way, only the files still
        // holding the old version are edited (planning does not require them to agree).
        let edits: Vec<FileEdit> =
            VersionFiles::read(&cx.project.root, &cx.project.version_files)?.plan(&target)?;
        for edit in &edits {
            let content = String::from_utf8(edit.before.clone()).ok();
            if let Some(content) = content {
                cx.push_undo(Undo::RestoreFile {
                    path: edit.display_path.clone(),
                    content: Some(content),
                });
            }
        }
        let paths: Vec<_> = cx
            .project
            .version_files
            .iter()
            .map(|spec| spec.path().to_owned())
            .collect();
        cx.record_changed(&paths);
        cx.save()?;
        apply(&edits)?;
        for edit in &edits {
            cx.output(&format!("{}: {target}", edit.display_path.display()));
        }
        Ok(Outcome::Done)
    }

    pub(crate) fn probe(&self, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let target = Self::target(cx)?;
        if cx.project.version_files.is_empty() {
            return Ok(Probe::Done);
        }
        let files = VersionFiles::read(&cx.project.root, &cx.project.version_files)?;
        let done = files
            .found()
            .iter()
            .all(|found| found.value.trim() == target);
        Ok(if done { Probe::Done } else { Probe::NotDone })
    }
}
