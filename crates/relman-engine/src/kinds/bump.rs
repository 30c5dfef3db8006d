//! `bump = LEVEL`: write a new version to every version file. The first bump of a workflow
//! decides `{version}`; a later one (`bump = "dev"`) writes the next development version.

use relman_version::files::{FileEdit, VersionFiles, apply, plan_requirement_edits};
use relman_version::workspace::requirements::RequirementChange;
use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList, Undo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BumpStep {
    /// A level (`minor`, `auto`, `{args.bump}` …) or an explicit version.
    pub level: Template,
    /// The pre-release label for pre-release levels.
    pub pre: Option<Template>,
    pub allow_downgrade: bool,
}

impl Kind for BumpStep {
    const SPEC: KindSpec = KindSpec {
        per_package: true,
        plans_its_files: true,
        writes_version: true,
        options: &[
            OptionSpec::string("pre"),
            OptionSpec::flag("allow-downgrade"),
        ],
        outputs: &["version", "previous_version"],
        ..KindSpec::new("bump", "write the new version to every version file")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(BumpStep {
            level: options.required("bump", "\"minor\"")?,
            pre: options.template("pre")?,
            allow_downgrade: options.flag("allow-downgrade").unwrap_or(false),
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("bump", &self.level)
            .opt("pre", &self.pre)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        format!("bump {}", render(&self.level))
    }

    fn explain(&self, cx: &mut ExplainCx<'_>) -> Explained {
        let bumps: &mut usize = cx.bumps;
        let tags_only = cx.tags_only;
        *bumps += 1;
        let explained = Explained::new(if tags_only {
            format!(
                "Bump the version ({}): no file holds it, a tag carries it.",
                show_code(&self.level)
            )
        } else {
            format!(
                "Bump the version ({}) and write it to every version file.",
                show_code(&self.level)
            )
        });
        let explained = if *bumps == 1 {
            explained.detail("This decides the release's `{version}`.")
        } else {
            explained.detail("A later bump: it writes the next development version, `{dev_version}`; `{version}` still names the release.")
        };
        explained
            .detail_if(
                self.pre.is_some(),
                format!(
                    "Pre-release label {}.",
                    self.pre.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail_if(self.allow_downgrade, "The version may go down.")
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let Some((from, to)) = cx.inputs.bumps.get(&step.number) else {
            return Ok(vec![Effect::Note {
                text: "no version is written: there is nothing to release".to_owned(),
            }]);
        };
        let requirements = &cx.inputs.requirements;
        if cx.project.version_files.is_empty() && requirements.is_empty() {
            return Ok(vec![Effect::Note {
                text: format!("{from} → {to}: the version lives in tags only; the tag carries it"),
            }]);
        }
        let root = cx
            .sim
            .overlay_root_with(cx.project, &requirement_files(requirements))?;
        let edits = if cx.project.version_files.is_empty() {
            Vec::new()
        } else {
            VersionFiles::read(&root, &cx.project.version_files)?
                .plan_with(&to.to_string(), &cx.project.write_options())?
        };
        let edits = plan_requirement_edits(&root, requirements, &edits)?;
        let mut effects = vec![Effect::Note {
            text: if cx.project.version_files.is_empty() {
                format!("{from} → {to}: the version lives in tags only; the tag carries it")
            } else if from == to {
                format!("the version files hold {to} already")
            } else {
                format!("{from} → {to}")
            },
        }];
        for change in requirements {
            effects.push(Effect::Note {
                text: format!(
                    "{}: the requirement on `{}` follows, `{}` → `{}`",
                    change.manifest.display(),
                    change.dependency,
                    change.from,
                    change.to
                ),
            });
        }
        for edit in &edits {
            let path = edit.display_path.clone();
            effects.push(Effect::File {
                diff: crate::core::unified_diff(
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

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let target = Self::target(cx)?;
        cx.set_output("version", target.clone());
        if let Some(previous) = cx.plan.variables.get_key("previous_version") {
            let previous = previous.to_owned();
            cx.set_output("previous_version", previous);
        }
        let requirements = cx.plan.requirements.clone();
        if cx.project.version_files.is_empty() && requirements.is_empty() {
            return Ok(Outcome::Done);
        }
        // Planned from the files as they are now: after a crash part-way, only the files still
        // holding the old version are edited (planning does not require them to agree).
        let edits: Vec<FileEdit> = if cx.project.version_files.is_empty() {
            Vec::new()
        } else {
            VersionFiles::read(&cx.project.root, &cx.project.version_files)?
                .plan_with(&target, &cx.project.write_options())?
        };
        // Requirements on this package follow in the same edits (what `cargo set-version` does).
        let edits = plan_requirement_edits(&cx.project.root, &requirements, &edits)?;
        for edit in &edits {
            let content = String::from_utf8(edit.before.clone()).ok();
            if let Some(content) = content {
                cx.push_undo(Undo::restore_file(
                    edit.display_path.clone(),
                    Some(content),
                    Some(&edit.after),
                ));
            }
        }
        // What the commit stages: every file edited, lock files and workspace members too.
        let mut paths: Vec<_> = cx
            .project
            .version_files
            .iter()
            .map(|spec| spec.path().to_owned())
            .collect();
        paths.extend(edits.iter().map(|edit| edit.display_path.clone()));
        cx.record_changed(&paths);
        cx.save()?;
        apply(&edits)?;
        for edit in &edits {
            cx.output(&format!("{}: {target}", edit.display_path.display()));
        }
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let target = Self::target(cx)?;
        // A requirement still naming the old version: not done.
        if !plan_requirement_edits(&cx.project.root, &cx.plan.requirements, &[])?.is_empty() {
            return Ok(Probe::NotDone);
        }
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

/// The files requirement changes may touch: the manifests, and the lock files of an npm
/// workspace around them (for the plan's scratch copy).
fn requirement_files(requirements: &[RequirementChange]) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for change in requirements {
        files.push(change.manifest.clone());
        let mut dir = change.manifest.parent();
        while let Some(current) = dir {
            files.push(current.join("package-lock.json"));
            files.push(current.join("pnpm-lock.yaml"));
            dir = current.parent();
        }
    }
    files
}

impl BumpStep {
    /// The version this step writes, as frozen in the plan.
    fn target(cx: &RunCx<'_>) -> Result<String, StepError> {
        cx.plan.bumps.get(&cx.number()).cloned().ok_or_else(|| {
            StepError::new(
                "the plan has no version for this bump step (it was skipped at plan time)",
            )
        })
    }
}
