//! `branch = "release/{major}.{minor}"`: create a branch (from HEAD or `from`), and switch to it
//! unless `switch = false`.

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, OptionType, Options, Reported, StringOrBool};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList, Undo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchStep {
    pub name: Template,
    pub from: Option<Template>,
    pub switch: bool,
}

impl Kind for BranchStep {
    const SPEC: KindSpec = KindSpec {
        options: &[
            OptionSpec::string("from"),
            OptionSpec::new("switch", OptionType::StringOrBool),
        ],
        in_checkout: true,
        yields: true,
        outputs: &["branch", "sha"],
        ..KindSpec::new("branch", "create a branch and switch to it")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let switch = match options.string_or_bool("switch") {
            None => true,
            Some(value) => match value.get_ref() {
                StringOrBool::Bool(flag) => *flag,
                StringOrBool::String(_) => {
                    return Err(options.error(
                        value.span(),
                        "on a `branch` step, `switch` is `true` or `false`",
                    ));
                }
            },
        };
        Ok(BranchStep {
            name: options.required("branch", "\"release/{major}.{minor}\"")?,
            from: options.template("from")?,
            switch,
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("branch", &self.name)
            .opt("from", &self.from)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        format!("create branch {}", render(&self.name))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!(
            "Create the branch {}{}{}.",
            show_code(&self.name),
            self.from
                .as_ref()
                .map(|from| format!(" from {}", show_code(from)))
                .unwrap_or_default(),
            if self.switch { " and switch to it" } else { "" }
        ))
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let name = cx.render(&self.name);
        let from = self
            .from
            .as_ref()
            .map_or_else(|| "HEAD".to_owned(), |from| cx.render(from));
        let mut effects = vec![Effect::Git {
            description: format!("create branch `{name}` from {from}"),
            command: format!("git branch {name} {from}"),
        }];
        if self.switch {
            effects.push(Effect::Git {
                description: format!("switch to `{name}`"),
                command: format!("git switch {name}"),
            });
            cx.sim.branch = Some(name);
        }
        Ok(effects)
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let repo = cx.repo();
        let name = cx.render(&self.name)?;
        let from = match &self.from {
            Some(from) => cx.render(from)?,
            None => "HEAD".to_owned(),
        };
        let start = repo.resolve_commit(&from)?;
        if cx.context_value("start").is_none() {
            cx.set_context("start", start.clone());
            if let Some(current) = repo.current_branch()? {
                cx.set_context("previous", current);
            }
            cx.save()?;
        }
        let exists = repo.branch_names()?.contains(&name);
        if exists {
            let at = repo.resolve_commit(&format!("refs/heads/{name}"))?;
            let recorded = cx.context_value("start").unwrap_or_default().to_owned();
            if at != recorded {
                return Err(StepError::new(format!(
                    "branch `{name}` already exists (at {})",
                    &at[..7.min(at.len())]
                ))
                .with_hint(format!(
                    "release from it by switching to it (`switch = \"{name}\"`), or delete it first"
                )));
            }
        } else {
            repo.create_branch(&name, &start)?;
        }
        let previous = cx.context_value("previous").map(str::to_owned);
        cx.push_undo(Undo::DeleteBranch {
            branch: name.clone(),
            back_to: previous,
            at: cx.context_value("start").map(str::to_owned),
        });
        if self.switch && repo.current_branch()?.as_deref() != Some(name.as_str()) {
            repo.switch(&name)?;
        }
        cx.set_output("branch", name.clone());
        cx.set_output("sha", start);
        cx.set_runtime("branch", name.clone());
        cx.output(&format!(
            "branch {name} created{}",
            if self.switch { " and checked out" } else { "" }
        ));
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let name = cx.render(&self.name)?;
        let Some(start) = cx.context_value("start").map(str::to_owned) else {
            return Ok(Probe::NotDone);
        };
        let repo = cx.repo();
        if !repo.branch_names()?.contains(&name)
            || repo.resolve_commit(&format!("refs/heads/{name}"))? != start
        {
            return Ok(Probe::NotDone);
        }
        if self.switch && repo.current_branch()?.as_deref() != Some(name.as_str()) {
            return Ok(Probe::NotDone);
        }
        let previous = cx.context_value("previous").map(str::to_owned);
        cx.push_undo(Undo::DeleteBranch {
            branch: name.clone(),
            back_to: previous,
            at: cx.context_value("start").map(str::to_owned),
        });
        cx.set_output("branch", name.clone());
        cx.set_output("sha", start);
        cx.set_runtime("branch", name);
        Ok(Probe::Done)
    }
}
